from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from core.dashboard import Panel
from quotas import selectors


def _context(request: HttpRequest) -> dict[str, Any]:
    return {
        "quota_alerts": selectors.home_alerts(
            organization=request.organization,  # type: ignore[attr-defined]
            today=timezone.localdate(),
        )
    }


PANELS = [Panel("quotas.view_counted_households", "quotas/_home_panel.html", _context, order=35)]
