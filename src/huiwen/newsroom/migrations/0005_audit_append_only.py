"""Database triggers that make the audit log append-only."""

from django.apps.registry import Apps
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db import migrations

SQLITE = [
    """CREATE TRIGGER newsroom_auditentry_no_update BEFORE UPDATE ON newsroom_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS newsroom_auditentry_no_update"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION huiwen_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER newsroom_auditentry_append_only BEFORE UPDATE OR DELETE ON newsroom_auditentry
       FOR EACH ROW EXECUTE FUNCTION huiwen_audit_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS newsroom_auditentry_append_only ON newsroom_auditentry",
    "DROP FUNCTION IF EXISTS huiwen_audit_append_only()",
]


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0004_audit_log")]
    operations = [migrations.RunPython(forwards, backwards)]
