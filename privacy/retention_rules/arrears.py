"""Arrears data (arrears): the confidential text of the arrears files of a household whose
files are all closed since the limitation period is emptied; amounts and dates stay for the
reports. The former tenant's identity itself goes with the housing rule."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from privacy.retention import RetentionRule, months_before, parameter_value
from privacy.retention_rules._generic import clear_confidential_rules, model_or_none

PARAMETER = "privacy.arrears_retention_months"


def households_with_arrears_closed(organization: Any, today: datetime.date) -> QuerySet:
    arrears_case = model_or_none("arrears.ArrearsCase", "household", "status", "closed_on")
    assert arrears_case is not None
    cutoff = months_before(today, parameter_value(PARAMETER, organization, today))
    cases = arrears_case.objects.for_organization(organization)
    running = cases.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=cutoff))
    return (
        cases.filter(status="closed", closed_on__lt=cutoff)
        .exclude(household__in=running.values("household"))
        .values("household")
    )


def RULES() -> list[RetentionRule]:
    if model_or_none("arrears.ArrearsCase", "household", "status", "closed_on") is None:
        return []
    return clear_confidential_rules(
        app_label="arrears",
        key_prefix="arrears.closed_case_notes",
        label="Notes des dossiers d'impayé clos",
        households_fn=households_with_arrears_closed,
        parameter=PARAMETER,
        legal_basis="Loi 89-462 art. 7-1 (prescription de 3 ans)",
    )
