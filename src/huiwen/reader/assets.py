"""Static files' URLs as pages name them, kept: the same few names are asked on every page (style
sheets, icons, the share image), and each answer is a lookup in the static files' manifest."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.templatetags.static import static as django_static


@lru_cache(maxsize=1024)
def static(path: str) -> str:
    return django_static(path)


def _forget(**_: Any) -> None:
    static.cache_clear()  # a test changed STATIC_URL or the storage


setting_changed.connect(_forget)
