"""Stock and associative leases (seeds: "mise à disposition de logements au titre de la
sous-location", "associations partenaires, logements concernés, dont bail glissant")."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from housing.enums import Financing, LeaseKind, Typology
from reporting.indicators import Indicator, Unit, breakdown, percent
from reporting.indicators.base import (
    dwellings,
    leases,
    leases_current_on,
    reference_date,
    year_bounds,
)

SECTION = "stock"
ASSOCIATIVE = [LeaseKind.SUBLET, LeaseKind.SLIDING]


def dwelling_count(*, organization: Any, year: int, territory: Any = None) -> int:
    return dwellings(organization=organization, territory=territory).count()


def _grouped(queryset: Any, field: str) -> dict[str, int]:
    rows = queryset.order_by().values(field).annotate(n=Count("pk"))
    return {row[field]: row["n"] for row in rows}


def by_typology(*, organization: Any, year: int, territory: Any = None) -> list[dict]:
    return breakdown(
        _grouped(dwellings(organization=organization, territory=territory), "typology"),
        Typology.choices,
    )


def by_financing(*, organization: Any, year: int, territory: Any = None) -> list[dict]:
    return breakdown(
        _grouped(dwellings(organization=organization, territory=territory), "financing"),
        Financing.choices,
    )


def qpv_share(*, organization: Any, year: int, territory: Any = None) -> Any:
    counts = dwellings(organization=organization, territory=territory).aggregate(
        total=Count("pk"), qpv=Count("pk", filter=Q(residence__is_qpv=True))
    )
    return percent(counts["qpv"], counts["total"])


def associative_dwellings(*, organization: Any, year: int, territory: Any = None) -> int:
    return (
        leases_current_on(reference_date(year), organization=organization, territory=territory)
        .filter(kind__in=ASSOCIATIVE)
        .values("dwelling")
        .distinct()
        .count()
    )


def sliding_leases(*, organization: Any, year: int, territory: Any = None) -> int:
    return (
        leases_current_on(reference_date(year), organization=organization, territory=territory)
        .filter(kind=LeaseKind.SLIDING, slide_date__isnull=True)
        .count()
    )


def slides_in_year(*, organization: Any, year: int, territory: Any = None) -> int:
    first, last = year_bounds(year)
    return (
        leases(organization=organization, territory=territory)
        .filter(kind=LeaseKind.SLIDING, slide_date__gte=first, slide_date__lte=last)
        .count()
    )


def partner_associations(*, organization: Any, year: int, territory: Any = None) -> int:
    return (
        leases_current_on(reference_date(year), organization=organization, territory=territory)
        .filter(kind__in=ASSOCIATIVE, lessee_partner__isnull=False)
        .values("lessee_partner")
        .distinct()
        .count()
    )


_CURRENT = "en cours au 31 décembre de l'année"

INDICATORS = [
    Indicator(
        key="stock.dwellings",
        label="Logements gérés",
        definition="Nombre de logements du patrimoine (état actuel du référentiel).",
        formula="count(logement)",
        source="housing.Dwelling",
        unit=Unit.COUNT,
        section=SECTION,
        selector=dwelling_count,
        counts="logements",
    ),
    Indicator(
        key="stock.qpv_share",
        label="Part des logements situés en QPV",
        definition="Part des logements dont la résidence est en quartier prioritaire de la politique de la ville.",
        formula="100 × logements en QPV ÷ logements",
        source="housing.Dwelling, housing.Residence (QPV)",
        unit=Unit.PERCENT,
        section=SECTION,
        selector=qpv_share,
    ),
    Indicator(
        key="stock.by_typology",
        label="Logements par typologie",
        definition="Répartition des logements par typologie (T1 à T6 et plus).",
        formula="Comptage des logements par typologie",
        source="housing.Dwelling",
        unit=Unit.BREAKDOWN,
        section=SECTION,
        selector=by_typology,
        chart="bar",
        counts="logements",
    ),
    Indicator(
        key="stock.by_financing",
        label="Logements par financement",
        definition="Répartition des logements par financement d'origine (PLAI, PLAI adapté, PLUS, PLS, PLI).",
        formula="Comptage des logements par financement",
        source="housing.Dwelling",
        unit=Unit.BREAKDOWN,
        section=SECTION,
        selector=by_financing,
        chart="pie",
        counts="logements",
    ),
    Indicator(
        key="stock.associative_dwellings",
        label="Logements loués à des associations (sous-location, bail glissant)",
        definition=f"Logements dont le bail {_CURRENT} est une sous-location ou un bail glissant tenu par une association.",
        formula="count(distinct logement) des baux de type sous-location ou glissant en cours au 31/12/N",
        source="housing.Lease (type, association locataire)",
        unit=Unit.COUNT,
        section=SECTION,
        selector=associative_dwellings,
        compare=True,
        counts="logements",
    ),
    Indicator(
        key="stock.sliding_leases",
        label="dont baux glissants en cours",
        definition=f"Baux glissants {_CURRENT} et pas encore glissés au ménage.",
        formula="count(bail glissant en cours au 31/12/N sans date de glissement)",
        source="housing.Lease",
        unit=Unit.COUNT,
        section=SECTION,
        selector=sliding_leases,
        counts="baux",
    ),
    Indicator(
        key="stock.slides",
        label="Glissements de bail dans l'année",
        definition="Baux glissants dont le glissement au ménage a eu lieu pendant l'année.",
        formula="count(bail glissant) où 01/01/N ≤ date de glissement ≤ 31/12/N",
        source="housing.Lease (date de glissement)",
        unit=Unit.COUNT,
        section=SECTION,
        selector=slides_in_year,
        counts="baux",
    ),
    Indicator(
        key="stock.partner_associations",
        label="Associations partenaires locataires",
        definition=f"Associations titulaires d'au moins un bail de sous-location ou glissant {_CURRENT}.",
        formula="count(distinct association locataire) des baux associatifs en cours au 31/12/N",
        source="housing.Lease, housing.Partner",
        unit=Unit.COUNT,
        section=SECTION,
        selector=partner_associations,
        counts="associations",
    ),
]
