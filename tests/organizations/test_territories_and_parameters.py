"""Territories and versioned settings pages (organisation admins and managers)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from core.models import ParameterValue
from core.parameters import get_parameter
from organizations.models import Territory
from tests.organizations.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

RETENTION = "core.access_log_retention_months"


def _territories(in_org: Any, org: Any) -> list[tuple[str, list[str]]]:
    with in_org(org):
        return [(t.name, t.communes) for t in Territory.objects.order_by("name")]


@pytest.mark.parametrize("role", ["org_admin", "social_worker", "read_only"])
def test_every_role_sees_the_territories(
    client_for: Any, org: Any, member_of: Any, role: str
) -> None:
    TerritoryFactory(organization=org, name="Lorraine", communes=["57463"])
    response = client_for(member_of(org, role), org).get("/organisation/territoires/")
    assert response.status_code == 200
    assert "Lorraine" in response.content.decode()
    assert ("Nouveau territoire" in response.content.decode()) == (role == "org_admin")


def test_the_territory_list_has_a_query_budget(
    client_for: Any, org: Any, member_of: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(10):
        TerritoryFactory(organization=org)
    client = client_for(member_of(org, "org_admin"), org)
    client.get("/organisation/territoires/")
    with django_assert_max_num_queries(12):
        client.get("/organisation/territoires/")


def test_an_admin_creates_and_renames_a_territory(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    client = client_for(member_of(org, "org_admin"), org)
    response = client.post(
        "/organisation/territoires/nouveau/", {"name": "Alsace", "communes": "67482; 68224\n2A004"}
    )
    assert response.status_code == 302
    assert _territories(in_org, org) == [("Alsace", ["67482", "68224", "2A004"])]
    with in_org(org):
        territory = Territory.objects.get()
    response = client.post(
        f"/organisation/territoires/{territory.public_id}/",
        {"name": "Bas-Rhin", "communes": "67482"},
    )
    assert response.status_code == 302
    assert _territories(in_org, org) == [("Bas-Rhin", ["67482"])]


def test_bad_insee_codes_and_duplicate_names_are_refused_in_french(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    TerritoryFactory(organization=org, name="Alsace", communes=["67482"])
    client = client_for(member_of(org, "org_admin"), org)
    response = client.post(
        "/organisation/territoires/nouveau/", {"name": "Vosges", "communes": "8816"}
    )
    assert "Codes INSEE invalides" in response.content.decode()
    response = client.post("/organisation/territoires/nouveau/", {"name": "alsace", "communes": ""})
    assert "Un territoire porte déjà ce nom" in response.content.decode()
    assert _territories(in_org, org) == [("Alsace", ["67482"])]


@pytest.mark.parametrize("role", ["manager", "social_worker"])
def test_other_roles_cannot_create_territories_and_nothing_changes(
    client_for: Any, org: Any, member_of: Any, in_org: Any, role: str
) -> None:
    territory = TerritoryFactory(organization=org, name="Alsace", communes=["67482"])
    client = client_for(member_of(org, role), org)
    assert client.post("/organisation/territoires/nouveau/", {"name": "X"}).status_code == 403
    response = client.post(f"/organisation/territoires/{territory.public_id}/", {"name": "Y"})
    assert response.status_code == 403
    assert _territories(in_org, org) == [("Alsace", ["67482"])]


def test_another_organizations_territory_is_not_found(
    client_for: Any, org: Any, other_org: Any, member_of: Any, in_org: Any
) -> None:
    theirs = TerritoryFactory(organization=other_org, name="Rhône")
    client = client_for(member_of(org, "org_admin"), org)
    url = f"/organisation/territoires/{theirs.public_id}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Piraté"}).status_code == 404
    assert _territories(in_org, other_org)[0][0] == "Rhône"


@pytest.mark.parametrize("role", ["org_admin", "manager"])
def test_admins_and_managers_see_the_parameters(
    client_for: Any, org: Any, member_of: Any, role: str
) -> None:
    response = client_for(member_of(org, role), org).get("/organisation/parametres/")
    assert response.status_code == 200
    assert "Durée de conservation des journaux" in response.content.decode()


@pytest.mark.parametrize("role", ["social_worker", "read_only", "arrears_officer"])
def test_other_roles_cannot_see_or_change_the_parameters(
    client_for: Any, org: Any, member_of: Any, in_org: Any, role: str
) -> None:
    client = client_for(member_of(org, role), org)
    assert client.get("/organisation/parametres/").status_code == 403
    response = client.post(
        f"/organisation/parametres/{RETENTION}/", {"value": "6", "valid_from": "2026-01-01"}
    )
    assert response.status_code == 403
    with in_org(org):
        assert not ParameterValue.objects.exists()


def test_a_new_version_applies_from_its_date_and_the_old_rule_stays(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    client = client_for(member_of(org, "manager"), org)
    url = f"/organisation/parametres/{RETENTION}/"
    assert client.get(url).status_code == 200
    for value, valid_from in [("9", "2025-01-01"), ("6", "2026-03-01")]:
        response = client.post(
            url, {"value": value, "valid_from": valid_from, "legal_reference": "Délibération CA"}
        )
        assert response.status_code == 302
    with in_org(org):
        assert get_parameter(RETENTION, organization=org, on=datetime.date(2024, 6, 1)) == 12
        assert get_parameter(RETENTION, organization=org, on=datetime.date(2025, 6, 1)) == 9
        assert get_parameter(RETENTION, organization=org, on=datetime.date(2026, 6, 1)) == 6
        assert ParameterValue.objects.count() == 2
    assert "01/03/2026" in client.get(url).content.decode()


def test_a_bad_parameter_value_is_refused_in_french(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    client = client_for(member_of(org, "org_admin"), org)
    url = f"/organisation/parametres/{RETENTION}/"
    response = client.post(url, {"value": "douze", "valid_from": "2026-01-01"})
    assert response.status_code == 200
    assert "Valeur invalide" in response.content.decode()
    response = client.post(url, {"value": "-3", "valid_from": "2026-01-01"})
    assert "ne peut pas être négative" in response.content.decode()
    with in_org(org):
        assert not ParameterValue.objects.exists()


def test_an_unknown_parameter_is_not_found(client_for: Any, org: Any, member_of: Any) -> None:
    client = client_for(member_of(org, "org_admin"), org)
    assert client.get("/organisation/parametres/inconnu.cle/").status_code == 404


def test_another_organizations_versions_do_not_apply(org: Any, other_org: Any, in_org: Any) -> None:
    from tests.core.factories import ParameterValueFactory

    ParameterValueFactory(organization=other_org, key=RETENTION, value="6")
    with in_org(org):
        assert get_parameter(RETENTION, organization=org) == 12
