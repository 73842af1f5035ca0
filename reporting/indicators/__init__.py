"""The indicator registry: every figure of the reports, dashboards, CSV exports and
`/api/v1/indicators/` comes from one `Indicator` and its ONE selector.

    Indicator(
        key="tenants.housing_benefit_share",
        label="Part des ménages locataires percevant une aide au logement",
        definition="...", formula="...", source="housing.Household, housing.Lease",
        unit=Unit.PERCENT, section="tenant_profile",
        selector=housing_benefit_share,  # (*, organization, year, territory=None) -> value
    )

Indicators are declared in `reporting/indicators/<topic>.py` (listed in `MODULES`) or by any
app in `<app>/indicators.py` as `INDICATORS = [Indicator(...), ...]`; both are collected here.
Each one is documented in docs/indicators.md (a test checks every key appears there).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import models


class Unit(models.TextChoices):
    COUNT = "count", "nombre"
    PERCENT = "percent", "%"
    EUROS = "euros", "€"
    DAYS = "days", "jours"
    BREAKDOWN = "breakdown", "répartition"


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    definition: str
    formula: str
    source: str
    unit: str
    section: str
    selector: Callable[..., Any]
    # Chart kind for breakdowns ("bar" or "pie"); for scalars, "evolution" compares with N-1.
    chart: str = ""
    # Shown with its change vs the previous year (key figures, dashboard).
    compare: bool = False
    # What a row of a breakdown counts ("ménages", "logements"...).
    counts: str = "ménages"
    # Higher is worse (arrears rate): the dashboard colours the change accordingly.
    higher_is_worse: bool = False
    tags: tuple[str, ...] = field(default_factory=tuple)

    def compute(self, *, organization: Any, year: int, territory: Any = None) -> Any:
        return self.selector(organization=organization, year=year, territory=territory)


# Indicator modules of the reporting app itself: housing-based figures, and adapters reading
# the other apps' selectors (cases, allocations, arrears). A module whose app is missing
# declares nothing.
MODULES = [
    "reporting.indicators.tenants",
    "reporting.indicators.commissions",
    "reporting.indicators.social",
    "reporting.indicators.arrears",
    "reporting.indicators.stock",
]

_registry: dict[str, Indicator] | None = None


def _collect() -> dict[str, Indicator]:
    found: dict[str, Indicator] = {}
    sources = list(MODULES)
    for config in apps.get_app_configs():
        if config.name != "reporting":
            sources.append(f"{config.name}.indicators")
    for name in sources:
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        for indicator in getattr(module, "INDICATORS", []):
            if indicator.key in found:
                raise ValueError(f"Indicator {indicator.key!r} declared twice")
            found[indicator.key] = indicator
    return found


def registry() -> dict[str, Indicator]:
    global _registry
    if _registry is None:
        _registry = _collect()
    return _registry


def get(key: str) -> Indicator:
    return registry()[key]


def for_section(section: str) -> list[Indicator]:
    return [i for i in registry().values() if i.section == section]


# --- Values ---------------------------------------------------------------------------------------


def percent(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """A share in %, two decimals, rounded half up; None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def breakdown(counts: dict[str, int], labels: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Rows in the declared order of `labels` (every category shown, zeros included), then any
    unexpected key; each row has its share of the total."""
    rows = []
    known = set()
    for key, label in labels:
        known.add(key)
        rows.append({"key": key, "label": str(label), "value": int(counts.get(key, 0))})
    for key, value in sorted(counts.items(), key=lambda kv: str(kv[0])):
        if key not in known:
            rows.append({"key": key, "label": str(key), "value": int(value)})
    total = sum(row["value"] for row in rows)
    for row in rows:
        row["share"] = percent(row["value"], total)
    return rows


# --- One computation of many indicators ----------------------------------------------------------

# Results of the selectors shared by several indicators (`pick`), while `shared_results()` is
# active: a dashboard computes `arrears_rate` once for its two figures, not once per figure.
_shared: ContextVar[dict[tuple, Any] | None] = ContextVar("reporting_shared_results", default=None)


@contextlib.contextmanager
def shared_results() -> Iterator[None]:
    """Within this block, a selector called through `shared()` with the same organisation,
    year and territory runs once. Open it around ONE computation (a snapshot, a request), never
    across transactions: the results are not invalidated."""
    token = _shared.set({}) if _shared.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _shared.reset(token)


def shared(selector: Callable[..., Any]) -> Callable[..., Any]:
    """`selector(*, organization, year, territory=None)`, its result reused inside
    `shared_results()` (called as is outside)."""

    def call(*, organization: Any, year: int, territory: Any = None) -> Any:
        memo = _shared.get()
        if memo is None:
            return selector(organization=organization, year=year, territory=territory)
        key = (
            selector,
            getattr(organization, "pk", organization),
            year,
            getattr(territory, "pk", territory),
        )
        if key not in memo:
            memo[key] = selector(organization=organization, year=year, territory=territory)
        return memo[key]

    return call


def pick(
    selector: Callable[..., Any], *path: str, convert: Callable[[Any], Any] | None = None
) -> Callable[..., Any]:
    """An indicator selector reading one figure of another app's selector that returns a
    dict (or an object): `pick(arrears_rate, "rate")`, `pick(plans_signed, "borloo")`,
    `pick(decisions_by_type, convert=lambda d: breakdown(d, DecisionKind.choices))`.
    Indicators picking from the same selector share its result (`shared_results()`)."""
    call = shared(selector)

    def indicator_selector(*, organization: Any, year: int, territory: Any = None) -> Any:
        value = call(organization=organization, year=year, territory=territory)
        for step in path:
            value = value[step] if isinstance(value, dict) else getattr(value, step)
        return convert(value) if convert else value

    suffix = "".join(f"[{step!r}]" for step in path)
    indicator_selector.__name__ = f"{selector.__name__}{suffix}"
    indicator_selector.__qualname__ = indicator_selector.__name__
    indicator_selector.__module__ = selector.__module__
    return indicator_selector


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def to_json(value: Any) -> Any:
    """A value as frozen in a snapshot or sent by the API: decimals as strings (exact)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


def compute(
    keys: Iterable[str], *, organization: Any, year: int, territory: Any = None
) -> dict[str, Any]:
    with shared_results():
        return {
            key: get(key).compute(organization=organization, year=year, territory=territory)
            for key in keys
        }
