"""Parsing helpers for page tests: real HTML and XML parsers, never string matching."""

from __future__ import annotations

import json

import lxml.html
from lxml import etree


def html(response) -> lxml.html.HtmlElement:
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    return lxml.html.fromstring(response.content.decode("utf-8"))


def xml(response) -> etree._Element:
    return etree.fromstring(response.content)


def text(element) -> str:
    return " ".join(element.text_content().split())


def article_links(page) -> list[str]:
    """Hrefs of every article link on a page."""
    return [href for href in page.xpath("//a/@href") if href.startswith("/a/")]


def jsonld(page) -> list[dict]:
    graphs = [json.loads(script.text) for script in page.xpath("//script[@type='application/ld+json']")]
    return [node for graph in graphs for node in graph.get("@graph", [graph])]
