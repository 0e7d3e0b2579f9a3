"""Undo the nesting libxml2's HTML 4 parse invents, so hostile snippets cannot take text with them.

libxml2 parses HTML by the rules of HTML 4. Two of the places where a browser's HTML5 parser
ends an element and libxml2 does not matter here, because the element is then dropped (it never
holds article text) and everything libxml2 put inside it went too:

- foreign content: after an unclosed ``<svg>`` or ``<math>`` (a common stored-XSS snippet:
  ``<svg onload=...>``) every following paragraph becomes a child of the svg. HTML5 leaves
  foreign content at the first HTML element that cannot live there (``<p>``, ``<div>``,
  ``<img>``, ``<strong>``...: the "breakout" list of the HTML standard, 13.2.6.5);
- void elements libxml2 does not know as void (``<embed>``, ``<source>``, ``<wbr>``...): what
  follows them becomes their content.

Both are rewritten here the way a browser builds the page, before anything is dropped: what
a reader of the source page saw stays in the document, in order.
"""

from __future__ import annotations

from lxml import etree

# HTML Standard, "parsing main inforeign": start tags that end foreign content.
_BREAKOUT = frozenset(
    (
        "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
        "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta",
        "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table",
        "tt", "u", "ul", "var",
    )
)
_FONT_ATTRIBUTES = ("color", "face", "size")
FOREIGN = ("svg", "math")
# Void in HTML5, containers to libxml2 (the others it knows: br, img, input, meta...).
VOID = ("embed", "source", "track", "wbr", "keygen", "bgsound", "image")


def unnest(root: etree._Element) -> None:
    """Rewrite the tree where libxml2 nested content a browser would not have nested."""
    for void in list(root.iter(*VOID)):
        if len(void) or void.text:
            _close_void(void)
    for foreign in list(root.iter(*FOREIGN)):
        if foreign.getparent() is None:
            continue
        first = next((e for e in foreign.iterdescendants() if _breaks_out(e)), None)
        if first is not None:
            _move_after(foreign, _from(first, foreign))


def _close_void(void: etree._Element) -> None:
    """A void element's children and text belong after it."""
    text, void.text = void.text, None
    children = list(void)
    _move_after(void, children)
    if text:
        void.tail = text + (void.tail or "")


def _breaks_out(element: etree._Element) -> bool:
    tag = element.tag
    if not isinstance(tag, str):
        return False
    if tag == "font":
        return any(element.get(name) is not None for name in _FONT_ATTRIBUTES)
    return tag in _BREAKOUT


def _from(first: etree._Element, foreign: etree._Element) -> list[etree._Element]:
    """``first``, its following siblings, then the following siblings of each ancestor up to
    ``foreign``: the document from ``first`` on, as long as it stays inside ``foreign``."""
    moved = [first, *first.itersiblings()]
    parent = first.getparent()
    while parent is not None and parent is not foreign:
        moved.extend(parent.itersiblings())
        parent = parent.getparent()
    return moved


def _move_after(element: etree._Element, moved: list[etree._Element]) -> None:
    # addnext() moves an element with its tail text, which is what follows it in the document;
    # the text after the element's own (implied) end follows everything moved.
    if not moved:
        return
    after, element.tail = element.tail, None
    anchor = element
    for node in moved:
        anchor.addnext(node)
        anchor = node
    if after:
        anchor.tail = (anchor.tail or "") + after
