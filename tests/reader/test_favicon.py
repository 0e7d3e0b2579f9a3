"""The site's icon: linked from every reader page and found at /favicon.ico, where browsers look."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from tests import factories
from tests.reader.pages import html

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_an_icon_of_the_usual_sizes(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and "max-age=86400" in response["Cache-Control"]
    target = response["Location"]
    assert target.startswith("/static/") and target.endswith(".ico")
    icon = Image.open(BytesIO(Path(finders.find("reader/favicon.ico")).read_bytes()))
    assert icon.format == "ICO" and {(16, 16), (32, 32)} <= set(icon.info["sizes"])
    assert client.post("/favicon.ico").status_code == 405


def test_pages_link_the_icon_in_both_editions(client):
    factories.article(factories.channel("news", "新闻频道"))
    for path in ("/", "/zh-hant/", "/news/"):
        page = html(client.get(path))
        icons = page.xpath("//head/link[@rel='icon']/@href")
        touch = page.xpath("//head/link[@rel='apple-touch-icon']/@href")
        assert len(icons) == 1 and icons[0].endswith(".ico"), path
        assert len(touch) == 1 and touch[0].endswith(".png"), path
        assert finders.find(touch[0].removeprefix("/static/")), touch[0]
