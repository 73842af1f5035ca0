"""Prospections record their dwelling's residence, so that the year's prospections are counted
by territory from the prospections and the residences alone (joining every dwelling of the
organisation cost 60-110 ms on the leasing page at 100,000 dwellings). Existing rows take their
dwelling's residence — a derived value, not a change to audit: the audit trigger is off for the
backfill (180,000 rows at size L). The date index also carries the id: the list, newest first,
reads it backwards."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE operations_prospection AS p
   SET residence_id = d.residence_id
  FROM housing_dwelling AS d
 WHERE d.id = p.dwelling_id AND p.residence_id IS NULL
"""


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE operations_prospection DISABLE TRIGGER USER")
        schema_editor.execute(BACKFILL)
        schema_editor.execute("ALTER TABLE operations_prospection ENABLE TRIGGER USER")
        return
    Prospection = apps.get_model("operations", "Prospection")
    for prospection in Prospection.objects.select_related("dwelling").filter(
        residence__isnull=True
    ):
        prospection.residence_id = prospection.dwelling.residence_id
        prospection.save(update_fields=["residence"])


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0006_search_function"),
        ("operations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="prospection",
            name="residence",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="housing.residence",
                verbose_name="résidence du logement",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="prospection",
            name="residence",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="housing.residence",
                verbose_name="résidence du logement",
            ),
        ),
        migrations.RemoveIndex(
            model_name="prospection",
            name="prospection_date_idx",
        ),
        migrations.AddIndex(
            model_name="prospection",
            index=models.Index(
                fields=["organization", "contacted_on", "id"], name="prospection_org_date_idx"
            ),
        ),
    ]
