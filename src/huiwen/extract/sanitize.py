"""Body HTML: built from the chosen blocks, then cleaned by nh3 (ammonia).

The markup is generated here rather than copied from the page, so it is
shallow and predictable: one element per block (p, h2/h3, blockquote), and
inside a paragraph only the harmless inline markup a reader would miss —
strong/b, em/i and ordinary links (http and https, made absolute). Every
other element of the page gives its text and nothing else, so hostile
markup around or inside a paragraph (event handlers, javascript: or data:
URLs, styles, embedded documents) never reaches the draft, while the text
around it does. nh3 is still the last word on what may appear (allowlisted
tags and attributes, http(s) URLs only), in case a later change lets page
markup through.
"""

from __future__ import annotations

from html import escape

import nh3

from .blocks import BLOCK_TAGS, HEADINGS, Block
from .dom import HtmlElement, is_hidden, text_of
from .images import PlacedImage
from .text import absolute_url, collapse

_TAGS = {"p", "h2", "h3", "h4", "blockquote", "pre", "ul", "li", "figure", "img", "figcaption", "a", "em", "strong",
         "br"}
_ATTRIBUTES = {"img": {"src", "alt"}, "a": {"href"}}
_SCHEMES = {"http", "https"}
# Links keep their text and their address; readers' browsers send no Referer (noopener) and
# search engines pass no credit through them (nofollow): they point at other people's sites.
LINK_REL = "nofollow noopener"
# Page markup kept inside a paragraph, under the name written out.
_INLINE = {"strong": "strong", "b": "strong", "em": "em", "i": "em"}


def clean(html: str) -> str:
    """Reduce ``html`` to the allowlist: the one entry point for markup in drafts."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        strip_comments=True,
        link_rel=LINK_REL,
    )


def body_html(blocks: list[Block], images: list[PlacedImage], base_url: str | None = None) -> str:
    parts: list[str] = []
    captions = {id(p.caption_block) for p in images if p.caption_block is not None}
    by_position: dict[int, list[PlacedImage]] = {}
    for placed in images:
        by_position.setdefault(placed.before_block, []).append(placed)
    for index, block in enumerate(blocks):
        parts.extend(_figure(p) for p in by_position.get(index, []))
        if id(block) not in captions:
            parts.append(_paragraph(block, base_url))
    parts.extend(_figure(p) for p in by_position.get(len(blocks), []))
    return clean("\n".join(parts))


def _paragraph(block: Block, base_url: str | None) -> str:
    tag = block.tag
    if tag in HEADINGS:
        name = "h2" if tag in ("h1", "h2") else "h3"
    elif tag == "blockquote" or tag == "pre":
        name = tag
    else:
        name = "p"
    inner = _inline_markup(block, base_url) if name == "p" else None
    return f"<{name}>{inner if inner is not None else escape(block.text, quote=False)}</{name}>"


def _inline_markup(block: Block, base_url: str | None) -> str | None:
    """The block's text with its strong/em/links, when the block is its element's whole text.

    None (plain text then) when the element holds no child elements, when the block is only part
    of it (a paragraph cut by <br> or by a nested block), or when a hidden child would make the
    markup say more than the text.
    """
    owner = block.owner
    if len(owner) == 0 or collapse(text_of(owner)) != block.text:
        return None
    parts: list[str] = [escape(owner.text or "", quote=False)]
    for child in owner:
        rendered = _inline(child, base_url)
        if rendered is None:
            return None
        parts.append(rendered)
        parts.append(escape(child.tail or "", quote=False))
    return collapse("".join(parts))


def _inline(element: HtmlElement, base_url: str | None) -> str | None:
    """One inline element of a paragraph as markup we write; None if it is not inline at all."""
    tag = element.tag
    if not isinstance(tag, str) or tag in BLOCK_TAGS or tag == "br" or is_hidden(element):
        return None
    inner: list[str] = [escape(element.text or "", quote=False)]
    for child in element:
        rendered = _inline(child, base_url)
        if rendered is None:
            return None
        inner.append(rendered)
        inner.append(escape(child.tail or "", quote=False))
    content = "".join(inner)
    if tag in _INLINE:
        return f"<{_INLINE[tag]}>{content}</{_INLINE[tag]}>" if content.strip() else content
    if tag == "a":
        href = absolute_url(base_url, (element.get("href") or "").strip())
        return f'<a href="{escape(href)}">{content}</a>' if href and content.strip() else content
    return content  # span, font, u, img...: their text only


def _figure(placed: PlacedImage) -> str:
    image = placed.image
    img = f'<img src="{escape(image.src)}" alt="{escape(image.alt)}">'
    caption = f"<figcaption>{escape(image.caption, quote=False)}</figcaption>" if image.caption else ""
    return f"<figure>{img}{caption}</figure>"
