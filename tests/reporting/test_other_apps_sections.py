"""Sections read from the other apps' selectors (cases, arrears, allocations): the figures of
records made by hand reach the report's snapshot, the dashboard and the API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from reporting import build, indicators
from reporting.sections import available_sections, section

pytestmark = pytest.mark.django_db

D = datetime.date


def test_every_other_app_contributes_its_section() -> None:
    offered = {s.key for s in available_sections()}
    assert {"tenant_profile", "social_action", "arrears", "commissions", "stock"} <= offered


def test_social_action_counts_interventions_with_their_change(org: Any, in_org: Any) -> None:
    from tests.cases.factories import InterventionFactory

    for day in (D(2025, 1, 10), D(2025, 5, 2), D(2025, 12, 31)):
        InterventionFactory(organization=org, occurred_on=day)
    for day in (D(2024, 3, 1), D(2024, 6, 1)):
        InterventionFactory(organization=org, occurred_on=day)
    with in_org(org):
        data = build.section_snapshot(section("social_action"), organization=org, year=2025)
    entry = {e["key"]: e for e in data["indicators"]}["social.interventions"]
    assert (entry["value"], entry["previous"], entry["change"]) == (3, 2, "50.00")
    by_kind = {e["key"]: e for e in data["indicators"]}["social.interventions_by_kind"]
    assert {r["key"]: r["value"] for r in by_kind["value"] if r["value"]} == {"home_visit": 3}


def test_arrears_counts_write_offs_of_the_year(org: Any, in_org: Any) -> None:
    from tests.arrears.factories import DebtWriteOffFactory

    DebtWriteOffFactory(organization=org, written_off_on=D(2025, 2, 1), amount=Decimal("1000"))
    DebtWriteOffFactory(organization=org, written_off_on=D(2025, 9, 1), amount=Decimal("2500.50"))
    DebtWriteOffFactory(organization=org, written_off_on=D(2024, 9, 1))
    with in_org(org):
        families = indicators.get("arrears.write_off_families").compute(organization=org, year=2025)
        amount = indicators.get("arrears.write_off_amount").compute(organization=org, year=2025)
    assert families == 2
    assert amount == Decimal("3500.50")


def test_commissions_count_the_sessions_held(org: Any, in_org: Any) -> None:
    from allocations.enums import SessionStatus
    from tests.allocations.factories import CommissionSessionFactory

    held_at = timezone.make_aware(datetime.datetime(2025, 3, 4, 14, 0))
    CommissionSessionFactory(organization=org, status=SessionStatus.HELD, scheduled_at=held_at)
    CommissionSessionFactory(organization=org, status=SessionStatus.DRAFT, scheduled_at=held_at)
    with in_org(org):
        held = indicators.get("commissions.sessions_held").compute(organization=org, year=2025)
    assert held == 1


def test_the_dashboard_and_api_show_the_other_apps_figures(
    client_for: Any, org: Any, member_of: Any
) -> None:
    from tests.arrears.factories import DebtWriteOffFactory

    DebtWriteOffFactory(organization=org, written_off_on=D(2025, 2, 1), amount=Decimal("1234"))
    client = client_for(member_of(org, "manager"), org)
    page = client.get("/rapports/indicateurs/?year=2025").content.decode()
    assert "Impayés et prévention des expulsions" in page
    assert "1\xa0234\xa0€" in page
    body = client.get("/api/v1/indicators/?year=2025").json()
    values = {i["key"]: i["value"] for i in body["indicators"]}
    assert values["arrears.write_off_amount"] == "1234.00"
    assert values["arrears.write_off_families"] == 1
