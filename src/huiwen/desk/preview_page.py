"""The reader's page of an article, rendered for the desk: what you see is what readers get.

The page comes from the reader's own `article_response` (same view code, Jinja template and CSS),
so the preview cannot drift from the site; the Traditional edition goes through the reader's own
conversion. Only two things are added, outside the article: a stylesheet and a banner saying
this is a preview. The result is never cached (/newsroom/ is outside the page cache) nor indexed.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils.html import format_html

from huiwen.newsroom.models import Article
from huiwen.reader import traditional
from huiwen.reader.views import article_response

_BODY = re.compile(r"<body[^>]*>")


def render(request: HttpRequest, article: Article, *, hant: bool = False) -> HttpResponse:
    # The reader's context reads the edition and the page's own path from these (set by its
    # middleware for reader URLs): the switch and hreflang links then match the published page.
    request.huiwen_plain_path = article.get_absolute_url()  # type: ignore[attr-defined]
    request.huiwen_script = "Hant" if hant else "Hans"  # type: ignore[attr-defined]
    response = article_response(request, article)
    html = response.content.decode(response.charset or "utf-8")
    if hant:
        html = traditional.convert_page(html)
    state = "已发布" if article.status == Article.Status.PUBLISHED else article.get_status_display()
    banner = format_html('<p class="desk-preview-banner" role="note">预览({},{}):读者看到的页面就是这样。</p>',
                         "繁體版" if hant else "简体版", state)
    head = format_html('<meta name="robots" content="noindex, nofollow"><link rel="stylesheet" href="{}">',
                       static("backoffice/preview.css"))
    html = html.replace("</head>", f"{head}</head>", 1)
    html = _BODY.sub(lambda match: match.group(0) + banner, html, count=1)
    preview = HttpResponse(html, content_type="text/html; charset=utf-8")
    preview["Cache-Control"] = "private, no-store"
    if hant:
        preview["Content-Language"] = "zh-Hant"
    return preview
