"""PostgreSQL at a million articles (issue 19): one GIN index over (vector, day, bucket) through
btree_gin (bucket: the article id divided by 256), the publication day as a column, and a small
inline ranking vector in search_rank.

btree_gin ships with PostgreSQL (contrib) and is a trusted extension: the database's owner may
create it. Existing rows get their day from the article and their ranking vector from the full
vector's title words, title bigrams and body words (the next rebuild writes the capped form).
"""

from collections.abc import Callable

from django.apps.registry import Apps
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.conf import settings
from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "ALTER TABLE search_document ADD COLUMN IF NOT EXISTS day date",
    "ALTER TABLE search_document ADD COLUMN IF NOT EXISTS bucket integer",
    "UPDATE search_document SET bucket = article_id / 256",
    "ALTER TABLE search_document ALTER COLUMN bucket SET NOT NULL",
    "ALTER TABLE search_document ALTER COLUMN vector SET COMPRESSION lz4",
    "UPDATE search_document d SET day = (a.published_at AT TIME ZONE %(tz)s)::date FROM newsroom_article a"
    " WHERE a.id = d.article_id",
    "DROP INDEX IF EXISTS search_document_vector",
    "CREATE INDEX IF NOT EXISTS search_document_match ON search_document USING gin (vector, day, bucket)",
    # Rows stay inline up to 8 kB (compressed with lz4): ranking reads no TOAST table.
    "CREATE TABLE IF NOT EXISTS search_rank (article_id bigint PRIMARY KEY, vector tsvector NOT NULL)"
    " WITH (toast_tuple_target = 8160)",
    "ALTER TABLE search_rank ALTER COLUMN vector SET STORAGE MAIN",
    "ALTER TABLE search_rank ALTER COLUMN vector SET COMPRESSION lz4",
    "INSERT INTO search_rank (article_id, vector) SELECT article_id, ts_filter(vector, '{a,b,d}')"
    " FROM search_document ON CONFLICT (article_id) DO NOTHING",
    # The ranking rows follow their articles like the documents do (migration 0003).
    "CREATE OR REPLACE FUNCTION search_document_forget_article() RETURNS trigger AS $$"
    " BEGIN DELETE FROM search_document WHERE article_id = OLD.id;"
    " DELETE FROM search_rank WHERE article_id = OLD.id; RETURN OLD; END;"
    " $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION search_document_forget_all() RETURNS trigger AS $$"
    " BEGIN TRUNCATE search_document; TRUNCATE search_rank; RETURN NULL; END;"
    " $$ LANGUAGE plpgsql",
]

POSTGRES_UNDO = [
    "CREATE OR REPLACE FUNCTION search_document_forget_article() RETURNS trigger AS $$"
    " BEGIN DELETE FROM search_document WHERE article_id = OLD.id; RETURN OLD; END;"
    " $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION search_document_forget_all() RETURNS trigger AS $$"
    " BEGIN TRUNCATE search_document; RETURN NULL; END;"
    " $$ LANGUAGE plpgsql",
    "DROP TABLE IF EXISTS search_rank",
    "DROP INDEX IF EXISTS search_document_match",
    "CREATE INDEX IF NOT EXISTS search_document_vector ON search_document USING gin (vector)",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS day",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS bucket",
]


def _run(statements: list[str]) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    def run(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            # A mapping for %(tz)s: Django hands params to the driver as they are (its types say Sequence).
            schema_editor.execute(statement, {"tz": settings.TIME_ZONE} if "%(tz)s" in statement else None)  # type: ignore[arg-type]

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_document_cleanup_by_trigger")]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_UNDO))]
