"""Background work of the reporting app.

`build_report` is not wrapped whole by `@organization_task`: that would run it in ONE
transaction, and its progress would only appear at the end. Each step instead runs in its own
`organization_context` (both scopes set), and the indicators are read in one REPEATABLE READ
transaction: one database snapshot, so the report is consistent and reproducible.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import shared_task
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from core.context import organization_context

logger = logging.getLogger(__name__)

HOLD_KEY = "reporting:hold:{public_id}"


def _hold(public_id: Any, step: str) -> None:
    """Operations and tests may hold a job at a named step (cache key set to the step's name):
    the run waits while the key is there (60 s at most). Used to stop a worker mid-job."""
    key = HOLD_KEY.format(public_id=public_id)
    deadline = time.monotonic() + 60
    while cache.get(key) == step and time.monotonic() < deadline:
        time.sleep(0.1)


def _repeatable_read() -> None:
    """The current transaction reads one snapshot of the database (PostgreSQL; SQLite's
    transactions already are serialised)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


@shared_task(name="reporting.build_report", acks_late=True, reject_on_worker_lost=True)
def build_report(*, organization_id: int, job_id: int) -> str:
    from reporting import build, services
    from reporting.models import ReportJob

    attempt = services.job_claim(organization_id=organization_id, job_id=job_id)
    if attempt is None:
        return "skipped"
    timings: dict[str, float] = {}

    def progress(percent: int, step: str) -> None:
        services.job_progress(
            organization_id=organization_id,
            job_id=job_id,
            attempt=attempt,
            progress=percent,
            step=step,
        )

    try:
        with organization_context(organization_id):
            job = ReportJob.objects.select_related("organization", "territory").get(pk=job_id)
        _hold(job.public_id, "start")
        progress(10, "Calcul des indicateurs")
        _hold(job.public_id, "indicators")
        started = time.monotonic()
        with transaction.atomic():
            # One snapshot of the database for every figure of the report.
            _repeatable_read()
            with organization_context(organization_id):
                snapshot = build.build_snapshot(
                    organization=job.organization,
                    kind=job.kind,
                    year=job.year,
                    territory=job.territory,
                    sections=job.sections,
                )
        timings["indicators"] = round(time.monotonic() - started, 3)
        progress(55, "Graphiques et mise en page")
        _hold(job.public_id, "render")
        started = time.monotonic()
        from reporting.pdf import render_report

        content = render_report(job=job, snapshot=snapshot)
        timings["pdf"] = round(time.monotonic() - started, 3)
        progress(90, "Enregistrement du document")
        _hold(job.public_id, "store")
        timings["total"] = round((timezone.now() - job.started_at).total_seconds(), 3)
        done = services.job_complete(
            organization_id=organization_id,
            job_id=job_id,
            attempt=attempt,
            content=content,
            snapshot=snapshot,
            snapshot_checksum=build.snapshot_checksum(snapshot),
            timings=timings,
        )
    except services.Superseded:
        logger.info("Report job %s: attempt %s superseded", job_id, attempt)
        return "superseded"
    except Exception as error:
        logger.exception("Report job %s failed", job_id)
        services.job_fail(
            organization_id=organization_id,
            job_id=job_id,
            attempt=attempt,
            error=f"Erreur pendant la génération ({type(error).__name__}) : {error}",
        )
        return "failed"
    return "done" if done else "superseded"


@shared_task(name="reporting.redispatch_jobs")
def redispatch_jobs(now_iso: str | None = None) -> int:
    """Periodic (beat): send again the jobs left queued (broker down), never started, or
    running past their lease (worker lost). Organisation by organisation (row-level security)."""
    import datetime

    from organizations.models import Organization
    from reporting import services

    now = datetime.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    sent = 0
    for organization_id in Organization.objects.order_by("pk").values_list("pk", flat=True):
        for job_id in services.jobs_to_redispatch(organization_id=organization_id, now=now):
            if services.job_dispatch(organization_id=organization_id, job_id=job_id):
                sent += 1
    return sent


@shared_task(
    name="reporting.refresh_indicator_snapshot", acks_late=True, reject_on_worker_lost=True
)
def refresh_indicator_snapshot(
    *, organization_id: int, year: int, territory_id: int | None = None
) -> str:
    """Compute the indicators of (year, territory) and store them (`IndicatorSnapshot`). Read
    in ONE `REPEATABLE READ, READ ONLY` transaction, so every figure describes the same state
    of the records; stored in a second, short one. Safe to run twice (the later computation
    wins; an older one finishing last is dropped)."""
    from organizations.models import Organization, Territory
    from reporting import services

    with transaction.atomic():
        _repeatable_read()
        with organization_context(organization_id):
            organization = Organization.objects.filter(pk=organization_id).first()
            territory = Territory.objects.filter(pk=territory_id).first() if territory_id else None
            if organization is None or (territory_id and territory is None):
                return "gone"  # deleted since it was asked for
            computed = services.indicator_snapshot_compute(
                organization=organization, year=year, territory=territory
            )
    with organization_context(organization_id):
        services.indicator_snapshot_store(
            organization=organization, year=year, territory=territory, **computed
        )
    logger.info(
        "Indicators %s of organisation %s (territory %s) computed in %.1f s",
        year,
        organization_id,
        territory_id,
        computed["compute_seconds"],
    )
    return "done"


@shared_task(name="reporting.refresh_indicator_snapshots")
def refresh_indicator_snapshots(today_iso: str | None = None) -> int:
    """Periodic (beat, every night): the indicators of the current and the previous year are
    computed again for every organisation — the whole organisation's always (so that the first
    view of the day, and of the year on 1 January, is instant), each territory's when someone
    looked at it. Older years are
    refreshed when viewed (a page finding a snapshot older than a day sends a refresh). One
    task per snapshot, so that several workers share the night's work."""
    import datetime

    from organizations.models import Organization, Territory
    from reporting import services
    from reporting.models import IndicatorSnapshot

    today = datetime.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    sent = 0
    for organization in Organization.objects.order_by("pk"):
        with organization_context(organization.pk):
            scopes = {(today.year, None), (today.year - 1, None)} | set(
                IndicatorSnapshot.objects.filter(year__gte=today.year - 1).values_list(
                    "year", "territory_id"
                )
            )
            territories = Territory.objects.in_bulk(
                [territory_id for _, territory_id in scopes if territory_id is not None]
            )
            for year, territory_id in sorted(scopes, key=lambda s: (s[0], s[1] or 0)):
                if territory_id is not None and territory_id not in territories:
                    continue
                if services.indicator_snapshot_refresh(
                    organization=organization,
                    year=year,
                    territory=territories.get(territory_id) if territory_id else None,
                ):
                    sent += 1
    return sent
