"""Both databases (issue 19): search_profile_term, one row per (term key, article) for each term of
an article's 相关阅读 profile, so that the articles sharing a term nearest an article are read from
a primary key instead of a full-text index's posting lists (backends/base.py, candidates). Filled
here from the profiles already stored. The rows of a deleted article go with it: on SQLite by a
foreign key (ON DELETE CASCADE), on PostgreSQL by the triggers that already clear search_document
and search_rank (migration 0003 says why not a foreign key there: TRUNCATE of the articles).
"""

import orjson
from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from huiwen.newsroom.rows import execute_values
from huiwen.search.terms import term_key

TABLE = "search_profile_term"
REFERENCE = "REFERENCES newsroom_article (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED"
FORGET = (
    "CREATE OR REPLACE FUNCTION search_document_forget_article() RETURNS trigger AS $$"
    " BEGIN DELETE FROM search_document WHERE article_id = OLD.id;"
    " DELETE FROM search_rank WHERE article_id = OLD.id;{more_row} RETURN OLD; END;"
    " $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION search_document_forget_all() RETURNS trigger AS $$"
    " BEGIN TRUNCATE search_document; TRUNCATE search_rank;{more_all} RETURN NULL; END;"
    " $$ LANGUAGE plpgsql",
)
CREATE = {
    "postgresql": [
        f"CREATE TABLE IF NOT EXISTS {TABLE} (term integer NOT NULL, article_id bigint NOT NULL,"
        " PRIMARY KEY (term, article_id))",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_article ON {TABLE} (article_id)",
        *(statement.format(more_row=f" DELETE FROM {TABLE} WHERE article_id = OLD.id;", more_all=f" TRUNCATE {TABLE};")
          for statement in FORGET),
    ],
    "sqlite": [
        f"CREATE TABLE IF NOT EXISTS {TABLE} (term INTEGER NOT NULL, article_id INTEGER NOT NULL {REFERENCE},"
        " PRIMARY KEY (term, article_id)) WITHOUT ROWID",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_article ON {TABLE} (article_id)",
    ],
}
CHUNK = 5000


def _fill(schema_editor: BaseDatabaseSchemaEditor) -> None:
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT article_id, terms FROM search_profile WHERE article_id > %s "
                           "ORDER BY article_id LIMIT %s", [last, CHUNK])
            rows = cursor.fetchall()
            if not rows:
                return
            entries = []
            for pk, stored in rows:
                terms = orjson.loads(stored) if isinstance(stored, str | bytes) else stored
                weights = terms.get("w") if isinstance(terms.get("w"), dict) else terms  # an older flat profile
                entries += [(key, pk) for key in sorted({term_key(term) for term in weights})]
            execute_values(cursor, f"INSERT INTO {TABLE} (term, article_id) {{rows}}", entries, ("integer", "bigint"))
            last = rows[-1][0]


def create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)
    _fill(schema_editor)


def drop(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":  # the triggers as migration 0004 left them
        for statement in FORGET:
            schema_editor.execute(statement.format(more_row="", more_all=""))
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_engine_log_postgres")]

    operations = [migrations.RunPython(create, drop)]
