"""Tenant profile (seeds: "Profil de nos locataires", "Bénéficiaires des aides au logement et
minima sociaux"), from the housing app's records."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce

from housing.enums import MINIMA_SOCIAUX, EmploymentStatus, LeaseEndReason, Relationship
from reporting.indicators import Indicator, Unit, breakdown, percent
from reporting.indicators.base import (
    entrant_households,
    entrant_leases,
    incomes_valid_on,
    leases,
    reference_date,
    tenant_households,
)

SECTION = "tenant_profile"

COMPOSITION = [
    ("single", "Personne seule"),
    ("couple", "Couple sans enfant"),
    ("couple_children", "Couple avec enfant(s)"),
    ("single_parent", "Famille monoparentale"),
    ("other", "Autre composition"),
    ("unknown", "Non renseignée"),
]
AGE_BANDS = [
    ("under_25", "Moins de 25 ans"),
    ("25_39", "25 à 39 ans"),
    ("40_59", "40 à 59 ans"),
    ("60_74", "60 à 74 ans"),
    ("75_plus", "75 ans et plus"),
    ("unknown", "Non renseigné"),
]
INCOME_BANDS = [
    ("none", "Aucune ressource déclarée"),
    ("under_1000", "Moins de 1 000 €"),
    ("1000_1499", "1 000 à 1 499 €"),
    ("1500_1999", "1 500 à 1 999 €"),
    ("2000_2999", "2 000 à 2 999 €"),
    ("3000_plus", "3 000 € et plus"),
]
EMPLOYMENT = [*EmploymentStatus.choices, ("unknown", "Non renseignée")]


def _tally(rows: Any, classify: Any) -> dict[str, int]:
    """Households per category from `rows`, one aggregated row per household (one grouped
    query, every tenant household included): a loop over aggregated rows, never a query per
    household."""
    return dict(Counter(classify(row) for row in rows.iterator(chunk_size=5000)))


def _members(organization: Any, condition: Q | None = None) -> FilteredRelation:
    """A household's members as a join that names their organisation: the planner then reads
    the organisation's people through its index. Without it, the row-level security policy
    (an OR with the partner grants, not indexable) makes it scan every organisation's people."""
    where = Q(members__organization=getattr(organization, "pk", organization))
    return FilteredRelation("members", condition=where & condition if condition else where)


def _reference_people(households: Any, organization: Any) -> dict[int, tuple]:
    """(birth date, employment status) of each household's reference person (the first by id
    when there are several; None and None without one), in one query."""
    rows = (
        households.alias(
            reference=_members(organization, Q(members__relationship=Relationship.REFERENCE))
        )
        .order_by("pk", "reference__pk")
        .values_list("pk", "reference__birth_date", "reference__employment_status")
    )
    people: dict[int, tuple] = {}
    for pk, birth_date, status in rows.iterator(chunk_size=5000):
        people.setdefault(pk, (birth_date, status))
    return people


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- Counts ---------------------------------------------------------------------------------------


def tenant_count(*, organization: Any, year: int, territory: Any = None) -> int:
    return tenant_households(organization=organization, year=year, territory=territory).count()


def entrant_count(*, organization: Any, year: int, territory: Any = None) -> int:
    return (
        entrant_leases(organization=organization, year=year, territory=territory)
        .values("household")
        .distinct()
        .count()
    )


def internal_transfer_count(*, organization: Any, year: int, territory: Any = None) -> int:
    """Entrants who left another dwelling of the organisation by a transfer (mutation)."""
    earlier = leases(organization=organization).filter(
        household=OuterRef("household"),
        end_reason=LeaseEndReason.TRANSFER,
        end_date__lte=OuterRef("start_date"),
    )
    return (
        entrant_leases(organization=organization, year=year, territory=territory)
        .filter(Exists(earlier.exclude(pk=OuterRef("pk"))))
        .values("household")
        .distinct()
        .count()
    )


# --- Breakdowns -----------------------------------------------------------------------------------


def _composition(counts: tuple[int, int, int]) -> str:
    """The category of a household from its numbers of members, spouses and children."""
    members, spouses, children = counts
    if members == 0:
        return "unknown"
    if members == 1:
        return "single"
    if spouses > 0 and children == 0 and members == 2:
        return "couple"
    if spouses > 0 and children > 0:
        return "couple_children"
    if spouses == 0 and children > 0:
        return "single_parent"
    return "other"


def composition(*, organization: Any, year: int, territory: Any = None) -> list[dict]:
    rows = (
        tenant_households(organization=organization, year=year, territory=territory)
        .alias(member=_members(organization))
        .order_by()
        .values("pk")
        .annotate(
            n_members=Count("member"),
            n_spouses=Count("member", filter=Q(member__relationship=Relationship.SPOUSE)),
            n_children=Count("member", filter=Q(member__relationship=Relationship.CHILD)),
        )
        .values_list("n_members", "n_spouses", "n_children")
    )
    return breakdown(_tally(rows, _composition), COMPOSITION)


