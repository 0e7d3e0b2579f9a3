"""Headers: a Content-Security-Policy on every page, with nothing inline for it to block.

The attack (issue 13): no Content-Security-Policy anywhere, so one stored-XSS slip would run. Here
every kind of page is fetched from a real server in Chromium: each response's headers are checked,
and Chromium reports every violation of the policy, so a page that needed inline script or style
(which the policy now blocks) would show up as one.
"""

from __future__ import annotations

import pytest
from django.test import Client

from huiwen.newsroom.demo import load_demo_content
from huiwen.newsroom.models import Article
from huiwen.takedown.models import Notice
from tests.abuse.headers import problems
from tests.newsroom.desk import user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

READER = ["/", "/zh-hant/", "/search?q=%E8%8C%B6", "/zh-hant/search?q=%E8%8C%B6", "/takedown/", "/transparency/",
          "/feed/rss.xml", "/sitemap.xml", "/robots.txt", "/no-such-page/", "/api/v1/articles", "/api/v1/docs",
          "/newsroom/login/", "/admin/login/"]
DESK = ["/newsroom/", "/newsroom/channels/", "/newsroom/sources/", "/newsroom/audit/", "/newsroom/words/", "/admin/",
        "/admin/takedown/notice/", "/admin/collect/source/"]


def test_every_page_carries_the_policy_and_breaks_none_of_it(live_server, page):
    load_demo_content()
    article = Article.objects.visible().first()
    reader = [*READER, article.get_absolute_url(), article.channel.get_absolute_url(),
              f"/zh-hant{article.get_absolute_url()}"]
    chief = user("chief-csp", "chief")
    chief.is_staff = chief.is_superuser = True
    chief.save()
    session = Client()
    session.force_login(chief)
    notice = Notice.objects.create(claimant_name="某报社", email="a@example.com", address="某地", works="某文",
                                   urls="https://x.example/", evidence_text="证明")
    desk = [*DESK, f"/admin/takedown/notice/{notice.pk}/change/"]

    violations: list[str] = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text[:400]}")
            if "Content Security Policy" in message.text else None)
    for number, path in enumerate([*reader, *desk]):
        if number == len(reader):
            page.context.add_cookies([{"name": "sessionid", "value": session.cookies["sessionid"].value,
                                       "url": live_server.url}])
        if path.endswith(".xml"):  # Chromium's own XML viewer styles inline: check headers only
            response = page.request.get(live_server.url + path)
        else:
            response = page.goto(live_server.url + path)
        assert response.status < 500, path
        assert problems(response.headers) == [], path
        if number >= len(reader):
            assert response.status == 200, path
    assert not violations, "\n".join(violations)
