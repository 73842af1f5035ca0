"""Background work of the arrears app: the daily detection (Celery beat, see the `# arrears`
block of CELERY_BEAT_SCHEDULE in config/settings/base.py)."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from core.tasks import organization_task, send_task

logger = logging.getLogger(__name__)


@organization_task
def arrears_daily_for_organization(*, organization_id: int) -> dict[str, Any]:
    """Detect arrears (open / propose closing) and match plan payments. Safe to run twice."""
    from arrears import services

    detected = services.arrears_detect(organization=organization_id)
    matched = services.plans_match_payments(organization=organization_id)
    logger.info("arrears daily org=%s %s %s", organization_id, detected, matched)
    return {**detected, **matched}


@shared_task
def arrears_daily() -> int:
    """Beat entry point: one task per organisation."""
    from organizations.models import Organization

    ids = list(Organization.objects.values_list("pk", flat=True))
    for organization_id in ids:
        send_task(arrears_daily_for_organization, organization_id=organization_id)
    return len(ids)
