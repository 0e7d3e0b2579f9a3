"""newsroom.rows.converter: values read by plain SQL become what the ORM gives, for every field
type it knows, on the database the suite runs on (SQLite, or PostgreSQL with HUIWEN_DATABASE_URL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from huiwen.newsroom import rows
from huiwen.newsroom.models import Article, Channel, Publisher, Story
from huiwen.search.models import Profile, RelatedArticle
from tests import factories

pytestmark = pytest.mark.django_db

MODELS: tuple[type[Model], ...] = (Article, Channel, Publisher, Story, Profile, RelatedArticle)


def _stored(model: type[Model], column: str) -> list[object]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        pk = model._meta.pk
        assert pk is not None
        cursor.execute(f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} ORDER BY {quote(pk.column)}")
        return [row[0] for row in cursor.fetchall()]


def test_every_known_field_type_converts_as_the_orm_reads_it():
    news = factories.channel("news", "新闻", live=False)
    city = factories.channel("city", "本地", parent=news)
    early = factories.article(city, "澄州老街改造完工", hours_ago=30, print_date=factories.print_date(2))
    late = factories.article(news, "北山茶园迎来采摘季", published_at=timezone.now().replace(microsecond=123456))
    story = Story.objects.create()
    Story.objects.filter(pk=story.pk).update(first_published_at=early.published_at - timedelta(seconds=1))
    Profile.objects.filter(article=early).update(related_at=timezone.now())  # profiles: the index's own
    Profile.objects.filter(article=late).update(related_at=None)
    RelatedArticle.objects.update_or_create(article=early, related=late, defaults={"score": 0.625})
    checked = set()
    for model in MODELS:
        pk = model._meta.pk
        assert pk is not None
        for field in model._meta.concrete_fields:
            try:
                convert = rows.converter(model, field.name)
            except TypeError:
                assert field.get_internal_type() not in rows._CONVERSIONS  # refused, never passed through
                continue
            expected = list(model.objects.order_by(pk.attname).values_list(field.attname, flat=True))
            got = [convert(value) for value in _stored(model, field.column)]
            assert got == expected, (model, field.name)
            assert [type(value) for value in got] == [type(value) for value in expected], (model, field.name)
            checked.add(field.get_internal_type())
    # Every type of the table met a stored value: dates and times, truth values, keys, text, numbers.
    assert {"DateTimeField", "DateField", "BooleanField", "ForeignKey", "OneToOneField", "BigAutoField",
            "CharField", "TextField", "FloatField", "PositiveIntegerField"} <= checked
    assert rows.from_db(Article, "published_at", _stored(Article, "published_at")[1]) == late.published_at
    with pytest.raises(TypeError):
        rows.converter(Profile, "terms")  # a JSON column: not in the table, so refused
