"""Static publishing: the reader site written as files nginx or a CDN serves, kept current incrementally.

Every page is rendered through the real application (the same views, templates and visibility
rule as live requests, the page cache bypassed) while its dependency tags are recorded; the
tags of every written file form the dependency graph (PublishedFile, FileTag). A later run
re-renders only the files whose tags changed since the previous run (TagChange), writes the
pages that are new, and deletes the pages that are gone. A change that removes content
(a withdrawal) does not wait for that run: newsroom.tags deletes the dependent files at once,
so nginx falls back to the application, which answers 410.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from huiwen.newsroom import rows
from huiwen.newsroom import tags as dependency
from huiwen.newsroom.lastmod import with_last_modified
from huiwen.newsroom.models import Article, Channel, TagChange
from huiwen.publish import pagecache
from huiwen.publish.models import STALE, FileTag, PublishedFile, PublishState
from huiwen.reader import sitemaps
from huiwen.reader.editions import EditionRequest
from huiwen.reader.traditional import convert_page_bytes
from huiwen.reader.views import article_response, channel_response
from huiwen.search.reading import ReadingItem, reading_lists

TRADITIONAL = "zh-hant"
TRADITIONAL_PREFIX = f"/{TRADITIONAL}"


@dataclass
class Report:
    written: int = 0
    unchanged: int = 0
    deleted: int = 0
    seconds: float = 0.0
    full: bool = False
    touched: list[str] = field(default_factory=list)
    stale: int = 0  # deep list pages left for later runs (publish.models.STALE)
    swept: int = 0  # stale deep list pages this run refreshed, after the changes' own pages
    changed_seconds: float = 0.0  # until the changes' own pages were written (before the sweep)

    @property
    def pages_per_second(self) -> float:
        return (self.written + self.unchanged) / self.seconds if self.seconds else 0.0


def _out_dir(out: str | Path | None) -> Path:
    return Path(out or settings.PUBLISH["OUT_DIR"]).resolve()


# -- what the site consists of ----------------------------------------------------------------

def _file_for(url: str) -> str:
    """The file that serves `url`: /news/ → news/index.html, /a/1.html → a/1.html."""
    path = url.lstrip("/")
    return f"{path}index.html" if path.endswith("/") or not path else path


def _html_urls() -> Iterable[str]:
    yield "/"
    page_size = settings.HUIWEN["PAGE_SIZE"]
    visible = Article.objects.visible()
    for channel in Channel.objects.public().order_by("path"):
        yield channel.get_absolute_url()
        count = visible.in_channel_tree(channel).count()
        for number in range(2, math.ceil(count / page_size) + 1):
            yield f"{channel.get_absolute_url()}index_{number}.html"
    for pk in visible.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000):
        yield f"/a/{pk}.html"


def _feed_urls(traditional: bool = True) -> Iterable[str]:
    yield from ("/sitemap.xml", "/robots.txt")
    yield from (f"/sitemap-{section}.xml" for section in sitemaps.SITEMAPS if traditional or "zh-hant" not in section)
    feeds = ["/feed/rss.xml", "/feed/atom.xml"]
    for channel in Channel.objects.public().order_by("path"):
        feeds += [f"{channel.get_absolute_url()}rss.xml", f"{channel.get_absolute_url()}atom.xml"]
    yield from _editions(feeds, traditional)  # each edition has its feeds


def site_urls(traditional: bool = True) -> list[str]:
    """Every URL of the published site; each HTML page followed by its /zh-hant/ edition, so the
    renderer can derive the Traditional page from the Simplified one it just made."""
    urls: list[str] = []
    for url in _html_urls():
        urls += _editions([url], traditional)
    return urls + list(_feed_urls(traditional))


# -- rendering and writing --------------------------------------------------------------------

# Visible articles asked for by id are asked without an order (`.order_by()`): with the model's
# newest-first order, SQLite's planner walked every published article through the (status,
# published_at) index to test each against the ids, 0.11-0.14 s at a million for any handful, where
# unordered it looks each id up (1 ms). A run asks it for every chunk of 200 pages.
ARTICLE_URL = re.compile(r"^(/zh-hant)?/a/(\d+)\.html$")
CHANNEL_URL = re.compile(r"^(/zh-hant)?/([a-z0-9-]+(?:/[a-z0-9-]+)*)/(?:index_(\d+)\.html)?$")
BATCH = 200


class Renderer:
    """Renders URLs as the live site would, recording each page's tags.

    Article pages, nearly all of a site, are rendered in batches by the same function the live
    view uses (reader.views.article_response) with the articles, their channels and the
    navigation loaded once per batch; every other page goes through the full application stack.
    """

    def __init__(self) -> None:
        site = urlsplit(settings.HUIWEN["SITE_URL"])
        self.host, self.secure = site.netloc, site.scheme == "https"
        environ: dict[str, Any] = {"wsgi.url_scheme": site.scheme or "http"}  # a WSGI key, not a name
        self.client = Client(HTTP_HOST=self.host, **environ)
        self.factory = RequestFactory(HTTP_HOST=self.host)
        self.nav = list(Channel.objects.public().filter(parent=None).order_by("position", "pk"))
        self._articles: dict[int, Article] = {}
        self._related: dict[int, list[ReadingItem]] = {}
        self._channels = {c.path: c for c in Channel.objects.public().select_related("parent__parent")}
        self._pages: dict[tuple[str, int], Page[Article]] = {}

    def prefetch(self, urls: list[str]) -> None:
        """Load the articles of the coming article URLs, and their 相关阅读, in a few queries."""
        wanted = {int(m.group(2)) for url in urls if (m := ARTICLE_URL.match(url))} - set(self._articles)
        if wanted:
            found = list(with_last_modified(Article.objects.visible().select_related("channel__parent__parent",
                                                                                      "publisher"))
                         .filter(pk__in=wanted).order_by())  # unordered: see above ARTICLE_URL
            self._articles.update((a.pk, a) for a in found)
            self._related.update(reading_lists(found, settings.HUIWEN["RELATED_COUNT"]))
        self._prefetch_channel_pages(urls)

    def _prefetch_channel_pages(self, urls: list[str]) -> None:
        """The list pages of a channel among `urls`, read with one query per channel, not per page:
        deep pages of a large channel would each scan everything before them."""
        wanted: dict[str, set[int]] = {}
        for url in urls:
            match = CHANNEL_URL.match(url)
            if match and match.group(2) in self._channels:
                wanted.setdefault(match.group(2), set()).add(int(match.group(3) or 1))
        size = settings.HUIWEN["PAGE_SIZE"]
        for path, numbers in wanted.items():
            listing = Article.objects.visible().in_channel_tree(self._channels[path]).for_listing().ids_first()
            paginator = Paginator(listing, size, allow_empty_first_page=True)
            for run in _runs(sorted(n for n in numbers if n <= paginator.num_pages)):
                first, last = run[0], run[-1]
                rows = list(listing[(first - 1) * size: last * size])
                for number in run:
                    chunk = rows[(number - first) * size:(number - first + 1) * size]
                    self._pages[(path, number)] = Page(chunk, number, paginator)

    def render(self, url: str) -> tuple[int, bytes, set[str]]:
        token = dependency.start_recording()
        flag = pagecache.bypass.set(True)
        try:
            match = ARTICLE_URL.match(url)
            article = self._articles.get(int(match.group(2))) if match else None
            listing = CHANNEL_URL.match(url)
            page = self._pages.get((listing.group(2), int(listing.group(3) or 1))) if listing else None
            if article is not None and match is not None:  # (an article is found by its URL's match)
                status, content = self._article(article, traditional=bool(match.group(1)), url=url)
            elif page is not None and listing is not None:
                status, content = self._channel_page(page, listing.group(2), bool(listing.group(1)), url)
            else:
                response = self.client.get(url)
                status, content = response.status_code, response.content
        finally:
            pagecache.bypass.reset(flag)
            recorded = dependency.stop_recording(token)
        return status, content, recorded

    def _request(self, url: str, traditional: bool) -> EditionRequest:
        request = cast(EditionRequest, self.factory.get(url, secure=self.secure))  # given its attributes here
        request.huiwen_script = "Hant" if traditional else "Hans"  # as TraditionalEditionMiddleware sets them
        request.huiwen_plain_path = url.removeprefix(TRADITIONAL_PREFIX) if traditional else url
        request.huiwen_nav = self.nav
        return request

    def _edition(self, plain_url: str, traditional: bool,
                 respond: Callable[[HttpRequest], HttpResponse]) -> tuple[int, bytes]:
        """A page in the asked edition, rendered with that edition's request (its URLs, language,
        JSON-LD and share tags differ, not only its script) and converted as the live middleware
        converts it. An earlier version derived the Traditional article page from the Simplified
        one by swapping the script switch; with per-edition metadata that no longer holds."""
        url = f"{TRADITIONAL_PREFIX}{plain_url}" if traditional else plain_url
        response = respond(self._request(url, traditional))
        page = response.content  # UTF-8, as every reader page is written
        return response.status_code, convert_page_bytes(page) if traditional else page

    def _article(self, article: Article, traditional: bool, url: str) -> tuple[int, bytes]:
        related = self._related.get(article.pk)
        return self._edition(article.get_absolute_url(), traditional,
                             lambda request: article_response(request, article, related))

    def _channel_page(self, page: Page[Article], path: str, traditional: bool, url: str) -> tuple[int, bytes]:
        plain = url.removeprefix(TRADITIONAL_PREFIX) if traditional else url
        return self._edition(plain, traditional,
                             lambda request: channel_response(request, self._channels[path], page))


def _runs(numbers: list[int], gap: int = 5) -> list[list[int]]:
    """Sorted page numbers in runs of neighbours: pages far apart (a sweep's stale pages of
    several lists) are read each run on its own, not with every row between them."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number - runs[-1][-1] <= gap:
            runs[-1].append(number)
        else:
            runs.append([number])
    return runs


