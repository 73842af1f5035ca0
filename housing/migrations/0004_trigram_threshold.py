"""Typo tolerance of the household search: pg_trgm's word-similarity threshold for this
database, 0.5 instead of 0.6 ("Lefebvre" finds "Lefèvre": 0.55). Set as the owner role; a
notice, not a failure, when the role does not own the database. A no-op on SQLite."""

from django.db import migrations

from core.db import postgresql_only

FORWARD = """
DO $$
BEGIN
    -- Load pg_trgm first: its setting is then known, and the database owner may set it.
    PERFORM similarity('a', 'b');
    EXECUTE format('ALTER DATABASE %I SET pg_trgm.word_similarity_threshold = 0.5',
                   current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm.word_similarity_threshold left at its default: not the database owner';
END
$$;
"""
BACKWARD = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I RESET pg_trgm.word_similarity_threshold', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("housing", "0003_household_search_index")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
