"""The sample site's pages, rendered once from `content`: articles in three templates and four
encodings, an RSS feed, a sitemap index with a news sitemap, paginated list pages, robots.txt.

The templates are written for the demo in the shapes Chinese news sites commonly use (a
newspaper site's article page, a news-wire page declared gb2312, an older table-built portal in
GBK); huiwen reads all of them with no per-site rules. Publication times are counted back from
an anchor (the hour the site started), so the demo always looks current, and every page is
rendered once, so its bytes (and ETag) stay the same while the site runs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from html import escape

from huiwen.demo_site import content
from huiwen.demo_site.content import SampleArticle

SECTIONS = {"city": "城市", "economy": "经济", "culture": "文化"}
FEED_PATH = "/rss/city.xml"
SITEMAP_PATH = "/sitemap_index.xml"
LIST_PATH = "/culture/index.html"
PER_LIST_PAGE = 4
# Snippets a careless source site let through from a comment form, one or two of every family
# (script, event handlers, javascript:/data: URLs, SVG, style, srcdoc, meta refresh, mutation
# XSS). The page keeps them between its paragraphs; huiwen must drop them and keep every
# paragraph in order. Each calls alert() with its own name, so a browser test can say which ran.
HOSTILE_SNIPPETS = (
    "<script>alert('demo-script')</script>",
    "<img src=\"/img/none.png\" onerror=\"alert('demo-onerror')\">",
    "<div onmouseover=\"alert('demo-onmouseover')\" style=\"position:fixed;top:0;left:0;right:0;bottom:0\"></div>",
    "<a href=\"javascript:alert('demo-javascript-url')\">点击领取</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgnZGVtby1kYXRhJyk8L3NjcmlwdD4=\">下载附件</a>",
    "<svg onload=\"alert('demo-svg')\">",
    "<style>@import url(\"javascript:alert('demo-style')\");</style>",
    "<iframe srcdoc=\"&lt;script&gt;parent.alert('demo-srcdoc')&lt;/script&gt;\"></iframe>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('demo-refresh')\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('demo-mxss')>\"></noscript>",
)


@dataclass(frozen=True)
class Document:
    body: bytes
    content_type: str


def published(article: SampleArticle, anchor: datetime) -> datetime:
    return anchor - timedelta(hours=article.hours_ago)


def path_of(article: SampleArticle, anchor: datetime) -> str:
    return f"/{article.section}/{published(article, anchor):%Y/%m%d}/{article.slug}.html"


def image_path(article: SampleArticle) -> str:
    return f"/img/{article.slug}.png"


# -- article pages ----------------------------------------------------------------------------

def _paragraphs(article: SampleArticle, indent: str = "") -> list[str]:
    parts = [f"<p>{indent}{escape(text)}</p>" for text in article.paragraphs]
    if article.inline:  # written as HTML: the markup is the point
        parts.insert(1, f"<p>{indent}{article.inline}</p>")
    if article.image:  # the photo under the opening paragraph, its caption centred below it
        parts.insert(1, _figure(article))
    if article.hostile:
        parts = _dealt(parts, HOSTILE_SNIPPETS)
    return parts


def _dealt(paragraphs: list[str], snippets: tuple[str, ...]) -> list[str]:
    """The snippets dealt into the gaps between paragraphs, as a stored-XSS page has them."""
    gaps: list[list[str]] = [[] for _ in paragraphs[:-1]]
    for index, snippet in enumerate(snippets):
        gaps[index % len(gaps)].append(snippet)
    out: list[str] = []
    for paragraph, gap in zip(paragraphs, [*gaps, []], strict=True):
        out += [paragraph, *gap]
    return out


def _figure(article: SampleArticle) -> str:
    if not article.image:
        return ""
    return (f'<div class="pic" align="center"><img src="{image_path(article)}" alt="{escape(article.image)}"></div>'
            f'<p class="pic-note" align="center">{escape(article.image)}</p>')


def _navigation() -> str:
    links = " | ".join(f'<a href="/{key}/">{name}</a>' for key, name in SECTIONS.items())
    return f'<div class="topbar"><a href="/">{content.SITE_NAME}首页</a> | {links}</div>'


def _section_link(article: SampleArticle) -> str:
    return f'<a href="/{article.section}/">{SECTIONS[article.section]}</a>'


def _related(article: SampleArticle, anchor: datetime) -> str:
    others = [a for a in content.by_section(article.section) if a.slug != article.slug][:3]
    items = "".join(f'<li><a href="{path_of(a, anchor)}">{escape(a.headline)}</a></li>' for a in others)
    return f'<div class="related"><h3>相关新闻</h3><ul>{items}</ul></div>'


def daily_page(article: SampleArticle, anchor: datetime) -> str:
    """A newspaper site's article page (UTF-8)."""
    when = published(article, anchor)
    source = (f' | 来源:<a href="/" target="_blank">{escape(article.source)}</a>' if article.source else "")
    author = f'<div class="author">{escape(article.author)}</div>' if article.author else ""
    citation = (f'<p class="paper">《{escape(article.paper)}》（{when:%Y年%m月%d日} {article.page} 版）</p>'
                if article.paper else "")
    editor = f'<div class="edit">(责任编辑:{escape(article.editor)})</div>' if article.editor else ""
    body = "\n".join(_paragraphs(article, "\u3000\u3000"))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{escape(article.headline)}--{content.SITE_NAME}</title>
