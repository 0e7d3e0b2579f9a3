"""/api/v1/articles and /api/v1/articles/{id}: fields, filters, pagination, visibility, caching."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date

from huiwen.newsroom.models import Article
from tests import factories
from tests.api.conftest import API, get, ids

pytestmark = pytest.mark.django_db


def test_list_is_the_visible_articles_newest_first(client, newsroom):
    _, data = get(client, "/articles")
    assert ids(data["items"]) == ids_of(newsroom.visible)
    assert data["next_cursor"] is None and data["next_url"] is None
    first = data["items"][0]
    assert first["title"] == "城市绿道贯通(和音)"
    assert first["excerpt"] == "全长四十公里的滨江绿道昨日全线贯通。"
    assert first["channel"] == {"id": newsroom.news.pk, "name": "新闻", "path": "news", "url": "http://testserver/news/"}
    assert first["publisher"] == {"id": newsroom.daily.pk, "name": "澄州日报", "url": "https://daily.chengzhou.example/"}
    assert first["url"] == f"http://testserver/a/{newsroom.full.pk}.html"
    assert first["api_url"] == f"http://testserver{API}/articles/{newsroom.full.pk}"


def ids_of(articles: list[Article]) -> list[int]:
    return [article.pk for article in articles]


def test_times_are_iso_8601_in_beijing_time(client, newsroom):
    _, data = get(client, "/articles")
    for item in data["items"]:
        moment = datetime.fromisoformat(item["published_at"])
        assert item["published_at"].endswith("+08:00")
        assert moment.microsecond == 0


def test_channel_filter_includes_sub_channels(client, newsroom):
    _, news = get(client, "/articles", channel="news")
    assert set(ids(news["items"])) == {newsroom.full.pk, newsroom.china_story.pk, newsroom.weekly_story.pk}
    _, china = get(client, "/articles", channel="news/china")
    assert ids(china["items"]) == [newsroom.china_story.pk]


@pytest.mark.parametrize("path", ["nowhere", "news/nowhere", "archive", "archive/old"])
def test_unknown_or_hidden_channel_is_404(client, newsroom, path):
    _, error = get(client, "/articles", expect=404, channel=path)
    assert error["code"] == "channel_not_found"


def test_publisher_filter(client, newsroom):
    _, data = get(client, "/articles", publisher=newsroom.weekly.pk)
    assert ids(data["items"]) == [newsroom.weekly_story.pk]
    _, error = get(client, "/articles", expect=404, publisher=999999)
    assert error["code"] == "publisher_not_found"


def test_date_filters_are_inclusive_days_in_site_time(client, newsroom):
    old = factories.article(newsroom.tech, "去年的绿道规划", published_at=timezone.now() - timedelta(days=400))
    day = timezone.localdate(old.published_at).isoformat()
    _, that_day = get(client, "/articles", since=day, until=day)
    assert ids(that_day["items"]) == [old.pk]
    _, recent = get(client, "/articles", since=(timezone.localdate() - timedelta(days=30)).isoformat())
    assert old.pk not in ids(recent["items"])
    _, before = get(client, "/articles", until=(timezone.localdate() - timedelta(days=30)).isoformat())
    assert ids(before["items"]) == [old.pk]


@pytest.mark.parametrize(
    ("since", "until"),
    [("0001-01-01", "9999-12-31"), ("9999-12-31", None), (None, "0001-01-01"), ("2026-03-02", "2026-03-01")],
)
def test_extreme_or_empty_date_ranges_answer_without_error(client, newsroom, since, until):
    params = {key: value for key, value in {"since": since, "until": until}.items() if value}
    _, data = get(client, "/articles", **params)
    expected = ids_of(newsroom.visible) if since == "0001-01-01" else []
    assert ids(data["items"]) == expected
    _, found = get(client, "/search", q="绿道", **params)
    assert len(found["hits"]) == len(expected)


def test_cursor_pages_through_everything_once(client, newsroom):
    same_moment = timezone.now() - timedelta(minutes=5)
    twins = [factories.article(newsroom.tech, f"同一时刻{n}", published_at=same_moment) for n in range(3)]
    seen: list[int] = []
    _, page = get(client, "/articles", limit=2)
    while True:
        assert len(page["items"]) <= 2
        seen += ids(page["items"])
        if page["next_cursor"] is None:
            break
        assert page["next_url"].startswith(f"http://testserver{API}/articles?")
        _, page = get(client, "/articles", limit=2, cursor=page["next_cursor"])
    assert len(seen) == len(set(seen)) == len(newsroom.visible) + 3
    assert set(ids_of(twins)) <= set(seen)
    published = {a.pk: a.published_at for a in Article.objects.filter(pk__in=seen)}
    assert [published[pk] for pk in seen] == sorted(published.values(), reverse=True)


def test_next_url_keeps_the_filters(client, newsroom):
    _, page = get(client, "/articles", channel="news", limit=1)
    response = client.get(page["next_url"])
    assert response.status_code == 200
    assert set(ids(response.json()["items"])) <= {newsroom.china_story.pk, newsroom.weekly_story.pk}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"cursor": "yesterday"}, "cursor"),
        ({"cursor": "-1-5"}, "cursor"),
        ({"channel": "News"}, "channel"),
        ({"channel": "news/"}, "channel"),
        ({"publisher": 0}, "publisher"),
        ({"publisher": 2**63}, "publisher"),
        ({"since": "2026-02-30"}, "since"),
        ({"until": "yesterday"}, "until"),
    ],
)
def test_bad_parameters_are_400_with_the_parameter_named(client, newsroom, params, parameter):
    _, error = get(client, "/articles", expect=400, **params)
    assert error["status"] == 400 and error["code"] == "invalid_parameters"
    assert [detail["parameter"] for detail in error["errors"]] == [parameter]
    assert error["errors"][0]["location"] == "query"


def test_limit_is_capped_at_the_maximum(client, newsroom):
    for n in range(5):
        factories.article(newsroom.tech, f"补充稿件{n}")
    _, data = get(client, "/articles", limit=100)
    assert data["limit"] == 100 and len(data["items"]) == len(newsroom.visible) + 5
    _, small = get(client, "/articles", limit=1)
    assert len(small["items"]) == 1 and small["next_cursor"]


def test_detail_has_every_reader_visible_field(client, newsroom):
    article = newsroom.full
    _, data = get(client, f"/articles/{article.pk}")
    assert data["title"] == "城市绿道贯通(和音)"
    assert data["column"] == "和音"
    assert data["original_title"] == "绿道连起城市的东西两岸"
    assert data["original_author"] == "林晓"
    assert data["editor"] == "王明"
    assert data["publisher"]["name"] == "澄州日报"
    assert data["source_url"] == "https://daily.chengzhou.example/2026/01/05/greenway.html"
    assert data["lede"] == "全长四十公里的滨江绿道昨日全线贯通。"
    assert data["body_html"] == article.body
    assert "<script" not in data["body_html"] and "onclick" not in data["body_html"]
    assert data["published_at"] == timezone.localtime(article.published_at).replace(microsecond=0).isoformat()
    assert data["print_citation"] == {
        "newspaper": "澄州日报", "date": "2026-01-05", "page": "03", "text": "《澄州日报》(2026年01月05日 03 版)"
    }
    assert [crumb["path"] for crumb in data["breadcrumbs"]] == ["news"]
    assert data["url"] == f"http://testserver/a/{article.pk}.html"
    assert data["canonical_url"] == article.source_url  # HUIWEN_CANONICAL=original


def test_detail_of_a_sparse_article_uses_null(client, newsroom, settings):
    settings.HUIWEN = {**settings.HUIWEN, "CANONICAL": "self"}
    bare = factories.article(newsroom.china, "简讯", publisher=None, source_url=None)
    _, data = get(client, f"/articles/{bare.pk}")
    for field in ("column", "original_title", "original_author", "editor", "lede", "source_url",
                  "print_citation", "publisher"):
        assert data[field] is None, field
    assert [crumb["name"] for crumb in data["breadcrumbs"]] == ["新闻", "国内"]
    assert data["canonical_url"] == f"http://testserver/a/{bare.pk}.html"


@pytest.mark.parametrize("kind", ["draft", "pending", "embargoed", "in_hidden"])
def test_detail_of_an_invisible_article_is_404(client, newsroom, kind):
    _, error = get(client, f"/articles/{getattr(newsroom, kind).pk}", expect=404)
    assert error == {"status": 404, "code": "article_not_found", "message": error["message"], "errors": []}
    assert "文章不存在" in error["message"]


def test_detail_of_a_withdrawn_article_is_410(client, newsroom):
    response, error = get(client, f"/articles/{newsroom.withdrawn.pk}", expect=410)
    assert error["code"] == "article_gone" and "撤下" in error["message"]
    assert "绿道" not in response.content.decode()  # nothing of the article itself


def test_withdrawn_in_a_hidden_channel_is_still_410(client, newsroom):
    gone = factories.article(newsroom.hidden_child, "旧闻撤稿", status=Article.Status.WITHDRAWN)
    get(client, f"/articles/{gone.pk}", expect=410)


def test_detail_ids_out_of_range(client, newsroom):
    get(client, "/articles/987654321", expect=404)
    _, error = get(client, f"/articles/{2**63}", expect=400)
    assert error["errors"][0] == {"parameter": "article_id", "location": "path", "message": error["errors"][0]["message"]}
    get(client, "/articles/0", expect=400)
    get(client, "/articles/abc", expect=400)
    get(client, "/articles/-3", expect=400)


def test_withdrawing_takes_an_article_off_the_list_at_once(client, newsroom):
    _, before = get(client, "/articles")
    newsroom.tech_story.status = Article.Status.WITHDRAWN
    newsroom.tech_story.save()
    _, after = get(client, "/articles")
    assert newsroom.tech_story.pk in ids(before["items"])
    assert newsroom.tech_story.pk not in ids(after["items"])
    get(client, f"/articles/{newsroom.tech_story.pk}", expect=410)


def test_conditional_get_on_the_list(client, newsroom):
    response, _ = get(client, "/articles")
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Access-Control-Allow-Origin"] == "*"
    latest = max(a.updated_at for a in Article.objects.all() if a.published_at <= timezone.now())
    assert response["Last-Modified"] == http_date(latest.timestamp())
    etag = response["ETag"]
    again = client.get(f"{API}/articles", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content
    since = client.get(f"{API}/articles", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    newsroom.tech_story.status = Article.Status.WITHDRAWN
    newsroom.tech_story.save()
    changed = client.get(f"{API}/articles", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_conditional_get_on_an_article(client, newsroom):
    response, _ = get(client, f"/articles/{newsroom.full.pk}")
    assert response["Last-Modified"] == http_date(newsroom.full.updated_at.timestamp())
    again = client.get(f"{API}/articles/{newsroom.full.pk}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"


def test_head_answers_headers_without_a_body(client, newsroom):
    response = client.head(f"{API}/articles/{newsroom.full.pk}")
    full = client.get(f"{API}/articles/{newsroom.full.pk}")
    assert response.status_code == 200 and response.content == b""
    assert response["ETag"] == full["ETag"]
    assert int(response["Content-Length"]) == len(full.content)
