"""Pages and endpoints: allowed role, a role without the right (403, nothing changed), another
organisation (404, also covered by the sweep), and query budgets."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from allocations.enums import SessionStatus
from allocations.models import CommissionSession, Decision, SessionDwelling
from core.context import organization_context
from tests.allocations.factories import (
    CandidacyFactory,
    CommissionSessionFactory,
    HousingApplicationFactory,
    SessionDwellingFactory,
)

pytestmark = pytest.mark.django_db


def api(client: Any, user: Any, org: Any) -> dict[str, Any]:
    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_X_ORGANIZATION": org.slug}


def test_sessions_list_for_secretary_and_member_not_for_arrears_officer(
    world: Any, client_for: Any, member_of: Any
) -> None:
    world.session()
    assert client_for(world.user, world.org).get("/attributions/").status_code == 200
    member = member_of(world.org, "commission_member")
    assert client_for(member, world.org).get("/attributions/").status_code == 200
    officer = member_of(world.org, "arrears_officer")
    assert client_for(officer, world.org).get("/attributions/").status_code == 403


def test_commission_member_sees_the_sheet_but_not_the_household_file_nor_decisions_form(
    world: Any, client_for: Any, member_of: Any
) -> None:
    _session, item, cands = world.held()
    member = member_of(world.org, "commission_member")
    client = client_for(member, world.org)
    response = client.get(f"/attributions/candidatures/{cands[0].public_id}/fiche/")
    assert response.status_code == 200
    assert "Taux d'effort" in response.content.decode()
    assert client.get(f"/attributions/logements/{item.public_id}/decisions/").status_code == 403


def test_denied_decision_post_changes_nothing(world: Any, client_for: Any, member_of: Any) -> None:
    _session, item, cands = world.held()
    member = member_of(world.org, "commission_member")
    data = {"version": item.version}
    for i, c in enumerate(cands):
        data[f"c{c.pk}-kind"] = "ranked"
        data[f"c{c.pk}-rank"] = i + 1
    response = client_for(member, world.org).post(
        f"/attributions/logements/{item.public_id}/decisions/", data
    )
    assert response.status_code == 403
    with organization_context(world.org):
        assert Decision.objects.count() == 0


def test_secretary_records_decisions_through_the_page_and_a_stale_form_loses(
    world: Any, client_for: Any
) -> None:
    _session, item, cands = world.held()
    client = client_for(world.user, world.org)
    url = f"/attributions/logements/{item.public_id}/decisions/"
    assert client.get(url).status_code == 200
    data = {"version": item.version}
    for i, c in enumerate(cands):
        data[f"c{c.pk}-kind"] = "ranked"
        data[f"c{c.pk}-rank"] = i + 1
    response = client.post(url, data)
    assert response.status_code == 302
    with organization_context(world.org):
        assert Decision.objects.count() == 3
    # The same (now stale) form again: refused with a clear message, nothing changed.
    for i, c in enumerate(cands):
        data[f"c{c.pk}-rank"] = 3 - i
    response = client.post(url, data)
    assert response.status_code == 409
    assert "modifiées par une autre personne" in response.content.decode()
    with organization_context(world.org):
        assert Decision.objects.get(candidacy=cands[0]).rank == 1


def test_session_page_query_budget_at_30_dwellings_by_5_candidates(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    session = world.session()
    for i in range(30):
        item = SessionDwellingFactory(
            organization=world.org, session=session, dwelling=world.dwelling(), position=i
        )
        for _ in range(5):
            CandidacyFactory(organization=world.org, session_dwelling=item)
    client = client_for(world.user, world.org)
    client.get(f"/attributions/seances/{session.public_id}/")  # warm caches
    with django_assert_max_num_queries(30):
        response = client.get(f"/attributions/seances/{session.public_id}/")
    assert response.status_code == 200
    assert response.content.decode().count("Aucun candidat.") == 0


def test_assistant_lists_matching_demands_with_figures_and_presents_one(
    world: Any, client_for: Any
) -> None:
    _session, item, _cands = world.prepared()
    match = world.application(desired_typologies=["T3"])
    world.application(desired_typologies=["T5"])  # wrong typology
    world.application(desired_communes=["67482"])  # other commune
    world.application(needs_accessibility=True)  # dwelling not accessible
    client = client_for(world.user, world.org)
    response = client.get(f"/attributions/logements/{item.public_id}/assistant/")
    body = response.content.decode()
    assert response.status_code == 200
    assert match.registration_number in body
    assert body.count("Présenter<span") == 1
    response = client.post(
        f"/attributions/logements/{item.public_id}/assistant/",
        {"application": str(match.public_id)},
    )
    assert response.status_code == 302
    with organization_context(world.org):
        assert item.candidacies.count() == 4


def test_api_session_detail_with_dwellings_candidates_and_attendance(
    world: Any, client: Any
) -> None:
    session, _item, _cands = world.held()
    response = client.get(
        f"/api/v1/commission-sessions/{session.public_id}/", **api(client, world.user, world.org)
    )
    assert response.status_code == 200
    data = response.json()
    assert len(data["dwellings"][0]["candidacies"]) == 3
    assert data["dwellings"][0]["quorum"]["reached"] is True
    assert len(data["attendance"]) == len(world.members)


def test_api_records_decisions_with_version_and_refuses_a_stale_one(
    world: Any, client: Any
) -> None:
    _session, item, cands = world.held()
    headers = api(client, world.user, world.org)
    payload = {
        "session_dwelling": str(item.public_id),
        "version": item.version,
        "decisions": [
            {"candidacy": str(c.public_id), "kind": "ranked", "rank": i + 1}
            for i, c in enumerate(cands)
        ],
    }
    response = client.post(
        "/api/v1/decisions/record/", payload, content_type="application/json", **headers
    )
    assert response.status_code == 201, response.content
    response = client.post(
        "/api/v1/decisions/record/", payload, content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert "autre personne" in response.content.decode()


def test_api_decisions_record_denied_to_a_commission_member(
    world: Any, client: Any, member_of: Any
) -> None:
    _session, item, _cands = world.held()
    member = member_of(world.org, "commission_member")
    payload = {"session_dwelling": str(item.public_id), "version": item.version, "decisions": []}
    response = client.post(
        "/api/v1/decisions/record/",
        payload,
        content_type="application/json",
        **api(client, member, world.org),
    )
    assert response.status_code == 403


def test_api_applications_create_list_and_budget(
    world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.housing.factories import HouseholdFactory

    for _ in range(5):
        HousingApplicationFactory(organization=world.org)
    household = HouseholdFactory(organization=world.org)
    headers = api(client, world.user, world.org)
    response = client.post(
        "/api/v1/applications/",
        {
            "household": str(household.public_id),
            "registration_number": "057261234567",
            "filed_on": "2025-09-01",
            "desired_typologies": ["T2"],
            "desired_communes": [],
            "adults": 1,
            "children": 0,
            "declared_monthly_resources": "900.00",
            "priorities": [
                {
                    "criterion": "dalo",
                    "proof_type": "Décision COMED",
                    "labelling_source": "dalo_commission",
                }
            ],
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["priority_level"] == 2
    assert response.json()["expires_on"] == "2026-09-01"
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/applications/", **headers)
    body = response.json()
    assert "count" not in body and body["next"] is None  # paged by cursor (docs/allocations.md)
    assert len(body["results"]) == 6
    # The DALO demand (priority level 2) comes first.
    assert body["results"][0]["registration_number"] == "057261234567"


def test_api_applications_denied_to_arrears_officer(
    world: Any, client: Any, member_of: Any
) -> None:
    officer = member_of(world.org, "arrears_officer")
    response = client.get("/api/v1/applications/", **api(client, officer, world.org))
    assert response.status_code == 403


def test_other_organisation_session_is_a_404(world: Any, other_org: Any, client_for: Any) -> None:
    theirs = CommissionSessionFactory(organization=other_org)
    client = client_for(world.user, world.org)
    assert client.get(f"/attributions/seances/{theirs.public_id}/").status_code == 404
    response = client.post(f"/attributions/seances/{theirs.public_id}/etat/", {"action": "publish"})
    assert response.status_code == 404
    with organization_context(other_org):
        assert CommissionSession.objects.get(pk=theirs.pk).status == SessionStatus.DRAFT


def test_transition_denied_to_a_member_leaves_the_session_unchanged(
    world: Any, client_for: Any, member_of: Any
) -> None:
    session, _item, _cands = world.prepared()
    member = member_of(world.org, "commission_member")
    response = client_for(member, world.org).post(
        f"/attributions/seances/{session.public_id}/etat/", {"action": "publish"}
    )
    assert response.status_code == 403
    with organization_context(world.org):
        assert CommissionSession.objects.get(pk=session.pk).status == SessionStatus.DRAFT


def test_full_workflow_through_the_pages(world: Any, client_for: Any) -> None:
    session, item, cands = world.prepared()
    client = client_for(world.user, world.org)
    base = f"/attributions/seances/{session.public_id}/"
    assert client.post(base + "etat/", {"action": "publish"}).status_code == 302
    data = {}
    for m in world.members:
        data[f"m{m.pk}-status"] = "present"
    assert client.post(base + "presences/", data).status_code == 302
    client.post(base + "etat/", {"action": "hold", "president_name": "Administrateur 0"})
    with organization_context(world.org):
        item = SessionDwelling.objects.get(pk=item.pk)
        assert item.session.status == SessionStatus.HELD
    decisions = {"version": item.version}
    for i, c in enumerate(cands):
        decisions[f"c{c.pk}-kind"] = "ranked"
        decisions[f"c{c.pk}-rank"] = i + 1
    assert (
        client.post(f"/attributions/logements/{item.public_id}/decisions/", decisions).status_code
        == 302
    )
    client.post(base + "etat/", {"action": "close"})
    client.post(base + "etat/", {"action": "sign", "president_name": "Administrateur 0"})
    with organization_context(world.org):
        assert CommissionSession.objects.get(pk=session.pk).status == SessionStatus.MINUTES_SIGNED
    response = client.post(
        f"/attributions/logements/{item.public_id}/proposition/", {"notified_on": "2026-03-04"}
    )
    assert response.status_code == 302
    page = client.get(base).content.decode()
    assert "Procès-verbal" in page and "16/03/2026" in page
    assert client.get("/attributions/propositions/").status_code == 200
    assert client.get("/").status_code == 200
