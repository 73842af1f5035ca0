"""Pages and API of the reporting app (no worker: jobs stay requested; see test_jobs.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from rest_framework.authtoken.models import Token

from reporting import services
from reporting.enums import ReportStatus
from reporting.models import ReportJob
from tests.reporting.factories import ReportJobFactory

pytestmark = pytest.mark.django_db


def _jobs(org: Any, in_org: Any) -> list[ReportJob]:
    with in_org(org):
        return list(ReportJob.objects.all())


def _api(client: Any, user: Any, org: Any) -> dict[str, str]:
    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_X_ORGANIZATION": org.slug}


# --- Services -------------------------------------------------------------------------------------


def test_an_identical_pending_request_returns_the_same_job(
    org: Any, member_of: Any, in_org: Any
) -> None:
    manager = member_of(org, "manager")
    with in_org(org):
        first, created = services.report_request(organization=org, requested_by=manager, year=2025)
        again, created_again = services.report_request(
            organization=org, requested_by=manager, year=2025
        )
        other, created_other = services.report_request(
            organization=org, requested_by=manager, year=2024
        )
    assert created and not created_again and created_other
    assert again.pk == first.pk and other.pk != first.pk
    assert first.status == ReportStatus.REQUESTED


def test_the_database_refuses_two_pending_jobs_for_one_request(org: Any, in_org: Any) -> None:
    ReportJobFactory(organization=org, status=ReportStatus.QUEUED, request_key="k", error="")
    with pytest.raises(IntegrityError), in_org(org):
        ReportJobFactory(organization=org, status=ReportStatus.RUNNING, request_key="k", error="")


def test_a_request_is_validated_with_french_messages(org: Any, member_of: Any, in_org: Any) -> None:
    with pytest.raises(ValidationError) as error, in_org(org):
        services.report_request(
            organization=org, requested_by=member_of(org, "manager"), year=1999, sections=["x"]
        )
    assert "year" in error.value.message_dict and "sections" in error.value.message_dict


def test_only_legal_transitions_are_allowed() -> None:
    job = ReportJob(status=ReportStatus.DONE)
    assert not job.can_become(ReportStatus.RUNNING)
    job.status = ReportStatus.FAILED
    assert job.can_become(ReportStatus.QUEUED) and not job.can_become(ReportStatus.DONE)


# --- Pages ----------------------------------------------------------------------------------------


def test_a_manager_sees_past_reports_with_who_asked(
    client_for: Any, org: Any, member_of: Any, django_assert_max_num_queries: Any
) -> None:
    manager = member_of(org, "manager")
    for year in (2021, 2022, 2023):
        ReportJobFactory(organization=org, year=year, requested_by=manager)
    client = client_for(manager, org)
    with django_assert_max_num_queries(20):
        response = client.get("/rapports/")
    assert response.status_code == 200
    assert response.content.decode().count(manager.last_name) >= 3


@pytest.mark.parametrize("role", ["social_worker", "commission_member", "arrears_officer"])
def test_other_roles_cannot_see_or_request_reports(
    client_for: Any, org: Any, member_of: Any, in_org: Any, role: str
) -> None:
    client = client_for(member_of(org, role), org)
    assert client.get("/rapports/").status_code == 403
    assert (
        client.post("/rapports/demander/", {"kind": "annual_activity", "year": 2025}).status_code
        == 403
    )
    assert _jobs(org, in_org) == []


def test_requesting_from_the_page_redirects_to_the_live_status(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    client = client_for(member_of(org, "manager"), org)
    data = {"kind": "annual_activity", "year": 2025, "sections": ["tenant_profile"]}
    response = client.post("/rapports/demander/", data)
    assert response.status_code == 302
    (job,) = _jobs(org, in_org)
    assert response["Location"] == f"/rapports/{job.public_id}/"
    assert job.sections == ["tenant_profile"]
    # The same request again: the same job.
    assert client.post("/rapports/demander/", data)["Location"] == response["Location"]
    assert len(_jobs(org, in_org)) == 1
    status = client.get(f"/rapports/{job.public_id}/statut/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in status.content.decode()


def test_an_invalid_request_shows_the_form_again(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    client = client_for(member_of(org, "manager"), org)
    response = client.post("/rapports/demander/", {"kind": "annual_activity", "year": 1990})
    assert response.status_code == 400
    assert _jobs(org, in_org) == []


def test_a_finished_job_stops_polling_and_a_failed_one_offers_a_retry(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    job = ReportJobFactory(organization=org, error="Police introuvable")
    client = client_for(member_of(org, "manager"), org)
    page = client.get(f"/rapports/{job.public_id}/").content.decode()
    assert "Police introuvable" in page and "Relancer" in page and "hx-trigger" not in page
    assert client.post(f"/rapports/{job.public_id}/relancer/").status_code == 302
    with in_org(org):
        job.refresh_from_db()
    assert job.status == ReportStatus.QUEUED and job.error == ""


def test_a_role_without_the_right_cannot_retry(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    job = ReportJobFactory(organization=org)
    client = client_for(member_of(org, "read_only"), org)
    assert client.post(f"/rapports/{job.public_id}/relancer/").status_code == 403
    with in_org(org):
        job.refresh_from_db()
    assert job.status == ReportStatus.FAILED


def test_the_dashboard_shows_the_indicators_and_exports_each_table(
    client_for: Any, org: Any, small_year: dict, member_of: Any
) -> None:
    client = client_for(member_of(org, "manager"), org)
    page = client.get("/rapports/indicateurs/?year=2025").content.decode()
    assert "57,14\xa0%" in page and "<svg" in page and "<script" not in page.split("</head>")[1]
    csv = client.get("/rapports/indicateurs/export/tenants.composition/?year=2025")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Personne seule;3;42,86 %" in text
    figures = client.get("/rapports/indicateurs/export/tenant_profile/?year=2025").content.decode(
        "utf-8-sig"
    )
    assert "tenants.housing_benefit_share;50,00 %;57,14 %;+7,14 pts" in figures
    alsace = small_year["alsace"].public_id
    territory = client.get(f"/rapports/indicateurs/?year=2025&territory={alsace}").content.decode()
    assert "Alsace" in territory
    assert client.get("/rapports/indicateurs/export/nope/").status_code == 404


def test_a_social_worker_has_no_dashboard(client_for: Any, org: Any, member_of: Any) -> None:
    client = client_for(member_of(org, "social_worker"), org)
    assert client.get("/rapports/indicateurs/").status_code == 403
    assert client.get("/rapports/indicateurs/export/tenants.composition/").status_code == 403
    assert 'id="home-indicators"' not in client.get("/").content.decode()


def test_the_home_panel_shows_key_figures_and_alerts_to_managers(
    client_for: Any, org: Any, member_of: Any
) -> None:
    from tests.housing.factories import LeaseFactory

    LeaseFactory(organization=org)  # a tenant with no member and no income
    page = client_for(member_of(org, "manager"), org).get("/").content.decode()
    assert 'id="home-indicators"' in page
    assert 'data-indicator="tenants.households"' in page
    assert 'data-alert="housing.tenants_without_resources"' in page


# --- API ------------------------------------------------------------------------------------------


def test_the_api_accepts_a_request_with_202_and_returns_the_pending_job_again(
    client: Any, org: Any, small_year: dict, member_of: Any, in_org: Any
) -> None:
    headers = _api(client, member_of(org, "manager"), org)
    data = {
        "kind": "annual_activity",
        "year": 2025,
        "territory": str(small_year["alsace"].public_id),
    }
    first = client.post("/api/v1/report-jobs/", data, content_type="application/json", **headers)
    assert first.status_code == 202, first.content
    again = client.post("/api/v1/report-jobs/", data, content_type="application/json", **headers)
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["territory_name"] == "Alsace"
    job_url = f"/api/v1/report-jobs/{first.json()['id']}/"
    assert client.get(job_url, **headers).json()["status"] == "requested"
    assert client.get(job_url + "file/", **headers).status_code == 409


def test_the_api_refuses_a_role_without_the_right_and_creates_nothing(
    client: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    headers = _api(client, member_of(org, "social_worker"), org)
    response = client.post(
        "/api/v1/report-jobs/", {"year": 2025}, content_type="application/json", **headers
    )
    assert response.status_code == 403
    assert client.get("/api/v1/indicators/", **headers).status_code == 403
    assert _jobs(org, in_org) == []


def test_the_api_validates_the_request(client: Any, org: Any, member_of: Any, in_org: Any) -> None:
    headers = _api(client, member_of(org, "manager"), org)
    response = client.post(
        "/api/v1/report-jobs/", {"year": 1990}, content_type="application/json", **headers
    )
    assert response.status_code == 400 and "year" in response.json()
    assert _jobs(org, in_org) == []


def test_the_api_lists_jobs_within_a_query_budget(
    client: Any, org: Any, member_of: Any, django_assert_max_num_queries: Any
) -> None:
    manager = member_of(org, "manager")
    for year in range(2015, 2025):
        ReportJobFactory(organization=org, year=year, requested_by=manager)
    headers = _api(client, manager, org)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/report-jobs/", **headers)
    assert response.json()["count"] == 10


def test_the_indicators_api_gives_every_figure_with_its_definition(
    client: Any, org: Any, small_year: dict, member_of: Any
) -> None:
    headers = _api(client, member_of(org, "read_only"), org)
    body = client.get("/api/v1/indicators/?year=2025", **headers).json()
    by_key = {i["key"]: i for i in body["indicators"]}
    assert by_key["tenants.households"]["value"] == 7
    assert by_key["tenants.households"]["previous"] == 6
    assert by_key["tenants.minima_sociaux_share"]["value"] == "42.86"
    assert by_key["tenants.composition"]["definition"]
    alsace = small_year["alsace"].public_id
    scoped = client.get(f"/api/v1/indicators/?year=2025&territory={alsace}", **headers).json()
    assert {i["key"]: i for i in scoped["indicators"]}["tenants.households"]["value"] == 1
    assert client.get("/api/v1/indicators/?year=abc", **headers).status_code == 400
