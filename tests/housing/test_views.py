"""Pages: allowed roles, roles without the right (403, nothing changed), query budgets."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AccessEvent
from core.timeline import record
from housing.models import Dwelling, Household, Partner, Person, Residence
from tests.housing.factories import (
    DwellingFactory,
    HouseholdFactory,
    LeaseFactory,
    PartnerFactory,
    PersonFactory,
    ResidenceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(org, member_of, client_for):
    return client_for(member_of(org, "social_worker"), org)


LIST_PAGES = [
    ("housing:households", "social_worker"),
    ("housing:residences", "commission_member"),
    ("housing:dwellings", "read_only"),
    ("housing:partners", "arrears_officer"),
    ("housing:imports", "manager"),
    ("housing:duplicates", "social_worker"),
]


@pytest.mark.parametrize(("name", "role"), LIST_PAGES)
def test_list_pages_for_allowed_role(org, member_of, client_for, name, role) -> None:
    client = client_for(member_of(org, role), org)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("housing:households", "commission_member"),
        ("housing:household_create", "read_only"),
        ("housing:residence_create", "social_worker"),
        ("housing:dwelling_create", "social_worker"),
        ("housing:partner_create", "read_only"),
        ("housing:imports", "social_worker"),
        ("housing:duplicates", "read_only"),
    ],
)
def test_pages_refuse_roles_without_the_right(org, member_of, client_for, name, role) -> None:
    client = client_for(member_of(org, role), org)
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse(name), {"name": "X"}).status_code == 403


def _bulk(org, n: int) -> None:
    for _ in range(n):
        lease = LeaseFactory(organization=org)
        PersonFactory(organization=org, household=lease.household)
        PartnerFactory(organization=org)


@pytest.mark.parametrize("name", [n for n, _ in LIST_PAGES])
def test_list_query_budget_is_constant(
    org, member_of, client_for, django_assert_max_num_queries, name
) -> None:
    client = client_for(member_of(org, "org_admin"), org)
    _bulk(org, 2)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(name))
    _bulk(org, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


def test_household_search_page_finds_without_accents(org, worker, tenant) -> None:
    response = worker.get(reverse("housing:households"), {"q": "lefevre"})
    assert "Ménage Lefèvre" in response.content.decode()
    response = worker.get(
        reverse("housing:households"),
        {"q": "zzzz"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="household-results",
    )
    assert "Aucun ménage ne correspond" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_household_file_shows_everything_and_logs_access(
    org, member_of, client_for, tenant, in_org
) -> None:
    user = member_of(org, "social_worker")
    client = client_for(user, org)
    response = client.get(reverse("housing:household_detail", args=[tenant.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hélène" in html and "Inès" in html
    assert "Taux d&#x27;effort" in html or "Taux d'effort" in html
    assert "GR001-0042" in html
    assert "plain-pied" in html  # social workers may see disability details
    assert "Qui a consulté" not in html  # but not the access log
    assert "Historique des modifications" not in html
    with in_org(org):
        assert AccessEvent.objects.filter(household_id=tenant.public_id, user=user).count() == 1


def test_household_file_hides_disability_without_the_right(org, member_of, client_for, tenant):
    client = client_for(member_of(org, "arrears_officer"), org)
    html = client.get(reverse("housing:household_detail", args=[tenant.public_id])).content.decode()
    assert "plain-pied" not in html


def test_managers_see_who_saw_the_file_and_history(org, member_of, client_for, tenant) -> None:
    client_for(member_of(org, "social_worker"), org).get(
        reverse("housing:household_detail", args=[tenant.public_id])
    )
    manager = member_of(org, "manager")
    html = (
        client_for(manager, org)
        .get(reverse("housing:household_detail", args=[tenant.public_id]))
        .content.decode()
    )
    assert "Qui a consulté ce dossier" in html
    assert "Conseill" in html or "Dossier ménage" in html
    assert reverse("record_history", args=["housing.Household", tenant.public_id]) in html


def test_household_file_query_budget_is_constant(
    org, worker, tenant, in_org, django_assert_max_num_queries
) -> None:
    url = reverse("housing:household_detail", args=[tenant.public_id])
    with django_assert_max_num_queries(40) as few:
        worker.get(url)
    with in_org(org):
        for i in range(6):
            record(household=tenant, category="housing", kind="x", title=f"Événement {i}")
    for _ in range(4):
        PersonFactory(organization=org, household=tenant, relationship="child")
    LeaseFactory(organization=org, household=tenant, end_date=datetime.date(2023, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert worker.get(url).status_code == 200


def test_timeline_filter_by_category(org, worker, tenant, in_org) -> None:
    with in_org(org):
        record(household=tenant, category="cases", kind="visit", title="Visite à domicile")
        record(household=tenant, category="arrears", kind="plan", title="Plan d'apurement signé")
    url = reverse("housing:household_timeline", args=[tenant.public_id])
    html = worker.get(url, {"categorie": "cases"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Visite à domicile" in html
    assert "Plan d&#x27;apurement" not in html and "Plan d'apurement" not in html
    full = worker.get(reverse("housing:household_detail", args=[tenant.public_id])).content.decode()
    assert full.index("Plan d") < full.index("Visite à domicile")  # newest first


def test_household_create_and_edit_pages(org, worker, in_org) -> None:
    response = worker.post(
        reverse("housing:household_create"), {"name": "Ménage Nguyen", "housing_benefit": "0"}
    )
    assert response.status_code == 302
    with in_org(org):
        household = Household.objects.get(name="Ménage Nguyen")
    response = worker.post(
        reverse("housing:household_edit", args=[household.public_id]),
        {"name": "Ménage Nguyen-Tran", "housing_benefit": "-5"},
    )
    assert response.status_code == 200
    assert "supérieure ou égale à 0" in response.content.decode()
    with in_org(org):
        household.refresh_from_db()
    assert household.name == "Ménage Nguyen"


def test_read_only_cannot_edit_a_household(org, member_of, client_for, tenant, in_org) -> None:
    client = client_for(member_of(org, "read_only"), org)
    response = client.post(
        reverse("housing:household_edit", args=[tenant.public_id]), {"name": "Pirate"}
    )
    assert response.status_code == 403
    with in_org(org):
        assert Household.objects.get(pk=tenant.pk).name == "Ménage Lefèvre"


def test_member_income_and_lease_forms(org, worker, tenant, in_org) -> None:
    url = reverse("housing:person_create", args=[tenant.public_id])
    response = worker.post(
        url,
        {
            "first_name": "Léo",
            "last_name": "Benali",
            "relationship": "child",
            "employment_status": "child",
            "birth_date": "2030-01-01",
        },
    )
    assert "La date de naissance est dans le futur." in response.content.decode()
    response = worker.post(
        url,
        {
            "first_name": "Léo",
            "last_name": "Benali",
            "relationship": "child",
            "employment_status": "child",
            "birth_date": "2021-01-01",
        },
    )
    assert response.status_code == 302
    with in_org(org):
        leo = Person.objects.get(first_name="Léo")
    response = worker.post(
        reverse("housing:income_create", args=[leo.public_id]),
        {"kind": "family", "declared_monthly_amount": "148,52"},
    )
    assert response.status_code in (200, 302)
    with in_org(org):
        lease = tenant.leases.get()
    response = worker.post(
        reverse("housing:lease_end", args=[lease.public_id]),
        {"end_date": "2026-06-30", "reason": "transfer"},
    )
    assert response.status_code == 302
    with in_org(org):
        lease.refresh_from_db()
        assert lease.end_reason == "transfer"
    vacant = DwellingFactory(organization=org)
    response = worker.post(
        reverse("housing:lease_create", args=[tenant.public_id]),
        {"dwelling": vacant.pk, "kind": "ordinary", "start_date": "2026-07-01"},
    )
    assert response.status_code == 302
    with in_org(org):
        assert tenant.leases.filter(end_date__isnull=True).get().dwelling_id == vacant.pk


def test_stock_and_partner_forms(org, member_of, client_for, in_org) -> None:
    client = client_for(member_of(org, "manager"), org)
    residence = ResidenceFactory(organization=org)
    response = client.post(
        reverse("housing:residence_create"),
        {
            "external_ref": "R-NEW",
            "name": "Les Acacias",
            "address": "3 rue Haute",
            "commune_name": "Nancy",
            "commune_insee": "ABCDE",
            "territory": residence.territory_id,
        },
    )
    assert "Code INSEE à 5 caractères" in response.content.decode()
    response = client.post(
        reverse("housing:dwelling_create"),
        {
            "residence": residence.pk,
            "reference": "N-1",
            "typology": "T2",
            "surface": "45",
            "floor": "1",
            "financing": "plai",
            "rent": "310,20",
            "annex_rent": "0",
            "charges": "60",
            "energy_contribution": "0",
            "status": "vacant",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("housing:partner_create"),
        {"name": "CCAS de Metz", "kind": "ccas", "is_active": "on"},
    )
    assert response.status_code == 302
    with in_org(org):
        assert Dwelling.objects.get(reference="N-1").rent == Decimal("310.20")
        assert Partner.objects.filter(name="CCAS de Metz").exists()
        assert not Residence.objects.filter(external_ref="R-NEW").exists()


def test_duplicates_page_and_merge(org, member_of, client_for, in_org) -> None:
    client = client_for(member_of(org, "social_worker"), org)
    a = PersonFactory(organization=org, first_name="Jean", last_name="Lefèvre")
    b = PersonFactory(
        organization=org, first_name="jean", last_name="LEFEVRE", birth_date=a.birth_date
    )
    PersonFactory(organization=org, first_name="Jean", last_name="Lefèvre", birth_date=None)
    html = client.get(reverse("housing:duplicates")).content.decode()
    assert "Fusionner la fiche 2" in html
    response = client.post(
        reverse("housing:persons_merge"), {"keep": a.public_id, "duplicate": b.public_id}
    )
    assert response.status_code == 302
    with in_org(org):
        assert not Person.objects.filter(pk=b.pk).exists()
    denied = client_for(member_of(org, "read_only"), org).post(
        reverse("housing:persons_merge"), {"keep": a.public_id, "duplicate": a.public_id}
    )
    assert denied.status_code == 403


def test_other_org_household_file_is_404(org, other_org, worker) -> None:
    foreign = HouseholdFactory(organization=other_org)
    assert (
        worker.get(reverse("housing:household_detail", args=[foreign.public_id])).status_code == 404
    )
