"""Stage 3: the cleaned DOM as a list of text blocks in reading order.

A block is a run of text inside one block-level element, cut at <br> and at
nested block elements.  Each block knows the element that owns it and counts
what the later stages score: visible length, text inside links and sentence
punctuation.  The walk uses lxml's iterwalk (iterative, in C), so depth costs
nothing in Python's stack; subtree totals are summed bottom-up in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from itertools import islice

from .dom import HtmlElement, text_of
from .text import cjk_count, collapse, punct_count, visible_len

BLOCK_TAGS = frozenset(
    """address article aside blockquote body center dd details dialog dir div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html
    li main menu nav ol p pre section summary table tbody thead tfoot td th tr ul
    caption""".split()
)
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())


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

    @property
    def link_density(self) -> float:
        return self.link_length / self.length if self.length else 0.0

    @property
    def tag(self) -> str:
        return str(self.owner.tag)


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

    def contains(self, ancestor: HtmlElement, element: HtmlElement) -> bool:
        """Whether ``element`` is ``ancestor`` or inside it (by pre-order ranges)."""
        start = self.order.get(ancestor)
        pos = self.order.get(element)
        if start is None or pos is None:
            return False
        return start <= pos <= self.end[ancestor]


class _Walker:
    """Accumulates inline text into blocks while walking start/end events."""

    def __init__(self, max_elements: int, prose_links: set[HtmlElement]) -> None:
        self.prose_links = prose_links
        self.blocks: list[Block] = []
        self.stack: list[HtmlElement] = []
        self.parts: list[str] = []
        self.link_parts: list[str] = []
        self.link_depth = 0
        self.max_elements = max_elements
        self.order: dict[HtmlElement, int] = {}
        self.end: dict[HtmlElement, int] = {}

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)
            if self.link_depth:
                self.link_parts.append(text)

    def flush(self) -> None:
        if not self.parts or not self.stack:
            self.parts, self.link_parts = [], []
            return
        text = collapse("".join(self.parts))
        self.parts = []
        links = visible_len("".join(self.link_parts))
        self.link_parts = []
        if text:
            length = visible_len(text)
            self.blocks.append(Block(self.stack[-1], text, length, min(links, length),
                                     punct_count(text), cjk_count(text), len(self.blocks)))

    def start(self, element: HtmlElement) -> None:
        self.order[element] = len(self.order)
        tag = element.tag
        if tag in BLOCK_TAGS:
            self.flush()
            self.stack.append(element)
        elif tag == "br":
            self.flush()
        elif tag == "a" and element not in self.prose_links:
            self.link_depth += 1
        self.add(element.text)

    def finish(self, element: HtmlElement) -> None:
        self.end[element] = len(self.order) - 1
        tag = element.tag
        if tag in BLOCK_TAGS:
            self.flush()
            if self.stack:
                self.stack.pop()
        elif tag == "a" and element not in self.prose_links:
            self.link_depth = max(0, self.link_depth - 1)
        self.add(element.tail)


def linearize(root: HtmlElement, max_elements: int) -> Layout:
    """Cut the tree into blocks; stop scoring new elements past ``max_elements``."""
    walker = _Walker(max_elements, _prose_links(root, max_elements))
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        if event == "start":
            if len(walker.order) >= max_elements:
                break
            walker.start(element)
        else:
            walker.finish(element)
    walker.flush()
    for element in walker.order:
        walker.end.setdefault(element, len(walker.order) - 1)
    layout = Layout(walker.blocks, walker.order, walker.end)
    layout.totals = _subtree_totals(layout)
    return layout


def _prose_links(root: HtmlElement, max_elements: int) -> set[HtmlElement]:
    """Links wrapping whole paragraphs of prose (some CMSs link the entire
    article to itself): their text is article text, not navigation."""
    found: set[HtmlElement] = set()
    for anchor in islice(root.iter("a"), max_elements // 4):
        text = text_of(anchor)
        if len(text) > 80 and punct_count(text) >= 3 and visible_len(text) > 80:
            found.add(anchor)
    return found


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
    for element in reversed(list(layout.order)):
        mine = totals.get(element)
        parent = element.getparent()
        if mine is None or parent is None:
            continue
        up = totals.setdefault(parent, Totals())
        up.length += mine.length
        up.link_length += mine.link_length
        up.punct += mine.punct
        up.blocks += mine.blocks
    return totals
