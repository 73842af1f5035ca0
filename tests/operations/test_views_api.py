"""Pages and endpoints: allowed role, 403 leaving data unchanged, 404 for another
organisation's object, query budgets on lists, one-click prospection from the assistant."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from operations.models import (
    CollectiveAction,
    Prospection,
    RelocationHousehold,
    RelocationOperation,
)
from tests.allocations.factories import HousingApplicationFactory, SessionDwellingFactory
from tests.housing.factories import DwellingFactory, HouseholdFactory, ResidenceFactory
from tests.operations.factories import (
    ActionFundingFactory,
    ActionResidenceFactory,
    CollectiveActionFactory,
    ProspectionFactory,
    RelocationDwellingFactory,
    RelocationHouseholdFactory,
    RelocationOperationFactory,
    RelocationResidenceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Any, org: Any) -> Any:
    def make(user: Any, organization: Any = None) -> Any:
        token, _ = Token.objects.get_or_create(user=user)
        headers = {
            "HTTP_AUTHORIZATION": f"Token {token.key}",
            "HTTP_X_ORGANIZATION": (organization or org).slug,
        }

        class Api:
            def get(self, url: str, **params: Any) -> Any:
                return client.get(url, params, **headers)

            def post(self, url: str, data: Any = None) -> Any:
                return client.post(url, data or {}, content_type="application/json", **headers)

            def patch(self, url: str, data: Any = None) -> Any:
                return client.patch(url, data or {}, content_type="application/json", **headers)

        return Api()

    return make


# --- Pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "allowed", "denied"),
    [
        ("/operations/prospections/", "commission_secretary", "social_worker"),
        ("/operations/relogements/", "social_worker", "commission_member"),
        ("/operations/actions/", "read_only", "commission_member"),
        ("/operations/registre/nouveau/", "commission_secretary", "read_only"),
        ("/operations/relogements/nouvelle/", "commission_secretary", "read_only"),
        ("/operations/actions/nouvelle/", "social_worker", "commission_secretary"),
        ("/operations/clauses/nouvelle/", "manager", "read_only"),
    ],
)
def test_pages_by_role(
    org: Any, member_of: Any, client_for: Any, url: str, allowed: str, denied: str
) -> None:
    assert client_for(member_of(org, allowed), org).get(url).status_code == 200
    assert client_for(member_of(org, denied), org).get(url).status_code == 403


def test_list_pages_query_budget(
    org: Any, member_of: Any, client_for: Any, django_assert_max_num_queries: Any, in_org: Any
) -> None:
    for _ in range(5):
        ProspectionFactory(organization=org)
        op = RelocationOperationFactory(organization=org)
        RelocationResidenceFactory(organization=org, operation=op)
        RelocationHouseholdFactory(organization=org, operation=op)
        action = CollectiveActionFactory(organization=org)
        ActionResidenceFactory(organization=org, action=action)
        ActionFundingFactory(organization=org, action=action)
    client = client_for(member_of(org, "manager"), org)
    for url, budget in (
        ("/operations/relogements/", 20),
        ("/operations/actions/", 22),
    ):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/operations/prospections/").status_code == 200


def test_the_leasing_page_queries_do_not_grow_with_territories_or_prospections(
    org: Any, member_of: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    """Every figure of the per-territory table is one grouped query (the registration desks
    were counted territory by territory: 8 queries of 110 ms at size L), and the year's list
    is counted from those figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.organizations.factories import TerritoryFactory

    client = client_for(member_of(org, "commission_secretary"), org)
    ProspectionFactory(organization=org)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/operations/prospections/?year=2026").status_code == 200
    for _ in range(4):
        territory = TerritoryFactory(organization=org, communes=["57463"])
        ProspectionFactory(organization=org, dwelling__residence__territory=territory)
        HousingApplicationFactory(organization=org, filed_on=datetime.date(2026, 2, 1))
    with django_assert_max_num_queries(len(first.captured_queries)):
        body = client.get("/operations/prospections/?year=2026").content.decode()
    assert "5 prospections en 2026" in body


def test_the_leasing_page_lists_the_years_prospections_50_per_page(
    org: Any, member_of: Any, client_for: Any
) -> None:
    dwelling = DwellingFactory(organization=org)
    for day in range(1, 53):
        ProspectionFactory(
            organization=org,
            dwelling=dwelling,
            contacted_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day),
        )
    ProspectionFactory(organization=org, dwelling=dwelling, contacted_on=datetime.date(2025, 5, 1))
    client = client_for(member_of(org, "commission_secretary"), org)
    first = client.get("/operations/prospections/?year=2026").content.decode()
    assert "52 prospections en 2026" in first and "Page 1 / 2" in first
    assert "22/02/2026" in first and "02/01/2026" not in first  # newest first
    second = client.get("/operations/prospections/?year=2026&page=2").content.decode()
    assert "02/01/2026" in second and "01/05/2025" not in second


