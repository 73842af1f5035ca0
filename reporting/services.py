"""Writes of the reporting app: requesting, dispatching, running and retrying report jobs.

The job's row is the truth (docs/reporting.md); the broker only carries the wake-up. Every
transition goes through `_transition`, which refuses an illegal one.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.context import organization_context
from core.tasks import send_task
from reporting.enums import PENDING_STATUSES, ReportKind, ReportStatus
from reporting.models import IndicatorSnapshot, ReportJob
from reporting.sections import available_sections

logger = logging.getLogger(__name__)

# A running job whose worker has not reported for this long is considered lost.
LEASE = datetime.timedelta(seconds=getattr(settings, "REPORTING_JOB_LEASE_SECONDS", 300))
# A queued job the broker accepted but no worker started for this long: the message may be
# lost (Redis restarted without persistence). Sending it again is harmless (idempotent task).
QUEUED_TIMEOUT = datetime.timedelta(minutes=15)
# A requested job whose on-commit dispatch never ran (process died right after the commit).
REQUESTED_GRACE = datetime.timedelta(seconds=30)
# A job that lost its worker this many times fails instead of looping (e.g. out of memory).
MAX_ATTEMPTS = 3
FIRST_YEAR = 2000


class Superseded(Exception):
    """This run no longer owns the job (a newer attempt took it over)."""


def _transition(job: ReportJob, status: str) -> None:
    if not job.can_become(status):
        raise ValidationError(
            {
                "status": f"Passage impossible de « {job.get_status_display()} » à "
                f"« {ReportStatus(status).label} »."
            }
        )
    job.status = status


def _validate_request(
    *, organization: Any, kind: str, year: int, territory: Any, sections: list[str] | None
) -> list[str]:
    errors: dict[str, str] = {}
    if kind not in ReportKind.values:
        errors["kind"] = "Type de rapport inconnu."
    current_year = timezone.localdate().year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= current_year:
        errors["year"] = f"L'année doit être comprise entre {FIRST_YEAR} et {current_year}."
    if territory is not None and territory.organization_id != organization.pk:
        errors["territory"] = "Territoire inconnu."
    offered = [s.key for s in available_sections(kind)] if kind in ReportKind.values else []
    if sections is None or sections == []:
        chosen = offered
    else:
        unknown = sorted(set(sections) - set(offered))
        if unknown:
            errors["sections"] = "Sections inconnues : " + ", ".join(unknown) + "."
        chosen = [key for key in offered if key in sections]
    if not chosen and "sections" not in errors and "kind" not in errors:
        errors["sections"] = "Aucune section n'est disponible pour ce type de rapport."
    if errors:
        raise ValidationError(errors)
    return chosen


@transaction.atomic
def report_request(
    *,
    organization: Any,
    requested_by: Any,
    kind: str = ReportKind.ANNUAL_ACTIVITY,
    year: int,
    territory: Any = None,
    sections: list[str] | None = None,
) -> tuple[ReportJob, bool]:
    """Ask for a report. An identical request (kind, year, territory, sections) while one is
    pending returns that job (`created` False): the database constraint decides, there is no
    check-then-act. The job is sent to the worker once this transaction commits."""
    chosen = _validate_request(
        organization=organization, kind=kind, year=year, territory=territory, sections=sections
    )
    key = ReportJob.make_request_key(
        kind=kind, year=year, territory_id=territory.pk if territory else None, sections=chosen
    )
    try:
        with transaction.atomic():
            job = ReportJob.objects.create(
                organization=organization,
                kind=kind,
                year=year,
                territory=territory,
                sections=chosen,
                request_key=key,
                requested_by=requested_by,
                created_by=requested_by,
                updated_by=requested_by,
            )
    except IntegrityError:
        job = ReportJob.objects.for_organization(organization).get(
            request_key=key, status__in=PENDING_STATUSES
        )
        return job, False
    org_id, job_id = organization.pk, job.pk
    transaction.on_commit(lambda: job_dispatch(organization_id=org_id, job_id=job_id))
    return job, True


def job_dispatch(*, organization_id: int, job_id: int) -> bool:
    """Mark the job queued, then hand it to the broker. If the broker is unreachable the job
    stays queued with no `dispatched_at`: `redispatch_jobs` (beat) sends it later."""
    from reporting.tasks import build_report

    with organization_context(organization_id):
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in (ReportStatus.REQUESTED, ReportStatus.QUEUED):
            return False
        _transition(job, ReportStatus.QUEUED)
        job.dispatched_at = None
        job.save(update_fields=["status", "dispatched_at", "updated_at"])
    sent = send_task(build_report, organization_id=organization_id, job_id=job_id)
    with organization_context(organization_id):
        updates: dict[str, Any] = {"dispatch_count": F("dispatch_count") + 1}
        if sent:
            updates["dispatched_at"] = timezone.now()
        ReportJob.objects.filter(pk=job_id).update(**updates)
    return sent


@transaction.atomic
def report_retry(*, job: ReportJob, acting_user: Any) -> ReportJob:
    """Run a failed job again. If an identical request is already pending, that one is
    returned instead (the constraint allows one pending job per request)."""
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ReportStatus.FAILED:
        raise ValidationError({"status": "Seul un rapport en échec peut être relancé."})
    _transition(job, ReportStatus.QUEUED)
    job.error = ""
    job.progress = 0
    job.current_step = "Relance demandée"
    job.dispatched_at = None
    job.lease_expires_at = None
    job.updated_by = acting_user
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        return ReportJob.objects.for_organization(job.organization_id).get(
            request_key=job.request_key, status__in=PENDING_STATUSES
        )
    org_id, job_id = job.organization_id, job.pk
    transaction.on_commit(lambda: job_dispatch(organization_id=org_id, job_id=job_id))
    return job


# --- Runs (called by the task, each step its own short transaction) -------------------------------


def job_claim(*, organization_id: int, job_id: int) -> int | None:
    """Start a run: returns its attempt number, or None when there is nothing to do (done,
    failed, or running under a live lease — a duplicate message)."""
    now = timezone.now()
    with organization_context(organization_id):
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return None
        if (
            job.status == ReportStatus.RUNNING
            and job.lease_expires_at
            and job.lease_expires_at > now
        ):
            return None
        if job.status == ReportStatus.REQUESTED:
            _transition(job, ReportStatus.QUEUED)
        _transition(job, ReportStatus.RUNNING)
        job.attempt += 1
        job.progress = 0
        job.current_step = "Démarrage"
        job.started_at = now
        job.lease_expires_at = now + LEASE
        job.save(
            update_fields=[
                "status",
                "attempt",
                "progress",
                "current_step",
                "started_at",
                "lease_expires_at",
                "updated_at",
            ]
        )
        return job.attempt


def job_progress(
    *, organization_id: int, job_id: int, attempt: int, progress: int, step: str
) -> None:
    """Record progress and extend the lease (heartbeat); stop if another run took over."""
    with organization_context(organization_id):
        updated = ReportJob.objects.filter(
            pk=job_id, attempt=attempt, status=ReportStatus.RUNNING
        ).update(
            progress=min(progress, 100),
            current_step=step[:120],
            lease_expires_at=timezone.now() + LEASE,
            updated_at=timezone.now(),
        )
    if not updated:
        raise Superseded


def job_complete(
    *,
    organization_id: int,
    job_id: int,
    attempt: int,
    content: bytes,
    snapshot: dict,
    snapshot_checksum: str,
    timings: dict,
) -> ReportJob | None:
    """Store the PDF and freeze the snapshot, only if this run still owns the job."""
    from core.services import document_store

    with organization_context(organization_id):
        job = ReportJob.objects.select_for_update().select_related("organization").get(pk=job_id)
        if job.status != ReportStatus.RUNNING or job.attempt != attempt:
            return None
        title = f"{job.get_kind_display()} {job.year}"
        if job.territory_id:
            title += f" — {job.territory.name}"
        document = document_store(
            organization=job.organization,
            kind=f"reporting.{job.kind}",
            title=title,
            content=content,
            access_action="reporting.download_report",
            created_by=job.requested_by,
            subject=job,
        )
        _transition(job, ReportStatus.DONE)
        job.document = document
        job.checksum = document.sha256
        job.snapshot = snapshot
        job.snapshot_checksum = snapshot_checksum
        job.timings = timings
        job.progress = 100
        job.current_step = "Terminé"
        job.finished_at = timezone.now()
        job.lease_expires_at = None
        job.save()
        return job


def job_fail(*, organization_id: int, job_id: int, attempt: int | None, error: str) -> None:
    with organization_context(organization_id):
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or (attempt is not None and job.attempt != attempt):
            return
        if not job.can_become(ReportStatus.FAILED):
            return
        _transition(job, ReportStatus.FAILED)
        job.error = error[:2000]
        job.current_step = "Échec"
        job.finished_at = timezone.now()
        job.lease_expires_at = None
        job.save()


# --- Re-dispatch (beat) ---------------------------------------------------------------------------


def jobs_to_redispatch(*, organization_id: int, now: datetime.datetime) -> list[int]:
    """Inside one organisation: the jobs the broker must carry again. Running jobs whose lease
    expired go back to queued (their worker was lost), or fail after MAX_ATTEMPTS."""
    resend: list[int] = []
    with organization_context(organization_id):
        stale = (
            ReportJob.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=ReportStatus.REQUESTED, created_at__lt=now - REQUESTED_GRACE)
                | Q(status=ReportStatus.QUEUED, dispatched_at__isnull=True)
                | Q(status=ReportStatus.QUEUED, dispatched_at__lt=now - QUEUED_TIMEOUT)
                | Q(status=ReportStatus.RUNNING, lease_expires_at__lt=now)
            )
            .order_by("pk")
        )
        for job in stale:
            if job.status == ReportStatus.RUNNING:
                if job.attempt >= MAX_ATTEMPTS:
                    _transition(job, ReportStatus.FAILED)
                    job.error = (
                        f"Le calcul a été interrompu {job.attempt} fois (worker perdu) ; "
                        "relancez-le ou contactez le support."
                    )
                    job.finished_at = now
                    job.lease_expires_at = None
                    job.save()
                    continue
                _transition(job, ReportStatus.QUEUED)
                job.current_step = "Relancé après l'interruption du calcul"
                job.lease_expires_at = None
                job.dispatched_at = None
                job.save(
                    update_fields=[
                        "status",
                        "current_step",
                        "lease_expires_at",
                        "dispatched_at",
                        "updated_at",
                    ]
                )
            resend.append(job.pk)
    return resend


# --- Indicator snapshots (docs/reporting.md, "Snapshots") -----------------------------------------

# Older than this, a snapshot is still shown but a refresh is sent (the nightly one was missed,
# or nobody refreshes that year any more).
SNAPSHOT_MAX_AGE = datetime.timedelta(hours=24)
# A refresh asked for this long ago and not finished is lost (broker down, worker killed): it
# may be asked for again.
SNAPSHOT_REFRESH_TIMEOUT = datetime.timedelta(minutes=15)


def snapshot_is_usable(snapshot: IndicatorSnapshot | None) -> bool:
    return snapshot is not None and snapshot.computed_at is not None and bool(snapshot.sections)


def snapshot_is_stale(snapshot: IndicatorSnapshot, *, now: datetime.datetime) -> bool:
    from reporting.build import registry_fingerprint

    return (
        snapshot.computed_at is None
        or snapshot.computed_at < now - SNAPSHOT_MAX_AGE
        or snapshot.fingerprint != registry_fingerprint()
    )


def snapshot_refresh_pending(snapshot: IndicatorSnapshot | None, *, now: datetime.datetime) -> bool:
    return (
        snapshot is not None
        and snapshot.refresh_requested_at is not None
        and snapshot.refresh_requested_at > now - SNAPSHOT_REFRESH_TIMEOUT
    )


def _snapshot_row(*, organization: Any, year: int, territory: Any) -> IndicatorSnapshot:
    """The row of (year, territory), created empty if needed (the partial unique constraints
    decide between two concurrent creations: `get_or_create` reads the winner's row)."""
    snapshot, _ = IndicatorSnapshot.objects.for_organization(organization).get_or_create(
        organization=organization, year=year, territory=territory
    )
    return snapshot


def _validate_snapshot_scope(*, organization: Any, year: int, territory: Any) -> None:
    errors: dict[str, str] = {}
    current_year = timezone.localdate().year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= current_year:
        errors["year"] = f"L'année doit être comprise entre {FIRST_YEAR} et {current_year}."
    if territory is not None and territory.organization_id != organization.pk:
        errors["territory"] = "Territoire inconnu."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_snapshot_store(
    *,
    organization: Any,
    year: int,
    territory: Any = None,
    sections: list[dict[str, Any]],
    alerts: dict[str, int],
    computed_at: datetime.datetime,
    compute_seconds: float,
    fingerprint: str,
) -> IndicatorSnapshot:
    """Keep freshly computed indicators. A computation that started before the one already
    stored is dropped (two refreshes finishing out of order never go back in time)."""
    row = _snapshot_row(organization=organization, year=year, territory=territory)
    snapshot = IndicatorSnapshot.objects.select_for_update().get(pk=row.pk)
    if snapshot.computed_at is not None and snapshot.computed_at > computed_at:
        return snapshot
    snapshot.sections = sections
    snapshot.alerts = alerts
    snapshot.computed_at = computed_at
    snapshot.compute_seconds = round(compute_seconds, 3)
    snapshot.fingerprint = fingerprint
    snapshot.refresh_requested_at = None
    snapshot.save(
        update_fields=[
            "sections",
            "alerts",
            "computed_at",
            "compute_seconds",
            "fingerprint",
            "refresh_requested_at",
            "updated_at",
        ]
    )
    return snapshot


def indicator_snapshot_compute(
    *, organization: Any, year: int, territory: Any = None
) -> dict[str, Any]:
    """Compute what a snapshot stores (the caller picks the transaction: the worker reads in
    one REPEATABLE READ snapshot of the database)."""
    import time

    from reporting import build

    computed_at = timezone.now()
    started = time.monotonic()
    sections = build.dashboard_sections(organization=organization, year=year, territory=territory)
    alerts = (
        build.snapshot_alerts(organization=organization, today=timezone.localdate())
        if territory is None
        else {}
    )
    return {
        "sections": sections,
        "alerts": alerts,
        "computed_at": computed_at,
        "compute_seconds": time.monotonic() - started,
        "fingerprint": build.registry_fingerprint(),
    }


@transaction.atomic
def indicator_snapshot_refresh(
    *, organization: Any, year: int, territory: Any = None, requested_by: Any = None
) -> bool:
    """Ask the worker to compute (year, territory) again. One refresh at a time: the
    conditional update decides (no check-then-act); True when this call sent one."""
    _validate_snapshot_scope(organization=organization, year=year, territory=territory)
    row = _snapshot_row(organization=organization, year=year, territory=territory)
    now = timezone.now()
    claimed = (
        IndicatorSnapshot.objects.for_organization(organization)
        .filter(pk=row.pk)
        .filter(
            Q(refresh_requested_at__isnull=True)
            | Q(refresh_requested_at__lte=now - SNAPSHOT_REFRESH_TIMEOUT)
        )
        .update(refresh_requested_at=now, updated_at=now, updated_by=requested_by)
    )
    if not claimed:
        return False
    from reporting.tasks import refresh_indicator_snapshot

    org_id, territory_id = organization.pk, territory.pk if territory is not None else None

    def send() -> None:
        send_task(
            refresh_indicator_snapshot,
            organization_id=org_id,
            year=year,
            territory_id=territory_id,
        )

    # robust: without a broker (the demo) the task runs right here, after the commit; a
    # failure there must not turn the page that asked into an error.
    transaction.on_commit(send, robust=True)
    return True


def indicator_snapshot_obtain(
    *, organization: Any, year: int, territory: Any = None, acting_user: Any = None
) -> IndicatorSnapshot:
    """The snapshot a page shows for (year, territory): the stored one when it has figures
    (when stale, a background refresh is also sent and the stored one is shown meanwhile);
    else the figures are computed now, stored and returned (first view of a year or a
    territory; the SQLite demo). Part of the caller's transaction."""
    from reporting import selectors

    now = timezone.now()
    snapshot = selectors.indicator_snapshot(
        organization=organization, year=year, territory=territory
    )
    if snapshot_is_usable(snapshot):
        assert snapshot is not None
        if snapshot_is_stale(snapshot, now=now) and not snapshot_refresh_pending(snapshot, now=now):
            indicator_snapshot_refresh(
                organization=organization, year=year, territory=territory, requested_by=acting_user
            )
            snapshot.refresh_from_db(fields=["refresh_requested_at"])
        return snapshot
    return indicator_snapshot_store(
        organization=organization,
        year=year,
        territory=territory,
        **indicator_snapshot_compute(organization=organization, year=year, territory=territory),
    )
