"""PostgreSQL: search_document follows its articles through triggers instead of a foreign key.

A foreign key onto newsroom_article makes `TRUNCATE newsroom_article` fail unless every caller
knows to name search_document too (Django's flush does not know: the table is unmanaged). Row
triggers keep the same guarantee for DELETE, and a statement trigger empties the index when the
articles are truncated, so nothing can be left pointing at an article that is gone.
"""

from collections.abc import Callable

from django.apps.registry import Apps
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db import migrations

POSTGRES = [
    "ALTER TABLE search_document DROP CONSTRAINT IF EXISTS search_document_article_id_fkey",
    "CREATE OR REPLACE FUNCTION search_document_forget_article() RETURNS trigger AS $$"
    " BEGIN DELETE FROM search_document WHERE article_id = OLD.id; RETURN OLD; END;"
    " $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION search_document_forget_all() RETURNS trigger AS $$"
    " BEGIN TRUNCATE search_document; RETURN NULL; END;"
    " $$ LANGUAGE plpgsql",
    "CREATE TRIGGER search_document_on_article_delete AFTER DELETE ON newsroom_article"
    " FOR EACH ROW EXECUTE FUNCTION search_document_forget_article()",
    "CREATE TRIGGER search_document_on_article_truncate AFTER TRUNCATE ON newsroom_article"
    " FOR EACH STATEMENT EXECUTE FUNCTION search_document_forget_all()",
]

POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS search_document_on_article_truncate ON newsroom_article",
    "DROP TRIGGER IF EXISTS search_document_on_article_delete ON newsroom_article",
    "DROP FUNCTION IF EXISTS search_document_forget_all()",
    "DROP FUNCTION IF EXISTS search_document_forget_article()",
    "DELETE FROM search_document WHERE article_id NOT IN (SELECT id FROM newsroom_article)",
    "ALTER TABLE search_document ADD CONSTRAINT search_document_article_id_fkey FOREIGN KEY"
    " (article_id) REFERENCES newsroom_article (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
]


def _run(statements: list[str]) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    def run(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_tables")]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_UNDO))]
