"""Pages and API endpoints: allowed role, role without the right (403, nothing changed),
another organisation (404), query budgets."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from arrears.enums import StepKind
from arrears.models import AccountStatement, ArrearsCase, ProcedureStep, RepaymentPlan
from tests.arrears.conftest import csv_bytes
from tests.arrears.factories import (
    AccountStatementFactory,
    ArrearsCaseFactory,
    BorlooProtocolFactory,
    DebtWriteOffFactory,
    FslAidFactory,
    ProcedureStepFactory,
    RepaymentPlanFactory,
)
from tests.housing.factories import LeaseFactory

pytestmark = pytest.mark.django_db

D = datetime.date
E = Decimal


def api(client, user, org):
    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_X_ORGANIZATION": org.slug}


# --- Pages ------------------------------------------------------------------------------------


def test_officer_dashboard_lists_deadlines_and_breaches_within_a_query_budget(
    org, member_of, client_for, django_assert_max_num_queries
):
    user = member_of(org, "arrears_officer")
    for n in range(5):
        ArrearsCaseFactory(
            organization=org,
            next_deadline_on=datetime.date.today() - datetime.timedelta(days=n + 1),
            next_deadline_label="Signaler l'impayé à la CAF/MSA",
        )
    RepaymentPlanFactory(organization=org, status="breached", breached_on=D(2026, 3, 1))
    client = client_for(user, org)
    with django_assert_max_num_queries(40):
        response = client.get("/impayes/?tous=1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Échéances dépassées" in body
    assert body.count("Signaler l&#x27;impayé à la CAF/MSA") == 5
    assert "Plans d'apurement non respectés" in body


def test_social_worker_cannot_open_the_arrears_pages(org, member_of, client_for):
    client = client_for(member_of(org, "social_worker"), org)
    assert client.get("/impayes/").status_code == 403
    assert client.get("/impayes/dossiers/").status_code == 403


def test_case_list_has_a_query_budget(org, member_of, client_for, django_assert_max_num_queries):
    for _ in range(8):
        ArrearsCaseFactory(organization=org)
    client = client_for(member_of(org, "manager"), org)
    with django_assert_max_num_queries(20):
        response = client.get("/impayes/dossiers/")
    assert response.status_code == 200
    assert response.content.decode().count("/impayes/dossiers/") >= 8


def test_case_detail_and_step_recording(org, member_of, client_for):
    case = ArrearsCaseFactory(organization=org, arrears_on=D(2026, 1, 31))
    client = client_for(member_of(org, "arrears_officer"), org)
    assert client.get(f"/impayes/dossiers/{case.public_id}/").status_code == 200
    response = client.post(
        f"/impayes/dossiers/{case.public_id}/etapes/",
        {"kind": StepKind.CAF_REPORT, "occurred_on": "2026-02-10"},
    )
    assert response.status_code == 302
    # An eviction in the winter truce is refused with the reason.
    response = client.post(
        f"/impayes/dossiers/{case.public_id}/etapes/",
        {"kind": StepKind.EVICTION, "occurred_on": "2026-12-01"},
        follow=True,
    )
    assert "impossible avant" in response.content.decode()


def test_read_only_member_cannot_record_a_step_and_nothing_changes(
    org, member_of, client_for, in_org
):
    case = ArrearsCaseFactory(organization=org)
    client = client_for(member_of(org, "read_only"), org)
    assert client.get(f"/impayes/dossiers/{case.public_id}/").status_code == 200
    response = client.post(
        f"/impayes/dossiers/{case.public_id}/etapes/",
        {"kind": StepKind.CAF_REPORT, "occurred_on": "2026-02-10"},
    )
    assert response.status_code == 403
    with in_org(org):
        assert ProcedureStep.objects.count() == 0


def test_another_organisations_case_is_a_404(org, other_org, member_of, client_for):
    theirs = ArrearsCaseFactory(organization=other_org)
    client = client_for(member_of(org, "arrears_officer"), org)
    assert client.get(f"/impayes/dossiers/{theirs.public_id}/").status_code == 404
    assert (
        client.post(f"/impayes/dossiers/{theirs.public_id}/cloture/", {"reason": "x"}).status_code
        == 404
    )


def test_plan_page_and_creation(org, member_of, client_for, in_org):
    case = ArrearsCaseFactory(organization=org)
    client = client_for(member_of(org, "arrears_officer"), org)
    response = client.post(
        f"/impayes/dossiers/{case.public_id}/plans/",
        {
            "debt_at_signature": "1000,00",
            "monthly_amount": "300",
            "start_month": "2026-03",
            "signed_on": "2026-02-20",
            "approver": "landlord",
        },
    )
    assert response.status_code == 302
    with in_org(org):
        plan = RepaymentPlan.objects.get()
        assert plan.installments.count() == 4
    assert client.get(f"/impayes/plans/{plan.public_id}/").status_code == 200


def test_csv_upload_imports_or_refuses_everything(org, member_of, client_for, in_org):
    LeaseFactory(organization=org, external_ref="BAIL-1")
    client = client_for(member_of(org, "arrears_officer"), org)
    bad = csv_bytes(["BAIL-1;2026-01;530;200;330;0", "BAIL-2;2026-01;530;200;330;0"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/impayes/import/", {"file": SimpleUploadedFile("s.csv", bad, "text/csv")}
    )
    assert response.status_code == 400
    assert "Bail inconnu" in response.content.decode()
    with in_org(org):
        assert AccountStatement.objects.count() == 0
    good = csv_bytes(["BAIL-1;2026-01;530;200;330;0"])
    response = client.post(
        "/impayes/import/", {"file": SimpleUploadedFile("s.csv", good, "text/csv")}
    )
    assert response.status_code == 302
    with in_org(org):
        assert AccountStatement.objects.count() == 1


def test_read_only_member_cannot_import(org, member_of, client_for):
    client = client_for(member_of(org, "read_only"), org)
    assert client.get("/impayes/import/").status_code == 403


def test_indicators_page(org, member_of, client_for):
    client = client_for(member_of(org, "manager"), org)
    response = client.get("/impayes/indicateurs/?annee=2026")
    assert response.status_code == 200
    assert "Taux d'impayés" in response.content.decode()


# --- API --------------------------------------------------------------------------------------


LIST_FACTORIES = [
    ("account-statements", AccountStatementFactory),
    ("arrears-cases", ArrearsCaseFactory),
    ("procedure-steps", ProcedureStepFactory),
    ("repayment-plans", RepaymentPlanFactory),
    ("borloo-protocols", BorlooProtocolFactory),
    ("fsl-aids", FslAidFactory),
    ("debt-write-offs", DebtWriteOffFactory),
]


@pytest.mark.parametrize(("route", "factory"), LIST_FACTORIES)
def test_api_lists_have_a_query_budget_and_hide_other_organisations(
    route, factory, org, other_org, member_of, client, django_assert_max_num_queries
):
    for _ in range(3):
        factory(organization=org)
    theirs = factory(organization=other_org)
    headers = api(client, member_of(org, "arrears_officer"), org)
    with django_assert_max_num_queries(15):
        response = client.get(f"/api/v1/{route}/", **headers)
    assert response.status_code == 200, response.content
    ids = {row["id"] for row in response.json()["results"]}
    assert len(ids) == 3
    assert str(theirs.public_id) not in ids
    assert client.get(f"/api/v1/{route}/{theirs.public_id}/", **headers).status_code == 404


@pytest.mark.parametrize(("route", "factory"), LIST_FACTORIES)
def test_api_refuses_roles_without_the_right(route, factory, org, member_of, client):
    headers = api(client, member_of(org, "social_worker"), org)
    assert client.get(f"/api/v1/{route}/", **headers).status_code == 403


def test_api_bulk_import_with_rows(org, member_of, client, in_org):
    LeaseFactory(organization=org, external_ref="BAIL-1")
    headers = api(client, member_of(org, "arrears_officer"), org)
    rows = [
        {
            "bail": "BAIL-1",
            "mois": "2026-01",
            "quittance": "530,00",
            "aide_logement": "200,00",
            "encaissements": "330,00",
            "solde": "0,00",
        }
    ]
    response = client.post(
        "/api/v1/account-statements/import/",
        {"rows": rows},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    rows.append({**rows[0], "bail": "INCONNU"})
    response = client.post(
        "/api/v1/account-statements/import/",
        {"rows": rows},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "line": 3,
        "column": "bail",
        "reason": "Bail inconnu : « INCONNU ».",
    }
    with in_org(org):
        assert AccountStatement.objects.count() == 1


def test_api_bulk_import_is_refused_to_read_only_and_changes_nothing(
    org, member_of, client, in_org
):
    LeaseFactory(organization=org, external_ref="BAIL-1")
    headers = api(client, member_of(org, "read_only"), org)
    response = client.post(
        "/api/v1/account-statements/import/",
        {
            "rows": [
                {
                    "bail": "BAIL-1",
                    "mois": "2026-01",
                    "quittance": "1",
                    "aide_logement": "0",
                    "encaissements": "0",
                    "solde": "1",
                }
            ]
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403
    with in_org(org):
        assert AccountStatement.objects.count() == 0


def test_api_step_creation_refuses_impossible_dates_with_the_reason(org, member_of, client, in_org):
    case = ArrearsCaseFactory(organization=org, arrears_on=D(2026, 1, 31))
    headers = api(client, member_of(org, "arrears_officer"), org)
    response = client.post(
        "/api/v1/procedure-steps/",
        {"case": str(case.public_id), "kind": "caf_report", "occurred_on": "2026-02-10"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    response = client.post(
        "/api/v1/procedure-steps/",
        {"case": str(case.public_id), "kind": "summons", "occurred_on": "2026-02-11"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert "commandement de payer" in response.json()["kind"][0]


def test_api_case_write_is_refused_to_read_only(org, member_of, client, in_org):
    lease = LeaseFactory(organization=org)
    headers = api(client, member_of(org, "read_only"), org)
    response = client.post(
        "/api/v1/arrears-cases/",
        {"lease": str(lease.public_id), "arrears_on": "2026-01-31", "debt": "900.00"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403
    with in_org(org):
        assert ArrearsCase.objects.count() == 0


def test_api_plan_creation_generates_the_schedule(org, member_of, client):
    case = ArrearsCaseFactory(organization=org)
    headers = api(client, member_of(org, "arrears_officer"), org)
    response = client.post(
        "/api/v1/repayment-plans/",
        {
            "case": str(case.public_id),
            "debt_at_signature": "1000.00",
            "monthly_amount": "300.00",
            "start_month": "2026-03-01",
            "signed_on": "2026-02-20",
            "approver": "caf_msa",
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    amounts = [row["amount"] for row in response.json()["installments"]]
    assert amounts == ["300.00", "300.00", "300.00", "100.00"]


def test_home_panel_and_household_section(org, member_of, client_for):
    case = ArrearsCaseFactory(organization=org)
    officer = client_for(member_of(org, "arrears_officer"), org)
    assert "Tableau de bord du contentieux" in officer.get("/").content.decode()
    social = client_for(member_of(org, "social_worker"), org)
    response = social.get(f"/patrimoine/menages/{case.household.public_id}/")
    assert response.status_code == 200
    assert "Impayés et prévention des expulsions" in response.content.decode()


def test_fsl_decision_and_other_subsidy_from_the_case_page(org, member_of, client_for, in_org):
    from arrears.models import FslAid, SubsidyRequest

    case = ArrearsCaseFactory(organization=org)
    aid = FslAidFactory(organization=org, household=case.household, case=case)
    client = client_for(member_of(org, "arrears_officer"), org)
    assert (
        "Enregistrer la décision"
        in client.get(f"/impayes/dossiers/{case.public_id}/").content.decode()
    )
    response = client.post(
        f"/impayes/fsl/{aid.public_id}/decision/",
        {"outcome": "granted", "decided_on": "2026-04-01", "amount_granted": "650,00"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/impayes/dossiers/{case.public_id}/aides/",
        {
            "funder": "CCAS de Metz",
            "amount_requested": "300",
            "requested_on": "2026-03-01",
            "outcome": "requested",
        },
    )
    assert response.status_code == 302
    with in_org(org):
        aid.refresh_from_db()
        assert (aid.outcome, aid.amount_granted) == ("granted", Decimal("650.00"))
        assert SubsidyRequest.objects.filter(case=case).count() == 1
        assert FslAid.objects.count() == 1


def test_the_case_page_gives_every_field_a_unique_id(
    client_for: Any, member_of: Any, org: Any
) -> None:
    """Several forms on one page: duplicate ids would tie a label to the wrong field."""
    import re

    from tests.arrears.factories import ArrearsCaseFactory

    case = ArrearsCaseFactory(organization=org)
    client = client_for(member_of(org, "arrears_officer"), org)
    html = client.get(f"/impayes/dossiers/{case.public_id}/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert ids, "the case page renders its forms"
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
