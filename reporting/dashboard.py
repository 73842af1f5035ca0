"""The managers' home panel: this year's key indicators vs last year, a chart, alerts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from core.dashboard import Panel
from reporting import build
from reporting.alerts import active_alerts
from reporting.indicators import Unit, registry

# The key figures of the panel, in this order (those not registered are skipped).
KEY_FIGURES = [
    "tenants.households",
    "tenants.entrants",
    "tenants.housing_benefit_share",
    "tenants.minima_sociaux_share",
    "stock.associative_dwellings",
]


def key_figure_keys() -> list[str]:
    known = registry()
    extra = [
        key
        for key, indicator in known.items()
        if indicator.compare and indicator.unit != Unit.BREAKDOWN and "home" in indicator.tags
    ]
    return [key for key in KEY_FIGURES if key in known] + [k for k in extra if k not in KEY_FIGURES]


def home_context(request: HttpRequest) -> dict[str, Any]:
    organization = request.organization  # type: ignore[attr-defined]
    today = timezone.localdate()
    known = registry()
    entries = []
    for key in key_figure_keys():
        entry = build.indicator_entry(known[key], organization=organization, year=today.year)
        if "previous" not in entry:
            previous = known[key].compute(organization=organization, year=today.year - 1)
            entry["previous"] = previous
            entry["change"] = build.change(entry["value"], previous, known[key].unit)
        entries.append(entry)
    section = build.present_section(
        {"key": "home", "title": "", "intro": "", "indicators": entries}, year=today.year
    )
    return {
        "year": today.year,
        "figures": section["figures"],
        "chart": section["evolution_chart"],
        "alerts": active_alerts(organization=organization, today=today),
    }


PANELS = [Panel("reporting.view_indicators", "reporting/_home_panel.html", home_context, order=90)]
