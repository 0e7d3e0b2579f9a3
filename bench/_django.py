"""Start Django for a benchmark on its own database: a fresh SQLite file, or PostgreSQL."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


def start(data_dir: str | None, database_url: str | None) -> Path:
    """Configure huiwen's settings for this process and run migrations. Returns the data dir."""
    folder = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="huiwen-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["HUIWEN_DATA_DIR"] = str(folder)
    os.environ["HUIWEN_LOG_LEVEL"] = "WARNING"
    if database_url:
        os.environ["HUIWEN_DATABASE_URL"] = database_url
    else:
        os.environ.pop("HUIWEN_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiwen.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return folder
