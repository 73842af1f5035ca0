from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from allocations import selectors
from core.dashboard import Panel


def _context(request: HttpRequest) -> dict[str, Any]:
    return {
        "allocations": selectors.home_summary(
            organization=request.organization,  # type: ignore[attr-defined]
            today=timezone.localdate(),
        )
    }


PANELS = [Panel("allocations.view_sessions", "allocations/_home_panel.html", _context, order=30)]
