"""A small newsroom for search and 相关阅读 tests: fictional articles on a few topics."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from huiwen.newsroom.models import Article, Channel, Publisher
from tests import factories

# The browser fixtures (Debian's chromium through Playwright), for test_browser.py.


def para(*sentences: str) -> str:
    return "".join(f"<p>{sentence}</p>" for sentence in sentences)


@dataclass
class World:
    news: Channel
    local: Channel
    tech: Channel
    sports: Channel
    daily: Publisher
    weekly: Publisher
    internet: Article  # Simplified, about 互联网
    taiwan: Article  # Traditional, about 網際網路
    tea: Article
    tea_market: Article
    marathon: Article
    ice_rink: Article


@pytest.fixture
def world() -> World:
    news = factories.channel("news", "新闻")
    local = factories.channel("local", "本地", parent=news)
    tech = factories.channel("tech", "科技")
    sports = factories.channel("sports", "体育")
    daily = factories.publisher("澄州日报")
    weekly = factories.publisher("澜山周刊")
    internet = factories.article(
        tech, "山区小学接入互联网 孩子们上起了直播课",
        body=para(
            "青禾乡中心小学上个月接入了光纤互联网,教室里装上了大屏幕。",
            "孩子们第一次通过直播和城里的老师一起上美术课,互联网让山里的课堂变大了。",
        ),
        publisher=daily, hours_ago=30,
    )
    taiwan = factories.article(
        tech, "偏鄉部落連上網際網路 長者學會視訊通話",
        body=para("花岩部落的長者在志工協助下,學會用平板電腦和在外地工作的子女視訊。", "網際網路縮短了城鄉距離。"),
        publisher=weekly, hours_ago=20,
    )
    tea = factories.article(
        local, "澄州春茶开采 茶农忙着抢收明前茶",
        body=para("清明前后,澄州北山的茶园一片忙碌。", "茶农说今年春茶芽头饱满,明前茶的价格比去年略高。"),
        publisher=daily, hours_ago=50,
    )
    tea_market = factories.article(
        local, "北山茶叶交易市场人气旺 新茶上市价格平稳",
        body=para("北山茶叶交易市场里,新采的春茶陆续上市。", "不少茶商说,明前茶的品质不错,价格总体平稳。"),
        publisher=weekly, hours_ago=10,
    )
    marathon = factories.article(
        sports, "澄州马拉松鸣枪开跑 两万名跑者穿越老城",
        body=para("清晨七点,澄州马拉松在东湖广场鸣枪开跑。", "赛道沿线设置了二十个补给站,医疗志愿者全程保障。"),
        publisher=daily, hours_ago=5,
    )
    ice_rink = factories.article(
        sports, "室内冰场周末一票难求",
        body=para("冬季运动越来越受欢迎,澄州的室内冰场周末场次早早售罄。", "教练提醒初学者先学会摔倒再学滑行。"),
        publisher=weekly, hours_ago=3,
    )
    return World(news, local, tech, sports, daily, weekly, internet, taiwan, tea, tea_market, marathon, ice_rink)
