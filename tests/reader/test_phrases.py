"""The editors' phrase list: applied before OpenCC on pages, feeds and published files, folded back by
search, edited on the desk; a change reaches the cached and published pages it touches, and only those."""

from __future__ import annotations

import feedparser
import pytest

from huiwen.publish.static import publish
from huiwen.reader.models import TraditionalPhrase
from tests import factories
from tests.newsroom.desk import user
from tests.reader.pages import html

pytestmark = pytest.mark.django_db
CONFERENCE = "世界互联网大会在乌镇开幕"


@pytest.fixture
def city():
    return factories.channel("city", "国内新闻", parent=factories.channel("news", "新闻频道"))


def _title(client, path: str) -> str:
    return html(client.get(path)).xpath("string(//h1)")


def test_phrase_corrects_what_opencc_gets_wrong(client, city):
    article = factories.article(city, CONFERENCE)
    path = f"/zh-hant{article.get_absolute_url()}"
    assert _title(client, path) == "世界網際網路大會在烏鎮開幕"  # s2twp's reading: not the official name
    TraditionalPhrase.objects.create(simplified="世界互联网大会", traditional="世界互聯網大會")
    assert _title(client, path) == "世界互聯網大會在烏鎮開幕"  # the phrase, the rest still converted
    assert _title(client, article.get_absolute_url()) == CONFERENCE  # Simplified untouched


def test_a_change_reaches_cached_pages_it_touches_and_only_those(client, city):
    touched = factories.article(city, CONFERENCE)
    sports = factories.channel("sports", "体育")
    factories.article(sports, "乡村学校的篮球赛")
    pages = {f"/zh-hant{touched.get_absolute_url()}", "/zh-hant/sports/", "/zh-hant/", "/zh-hant/feed/rss.xml"}
    for path in pages:
        client.get(path)
    assert all(client.get(path)["X-Huiwen-Cache"] == "hit" for path in pages)
    TraditionalPhrase.objects.create(simplified="世界互联网大会", traditional="世界互聯網大會")
    assert client.get("/zh-hant/sports/")["X-Huiwen-Cache"] == "hit"  # a list that does not show it: kept
    refreshed = client.get(f"/zh-hant{touched.get_absolute_url()}")
    assert refreshed["X-Huiwen-Cache"] == "miss" and "世界互聯網大會" in refreshed.content.decode()
    assert "世界互聯網大會" in html(client.get("/zh-hant/")).text_content()  # the list shows it too
    feed = feedparser.parse(client.get("/zh-hant/feed/rss.xml").content)
    assert CONFERENCE not in [e.title for e in feed.entries]
    assert "世界互聯網大會在烏鎮開幕" in [e.title for e in feed.entries]


def test_published_files_follow_a_change(city, tmp_path, settings):
    settings.HUIWEN = {**settings.HUIWEN, "SITE_URL": "http://testserver"}
    touched = factories.article(city, CONFERENCE)
    factories.article(factories.channel("sports", "体育"), "乡村学校的篮球赛")
    root = tmp_path / "site"
    publish(root, full=True)
    touched_file, other_file = root / f"zh-hant/a/{touched.pk}.html", root / "zh-hant/sports/index.html"
    assert "世界網際網路大會" in touched_file.read_text()
    TraditionalPhrase.objects.create(simplified="世界互联网大会", traditional="世界互聯網大會")
    assert not touched_file.exists() and other_file.exists()  # gone at once: nginx falls back to the app
    report = publish(root)
    assert "世界互聯網大會" in touched_file.read_text()
    assert "zh-hant/sports/index.html" not in report.touched


def test_a_phrase_in_the_site_wording_refreshes_every_traditional_page(client, city):
    article = factories.article(city, "乡村学校用上优质软件")
    path = f"/zh-hant{article.get_absolute_url()}"
    client.get(path)
    assert client.get(path)["X-Huiwen-Cache"] == "hit"
    TraditionalPhrase.objects.create(simplified="侵权通知", traditional="侵權通報")  # in every page's footer
    footer = html(client.get(path)).xpath("string(//footer[contains(@class,'site-footer')])")
    assert "侵權通報" in footer