<meta name="description" content="{escape(article.paragraphs[0][:60])}">
</head><body>
{_navigation()}
<div class="crumbs"><a href="/">首页</a> &gt; {_section_link(article)} &gt; 正文</div>
<div class="main"><div class="article">
<h1>{escape(article.headline)}</h1>
<div class="meta">{when:%Y年%m月%d日%H:%M}{source}</div>
{author}
<div class="content">
{body}
{citation}
</div>
{editor}
</div>
{_related(article, anchor)}
</div>
<div class="footer">{content.SITE_NAME} 版权所有 未经授权禁止转载</div>
</body></html>"""


def wire_page(article: SampleArticle, anchor: datetime, charset: str) -> str:
    """A news-wire style page; declared gb2312 (bytes in GB18030), or big5."""
    when = published(article, anchor)
    source = f'<span class="source">来源：{escape(article.source)}</span>' if article.source else ""
    author = f'<span class="author">作者：{escape(article.author)}</span>' if article.author else ""
    editor = f'<div class="editor">【责任编辑：{escape(article.editor)}】</div>' if article.editor else ""
    body = "\n".join(_paragraphs(article))
    return f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{escape(article.headline)}_{SECTIONS[article.section]}_{content.SITE_NAME}</title>
</head><body>
{_navigation()}
<div class="headline"><h1>{escape(article.headline)}</h1>
<div class="info"><span class="time">{when:%Y-%m-%d %H:%M:%S}</span> {source} {author}</div></div>
<div id="detail">
{body}
</div>
{editor}
{_related(article, anchor)}
<div class="foot">关于我们 | 联系方式 | 版权声明</div>
</body></html>"""


def portal_page(article: SampleArticle, anchor: datetime) -> str:
    """An older portal's table-built page (GBK)."""
    when = published(article, anchor)
    source = f"来源：{escape(article.source)}&nbsp;&nbsp;" if article.source else ""
    author = f"作者：{escape(article.author)}" if article.author else ""
    editor = f'<tr><td class="zb" align="right">责编：{escape(article.editor)}</td></tr>' if article.editor else ""
    citation = (f"<p>《{escape(article.paper)}》（{when:%Y年%m月%d日} {article.page} 版）</p>"
                if article.paper else "")
    body = "\n".join(_paragraphs(article, "\u3000\u3000"))
    return f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>{escape(article.headline)}-{content.SITE_NAME}</title></head>
<body><table width="960" align="center"><tr><td>{_navigation()}</td></tr>
<tr><td class="bt" align="center"><b>{escape(article.headline)}</b></td></tr>
<tr><td class="xx" align="center">发布时间：{when:%Y-%m-%d %H:%M}&nbsp;&nbsp;{source}{author}</td></tr>
<tr><td class="nr" id="zoom">
{body}
{citation}
</td></tr>
{editor}
<tr><td class="xg">{_related(article, anchor)}</td></tr>
<tr><td class="db" align="center">Copyright {content.SITE_NAME} 版权所有</td></tr>
</table></body></html>"""


def article_document(article: SampleArticle, anchor: datetime) -> Document:
    if article.section == "city":
        return Document(daily_page(article, anchor).encode("utf-8"), "text/html; charset=utf-8")
    if article.section == "economy":
        if article.traditional:
            return Document(wire_page(article, anchor, "big5").encode("big5", "xmlcharrefreplace"),
                            "text/html; charset=big5")
        # Declared gb2312, written in GB18030, as many Chinese sites are (and no charset in the
        # HTTP header): the extractor must not lose the characters GB2312 lacks.
        return Document(wire_page(article, anchor, "gb2312").encode("gb18030"), "text/html")
    return Document(portal_page(article, anchor).encode("gbk", "xmlcharrefreplace"), "text/html; charset=gbk")


# -- discovery documents ----------------------------------------------------------------------

def rss(base: str, anchor: datetime) -> Document:
    items = []
    for article in content.by_section("city"):
        link = base + path_of(article, anchor)
        items.append(
            f"<item><title>{escape(article.headline)}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{format_datetime(published(article, anchor))}</pubDate>"
            f"<description>{escape(article.paragraphs[0])}</description></item>"
        )
    text = (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>{content.SITE_NAME} 城市</title><link>{base}/city/</link>"
            f"<description>云溪城市新闻</description><language>zh-cn</language>{''.join(items)}</channel></rss>")
    return Document(text.encode("utf-8"), "application/rss+xml; charset=utf-8")


def sitemap_index(base: str, anchor: datetime) -> Document:
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemaps/news.xml</loc><lastmod>{anchor.isoformat()}</lastmod></sitemap>"
            "</sitemapindex>")
    return Document(text.encode("utf-8"), "application/xml")


def news_sitemap(base: str, anchor: datetime) -> Document:
    urls = []
    for article in content.by_section("economy"):
        urls.append(
            f"<url><loc>{base}{path_of(article, anchor)}</loc><news:news><news:publication>"
            f"<news:name>{content.SITE_NAME}</news:name><news:language>zh-cn</news:language></news:publication>"
            f"<news:publication_date>{published(article, anchor).isoformat()}</news:publication_date>"
            f"<news:title>{escape(article.headline)}</news:title></news:news></url>"
        )
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + "".join(urls) + "</urlset>")
    return Document(text.encode("utf-8"), "application/xml")


def _list_entries(anchor: datetime) -> list[tuple[str, str, datetime]]:
    """(path, headline, time) of the culture section, newest first, the gallery included."""
    entries = [(path_of(a, anchor), a.headline, published(a, anchor)) for a in content.by_section("culture")]
    when = anchor - timedelta(hours=36)
    entries.append((f"/culture/{when:%Y/%m%d}/{content.EMPTY_SLUG}.html", "图集:书市开幕首日现场照片", when))
    return sorted(entries, key=lambda entry: entry[2], reverse=True)


def list_pages(anchor: datetime) -> dict[str, Document]:
    entries = _list_entries(anchor)
    chunks = [entries[start:start + PER_LIST_PAGE] for start in range(0, len(entries), PER_LIST_PAGE)]
    pages = {}
    for number, chunk in enumerate(chunks, start=1):
        path = LIST_PATH if number == 1 else f"/culture/index_{number}.html"
        items = "".join(f'<li><a href="{p}" target="_blank">{escape(title)}</a><span>{when:%m-%d}</span></li>'
                        for p, title, when in chunk)
        following = f'<a href="/culture/index_{number + 1}.html">下一页</a>' if number < len(chunks) else ""
        text = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>文化-{content.SITE_NAME}</title></head><body>{_navigation()}
<div class="list"><h2>文化</h2><ul>{items}</ul></div>
<div class="pages">第{number}页 {following}</div></body></html>"""
        pages[path] = Document(text.encode("gbk"), "text/html; charset=gbk")
    return pages


