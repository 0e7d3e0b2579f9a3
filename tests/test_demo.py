"""`huiwen demo` loads authored sample content into an empty database, idempotently."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from huiwen.newsroom import demo_content
from huiwen.newsroom.demo import load_demo_content
from huiwen.newsroom.models import Article, Channel, Publisher

pytestmark = pytest.mark.django_db


def test_demo_content_meets_the_brief():
    report = load_demo_content()
    assert report.articles >= 60 and Article.objects.visible().count() == report.articles
    leaves = Channel.objects.filter(children__isnull=True, depth=1)
    assert leaves.count() >= 8
    assert all(channel.articles.exists() for channel in leaves)
    assert Publisher.objects.count() >= 3
    assert Article.objects.exclude(column="").count() >= 10
    assert Article.objects.exclude(lede="").count() >= 10
    assert Article.objects.exclude(print_newspaper="").count() >= 10
    assert Article.objects.filter(editor="").count() == 0


def test_running_twice_duplicates_nothing():
    load_demo_content()
    counts = (Channel.objects.count(), Publisher.objects.count(), Article.objects.count())
    second = load_demo_content()
    assert (second.channels, second.publishers, second.articles) == (0, 0, 0)
    assert (Channel.objects.count(), Publisher.objects.count(), Article.objects.count()) == counts


def test_column_tags_match_titles():
    for spec in demo_content.ARTICLES:
        if spec["column"]:
            assert re.search(rf"[(\uff08]{re.escape(spec['column'])}[)\uff09]\s*$", spec["title"]), spec["title"]


def test_demo_command_prepares_without_serving(capsys):
    call_command("demo", "--no-serve", "--no-sample-site")  # the sample site: tests/test_demo_site.py
    out = capsys.readouterr().out
    assert "示例内容" in out
    assert Article.objects.count() == len(demo_content.ARTICLES)
