"""The `huiwen` console script: Django's management commands, plus huiwen's own.

`huiwen extract` runs without Django (the extractor is a plain library), so it stays fast and
usable outside a configured site; everything else goes through Django's command runner
(`huiwen migrate`, `huiwen demo`, `huiwen createsuperuser`, ...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["extract"]:
        from huiwen.extract.cli import main as extract_main

        return extract_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiwen.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["huiwen", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
