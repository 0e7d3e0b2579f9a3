"""Takedown fixtures: a story reprinted twice, an unrelated article, a localised image, clean folders."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache

from huiwen.collect.models import ArticleImage, ImageAsset
from huiwen.newsroom.models import Article, Story
from tests import factories
from tests.collect.conftest import channel, make_source, png, run_collector, site  # noqa: F401 - shared fixtures

BODY = ("<p>晚高峰的地铁站里,志愿者们举着指示牌,为第一次乘车的老人讲解换乘路线。</p>"
        "<p>据运营公司介绍,新线开通一周以来,日均客流已经超过十二万人次,沿线商圈的人气明显回升。</p>"
        "<p>不少市民说,过去坐公交要一个小时的路程,现在二十分钟就能到。</p>")


@dataclass
class World:
    original: Article
    reprint: Article
    other: Article
    image_url: str
    image_path: Path


@pytest.fixture(autouse=True)
def takedown_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The procedure's own tests: a small complete notice acts at once. The gates in front of that
    # (first-time claimants, large reach) are tested with the attacks in tests/abuse.
    settings.TAKEDOWN = {**settings.TAKEDOWN, "PRIVATE_DIR": tmp_path / "private", "MODE": "immediate",
                         "REVIEW_NEW_CLAIMANTS": False}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    return settings


@pytest.fixture
def world(settings):
    news = factories.channel("news", "新闻频道")
    city = factories.channel("city", "城市", parent=news)
    story = Story.objects.create()
    daily = factories.publisher("江城日报", contact_email="rights@jiangcheng-daily.example")
    evening = factories.publisher("江城晚报")
    data = png()
    digest = hashlib.sha256(data).hexdigest()
    relative = f"img/{digest[:2]}/{digest[2:4]}/{digest}.png"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    asset = ImageAsset.objects.create(sha256=digest, file=relative, content_type="image/png", size=len(data))
    body_with_image = f'<figure><img src="/media/{relative}" alt="地铁"><figcaption>地铁站</figcaption></figure>' + BODY
    original = factories.article(city, "地铁新线开通一周 日均客流超过十二万", body=body_with_image, story=story,
                                 publisher=daily, hours_ago=3, source_url="https://www.jiangcheng-daily.example/2026/1128/metro.html")
    reprint = factories.article(city, "新线开通一周客流过十二万", body=BODY, story=story, publisher=evening, hours_ago=2,
                                source_url="https://www.jiangcheng-evening.example/news/20261128/77.html")
    other = factories.article(city, "江边步道夜间照明完工", hours_ago=1,
                              body="<p>江边步道的路灯全部换成了节能灯,夜跑的市民多了起来。</p>")
    ArticleImage.objects.create(article=original, source_url="https://img.example/metro.png", asset=asset,
                                state=ArticleImage.State.STORED)
    return World(original, reprint, other, f"/media/{relative}", path)


def notice_data(world: World, **overrides: str) -> dict[str, str]:
    data = {
        "regime": "cn",
        "claimant_name": "江城日报社",
        "agent_name": "",
        "email": "legal@jiangcheng-daily.example",
        "phone": "027-00000000",
        "address": "江城市滨江路1号",
        "works": "《地铁新线开通一周 日均客流超过十二万》",
        "urls": f"http://testserver{world.original.get_absolute_url()}",
        "original_location": world.original.source_url,
        "evidence_text": "该文为本社记者采写,首发于江城日报2026年11月28日第2版,附版面截图。",
        "accuracy": "on",
        "good_faith": "on",
        "signature": "",
    }
    data.update(overrides)
    return data