def test_search_folds_the_traditional_form_back(client, city):
    article = factories.article(city, "数字经济规模继续扩大", body="<p>数字经济在各地快速发展。</p>")
    TraditionalPhrase.objects.create(simplified="数字经济", traditional="數位經濟")
    assert "數位經濟" in _title(client, f"/zh-hant{article.get_absolute_url()}")
    results = html(client.get("/zh-hant/search", {"q": "數位經濟"}))
    assert f"/zh-hant{article.get_absolute_url()}" in results.xpath("//a/@href")


def test_the_desk_page(client, city):
    factories.article(city, CONFERENCE)
    chief, editor = user("zhubian", "chief"), user("bianji", "editor")
    client.force_login(editor)
    page = html(client.get("/newsroom/phrases/"))
    assert page.xpath("//h1/text()") == ["繁体词语表"] and not page.xpath("//section//form[@method='post']")
    client.post("/newsroom/phrases/", {"simplified": "世界互联网大会", "traditional": "世界互聯網大會"})
    assert not TraditionalPhrase.objects.exists()  # an editor may look, not change
    client.force_login(chief)
    response = client.post("/newsroom/phrases/", {"simplified": " 世界互联网大会 ", "traditional": "世界互聯網大會",
                                                  "note": "官方名称"}, follow=True)
    assert response.status_code == 200
    phrase = TraditionalPhrase.objects.get()
    assert (phrase.simplified, phrase.updated_by) == ("世界互联网大会", chief)
    tried = html(client.get("/newsroom/phrases/", {"try": CONFERENCE}))
    assert "世界互聯網大會在烏鎮開幕" in tried.text_content()
    client.post(f"/newsroom/phrases/{phrase.pk}/delete/")
    assert not TraditionalPhrase.objects.exists()
    assert TraditionalPhrase.history.count() == 2  # added, deleted: who and when, kept


def _converted_whole(page: str) -> str:
    """The page converted as one text (no line memo): what the line-by-line conversion must equal."""
    from huiwen.reader import phrases, traditional

    parts = traditional._KEEP.split(page.encode())
    for index in range(0, len(parts), 2):
        parts[index] = traditional._convert_text(parts[index].decode(), phrases.table()).encode()
    return traditional._LANG.sub(rb"\1zh-Hant\2", b"".join(parts), count=1).decode()


def test_pages_converted_line_by_line_read_as_converted_whole(client, city, settings):
    from huiwen.reader import traditional

    # Phrases OpenCC knows across many words, the editors' list, a line break inside a paragraph.
    TraditionalPhrase.objects.create(simplified="数字经济", traditional="數位經濟")
    articles = [factories.article(city, f"数字经济与网络软件产业第{n}次座谈会召开",
                                  body=f"<p>与会代表认为，互联网\n信息服务和数字经济发展迅速。</p><p>第{n}段：乌镇。</p>")
                for n in range(12)]
    settings.TRADITIONAL_MEMO_CHARS = 3_000  # small: the memo starts over often
    for round_ in range(2):  # the first round fills the memo, the second reads from it
        for path in ["/", "/news/", "/search?q=软件", *(a.get_absolute_url() for a in articles)]:
            page = client.get(path).content.decode()
            assert traditional.convert_page(page) == _converted_whole(page), (round_, path)
            assert traditional._line_memo is not None and traditional._line_memo.size <= 3_000


def test_the_lines_a_page_brings_new_are_converted_in_one_call(client, city, settings, monkeypatch):
    """A list page's titles and excerpts are new lines: they go to OpenCC together, not one call
    each (70 calls a list page at a million articles), and read as converted whole."""
    from huiwen.reader import traditional

    for n in range(8):
        factories.article(city, f"网络软件产业第{n}次座谈会召开", body=f"<p>第{n}段：互联网信息服务。</p>")
    settings.TRADITIONAL_MEMO_CHARS = 100_000
    page = client.get("/news/").content.decode()
    traditional.convert_page(page.replace("座谈会", "研讨会"))  # the chrome known, the titles not
    calls = []

    def counted(text: str) -> str:  # OpenCC itself, each call seen
        calls.append(text)
        return original(text)

    original = traditional._opencc
    monkeypatch.setattr(traditional, "_opencc", counted)
    assert traditional.convert_page(page) == _converted_whole(page)
    # One call per part of the page between its keep-Simplified markers (the script switch).
    assert len(calls) <= 3 and sum(text.count("座谈会") for text in calls) >= 8, calls


