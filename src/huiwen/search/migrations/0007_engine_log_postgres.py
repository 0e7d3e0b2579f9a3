"""PostgreSQL (issue 19): the change log and identity of the tantivy ranking engine that each reader
host may keep beside the database (backends/tantivy_postgres.py). Every write to the tsvector index
appends to the log (PostgresTantivyBackend) or forgets the identity (PostgresBackend).

Unlike SQLite's log, nobody deletes a row once applied: each host keeps its own position in the log,
a (transaction id, sequence number) pair, and reads only the rows of transactions that have ended
(below its snapshot's xmin), so a transaction that commits late is never skipped. Rows older than
the retention are pruned, and a host whose position is older than what was pruned starts again.
Nothing on SQLite.
"""

from collections.abc import Callable

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

POSTGRES = [
    "CREATE TABLE IF NOT EXISTS search_engine_changes (seq bigserial PRIMARY KEY,"
    " article_id bigint NOT NULL, xid xid8 NOT NULL DEFAULT pg_current_xact_id(),"
    " recorded timestamptz NOT NULL DEFAULT now())",
    "CREATE INDEX IF NOT EXISTS search_engine_changes_position ON search_engine_changes (xid, seq)",
    "CREATE INDEX IF NOT EXISTS search_engine_changes_recorded ON search_engine_changes (recorded)",
    "CREATE TABLE IF NOT EXISTS search_engine_state (key text PRIMARY KEY, value text NOT NULL)",
]

POSTGRES_UNDO = ["DROP TABLE IF EXISTS search_engine_changes", "DROP TABLE IF EXISTS search_engine_state"]


def _run(statements: list[str]) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    def run(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0006_engine_log")]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_UNDO))]
