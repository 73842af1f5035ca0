"""Shared querysets of the housing-based indicators: who is a tenant in a year, who entered.

Everything is an aggregate query (subqueries and GROUP BY in PostgreSQL), never a Python loop
over rows, so that a 100,000-dwelling organisation's report stays fast.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from housing.models import Dwelling, Household, Income, Lease


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def reference_date(year: int) -> datetime.date:
    """The tenant profile is the situation on 31 December of the year."""
    return datetime.date(year, 12, 31)


def leases(*, organization: Any, territory: Any = None) -> QuerySet[Lease]:
    qs = Lease.objects.for_organization(organization)
    if territory is not None:
        qs = qs.filter(dwelling__residence__territory=territory)
    return qs


def dwellings(*, organization: Any, territory: Any = None) -> QuerySet[Dwelling]:
    qs = Dwelling.objects.for_organization(organization)
    if territory is not None:
        qs = qs.filter(residence__territory=territory)
    return qs


def leases_current_on(
    on: datetime.date, *, organization: Any, territory: Any = None
) -> QuerySet[Lease]:
    return leases(organization=organization, territory=territory).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=on), start_date__lte=on
    )


def entrant_leases(*, organization: Any, year: int, territory: Any = None) -> QuerySet[Lease]:
    """Leases taking effect during the year (the year's entrants, internal transfers included)."""
    first, last = year_bounds(year)
    return leases(organization=organization, territory=territory).filter(
        start_date__gte=first, start_date__lte=last
    )


def tenant_households(
    *, organization: Any, year: int, territory: Any = None
) -> QuerySet[Household]:
    """Households holding a lease in force on 31 December of the year."""
    current = leases_current_on(
        reference_date(year), organization=organization, territory=territory
    )
    return Household.objects.for_organization(organization).filter(
        Exists(current.filter(household=OuterRef("pk")))
    )


def entrant_households(
    *, organization: Any, year: int, territory: Any = None
) -> QuerySet[Household]:
    entered = entrant_leases(organization=organization, year=year, territory=territory)
    return Household.objects.for_organization(organization).filter(
        Exists(entered.filter(household=OuterRef("pk")))
    )


def incomes_valid_on(on: Any, *, organization: Any) -> QuerySet[Income]:
    """Incomes in force on `on` (a date or an OuterRef to one)."""
    return Income.objects.for_organization(organization).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
    )