def _write(root: Path, relative: str, content: bytes) -> None:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    temporary.replace(target)  # atomic: nginx never serves half a file


@dataclass(frozen=True)
class Rendered:
    """One page's outcome, as a rendering process reports it to the recording one."""

    relative: str
    status: int
    digest: str
    tags: frozenset[str]
    written: bool


def _render_chunk(root: Path, urls: list[str], digests: dict[str, str]) -> list[Rendered]:
    """Render and write a chunk of pages (in this process or a worker process)."""
    renderer = Renderer()
    renderer.prefetch(urls)
    results = []
    with sitemaps.read_once():  # the chunk's sitemaps read their items once, from one state of the database
        for url in urls:
            status, content, recorded = renderer.render(url)
            relative = _file_for(url)
            digest = hashlib.md5(content, usedforsecurity=False).hexdigest() if status == 200 else ""
            written = False
            if status == 200 and not (digests.get(relative) == digest and (root / relative).exists()):
                _write(root, relative, content)
                written = True
            results.append(Rendered(relative, status, digest, frozenset(recorded), written))
    return results


def _record(results: list[Rendered]) -> None:
    """Write the dependency graph of a chunk of pages: three queries, whatever its size."""
    now = timezone.now()
    kept = [r for r in results if r.status == 200]
    with transaction.atomic():
        PublishedFile.objects.bulk_create(
            [PublishedFile(path=r.relative, digest=r.digest, written_at=now) for r in kept],
            update_conflicts=True, unique_fields=["path"], update_fields=["digest", "written_at"])
        ids = dict(PublishedFile.objects.filter(path__in=[r.relative for r in kept]).values_list("path", "pk"))
        FileTag.objects.filter(file_id__in=ids.values()).delete()
        # As plain rows: a page depends on some 24 tags, and a model instance for each cost 0.4 ms a
        # page (a tenth of a list page's time at a million articles).
        rows.insert_rows(FileTag, ("file_id", "tag"), [(ids[r.relative], tag) for r in kept for tag in r.tags])


