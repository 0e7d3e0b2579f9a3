"""The article body as an editor writes it: structured paragraphs, whatever arrived.

The desk's body editor (static/backoffice/body-editor.js) produces paragraphs, subheads, figures
with captions, links and lists; without JavaScript the same field is a textarea, where a line
typed without markup must still become a paragraph on the reader's page, as it looked in the
preview. `structure()` makes both the same: loose text and inline runs at the top level become
<p> (one per line), a top-level <div> of inline content becomes a <p>, <h1> becomes <h2> (the
page's own <h1> is the title), and h5/h6 become <h3>. The result then goes through the body
sanitiser (Article.save → newsroom.text.clean_body_html) like every other body.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

BLOCKS = {"p", "h2", "h3", "h4", "figure", "blockquote", "ul", "ol", "table", "div", "hr", "h1", "h5", "h6",
          "img"}
HEADINGS = {"h1": "h2", "h5": "h3", "h6": "h3"}
# What word processors and web pages wrap text in for looks alone: the text stays, the wrapper goes.
UNWRAP = {"span", "font", "center", "small", "big"}
# Layout containers become plain wrappers, then flattened into their paragraphs (as the editor does).
RENAME = {"b": "strong", "i": "em", **HEADINGS,
          **dict.fromkeys(("section", "article", "main", "header", "footer", "aside"), "div")}
# Gone with everything inside them (the sanitiser would leave their text behind, or an empty block).
DROP = {"script", "style", "meta", "link", "title", "head", "iframe", "object", "embed", "form", "input", "button",
        "select", "textarea", "svg", "canvas", "noscript", "template", "xml"}
_STORABLE = re.compile(r"^(https?://|/(?!/))", re.IGNORECASE)


def structure(html: str) -> str:
    """Body HTML with every piece of top-level text inside a block element."""
    if not html or not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    _tidy(root)
    out = etree.Element("div")
    run: list[str | etree._Element] = []  # text and inline elements waiting to become paragraphs

    def flush() -> None:
        _paragraphs(run, out)
        run.clear()

    if root.text:
        run.append(root.text)
    for child in list(root):
        tail, child.tail = child.tail, None
        if not isinstance(child.tag, str):  # comments and processing instructions
            pass
        elif child.tag == "div" and not any(isinstance(c.tag, str) and c.tag in BLOCKS for c in child):
            flush()
            run.append(child.text or "")
            run.extend(child)
            flush()
        elif child.tag == "div":  # a wrapper of blocks (a page's layout): its content, structured, in its place
            flush()
            inner = (child.text or "") + "".join(etree.tostring(c, encoding="unicode", method="html") for c in child)
            out.extend(lxml.html.fragment_fromstring(structure(inner) or "<p></p>", create_parent="div"))
        elif child.tag in BLOCKS:
            flush()
            out.append(child)
        elif child.tag == "br":
            run.append("\n")
        else:
            run.append(child)
        if tail:
            run.append(tail)
    flush()
    return "".join(etree.tostring(child, encoding="unicode", method="html") for child in out)


def _tidy(root: etree._Element) -> None:
    """Look-only wrappers unwrapped, <b>/<i> as <strong>/<em>, headings within h2–h3.

    The body editor's paste handler (static/backoffice/body-editor.js) does the same in the
    browser, so pasted text looks in the editor as it will be stored.
    """
    for element in list(root.iter()):
        if element is root or not isinstance(element.tag, str):
            continue
        assert isinstance(element, lxml.html.HtmlElement)  # what lxml.html parses an element into
        if element.tag in DROP or ":" in element.tag or (  # Word's o:p, v:shape … hold nothing to keep
                element.tag == "img" and not _STORABLE.match(element.get("src", "").strip())):
            element.drop_tree()  # its tail text stays
        elif element.tag in UNWRAP:
            element.drop_tag()
        elif element.tag in RENAME:
            element.tag = RENAME[element.tag]


def _paragraphs(run: list[str | etree._Element], out: etree._Element) -> None:
    """Text and inline elements into <p>s: a line break (typed newline or <br>) ends a paragraph."""
    paragraph = etree.SubElement(out, "p")
    for piece in run:
        if isinstance(piece, str):
            lines = piece.split("\n")
            _add_text(paragraph, lines[0])
            for line in lines[1:]:
                paragraph = etree.SubElement(out, "p")
                _add_text(paragraph, line)
        else:
            paragraph.append(piece)
    for candidate in list(out):
        if candidate.tag == "p" and not len(candidate) and not (candidate.text or "").strip():
            out.remove(candidate)


def _add_text(paragraph: etree._Element, text: str) -> None:
    if len(paragraph):
        paragraph[-1].tail = (paragraph[-1].tail or "") + text
    else:
        paragraph.text = (paragraph.text or "") + text
