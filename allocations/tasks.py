"""Daily jobs of the allocations app, per organisation (beat: config/settings/base.py,
"# allocations" block). Safe to run twice: each only acts on what is still to do."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import timezone

from core.context import organization_context
from core.tasks import organization_task


@organization_task
def applications_expiry(*, organization_id: int) -> dict[str, int]:
    """Renewal reminders (≥ one month before expiry) and expired demands flagged for radiation."""
    from allocations.services import applications_expiry_run

    return applications_expiry_run(organization=organization_id, today=timezone.localdate())


@organization_task
def offers_silence(*, organization_id: int) -> int:
    """Silence is refusal: pending offers past their deadline pass to the next rank."""
    from allocations.services import offers_expire

    return offers_expire(organization=organization_id, today=timezone.localdate())


@organization_task
def occupancy_reviews(*, organization_id: int) -> int:
    """Leases reaching their three-year occupancy review (L442-5-2)."""
    from allocations.services import occupancy_reviews_scan

    return len(occupancy_reviews_scan(organization=organization_id, today=timezone.localdate()))


def _organization_ids() -> list[int]:
    from organizations.models import Organization

    return list(Organization.objects.values_list("pk", flat=True))


@shared_task
def daily(*args: Any) -> int:
    """Beat entry point: one job per organisation and per daily task."""
    from core.tasks import send_task

    sent = 0
    for org_id in _organization_ids():
        for task in (applications_expiry, offers_silence, occupancy_reviews):
            send_task(task, organization_id=org_id)
            sent += 1
    return sent


def run_daily_in_process(organization: Any) -> None:
    """For tests and the shell: the daily jobs for one organisation, in this process."""
    with organization_context(organization):
        applications_expiry(organization_id=organization.pk)
        offers_silence(organization_id=organization.pk)
        occupancy_reviews(organization_id=organization.pk)
