"""Reads of the operations app, scoped to an organisation."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import CharField, Count, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast

from operations.enums import DwellingRole, RelocationStatus
from operations.models import (
    ActionResidence,
    CollectiveAction,
    InsertionClause,
    Prospection,
    RegisterStatistic,
    RelocationDwelling,
    RelocationHousehold,
    RelocationOperation,
    RelocationPartner,
    RelocationResidence,
)


def prospection_list(*, organization: Any) -> QuerySet:
    return (
        Prospection.objects.for_organization(organization)
        .select_related("application__household", "dwelling", "residence__territory")
        .order_by("-contacted_on", "-pk")
    )


def relocation_operation_list(*, organization: Any, with_dwellings: bool = False) -> QuerySet:
    """Operations with their households' counts by status, residences and partners.
    `with_dwellings` (the API) adds each operation's dwellings, concerned and mobilised, as two
    arrays of public ids computed in the same query: an operation has hundreds of them, and a
    page of operations loaded thousands of dwellings as model instances (every column) only to
    print their ids (630 ms for 12 operations at 100,000 dwellings)."""
    status_counts = {
        s: Count("households", filter=Q(households__status=s), distinct=True)
        for s in RelocationStatus.values
    }
    qs = (
        RelocationOperation.objects.for_organization(organization)
        .annotate(
            households_count=Count("households", distinct=True),
            **{f"n_{k}": v for k, v in status_counts.items()},
        )
        .prefetch_related(
            Prefetch(
                "residence_links",
                RelocationResidence.objects.for_organization(organization).select_related(
                    "residence"
                ),
            ),
            Prefetch(
                "partner_links",
                RelocationPartner.objects.for_organization(organization).select_related("partner"),
            ),
        )
        .order_by("-starts_on", "name")
    )
    if with_dwellings and connection.vendor == "postgresql":  # else read per operation
        qs = qs.annotate(
            **{
                f"{role}_dwelling_ids": ArraySubquery(
                    RelocationDwelling.objects.for_organization(organization)
                    .filter(operation=OuterRef("pk"), role=role)
                    .order_by("pk")
                    .values(dwelling_public_id=Cast("dwelling__public_id", CharField()))
                )
                for role in DwellingRole.values
            }
        )
    return qs


def operation_dwelling_references(*, operation: Any) -> dict[str, list[str]]:
    """The references of an operation's dwellings by role (its page): one query for the two
    columns shown, not a model instance per dwelling."""
    references: dict[str, list[str]] = {role: [] for role in DwellingRole.values}
    rows = (
        RelocationDwelling.objects.for_organization(operation.organization_id)
        .filter(operation=operation)
        .order_by("dwelling__reference", "pk")
        .values_list("role", "dwelling__reference")
    )
    for role, reference in rows:
        references[role].append(reference)
    return references


def operation_households(*, operation: Any) -> QuerySet:
    """The households concerned by an operation, for its page (paginated there)."""
    return (
        RelocationHousehold.objects.for_organization(operation.organization_id)
        .filter(operation=operation)
        .select_related("household")
        .order_by("pk")
    )


def collective_action_list(*, organization: Any) -> QuerySet:
    from operations.models import ActionFunding, ActionPartner

    return (
        CollectiveAction.objects.for_organization(organization)
        .prefetch_related(
            Prefetch(
                "residence_links",
                ActionResidence.objects.for_organization(organization).select_related("residence"),
            ),
            Prefetch(
                "partner_links",
                ActionPartner.objects.for_organization(organization).select_related("partner"),
            ),
            Prefetch("fundings", ActionFunding.objects.for_organization(organization)),
        )
        .order_by("-starts_on", "name")
    )


def register_statistics(*, organization: Any) -> QuerySet:
    return (
        RegisterStatistic.objects.for_organization(organization)
        .select_related("territory")
        .order_by("-on", "territory__name")
    )


def insertion_clauses(*, organization: Any) -> QuerySet:
    return (
        InsertionClause.objects.for_organization(organization)
        .select_related("residence")
        .order_by("-year", "contract")
    )
