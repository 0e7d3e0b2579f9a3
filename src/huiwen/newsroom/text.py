"""Plain text from stored HTML, and excerpts cut on a character boundary."""

from __future__ import annotations

import re
import unicodedata

import lxml.html
import nh3
from lxml import etree

_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "blockquote", "tr"}
_SPACES = re.compile(r"\s+")
# Characters that must never be separated from the character before them: combining marks,
# variation selectors, the zero-width joiner and emoji modifiers.
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f"}


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment, paragraphs separated by newlines."""
    if not html or not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return _SPACES.sub(" ", html).strip()
    return tree_to_text(root)


def tree_to_text(root: lxml.html.HtmlElement) -> str:
    """html_to_text() of an already parsed fragment (changes the tree: use it last)."""
    etree.strip_elements(root, "script", "style", with_tail=False)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (_SPACES.sub(" ", line).strip() for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _attaches_to_previous(char: str) -> bool:
    return (
        unicodedata.combining(char) > 0
        or char in _JOINERS
        or "\U0001f3fb" <= char <= "\U0001f3ff"  # skin-tone modifiers
        or "\U000e0020" <= char <= "\U000e007f"  # emoji tag sequences
    )


def make_excerpt(text: str, length: int = 80, ellipsis: str = "...") -> str:
    """At most about `length` characters of `text`, whitespace folded, ending in `ellipsis` if cut.

    The cut never splits a character from the marks that belong to it (a base letter and its
    combining accent, an emoji and its modifier), so no half-character reaches the page.
    """
    folded = _SPACES.sub(" ", text.replace("\u3000", " ")).strip()
    if len(folded) <= length:
        return folded
    cut = length
    while cut > 0 and _attaches_to_previous(folded[cut]):
        cut -= 1
    if cut > 0 and folded[cut - 1] == "\u200d":  # never end on a joiner
        cut -= 1
    return folded[:cut].rstrip() + ellipsis


# What an article body may contain. Anything else (scripts, styles, event handlers, forms,
# iframes, javascript: and data: URLs) is removed before storage, whoever wrote the HTML.
BODY_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "sub", "sup", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "figure", "figcaption", "img", "a", "table", "thead", "tbody", "tr", "th", "td",
    "span", "div",
}
BODY_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


# Elements removed with everything inside them. Any other element outside the allowlist is
# unwrapped: its text stays, in place, so hostile markup between paragraphs takes nothing else
# with it. These hold code, embedded documents, form controls or raw text that a browser never
# shows as the article's words (a <textarea>'s payload would otherwise come out as visible text).
DROPPED_WITH_CONTENT = {
    "script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "canvas", "audio",
    "video", "textarea", "select", "button", "title", "xmp", "noembed", "noframes",
}
# Links point at other people's sites: no credit passed to them, no access to our page.
LINK_REL = "nofollow noopener"


def clean_body_html(html: str) -> str:
    """Body HTML reduced to the allowlist above (nh3, the Rust ammonia sanitiser)."""
    return nh3.clean(
        html,
        tags=BODY_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
        strip_comments=True,
    )
