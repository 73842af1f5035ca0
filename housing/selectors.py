"""Reads of the housing app: each starts from `Model.objects.for_organization(org)`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

from housing import search as household_search_module
from housing.enums import DwellingStatus
from housing.models import Dwelling, Household, ImportJob, Income, Lease, Partner, Person, Residence

HOUSEHOLD_FILE_TIMELINE_SIZE = 50
# Members in the household file: the reference person, the spouse, then the others, by age.
MEMBER_ORDER = Case(
    *(
        When(relationship=value, then=Value(rank))
        for rank, value in enumerate(["reference", "spouse", "child", "relative", "other"])
    ),
    default=Value(9),
)


def partner_list(*, organization: Any, kind: str = "", query: str = "") -> QuerySet[Partner]:
    partners = Partner.objects.for_organization(organization)
    if kind:
        partners = partners.filter(kind=kind)
    if query:
        partners = partners.filter(name__icontains=query)
    return partners.order_by("name")


def residence_list(*, organization: Any) -> QuerySet[Residence]:
    # Counts per residence as subqueries, not a GROUP BY over every dwelling: a page (and its
    # COUNT) then costs its 50 residences, not the organisation's whole stock.
    dwellings = (
        Dwelling.objects.for_organization(organization)
        .filter(residence=OuterRef("pk"))
        .order_by()
        .values("residence")
    )

    def count(rows: Any) -> Coalesce:
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)

    return (
        Residence.objects.for_organization(organization)
        .select_related("territory")
        .annotate(
            dwelling_count=count(dwellings),
            vacant_count=count(dwellings.filter(status=DwellingStatus.VACANT)),
        )
        .order_by("name", "pk")
    )


def current_leases() -> QuerySet[Lease]:
    return Lease.objects.filter(end_date__isnull=True).select_related("household", "lessee_partner")


def dwelling_list(
    *,
    organization: Any,
    residence: Residence | None = None,
    status: str = "",
    typology: str = "",
    query: str = "",
) -> QuerySet[Dwelling]:
    dwellings = (
        Dwelling.objects.for_organization(organization)
        .select_related("residence", "reserving_partner")
        .prefetch_related(Prefetch("leases", queryset=current_leases(), to_attr="current_leases"))
    )
    if residence is not None:
        dwellings = dwellings.filter(residence=residence)
    if status:
        dwellings = dwellings.filter(status=status)
    if typology:
        dwellings = dwellings.filter(typology=typology)
    if query:
        dwellings = dwellings.filter(
            Q(reference__icontains=query) | Q(residence__name__icontains=query)
        )
    return dwellings.order_by("reference")


def household_list(*, organization: Any, query: str = "") -> QuerySet[Household]:
    """Households, with their current lease's dwelling; filtered by the one-box search.

    A partner organisation also finds the households landlords granted to it under mandate
    (privacy/partners.py), each with its landlord (`household.organization`): the same
    grants filter them here and in the database (privacy/rls.py)."""
    from privacy import partners

    granted = partners.granted_ids() if partners.has_granted_households() else None
    if granted is None:
        households = Household.objects.for_organization(organization)
        leases, persons = Lease.objects.all(), Person.objects.all()
    else:
        # Rows of other organisations: the plain managers, filtered on own or granted here.
        households = Household._base_manager.filter(
            Q(organization_id=getattr(organization, "pk", organization)) | Q(pk__in=granted)
        ).select_related("organization")
        leases, persons = Lease._base_manager.all(), Person._base_manager.all()
    households = households.prefetch_related(
        Prefetch(
            "leases",
            queryset=leases.filter(end_date__isnull=True).select_related("dwelling__residence"),
            to_attr="current_leases",
        ),
        Prefetch(
            "members",
            queryset=persons.filter(relationship="reference"),
            to_attr="reference_persons",
        ),
    )
    if query.strip():
        return household_search_module.search(households, query, granted=granted)
    return households.order_by("name", "pk")


def _members_with_incomes() -> Prefetch:
    """A household's members in the file's order, each with their incomes."""
    return Prefetch(
        "members",
        queryset=Person.objects.order_by(MEMBER_ORDER, "birth_date", "pk").prefetch_related(
            Prefetch("incomes", queryset=Income.objects.order_by("kind", "pk"))
        ),
    )


def household_with_facts() -> QuerySet[Household]:
    """Households with what the indicators need (members, incomes, leases and dwellings)."""
    return Household.objects.prefetch_related(
        _members_with_incomes(),
        Prefetch(
            "leases",
            queryset=Lease.objects.select_related("dwelling__residence", "lessee_partner").order_by(
                "-start_date", "-pk"
            ),
        ),
    )


def household_list_for_api(*, organization: Any) -> QuerySet[Household]:
    """The households API: each household with its members and their incomes, and its current
    lease with the dwelling — what the serializer and the indicators read (`current_lease` is
    the lease without an end date), not the lease history, residences, partners or the search
    text (a page of 50 loaded ~300 rows it never showed)."""
    return (
        Household.objects.for_organization(organization)
        .defer("search_text")
        .prefetch_related(
            _members_with_incomes(),
            Prefetch(
                "leases",
                queryset=Lease.objects.filter(end_date__isnull=True)
                .select_related("dwelling")
                .order_by("-start_date", "-pk"),
            ),
        )
    )


def household_file(*, organization: Any) -> QuerySet[Household]:
    return household_with_facts().filter(organization_id=getattr(organization, "pk", organization))


def lease_list(
    *, organization: Any, household: Household | None = None, current: bool | None = None
) -> QuerySet[Lease]:
    leases = Lease.objects.for_organization(organization).select_related(
        "dwelling__residence", "household", "lessee_partner"
    )
    if household is not None:
        leases = leases.filter(household=household)
    if current is not None:
        leases = leases.filter(end_date__isnull=current)
    return leases.order_by("-start_date", "-pk")


def person_list(*, organization: Any) -> QuerySet[Person]:
    return Person.objects.for_organization(organization).select_related("household")


def income_list(*, organization: Any) -> QuerySet[Income]:
    return Income.objects.for_organization(organization).select_related("person__household")


def _name_key(field: str) -> Func:
    if connection.vendor == "postgresql":
        return Func(F(field), function="housing_unaccent", output_field=CharField())
    return Lower(field)


def possible_duplicate_persons(*, organization: Any) -> list[list[Person]]:
    """Groups of persons with the same first name, last name (ignoring case, and accents on
    PostgreSQL) and birth date inside the organisation: two queries, however many persons."""
    base = Person.objects.for_organization(organization).exclude(birth_date__isnull=True)
    annotated = base.annotate(first_key=_name_key("first_name"), last_key=_name_key("last_name"))
    keys = list(
        annotated.values("first_key", "last_key", "birth_date")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("first_key", "last_key", "birth_date")[:200]
    )
    if not keys:
        return []
    condition = Q()
    for first, last, birth in keys:
        condition |= Q(first_key=first, last_key=last, birth_date=birth)
    groups: dict[tuple, list[Person]] = defaultdict(list)
    for person in (
        annotated.filter(condition).select_related("household").order_by("birth_date", "pk")
    ):
        groups[(person.first_key, person.last_key, person.birth_date)].append(person)
    return [group for group in groups.values() if len(group) > 1]


def import_job_list(*, organization: Any) -> QuerySet[ImportJob]:
    return ImportJob.objects.for_organization(organization).defer("content").order_by("-created_at")
