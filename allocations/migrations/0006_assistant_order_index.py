"""The candidate assistant reads active demands in the order it shows them — priority level
(descending), score (descending, the unscored last), filing date, id — from an index, and
stops after its 30 rows: at 60,000 active demands an organisation, 40–45 ms (every matching
demand read from three bitmaps, then sorted) → ~3 ms. The index it replaces stopped at the
priority level, so the rows still had to be sorted.

PostgreSQL only: `score DESC NULLS LAST` in an index is refused by SQLite (the demo keeps no
index for the assistant)."""

from django.db import migrations

from core.db import postgresql_only

CREATE = """
CREATE INDEX IF NOT EXISTS application_assistant_order_idx ON allocations_housingapplication
    (organization_id, priority_level DESC, score DESC NULLS LAST, filed_on, id)
    WHERE status = 'active'
"""
DROP = "DROP INDEX IF EXISTS application_assistant_order_idx"


class Migration(migrations.Migration):
    dependencies = [("allocations", "0005_keyset_list_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="housingapplication", name="application_assistant_idx"),
        postgresql_only(CREATE, DROP),
    ]
