"""Writes of the privacy app: retention runs, legal holds, erasure requests, consents, the
purge of the logs."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import timeline
from privacy import retention
from privacy.enums import ErasureStatus, RetentionRunStatus
from privacy.models import ConsentRecord, ErasureRequest, LegalHold, RetentionRun

# The household file's category for these events (core.timeline has no "privacy" category yet).
TIMELINE_CATEGORY = "privacy"


@transaction.atomic
def retention_run(
    *,
    organization: Any,
    today: datetime.date | None = None,
    dry_run: bool = False,
    acting_user: Any = None,
) -> RetentionRun:
    """Apply (or simulate) every retention rule for the organisation on `today`, legal holds
    excepted, and record what each rule did (CNIL: storage limitation, GDPR art. 5.1.e)."""
    today = today or timezone.localdate()
    run = RetentionRun.objects.create(
        organization=organization,
        day=today,
        status=RetentionRunStatus.DRY_RUN if dry_run else RetentionRunStatus.APPLIED,
        started_at=timezone.now(),
        created_by=acting_user,
        updated_by=acting_user,
    )
    results = retention.evaluate(organization=organization, today=today, apply=not dry_run)
    run.results = results
    run.total = sum(result["count"] if dry_run else result["done"] for result in results)
    run.error = "\n".join(f"{r['key']}: {r['error']}" for r in results if r.get("error"))
    run.finished_at = timezone.now()
    run.save(update_fields=["results", "total", "error", "finished_at", "updated_at"])
    return run


@transaction.atomic
def logs_purge(*, organization: Any, today: datetime.date | None = None) -> int:
    """Purge the access and audit logs older than their retention period (core_purge_logs)."""
    from core.retention import logs_purge as purge

    return purge(organization, today or timezone.localdate())


@transaction.atomic
def legal_hold_set(
    *,
    organization: Any,
    household: Any,
    reason: str,
    started_on: datetime.date | None = None,
    acting_user: Any,
) -> LegalHold:
    """Suspend the deletion of a household's data (ongoing procedure, litigation)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Le motif est obligatoire (ex. procédure en cours)."})
    if household.organization_id != organization.pk:
        raise ValidationError({"household": "Ménage inconnu dans cette organisation."})
    hold = LegalHold.objects.create(
        organization=organization,
        household=household,
        reason=reason[:250],
        started_on=started_on or timezone.localdate(),
        created_by=acting_user,
        updated_by=acting_user,
    )
    timeline.record(
        household=household,
        category=TIMELINE_CATEGORY,
        kind="legal_hold_set",
        title="Gel de suppression des données",
        summary=hold.reason,
        actor=acting_user,
        subject=hold,
    )
    return hold


@transaction.atomic
def legal_hold_lift(
    *, hold: LegalHold, reason: str, lifted_on: datetime.date | None = None, acting_user: Any
) -> LegalHold:
    if hold.lifted_on is not None:
        raise ValidationError("Ce gel est déjà levé.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"lift_reason": "Le motif de la levée est obligatoire."})
    lifted_on = lifted_on or timezone.localdate()
    if lifted_on < hold.started_on:
        raise ValidationError({"lifted_on": "La levée ne peut précéder le début du gel."})
    hold.lifted_on = lifted_on
    hold.lift_reason = reason[:250]
    hold.lifted_by = acting_user
    hold.updated_by = acting_user
    hold.save(update_fields=["lifted_on", "lift_reason", "lifted_by", "updated_by", "updated_at"])
    timeline.record(
        household=hold.household,
        category=TIMELINE_CATEGORY,
        kind="legal_hold_lifted",
        title="Levée du gel de suppression",
        summary=hold.lift_reason,
        actor=acting_user,
        subject=hold,
    )
    return hold


@transaction.atomic
def erasure_request_create(
    *,
    organization: Any,
    requester_name: str,
    received_on: datetime.date,
    scope: str,
    household: Any = None,
    acting_user: Any,
) -> ErasureRequest:
    """Record a request to erase data (GDPR art. 17): answered within a month (art. 12.3)."""
    if not (requester_name or "").strip():
        raise ValidationError({"requester_name": "Indiquez le demandeur."})
    if not (scope or "").strip():
        raise ValidationError({"scope": "Indiquez l'objet de la demande."})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "La date de réception ne peut être future."})
    request = ErasureRequest.objects.create(
        organization=organization,
        household=household,
        household_ref=household.public_id if household is not None else None,
        requester_name=requester_name.strip()[:200],
        received_on=received_on,
        scope=scope.strip(),
        created_by=acting_user,
        updated_by=acting_user,
    )
    if household is not None:
        timeline.record(
            household=household,
            category=TIMELINE_CATEGORY,
            kind="erasure_requested",
            title="Demande d'effacement reçue",
            actor=acting_user,
            subject=request,
        )
    return request


