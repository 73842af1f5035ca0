"""Follow-up data (cases): the confidential text of an accompaniment is emptied once every
accompaniment of the household has been closed for the archive period (RULES.md: "deleted
when the follow-up ends, plus any configured archive period"). Rows stay for the counts."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from privacy.retention import RetentionRule, months_before, parameter_value
from privacy.retention_rules._generic import clear_confidential_rules, model_or_none

PARAMETER = "privacy.followup_retention_months"


def households_with_followup_ended(organization: Any, today: datetime.date) -> QuerySet:
    social_case = model_or_none("cases.SocialCase", "household", "status", "closed_on")
    if social_case is None:
        from housing.models import Household

        return Household.objects.none()
    cutoff = months_before(today, parameter_value(PARAMETER, organization, today))
    cases = social_case.objects.for_organization(organization)
    still_running = cases.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=cutoff))
    return (
        cases.filter(status="closed", closed_on__lt=cutoff)
        .exclude(household__in=still_running.values("household"))
        .values("household")
    )


def RULES() -> list[RetentionRule]:
    if model_or_none("cases.SocialCase", "household", "status", "closed_on") is None:
        return []
    return clear_confidential_rules(
        app_label="cases",
        key_prefix="cases.followup_notes",
        label="Notes du suivi social terminé",
        households_fn=households_with_followup_ended,
        parameter=PARAMETER,
        legal_basis="CNIL : données du suivi supprimées à sa fin (plus l'archivage choisi)",
    )
