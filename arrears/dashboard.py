"""Home panel of the arrears service (core/dashboard.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from core.dashboard import Panel


def arrears_panel(request: HttpRequest) -> dict[str, Any]:
    from arrears import selectors
    from organizations.enums import Role

    membership = getattr(request, "membership", None)
    officer = membership if membership and membership.role == Role.ARREARS_OFFICER else None
    # Counts only (two queries): listing the cases to count them capped the figures at 50.
    return selectors.dashboard_counts(
        organization=request.organization, officer=officer, today=timezone.localdate()
    )


PANELS = [Panel("arrears.view_arrears", "arrears/_home_panel.html", arrears_panel, order=40)]