def age_bands(*, organization: Any, year: int, territory: Any = None) -> list[dict]:
    """Age of the reference person on 31 December."""
    day = reference_date(year)
    limits = [
        (_years_before(day, 25), "under_25"),
        (_years_before(day, 40), "25_39"),
        (_years_before(day, 60), "40_59"),
        (_years_before(day, 75), "60_74"),
    ]

    def band(birth_date: datetime.date | None) -> str:
        if birth_date is None:
            return "unknown"
        for limit, key in limits:
            if birth_date > limit:
                return key
        return "75_plus"

    households = tenant_households(organization=organization, year=year, territory=territory)
    counts = Counter(
        band(birth) for birth, _ in _reference_people(households, organization).values()
    )
    return breakdown(dict(counts), AGE_BANDS)


def income_bands(*, organization: Any, year: int, territory: Any = None) -> list[dict]:
    """Monthly resources of the household (all members, verified amount else declared) in
    force on 31 December."""
    day = reference_date(year)
    incomes = "member__incomes__"
    valid = (
        Q(**{f"{incomes}valid_from__isnull": True}) | Q(**{f"{incomes}valid_from__lte": day})
    ) & (Q(**{f"{incomes}valid_until__isnull": True}) | Q(**{f"{incomes}valid_until__gte": day}))
    rows = (
        tenant_households(organization=organization, year=year, territory=territory)
        .alias(member=_members(organization))
        .order_by()
        .values("pk")
        .annotate(
            resources=Sum(
                Coalesce(
                    F(f"{incomes}verified_monthly_amount"), F(f"{incomes}declared_monthly_amount")
                ),
                filter=valid,
            )
        )
        .values_list("resources", flat=True)
    )

    def band(total: Decimal | None) -> str:
        total = total or Decimal("0")
        if total <= 0:
            return "none"
        if total < 1000:
            return "under_1000"
        if total < 1500:
            return "1000_1499"
        if total < 2000:
            return "1500_1999"
        if total < 3000:
            return "2000_2999"
        return "3000_plus"

    return breakdown(_tally(rows, band), INCOME_BANDS)


def employment(*, organization: Any, year: int, territory: Any = None) -> list[dict]:
    """Employment situation of the reference person."""
    households = tenant_households(organization=organization, year=year, territory=territory)
    counts = Counter(
        "unknown" if status is None else status
        for _, status in _reference_people(households, organization).values()
    )
    return breakdown(dict(counts), EMPLOYMENT)


# --- Shares ---------------------------------------------------------------------------------------


def _benefit_share(households: Any) -> Decimal | None:
    counts = households.aggregate(
        total=Count("pk"), with_benefit=Count("pk", filter=~Q(housing_benefit_kind=""))
    )
    return percent(counts["with_benefit"], counts["total"])


def housing_benefit_share(*, organization: Any, year: int, territory: Any = None) -> Any:
    return _benefit_share(
        tenant_households(organization=organization, year=year, territory=territory)
    )


def entrants_housing_benefit_share(*, organization: Any, year: int, territory: Any = None) -> Any:
    return _benefit_share(
        entrant_households(organization=organization, year=year, territory=territory)
    )


def _minima(organization: Any, on: Any, household: Any) -> Exists:
    return Exists(
        incomes_valid_on(on, organization=organization).filter(
            # The person's organisation named too (see `_members`).
            person__organization=getattr(organization, "pk", organization),
            person__household=household,
            kind__in=list(MINIMA_SOCIAUX),
        )
    )


def minima_sociaux_share(*, organization: Any, year: int, territory: Any = None) -> Any:
    households = tenant_households(organization=organization, year=year, territory=territory)
    counts = households.aggregate(
        total=Count("pk"),
        with_minima=Count(
            "pk", filter=Q(_minima(organization, reference_date(year), OuterRef("pk")))
        ),
    )
    return percent(counts["with_minima"], counts["total"])


def entrants_minima_sociaux_share(*, organization: Any, year: int, territory: Any = None) -> Any:
    """Among the year's entrants, those with a minimum social benefit when their lease began."""
    entered = entrant_leases(organization=organization, year=year, territory=territory)
    total = entered.values("household").distinct().count()
    with_minima = (
        entered.filter(_minima(organization, OuterRef("start_date"), OuterRef("household")))
        .values("household")
        .distinct()
        .count()
    )
    return percent(with_minima, total)


_TENANT = "ménages titulaires d'un bail en cours au 31 décembre de l'année (N)"
_ENTRANT = "ménages dont un bail a pris effet pendant l'année (entrants, mutations comprises)"

