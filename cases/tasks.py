"""Background work of the social accompaniment."""

from __future__ import annotations

from celery import shared_task

from core.tasks import enqueue_on_commit, organization_task


@organization_task
def campaign_calls_refresh(*, organization_id: int) -> int:
    """Put due recurring calls back on the callers' lists; close campaigns past their end."""
    from cases.services import campaign_recurring_calls_refresh

    return campaign_recurring_calls_refresh(organization=organization_id)


@shared_task
def campaign_calls_dispatch() -> int:
    """Daily (beat): one refresh task per organisation. Organisations are platform rows."""
    from django.db import transaction

    from organizations.models import Organization

    ids = list(Organization.objects.values_list("pk", flat=True))
    with transaction.atomic():
        for organization_id in ids:
            enqueue_on_commit(campaign_calls_refresh, organization_id=organization_id)
    return len(ids)
