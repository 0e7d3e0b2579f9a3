"""The production stack once, for real: nginx (the repository's configuration) in front of gunicorn."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import lxml.html
import pytest

from tests.abuse.headers import REQUIRED, policy, problems
from tests.deploy.conftest import fetch, free_port, wait

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (make test installs it)")


@pytest.fixture
def stack(make_stack, tmp_path):
    installation = make_stack(HUIWEN_PROXY_ADDRESSES="127.0.0.1")
    installation.huiwen("demo", "--no-serve")
    installation.huiwen("publish", "--no-progress")
    app_port, web_port = free_port(), free_port()
    server = installation.huiwen("nginx_config", "--listen", f"127.0.0.1:{web_port}",
                                 "--app", f"127.0.0.1:{app_port}").stdout
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{ worker_connections 256; }}\nhttp {{\n include /etc/nginx/mime.types;\n access_log off;\n"
        f" client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f" fastcgi_temp_path {tmp_path}/fcgi; uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;\n"
        f"{server}\n}}\n"
    )
    installation.gunicorn(app_port)
    installation.start([NGINX, "-c", str(conf), "-g", "daemon off;"])
    base = f"http://127.0.0.1:{web_port}"
    wait(base + "/")
    return base, installation


def test_nginx_serves_published_files_and_the_app_the_rest(stack):
    base, installation = stack
    status, headers, body = fetch(base + "/")
    assert status == 200 and "X-Huiwen-Cache" not in headers  # nginx sent the published file
    assert headers["Cache-Control"] == "public, max-age=60"
    home = lxml.html.fromstring(body)
    article = next(href for href in home.xpath("//a/@href") if href.startswith("/a/"))
    stylesheet = home.xpath("//link[@rel='stylesheet']/@href")[0]

    assert fetch(base + article)[0] == 200
    css_status, css_headers, _ = fetch(base + stylesheet)
    assert css_status == 200 and "immutable" in css_headers["Cache-Control"]
    status, headers, body = fetch(base + "/search?q=%E9%AB%98%E9%93%81")  # 高铁: the app answers
    assert status == 200 and headers.get("X-Frame-Options") == "DENY"
    assert lxml.html.fromstring(body).xpath("//form[@role='search']")
    assert fetch(base + "/zh-hant/")[0] == 200
    assert fetch(base + "/no-such-page/")[0] == 404
    assert_same_security_headers(base, stylesheet)

    pk = article.removeprefix("/a/").removesuffix(".html")
    installation.huiwen("shell", "-c", "from huiwen.newsroom.models import Article; from huiwen.newsroom import actions; "
                          f"actions.withdraw([Article.objects.get(pk={pk})], None, 'nginx test')")
    status, _, body = fetch(base + article)
    assert status == 410  # the file went with the withdrawal; the app answered
    assert lxml.html.fromstring(body).xpath("string(//h1)") == "这篇文章已撤下"


def assert_same_security_headers(base: str, stylesheet: str) -> None:
    """Files nginx sends itself carry the app's security headers, each once (issue 13)."""
    app = fetch(base + "/search?q=x")[1]  # the app answers anything with a query string
    assert problems(app) == []
    for path in ("/", stylesheet, "/robots.txt"):
        headers = fetch(base + path)[1]
        assert problems(headers) == [], path
        for name in REQUIRED:
            same = policy if name == "Content-Security-Policy" else str  # directives come in any order
            assert same(headers[name]) == same(app[name]), (path, name)
    raw = fetch(base + "/search?q=x")[1]
    assert "," not in raw["X-Frame-Options"]  # not sent twice (nginx and app) and joined
