"""SQLite (issue 17): the change log and identity of the optional tantivy ranking engine
(backends/tantivy_engine.py). Every write to FTS5 appends to the log (TantivyBackend) or forgets
the identity (SqliteBackend, so that an engine folder left beside the database starts again).
Nothing on PostgreSQL.
"""

from collections.abc import Callable

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SQLITE = [
    "CREATE TABLE IF NOT EXISTS search_engine_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " article_id INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS search_engine_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]

SQLITE_UNDO = ["DROP TABLE IF EXISTS search_engine_changes", "DROP TABLE IF EXISTS search_engine_state"]


def _run(statements: list[str]) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    def run(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgres_slices")]

    operations = [migrations.RunPython(_run(SQLITE), _run(SQLITE_UNDO))]
