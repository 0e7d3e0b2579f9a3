"""Stage 7: the typed result, and its JSON form (the CLI's contract)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .byline import PrintCitation
from .images import Image
from .provenance import Provenance

# The CLI prints exactly these keys, in this order; outside tools rely on them.
JSON_KEYS = (
    "title",
    "column",
    "published_at",
    "source",
    "authors",
    "editor",
    "lede",
    "body",
    "body_html",
    "images",
    "print_citation",
    "lang",
    "script",
    "canonical_url",
)


@dataclass(frozen=True)
class ArticleDraft:
    """Everything read from one article page; ``None`` where the page did not say."""

    title: str | None
    column: str | None = None
    published_at: datetime | None = None
    source: str | None = None
    authors: tuple[str, ...] = ()
    editor: str | None = None
    lede: str | None = None
    paragraphs: tuple[str, ...] = ()
    body_html: str = ""
    images: tuple[Image, ...] = ()
    print_citation: PrintCitation | None = None
    lang: str | None = None
    script: str | None = None
    canonical_url: str | None = None
    # The <title> element as the page printed it (site suffixes included).
    title_as_published: str | None = None
    # The encoding the bytes were read with, for diagnosis.
    encoding: str | None = None
    editors: tuple[str, ...] = field(default=())
    # Where each found field came from and how sure the extractor is (title, published_at,
    # source, authors, editor); a field the page did not give has no entry.
    provenance: Mapping[str, Provenance] = field(default_factory=dict)

    def provenance_json(self) -> dict[str, dict[str, object]]:
        """The provenance as JSON (the CLI prints it with ``--provenance``)."""
        return {name: how.to_json_dict() for name, how in self.provenance.items()}

    @property
    def body(self) -> str:
        """The body as plain text, paragraphs joined by newlines."""
        return "\n".join(self.paragraphs)

    def to_json_dict(self) -> dict[str, Any]:
        citation = self.print_citation
        return {
            "title": self.title,
            "column": self.column,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "source": self.source,
            "authors": list(self.authors),
            "editor": self.editor,
            "lede": self.lede,
            "body": self.body,
            "body_html": self.body_html,
            "images": [{"src": i.src, "alt": i.alt, "caption": i.caption} for i in self.images],
            "print_citation": None
            if citation is None
            else {
                "newspaper": citation.newspaper,
                "date": citation.date.isoformat(),
                "page": citation.page,
            },
            "lang": self.lang,
            "script": self.script,
            "canonical_url": self.canonical_url,
        }
