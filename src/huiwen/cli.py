"""The `huiwen` console script: Django's management commands, plus huiwen's own.

`huiwen extract` runs without Django (the extractor is a plain library), so it stays fast and
usable outside a configured site; everything else goes through Django's command runner
(`huiwen migrate`, `huiwen demo`, `huiwen createsuperuser`, ...).

Before a command that reads or writes the store runs, the database is checked (about 40 ms):
a database with no tables at all (a fresh data folder) is migrated on the spot, since there is
nothing in it to lose; one that has tables but misses some migrations (an upgrade) is left
alone and the command stops with one line saying what to run. Either way no command ends in
an `OperationalError: no such table` traceback.
"""

from __future__ import annotations

import os
import sys

# Commands that need no tables, or build them themselves (demo migrates first).
NO_TABLES_NEEDED = frozenset({
    "check", "collectstatic", "createcachetable", "dbshell", "demo", "diffsettings", "findstatic", "help",
    "makemigrations", "migrate", "nginx_config", "optimizemigration", "settings_doc", "shell", "showmigrations",
    "sqlflush", "sqlmigrate", "sqlsequencereset", "squashmigrations", "startapp", "startproject", "test",
    "version",
})
# issue 19: restore fills an empty database itself; deploy-files reads no table.
NO_TABLES_NEEDED |= {"deploy_files", "restore"}

# Commands documented with a hyphen (Django's command names are module names).
HYPHENATED = {"deploy-files": "deploy_files"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["extract"]:
        from huiwen.extract.cli import main as extract_main

        return extract_main(args[1:])
    if args[:1] and args[0] in HYPHENATED:
        args[0] = HYPHENATED[args[0]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiwen.settings")
    if args and not args[0].startswith("-") and args[0] not in NO_TABLES_NEEDED:
        problem = prepare_database()
        if problem:
            print(problem, file=sys.stderr)
            return 2
    from django.core.management import execute_from_command_line

    execute_from_command_line(["huiwen", *args])
    return 0


def prepare_database() -> str | None:
    """Migrate a database without tables; for one with missing migrations, the line to show."""
    import io

    import django
    from django.core.management import call_command
    from django.db import DatabaseError

    django.setup()
    plan = io.StringIO()
    try:
        # Django's documented plan ("[X]" applied, "[ ]" not yet), one migration a line.
        call_command("showmigrations", plan=True, verbosity=1, no_color=True, stdout=plan)
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"huiwen:无法读取数据库({first_line}):请检查 HUIWEN_DATABASE_URL 或 HUIWEN_DATA_DIR。"
    marks = [line.strip()[:3] for line in plan.getvalue().splitlines() if line.strip().startswith("[")]
    pending = marks.count("[ ]")
    if not pending:
        return None
    if pending == len(marks):
        print("huiwen:数据库还没有表,正在建立(huiwen migrate)……", file=sys.stderr)
        call_command("migrate", interactive=False, verbosity=0)
        return None
    return f"huiwen:数据库有 {pending} 个迁移尚未应用:请先运行 `huiwen migrate`。"


if __name__ == "__main__":
    sys.exit(main())
