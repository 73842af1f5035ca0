"""One-box household search on PostgreSQL: `unaccent` and `pg_trgm`, an IMMUTABLE unaccent
wrapper (unaccent() itself is only STABLE, so it cannot be indexed) and a trigram GIN index on
the normalised search text. Migrations run as the owner role, which may create these trusted
extensions. A no-op on SQLite (the search falls back to icontains there)."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE OR REPLACE FUNCTION housing_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
    """,
    """
    CREATE INDEX IF NOT EXISTS housing_household_search_trgm
    ON housing_household USING gin (housing_unaccent(search_text) gin_trgm_ops)
    """,
]
BACKWARD = [
    "DROP INDEX IF EXISTS housing_household_search_trgm",
    "DROP FUNCTION IF EXISTS housing_unaccent(text)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("housing", "0002_import_job")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