def test_relocation_pages_and_forbidden_write(
    org: Any, other_org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    operation = RelocationOperationFactory(organization=org)
    RelocationDwellingFactory(organization=org, operation=operation)
    link = RelocationHouseholdFactory(organization=org, operation=operation)
    manager = client_for(member_of(org, "manager"), org)
    page = manager.get(f"/operations/relogements/{operation.public_id}/")
    assert page.status_code == 200
    assert "Tableau de bord" in page.content.decode()
    response = manager.post(
        f"/operations/relogements/menages/{link.public_id}/statut/",
        {"status": "met", "on": "2026-03-01"},
    )
    assert response.status_code == 302
    with in_org(org):
        link.refresh_from_db()
        assert link.status == "met"
    reader = client_for(member_of(org, "read_only"), org)
    response = reader.post(
        f"/operations/relogements/menages/{link.public_id}/statut/",
        {"status": "surveyed", "on": "2026-03-02"},
    )
    assert response.status_code == 403
    with in_org(org):
        link.refresh_from_db()
        assert link.status == "met"
    foreign = RelocationOperationFactory(organization=other_org)
    assert manager.get(f"/operations/relogements/{foreign.public_id}/").status_code == 404


def test_action_create_page(org: Any, member_of: Any, client_for: Any, in_org: Any) -> None:
    residence = ResidenceFactory(organization=org)
    client = client_for(member_of(org, "social_worker"), org)
    response = client.post(
        "/operations/actions/nouvelle/",
        {
            "name": "Job dating",
            "kind": "employment",
            "starts_on": "2026-04-10",
            "sessions": 1,
            "participants": 24,
            "households_reached": 0,
            "back_to_work": 6,
            "cost": "0",
            "residences": [residence.pk],
        },
    )
    assert response.status_code == 302
    with in_org(org):
        action = CollectiveAction.objects.get()
        assert action.back_to_work == 6 and action.residence_links.count() == 1


def test_one_click_prospection_from_assistant(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    item = SessionDwellingFactory(organization=org)
    application = HousingApplicationFactory(organization=org)
    data = {
        "application": str(application.public_id),
        "session_dwelling": str(item.public_id),
        "outcome": "interested",
    }
    officer = client_for(member_of(org, "commission_secretary"), org)
    response = officer.post("/operations/prospections/nouvelle/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 201
    assert "Prospection : intéressé" in response.content.decode()
    with in_org(org):
        assert Prospection.objects.get().dwelling == item.dwelling
    worker = client_for(member_of(org, "social_worker"), org)
    assert worker.post("/operations/prospections/nouvelle/", data).status_code == 403
    with in_org(org):
        assert Prospection.objects.count() == 1


def test_assistant_shows_the_prospection_buttons(org: Any, member_of: Any, client_for: Any) -> None:
    item = SessionDwellingFactory(organization=org)
    HousingApplicationFactory(organization=org, expires_on=datetime.date(2099, 1, 1))
    client = client_for(member_of(org, "commission_secretary"), org)
    response = client.get(f"/attributions/logements/{item.public_id}/assistant/")
    assert response.status_code == 200
    body = response.content.decode()
    if "Aucune demande active" not in body:
        assert "Pièces demandées" in body


# --- API -----------------------------------------------------------------------------------------


def test_prospections_api(org: Any, other_org: Any, member_of: Any, api: Any, in_org: Any) -> None:
    officer = api(member_of(org, "commission_secretary"))
    application = HousingApplicationFactory(organization=org)
    dwelling = DwellingFactory(organization=org)
    created = officer.post(
        "/api/v1/prospections/",
        {
            "application": str(application.public_id),
            "dwelling": str(dwelling.public_id),
            "outcome": "unreachable",
            "contacted_on": "2026-01-05",
        },
    )
    assert created.status_code == 201, created.content
    bad = officer.post(
        "/api/v1/prospections/",
        {
            "application": str(application.public_id),
            "dwelling": str(dwelling.public_id),
            "outcome": "interested",
            "contacted_on": "2999-01-01",
        },
    )
    assert bad.status_code == 400
    assert "contacted_on" in bad.json()
    listing = officer.get("/api/v1/prospections/", year="2026")
    assert listing.status_code == 200
    denied = api(member_of(org, "social_worker")).post(
        "/api/v1/prospections/",
        {
            "application": str(application.public_id),
            "dwelling": str(dwelling.public_id),
            "outcome": "interested",
        },
    )
    assert denied.status_code == 403
    with in_org(org):
        assert Prospection.objects.count() == 1
    foreign = ProspectionFactory(organization=other_org)
    assert officer.get(f"/api/v1/prospections/{foreign.public_id}/").status_code == 404


def test_relocation_operations_api(org: Any, member_of: Any, api: Any, in_org: Any) -> None:
    client = api(member_of(org, "commission_secretary"))
    dwellings = [DwellingFactory(organization=org) for _ in range(2)]
    created = client.post(
        "/api/v1/relocation-operations/",
        {
            "name": "NPNRU Borny",
            "kind": "urban_renewal",
            "starts_on": "2026-01-01",
            "residences": [str(dwellings[0].residence.public_id)],
            "mobilised_dwellings": [str(d.public_id) for d in dwellings],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert len(body["mobilised_dwellings"]) == 2
    url = f"/api/v1/relocation-operations/{body['id']}/"
    household = HouseholdFactory(organization=org)
    added = client.post(url + "households/", {"household": str(household.public_id)})
    assert added.status_code == 201, added.content
    assert added.json()["counts"]["identified"] == 1
    bad = client.post(
        url + "advance/", {"household": str(household.public_id), "status": "rehoused"}
    )
    assert bad.status_code == 400 and "status" in bad.json()
    ok = client.post(url + "advance/", {"household": str(household.public_id), "status": "met"})
    assert ok.status_code == 200 and ok.json()["counts"]["met"] == 1
    positioned = client.post(
        url + "position/",
        {"household": str(household.public_id), "dwelling": str(dwellings[0].public_id)},
    )
    assert positioned.status_code == 201, positioned.content
    not_mobilised = client.post(
        url + "position/",
        {
            "household": str(household.public_id),
            "dwelling": str(DwellingFactory(organization=org).public_id),
        },
    )
    assert not_mobilised.status_code == 400 and "dwelling" in not_mobilised.json()
    invalid = client.post(
        "/api/v1/relocation-operations/",
        {"name": "X", "kind": "other", "starts_on": "2026-01-01", "ends_on": "2025-01-01"},
    )
    assert invalid.status_code == 400 and "ends_on" in invalid.json()
    reader = api(member_of(org, "read_only"))
    assert reader.get("/api/v1/relocation-operations/").status_code == 200
    assert reader.patch(url, {"name": "Autre"}).status_code == 403
    with in_org(org):
        assert RelocationOperation.objects.get(public_id=body["id"]).name == "NPNRU Borny"
        assert RelocationHousehold.objects.count() == 1


def test_collective_actions_api(
    org: Any, other_org: Any, member_of: Any, api: Any, in_org: Any
) -> None:
    client = api(member_of(org, "social_worker"))
    created = client.post(
        "/api/v1/collective-actions/",
        {
            "name": "Ateliers jeunes",
            "kind": "workshop",
            "starts_on": "2026-02-01",
            "sessions": 18,
            "participants": 150,
        },
    )
    assert created.status_code == 201, created.content
    bad = client.post(
        "/api/v1/collective-actions/",
        {
            "name": "Job dating",
            "kind": "employment",
            "starts_on": "2026-02-01",
            "participants": 24,
            "back_to_work": 30,
        },
    )
    assert bad.status_code == 400 and "back_to_work" in bad.json()
    action_url = f"/api/v1/collective-actions/{created.json()['id']}/"
    funded = client.post(
        action_url + "fundings/",
        {
            "funder_name": "Fonds d'innovation sociale",
            "amount": "60000.00",
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
        },
    )
    assert funded.status_code == 201 and funded.json()["funding"][0]["amount"] == "60000.00"
    household = HouseholdFactory(organization=org)
    named = client.post(action_url + "participants/", {"household": str(household.public_id)})
    assert named.status_code == 201
    patched = client.patch(
        f"/api/v1/collective-actions/{created.json()['id']}/", {"participants": 151}
    )
    assert patched.status_code == 200 and patched.json()["participants"] == 151
    denied = api(member_of(org, "commission_secretary"))
    assert (
        denied.post(
            "/api/v1/collective-actions/",
            {"name": "X", "kind": "workshop", "starts_on": "2026-02-01"},
        ).status_code
        == 403
    )
    with in_org(org):
        assert CollectiveAction.objects.count() == 1
    foreign = CollectiveActionFactory(organization=other_org)
    assert client.get(f"/api/v1/collective-actions/{foreign.public_id}/").status_code == 404


def test_api_list_query_budget(
    org: Any, member_of: Any, api: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(6):
        ProspectionFactory(organization=org)
        op = RelocationOperationFactory(organization=org)
        RelocationResidenceFactory(organization=org, operation=op)
        RelocationDwellingFactory(organization=org, operation=op)
        action = CollectiveActionFactory(organization=org)
        ActionFundingFactory(organization=org, action=action)
    client = api(member_of(org, "manager"))
    for url in (
        "/api/v1/prospections/",
        "/api/v1/relocation-operations/",
        "/api/v1/collective-actions/",
    ):
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200


def test_demo_is_idempotent(in_org: Any) -> None:
    import io

    from operations import demo
    from operations.models import RelocationHousehold
    from tests.organizations.factories import OrganizationFactory

    org = OrganizationFactory(slug="habitat-est", name="Habitat Est")
    for _ in range(3):
        HousingApplicationFactory(organization=org)
        DwellingFactory(organization=org)
    demo.load(io.StringIO())
    with in_org(org):
        counts = (CollectiveAction.objects.count(), RelocationHousehold.objects.count())
        assert counts[0] == 3
    demo.load(io.StringIO())
    with in_org(org):
        assert (CollectiveAction.objects.count(), RelocationHousehold.objects.count()) == counts


def test_the_prospections_api_reads_session_dwellings_with_the_page(
    org: Any, member_of: Any, api: Any, django_assert_max_num_queries: Any
) -> None:
    """Each prospection's session dwelling (its public id is listed) was read one by one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(member_of(org, "manager"))
    ProspectionFactory(organization=org, session_dwelling=SessionDwellingFactory(organization=org))
    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/prospections/").status_code == 200
    items = [SessionDwellingFactory(organization=org) for _ in range(4)]
    for item in items:
        ProspectionFactory(organization=org, session_dwelling=item, dwelling=item.dwelling)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get("/api/v1/prospections/")
    listed = {p["session_dwelling"] for p in response.json()["results"]}
    assert {str(item.public_id) for item in items} <= listed


def test_the_prospections_api_is_paged_by_cursor_newest_first(
    org: Any, member_of: Any, api: Any
) -> None:
    """Prospections accumulate (90,000 an organisation at size L): no count on each page."""
    dwelling = DwellingFactory(organization=org)
    made = [
        ProspectionFactory(
            organization=org,
            dwelling=dwelling,
            contacted_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 3),
        )
        for n in range(5)
    ]
    client = api(member_of(org, "manager"))
    first = client.get("/api/v1/prospections/", page_size="3").json()
    assert "count" not in first and first["previous"] is None
    second = client.get(first["next"]).json()
    ids = [p["id"] for p in first["results"] + second["results"]]
    expected = sorted(made, key=lambda p: (p.contacted_on, p.pk), reverse=True)
    assert ids == [str(p.public_id) for p in expected]


def test_the_relocation_operations_api_lists_dwellings_without_loading_them(
    org: Any, member_of: Any, api: Any, in_org: Any, django_assert_max_num_queries: Any
) -> None:
    """The dwellings' public ids come with the operations' query (the page loaded every
    dwelling of every listed operation as a model instance): same ids, same order, and the
    queries do not grow with dwellings."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    operation = RelocationOperationFactory(organization=org)
    links = [RelocationDwellingFactory(organization=org, operation=operation)]
    client = api(member_of(org, "manager"))
    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/relocation-operations/").status_code == 200
    links += [
        RelocationDwellingFactory(organization=org, operation=operation, role=role)
        for role in ("concerned", "mobilised", "concerned")
    ]
    with django_assert_max_num_queries(len(first.captured_queries)):
        [listed] = client.get("/api/v1/relocation-operations/").json()["results"]
    detail = client.get(f"/api/v1/relocation-operations/{operation.public_id}/").json()
    for body in (listed, detail):
        for role in ("concerned", "mobilised"):
            assert body[f"{role}_dwellings"] == [
                str(link.dwelling.public_id) for link in links if link.role == role
            ]


def test_the_leasing_page_title_shows_the_year_as_a_year(
    org: Any, member_of: Any, client_for: Any
) -> None:
    client = client_for(member_of(org, "commission_secretary"), org)
    assert (
        "Activité locative 2025</h1>"
        in client.get("/operations/prospections/?year=2025").content.decode()
    )
