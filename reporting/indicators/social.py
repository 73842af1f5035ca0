"""Social action (seeds: interventions and evaluations with change vs N-1, accompaniments by
motive, % met at home, campaigns, adaptation requests and amounts, support programmes), read
from the cases app's counting selectors (`cases/indicators.py`)."""

from __future__ import annotations

from typing import Any

from reporting.indicators import Indicator, Unit, breakdown, decimal_or_none, percent, pick

SECTION = "social_action"

try:
    from cases import indicators as cases
    from cases.enums import InterventionKind, Motive
except ImportError:  # the cases app is not installed
    cases = None  # type: ignore[assignment]


def _programmes(rows: list[dict[str, Any]]) -> list[dict]:
    """Households accompanied per programme (access + staying) vs its target."""
    counts = {
        f"{r['programme']} (objectif {r['target_access'] + r['target_staying']})": r[
            "achieved_access"
        ]
        + r["achieved_staying"]
        for r in rows
    }
    return breakdown(counts, [])


INDICATORS: list[Indicator] = []
if cases is not None:
    INDICATORS = [
        Indicator(
            key="social.interventions",
            label="Interventions sociales",
            definition="Interventions du service social (entretiens, visites, appels, courriers) datées dans l'année.",
            formula="count(intervention du service social) où date ∈ N",
            source="cases.Intervention — cases.indicators.interventions_per_year",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(cases.interventions_per_year, "count"),
            compare=True,
            tags=("home",),
        ),
        Indicator(
            key="social.interventions_by_kind",
            label="Interventions par type",
            definition="Répartition des interventions sociales de l'année par type de contact.",
            formula="Comptage des interventions de l'année par type",
            source="cases.Intervention — cases.indicators.interventions_per_year",
            unit=Unit.BREAKDOWN,
            section=SECTION,
            selector=pick(
                cases.interventions_per_year,
                "by_kind",
                convert=lambda d: breakdown(d, InterventionKind.choices),
            ),
            chart="bar",
            counts="interventions",
        ),
        Indicator(
            key="social.evaluations",
            label="Évaluations sociales",
            definition="Évaluations sociales (à l'attribution, DALO, impayés, mutation) datées dans l'année, tous statuts.",
            formula="count(évaluation) où date ∈ N",
            source="cases.Evaluation — cases.indicators.evaluations_per_year",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(cases.evaluations_per_year, "count"),
            compare=True,
        ),
        Indicator(
            key="social.households_accompanied",
            label="Ménages accompagnés",
            definition="Ménages distincts ayant un accompagnement social en cours à un moment de l'année.",
            formula="count(distinct ménage) des accompagnements ouverts avant le 31/12/N et non clos avant le 01/01/N",
            source="cases.SocialCase — cases.indicators.households_accompanied",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(cases.households_accompanied, "households"),
            compare=True,
            tags=("home",),
        ),
        Indicator(
            key="social.accompaniments_by_motive",
            label="Ménages accompagnés par motif",
            definition="Ménages accompagnés dans l'année, par motif d'accompagnement (un ménage peut avoir plusieurs motifs).",
            formula="count(distinct ménage) par motif",
            source="cases.SocialCase (motifs) — cases.indicators.households_accompanied",
            unit=Unit.BREAKDOWN,
            section=SECTION,
            selector=pick(
                cases.households_accompanied,
                "per_motive",
                convert=lambda d: breakdown(d, Motive.choices),
            ),
            chart="bar",
        ),
        Indicator(
            key="social.home_visit_rate",
            label="Part des locataires rencontrés à domicile",
            definition="Part des ménages locataires rencontrés au moins une fois à leur domicile dans l'année (« aller vers »).",
            formula="100 × ménages locataires avec une visite à domicile en N ÷ ménages locataires",
            source="cases.Intervention (visite à domicile) — cases.indicators.home_visit_rate",
            unit=Unit.PERCENT,
            section=SECTION,
            selector=pick(
                cases.home_visit_rate, convert=lambda d: percent(d["visited"], d["tenants"])
            ),
        ),
        Indicator(
            key="social.campaign_households_contacted",
            label="Ménages joints lors des campagnes d'appels (grand froid, canicule…)",
            definition="Ménages contactés au moins une fois par les campagnes d'« aller vers » commencées dans l'année.",
            formula="Σ par campagne commencée en N des ménages contactés",
            source="cases.OutreachCampaign, cases.CampaignTarget — cases.indicators.campaign_contacts",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(cases.campaign_contacts, "households_contacted"),
            compare=True,
        ),
        Indicator(
            key="social.adaptation_requests",
            label="Demandes d'adaptation du logement",
            definition="Demandes d'aménagement du logement (bien vivre, bien vieillir) reçues dans l'année.",
            formula="count(demande d'adaptation) reçue en N",
            source="cases.AdaptationRequest — cases.indicators.adaptation_summary",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(cases.adaptation_summary, "requested"),
            compare=True,
        ),
        Indicator(
            key="social.adaptations_studied",
            label="dont étudiées en commission",
            definition="Demandes d'adaptation étudiées en commission dans l'année.",
            formula="count(demande étudiée en N)",
            source="cases.AdaptationRequest — cases.indicators.adaptation_summary",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(cases.adaptation_summary, "studied"),
        ),
        Indicator(
            key="social.adaptations_approved",
            label="dont accordées",
            definition="Demandes d'adaptation accordées par la commission dans l'année.",
            formula="count(demande accordée en N)",
            source="cases.AdaptationRequest — cases.indicators.adaptation_summary",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(cases.adaptation_summary, "approved"),
        ),
        Indicator(
            key="social.adaptation_amount",
            label="Montant des travaux d'adaptation",
            definition="Coût des adaptations livrées dans l'année.",
            formula="Σ coût des adaptations livrées en N",
            source="cases.AdaptationRequest — cases.indicators.adaptation_summary",
            unit=Unit.EUROS,
            section=SECTION,
            selector=pick(cases.adaptation_summary, "amount", convert=decimal_or_none),
        ),
        Indicator(
            key="social.adaptation_cofunded_amount",
            label="dont cofinancé (CARSAT, MDPH…)",
            definition="Part du coût des adaptations prise en charge par des cofinanceurs.",
            formula="Σ cofinancements des adaptations livrées en N",
            source="cases.AdaptationFunding — cases.indicators.adaptation_summary",
            unit=Unit.EUROS,
            section=SECTION,
            selector=pick(cases.adaptation_summary, "cofunded_amount", convert=decimal_or_none),
        ),
        Indicator(
            key="social.programme_households",
            label="Ménages accompagnés par programme (objectif)",
            definition="Pour chaque programme d'accompagnement en cours dans l'année, ménages accompagnés (accès et maintien) au regard de son objectif.",
            formula="Par programme : inscriptions acceptées (accès + maintien) ; objectif = objectif accès + objectif maintien",
            source="cases.SupportProgramme, cases.ProgrammeEnrolment — cases.indicators.programme_targets",
            unit=Unit.BREAKDOWN,
            section=SECTION,
            selector=pick(cases.programme_targets, convert=_programmes),
            chart="bar",
        ),
    ]
