"""Pages of the privacy app: allowed role, a role without the right (403, nothing changed),
another organisation (404), query budgets on lists."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AccessEvent
from privacy.enums import ErasureStatus
from privacy.models import ConsentRecord, ErasureRequest, LegalHold, RetentionRun
from tests.housing.factories import HouseholdFactory
from tests.privacy.factories import ConsentRecordFactory, ErasureRequestFactory, LegalHoldFactory

pytestmark = pytest.mark.django_db


def _events(org: Any, household: Any, users: list[Any], in_org: Any) -> None:
    with in_org(org):
        for user in users:
            AccessEvent.objects.create(
                organization=org,
                user=user,
                object_type="housing.Household",
                object_id=household.public_id,
                household_id=household.public_id,
                context="Fiche du ménage",
            )


def test_who_saw_this_lists_the_household_reads(
    client_for: Any, org: Any, member_of: Any, in_org: Any, django_assert_max_num_queries: Any
) -> None:
    manager = member_of(org, "manager")
    readers = [member_of(org, "social_worker") for _ in range(5)]
    household = HouseholdFactory(organization=org)
    other = HouseholdFactory(organization=org)
    _events(org, household, readers, in_org)
    _events(org, other, readers[:1], in_org)
    client = client_for(manager, org)
    url = reverse("privacy:household_access_log", args=[household.public_id])
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 5
    assert (
        readers[0].email in response.content.decode()
        or readers[0].get_full_name() in response.content.decode()
    )


def test_who_saw_this_is_refused_to_a_social_worker(
    client_for: Any, org: Any, member_of: Any
) -> None:
    worker = member_of(org, "social_worker")
    household = HouseholdFactory(organization=org)
    url = reverse("privacy:household_access_log", args=[household.public_id])
    assert client_for(worker, org).get(url).status_code == 403


def test_who_saw_this_of_another_organisation_is_404(
    client_for: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    manager = member_of(org, "manager")
    household = HouseholdFactory(organization=other_org)
    url = reverse("privacy:household_access_log", args=[household.public_id])
    assert client_for(manager, org).get(url).status_code == 404


def test_access_log_export_is_a_csv_of_the_period_and_of_the_organisation_only(
    client_for: Any, org: Any, other_org: Any, member_of: Any, in_org: Any
) -> None:
    manager = member_of(org, "manager")
    reader = member_of(org, "social_worker")
    household = HouseholdFactory(organization=org)
    _events(org, household, [reader, reader], in_org)
    theirs = HouseholdFactory(organization=other_org)
    _events(other_org, theirs, [member_of(other_org, "social_worker")], in_org)
    today = timezone.localdate()
    response = client_for(manager, org).get(
        reverse("privacy:access_log_export"), {"start": today.isoformat(), "end": today.isoformat()}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert len(lines) == 3  # header + 2 rows
    assert str(theirs.public_id) not in "\n".join(lines)
    # A period that ended yesterday has nothing.
    yesterday = today - datetime.timedelta(days=1)
    response = client_for(manager, org).get(
        reverse("privacy:access_log_export"),
        {"start": yesterday.isoformat(), "end": yesterday.isoformat()},
    )
    assert len(response.content.decode().strip().splitlines()) == 1


def test_access_log_export_is_refused_to_read_only(
    client_for: Any, org: Any, member_of: Any
) -> None:
    user = member_of(org, "read_only")
    assert client_for(user, org).get(reverse("privacy:access_log_export")).status_code == 403


def test_retention_report_page_csv_and_pdf(client_for: Any, org: Any, member_of: Any) -> None:
    manager = member_of(org, "manager")
    client = client_for(manager, org)
    response = client.get(reverse("privacy:retention"), {"day": "2030-01-01"})
    assert response.status_code == 200
    assert any(r["key"] == "housing.former_tenants" for r in response.context["results"])
    csv_response = client.get(reverse("privacy:retention_csv"))
    assert "housing.former_tenants" in csv_response.content.decode()
    pdf = client.get(reverse("privacy:retention_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_only_an_org_admin_applies_retention_now(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    manager = member_of(org, "manager")
    assert client_for(manager, org).post(reverse("privacy:retention_run")).status_code == 403
    with in_org(org):
        assert not RetentionRun.objects.exists()
    admin = member_of(org, "org_admin")
    assert client_for(admin, org).post(reverse("privacy:retention_run")).status_code == 302
    with in_org(org):
        assert RetentionRun.objects.get().created_by == admin


def test_arrears_officer_sets_and_lifts_a_legal_hold(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    officer = member_of(org, "arrears_officer")
    household = HouseholdFactory(organization=org)
    client = client_for(officer, org)
    response = client.post(
        reverse("privacy:legal_hold_set", args=[household.public_id]),
        {"reason": "Procédure en cours"},
    )
    assert response.status_code == 302
    with in_org(org):
        hold = LegalHold.objects.get(household=household)
        assert household.timeline_events.filter(kind="legal_hold_set").exists()
    response = client.post(
        reverse("privacy:legal_hold_lift", args=[hold.public_id]), {"lift_reason": "Jugement rendu"}
    )
    assert response.status_code == 302
    with in_org(org):
        hold.refresh_from_db()
    assert hold.lifted_on == timezone.localdate() and hold.lifted_by == officer


def test_a_commission_member_cannot_set_a_hold(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    user = member_of(org, "commission_member")
    household = HouseholdFactory(organization=org)
    url = reverse("privacy:legal_hold_set", args=[household.public_id])
    assert client_for(user, org).post(url, {"reason": "x"}).status_code == 403
    with in_org(org):
        assert not LegalHold.objects.exists()


def test_a_hold_of_another_organisation_cannot_be_lifted(
    client_for: Any, org: Any, other_org: Any, member_of: Any, in_org: Any
) -> None:
    manager = member_of(org, "manager")
    hold = LegalHoldFactory(organization=other_org)
    url = reverse("privacy:legal_hold_lift", args=[hold.public_id])
    assert client_for(manager, org).post(url, {"lift_reason": "x"}).status_code == 404
    with in_org(other_org):
        hold.refresh_from_db()
    assert hold.lifted_on is None


def test_erasure_request_is_recorded_then_decided_with_its_reason(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    manager = member_of(org, "manager")
    household = HouseholdFactory(organization=org)
    client = client_for(manager, org)
    response = client.post(
        reverse("privacy:erasure_request_create", args=[household.public_id]),
        {"requester_name": "Marie Durand", "received_on": "2026-01-05", "scope": "Tout effacer"},
    )
    assert response.status_code == 302
    with in_org(org):
        request = ErasureRequest.objects.get()
    url = reverse("privacy:erasure_request_decide", args=[request.public_id])
    response = client.post(url, {"status": ErasureStatus.REFUSED, "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        url,
        {"status": ErasureStatus.REFUSED, "reason": "Procédure d'impayé en cours (art. 17.3.e)"},
    )
    assert response.status_code == 302
    with in_org(org):
        request.refresh_from_db()
    assert request.status == ErasureStatus.REFUSED and request.decided_by == manager
    assert client.get(reverse("privacy:erasure_requests")).status_code == 200


def test_a_social_worker_cannot_decide_an_erasure_request(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    worker = member_of(org, "social_worker")
    request = ErasureRequestFactory(organization=org)
    url = reverse("privacy:erasure_request_decide", args=[request.public_id])
    assert client_for(worker, org).post(url, {"status": "accepted"}).status_code == 403
    with in_org(org):
        request.refresh_from_db()
    assert request.status == ErasureStatus.RECEIVED


def test_consents_recorded_with_default_expiry_and_withdrawn(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    worker = member_of(org, "social_worker")
    household = HouseholdFactory(organization=org)
    client = client_for(worker, org)
    url = reverse("privacy:household_consents", args=[household.public_id])
    response = client.post(url, {"purpose": "partner_sharing", "given_on": "2026-01-10"})
    assert response.status_code == 302
    with in_org(org):
        consent = ConsentRecord.objects.get()
    assert consent.expires_on == datetime.date(2028, 1, 10)
    assert client.get(url).status_code == 200
    response = client.post(reverse("privacy:consent_withdraw", args=[consent.public_id]))
    assert response.status_code == 302
    with in_org(org):
        consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert not consent.is_valid_on(timezone.localdate())


def test_read_only_cannot_record_a_consent(
    client_for: Any, org: Any, member_of: Any, in_org: Any
) -> None:
    user = member_of(org, "read_only")
    household = HouseholdFactory(organization=org)
    url = reverse("privacy:household_consents", args=[household.public_id])
    assert (
        client_for(user, org)
        .post(url, {"purpose": "contact", "given_on": "2026-01-10"})
        .status_code
        == 403
    )
    with in_org(org):
        assert not ConsentRecord.objects.exists()


def test_a_consent_of_another_organisation_cannot_be_withdrawn(
    client_for: Any, org: Any, other_org: Any, member_of: Any, in_org: Any
) -> None:
    worker = member_of(org, "social_worker")
    consent = ConsentRecordFactory(organization=other_org)
    url = reverse("privacy:consent_withdraw", args=[consent.public_id])
    assert client_for(worker, org).post(url).status_code == 404
    with in_org(other_org):
        consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_index_for_managers_only(client_for: Any, org: Any, member_of: Any) -> None:
    assert (
        client_for(member_of(org, "manager"), org).get(reverse("privacy:index")).status_code == 200
    )
    assert (
        client_for(member_of(org, "social_worker"), org).get(reverse("privacy:index")).status_code
        == 403
    )
