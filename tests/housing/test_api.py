"""The housing API: roles, organisations, writes through services, filters, query budgets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token

from housing.models import Dwelling, Household, Lease, Partner
from tests.housing.factories import (
    DwellingFactory,
    HouseholdFactory,
    IncomeFactory,
    LeaseFactory,
    PartnerFactory,
    PersonFactory,
    ResidenceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, org, member_of):
    def make(role: str = "social_worker"):
        user = member_of(org, role)
        token, _ = Token.objects.get_or_create(user=user)
        client.defaults.update(
            HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_X_ORGANIZATION=org.slug
        )
        return client

    return make


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/api/v1/residences/", "commission_member"),
        ("/api/v1/dwellings/", "read_only"),
        ("/api/v1/partners/", "arrears_officer"),
        ("/api/v1/households/", "social_worker"),
        ("/api/v1/leases/", "manager"),
    ],
)
def test_lists_for_allowed_roles_with_constant_queries(
    api, org, url, role, django_assert_max_num_queries
) -> None:
    client = api(role)
    for _ in range(2):
        person = PersonFactory(organization=org)
        IncomeFactory(organization=org, person=person)
        LeaseFactory(organization=org, household=person.household)
        PartnerFactory(organization=org)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        person = PersonFactory(organization=org)
        IncomeFactory(organization=org, person=person)
        LeaseFactory(organization=org, household=person.household)
        PartnerFactory(organization=org)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) >= 7


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/api/v1/households/", "commission_member"),
        ("/api/v1/leases/", "commission_member"),
        ("/api/v1/partners/", "commission_member"),
    ],
)
def test_roles_without_the_right_get_403(api, url, role) -> None:
    assert api(role).get(url).status_code == 403


def test_household_has_nested_members_and_indicators(api, org, tenant) -> None:
    data = api().get(f"/api/v1/households/{tenant.public_id}/").json()
    assert {m["first_name"] for m in data["members"]} == {"Hélène", "Karim", "Inès"}
    assert data["resources"] == "1550.00"
    # (420 + 110 − 180) = 350 ; 350 ÷ 1 550 × 100 = 22,58… → 22,6 %
    assert data["effort_rate"] == "22.6"
    assert data["effort_level"] == "ok"
    # UC: 1 + 0,5 + 0,3 = 1,8 ; (1 550 − 350) ÷ 1,8 ÷ 30 = 22,222… → 22,22 per day
    assert data["residual_income"] == "22.22"
    assert data["occupancy"] == "normal"
    assert "disability_detail" not in data["members"][0]


def test_household_list_loads_only_what_it_shows(api, org, tenant) -> None:
    """The list reads members, incomes and the current lease with its dwelling: not the
    lease history with residences and partners, nor the search text (up to 10,000
    characters a household)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        data = api().get("/api/v1/households/").json()
    assert data["results"][0]["current_dwelling"] is not None
    sql = [q["sql"] for q in queries.captured_queries]
    (households,) = [q for q in sql if q.startswith('SELECT "housing_household"."id"')]
    (leases,) = [q for q in sql if 'FROM "housing_lease"' in q]
    assert "search_text" not in households
    assert '"end_date" IS NULL' in leases and "housing_residence" not in leases


def test_household_search_filter(api, org, tenant) -> None:
    HouseholdFactory(organization=org, name="Ménage Martin")
    data = api().get("/api/v1/households/", {"q": "lefevre"}).json()
    assert [h["name"] for h in data["results"]] == ["Ménage Lefèvre"]


def test_household_typo_search_pages_by_closeness(api, org, in_org, tenant) -> None:
    """The households API is paged by cursor; a typo search keeps its closest-first order
    through the pages (the rank is part of the cursor)."""
    from housing.services import household_reindex

    farther = HouseholdFactory(organization=org, name="Ménage Lefebvres")
    with in_org(org):
        household_reindex(farther)
    client = api()
    # "lefevres" is in neither text: word similarity 0.78 to "lefevre", 0.58 to "lefebvres"
    # (by name, Lefebvres would come first).
    first = client.get("/api/v1/households/", {"q": "Lefevres", "page_size": 1}).json()
    second = client.get(first["next"]).json()
    assert "count" not in first
    assert [first["results"][0]["name"], second["results"][0]["name"]] == [
        "Ménage Lefèvre",
        "Ménage Lefebvres",
    ]
    assert second["next"] is None


