"""The `huiwen` script on a data folder without tables: it migrates, or says in one line what to run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HUIWEN = [sys.executable, "-m", "huiwen"]


def _env(tmp_path) -> dict[str, str]:
    env = {**os.environ, "HUIWEN_DATA_DIR": str(tmp_path / "data"), "HUIWEN_LOG_LEVEL": "ERROR"}
    env.pop("HUIWEN_DATABASE_URL", None)  # a fresh SQLite data folder is what a newcomer has
    return env


def _huiwen(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*HUIWEN, *args], env=env, capture_output=True, text=True, timeout=120)


def test_a_command_on_a_fresh_data_folder_builds_the_tables_first(tmp_path):
    env = _env(tmp_path)
    added = _huiwen(env, "channel", "add", "news", "新闻频道")
    assert added.returncode == 0, added.stderr
    assert "Traceback" not in added.stderr and "OperationalError" not in added.stderr
    assert added.stderr.strip().splitlines() == ["huiwen:数据库还没有表,正在建立(huiwen migrate)……"]
    assert "已添加频道" in added.stdout
    listed = _huiwen(env, "channel", "list")
    assert listed.returncode == 0 and listed.stderr == "" and "/news/" in listed.stdout


def test_missing_migrations_are_named_in_one_line_and_nothing_runs(tmp_path):
    env = _env(tmp_path)
    assert _huiwen(env, "migrate", "--verbosity", "0").returncode == 0
    assert _huiwen(env, "migrate", "collect", "zero", "--verbosity", "0").returncode == 0
    listed = _huiwen(env, "source", "list")
    assert listed.returncode == 2
    lines = listed.stderr.strip().splitlines()
    assert len(lines) == 1 and "尚未应用" in lines[0] and "huiwen migrate" in lines[0], listed.stderr
    assert listed.stdout == ""


def test_an_unreachable_database_is_one_line_too(tmp_path):
    env = {**_env(tmp_path), "HUIWEN_DATABASE_URL": "postgres://nobody:wrong@127.0.0.1:1/none"}
    listed = _huiwen(env, "source", "list")
    assert listed.returncode == 2
    lines = listed.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("huiwen:无法读取数据库"), listed.stderr


@pytest.mark.parametrize("args", [["settings_doc"], ["nginx_config"], ["help"]])
def test_commands_that_need_no_tables_leave_a_fresh_folder_alone(tmp_path, args):
    env = _env(tmp_path)
    done = _huiwen(env, *args)
    assert done.returncode == 0, done.stderr
    assert "正在建立" not in done.stderr and "尚未应用" not in done.stderr
