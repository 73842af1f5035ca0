"""`housing_search_ids` plans with bitmap scans only (`SET enable_indexscan = off` for the
function). The trigram index is a GIN index: it is only ever read as a bitmap, which PostgreSQL
ANDs with the organisation's index. With plain index scans allowed, the planner preferred
walking the organisation's index and testing `LIKE` on each of its households: at 110,000
households, 85–95 ms for a common surname instead of 11–15 ms (the organisation's rows are
contiguous, so that walk looks cheap; the test on each row is not). A no-op on SQLite."""

from django.db import migrations

from core.db import postgresql_only

SIGNATURE = "housing_search_ids(text[], text[], boolean)"


class Migration(migrations.Migration):
    dependencies = [("housing", "0007_household_household_org_name_idx_and_more")]

    operations = [
        postgresql_only(
            f"ALTER FUNCTION {SIGNATURE} SET enable_indexscan = off",
            f"ALTER FUNCTION {SIGNATURE} RESET enable_indexscan",
        )
    ]
