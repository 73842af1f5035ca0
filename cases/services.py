"""Writes of the social accompaniment. Keyword-only, atomic, with the acting user; each
state-changing service records its timeline event for the household (never a note's text)
and each status change its `StatusChange` row."""

from __future__ import annotations

import datetime
import functools
import math
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.enums import (
    AdaptationStatus,
    AppointmentStatus,
    CampaignStatus,
    CaseMode,
    CaseOutcome,
    CaseStatus,
    ContactStatus,
    EnrolmentStatus,
    EvaluationStatus,
    InterventionKind,
    InterventionOutcome,
    Motive,
    Recommendation,
    ReviewDecision,
    ReviewStatus,
    Service,
)
from cases.models import (
    AdaptationFunding,
    AdaptationRequest,
    Appointment,
    CampaignCaller,
    CampaignTarget,
    CaseExtension,
    CaseReview,
    CaseReviewItem,
    Evaluation,
    Intervention,
    OutreachCampaign,
    ProgrammeEnrolment,
    Referral,
    SocialCase,
    StatusChange,
    SupportProgramme,
)
from core import timeline
from core.parameters import get_parameter

CATEGORY = "cases"


def _sane_dates(func: Any) -> Any:
    """Dates outside 1900–2100 are typing mistakes: refused with a French message (and never
    reach date arithmetic or the timeline)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for name, value in kwargs.items():
            if isinstance(value, datetime.date) and not 1900 <= value.year <= 2100:
                raise ValidationError({name: "Date invalide (attendue entre 1900 et 2100)."})
        return func(*args, **kwargs)

    return wrapper


# --- helpers ------------------------------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _same_org(obj: Any, organization: Any, field: str, label: str) -> None:
    if obj is not None and obj.organization_id != organization.pk:
        raise ValidationError({field: f"{label} introuvable dans cette organisation."})


def _check_member(user: Any, organization: Any, field: str) -> None:
    from organizations.models import Membership

    if user is None:
        raise ValidationError({field: "Ce champ est obligatoire."})
    if not Membership.objects.filter(
        organization_id=organization.pk, user_id=user.pk, is_active=True
    ).exists():
        raise ValidationError({field: "Cette personne n'est pas membre de l'organisation."})


def _motives(motives: Any) -> list[str]:
    values = [str(m) for m in (motives or [])]
    if not values:
        raise ValidationError({"motives": "Indiquez au moins un motif."})
    unknown = [m for m in values if m not in Motive.values]
    if unknown:
        raise ValidationError({"motives": f"Motif inconnu : {', '.join(unknown)}."})
    return list(dict.fromkeys(values))


def _transition(obj: Any, to: str, actor: Any, reason: str = "") -> str:
    """Move `obj` to status `to` if its state machine allows it; log the change."""
    if not obj.can_transition(to):
        labels = dict(type(obj)._meta.get_field("status").choices)
        raise ValidationError(
            {
                "status": f"Passage de « {labels.get(obj.status, obj.status)} » à "
                f"« {labels.get(to, to)} » impossible."
            }
        )
    previous = obj.status
    obj.status = to
    StatusChange.objects.create(
        organization_id=obj.organization_id,
        subject_type=obj._meta.label,
        subject_id=obj.public_id,
        from_status=previous,
        to_status=to,
        actor=actor,
        reason=reason[:250],
        created_by=actor,
    )
    return previous


def _record(household: Any, kind: str, title: str, actor: Any, subject: Any, **kwargs: Any) -> None:
    timeline.record(
        household=household,
        category=CATEGORY,
        kind=kind,
        title=title,
        actor=actor,
        subject=subject,
        **kwargs,
    )


def _case_url(social_case: SocialCase) -> str:
    return f"/accompagnement/suivis/{social_case.public_id}/"


# --- Accompaniments -----------------------------------------------------------------------------------


@_sane_dates
@transaction.atomic
def social_case_open(
    *,
    organization: Any,
    household: Any,
    motives: list[str],
    referent: Any,
    opened_by: Any,
    opened_on: datetime.date | None = None,
    planned_end_on: datetime.date | None = None,
    mode: str = CaseMode.INTERNAL,
    external_partner: Any = None,
    programme: Any = None,
    note: str = "",
) -> SocialCase:
    """Open an accompaniment. The planned end defaults to the opening date plus the versioned
    duration `cases.planned_duration_months` (4 months unless the organisation changed it).
    An external accompaniment (ASLL, AVDL) names the partner association that runs it."""
    _same_org(household, organization, "household", "Ménage")
    _same_org(external_partner, organization, "external_partner", "Partenaire")
    _same_org(programme, organization, "programme", "Dispositif")
    _check_member(referent, organization, "referent")
    values = _motives(motives)
    if mode not in CaseMode.values:
        raise ValidationError({"mode": "Type d'accompagnement inconnu."})
    if mode != CaseMode.INTERNAL and external_partner is None:
        raise ValidationError(
            {"external_partner": "Un accompagnement externe (ASLL, AVDL) désigne l'association."}
        )
    if mode == CaseMode.INTERNAL:
        external_partner = None
    opened_on = opened_on or _today()
    if planned_end_on is None:
        months = get_parameter(
            "cases.planned_duration_months", organization=organization, on=opened_on
        )
        planned_end_on = add_months(opened_on, months)
    if planned_end_on < opened_on:
        raise ValidationError({"planned_end_on": "La fin prévue ne peut pas précéder l'ouverture."})
    if (
        SocialCase.objects.filter(household=household)
        .exclude(status=CaseStatus.CLOSED)
        .select_for_update()
        .exists()
    ):
        raise ValidationError(
            {"household": "Ce ménage a déjà un accompagnement en cours : prolongez-le."}
        )
    social_case = SocialCase.objects.create(
        organization=organization,
        household=household,
        motives=values,
        referent=referent,
        mode=mode,
        external_partner=external_partner,
        programme=programme,
        opened_on=opened_on,
        planned_end_on=planned_end_on,
        note=note,
        created_by=opened_by,
        updated_by=opened_by,
    )
    StatusChange.objects.create(
        organization=organization,
        subject_type=SocialCase._meta.label,
        subject_id=social_case.public_id,
        from_status="",
        to_status=CaseStatus.OPEN,
        actor=opened_by,
        created_by=opened_by,
    )
    _record(
        household,
        "social_case.opened",
        f"Accompagnement social ouvert ({social_case.get_motives_display()})",
        opened_by,
        social_case,
        at=opened_on,
        summary=f"Référent(e) : {referent.get_full_name() or referent.email} — "
        f"{social_case.get_mode_display()}, fin prévue le {planned_end_on:%d/%m/%Y}",
        url=_case_url(social_case),
    )
    return social_case


@_sane_dates
@transaction.atomic
def social_case_update(
    *,
    social_case: SocialCase,
    updated_by: Any,
    motives: list[str] | None = None,
    referent: Any = None,
    note: str | None = None,
) -> SocialCase:
    """Change the motives, the referent or the confidential note of an accompaniment."""
    org = social_case.organization
    changed = []
    if motives is not None:
        social_case.motives = _motives(motives)
        changed.append("motives")
    if referent is not None and referent.pk != social_case.referent_id:
        _check_member(referent, org, "referent")
        social_case.referent = referent
        changed.append("referent")
        _record(
            social_case.household,
            "social_case.referent_changed",
            "Changement de référent(e) de l'accompagnement",
            updated_by,
            social_case,
            summary=f"Nouveau référent : {referent.get_full_name() or referent.email}",
            url=_case_url(social_case),
        )
    if note is not None:
        social_case.note = note
        changed.append("note")
    social_case.updated_by = updated_by
    social_case.save(update_fields=[*changed, "updated_by", "updated_at"])
    return social_case


@_sane_dates
@transaction.atomic
def social_case_extend(
    *, social_case: SocialCase, new_end_on: datetime.date, reason: str, extended_by: Any
) -> CaseExtension:
    """Push back the planned end of a running accompaniment; the reason is required."""
    social_case = SocialCase.objects.select_for_update(of=("self",)).get(pk=social_case.pk)
    if not social_case.can_extend():
        raise ValidationError({"status": "Un accompagnement clos ne se prolonge pas."})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de la prolongation."})
    if new_end_on <= social_case.planned_end_on:
        raise ValidationError(
            {"new_end_on": "La nouvelle fin prévue doit être postérieure à la fin actuelle."}
        )
    extension = CaseExtension.objects.create(
        organization_id=social_case.organization_id,
        social_case=social_case,
        previous_end_on=social_case.planned_end_on,
        new_end_on=new_end_on,
        reason=reason[:250],
        created_by=extended_by,
        updated_by=extended_by,
    )
    social_case.planned_end_on = new_end_on
    social_case.updated_by = extended_by
    social_case.save(update_fields=["planned_end_on", "updated_by", "updated_at"])
    _record(
        social_case.household,
        "social_case.extended",
        f"Accompagnement prolongé jusqu'au {new_end_on:%d/%m/%Y}",
        extended_by,
        social_case,
        summary=reason[:250],
        url=_case_url(social_case),
    )
    return extension


@_sane_dates
@transaction.atomic
def social_case_close(
    *,
    social_case: SocialCase,
    outcome: str,
    closed_by: Any,
    closed_on: datetime.date | None = None,
) -> SocialCase:
    """Close an accompaniment with its outcome (goal reached, relayed, abandoned…)."""
    social_case = SocialCase.objects.select_for_update(of=("self",)).get(pk=social_case.pk)
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": "Indiquez l'issue de l'accompagnement."})
    closed_on = closed_on or _today()
    if closed_on < social_case.opened_on:
        raise ValidationError({"closed_on": "La clôture ne peut pas précéder l'ouverture."})
    _transition(social_case, CaseStatus.CLOSED, closed_by, reason=outcome)
    social_case.closed_on = closed_on
    social_case.outcome = outcome
    social_case.updated_by = closed_by
    social_case.save(update_fields=["status", "closed_on", "outcome", "updated_by", "updated_at"])
    _record(
        social_case.household,
        "social_case.closed",
        "Accompagnement social clos",
        closed_by,
        social_case,
        at=closed_on,
        summary=f"Issue : {social_case.get_outcome_display()}",
        url=_case_url(social_case),
    )
    return social_case


@_sane_dates
@transaction.atomic
def social_case_set_status(
    *, social_case: SocialCase, status: str, actor: Any, reason: str = ""
) -> SocialCase:
    """Suspend, resume or reopen an accompaniment (closing has its own service)."""
    if status == CaseStatus.CLOSED:
        raise ValidationError({"status": "Utilisez la clôture, qui demande l'issue."})
    social_case = SocialCase.objects.select_for_update(of=("self",)).get(pk=social_case.pk)
    previous = _transition(social_case, status, actor, reason=reason)
    fields = ["status", "updated_by", "updated_at"]
    if previous == CaseStatus.CLOSED:
        if (
            SocialCase.objects.filter(household_id=social_case.household_id)
            .exclude(pk=social_case.pk)
            .exclude(status=CaseStatus.CLOSED)
            .exists()
        ):
            raise ValidationError({"status": "Ce ménage a déjà un autre accompagnement en cours."})
        social_case.closed_on = None
        social_case.outcome = ""
        fields += ["closed_on", "outcome"]
    social_case.updated_by = actor
    social_case.save(update_fields=fields)
    _record(
        social_case.household,
        f"social_case.{status}",
        f"Accompagnement : {social_case.get_status_display().lower()}",
        actor,
        social_case,
        summary=reason[:250],
        url=_case_url(social_case),
    )
    return social_case


# --- Interventions ------------------------------------------------------------------------------------


@_sane_dates
@transaction.atomic
def intervention_log(
    *,
    organization: Any,
    household: Any,
    author: Any,
    kind: str,
    occurred_on: datetime.date | None = None,
    duration_minutes: int = 0,
    motive: str = "",
    subject: str = "",
    outcome: str = InterventionOutcome.DONE,
    note: str = "",
    service: str = Service.SOCIAL,
    social_case: SocialCase | None = None,
    campaign_target: CampaignTarget | None = None,
    mandate: Any = None,
) -> Intervention:
    """Log one contact with a household. Attaches to the household's running accompaniment
    when none is given. The note is confidential: never in the timeline.

    `mandate`: logged by a partner's staff under the landlord's grant (privacy/partners.py
    checks the grant first): the intervention is the landlord's, attached to no accompaniment
    of the landlord's (the partner does not manage them)."""
    _same_org(household, organization, "household", "Ménage")
    _same_org(social_case, organization, "social_case", "Accompagnement")
    if kind not in InterventionKind.values:
        raise ValidationError({"kind": "Type d'intervention inconnu."})
    if service not in Service.values:
        raise ValidationError({"service": "Service inconnu."})
    if outcome not in InterventionOutcome.values:
        raise ValidationError({"outcome": "Résultat inconnu."})
    if motive and motive not in Motive.values:
        raise ValidationError({"motive": "Motif inconnu."})
    occurred_on = occurred_on or _today()
    if occurred_on > _today():
        raise ValidationError(
            {"occurred_on": "Une intervention à venir est un rendez-vous : planifiez-le."}
        )
    if duration_minutes is None or not 0 <= int(duration_minutes) <= 1440:
        raise ValidationError({"duration_minutes": "Durée entre 0 et 1 440 minutes."})
    if social_case is not None and social_case.household_id != household.pk:
        raise ValidationError({"social_case": "Cet accompagnement concerne un autre ménage."})
    if mandate is not None and (social_case is not None or campaign_target is not None):
        raise ValidationError(
            {"social_case": "Une intervention sous mandat n'est rattachée à aucun suivi."}
        )
    if social_case is None and service == Service.SOCIAL and mandate is None:
        social_case = (
            SocialCase.objects.filter(household=household).exclude(status=CaseStatus.CLOSED).first()
        )
    intervention = Intervention.objects.create(
        mandate=mandate,
        organization=organization,
        household=household,
        social_case=social_case,
        campaign_target=campaign_target,
        author=author,
        service=service,
        kind=kind,
        occurred_on=occurred_on,
        duration_minutes=int(duration_minutes),
        motive=motive,
        subject=subject[:200],
        outcome=outcome,
        note=note,
        created_by=author,
        updated_by=author,
    )
    title = intervention.get_kind_display()
    if service == Service.ARREARS:
        title += " (service contentieux)"
    _record(
        household,
        "intervention.logged",
        title,
        author,
        intervention,
        at=occurred_on,
        summary=" — ".join(
            part for part in (subject[:200], intervention.get_outcome_display()) if part
        ),
    )
    return intervention


