"""What crawlers and feed readers get, checked by their own kind of client, both editions, over gunicorn.

feedparser reads every feed (site and every channel, RSS and Atom, Simplified and Traditional);
xmlschema validates every sitemap against the sitemaps.org schema (npm package `sitemap`), the
XHTML schema xmlschema ships (for xhtml:link) and the Google News extension (tests/deploy/schemas,
see the note there on where each schema comes from).
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import xmlschema
from lxml import etree

from tests.deploy import wire
from tests.deploy.surfaces import HANT, SITEMAP_SECTIONS, feeds

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(__file__).with_name("schemas")
SITEMAP_XSD = ROOT / "node_modules" / "sitemap" / "schema" / "sitemap.xsd"
XHTML_XSD = Path(xmlschema.__file__).parent / "schemas" / "XHTML" / "xhtml1-strict.xsd"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9",
      "x": "http://www.w3.org/1999/xhtml"}


def test_every_feed_reads_cleanly_in_feedparser(demo_site):
    for path in feeds(demo_site):
        response = wire.get(demo_site.app + path)
        assert response.status == 200, path
        feed = feedparser.parse(response.body)
        assert feed.bozo == 0, (path, feed.get("bozo_exception"))
        assert feed.version in ("rss20", "atom10"), path
        traditional = path.startswith(HANT)
        assert feed.feed.language == ("zh-tw" if traditional else "zh-cn"), path
        assert feed.entries, path
        for entry in feed.entries:
            assert entry.published_parsed and entry.updated_parsed, (path, entry.link)
            link = urlsplit(entry.link)
            assert link.scheme == "http" and link.netloc, entry.link  # absolute
            assert link.path.startswith(f"{HANT}/a/") if traditional else link.path.startswith("/a/"), entry.link
        if traditional:  # converted, not Simplified content under a Traditional address
            assert "匯聞" in feed.feed.title and "汇闻" not in feed.feed.title, path


@pytest.fixture(scope="module")
def schemas():
    if not SITEMAP_XSD.exists():
        pytest.fail(f"{SITEMAP_XSD} is missing: run `make setup` (npm ci installs the sitemaps.org schema)")
    locations = [(NS["news"], str(SCHEMAS / "sitemap-news.xsd")), (NS["x"], str(XHTML_XSD))]
    return {"index": xmlschema.XMLSchema(str(SCHEMAS / "siteindex.xsd")),
            "urlset": xmlschema.XMLSchema(str(SITEMAP_XSD), locations=locations)}


def test_every_sitemap_is_valid_against_the_schemas(demo_site, schemas):
    index = wire.get(demo_site.app + "/sitemap.xml")
    schemas["index"].validate(etree.fromstring(index.body))
    listed = etree.fromstring(index.body).xpath("//s:loc/text()", namespaces=NS)
    assert sorted(urlsplit(loc).path for loc in listed) == sorted(f"/sitemap-{s}.xml" for s in SITEMAP_SECTIONS)
    for loc in listed:
        document = etree.fromstring(wire.get(demo_site.app + urlsplit(loc).path).body)
        schemas["urlset"].validate(document)  # raises with the element and the rule that failed
        urls = document.xpath("/s:urlset/s:url", namespaces=NS)
        assert urls, loc
        for url in urls:
            hreflangs = url.xpath("x:link/@hreflang", namespaces=NS)
            assert sorted(hreflangs) == ["x-default", "zh-Hans", "zh-Hant"], loc


def test_sitemaps_list_every_page_of_both_editions(demo_site):
    def locs(section: str) -> set[str]:
        document = etree.fromstring(wire.get(f"{demo_site.app}/sitemap-{section}.xml").body)
        return {urlsplit(loc).path for loc in document.xpath("//s:loc/text()", namespaces=NS)}

    articles = {f"/a/{pk}.html" for pk in demo_site.articles}
    assert locs("articles") == articles
    assert locs("articles-zh-hant") == {HANT + path for path in articles}
    assert locs("channels-zh-hant") == {f"{HANT}/{path}/" for path in demo_site.channels}
    assert f"/a/{demo_site.withdrawn}.html" not in locs("articles")


def test_news_sitemap_languages_and_recent_articles(demo_site):
    for section, language in (("news", "zh-cn"), ("news-zh-hant", "zh-tw")):
        document = etree.fromstring(wire.get(f"{demo_site.app}/sitemap-{section}.xml").body)
        languages = set(document.xpath("//news:publication/news:language/text()", namespaces=NS))
        assert languages <= {language}, section
        for stamp in document.xpath("//news:publication_date/text()", namespaces=NS):
            published = time.mktime(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S"))
            assert time.time() - published < 2 * 86400 + 8 * 3600, (section, stamp)  # two days (+ zone slack)
