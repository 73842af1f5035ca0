"""The partner-access functions only read (the grant tables and the transaction's settings): mark
them PARALLEL SAFE. Left at the default (PARALLEL UNSAFE), they kept every query on a table whose
row-level policy uses them — households, persons, leases, timeline, interventions… for every
organisation, not only partners — from ever getting a parallel plan (measured at size L:
docs/performance.md, "Isolation cost")."""

from django.db import migrations

FUNCTIONS = [
    "core_local_date()",
    "core_granted_household_ids(text)",
    "core_partner_grant_allows(bigint, bigint, bigint, text)",
    "core_partner_may_write(bigint, bigint, text)",
    "core_partner_landlord_ids()",
]


def _alter(safety):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for function in FUNCTIONS:
                schema_editor.execute(f"ALTER FUNCTION {function} PARALLEL {safety}", params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_partner_functions")]

    operations = [migrations.RunPython(_alter("SAFE"), _alter("UNSAFE"), elidable=False)]
