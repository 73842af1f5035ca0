"""/api/v1/: token, me, territories, users (organisation admins). French 400s, never a 500."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token

from organizations.enums import Role
from organizations.models import Membership, Territory, User
from tests.organizations.factories import PASSWORD, MembershipFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(client: Any) -> Any:
    """api_for(user) -> a function calling the API with the user's token."""

    def make(user: Any, organization: Any = None) -> Any:
        token, _ = Token.objects.get_or_create(user=user)
        headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
        if organization is not None:
            headers["HTTP_X_ORGANIZATION"] = organization.slug

        def call(method: str, url: str, data: Any = None) -> Any:
            return getattr(client, method)(
                url, data=data, content_type="application/json", **headers
            )

        return call

    return make


# --- /api/v1/auth/token/ -------------------------------------------------------------------------


def test_a_token_is_issued_for_the_right_email_and_password(
    client: Any, org: Any, member_of: Any
) -> None:
    user = member_of(org)
    response = client.post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=user).key
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert me.json()["email"] == user.email


def test_a_wrong_password_gets_no_token_and_a_french_message(
    client: Any, org: Any, member_of: Any
) -> None:
    user = member_of(org)
    response = client.post("/api/v1/auth/token/", {"email": user.email, "password": "non"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Adresse e-mail ou mot de passe incorrect."]}
    assert not Token.objects.filter(user=user).exists()


def test_a_token_request_without_fields_names_each_missing_field(client: Any, db: Any) -> None:
    response = client.post("/api/v1/auth/token/", {"email": "pas-une-adresse"})
    assert response.status_code == 400
    errors = response.json()
    assert errors["password"] == ["Ce champ est obligatoire."]
    assert "adresse e-mail valide" in errors["email"][0]


# --- /api/v1/me/ ----------------------------------------------------------------------------------


def test_me_describes_the_user_the_organization_and_the_allowed_actions(
    api_for: Any, org: Any, member_of: Any
) -> None:
    user = member_of(org, "org_admin")
    data = api_for(user)("get", "/api/v1/me/").json()
    assert data["email"] == user.email
    assert (data["organization"], data["role"]) == (org.slug, "org_admin")
    assert data["memberships"] == [
        {"organization": org.slug, "organization_name": org.name, "role": "org_admin"}
    ]
    assert "organizations.manage_members" in data["allowed_actions"]
    reader = api_for(member_of(org, "read_only"))("get", "/api/v1/me/").json()
    assert "organizations.manage_members" not in reader["allowed_actions"]


def test_me_works_for_a_user_without_organization(api_for: Any, db: Any) -> None:
    from tests.organizations.factories import UserFactory

    data = api_for(UserFactory())("get", "/api/v1/me/").json()
    assert (data["organization"], data["role"], data["memberships"]) == (None, None, [])


# --- /api/v1/territories/ -------------------------------------------------------------------------


def test_territories_are_listed_for_every_role_within_a_query_budget(
    api_for: Any, org: Any, other_org: Any, member_of: Any, django_assert_max_num_queries: Any
) -> None:
    for name in ("Alsace", "Lorraine"):
        TerritoryFactory(organization=org, name=name)
    TerritoryFactory(organization=other_org, name="Rhône")
    call = api_for(member_of(org, "read_only"))
    with django_assert_max_num_queries(12):
        response = call("get", "/api/v1/territories/")
    assert response.status_code == 200
    assert [t["name"] for t in response.json()["results"]] == ["Alsace", "Lorraine"]


def test_an_admin_creates_and_updates_a_territory(
    api_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    call = api_for(member_of(org, "org_admin"))
    response = call("post", "/api/v1/territories/", {"name": "Alsace", "communes": ["67482"]})
    assert response.status_code == 201
    public_id = response.json()["id"]
    response = call("patch", f"/api/v1/territories/{public_id}/", {"communes": ["67482", "68224"]})
    assert response.status_code == 200
    with in_org(org):
        territory = Territory.objects.get(public_id=public_id)
    assert (territory.name, territory.communes) == ("Alsace", ["67482", "68224"])


def test_a_bad_territory_is_a_french_400_naming_the_field(
    api_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    TerritoryFactory(organization=org, name="Alsace")
    call = api_for(member_of(org, "org_admin"))
    response = call("post", "/api/v1/territories/", {"name": "Vosges", "communes": ["881"]})
    assert response.status_code == 400
    assert "Codes INSEE invalides" in response.json()["communes"][0]
    response = call("post", "/api/v1/territories/", {"name": "alsace"})
    assert response.status_code == 400
    assert response.json() == {"name": ["Un territoire porte déjà ce nom."]}
    response = call("post", "/api/v1/territories/", {})
    assert response.json() == {"name": ["Ce champ est obligatoire."]}
    with in_org(org):
        assert Territory.objects.count() == 1


def test_a_social_worker_cannot_write_territories_and_nothing_changes(
    api_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    territory = TerritoryFactory(organization=org, name="Alsace")
    call = api_for(member_of(org, "social_worker"))
    assert call("post", "/api/v1/territories/", {"name": "X"}).status_code == 403
    response = call("patch", f"/api/v1/territories/{territory.public_id}/", {"name": "Y"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Votre rôle ne permet pas cette action."
    with in_org(org):
        assert list(Territory.objects.values_list("name", flat=True)) == ["Alsace"]


# --- /api/v1/users/ -------------------------------------------------------------------------------


def test_an_admin_lists_the_organizations_users(
    api_for: Any, org: Any, other_org: Any, member_of: Any, django_assert_max_num_queries: Any
) -> None:
    admin = member_of(org, "org_admin")
    for _ in range(5):
        member_of(org, "social_worker")
    member_of(other_org, "social_worker")
    call = api_for(admin)
    with django_assert_max_num_queries(14):
        response = call("get", "/api/v1/users/")
    assert response.status_code == 200
    assert response.json()["count"] == 6
    first = response.json()["results"][0]
    assert set(first) == {
        "id",
        "email",
        "first_name",
        "last_name",
        "role",
        "territories",
        "is_active",
    }


@pytest.mark.parametrize("role", ["manager", "social_worker", "read_only"])
def test_only_admins_may_use_the_users_endpoint(
    api_for: Any, org: Any, member_of: Any, role: str
) -> None:
    call = api_for(member_of(org, role))
    assert call("get", "/api/v1/users/").status_code == 403
    response = call(
        "post",
        "/api/v1/users/",
        {"email": "x@exemple.fr", "first_name": "X", "last_name": "Y", "role": "org_admin"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@exemple.fr").exists()


def test_an_admin_invites_a_user_by_post(
    api_for: Any, org: Any, member_of: Any, in_org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    territory = TerritoryFactory(organization=org)
    call = api_for(member_of(org, "org_admin"))
    with django_capture_on_commit_callbacks(execute=True):
        response = call(
            "post",
            "/api/v1/users/",
            {
                "email": "recrue@exemple.fr",
                "first_name": "Nina",
                "last_name": "Recrue",
                "role": "arrears_officer",
                "territories": [str(territory.public_id)],
            },
        )
    assert response.status_code == 201, response.json()
    assert response.json()["role"] == "arrears_officer"
    assert response.json()["territories"] == [str(territory.public_id)]
    assert "/compte/definir/" in mail.outbox[0].body
    with in_org(org):
        assert Membership.objects.get(user__email="recrue@exemple.fr").role == Role.ARREARS_OFFICER


def test_an_admin_changes_a_role_by_patch(
    api_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    membership = MembershipFactory(organization=org, role=Role.SOCIAL_WORKER)
    call = api_for(member_of(org, "org_admin"))
    response = call("patch", f"/api/v1/users/{membership.public_id}/", {"role": "manager"})
    assert response.status_code == 200
    with in_org(org):
        membership.refresh_from_db()
    assert membership.role == Role.MANAGER


@pytest.mark.parametrize(
    ("payload", "field", "reason"),
    [
        ({"role": "chef"}, "role", "n'est pas un choix valide"),
        ({"territories": [str(uuid.UUID(int=1))]}, "territories", "n'existe pas"),
        ({"territories": ["pas-un-uuid"]}, "territories", ""),
        ({"territories": "Lorraine"}, "territories", ""),
        ({"is_active": "peut-être"}, "is_active", "booléen"),
    ],
)
def test_bad_member_updates_are_french_400s_naming_the_field(
    api_for: Any, org: Any, member_of: Any, in_org: Any, payload: dict, field: str, reason: str
) -> None:
    membership = MembershipFactory(organization=org, role=Role.SOCIAL_WORKER)
    call = api_for(member_of(org, "org_admin"))
    response = call("patch", f"/api/v1/users/{membership.public_id}/", payload)
    assert response.status_code == 400
    assert field in response.json()
    assert reason in " ".join(map(str, response.json()[field]))
    with in_org(org):
        membership.refresh_from_db()
    assert membership.role == Role.SOCIAL_WORKER


def test_an_admin_cannot_remove_their_own_admin_right_through_the_api(
    api_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    admin = member_of(org, "org_admin")
    with in_org(org):
        membership = Membership.objects.get(user=admin)
    response = api_for(admin)(
        "patch", f"/api/v1/users/{membership.public_id}/", {"role": "manager"}
    )
    assert response.status_code == 400
    assert "propres droits" in response.json()["role"][0]


def test_a_territory_of_another_organization_is_unknown_to_the_users_endpoint(
    api_for: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    foreign = TerritoryFactory(organization=other_org)
    response = api_for(member_of(org, "org_admin"))(
        "post",
        "/api/v1/users/",
        {
            "email": "a@exemple.fr",
            "first_name": "A",
            "last_name": "B",
            "role": "manager",
            "territories": [str(foreign.public_id)],
        },
    )
    assert response.status_code == 400
    assert "territories" in response.json()
    assert not User.objects.filter(email="a@exemple.fr").exists()


def test_inviting_a_current_member_is_a_400(api_for: Any, org: Any, member_of: Any) -> None:
    member = member_of(org, "social_worker")
    response = api_for(member_of(org, "org_admin"))(
        "post",
        "/api/v1/users/",
        {"email": member.email, "first_name": "A", "last_name": "B", "role": "manager"},
    )
    assert response.status_code == 400
    assert "déjà membre" in response.json()["email"][0]


def test_malformed_json_is_a_french_400(api_for: Any, org: Any, member_of: Any) -> None:
    call = api_for(member_of(org, "org_admin"))
    response = call("post", "/api/v1/territories/", "{pas du json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
