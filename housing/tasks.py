"""Background work of the housing app."""

from __future__ import annotations

from typing import Any

from core.tasks import organization_task


@organization_task
def import_run(*, organization_id: int, job_id: int) -> Any:
    """Run a CSV import job (housing/imports.py) as the user who uploaded it. Safe to run
    twice: a finished job is left as it is."""
    from housing.imports import import_job_run
    from housing.models import ImportJob

    job = ImportJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None:
        return None
    return import_job_run(job=job, acting_user=job.created_by).status
