"""The collector's pipeline, top to bottom: discover → fetch → archive → extract → clean → dedupe → store.

`Collector.run(source)` does one run of one source and returns its SourceRun (the per-source
summary). Every URL goes through `SeenURL`: it is recorded once, claimed by one worker at a
time, and marked done with the hash of what was extracted, so a rerun, a crash or a second
worker never ingests anything twice.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from huiwen.collect import images, polling, throttle
from huiwen.collect.archive import Archive
from huiwen.collect.discover import DiscoveryError, Found, discover
from huiwen.collect.fetch import Fetcher, FetchError, FetchPolicy, Response
from huiwen.collect.models import Capture, SeenURL, Source, SourceError, SourceRun
from huiwen.collect.polling import Poller
from huiwen.collect.store import NoArticle, Skip, article_urls, content_hash, store
from huiwen.extract import ArticleDraft, ExtractionError, ExtractOptions, extract
from huiwen.newsroom import changes
from huiwen.newsroom.models import Article
from huiwen.newsroom.rows import update_object
from huiwen.text.urls import BadURL, canonical, host_key

log = logging.getLogger(__name__)
Progress = Callable[[str, int], None]  # (event, amount): "total" once, then "advance" per URL
CLAIM_TRIES = 5  # lost claim races before a run stops looking (another worker is then taking everything)
RUN_COUNTS = ("new", "updated", "unchanged", "skipped", "failed")  # what storing a batch adds to


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def make_fetcher() -> Fetcher:
    conf = settings.COLLECT
    # issue 19: one host clock for the process (threads and runs alike), in Redis across workers.
    return Fetcher(contact_url=conf["CONTACT_URL"], max_bytes=conf["MAX_BYTES"], timeout=conf["TIMEOUT"],
                   deadline=conf["DEADLINE"], retries=conf["RETRIES"], backoff=conf["BACKOFF"],
                   throttle=throttle.shared())


def policy_for(source: Source) -> FetchPolicy:
    hosts = frozenset({host_key(source.url)}) if source.kind != Source.Kind.WARC else frozenset()
    return FetchPolicy(allow_private=source.allow_private, private_hosts=hosts,
                       host_interval=source.host_interval)


@dataclass
class Page:
    """What the pipeline works on: the bytes of one article page and where they came from."""

    seen: SeenURL
    url: str
    body: bytes
    headers: dict[str, str]
    fetched_at: datetime


@dataclass
class Prepared:
    """A page fetched and extracted, waiting to be stored with its batch."""

    page: Page
    draft: ArticleDraft
    digest: str
    body_html: str
    image_results: list[images.ImageResult]


class Collector:
    def __init__(self, fetcher: Fetcher | None = None, archive: Archive | None = None,
                 worker: str | None = None, progress: Progress | None = None) -> None:
        self.fetcher = fetcher or make_fetcher()
        self.archive = archive or Archive(Path(settings.COLLECT["ARCHIVE_DIR"]))
        self.worker = worker or worker_name()
        self.progress = progress or (lambda event, amount: None)
        self._captures: list[Capture] = []  # archived responses not yet recorded in the database

    def close(self) -> None:
        self.fetcher.close()
        self.archive.close()

    # -- one run of one source -------------------------------------------------------------

    def run(self, source: Source) -> SourceRun:
        run = SourceRun.objects.create(source=source, worker=self.worker)
        policy = policy_for(source)
        try:
            found = self._record(source, self._discover(source, policy, run), run)
            discovered = set(found)
            self.progress("total", min(source.max_items, self._claimable(source, discovered).count()))
            # URLs are claimed a batch at a time (issue 19), so workers running one source at once
            # (a large WARC queued for several workers) share it instead of the first taking all.
            # Pages are fetched and extracted outside any transaction, then stored a batch at a
            # time: one transaction and one change set (newsroom.changes).
            left, attempted = source.max_items, set[int]()
            claimed = self._claim(source, discovered, min(left, settings.COLLECT["BATCH"]))
            batch: list[Prepared] = []
            gathering_since = time.monotonic()
            while claimed:
                left -= len(claimed)
                attempted.update(seen.pk for seen in claimed)
                for seen in claimed:
                    prepared = self._prepare(source, seen, found.get(seen.url), policy, run)
                    if prepared is not None:
                        batch.append(prepared)
                    if len(batch) >= settings.COLLECT["BATCH"] or (
                        batch and time.monotonic() - gathering_since >= settings.COLLECT["BATCH_SECONDS"]
                    ):
                        self._store_batch(source, batch, run)
                        batch, gathering_since = [], time.monotonic()
                    self.progress("advance", 1)
                # A URL that failed in this run waits for the next run, as before.
                claimed = (self._claim(source, discovered, min(left, settings.COLLECT["BATCH"]), attempted)
                           if left > 0 else [])
            self._store_batch(source, batch, run)
            # A run in which every page it tried failed (HTTP errors, refused connections,
            # timeouts, extraction) failed, even though discovery worked (issues 15 and 13).
            run.ok = not (run.failed and not (run.new or run.updated or run.unchanged))
        except (DiscoveryError, FetchError) as error:
            self._error(source, run, getattr(error, "url", source.url), getattr(error, "kind", "discovery"), error)
        finally:
            self._finish(source, run)
        return run

    def _discover(self, source: Source, policy: FetchPolicy, run: SourceRun) -> list[Found]:
        def fetch(url: str, etag: str | None, last_modified: str | None) -> Response:
            response = self.fetcher.fetch(url, policy, accept="*/*", etag=etag, last_modified=last_modified)
            self._archive(response, None)
            return response

        # Feeds, sitemaps and list pages are asked for conditionally; a 304 is not parsed again.
        return list(discover(source.kind, source.url, Poller(source, fetch, run), next_page=source.next_page,
                             max_pages=source.max_pages))

    def _record(self, source: Source, found: Iterable[Found], run: SourceRun) -> dict[str, Found]:
        """Canonicalise, filter and remember discovered URLs; count the new ones."""
        urls: dict[str, Found] = {}
        for item in found:
            if not item.url:
                self._error(source, run, item.title, "no_address", "saved page names no URL of its own")
                run.skipped += 1
                continue
            try:
                url = canonical(item.url)
            except BadURL as error:
                self._error(source, run, item.url, "bad_url", error)
                run.skipped += 1
                continue
            if source.wants(url):
                urls[url] = item
        known = set(SeenURL.objects.filter(url__in=list(urls)).values_list("url", flat=True))
        fresh = [SeenURL(url=url, source=source) for url in urls if url not in known]
        SeenURL.objects.bulk_create(fresh, ignore_conflicts=True)  # a racing worker may insert first
        run.discovered = len(fresh)
        return urls

    def _claimable(self, source: Source, discovered: set[str]) -> QuerySet[SeenURL]:
        """This source's URLs a worker may claim: new ones, failed ones worth another try, claims
        left by a vanished worker, and discovered ones due a re-check."""
        now = timezone.now()
        stale = now - timedelta(seconds=settings.COLLECT["CLAIM_TTL"])
        recheck_before = now - timedelta(minutes=source.interval_minutes)
        claimable = (
            Q(state=SeenURL.State.DISCOVERED)
            | Q(state=SeenURL.State.FAILED, attempts__lt=3)
            | Q(state=SeenURL.State.CLAIMED, claimed_at__lt=stale)
            | Q(state=SeenURL.State.DONE, url__in=list(discovered), last_fetched_at__lt=recheck_before)
        )
        return SeenURL.objects.filter(claimable, source=source)

    def _claim(self, source: Source, discovered: set[str], limit: int,
               attempted: set[int] | frozenset[int] = frozenset()) -> list[SeenURL]:
        """Claim up to `limit` URLs for this worker: new ones first, then ones due a re-check."""
        now = timezone.now()
        self._release_dead_claims(source)
        claimable = self._claimable(source, discovered).exclude(pk__in=list(attempted))
        lost: list[int] = []
        for _ in range(CLAIM_TRIES):
            candidates = list(
                claimable.exclude(pk__in=lost).order_by(F("last_fetched_at").asc(nulls_first=True), "pk")
                .values_list("pk", flat=True)[:limit]
            )
            if not candidates:
                return []
            # One conditional UPDATE is the lock: of two racing workers only one changes each row,
            # and each then reads back exactly the rows it won.
            claimable.filter(pk__in=candidates).update(state=SeenURL.State.CLAIMED, claimed_by=self.worker,
                                                       claimed_at=now)
            won = SeenURL.objects.filter(pk__in=candidates, state=SeenURL.State.CLAIMED, claimed_by=self.worker,
                                         claimed_at=now)
            if won.exists():
                break
            lost += candidates  # another worker took every one of them first: look further on
        return list(won.order_by(F("last_fetched_at").asc(nulls_first=True), "pk"))

    def _release_dead_claims(self, source: Source) -> None:
        """Claims of processes on this machine that no longer exist (killed mid-run) are released."""
        host = socket.gethostname()
        for seen in SeenURL.objects.filter(source=source, state=SeenURL.State.CLAIMED,
                                           claimed_by__startswith=f"{host}:"):
            pid = int(seen.claimed_by.split(":")[1])
            if not _alive(pid):
                SeenURL.objects.filter(pk=seen.pk, claimed_by=seen.claimed_by).update(
                    state=SeenURL.State.DISCOVERED, claimed_by="")

    # -- one URL ---------------------------------------------------------------------------

    def _prepare(self, source: Source, seen: SeenURL, saved: Found | None, policy: FetchPolicy,
                 run: SourceRun) -> Prepared | None:
        """Fetch (or read), archive and extract one page; None when there is nothing to store."""
        try:
            page = self._page(source, seen, saved, policy, run)
            if page is None:
                return None
            draft = self._extract(source, page)
            digest = content_hash(draft)
            if digest == seen.content_hash and seen.article_id is not None:
                self._done(seen, run, "unchanged", page.fetched_at)
                return None
            body_html, image_results = images.localise_html(draft.body_html, page.url, self.fetcher, policy)
            return Prepared(page, draft, digest, body_html, image_results)
        except FetchError as error:
            if error.kind == "robots":
                run.skipped_robots += 1
                self._settle(seen, SeenURL.State.SKIPPED, str(error))
            else:
                self._fail(source, seen, run, error.kind, error)
        except ExtractionError as error:
            self._no_article(source, seen, run, error)
        except Exception as error:  # one bad page must not stop the run; it is logged and kept
            log.exception("collecting %s failed", seen.url)
            self._fail(source, seen, run, "internal", error)
        return None

    def _store_batch(self, source: Source, batch: list[Prepared], run: SourceRun) -> None:
        """Store prepared pages in one transaction; if the batch as a whole fails, one at a time."""
        if not batch:
            return
        counts = {name: getattr(run, name) for name in RUN_COUNTS}
        before = [_fields_of(prepared.page.seen) for prepared in batch]
        try:
            # One change set for the batch (newsroom.changes): revisions, attribution rows and
            # fingerprints written together, the index, 相关阅读 and page-cache tags brought in step
            # once at its end, the sensitive-word lists read once.
            with transaction.atomic(), changes.batch():
                self._save_captures()
                # One lookup for the batch tells which pages are new articles for certain.
                stored = set(Article.objects.filter(
                    source_url__in={u for p in batch for u in article_urls(p.draft, p.page.url)}
                ).values_list("source_url", flat=True))
                for prepared in batch:
                    urls = article_urls(prepared.draft, prepared.page.url)
                    self._store_one(source, prepared, run, known_new=not urls & stored)
                    stored |= urls  # a later page of the batch may name the same article
        except Exception:
            # Something failed after the pages were stored (indexing the batch, say): everything
            # was rolled back. Each page again in its own transaction and change set, so the fault
            # stays with the page that causes it.
            log.exception("storing a batch of %d pages failed: storing them one at a time", len(batch))
            for prepared, fields in zip(batch, before, strict=True):
                # it may name an article that was rolled back
                _restore(prepared.page.seen, fields, run, counts)
            with transaction.atomic():
                self._save_captures()
            for prepared in batch:
                self._store_one(source, prepared, run)
        self._captures.clear()

    def _store_one(self, source: Source, prepared: Prepared, run: SourceRun, known_new: bool = False) -> None:
        page, seen = prepared.page, prepared.page.seen
        before, counts = _fields_of(seen), {name: getattr(run, name) for name in RUN_COUNTS}
        try:
            # Inside a batch the page is a unit of its set; on its own (after a failed batch) it
            # is a set of its own, ended inside its transaction, so a fault of indexing it stays
            # with it.
            with changes.unit(), transaction.atomic(), changes.batch():
                stored = store(prepared.draft, source, page.url, page.fetched_at, body_html=prepared.body_html,
                               known_new=known_new)
                images.record(stored.article, prepared.image_results)
                seen.article, seen.content_hash = stored.article, prepared.digest
                self._done(seen, run, stored.outcome, page.fetched_at)
        except NoArticle as error:
            _restore(seen, before, run, counts)
            self._no_article(source, seen, run, error)
        except Skip as error:
            _restore(seen, before, run, counts)
            self._skip(source, seen, run, error)
        except Exception as error:  # one bad page must not stop the batch; it is logged and kept
            log.exception("storing %s failed", seen.url)
            # A page on its own ends its change set after it was counted (its indexing, say): the
            # count goes back with the rollback.
            _restore(seen, before, run, counts)
            self._fail(source, seen, run, "internal", error)

    def _page(self, source: Source, seen: SeenURL, saved: Found | None, policy: FetchPolicy,
              run: SourceRun) -> Page | None:
        if saved is not None and saved.body is not None:
            # Saved pages are archived too, so re-extraction reads every page the same way.
            now = timezone.now()
            self._archive(Response(url=seen.url, final_url=seen.url, status=200, headers=list(saved.headers),
                                   body=saved.body, request_headers=[], fetched_at=now.timestamp()), seen)
            return Page(seen, seen.url, saved.body, dict(saved.headers), now)
        response = self.fetcher.fetch(seen.url, policy, etag=seen.etag or None,
                                      last_modified=seen.last_modified or None)
        run.fetched += 1
        polling.count(run, response, size_when_unchanged=seen.size)
        self._archive(response, seen)
        if response.not_modified:
            self._done(seen, run, "unchanged", timezone.now())
            return None
        if response.status != 200:
            raise FetchError("http", f"HTTP {response.status}", seen.url)
        seen.etag = (response.header("etag") or "")[:300]
        seen.last_modified = (response.header("last-modified") or "")[:100]
        seen.size = len(response.body)
        fetched_at = datetime.fromtimestamp(response.fetched_at, UTC)
        return Page(seen, response.final_url, response.body, dict(response.headers), fetched_at)

    def _extract(self, source: Source, page: Page) -> ArticleDraft:
        headers = dict(page.headers)
        if source.charset:
            headers = {**headers, "Content-Type": f"text/html; charset={source.charset}"}
        options = ExtractOptions(selectors=source.selectors or {})
        return extract(page.body, page.url, headers, options)

    def _archive(self, response: Response, seen: SeenURL | None) -> None:
        """Write the response to the WARC now; its Capture row goes in with the next stored batch."""
        offset = self.archive.write(response)
        self._captures.append(Capture(
            seen=seen, url=response.url[:1000], final_url=response.final_url[:1000], status=response.status,
            warc_path=self.archive.relative_path, offset=offset, size=len(response.body),
            fetched_at=datetime.fromtimestamp(response.fetched_at, UTC),
        ))

    def _save_captures(self) -> None:
        # A crash before this loses only index rows of pages that were not stored either: their
        # URLs are still claimed, and the next run fetches (and archives) them again.
        Capture.objects.bulk_create(self._captures)

    # -- bookkeeping -----------------------------------------------------------------------

    def _done(self, seen: SeenURL, run: SourceRun, outcome: str, fetched_at: datetime) -> None:
        setattr(run, outcome, getattr(run, outcome) + 1)
        seen.state, seen.claimed_by, seen.last_error = SeenURL.State.DONE, "", ""
        seen.last_fetched_at = fetched_at
        update_object(seen)  # seen.save() without the ORM's cost: once per page, and nothing listens

    def _settle(self, seen: SeenURL, state: str, message: str) -> None:
        seen.state, seen.claimed_by, seen.last_error = state, "", message[:2000]
        seen.last_fetched_at = timezone.now()
        seen.save()

    def _skip(self, source: Source, seen: SeenURL, run: SourceRun, error: Exception) -> None:
        run.skipped += 1
        self._settle(seen, SeenURL.State.SKIPPED, str(error))
        self._error(source, run, seen.url, "extraction", error)

    def _no_article(self, source: Source, seen: SeenURL, run: SourceRun, error: Exception) -> None:
        # Nothing to retry until the page changes (it is re-checked then), but it is a failure.
        run.failed += 1
        self._settle(seen, SeenURL.State.SKIPPED, str(error))
        self._error(source, run, seen.url, "extraction", error)

    def _fail(self, source: Source, seen: SeenURL, run: SourceRun, kind: str, error: object) -> None:
        run.failed += 1
        seen.attempts += 1
        self._settle(seen, SeenURL.State.FAILED, str(error))
        self._error(source, run, seen.url, kind, error)

    def _error(self, source: Source, run: SourceRun, url: str, kind: str, error: object) -> None:
        SourceError.objects.create(source=source, run=run, url=url[:1000], kind=kind[:40], message=str(error)[:4000])

    def _finish(self, source: Source, run: SourceRun) -> None:
        self._save_captures()  # of pages that failed or were unchanged since the last batch
        self._captures.clear()
        now = timezone.now()
        run.finished_at = now
        run.save()
        source.last_run_at = now
        source.next_run_at = now + timedelta(minutes=source.interval_minutes)
        tried = run.fetched or run.failed or run.new or run.updated or run.unchanged or run.skipped
        if run.ok and not tried and source.kind == Source.Kind.URL:
            pass  # its one page was not due (or gave up after its retries): this run says nothing about health
        elif run.ok:
            source.last_success_at, source.consecutive_failures, source.last_error = now, 0, ""
        else:
            source.consecutive_failures += 1
            last = source.errors.first()
            source.last_error = last.message if last else ""
        source.save(update_fields=["last_run_at", "next_run_at", "last_success_at", "consecutive_failures",
                                   "last_error"])


def _fields_of(seen: SeenURL) -> dict[str, object]:
    return {field.attname: getattr(seen, field.attname) for field in SeenURL._meta.concrete_fields}


def _restore(seen: SeenURL, fields: dict[str, object], run: SourceRun, counts: dict[str, int]) -> None:
    """Put back what a rolled-back transaction had changed in memory (the database is already back)."""
    for name, value in fields.items():
        setattr(seen, name, value)
    for name, count in counts.items():
        setattr(run, name, count)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def collect(sources: Iterable[Source], progress: Progress | None = None) -> list[SourceRun]:
    collector = Collector(progress=progress)
    try:
        return [collector.run(source) for source in sources]
    finally:
        collector.close()
