"""Reading the search page back with lxml."""

from __future__ import annotations

from tests.reader.pages import html, text


def search(client, **params):
    response = client.get("/search", params)
    return response, html(response)


def result_links(page) -> list[str]:
    return page.xpath("//ol[contains(@class,'search-results')]/li/h3/a/@href")


def result_titles(page) -> list[str]:
    return [text(a) for a in page.xpath("//ol[contains(@class,'search-results')]/li/h3/a")]


def marks(page) -> list[str]:
    return [text(mark) for mark in page.xpath("//ol[contains(@class,'search-results')]//mark")]


def help_text(page) -> str:
    return " ".join(text(block) for block in page.xpath("//div[contains(@class,'search-help')]"))


def engine_in_use(backend) -> bool:
    """Whether a ranking engine kept beside the database answers now: on PostgreSQL it applies only
    ended transactions, so inside a test's transaction it has nothing and the database's index
    answers (the backend's counts_through_rule and window_bounds_ranking hold then)."""
    ready = getattr(backend, "_ready", None)
    return ready is not None and ready() is not None
