"""API: same policy, same confidentiality as the pages; writes through services."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cases.models import Intervention, SocialCase
from core.models import AccessEvent
from tests.cases.factories import (
    AdaptationRequestFactory,
    AppointmentFactory,
    CampaignTargetFactory,
    EvaluationFactory,
    InterventionFactory,
    OutreachCampaignFactory,
    ProgrammeEnrolmentFactory,
    ReferralFactory,
    SocialCaseFactory,
    SupportProgrammeFactory,
)
from tests.housing.factories import HouseholdFactory, PartnerFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def api(client: Any, org: Any) -> Any:
    def make(user: Any, organization: Any = None) -> Any:
        token, _ = Token.objects.get_or_create(user=user)
        slug = (organization or org).slug

        class Api:
            def get(self, url: str, **params: Any) -> Any:
                return client.get(
                    url, params, HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_X_ORGANIZATION=slug
                )

            def post(self, url: str, data: Any = None) -> Any:
                return client.post(
                    url,
                    data or {},
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Token {token.key}",
                    HTTP_X_ORGANIZATION=slug,
                )

            def patch(self, url: str, data: Any = None) -> Any:
                return client.patch(
                    url,
                    data or {},
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Token {token.key}",
                    HTTP_X_ORGANIZATION=slug,
                )

        return Api()

    return make


def _seed(org: Any, worker: Any, n: int = 1) -> dict[str, Any]:
    made: dict[str, Any] = {}
    for _ in range(n):
        household = HouseholdFactory(organization=org)
        made["household"] = household
        made["case"] = SocialCaseFactory(organization=org, household=household, referent=worker)
        made["intervention"] = InterventionFactory(
            organization=org, household=household, author=worker
        )
        made["evaluation"] = EvaluationFactory(organization=org, household=household, author=worker)
        made["referral"] = ReferralFactory(organization=org, household=household)
        made["appointment"] = AppointmentFactory(
            organization=org, household=household, worker=worker
        )
        made["campaign"] = OutreachCampaignFactory(organization=org)
        CampaignTargetFactory(organization=org, campaign=made["campaign"], household=household)
        made["adaptation"] = AdaptationRequestFactory(organization=org, household=household)
        made["programme"] = SupportProgrammeFactory(organization=org)
        ProgrammeEnrolmentFactory(
            organization=org, programme=made["programme"], household=household
        )
    return made


ENDPOINTS = [
    ("social-cases", "case", "arrears_officer", "commission_member"),
    ("evaluations", "evaluation", "manager", "arrears_officer"),
    ("interventions", "intervention", "read_only", "commission_member"),
    ("referrals", "referral", "commission_secretary", "commission_member"),
    ("appointments", "appointment", "arrears_officer", "read_only"),
    ("outreach-campaigns", "campaign", "read_only", "commission_member"),
    ("adaptation-requests", "adaptation", "read_only", "commission_member"),
    ("support-programmes", "programme", "arrears_officer", "commission_member"),
]


@pytest.mark.parametrize(("prefix", "key", "allowed", "refused"), ENDPOINTS)
def test_endpoint_lists_and_retrieves_for_allowed_roles_only(
    prefix: str,
    key: str,
    allowed: str,
    refused: str,
    org: Any,
    worker: Any,
    member_of: Any,
    api: Any,
) -> None:
    made = _seed(org, worker)
    client = api(member_of(org, allowed))
    listing = client.get(f"/api/v1/{prefix}/")
    assert listing.status_code == 200 and len(listing.json()["results"]) >= 1
    detail = client.get(f"/api/v1/{prefix}/{made[key].public_id}/")
    assert detail.status_code == 200 and detail.json()["id"] == str(made[key].public_id)
    denied = api(member_of(org, refused))
    assert denied.get(f"/api/v1/{prefix}/").status_code == 403


@pytest.mark.parametrize(("prefix", "key", "allowed", "refused"), ENDPOINTS)
def test_endpoint_list_query_budget_does_not_grow(
    prefix: str, key: str, allowed: str, refused: str, org: Any, worker: Any, api: Any
) -> None:
    client = api(worker)
    _seed(org, worker, 1)
    client.get(f"/api/v1/{prefix}/")
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/api/v1/{prefix}/").status_code == 200
    _seed(org, worker, 5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/api/v1/{prefix}/").status_code == 200
    assert len(many) == len(few) <= 20


@pytest.mark.parametrize(("prefix", "key", "allowed", "refused"), ENDPOINTS)
def test_another_organisations_object_is_a_404(
    prefix: str,
    key: str,
    allowed: str,
    refused: str,
    org: Any,
    other_org: Any,
    worker: Any,
    member_of: Any,
    api: Any,
) -> None:
    theirs = _seed(other_org, member_of(other_org, "social_worker"))
    response = api(worker).get(f"/api/v1/{prefix}/{theirs[key].public_id}/")
    assert response.status_code == 404


def test_a_social_worker_gets_notes_and_each_is_logged(
    org: Any, worker: Any, api: Any, in_org: Any
) -> None:
    made = _seed(org, worker)
    data = api(worker).get("/api/v1/interventions/").json()["results"]
    assert data[0]["note"] == "SECRET note d'intervention"
    evaluation = api(worker).get(f"/api/v1/evaluations/{made['evaluation'].public_id}/").json()
    assert evaluation["situation_note"] == "SECRET situation"
    with in_org(org):
        logged = set(AccessEvent.objects.values_list("object_type", flat=True))
    assert {"cases.Intervention", "cases.Evaluation"} <= logged


@pytest.mark.parametrize(
    "role", ["arrears_officer", "manager", "read_only", "commission_secretary", "org_admin"]
)
def test_notes_never_leak_through_the_api(
    role: str, org: Any, worker: Any, member_of: Any, api: Any, in_org: Any
) -> None:
    _seed(org, worker)
    client = api(member_of(org, role))
    for prefix, *_ in ENDPOINTS:
        response = client.get(f"/api/v1/{prefix}/")
        body = response.content.decode()
        assert "SECRET" not in body and "Note confidentielle du suivi" not in body, prefix
        if (
            response.status_code == 200
            and response.json()["results"]
            and prefix in ("interventions", "social-cases")
        ):
            assert "note" not in response.json()["results"][0]
    with in_org(org):
        assert not AccessEvent.objects.exists()


def test_commission_members_get_nothing(org: Any, worker: Any, member_of: Any, api: Any) -> None:
    _seed(org, worker)
    client = api(member_of(org, "commission_member"))
    for prefix, *_ in ENDPOINTS:
        assert client.get(f"/api/v1/{prefix}/").status_code == 403


def test_creating_an_intervention_goes_through_the_service(
    org: Any, worker: Any, api: Any, household: Any, in_org: Any
) -> None:
    response = api(worker).post(
        "/api/v1/interventions/",
        {
            "household": str(household.public_id),
            "kind": "phone_out",
            "duration_minutes": 10,
            "outcome": "done",
            "note": "n",
        },
    )
    assert response.status_code == 201, response.content
    with in_org(org):
        intervention = Intervention.objects.get()
        from core.models import TimelineEvent

        assert TimelineEvent.objects.filter(
            household=household, kind="intervention.logged"
        ).exists()
    assert intervention.author == worker and response.json()["id"] == str(intervention.public_id)


def test_an_api_error_is_a_400_with_field_and_french_reason(
    org: Any, worker: Any, api: Any, household: Any
) -> None:
    response = api(worker).post(
        "/api/v1/interventions/",
        {"household": str(household.public_id), "kind": "phone_out", "occurred_on": "2099-01-01"},
    )
    assert response.status_code == 400
    assert "planifiez-le" in response.json()["occurred_on"][0]


def test_a_refused_api_write_changes_nothing(
    org: Any, worker: Any, member_of: Any, api: Any, in_org: Any
) -> None:
    made = _seed(org, worker)
    client = api(member_of(org, "read_only"))
    response = client.post(
        f"/api/v1/social-cases/{made['case'].public_id}/close/", {"outcome": "goal_reached"}
    )
    assert response.status_code == 403
    response = client.post(
        "/api/v1/interventions/",
        {"household": str(made["household"].public_id), "kind": "phone_out"},
    )
    assert response.status_code == 403
    with in_org(org):
        assert SocialCase.objects.get(pk=made["case"].pk).status == "open"
        assert Intervention.objects.count() == 1


def test_an_arrears_officer_logs_for_the_arrears_service_and_reads_those_notes(
    org: Any, member_of: Any, api: Any, household: Any
) -> None:
    officer = member_of(org, "arrears_officer")
    response = api(officer).post(
        "/api/v1/interventions/",
        {
            "household": str(household.public_id),
            "kind": "phone_out",
            "note": "Promesse de paiement",
        },
    )
    assert response.status_code == 201
    assert (
        response.json()["service"] == "arrears"
        and response.json()["note"] == "Promesse de paiement"
    )


def test_social_case_lifecycle_through_the_api(
    org: Any, worker: Any, api: Any, household: Any
) -> None:
    client = api(worker)
    partner = PartnerFactory(organization=org, name="AMLI", kind="association")
    created = client.post(
        "/api/v1/social-cases/",
        {
            "household": str(household.public_id),
            "motives": ["arrears"],
            "referent": str(worker.public_id),
            "mode": "asll",
            "external_partner": str(partner.public_id),
        },
    )
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    end = datetime.date.fromisoformat(created.json()["planned_end_on"])
    extended = client.post(
        f"/api/v1/social-cases/{case_id}/extend/",
        {"new_end_on": (end + datetime.timedelta(days=30)).isoformat(), "reason": "FSL"},
    )
    assert (
        extended.status_code == 200
        and extended.json()["planned_end_on"] == (end + datetime.timedelta(days=30)).isoformat()
    )
    bad = client.post(
        f"/api/v1/social-cases/{case_id}/extend/", {"new_end_on": end.isoformat(), "reason": "x"}
    )
    assert bad.status_code == 400 and "new_end_on" in bad.json()
    closed = client.post(f"/api/v1/social-cases/{case_id}/close/", {"outcome": "goal_reached"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = client.post(f"/api/v1/social-cases/{case_id}/close/", {"outcome": "goal_reached"})
    assert again.status_code == 400 and "status" in again.json()
    assert client.get("/api/v1/social-cases/", status="closed").json()["count"] == 1
    assert client.get("/api/v1/social-cases/", status="active").json()["count"] == 0


def test_campaign_through_the_api(org: Any, worker: Any, api: Any, tenant: Any) -> None:
    client = api(worker)
    created = client.post(
        "/api/v1/outreach-campaigns/",
        {
            "name": "Grand froid",
            "kind": "cold_wave",
            "starts_on": TODAY.isoformat(),
            "criteria": {"tenants_only": True},
            "callers": [str(worker.public_id)],
        },
    )
    assert created.status_code == 201, created.content
    campaign_id = created.json()["id"]
    assert client.post(f"/api/v1/outreach-campaigns/{campaign_id}/generate/").json()["added"] == 1
    assert (
        client.post(
            f"/api/v1/outreach-campaigns/{campaign_id}/status/", {"status": "active"}
        ).status_code
        == 200
    )
    targets = client.get(f"/api/v1/outreach-campaigns/{campaign_id}/targets/").json()["results"]
    called = client.post(
        f"/api/v1/outreach-campaigns/{campaign_id}/contacts/",
        {"target": targets[0]["id"], "status": "reached"},
    )
    assert called.status_code == 200 and called.json()["status"] == "reached"
    progress = client.get(f"/api/v1/outreach-campaigns/{campaign_id}/").json()["progress"]
    assert progress["reached"] == 1 and progress["total"] == 1


def test_adaptation_and_programme_through_the_api(
    org: Any, worker: Any, api: Any, household: Any
) -> None:
    client = api(worker)
    created = client.post(
        "/api/v1/adaptation-requests/",
        {
            "household": str(household.public_id),
            "kind": "bath_to_shower",
            "estimated_cost": "3500.00",
        },
    )
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    assert (
        client.post(
            f"/api/v1/adaptation-requests/{rid}/decision/",
            {"status": "approved", "studied_on": TODAY.isoformat()},
        ).status_code
        == 200
    )
    carsat = PartnerFactory(organization=org, name="CARSAT", kind="carsat")
    funded = client.post(
        f"/api/v1/adaptation-requests/{rid}/funding/",
        {"partner": str(carsat.public_id), "amount": "1200.00"},
    )
    assert funded.status_code == 200 and funded.json()["fundings"][0]["amount"] == "1200.00"
    programme = client.post(
        "/api/v1/support-programmes/",
        {"name": "10 000 logements accompagnés", "starts_on": "2026-01-01", "target_staying": 30},
    )
    assert programme.status_code == 201, programme.content
    pid = programme.json()["id"]
    enrolment = client.post(
        f"/api/v1/support-programmes/{pid}/enrolments/",
        {"household": str(household.public_id), "kind": "staying"},
    )
    assert enrolment.status_code == 201
    decided = client.post(
        f"/api/v1/support-programmes/{pid}/decisions/",
        {"enrolment": enrolment.json()["id"], "status": "accepted"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    assert client.get(f"/api/v1/support-programmes/{pid}/").json()["achieved_staying"] == 1


def test_appointment_list_query_budget_with_case_and_intervention(
    org: Any, worker: Any, api: Any
) -> None:
    """Each appointment's case and intervention are served by the page's query, not one query
    per row (the benchmark found 63 queries for a page of 50)."""

    def seed(n: int) -> None:
        for _ in range(n):
            household = HouseholdFactory(organization=org)
            AppointmentFactory(
                organization=org,
                household=household,
                worker=worker,
                social_case=SocialCaseFactory(
                    organization=org, household=household, referent=worker
                ),
                intervention=InterventionFactory(
                    organization=org, household=household, author=worker
                ),
            )

    client = api(worker)
    seed(1)
    client.get("/api/v1/appointments/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/appointments/").status_code == 200
    seed(6)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/appointments/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 7 and all(r["social_case"] and r["intervention"] for r in rows)
    assert len(many) == len(few) <= 20