@transaction.atomic
def erasure_request_decide(
    *,
    erasure_request: ErasureRequest,
    status: str,
    reason: str,
    acting_user: Any,
    decided_on: datetime.date | None = None,
) -> ErasureRequest:
    """Decide a request: accepted (the erasure is done with the normal tools), partly accepted
    or refused. A refusal or partial refusal states its legal ground (art. 17.3)."""
    if erasure_request.status != ErasureStatus.RECEIVED:
        raise ValidationError({"status": "Cette demande a déjà été tranchée."})
    if status not in (
        ErasureStatus.ACCEPTED,
        ErasureStatus.PARTIALLY_ACCEPTED,
        ErasureStatus.REFUSED,
    ):
        raise ValidationError({"status": "Décision inconnue."})
    reason = (reason or "").strip()
    if status != ErasureStatus.ACCEPTED and not reason:
        raise ValidationError(
            {"decision_reason": "Un refus, même partiel, doit indiquer son motif légal."}
        )
    erasure_request.status = status
    erasure_request.decision_reason = reason
    erasure_request.decided_on = decided_on or timezone.localdate()
    erasure_request.decided_by = acting_user
    erasure_request.updated_by = acting_user
    erasure_request.save(
        update_fields=[
            "status",
            "decision_reason",
            "decided_on",
            "decided_by",
            "updated_by",
            "updated_at",
        ]
    )
    if erasure_request.household is not None:
        timeline.record(
            household=erasure_request.household,
            category=TIMELINE_CATEGORY,
            kind="erasure_decided",
            title=f"Demande d'effacement : {erasure_request.get_status_display()}",
            actor=acting_user,
            subject=erasure_request,
        )
    return erasure_request


@transaction.atomic
def consent_record(
    *,
    organization: Any,
    household: Any,
    purpose: str,
    given_on: datetime.date,
    expires_on: datetime.date | None = None,
    person: Any = None,
    detail: str = "",
    evidence: str = "",
    acting_user: Any,
) -> ConsentRecord:
    """Record a consent with its expiry (default: `privacy.consent_validity_months`)."""
    from dateutil.relativedelta import relativedelta

    from core.parameters import get_parameter

    if household.organization_id != organization.pk:
        raise ValidationError({"household": "Ménage inconnu dans cette organisation."})
    if person is not None and person.household_id != household.pk:
        raise ValidationError({"person": "Cette personne n'est pas membre du ménage."})
    if expires_on is None:
        months = get_parameter(
            "privacy.consent_validity_months", organization=organization, on=given_on
        )
        expires_on = given_on + relativedelta(months=int(months))
    if expires_on <= given_on:
        raise ValidationError({"expires_on": "L'échéance doit suivre la date du consentement."})
    consent = ConsentRecord.objects.create(
        organization=organization,
        household=household,
        person=person,
        purpose=purpose,
        detail=detail[:250],
        given_on=given_on,
        expires_on=expires_on,
        evidence=evidence[:250],
        created_by=acting_user,
        updated_by=acting_user,
    )
    timeline.record(
        household=household,
        category=TIMELINE_CATEGORY,
        kind="consent_given",
        title=f"Consentement : {consent.get_purpose_display()}",
        summary=f"Jusqu'au {expires_on:%d/%m/%Y}",
        actor=acting_user,
        subject=consent,
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, consent: ConsentRecord, acting_user: Any, withdrawn_on: datetime.date | None = None
) -> ConsentRecord:
    if consent.withdrawn_on is not None:
        raise ValidationError("Ce consentement est déjà retiré.")
    consent.withdrawn_on = withdrawn_on or timezone.localdate()
    consent.updated_by = acting_user
    consent.save(update_fields=["withdrawn_on", "updated_by", "updated_at"])
    timeline.record(
        household=consent.household,
        category=TIMELINE_CATEGORY,
        kind="consent_withdrawn",
        title=f"Consentement retiré : {consent.get_purpose_display()}",
        actor=acting_user,
        subject=consent,
    )
    return consent