def test_a_line_longer_than_the_bound_is_converted_not_kept(settings):
    from huiwen.reader import traditional

    settings.TRADITIONAL_MEMO_CHARS = 50
    long_line = "<p>" + "软件" * 40 + "</p>"
    assert traditional.convert_page(f"{long_line}\n<p>软件</p>") == f"<p>{'軟體' * 40}</p>\n<p>軟體</p>"
    assert traditional._line_memo is not None and list(traditional._line_memo) == ["<p>软件</p>".encode()]
    assert traditional._line_memo.size <= 50


def test_a_phrase_holding_a_line_break_is_found_whole(city):
    from huiwen.reader import phrases, traditional

    TraditionalPhrase.objects.create(simplified="汇闻\n快讯", traditional="匯聞\n快報")
    phrases.forget()
    assert traditional.convert_page("<p>汇闻\n快讯：软件</p>") == "<p>匯聞\n快報：軟體</p>"


def test_with_the_memo_off_every_page_is_converted_whole(client, city, settings):
    from huiwen.reader import traditional

    settings.TRADITIONAL_MEMO_CHARS = 0
    article = factories.article(city, "数字经济与网络软件", body="<p>互联网\n信息服务。</p>")
    page = client.get(article.get_absolute_url()).content.decode()
    assert traditional.convert_page(page) == _converted_whole(page)
    assert traditional._line_memo is not None and not traditional._line_memo


def test_a_traditional_page_reads_the_tag_store_once(client, city, settings):
    """The phrase list's version and the navigation's come from one read (newsroom.tags.read_once)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": False}
    path = factories.article(city, CONFERENCE).get_absolute_url()
    client.get(f"/zh-hant{path}")
    for edition in (path, f"/zh-hant{path}"):
        with CaptureQueriesContext(connection) as read:
            assert client.get(edition).status_code == 200
        tag_reads = [query["sql"] for query in read.captured_queries if "publish_tagversion" in query["sql"]]
        assert len(tag_reads) == 1, tag_reads


def test_versions_read_once_hold_for_the_block_only(city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from huiwen.newsroom import tags

    before = tags.versions(["nav", "phrases", "list:all"])
    with tags.read_once(["phrases", "nav"]):
        with CaptureQueriesContext(connection) as read:
            assert tags.versions(["nav"]) == {"nav": before["nav"]}
            assert tags.versions(["phrases"]) == {"phrases": before["phrases"]}  # from the same read
        assert len(read.captured_queries) == 1
        tags._store().bump({"nav"})  # another process's change, after this request's read
        assert tags.versions(["nav"]) == {"nav": before["nav"]}  # what the block read
        assert tags.versions(["list:all", "nav"])["list:all"] >= before["list:all"]  # others read as ever
        factories.channel("culture", "文化")  # this request's own change of the navigation
        assert tags.versions(["nav"])["nav"] > before["nav"]  # seen at once
    assert tags.versions(["nav"])["nav"] > before["nav"]


def test_titles_converted_together_equal_each_converted_alone():
    """Edition.texts converts a sitemap's titles in one pass, joined by line breaks: it must give what
    converting each alone gives, phrase list included, and go one by one where a break would join."""
    from huiwen.reader.editions import SIMPLIFIED, TRADITIONAL

    TraditionalPhrase.objects.create(simplified="世界互联网大会", traditional="世界互聯網大會")
    titles = [CONFERENCE, "数字经济发展报告发布", "", "软件与网络的后来", "世界互联网", "大会闭幕"]
    alone = [TRADITIONAL.text(title) for title in titles]
    assert TRADITIONAL.texts(titles) == alone
    assert alone[0] == "世界互聯網大會在烏鎮開幕" and alone[1] != titles[1]
    assert TRADITIONAL.texts(["两行\n标题", *titles]) == [TRADITIONAL.text("两行\n标题"), *alone]
    TraditionalPhrase.objects.create(simplified="世界互联网\n大会", traditional="跨行短语")  # would join two titles
    assert TRADITIONAL.texts(titles) == [TRADITIONAL.text(title) for title in titles]
    assert TRADITIONAL.texts(titles)[4:] != ["跨行短语", ""]
    assert SIMPLIFIED.texts(titles) == titles and TRADITIONAL.texts([]) == []
