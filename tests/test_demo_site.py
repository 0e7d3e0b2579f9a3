"""The demo runs the main job: a sample source site on loopback, collected through the real pipeline.

The pages, the conditional server and the collection are tested in process; then the whole
`huiwen demo` in its own process, through its real server (gunicorn over a socket) with its
progress bars on a terminal, the sample page with stored-XSS snippets read in Chromium (the
reprint with hostile markup, the whole way: site, collector, direct publication under the
source's editor, gunicorn, browser), and `huiwen collect --all` run again by hand beside it.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
import time
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import lxml.html
import pytest

from huiwen.collect.management.commands.collect import collect_with_progress
from huiwen.collect.models import PolledDocument
from huiwen.demo_site import content, pages, setup
from huiwen.demo_site.server import SampleSite
from huiwen.demo_site.status import collected
from huiwen.desk import dashboard
from huiwen.extract import extract
from huiwen.newsroom.models import Article
from huiwen.takedown.models import Notice
from tests import factories
from tests.deploy.conftest import free_port

ANCHOR = datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
HUIWEN = [sys.executable, "-m", "huiwen"]


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# -- the site itself ----------------------------------------------------------------------------

def test_every_sample_article_is_read_whole_in_its_own_encoding():
    documents = pages.site("http://127.0.0.1:9", ANCHOR)
    encodings = set()
    for article in content.ARTICLES:
        path = pages.path_of(article, ANCHOR)
        document = documents[path]
        draft = extract(document.body, "http://127.0.0.1:9" + path, {"Content-Type": document.content_type})
        encodings.add(draft.encoding)
        assert draft.title == article.headline
        assert [p for p in draft.paragraphs if p in article.paragraphs] == list(article.paragraphs), article.slug
        assert draft.published_at == pages.published(article, ANCHOR)
        assert draft.source == article.source, article.slug
        assert (draft.editor or "") == article.editor, article.slug
        if article.hostile:  # every snippet gone, every paragraph kept in order, the inline markup too
            assert "alert" not in draft.body_html and "onerror" not in draft.body_html
            assert list(draft.paragraphs) == _expected_paragraphs(article)
            body = lxml.html.fragment_fromstring(draft.body_html, create_parent="div")
            assert [len(body.xpath(f"//{tag}")) for tag in ("strong", "em", "a")] == [1, 1, 1]
    assert {"utf-8", "gb18030", "big5hkscs"} <= encodings


def _expected_paragraphs(article: content.SampleArticle) -> list[str]:
    """What a reader must see of a hostile sample page: its paragraphs, the inline one second."""
    paragraphs = list(article.paragraphs)
    if article.inline:
        paragraphs.insert(1, lxml.html.fragment_fromstring(article.inline, create_parent="p").text_content())
    return paragraphs


def test_the_site_answers_conditional_requests_with_304():
    with SampleSite(anchor=ANCHOR) as site:
        status, headers, body = _get(site.url(pages.FEED_PATH))
        assert status == 200 and b"<rss" in body
        assert _get(site.url(pages.FEED_PATH), **{"If-None-Match": headers["ETag"]})[0] == 304
        assert _get(site.url(pages.FEED_PATH), **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert _get(site.url(pages.FEED_PATH), **{"If-None-Match": '"other"'})[0] == 200
        assert _get(site.url("/no/such/page.html"))[0] == 404
        assert site.not_modified_count() == 2


# -- collected through the real pipeline ----------------------------------------------------------

@pytest.mark.django_db
def test_collecting_the_sample_site_fills_the_queue_the_dashboard_and_the_report(settings, tmp_path):
    settings.COLLECT = {**settings.COLLECT, "ARCHIVE_DIR": tmp_path / "archive", "BACKOFF": 0.01}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TAKEDOWN = {**settings.TAKEDOWN, "PRIVATE_DIR": tmp_path / "private"}
    editor = factories.editor("陈晓舟", username="demo")
    with SampleSite() as site:
        sources = setup.register(site.base, editor)
        setup.add_sensitive_words()
        runs = collect_with_progress(sources, open(os.devnull, "w"), show=False)  # noqa: SIM115
        assert all(run.ok for run in runs)
        assert setup.file_sample_notices(site.base, editor) == 3
        assert setup.file_sample_notices(site.base, editor) == 0

        figures = collected(site.base)
        assert figures.published >= 3  # the feed's clean articles, signed by the demo's editor
        assert figures.screened == 3  # 偏方 (held back from direct publication), 代开发票, 内幕消息
        assert figures.unsure >= 2  # pages that do not state their 来源
        assert figures.withdrawn == 3  # two notices withdrawn; the first reaches the reprint in 文化 too
        assert figures.notices_waiting == 1  # a first-time claimant's notice waits for the officer
        bridge = Article.objects.get(title=content.by_slug("bridge-repair").headline)
        assert bridge.status == Article.Status.PUBLISHED  # nothing is withdrawn before the officer decides
        published = Article.objects.filter(source_url__startswith=site.base, status=Article.Status.PUBLISHED)
        assert {a.editor for a in published} == {"陈晓舟"}
        photos = Article.objects.get(title=content.by_slug("old-photos").headline)
        assert "加微信" not in photos.body and "联系我们" in photos.body  # replaced on the way in
        hostile = Article.objects.get(title=content.by_slug("library-hours").headline)
        assert "alert" not in hostile.body and hostile.body.count("<p>") == 5
        assert hostile.status == Article.Status.PUBLISHED  # the browser test below reads it
        street = Article.objects.get(title=content.by_slug("qingshi-street").headline)
        assert street.story.articles.count() == 2  # the reprint in 文化 joined its story

        health = {row.source.name: row for row in dashboard.health()}
        for spec in setup.SOURCES:
            row = health[spec.name]
            assert row.total_articles >= 6 and row.chart is not None and row.fetch.requests > 0
        assert health[setup.SOURCES[2].name].total_extraction_failures == 1  # the list links a gallery
        assert Notice.objects.filter(status=Notice.Status.COUNTER_NOTICED).count() == 1

        again = collect_with_progress(sources, open(os.devnull, "w"), show=False)  # noqa: SIM115
        assert [run.new for run in again] == [0, 0, 0]
        assert sum(run.not_modified for run in again) == PolledDocument.objects.count() == 5
        assert all(run.ok and run.not_modified == run.requests for run in again)


# -- the whole demo, as a newcomer starts it --------------------------------------------------------

@pytest.fixture
def demo_env(tmp_path):
    env = {**os.environ, "HUIWEN_DATA_DIR": str(tmp_path / "data"), "HUIWEN_LOG_LEVEL": "ERROR",
           "HUIWEN_ICP_BEIAN": "云ICP备20261234号-1", "HUIWEN_ALLOWED_HOSTS": "127.0.0.1"}
    env.pop("HUIWEN_DATABASE_URL", None)  # the embedded default, as `make demo` runs it
    return env


@pytest.mark.browser
@pytest.mark.skipif(bool(os.environ.get("HUIWEN_DATABASE_URL")),
                    reason="runs once, in the SQLite pass (the demo builds its own SQLite installation)")
def test_make_demo_runs_the_main_job_and_serves_it_through_gunicorn(demo_env, page, artifacts):
    port, site_port = free_port(), free_port()
    terminal, bars = pty.openpty()  # progress bars are drawn on a terminal, as in `make demo`
    fcntl.ioctl(bars, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # a terminal has a width
    demo = subprocess.Popen([*HUIWEN, "demo", "--addr", f"127.0.0.1:{port}", "--site-port", str(site_port),
                             "--workers", "1"], env=demo_env, stdout=subprocess.PIPE, stderr=bars, text=True)
    os.close(bars)
    drawn: list[bytes] = []
    threading.Thread(target=_drain, args=(terminal, drawn), daemon=True).start()
    printed: list[str] = []
    try:
        password = _wait_for_start(demo, printed)
        assert re.search(r"正在采集", "".join(printed))
        bar_text = b"".join(drawn).decode("utf-8", "replace")
        for spec in setup.SOURCES:  # one bar per source, counting its articles
            assert re.search(re.escape(spec.name[:30]) + r":\s+\d+%\|.*\| \d+/\d+ \[", bar_text), bar_text[-800:]
        base = f"http://127.0.0.1:{port}"
        _portal_shows_the_collected_articles(base)
        _desk_shows_the_queue_and_the_dashboard(base, password)
        _hostile_reprint_runs_nothing_and_keeps_its_text(base, page, artifacts)
        status, _, body = _get(base + "/transparency/")
        assert status == 200 and "共收到通知 3 件" in " ".join(lxml.html.fromstring(body).text_content().split())

        # The newcomer runs the collector again, beside the running demo: nothing new, only 304s.
        again = subprocess.run([*HUIWEN, "collect", "--all", "--no-progress"], env=demo_env, capture_output=True,
                               text=True, timeout=180)
        assert again.returncode == 0, again.stderr
        rows = [line.split() for line in again.stdout.splitlines() if line.startswith("云溪新闻网")]
        assert len(rows) == 3 and all(row[3] == "0" for row in rows)  # 新增
        # Every feed, sitemap and list page answered 304 (the gallery with no article is not asked again).
        assert "条件请求:5 次请求中 5 次回答 304" in again.stdout, again.stdout
    finally:
        demo.terminate()
        demo.wait(timeout=30)
        os.close(terminal)
    with pytest.raises(OSError):
        _get(f"http://127.0.0.1:{site_port}/")  # the sample site stopped with the demo


def _drain(fd: int, into: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return
        if not chunk:
            return
        into.append(chunk)


def _wait_for_start(demo: subprocess.Popen[str], printed: list[str]) -> str:
    deadline = time.monotonic() + 300
    assert demo.stdout is not None
    while time.monotonic() < deadline:
        line = demo.stdout.readline()
        assert line or demo.poll() is None, "".join(printed)
        printed.append(line)
        found = re.search(r"用户名 demo  密码 (\S+)", line)
        if found:
            return found.group(1)
    raise AssertionError("the demo did not start: " + "".join(printed))


def _wait(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            _get(url)
            return
        except OSError:
            assert time.monotonic() < deadline, url
            time.sleep(0.2)


def _portal_shows_the_collected_articles(base: str) -> None:
    _wait(base + "/")
    home = lxml.html.fromstring(_get(base + "/")[2])
    titles = {" ".join(a.text_content().split()): a.get("href") for a in home.xpath("//a[starts-with(@href,'/a/')]")}
    path = titles[content.by_slug("night-bus").headline]  # from the sample feed, published directly
    for prefix, editor_label, name in (("", "责任编辑", "陈晓舟"), ("/zh-hant", "責任編輯", "陳曉舟")):
        page = lxml.html.fromstring(_get(base + prefix + path)[2])
        names = {" ".join(div.xpath("string(dt)").split()): " ".join(div.xpath("string(dd)").split())
                 for div in page.xpath("//footer[@class='attribution']//dl/div")}
        assert names[editor_label] == name
        assert page.xpath("string(//p[@class='licences']/a[@class='icp'])") == "云ICP备20261234号-1"


def _desk_shows_the_queue_and_the_dashboard(base: str, password: str) -> None:
    with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as desk:
        login = desk.get("/newsroom/login/")
        token = lxml.html.fromstring(login.text).xpath("string(//input[@name='csrfmiddlewaretoken']/@value)")
        answer = desk.post("/newsroom/login/", data={"username": "demo", "password": password,
                                                     "csrfmiddlewaretoken": token})
        assert answer.status_code == 200 and "/login/" not in str(answer.url)
        queue = lxml.html.fromstring(desk.get("/newsroom/").text)
        queue_text = " ".join(queue.text_content().split())
        for title in ("社区卫生服务中心提醒:关节疼痛莫信偏方", "税务部门清理街头小广告 提醒企业依法取得发票"):
            assert title in queue_text  # pending, held back by the screening
        flagged = lxml.html.fromstring(desk.get("/newsroom/?flag=sensitive").text)
        assert " ".join(flagged.text_content().split()).count("云溪") >= 1
        unsure = lxml.html.fromstring(desk.get("/newsroom/?unsure=1").text)
        assert content.by_slug("riverside-lights").headline in " ".join(unsure.text_content().split())
        waiting = " ".join(lxml.html.fromstring(desk.get("/newsroom/notices/").text).text_content().split())
        assert "云溪广播电视台" in waiting and "云溪日报社" not in waiting  # the officer's desk: one left to decide
        board = lxml.html.fromstring(desk.get("/newsroom/sources/").text)
        cards = {card.get("aria-label"): card for card in board.xpath("//section[contains(@class,'source-card')]")}
        for spec in setup.SOURCES:
            card = cards[spec.name]
            assert card.xpath(".//*[local-name()='svg']"), spec.name
            assert int(card.xpath("string(.//dd[@class='n-articles'])")) >= 6


def _ran(page) -> list[str]:
    """Every alert() a payload manages to call, from now on."""
    ran: list[str] = []

    def dismiss(dialog) -> None:
        ran.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return ran


def _hostile_reprint_runs_nothing_and_keeps_its_text(base: str, page, artifacts) -> None:
    """The sample page whose paragraphs are interleaved with snippets of every stored-XSS family,
    as the demo published it: no snippet runs in Chromium (both editions), every paragraph is
    there in order with its strong/em/link, 责任编辑 on the page and in JSON-LD; and the stored
    body alone, in a bare page without the site's Content-Security-Policy, runs nothing either."""
    article = content.by_slug("library-hours")
    expected = _expected_paragraphs(article)
    listed = json.loads(_get(base + "/api/v1/articles?channel=local/cities&limit=50")[2])["items"]
    [found] = [item for item in listed if item["title"] == article.headline]
    detail = json.loads(_get(f"{base}/api/v1/articles/{found['id']}")[2])
    assert (detail["editor"], detail["source_editor"]) == ("陈晓舟", article.editor)
    for prefix in ("", "/zh-hant"):
        ran = _ran(page)
        page.goto(f"{base}{prefix}/a/{found['id']}.html")
        page.wait_for_load_state("networkidle")
        page.mouse.move(200, 300)  # an onmouseover payload would fire now
        body = page.locator(".article-body")
        paragraphs = [" ".join(text.split()) for text in body.locator("p").all_inner_texts()]
        assert paragraphs == expected if not prefix else len(paragraphs) == len(expected)
        assert body.locator("strong").count() == 1 and body.locator("em").count() == 1
        link = body.locator("a")
        assert link.count() == 1 and set((link.get_attribute("rel") or "").split()) == {"nofollow", "noopener"}
        assert page.locator("script:not([type='application/ld+json'])").count() == 0
        assert ran == [], f"payloads ran: {ran}"
        tree = lxml.html.fromstring(page.content())
        graph = [json.loads(s.text) for s in tree.xpath("//script[@type='application/ld+json']")]
        [news] = [node for g in graph for node in g["@graph"] if node["@type"] == "NewsArticle"]
        assert news["editor"]["@type"] == "Person" and news["editor"]["name"] in ("陈晓舟", "陳曉舟")
    page.screenshot(path=str(artifacts / "hostile-reprint.png"), full_page=True)

    ran = _ran(page)
    page.set_content(f"<!doctype html><html><body><main>{detail['body_html']}</main></body></html>")
    page.wait_for_timeout(500)
    page.mouse.move(10, 10)
    page.mouse.move(300, 200)
    assert ran == [], f"payloads ran in the bare body: {ran}"
    assert [" ".join(text.split()) for text in page.locator("main p").all_inner_texts()] == expected
