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
    data = selectors.dashboard(
        organization=request.organization,
        officer=officer,
        today=timezone.localdate(),
        with_social=False,
    )
    return {
        "open_total": data["open_total"],
        "due_this_week": len(data["due_this_week"]),
        "overdue": len(data["overdue"]),
        "plans_in_breach": len(data["plans_in_breach"]),
        "closure_proposed": data["closure_proposed"],
    }


PANELS = [Panel("arrears.view_arrears", "arrears/_home_panel.html", arrears_panel, order=40)]
