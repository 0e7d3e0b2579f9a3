"""huiwen search_index: rebuild the search index, or report on it."""

from __future__ import annotations

import logging
import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections

from huiwen.search import indexing, related
from huiwen.search.backends import backend_path, get_backend
from huiwen.search.models import Profile

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Rebuild the full-text index and term profiles (--rebuild); compute every 相关阅读 list (--related)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the index from the articles")
        parser.add_argument(
            "--related", action="store_true", help="compute the 相关阅读 list of every indexed article now"
        )
        parser.add_argument("--engine", action="store_true",
                            help="apply every change the ranking engine has not yet seen (tantivy), now")
        parser.add_argument("--follow", action="store_true",
                            help="with --engine: keep applying changes as they come (a reader host's service)")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between two looks at the log")
        parser.add_argument("--chunk", type=int, default=1000, help="articles per batch (default 1000)")

    def handle(self, *args: object, rebuild: bool, related: bool, engine: bool, follow: bool, interval: float,
               chunk: int, **options: object) -> None:
        if follow:
            if not engine:
                raise CommandError("--follow goes with --engine")
            self._follow(interval)
            return
        self.stdout.write(f"backend: {backend_path()}")
        if rebuild:
            started = time.perf_counter()
            count = indexing.rebuild(chunk=chunk, progress=self._progress)
            elapsed = time.perf_counter() - started
            self.stdout.write(f"indexed {count} articles in {elapsed:.1f} s ({count / max(elapsed, 1e-9):.0f}/s)")
        if engine:
            started = time.perf_counter()
            applied = get_backend().catch_up()
            self.stdout.write(f"ranking engine: {applied} changes applied in {time.perf_counter() - started:.1f} s")
        if related:
            self._related()
        self.stdout.write(f"index holds {get_backend().size()} articles")

    def _follow(self, interval: float) -> None:
        """Apply the ranking engine's changes every `interval` seconds until SIGTERM or SIGINT ends
        it between two rounds. A failing round (the database restarting) is logged and tried again."""
        stopping = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
        backend = get_backend()
        self.stdout.write(f"following the ranking engine's changes every {interval:g} s", ending="\n")
        self.stdout.flush()
        while not stopping.is_set():
            try:
                applied = backend.catch_up()
            except DatabaseError:
                log.warning("search engine: a round of changes failed; trying again", exc_info=True)
                connections.close_all()
            else:
                if applied:
                    self.stdout.write(f"ranking engine: {applied} changes applied")
                    self.stdout.flush()
            stopping.wait(interval)

    def _related(self) -> None:
        started = time.perf_counter()
        ids = list(Profile.objects.order_by("pk").values_list("pk", flat=True))
        for number, article_id in enumerate(ids, 1):
            related.refresh(article_id, offer=False)
            if number % 1000 == 0:
                self._progress("related", number)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"相关阅读 computed for {len(ids)} articles in {elapsed:.1f} s")

    def _progress(self, stage: str, done: int) -> None:
        if done % 10000 == 0 or stage == "related":
            self.stdout.write(f"  {stage}: {done}")
