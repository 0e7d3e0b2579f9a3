"""Template filters of the reader pages."""

from __future__ import annotations

from django import template

from huiwen.newsroom.text import make_excerpt

register = template.Library()


@register.filter
def excerpt(text: str, length: int = 80) -> str:
    """About `length` characters, cut on a character boundary, ending in "..." when cut."""
    return make_excerpt(text or "", int(length))
