"""Run one yearly report in this process, as the worker would, and print its time and this
process's peak memory (the worker's): `python -m bench.report_worker <org slug> <year>`.

Runs as the application role (bench settings). The build task is called directly, in process,
after the request is committed (as `build_report` runs in a Celery worker)."""

from __future__ import annotations

import inspect
import json
import os
import resource
import sys
import time


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from core.context import dangerously_unscoped, organization_context
    from organizations.models import Membership, Organization

    slug, year = sys.argv[1], int(sys.argv[2])
    organization = Organization.objects.get(slug=slug)
    try:
        from reporting import services, tasks
        from reporting.models import ReportJob
    except ImportError as error:
        print(json.dumps({"missing": f"reporting not there: {error}"}))
        return 0
    with dangerously_unscoped("bench"), organization_context(organization):
        user = (
            Membership.objects.filter(role="manager", organization=organization)
            .select_related("user")
            .first()
            .user
        )
    started = time.perf_counter()
    with organization_context(organization, user=user):
        params = inspect.signature(services.report_request).parameters
        kwargs = {"organization": organization, "year": year}
        if "requested_by" in params:
            kwargs["requested_by"] = user
        if "acting_user" in params:
            kwargs["acting_user"] = user
        result = services.report_request(**kwargs)
        job = result[0] if isinstance(result, tuple) else result
    queued = time.perf_counter()
    build = getattr(tasks.build_report, "run", tasks.build_report)
    build(organization_id=organization.pk, job_id=job.pk)
    finished = time.perf_counter()
    with organization_context(organization):
        job = ReportJob.objects.get(pk=job.pk)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "status": job.status,
                # Without a broker the build runs as the request commits (eager tasks): the
                # time is the request's plus the (then idempotent) direct call.
                "seconds": round(finished - started, 2),
                "request_seconds": round(queued - started, 2),
                "peak_mb": round(peak_kb / 1024, 1),
                "timings": getattr(job, "timings", {}),
                "error": (getattr(job, "error", "") or "")[:300],
            },
            default=str,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
