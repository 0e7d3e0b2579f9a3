"""Login guessing as an attacker does it (issue 13).

The attack: 30 guesses at one account from 30 addresses, or 20 user names from one address, were
never throttled; behind the documented nginx every client was 127.0.0.1 to django-axes, so five
bad tries by anyone locked the real user out for 15 minutes.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.newsroom.desk import PASSWORD, user
from tests.reader.pages import html

pytestmark = pytest.mark.django_db
LOGIN = reverse("backoffice:login")
PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_LIMITS = {"PAIR": 5, "ADDRESS": 20, "ACCOUNT": 10}
    settings.PROXY_ADDRESSES = frozenset({PROXY})
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def through_nginx(address: str) -> Client:
    """A client behind our proxy: the request comes from nginx, which names the client."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=address)


def guess(client: Client, username: str, password: str = "wrong-guess-123") -> int:
    return client.post(LOGIN, {"username": username, "password": password}).status_code


def test_thirty_addresses_guessing_one_account_are_stopped_and_the_owner_still_signs_in():
    user("wanglan", "chief")
    owner = through_nginx("203.0.113.10")
    assert guess(owner, "wanglan", PASSWORD) == 302  # the owner's usual browser, now known
    owner.post(reverse("backoffice:logout"))  # signs out; the browser keeps its device cookie

    answers = [guess(through_nginx(f"198.51.100.{n}"), "wanglan") for n in range(30)]
    # Wrong password, said so; the 10th failure reaches the account-wide limit and is answered 429.
    assert answers[:9] == [200] * 9 and set(answers[9:]) == {429}
    # A fresh browser with the right password is refused too: the guesser cannot tell.
    assert guess(through_nginx("198.51.100.99"), "wanglan", PASSWORD) == 429
    # The owner's known browser is not locked out by strangers.
    assert guess(owner, "wanglan", PASSWORD) == 302


def test_an_owner_on_a_new_browser_unlocks_with_the_mailed_link():
    account = user("liqing", "editor")
    account.email = "liqing@newsroom.example"
    account.save()
    for n in range(12):
        guess(through_nginx(f"198.51.100.{n}"), "liqing")
    laptop = through_nginx("203.0.113.20")
    locked = laptop.post(LOGIN, {"username": "liqing", "password": PASSWORD})
    assert locked.status_code == 429
    form = html(locked).xpath("//form[contains(@action, 'unlock')]")[0]
    laptop.post(form.get("action"), {"username": "liqing"})
    link = re.search(r"http://\S+/unlock/\S+/", mail.outbox[-1].body).group(0)
    assert laptop.get(link).status_code == 200  # following the link alone changes nothing
    assert guess(laptop, "liqing", PASSWORD) == 429
    laptop.post(link)
    assert guess(laptop, "liqing", PASSWORD) == 302
    assert laptop.post(link).status_code == 400  # used: the login changed the token


def test_unlock_requests_reveal_nothing_about_accounts():
    first = Client().post(reverse("backoffice:request-unlock"), {"username": "nobody-here"}, follow=True)
    user("zhaoyun", "editor")  # exists, no e-mail on file
    second = Client().post(reverse("backoffice:request-unlock"), {"username": "zhaoyun"}, follow=True)
    assert html(first).xpath("string(//ul[@class='messages'])") == html(second).xpath("string(//ul[@class='messages'])")
    assert not mail.outbox


def test_twenty_user_names_from_one_address_are_stopped():
    sprayer = through_nginx("192.0.2.77")
    answers = [guess(sprayer, f"editor{n}") for n in range(25)]
    assert answers[:19] == [200] * 19 and set(answers[19:]) == {429}
    # Another address is not affected: the proxy named each client.
    user("zhouyu", "editor")
    assert guess(through_nginx("192.0.2.78"), "zhouyu", PASSWORD) == 302


def test_the_proxy_header_counts_only_from_our_proxy():
    user("sunce", "editor")
    # Claiming a fresh X-Real-IP each time does not help a client that is not our proxy.
    answers = [Client(REMOTE_ADDR="192.0.2.200", HTTP_X_REAL_IP=f"10.9.9.{n}").post(
        LOGIN, {"username": "sunce", "password": "wrong-guess-123"}).status_code for n in range(7)]
    assert answers[:4] == [200] * 4 and set(answers[4:]) == {429}
    # And a real user behind our proxy is not locked by it: a different address.
    assert guess(through_nginx("203.0.113.30"), "sunce", PASSWORD) == 302


def test_a_back_office_session_lasts_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    user("xiaoqiao", "editor")
    response = Client().post(LOGIN, {"username": "xiaoqiao", "password": PASSWORD})
    assert response.cookies["sessionid"]["max-age"] == 12 * 3600


def test_the_counts_read_the_account_and_window_as_django_axes_does():
    """login._username and login._since (ours, on documented settings) against django-axes' own helpers."""
    from datetime import timedelta

    from axes.attempts import get_cool_off_threshold
    from axes.helpers import get_client_username
    from django.test import RequestFactory
    from django.utils import timezone

    from huiwen.backoffice import login

    factory = RequestFactory()
    for data, credentials in (({"username": "林晓"}, None), ({"username": "林晓"}, {"username": "王震"}),
                              ({}, {"username": "王震"}), ({}, None), ({"password": "x"}, {})):
        request = factory.post("/backoffice/login/", data)
        assert login._username(request, credentials) == get_client_username(request, credentials)
    for stamp in (None, timezone.now() - timedelta(minutes=7)):
        request = factory.post("/backoffice/login/", {})
        request.axes_attempt_time = stamp
        if stamp is None:
            assert abs(login._since(request) - get_cool_off_threshold(request)) < timedelta(seconds=5)
        else:
            assert login._since(request) == get_cool_off_threshold(request)
