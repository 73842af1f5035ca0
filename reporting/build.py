"""Building a report: the frozen snapshot of indicators (from one database snapshot), then its
presentation (tables, charts) shared by the PDF and the dashboard pages.

The snapshot holds only figures computed from the records (no clock, no random ids), so the
same records always give the same snapshot — a re-run after a lost worker produces it again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from reporting import charts
from reporting.indicators import (
    Indicator,
    Unit,
    percent,
    shared_results,
    to_json,
)
from reporting.sections import Section, available_sections, section

logger = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1


def change(value: Any, previous: Any, unit: str) -> Decimal | None:
    """Change vs N-1: in % for counts and amounts, in points for shares."""
    if value is None or previous is None:
        return None
    if unit == Unit.PERCENT:
        return (Decimal(value) - Decimal(previous)).quantize(Decimal("0.01"))
    return percent(Decimal(value) - Decimal(previous), previous)


def indicator_entry(
    indicator: Indicator, *, organization: Any, year: int, territory: Any = None
) -> dict[str, Any]:
    value = indicator.compute(organization=organization, year=year, territory=territory)
    entry: dict[str, Any] = {
        "key": indicator.key,
        "label": indicator.label,
        "unit": str(indicator.unit),
        "value": to_json(value),
    }
    if indicator.compare and indicator.unit != Unit.BREAKDOWN:
        previous = indicator.compute(organization=organization, year=year - 1, territory=territory)
        entry["previous"] = to_json(previous)
        entry["change"] = to_json(change(value, previous, indicator.unit))
    return entry


def section_snapshot(
    part: Section, *, organization: Any, year: int, territory: Any = None
) -> dict[str, Any]:
    return {
        "key": part.key,
        "title": part.title,
        "intro": part.intro,
        "indicators": [
            indicator_entry(i, organization=organization, year=year, territory=territory)
            for i in part.indicators
        ],
    }


def build_snapshot(
    *,
    organization: Any,
    kind: str,
    year: int,
    territory: Any = None,
    sections: list[str] | None = None,
    on_section: Callable[[int, int, Section], None] | None = None,
) -> dict[str, Any]:
    offered = available_sections(kind)
    chosen = [s for s in offered if sections is None or s.key in sections]
    result = []
    with shared_results():
        for index, part in enumerate(chosen):
            if on_section:
                on_section(index, len(chosen), part)
            result.append(
                section_snapshot(part, organization=organization, year=year, territory=territory)
            )
    return {
        "version": SNAPSHOT_VERSION,
        "kind": kind,
        "year": year,
        "organization": organization.name,
        "territory": territory.name if territory is not None else None,
        "sections": result,
    }


def dashboard_sections(
    *, organization: Any, year: int, territory: Any = None, sections: list[str] | None = None
) -> list[dict[str, Any]]:
    """The live figures of every available section (what an `IndicatorSnapshot` stores),
    each selector shared by several indicators computed once."""
    with shared_results():
        return [
            section_snapshot(part, organization=organization, year=year, territory=territory)
            for part in available_sections()
            if sections is None or part.key in sections
        ]


def snapshot_alerts(*, organization: Any, today: Any) -> dict[str, Any]:
    """The home panel's alerts that are computed with the indicators (`with_indicators`):
    {key: count}; and the data of the apps' home panels that are computed with them
    (`core.dashboard.Panel.snapshot`): {panel key: JSON data}."""
    from core.dashboard import all_panels
    from reporting.alerts import all_alerts

    stored: dict[str, Any] = {
        alert.key: alert.selector(organization=organization, today=today)
        for alert in all_alerts()
        if alert.with_indicators
    }
    for panel in all_panels():
        if panel.snapshot is not None:
            stored[panel.key] = panel.snapshot(organization=organization, today=today)
    return stored


def registry_fingerprint() -> str:
    """Changes when an indicator, a section or a snapshot alert is added or removed (a deploy):
    the snapshots computed before are then stale."""
    from core.dashboard import all_panels
    from reporting.alerts import all_alerts

    parts = [f"v{SNAPSHOT_VERSION}"]
    for part in available_sections():
        parts.append(part.key)
        parts.extend(indicator.key for indicator in part.indicators)
    parts.extend(alert.key for alert in all_alerts() if alert.with_indicators)
    parts.extend(panel.key for panel in all_panels() if panel.snapshot is not None)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def entries_by_key(sections: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {entry["key"]: entry for part in sections for entry in part["indicators"]}


def snapshot_checksum(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- Presentation (PDF and pages) -----------------------------------------------------------------


def _number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def present_section(data: dict[str, Any], *, year: int) -> dict[str, Any]:
    """Key figures, tables (with their chart) and the N-1 chart of one section's snapshot."""
    figures, tables, evolution = [], [], []
    for entry in data["indicators"]:
        if entry["unit"] == Unit.BREAKDOWN:
            rows = [
                {**row, "value": int(row["value"]), "share": _number(row.get("share"))}
                for row in entry["value"]
            ]
            try:
                chart_kind = section_indicator(entry["key"]).chart or "bar"
            except KeyError:
                chart_kind = "bar"
            total = sum(r["value"] for r in rows)
            tables.append(
                {
                    "key": entry["key"],
                    "label": entry["label"],
                    "rows": rows,
                    "total": total,
                    # No chart of nothing: the table says "0".
                    "chart": charts.breakdown_chart(entry["label"], rows, chart_kind)
                    if total
                    else None,
                }
            )
            continue
        figure = {
            **entry,
            "value": _number(entry["value"]),
            "previous": _number(entry.get("previous")),
            "change": _number(entry.get("change")),
            "has_previous": "previous" in entry,
        }
        figures.append(figure)
        if figure["has_previous"] and entry["unit"] == Unit.COUNT:
            evolution.append(figure)
    # The N-1 chart: counts only (one scale), at most six, and only when there is something.
    evolution = evolution[:6]
    if not any(f["value"] or f["previous"] for f in evolution):
        evolution = []
    return {
        "key": data["key"],
        "title": data["title"],
        "intro": data["intro"],
        "figures": figures,
        "tables": tables,
        "evolution_chart": (
            charts.evolution_chart(f"Évolution {year - 1} – {year}", year, evolution)
            if evolution
            else None
        ),
    }


