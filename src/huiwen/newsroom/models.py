"""The newsroom's store: the channel tree, publishers, and articles with their attribution.

Rules that protect data live here and in the database (constraints), not only in forms:
one article per original URL, status values from a closed list, channel paths unique, and
root channel slugs that cannot shadow the site's own URLs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, overload

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, router, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from huiwen.newsroom import changes
from huiwen.newsroom.text import clean_body_html, html_to_text, make_excerpt

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Top-level slugs the site's own URLs use; a root channel with one of these would be unreachable.
RESERVED_ROOT_SLUGS = (
    "a", "about", "accounts", "admin", "api", "c", "feed", "feeds", "media", "newsroom", "search",
    "sitemap", "static", "takedown", "transparency", "zh-hans", "zh-hant",
)
MAX_CHANNEL_DEPTH = 5

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", "只能使用小写字母、数字和连字符(例如 china-news)。"
)


# A channel's values the change path compares (newsroom.changes): what its pages and lists show.
CHANNEL_WATCHED = ("name", "path", "public")


class ChannelQuerySet(models.QuerySet["Channel"]):
    def public(self) -> ChannelQuerySet:
        """Channels readers may see: live, and every ancestor live too."""
        return self.filter(public=True)


class Channel(models.Model):
    """A node of the channel tree (频道/栏目). Its URL is its path of slugs: /news/china/."""

    name = models.CharField("名称", max_length=60)
    slug = models.CharField("标识", max_length=40, validators=[slug_validator])
    parent = models.ForeignKey(
        "self", verbose_name="上级频道", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField("排序", default=0, help_text="数字小的排在前面")
    live = models.BooleanField("上线", default=True)
    description = models.CharField("简介", max_length=200, blank=True)
    # Derived from the tree and kept by save(): the URL path, the depth, and whether this channel
    # and all its ancestors are live. Stored so the visibility rule is one indexed column.
    path = models.CharField("路径", max_length=250, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    public = models.BooleanField("对外可见", default=True, editable=False, db_index=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = "频道"
        verbose_name_plural = "频道"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | ~Q(slug__in=RESERVED_ROOT_SLUGS),
                name="channel_root_slug_not_reserved",
                violation_error_message="这个标识被网站自身的地址占用,请换一个。",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="channel_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return " » ".join(channel.name for channel in self.lineage())

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            before = Channel.objects.filter(pk=self.pk).values(*CHANNEL_WATCHED).first() if self.pk else None
            self._derive_from_parent()
            super().save(*args, **kwargs)
            after = {name: getattr(self, name) for name in CHANNEL_WATCHED}
            changes.record(self, before, after)
            if before != after:
                # Lists, feeds and sitemaps date themselves by their articles' updated_at (Last-Modified):
                # a channel hidden, shown, renamed or moved changes what they show.
                self.articles.update(updated_at=timezone.now())
            if before is not None and before["path"] != self.path:
                self._leave_redirect(before["path"])
            # A moved, renamed or hidden channel changes its whole subtree's paths and visibility.
            for child in self.children.all():
                child.parent = self
                child.save()

    def get_absolute_url(self) -> str:
        # Built directly rather than with reverse(): lists render dozens of these per page, and
        # tests/newsroom/test_models.py checks that both give the same URL.
        return f"/{self.path}/"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        return changes.delete_recorded(self, super().delete, {}, *args, **kwargs)

    def lineage(self) -> list[Channel]:
        """This channel and its ancestors, root first: the breadcrumb trail."""
        chain: list[Channel] = []
        node: Channel | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def descendants(self) -> Iterator[Channel]:
        for child in self.children.all():
            yield child
            yield from child.descendants()

    def clean(self) -> None:
        super().clean()
        if self.parent_id is None and self.slug in RESERVED_ROOT_SLUGS:
            raise ValidationError({"slug": "这个标识被网站自身的地址占用,请换一个。"})
        node = self.parent
        depth = 0
        while node is not None:
            if (self.pk is not None and node.pk == self.pk) or node is self:
                raise ValidationError({"parent": "频道不能放在自己或自己的下级之下。"})
            depth += 1
            if depth >= MAX_CHANNEL_DEPTH:  # also ends the walk on a cycle that does not include self
                raise ValidationError({"parent": f"频道最多 {MAX_CHANNEL_DEPTH} 级。"})
            node = node.parent

    def _leave_redirect(self, old_path: str) -> None:
        """A moved channel's old path answers 301 to its new one; a path now in use redirects no more."""
        ChannelRedirect.objects.filter(old_path=self.path).delete()
        ChannelRedirect.objects.update_or_create(old_path=old_path, defaults={"channel": self})

    def _derive_from_parent(self) -> None:
        if self.parent is None:
            self.path, self.depth, self.public = self.slug, 0, self.live
        else:
            self.path = f"{self.parent.path}/{self.slug}"
            self.depth = self.parent.depth + 1
            self.public = self.live and self.parent.public


