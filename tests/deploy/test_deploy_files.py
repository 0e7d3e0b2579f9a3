"""`huiwen deploy-files`: units systemd accepts and a site nginx accepts, for this installation."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.test_nginx import NGINX

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
UNITS = ["huiwen-web.service", "huiwen-worker.service", "huiwen-publish.service", "huiwen-search-engine.service"]


@pytest.fixture
def written(make_stack, tmp_path):
    stack = make_stack(HUIWEN_DATABASE_URL="postgres://huiwen:pa%24%24word@db.internal:5432/huiwen",
                       HUIWEN_SECRET_KEY='a"key$with\\odd%chars', HUIWEN_HTTPS="1")
    out = tmp_path / "deploy"
    result = stack.huiwen("deploy-files", str(out), "--user", "news", "--app", "127.0.0.1:8123", "--web-workers", "3",
                          "--server-name", "news.example.com", "--listen", "8080")
    return stack, out, result.stdout


def _unit(path: Path) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = ""
    for line in path.read_text().splitlines():
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = {}
        elif "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            sections[current].setdefault(key, []).append(value)
    return sections


def test_units_pass_systemd_analyze_verify(written):
    if not SYSTEMD_ANALYZE:
        pytest.skip("systemd-analyze is not installed (Debian's systemd package)")
    _, out, stdout = written
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", *(f"./{unit}" for unit in UNITS)], cwd=out,
                            capture_output=True, text=True, env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"})
    assert result.returncode == 0, result.stderr
    complaints = [line for line in result.stderr.splitlines() if "huiwen-" in line]
    assert complaints == [], complaints  # no unknown keys, no bad values
    assert "systemctl daemon-reload" in stdout


def test_units_run_what_this_installation_runs(written):
    stack, out, _ = written
    web = _unit(out / "huiwen-web.service")["Service"]
    command = web["ExecStart"][0].split()
    assert Path(command[0]).exists() and command[1:4] == ["-m", "gunicorn", "huiwen.wsgi"]
    assert "python:huiwen.ops.gunicorn_conf" in command and command[-4:] == ["--bind", "127.0.0.1:8123", "--workers", "3"]
    assert web["User"] == ["news"] and web["Type"] == ["notify"]
    data = str(Path(stack.env["HUIWEN_DATA_DIR"]).resolve())
    assert web["ReadWritePaths"] == [data] and web["ProtectSystem"] == ["strict"]
    worker = _unit(out / "huiwen-worker.service")["Service"]
    assert worker["ExecStart"][0].split()[1:] == ["-m", "huiwen", "worker", "--workers", "4"]
    assert worker["KillSignal"] == ["SIGINT"]
    publish = _unit(out / "huiwen-publish.service")["Service"]
    # One long-running publisher (tests/deploy/test_publish_watch.py runs it), restarted if it dies.
    assert publish["Type"] == ["simple"] and publish["ExecStart"][0].endswith("-m huiwen publish --watch --no-progress")
    assert publish["Restart"] == ["always"] and "KillSignal" not in publish  # SIGTERM: after the run in progress
    assert not (out / "huiwen-publish.timer").exists()
    engine = _unit(out / "huiwen-search-engine.service")["Service"]  # tests/deploy/test_search_engine_follow.py runs it
    assert engine["ExecStart"][0].split()[1:] == ["-m", "huiwen", "search_index", "--engine", "--follow"]
    assert engine["Restart"] == ["always"]
    for unit in UNITS:
        assert _unit(out / unit)["Service"]["EnvironmentFile"] == ["/etc/huiwen/huiwen.env"]
        assert _unit(out / unit)["Install"]["WantedBy"] == ["multi-user.target"]


def test_environment_file_carries_the_settings_and_is_private(written):
    stack, out, _ = written
    env_file = out / "huiwen.env"
    assert env_file.stat().st_mode & 0o777 == 0o600
    # systemd reads it back as the shell would: the values come back exactly.
    script = f"set -a; . {env_file}; " + "; ".join(
        f'printf "%s\\n" "${name}"' for name in ("HUIWEN_DATABASE_URL", "HUIWEN_SECRET_KEY", "HUIWEN_HTTPS",
                                                "HUIWEN_DATA_DIR"))
    values = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True,
                            env={"PATH": os.environ["PATH"]}).stdout.splitlines()
    assert values == ["postgres://huiwen:pa%24%24word@db.internal:5432/huiwen", 'a"key$with\\odd%chars', "1",
                      str(Path(stack.env["HUIWEN_DATA_DIR"]).resolve())]


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (make test installs it)")
def test_nginx_site_passes_nginx_t(written, tmp_path):
    _, out, _ = written
    site = (out / "nginx-huiwen.conf").read_text()
    assert "listen 8080;" in site and "server_name news.example.com;" in site and "server 127.0.0.1:8123;" in site
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{ worker_connections 64; }}\nhttp {{\n include /etc/nginx/mime.types;\n"
        f" client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f" fastcgi_temp_path {tmp_path}/fcgi; uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;\n"
        f" include {out / 'nginx-huiwen.conf'};\n}}\n")
    result = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert result.returncode == 0 and "test is successful" in result.stderr, result.stderr
    broken = tmp_path / "broken.conf"
    broken.write_text(conf.read_text().replace(str(out / "nginx-huiwen.conf"), str(tmp_path / "site-broken.conf")))
    (tmp_path / "site-broken.conf").write_text(site.replace("proxy_pass", "proxy_passs"))
    assert subprocess.run([NGINX, "-t", "-c", str(broken)], capture_output=True).returncode != 0  # the check can fail