@_sane_dates
@transaction.atomic
def intervention_update(
    *, intervention: Intervention, updated_by: Any, **changes: Any
) -> Intervention:
    """Correct an intervention (subject, outcome, duration, note…) — its author only."""
    if intervention.author_id != updated_by.pk:
        raise ValidationError({"author": "Seul(e) l'auteur(e) peut corriger cette intervention."})
    allowed = {"kind", "occurred_on", "duration_minutes", "motive", "subject", "outcome", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Champ non modifiable."})
    for field, value in changes.items():
        setattr(intervention, field, value)
    if intervention.occurred_on > _today():
        raise ValidationError({"occurred_on": "La date ne peut pas être dans le futur."})
    if intervention.kind not in InterventionKind.values:
        raise ValidationError({"kind": "Type d'intervention inconnu."})
    intervention.updated_by = updated_by
    intervention.save()
    return intervention


# --- Evaluations --------------------------------------------------------------------------------------

EVALUATION_TEXT = (
    "situation_note",
    "resources_note",
    "autonomy_note",
    "needs_note",
    "conclusion_note",
)


@_sane_dates
@transaction.atomic
def evaluation_create(
    *,
    organization: Any,
    household: Any,
    author: Any,
    context: str,
    evaluated_on: datetime.date | None = None,
    recommendation: str = "",
    **notes: str,
) -> Evaluation:
    """Start a social evaluation (diagnostic): context and structured findings."""
    _same_org(household, organization, "household", "Ménage")
    from cases.enums import EvaluationContext

    if context not in EvaluationContext.values:
        raise ValidationError({"context": "Contexte inconnu."})
    if recommendation and recommendation not in Recommendation.values:
        raise ValidationError({"recommendation": "Préconisation inconnue."})
    unknown = set(notes) - set(EVALUATION_TEXT)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Champ inconnu."})
    evaluated_on = evaluated_on or _today()
    if evaluated_on > _today():
        raise ValidationError({"evaluated_on": "La date ne peut pas être dans le futur."})
    evaluation = Evaluation.objects.create(
        organization=organization,
        household=household,
        author=author,
        context=context,
        evaluated_on=evaluated_on,
        recommendation=recommendation,
        created_by=author,
        updated_by=author,
        **notes,
    )
    _record(
        household,
        "evaluation.started",
        f"Évaluation sociale ({evaluation.get_context_display()})",
        author,
        evaluation,
        at=evaluated_on,
    )
    return evaluation


@_sane_dates
@transaction.atomic
def evaluation_update(*, evaluation: Evaluation, updated_by: Any, **changes: Any) -> Evaluation:
    """Edit a draft evaluation's findings and recommendation."""
    evaluation = Evaluation.objects.select_for_update(of=("self",)).get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.DRAFT:
        raise ValidationError(
            {"status": "Une évaluation terminée ne se modifie plus : rouvrez-la."}
        )
    allowed = {*EVALUATION_TEXT, "recommendation", "context", "evaluated_on"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Champ non modifiable."})
    if changes.get("recommendation") and changes["recommendation"] not in Recommendation.values:
        raise ValidationError({"recommendation": "Préconisation inconnue."})
    for field, value in changes.items():
        setattr(evaluation, field, value)
    evaluation.updated_by = updated_by
    evaluation.save()
    return evaluation


@_sane_dates
@transaction.atomic
def evaluation_complete(
    *,
    evaluation: Evaluation,
    completed_by: Any,
    open_case: bool = False,
    motives: list[str] | None = None,
    referent: Any = None,
    external_partner: Any = None,
    mode: str = CaseMode.INTERNAL,
) -> Evaluation:
    """Conclude an evaluation. It needs a recommendation and a conclusion; when it recommends
    an accompaniment, it may open it at once."""
    evaluation = Evaluation.objects.select_for_update(of=("self",)).get(pk=evaluation.pk)
    errors = {}
    if not evaluation.recommendation:
        errors["recommendation"] = "Indiquez la préconisation."
    if not evaluation.conclusion_note.strip():
        errors["conclusion_note"] = "Rédigez la conclusion."
    if errors:
        raise ValidationError(errors)
    _transition(evaluation, EvaluationStatus.COMPLETED, completed_by)
    evaluation.updated_by = completed_by
    if open_case:
        if evaluation.recommendation not in (Recommendation.INTERNAL, Recommendation.EXTERNAL):
            raise ValidationError(
                {"open_case": "Seule une préconisation d'accompagnement ouvre un suivi."}
            )
        evaluation.social_case = social_case_open(
            organization=evaluation.organization,
            household=evaluation.household,
            motives=motives or [_motive_for_context(evaluation.context)],
            referent=referent or completed_by,
            opened_by=completed_by,
            mode=mode,
            external_partner=external_partner,
        )
    evaluation.save(update_fields=["status", "social_case", "updated_by", "updated_at"])
    _record(
        evaluation.household,
        "evaluation.completed",
        "Évaluation sociale terminée",
        completed_by,
        evaluation,
        summary=f"Préconisation : {evaluation.get_recommendation_display()}",
    )
    return evaluation


def _motive_for_context(context: str) -> str:
    return {
        "arrears": Motive.ARREARS,
        "transfer": Motive.TRANSFER,
        "adaptation": Motive.ADAPTATION,
        "allocation": Motive.ALLOCATION_FOLLOW_UP,
        "dalo": Motive.ALLOCATION_FOLLOW_UP,
    }.get(context, Motive.OTHER)


# --- Referrals ----------------------------------------------------------------------------------------


@_sane_dates
@transaction.atomic
def referral_create(
    *,
    organization: Any,
    household: Any,
    partner: Any,
    motive: str,
    referred_by: Any,
    sent_on: datetime.date | None = None,
    social_case: SocialCase | None = None,
    note: str = "",
) -> Referral:
    """Orient the household to a partner (CCAS, CAF, CARSAT, association…)."""
    _same_org(household, organization, "household", "Ménage")
    _same_org(partner, organization, "partner", "Partenaire")
    _same_org(social_case, organization, "social_case", "Accompagnement")
    if partner is None:
        raise ValidationError({"partner": "Choisissez le partenaire."})
    if motive not in Motive.values:
        raise ValidationError({"motive": "Motif inconnu."})
    referral = Referral.objects.create(
        organization=organization,
        household=household,
        partner=partner,
        motive=motive,
        sent_on=sent_on or _today(),
        social_case=social_case,
        note=note,
        created_by=referred_by,
        updated_by=referred_by,
    )
    _record(
        household,
        "referral.sent",
        f"Orientation vers {partner.name}",
        referred_by,
        referral,
        at=referral.sent_on,
        summary=f"Motif : {referral.get_motive_display()}",
    )
    return referral


@_sane_dates
@transaction.atomic
def referral_record_outcome(
    *,
    referral: Referral,
    status: str,
    recorded_by: Any,
    outcome: str = "",
    outcome_on: datetime.date | None = None,
) -> Referral:
    """Record what the partner did with the orientation."""
    referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    _transition(referral, status, recorded_by, reason=outcome)
    referral.outcome = outcome[:250]
    referral.outcome_on = outcome_on or _today()
    if referral.outcome_on < referral.sent_on:
        raise ValidationError({"outcome_on": "La réponse ne peut pas précéder l'orientation."})
    referral.updated_by = recorded_by
    referral.save(update_fields=["status", "outcome", "outcome_on", "updated_by", "updated_at"])
    _record(
        referral.household,
        "referral.outcome",
        f"Orientation vers {referral.partner.name} : {referral.get_status_display().lower()}",
        recorded_by,
        referral,
        at=referral.outcome_on,
        summary=referral.outcome,
    )
    return referral


# --- Appointments -------------------------------------------------------------------------------------


@_sane_dates
@transaction.atomic
def appointment_plan(
    *,
    organization: Any,
    household: Any,
    worker: Any,
    kind: str,
    starts_at: datetime.datetime,
    planned_by: Any,
    duration_minutes: int = 45,
    place: str = "",
    subject: str = "",
    social_case: SocialCase | None = None,
) -> Appointment:
    """Plan a visit, an interview or a call with a household."""
    _same_org(household, organization, "household", "Ménage")
    _same_org(social_case, organization, "social_case", "Accompagnement")
    _check_member(worker, organization, "worker")
    if kind not in InterventionKind.values:
        raise ValidationError({"kind": "Type de rendez-vous inconnu."})
    if starts_at < timezone.now() - datetime.timedelta(hours=1):
        raise ValidationError({"starts_at": "Un rendez-vous se planifie dans le futur."})
    if social_case is None:
        social_case = (
            SocialCase.objects.filter(household=household).exclude(status=CaseStatus.CLOSED).first()
        )
    appointment = Appointment.objects.create(
        organization=organization,
        household=household,
        worker=worker,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place[:200],
        subject=subject[:200],
        social_case=social_case,
        created_by=planned_by,
        updated_by=planned_by,
    )
    local = timezone.localtime(starts_at)
    _record(
        household,
        "appointment.planned",
        f"Rendez-vous prévu le {local:%d/%m/%Y à %H:%M} ({appointment.get_kind_display()})",
        planned_by,
        appointment,
        summary=subject[:200],
    )
    return appointment


@_sane_dates
@transaction.atomic
def appointment_set_status(
    *,
    appointment: Appointment,
    status: str,
    actor: Any,
    outcome: str = InterventionOutcome.DONE,
    note: str = "",
) -> Appointment:
    """Mark an appointment done (which logs its intervention), cancelled or missed."""
    appointment = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
    _transition(appointment, status, actor)
    if status == AppointmentStatus.DONE:
        if timezone.localtime(appointment.starts_at).date() > _today():
            raise ValidationError({"status": "Ce rendez-vous n'a pas encore eu lieu."})
        appointment.intervention = intervention_log(
            organization=appointment.organization,
            household=appointment.household,
            author=appointment.worker,
            kind=appointment.kind,
            occurred_on=timezone.localtime(appointment.starts_at).date(),
            duration_minutes=appointment.duration_minutes,
            subject=appointment.subject,
            outcome=outcome,
            note=note,
            social_case=appointment.social_case,
        )
    else:
        _record(
            appointment.household,
            f"appointment.{status}",
            f"Rendez-vous du {timezone.localtime(appointment.starts_at):%d/%m/%Y} : "
            f"{appointment.get_status_display().lower()}",
            actor,
            appointment,
        )
    appointment.updated_by = actor
    appointment.save(update_fields=["status", "intervention", "updated_by", "updated_at"])
    return appointment


# --- Outreach campaigns -------------------------------------------------------------------------------

CRITERIA_FLAGS = (
    "lives_alone",
    "socially_isolated",
    "reduced_mobility",
    "health_fragility",
    "digital_exclusion",
)


def _clean_criteria(criteria: dict | None) -> dict:
    if criteria is not None and not isinstance(criteria, dict):
        raise ValidationError({"criteria": "Critères invalides."})
    criteria = dict(criteria or {})
    cleaned: dict[str, Any] = {}
    if criteria.get("min_age") not in (None, ""):
        try:
            cleaned["min_age"] = int(criteria["min_age"])
        except (TypeError, ValueError) as error:
            raise ValidationError({"criteria": "Âge minimal invalide."}) from error
        if not 0 < cleaned["min_age"] < 120:
            raise ValidationError({"criteria": "Âge minimal invalide."})
    for flag in CRITERIA_FLAGS:
        if criteria.get(flag):
            cleaned[flag] = True
    cleaned["tenants_only"] = bool(criteria.get("tenants_only", True))
    if criteria.get("territory"):
        try:
            cleaned["territory"] = str(uuid.UUID(str(criteria["territory"])))
        except ValueError as error:
            raise ValidationError({"criteria": "Territoire invalide."}) from error
    return cleaned


@_sane_dates
@transaction.atomic
def campaign_create(
    *,
    organization: Any,
    name: str,
    kind: str,
    starts_on: datetime.date,
    created_by: Any,
    ends_on: datetime.date | None = None,
    criteria: dict | None = None,
    calls_per_week: int = 0,
    callers: list[Any] | None = None,
) -> OutreachCampaign:
    """Prepare an outreach campaign (cold wave, heat wave, isolation) and its callers."""
    from cases.enums import CampaignKind

    if not (name or "").strip():
        raise ValidationError({"name": "Donnez un nom à la campagne."})
    if kind not in CampaignKind.values:
        raise ValidationError({"kind": "Type de campagne inconnu."})
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "La fin ne peut pas précéder le début."})
    if not 0 <= int(calls_per_week) <= 14:
        raise ValidationError({"calls_per_week": "Entre 0 et 14 appels par semaine."})
    campaign = OutreachCampaign.objects.create(
        organization=organization,
        name=name.strip()[:200],
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        criteria=_clean_criteria(criteria),
        calls_per_week=int(calls_per_week),
        created_by=created_by,
        updated_by=created_by,
    )
    campaign_set_callers(campaign=campaign, callers=callers or [], set_by=created_by)
    StatusChange.objects.create(
        organization=organization,
        subject_type=OutreachCampaign._meta.label,
        subject_id=campaign.public_id,
        to_status=CampaignStatus.DRAFT,
        actor=created_by,
        created_by=created_by,
    )
    return campaign


