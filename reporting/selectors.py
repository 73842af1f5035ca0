"""Reads of the reporting app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reporting import build
from reporting.models import ReportJob
from reporting.sections import available_sections


def report_job_list(*, organization: Any) -> QuerySet[ReportJob]:
    return (
        ReportJob.objects.for_organization(organization)
        .select_related("territory", "requested_by", "document")
        .order_by("-created_at", "-pk")
    )


def indicator_sections(
    *, organization: Any, year: int, territory: Any = None, sections: list[str] | None = None
) -> list[dict[str, Any]]:
    """The live figures of every available section, shaped like a report's snapshot (the
    dashboard, the CSV exports and the API use this; the PDF uses the frozen snapshot)."""
    return [
        build.section_snapshot(part, organization=organization, year=year, territory=territory)
        for part in available_sections()
        if sections is None or part.key in sections
    ]
