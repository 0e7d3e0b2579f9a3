"""Body HTML: built from the chosen blocks, then cleaned by nh3 (ammonia).

The markup is generated here rather than copied from the page, so it is
shallow and predictable; nh3 is still the last word on what may appear
(allowlisted tags and attributes, http(s) URLs only, no scripts, no event
handlers), in case a later change lets page markup through.
"""

from __future__ import annotations

from html import escape

import nh3

from .blocks import HEADINGS, Block
from .images import PlacedImage

_TAGS = {"p", "h2", "h3", "h4", "blockquote", "pre", "ul", "li", "figure", "img", "figcaption", "a", "em", "br"}
_ATTRIBUTES = {"img": {"src", "alt"}, "a": {"href"}}
_SCHEMES = {"http", "https"}


def clean(html: str) -> str:
    """Reduce ``html`` to the allowlist: the one entry point for markup in drafts."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


def body_html(blocks: list[Block], images: list[PlacedImage]) -> str:
    parts: list[str] = []
    captions = {id(p.caption_block) for p in images if p.caption_block is not None}
    by_position: dict[int, list[PlacedImage]] = {}
    for placed in images:
        by_position.setdefault(placed.before_block, []).append(placed)
    for index, block in enumerate(blocks):
        parts.extend(_figure(p) for p in by_position.get(index, []))
        if id(block) not in captions:
            parts.append(_paragraph(block))
    parts.extend(_figure(p) for p in by_position.get(len(blocks), []))
    return clean("\n".join(parts))


def _paragraph(block: Block) -> str:
    tag = block.tag
    if tag in HEADINGS:
        name = "h2" if tag in ("h1", "h2") else "h3"
    elif tag == "blockquote" or tag == "pre":
        name = tag
    else:
        name = "p"
    return f"<{name}>{escape(block.text, quote=False)}</{name}>"


def _figure(placed: PlacedImage) -> str:
    image = placed.image
    img = f'<img src="{escape(image.src)}" alt="{escape(image.alt)}">'
    caption = f"<figcaption>{escape(image.caption, quote=False)}</figcaption>" if image.caption else ""
    return f"<figure>{img}{caption}</figure>"
