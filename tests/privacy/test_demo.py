"""The partner-under-mandate demo: an association reads the tenants of one residence of the
first landlord and has logged a visit in the landlord's file; loading it twice changes nothing."""

from __future__ import annotations

import io

import pytest

from cases.models import Intervention
from core.context import organization_context
from housing.selectors import household_list
from organizations.models import Organization
from privacy import demo, partners

pytestmark = pytest.mark.django_db


def test_the_partner_demo_grants_a_residence_and_logs_a_visit() -> None:
    from housing import demo as housing_demo
    from organizations import demo as organizations_demo

    organizations_demo.load(io.StringIO())
    housing_demo.load(io.StringIO())
    out = io.StringIO()
    demo.load(out)
    demo.load(io.StringIO())
    landlord = Organization.objects.get(slug="habitat-est")
    partner = Organization.objects.get(slug="habiter-ensemble")
    with organization_context(landlord):
        [grant] = partners.grants_given(organization=landlord)
        covered = set(grant.households.values_list("household_id", flat=True))
        [visit] = Intervention.objects.filter(mandate=grant)
    assert covered and visit.household_id in covered
    with organization_context(partner):
        assert set(partners.granted_households().values_list("pk", flat=True)) == covered
        assert {h.pk for h in household_list(organization=partner)} == covered
    assert demo.MANDATE in out.getvalue()
    logins = io.StringIO()
    demo.print_logins(logins)
    assert "asso.social-worker@parcours.demo" in logins.getvalue()