def test_create_household_through_the_service(api, org, in_org) -> None:
    response = api().post(
        "/api/v1/households/",
        {"name": "Ménage Roux", "housing_benefit": "120.50"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    with in_org(org):
        household = Household.objects.get(name="Ménage Roux")
        assert household.timeline_events.filter(kind="household.created").exists()
        assert "roux" in household.search_text


def test_bad_input_is_a_400_with_field_and_french_reason(api, org, in_org) -> None:
    HouseholdFactory(organization=org, external_ref="M1")
    client = api()
    response = client.post(
        "/api/v1/households/",
        {"name": "Ménage Roux", "external_ref": "M1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"external_ref": ["Un ménage porte déjà cette référence."]}
    response = client.post(
        "/api/v1/households/",
        {"name": "X", "housing_benefit": "-3"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "housing_benefit" in response.json()


def test_read_only_cannot_write_and_nothing_changes(api, org, in_org) -> None:
    household = HouseholdFactory(organization=org, name="Avant")
    client = api("read_only")
    response = client.patch(
        f"/api/v1/households/{household.public_id}/",
        {"name": "Après"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.post("/api/v1/partners/", {"name": "X", "kind": "ccas"}).status_code == 403
    with in_org(org):
        assert Household.objects.get(pk=household.pk).name == "Avant"
        assert not Partner.objects.filter(name="X").exists()


def test_dwelling_create_update_and_filters(api, org, in_org) -> None:
    residence = ResidenceFactory(organization=org, qpv=True)
    client = api("manager")
    payload = {
        "residence": str(residence.public_id),
        "reference": "API-1",
        "typology": "T4",
        "surface": "82.50",
        "financing": "plai",
        "rent": "455.00",
        "charges": "130.00",
    }
    response = client.post("/api/v1/dwellings/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    dwelling_id = response.json()["id"]
    response = client.patch(
        f"/api/v1/dwellings/{dwelling_id}/", {"rent": "460.00"}, content_type="application/json"
    )
    assert response.status_code == 200
    with in_org(org):
        assert Dwelling.objects.get(reference="API-1").rent == Decimal("460.00")
    DwellingFactory(organization=org, typology="T2")
    data = client.get("/api/v1/dwellings/", {"typology": "T4"}).json()
    assert [d["reference"] for d in data["results"]] == ["API-1"]
    data = client.get("/api/v1/residences/", {"is_qpv": "true"}).json()
    assert data["count"] == 1


def test_another_organizations_residence_is_refused_as_a_reference(api, org, other_org) -> None:
    foreign = ResidenceFactory(organization=other_org)
    response = api("manager").post(
        "/api/v1/dwellings/",
        {
            "residence": str(foreign.public_id),
            "reference": "X",
            "typology": "T1",
            "surface": "20",
            "financing": "plus",
            "rent": "200",
            "charges": "20",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "residence" in response.json()


def test_lease_create_and_end(api, org, in_org) -> None:
    household = HouseholdFactory(organization=org)
    dwelling = DwellingFactory(organization=org)
    association = PartnerFactory(organization=org)
    client = api()
    response = client.post(
        "/api/v1/leases/",
        {
            "household": str(household.public_id),
            "dwelling": str(dwelling.public_id),
            "kind": "sublet",
            "lessee_partner": str(association.public_id),
            "start_date": "2026-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    lease_id = response.json()["id"]
    again = client.post(
        "/api/v1/leases/",
        {
            "household": str(household.public_id),
            "dwelling": str(dwelling.public_id),
            "start_date": "2026-02-01",
        },
        content_type="application/json",
    )
    assert again.status_code == 400
    assert "déjà un bail en cours" in again.json()["dwelling"][0]
    response = client.post(
        f"/api/v1/leases/{lease_id}/end/",
        {"end_date": "2026-05-31", "end_reason": "moved_out"},
        content_type="application/json",
    )
    assert response.status_code == 200
    with in_org(org):
        assert Lease.objects.get(public_id=lease_id).end_reason == "moved_out"
    assert client.get("/api/v1/leases/", {"current": "true"}).json()["count"] == 0


def test_another_organizations_household_is_404(api, other_org) -> None:
    foreign = HouseholdFactory(organization=other_org)
    assert api().get(f"/api/v1/households/{foreign.public_id}/").status_code == 404
