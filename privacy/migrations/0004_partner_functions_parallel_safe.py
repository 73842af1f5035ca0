"""The partner-access functions only read (the grant tables and the transaction's settings): mark
them PARALLEL SAFE. Left at the default (PARALLEL UNSAFE), they kept every query on a table whose
row-level policy uses them — households, persons, leases, timeline, interventions… for every
organisation, not only partners — from ever getting a parallel plan (measured at size L:
docs/performance.md, "Isolation cost")."""

from django.db import migrations

from core.db import postgresql_only

FUNCTIONS = [
    "core_local_date()",
    "core_granted_household_ids(text)",
    "core_partner_grant_allows(bigint, bigint, bigint, text)",
    "core_partner_may_write(bigint, bigint, text)",
    "core_partner_landlord_ids()",
]


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_partner_functions")]

    operations = [
        postgresql_only(
            [f"ALTER FUNCTION {f} PARALLEL SAFE" for f in FUNCTIONS],
            [f"ALTER FUNCTION {f} PARALLEL UNSAFE" for f in FUNCTIONS],
        )
    ]
