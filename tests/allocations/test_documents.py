"""The documents read back: minutes with everything RULES.md lists, letters, reminders."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from allocations import documents, services
from allocations.models import Decision, HousingApplication
from core.context import organization_context
from core.models import StoredDocument
from tests.allocations.conftest import pdf_text

pytestmark = pytest.mark.django_db


def _signed(world: Any) -> tuple[Any, Any, list[Any]]:
    session, item, cands = world.held()
    world.decide_all(
        item,
        cands,
        [
            {"candidacy": cands[0], "kind": "attribution"},
            {
                "candidacy": cands[1],
                "kind": "conditional",
                "rank": 2,
                "missing_document": "Avis d'imposition N-1",
                "condition_deadline": datetime.date(2026, 4, 15),
            },
            {
                "candidacy": cands[2],
                "kind": "rejection",
                "reasons": "Ressources supérieures au plafond PLUS pour 3 personnes.",
                "legal_basis": "CCH L441-1 et arrêté du 29 juillet 1987",
            },
        ],
    )
    with organization_context(world.org, user=world.user):
        services.session_close_decisions(session=session, closed_by=world.user)
        services.session_sign_minutes(
            session=session, president_name="Administrateur 0", signed_by=world.user
        )
    return session, item, cands


def test_minutes_contain_what_rules_md_lists(world: Any) -> None:
    session, item, cands = _signed(world)
    with organization_context(world.org):
        minutes = StoredDocument.objects.get(
            kind="allocations.minutes", subject_id=session.public_id
        )
        text = pdf_text(minutes)
        household = (
            HousingApplication.objects.select_related("household")
            .get(pk=cands[0].application_id)
            .household
        )
    assert len(minutes.sha256) == 64
    for expected in [
        "Procès-verbal",
        # The minutes print the session in French time (a UTC date is the day before near midnight).
        timezone.localtime(session.scheduled_at).strftime("%d/%m/%Y"),
        "Siège",  # place
        "En présentiel",  # mode
        "Administrateur 0",
        "Délibérative",
        "Maire de Metz",
        "Quorum pour ce logement",
        item.dwelling.reference,
        "Contingent propre du bailleur",
        household.name,
        "Attribution",
        "sous condition suspensive",
        "Avis d'imposition N-1",
        "15/04/2026",
        "Rejet pour irrecevabilité",
        "plafond PLUS",
        "L441-1",
        "Signature",
    ]:
        assert expected in text, expected


def test_decision_letters_cite_reasons_legal_basis_and_appeal_route(world: Any) -> None:
    _session, _item, cands = _signed(world)
    with organization_context(world.org):
        rejection = Decision.objects.get(candidacy=cands[2])
        letter = StoredDocument.objects.get(subject_id=rejection.public_id)
        text = pdf_text(letter)
        conditional = StoredDocument.objects.get(
            subject_id=Decision.objects.get(candidacy=cands[1]).public_id
        )
        conditional_text = pdf_text(conditional)
    assert "irrecevabilité" in text and "plafond PLUS" in text and "L441-1" in text
    assert "tribunal administratif" in text
    assert "Avis d'imposition N-1" in conditional_text and "15/04/2026" in conditional_text


def test_offer_letter_states_the_deadline(world: Any) -> None:
    _session, item, _cands = _signed(world)
    with organization_context(world.org, user=world.user):
        offer = services.offer_make(
            session_dwelling=item, notified_on=datetime.date(2026, 3, 4), made_by=world.user
        )
        letter = StoredDocument.objects.get(
            kind="allocations.offer_letter", subject_id=offer.public_id
        )
        text = pdf_text(letter)
    assert "16/03/2026" in text and "silence vaudra refus" in text


def test_agenda_and_commission_sheet(world: Any) -> None:
    session, item, cands = world.prepared()
    with organization_context(world.org, user=world.user):
        services.session_publish_agenda(session=session, published_by=world.user)
        agenda = StoredDocument.objects.get(kind="allocations.agenda")
        sheet = documents.commission_sheet(candidacy=cands[0], created_by=world.user)
        agenda_text, sheet_text = pdf_text(agenda), pdf_text(sheet)
    assert "Ordre du jour" in agenda_text and item.dwelling.reference in agenda_text
    assert "Taux d'effort" in sheet_text and "Ancienneté" in sheet_text
    assert sheet.access_action == "allocations.read_commission_documents"


def test_minutes_are_downloadable_by_a_member_but_letters_are_not(
    world: Any, client_for: Any, member_of: Any
) -> None:
    _session, _item, _cands = _signed(world)
    member = member_of(world.org, "commission_member")
    with organization_context(world.org):
        minutes = StoredDocument.objects.get(kind="allocations.minutes")
        letter = StoredDocument.objects.filter(
            kind__startswith="allocations.decision_letter"
        ).first()
    from core import policy

    client = client_for(member, world.org)
    assert policy.is_allowed("commission_member", minutes.access_action)
    assert client.get(f"/documents/{letter.public_id}/").status_code == 403


def test_renewal_reminders_and_radiation_flags_by_the_daily_job(world: Any) -> None:
    soon = world.application(
        filed_on=datetime.date(2025, 4, 20), expires_on=datetime.date(2026, 4, 20)
    )
    later = world.application(
        filed_on=datetime.date(2025, 9, 1), expires_on=datetime.date(2026, 9, 1)
    )
    expired = world.application(
        filed_on=datetime.date(2025, 3, 1), expires_on=datetime.date(2026, 3, 1)
    )
    with organization_context(world.org):
        result = services.applications_expiry_run(
            organization=world.org, today=datetime.date(2026, 3, 25)
        )
        again = services.applications_expiry_run(
            organization=world.org, today=datetime.date(2026, 3, 26)
        )
        reminder = StoredDocument.objects.get(kind="allocations.renewal_reminder")
        text = pdf_text(reminder)
        assert HousingApplication.objects.get(pk=expired.pk).flagged_for_radiation
        assert HousingApplication.objects.get(pk=soon.pk).reminder_sent_on == datetime.date(
            2026, 3, 25
        )
        assert HousingApplication.objects.get(pk=later.pk).reminder_sent_on is None
    assert result == {"reminded": 1, "flagged": 1}
    assert again == {"reminded": 0, "flagged": 0}
    assert "20/04/2026" in text and soon.registration_number in text
