"""``python -m huiwen.extract FILE`` prints the draft as UTF-8 JSON with fixed keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from huiwen.extract import JSON_KEYS
from huiwen.extract.cli import main

ROOT = Path(__file__).resolve().parents[2]
SITES = ROOT / "tests" / "sites" / "extract"


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "huiwen.extract", *args], capture_output=True, env=env, timeout=60, check=False
    )


def test_prints_json_with_exactly_the_documented_keys() -> None:
    result = _run(str(SITES / "people_like.html"), "--url", "http://example.com/a.html")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.decode("utf-8"))
    assert tuple(data) == JSON_KEYS
    assert data["title"] == "让更多国家共享绿色航运成果(和音)"
    assert data["published_at"] == "2023-11-10T08:15:00+08:00"
    # UTF-8 text, not \u escapes: other tools read it as is.
    assert "让更多国家".encode() in result.stdout


def test_missing_file_exits_2() -> None:
    result = _run(str(SITES / "no-such-page.html"))
    assert result.returncode == 2
    assert b"no-such-page.html" in result.stderr
    assert result.stdout == b""


def test_unusable_input_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert main([str(empty)]) == 2


def test_main_returns_zero(capsysbinary: object) -> None:
    assert main([str(SITES / "english.html")]) == 0
