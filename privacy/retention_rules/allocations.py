"""Allocation data (allocations): social-difficulty data of a demand without social follow-up
is deleted at attribution; radiated demands are deleted one year after radiation (RULES.md).
The demand keeps its denormalised priority level so that quota reports still count it."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from privacy.retention import RetentionRule, months_before, parameter_value
from privacy.retention_rules._generic import confidential_fields, model_or_none


def _applications() -> Any:
    return model_or_none("allocations.HousingApplication", "household", "status", "radiated_on")


def _attributed_without_followup(organization: Any, today: datetime.date) -> QuerySet:
    """Demands attributed since the configured delay, of households with no social follow-up."""
    applications = _applications()
    assert applications is not None
    days = parameter_value("privacy.allocation_social_data_days", organization, today)
    due = applications.objects.for_organization(organization).filter(
        status="attributed", radiated_on__lte=today - datetime.timedelta(days=int(days))
    )
    social_case = model_or_none("cases.SocialCase", "household")
    if social_case is not None:
        followed = social_case.objects.for_organization(organization).values("household")
        due = due.exclude(household__in=followed)
    return due


def attributed_priority_data(organization: Any, today: datetime.date) -> QuerySet:
    priority = model_or_none("allocations.ApplicationPriority", "application")
    assert priority is not None
    due = _attributed_without_followup(organization, today)
    return priority.objects.for_organization(organization).filter(application__in=due)


def _evaluation_model() -> Any:
    return model_or_none("cases.Evaluation", "household", "context", "social_case")


def attributed_evaluations(organization: Any, today: datetime.date) -> QuerySet:
    """Social evaluations made for the allocation or the transfer (not within a follow-up)
    of the households above, whose narrative is still there."""
    from django.db.models import Q

    evaluation = _evaluation_model()
    assert evaluation is not None
    not_empty = Q()
    for name in confidential_fields(evaluation):
        not_empty |= ~Q(**{name: ""})
    households = _attributed_without_followup(organization, today).values("household")
    return (
        evaluation.objects.for_organization(organization)
        .filter(context__in=EVALUATION_CONTEXTS, social_case__isnull=True, household__in=households)
        .filter(not_empty)
    )


def clear_evaluation_notes(rows: QuerySet) -> int:
    fields = confidential_fields(rows.model)
    pks = list(rows.values_list("pk", flat=True))
    return rows.model.objects.filter(pk__in=pks).update(**dict.fromkeys(fields, ""))


EVALUATION_CONTEXTS = ("allocation", "transfer")


def radiated_applications(organization: Any, today: datetime.date) -> QuerySet:
    applications = _applications()
    assert applications is not None
    months = parameter_value("privacy.application_retention_months", organization, today)
    return applications.objects.for_organization(organization).filter(
        status="radiated", radiated_on__lt=months_before(today, months)
    )


def RULES() -> list[RetentionRule]:
    rules = []
    if _applications() is None:
        return rules
    if model_or_none("allocations.ApplicationPriority", "application") is not None:
        rules.append(
            RetentionRule(
                "allocations.attributed_social_data",
                "Critères de difficulté sociale des demandes attribuées sans suivi social",
                queryset_fn=attributed_priority_data,
                household_lookup="application__household",
                parameter="privacy.allocation_social_data_days",
                legal_basis="CNIL : données de difficultés sociales supprimées dès l'attribution",
            )
        )
    evaluation = _evaluation_model()
    if evaluation is not None and confidential_fields(evaluation):
        rules.append(
            RetentionRule(
                "allocations.attributed_evaluation_notes",
                "Évaluations sociales faites pour l'attribution ou la mutation, sans suivi",
                queryset_fn=attributed_evaluations,
                action="anonymise",
                anonymise_fn=clear_evaluation_notes,
                parameter="privacy.allocation_social_data_days",
                legal_basis="CNIL : données de difficultés sociales supprimées dès l'attribution",
            )
        )
    rules.append(
        RetentionRule(
            "allocations.radiated_applications",
            "Demandes radiées depuis plus d'un an",
            queryset_fn=radiated_applications,
            parameter="privacy.application_retention_months",
            legal_basis="CNIL : un an après la radiation",
        )
    )
    return rules
