"""Adapter to the one affordability formula of the codebase (housing.affordability).

The candidate assistant and the commission sheet compute the effort rate and residual income
of a demand *for a candidate dwelling*, from the resources and composition declared (or
verified) in the demand and the household's housing benefit. Nothing here re-implements the
formulas: when housing.affordability is not installed, figures are simply not available.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

try:  # pragma: no branch - housing.affordability is part of the codebase
    from housing import affordability as _housing
except ImportError:  # pragma: no cover
    _housing = None  # type: ignore[assignment]

from core.parameters import get_parameter


@dataclass(frozen=True)
class CandidateFigures:
    effort_rate: Decimal | None
    effort_level: str
    effort_over_threshold: bool
    residual_income: Decimal | None
    residual_period: str
    residual_under_threshold: bool
    net_housing_cost: Decimal | None


@dataclass(frozen=True)
class FigureSettings:
    housing: Any
    residual_threshold: Decimal


def load_settings(*, organization: Any, on: datetime.date | None = None) -> FigureSettings | None:
    """The thresholds in force (two queries); None when affordability is unavailable."""
    if _housing is None:
        return None
    return FigureSettings(
        housing=_housing.AffordabilitySettings.load(organization=organization, on=on),
        residual_threshold=get_parameter(
            "allocations.residual_income_threshold", organization=organization, on=on
        ),
    )


def candidate_figures(
    *, application: Any, dwelling: Any, housing_benefit: Decimal, settings: FigureSettings | None
) -> CandidateFigures:
    """Effort rate and residual income of `application` in `dwelling` (no query)."""
    if settings is None or _housing is None:
        return CandidateFigures(None, "unknown", False, None, "", False, None)
    hs = settings.housing
    effort = _housing.effort_rate_from_amounts(
        resources=application.monthly_resources,
        rent=dwelling.rent,
        annex_rent=dwelling.annex_rent,
        charges=dwelling.charges,
        energy_contribution=dwelling.energy_contribution,
        flat_charges=_housing.flat_charges_for(
            individual_water=dwelling.individual_water,
            individual_heating=dwelling.individual_heating,
            settings=hs,
        ),
        housing_benefit=housing_benefit,
        warning_threshold=hs.effort_rate_warning,
        alert_threshold=hs.effort_rate_alert,
    )
    # Composition as declared in the demand: adults count as 14 or more, children under 14.
    ages: list[int | None] = [None] * max(application.adults, 1) + [0] * application.children
    residual = _housing.residual_income_from_amounts(
        resources=effort.resources,
        net_housing_cost=effort.net_housing_cost,
        consumption_units=_housing.consumption_units(ages=ages, settings=hs),
        period=hs.residual_income_period,
        days_per_month=hs.days_per_month,
    )
    return CandidateFigures(
        effort_rate=effort.rate,
        effort_level=effort.level,
        effort_over_threshold=effort.level in ("alert", "unknown"),
        residual_income=residual.amount,
        residual_period=residual.period,
        residual_under_threshold=residual.amount < settings.residual_threshold,
        net_housing_cost=effort.net_housing_cost,
    )


def occupancy_status(*, typology: str, surface: Decimal, persons: int, settings: Any) -> str:
    """normal / under / over per the housing occupancy norms ('' when unavailable)."""
    if _housing is None:
        return ""
    return _housing.occupancy_from_facts(
        typology=typology, surface=surface, persons=persons, settings=settings
    ).status


def housing_settings(*, organization: Any, on: datetime.date | None = None) -> Any:
    if _housing is None:
        return None
    return _housing.AffordabilitySettings.load(organization=organization, on=on)


def consumption_units_for(*, adults: int, children: int, organization: Any = None) -> Decimal:
    """Consumption units of a declared composition (adults 14+, children under 14)."""
    if _housing is None:
        return Decimal(max(adults, 1))
    ages: list[int | None] = [None] * max(adults, 1) + [0] * children
    return _housing.consumption_units(ages=ages)
