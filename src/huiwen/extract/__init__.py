"""huiwen.extract: a news page's bytes to a typed :class:`ArticleDraft`.

A pure library (no Django), one module per stage in the order a page flows:
decode → dom → blocks → metadata → body → byline → images → sanitize → draft.
"""

from .byline import PrintCitation
from .core import extract
from .draft import JSON_KEYS, ArticleDraft
from .images import Image
from .options import ExtractionError, ExtractOptions

__all__ = [
    "JSON_KEYS",
    "ArticleDraft",
    "ExtractOptions",
    "ExtractionError",
    "Image",
    "PrintCitation",
    "extract",
]
