"""Pointing huiwen at the sample site: channels, sources, their editor, word lists, notices.

Everything is keyed by name, so running the demo again finds what the last run made: the
sources keep their history (collected URLs, validators, runs), and only their address follows
the site if it had to move to another port.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.db import transaction

from huiwen.collect.models import Source
from huiwen.demo_site import content, pages
from huiwen.newsroom.models import Article, Channel, Publisher

# The demo's sensitive-word lists: each word occurs in one sample article (see content.py).
SENSITIVE_WORDS = (
    ("代开发票", "block", "", "虚开发票广告"),
    ("偏方", "review", "", "医疗健康类说法需核实"),
    ("内幕消息", "review", "", "未经证实的消息"),
    ("加微信", "replace", "联系我们", "站外引流"),
)


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: str
    path: str
    channel: tuple[tuple[str, str], ...]  # (slug, name) from the root down
    review: bool


SOURCES = (
    # Direct publication: the RSS feed's articles go live at once under the editor's name,
    # unless screening holds one back.
    SourceSpec("云溪新闻网·城市(RSS)", Source.Kind.FEED, pages.FEED_PATH, (("local", "地方"), ("cities", "城市")),
               review=False),
    SourceSpec("云溪新闻网·经济(网站地图)", Source.Kind.SITEMAP, pages.SITEMAP_PATH,
               (("finance", "财经"), ("industry", "产业")), review=True),
    SourceSpec("云溪新闻网·文化(列表页)", Source.Kind.LISTPAGE, pages.LIST_PATH,
               (("culture", "文化"), ("arts", "文艺")), review=True),
)


def known_port() -> int | None:
    """The port the sample site had when the demo last ran, so its URLs stay the same."""
    source = Source.objects.filter(name=SOURCES[0].name).first()
    return urlsplit(source.url).port if source is not None else None


def _channel(levels: tuple[tuple[str, str], ...]) -> Channel:
    parent: Channel | None = None
    for slug, name in levels:
        path = f"{parent.path}/{slug}" if parent else slug
        found = Channel.objects.filter(path=path).first()
        if found is None:
            found = Channel(slug=slug, name=name, parent=parent, position=99)
            found.full_clean()
            found.save()
        parent = found
    assert parent is not None
    return parent


@transaction.atomic
def register(base: str, editor: User) -> list[Source]:
    """The sample site's sources (created, or moved to `base`), all responsible to `editor`."""
    publisher, _ = Publisher.objects.get_or_create(name=content.SITE_NAME, defaults={"url": base + "/"})
    sources = []
    for spec in SOURCES:
        url = base + spec.path
        source = Source.objects.filter(name=spec.name).first() or Source(name=spec.name)
        source.kind, source.url, source.publisher, source.channel = spec.kind, url, publisher, _channel(spec.channel)
        source.review, source.editor, source.allow_private = spec.review, editor, True
        # Our own site on loopback: no need to pace requests as for someone else's server.
        source.host_interval, source.max_items, source.max_pages = 0.05, 50, 5
        source.full_clean()
        source.save()
        sources.append(source)
    return sources


def add_sensitive_words() -> int:
    from huiwen.backoffice.models import SensitiveWord

    added = 0
    for word, kind, replacement, note in SENSITIVE_WORDS:
        _, created = SensitiveWord.objects.get_or_create(
            word=word, defaults={"kind": kind, "replacement": replacement, "note": note})
        added += created
    return added


# Two takedown cases, by the rights holders of two collected works (fictional papers).
NOTICES = (
    # (article, claimant, e-mail, what the compliance officer did, the provider's counter-notice)
    # A work the site carries twice (the reprint in 文化 is the same text): the officer's
    # withdrawal reaches both copies.
    ("qingshi-street", "云溪日报社", "rights@yunxi-daily.example", "withdraw", None),
    # Withdrawn, then answered by the provider with a counter-notice: waiting for its restore date.
    ("old-photos", "云溪晚报社", "rights@yunxi-evening.example", "withdraw",
     "该文系本网站与云溪晚报交换稿件所得,已获转载授权,附双方稿件交换协议。"),
    # A first notice from a claimant not seen before: it waits on the notice desk for the officer.
    ("bridge-repair", "云溪广播电视台", "rights@yunxi-tv.example", "", None),
)
OFFICER_REASON = "已核对权利人提交的版面截图与采访记录,权属清楚,删除所涉文章及全部转载副本。"


def file_sample_notices(site_base: str, officer: User) -> int:
    """The takedown cases above, once (by claimant), through the real procedure
    (takedown.service): a first-time claimant's notice waits for the compliance officer, who
    withdraws two of them here in the demo's name, so the notice desk, the transparency report
    and the withdrawn pages all have something true to show."""
    from huiwen.takedown import service
    from huiwen.takedown.models import CounterNotice, Notice

    filed = 0
    for slug, claimant, email, decision, answer in NOTICES:
        article = content.by_slug(slug)
        found = Article.objects.filter(title=article.headline, source_url__startswith=site_base + "/").first()
        if found is None or Notice.objects.filter(claimant_name=claimant).exists():
            continue
        notice = Notice(
            claimant_name=claimant, email=email, address="云溪市青石街 18 号", works=f"《{article.headline}》",
            urls=found.source_url or "", original_location=found.source_url or "",
            evidence_text="该文为本单位记者采写,首发于本单位媒体,附版面截图与采访记录。", good_faith=True,
            accuracy=True,
        )
        notice.save()
        service.receive(notice)
        if decision == "withdraw" and notice.status == Notice.Status.RECEIVED:
            service.withdraw(notice, officer, OFFICER_REASON)
        if answer:
            counter = CounterNotice.objects.create(
                notice=notice, name=content.SITE_NAME, email="editor@yunxi-news.example", address="云溪市枫港路 6 号",
                statement=answer, good_faith=True,
            )
            service.counter(notice, counter)
        filed += 1
    return filed
