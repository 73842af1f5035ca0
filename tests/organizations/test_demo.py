"""The demo data: two landlords, a user of each role in each, one user in both; loading it
twice changes nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from core.models import DemoLoad
from organizations import demo
from organizations.enums import Role
from organizations.models import Membership, Organization, Territory, User

pytestmark = pytest.mark.django_db


def _snapshot(in_org: Any) -> dict[str, Any]:
    state: dict[str, Any] = {"users": sorted(User.objects.values_list("email", flat=True))}
    for org in Organization.objects.order_by("slug"):
        with in_org(org):
            state[org.slug] = (
                sorted(Territory.objects.values_list("name", flat=True)),
                sorted(Membership.objects.values_list("user__email", "role")),
            )
    return state


def test_the_organizations_demo_is_idempotent(in_org: Any) -> None:
    demo.load(StringIO())
    first = _snapshot(in_org)
    demo.load(StringIO())
    assert _snapshot(in_org) == first
    assert sorted(first) == ["habitat-est", "rhone-logis", "users"]
    territories, memberships = first["habitat-est"]
    assert territories == ["Alsace", "Lorraine"]
    assert {role for _, role in memberships} == set(Role.values)
    assert ("direction@parcours.demo", Role.MANAGER) in memberships
    assert ("direction@parcours.demo", Role.MANAGER) in first["rhone-logis"][1]


def test_demo_data_twice_changes_nothing_and_prints_the_logins(in_org: Any) -> None:
    out = StringIO()
    call_command("demo_data", stdout=out)
    first, loaded = _snapshot(in_org), set(DemoLoad.objects.values_list("name", flat=True))
    assert "organizations" in loaded
    again = StringIO()
    call_command("demo_data", stdout=again)
    assert _snapshot(in_org) == first
    assert set(DemoLoad.objects.values_list("name", flat=True)) == loaded
    assert "chargé" not in again.getvalue()
    assert "direction@parcours.demo" in again.getvalue()
    assert demo.DEMO_PASSWORD in again.getvalue()
