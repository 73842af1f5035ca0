"""Indicators of the yearly report, section "Attributions aux publics prioritaires": every
figure comes from the one definition of an attribution (quotas.selectors, docs/quotas.md)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from quotas import selectors
from reporting.indicators import Indicator, Unit, percent, shared

SECTION = "priority_publics"
SOURCE = (
    "allocations.Offer (bail signé), allocations.ApplicationPriority — "
    "quotas.selectors.counted_attributions"
)


# One SQL aggregate for the four counts (shared by them within a report's computation).
_counts = shared(selectors.attribution_criteria_counts)


def dalo_attributions(*, organization: Any, year: int, territory: Any = None) -> int:
    return _counts(organization=organization, year=year, territory=territory)["dalo"]


def dalo_share(*, organization: Any, year: int, territory: Any = None) -> Decimal | None:
    counts = _counts(organization=organization, year=year, territory=territory)
    return percent(counts["dalo"], counts["total"])


def shelter_leaver_attributions(*, organization: Any, year: int, territory: Any = None) -> int:
    return _counts(organization=organization, year=year, territory=territory)["shelter_leavers"]


def priority_share(*, organization: Any, year: int, territory: Any = None) -> Decimal | None:
    counts = _counts(organization=organization, year=year, territory=territory)
    return percent(counts["priority"], counts["total"])


def targets_met(*, organization: Any, year: int, territory: Any = None) -> Decimal | None:
    targets = list(selectors.target_list(organization=organization, territory=territory, year=year))
    on = min(timezone.localdate(), datetime.date(year, 12, 31))
    progress = selectors.progress_for_targets(
        organization=organization, targets=targets, on=on, with_households=False
    )
    met = sum(1 for p in progress.values() if p.status == "met")
    return percent(met, len(targets))


INDICATORS = [
    Indicator(
        key="quotas.dalo_attributions",
        label="Attributions à des ménages reconnus prioritaires DALO",
        definition="Attributions de l'année (bail signé après proposition acceptée, daté de la "
        "signature) à des demandes portant le critère DALO.",
        formula="count(attribution, critère dalo)",
        source=SOURCE,
        unit=Unit.COUNT,
        section=SECTION,
        selector=dalo_attributions,
        compare=True,
    ),
    Indicator(
        key="quotas.dalo_share",
        label="Part des attributions aux ménages DALO",
        definition="Part des attributions de l'année faites à des ménages reconnus DALO.",
        formula="attributions DALO × 100 / attributions",
        source=SOURCE,
        unit=Unit.PERCENT,
        section=SECTION,
        selector=dalo_share,
    ),
    Indicator(
        key="quotas.shelter_leaver_attributions",
        label="Attributions à des sortants d'hébergement",
        definition="Attributions de l'année à des demandes portant le critère « hébergé en "
        "structure d'urgence ou temporaire ».",
        formula="count(attribution, critère emergency_accommodation)",
        source=SOURCE,
        unit=Unit.COUNT,
        section=SECTION,
        selector=shelter_leaver_attributions,
    ),
    Indicator(
        key="quotas.priority_share",
        label="Part des attributions aux publics prioritaires",
        definition="Part des attributions de l'année faites à des ménages ayant au moins un "
        "critère de priorité L441-1 (DALO compris).",
        formula="attributions avec ≥ 1 critère × 100 / attributions",
        source=SOURCE,
        unit=Unit.PERCENT,
        section=SECTION,
        selector=priority_share,
    ),
    Indicator(
        key="quotas.targets_met",
        label="Part des objectifs d'attribution atteints",
        definition="Objectifs de l'année (QuotaTarget) atteints au 31 décembre, ou à ce jour "
        "pour l'année en cours.",
        formula="objectifs au statut « atteint » × 100 / objectifs",
        source="quotas.QuotaTarget et les attributions — quotas.selectors.progress_for_targets",
        unit=Unit.PERCENT,
        section=SECTION,
        selector=targets_met,
    ),
]
