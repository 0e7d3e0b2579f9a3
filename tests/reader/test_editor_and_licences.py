"""责任编辑 and 原责任编辑 on the page, in JSON-LD and the API; the registrations in every footer,
in both editions. (tests/deploy/test_reprint_path.py checks the same through gunicorn.)"""

from __future__ import annotations

import json

import pytest

from tests import factories
from tests.reader.pages import html, jsonld, text

pytestmark = pytest.mark.django_db

ICP, PSB, LICENCE = "云ICP备20261234号-1", "云公网安备53010202000123号", "53120240001"


@pytest.fixture
def reprint():
    channel = factories.channel("city", "城市", parent=factories.channel("local", "地方"))
    return factories.article(channel, "滨江步道换装节能路灯", editor="柳青禾", source_editor="苏念",
                             original_author="记者 梁映川", body="<p>滨江步道的路灯换成了节能灯。</p>")


def _attribution(page) -> dict[str, str]:
    block = page.xpath("//footer[@class='attribution']")[0]
    return {text(item.xpath("dt")[0]): text(item.xpath("dd")[0]) for item in block.xpath(".//dl/div")}


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_the_page_names_both_editors(client, reprint, prefix):
    page = html(client.get(f"{prefix}{reprint.get_absolute_url()}"))
    names = _attribution(page)
    if prefix:
        assert names["責任編輯"] == "柳青禾" and names["原責任編輯"] == "蘇念"
    else:
        assert names["责任编辑"] == "柳青禾" and names["原责任编辑"] == "苏念"
    [article] = [node for node in jsonld(page) if node["@type"] == "NewsArticle"]
    assert article["editor"] == {"@type": "Person", "name": "柳青禾"}


def test_the_api_names_both_editors(client, reprint):
    data = json.loads(client.get(f"/api/v1/articles/{reprint.pk}").content)
    assert (data["editor"], data["source_editor"]) == ("柳青禾", "苏念")


@pytest.mark.parametrize("path", ["/", "/local/city/", "/search?q=路灯", "/takedown/", "/transparency/", "/nowhere/"])
@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_every_footer_shows_the_registrations_in_both_editions(client, settings, reprint, path, prefix):
    settings.HUIWEN = {**settings.HUIWEN, "ICP_BEIAN": ICP, "PSB_BEIAN": PSB, "NEWS_LICENCE": LICENCE}
    pages = [path, reprint.get_absolute_url()]
    for address in pages:
        page = html(client.get(prefix + address))
        [footer] = page.xpath("//footer[@class='site-footer']//p[@class='licences']")
        icp = footer.xpath(".//a[@class='icp']")[0]
        assert (text(icp), icp.get("href")) == (ICP, "https://beian.miit.gov.cn/")  # as issued, also in 繁體
        psb = footer.xpath(".//a[@class='psb']")[0]
        assert text(psb) == PSB and psb.get("href") == "https://beian.mps.gov.cn/#/query/webSearch?code=53010202000123"
        assert text(footer.xpath(".//span[@class='news-licence']")[0]) == f"互联网新闻信息服务许可证:{LICENCE}"


def test_no_registrations_no_line(client, reprint):
    page = html(client.get("/"))
    assert page.xpath("//p[@class='licences']") == []
