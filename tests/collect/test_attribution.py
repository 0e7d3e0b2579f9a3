"""Issue 16 through the collector: the 来源 and time a page gives (or does not), the desk's
来源待确认 mark, direct-publish sources holding unsure articles back, and re-extraction that
records its changes and leaves an editor's hand edits alone.  Pages are served over loopback
and written for these tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from huiwen.collect.models import Attribution
from huiwen.collect.reextract import REASON, hand_edited, reextract
from huiwen.newsroom.models import Article
from tests.newsroom.desk import user
from tests.reader.pages import html, text

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
PARAGRAPHS = (
    "环城绿道最后一段本周贯通，市民可以沿着河岸从城东一路骑行到城西，全程约三十公里。",
    "绿道沿线新设了八处驿站，提供饮水、休息座椅和简易修车工具，节假日还有志愿者值守。",
    "附近居民说，以前骑车要绕到主路上和汽车抢道，现在安全多了，周末带孩子出来也放心。",
)


def page(meta_line: str, *, title: str = "环城绿道全线贯通 骑行一圈约三十公里", tail: str = "") -> str:
    """A page in the shape of a portal article: headline, a meta line, the text, an editor line."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_测试城市网</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/city/">城市</a> <a href="/life/">生活</a></div>
<h1>{title}</h1><div class="info">{meta_line}</div>
<div class="article">{body}<p class="editor">责任编辑：孔令思</p></div>{tail}
<div class="footer">测试城市网版权所有</div></body></html>"""


def serve(site, path: str, html_text: str) -> str:
    site.page(path, html_text.encode("utf-8"), "text/html; charset=utf-8")
    return site.url(path)


def test_outlet_in_the_meta_line_is_the_publisher(site, make_source, run_collector):
    url = serve(site, "/a/1.html", page('<span class="time">2024-05-06 10:20</span> <a class="source" '
                                        'href="http://elsewhere.example/">江城晨报</a>'))
    run_collector(make_source("url", url))
    article = Article.objects.get(source_url=url)
    assert article.publisher.name == "江城晨报"
    assert article.published_at == datetime(2024, 5, 6, 10, 20, tzinfo=SHANGHAI)
    assert article.source_editor == "孔令思"
    assert article.status == Article.Status.PUBLISHED  # the test source publishes directly
    mark = Attribution.objects.get(article=article)
    assert not mark.needs_check
    assert mark.provenance["source"]["method"] == "meta line"
    assert mark.provenance["published_at"]["method"] == "meta line"


def test_fallbacks_are_marked_and_held_for_review(site, make_source, run_collector):
    url = serve(site, "/a/2.html", page('<a href="/share">分享</a>'))
    source = make_source("url", url)  # review=False: a direct-publish source
    run_collector(source)
    article = Article.objects.get(source_url=url)
    assert article.publisher == source.publisher  # the page named no outlet
    assert article.status == Article.Status.PENDING  # so it waits for the desk instead of going out
    mark = Attribution.objects.get(article=article)
    assert mark.source_fallback and mark.time_fallback
    assert "source" not in mark.provenance


def test_review_queue_shows_and_filters_unsure_articles(site, make_source, run_collector, client):
    sure = serve(site, "/a/3.html", page("2024-05-07 08:00 来源：江城晨报", title="老街口新开一家社区书店"))
    unsure = serve(site, "/a/4.html", page("", title="河滨公园增设夜间照明"))
    for url in (sure, unsure):
        run_collector(make_source("url", url, review=True))
    client.force_login(user("chief1", "chief"))
    queue = reverse("backoffice:queue")
    rows = html(client.get(queue)).xpath("//table[@class='queue']//tr[td]")
    flags = {text(r.xpath(".//td[@class='title']/a")[0]): [text(s) for s in r.xpath(".//span[@class]")]
             for r in rows}
    assert "来源待确认" in flags["河滨公园增设夜间照明"] and "时间待确认" in flags["河滨公园增设夜间照明"]
    assert not {"来源待确认", "时间待确认"} & set(flags["老街口新开一家社区书店"])
    filtered = html(client.get(queue, {"unsure": "1"})).xpath("//table[@class='queue']//td[@class='title']/a")
    assert [text(a) for a in filtered] == ["河滨公园增设夜间照明"]


def test_an_editor_setting_the_publisher_confirms_it(site, make_source, run_collector):
    url = serve(site, "/a/5.html", page("2024-05-08 09:00"))
    run_collector(make_source("url", url))
    article = Article.objects.get(source_url=url)
    assert Attribution.objects.get(article=article).source_fallback
    article.publisher = type(article.publisher).objects.create(name="江城晨报")
    article._history_user = user("editor1", "chief")  # as the desk saves
    article.save()
    assert not Attribution.objects.get(article=article).source_fallback


def test_reextract_applies_better_fields_as_revisions_but_not_over_hand_edits(site, make_source, run_collector):
    # The outlet stands where no method reads it: the first extraction falls back.
    url = serve(site, "/a/6.html", page("2024-05-09 07:30", tail='<div class="partner">合作媒体 <b>江城晨报</b></div>'))
    source = make_source("url", url, review=True)
    run_collector(source)
    article = Article.objects.get(source_url=url)
    assert article.publisher == source.publisher
    assert Attribution.objects.get(article=article).source_fallback
    # An editor rewrites the headline by hand.
    article.title = "环城绿道贯通(编辑改写的标题)"
    article._history_user = user("editor2", "chief")
    article.save()
    assert hand_edited(article) == {"title"}
    revisions = article.history.count()

    assert reextract(source) == {"unchanged": 1}  # the same extractor: nothing to apply
    # The source's selectors change what extraction reads (another headline, the 来源), as a
    # better extractor would; only the archive is read, nothing is fetched.
    source.selectors = {"title": "div.footer", "source": "div.partner b"}
    source.save()
    site.routes.clear()
    assert reextract(source) == {"updated": 1}
    article.refresh_from_db()
    assert article.title == "环城绿道贯通(编辑改写的标题)"  # the hand edit stays
    assert article.original_title == "测试城市网版权所有"  # the extracted headline is recorded
    assert article.publisher.name == "江城晨报"
    assert not Attribution.objects.get(article=article).source_fallback
    assert article.history.count() == revisions + 1  # one revision for the whole change
    latest = article.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == REASON and latest.history_user_id is None
    assert reextract(source) == {"unchanged": 1}  # applied once
