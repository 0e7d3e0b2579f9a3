"""Password rules beyond Django's (length 12, common list, user attributes, not all digits).

NIST SP 800-63B asks to refuse repetitive passwords and context-specific words rather than to
impose composition rules; these two checks do that.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError


class VarietyValidator:
    """At least `min_distinct` different characters (refuses aaaaaaaaaaaa, abcabcabcabc)."""

    def __init__(self, min_distinct: int = 6) -> None:
        self.min_distinct = min_distinct

    def validate(self, password: str, user: Any = None) -> None:
        if len(set(password)) < self.min_distinct:
            raise ValidationError(f"密码至少要包含 {self.min_distinct} 个不同的字符。", code="password_too_repetitive")

    def get_help_text(self) -> str:
        return f"密码至少要包含 {self.min_distinct} 个不同的字符。"


class ContextWordsValidator:
    """No site name or obvious word: the first guesses of anyone attacking this site."""

    WORDS = ("huiwen", "汇闻", "password", "mima", "admin", "qwerty")

    def validate(self, password: str, user: Any = None) -> None:
        folded = password.lower()
        words = (*self.WORDS, str(settings.HUIWEN.get("SITE_NAME", "")).lower())
        if any(word and word in folded for word in words):
            raise ValidationError("密码不能包含网站名称或常见词语(如 password、admin)。", code="password_context_word")

    def get_help_text(self) -> str:
        return "密码不能包含网站名称或常见词语。"
