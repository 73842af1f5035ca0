"""CSV import of the national register's statistics (active demands per territory and date),
with the generic `core/imports.py` (all or nothing, French errors by line and column)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from core import imports as csvimport
from core.imports import Column, ImportFailed, ImportSpec


def import_register_statistics(*, organization: Any, user: Any, file: Any) -> int:
    from operations.models import RegisterStatistic
    from operations.services import register_statistic_set
    from organizations.models import Territory

    territories = {t.name.casefold(): t for t in Territory.objects.for_organization(organization)}

    def apply_row(values: dict[str, Any], line: int) -> str:
        territory = territories.get(values["territoire"].strip().casefold())
        if territory is None:
            raise ValidationError({"territoire": "Territoire inconnu dans cette organisation."})
        existing = (
            RegisterStatistic.objects.for_organization(organization)
            .filter(territory=territory, on=values["date"])
            .values_list("active_demands", flat=True)
            .first()
        )
        register_statistic_set(
            organization=organization,
            territory=territory,
            on=values["date"],
            active_demands=values["demandes_actives"],
            source=values["source"] or "Import du registre",
            user=user,
        )
        if existing is None:
            return "created"
        return "unchanged" if existing == values["demandes_actives"] else "updated"

    spec = ImportSpec(
        columns=[
            Column("territoire", csvimport.text(120)),
            Column("date", csvimport.date),
            Column("demandes_actives", csvimport.integer),
            Column("source", csvimport.text(120), required=False, default=""),
        ],
        apply_row=apply_row,
    )
    content = file.read() if hasattr(file, "read") else file
    try:
        result = csvimport.run_import(content, spec)
    except ImportFailed as failed:
        raise ValidationError({"file": [str(e) for e in failed.errors]}) from failed
    return result.total
