"""Shared fixtures: real database (SQLite, or PostgreSQL when HUIWEN_DATABASE_URL names one)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The production manifest storage needs `collectstatic` first; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
