"""Report jobs with the real Redis and a real Celery worker: the yearly report end to end, a
broker outage, a worker killed mid-job, a duplicate message."""

from __future__ import annotations

import contextlib
import datetime
import io
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.authtoken.models import Token

from reporting import services, tasks
from reporting.enums import ReportStatus
from reporting.models import ReportJob

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


@pytest.fixture
def report_worker(celery_worker: Any, settings: Any, tmp_path_factory: Any) -> Any:
    """The session's worker, writing documents where this process reads them (MEDIA_ROOT is
    per test in the main process; the worker takes it from its environment at start)."""
    media = getattr(celery_worker, "reporting_media", None)
    if media is None:
        media = tmp_path_factory.mktemp("reporting-media")
        settings.MEDIA_ROOT = media
        celery_worker.stop()
        celery_worker.start()
        celery_worker.reporting_media = media
    settings.MEDIA_ROOT = media
    return celery_worker


def wait_for(
    org: Any, job_id: int, *statuses: str, timeout: float = 240, **fields: Any
) -> ReportJob:
    from core.context import organization_context

    deadline = time.monotonic() + timeout
    while True:
        with organization_context(org):
            job = ReportJob.objects.select_related("document").get(pk=job_id)
        if job.status in statuses and all(getattr(job, k) == v for k, v in fields.items()):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(
                f"job {job_id} is {job.status} ({job.current_step}), not {statuses}"
            )
        time.sleep(0.1)


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"[\xa0\u202f]", " ", text)


@contextlib.contextmanager
def broker_unreachable() -> Iterator[None]:
    """Point this process's Celery app at a closed port (the worker keeps the real broker)."""
    from config.celery import app

    def reset() -> None:
        # New connections from now on (the pools are keyed by connection parameters).
        app._pool = None
        app.amqp._producer_pool = None

    real = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    reset()
    try:
        yield
    finally:
        app.conf.broker_url = real
        reset()


def api(client: Any, user: Any, org: Any) -> dict[str, str]:
    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_X_ORGANIZATION": org.slug}


# --- The yearly report, end to end ---------------------------------------------------------------

EXPECTED_IN_PDF = [
    "Rapport d'activité annuel 2025",
    "Habitat Test",
    "Ensemble de l'organisation",
    "Sommaire",
    "Profil des locataires",
    "Patrimoine et partenariats associatifs",
    "Ménages locataires au 31 décembre",
    "+17 %",  # 7 tenant households vs 6 at the end of 2024
    "57,14 %",  # housing benefit, 4 of 7
    "66,67 %",  # housing benefit among the 3 entrants (2)
    "42,86 %",  # minima sociaux, 3 of 7
    "33,33 %",  # minima sociaux among entrants when their lease began (1 of 3)
    "Personne seule 3 42,9 %",
    "Famille monoparentale 1 14,3 %",
    "Moins de 1 000 € 2 28,6 %",
    "Annexe : définition des indicateurs",
    "Page 2 /",
]


def test_the_yearly_report_is_built_by_the_worker_and_agrees_with_dashboard_and_api(
    report_worker: Any, client: Any, org: Any, small_year: dict, member_of: Any
) -> None:
    manager = member_of(org, "manager")
    headers = api(client, manager, org)
    response = client.post(
        "/api/v1/report-jobs/",
        {"kind": "annual_activity", "year": 2025},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] in ("requested", "queued", "running", "done")

    from core.context import organization_context

    with organization_context(org):
        job_id = ReportJob.objects.get(public_id=body["id"]).pk
    job = wait_for(org, job_id, ReportStatus.DONE, ReportStatus.FAILED)
    assert job.status == ReportStatus.DONE, job.error
    assert job.progress == 100 and job.checksum and job.snapshot_checksum
    assert set(job.timings) >= {"indicators", "pdf", "total"}

    status = client.get(f"/api/v1/report-jobs/{body['id']}/", **headers).json()
    assert status["status"] == "done" and status["file"].endswith("/file/")
    download = client.get(status["file"], **headers)
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    missing = [expected for expected in EXPECTED_IN_PDF if expected not in text]
    assert missing == [], text

    # The stored-document route serves the same file to a manager, not to a social worker.
    client.force_login(manager)
    page_download = client.get(f"/documents/{job.document.public_id}/")
    assert page_download.status_code == 200
    assert b"".join(page_download.streaming_content) == content

    # The API's indicators are the snapshot's figures.
    indicators = client.get("/api/v1/indicators/?year=2025", **headers).json()["indicators"]
    by_key = {i["key"]: i for i in indicators}
    frozen = {e["key"]: e for part in job.snapshot["sections"] for e in part["indicators"]}
    assert frozen.keys() <= by_key.keys()
    for key, entry in frozen.items():
        assert by_key[key]["value"] == entry["value"], key
    assert by_key["tenants.housing_benefit_share"]["value"] == "57.14"

    # The dashboard shows them, formatted the French way.
    page = client.get("/rapports/indicateurs/?year=2025").content.decode()
    for figure in ("57,14\xa0%", "66,67\xa0%", "42,86\xa0%", "33,33\xa0%", "+17\xa0%"):
        assert figure in page


