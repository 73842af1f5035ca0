"""Counting selectors, on hand-computed data (formulas: docs/arrears.md, "Indicators")."""

import datetime
from decimal import Decimal

import pytest

from arrears import selectors, services
from arrears.enums import AidOutcome, WriteOffCause
from tests.arrears.factories import (
    AccountStatementFactory,
    ArrearsCaseFactory,
    BorlooProtocolFactory,
    DebtWriteOffFactory,
    FslAidFactory,
    RelocationRequestFactory,
    RepaymentPlanFactory,
)
from tests.housing.factories import HouseholdFactory, LeaseFactory

pytestmark = pytest.mark.django_db

D = datetime.date
E = Decimal


def st(lease, month, billed, benefit, payments, balance, departed=False):
    AccountStatementFactory(
        organization=lease.organization,
        lease=lease,
        month=month,
        billed=E(billed),
        housing_benefit=E(benefit),
        payments=E(payments),
        balance=E(balance),
        tenant_departed=departed,
    )


@pytest.fixture
def accounts(org):
    a = LeaseFactory(organization=org)
    b = LeaseFactory(organization=org)
    c = LeaseFactory(organization=org, end_date=D(2025, 6, 30))
    d = LeaseFactory(organization=org, end_date=D(2024, 12, 31))
    e = LeaseFactory(organization=org)
    st(a, D(2025, 11, 1), "500", "100", "400", "0")
    st(a, D(2025, 12, 1), "500", "100", "0", "400")
    st(b, D(2025, 11, 1), "600", "0", "0", "1200")
    st(b, D(2025, 12, 1), "600", "0", "0", "1800")
    st(c, D(2025, 6, 1), "450", "100", "0", "900")
    st(c, D(2025, 7, 1), "0", "0", "100", "800", departed=True)
    st(d, D(2024, 12, 1), "999", "0", "0", "5000")
    for month in range(1, 13):
        st(e, D(2025, month, 1), "1000", "0", "1000", "0")
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_arrears_rate(org, in_org, accounts):
    with in_org(org):
        result = selectors.arrears_rate(organization=org, year=2025)
    # billed 2025 = A 500+500 + B 600+600 + C 450+0 + E 12 × 1000 = 14,650
    assert result["billed"] == E("14650.00")
    # unpaid = last positive balance of each lease in 2025: A 400 + B 1800 + C 800 = 3,000
    # (D has no 2025 statement); present A+B = 2,200, departed C = 800.
    assert (result["unpaid"], result["unpaid_present"], result["unpaid_departed"]) == (
        E("3000.00"),
        E("2200.00"),
        E("800.00"),
    )
    # 3000 / 14650 = 20.477…% ; 2200 / 14650 = 15.017…% ; 800 / 14650 = 5.460…%
    assert (result["rate"], result["rate_present"], result["rate_departed"]) == (
        E("20.48"),
        E("15.02"),
        E("5.46"),
    )


def test_arrears_rate_of_the_seed(org, in_org):
    """Seed 000: 5.66 % — 56,600 € owed at year end for 1,000,000 € billed."""
    lease = LeaseFactory(organization=org)
    st(lease, D(2014, 6, 1), "943400", "0", "943400", "0")
    st(lease, D(2014, 12, 1), "56600", "0", "0", "56600")
    with in_org(org):
        assert selectors.arrears_rate(organization=org, year=2014)["rate"] == E("5.66")


def test_tenants_present_with_three_unpaid_months(org, in_org, accounts):
    with in_org(org):
        result = selectors.tenants_three_months_unpaid_rate(organization=org, year=2025)
    # A: 400 < 3 × (500 − 100) = 1200, no; B: 1800 ≥ 3 × 600, yes; C departed; E: 0.
    # Occupied on 31/12/2025: A, B, E (C ended 30/06/2025, D in 2024) → 1 / 3 = 33.33 %.
    assert result == {"tenants": 1, "occupied_dwellings": 3, "rate": E("33.33")}


