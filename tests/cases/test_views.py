"""Pages: who may enter, what they see (notes!), the caseload and fast logging."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Intervention, SocialCase
from core.models import AccessEvent
from tests.cases.factories import (
    AdaptationRequestFactory,
    AppointmentFactory,
    CampaignTargetFactory,
    CaseReviewFactory,
    CaseReviewItemFactory,
    EvaluationFactory,
    InterventionFactory,
    OutreachCampaignFactory,
    ProgrammeEnrolmentFactory,
    ReferralFactory,
    SocialCaseFactory,
    SupportProgrammeFactory,
)
from tests.housing.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def objects(org: Any, worker: Any) -> dict[str, Any]:
    household = HouseholdFactory(organization=org)
    case = SocialCaseFactory(organization=org, household=household, referent=worker)
    return {
        "household": household,
        "case": case,
        "intervention": InterventionFactory(
            organization=org, household=household, author=worker, social_case=case
        ),
        "evaluation": EvaluationFactory(organization=org, household=household, author=worker),
        "referral": ReferralFactory(organization=org, household=household),
        "appointment": AppointmentFactory(organization=org, household=household, worker=worker),
        "campaign": OutreachCampaignFactory(organization=org, status="active"),
        "target": CampaignTargetFactory(organization=org, household=household, assigned_to=worker),
        "adaptation": AdaptationRequestFactory(organization=org, household=household),
        "review": CaseReviewFactory(organization=org),
        "item": CaseReviewItemFactory(organization=org, household=household),
        "programme": SupportProgrammeFactory(organization=org),
        "enrolment": ProgrammeEnrolmentFactory(organization=org, household=household),
    }


# (url name, object key or None, a role allowed, a role refused)
PAGES = [
    ("caseload", None, "social_worker", "commission_member"),
    ("household", "household", "arrears_officer", "commission_member"),
    ("intervention_create", "household", "arrears_officer", "read_only"),
    ("social_case_open", "household", "social_worker", "arrears_officer"),
    ("evaluation_create", "household", "social_worker", "manager"),
    ("referral_create", "household", "social_worker", "read_only"),
    ("appointment_create", "household", "social_worker", "commission_member"),
    ("adaptation_create", "household", "manager", "read_only"),
    ("interventions", None, "read_only", "commission_member"),
    ("intervention_export", None, "arrears_officer", "commission_member"),
    ("intervention_detail", "intervention", "arrears_officer", "commission_member"),
    ("social_cases", None, "commission_secretary", "commission_member"),
    ("social_case_detail", "case", "arrears_officer", "commission_member"),
    ("social_case_extend", "case", "social_worker", "arrears_officer"),
    ("social_case_close", "case", "manager", "read_only"),
    ("social_case_status", "case", "social_worker", "read_only"),
    ("evaluations", None, "manager", "arrears_officer"),
    ("evaluation_detail", "evaluation", "social_worker", "arrears_officer"),
    ("evaluation_edit", "evaluation", "social_worker", "manager"),
    ("referrals", None, "read_only", "commission_member"),
    ("referral_outcome", "referral", "social_worker", "read_only"),
    ("appointments", None, "social_worker", "read_only"),
    ("appointment_status", "appointment", "social_worker", "commission_member"),
    ("campaigns", None, "read_only", "commission_member"),
    ("campaign_create", None, "manager", "arrears_officer"),
    ("campaign_detail", "campaign", "arrears_officer", "commission_member"),
    ("campaign_progress", "campaign", "social_worker", "commission_member"),
    ("campaign_call", "target", "arrears_officer", "read_only"),
    ("adaptations", None, "commission_secretary", "commission_member"),
    ("adaptation_detail", "adaptation", "read_only", "commission_member"),
    ("case_reviews", None, "social_worker", "arrears_officer"),
    ("case_review_create", None, "manager", "read_only"),
    ("case_review_detail", "review", "social_worker", "commission_member"),
    ("programmes", None, "read_only", "commission_member"),
    ("programme_create", None, "manager", "read_only"),
    ("programme_detail", "programme", "arrears_officer", "commission_member"),
    ("programme_edit", "programme", "social_worker", "arrears_officer"),
    ("indicators", None, "manager", "arrears_officer"),
]


def _url(name: str, key: str | None, objects: dict[str, Any]) -> str:
    args = [objects[key].public_id] if key else []
    return reverse(f"cases:{name}", args=args)


@pytest.mark.parametrize(("name", "key", "allowed", "refused"), PAGES)
def test_page_is_open_to_allowed_roles_and_refused_to_others(
    name: str,
    key: str | None,
    allowed: str,
    refused: str,
    org: Any,
    member_of: Any,
    client_for: Any,
    objects: dict,
) -> None:
    url = _url(name, key, objects)
    assert client_for(member_of(org, allowed), org).get(url).status_code == 200
    assert client_for(member_of(org, refused), org).get(url).status_code == 403


POSTS = [
    (
        "social_case_close",
        "case",
        "read_only",
        {"outcome": "goal_reached", "closed_on": TODAY.isoformat()},
    ),
    ("social_case_extend", "case", "arrears_officer", {"new_end_on": "2030-01-01", "reason": "x"}),
    ("evaluation_complete", "evaluation", "manager", {}),
    ("campaign_generate", "campaign", "read_only", {}),
    ("campaign_status", "campaign", "social_worker_none", {"status": "closed"}),
    (
        "adaptation_decide",
        "adaptation",
        "read_only",
        {"status": "approved", "studied_on": TODAY.isoformat()},
    ),
    ("case_review_hold", "review", "read_only", {}),
    ("enrolment_decide", "enrolment", "arrears_officer", {"status": "accepted"}),
]


@pytest.mark.parametrize(("name", "key", "refused", "data"), POSTS)
def test_a_refused_write_changes_nothing(
    name: str,
    key: str,
    refused: str,
    data: dict,
    org: Any,
    member_of: Any,
    client_for: Any,
    objects: dict,
    in_org: Any,
) -> None:
    role = "commission_member" if refused == "social_worker_none" else refused
    obj = objects[key]
    with in_org(org):
        before = type(obj).objects.filter(pk=obj.pk).values().get()
    response = client_for(member_of(org, role), org).post(_url(name, key, objects), data)
    assert response.status_code == 403
    with in_org(org):
        after = type(obj).objects.filter(pk=obj.pk).values().get()
    assert before == after


def test_a_refused_intervention_is_not_logged(
    org: Any, member_of: Any, client_for: Any, household: Any, in_org: Any
) -> None:
    url = reverse("cases:intervention_create", args=[household.public_id])
    response = client_for(member_of(org, "commission_member"), org).post(
        url,
        {
            "kind": "phone_out",
            "occurred_on": TODAY.isoformat(),
            "duration_minutes": 5,
            "outcome": "done",
        },
    )
    assert response.status_code == 403
    with in_org(org):
        assert not Intervention.objects.exists()


def test_another_organisations_household_is_a_404(
    org: Any, other_org: Any, worker: Any, client_for: Any
) -> None:
    theirs = HouseholdFactory(organization=other_org)
    client = client_for(worker, org)
    for name in ("household", "intervention_create", "social_case_open"):
        assert client.get(reverse(f"cases:{name}", args=[theirs.public_id])).status_code == 404


# --- Logging a contact ----------------------------------------------------------------------------------


def test_logging_a_contact_with_htmx_swaps_a_confirmation_in_place(
    org: Any, worker: Any, client_for: Any, social_case: Any, in_org: Any
) -> None:
    client = client_for(worker, org)
    url = reverse("cases:intervention_create", args=[social_case.household.public_id])
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and b"<html" not in form.content and b"hx-post" in form.content
    response = client.post(
        url,
        {
            "kind": "home_visit",
            "occurred_on": TODAY.isoformat(),
            "duration_minutes": "45",
            "motive": "arrears",
            "subject": "Plan d'apurement",
            "outcome": "done",
            "note": "SECRET dettes",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "enregistré" in response.content.decode()
    with in_org(org):
        intervention = Intervention.objects.get()
    assert intervention.social_case_id == social_case.pk and intervention.service == "social"
    assert intervention.author == worker


def test_an_invalid_htmx_contact_comes_back_with_its_errors(
    org: Any, worker: Any, client_for: Any, household: Any
) -> None:
    url = reverse("cases:intervention_create", args=[household.public_id])
    response = client_for(worker, org).post(
        url,
        {
            "kind": "phone_out",
            "occurred_on": "2099-01-01",
            "duration_minutes": "5",
            "outcome": "done",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "planifiez-le" in response.content.decode()


def test_an_arrears_officer_logs_contacts_for_the_arrears_service(
    org: Any, member_of: Any, client_for: Any, household: Any, in_org: Any
) -> None:
    url = reverse("cases:intervention_create", args=[household.public_id])
    response = client_for(member_of(org, "arrears_officer"), org).post(
        url,
        {
            "kind": "phone_out",
            "occurred_on": TODAY.isoformat(),
            "duration_minutes": "5",
            "outcome": "done",
        },
    )
    assert response.status_code == 302
    with in_org(org):
        assert Intervention.objects.get().service == "arrears"


def test_a_campaign_call_from_the_caseload(
    org: Any, worker: Any, client_for: Any, objects: dict, in_org: Any
) -> None:
    target = objects["target"]
    target_campaign = target.campaign
    with in_org(org):
        type(target_campaign).objects.filter(pk=target_campaign.pk).update(status="active")
    response = client_for(worker, org).post(
        reverse("cases:campaign_call", args=[target.public_id]),
        {"status": "reached", "duration_minutes": "4"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "enregistré : joint" in response.content.decode()


# --- Caseload -------------------------------------------------------------------------------------------


def _load_caseload(org: Any, worker: Any, n: int) -> None:
    for i in range(n):
        household = HouseholdFactory(organization=org)
        opened = TODAY - datetime.timedelta(days=200 if i % 2 else 10)
        case = SocialCaseFactory(
            organization=org,
            household=household,
            referent=worker,
            opened_on=opened,
            planned_end_on=opened + datetime.timedelta(days=120),
        )
        InterventionFactory(organization=org, household=household, social_case=case, author=worker)
        AppointmentFactory(
            organization=org,
            household=household,
            worker=worker,
            starts_at=timezone.now() + datetime.timedelta(hours=1),
        )
        CampaignTargetFactory(
            organization=org,
            household=household,
            assigned_to=worker,
            campaign=OutreachCampaignFactory(organization=org, status="active"),
        )


def test_the_caseload_shows_what_to_do_today(
    org: Any, worker: Any, client_for: Any, in_org: Any
) -> None:
    silent = HouseholdFactory(organization=org, name="Ménage Silencieux")
    SocialCaseFactory(
        organization=org,
        household=silent,
        referent=worker,
        opened_on=TODAY - datetime.timedelta(days=100),
        planned_end_on=TODAY - datetime.timedelta(days=1),
    )
    someone_elses = HouseholdFactory(organization=org, name="Ménage Collègue")
    SocialCaseFactory(organization=org, household=someone_elses)
    page = client_for(worker, org).get(reverse("cases:caseload")).content.decode()
    assert "Ménage Silencieux" in page and "Ménage Collègue" not in page
    assert "Fin prévue dépassée" in page and "Sans contact depuis 45 jours" in page


def test_the_caseload_is_the_home_page_panel(org: Any, worker: Any, client_for: Any) -> None:
    SocialCaseFactory(
        organization=org,
        referent=worker,
        household=HouseholdFactory(organization=org, name="Ménage Accueil"),
    )
    page = client_for(worker, org).get(reverse("home")).content.decode()
    assert "Mon portefeuille" in page and "Ménage Accueil" in page


def test_the_caseload_has_a_query_budget(
    org: Any, worker: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(worker, org)
    _load_caseload(org, worker, 2)
    client.get(reverse("cases:caseload"))
    with django_assert_max_num_queries(24):
        assert client.get(reverse("cases:caseload")).status_code == 200
    _load_caseload(org, worker, 8)
    with django_assert_max_num_queries(24):
        assert client.get(reverse("cases:caseload")).status_code == 200


LISTS = [
    "interventions",
    "social_cases",
    "evaluations",
    "referrals",
    "appointments",
    "campaigns",
    "adaptations",
    "case_reviews",
    "programmes",
]


def _rows(org: Any, worker: Any, n: int) -> None:
    for _ in range(n):
        household = HouseholdFactory(organization=org)
        case = SocialCaseFactory(organization=org, household=household, referent=worker)
        InterventionFactory(organization=org, household=household, social_case=case, author=worker)
        EvaluationFactory(organization=org, household=household, author=worker)
        ReferralFactory(organization=org, household=household)
        AppointmentFactory(organization=org, household=household, worker=worker)
        OutreachCampaignFactory(organization=org)
        AdaptationRequestFactory(organization=org, household=household)
        CaseReviewItemFactory(organization=org, household=household)
        ProgrammeEnrolmentFactory(organization=org, household=household)


@pytest.mark.parametrize("name", LISTS)
def test_every_list_has_a_query_budget_that_does_not_grow_with_rows(
    name: str, org: Any, worker: Any, client_for: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(worker, org)
    url = reverse(f"cases:{name}")
    _rows(org, worker, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _rows(org, worker, 6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 20


# --- Confidentiality ------------------------------------------------------------------------------------


def test_a_social_worker_reads_notes_and_each_reading_is_logged(
    org: Any, worker: Any, client_for: Any, objects: dict, in_org: Any
) -> None:
    client = client_for(worker, org)
    page = client.get(
        reverse("cases:social_case_detail", args=[objects["case"].public_id])
    ).content.decode()
    assert "Note confidentielle du suivi" in page and "SECRET note d&#x27;intervention" in page
    evaluation = client.get(
        reverse("cases:evaluation_detail", args=[objects["evaluation"].public_id])
    ).content.decode()
    assert "SECRET situation" in evaluation
    with in_org(org):
        logged = set(
            AccessEvent.objects.filter(user=worker).values_list("object_type", "object_id")
        )
    assert ("cases.SocialCase", objects["case"].public_id) in logged
    assert ("cases.Intervention", objects["intervention"].public_id) in logged
    assert ("cases.Evaluation", objects["evaluation"].public_id) in logged


@pytest.mark.parametrize(
    "role", ["arrears_officer", "manager", "read_only", "commission_secretary", "org_admin"]
)
def test_other_roles_never_see_social_notes_in_pages(
    role: str, org: Any, member_of: Any, client_for: Any, objects: dict, in_org: Any
) -> None:
    client = client_for(member_of(org, role), org)
    household = objects["household"]
    urls = [
        reverse("cases:household", args=[household.public_id]),
        reverse("cases:social_case_detail", args=[objects["case"].public_id]),
        reverse("cases:intervention_detail", args=[objects["intervention"].public_id]),
        reverse("cases:evaluation_detail", args=[objects["evaluation"].public_id]),
        reverse("cases:adaptation_detail", args=[objects["adaptation"].public_id]),
        reverse("cases:case_review_detail", args=[objects["review"].public_id]),
        reverse("cases:interventions"),
        reverse("cases:referrals"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403)
        content = response.content.decode()
        assert "SECRET" not in content and "Note confidentielle du suivi" not in content, url
    with in_org(org):
        assert not AccessEvent.objects.filter(object_type__startswith="cases.").exists()


def test_an_arrears_officer_sees_that_a_case_exists_and_its_motive_but_no_note(
    org: Any, member_of: Any, client_for: Any, social_case: Any
) -> None:
    page = (
        client_for(member_of(org, "arrears_officer"), org)
        .get(reverse("cases:household", args=[social_case.household.public_id]))
        .content.decode()
    )
    assert "Accompagnement en cours" in page and "Impayé de loyer" in page
    assert "SECRET" not in page


def test_an_arrears_officer_reads_back_the_notes_of_the_arrears_service_only(
    org: Any, member_of: Any, client_for: Any, household: Any
) -> None:
    officer = member_of(org, "arrears_officer")
    theirs = InterventionFactory(
        organization=org,
        household=household,
        author=officer,
        service="arrears",
        note="NOTE CONTENTIEUX",
    )
    social = InterventionFactory(organization=org, household=household, note="SECRET sociale")
    client = client_for(officer, org)
    assert (
        "NOTE CONTENTIEUX"
        in client.get(
            reverse("cases:intervention_detail", args=[theirs.public_id])
        ).content.decode()
    )
    assert (
        "SECRET"
        not in client.get(
            reverse("cases:intervention_detail", args=[social.public_id])
        ).content.decode()
    )


def test_the_household_file_section_shows_notes_to_social_workers_only(
    org: Any, worker: Any, member_of: Any, rf: Any, objects: dict, in_org: Any
) -> None:
    from django.template.loader import render_to_string

    from cases.household import SECTIONS
    from organizations.models import Membership

    section = SECTIONS[0]
    for user, expected in ((worker, True), (member_of(org, "arrears_officer"), False)):
        request = rf.get("/")
        request.user = user
        request.organization = org
        with in_org(org, user=user):
            request.membership = Membership.objects.get(user=user)
            context = section.context(request, objects["household"])
            html = render_to_string(
                section.template, {**context, "household": objects["household"]}, request=request
            )
        assert ("SECRET note d&#x27;intervention" in html) is expected


def test_the_timeline_never_holds_a_note(
    org: Any, worker: Any, client_for: Any, household: Any, in_org: Any
) -> None:
    from core.models import TimelineEvent

    client = client_for(worker, org)
    client.post(
        reverse("cases:social_case_open", args=[household.public_id]),
        {
            "motives": ["arrears"],
            "referent": worker.pk,
            "mode": "internal",
            "opened_on": TODAY.isoformat(),
            "note": "SECRET ouverture",
        },
    )
    client.post(
        reverse("cases:intervention_create", args=[household.public_id]),
        {
            "kind": "home_visit",
            "occurred_on": TODAY.isoformat(),
            "duration_minutes": "30",
            "outcome": "done",
            "note": "SECRET visite",
        },
    )
    with in_org(org):
        events = list(
            TimelineEvent.objects.filter(household=household).values_list("title", "summary")
        )
        assert SocialCase.objects.filter(household=household).exists()
    assert len(events) == 2
    assert all("SECRET" not in title + summary for title, summary in events)


def test_opening_extending_and_closing_through_pages(
    org: Any, worker: Any, client_for: Any, household: Any, in_org: Any
) -> None:
    client = client_for(worker, org)
    response = client.post(
        reverse("cases:social_case_open", args=[household.public_id]),
        {
            "motives": ["transfer", "isolation"],
            "referent": worker.pk,
            "mode": "internal",
            "opened_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    with in_org(org):
        case = SocialCase.objects.get(household=household)
    client.post(
        reverse("cases:social_case_extend", args=[case.public_id]),
        {
            "new_end_on": (case.planned_end_on + datetime.timedelta(days=30)).isoformat(),
            "reason": "Attente CAF",
        },
    )
    response = client.post(
        reverse("cases:social_case_close", args=[case.public_id]),
        {"outcome": "relayed", "closed_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    with in_org(org):
        case.refresh_from_db()
        assert case.extensions.count() == 1
    assert case.status == "closed" and case.outcome == "relayed"


def test_a_missing_reason_is_a_french_error_on_the_form(
    org: Any, worker: Any, client_for: Any, social_case: Any
) -> None:
    response = client_for(worker, org).post(
        reverse("cases:social_case_extend", args=[social_case.public_id]),
        {"new_end_on": social_case.planned_end_on.isoformat(), "reason": "Attente"},
    )
    assert response.status_code == 400
    assert "postérieure à la fin actuelle" in response.content.decode()


def test_campaign_pages_generate_launch_and_show_progress(
    org: Any, worker: Any, client_for: Any, in_org: Any, tenant: Any
) -> None:
    client = client_for(worker, org)
    response = client.post(
        reverse("cases:campaign_create"),
        {
            "name": "Canicule",
            "kind": "heat_wave",
            "starts_on": TODAY.isoformat(),
            "tenants_only": "on",
            "calls_per_week": "0",
            "callers": [worker.pk],
        },
    )
    assert response.status_code == 302
    from cases.models import OutreachCampaign

    with in_org(org):
        campaign = OutreachCampaign.objects.get()
    client.post(reverse("cases:campaign_generate", args=[campaign.public_id]))
    client.post(reverse("cases:campaign_status", args=[campaign.public_id]), {"status": "active"})
    progress = client.get(
        reverse("cases:campaign_progress", args=[campaign.public_id])
    ).content.decode()
    assert "0 / 1" in progress and "every 30s" in progress


def test_indicators_page_renders(org: Any, member_of: Any, client_for: Any, objects: dict) -> None:
    page = (
        client_for(member_of(org, "manager"), org).get(reverse("cases:indicators")).content.decode()
    )
    assert "interventions sociales" in page


def test_the_export_never_carries_notes(
    org: Any, worker: Any, client_for: Any, objects: dict
) -> None:
    response = client_for(worker, org).get(reverse("cases:intervention_export"))
    content = response.content.decode()
    assert response.status_code == 200 and "Point sur la situation" in content
    assert "SECRET" not in content