# Charts are rendered once per stored snapshot (pygal takes ~5 ms a chart, a dashboard has
# ~15): the presentation is cached, keyed by the snapshot's row and computation time, so a new
# computation never shows old charts. Bump when the presentation changes.
PRESENTATION_VERSION = 1
PRESENTATION_TIMEOUT = 2 * 24 * 3600


def cached_presentation(snapshot: Any, name: str, compute: Callable[[], Any]) -> Any:
    """`compute()` (a presentation of `snapshot`), from the cache when it was already done for
    this computation of the snapshot. The cache is an optimisation: when it is unreachable the
    presentation is simply computed."""
    from django.core.cache import cache
    from django.db import connection

    if snapshot.pk is None or snapshot.computed_at is None:
        return compute()
    key = ":".join(
        [
            "reporting:presented",
            f"v{PRESENTATION_VERSION}",
            str(connection.settings_dict.get("NAME", "")),  # parallel test databases
            str(snapshot.pk),
            f"{snapshot.computed_at.timestamp():.6f}",
            name,
        ]
    )
    try:
        found = cache.get(key)
    except Exception:  # the cache is optional (Redis down)
        logger.warning("Cache unreachable: presentation of %s computed", key, exc_info=True)
        return compute()
    if found is None:
        found = compute()
        try:
            cache.set(key, found, PRESENTATION_TIMEOUT)
        except Exception:  # the cache is optional
            logger.warning("Cache unreachable: presentation of %s not kept", key, exc_info=True)
    return found


def present_snapshot(snapshot: Any) -> list[dict[str, Any]]:
    """The sections of an `IndicatorSnapshot`, presented (tables and charts)."""
    return cached_presentation(
        snapshot,
        "sections",
        lambda: [present_section(part, year=snapshot.year) for part in snapshot.sections],
    )


def present(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    return [present_section(s, year=snapshot["year"]) for s in snapshot["sections"]]


def section_indicator(key: str) -> Indicator:
    from reporting.indicators import get

    return get(key)


def section_title(key: str) -> str:
    return section(key).title
