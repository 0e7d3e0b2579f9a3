"""Reading the search page back with lxml; asking a ranking engine directly."""

from __future__ import annotations

from django.db import connection

from huiwen.search import service
from huiwen.search.query import parse
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


# Queries whose matches a ranking engine and the database's own index must agree on.
ENGINE_QUERIES = [
    "澄州", "明前茶", "茶", "春茶 价格", "澄州 -马拉松", '"春茶陆续上市"', "部落 长者", "網際網路", "互联网 直播",
    "来源:澄州日报", "茶 来源:澜山周刊", "澄州 -来源:澄州日报", "冰场", "补给站 医疗", "北山", "平板电脑", "不存在的词语",
]


def match_of(query: str):
    return service.match_for(parse(query), service.Filters())


def index_ids(backend, match) -> set[int]:
    """What the database's own index (FTS5, GIN) matches."""
    sql, params = backend.ids_sql(match)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def engine_ids(backend, match, limit: int = 1000) -> list[int]:
    """What the ranking engine finds, best first; it must be ready."""
    searcher = backend._ready()
    assert searcher is not None, "the engine should be ready"
    assert backend._translator is not None
    return backend._search(searcher, backend._translator.query(match), limit)[0]
