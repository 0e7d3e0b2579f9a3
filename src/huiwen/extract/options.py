"""The one options object passed down the pipeline, and the one error it raises."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


class ExtractionError(ValueError):
    """Raised when the input cannot give an article (empty, not HTML, undecodable).

    ``internal`` is true when the error wraps an unexpected exception inside
    the extractor: callers may treat it like any other unusable page, tests and
    the fuzzer treat it as a bug.
    """

    def __init__(self, message: str, *, internal: bool = False) -> None:
        super().__init__(message)
        self.internal = internal


@dataclass(frozen=True)
class ExtractOptions:
    """Knobs for :func:`huiwen.extract.extract`; the defaults need no per-site setup.

    ``selectors`` is the per-source escape hatch: a mapping from a field name
    (``title``, ``body``, ``published_at``, ``source``, ``authors``, ``editor``,
    ``lede``, ``column``) to a CSS selector whose matched text replaces what the
    generic method found.  It is meant for the rare source the method gets
    wrong, not as the way pages are read.
    """

    # Pages with no UTC offset in their dates: None means Asia/Shanghai for
    # Chinese pages and UTC for the rest.
    default_timezone: str | None = None
    # Per-field CSS selectors overriding the generic method (escape hatch).
    selectors: Mapping[str, str] = field(default_factory=dict)
    # Inputs above this many bytes are cut before parsing: real article pages
    # are far below it and the cut keeps time and memory bounded.
    max_bytes: int = 16_000_000
    # Elements beyond this count are not scored (bounded time on huge pages).
    max_elements: int = 30_000
    # Keep images found in the body in ``images`` and ``body_html``.
    include_images: bool = True
