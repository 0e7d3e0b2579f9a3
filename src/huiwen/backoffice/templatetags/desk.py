"""Template filters of the back office."""

from __future__ import annotations

from typing import Any

from django import template

from huiwen.newsroom.actions import actor_name

register = template.Library()


@register.filter
def person(user: Any) -> str:
    """A person as the audit log names them: real name (login), or 系统 for the collector and timers."""
    return actor_name(user)
