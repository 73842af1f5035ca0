"""Counting selectors, against data computed by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from cases import indicators
from tests.cases.factories import (
    AdaptationFundingFactory,
    AdaptationRequestFactory,
    CampaignTargetFactory,
    EvaluationFactory,
    InterventionFactory,
    OutreachCampaignFactory,
    ProgrammeEnrolmentFactory,
    SocialCaseFactory,
    SupportProgrammeFactory,
)
from tests.housing.factories import (
    DwellingFactory,
    HouseholdFactory,
    LeaseFactory,
    PartnerFactory,
    PersonFactory,
    ResidenceFactory,
)
from tests.organizations.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_interventions_per_year_and_change_vs_previous_year(org: Any, in_org: Any) -> None:
    household = HouseholdFactory(organization=org)
    for _ in range(5):
        InterventionFactory(organization=org, household=household, occurred_on=D(2025, 3, 1))
    for _ in range(8):
        InterventionFactory(
            organization=org, household=household, occurred_on=D(2026, 3, 1), kind="phone_out"
        )
    InterventionFactory(
        organization=org, household=household, occurred_on=D(2026, 3, 1), service="arrears"
    )
    with in_org(org):
        result = indicators.interventions_per_year(organization=org, year=2026)
    # 8 social interventions vs 5: +60 %; the arrears service's call is not counted.
    assert result["count"] == 8 and result["previous"] == 5 and result["change_percent"] == 60.0
    assert result["by_kind"]["phone_out"] == 8


def test_evaluations_per_year(org: Any, in_org: Any) -> None:
    for day in (D(2025, 1, 5), D(2026, 2, 1), D(2026, 6, 1), D(2026, 12, 31)):
        EvaluationFactory(organization=org, evaluated_on=day)
    with in_org(org):
        result = indicators.evaluations_per_year(organization=org, year=2026)
    assert result["count"] == 3 and result["previous"] == 1 and result["change_percent"] == 200.0


def test_households_accompanied_per_motive(org: Any, in_org: Any) -> None:
    a, b, c = (HouseholdFactory(organization=org) for _ in range(3))
    SocialCaseFactory(
        organization=org,
        household=a,
        motives=["arrears", "access_to_rights"],
        opened_on=D(2025, 11, 1),
        planned_end_on=D(2026, 3, 1),
    )
    SocialCaseFactory(
        organization=org,
        household=b,
        motives=["arrears"],
        opened_on=D(2026, 5, 1),
        planned_end_on=D(2026, 9, 1),
    )
    # closed before the year: not counted
    SocialCaseFactory(
        organization=org,
        household=c,
        motives=["transfer"],
        opened_on=D(2025, 1, 1),
        planned_end_on=D(2025, 5, 1),
        status="closed",
        closed_on=D(2025, 6, 1),
    )
    with in_org(org):
        result = indicators.households_accompanied(organization=org, year=2026)
    assert result["households"] == 2
    assert result["per_motive"]["arrears"] == 2 and result["per_motive"]["access_to_rights"] == 1
    assert result["per_motive"]["transfer"] == 0 and result["opened"] == 1


def test_accompaniment_durations(org: Any, in_org: Any) -> None:
    for opened, closed in (
        (D(2026, 1, 1), D(2026, 3, 2)),
        (D(2026, 1, 1), D(2026, 6, 30)),
        (D(2025, 1, 1), D(2026, 4, 1)),
    ):
        SocialCaseFactory(
            organization=org,
            opened_on=opened,
            planned_end_on=opened,
            status="closed",
            closed_on=closed,
        )
    with in_org(org):
        result = indicators.accompaniment_durations(organization=org, year=2026)
    # 60, 180 and 455 days
    assert result["closed"] == 3 and result["median_days"] == 180
    assert result["mean_days"] == round((60 + 180 + 455) / 3, 1)
    assert result["distribution"] == {
        "up_to_4_months": 1,
        "4_to_6_months": 1,
        "6_to_12_months": 0,
        "over_12_months": 1,
    }


def test_home_visit_rate_of_tenants(org: Any, in_org: Any) -> None:
    tenants = [LeaseFactory(organization=org, start_date=D(2020, 1, 1)).household for _ in range(4)]
    not_a_tenant = HouseholdFactory(organization=org)
    InterventionFactory(
        organization=org, household=tenants[0], kind="home_visit", occurred_on=D(2026, 2, 1)
    )
    InterventionFactory(
        organization=org, household=tenants[0], kind="home_visit", occurred_on=D(2026, 5, 1)
    )
    InterventionFactory(
        organization=org,
        household=tenants[1],
        kind="home_visit",
        occurred_on=D(2026, 2, 1),
        service="arrears",
    )
    InterventionFactory(
        organization=org, household=tenants[2], kind="phone_out", occurred_on=D(2026, 2, 1)
    )
    InterventionFactory(
        organization=org, household=tenants[3], kind="home_visit", occurred_on=D(2025, 2, 1)
    )
    InterventionFactory(
        organization=org, household=not_a_tenant, kind="home_visit", occurred_on=D(2026, 2, 1)
    )
    with in_org(org):
        result = indicators.home_visit_rate(organization=org, year=2026)
    assert result == {"year": 2026, "tenants": 4, "visited": 2, "rate_percent": 50.0}


def test_indicators_by_territory(org: Any, in_org: Any) -> None:
    lorraine, alsace = (
        TerritoryFactory(organization=org, name="Lorraine"),
        TerritoryFactory(organization=org, name="Alsace"),
    )
    in_lorraine = LeaseFactory(
        organization=org,
        dwelling=DwellingFactory(
            organization=org, residence=ResidenceFactory(organization=org, territory=lorraine)
        ),
    ).household
    in_alsace = LeaseFactory(
        organization=org,
        dwelling=DwellingFactory(
            organization=org, residence=ResidenceFactory(organization=org, territory=alsace)
        ),
    ).household
    InterventionFactory(organization=org, household=in_lorraine, occurred_on=D(2026, 1, 10))
    InterventionFactory(organization=org, household=in_alsace, occurred_on=D(2026, 1, 10))
    InterventionFactory(organization=org, household=in_alsace, occurred_on=D(2026, 1, 11))
    with in_org(org):
        assert (
            indicators.interventions_per_year(organization=org, year=2026, territory=lorraine)[
                "count"
            ]
            == 1
        )
        assert (
            indicators.interventions_per_year(organization=org, year=2026, territory=alsace)[
                "count"
            ]
            == 2
        )
        assert indicators.interventions_per_year(organization=org, year=2026)["count"] == 3


def test_campaign_contacts(org: Any, in_org: Any) -> None:
    cold = OutreachCampaignFactory(organization=org, name="Grand froid", starts_on=D(2026, 1, 10))
    for status, attempts in (("reached", 1), ("follow_up", 2), ("not_reached", 3), ("to_call", 0)):
        CampaignTargetFactory(organization=org, campaign=cold, status=status, attempts=attempts)
    OutreachCampaignFactory(organization=org, starts_on=D(2025, 7, 1))
    with in_org(org):
        result = indicators.campaign_contacts(organization=org, year=2026)
    [row] = result["campaigns"]
    assert (
        row["listed"],
        row["contacted"],
        row["reached"],
        row["not_reached"],
        row["follow_up"],
        row["calls"],
    ) == (4, 3, 2, 1, 1, 6)
    assert result["households_contacted"] == 3


def test_adaptation_summary_like_seed_001(org: Any, in_org: Any) -> None:
    carsat = PartnerFactory(organization=org, name="CARSAT", kind="carsat")
    mdph = PartnerFactory(organization=org, name="MDPH", kind="mdph")
    household = HouseholdFactory(organization=org)
    old = PersonFactory(organization=org, household=household, birth_date=D(1946, 1, 1))
    young = PersonFactory(organization=org, household=household, birth_date=D(1956, 1, 1))
    delivered = AdaptationRequestFactory(
        organization=org,
        household=household,
        requester=old,
        requested_on=D(2026, 2, 1),
        studied_on=D(2026, 3, 1),
        status="delivered",
        delivered_on=D(2026, 6, 1),
        final_cost=Decimal("4000"),
    )
    AdaptationFundingFactory(
        organization=org, request=delivered, partner=carsat, amount=Decimal("1000")
    )
    AdaptationFundingFactory(
        organization=org, request=delivered, partner=mdph, amount=Decimal("500")
    )
    AdaptationRequestFactory(
        organization=org,
        household=household,
        requester=young,
        requested_on=D(2026, 2, 1),
        studied_on=D(2026, 3, 1),
        status="approved",
    )
    AdaptationRequestFactory(
        organization=org,
        household=household,
        requested_on=D(2026, 2, 1),
        studied_on=D(2026, 3, 1),
        status="rejected",
    )
    AdaptationRequestFactory(organization=org, household=household, requested_on=D(2026, 4, 1))
    with in_org(org):
        result = indicators.adaptation_summary(organization=org, year=2026)
    assert (result["requested"], result["studied"], result["approved"], result["delivered"]) == (
        4,
        3,
        2,
        1,
    )
    assert result["amount"] == Decimal("4000") and result["cofunded_amount"] == Decimal("1500")
    assert result["average_requester_age"] == 75.0  # 80 and 70 on 1 Feb 2026


def test_programme_targets_and_budget(org: Any, in_org: Any) -> None:
    programme = SupportProgrammeFactory(organization=org, collective_actions_held=2)
    for kind, status, diagnostic in (
        ("staying", "accepted", True),
        ("staying", "ended", True),
        ("access", "accepted", False),
        ("access", "refused", True),
        ("staying", "proposed", False),
    ):
        ProgrammeEnrolmentFactory(
            organization=org,
            programme=programme,
            kind=kind,
            status=status,
            diagnostic_done=diagnostic,
        )
    with in_org(org):
        [row] = indicators.programme_targets(organization=org, year=2026)
    assert (row["achieved_access"], row["achieved_staying"], row["diagnostics"]) == (1, 2, 3)
    # 3 diagnostics × 300 + 3 accompaniments × 1500 + 2 actions × 1000
    assert row["budget_spent"] == Decimal("7400.00")
    assert row["target_access"] == 10 and row["target_staying"] == 30


def test_arrears_service_contacts(org: Any, in_org: Any) -> None:
    household = HouseholdFactory(organization=org)
    for kind, outcome in (
        ("phone_out", "done"),
        ("phone_in", "done"),
        ("phone_out", "not_reached"),
        ("office_interview", "done"),
        ("letter_email", "done"),
    ):
        InterventionFactory(
            organization=org,
            household=household,
            service="arrears",
            kind=kind,
            outcome=outcome,
            occurred_on=D(2026, 5, 1),
        )
    InterventionFactory(
        organization=org,
        household=household,
        service="social",
        kind="phone_out",
        occurred_on=D(2026, 5, 1),
    )
    with in_org(org):
        result = indicators.arrears_service_contacts(organization=org, year=2026)
    assert (
        result["calls"],
        result["meetings"],
        result["letters"],
        result["not_reached"],
        result["households"],
        result["total"],
    ) == (3, 1, 1, 1, 1, 5)


def test_all_indicators_run_together(org: Any, in_org: Any) -> None:
    with in_org(org):
        result = indicators.all_indicators(organization=org, year=2026)
    assert set(result) >= {
        "interventions",
        "evaluations",
        "home_visits",
        "adaptations",
        "programmes",
    }
