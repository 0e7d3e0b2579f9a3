"""Settings are data: every declared setting is documented, and nothing reads an undeclared one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from huiwen.config import SETTINGS, settings_document

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented():
    documented = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [setting.name for setting in SETTINGS if f"`{setting.name}`" not in documented]
    assert not missing, f"undocumented settings: {missing}; run `huiwen settings_doc > docs/settings.md`"
    assert documented == settings_document(), "out of date: `huiwen settings_doc > docs/settings.md`"


def test_no_undeclared_environment_variables_in_the_code():
    declared = {setting.name for setting in SETTINGS}
    used = set()
    for path in (ROOT / "src" / "huiwen").rglob("*.py"):
        used |= set(re.findall(r"\bHUIWEN_[A-Z0-9_]+\b", path.read_text(encoding="utf-8")))
    assert used <= declared, f"read but not declared in huiwen.config: {sorted(used - declared)}"


def test_malformed_value_stops_with_a_clear_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import huiwen.settings"],
        env={"HUIWEN_DEBUG": "maybe", "HUIWEN_DATA_DIR": str(tmp_path), "PATH": ""},
        capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert "HUIWEN_DEBUG" in result.stderr and "maybe" in result.stderr
