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


def panels_for(request: HttpRequest) -> list[tuple[Panel, dict[str, Any]]]:
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
    return [
        (panel, panel.context(request) if panel.context else {})
        for panel in found
        if can(request, panel.action)
    ]
