"""Organisation admins manage their people: invite, change role and territories, deactivate."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from organizations.enums import Role
from organizations.models import Membership, User
from tests.organizations.factories import (
    MembershipFactory,
    MembershipTerritoryFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ma phrase de passe toute neuve"


def _membership(in_org: Any, org: Any, user: Any) -> Membership:
    with in_org(org):
        return Membership.objects.select_related("user").get(user=user)


def test_the_member_list_shows_the_organizations_people_only(
    client_for: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    admin = member_of(org, "org_admin")
    stranger = member_of(other_org, "social_worker")
    response = client_for(admin, org).get("/organisation/membres/")
    assert response.status_code == 200
    body = response.content.decode()
    assert admin.email in body
    assert stranger.email not in body


def test_the_member_list_has_a_query_budget_that_does_not_grow_with_rows(
    client_for: Any, org: Any, member_of: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(member_of(org, "org_admin"), org)
    client.get("/organisation/membres/")  # warm-up: the first request writes the session
    counts = []
    for _ in range(2):
        for _ in range(3):
            MembershipTerritoryFactory(
                organization=org, membership=MembershipFactory(organization=org)
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/organisation/membres/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 16


@pytest.mark.parametrize("role", ["social_worker", "read_only", "commission_member"])
def test_roles_without_the_right_cannot_see_the_member_list(
    client_for: Any, org: Any, member_of: Any, role: str
) -> None:
    assert client_for(member_of(org, role), org).get("/organisation/membres/").status_code == 403


def test_an_invited_person_sets_a_password_from_the_emailed_link_and_logs_in(
    client_for: Any,
    org: Any,
    member_of: Any,
    in_org: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    admin = member_of(org, "org_admin")
    territory = TerritoryFactory(organization=org, name="Lorraine")
    client = client_for(admin, org)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/organisation/membres/inviter/",
            {
                "email": "Nouvelle.Recrue@Exemple.fr",
                "first_name": "Nina",
                "last_name": "Recrue",
                "role": Role.SOCIAL_WORKER,
                "territories": [territory.pk],
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle.recrue@exemple.fr"]
    assert org.name in message.subject
    link = re.search(r"https?://[^/\s]+(/compte/definir/\S+/)", message.body)
    assert link, message.body
    membership = _membership(in_org, org, User.objects.get(email="nouvelle.recrue@exemple.fr"))
    assert membership.role == Role.SOCIAL_WORKER
    with in_org(org):
        assert list(membership.territories.all()) == [territory]
    assert not membership.user.has_usable_password()

    newcomer = Client()
    response = newcomer.get(link.group(1))
    assert response.status_code == 302  # Django hides the token behind a session URL
    form_url = response["Location"]
    response = newcomer.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    response = newcomer.post(
        "/connexion/", {"username": "nouvelle.recrue@exemple.fr", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    home = newcomer.get("/")
    assert home.status_code == 200
    assert org.name in home.content.decode()
    # The link works once.
    assert "plus valable" in Client().get(link.group(1), follow=True).content.decode()


def test_inviting_someone_who_already_has_an_account_adds_a_membership(
    client_for: Any,
    org: Any,
    other_org: Any,
    member_of: Any,
    in_org: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    existing = member_of(other_org, "manager")
    client = client_for(member_of(org, "org_admin"), org)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/organisation/membres/inviter/",
            {
                "email": existing.email,
                "first_name": "X",
                "last_name": "Y",
                "role": Role.READ_ONLY,
            },
        )
    assert response.status_code == 302
    assert _membership(in_org, org, existing).role == Role.READ_ONLY
    assert "/compte/definir/" not in mail.outbox[0].body
    existing.refresh_from_db()
    assert existing.has_usable_password()


def test_inviting_a_current_member_again_is_refused(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    member = member_of(org, "social_worker")
    client = client_for(member_of(org, "org_admin"), org)
    response = client.post(
        "/organisation/membres/inviter/",
        {"email": member.email, "first_name": "A", "last_name": "B", "role": Role.ORG_ADMIN},
    )
    assert response.status_code == 200
    assert "déjà membre" in response.content.decode()
    assert _membership(in_org, org, member).role == Role.SOCIAL_WORKER


def test_a_manager_cannot_invite_and_nothing_is_created(
    client_for: Any, org: Any, member_of: Any
) -> None:
    client = client_for(member_of(org, "manager"), org)
    response = client.post(
        "/organisation/membres/inviter/",
        {"email": "x@exemple.fr", "first_name": "A", "last_name": "B", "role": Role.ORG_ADMIN},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@exemple.fr").exists()
    assert mail.outbox == []


def test_an_admin_changes_a_members_role_and_territories(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    member = member_of(org, "social_worker")
    lorraine = TerritoryFactory(organization=org, name="Lorraine")
    membership = _membership(in_org, org, member)
    client = client_for(member_of(org, "org_admin"), org)
    url = f"/organisation/membres/{membership.public_id}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"role": Role.ARREARS_OFFICER, "territories": [lorraine.pk], "is_active": "on"}
    )
    assert response.status_code == 302
    membership = _membership(in_org, org, member)
    assert membership.role == Role.ARREARS_OFFICER
    assert membership.is_active
    with in_org(org):
        assert list(membership.territories.all()) == [lorraine]


def test_a_territory_of_another_organization_cannot_be_given(
    client_for: Any, org: Any, other_org: Any, member_of: Any, in_org: Any
) -> None:
    member = member_of(org, "social_worker")
    foreign = TerritoryFactory(organization=other_org)
    membership = _membership(in_org, org, member)
    client = client_for(member_of(org, "org_admin"), org)
    response = client.post(
        f"/organisation/membres/{membership.public_id}/",
        {"role": Role.MANAGER, "territories": [foreign.pk], "is_active": "on"},
    )
    assert response.status_code == 200
    assert _membership(in_org, org, member).role == Role.SOCIAL_WORKER


def test_an_admin_cannot_remove_their_own_admin_right(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    admin = member_of(org, "org_admin")
    membership = _membership(in_org, org, admin)
    client = client_for(admin, org)
    response = client.post(
        f"/organisation/membres/{membership.public_id}/", {"role": Role.MANAGER, "is_active": "on"}
    )
    assert response.status_code == 200
    assert "propres droits" in response.content.decode()
    response = client.post(f"/organisation/membres/{membership.public_id}/desactiver/")
    assert response.status_code == 302
    membership = _membership(in_org, org, admin)
    assert membership.role == Role.ORG_ADMIN
    assert membership.is_active


def test_a_deactivated_member_loses_access_to_the_organization(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    member = member_of(org, "social_worker")
    membership = _membership(in_org, org, member)
    admin_client = client_for(member_of(org, "org_admin"), org)
    response = admin_client.post(f"/organisation/membres/{membership.public_id}/desactiver/")
    assert response.status_code == 302
    assert not _membership(in_org, org, member).is_active
    member_client = Client()
    member_client.force_login(member)
    response = member_client.get("/")
    assert response.status_code == 403
    assert "Aucune organisation" in response.content.decode()


def test_deactivation_needs_a_post(client_for: Any, org: Any, member_of: Any, in_org: Any) -> None:
    member = member_of(org, "social_worker")
    membership = _membership(in_org, org, member)
    client = client_for(member_of(org, "org_admin"), org)
    assert (
        client.get(f"/organisation/membres/{membership.public_id}/desactiver/").status_code == 405
    )
    assert _membership(in_org, org, member).is_active


def test_a_manager_cannot_change_roles_and_nothing_changes(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    member = member_of(org, "social_worker")
    membership = _membership(in_org, org, member)
    client = client_for(member_of(org, "manager"), org)
    url = f"/organisation/membres/{membership.public_id}/"
    assert client.post(url, {"role": Role.ORG_ADMIN, "is_active": "on"}).status_code == 403
    assert client.post(url + "desactiver/").status_code == 403
    membership = _membership(in_org, org, member)
    assert (membership.role, membership.is_active) == (Role.SOCIAL_WORKER, True)


def test_another_organizations_member_is_not_found(
    client_for: Any, org: Any, other_org: Any, member_of: Any, in_org: Any
) -> None:
    stranger = MembershipFactory(organization=other_org)
    client = client_for(member_of(org, "org_admin"), org)
    for suffix in ("", "desactiver/"):
        url = f"/organisation/membres/{stranger.public_id}/{suffix}"
        assert client.post(url, {"role": Role.READ_ONLY}).status_code == 404
    with in_org(other_org):
        stranger.refresh_from_db()
    assert (stranger.role, stranger.is_active) == (Role.SOCIAL_WORKER, True)
