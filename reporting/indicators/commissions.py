"""Demands and commission activity (seeds 000 and 001: sessions held, files presented per
territory, decisions, offers, refusals, households entered incl. internal transfers, social
transfers), read from the allocations app's selectors."""

from __future__ import annotations

from typing import Any

from reporting.indicators import Indicator, Unit, breakdown, decimal_or_none, pick

SECTION = "commissions"

try:
    from allocations import selectors as allocations
    from allocations.enums import DecisionKind
except ImportError:  # the allocations app is not installed
    allocations = None  # type: ignore[assignment]

_SRC = "allocations.selectors."


def _refusals(value: dict[str, Any]) -> list[dict]:
    return breakdown({reason or "non précisé": n for reason, n in value.items()}, [])


INDICATORS: list[Indicator] = []
if allocations is not None:
    INDICATORS = [
        Indicator(
            key="commissions.sessions_held",
            label="Commissions d'attribution tenues",
            definition="Séances de CAL tenues dans l'année (statut tenue ou suivant).",
            formula="count(séance tenue, date ∈ N) ; par territoire : la commission du territoire",
            source="allocations.CommissionSession — " + _SRC + "sessions_held",
            unit=Unit.COUNT,
            section=SECTION,
            selector=allocations.sessions_held,
            compare=True,
            counts="séances",
        ),
        Indicator(
            key="commissions.files_presented",
            label="Dossiers présentés en CAL",
            definition="Candidatures examinées dans les séances tenues dans l'année.",
            formula="count(candidature d'une séance tenue en N)",
            source="allocations.Candidacy — " + _SRC + "files_presented_by_territory",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(
                allocations.files_presented_by_territory, convert=lambda d: sum(d.values())
            ),
            compare=True,
            tags=("home",),
        ),
        Indicator(
            key="commissions.files_presented_by_territory",
            label="Dossiers présentés par territoire",
            definition="Candidatures examinées dans les séances tenues dans l'année, par territoire de la commission.",
            formula="count(candidature) par territoire de la commission",
            source="allocations.Candidacy — " + _SRC + "files_presented_by_territory",
            unit=Unit.BREAKDOWN,
            section=SECTION,
            selector=pick(
                allocations.files_presented_by_territory, convert=lambda d: breakdown(d, [])
            ),
            chart="bar",
            counts="dossiers",
        ),
        Indicator(
            key="commissions.decisions_by_type",
            label="Décisions de CAL par type",
            definition="Décisions rendues dans l'année, par type (R441-3 : attribution, avec rang, sous condition, non-attribution, irrecevabilité).",
            formula="count(décision, date ∈ N) par type",
            source="allocations.Decision — " + _SRC + "decisions_by_type",
            unit=Unit.BREAKDOWN,
            section=SECTION,
            selector=pick(
                allocations.decisions_by_type,
                convert=lambda d: breakdown(d, DecisionKind.choices),
            ),
            chart="pie",
            counts="décisions",
        ),
        Indicator(
            key="commissions.offers",
            label="Propositions de logement",
            definition="Propositions notifiées dans l'année.",
            formula="count(proposition notifiée en N)",
            source="allocations.Offer — " + _SRC + "offers_and_refusals",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(allocations.offers_and_refusals, "offers"),
            compare=True,
        ),
        Indicator(
            key="commissions.refusals",
            label="dont refusées",
            definition="Propositions notifiées dans l'année et refusées (le silence vaut refus).",
            formula="count(proposition notifiée en N, statut refusée)",
            source="allocations.Offer — " + _SRC + "offers_and_refusals",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(allocations.offers_and_refusals, "refusals"),
        ),
        Indicator(
            key="commissions.refusals_by_reason",
            label="Motifs de refus",
            definition="Propositions refusées dans l'année, par motif de refus.",
            formula="count(proposition refusée) par motif",
            source="allocations.Offer — " + _SRC + "offers_and_refusals",
            unit=Unit.BREAKDOWN,
            section=SECTION,
            selector=pick(allocations.offers_and_refusals, "refusals_by_reason", convert=_refusals),
            chart="bar",
            counts="refus",
        ),
        Indicator(
            key="commissions.attributions",
            label="Attributions (baux signés après acceptation)",
            definition="Baux signés dans l'année après une proposition acceptée.",
            formula="count(proposition au statut bail signé, date de signature ∈ N)",
            source="allocations.Offer — " + _SRC + "attributions",
            unit=Unit.COUNT,
            section=SECTION,
            selector=allocations.attributions,
            compare=True,
        ),
        Indicator(
            key="commissions.attribution_mean_delay",
            label="Délai moyen d'attribution",
            definition="Durée moyenne entre le premier dépôt de la demande et la signature du bail, pour les attributions de l'année.",
            formula="moyenne(date de signature − date de dépôt) en jours",
            source="allocations.Offer, allocations.HousingApplication — "
            + _SRC
            + "attribution_delays",
            unit=Unit.DAYS,
            section=SECTION,
            selector=pick(allocations.attribution_delays, "mean_days", convert=decimal_or_none),
        ),
        Indicator(
            key="commissions.transfer_requests",
            label="Demandes de mutation déposées",
            definition="Demandes de mutation (locataires du parc) déposées dans l'année.",
            formula="count(demande de type mutation, dépôt ∈ N)",
            source="allocations.HousingApplication — " + _SRC + "transfer_activity",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(allocations.transfer_activity, "requests"),
            compare=True,
        ),
        Indicator(
            key="commissions.transfer_offers",
            label="Propositions faites sur des demandes de mutation",
            definition="Propositions notifiées dans l'année sur des demandes de mutation.",
            formula="count(proposition sur demande de mutation notifiée en N)",
            source="allocations.Offer — " + _SRC + "transfer_activity",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(allocations.transfer_activity, "offers"),
        ),
        Indicator(
            key="commissions.transfer_refusals",
            label="dont refusées",
            definition="Propositions de mutation notifiées dans l'année et refusées.",
            formula="count(proposition sur demande de mutation refusée)",
            source="allocations.Offer — " + _SRC + "transfer_activity",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(allocations.transfer_activity, "refusals"),
        ),
        Indicator(
            key="commissions.transfer_moves",
            label="Relogements effectifs par mutation",
            definition="Propositions de mutation notifiées dans l'année ayant abouti à un bail signé.",
            formula="count(proposition sur demande de mutation au statut bail signé)",
            source="allocations.Offer — " + _SRC + "transfer_activity",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(allocations.transfer_activity, "moves"),
        ),
    ]