def empty_page(anchor: datetime) -> Document:
    """A gallery page: pictures and links, no article text (extraction finds no body)."""
    links = "".join(f'<a href="/img/{a.slug}.png"><img src="/img/{a.slug}.png" alt=""></a>'
                    for a in content.ARTICLES if a.image)
    text = (f'<html><head><meta charset="gbk"><title>图集-{content.SITE_NAME}</title></head>'
            f"<body>{_navigation()}<div class='gallery'>{links}</div></body></html>")
    return Document(text.encode("gbk"), "text/html; charset=gbk")


def photo(article: SampleArticle) -> Document:
    """A drawn picture (sky, hills, a river) in the article's own colours: nothing copied."""
    from PIL import Image, ImageDraw

    seed = sum(article.slug.encode())
    picture = Image.new("RGB", (640, 400), (150 + seed % 80, 190, 225))
    draw = ImageDraw.Draw(picture)
    draw.polygon([(0, 260), (180, 120 + seed % 60), (360, 250), (520, 150), (640, 240), (640, 400), (0, 400)],
                 fill=(70, 120 + seed % 50, 80))
    draw.rectangle([0, 320, 640, 400], fill=(60, 110, 170))
    draw.ellipse([500, 40, 560, 100], fill=(250, 220, 120))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return Document(buffer.getvalue(), "image/png")


ROBOTS = Document(b"User-agent: *\nDisallow: /admin/\n", "text/plain; charset=utf-8")


def home(base: str, anchor: datetime) -> Document:
    items = "".join(f'<li><a href="{path_of(a, anchor)}">{escape(a.headline)}</a></li>' for a in content.ARTICLES)
    text = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{content.SITE_NAME}</title>'
            f'<link rel="alternate" type="application/rss+xml" href="{FEED_PATH}"></head><body>{_navigation()}'
            f"<h1>{content.SITE_NAME}</h1><p>huiwen 演示用的示例来源网站:内容均为虚构。</p>"
            f"<ul>{items}</ul></body></html>")
    return Document(text.encode("utf-8"), "text/html; charset=utf-8")


def site(base: str, anchor: datetime) -> dict[str, Document]:
    """Every page of the site by path."""
    documents = {"/": home(base, anchor), "/robots.txt": ROBOTS, FEED_PATH: rss(base, anchor),
                 SITEMAP_PATH: sitemap_index(base, anchor), "/sitemaps/news.xml": news_sitemap(base, anchor)}
    documents.update(list_pages(anchor))
    for article in content.ARTICLES:
        documents[path_of(article, anchor)] = article_document(article, anchor)
        if article.image:
            documents[image_path(article)] = photo(article)
    when = anchor - timedelta(hours=36)
    documents[f"/culture/{when:%Y/%m%d}/{content.EMPTY_SLUG}.html"] = empty_page(anchor)
    return documents
