"""Partner access under mandate, in the domain: the partner finds its granted households in the
household search and the API, reads their file (and the landlord's social notes only with
`read_notes` and a role that reads notes), logs interventions in the landlord's file (with a
note only under `write_notes`), exports the list; every read lands in the landlord's access
log, naming the partner. The database admits exactly these rows and inserts (raw SQL)."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from cases.models import Intervention
from core import timeline
from core.context import organization_context, set_database_context
from core.models import AccessEvent, TimelineEvent
from housing.services import household_reindex
from privacy import partners
from privacy.models import PartnerAccessGrant
from tests.cases.factories import EvaluationFactory, InterventionFactory, SocialCaseFactory
from tests.housing.factories import LeaseFactory, PersonFactory
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

INTERVENTION = {
    "intervention-kind": "home_visit",
    "intervention-occurred_on": "2026-03-02",
    "intervention-duration_minutes": "60",
    "intervention-motive": "",
    "intervention-subject": "Visite sous mandat",
    "intervention-outcome": "done",
}


@pytest.fixture
def partner(db: Any) -> Any:
    return OrganizationFactory(name="AMLI", slug="amli", kind="association")


class World:
    """A landlord with two households, one granted to the partner; its follow-up with notes."""

    def __init__(
        self, org: Any, partner: Any, member_of: Any, permissions: list[str], tag: str = ""
    ) -> None:
        self.org, self.partner = org, partner
        self.admin = member_of(org, "org_admin")
        self.worker = member_of(partner, "social_worker")
        self.granted = LeaseFactory(
            organization=org,
            household__name=f"Ménage Confié{tag}",
            dwelling__reference=f"LOG-CONFIE-1{tag}",
            dwelling__residence__name="Résidence Les Tilleuls",
        ).household
        PersonFactory(organization=org, household=self.granted, first_name=f"Alice{tag}")
        self.other = LeaseFactory(
            organization=org,
            household__name=f"Ménage Non Confié{tag}",
            dwelling__reference=f"LOG-AUTRE-2{tag}",
        ).household
        PersonFactory(organization=org, household=self.other, first_name=f"Bob{tag}")
        self.case = SocialCaseFactory(
            organization=org, household=self.granted, note="NOTE-DU-SUIVI"
        )
        self.evaluation = EvaluationFactory(
            organization=org, household=self.granted, situation_note="NOTE-EVALUATION"
        )
        self.intervention = InterventionFactory(
            organization=org, household=self.granted, note="NOTE-INTERVENTION-BAILLEUR"
        )
        self.other_intervention = InterventionFactory(
            organization=org, household=self.other, note="NOTE-AUTRE-MENAGE"
        )
        with organization_context(org, user=self.admin):
            household_reindex(self.granted)
            household_reindex(self.other)
            self.grant = partners.partner_grant_create(
                organization=org,
                partner_organization=partner,
                scope="households",
                households=[self.granted],
                permissions=permissions,
                valid_from=datetime.date(2025, 1, 1),
                mandate_reference=f"MANDAT-AMLI-2025{tag}",
                acting_user=self.admin,
            )

    def revoke(self) -> None:
        with organization_context(self.org, user=self.admin):
            grant = PartnerAccessGrant.objects.get(pk=self.grant.pk)
            partners.partner_grant_revoke(grant=grant, acting_user=self.admin)

    def landlord_events(self) -> list[AccessEvent]:
        with organization_context(self.org):
            return list(AccessEvent.objects.select_related("acting_organization").order_by("pk"))

    def landlord_interventions(self) -> list[Intervention]:
        with organization_context(self.org):
            return list(Intervention.objects.filter(household=self.granted, mandate__isnull=False))


@pytest.fixture
def reader(org: Any, partner: Any, member_of: Any) -> World:
    return World(org, partner, member_of, ["read_file"])


@pytest.fixture
def full(org: Any, partner: Any, member_of: Any) -> World:
    return World(
        org, partner, member_of, ["read_file", "log_interventions", "read_notes", "write_notes"]
    )


@pytest.fixture
def logger(org: Any, partner: Any, member_of: Any) -> World:
    """A second grant, possibly in the same test as another world: its own names (Zoé)."""
    return World(org, partner, member_of, ["log_interventions"], tag=" Zoé")


def _as(org_id: int | None, user_id: int | None = None) -> Any:
    set_database_context(org_id, user_id)  # as the application does (partner role included)
    return connection.cursor()


def _ids(cursor: Any, table: str) -> set[int]:
    cursor.execute(f'SELECT id FROM "{table}"')
    return {row[0] for row in cursor.fetchall()}


# --- The database ------------------------------------------------------------------------------


def test_read_file_admits_the_file_and_its_dwelling_but_no_social_follow_up(
    reader: World,
) -> None:
    with _as(reader.partner.pk) as cursor:
        cursor.execute("SELECT reference FROM housing_dwelling")
        assert [row[0] for row in cursor.fetchall()] == ["LOG-CONFIE-1"]
        cursor.execute("SELECT name FROM housing_residence")
        assert [row[0] for row in cursor.fetchall()] == ["Résidence Les Tilleuls"]
        for table in ("cases_socialcase", "cases_evaluation", "cases_intervention"):
            assert _ids(cursor, table) == set(), table


def test_read_notes_admits_the_follow_up_of_the_granted_household_only(full: World) -> None:
    with _as(full.partner.pk) as cursor:
        assert _ids(cursor, "cases_socialcase") == {full.case.pk}
        assert _ids(cursor, "cases_evaluation") == {full.evaluation.pk}
        assert _ids(cursor, "cases_intervention") == {full.intervention.pk}
    full.revoke()
    with _as(full.partner.pk) as cursor:
        for table in ("cases_socialcase", "cases_evaluation", "cases_intervention"):
            assert _ids(cursor, table) == set(), table


def _insert_intervention(cursor: Any, world: World, **values: Any) -> None:
    row = {
        "organization_id": world.org.pk,
        "household_id": world.granted.pk,
        "author_id": world.worker.pk,
        "mandate_id": world.grant.pk,
        "note": "",
        "social_case_id": None,
        **values,
    }
    cursor.execute(
        "INSERT INTO cases_intervention (public_id, created_at, updated_at, organization_id, "
        "household_id, author_id, mandate_id, social_case_id, service, kind, occurred_on, "
        "duration_minutes, motive, subject, outcome, note) VALUES (gen_random_uuid(), now(), "
        "now(), %(organization_id)s, %(household_id)s, %(author_id)s, %(mandate_id)s, "
        "%(social_case_id)s, 'social', 'home_visit', current_date, 30, '', '', 'done', %(note)s)",
        row,
    )


def test_the_database_admits_exactly_the_partners_intervention_inserts(
    full: World, logger: World, other_org: Any
) -> None:
    """`full` may log with a note; `logger` (another grant to the same partner) without."""
    refused = [
        (logger, {"note": "une note"}),  # no write_notes
        (logger, {"household_id": logger.other.pk}),  # not granted
        (logger, {"organization_id": other_org.pk}),  # not the grant's landlord
        (logger, {"mandate_id": None}),  # not attributed to a mandate
        (logger, {"social_case_id": logger.case.pk}),  # the landlord's accompaniment
        (logger, {"author_id": logger.admin.pk}),  # someone else
        (full, {"mandate_id": logger.grant.pk}),  # a grant that does not cover it
    ]
    for world, values in refused:
        cursor = _as(world.partner.pk, world.worker.pk)
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            _insert_intervention(cursor, world, **values)
    _insert_intervention(_as(full.partner.pk, full.worker.pk), full, note="note du partenaire")
    _insert_intervention(_as(logger.partner.pk, logger.worker.pk), logger)
    assert len(full.landlord_interventions()) == 1 and len(logger.landlord_interventions()) == 1
    logger.revoke()
    cursor = _as(logger.partner.pk, logger.worker.pk)
    with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
        _insert_intervention(cursor, logger)


def test_the_partner_logs_reads_only_in_the_log_of_a_landlord_that_granted_it(
    reader: World, other_org: Any
) -> None:
    statement = (
        "INSERT INTO core_accessevent (organization_id, acting_organization_id, user_id, at, "
        "action, object_type, object_id, context) VALUES (%s, %s, %s, now(), 'view', "
        "'housing.Household', gen_random_uuid(), '')"
    )
    with _as(reader.partner.pk, reader.worker.pk) as cursor:
        cursor.execute(statement, [reader.org.pk, reader.partner.pk, reader.worker.pk])
        for values in (
            [other_org.pk, reader.partner.pk, reader.worker.pk],  # no grant from it
            [reader.org.pk, None, reader.worker.pk],  # not naming itself
            [reader.org.pk, reader.partner.pk, reader.admin.pk],  # another user
        ):
            with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
                cursor.execute(statement, values)
        # It reads its own staff's events in the landlord's log, and nothing else there.
        cursor.execute("SELECT count(*) FROM core_accessevent")
        assert cursor.fetchone()[0] == 1


# --- The household search ----------------------------------------------------------------------


def test_the_partner_finds_its_granted_households_in_the_household_search(
    client_for: Any, reader: World
) -> None:
    client = client_for(reader.worker, reader.partner)
    url = reverse("housing:households")
    body = client.get(url).content.decode()
    assert "Ménage Confié" in body and "Ménage de Habitat Test — mandat" in body
    assert "Ménage Non Confié" not in body
    assert reverse("privacy:granted_household", args=[reader.granted.public_id]) in body
    found = client.get(url, {"q": "confie alice"}).content.decode()
    assert "Ménage Confié" in found
    assert "Ménage Confié" not in client.get(url, {"q": "bob"}).content.decode()
    reader.revoke()
    assert "Ménage Confié" not in client.get(url).content.decode()


def test_the_landlords_search_is_unchanged_by_the_grant(
    client_for: Any, reader: World, member_of: Any
) -> None:
    body = client_for(member_of(reader.org, "social_worker"), reader.org).get(
        reverse("housing:households")
    )
    text = body.content.decode()
    assert "Ménage Confié" in text and "Ménage Non Confié" in text and "mandat" not in text


# --- The file ----------------------------------------------------------------------------------


def test_without_read_notes_the_file_shows_no_social_follow_up(
    client_for: Any, reader: World
) -> None:
    with organization_context(reader.org, user=reader.admin):
        timeline.record(
            household=reader.granted, category="housing", kind="x", title="Bail renouvelé ICI"
        )
        timeline.record(
            household=reader.other, category="housing", kind="x", title="Événement AILLEURS"
        )
    client = client_for(reader.worker, reader.partner)
    body = client.get(
        reverse("privacy:granted_household", args=[reader.granted.public_id])
    ).content.decode()
    assert "Alice" in body and "LOG-CONFIE-1" in body and "Habitat Test" in body
    assert "Bail renouvelé ICI" in body and "AILLEURS" not in body  # the timeline
    assert "NOTE-" not in body and "Suivi social du bailleur" not in body
    assert "Saisir une intervention" not in body
    [event] = reader.landlord_events()
    assert event.acting_organization == reader.partner and event.user == reader.worker
    assert event.object_id == reader.granted.public_id


def test_with_read_notes_a_social_worker_reads_the_notes_and_each_is_logged(
    client_for: Any, full: World
) -> None:
    client = client_for(full.worker, full.partner)
    body = client.get(
        reverse("privacy:granted_household", args=[full.granted.public_id])
    ).content.decode()
    for note in ("NOTE-DU-SUIVI", "NOTE-EVALUATION", "NOTE-INTERVENTION-BAILLEUR"):
        assert note in body
    assert "NOTE-AUTRE-MENAGE" not in body
    logged = {e.object_id for e in full.landlord_events() if e.acting_organization == full.partner}
    assert {
        full.granted.public_id,
        full.case.public_id,
        full.evaluation.public_id,
        full.intervention.public_id,
    } <= logged


def test_a_role_that_reads_no_notes_sees_none_even_under_read_notes(
    client_for: Any, full: World, member_of: Any
) -> None:
    manager = member_of(full.partner, "manager")
    body = (
        client_for(manager, full.partner)
        .get(reverse("privacy:granted_household", args=[full.granted.public_id]))
        .content.decode()
    )
    assert "Ménage Confié" in body and "NOTE-" not in body


def test_the_landlord_sees_who_of_the_partner_read_the_file(
    client_for: Any, reader: World, member_of: Any
) -> None:
    client_for(reader.worker, reader.partner).get(
        reverse("privacy:granted_household", args=[reader.granted.public_id])
    )
    dpo = member_of(reader.org, "org_admin")
    body = (
        client_for(dpo, reader.org)
        .get(reverse("privacy:household_access_log", args=[reader.granted.public_id]))
        .content.decode()
    )
    assert "AMLI, sous mandat" in body
    api = client_for(dpo, reader.org).get(
        "/api/v1/privacy/access-events/", {"household": str(reader.granted.public_id)}
    )
    assert [e["acting_organization"] for e in api.json()["results"]] == ["AMLI"]


# --- Logging interventions ---------------------------------------------------------------------


def test_the_partner_logs_an_intervention_in_the_landlords_file(
    client_for: Any, full: World, member_of: Any
) -> None:
    client = client_for(full.worker, full.partner)
    url = reverse("privacy:granted_intervention_create", args=[full.granted.public_id])
    response = client.post(url, {**INTERVENTION, "intervention-note": "Note AMLI"})
    assert response.status_code == 302
    [logged] = full.landlord_interventions()
    assert (logged.organization_id, logged.author, logged.mandate_id, logged.note) == (
        full.org.pk,
        full.worker,
        full.grant.pk,
        "Note AMLI",
    )
    assert logged.social_case_id is None
    with organization_context(full.org):
        event = TimelineEvent.objects.get(subject_id=logged.public_id)
    assert event.actor == full.worker and "Note AMLI" not in event.summary
    # The landlord's file shows it, attributed to the partner.
    landlord = client_for(member_of(full.org, "social_worker"), full.org)
    body = landlord.get(
        reverse("housing:household_detail", args=[full.granted.public_id])
    ).content.decode()
    assert "Visite sous mandat" in body and "AMLI (mandat MANDAT-AMLI-2025)" in body


def test_a_note_without_write_notes_is_refused_and_nothing_is_saved(
    client_for: Any, logger: World
) -> None:
    client = client_for(logger.worker, logger.partner)
    url = reverse("privacy:granted_intervention_create", args=[logger.granted.public_id])
    page = client.get(reverse("privacy:granted_household", args=[logger.granted.public_id]))
    assert "Saisir une intervention" in page.content.decode()
    assert "intervention-note" not in page.content.decode()  # no note field offered
    assert client.post(url, INTERVENTION).status_code == 302
    assert len(logger.landlord_interventions()) == 1
    # Forged: a note posted anyway is not a field of the form, hence ignored.
    client.post(url, {**INTERVENTION, "intervention-note": "forcée"})
    assert [i.note for i in logger.landlord_interventions()] == ["", ""]
    with (
        organization_context(logger.partner, user=logger.worker),
        pytest.raises(ValidationError, match="notes sociales"),
    ):
        partners.partner_intervention_log(
            household=partners.granted_household(public_id=logger.granted.public_id),
            author=logger.worker,
            kind="home_visit",
            note="forcée par le service",
        )
    assert len(logger.landlord_interventions()) == 2


def test_bad_input_gets_french_errors_and_saves_nothing(client_for: Any, full: World) -> None:
    client = client_for(full.worker, full.partner)
    url = reverse("privacy:granted_intervention_create", args=[full.granted.public_id])
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = client.post(url, {**INTERVENTION, "intervention-occurred_on": future})
    assert response.status_code == 200
    assert "rendez-vous" in response.content.decode()
    response = client.post(url, {**INTERVENTION, "intervention-kind": "teleportation"})
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert full.landlord_interventions() == []


def test_without_log_interventions_or_the_role_posting_is_refused(
    client_for: Any, reader: World, logger: World, member_of: Any
) -> None:
    client = client_for(reader.worker, reader.partner)
    url = reverse("privacy:granted_intervention_create", args=[reader.granted.public_id])
    assert client.post(url, INTERVENTION).status_code == 403
    read_only = client_for(member_of(logger.partner, "read_only"), logger.partner)
    url = reverse("privacy:granted_intervention_create", args=[logger.granted.public_id])
    assert read_only.post(url, INTERVENTION).status_code == 403
    assert reader.landlord_interventions() == [] and logger.landlord_interventions() == []


def test_a_household_not_granted_or_after_revocation_is_a_404(client_for: Any, full: World) -> None:
    client = client_for(full.worker, full.partner)
    for household in (full.other, full.granted):
        if household is full.granted:
            full.revoke()
        assert (
            client.get(reverse("privacy:granted_household", args=[household.public_id]))
        ).status_code == 404
        url = reverse("privacy:granted_intervention_create", args=[household.public_id])
        assert client.post(url, INTERVENTION).status_code == 404
    assert full.landlord_interventions() == []


# --- API ---------------------------------------------------------------------------------------


def test_the_api_lists_searches_and_reads_granted_households(client_for: Any, full: World) -> None:
    client = client_for(full.worker, full.partner)
    listing = client.get("/api/v1/privacy/granted-households/", {"q": "alice"}).json()
    assert [(h["name"], h["landlord"]) for h in listing["results"]] == [
        ("Ménage Confié", "Habitat Test")
    ]
    assert client.get("/api/v1/privacy/granted-households/", {"q": "bob"}).json()["count"] == 0
    detail = client.get(f"/api/v1/privacy/granted-households/{full.granted.public_id}/").json()
    assert detail["landlord"] == "Habitat Test" and detail["members"][0]["first_name"] == "Alice"
    assert detail["leases"][0]["dwelling"] == "LOG-CONFIE-1"
    assert detail["interventions"][0]["note"] == "NOTE-INTERVENTION-BAILLEUR"
    assert detail["cases"][0]["note"] == "NOTE-DU-SUIVI"
    assert "log_interventions" in detail["permissions"]
    assert detail["events"] == []  # factories write no timeline; services do:
    client.post(
        f"/api/v1/privacy/granted-households/{full.granted.public_id}/interventions/",
        {"kind": "home_visit", "subject": "Visite"},
        content_type="application/json",
    )
    detail = client.get(f"/api/v1/privacy/granted-households/{full.granted.public_id}/").json()
    assert [e["title"] for e in detail["events"]] == ["Visite à domicile"]
    assert any(e.object_id == full.case.public_id for e in full.landlord_events())
    full.revoke()
    assert client.get("/api/v1/privacy/granted-households/").json()["count"] == 0
    gone = client.get(f"/api/v1/privacy/granted-households/{full.granted.public_id}/")
    assert gone.status_code == 404


def test_the_api_without_read_notes_hides_notes(client_for: Any, reader: World) -> None:
    client = client_for(reader.worker, reader.partner)
    detail = client.get(f"/api/v1/privacy/granted-households/{reader.granted.public_id}/").json()
    assert detail["cases"] == [] and detail["evaluations"] == [] and detail["interventions"] == []
    assert "NOTE-" not in str(detail)


def test_the_api_logs_an_intervention_and_refuses_a_note_without_write_notes(
    client_for: Any, full: World, logger: World
) -> None:
    client = client_for(full.worker, full.partner)
    url = f"/api/v1/privacy/granted-households/{full.granted.public_id}/interventions/"
    payload = {"kind": "phone_out", "subject": "Appel API", "note": "note API"}
    created = client.post(url, payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["partner_organization"] == "AMLI"
    assert [i.note for i in full.landlord_interventions()] == ["note API"]
    url = f"/api/v1/privacy/granted-households/{logger.granted.public_id}/interventions/"
    refused = client.post(url, payload, content_type="application/json")
    assert refused.status_code == 400 and "notes sociales" in refused.json()["note"][0]
    bad = client.post(url, {"kind": "x"}, content_type="application/json")
    assert bad.status_code == 400 and "kind" in bad.json()
    assert logger.landlord_interventions() == []
    other = f"/api/v1/privacy/granted-households/{full.other.public_id}/interventions/"
    assert client.post(other, payload, content_type="application/json").status_code == 404


# --- Export ------------------------------------------------------------------------------------


def test_the_export_lists_exactly_the_granted_households_and_is_logged(
    client_for: Any, reader: World, member_of: Any
) -> None:
    manager = member_of(reader.partner, "manager")
    response = client_for(manager, reader.partner).get(reverse("privacy:granted_households_export"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")), delimiter=";"))
    assert [row[:2] for row in rows[1:]] == [["Ménage Confié", "Habitat Test"]]
    assert "LOG-CONFIE-1" in rows[1][6]
    [event] = [e for e in reader.landlord_events() if e.action == "export"]
    assert event.acting_organization == reader.partner and event.user == manager
    worker = client_for(reader.worker, reader.partner)
    assert worker.get(reverse("privacy:granted_households_export")).status_code == 403
    reader.revoke()
    again = client_for(manager, reader.partner).get(reverse("privacy:granted_households_export"))
    assert len(list(csv.reader(io.StringIO(again.content.decode())))) == 1
