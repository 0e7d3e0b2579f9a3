"""Reader pages: home, channel, article. Every article list goes through Article.objects.visible()."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.static import serve

from huiwen.newsroom.lastmod import last_modified, with_last_modified
from huiwen.newsroom.models import Article, Channel, Publisher
from huiwen.newsroom.rows import Instances, Prepared
from huiwen.newsroom.tags import depend, list_page_tag
from huiwen.reader import jsonld
from huiwen.reader.methods import safe_only
from huiwen.reader.redirects import moved_channel  # issue 7
from huiwen.search.reading import ReadingItem, reading_list


class _Section(TypedDict):
    channel: Channel
    articles: list[Article]


@safe_only
def home(request: HttpRequest) -> HttpResponse:
    per_channel = settings.HUIWEN["HOME_PER_CHANNEL"]
    visible = Article.objects.visible().for_listing()
    sections: list[_Section] = []
    for channel in Channel.objects.public().filter(parent=None).order_by("position", "pk"):
        articles = list(visible.in_channel_tree(channel)[:per_channel])
        if articles:
            sections.append({"channel": channel, "articles": articles})
    latest = list(visible[:6])
    shown = {a.pk for a in latest} | {a.pk for section in sections for a in section["articles"]}
    depend("nav", "list:all", *[f"article:{pk}" for pk in shown])
    listed = latest + [a for section in sections for a in section["articles"] if a not in latest]
    context = {"sections": sections, "latest": latest, "jsonld": jsonld.for_home(request, listed),
               "share_image": jsonld.share_image(request)}
    return render(request, "reader/home.html", context)


def _public_channel(path: str) -> Channel:
    return get_object_or_404(Channel.objects.public().select_related("parent"), path=path)


@safe_only
def channel(request: HttpRequest, path: str, page: str | None = None) -> HttpResponse:
    try:
        current = _public_channel(path)
    except Http404:  # issue 7: a channel that moved answers its old path with a 301
        return moved_channel(path, page)
    if page is not None and int(page) == 1:
        # /news/index_1.html is the same page as /news/: one URL per page.
        return HttpResponseRedirect(current.get_absolute_url(), status=301)
    articles = Article.objects.visible().in_channel_tree(current).for_listing().ids_first()
    paginator = Paginator(articles, settings.HUIWEN["PAGE_SIZE"], allow_empty_first_page=True)
    try:
        page_obj = paginator.page(page or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("没有这一页") from error
    return channel_response(request, current, page_obj)


def channel_response(request: HttpRequest, current: Channel, page_obj: Page[Article]) -> HttpResponse:
    """One page of a channel's list (also used by the static publisher, which pages through in bulk)."""
    breadcrumbs = current.lineage()
    depend("nav", list_page_tag(current.pk, page_obj.number), *[f"channel:{c.pk}" for c in breadcrumbs],
           *[f"article:{a.pk}" for a in page_obj.object_list])
    path = current.get_absolute_url() + (f"index_{page_obj.number}.html" if page_obj.number > 1 else "")
    context = {
        "channel": current,
        "breadcrumbs": breadcrumbs,
        "children": current.children.public().order_by("position", "pk"),
        "page_obj": page_obj,
        "articles": page_obj.object_list,
        "jsonld": jsonld.for_channel(request, current, breadcrumbs, path, page_obj.object_list),
        "share_image": jsonld.share_image(request),
    }
    return render(request, "reader/channel.html", context)


# The article page's lookup, compiled once per process (newsroom.rows.Prepared): compiling it per
# request cost more than running it. The article with its channel's lineage (three levels, as
# select_related("channel__parent__parent") would load) and publisher, and its content change time.
_visible_article = Prepared(
    lambda now, pk: with_last_modified(Article.objects.visible(now).filter(pk=pk)),
    datetime, int,
    rows=Instances(
        Article,
        related={"channel": Instances(Channel, related={"parent": Instances(Channel, related={
            "parent": Instances(Channel)})}), "publisher": Instances(Publisher)},
        annotations={"content_changed_at": "content_change__changed_at"},
    ),
)
_LARGEST_ID = 2**63 - 1


@safe_only
def article(request: HttpRequest, pk: int) -> HttpResponse:
    if pk > _LARGEST_ID:  # no such row, and more than the database's integers can say
        raise Http404("文章不存在或尚未发布")
    depend("nav", f"article:{pk}")
    found = next(iter(_visible_article(timezone.now(), pk)), None)
    if found is None:
        status = Article.objects.filter(pk=pk).values_list("status", flat=True).first()
        if status == Article.Status.WITHDRAWN:
            return render(request, "reader/gone.html", {"article_id": pk}, status=410)
        raise Http404("文章不存在或尚未发布")
    return article_response(request, found)


def article_response(request: HttpRequest, found: Article, related: list[ReadingItem] | None = None) -> HttpResponse:
    """The page of a visible article; the static publisher passes `related`, loaded for many at once."""
    pk = found.pk
    depend("nav", f"article:{pk}")
    breadcrumbs = found.channel.lineage()
    if related is None:
        related = reading_list(found, settings.HUIWEN["RELATED_COUNT"])
    depend(f"related:{pk}", *[f"channel:{c.pk}" for c in breadcrumbs], *[f"article:{r.pk}" for r in related])
    canonical = (
        found.source_url
        if settings.HUIWEN["CANONICAL"] == "original" and found.source_url
        else request.build_absolute_uri(found.get_absolute_url())
    )
    context = {
        "article": found,
        "breadcrumbs": breadcrumbs,
        "related": related,
        "canonical_url": canonical,
        "jsonld": jsonld.for_article(request, found, breadcrumbs),
        "share_image": jsonld.share_image(request, found),
        "modified_at": last_modified(found),
    }
    return render(request, "reader/article.html", context)


@safe_only
def collector_page(request: HttpRequest) -> HttpResponse:
    """What huiwen's collector is, for the operators of the sites it visits (named in its User-Agent)."""
    return render(request, "reader/collector.html")


@safe_only
def media_file(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    """A collected image, read from MEDIA_ROOT at request time (a withdrawn image is gone at once)."""
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


@safe_only
@safe_only
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers and feed readers ask for /favicon.ico whatever a page links. A temporary redirect to
    # the fingerprinted static file, cached for a day: a permanent one would pin an old icon forever.
    response = HttpResponseRedirect(static("reader/favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /newsroom/", "Disallow: /api/", "Disallow: /search",
             f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
