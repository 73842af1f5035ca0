from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.housing.factories import IncomeFactory, LeaseFactory, PersonFactory


@pytest.fixture
def tenant(org: Any) -> Any:
    """A tenant household: Lefèvre couple with a child, salary and RSA, in a T3."""
    lease = LeaseFactory(
        organization=org,
        household__name="Ménage Lefèvre",
        household__phone="06 12 34 56 78",
        household__housing_benefit=Decimal("180.00"),
        household__housing_benefit_kind="apl",
        dwelling__reference="GR001-0042",
    )
    household = lease.household
    reference = PersonFactory(
        organization=org,
        household=household,
        first_name="Hélène",
        last_name="Lefèvre",
        birth_date=datetime.date(1982, 5, 3),
        has_disability=True,
        disability_detail="plain-pied, douche à l'italienne",
    )
    PersonFactory(
        organization=org,
        household=household,
        first_name="Karim",
        last_name="Benali",
        relationship="spouse",
        birth_date=datetime.date(1980, 2, 11),
    )
    PersonFactory(
        organization=org,
        household=household,
        first_name="Inès",
        last_name="Benali",
        relationship="child",
        birth_date=datetime.date(2016, 9, 1),
    )
    IncomeFactory(organization=org, person=reference, declared_monthly_amount=Decimal("1350.00"))
    IncomeFactory(
        organization=org, person=reference, kind="rsa", declared_monthly_amount=Decimal("200.00")
    )
    from core.context import organization_context
    from housing.services import household_reindex

    with organization_context(org):
        household_reindex(household)
    return household