def test_a_social_worker_cannot_download_a_report(
    report_worker: Any, client: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    manager = member_of(org, "manager")
    with in_org(org):
        job, _ = services.report_request(organization=org, requested_by=manager, year=2025)
    job = wait_for(org, job.pk, ReportStatus.DONE, ReportStatus.FAILED)
    assert job.status == ReportStatus.DONE, job.error
    client.force_login(member_of(org, "social_worker"))
    assert client.get(f"/documents/{job.document.public_id}/").status_code == 403


# --- Durability ----------------------------------------------------------------------------------


def test_a_job_requested_while_the_broker_is_down_stays_queued_then_is_redispatched(
    report_worker: Any, org: Any, small_year: dict, member_of: Any, in_org: Any
) -> None:
    manager = member_of(org, "manager")
    with broker_unreachable():
        with in_org(org):
            job, created = services.report_request(
                organization=org, requested_by=manager, year=2025
            )
        assert created
        time.sleep(1)
        job = wait_for(org, job.pk, ReportStatus.QUEUED)
        assert job.dispatched_at is None and job.dispatch_count == 1
        # Beat, while the broker is still down: the job stays queued.
        assert tasks.redispatch_jobs() == 0
        assert wait_for(org, job.pk, ReportStatus.QUEUED).dispatch_count == 2
    # The broker is back: the periodic re-dispatcher sends it.
    assert tasks.redispatch_jobs() == 1
    job = wait_for(org, job.pk, ReportStatus.DONE, ReportStatus.FAILED)
    assert job.status == ReportStatus.DONE, job.error
    assert job.attempt == 1


def test_a_worker_killed_mid_job_is_rerun_and_produces_the_same_snapshot(
    report_worker: Any, org: Any, small_year: dict, member_of: Any, in_org: Any
) -> None:
    manager = member_of(org, "manager")
    with in_org(org):
        job, _ = services.report_request(organization=org, requested_by=manager, year=2025)
        hold = tasks.HOLD_KEY.format(public_id=job.public_id)
        cache.set(hold, "render", 120)  # the run will wait at the PDF step
    try:
        job = wait_for(org, job.pk, ReportStatus.RUNNING, current_step="Graphiques et mise en page")
        report_worker.stop(kill=True)
    finally:
        cache.delete(hold)
        report_worker.start()
    # The row is the truth: still running, under a lease nobody renews.
    job = wait_for(org, job.pk, ReportStatus.RUNNING)
    assert job.attempt == 1 and job.progress == 55
    # Before the lease expires, beat leaves it alone; after, it re-dispatches it.
    assert tasks.redispatch_jobs() == 0
    later = job.lease_expires_at + datetime.timedelta(seconds=1)
    assert tasks.redispatch_jobs(now_iso=later.isoformat()) == 1
    job = wait_for(org, job.pk, ReportStatus.DONE, ReportStatus.FAILED)
    assert job.status == ReportStatus.DONE, job.error
    assert job.attempt == 2

    # The same request, built in one go, gives the same frozen figures.
    with in_org(org):
        again, created = services.report_request(organization=org, requested_by=manager, year=2025)
    assert created
    again = wait_for(org, again.pk, ReportStatus.DONE, ReportStatus.FAILED)
    assert again.snapshot == job.snapshot
    assert again.snapshot_checksum == job.snapshot_checksum


def test_a_duplicate_message_does_not_run_a_job_twice(
    report_worker: Any, org: Any, small_year: dict, member_of: Any, in_org: Any
) -> None:
    manager = member_of(org, "manager")
    with in_org(org):
        job, _ = services.report_request(organization=org, requested_by=manager, year=2025)
    job = wait_for(org, job.pk, ReportStatus.DONE, ReportStatus.FAILED)
    assert job.status == ReportStatus.DONE, job.error
    result = tasks.build_report.delay(organization_id=org.pk, job_id=job.pk).get(timeout=30)
    assert result == "skipped"
    done = wait_for(org, job.pk, ReportStatus.DONE)
    assert done.attempt == 1 and done.document_id == job.document_id


def test_a_job_lost_too_many_times_fails_with_a_message(
    org: Any, member_of: Any, in_org: Any
) -> None:
    from tests.reporting.factories import ReportJobFactory

    job = ReportJobFactory(
        organization=org,
        status=ReportStatus.RUNNING,
        error="",
        attempt=services.MAX_ATTEMPTS,
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert tasks.redispatch_jobs() == 0
    with in_org(org):
        job.refresh_from_db()
    assert job.status == ReportStatus.FAILED
    assert "interrompu" in job.error
