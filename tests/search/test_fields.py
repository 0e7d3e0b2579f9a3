"""Search by what the page shows: 来源 (outlet and print citation), 作者, 栏目; filterable, shown, linked."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories
from tests.reader.pages import html, text
from tests.search.conftest import para
from tests.search.helpers import result_links, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlets(world):
    """The seed's kind of attribution: an outlet named 网站-报纸, a newspaper, a print citation."""
    people = factories.publisher("人民网-人民日报", newspaper="人民日报")
    daily = factories.publisher("人民日报", newspaper="人民日报")
    other = factories.publisher("江南晚报", newspaper="江南晚报")
    web = factories.article(world.tech, "让更多城市共享数字发展成果(和音)", column="和音", publisher=people,
                            original_author="钟声", body=para("信息时代,城市之间的数字合作越来越紧密。"))
    paper = factories.article(world.local, "老街改造要留住烟火气", publisher=daily, original_author="本报记者 沈嘉禾",
                              body=para("南塘老街的改造,保留了骑楼和老招牌。"))
    cited = factories.article(world.local, "一份转载的评论", publisher=other, print_newspaper="人民日报",
                              print_date=date(2026, 11, 10), print_page="03",
                              body=para("这篇评论最早刊登在报纸的第三版。"))
    unrelated = factories.article(world.local, "江南晚报记者走访菜市场", publisher=other, original_author="记者 沈星河",
                                  body=para("菜价平稳,供应充足。"))
    return {"web": web, "paper": paper, "cited": cited, "unrelated": unrelated, "people": people}


def links(client, q: str, **params) -> set[str]:
    return set(result_links(search(client, q=q, **params)[1]))


def urls(*articles) -> set[str]:
    return {article.get_absolute_url() for article in articles}


def test_source_filter_means_the_outlet_its_newspaper_and_the_print_citation(client, outlets):
    expected = urls(outlets["web"], outlets["paper"], outlets["cited"])
    assert links(client, "来源:人民日报") == expected
    assert links(client, "來源：人民日報") == expected  # Traditional, full-width colon
    assert links(client, 'source:"人民网-人民日报"') == urls(outlets["web"])
    assert links(client, "来源:人民日报 老街") == urls(outlets["paper"])
    assert links(client, "老街 -来源:人民日报") == set()


def test_a_plain_word_naming_the_outlet_finds_what_it_published(client, outlets):
    # Neither text says 人民日报: the page's 来源 does.
    found = links(client, "人民日报")
    assert urls(outlets["web"], outlets["paper"], outlets["cited"]) <= found
    assert outlets["unrelated"].get_absolute_url() not in found
    # A word that is only part of an outlet's name (江南 in 江南晚报) is not the outlet.
    assert outlets["cited"].get_absolute_url() not in links(client, "江南")


def test_author_and_column(client, outlets):
    assert links(client, "作者:沈嘉禾") == urls(outlets["paper"])
    assert links(client, "沈嘉禾") == urls(outlets["paper"])  # the byline is searchable as text too
    assert links(client, "栏目:和音") == urls(outlets["web"])
    assert links(client, "作者:钟声 栏目:和音 数字") == urls(outlets["web"])
    assert links(client, "作者:沈") >= urls(outlets["paper"], outlets["unrelated"])  # one character: a prefix


def test_results_show_what_the_page_shows(client, outlets):
    _, page = search(client, q="来源:人民日报")
    items = {item.xpath(".//h3/a/@href")[0]: item for item in page.xpath("//ol[contains(@class,'search-results')]/li")}
    web = items[outlets["web"].get_absolute_url()]
    assert text(web.xpath(".//span[@class='source']")[0]) == "来源:人民网-人民日报"
    assert text(web.xpath(".//span[@class='author']")[0]) == "作者:钟声"
    assert text(web.xpath(".//span[@class='column']")[0]) == "栏目:和音"
    cited = items[outlets["cited"].get_absolute_url()]
    assert text(cited.xpath(".//span[@class='print-citation']")[0]) == "《人民日报》2026年11月10日 03 版"
    assert [text(mark) for mark in cited.xpath(".//span[@class='print-citation']//mark")] == ["人民日报"]


def test_the_source_link_of_an_article_page_lists_the_outlet(client, outlets):
    page = html(client.get(outlets["web"].get_absolute_url()))
    href = page.xpath("//p[@class='article-meta']/span[@class='source']/a/@href")[0]
    listing = html(client.get(href))
    found = listing.xpath("//ol[contains(@class,'search-results')]/li/h3/a/@href")
    assert found == [outlets["web"].get_absolute_url()]
    assert listing.xpath("//form[@class='search-form']//input[@name='q']/@value") == ['来源:"人民网-人民日报"']


def test_a_renamed_publisher_is_found_by_its_new_name_at_once(client, outlets):
    outlets["people"].name = "人民网"
    outlets["people"].newspaper = ""
    outlets["people"].save()
    assert links(client, "来源:人民网") == urls(outlets["web"])
    assert outlets["web"].get_absolute_url() not in links(client, "来源:人民日报")


def test_an_empty_field_is_not_a_search(client, outlets):
    response, page = search(client, q="来源:")
    assert response.status_code == 200
    assert result_links(page) == []
