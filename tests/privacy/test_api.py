"""The privacy API: allowed role, refused role, organisation isolation, partner grants."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from core.context import organization_context
from core.models import AccessEvent
from privacy import partners
from tests.housing.factories import HouseholdFactory
from tests.organizations.factories import OrganizationFactory
from tests.privacy.factories import RetentionRunFactory

pytestmark = pytest.mark.django_db


def _get(client: Any, user: Any, org: Any, url: str, **params: Any) -> Any:
    token, _ = Token.objects.get_or_create(user=user)
    return client.get(
        url, params, HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_X_ORGANIZATION=org.slug
    )


def test_access_events_by_household_for_a_manager(
    client: Any, org: Any, other_org: Any, member_of: Any, django_assert_max_num_queries: Any
) -> None:
    manager = member_of(org, "manager")
    reader = member_of(org, "social_worker")
    household = HouseholdFactory(organization=org)
    with organization_context(org):
        for _ in range(3):
            AccessEvent.objects.create(
                organization=org,
                user=reader,
                object_type="housing.Household",
                object_id=household.public_id,
                household_id=household.public_id,
            )
    with django_assert_max_num_queries(16):
        response = _get(
            client, manager, org, "/api/v1/privacy/access-events/", household=household.public_id
        )
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert response.json()["results"][0]["user"] == reader.email


def test_access_events_refused_to_a_social_worker(client: Any, org: Any, member_of: Any) -> None:
    worker = member_of(org, "social_worker")
    assert _get(client, worker, org, "/api/v1/privacy/access-events/").status_code == 403


def test_retention_runs_are_the_organisations_own(
    client: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    manager = member_of(org, "manager")
    RetentionRunFactory(organization=org)
    theirs = RetentionRunFactory(organization=other_org)
    response = _get(client, manager, org, "/api/v1/privacy/retention-runs/")
    assert response.status_code == 200 and response.json()["count"] == 1
    url = f"/api/v1/privacy/retention-runs/{theirs.public_id}/"
    assert _get(client, manager, org, url).status_code == 404


def test_a_partner_lists_exactly_its_granted_households(
    client: Any, org: Any, member_of: Any
) -> None:
    partner = OrganizationFactory(slug="partenaire-api")
    admin = member_of(org, "org_admin")
    granted = HouseholdFactory(organization=org, name="Ménage Confié")
    HouseholdFactory(organization=org, name="Ménage Gardé")
    with organization_context(org, user=admin):
        grant = partners.partner_grant_create(
            organization=org,
            partner_organization=partner,
            scope="households",
            households=[granted],
            permissions=["read_file"],
            valid_from=datetime.date(2025, 1, 1),
            mandate_reference="API-1",
            acting_user=admin,
        )
    worker = member_of(partner, "social_worker")
    response = _get(client, worker, partner, "/api/v1/privacy/granted-households/")
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": str(granted.public_id),
            "name": "Ménage Confié",
            "landlord": org.name,
            "commune_name": "",
        }
    ]
    with organization_context(org, user=admin):
        partners.partner_grant_revoke(grant=grant, acting_user=admin)
    response = _get(client, worker, partner, "/api/v1/privacy/granted-households/")
    assert response.json()["results"] == []
