"""The WSGI module that gunicorn loads leaves the loaded application out of the collector's walks."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_loaded_application_is_frozen(tmp_path):
    probe = ("import gc, sys; import huiwen.wsgi; "
             "print(gc.get_freeze_count(), 'huiwen.reader.views' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120,
                          env={**os.environ, "HUIWEN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "huiwen.settings"})
    frozen, views_loaded = done.stdout.split()
    assert int(frozen) > 50_000  # Django, the apps and every view module the URLs name
    assert views_loaded == "True"
