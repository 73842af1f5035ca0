"""Allocation data (allocations): social-difficulty data of a demand without social follow-up
is deleted at attribution; radiated demands are deleted one year after radiation (RULES.md).
The demand keeps its denormalised priority level so that quota reports still count it."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from privacy.retention import RetentionRule, months_before, parameter_value
from privacy.retention_rules._generic import model_or_none


def _applications() -> Any:
    return model_or_none("allocations.HousingApplication", "household", "status", "radiated_on")


def attributed_priority_data(organization: Any, today: datetime.date) -> QuerySet:
    applications = _applications()
    priority = model_or_none("allocations.ApplicationPriority", "application")
    assert applications is not None and priority is not None
    days = parameter_value("privacy.allocation_social_data_days", organization, today)
    due = applications.objects.for_organization(organization).filter(
        status="attributed", radiated_on__lte=today - datetime.timedelta(days=int(days))
    )
    social_case = model_or_none("cases.SocialCase", "household")
    if social_case is not None:
        followed = social_case.objects.for_organization(organization).values("household")
        due = due.exclude(household__in=followed)
    return priority.objects.for_organization(organization).filter(application__in=due)


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
