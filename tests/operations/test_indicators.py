"""Indicators on hand-computed data; registered in the report's sections."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from allocations.enums import OfferStatus
from operations import indicators
from operations.enums import ActionKind, DwellingRole, RelocationStatus
from reporting.indicators import registry
from reporting.sections import available_sections
from tests.allocations.factories import HousingApplicationFactory, OfferFactory
from tests.cases.factories import SocialCaseFactory
from tests.housing.factories import DwellingFactory, ResidenceFactory
from tests.operations.factories import (
    ActionFundingFactory,
    ActionResidenceFactory,
    CollectiveActionFactory,
    InsertionClauseFactory,
    ProspectionFactory,
    RegisterStatisticFactory,
    RelocationDwellingFactory,
    RelocationHouseholdFactory,
    RelocationOperationFactory,
    RelocationPositioningFactory,
    RelocationResidenceFactory,
)
from tests.organizations.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_leasing_figures_per_territory(org: Any, in_org: Any) -> None:
    north = TerritoryFactory(organization=org, name="Nord", communes=["57463"])
    south = TerritoryFactory(organization=org, name="Sud", communes=["54395"])
    north_dwelling = DwellingFactory(organization=org, residence__territory=north)
    south_dwelling = DwellingFactory(organization=org, residence__territory=south)
    for outcome in ("interested", "interested", "unreachable"):
        ProspectionFactory(organization=org, dwelling=north_dwelling, outcome=outcome)
    ProspectionFactory(organization=org, dwelling=south_dwelling, outcome="not_interested")
    ProspectionFactory(organization=org, dwelling=south_dwelling, contacted_on=D(2025, 5, 1))
    HousingApplicationFactory(organization=org, filed_on=D(2026, 2, 1), desired_communes=["57463"])
    HousingApplicationFactory(
        organization=org,
        filed_on=D(2026, 3, 1),
        desired_communes=["54395"],
        registration_desk="received",
    )
    HousingApplicationFactory(organization=org, filed_on=D(2025, 3, 1))
    RegisterStatisticFactory(
        organization=org, territory=north, on=D(2026, 6, 30), active_demands=100
    )
    RegisterStatisticFactory(
        organization=org, territory=north, on=D(2026, 12, 31), active_demands=120
    )
    RegisterStatisticFactory(
        organization=org, territory=south, on=D(2026, 12, 31), active_demands=80
    )
    with in_org(org):
        args = {"organization": org, "year": 2026}
        assert indicators.prospections(**args) == 4
        assert indicators.prospections(**args, territory=north) == 3
        assert indicators.prospections_by_outcome(**args, territory=north) == {
            "interested": 2,
            "not_interested": 0,
            "unreachable": 1,
            "documents_requested": 0,
        }
        assert indicators.applications_by_desk(**args) == {"landlord": 1, "received": 1}
        assert indicators.applications_by_desk(**args, territory=south) == {
            "landlord": 0,
            "received": 1,
        }
        assert indicators.register_active_demands(**args) == 200
        assert indicators.register_active_demands(**args, territory=north) == 120
        assert indicators.register_active_demands(organization=org, year=2024) is None
        assert registry()["operations.prospections"].compute(**args) == 4


def test_relocation_summary(org: Any, in_org: Any) -> None:
    territory = TerritoryFactory(organization=org)
    operation = RelocationOperationFactory(organization=org, starts_on=D(2025, 9, 1))
    RelocationResidenceFactory(
        organization=org, operation=operation, residence__territory=territory
    )
    mobilised = [
        RelocationDwellingFactory(organization=org, operation=operation).dwelling for _ in range(3)
    ]
    RelocationDwellingFactory(organization=org, operation=operation, role=DwellingRole.CONCERNED)
    households = [
        RelocationHouseholdFactory(organization=org, operation=operation) for _ in range(4)
    ]
    h0, h1, h2, h3 = households
    for h in (h0, h1, h2):
        h.met_on, h.surveyed_on, h.agreement_signed_on = (
            D(2025, 10, 1),
            D(2025, 11, 1),
            D(2026, 1, 5),
        )
        h.status = RelocationStatus.AGREEMENT_SIGNED
    h0.status, h0.rehoused_on, h0.is_transfer = RelocationStatus.REHOUSED, D(2026, 4, 1), True
    h1.status, h1.rehoused_on = RelocationStatus.REHOUSED, D(2025, 12, 1)
    h3.social_case = SocialCaseFactory(organization=org, household=h3.household)
    with in_org(org):
        for h in households:
            h.save()
    offer = OfferFactory(organization=org, application__household=h2.household)
    with in_org(org):
        offer.status, offer.refusal_reason = OfferStatus.REFUSED, "Trop éloigné"
        offer.answered_on = D(2026, 3, 15)
        offer.save()
    RelocationPositioningFactory(
        organization=org, relocation_household=h2, dwelling=mobilised[0], offer=offer
    )
    RelocationPositioningFactory(organization=org, relocation_household=h2, dwelling=mobilised[1])
    RelocationPositioningFactory(organization=org, relocation_household=h0, dwelling=mobilised[2])
    other = TerritoryFactory(organization=org)
    with in_org(org):
        summary = indicators.relocation_summary(organization=org, year=2026)
        assert summary == {
            "year": 2026,
            "dwellings_concerned": 1,
            "dwellings_mobilised": 3,
            "households_concerned": 4,
            "met": 3,
            "surveyed": 3,
            "agreements_signed": 3,
            "positioned": 2,
            "offers": 1,
            "refusals": 1,
            "rehoused": 1,
            "transfers": 1,
            "accompanied": 1,
        }
        assert (
            indicators.relocation_summary(organization=org, year=2026, territory=territory)
            == summary
        )
        assert (
            indicators.relocation_summary(organization=org, year=2026, territory=other)[
                "households_concerned"
            ]
            == 0
        )
        dashboard = indicators.operation_dashboard(operation=operation)
        assert dashboard["rehoused"] == 2 and dashboard["agreements"] == 3
        assert (
            registry()["operations.relocation_rehoused"].compute(organization=org, year=2025) == 1
        )


def test_collective_actions_and_insertion(org: Any, in_org: Any) -> None:
    territory = TerritoryFactory(organization=org)
    workshops = CollectiveActionFactory(
        organization=org, kind=ActionKind.WORKSHOP, sessions=18, participants=150
    )
    ActionResidenceFactory(organization=org, action=workshops, residence__territory=territory)
    CollectiveActionFactory(
        organization=org,
        kind=ActionKind.EMPLOYMENT,
        participants=24,
        back_to_work=6,
        cost=Decimal("1500.00"),
    )
    fund = CollectiveActionFactory(
        organization=org, kind=ActionKind.RESIDENTS_PROJECT, participants=0, households_reached=1224
    )
    ActionFundingFactory(organization=org, action=fund, amount=Decimal("60000.00"))
    CollectiveActionFactory(organization=org, starts_on=D(2025, 1, 1), participants=99)
    residence = ResidenceFactory(organization=org, territory=territory)
    InsertionClauseFactory(
        organization=org, required_hours=5000, achieved_hours=4360, residence=residence
    )
    InsertionClauseFactory(organization=org, required_hours=5000, achieved_hours=5000)
    InsertionClauseFactory(organization=org, year=2025, achieved_hours=7)
    with in_org(org):
        s = indicators.collective_actions_summary(organization=org, year=2026)
        assert s["actions"] == 3
        assert s["by_kind"]["workshop"] == 1 and s["sessions_by_kind"]["workshop"] == 18
        assert (s["participants"], s["back_to_work"], s["households_reached"]) == (174, 6, 1224)
        assert s["funding"] == Decimal("60000.00") and s["cost"] == Decimal("1500.00")
        assert (
            indicators.collective_actions_summary(organization=org, year=2026, territory=territory)[
                "participants"
            ]
            == 150
        )
        assert indicators.insertion_hours(organization=org, year=2026) == {
            "required": 10000,
            "achieved": 9360,
        }
        assert (
            indicators.insertion_hours(organization=org, year=2026, territory=territory)["achieved"]
            == 4360
        )
        assert (
            registry()["operations.collective_action_sessions"].compute(organization=org, year=2026)
            == 20
        )


def test_indicators_registered_in_report_sections() -> None:
    keys = [k for k in registry() if k.startswith("operations.")]
    assert len(keys) >= 20
    sections = {s.key for s in available_sections()}
    assert {"commissions", "local_development"} <= sections
    from pathlib import Path

    docs = Path("docs/indicators.md").read_text(encoding="utf-8")
    own = Path("docs/leasing-and-operations.md").read_text(encoding="utf-8")
    for key in keys:
        assert f"`{key}`" in docs
    assert "operations.prospections" in own


def test_the_figures_of_one_summary_share_its_queries_within_a_computation(
    org: Any, in_org: Any
) -> None:
    """Each relocation or collective-action figure used to recompute its whole summary: within
    `shared_results()` (a report, a snapshot) all of them cost what one costs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.indicators import shared_results

    RelocationHouseholdFactory(organization=org)
    CollectiveActionFactory(organization=org)
    args = {"organization": org, "year": datetime.date.today().year}
    by_summary: dict[str, list[Any]] = {}
    for indicator in indicators.INDICATORS:
        name = indicator.selector.__name__.split("[")[0]
        by_summary.setdefault(name, []).append(indicator.selector)
    shared = {name: s for name, s in by_summary.items() if len(s) > 1}
    assert {"relocation_summary", "collective_actions_summary"} <= set(shared)
    for selectors_ in shared.values():
        with in_org(org):
            with shared_results(), CaptureQueriesContext(connection) as one:
                selectors_[0](**args)
            with shared_results(), CaptureQueriesContext(connection) as all_:
                for selector in selectors_:
                    selector(**args)
        assert len(all_.captured_queries) == len(one.captured_queries)


