"""The two editions of the site: Simplified (/) and Traditional (/zh-hant/), and what differs between them.

Pages are converted as a whole by the Traditional middleware (reader.traditional); feeds,
sitemaps and JSON-LD build their text and links per edition through these objects, so each
surface says the same thing about language: `zh-Hans`/`zh-Hant` in HTML and JSON-LD (BCP 47
script subtags), `zh-cn`/`zh-tw` where a format wants a region (RSS, Atom, Google News, which
accepts only those two for Chinese), `zh_CN`/`zh_TW` in Open Graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from huiwen.newsroom.models import Channel

PREFIX = "/zh-hant"


@dataclass(frozen=True)
class Edition:
    script: str  # "Hans" or "Hant"
    prefix: str  # the URL prefix of its pages
    lang: str  # BCP 47, for <html lang>, hreflang, JSON-LD inLanguage
    region_lang: str  # RSS/Atom and Google News
    og_locale: str
    key: str  # suffix of its sitemap sections

    @property
    def traditional(self) -> bool:
        return self.script == "Hant"

    def path(self, path: str) -> str:
        """This edition's URL of a reader path."""
        return f"{self.prefix}{path}" if self.prefix else path

    def text(self, text: str) -> str:
        """Text in this edition's script (the phrase list, then OpenCC s2twp, for Traditional)."""
        if not self.traditional or not text:
            return text
        from huiwen.reader.traditional import to_traditional

        return to_traditional(text)

    def texts(self, texts: list[str]) -> list[str]:
        """`text()` of each, for many short texts (a sitemap's titles): converted in one pass."""
        if not self.traditional:
            return list(texts)
        from huiwen.reader.traditional import to_traditional_each

        return to_traditional_each(texts)


class EditionRequest(HttpRequest):
    """A reader request as TraditionalEditionMiddleware leaves it (and as the static publisher makes
    its own). For types only: Django makes plain HttpRequests, the middleware adds the attributes."""

    huiwen_script: str  # "Hans" or "Hant"
    huiwen_plain_path: str  # the path without the /zh-hant prefix
    huiwen_nav: list[Channel]  # the top-level channels, given by the static publisher only


SIMPLIFIED = Edition("Hans", "", "zh-Hans", "zh-cn", "zh_CN", "")
TRADITIONAL = Edition("Hant", PREFIX, "zh-Hant", "zh-tw", "zh_TW", "zh-hant")
EDITIONS = (SIMPLIFIED, TRADITIONAL)


def of(request: HttpRequest) -> Edition:
    """The edition a request asked for (set by reader.traditional.TraditionalEditionMiddleware)."""
    return TRADITIONAL if getattr(request, "huiwen_script", "Hans") == "Hant" else SIMPLIFIED


def other(edition: Edition) -> Edition:
    return SIMPLIFIED if edition.traditional else TRADITIONAL
