"""The secretariat's admin pages (issue 5): commissions and their seats, and a demand's edit,
renewal and radiation. For each page: the allowed role makes the change; a role without the
right gets 403 and nothing changes; bad input answers a French form error and nothing changes.
Another organisation's object is covered by tests/core/test_isolation_sweep.py (`model=`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from allocations.enums import ApplicationStatus, QuorumRule, Seat
from allocations.models import Commission, CommissionMember
from tests.allocations.factories import (
    AttendanceFactory,
    CommissionFactory,
    CommissionMemberFactory,
    CommissionSessionFactory,
    HousingApplicationFactory,
)
from tests.organizations.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def commission_data(territory: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "CALEOL Moselle",
        "territory": territory.pk,
        "quorum_rule": QuorumRule.FIXED,
        "quorum_minimum": 4,
        "remote_allowed": "on",
        "voting_window_hours": 48,
        "internal_rules_adopted_on": "2025-01-15",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def member_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "full_name": "Mme Martin",
        "seat": Seat.TENANTS,
        "is_voting": "on",
        "commune_insee": "",
        "epci_code": "",
        "partner": "",
        "user": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


# --- Commissions ---------------------------------------------------------------------------------


def test_manager_creates_a_commission(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    territory = TerritoryFactory(organization=org)
    client = client_for(member_of(org, "manager"), org)
    assert client.get("/attributions/commissions/nouvelle/").status_code == 200
    response = client.post("/attributions/commissions/nouvelle/", commission_data(territory))
    assert response.status_code == 302
    with in_org(org):
        commission = Commission.objects.get(name="CALEOL Moselle")
    assert commission.territory_id == territory.pk
    assert commission.quorum_rule == QuorumRule.FIXED
    assert commission.quorum_minimum == 4
    assert commission.remote_allowed is True
    assert commission.voting_window_hours == 48
    assert commission.internal_rules_adopted_on == datetime.date(2025, 1, 15)


def test_secretary_cannot_create_a_commission(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    territory = TerritoryFactory(organization=org)
    client = client_for(member_of(org, "commission_secretary"), org)
    assert client.get("/attributions/commissions/nouvelle/").status_code == 403
    response = client.post("/attributions/commissions/nouvelle/", commission_data(territory))
    assert response.status_code == 403
    with in_org(org):
        assert not Commission.objects.exists()


def test_commission_create_with_a_duplicate_name_explains_in_french(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    existing = CommissionFactory(organization=org, name="CALEOL Moselle")
    client = client_for(member_of(org, "org_admin"), org)
    response = client.post(
        "/attributions/commissions/nouvelle/", commission_data(existing.territory)
    )
    assert response.status_code == 200
    assert "Une commission porte déjà ce nom." in response.content.decode()
    with in_org(org):
        assert Commission.objects.count() == 1


def test_manager_edits_a_commission(org: Any, member_of: Any, client_for: Any, in_org: Any) -> None:
    commission = CommissionFactory(organization=org, remote_allowed=True)
    other_territory = TerritoryFactory(organization=org)
    url = f"/attributions/commissions/{commission.public_id}/"
    client = client_for(member_of(org, "manager"), org)
    assert client.get(url).status_code == 200
    data = commission_data(other_territory, name="CALEOL Nord")
    del data["remote_allowed"]
    assert client.post(url, data).status_code == 302
    with in_org(org):
        commission.refresh_from_db()
    assert commission.name == "CALEOL Nord"
    assert commission.territory_id == other_territory.pk
    assert commission.remote_allowed is False
    assert commission.quorum_rule == QuorumRule.FIXED


def test_secretary_cannot_edit_a_commission(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    commission = CommissionFactory(organization=org, name="CALEOL Sud")
    url = f"/attributions/commissions/{commission.public_id}/"
    client = client_for(member_of(org, "commission_secretary"), org)
    response = client.post(url, commission_data(commission.territory, name="Changée"))
    assert response.status_code == 403
    with in_org(org):
        commission.refresh_from_db()
    assert commission.name == "CALEOL Sud"


def test_commission_edit_with_bad_input_explains_in_french(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    commission = CommissionFactory(organization=org, name="CALEOL Sud", voting_window_hours=24)
    url = f"/attributions/commissions/{commission.public_id}/"
    client = client_for(member_of(org, "manager"), org)
    response = client.post(
        url, commission_data(commission.territory, name="", voting_window_hours=0)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce champ est obligatoire." in body
    assert "supérieure ou égale à 1" in body
    with in_org(org):
        commission.refresh_from_db()
    assert commission.name == "CALEOL Sud"
    assert commission.voting_window_hours == 24


def test_commission_list_links_to_the_admin_pages_for_the_manager_only(
    org: Any, member_of: Any, client_for: Any
) -> None:
    member = CommissionMemberFactory(organization=org)
    body = client_for(member_of(org, "manager"), org).get("/attributions/commissions/")
    assert f"/attributions/commissions/{member.commission.public_id}/" in body.content.decode()
    assert f"/attributions/commissions/membres/{member.public_id}/" in body.content.decode()
    body = client_for(member_of(org, "commission_secretary"), org).get("/attributions/commissions/")
    assert "/attributions/commissions/nouvelle/" not in body.content.decode()


# --- Seats ---------------------------------------------------------------------------------------


def test_manager_adds_a_member(org: Any, member_of: Any, client_for: Any, in_org: Any) -> None:
    commission = CommissionFactory(organization=org)
    url = f"/attributions/commissions/{commission.public_id}/membres/"
    client = client_for(member_of(org, "manager"), org)
    assert client.get(url).status_code == 200
    assert client.post(url, member_data()).status_code == 302
    with in_org(org):
        member = CommissionMember.objects.get(commission=commission)
    assert (member.full_name, member.seat, member.is_voting) == ("Mme Martin", Seat.TENANTS, True)


def test_a_seat_is_linked_to_an_account_of_the_organisation_only(
    org: Any, other_org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    commission = CommissionFactory(organization=org)
    url = f"/attributions/commissions/{commission.public_id}/membres/"
    voter = member_of(org, "commission_member")
    stranger = member_of(other_org, "commission_member")
    client = client_for(member_of(org, "manager"), org)
    response = client.post(url, member_data(user=stranger.pk))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert client.post(url, member_data(user=voter.pk)).status_code == 302
    with in_org(org):
        member = CommissionMember.objects.get(commission=commission)
    assert member.user_id == voter.pk


def test_secretary_cannot_add_a_member(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    commission = CommissionFactory(organization=org)
    url = f"/attributions/commissions/{commission.public_id}/membres/"
    client = client_for(member_of(org, "commission_secretary"), org)
    assert client.post(url, member_data()).status_code == 403
    with in_org(org):
        assert not CommissionMember.objects.exists()


def test_reservataire_seat_without_its_partner_explains_in_french(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    commission = CommissionFactory(organization=org)
    url = f"/attributions/commissions/{commission.public_id}/membres/"
    client = client_for(member_of(org, "manager"), org)
    response = client.post(url, member_data(seat=Seat.RESERVATAIRE))
    assert response.status_code == 200
    assert "Un siège de réservataire désigne le réservataire." in response.content.decode()
    with in_org(org):
        assert not CommissionMember.objects.exists()


def test_manager_edits_a_members_seat_and_voting_status(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    member = CommissionMemberFactory(organization=org, seat=Seat.BOARD, is_voting=True)
    url = f"/attributions/commissions/membres/{member.public_id}/"
    client = client_for(member_of(org, "org_admin"), org)
    assert client.get(url).status_code == 200
    data = member_data(full_name="M. Durand", seat=Seat.MAYOR, commune_insee="57463")
    del data["is_voting"]
    assert client.post(url, data).status_code == 302
    with in_org(org):
        member.refresh_from_db()
    assert (member.full_name, member.seat, member.is_voting, member.commune_insee) == (
        "M. Durand",
        Seat.MAYOR,
        False,
        "57463",
    )


def test_secretary_cannot_edit_a_member(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    member = CommissionMemberFactory(organization=org, seat=Seat.BOARD, full_name="Avant")
    url = f"/attributions/commissions/membres/{member.public_id}/"
    client = client_for(member_of(org, "commission_secretary"), org)
    assert client.post(url, member_data(full_name="Après")).status_code == 403
    with in_org(org):
        member.refresh_from_db()
    assert member.full_name == "Avant"


def test_a_consultative_seat_cannot_be_made_voting(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    member = CommissionMemberFactory(organization=org, seat=Seat.BOARD, full_name="Avant")
    url = f"/attributions/commissions/membres/{member.public_id}/"
    client = client_for(member_of(org, "manager"), org)
    response = client.post(url, member_data(full_name="Après", seat=Seat.ASSOCIATION))
    assert response.status_code == 200
    assert "qu&#x27;une voix consultative" in response.content.decode()
    with in_org(org):
        member.refresh_from_db()
    assert (member.full_name, member.seat) == ("Avant", Seat.BOARD)


def test_manager_removes_a_member_and_one_who_sat_stays_in_history(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    fresh = CommissionMemberFactory(organization=org)
    sat = CommissionMemberFactory(organization=org, commission=fresh.commission)
    session = CommissionSessionFactory(organization=org, commission=fresh.commission)
    AttendanceFactory(organization=org, session=session, member=sat)
    client = client_for(member_of(org, "manager"), org)
    url = f"/attributions/commissions/membres/{fresh.public_id}/retrait/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert (
        client.post(f"/attributions/commissions/membres/{sat.public_id}/retrait/").status_code
        == 302
    )
    with in_org(org):
        assert not CommissionMember.objects.filter(pk=fresh.pk).exists()
        sat.refresh_from_db()
    assert sat.is_active is False


def test_secretary_cannot_remove_a_member(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    member = CommissionMemberFactory(organization=org)
    client = client_for(member_of(org, "commission_secretary"), org)
    url = f"/attributions/commissions/membres/{member.public_id}/retrait/"
    assert client.post(url).status_code == 403
    with in_org(org):
        member.refresh_from_db()
    assert member.is_active is True


# --- Demands: edit, renew, radiate ---------------------------------------------------------------


def application_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "new",
        "transfer_reason": "",
        "desired_communes": "57463, 57672",
        "desired_typologies": ["T3", "T4"],
        "max_rent": "650",
        "max_floor": "3",
        "needs_lift": "on",
        "adults": "2",
        "children": "2",
        "declared_monthly_resources": "2100",
        "verified_monthly_resources": "2050",
        "declared_annual_income": "24000",
        "verified_annual_income": "",
        "epci_code": "200039865",
        "score": "120",
        "p-TOTAL_FORMS": "2",
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "1000",
        "p-0-criterion": "dalo",
        "p-0-proof_type": "Décision de la commission de médiation",
        "p-0-labelling_source": "dalo_commission",
        "p-0-labelled_on": "2026-01-10",
        "p-1-criterion": "",
        "p-1-proof_type": "",
        "p-1-labelling_source": "",
        "p-1-labelled_on": "",
    }
    data.update(overrides)
    return data


def test_social_worker_edits_wishes_income_and_priorities(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    application = HousingApplicationFactory(organization=org)
    url = f"/attributions/demandes/{application.public_id}/modifier/"
    client = client_for(member_of(org, "social_worker"), org)
    assert client.get(url).status_code == 200
    response = client.post(url, application_data())
    assert response.status_code == 302
    with in_org(org):
        application.refresh_from_db()
        priorities = list(application.priorities.values_list("criterion", "labelling_source"))
    assert application.desired_communes == ["57463", "57672"]
    assert application.desired_typologies == ["T3", "T4"]
    assert application.max_rent == Decimal("650")
    assert application.children == 2
    assert application.declared_monthly_resources == Decimal("2100")
    assert application.verified_monthly_resources == Decimal("2050")
    assert priorities == [("dalo", "dalo_commission")]
    assert application.priority_level == 2


def test_read_only_cannot_edit_a_demand(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    application = HousingApplicationFactory(organization=org, children=1)
    url = f"/attributions/demandes/{application.public_id}/modifier/"
    client = client_for(member_of(org, "read_only"), org)
    assert client.get(url).status_code == 403
    assert client.post(url, application_data()).status_code == 403
    with in_org(org):
        application.refresh_from_db()
        assert not application.priorities.exists()
    assert application.children == 1


def test_demand_edit_with_bad_input_explains_in_french_and_saves_nothing(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    application = HousingApplicationFactory(organization=org, children=1)
    url = f"/attributions/demandes/{application.public_id}/modifier/"
    client = client_for(member_of(org, "commission_secretary"), org)
    # A transfer without its reason: refused by the service after the form is valid.
    response = client.post(url, application_data(kind="transfer"))
    assert response.status_code == 200
    assert "Une demande de mutation indique son motif." in response.content.decode()
    # A priority without its proof: refused by the form.
    response = client.post(url, application_data(**{"p-0-proof_type": ""}))
    assert response.status_code == 200
    assert "Indiquez le type de justificatif de ce critère." in response.content.decode()
    with in_org(org):
        application.refresh_from_db()
        assert not application.priorities.exists()
    assert application.children == 1
    assert application.kind == "new"


def test_secretary_renews_a_demand_keeping_its_seniority(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    application = HousingApplicationFactory(
        organization=org, filed_on=datetime.date(2025, 6, 1), expires_on=datetime.date(2026, 6, 1)
    )
    url = f"/attributions/demandes/{application.public_id}/renouveler/"
    client = client_for(member_of(org, "commission_secretary"), org)
    assert client.get(url).status_code == 200
    assert client.post(url, {"renewed_on": "2026-05-20"}).status_code == 302
    with in_org(org):
        application.refresh_from_db()
    assert application.filed_on == datetime.date(2025, 6, 1)
    assert application.renewed_on == datetime.date(2026, 5, 20)
    assert application.expires_on == datetime.date(2027, 5, 20)


def test_read_only_cannot_renew_a_demand(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    application = HousingApplicationFactory(organization=org, expires_on=datetime.date(2026, 6, 1))
    url = f"/attributions/demandes/{application.public_id}/renouveler/"
    client = client_for(member_of(org, "read_only"), org)
    assert client.post(url, {"renewed_on": "2026-05-20"}).status_code == 403
    with in_org(org):
        application.refresh_from_db()
    assert application.renewed_on is None
    assert application.expires_on == datetime.date(2026, 6, 1)


def test_renewal_with_bad_input_explains_in_french(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    application = HousingApplicationFactory(organization=org, expires_on=datetime.date(2026, 6, 1))
    radiated = HousingApplicationFactory(
        organization=org,
        status=ApplicationStatus.RADIATED,
        radiation_reason="renunciation",
        radiated_on=datetime.date(2026, 1, 1),
        expires_on=datetime.date(2026, 6, 1),
    )
    client = client_for(member_of(org, "manager"), org)
    response = client.post(
        f"/attributions/demandes/{application.public_id}/renouveler/", {"renewed_on": "hier"}
    )
    assert response.status_code == 200
    assert "Saisissez une date valide." in response.content.decode()
    response = client.post(
        f"/attributions/demandes/{radiated.public_id}/renouveler/", {"renewed_on": "2026-05-20"}
    )
    assert response.status_code == 200
    assert "Seule une demande active se renouvelle." in response.content.decode()
    with in_org(org):
        application.refresh_from_db()
        radiated.refresh_from_db()
    assert application.expires_on == datetime.date(2026, 6, 1)
    assert radiated.renewed_on is None


def test_secretary_radiates_a_demand_with_its_reason(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    application = HousingApplicationFactory(organization=org)
    url = f"/attributions/demandes/{application.public_id}/radier/"
    client = client_for(member_of(org, "commission_secretary"), org)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "renunciation", "on": "2026-03-02"})
    assert response.status_code == 302
    with in_org(org):
        application.refresh_from_db()
    assert application.status == ApplicationStatus.RADIATED
    assert application.radiation_reason == "renunciation"
    assert application.radiated_on == datetime.date(2026, 3, 2)


def test_read_only_cannot_radiate_a_demand(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    application = HousingApplicationFactory(organization=org)
    url = f"/attributions/demandes/{application.public_id}/radier/"
    client = client_for(member_of(org, "read_only"), org)
    assert client.post(url, {"reason": "renunciation", "on": "2026-03-02"}).status_code == 403
    with in_org(org):
        application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVE


def test_radiation_without_a_valid_reason_explains_in_french(
    org: Any, member_of: Any, client_for: Any, in_org: Any
) -> None:
    application = HousingApplicationFactory(organization=org)
    url = f"/attributions/demandes/{application.public_id}/radier/"
    client = client_for(member_of(org, "commission_secretary"), org)
    # Attribution is recorded by the lease signature only, never by hand.
    response = client.post(url, {"reason": "attribution", "on": "2026-03-02"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    with in_org(org):
        application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVE
    assert application.radiation_reason == ""


def test_application_detail_links_to_edit_renew_and_radiate(
    org: Any, member_of: Any, client_for: Any
) -> None:
    application = HousingApplicationFactory(organization=org)
    body = (
        client_for(member_of(org, "social_worker"), org)
        .get(f"/attributions/demandes/{application.public_id}/")
        .content.decode()
    )
    for suffix in ("modifier", "renouveler", "radier"):
        assert f"/attributions/demandes/{application.public_id}/{suffix}/" in body
    body = (
        client_for(member_of(org, "read_only"), org)
        .get(f"/attributions/demandes/{application.public_id}/")
        .content.decode()
    )
    assert "/modifier/" not in body
