"""Fixtures for the extractor tests (no Django needed here).

``src`` is put on the path when huiwen is not installed, so these tests also
run from a bare checkout: ``python -m pytest tests/extract``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if importlib.util.find_spec("huiwen") is None:  # pragma: no cover - depends on the install
    sys.path.insert(0, str(ROOT / "src"))

SITES = ROOT / "tests" / "sites" / "extract"
CORPUS = ROOT.parent / "shared" / "corpus" / "extraction"


@pytest.fixture
def sites() -> Path:
    return SITES
