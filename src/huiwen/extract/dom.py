"""Stage 2: text to a cleaned DOM.

Parsing is libxml2's HTML parser through lxml: the fastest forgiving parser
available to Python.  It refuses trees deeper than 2048 levels (and drops
what follows), so a page that hits that limit is parsed again with the
excess nesting removed.  Everything a reader never sees as article text
(scripts, styles, forms, hidden elements) is removed here; what the head
holds for metadata (meta tags, JSON-LD, <title>, canonical link) is kept
aside in :class:`Page` first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from lxml import etree

from .nesting import unnest
from .options import ExtractionError
from .text import collapse, strip_controls

# Plain lxml elements: lxml.html's element classes cost a class lookup per
# element proxy, a third of the time on large pages, for methods not used here.
HtmlElement = etree._Element

# Elements whose content is never article text.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "object",
    "embed",
    "applet",
    "svg",
    "canvas",
    "math",
    "select",
    "option",
    "button",
    "input",
    "textarea",
    "link",
    "meta",
    "base",
    "audio",
    "video",
    "map",
    "dialog",
    "head",
    "title",
)
# Inline scripts kept for their state (stage 4b): the elements, whose text is only read when
# the page lacks a field elsewhere, so most pages never pay for it.
_SCRIPT_TYPES = frozenset(["", "text/javascript", "application/javascript", "module", "application/json"])
_MAX_SCRIPTS = 200
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Deepest nesting kept when a page is flattened (libxml2 stops at 2048).
_MAX_DEPTH = 500
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][\w:-]{0,30})([^<>]{0,2000}?)(/?)>")
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)


@dataclass
class Page:
    """The parsed document and what its head said, before boilerplate removal."""

    root: HtmlElement
    title_tag: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    canonical: str | None = None
    html_lang: str | None = None
    # Inline scripts that may hold page state (``window.__INITIAL_STATE__ = {…}``, ``var x = {…}``):
    # some templates give the time or the outlet only there.  Kept as elements (removed from the
    # tree) and read only when needed.
    scripts: list[HtmlElement] = field(default_factory=list)


def parse(text: str, max_elements: int = 30_000) -> Page:
    """Parse ``text`` and remove every element that cannot hold article text."""
    root = _parse_html(_cut_after_tags(text, 4 * max_elements))
    _prune_after(root, max_elements)
    page = Page(root=root)
    _read_head(page)
    _clean(root)
    return page


def _parser() -> etree.HTMLParser:
    return etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
        no_network=True,
        collect_ids=False,
    )


def _parse_html(text: str) -> HtmlElement:
    parser = _parser()
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser=parser)
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
            # Past the depth limit libxml2 silently drops the rest of the page.
            root = etree.fromstring(flatten(text).encode("utf-8", "replace"), parser=_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractionError(f"no HTML document: {exc}") from exc
    if root is None:
        raise ExtractionError("no HTML document")
    return root


def _cut_after_tags(text: str, tags: int) -> str:
    """The text up to its ``tags``-th ``<``: a page never yields more elements
    than it has tags, and the tree is cut after ``max_elements`` anyway, so
    parsing megabytes beyond that point would be wasted (libxml2 recovers from
    the cut)."""
    if text.count("<") <= tags:
        return text
    position = -1
    for _ in range(tags):
        position = text.find("<", position + 1)
        if position < 0:
            return text
    return text[:position]


def _prune_after(root: HtmlElement, max_elements: int) -> None:
    """Cut the tree after its first ``max_elements`` elements.

    Later stages look at no more than that, and every one of them walks the
    tree; cutting here bounds their time on huge pages.  Slice deletion is a
    single call into lxml per ancestor, however many siblings it removes.
    """
    last = next(islice(root.iter(), max_elements, None), None)
    node = last
    while node is not None:
        parent = node.getparent()
        if parent is None:
            break
        position = parent.index(node)
        del parent[position + (0 if node is last else 1) :]
        node = parent


def text_of(element: HtmlElement) -> str:
    """All text inside ``element`` (lxml.html's text_content, for plain elements)."""
    return str(etree.tostring(element, method="text", encoding="unicode", with_tail=False))


def select_elements(path: etree.XPath, root: HtmlElement) -> list[HtmlElement]:
    """Run a compiled XPath that selects elements, typed as such."""
    found = path(root)
    return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []


def drop_tree(element: HtmlElement) -> None:
    """Remove ``element`` and its children, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        # Character references (&#1;) put control characters in parsed text,
        # which lxml accepts from its parser but refuses from Python.
        previous = element.getprevious()
        if previous is not None:
            previous.tail = strip_controls((previous.tail or "") + tail)
        else:
            parent.text = strip_controls((parent.text or "") + tail)
    parent.remove(element)


def flatten(text: str, limit: int = _MAX_DEPTH) -> str:
    """Drop the tags nested deeper than ``limit`` (their text is kept).

    A rough tag counter, not a parser: it is only used on pages that broke
    the parser's depth limit, where losing some structure beats losing text.
    """
    depth = 0
    out: list[str] = []
    pos = 0
    for match in _TAG_RE.finditer(text):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(4)
        if name in _VOID or self_closing:
            continue
        keep = depth < limit if not closing else depth <= limit
        depth = max(0, depth - 1) if closing else depth + 1
        if not keep:
            out.append(text[pos : match.start()])
            pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _read_head(page: Page) -> None:
    """Collect <title>, meta tags, JSON-LD, canonical link and lang before cleaning."""
    root = page.root
    page.html_lang = root.get("lang") or root.get("xml:lang")
    for element in root.iter("title", "meta", "link", "script"):
        tag = element.tag
        if tag == "title" and not page.title_tag:
            page.title_tag = collapse(text_of(element))
        elif tag == "meta":
            _read_meta(page, element)
        elif tag == "link" and "canonical" in (element.get("rel") or "").lower().split():
            page.canonical = page.canonical or (element.get("href") or "").strip() or None
        elif tag == "script":
            kind = (element.get("type") or "").lower()
            if kind == "application/ld+json":
                page.jsonld.extend(_read_jsonld(element.text or ""))
            elif not element.get("src") and kind in _SCRIPT_TYPES and len(page.scripts) < _MAX_SCRIPTS:
                page.scripts.append(element)  # read only if the page gives no time or 来源 elsewhere


def _read_meta(page: Page, element: HtmlElement) -> None:
    key = element.get("property") or element.get("name") or element.get("itemprop")
    if not key:
        key = element.get("http-equiv")
    content = element.get("content")
    if key and content and content.strip():
        page.meta.setdefault(key.strip().lower(), collapse(content))


def _read_jsonld(source: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(source.strip().rstrip(";"))
    except (ValueError, RecursionError):
        return []
    items = data if isinstance(data, list) else [data]
    found: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, dict):
            graph = item.get("@graph")
            found.extend(g for g in graph if isinstance(g, dict)) if isinstance(graph, list) else None
            found.append(item)
    return found


def _clean(root: HtmlElement) -> None:
    """Remove elements that never hold article text, keeping the text after them.

    Hidden elements stay in the tree: the block walk skips them, since it
    looks at every element's attributes anyway and a search here would cost
    another pass.
    """
    unnest(root)  # what libxml2 nested in an <svg>, <math> or <embed> is not dropped with it
    doomed = list(root.iter(*_DROP_TAGS))
    doomed += list(root.iter(etree.Comment, etree.ProcessingInstruction, etree.Entity))
    for element in doomed:
        drop_tree(element)


def is_hidden(element: HtmlElement) -> bool:
    """``hidden`` or ``display:none`` / ``visibility:hidden``: never shown to readers."""
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    return bool(style) and _HIDDEN_STYLE_RE.search(style or "") is not None
