"""Reads of the reporting app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reporting import build
from reporting.models import IndicatorSnapshot, ReportJob


def report_job_list(*, organization: Any) -> QuerySet[ReportJob]:
    return (
        ReportJob.objects.for_organization(organization)
        .select_related("territory", "requested_by", "document")
        .order_by("-created_at", "-pk")
    )


def indicator_sections(
    *, organization: Any, year: int, territory: Any = None, sections: list[str] | None = None
) -> list[dict[str, Any]]:
    """The live figures of every available section, shaped like a report's snapshot. Pages
    serve them from an `IndicatorSnapshot` (services.indicator_snapshot_obtain); the PDF from
    its job's frozen snapshot."""
    return build.dashboard_sections(
        organization=organization, year=year, territory=territory, sections=sections
    )


def indicator_snapshot(
    *, organization: Any, year: int, territory: Any = None
) -> IndicatorSnapshot | None:
    """The stored snapshot of (year, territory), computed or not; None when there is none."""
    return (
        IndicatorSnapshot.objects.for_organization(organization)
        .filter(year=year, territory=territory)
        .first()
    )