INDICATORS = [
    Indicator(
        key="tenants.households",
        label="Ménages locataires au 31 décembre",
        definition=f"Nombre de {_TENANT}.",
        formula="count(distinct ménage) où bail.date_effet ≤ 31/12/N et (bail.fin absente ou > 31/12/N)",
        source="housing.Lease, housing.Household",
        unit=Unit.COUNT,
        section=SECTION,
        selector=tenant_count,
        compare=True,
    ),
    Indicator(
        key="tenants.entrants",
        label="Ménages entrés dans le parc",
        definition=f"Nombre de {_ENTRANT}.",
        formula="count(distinct ménage) où 01/01/N ≤ bail.date_effet ≤ 31/12/N",
        source="housing.Lease",
        unit=Unit.COUNT,
        section=SECTION,
        selector=entrant_count,
        compare=True,
    ),
    Indicator(
        key="tenants.internal_transfers",
        label="dont mutations internes",
        definition="Entrants de l'année qui quittaient un autre logement de l'organisme par mutation.",
        formula="count(distinct ménage entrant) ayant un bail antérieur terminé pour motif « mutation » au plus tard à la date d'effet",
        source="housing.Lease (motif de fin)",
        unit=Unit.COUNT,
        section=SECTION,
        selector=internal_transfer_count,
        compare=True,
    ),
    Indicator(
        key="tenants.housing_benefit_share",
        label="Part des locataires bénéficiant d'une aide au logement (APL, AL)",
        definition=f"Part des {_TENANT} dont le dossier indique une aide au logement (APL ou AL).",
        formula="100 × ménages locataires avec aide au logement ÷ ménages locataires",
        source="housing.Household (aide au logement, situation actuelle du dossier)",
        unit=Unit.PERCENT,
        section=SECTION,
        selector=housing_benefit_share,
        compare=True,
    ),
    Indicator(
        key="tenants.entrants_housing_benefit_share",
        label="dont parmi les ménages entrés dans l'année",
        definition=f"Part des {_ENTRANT} dont le dossier indique une aide au logement.",
        formula="100 × entrants avec aide au logement ÷ entrants",
        source="housing.Household, housing.Lease",
        unit=Unit.PERCENT,
        section=SECTION,
        selector=entrants_housing_benefit_share,
    ),
    Indicator(
        key="tenants.minima_sociaux_share",
        label="Part des locataires bénéficiant des minima sociaux",
        definition=(
            f"Part des {_TENANT} dont au moins un membre perçoit un minimum social "
            "(RSA, AAH, ASS, ASPA) en cours au 31 décembre."
        ),
        formula="100 × ménages locataires avec une ressource RSA/AAH/ASS/ASPA valide au 31/12/N ÷ ménages locataires",
        source="housing.Income, housing.Person, housing.Lease",
        unit=Unit.PERCENT,
        section=SECTION,
        selector=minima_sociaux_share,
        compare=True,
    ),
    Indicator(
        key="tenants.entrants_minima_sociaux_share",
        label="dont parmi les ménages entrés dans l'année",
        definition=(
            f"Part des {_ENTRANT} dont au moins un membre percevait un minimum social à la "
            "date d'effet du bail."
        ),
        formula="100 × entrants avec une ressource RSA/AAH/ASS/ASPA valide à la date d'effet ÷ entrants",
        source="housing.Income, housing.Lease",
        unit=Unit.PERCENT,
        section=SECTION,
        selector=entrants_minima_sociaux_share,
    ),
    Indicator(
        key="tenants.composition",
        label="Composition familiale",
        definition=(
            f"Répartition des {_TENANT} : personne seule, couple sans enfant (deux personnes), "
            "couple avec enfant(s), famille monoparentale, autre."
        ),
        formula="Par ménage : nombre de membres, de conjoints et d'enfants (lien avec la personne de référence)",
        source="housing.Person (lien)",
        unit=Unit.BREAKDOWN,
        section=SECTION,
        selector=composition,
        chart="pie",
    ),
    Indicator(
        key="tenants.age_bands",
        label="Âge de la personne de référence",
        definition=f"Répartition des {_TENANT} par âge de la personne de référence au 31 décembre.",
        formula="âge = années révolues entre la date de naissance et le 31/12/N ; tranches <25, 25-39, 40-59, 60-74, 75+",
        source="housing.Person (date de naissance)",
        unit=Unit.BREAKDOWN,
        section=SECTION,
        selector=age_bands,
        chart="bar",
    ),
    Indicator(
        key="tenants.income_bands",
        label="Ressources mensuelles du ménage",
        definition=(
            f"Répartition des {_TENANT} par ressources mensuelles (tous membres, montant vérifié "
            "sinon déclaré) en cours au 31 décembre ; l'aide au logement n'est pas une ressource."
        ),
        formula="Σ ressources valides au 31/12/N ; tranches 0, <1 000, 1 000-1 499, 1 500-1 999, 2 000-2 999, ≥3 000 €",
        source="housing.Income",
        unit=Unit.BREAKDOWN,
        section=SECTION,
        selector=income_bands,
        chart="bar",
    ),
    Indicator(
        key="tenants.employment",
        label="Rapport à l'emploi de la personne de référence",
        definition=f"Répartition des {_TENANT} par situation professionnelle de la personne de référence.",
        formula="Comptage par situation professionnelle de la personne de référence",
        source="housing.Person (situation professionnelle)",
        unit=Unit.BREAKDOWN,
        section=SECTION,
        selector=employment,
        chart="bar",
    ),
]