class ChannelRedirect(models.Model):
    """A path a channel used to have: the reader answers it with a 301 to the channel's current URL."""

    old_path = models.CharField("旧路径", max_length=250, unique=True)
    channel = models.ForeignKey(Channel, verbose_name="频道", on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        db_table = "backoffice_channelredirect"  # the desk's until issue 18: moving is the channel's own change
        verbose_name = "频道旧地址"
        verbose_name_plural = "频道旧地址"

    def __str__(self) -> str:
        return f"/{self.old_path}/ → {self.channel.path}"


class Publisher(models.Model):
    """A source of reprinted articles: the 来源 line (e.g. 人民网-人民日报)."""

    name = models.CharField("名称", max_length=80, unique=True)
    url = models.URLField("网址", max_length=500, blank=True)
    newspaper = models.CharField(
        "报纸名称", max_length=60, blank=True, help_text="印刷版报名,用于版面出处,如:人民日报"
    )
    contact_email = models.EmailField("联系邮箱", blank=True, help_text="转送侵权通知时使用")

    class Meta:
        verbose_name = "来源媒体"
        verbose_name_plural = "来源媒体"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic(using=router.db_for_write(Publisher, instance=self), savepoint=False):
            created = self._state.adding
            super().save(*args, **kwargs)
            watched: dict[str, object] = {"name": self.name, "newspaper": self.newspaper}
            changes.record(self, None if created else watched, watched)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        return changes.delete_recorded(self, super().delete, {}, *args, **kwargs)


class Story(models.Model):
    """One work and all its reprints: articles that carry the same text from different sources.

    The collector folds near-duplicates into a story (issue 4); a takedown withdraws every copy;
    related reading never offers another copy of the story an article belongs to.
    """

    original_publisher = models.ForeignKey(
        Publisher, verbose_name="首发媒体", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_published_at = models.DateTimeField("首发时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "稿件(同源转载)"
        verbose_name_plural = "稿件(同源转载)"

    def __str__(self) -> str:
        first = self.articles.order_by("published_at").first()
        return first.title if first else f"稿件 {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Store the story and record the change (the collector's writes go through newsroom.stories,
        which records each one itself; this covers any other save)."""
        using = kwargs.get("using") or router.db_for_write(Story, instance=self)
        with transaction.atomic(using=using, savepoint=False):
            before = (Story.objects.using(using).filter(pk=self.pk).values(*STORY_WATCHED).first()
                      if self.pk is not None else None)
            super().save(*args, **kwargs)
            changes.record(self, before, self.watched(), using=using)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Delete the story: its copies leave it first, each a change of its own (the database would
        empty their story_id with no change recorded)."""
        from huiwen.newsroom import stories  # the service, which imports these models

        using = kwargs.get("using") or router.db_for_write(Story, instance=self)
        with transaction.atomic(using=using, savepoint=False):
            for article in self.articles.using(using).order_by("pk"):
                stories.move(article, None, using=using)
            return changes.delete_recorded(self, super().delete, self.watched(), *args, **kwargs)

    def watched(self) -> dict[str, object]:
        """The values the change path compares before and after a change of the story."""
        return {name: getattr(self, name) for name in STORY_WATCHED}


# What a story's changes compare: its original copy's publisher and time.
STORY_WATCHED = ("original_publisher_id", "first_published_at")


def _tree_ids(channel: Channel) -> list[int]:
    """The ids of a channel and of every channel below it (one query on the channel table)."""
    return [channel.pk, *Channel.objects.filter(path__startswith=f"{channel.path}/").values_list("pk", flat=True)]


class ArticleQuerySet(models.QuerySet["Article"]):
    def visible(self, now: datetime | None = None) -> ArticleQuerySet:
        """THE definition of "publicly visible". Every reader surface goes through it.

        Published (so neither draft, pending nor withdrawn), its publication time reached
        (embargo), and its channel and all the channel's ancestors live.
        """
        return self._released(now).filter(channel__public=True)

    def count_visible(self, now: datetime | None = None) -> int:
        """visible().count(), asked with the channel condition as the public channels' ids: a count
        of the whole site then reads one index and looks nothing up per row (0.09 against 0.24 s
        for a million articles on SQLite, where the join looked up every article's channel). A
        channel tree's count seeks by channel already, and is as fast either way."""
        public = Channel.objects.public().values("pk")
        return self._released(now).filter(channel_id__in=public).count()

    def _released(self, now: datetime | None) -> ArticleQuerySet:
        """Published (so neither draft, pending nor withdrawn) and its publication time reached."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def in_channel_tree(self, channel: Channel) -> ArticleQuerySet:
        """Articles of a channel and of every channel below it.

        By the channels' ids, not by a condition on the joined channel's path: an OR across the two
        tables kept the database from reading the article index by channel, so it read every
        published article instead (2.3 s to count a channel of a million-article site). A channel
        without sub-channels is asked for by equality, which reads its articles from the index in
        date order, newest first, without sorting them."""
        tree = _tree_ids(channel)
        return self.filter(channel_id__in=tree) if len(tree) > 1 else self.filter(channel_id=channel.pk)

    def last_change_in_tree(self, channel: Channel, now: datetime | None = None) -> datetime | None:
        """last_change() of in_channel_tree(channel), asked channel by channel: each is then two
        seeks in the (channel, updated_at) and (channel, published_at) indexes, where the whole tree
        at once read every article of it (a channel feed's Last-Modified: 50-300 ms at a million)."""
        moments = [moment for pk in _tree_ids(channel)
                   if (moment := self.filter(channel_id=pk).last_change(now)) is not None]
        return max(moments) if moments else None

    def last_change(self, now: datetime | None = None) -> datetime | None:
        """When what this scope shows readers last changed, for Last-Modified headers.

        Counts every article in scope, not only visible ones: withdrawing or hiding an article
        bumps its updated_at, and a list that lost an item has changed too. An embargoed
        article changes the lists at its publication time.
        """
        now = now or timezone.now()
        # Two aggregates rather than one filtered pair: each can then be answered from its own
        # index (updated_at, published_at) instead of scanning the table. An edit of an embargoed
        # article counts as a change too: harmless, clients just revalidate once more.
        updated = self.aggregate(moment=models.Max("updated_at"))["moment"]
        published = self.filter(published_at__lte=now).aggregate(moment=models.Max("published_at"))["moment"]
        moments = [moment for moment in (updated, published) if moment is not None]
        return max(moments) if moments else None

    def for_listing(self) -> ArticleQuerySet:
        return self.select_related("channel", "publisher").order_by("-published_at", "-pk")

    def ids_first(self) -> IdsFirst:
        """This listing for a Paginator, a page read by its ids first (see IdsFirst)."""
        return IdsFirst(self)


class IdsFirst:
    """A listing that reads a page's ids from the index, then loads only those articles.

    A deep page of a large channel (page 3,000 of a million articles) skips 60,000 rows before its
    twenty; skipping them as whole rows read each one (1.5 s), skipping them as index entries does
    not. Paginator needs only count() and slicing."""

    def __init__(self, listing: ArticleQuerySet) -> None:
        self.listing = listing

    def count(self) -> int:
        return self.listing.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Article]:
        return iter(self.listing)

    @overload
    def __getitem__(self, index: int) -> Article: ...
    @overload
    def __getitem__(self, index: slice) -> list[Article]: ...

    def __getitem__(self, index: int | slice) -> Article | list[Article]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = list(self.listing.values_list("pk", flat=True)[index])
        # The rows looked up by id, each checked against the listing's rule as a correlated EXISTS:
        # `listing.filter(pk__in=ids)` let SQLite walk the channel's index and test every article
        # against the ids (42 against 14 ms for 200 rows of a 180,000-article channel).
        in_listing = Exists(self.listing.order_by().filter(pk=OuterRef("pk")))
        rows = Article.objects.for_listing().filter(pk__in=ids).filter(in_listing).order_by()
        found = {article.pk: article for article in rows}
        return [found[pk] for pk in ids if pk in found]


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审核"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤下"


class Article(models.Model):
    """A reprinted (or original) article with the attribution reprint rules require."""

    Status = ArticleStatus

    title = models.CharField("标题", max_length=200, help_text="按原样刊出的标题,含栏目标记,如 …(和音)")
    column = models.CharField("栏目标记", max_length=40, blank=True, help_text="如:和音、人民论坛")
    original_title = models.CharField("原标题", max_length=200, blank=True)
    original_author = models.CharField("原作者", max_length=120, blank=True)
    editor = models.CharField("责任编辑", max_length=60, blank=True, help_text="本站的责任编辑(真实姓名)")
    source_editor = models.CharField("原责任编辑", max_length=60, blank=True, help_text="来源页面署名的责编")
    lede = models.TextField("导语", blank=True)
    body = models.TextField("正文", help_text="经过清洗的 HTML")
    excerpt = models.CharField(
        "摘要", max_length=300, blank=True, editable=False,
        help_text="由导语或正文生成,列表与相关阅读直接使用,免得每次渲染都解析正文",
    )
    published_at = models.DateTimeField("发布时间", default=timezone.now, db_index=True)
    publisher = models.ForeignKey(
        Publisher, verbose_name="来源", on_delete=models.PROTECT, related_name="articles",
        null=True, blank=True,
    )
    source_url = models.URLField("原链接", max_length=1000, unique=True, null=True, blank=True)
    print_newspaper = models.CharField("报纸", max_length=60, blank=True)
    print_date = models.DateField("见报日期", null=True, blank=True)
    print_page = models.CharField("版次", max_length=10, blank=True, help_text="如 03")
    channel = models.ForeignKey(
        Channel, verbose_name="频道", on_delete=models.PROTECT, related_name="articles"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    story = models.ForeignKey(
        Story, verbose_name="同源稿件", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_index=True)

    objects = ArticleQuerySet.as_manager()
    # Every change kept: a source's new text, an editor's edit, a withdrawal (issue 4 and 7).
    history = HistoricalRecords(verbose_name="文章修订", excluded_fields=["excerpt"])
    # Set on an instance before save() for its revision (simple-history's names) and its change
    # (newsroom.changes.record, newsroom.handlers read them with getattr): never stored as fields.
    _change_reason: str
    _history_user: User | None
    _history_date: datetime

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        ordering = ["-published_at", "-pk"]
        indexes = [
            # Newest first across channels; with the channel in it, a channel with sub-channels pages
            # through it by index entries alone (page 3,000 of a parent of 765,000 articles read each
            # skipped row for its channel: 4.7 s).
            models.Index(fields=["status", "published_at", "channel"], name="article_status_published"),
            # A channel's newest articles (the filler of 相关阅读, channel pages) without sorting the channel.
            models.Index(fields=["channel", "published_at"], name="article_channel_published"),
            # A channel's last change (feeds' Last-Modified, ArticleQuerySet.last_change_in_tree).
            models.Index(fields=["channel", "updated_at"], name="article_channel_updated"),
            # A channel page's count and page of visible articles from the index alone: at a million
            # articles, counting a channel through (status, published_at) read every published row
            # (2.3 s for each of a channel's list pages).
            models.Index(fields=["channel", "status", "published_at"], name="article_channel_visible"),
            # The visibility rule's columns (and the story) by id: search and 相关阅读 ask "which of
            # these ids are visible" for hundreds of ids at a time, and on SQLite these columns sit
            # after the body in the row (overflow pages to walk); this covering index answers from
            # a few small pages.
            models.Index(fields=["id", "status", "published_at", "channel", "publisher", "story"],
                         name="article_visibility"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values),
                name="article_status_valid",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            # An empty string would defeat the one-article-per-URL rule; "no URL" is NULL.
            models.CheckConstraint(condition=~Q(source_url=""), name="article_source_url_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Store the article and record the change (newsroom.changes): every caller, the collector,
        the desk, the admin and a fixture alike, takes this one path."""
        if not self.source_url:
            self.source_url = None
        self.body = clean_body_html(self.body)
        self.excerpt = make_excerpt(self.lede or html_to_text(self.body), 200, ellipsis="")
        using = kwargs.get("using") or router.db_for_write(Article, instance=self)
        with transaction.atomic(using=using, savepoint=False):
            before = (Article.objects.using(using).filter(pk=self.pk).values(*WATCHED).first()
                      if self.pk is not None else None)
            # The revision is written by the change path's "history" handler, in the set's order.
            keep_history = not hasattr(self, "skip_history_when_saving")
            self.skip_history_when_saving = True
            try:
                super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
            changes.record(self, before, self.watched(), using=using, keep_history=keep_history)

    def get_absolute_url(self) -> str:
        return f"/a/{self.pk}.html"  # as reverse("reader:article") gives; see Channel.get_absolute_url

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        return changes.delete_recorded(self, super().delete, self.watched(), *args, **kwargs)

    def watched(self) -> dict[str, object]:
        """The values the change path compares before and after a save (newsroom.changes)."""
        return {name: getattr(self, name) for name in WATCHED}

    @property
    def has_print_citation(self) -> bool:
        return bool(self.print_newspaper and self.print_date)

    def clean(self) -> None:
        super().clean()
        if self.column and self.column not in self.title:
            raise ValidationError({"column": "栏目标记应出现在标题中,如 标题(和音)。"})
        if self.status == ArticleStatus.PUBLISHED and not self.editor.strip():
            # 互联网新闻信息服务管理规定 Art. 15: every published reprint names its editor.
            raise ValidationError({"editor": "已发布的文章须署责任编辑(真实姓名)。"})


# What decides where an article is listed, and what a reader sees of it: a change of any of these
# is what the handlers of newsroom.changes look at (lists and tags, the content-change time).
LISTING_FIELDS = ("channel_id", "status", "published_at")
CONTENT_FIELDS = ("title", "column", "lede", "body", "original_title", "original_author", "editor",
                  "publisher_id", "source_url", "print_newspaper", "print_date", "print_page")
# The story the article is a copy in: not shown, but 相关阅读 never pairs two copies of one story,
# and the search index holds it (newsroom.stories moves articles between stories).
STORY_FIELDS = ("story_id",)
WATCHED = (*LISTING_FIELDS, *CONTENT_FIELDS, *STORY_FIELDS)


class Fingerprint(models.Model):
    """A work's MinHash signature (text.fingerprint) in the one index of works (newsroom.works):
    story matching (the collector: one per article, kind "story") and the takedown blocklist (one
    per blocked work, kind "blocked", kept after its article is gone) both write and search it.
    Kept in the collector's tables (moved here without a data change, issue 18)."""

    class Kind(models.TextChoices):
        STORY = "story", "报道"
        BLOCKED = "blocked", "禁止再采集"

    kind = models.CharField("类别", max_length=8, choices=Kind.choices, default=Kind.STORY)
    # The article of a "story" print; none for a "blocked" one, which outlives its article.
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="fingerprint",
                                   null=True, blank=True)
    signature = models.BinaryField()
    features = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "collect_fingerprint"
        verbose_name = "文本指纹"
        verbose_name_plural = "文本指纹"
        constraints = [models.CheckConstraint(
            condition=Q(kind="story", article__isnull=False) | Q(kind="blocked", article__isnull=True),
            name="fingerprint_kind_has_its_article")]

    def __str__(self) -> str:
        return f"指纹 {self.pk} ({self.kind})"


class FingerprintBand(models.Model):
    """One LSH band key of a signature: prints sharing a key are candidates. The print's kind is
    repeated here so that a lookup reads one kind's keys only (a blocked work never takes a story's
    place among the candidates, nor the other way)."""

    fingerprint = models.ForeignKey(Fingerprint, on_delete=models.CASCADE, related_name="bands")
    kind = models.CharField("类别", max_length=8, choices=Fingerprint.Kind.choices, default=Fingerprint.Kind.STORY)
    key = models.BigIntegerField(db_index=True)

    class Meta:
        db_table = "collect_fingerprintband"
        verbose_name = "指纹分段"
        verbose_name_plural = "指纹分段"
        constraints = [models.UniqueConstraint(fields=["fingerprint", "key"], name="fingerprint_band_once")]

    def __str__(self) -> str:
        return f"{self.fingerprint_id}:{self.key}"


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    """The audit log is append-only: no bulk update or delete, even from code."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("审计记录不可修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计记录不可删除")


class AuditEntry(models.Model):
    """One recorded action on published state or on a takedown case. Never changed, never deleted.

    Besides the guards here, database triggers (migration 0005) refuse UPDATE of any row (and on
    PostgreSQL DELETE too), so not even raw SQL through the application's account rewrites history.
    SQLite keeps DELETE possible only because Django's test flush empties tables with DELETE.
    """

    class Action(models.TextChoices):
        PUBLISH = "publish", "发布"
        SCHEDULE = "schedule", "定时发布"
        REJECT = "reject", "退回"
        WITHDRAW = "withdraw", "撤下"
        RESTORE = "restore", "恢复"
        MOVE = "move", "移动频道"
        NOTICE = "notice", "收到侵权通知"
        COUNTER_NOTICE = "counter", "收到反通知"
        FORWARD = "forward", "转送通知"
        UPHOLD = "uphold", "维持删除"
        REVIEW = "review", "审核通知"
        TIMER = "timer", "时限到期"
        # The editors' desk (issue 15): changes to live articles and to what readers see.
        UNPUBLISH = "unpublish", "撤下待审"
        EDIT = "edit", "修改已发布文章"
        PROPOSE = "propose", "提交修改待审"
        DECLINE = "decline", "驳回修改"
        HIDE_CHANNEL = "hide", "隐藏频道"
        SHOW_CHANNEL = "show", "上线频道"
        COLLECT = "collect", "采集单篇"
        ACCOUNT = "account", "账号与权限"  # issue 13: users, roles and permissions

    at = models.DateTimeField("时间", default=timezone.now, db_index=True, editable=False)
    action = models.CharField("动作", max_length=20, choices=Action.choices, editable=False)
    # No database constraint and no cascade: the record outlives the article or user it names
    # (the title and the actor's name are copied), and deleting them must not touch this table.
    article = models.ForeignKey(Article, verbose_name="文章", null=True, blank=True, on_delete=models.DO_NOTHING,
                                related_name="audit_entries", editable=False, db_constraint=False)
    article_title = models.CharField("文章标题", max_length=200, blank=True, editable=False)
    subject = models.CharField("对象", max_length=100, blank=True, editable=False, help_text="如通知编号")
    actor = models.ForeignKey("auth.User", verbose_name="操作人", null=True, blank=True, on_delete=models.DO_NOTHING,
                              related_name="+", editable=False, db_constraint=False)
    actor_name = models.CharField("操作人名称", max_length=150, editable=False)
    reason = models.TextField("理由", blank=True, editable=False)
    details = models.JSONField("详情", default=dict, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.article_title or self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("审计记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计记录不可删除")


# -- Change records: what changed, for the caches, the static publisher and crawlers ------------
# Tables named publish_* : they were the publisher's until the reader and the publisher both
# came to read them (issue 18: the reader is below the publisher, and both above the newsroom).


class TagChange(models.Model):
    """A change of a dependency tag (newsroom.tags), kept so incremental publishing knows what to redo."""

    tag = models.CharField(max_length=60, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "publish_tagchange"
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"

    def __str__(self) -> str:
        return f"{self.tag} @ {self.at:%Y-%m-%d %H:%M:%S}"


class TagVersion(models.Model):
    """The version of a dependency tag (newsroom.tags) in the embedded default; Redis at scale."""

    tag = models.CharField(max_length=60, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        db_table = "publish_tagversion"
        verbose_name = "依赖版本"
        verbose_name_plural = "依赖版本"

    def __str__(self) -> str:
        return f"{self.tag}={self.version}"


class CacheEpoch(models.Model):
    """Bumped when a change could not be announced to the cache: every page cached before is void."""

    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "publish_cacheepoch"
        verbose_name = "缓存纪元"
        verbose_name_plural = "缓存纪元"

    def __str__(self) -> str:
        return str(self.value)


class ContentChange(models.Model):
    """When what readers see of an article (title, text, attribution) last changed after it was stored.

    Kept by the change path ("lastmod", newsroom.handlers) on every save that changes those
    fields; an article never changed has no row, and its last change is its publication. Sitemap
    lastmod, JSON-LD dateModified and feed <updated> read it: `updated_at` moves with every save
    (status changes, the collector's bookkeeping, the demo's load), which is not a change a
    crawler should be told about.
    """

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True,
                                   related_name="content_change")
    changed_at = models.DateTimeField()

    class Meta:
        db_table = "publish_contentchange"
        verbose_name = "内容变更"
        verbose_name_plural = "内容变更"

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"
