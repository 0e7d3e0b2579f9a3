"""The full-text index for the database in use: an FTS5 table on SQLite, a tsvector table with a
GIN index on PostgreSQL. (The ORM sees both as unmanaged models, see models.py.)"""

from collections.abc import Callable

from django.apps.registry import Apps
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, title_chars, body_chars, meta,"
    " content = '', tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TABLE search_sqlite_tokens (rowid INTEGER PRIMARY KEY, data BLOB NOT NULL)",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts", "DROP TABLE IF EXISTS search_sqlite_tokens"]

POSTGRES = [
    "CREATE TABLE search_document ("
    " article_id bigint PRIMARY KEY REFERENCES newsroom_article (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
    " vector tsvector NOT NULL)",
    "CREATE INDEX search_document_vector ON search_document USING gin (vector)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_document"]


def _run(statements_by_vendor: dict[str, list[str]]) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    def run(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
