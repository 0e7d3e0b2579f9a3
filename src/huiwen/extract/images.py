"""Stage 6: the images of the body, with absolute URLs and their captions.

A caption is a <figcaption>, or the short centred line that Chinese
templates put right under a photo (``<p align=center>`` / class ``pic``…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Block, Layout
from .dom import HtmlElement, text_of
from .text import absolute_url, collapse

_SRC_ATTRS = ("data-src", "data-original", "data-lazy-src", "original", "file", "src")
_JUNK_SRC_RE = re.compile(r"spacer|blank\.gif|pixel|1x1|icon|logo|avatar|button|/ad[s/_]|share|qrcode|erweima", re.I)
_CAPTION_CLASS_RE = re.compile(r"caption|pic|img|photo|figure|note|desc|illus|tuzhu|图", re.I)
_CENTER_RE = re.compile(r"text-align\s*:\s*center", re.I)


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    caption: str


@dataclass
class PlacedImage:
    """An image and where it goes among the body blocks."""

    image: Image
    before_block: int
    caption_block: Block | None


def find(layout: Layout, roots: list[HtmlElement], body_blocks: list[Block], base_url: str | None) -> list[PlacedImage]:
    placed: list[PlacedImage] = []
    seen: set[str] = set()
    for root in roots:
        for img in root.iter("img"):
            if img not in layout.order:
                continue  # hidden, or past max_elements
            item = _place(layout, img, body_blocks, base_url)
            if item is not None and item.image.src not in seen:
                seen.add(item.image.src)
                placed.append(item)
    return placed


def _place(layout: Layout, img: HtmlElement, blocks: list[Block], base_url: str | None) -> PlacedImage | None:
    src = _source(img, base_url)
    if src is None or _too_small(img):
        return None
    position = layout.order.get(img, -1)
    after = [i for i, b in enumerate(blocks) if layout.order.get(b.owner, -1) > position]
    before_block = after[0] if after else len(blocks)
    caption_block = _caption_block(img, blocks, before_block)
    caption = caption_block.text if caption_block else _figcaption(img)
    alt = collapse(img.get("alt") or img.get("title") or "")
    return PlacedImage(Image(src, alt, caption), before_block, caption_block)


def _source(img: HtmlElement, base_url: str | None) -> str | None:
    for attr in _SRC_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            absolute = absolute_url(base_url, value)
            if absolute is not None and not _JUNK_SRC_RE.search(absolute):
                return absolute
            return None
    return None


def _too_small(img: HtmlElement) -> bool:
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < 60:
            return True
    return False


def _figcaption(img: HtmlElement) -> str:
    figure = next((a for a in img.iterancestors("figure")), None)
    if figure is None:
        return ""
    caption = next(figure.iter("figcaption"), None)
    return collapse(text_of(caption)) if caption is not None else ""


def _caption_block(img: HtmlElement, blocks: list[Block], index: int) -> Block | None:
    """The short line right after the photo, when it reads as its caption."""
    if index >= len(blocks):
        return None
    block = blocks[index]
    if block.length > 150:
        return None
    owner = block.owner
    figure = next((a for a in img.iterancestors("figure")), None)
    if figure is not None:
        return block if owner.tag == "figcaption" or owner in figure.iter() else None
    words = f"{owner.get('class') or ''} {owner.get('id') or ''}"
    centred = (owner.get("align") or "").lower() == "center" or _CENTER_RE.search(owner.get("style") or "")
    same_parent = img.getparent() is not None and owner in (img.getparent(), *img.iterancestors())
    if _CAPTION_CLASS_RE.search(words) or centred or (same_parent and block.length <= 60):
        return block
    return None
