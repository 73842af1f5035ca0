from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from core.dashboard import Panel
from quotas import selectors

TARGETS_BEHIND = "quotas.targets_behind"


def targets_behind(*, organization: Any, today: datetime.date) -> list[dict[str, Any]]:
    """This year's targets falling behind (or over their ceiling), every territory, as the
    home panel shows them (JSON: stored with the indicator snapshot)."""
    return [
        {
            "label": p.target.label,
            "territory": p.target.territory.name,
            "territory_id": str(p.target.territory.public_id),
            "year": p.target.year,
            "status": p.status_label,
            "achieved": None if p.achieved is None else str(p.achieved),
            "value": str(p.target.value),
            "is_percent": p.is_percent,
        }
        for p in selectors.home_alerts(organization=organization, today=today)
    ]


def _context(request: HttpRequest) -> dict[str, Any]:
    """From this year's indicator snapshot (a year's attributions counted for every target:
    ~130 ms of SQL at 100,000 dwellings, 60 % of the home page when counted on each view);
    live while the snapshot has none."""
    from reporting.dashboard import stored_panel_data

    stored = stored_panel_data(request, TARGETS_BEHIND)
    if stored is not None:
        alerts, computed_at = stored
        return {"quota_alerts": alerts, "quota_alerts_computed_at": computed_at}
    return {
        "quota_alerts": targets_behind(
            organization=request.organization,  # type: ignore[attr-defined]
            today=timezone.localdate(),
        ),
        "quota_alerts_computed_at": None,
    }


PANELS = [
    Panel(
        "quotas.view_counted_households",
        "quotas/_home_panel.html",
        _context,
        order=35,
        snapshot=targets_behind,
        key=TARGETS_BEHIND,
    )
]
