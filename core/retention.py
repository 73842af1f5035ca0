"""core's retention rule: the access and audit logs are purged after their period (CNIL: 6 to
12 months, `core.access_log_retention_months`) through the SECURITY DEFINER function
core_purge_logs(), the only way the application role can delete log rows (core/db.py)."""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone

from core.models import AccessEvent, AuditEvent
from core.parameters import get_parameter


def logs_cutoff(organization: Any, today: datetime.date) -> datetime.datetime:
    months = get_parameter("core.access_log_retention_months", organization=organization, on=today)
    day = today - relativedelta(months=int(months))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def logs_count(organization: Any, today: datetime.date) -> int:
    before = logs_cutoff(organization, today)
    return (
        AuditEvent.objects.for_organization(organization).filter(at__lt=before).count()
        + AccessEvent.objects.for_organization(organization).filter(at__lt=before).count()
    )


def logs_purge(organization: Any, today: datetime.date) -> int:
    """Needs the organisation in the database context (organization_context / a task)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT audit, access FROM core_purge_logs(%s)", [logs_cutoff(organization, today)]
        )
        audit, access = cursor.fetchone()
    return int(audit) + int(access)


def _rules() -> list:
    from privacy.retention import RetentionRule

    return [
        RetentionRule(
            "core.logs",
            "Journaux de consultation et d'audit plus anciens que leur durée de conservation",
            action="purge",
            household_lookup=None,
            count_fn=logs_count,
            purge_fn=logs_purge,
            parameter="core.access_log_retention_months",
            legal_basis="CNIL, référentiel logement social : 6 à 12 mois",
        )
    ]


RULES = _rules
