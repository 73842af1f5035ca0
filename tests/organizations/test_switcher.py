"""Users with several memberships choose their organisation: in the session (pages) and with the
X-Organization header (API)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from tests.organizations.factories import MembershipFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hats(org: Any, other_org: Any, member_of: Any) -> Any:
    """A manager in `org` who is also a social worker in `other_org`."""
    user = member_of(org, "manager")
    MembershipFactory(organization=other_org, user=user, role="social_worker")
    return user


def test_the_switcher_lists_the_users_organizations(
    client: Any, org: Any, other_org: Any, two_hats: Any
) -> None:
    client.force_login(two_hats)
    body = client.get("/").content.decode()
    assert 'id="org-switcher-select"' in body
    assert org.name in body and other_org.name in body
    assert '<button type="submit"' in body  # works without JavaScript


def test_switching_organization_changes_the_current_one_and_the_role(
    client: Any, org: Any, other_org: Any, two_hats: Any
) -> None:
    client.force_login(two_hats)
    client.post("/organisation/choisir/", {"organization": org.slug})
    assert f"{org.name} · Responsable" in client.get("/").content.decode()
    response = client.post(
        "/organisation/choisir/",
        {"organization": other_org.slug, "next": "/organisation/territoires/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/organisation/territoires/"
    assert client.session["organization_id"] == other_org.pk
    home = client.get("/").content.decode()
    assert f"{other_org.name} · Conseiller(ère) social(e)" in home
    # The social worker of other_org may not see the team.
    assert client.get("/organisation/membres/").status_code == 403


def test_the_switcher_refuses_an_organization_the_user_does_not_belong_to(
    client: Any, org: Any, two_hats: Any
) -> None:
    from tests.organizations.factories import OrganizationFactory

    foreign = OrganizationFactory()
    client.force_login(two_hats)
    client.post("/organisation/choisir/", {"organization": org.slug})
    response = client.post("/organisation/choisir/", {"organization": foreign.slug})
    assert response.status_code == 200
    assert "pas membre" in response.content.decode()
    assert client.session["organization_id"] == org.pk


def test_the_switcher_never_redirects_to_another_site(
    client: Any, other_org: Any, two_hats: Any
) -> None:
    client.force_login(two_hats)
    response = client.post(
        "/organisation/choisir/", {"organization": other_org.slug, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_user_without_active_membership_sees_no_organization_data(
    client: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    from organizations.models import Membership

    user = member_of(org, "manager")
    with in_org(org):
        Membership.objects.filter(user=user).update(is_active=False)
    client.force_login(user)
    assert client.get("/").status_code == 403
    response = client.get("/organisation/territoires/")
    assert response.status_code == 302
    assert response["Location"] == "/organisation/choisir/"


def _api(client: Any, user: Any, **headers: Any) -> Any:
    token, _ = Token.objects.get_or_create(user=user)
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}", **headers)


def test_the_api_header_selects_an_organization_the_user_belongs_to(
    client: Any, org: Any, other_org: Any, two_hats: Any
) -> None:
    TerritoryFactory(organization=org, name="Lorraine")
    TerritoryFactory(organization=other_org, name="Rhône")
    response = _api(client, two_hats, HTTP_X_ORGANIZATION=other_org.slug)
    assert response.status_code == 200
    assert (response.json()["organization"], response.json()["role"]) == (
        other_org.slug,
        "social_worker",
    )
    token = Token.objects.get(user=two_hats)
    territories = client.get(
        "/api/v1/territories/",
        HTTP_AUTHORIZATION=f"Token {token.key}",
        HTTP_X_ORGANIZATION=other_org.slug,
    ).json()
    assert [t["name"] for t in territories["results"]] == ["Rhône"]


def test_the_api_header_of_an_organization_the_user_is_not_in_is_a_403(
    client: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    user = member_of(org, "manager")
    response = _api(client, user, HTTP_X_ORGANIZATION=other_org.slug)
    assert response.status_code == 403
    assert "membre" in response.json()["detail"]
    token = Token.objects.get(user=user)
    response = client.get(
        "/api/v1/territories/",
        HTTP_AUTHORIZATION=f"Token {token.key}",
        HTTP_X_ORGANIZATION=other_org.slug,
    )
    assert response.status_code == 403


def test_without_header_a_single_membership_is_the_current_organization(
    client: Any, org: Any, member_of: Any
) -> None:
    response = _api(client, member_of(org, "read_only"))
    assert response.status_code == 200
    assert (response.json()["organization"], response.json()["role"]) == (org.slug, "read_only")
