"""The managers' home panel: this year's key indicators vs last year, a chart, alerts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from core.dashboard import Panel
from reporting import build, selectors, services
from reporting.alerts import active_alerts
from reporting.indicators import Unit, registry, shared_results, to_json

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


def _live_entries(organization: Any, year: int) -> list[dict[str, Any]]:
    known = registry()
    entries = []
    with shared_results():
        for key in key_figure_keys():
            entry = build.indicator_entry(known[key], organization=organization, year=year)
            if "previous" not in entry:
                previous = known[key].compute(organization=organization, year=year - 1)
                entry["previous"] = to_json(previous)
                entry["change"] = to_json(build.change(entry["value"], previous, known[key].unit))
            entries.append(entry)
    return entries


def current_snapshot(request: HttpRequest) -> Any:
    """This year's indicator snapshot of the request's organisation (computed or not; None
    without one), read once per request: the home page's panels share it."""
    cache = request.__dict__.setdefault("_indicator_snapshots", {})
    year = timezone.localdate().year
    if year not in cache:
        cache[year] = selectors.indicator_snapshot(
            organization=request.organization,  # type: ignore[attr-defined]
            year=year,
        )
    return cache[year]


def stored_panel_data(request: HttpRequest, key: str) -> tuple[Any, Any] | None:
    """(data, computed_at) of a home panel computed with this year's snapshot
    (`core.dashboard.Panel.snapshot`), or None when the snapshot has none yet (not computed,
    or computed before the panel existed): the panel then computes its data live."""
    snapshot = current_snapshot(request)
    if services.snapshot_is_usable(snapshot) and key in (snapshot.alerts or {}):
        return snapshot.alerts[key], snapshot.computed_at
    return None


def home_context(request: HttpRequest) -> dict[str, Any]:
    """The key figures come from this year's snapshot of the whole organisation (computed
    every night; a stale one also sends a refresh). Without one yet, they are computed now —
    only these few figures, never the whole dashboard — and the snapshot is asked for in the
    background. Operational alerts are always counted now."""
    organization = request.organization  # type: ignore[attr-defined]
    today = timezone.localdate()
    now = timezone.now()
    snapshot = current_snapshot(request)
    counted: dict[str, int] | None = None
    if services.snapshot_is_usable(snapshot):
        assert snapshot is not None
        stored = build.entries_by_key(snapshot.sections)
        entries = [stored[key] for key in key_figure_keys() if key in stored]
        counted = snapshot.alerts
        if services.snapshot_is_stale(snapshot, now=now) and not (
            services.snapshot_refresh_pending(snapshot, now=now)
        ):
            services.indicator_snapshot_refresh(
                organization=organization, year=today.year, requested_by=request.user
            )
    else:
        entries = _live_entries(organization, today.year)
        if not services.snapshot_refresh_pending(snapshot, now=now):
            services.indicator_snapshot_refresh(
                organization=organization, year=today.year, requested_by=request.user
            )

    def present() -> dict[str, Any]:
        return build.present_section(
            {"key": "home", "title": "", "intro": "", "indicators": entries}, year=today.year
        )

    section = (
        build.cached_presentation(snapshot, "home", present) if counted is not None else present()
    )
    return {
        "year": today.year,
        "figures": section["figures"],
        "chart": section["evolution_chart"],
        "computed_at": snapshot.computed_at if counted is not None and snapshot else None,
        "alerts": active_alerts(organization=organization, today=today, counted=counted),
    }


PANELS = [Panel("reporting.view_indicators", "reporting/_home_panel.html", home_context, order=90)]
