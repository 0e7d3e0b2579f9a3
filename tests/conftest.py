"""Shared fixtures: real database (SQLite, or PostgreSQL when HUIWEN_DATABASE_URL names one), and
Debian's chromium driven by Playwright, one instance for the whole session (Playwright's sync API
allows one per thread), screenshots kept as test artifacts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The production manifest storage needs `collectstatic` first; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    # Cached pages live in process memory, which outlives each test's rolled-back database.
    from django.core.cache import caches

    from huiwen.newsroom.tags import _epoch_memo, forget_memos

    caches["pages"].clear()
    _epoch_memo["read_at"] = 0.0
    forget_memos()  # tag versions restart with each test's rolled-back database
    yield
    caches["pages"].clear()


# Tests that touch no database (the extractor), drive Chromium (the page as a reader meets it, the
# same whichever engine stores it) or build their own installation whatever the suite's database is
# run once. When `make test` runs both passes side by side they go to the PostgreSQL pass, which
# is otherwise the shorter one; without PostgreSQL, the SQLite pass runs them. The rest of
# tests/deploy and the demo's own installations run in the SQLite pass (see there); the two
# installations named last here go to the PostgreSQL pass to even the passes out (they were
# 100 of the SQLite pass's 820 seconds, against 620 for the PostgreSQL pass).
RUN_ONCE = (
    "tests/extract/", "tests/e2e/", "tests/search/test_browser.py", "tests/abuse/test_headers.py",
    "tests/collect/test_workers.py", "tests/deploy/test_backup.py::test_restore_drill_on_postgresql",
    "tests/deploy/test_search_engine_follow.py::test_the_follower_on_postgresql",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgresql = bool(os.environ.get("HUIWEN_DATABASE_URL"))
    postgresql_pass_runs = bool(os.environ.get("HUIWEN_TEST_DATABASE_URL"))
    if on_postgresql or not postgresql_pass_runs:
        return
    skip = pytest.mark.skip(reason="runs once, in the PostgreSQL pass")
    for item in items:
        if item.nodeid.startswith(RUN_ONCE):
            item.add_marker(skip)


CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium tries to reach Google's hosts, which this
# closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make setup does)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # body are still synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
