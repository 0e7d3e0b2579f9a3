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

    from huiwen.newsroom.tags import _epoch_memo
    from huiwen.reader.context import _nav_memo

    caches["pages"].clear()
    _epoch_memo["read_at"] = 0.0
    _nav_memo["version"] = None  # tag versions restart with each test's rolled-back database
    yield
    caches["pages"].clear()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # `make test` runs the suite twice, on SQLite and on PostgreSQL. What touches no database (the
    # extractor) and what drives Chromium (the page as a reader meets it, the same whichever engine
    # stores it) runs once, in the SQLite pass; everything that reads or writes the database runs
    # in both.
    if not os.environ.get("HUIWEN_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="no database in it, or drives the browser: runs once, in the SQLite pass")
    for item in items:
        if item.get_closest_marker("browser") or "tests/extract/" in str(item.fspath):
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
