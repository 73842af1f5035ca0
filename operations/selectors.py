"""Reads of the operations app, scoped to an organisation."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from operations.enums import RelocationStatus
from operations.models import (
    ActionResidence,
    CollectiveAction,
    InsertionClause,
    Prospection,
    RegisterStatistic,
    RelocationDwelling,
    RelocationOperation,
    RelocationPartner,
    RelocationResidence,
)


def prospection_list(*, organization: Any) -> QuerySet:
    return (
        Prospection.objects.for_organization(organization)
        .select_related("application__household", "dwelling__residence__territory", "contacted_by")
        .order_by("-contacted_on", "-pk")
    )


def relocation_operation_list(*, organization: Any) -> QuerySet:
    status_counts = {
        s: Count("households", filter=Q(households__status=s), distinct=True)
        for s in RelocationStatus.values
    }
    return (
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
                "dwelling_links",
                RelocationDwelling.objects.for_organization(organization).select_related(
                    "dwelling"
                ),
            ),
            Prefetch(
                "partner_links",
                RelocationPartner.objects.for_organization(organization).select_related("partner"),
            ),
        )
        .order_by("-starts_on", "name")
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