def test_registration_desks_of_every_territory_agree_with_each_territorys_count(
    org: Any, in_org: Any, django_assert_num_queries: Any
) -> None:
    """The leasing page counts every territory's desks in one query: the same figures as
    `applications_by_desk` territory by territory — a wished commune (one demand can wish
    communes of two territories), the current lease's territory for a transfer, an empty
    commune never matching, another year not counted."""
    from tests.housing.factories import LeaseFactory

    north = TerritoryFactory(organization=org, name="Nord", communes=["57463", ""])
    south = TerritoryFactory(organization=org, name="Sud", communes=["54395"])
    empty = TerritoryFactory(organization=org, name="Vide", communes=[])
    south_lease = LeaseFactory(organization=org, dwelling__residence__territory=south)
    for communes, desk, lease in (
        (["57463"], "landlord", None),
        (["57463", "54395"], "received", None),
        ([""], "landlord", None),
        ([], "landlord", south_lease),  # a transfer: its lease's territory
        (["57463"], "received", south_lease),  # both territories
        (["54395"], "landlord", south_lease),  # counted once in the south
    ):
        HousingApplicationFactory(
            organization=org,
            filed_on=D(2026, 4, 1),
            desired_communes=communes,
            registration_desk=desk,
            current_lease=lease,
        )
    HousingApplicationFactory(organization=org, filed_on=D(2025, 4, 1), desired_communes=["57463"])
    territories = [north, south, empty]
    with in_org(org):
        expected = {
            t.pk: indicators.applications_by_desk(organization=org, year=2026, territory=t)
            for t in territories
        }
        with django_assert_num_queries(1):
            found = indicators.applications_by_desk_per_territory(
                organization=org, year=2026, territories=territories
            )
    assert found == expected
    assert found[north.pk] == {"landlord": 1, "received": 2}
    assert found[south.pk] == {"landlord": 2, "received": 2}
    assert found[empty.pk] == {"landlord": 0, "received": 0}


def test_a_prospection_counts_in_the_territory_of_its_dwellings_residence(
    org: Any, member_of: Any, in_org: Any
) -> None:
    """The residence is recorded when the contact is logged; the figures by territory read it
    (no dwelling joined)."""
    from operations import services

    north = TerritoryFactory(organization=org)
    south = TerritoryFactory(organization=org)
    dwelling = DwellingFactory(organization=org, residence__territory=north)
    application = HousingApplicationFactory(organization=org)
    with in_org(org):
        prospection = services.prospection_log(
            organization=org,
            application=application,
            dwelling=dwelling,
            outcome="interested",
            user=member_of(org, "commission_secretary"),
            contacted_on=D(2026, 3, 1),
        )
        assert prospection.residence_id == dwelling.residence_id
    ProspectionFactory(organization=org, dwelling__residence__territory=south)
    with in_org(org):
        assert indicators.prospections_per_territory(organization=org, year=2026) == {
            north.pk: 1,
            south.pk: 1,
        }
        assert indicators.prospections(organization=org, year=2026, territory=north) == 1
