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
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
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
