"""Sensitive-word screening: the automaton, highlighting, replacement, and the collector's hook."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest

from huiwen.backoffice import revisions, screening
from huiwen.backoffice.models import ArticleScreening
from huiwen.backoffice.screening import Entry, Matcher
from huiwen.collect.models import Source
from huiwen.collect.store import store
from huiwen.extract import ArticleDraft
from huiwen.newsroom.models import Article, AuditEntry
from tests import factories
from tests.newsroom.desk import collected, word

pytestmark = pytest.mark.django_db


def matcher(*entries: tuple[str, str, str]) -> Matcher:
    return Matcher(Entry(*entry) for entry in entries)


def test_finds_every_word_in_one_pass_overlaps_included():
    found = matcher(("假药", "block", ""), ("假药广告", "review", ""), ("广告", "replace", "推广"))
    words = [(hit.entry.word, hit.start, hit.end) for hit in found.find_all("街头出现假药广告。")]
    assert words == [("假药", 4, 6), ("假药广告", 4, 8), ("广告", 6, 8)]


def test_longest_match_wins_when_highlighting():
    found = matcher(("假药", "block", ""), ("假药广告", "review", ""))
    assert [hit.entry.word for hit in found.find("街头出现假药广告。")] == ["假药广告"]


def test_simplified_list_catches_traditional_text_and_latin_case():
    found = matcher(("发票代开", "block", ""), ("VPN", "review", ""))
    assert {hit.entry.word for hit in found.find_all("專營發票代開,另售vpn帳號")} == {"发票代开", "VPN"}


def test_replacement_keeps_the_rest_of_the_text():
    found = matcher(("傻瓜", "replace", ""), ("土豪", "replace", "富人"))
    assert found.replace("这个傻瓜和那位土豪") == "这个**和那位富人"


def test_empty_lists_find_nothing():
    assert list(matcher().find_all("任何文字")) == []


def test_highlight_keeps_structure_and_marks_only_text():
    html = '<p>市民举报<b>假药</b>摊点,<a href="/x">假药</a>已查封。</p><p>另有假药线索。</p>'
    marked = screening.highlight_html(html, matcher(("假药", "block", "")))
    root = lxml.html.fragment_fromstring(marked, create_parent="div")
    assert [m.text for m in root.xpath("//mark")] == ["假药", "假药", "假药"]
    assert root.xpath("//b/mark/text()") == ["假药"] and root.xpath("//a/@href") == ["/x"]
    assert root.xpath("string(//p[2])") == "另有假药线索。"
    assert root.xpath("//mark/@class") == ["sensitive sensitive-block"] * 3


def test_highlight_puts_several_marks_in_order_in_a_text_and_in_a_tail():
    mark = '<mark class="sensitive sensitive-block">假药</mark>'
    html = "<p>假药与假药</p><p>前<b>粗</b>甲假药乙假药丙</p>"
    assert screening.highlight_html(html, matcher(("假药", "block", ""))) == (
        f"<p>{mark}与{mark}</p><p>前<b>粗</b>甲{mark}乙{mark}丙</p>")


def test_every_text_field_is_screened_captions_included():
    channel = factories.channel("news")
    word("赌场", "review")
    body = ('<p>城市新闻一则。</p><figure><img src="/media/img/a.jpg" alt="新开赌场"><figcaption>江边夜景</figcaption>'
            "</figure>")
    article = factories.article(channel, "夜市开张", body=body, lede="本报讯")
    assert article.screening.level == ArticleScreening.Level.REVIEW
    assert article.screening.hits == [["赌场", "review", "captions"]]


def test_screening_is_recorded_on_every_save():
    channel = factories.channel("news")
    word("传销", "block")
    article = factories.article(channel, "社区活动")
    assert article.screening.level == "clean"
    article.lede = "警惕传销陷阱"
    article.save()
    article.refresh_from_db()
    assert article.screening.level == "block" and article.screening.words() == ["传销"]


def _source(review: bool) -> Source:
    return Source.objects.create(name="东岸晚报", kind=Source.Kind.FEED, url="https://dongan-evening.example/rss",
                                 publisher=factories.publisher("东岸晚报"), channel=factories.channel("local"),
                                 review=review, editor=factories.editor())


def _draft(text: str) -> ArticleDraft:
    paragraphs = (text, "记者走访了沿线的三个社区,居民们对改造方案看法不一。")
    # The page names its 来源 and time: a direct-publish source would hold it for review otherwise (issue 16).
    return ArticleDraft(title="旧城改造进入第二阶段", paragraphs=paragraphs,
                        body_html="".join(f"<p>{p}</p>" for p in paragraphs), authors=("陈思齐",),
                        source="东安晚报", published_at=datetime(2026, 2, 28, 9, 0, tzinfo=UTC))


def test_direct_publish_source_with_review_word_lands_pending():
    word("强拆", "review")
    stored = store(_draft("有居民反映遭遇强拆。"), _source(review=False), "https://dongan-evening.example/a/1.html",
                   datetime(2026, 3, 1, tzinfo=UTC))
    assert stored.article.status == Article.Status.PENDING
    assert stored.article.screening.words("review") == ["强拆"]


def test_direct_publish_source_clean_text_is_published_with_replacements():
    word("拆迁户", "replace", "居民")
    stored = store(_draft("拆迁户代表参加了座谈。"), _source(review=False), "https://dongan-evening.example/a/2.html",
                   datetime(2026, 3, 1, tzinfo=UTC))
    assert stored.article.status == Article.Status.PUBLISHED
    assert "居民代表参加了座谈" in stored.article.body and "拆迁户" not in stored.article.body


def test_source_update_with_new_sensitive_text_takes_article_back_to_review():
    source = _source(review=False)
    url = "https://dongan-evening.example/a/3.html"
    first = store(_draft("座谈会气氛热烈。"), source, url, datetime(2026, 3, 1, tzinfo=UTC))
    assert first.article.status == Article.Status.PUBLISHED
    word("强拆", "review")
    second = store(_draft("座谈会上有人提到强拆。"), source, url, datetime(2026, 3, 2, tzinfo=UTC))
    assert second.outcome == "updated" and second.article.status == Article.Status.PENDING
    entry = AuditEntry.objects.get(article=second.article)
    assert entry.action == AuditEntry.Action.REJECT and entry.details["words"] == ["强拆"]
    # Still recognisable as the source's own text, for the diff against the source.
    assert revisions.source_value(second.article, "body") == second.article.body


def test_queue_source_articles_are_screened_too():
    channel = factories.channel("news")
    word("高利贷", "block")
    article = collected(channel, lede="高利贷广告贴满楼道")
    assert article.screening.level == "block"


def test_collected_body_parsed_once_is_both_rewritten_and_screened_by_field():
    """Replacing and screening share one parse of the body: a replaced word is gone from the
    stored body and from the hits, a review word in a caption is found as a caption."""
    word("拆迁户", "replace", "居民")
    word("强拆", "review")
    draft = ArticleDraft(
        title="旧城改造进入第二阶段", paragraphs=("拆迁户代表参加了座谈。", "记者走访了沿线的三个社区,居民们对改造方案看法不一。"),
        body_html=('<p>拆迁户代表参加了座谈。</p><p>记者走访了沿线的三个社区,居民们对改造方案看法不一。</p><figure><img src="https://dongan-evening.example/a.jpg" alt="座谈">'
                   "<figcaption>有人提到强拆</figcaption></figure>"),
    )
    stored = store(draft, _source(review=False), "https://dongan-evening.example/a/9.html",
                   datetime(2026, 3, 1, tzinfo=UTC))
    article = stored.article
    assert article.status == Article.Status.PENDING
    assert "居民代表参加了座谈" in article.body and "拆迁户" not in article.body
    assert article.screening.hits == [["强拆", "review", "captions"]]


def test_replacing_nothing_keeps_the_body_markup_exactly():
    word("拆迁户", "replace", "居民")
    body = '<p class="x">座谈会气氛热烈。<br>记者 陈思齐</p>'
    article = Article(title="座谈会", lede="", body=body)
    assert screening.apply_replacements(article) is False
    assert article.body == body