def _delete(root: Path, relatives: Iterable[str]) -> int:
    relatives = list(relatives)
    for relative in relatives:
        (root / relative).unlink(missing_ok=True)
    PublishedFile.objects.filter(path__in=relatives).delete()
    return len(relatives)


def _render_in_worker(job: tuple[str, list[str], dict[str, str]]) -> list[Rendered]:
    from django.db import connections

    connections.close_all()  # never share the parent's database connection across fork()
    root, urls, digests = job
    return _render_chunk(Path(root), urls, digests)


def _publish_urls(root: Path, urls: list[str], report: Report, progress: Callable[[int], None],
                  workers: int = 1) -> None:
    records = PublishedFile.objects.all()
    if len(urls) <= 5000:  # an incremental run: read only the records it will touch
        records = records.filter(path__in=[_file_for(url) for url in urls])
    digests = dict(records.values_list("path", "digest"))
    chunks = [urls[i:i + BATCH] for i in range(0, len(urls), BATCH)]
    if workers > 1 and len(chunks) > 1:
        from django.db import connections

        connections.close_all()
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            jobs = [(str(root), chunk, {u: digests[u] for u in map(_file_for, chunk) if u in digests})
                    for chunk in chunks]
            outcomes = pool.imap(_render_in_worker, jobs)
            for results in outcomes:
                _account(root, results, report, digests, progress)
    else:
        for chunk in chunks:
            _account(root, _render_chunk(root, chunk, digests), report, digests, progress)


