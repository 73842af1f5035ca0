from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.models import AccessEvent, AuditEvent


def record_history(*, organization: Any, obj: Any) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.for_organization(organization)
        .filter(table_name=obj._meta.db_table, row_pk=obj.pk)
        .select_related("actor")
        .order_by("-at", "-pk")
    )


def household_access_events(
    *, organization: Any, household_public_id: Any
) -> QuerySet[AccessEvent]:
    """ "Who saw this": every logged read of the household's sensitive data, newest first."""
    return (
        AccessEvent.objects.for_organization(organization)
        .filter(household_id=household_public_id)
        .select_related("user", "acting_organization")
        .order_by("-at", "-pk")
    )
