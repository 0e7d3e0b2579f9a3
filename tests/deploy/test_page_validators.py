"""Every HTML page type in both editions, as served by gunicorn, checked by the validators outsiders use:

- the Nu HTML checker (npm vnu-jar, on Debian's Java), run once over the whole batch of saved pages;
- axe-core (npm) in Debian's chromium: no serious or critical violation; moderate ones listed in
  test-artifacts/axe-moderate.json;
- extruct, reading JSON-LD and Open Graph as crawlers do, with Google's NewsArticle properties.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import extruct
import pytest

from tests.deploy import wire
from tests.deploy.surfaces import HANT

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
JAVA = shutil.which("java") or "/usr/bin/java"


def page_types(site) -> dict[str, tuple[str, int, str]]:
    """name → (Simplified path, status, method): one page of every type."""
    return {
        "home": ("/", 200, "GET"),
        "channel": (f"/{site.paged_channel}/", 200, "GET"),
        "channel-page-2": (f"/{site.paged_channel}/index_2.html", 200, "GET"),
        "sub-channel": (f"/{next(p for p in site.channels if '/' in p)}/", 200, "GET"),
        "article": (f"/a/{site.articles[0]}.html", 200, "GET"),
        "article-older": (f"/a/{site.articles[-1]}.html", 200, "GET"),
        "search": ("/search?q=" + quote("新闻"), 200, "GET"),
        "search-empty": ("/search", 200, "GET"),
        "search-too-long": ("/search?q=" + quote("长" * 300), 414, "GET"),
        "takedown": ("/takedown/", 200, "GET"),
        "transparency": ("/transparency/", 200, "GET"),
        "collector": ("/about/collector/", 200, "GET"),
        "404": ("/no-such-page/", 404, "GET"),
        "410": (f"/a/{site.withdrawn}.html", 410, "GET"),
        "405": (f"/a/{site.articles[0]}.html", 405, "POST"),
    }


@pytest.fixture(scope="module")
def saved_pages(demo_site, tmp_path_factory) -> dict[str, tuple[str, Path]]:
    """Every page type in both editions, read off the socket and saved: name → (URL, file)."""
    folder = tmp_path_factory.mktemp("pages")
    saved = {}
    for name, (path, status, method) in page_types(demo_site).items():
        for prefix, edition in (("", "hans"), (HANT, "hant")):
            url = demo_site.app + prefix + path
            response = wire.request(url, method=method)
            assert response.status == status, (url, response.status)
            target = folder / f"{name}-{edition}.html"
            target.write_bytes(response.body)
            saved[f"{name}-{edition}"] = (url, target)
    return saved


def test_nu_html_checker_finds_no_error(saved_pages):
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `make setup` (npm ci installs vnu-jar)")
    files = [str(path) for _, path in saved_pages.values()]
    done = subprocess.run([JAVA, "-Xss2m", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
                          capture_output=True, text=True, timeout=300)
    report = json.loads(done.stderr or done.stdout)
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
              for m in report["messages"] if m["type"] == "error" or m.get("subType") == "fatal"]
    assert not errors, "\n".join(errors)
    assert len({m.get("url") for m in report["messages"]} | set(files)) >= len(files)  # every file was read


@pytest.mark.browser
def test_axe_core_finds_nothing_serious(demo_site, saved_pages, browser, artifacts):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make setup` (npm ci installs axe-core)")
    source = AXE.read_text("utf-8")
    # The page's Content-Security-Policy would refuse the injected checker: a testing context only.
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    serious, moderate = [], {}
    try:
        for name, (url, _) in saved_pages.items():
            if name.startswith("405"):
                continue  # a POST answer: no address a browser can open
            page.goto(url)
            page.evaluate(source)
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            for violation in result["violations"]:
                where = [node["target"] for node in violation["nodes"]][:3]
                if violation["impact"] in ("serious", "critical"):
                    serious.append(f"{name}: {violation['id']} ({violation['impact']}) {where}")
                else:
                    moderate.setdefault(name, []).append(f"{violation['id']} ({violation['impact']}) {where}")
    finally:
        context.close()
    (artifacts / "axe-moderate.json").write_text(json.dumps(moderate, ensure_ascii=False, indent=1))
    assert not serious, "\n".join(serious)


def _article_graph(page: dict) -> dict:
    nodes = [node for item in page["json-ld"] for node in item.get("@graph", [item])]
    return {node["@type"]: node for node in nodes}


def test_extruct_reads_what_google_and_share_cards_need(saved_pages):
    for edition, lang, locale in (("hans", "zh-Hans", "zh_CN"), ("hant", "zh-Hant", "zh_TW")):
        for name in ("article", "article-older"):
            url, path = saved_pages[f"{name}-{edition}"]
            data = extruct.extract(path.read_text("utf-8"), base_url=url, syntaxes=["json-ld", "opengraph"],
                                   uniform=True)
            article = _article_graph(data)["NewsArticle"]
            # Google's Article structured data: headline, image, dates, author, publisher with logo.
            for key in ("headline", "image", "datePublished", "dateModified", "author", "publisher"):
                assert article.get(key), (url, key)
            assert article["dateModified"] >= article["datePublished"], url
            assert article["inLanguage"] == lang and article["publisher"]["logo"]["url"].startswith("http")
            assert article["url"] == url
            og = data["opengraph"][0]
            for key in ("og:title", "og:url", "og:description", "og:image", "og:site_name", "og:locale"):
                assert og.get(key), (url, key)
            assert og["og:locale"] == locale and og["og:url"] == url
        for name in ("home", "channel"):
            url, path = saved_pages[f"{name}-{edition}"]
            data = extruct.extract(path.read_text("utf-8"), base_url=url, syntaxes=["json-ld"], uniform=True)
            types = _article_graph(data)
            assert {"WebSite", "Organization", "CollectionPage"} <= set(types), url
            assert types["WebSite"]["potentialAction"]["@type"] == "SearchAction"
            assert types["CollectionPage"]["mainEntity"]["itemListElement"], url
