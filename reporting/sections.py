"""The sections of the yearly activity report, in the order of the seeds' reports.

A section shows the indicators declared with `section=<its key>` (reporting/indicators/ or
`<app>/indicators.py`): scalar indicators as key figures (with N-1 when `compare=True`),
breakdowns as tables with a chart. A section with no indicator registered yet is not offered.
"""

from __future__ import annotations

from dataclasses import dataclass

from reporting.enums import ReportKind
from reporting.indicators import for_section


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    kinds: tuple[str, ...] = (ReportKind.ANNUAL_ACTIVITY,)

    @property
    def indicators(self) -> list:
        return for_section(self.key)


SECTIONS = [
    Section(
        "tenant_profile",
        "Profil des locataires",
        "Les ménages titulaires d'un bail au 31 décembre, et ceux qui sont entrés dans le parc "
        "pendant l'année : composition, âge, ressources, emploi, aides au logement et minima "
        "sociaux.",
    ),
    Section(
        "commissions",
        "Demandes et activité des commissions d'attribution",
        "Séances de CAL tenues, dossiers présentés, décisions, propositions, refus et entrées "
        "dans le parc, par territoire.",
        kinds=(ReportKind.ANNUAL_ACTIVITY, ReportKind.RESERVATION_REVIEW),
    ),
    Section(
        "priority_publics",
        "Attributions aux publics prioritaires",
        "Attributions aux ménages DALO, sortants d'hébergement et autres publics prioritaires ; "
        "réalisation des objectifs.",
        kinds=(ReportKind.ANNUAL_ACTIVITY, ReportKind.RESERVATION_REVIEW),
    ),
    Section(
        "social_action",
        "Action sociale",
        "Interventions et évaluations sociales, accompagnements, campagnes d'« aller vers », "
        "adaptations de logement et programmes d'accompagnement.",
    ),
    Section(
        "arrears",
        "Impayés et prévention des expulsions",
        "Taux d'impayés, plans d'apurement dont protocoles Borloo, aides du FSL, effacements de "
        "dettes et relogements.",
    ),
    Section(
        "local_development",
        "Relogements, développement social et insertion",
        "Opérations de relogement (renouvellement urbain, réhabilitation en site occupé), "
        "actions collectives, financements obtenus et heures d'insertion des marchés.",
    ),
    Section(
        "stock",
        "Patrimoine et partenariats associatifs",
        "Le patrimoine géré et les logements mis à disposition des associations (sous-location, "
        "baux glissants).",
    ),
]


def available_sections(kind: str = ReportKind.ANNUAL_ACTIVITY) -> list[Section]:
    return [s for s in SECTIONS if kind in s.kinds and s.indicators]


def section(key: str) -> Section:
    for candidate in SECTIONS:
        if candidate.key == key:
            return candidate
    raise KeyError(key)
