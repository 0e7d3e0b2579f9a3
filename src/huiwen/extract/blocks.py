"""Stage 3: the cleaned DOM as a list of text blocks in reading order.

A block is a run of text inside one block-level element, cut at <br> and at
nested block elements.  Each block knows the element that owns it and counts
what the later stages score: visible length, text inside links and sentence
punctuation.  The walk uses lxml's iterwalk (iterative, in C), so depth costs
nothing in Python's stack; subtree totals are summed bottom-up in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

from lxml import etree

from .dom import HtmlElement, is_hidden, select_elements, text_of
from .text import cjk_count, collapse, nfkc_key, punct_count, visible_len

BLOCK_TAGS = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "td",
        "th",
        "tr",
        "ul",
    )
)
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])


@dataclass
class Block:
    """One paragraph-like run of text."""

    owner: HtmlElement
    text: str
    length: int
    link_length: int
    punct: int
    cjk: int
    index: int = 0
    # Cached verdict of body.is_notice (None until asked).
    notice: bool | None = None

    @property
    def link_density(self) -> float:
        return self.link_length / self.length if self.length else 0.0

    @property
    def tag(self) -> str:
        return str(self.owner.tag)

    @cached_property
    def key(self) -> str:
        """The text as the stages compare it (text.nfkc_key), made once: the headline, body and
        byline stages each compare the same blocks with the title."""
        return nfkc_key(self.text)


@dataclass
class Totals:
    """Text measures of one element's whole subtree."""

    length: int = 0
    link_length: int = 0
    punct: int = 0
    blocks: int = 0


@dataclass
class Layout:
    blocks: list[Block]
    order: dict[HtmlElement, int] = field(default_factory=dict)
    end: dict[HtmlElement, int] = field(default_factory=dict)
    totals: dict[HtmlElement, Totals] = field(default_factory=dict)
    # Elements with a class or an id, in document order.
    named: list[HtmlElement] = field(default_factory=list)
    # Each walked element's parent (None for the root).
    parent: dict[HtmlElement, HtmlElement | None] = field(default_factory=dict)
    # Class/id verdicts of named elements, filled by the body stage on first use.
    classes: dict[HtmlElement, tuple[float, bool]] | None = None


class _Walker:
    """Accumulates inline text into blocks while walking start/end events.

    The walk is the hot loop of the whole extractor (every element passes
    twice), so it is one function with local names rather than methods.
    """

    def __init__(self, prose_links: set[HtmlElement]) -> None:
        self.prose_links = prose_links
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.link_parts: list[str] = []
        self.named: list[HtmlElement] = []
        self.parent: dict[HtmlElement, HtmlElement | None] = {}

    def flush(self, owner: HtmlElement | None) -> None:
        parts, link_parts = self.parts, self.link_parts
        if not parts:
            return
        joined = "".join(parts)
        parts.clear()
        links = "".join(link_parts) if link_parts else ""
        link_parts.clear()
        if owner is None or joined.isspace():
            return
        text = collapse(joined)
        # collapse() left single spaces only, so this is the visible length.
        length = len(text) - text.count(" ")
        link_length = min(visible_len(links), length) if links else 0
        self.blocks.append(
            Block(owner, text, length, link_length, punct_count(text), cjk_count(text), len(self.blocks))
        )

    def walk(self, root: HtmlElement, max_elements: int) -> tuple[dict[HtmlElement, int], dict[HtmlElement, int]]:
        order: dict[HtmlElement, int] = {}
        end: dict[HtmlElement, int] = {}
        stack: list[HtmlElement] = []
        hidden: set[HtmlElement] = set()
        named, parent_of = self.named, self.parent
        ancestors: list[HtmlElement | None] = [None]
        parts, link_parts, prose_links = self.parts, self.link_parts, self.prose_links
        link_depth = 0
        count = 0
        events = etree.iterwalk(root, events=("start", "end"))
        # dom.parse removed comments and processing instructions: every node
        # here is an element, so no type test is needed in this hot loop.
        for event, element in events:
            tag = element.tag
            if event == "start":
                if count >= max_elements:
                    break
                order[element] = count
                count += 1
                # Kept here because lxml's getparent() costs a microsecond a call.
                parent_of[element] = ancestors[-1]
                keys = element.keys()
                if keys:
                    if "class" in keys or "id" in keys:
                        named.append(element)
                    if ("style" in keys or "hidden" in keys) and is_hidden(element):
                        # Not shown to readers (display:none, hidden): skip it whole.
                        hidden.add(element)
                        events.skip_subtree()
                        continue
                ancestors.append(element)
                if tag in BLOCK_TAGS:
                    if parts:
                        self.flush(stack[-1] if stack else None)
                    stack.append(element)
                elif tag == "br":
                    if parts:
                        self.flush(stack[-1] if stack else None)
                elif tag == "a" and element not in prose_links:
                    link_depth += 1
                text = element.text
            else:
                end[element] = count - 1
                if element in hidden:
                    text = element.tail  # only the text after a hidden element shows
                else:
                    ancestors.pop()
                    if tag in BLOCK_TAGS:
                        if parts:
                            self.flush(stack[-1] if stack else None)
                        if stack:
                            stack.pop()
                    elif tag == "a" and element not in prose_links:
                        link_depth = max(0, link_depth - 1)
                    text = element.tail
            if text:
                parts.append(text)
                if link_depth:
                    link_parts.append(text)
        self.flush(stack[-1] if stack else None)
        return order, end


def linearize(root: HtmlElement, max_elements: int) -> Layout:
    """Cut the tree into blocks; stop scoring new elements past ``max_elements``."""
    walker = _Walker(_prose_links(root, max_elements))
    order, end = walker.walk(root, max_elements)
    last = len(order) - 1
    for element in order:
        end.setdefault(element, last)
    layout = Layout(walker.blocks, order, end, named=walker.named, parent=walker.parent)
    layout.totals = _subtree_totals(layout)
    return layout


def _prose_links(root: HtmlElement, max_elements: int) -> set[HtmlElement]:
    """Links wrapping whole paragraphs of prose (some CMSs link the entire
    article to itself): their text is article text, not navigation."""
    found: set[HtmlElement] = set()
    for anchor in islice(select_elements(_LONG_LINKS, root), max_elements // 4):
        text = text_of(anchor)
        if punct_count(text) >= 3 and visible_len(text) > 80:
            found.add(anchor)
    return found


# XPath runs in libxml2: only the few long links reach Python.
_LONG_LINKS = etree.XPath("//a[string-length(.) > 80]")


def _subtree_totals(layout: Layout) -> dict[HtmlElement, Totals]:
    """Sum block measures into every ancestor, children before parents."""
    totals: dict[HtmlElement, Totals] = {}
    for block in layout.blocks:
        own = totals.setdefault(block.owner, Totals())
        own.length += block.length
        own.link_length += block.link_length
        own.punct += block.punct
        own.blocks += 1
    # Reversed pre-order visits every descendant before its ancestor.
    parent_of = layout.parent
    for element in reversed(list(layout.order)):
        mine = totals.get(element)
        parent = parent_of.get(element)
        if mine is None or parent is None:
            continue
        up = totals.setdefault(parent, Totals())
        up.length += mine.length
        up.link_length += mine.link_length
        up.punct += mine.punct
        up.blocks += mine.blocks
    return totals