@_sane_dates
@transaction.atomic
def campaign_set_callers(*, campaign: OutreachCampaign, callers: list[Any], set_by: Any) -> None:
    for user in callers:
        _check_member(user, campaign.organization, "callers")
    CampaignCaller.objects.filter(campaign=campaign).exclude(
        user_id__in=[u.pk for u in callers]
    ).delete()
    existing = set(
        CampaignCaller.objects.filter(campaign=campaign).values_list("user_id", flat=True)
    )
    CampaignCaller.objects.bulk_create(
        [
            CampaignCaller(
                organization_id=campaign.organization_id,
                campaign=campaign,
                user=user,
                created_by=set_by,
            )
            for user in callers
            if user.pk not in existing
        ]
    )


@_sane_dates
@transaction.atomic
def campaign_generate_targets(*, campaign: OutreachCampaign, generated_by: Any) -> int:
    """Add to the list every household matching the criteria (idempotent: households already
    listed stay as they are), assigned in turn to the campaign's callers. Returns how many
    households were added."""
    from cases.selectors import campaign_candidates

    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError({"status": "La campagne est terminée."})
    households = list(
        campaign_candidates(organization=campaign.organization, criteria=campaign.criteria)
        .exclude(campaign_targets__campaign=campaign)
        .order_by("name", "pk")
    )
    callers = list(
        CampaignCaller.objects.filter(campaign=campaign)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    already = CampaignTarget.objects.filter(campaign=campaign).count()
    first_call = max(campaign.starts_on, _today())
    targets = [
        CampaignTarget(
            organization_id=campaign.organization_id,
            campaign=campaign,
            household=household,
            assigned_to_id=callers[(already + index) % len(callers)] if callers else None,
            recurring=campaign.calls_per_week > 0
            and (household.lives_alone or household.socially_isolated),
            next_call_on=first_call,
            created_by=generated_by,
        )
        for index, household in enumerate(households)
    ]
    CampaignTarget.objects.bulk_create(targets)
    return len(targets)


@_sane_dates
@transaction.atomic
def campaign_set_status(*, campaign: OutreachCampaign, status: str, actor: Any) -> OutreachCampaign:
    """Launch, finish or relaunch a campaign."""
    campaign = OutreachCampaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    _transition(campaign, status, actor)
    fields = ["status", "updated_by", "updated_at"]
    if status == CampaignStatus.CLOSED and campaign.ends_on is None:
        campaign.ends_on = max(_today(), campaign.starts_on)
        fields.append("ends_on")
    campaign.updated_by = actor
    campaign.save(update_fields=fields)
    return campaign


@_sane_dates
@transaction.atomic
def campaign_target_assign(
    *, target: CampaignTarget, caller: Any, assigned_by: Any
) -> CampaignTarget:
    if caller is not None:
        _check_member(caller, target.campaign.organization, "assigned_to")
    target.assigned_to = caller
    target.updated_by = assigned_by
    target.save(update_fields=["assigned_to", "updated_by", "updated_at"])
    return target


@_sane_dates
@transaction.atomic
def campaign_contact_record(
    *,
    target: CampaignTarget,
    caller: Any,
    status: str,
    occurred_on: datetime.date | None = None,
    duration_minutes: int = 5,
    note: str = "",
    open_case: bool | None = None,
    referent: Any = None,
) -> Intervention:
    """Record one call of a campaign (an intervention of kind "campaign call"). A household
    reached needing follow-up gets an accompaniment (motive: isolation/vulnerability) unless
    one is running. Recurring targets get their next call date (every 7 ÷ calls-per-week days)."""
    target = (
        CampaignTarget.objects.select_for_update(of=("self",))
        .select_related("campaign", "household")
        .get(pk=target.pk)
    )
    campaign = target.campaign
    if campaign.status != CampaignStatus.ACTIVE:
        raise ValidationError({"status": "La campagne n'est pas en cours."})
    if status not in (ContactStatus.REACHED, ContactStatus.NOT_REACHED, ContactStatus.FOLLOW_UP):
        raise ValidationError({"status": "Indiquez si le ménage a été joint."})
    occurred_on = occurred_on or _today()
    outcomes: dict[str, str] = {
        ContactStatus.REACHED: InterventionOutcome.DONE,
        ContactStatus.NOT_REACHED: InterventionOutcome.NOT_REACHED,
        ContactStatus.FOLLOW_UP: InterventionOutcome.FOLLOW_UP,
    }
    outcome = outcomes[status]
    intervention = intervention_log(
        organization=campaign.organization,
        household=target.household,
        author=caller,
        kind=InterventionKind.CAMPAIGN_CALL,
        occurred_on=occurred_on,
        duration_minutes=duration_minutes,
        motive=Motive.ISOLATION,
        subject=campaign.name,
        outcome=outcome,
        note=note,
        campaign_target=target,
    )
    target.status = status
    target.attempts += 1
    target.last_contact_on = occurred_on
    if status == ContactStatus.NOT_REACHED:
        target.next_call_on = occurred_on + datetime.timedelta(days=1)
    elif target.recurring and campaign.calls_per_week:
        target.next_call_on = occurred_on + datetime.timedelta(
            days=max(1, math.ceil(7 / campaign.calls_per_week))
        )
    else:
        target.next_call_on = None
    should_open = status == ContactStatus.FOLLOW_UP if open_case is None else open_case
    if should_open and target.social_case_id is None:
        running = (
            SocialCase.objects.filter(household=target.household)
            .exclude(status=CaseStatus.CLOSED)
            .first()
        )
        target.social_case = running or social_case_open(
            organization=campaign.organization,
            household=target.household,
            motives=[Motive.ISOLATION],
            referent=referent or caller,
            opened_by=caller,
            opened_on=occurred_on,
        )
    target.updated_by = caller
    target.save()
    return intervention


@_sane_dates
@transaction.atomic
def campaign_recurring_calls_refresh(*, organization: Any, on: datetime.date | None = None) -> int:
    """Daily: recurring targets whose next call is due go back to "to call"; campaigns past
    their end close. Safe to run twice. Returns how many targets were put back."""
    on = on or _today()
    due = CampaignTarget.objects.filter(
        organization_id=organization.pk if hasattr(organization, "pk") else organization,
        campaign__status=CampaignStatus.ACTIVE,
        recurring=True,
        next_call_on__lte=on,
    ).exclude(status=ContactStatus.TO_CALL)
    count = due.update(status=ContactStatus.TO_CALL)
    for campaign in OutreachCampaign.objects.filter(status=CampaignStatus.ACTIVE, ends_on__lt=on):
        campaign_set_status(campaign=campaign, status=CampaignStatus.CLOSED, actor=None)
    return count


# --- Adaptation requests ------------------------------------------------------------------------------


@_sane_dates
@transaction.atomic
def adaptation_request_create(
    *,
    organization: Any,
    household: Any,
    kind: str,
    requested_by: Any,
    requester: Any = None,
    requested_on: datetime.date | None = None,
    description: str = "",
    estimated_cost: Decimal | None = None,
    note: str = "",
) -> AdaptationRequest:
    """Register a request to adapt the dwelling (bien vivre, bien vieillir)."""
    from cases.enums import AdaptationKind

    _same_org(household, organization, "household", "Ménage")
    if requester is not None and requester.household_id != household.pk:
        raise ValidationError({"requester": "Le demandeur doit être membre du ménage."})
    if kind not in AdaptationKind.values:
        raise ValidationError({"kind": "Type d'aménagement inconnu."})
    if estimated_cost is not None and estimated_cost < 0:
        raise ValidationError({"estimated_cost": "Le coût ne peut pas être négatif."})
    request = AdaptationRequest.objects.create(
        organization=organization,
        household=household,
        requester=requester,
        kind=kind,
        description=description[:250],
        requested_on=requested_on or _today(),
        estimated_cost=estimated_cost,
        note=note,
        created_by=requested_by,
        updated_by=requested_by,
    )
    _record(
        household,
        "adaptation.requested",
        f"Demande d'adaptation : {request.get_kind_display()}",
        requested_by,
        request,
        at=request.requested_on,
    )
    return request


@_sane_dates
@transaction.atomic
def adaptation_request_decide(
    *,
    request: AdaptationRequest,
    status: str,
    studied_on: datetime.date,
    decided_by: Any,
    reason: str = "",
    estimated_cost: Decimal | None = None,
) -> AdaptationRequest:
    """The adaptation commission's decision: approved, postponed or rejected."""
    if status not in (
        AdaptationStatus.APPROVED,
        AdaptationStatus.POSTPONED,
        AdaptationStatus.REJECTED,
    ):
        raise ValidationError({"status": "Décision inconnue."})
    request = AdaptationRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if studied_on < request.requested_on:
        raise ValidationError({"studied_on": "La commission ne peut précéder la demande."})
    if status == AdaptationStatus.REJECTED and not reason.strip():
        raise ValidationError({"decision_reason": "Un refus est motivé."})
    _transition(request, status, decided_by, reason=reason)
    request.studied_on = studied_on
    request.decision_reason = reason[:250]
    if estimated_cost is not None:
        request.estimated_cost = estimated_cost
    request.updated_by = decided_by
    request.save()
    _record(
        request.household,
        "adaptation.decided",
        f"Commission d'adaptation : {request.get_status_display().lower()}",
        decided_by,
        request,
        at=studied_on,
        summary=request.decision_reason,
    )
    return request


@_sane_dates
@transaction.atomic
def adaptation_request_progress(
    *,
    request: AdaptationRequest,
    status: str,
    actor: Any,
    on: datetime.date | None = None,
    final_cost: Decimal | None = None,
) -> AdaptationRequest:
    """Works started, delivered (with the final cost) or cancelled."""
    if status not in (
        AdaptationStatus.IN_WORKS,
        AdaptationStatus.DELIVERED,
        AdaptationStatus.CANCELLED,
    ):
        raise ValidationError({"status": "Étape inconnue."})
    request = AdaptationRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    _transition(request, status, actor)
    on = on or _today()
    if status == AdaptationStatus.IN_WORKS:
        request.works_started_on = on
    elif status == AdaptationStatus.DELIVERED:
        if final_cost is None and request.estimated_cost is None:
            raise ValidationError({"final_cost": "Indiquez le coût des travaux."})
        if request.works_started_on and on < request.works_started_on:
            raise ValidationError({"delivered_on": "La livraison ne peut précéder les travaux."})
        request.delivered_on = on
        request.final_cost = final_cost if final_cost is not None else request.estimated_cost
    request.updated_by = actor
    request.save()
    _record(
        request.household,
        f"adaptation.{status}",
        f"Adaptation du logement : {request.get_status_display().lower()}",
        actor,
        request,
        at=on,
    )
    return request


@_sane_dates
@transaction.atomic
def adaptation_funding_set(
    *, request: AdaptationRequest, partner: Any, amount: Decimal, set_by: Any
) -> AdaptationFunding:
    """A co-funder's share (CARSAT, MDPH…). Total co-funding cannot exceed the cost."""
    _same_org(partner, request.organization, "partner", "Partenaire")
    if amount is None or amount < 0:
        raise ValidationError({"amount": "Montant invalide."})
    funding, _ = AdaptationFunding.objects.update_or_create(
        request=request,
        partner=partner,
        defaults={
            "organization_id": request.organization_id,
            "amount": amount,
            "updated_by": set_by,
        },
    )
    total = sum((f.amount for f in request.fundings.all()), Decimal("0"))
    if request.cost and total > request.cost:
        raise ValidationError({"amount": "Les cofinancements dépassent le coût des travaux."})
    return funding


# --- Social-action commission -------------------------------------------------------------------------


@_sane_dates
@transaction.atomic
def case_review_create(
    *, organization: Any, held_on: datetime.date, created_by: Any, title: str = ""
) -> CaseReview:
    """Schedule a meeting of the social-action commission."""
    review = CaseReview.objects.create(
        organization=organization,
        held_on=held_on,
        title=(title or "Commission d'action sociale")[:200],
        created_by=created_by,
        updated_by=created_by,
    )
    return review


@_sane_dates
@transaction.atomic
def case_review_item_add(
    *,
    review: CaseReview,
    household: Any,
    file_kind: str,
    question: str,
    added_by: Any,
    social_case: SocialCase | None = None,
    note: str = "",
) -> CaseReviewItem:
    """Put a difficult access/transfer file on the commission's agenda."""
    from cases.enums import ReviewFileKind

    _same_org(household, review.organization, "household", "Ménage")
    if review.status != ReviewStatus.PLANNED:
        raise ValidationError({"review": "La commission s'est déjà tenue."})
    if file_kind not in ReviewFileKind.values:
        raise ValidationError({"file_kind": "Type de dossier inconnu."})
    if not question.strip():
        raise ValidationError({"question": "Précisez la question posée à la commission."})
    if CaseReviewItem.objects.filter(review=review, household=household).exists():
        raise ValidationError({"household": "Ce ménage est déjà à l'ordre du jour."})
    if social_case is None:
        social_case = (
            SocialCase.objects.filter(household=household).exclude(status=CaseStatus.CLOSED).first()
        )
    return CaseReviewItem.objects.create(
        organization_id=review.organization_id,
        review=review,
        household=household,
        social_case=social_case,
        file_kind=file_kind,
        question=question[:250],
        note=note,
        created_by=added_by,
        updated_by=added_by,
    )


@_sane_dates
@transaction.atomic
def case_review_item_decide(
    *, item: CaseReviewItem, decision: str, decided_by: Any, decision_text: str = ""
) -> CaseReviewItem:
    """Record the commission's decision on one file."""
    if decision not in ReviewDecision.values or not decision:
        raise ValidationError({"decision": "Indiquez la décision."})
    item.decision = decision
    item.decision_text = decision_text[:250]
    item.updated_by = decided_by
    item.save(update_fields=["decision", "decision_text", "updated_by", "updated_at"])
    _record(
        item.household,
        "case_review.decided",
        f"Commission d'action sociale du {item.review.held_on:%d/%m/%Y} : "
        f"{item.get_decision_display().lower()}",
        decided_by,
        item,
        at=item.review.held_on,
        summary=item.decision_text,
    )
    return item


@_sane_dates
@transaction.atomic
def case_review_hold(*, review: CaseReview, held_by: Any) -> CaseReview:
    """Close the meeting: every file on the agenda must have its decision."""
    review = CaseReview.objects.select_for_update(of=("self",)).get(pk=review.pk)
    if review.items.filter(decision="").exists():
        raise ValidationError(
            {"items": "Chaque dossier de l'ordre du jour doit avoir sa décision."}
        )
    _transition(review, ReviewStatus.HELD, held_by)
    review.updated_by = held_by
    review.save(update_fields=["status", "updated_by", "updated_at"])
    return review


# --- Support programmes -------------------------------------------------------------------------------


PROGRAMME_FIELDS = (
    "name",
    "decision_body",
    "funders",
    "operator",
    "starts_on",
    "ends_on",
    "unit_cost_diagnostic",
    "unit_cost_yearly_accompaniment",
    "unit_cost_collective_action",
    "collective_actions_held",
    "target_access",
    "target_staying",
    "budget_planned",
)


@_sane_dates
@transaction.atomic
def programme_save(
    *, organization: Any, saved_by: Any, programme: SupportProgramme | None = None, **data: Any
) -> SupportProgramme:
    """Create or update a support programme (dispositif)."""
    unknown = set(data) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Champ inconnu."})
    _same_org(data.get("operator"), organization, "operator", "Opérateur")
    if programme is None:
        if not (data.get("name") or "").strip():
            raise ValidationError({"name": "Donnez un nom au dispositif."})
        if not data.get("starts_on"):
            raise ValidationError({"starts_on": "Indiquez la date de début."})
        programme = SupportProgramme(organization=organization, created_by=saved_by)
    for field, value in data.items():
        setattr(programme, field, value)
    if programme.ends_on and programme.ends_on < programme.starts_on:
        raise ValidationError({"ends_on": "La fin ne peut précéder le début."})
    for field in (
        "unit_cost_diagnostic",
        "unit_cost_yearly_accompaniment",
        "unit_cost_collective_action",
        "budget_planned",
    ):
        if getattr(programme, field) is not None and getattr(programme, field) < 0:
            raise ValidationError({field: "Le montant ne peut pas être négatif."})
    programme.updated_by = saved_by
    programme.save()
    return programme


@_sane_dates
@transaction.atomic
def programme_enrol(
    *,
    programme: SupportProgramme,
    household: Any,
    kind: str,
    enrolled_by: Any,
    proposed_on: datetime.date | None = None,
) -> ProgrammeEnrolment:
    """Propose a household to the programme's decision body (access or staying)."""
    from cases.enums import EnrolmentKind, ProgrammeStatus

    _same_org(household, programme.organization, "household", "Ménage")
    if programme.status != ProgrammeStatus.ACTIVE:
        raise ValidationError({"programme": "Le dispositif est clos."})
    if kind not in EnrolmentKind.values:
        raise ValidationError({"kind": "Volet inconnu."})
    if ProgrammeEnrolment.objects.filter(programme=programme, household=household).exists():
        raise ValidationError({"household": "Ce ménage est déjà inscrit au dispositif."})
    enrolment = ProgrammeEnrolment.objects.create(
        organization_id=programme.organization_id,
        programme=programme,
        household=household,
        kind=kind,
        proposed_on=proposed_on or _today(),
        created_by=enrolled_by,
        updated_by=enrolled_by,
    )
    _record(
        household,
        "programme.proposed",
        f"Proposé au dispositif « {programme.name} » ({enrolment.get_kind_display().lower()})",
        enrolled_by,
        enrolment,
        at=enrolment.proposed_on,
    )
    return enrolment


@_sane_dates
@transaction.atomic
def programme_enrolment_decide(
    *,
    enrolment: ProgrammeEnrolment,
    status: str,
    decided_by: Any,
    on: datetime.date | None = None,
    decision_text: str = "",
    diagnostic_done: bool | None = None,
) -> ProgrammeEnrolment:
    """The programme body's decision (accepted, refused) or the household's exit."""
    enrolment = ProgrammeEnrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    _transition(enrolment, status, decided_by, reason=decision_text)
    on = on or _today()
    if on < enrolment.proposed_on:
        raise ValidationError({"decided_on": "La décision ne peut précéder la proposition."})
    if status == EnrolmentStatus.ENDED:
        enrolment.ended_on = on
    else:
        enrolment.decided_on = on
        enrolment.decision_text = decision_text[:250]
    if diagnostic_done is not None:
        enrolment.diagnostic_done = diagnostic_done
    enrolment.updated_by = decided_by
    enrolment.save()
    _record(
        enrolment.household,
        f"programme.{status}",
        f"Dispositif « {enrolment.programme.name} » : {enrolment.get_status_display().lower()}",
        decided_by,
        enrolment,
        at=on,
        summary=enrolment.decision_text,
    )
    return enrolment
