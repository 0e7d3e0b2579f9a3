"""`huiwen check --deploy` is clean with production settings (HTTPS on, DEBUG off)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_check_deploy_is_clean_in_production(tmp_path):
    env = {**os.environ, "HUIWEN_DATA_DIR": str(tmp_path), "HUIWEN_HTTPS": "1", "HUIWEN_DEBUG": "0",
           "HUIWEN_ALLOWED_HOSTS": "news.example.com"}
    env.pop("HUIWEN_DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process, never in production
    result = subprocess.run([sys.executable, "-m", "huiwen", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_https(tmp_path):
    env = {**os.environ, "HUIWEN_DATA_DIR": str(tmp_path), "HUIWEN_HTTPS": "0", "HUIWEN_DEBUG": "0"}
    env.pop("HUIWEN_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "huiwen", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "SECURE_SSL_REDIRECT" in result.stdout + result.stderr
