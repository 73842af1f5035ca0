"""Home page panels: each app adds its own in `<app>/dashboard.py`:

    PANELS = [Panel("cases.view_caseload", "cases/_home_caseload.html", caseload_context, order=10)]

The home page shows, in order, the panels the user's role is allowed to see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.http import HttpRequest

from core.access import can


@dataclass(frozen=True)
class Panel:
    action: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any]] | None = None
    order: int = 100
    # Data too costly to compute on each view and not needed to the minute (a year's
    # attributions counted for the quota targets): `snapshot(organization=, today=)` returns
    # JSON data stored with the organisation's indicator snapshot (computed by the worker
    # every night and when older than a day, reporting.build.snapshot_alerts) under `key`; the
    # panel's `context` reads it with `reporting.dashboard.stored_panel_data`, and computes it
    # live when the snapshot has none yet.
    snapshot: Callable[..., Any] | None = None
    key: str = ""


def all_panels() -> list[Panel]:
    found: list[Panel] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.dashboard")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.dashboard":
                raise
            continue
        found.extend(getattr(module, "PANELS", []))
    found.sort(key=lambda panel: panel.order)
    return found


def panels_for(request: HttpRequest) -> list[tuple[Panel, dict[str, Any]]]:
    return [
        (panel, panel.context(request) if panel.context else {})
        for panel in all_panels()
        if can(request, panel.action)
    ]
