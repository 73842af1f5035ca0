"""housing's retention rule: the file of a former tenant is anonymised once the period after
the end of their last lease has passed (`privacy.former_tenant_retention_months`). The rows
stay (leases, incomes, composition) so that reports still count them; what identifies the
people goes: names, contacts, references, exact birth dates (the year is kept for age bands),
disability details (the flags stay)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Max, QuerySet

ANONYMISED_NAME = "Ménage anonymisé"


def former_tenants(organization: Any, today: datetime.date) -> QuerySet:
    from housing.models import Household
    from privacy.retention import months_before, parameter_value

    months = parameter_value("privacy.former_tenant_retention_months", organization, today)
    cutoff = months_before(today, months)
    return (
        Household.objects.for_organization(organization)
        .exclude(name=ANONYMISED_NAME)
        .filter(leases__isnull=False)
        .exclude(leases__end_date__isnull=True)
        .annotate(last_lease_end=Max("leases__end_date"))
        .filter(last_lease_end__lt=cutoff)
    )


def anonymise_households(rows: QuerySet) -> int:
    from core.models import TimelineEvent
    from housing.models import Household, Person

    ids = list(rows.values_list("pk", flat=True))
    households = Household.objects.filter(pk__in=ids)
    for person in Person.objects.filter(household__in=ids).only("pk", "birth_date"):
        person.first_name = "Anonyme"
        person.last_name = ""
        person.birth_name = ""
        person.phone = ""
        person.disability_detail = ""
        if person.birth_date is not None:
            person.birth_date = person.birth_date.replace(month=1, day=1)
        person.save(
            update_fields=[
                "first_name",
                "last_name",
                "birth_name",
                "phone",
                "disability_detail",
                "birth_date",
                "updated_at",
            ]
        )
    TimelineEvent.objects.filter(household__in=ids).update(summary="")
    return households.update(
        name=ANONYMISED_NAME,
        external_ref="",
        phone="",
        email="",
        address="",
        postal_code="",
        search_text="",
    )


def _rules() -> list:
    from privacy.retention import RetentionRule

    return [
        RetentionRule(
            "housing.former_tenants",
            "Dossiers des anciens locataires (anonymisés après la fin du dernier bail)",
            queryset_fn=former_tenants,
            action="anonymise",
            anonymise_fn=anonymise_households,
            household_lookup="pk",
            parameter="privacy.former_tenant_retention_months",
            legal_basis="Prescription civile (C. civ. 2224) ; CNIL, référentiel logement social",
        )
    ]


RULES = _rules