def _account(root: Path, results: list[Rendered], report: Report, digests: dict[str, str],
             progress: Callable[[int], None]) -> None:
    gone = [r.relative for r in results if r.status != 200 and r.relative in digests]
    report.deleted += _delete(root, gone)
    report.written += sum(r.written for r in results)
    report.unchanged += sum(r.status == 200 and not r.written for r in results)
    report.touched += [r.relative for r in results if r.written]
    _record(results)
    progress(len(results))


# -- the two kinds of run ---------------------------------------------------------------------

def _url_for(relative: str) -> str:
    """The URL a published file serves (the inverse of _file_for)."""
    return "/" + relative.removesuffix("index.html") if relative.endswith("index.html") else "/" + relative


def _editions(urls: Iterable[str], traditional: bool) -> list[str]:
    return [edition for url in urls for edition in ((url, f"{TRADITIONAL_PREFIX}{url}") if traditional else (url,))]


LIST_PAGE = re.compile(r"^(?:zh-hant/)?(.*?)index(?:_(\d+))?\.html$")


def _page_number(relative: str) -> int:
    match = LIST_PAGE.match(relative)
    return int(match.group(2) or 1) if match else 1


def _list_files(channel: Channel) -> set[str]:
    """The published list pages of `channel`, both editions: found through the tags they depend on
    (feeds depend on list:<pk> too, and are not list pages)."""
    prefix = channel.get_absolute_url().lstrip("/")
    tagged = FileTag.objects.filter(tag__in=[f"list:{channel.pk}", f"listdeep:{channel.pk}"])
    return {path for path in tagged.values_list("file__path", flat=True)
            if (match := LIST_PAGE.match(path)) and match.group(1) == prefix}


def _mark_stale(channels: Iterable[int]) -> None:
    """Mark the published deep pages of these lists stale: found by the tag they depend on
    (listdeep:<pk>), in one statement, where a list of their paths took 0.13 s for the 18,000 deep
    pages of a large channel at a million articles. Only rows not stale yet are written: a list
    that changes every run is marked once. A deep page the run renders anyway is written with its
    digest after this, so it does not stay marked."""
    tagged = FileTag.objects.filter(tag__in=[f"listdeep:{pk}" for pk in channels]).values("file_id")
    PublishedFile.objects.filter(pk__in=tagged).exclude(digest=STALE).update(digest=STALE)


def _channel_pages(channel: Channel) -> list[str]:
    count = Article.objects.visible().in_channel_tree(channel).count()
    pages = max(1, math.ceil(count / settings.HUIWEN["PAGE_SIZE"]))
    base = channel.get_absolute_url()
    return [base] + [f"{base}index_{number}.html" for number in range(2, pages + 1)]


