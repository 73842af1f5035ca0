"""Home page panel: the caseload is the social worker's home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.dashboard import Panel


def caseload_context(request: HttpRequest) -> dict[str, Any]:
    from cases.selectors import caseload

    return {"caseload": caseload(organization=request.organization, user=request.user)}  # type: ignore[attr-defined]


PANELS = [Panel("cases.view_caseload", "cases/_home_caseload.html", caseload_context, order=10)]
