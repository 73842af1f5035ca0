"""A small organisation's year, built by hand with known counts (see the expected values in
EXPECTED): the report, the dashboard and the API must all find them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from housing.enums import (
    EmploymentStatus,
    HousingBenefitKind,
    IncomeKind,
    LeaseEndReason,
    LeaseKind,
    Relationship,
)
from tests.housing.factories import (
    DwellingFactory,
    HouseholdFactory,
    IncomeFactory,
    LeaseFactory,
    PartnerFactory,
    PersonFactory,
    ResidenceFactory,
)
from tests.organizations.factories import TerritoryFactory

D = datetime.date

# Year 2025 for the whole organisation, unless the key says otherwise.
EXPECTED: dict[str, Any] = {
    "tenants.households": 7,
    "tenants.households@2024": 6,
    "tenants.entrants": 3,
    "tenants.internal_transfers": 1,
    "tenants.housing_benefit_share": Decimal("57.14"),
    "tenants.entrants_housing_benefit_share": Decimal("66.67"),
    "tenants.minima_sociaux_share": Decimal("42.86"),
    "tenants.entrants_minima_sociaux_share": Decimal("33.33"),
    "stock.dwellings": 9,
    "stock.associative_dwellings": 1,
    "stock.partner_associations": 1,
    "tenants.households@alsace": 1,
}
EXPECTED_BREAKDOWNS = {
    "tenants.composition": {
        "single": 3,
        "couple": 1,
        "couple_children": 1,
        "single_parent": 1,
        "other": 1,
    },
    "tenants.age_bands": {
        "under_25": 1,
        "25_39": 1,
        "40_59": 2,
        "60_74": 1,
        "75_plus": 1,
        "unknown": 1,
    },
    "tenants.income_bands": {
        "none": 1,
        "under_1000": 2,
        "1000_1499": 1,
        "1500_1999": 1,
        "2000_2999": 1,
        "3000_plus": 1,
    },
}


def _household(org: Any, residence: Any, *, members: list[dict], lease: dict, **fields: Any) -> Any:
    household = HouseholdFactory(organization=org, **fields)
    for member in members:
        incomes = member.pop("incomes", [])
        person = PersonFactory(organization=org, household=household, **member)
        for income in incomes:
            IncomeFactory(organization=org, person=person, **income)
    dwelling = DwellingFactory(organization=org, residence=residence)
    LeaseFactory(organization=org, household=household, dwelling=dwelling, **lease)
    return household


@pytest.fixture
def small_year(org: Any) -> dict[str, Any]:
    lorraine = TerritoryFactory(organization=org, name="Lorraine")
    alsace = TerritoryFactory(organization=org, name="Alsace")
    metz = ResidenceFactory(organization=org, territory=lorraine)
    strasbourg = ResidenceFactory(
        organization=org, territory=alsace, commune_name="Strasbourg", commune_insee="67482"
    )
    ref = {"relationship": Relationship.REFERENCE}
    # H1: alone, 75, retired, pension 1 200 €, APL, since 2015.
    _household(
        org,
        metz,
        housing_benefit_kind=HousingBenefitKind.APL,
        members=[
            {
                **ref,
                "birth_date": D(1950, 6, 1),
                "employment_status": EmploymentStatus.RETIRED,
                "incomes": [
                    {"kind": IncomeKind.PENSION, "declared_monthly_amount": Decimal("1200")}
                ],
            }
        ],
        lease={"start_date": D(2015, 1, 1), "signed_on": D(2014, 12, 15)},
    )
    # H2: couple, 45, permanent job, 2 500 €, since 2018.
    _household(
        org,
        metz,
        members=[
            {
                **ref,
                "birth_date": D(1980, 2, 1),
                "incomes": [
                    {"kind": IncomeKind.SALARY, "declared_monthly_amount": Decimal("2500")}
                ],
            },
            {
                "relationship": Relationship.SPOUSE,
                "birth_date": D(1982, 1, 1),
                "employment_status": EmploymentStatus.INACTIVE,
            },
        ],
        lease={"start_date": D(2018, 4, 1), "signed_on": D(2018, 3, 20)},
    )
    # H3: couple + 2 children, 35, temporary job 1 300 € + RSA 300 € since May, APL; entered March 2025.
    _household(
        org,
        metz,
        housing_benefit_kind=HousingBenefitKind.APL,
        members=[
            {
                **ref,
                "birth_date": D(1990, 3, 3),
                "employment_status": EmploymentStatus.TEMPORARY,
                "incomes": [
                    {"kind": IncomeKind.SALARY, "declared_monthly_amount": Decimal("1300")},
                    {
                        "kind": IncomeKind.RSA,
                        "declared_monthly_amount": Decimal("300"),
                        "valid_from": D(2025, 5, 1),
                    },
                ],
            },
            {"relationship": Relationship.SPOUSE, "birth_date": D(1991, 1, 1)},
            {
                "relationship": Relationship.CHILD,
                "birth_date": D(2015, 1, 1),
                "employment_status": EmploymentStatus.CHILD,
            },
            {
                "relationship": Relationship.CHILD,
                "birth_date": D(2018, 1, 1),
                "employment_status": EmploymentStatus.CHILD,
            },
        ],
        lease={"start_date": D(2025, 3, 1), "signed_on": D(2025, 2, 20)},
    )
    # H4: single parent, 22, unemployed, RSA 600 €, APL; internal transfer in June 2025.
    h4 = _household(
        org,
        metz,
        housing_benefit_kind=HousingBenefitKind.APL,
        members=[
            {
                **ref,
                "birth_date": D(2003, 5, 5),
                "employment_status": EmploymentStatus.UNEMPLOYED,
                "incomes": [
                    {
                        "kind": IncomeKind.RSA,
                        "declared_monthly_amount": Decimal("600"),
                        "verified_monthly_amount": Decimal("610"),
                    }
                ],
            },
            {
                "relationship": Relationship.CHILD,
                "birth_date": D(2022, 1, 1),
                "employment_status": EmploymentStatus.CHILD,
            },
        ],
        lease={"start_date": D(2025, 6, 1), "signed_on": D(2025, 5, 25)},
    )
    LeaseFactory(
        organization=org,
        household=h4,
        dwelling=DwellingFactory(organization=org, residence=metz),
        start_date=D(2021, 1, 1),
        signed_on=D(2021, 1, 1),
        end_date=D(2025, 5, 31),
        end_reason=LeaseEndReason.TRANSFER,
    )
    # H5: alone, 65, AAH 900 €, AL, since 2012.
    _household(
        org,
        metz,
        housing_benefit_kind=HousingBenefitKind.AL,
        members=[
            {
                **ref,
                "birth_date": D(1960, 10, 10),
                "employment_status": EmploymentStatus.INACTIVE,
                "incomes": [{"kind": IncomeKind.AAH, "declared_monthly_amount": Decimal("900")}],
            }
        ],
        lease={"start_date": D(2012, 9, 1), "signed_on": D(2012, 8, 20)},
    )
    # H6 (Alsace): alone, 40, self-employed 3 200 €; entered September 2025.
    _household(
        org,
        strasbourg,
        members=[
            {
                **ref,
                "birth_date": D(1985, 1, 15),
                "employment_status": EmploymentStatus.SELF_EMPLOYED,
                "incomes": [
                    {"kind": IncomeKind.SALARY, "declared_monthly_amount": Decimal("3200")}
                ],
            }
        ],
        lease={"start_date": D(2025, 9, 1), "signed_on": D(2025, 8, 20)},
    )
    # H7: tenant at the end of 2024, left in June 2025.
    _household(
        org,
        metz,
        members=[{**ref, "birth_date": D(1970, 1, 1)}],
        lease={
            "start_date": D(2016, 1, 1),
            "signed_on": D(2016, 1, 1),
            "end_date": D(2025, 6, 30),
            "end_reason": LeaseEndReason.MOVED_OUT,
        },
    )
    # H8: two people with no reference recorded, housed by an association under a sub-letting
    # lease since 2024, no income recorded.
    association = PartnerFactory(organization=org, name="Association Le Relais")
    household = HouseholdFactory(organization=org)
    PersonFactory(
        organization=org, household=household, relationship=Relationship.OTHER, birth_date=None
    )
    PersonFactory(
        organization=org, household=household, relationship=Relationship.OTHER, birth_date=None
    )
    LeaseFactory(
        organization=org,
        household=household,
        dwelling=DwellingFactory(organization=org, residence=metz),
        kind=LeaseKind.SUBLET,
        lessee_partner=association,
        start_date=D(2024, 2, 1),
        signed_on=D(2024, 2, 1),
    )
    return {"lorraine": lorraine, "alsace": alsace, "metz": metz}