def _in_page_order(urls: Iterable[str]) -> list[str]:
    """URLs sorted with page numbers as numbers (index_9 before index_10), so a chunk holds
    neighbouring pages of one list and the renderer reads their rows in one range."""
    return sorted(urls, key=lambda url: [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", url)])


def stale_pages() -> int:
    """How many deep list pages wait for a run to refresh them."""
    return PublishedFile.objects.filter(digest=STALE).count()


def _stale_sweep(exclude: set[str], budget: int) -> list[str]:
    """Up to `budget` stale deep list pages, the longest unwritten first."""
    if budget <= 0:
        return []
    oldest = PublishedFile.objects.filter(digest=STALE).order_by("written_at", "pk")
    urls = (_url_for(path) for path in oldest.values_list("path", flat=True)[:budget])
    return _in_page_order(url for url in urls if url not in exclude)


def _incremental(since: datetime, traditional: bool) -> tuple[list[str], list[str]]:
    """(URLs to render, files to delete) for what changed since the last run, without walking the site.

    Files that show something changed come from the dependency graph; new pages come from the
    changes themselves: an article that became visible (saved, or its embargo passed), a list
    that grew or shrank, a new channel.
    """
    tags = set(TagChange.objects.filter(at__gte=since).values_list("tag", flat=True))
    touched = {int(tag.split(":")[1]) for tag in tags if tag.startswith("article:")}
    released = Article.objects.visible().filter(published_at__gt=since).values_list("pk", "channel_id")
    lists = {int(tag.split(":")[1]) for tag in tags if tag.startswith("list:") and tag != "list:all"}
    for pk, channel_id in released:  # embargoes that passed: nothing was saved, the lists grew
        touched.add(pk)
        lineage = [channel.pk for channel in Channel.objects.get(pk=channel_id).lineage()]
        lists.update(lineage)
        # What a save would have announced (publish.handlers): the files that show these lists,
        # the home page, the site's feeds and the sitemaps, found through the graph below.
        tags.update({*(f"list:{channel}" for channel in lineage), "list:all", "sitemap"})
    # Deep list pages are not rewritten because their list changed: they are marked stale below
    # and refreshed a budget per run (newsroom.tags.list_page_tag).
    shown = [tag for tag in tags if not tag.startswith("listdeep:")]
    stale = set(FileTag.objects.filter(tag__in=shown).values_list("file__path", flat=True).distinct())
    todo = {_url_for(path) for path in stale}
    gone: list[str] = []
    visible = set(Article.objects.visible().filter(pk__in=touched).order_by().values_list("pk", flat=True))
    for pk in touched:
        urls = _editions([f"/a/{pk}.html"], traditional)
        if pk in visible:
            todo.update(urls)
        else:
            gone += [_file_for(url) for url in urls]
    first, shown_lists = settings.PUBLISH["FIRST_LIST_PAGES"], list(Channel.objects.public().filter(pk__in=lists))
    for channel in shown_lists:
        wanted = {_file_for(url): url for url in _editions(_channel_pages(channel), traditional)}
        published = _list_files(channel)
        gone += [path for path in published if path not in wanted]
        # The first pages, and pages the list grew into; the deeper ones are marked stale below.
        todo.update(url for relative, url in wanted.items()
                    if _page_number(relative) <= first or relative not in published)
    _mark_stale(channel.pk for channel in shown_lists)
    if "nav" in tags:  # a channel added, moved or shown: every channel's first page and feeds
        todo.update(url for url in site_urls(traditional) if not ARTICLE_URL.match(url) and "index_" not in url)
    if "list:all" in tags:  # the pages that show every list, where not published yet (else in the graph)
        site_wide = [*_feed_urls(traditional), *_editions(["/"], traditional)]
        present = set(PublishedFile.objects.filter(path__in=[_file_for(url) for url in site_wide])
                      .values_list("path", flat=True))
        todo.update(url for url in site_wide if _file_for(url) not in present)
    return _in_page_order(todo), gone


def publish(out: str | Path | None = None, *, full: bool = False, traditional: bool = True,
            progress: Callable[[int], None] = lambda n: None, workers: int = 1,
            sweep: int | None = None, count_stale: bool = True) -> Report:
    """Write the site into `out`; incrementally unless `full` or the folder is new.

    An incremental run then refreshes up to `sweep` stale deep list pages (by default the
    setting HUIWEN_PUBLISH_STALE_PAGES_PER_RUN) and, with `count_stale`, counts those left."""
    root = _out_dir(out)
    started_at, clock = timezone.now(), time.perf_counter()
    state, _ = PublishState.objects.get_or_create(out_dir=str(root))
    full = full or state.last_run_at is None or not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    report = Report(full=full)
    if full:
        expected = {_file_for(url): url for url in site_urls(traditional)}
        existing = set(PublishedFile.objects.values_list("path", flat=True))
        todo, gone = list(expected.values()), list(existing - set(expected))
    else:
        assert state.last_run_at is not None  # else `full`
        todo, gone = _incremental(state.last_run_at, traditional)
    report.deleted += _delete(root, gone)
    _publish_urls(root, todo, report, progress, workers)
    report.changed_seconds = time.perf_counter() - clock  # what the run's changes show is on disk
    if not full:  # then, a budget of the deep list pages earlier changes left stale
        swept = _stale_sweep(set(todo), settings.PUBLISH["STALE_PAGES_PER_RUN"] if sweep is None else sweep)
        _publish_urls(root, swept, report, progress, workers)
        report.swept = len(swept)
    state.last_run_at = started_at
    state.save(update_fields=["last_run_at"])
    TagChange.objects.filter(at__lt=started_at).delete()
    if count_stale:  # 34 ms with 90,000 of them at a million articles: not every second
        report.stale = stale_pages()
    report.seconds = time.perf_counter() - clock
    return report


def unpublish_dependents(tags: Iterable[str]) -> int:
    """Delete at once the published files that show any of these things (called on every change).

    Their records stay, with no digest, so the next run finds them through the graph and writes
    them again (or, for a page that is gone, leaves them deleted).
    """
    tags = [tag for tag in tags if not tag.startswith("listdeep:")]  # those files stay: list_page_tag
    if not tags or not PublishState.objects.exists():
        return 0
    files = PublishedFile.objects.filter(tags__tag__in=tags).distinct()
    paths = list(files.values_list("path", flat=True))
    if not paths:
        return 0
    removed = 0
    for state in PublishState.objects.all():
        root = Path(state.out_dir)
        for relative in paths:
            target = root / relative
            if target.exists():
                target.unlink()
                removed += 1
    PublishedFile.objects.filter(path__in=paths).update(digest="")
    return removed
