"""Nightly jobs: purge of the logs past their period, then the retention rules. The "all"
tasks only fan out, one task per organisation (each runs inside its organisation: RLS)."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task

from core.tasks import organization_task, send_task

logger = logging.getLogger(__name__)


def _organization_ids() -> list[int]:
    from organizations.models import Organization

    return list(Organization.objects.order_by("pk").values_list("pk", flat=True))


@shared_task
def logs_purge_all() -> int:
    ids = _organization_ids()
    for organization_id in ids:
        send_task(logs_purge, organization_id=organization_id)
    return len(ids)


@shared_task
def retention_all() -> int:
    ids = _organization_ids()
    for organization_id in ids:
        send_task(partner_grants_refresh, organization_id=organization_id)
        send_task(retention_apply, organization_id=organization_id)
    return len(ids)


@organization_task
def partner_grants_refresh(*, organization_id: int) -> int:
    """Re-resolve the households of programme and residence grants (enrolments, leases)."""
    from django.utils import timezone

    from privacy import partners

    count = 0
    for grant in partners.grants_given(organization=organization_id).filter(
        revoked_at__isnull=True
    ):
        if grant.is_active_on(timezone.localdate()):
            count += partners.partner_grant_refresh(grant=grant)
    return count


@organization_task
def logs_purge(*, organization_id: int, today: str | None = None) -> int:
    """Delete the organisation's access and audit logs older than
    `core.access_log_retention_months` (through core_purge_logs). Safe to run twice."""
    from privacy import services

    day = datetime.date.fromisoformat(today) if today else None
    return services.logs_purge(organization=organization_id, today=day)


@organization_task
def retention_apply(*, organization_id: int, today: str | None = None) -> int | None:
    """Apply the retention rules, unless the organisation has suspended the automatic run."""
    from django.utils import timezone

    from core.parameters import get_parameter
    from organizations.models import Organization
    from privacy import services

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    if not get_parameter("privacy.retention_enabled", organization=organization_id, on=day):
        logger.info("Retention suspended for organisation %s", organization_id)
        return None
    organization = Organization.objects.get(pk=organization_id)
    return services.retention_run(organization=organization, today=day).pk
