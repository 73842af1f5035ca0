"""The per-record history page (audit trail) and the scoped document download."""

from __future__ import annotations

from typing import Any

import pytest

from core.services import document_store
from tests.core.factories import ParameterValueFactory, StoredDocumentFactory
from tests.organizations.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def _history_url(obj: Any) -> str:
    return f"/historique/{obj._meta.label}/{obj.public_id}/"


def test_a_manager_sees_who_changed_what_on_a_record(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    from organizations.models import Territory

    admin = member_of(org, "org_admin")
    territory = TerritoryFactory(organization=org, name="Avant")
    with in_org(org, user=admin):
        Territory.objects.filter(pk=territory.pk).update(name="Après")
    response = client_for(member_of(org, "manager"), org).get(_history_url(territory))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Création" in body and "Modification" in body
    assert "Avant → Après" in body
    assert str(admin) in body


def test_the_history_hides_confidential_columns(client_for: Any, org: Any, member_of: Any) -> None:
    version = ParameterValueFactory(organization=org, note="Motif très confidentiel")
    response = client_for(member_of(org, "org_admin"), org).get(_history_url(version))
    assert response.status_code == 200
    body = response.content.decode()
    assert "«masqué»" in body
    assert "Motif très confidentiel" not in body


@pytest.mark.parametrize("role", ["social_worker", "read_only", "commission_member"])
def test_roles_without_the_right_cannot_see_the_history(
    client_for: Any, org: Any, member_of: Any, role: str
) -> None:
    territory = TerritoryFactory(organization=org)
    assert client_for(member_of(org, role), org).get(_history_url(territory)).status_code == 403


def test_another_organizations_history_is_not_found(
    client_for: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    theirs = TerritoryFactory(organization=other_org)
    response = client_for(member_of(org, "manager"), org).get(_history_url(theirs))
    assert response.status_code == 404


@pytest.mark.parametrize("label", ["organizations.Organization", "nope.Nope", "x"])
def test_the_history_of_a_model_that_is_not_organisation_data_is_not_found(
    client_for: Any, org: Any, member_of: Any, label: str
) -> None:
    url = f"/historique/{label}/{org.public_id}/"
    assert client_for(member_of(org, "manager"), org).get(url).status_code == 404


def test_a_stored_document_is_served_to_a_role_allowed_to_read_it(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    with in_org(org):
        document = document_store(
            organization=org,
            kind="test",
            title="Compte rendu",
            content=b"%PDF-1.4 contenu",
            access_action="organizations.view_members",
        )
    response = client_for(member_of(org, "manager"), org).get(f"/documents/{document.public_id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Compte rendu.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 contenu"


@pytest.mark.parametrize("role", ["social_worker", "read_only"])
def test_a_role_without_the_documents_access_action_gets_a_403(
    client_for: Any, org: Any, member_of: Any, role: str
) -> None:
    document = StoredDocumentFactory(organization=org, access_action="organizations.view_members")
    response = client_for(member_of(org, role), org).get(f"/documents/{document.public_id}/")
    assert response.status_code == 403


def test_another_organizations_document_is_not_found(
    client_for: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    document = StoredDocumentFactory(organization=other_org)
    response = client_for(member_of(org, "org_admin"), org).get(f"/documents/{document.public_id}/")
    assert response.status_code == 404
