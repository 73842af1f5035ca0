"""The commission's documents, rendered by WeasyPrint (core.pdf) and stored with their
checksum (core.services.document_store). Templates in templates/allocations/pdf/."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from core.models import StoredDocument
from core.parameters import get_parameter
from core.pdf import render_pdf
from core.services import document_store

COMMISSION_DOCUMENTS = "allocations.read_commission_documents"
LETTERS = "allocations.read_letters"


def _store(
    *,
    template: str,
    context: dict[str, Any],
    organization: Any,
    kind: str,
    title: str,
    access_action: str,
    subject: Any,
    created_by: Any,
) -> StoredDocument:
    from organizations.models import Organization

    org = (
        organization
        if isinstance(organization, Organization)
        else Organization.objects.get(pk=organization)
    )
    context = {"organization": org, "today": timezone.localdate(), **context}
    content = render_pdf(template, context)
    return document_store(
        organization=org,
        kind=kind,
        title=title,
        content=content,
        access_action=access_action,
        created_by=created_by,
        subject=subject,
    )


def documents_for(*, organization: Any, subjects: list[Any]) -> list[StoredDocument]:
    ids = [s.public_id for s in subjects]
    return list(
        StoredDocument.objects.for_organization(organization)
        .filter(subject_id__in=ids)
        .order_by("-created_at")
    )


def agenda(*, session: Any, created_by: Any) -> StoredDocument:
    from allocations.selectors import session_detail

    session = session_detail(organization=session.organization_id, public_id=session.public_id)
    return _store(
        template="allocations/pdf/agenda.html",
        context={"session": session},
        organization=session.organization_id,
        kind="allocations.agenda",
        title=f"Ordre du jour — {session.commission.name} — {session.scheduled_at:%d/%m/%Y}",
        access_action=COMMISSION_DOCUMENTS,
        subject=session,
        created_by=created_by,
    )


def minutes(*, session: Any, created_by: Any) -> StoredDocument:
    from allocations.selectors import minutes_context

    return _store(
        template="allocations/pdf/minutes.html",
        context=minutes_context(session=session),
        organization=session.organization_id,
        kind="allocations.minutes",
        title=f"Procès-verbal — {session.commission.name} — {session.scheduled_at:%d/%m/%Y}",
        access_action=COMMISSION_DOCUMENTS,
        subject=session,
        created_by=created_by,
    )


def commission_sheet(*, candidacy: Any, created_by: Any) -> StoredDocument:
    from allocations.selectors import commission_sheet as sheet

    data = sheet(candidacy=candidacy)
    return _store(
        template="allocations/pdf/sheet.html",
        context={"sheet": data},
        organization=candidacy.organization_id,
        kind="allocations.sheet",
        title=f"Fiche de synthèse — {candidacy.application.registration_number}",
        access_action=COMMISSION_DOCUMENTS,
        subject=candidacy,
        created_by=created_by,
    )


def decision_letter(*, decision: Any, created_by: Any) -> StoredDocument:
    application = decision.candidacy.application
    return _store(
        template="allocations/pdf/decision_letter.html",
        context={
            "decision": decision,
            "application": application,
            "household": application.household,
            "dwelling": decision.session_dwelling.dwelling,
            "session": decision.session_dwelling.session,
            "appeal_route": get_parameter(
                "allocations.appeal_route", organization=decision.organization_id
            ),
        },
        organization=decision.organization_id,
        kind=f"allocations.decision_letter.{decision.kind}",
        title=f"Notification de décision — {application.registration_number}",
        access_action=LETTERS,
        subject=decision,
        created_by=created_by,
    )


def offer_letter(*, offer: Any, created_by: Any) -> StoredDocument:
    return _store(
        template="allocations/pdf/offer_letter.html",
        context={
            "offer": offer,
            "application": offer.application,
            "household": offer.application.household,
            "dwelling": offer.session_dwelling.dwelling,
            "decision": offer.decision,
        },
        organization=offer.organization_id,
        kind="allocations.offer_letter",
        title=f"Proposition de logement — {offer.application.registration_number}",
        access_action=LETTERS,
        subject=offer,
        created_by=created_by,
    )


def renewal_reminder(*, application: Any, created_by: Any, on: datetime.date) -> StoredDocument:
    return _store(
        template="allocations/pdf/renewal_reminder.html",
        context={"application": application, "household": application.household, "on": on},
        organization=application.organization_id,
        kind="allocations.renewal_reminder",
        title=f"Relance de renouvellement — {application.registration_number}",
        access_action=LETTERS,
        subject=application,
        created_by=created_by,
    )


def occupancy_notice(*, review: Any, created_by: Any) -> StoredDocument:
    from allocations.enums import OccupancyCriterion

    return _store(
        template="allocations/pdf/occupancy_notice.html",
        context={
            "review": review,
            "household": review.household,
            "dwelling": review.lease.dwelling,
            "criteria": [OccupancyCriterion(c).label for c in review.criteria],
        },
        organization=review.organization_id,
        kind="allocations.occupancy_notice",
        title=f"Examen de l'occupation — {review.household.name}",
        access_action=LETTERS,
        subject=review,
        created_by=created_by,
    )
