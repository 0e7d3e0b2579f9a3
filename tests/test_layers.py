"""The dependency graph of docs/architecture.md holds: import-linter checks the contracts in pyproject.toml.

`make lint` runs the same check; here it is part of the suite, and a copy of the source with one
import that points the wrong way shows that the check would catch it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(source_root: Path, config: Path) -> subprocess.CompletedProcess[str]:
    # The source folder first on the path, so the copy (not the installed package) is analysed.
    env = {**os.environ, "PYTHONPATH": str(source_root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(config)], cwd=source_root.parent,
                          env=env, capture_output=True, text=True, timeout=300)


def test_the_code_keeps_every_import_contract():
    result = lint_imports(ROOT / "src", ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout


def test_no_import_is_excused():
    """The desk's pages over several apps moved up into huiwen.desk: no contract lists exceptions."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    assert contracts
    assert [contract["name"] for contract in contracts if contract.get("ignore_imports")] == []


@pytest.mark.parametrize(("module", "bad_import", "broken"), [
    # The change service must not know who listens to it.
    ("huiwen/newsroom/models.py", "import huiwen.search.indexing", "huiwen.newsroom is not allowed to import"),
    # The collector and the takedown desk meet only through newsroom's ports.
    ("huiwen/collect/store.py", "import huiwen.takedown.models", "huiwen.collect is not allowed to import"),
    # The reader is below the static publisher: no cycle.
    ("huiwen/reader/views.py", "import huiwen.publish.static", "huiwen.reader is not allowed to import"),
    # The desk's domain sits beside the collector, takedown and search: its pages over them are in huiwen.desk.
    ("huiwen/backoffice/workflow.py", "import huiwen.collect.models", "huiwen.backoffice is not allowed to import"),
    ("huiwen/backoffice/live.py", "import huiwen.takedown.service", "huiwen.backoffice is not allowed to import"),
    # ... and below the reader, whose page the desk's preview shows.
    ("huiwen/backoffice/revisions.py", "import huiwen.reader.views", "huiwen.backoffice is not allowed to import"),
    # The reader knows nothing of the desk.
    ("huiwen/reader/feeds.py", "import huiwen.desk.views.queue", "huiwen.reader is not allowed to import"),
    # The text tools stay free of Django.
    ("huiwen/text/urls.py", "import django.db", "huiwen.text is not allowed to import django"),
])
def test_an_import_pointing_the_wrong_way_breaks_the_check(tmp_path, module, bad_import, broken):
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "huiwen", copy / "huiwen", ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text() + f"\n{bad_import}  # noqa\n")
    config = tmp_path / "pyproject.toml"
    shutil.copy(ROOT / "pyproject.toml", config)
    result = lint_imports(copy, config)
    assert result.returncode != 0
    assert broken in " ".join(result.stdout.split()), result.stdout


def test_the_collector_asks_its_siblings_through_ports():
    """collect imports neither takedown nor the desk; the answers come through newsroom.ports,
    filled by those apps, and an unfilled port refuses rather than guesses."""
    from huiwen.backoffice import attribution, screening
    from huiwen.newsroom import ports
    from huiwen.takedown import blocklist

    assert ports.blocked_reason._answer is blocklist.blocked_reason
    assert ports.screen_collected._answer is screening.screen_collected
    assert ports.real_name._answer is attribution.real_name
    with pytest.raises(LookupError, match="nobody"):
        ports.Port("nobody")()