def test_write_offs_to_receipts_and_write_off_families(org, in_org, accounts):
    x = HouseholdFactory(organization=org)
    DebtWriteOffFactory(
        organization=org,
        household=accounts["c"].household,
        amount=E("1000"),
        written_off_on=D(2025, 9, 1),
        cause=WriteOffCause.PRP,
    )
    DebtWriteOffFactory(
        organization=org,
        household=x,
        amount=E("270"),
        written_off_on=D(2025, 12, 31),
        cause=WriteOffCause.LANDLORD_DECISION,
    )
    DebtWriteOffFactory(
        organization=org, household=x, amount=E("500"), written_off_on=D(2024, 5, 1)
    )
    with in_org(org):
        ratio = selectors.write_offs_to_receipts(organization=org, year=2025)
        families = selectors.write_off_families(organization=org, year=2025)
    # receipts = payments + housing benefit paid to the landlord, 2025:
    # A (400 + 0) + (100 + 100) + B 0 + C (0 + 100) + (100 + 0) + E 12,000 = 12,800
    assert ratio["receipts"] == E("12800.00")
    # written off in 2025: 1,000 + 270 = 1,270 → 1270 / 12800 = 9.921…%
    assert (ratio["written_off"], ratio["rate"]) == (E("1270.00"), E("9.92"))
    assert families == {"families": 2, "amount": E("1270.00")}


def test_fsl_families_and_amounts(org, in_org):
    a, b, e = (HouseholdFactory(organization=org) for _ in range(3))
    FslAidFactory(
        organization=org,
        household=a,
        granted=True,
        amount_granted=E("700"),
        decided_on=D(2025, 3, 1),
    )
    FslAidFactory(
        organization=org,
        household=a,
        granted=True,
        amount_granted=E("300"),
        decided_on=D(2025, 10, 1),
    )
    FslAidFactory(
        organization=org,
        household=b,
        granted=True,
        amount_granted=E("500"),
        decided_on=D(2024, 12, 15),
    )
    FslAidFactory(
        organization=org, household=e, outcome=AidOutcome.REFUSED, decided_on=D(2025, 4, 1)
    )
    with in_org(org):
        # One family (a), 700 + 300 = 1,000 €; b was helped in 2024, e refused.
        assert selectors.fsl_families(organization=org, year=2025) == {
            "families": 1,
            "amount": E("1000.00"),
        }


def test_plans_signed_of_which_borloo(org, in_org):
    first = RepaymentPlanFactory(organization=org, signed_on=D(2025, 2, 1))
    RepaymentPlanFactory(
        organization=org, case=first.case, previous=first, signed_on=D(2025, 6, 1)
    )  # renegotiation: the same agreement
    BorlooProtocolFactory(organization=org, plan__signed_on=D(2025, 8, 1))
    RepaymentPlanFactory(organization=org, signed_on=D(2024, 12, 1))
    with in_org(org):
        assert selectors.plans_signed(organization=org, year=2025) == {"total": 2, "borloo": 1}


def test_relocations_at_the_arrears_services_request(org, in_org):
    RelocationRequestFactory(organization=org, requested_on=D(2025, 2, 1))
    RelocationRequestFactory(
        organization=org, requested_on=D(2025, 3, 1), status="relocated", relocated_on=D(2025, 9, 1)
    )
    RelocationRequestFactory(organization=org, requested_on=D(2024, 3, 1))
    with in_org(org):
        assert selectors.relocations(organization=org, year=2025) == {
            "requested": 2,
            "relocated": 1,
        }


def test_contacts_count_one_source(org, in_org, member_of):
    officer = member_of(org, "arrears_officer")
    case = ArrearsCaseFactory(organization=org)
    with in_org(org):
        for kind, day in [
            ("call_received", D(2025, 1, 5)),
            ("call_received", D(2025, 2, 5)),
            ("call_received", D(2025, 3, 5)),
            ("call_made", D(2025, 3, 6)),
            ("meeting", D(2025, 4, 1)),
            ("meeting", D(2025, 5, 1)),
            ("meeting", D(2024, 5, 1)),
        ]:
            services.contact_record(
                household=case.household, case=case, kind=kind, occurred_on=day, acting_user=officer
            )
        # 3 received + 1 made + 2 meetings in 2025 (the 2024 meeting is not counted); the
        # timeline events written alongside are not counted a second time.
        assert selectors.contacts(organization=org, year=2025) == {
            "calls_received": 3,
            "calls_made": 1,
            "calls": 4,
            "meetings": 2,
            "total": 6,
        }


def test_territory_narrows_the_counts(org, in_org, accounts):
    territory = accounts["e"].dwelling.residence.territory
    with in_org(org):
        result = selectors.arrears_rate(organization=org, year=2025, territory=territory)
    assert (result["billed"], result["unpaid"]) == (E("12000.00"), E("0.00"))
