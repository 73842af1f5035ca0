"""Writes of the allocations app. Every service is keyword-only, atomic, takes the acting user,
raises ValidationError with French messages keyed by field, and writes the household timeline
when it concerns a household. Rules: RULES.md "Allocation commission" and "Demands"."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from allocations import affordability, documents
from allocations.deadlines import answer_deadline
from allocations.enums import (
    ATTRIBUTING_KINDS,
    ApplicationKind,
    ApplicationStatus,
    AttendanceStatus,
    CandidateException,
    DecisionKind,
    Flow,
    OccupancyCriterion,
    OccupancyReviewStatus,
    OfferStatus,
    QuorumRule,
    RadiationReason,
    SessionMode,
    SessionStatus,
)
from allocations.models import (
    ApplicationPriority,
    Attendance,
    Candidacy,
    Commission,
    CommissionMember,
    CommissionSession,
    Decision,
    HousingApplication,
    OccupancyReview,
    Offer,
    RemoteVote,
    SessionDwelling,
)
from core import timeline
from core.parameters import get_parameter
from housing.enums import DwellingStatus, Financing, LeaseEndReason, LeaseKind
from housing.models import Dwelling, Lease

CATEGORY = "allocations"
LOST_UPDATE_MESSAGE = (
    "Les décisions de ce logement ont été modifiées par une autre personne pendant votre saisie. "
    "Vos modifications n'ont pas été enregistrées : rechargez la page pour voir la version "
    "actuelle, puis saisissez à nouveau."
)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


# --- Applications --------------------------------------------------------------------------------


def first_quartile_for(*, application: HousingApplication, on: datetime.date | None = None) -> bool:
    """Loi Égalité et Citoyenneté art. 70: a demand is in the first quartile when its yearly
    income per consumption unit is at most the EPCI's yearly threshold (verified income when
    known, else declared)."""
    income = application.annual_income
    if income is None:
        income = application.monthly_resources * 12
    thresholds = get_parameter(
        "allocations.first_quartile_thresholds", organization=application.organization_id, on=on
    )
    threshold = thresholds.get(application.epci_code) or thresholds.get("default")
    if threshold is None:
        return False
    units = affordability.consumption_units_for(
        adults=application.adults, children=application.children
    )
    return Decimal(str(income)) / units <= Decimal(str(threshold))


def _priority_level(criteria: Iterable[str]) -> int:
    criteria = set(criteria)
    if "dalo" in criteria:
        return 2
    return 1 if criteria else 0


def _validate_priorities(organization: Any, priorities: list[dict[str, Any]]) -> None:
    known = get_parameter("allocations.priority_criteria", organization=organization)
    for item in priorities:
        if item.get("criterion") not in known:
            raise ValidationError(
                {"priorities": f"Critère de priorité inconnu : {item.get('criterion')}."}
            )
        if not item.get("proof_type"):
            raise ValidationError(
                {"priorities": "Chaque critère de priorité indique son type de justificatif."}
            )
        if not item.get("labelling_source"):
            raise ValidationError(
                {"priorities": "Chaque critère de priorité indique qui l'a labellisé."}
            )


APPLICATION_FIELDS = (
    "kind",
    "transfer_reason",
    "current_lease",
    "registration_desk",
    "desired_communes",
    "desired_typologies",
    "max_rent",
    "max_floor",
    "needs_lift",
    "needs_accessibility",
    "adults",
    "children",
    "declared_monthly_resources",
    "verified_monthly_resources",
    "declared_annual_income",
    "verified_annual_income",
    "epci_code",
    "score",
    "score_source",
)


@transaction.atomic
def application_create(
    *,
    organization: Any,
    household: Any,
    registration_number: str,
    filed_on: datetime.date,
    created_by: Any,
    renewed_on: datetime.date | None = None,
    priorities: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> HousingApplication:
    """Register a demand (RULES "Demands"): no registration number, no examination; validity one
    year from filing or last renewal; a transfer names its reason."""
    registration_number = (registration_number or "").strip()
    if not registration_number:
        raise ValidationError({"registration_number": "Le numéro unique est obligatoire."})
    if household.organization_id != getattr(organization, "pk", organization):
        raise ValidationError({"household": "Ménage inconnu."})
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    if fields.get("kind") == ApplicationKind.TRANSFER and not fields.get("transfer_reason"):
        raise ValidationError({"transfer_reason": "Une demande de mutation indique son motif."})
    if HousingApplication.objects.filter(
        organization=organization, registration_number=registration_number
    ).exists():
        raise ValidationError(
            {"registration_number": "Une demande porte déjà ce numéro unique dans l'organisation."}
        )
    priorities = priorities or []
    _validate_priorities(organization, priorities)
    months = get_parameter("allocations.validity_months", organization=organization, on=filed_on)
    application = HousingApplication(
        organization=organization,
        household=household,
        registration_number=registration_number,
        filed_on=filed_on,
        renewed_on=renewed_on,
        expires_on=_add_months(renewed_on or filed_on, months),
        priority_level=_priority_level(p["criterion"] for p in priorities),
        created_by=created_by,
        updated_by=created_by,
        **fields,
    )
    if application.score is not None and not application.score_source:
        application.score_source = "entered"
    application.first_quartile = first_quartile_for(application=application)
    application.full_clean(exclude=["organization", "household", "current_lease"])
    application.save()
    ApplicationPriority.objects.bulk_create(
        [
            ApplicationPriority(
                organization=application.organization,
                application=application,
                created_by=created_by,
                **{k: item[k] for k in ("criterion", "proof_type", "labelling_source")},
                labelled_on=item.get("labelled_on"),
            )
            for item in priorities
        ]
    )
    timeline.record(
        household=household,
        category=CATEGORY,
        kind="application.registered",
        title=f"Demande de logement {registration_number} enregistrée",
        actor=created_by,
        subject=application,
        at=filed_on,
    )
    return application


@transaction.atomic
def application_update(
    *, application: HousingApplication, updated_by: Any, **fields: Any
) -> HousingApplication:
    """Change a demand's wishes, composition, resources or score; the quartile is recomputed."""
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    if application.status != ApplicationStatus.ACTIVE:
        raise ValidationError("Une demande radiée ne se modifie plus.")
    for name, value in fields.items():
        setattr(application, name, value)
    if application.kind == ApplicationKind.TRANSFER and not application.transfer_reason:
        raise ValidationError({"transfer_reason": "Une demande de mutation indique son motif."})
    application.first_quartile = first_quartile_for(application=application)
    application.updated_by = updated_by
    application.full_clean(exclude=["organization", "household", "current_lease"])
    application.save()
    return application


@transaction.atomic
def application_set_priorities(
    *, application: HousingApplication, priorities: list[dict[str, Any]], updated_by: Any
) -> HousingApplication:
    """Replace the demand's priority criteria (L441-1), each with its proof and source."""
    _validate_priorities(application.organization_id, priorities)
    application.priorities.all().delete()
    ApplicationPriority.objects.bulk_create(
        [
            ApplicationPriority(
                organization_id=application.organization_id,
                application=application,
                created_by=updated_by,
                criterion=item["criterion"],
                proof_type=item["proof_type"],
                labelling_source=item["labelling_source"],
                labelled_on=item.get("labelled_on"),
            )
            for item in priorities
        ]
    )
    application.priority_level = _priority_level(p["criterion"] for p in priorities)
    application.updated_by = updated_by
    application.save(update_fields=["priority_level", "updated_by", "updated_at"])
    return application


@transaction.atomic
def application_renew(
    *, application: HousingApplication, renewed_on: datetime.date, renewed_by: Any
) -> HousingApplication:
    """Renewal keeps seniority (the first filing date) and runs a new year of validity."""
    if application.status != ApplicationStatus.ACTIVE:
        raise ValidationError("Seule une demande active se renouvelle.")
    months = get_parameter(
        "allocations.validity_months", organization=application.organization_id, on=renewed_on
    )
    application.renewed_on = renewed_on
    application.expires_on = _add_months(renewed_on, months)
    application.reminder_sent_on = None
    application.flagged_for_radiation = False
    application.updated_by = renewed_by
    application.save()
    timeline.record(
        household=application.household,
        category=CATEGORY,
        kind="application.renewed",
        title=f"Demande {application.registration_number} renouvelée",
        actor=renewed_by,
        subject=application,
        at=renewed_on,
    )
    return application


@transaction.atomic
def application_radiate(
    *,
    application: HousingApplication,
    reason: str,
    on: datetime.date,
    radiated_by: Any,
) -> HousingApplication:
    """Radiation: attribution (after lease signature), renunciation, inadmissibility, no renewal."""
    if application.status != ApplicationStatus.ACTIVE:
        raise ValidationError("Cette demande n'est plus active.")
    if reason not in RadiationReason.values:
        raise ValidationError({"reason": "Motif de radiation inconnu."})
    application.status = (
        ApplicationStatus.ATTRIBUTED
        if reason == RadiationReason.ATTRIBUTION
        else ApplicationStatus.RADIATED
    )
    application.radiation_reason = reason
    application.radiated_on = on
    application.flagged_for_radiation = False
    application.updated_by = radiated_by
    application.save()
    timeline.record(
        household=application.household,
        category=CATEGORY,
        kind="application.radiated",
        title=f"Demande {application.registration_number} radiée : "
        f"{RadiationReason(reason).label.lower()}",
        actor=radiated_by,
        subject=application,
        at=on,
    )
    return application


def applications_expiry_run(
    *, organization: Any, today: datetime.date, acting_user: Any = None
) -> dict[str, int]:
    """Daily: warn the applicants whose demand expires within the notice period (at least one
    month, R441-2-8) with a reminder letter, and flag expired demands for radiation."""
    notice = get_parameter("allocations.renewal_notice_days", organization=organization, on=today)
    active = HousingApplication.objects.for_organization(organization).filter(
        status=ApplicationStatus.ACTIVE
    )
    flagged = active.filter(expires_on__lt=today, flagged_for_radiation=False).update(
        flagged_for_radiation=True, updated_at=timezone.now()
    )
    reminded = 0
    due = active.filter(
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=notice),
        reminder_sent_on__isnull=True,
    ).select_related("household")
    for application in due:
        with transaction.atomic():
            documents.renewal_reminder(application=application, created_by=acting_user, on=today)
            application.reminder_sent_on = today
            application.save(update_fields=["reminder_sent_on", "updated_at"])
            timeline.record(
                household=application.household,
                category=CATEGORY,
                kind="application.reminder",
                title=f"Relance de renouvellement de la demande {application.registration_number}",
                subject=application,
                at=today,
            )
        reminded += 1
    return {"reminded": reminded, "flagged": flagged}


# --- Commissions and sessions --------------------------------------------------------------------


@transaction.atomic
def commission_create(*, organization: Any, created_by: Any, **fields: Any) -> Commission:
    commission = Commission(organization=organization, created_by=created_by, **fields)
    commission.full_clean(exclude=["organization", "territory"])
    if Commission.objects.filter(organization=organization, name=commission.name).exists():
        raise ValidationError({"name": "Une commission porte déjà ce nom."})
    commission.save()
    return commission


@transaction.atomic
def commission_member_add(
    *, commission: Commission, created_by: Any, **fields: Any
) -> CommissionMember:
    """A seat (R441-9). Réservataires and associations are consultative: never voting."""
    member = CommissionMember(
        organization_id=commission.organization_id,
        commission=commission,
        created_by=created_by,
        **fields,
    )
    if member.seat in ("association", "reservataire"):
        member.is_voting = False
    if member.seat == "reservataire" and member.partner_id is None:
        raise ValidationError({"partner": "Un siège de réservataire désigne le réservataire."})
    member.full_clean(exclude=["organization", "commission", "user", "partner"])
    member.save()
    return member


COMMISSION_FIELDS = (
    "name",
    "territory",
    "quorum_rule",
    "quorum_minimum",
    "remote_allowed",
    "voting_window_hours",
    "internal_rules_adopted_on",
    "is_active",
)
MEMBER_FIELDS = (
    "full_name",
    "seat",
    "is_voting",
    "is_president",
    "user",
    "commune_insee",
    "epci_code",
    "partner",
    "is_active",
)


@transaction.atomic
def commission_update(*, commission: Commission, updated_by: Any, **fields: Any) -> Commission:
    """Change a commission's competence and the settings of its internal rules."""
    unknown = set(fields) - set(COMMISSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    territory = fields.get("territory")
    if territory is not None and territory.organization_id != commission.organization_id:
        raise ValidationError({"territory": "Territoire inconnu."})
    for name, value in fields.items():
        setattr(commission, name, value)
    commission.updated_by = updated_by
    commission.full_clean(exclude=["organization", "territory"])
    if (
        Commission.objects.filter(organization_id=commission.organization_id, name=commission.name)
        .exclude(pk=commission.pk)
        .exists()
    ):
        raise ValidationError({"name": "Une commission porte déjà ce nom."})
    commission.save()
    return commission


@transaction.atomic
def commission_member_update(
    *, member: CommissionMember, updated_by: Any, **fields: Any
) -> CommissionMember:
    """Change a seat's holder, quality or voting status (same rules as `commission_member_add`)."""
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(member, name, value)
    if member.seat in ("association", "reservataire") and member.is_voting:
        raise ValidationError(
            {"is_voting": "Un siège de réservataire ou d'association n'a qu'une voix consultative."}
        )
    if member.seat == "reservataire" and member.partner_id is None:
        raise ValidationError({"partner": "Un siège de réservataire désigne le réservataire."})
    member.updated_by = updated_by
    member.full_clean(exclude=["organization", "commission", "user", "partner"])
    member.save()
    return member


@transaction.atomic
def commission_member_remove(*, member: CommissionMember, removed_by: Any) -> bool:
    """Remove a seat. A seat already recorded in a session's attendance or a remote vote stays
    in the history: it is marked no longer in office instead. Returns whether it was deleted."""
    if member.attendances.exists() or member.votes.exists():
        member.is_active = False
        member.updated_by = removed_by
        member.save(update_fields=["is_active", "updated_by", "updated_at"])
        return False
    member.delete()
    return True


@transaction.atomic
def session_create(
    *,
    commission: Commission,
    scheduled_at: datetime.datetime,
    created_by: Any,
    place: str = "",
    mode: str = SessionMode.IN_PERSON,
) -> CommissionSession:
    """A new session, in draft. Remote only when the internal rules allow it (3DS); its voting
    window opens at the scheduled time and lasts the rules' duration."""
    if mode == SessionMode.REMOTE and not commission.remote_allowed:
        raise ValidationError(
            {
                "mode": "Le règlement intérieur de cette commission ne prévoit pas de séance à distance."
            }
        )
    if mode == SessionMode.IN_PERSON and not place:
        raise ValidationError({"place": "Indiquez le lieu de la séance."})
    session = CommissionSession(
        organization_id=commission.organization_id,
        commission=commission,
        scheduled_at=scheduled_at,
        place=place,
        mode=mode,
        created_by=created_by,
    )
    if mode == SessionMode.REMOTE:
        session.voting_opens_at = scheduled_at
        session.voting_closes_at = scheduled_at + datetime.timedelta(
            hours=commission.voting_window_hours
        )
    session.save()
    return session


def _transition(session: CommissionSession, target: str, acting_user: Any) -> None:
    if not session.can_transition(target):
        raise ValidationError(
            f"Passage impossible de « {session.get_status_display()} » à "
            f"« {SessionStatus(target).label} »."
        )
    session.status = target
    session.updated_by = acting_user


def _locked_session(session: CommissionSession) -> CommissionSession:
    return CommissionSession.objects.select_for_update(of=("self",)).get(pk=session.pk)


def candidate_rule_problem(
    session_dwelling: SessionDwelling, candidate_count: int, minimum: int
) -> str | None:
    """R441-3: at least three candidates per dwelling unless one of the three exceptions."""
    if candidate_count == 0:
        return "Aucun candidat n'est présenté."
    if candidate_count >= minimum:
        return None
    exception = session_dwelling.candidate_exception
    if not exception:
        return (
            f"Moins de {minimum} candidats sans exception enregistrée (insuffisance de candidats, "
            "ménage DALO désigné par le préfet, PLAI adapté)."
        )
    if exception == CandidateException.PLAI_ADAPTED and (
        session_dwelling.dwelling.financing != Financing.PLAI_ADAPTED
    ):
        return "L'exception « PLAI adapté » ne vaut que pour un logement financé en PLAI adapté."
    if not session_dwelling.exception_justification.strip():
        return "L'exception à la règle des trois candidats doit être justifiée."
    return None


@transaction.atomic
def session_publish_agenda(*, session: CommissionSession, published_by: Any) -> CommissionSession:
    """Publish the agenda (ordre du jour): every dwelling has its candidates or its exception."""
    session = _locked_session(session)
    dwellings = list(
        session.dwellings.select_related("dwelling__residence").prefetch_related("candidacies")
    )
    if not dwellings:
        raise ValidationError("L'ordre du jour ne comporte aucun logement.")
    minimum = get_parameter("allocations.minimum_candidates", organization=session.organization_id)
    problems = []
    for item in dwellings:
        problem = candidate_rule_problem(item, len(item.candidacies.all()), minimum)
        if problem:
            problems.append(f"{item.dwelling.reference} : {problem}")
    if problems:
        raise ValidationError(problems)
    _transition(session, SessionStatus.AGENDA_PUBLISHED, published_by)
    session.agenda_published_at = timezone.now()
    session.save()
    documents.agenda(session=session, created_by=published_by)
    return session


@transaction.atomic
def session_back_to_draft(*, session: CommissionSession, acting_user: Any) -> CommissionSession:
    session = _locked_session(session)
    _transition(session, SessionStatus.DRAFT, acting_user)
    session.save()
    return session


@transaction.atomic
def attendance_record(
    *, session: CommissionSession, entries: list[dict[str, Any]], recorded_by: Any
) -> list[Attendance]:
    """Record who was present or represented (proof of the commission's composition)."""
    session.refresh_from_db(fields=["status"])
    if session.status not in (SessionStatus.AGENDA_PUBLISHED, SessionStatus.HELD):
        raise ValidationError("Les présences se saisissent une fois l'ordre du jour publié.")
    members = {
        m.pk: m for m in CommissionMember.objects.filter(commission_id=session.commission_id)
    }
    saved = []
    for entry in entries:
        member = entry["member"]
        member_id = getattr(member, "pk", member)
        if member_id not in members:
            raise ValidationError({"member": "Ce membre ne siège pas dans cette commission."})
        status = entry["status"]
        if status == AttendanceStatus.REPRESENTED and not entry.get("represented_by"):
            raise ValidationError(
                {"represented_by": f"Indiquez qui représente {members[member_id].full_name}."}
            )
        attendance, _ = Attendance.objects.update_or_create(
            organization_id=session.organization_id,
            session=session,
            member_id=member_id,
            defaults={
                "status": status,
                "represented_by": entry.get("represented_by", ""),
                "updated_by": recorded_by,
            },
        )
        saved.append(attendance)
    return saved


@transaction.atomic
def session_hold(
    *, session: CommissionSession, held_by: Any, president_name: str = ""
) -> CommissionSession:
    """The session is held: attendance recorded. A remote session is held once its voting window
    has closed."""
    session = _locked_session(session)
    if not session.attendances.exists():
        raise ValidationError("Saisissez les présences avant de tenir la séance.")
    if (
        session.mode == SessionMode.REMOTE
        and session.voting_closes_at
        and timezone.now() < session.voting_closes_at
    ):
        raise ValidationError("Le vote à distance est encore ouvert.")
    _transition(session, SessionStatus.HELD, held_by)
    session.held_at = timezone.now()
    if president_name:
        session.president_name = president_name
    session.save()
    return session


@dataclass(frozen=True)
class Quorum:
    voting_seats: int
    voting_present: int
    required: int

    @property
    def reached(self) -> bool:
        return self.voting_present >= self.required


def quorum_for(
    *,
    commission: Commission,
    dwelling: Dwelling,
    members: list[CommissionMember],
    attendances: dict[int, Attendance],
) -> Quorum:
    """The quorum for one dwelling: the voting seats concerned (the mayor of its commune, the
    EPCI of its territory, …), those present or represented, and what the internal rules
    require (a majority of the seats, or a fixed number). No query."""
    seats = [m for m in members if m.is_voting and m.is_active and m.concerns(dwelling)]
    present = sum(
        1
        for m in seats
        if m.pk in attendances
        and attendances[m.pk].status in (AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED)
    )
    if commission.quorum_rule == QuorumRule.FIXED:
        required = commission.quorum_minimum
    else:
        required = len(seats) // 2 + 1
    return Quorum(voting_seats=len(seats), voting_present=present, required=required)


def session_quorum(session_dwelling: SessionDwelling) -> Quorum:
    session = session_dwelling.session
    members = list(CommissionMember.objects.filter(commission_id=session.commission_id))
    attendances = {a.member_id: a for a in Attendance.objects.filter(session_id=session.pk)}
    return quorum_for(
        commission=session.commission,
        dwelling=session_dwelling.dwelling,
        members=members,
        attendances=attendances,
    )


@transaction.atomic
def session_dwelling_add(
    *,
    session: CommissionSession,
    dwelling: Dwelling,
    added_by: Any,
    flow: str | None = None,
    reserving_partner: Any = None,
    vacancy_on: datetime.date | None = None,
) -> SessionDwelling:
    """Put a vacancy on the agenda, with the flow it counts on (the réservataire's or the
    landlord's own stock; the dwelling's reservation by default)."""
    if not session.is_editable:
        raise ValidationError("L'ordre du jour de cette séance ne peut plus être modifié.")
    if dwelling.status == DwellingStatus.OCCUPIED:
        raise ValidationError({"dwelling": "Ce logement est occupé."})
    if reserving_partner is None and flow != Flow.LANDLORD:
        reserving_partner = dwelling.reserving_partner
    if flow is None:
        flow = Flow.RESERVATAIRE if reserving_partner else Flow.LANDLORD
    if flow == Flow.RESERVATAIRE and reserving_partner is None:
        raise ValidationError({"reserving_partner": "Indiquez le réservataire."})
    if SessionDwelling.objects.filter(session=session, dwelling=dwelling).exists():
        raise ValidationError({"dwelling": "Ce logement est déjà à l'ordre du jour."})
    position = session.dwellings.count() + 1
    return SessionDwelling.objects.create(
        organization_id=session.organization_id,
        session=session,
        dwelling=dwelling,
        position=position,
        flow=flow,
        reserving_partner=reserving_partner if flow == Flow.RESERVATAIRE else None,
        vacancy_on=vacancy_on,
        created_by=added_by,
    )


@transaction.atomic
def session_dwelling_set_exception(
    *, session_dwelling: SessionDwelling, exception: str, justification: str, updated_by: Any
) -> SessionDwelling:
    """Record one of the three exceptions to the three-candidate rule (R441-3), justified."""
    if exception and exception not in CandidateException.values:
        raise ValidationError({"candidate_exception": "Exception inconnue."})
    if exception and not justification.strip():
        raise ValidationError({"exception_justification": "Justifiez l'exception."})
    if exception == CandidateException.PLAI_ADAPTED and (
        session_dwelling.dwelling.financing != Financing.PLAI_ADAPTED
    ):
        raise ValidationError(
            {"candidate_exception": "Ce logement n'est pas financé en PLAI adapté."}
        )
    session_dwelling.candidate_exception = exception
    session_dwelling.exception_justification = justification.strip() if exception else ""
    session_dwelling.updated_by = updated_by
    session_dwelling.save()
    return session_dwelling


@transaction.atomic
def candidacy_add(
    *,
    session_dwelling: SessionDwelling,
    application: HousingApplication,
    added_by: Any,
    proposed_by: Any = None,
) -> Candidacy:
    """Present a demand for a dwelling, with its effort rate and residual income for it."""
    if not session_dwelling.session.is_editable:
        raise ValidationError("L'ordre du jour de cette séance ne peut plus être modifié.")
    if application.status != ApplicationStatus.ACTIVE:
        raise ValidationError({"application": "Seule une demande active peut être présentée."})
    if Candidacy.objects.filter(
        session_dwelling=session_dwelling, application=application
    ).exists():
        raise ValidationError({"application": "Cette demande est déjà présentée pour ce logement."})
    settings = affordability.load_settings(organization=session_dwelling.organization_id)
    figures = affordability.candidate_figures(
        application=application,
        dwelling=session_dwelling.dwelling,
        housing_benefit=application.household.housing_benefit,
        settings=settings,
    )
    candidacy = Candidacy.objects.create(
        organization_id=session_dwelling.organization_id,
        session_dwelling=session_dwelling,
        application=application,
        position=session_dwelling.candidacies.count() + 1,
        effort_rate=figures.effort_rate,
        residual_income=figures.residual_income,
        score=application.score,
        proposed_by=proposed_by,
        created_by=added_by,
    )
    timeline.record(
        household=application.household,
        category=CATEGORY,
        kind="candidacy.added",
        title=f"Candidature présentée pour le logement {session_dwelling.dwelling.reference}",
        actor=added_by,
        subject=candidacy,
    )
    return candidacy


@transaction.atomic
def candidacy_remove(*, candidacy: Candidacy, removed_by: Any) -> None:
    if not candidacy.session_dwelling.session.is_editable:
        raise ValidationError("L'ordre du jour de cette séance ne peut plus être modifié.")
    candidacy.delete()


# --- Remote voting -------------------------------------------------------------------------------


@transaction.atomic
def remote_vote_cast(
    *,
    session_dwelling: SessionDwelling,
    member: CommissionMember,
    ranking: list[Candidacy],
    cast_by: Any,
    now: datetime.datetime | None = None,
) -> list[RemoteVote]:
    """A member ranks the candidates of a dwelling, inside the voting window (3DS)."""
    session = session_dwelling.session
    now = now or timezone.now()
    if session.mode != SessionMode.REMOTE:
        raise ValidationError("Le vote à distance ne concerne que les séances dématérialisées.")
    if not (session.voting_opens_at and session.voting_opens_at <= now < session.voting_closes_at):
        raise ValidationError("Le vote n'est pas ouvert.")
    if member.commission_id != session.commission_id or not member.is_voting:
        raise ValidationError("Ce membre ne vote pas dans cette commission.")
    candidacy_ids = set(session_dwelling.candidacies.values_list("pk", flat=True))
    if {c.pk for c in ranking} - candidacy_ids:
        raise ValidationError("Candidat inconnu pour ce logement.")
    votes = []
    for rank, candidacy in enumerate(ranking, start=1):
        vote, _ = RemoteVote.objects.update_or_create(
            organization_id=session.organization_id,
            candidacy=candidacy,
            member=member,
            defaults={"rank": rank, "updated_by": cast_by},
        )
        votes.append(vote)
    return votes


def remote_votes_consolidate(
    *, session_dwelling: SessionDwelling
) -> list[tuple[Candidacy, Decimal]]:
    """The secretary's consolidation: candidates by mean rank (unranked last), then score."""
    candidacies = list(
        session_dwelling.candidacies.select_related("application").prefetch_related("votes")
    )
    result = []
    for candidacy in candidacies:
        ranks = [v.rank for v in candidacy.votes.all() if v.rank]
        mean = Decimal(sum(ranks)) / len(ranks) if ranks else Decimal("999")
        result.append((candidacy, mean.quantize(Decimal("0.01"))))
    result.sort(key=lambda pair: (pair[1], -(pair[0].score or 0)))
    return result


# --- Decisions -----------------------------------------------------------------------------------


def _validate_decision(data: dict[str, Any], official: list[str]) -> None:
    kind = data.get("kind")
    label = data["candidacy"].application.registration_number
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": f"{label} : type de décision inconnu."})
    if kind in ATTRIBUTING_KINDS:
        if kind == DecisionKind.ATTRIBUTION:
            data["rank"] = data.get("rank") or 1
        if not data.get("rank") or int(data["rank"]) < 1:
            raise ValidationError({"rank": f"{label} : une attribution porte un rang (1, 2, 3…)."})
        if kind == DecisionKind.ATTRIBUTION and int(data["rank"]) != 1:
            raise ValidationError(
                {"rank": f"{label} : une attribution simple est au rang 1 ; sinon « avec rang »."}
            )
    else:
        data["rank"] = None
    if kind == DecisionKind.CONDITIONAL:
        if data.get("missing_document") not in official:
            raise ValidationError(
                {
                    "missing_document": f"{label} : choisissez la pièce manquante dans la liste officielle."
                }
            )
        if not data.get("condition_deadline"):
            raise ValidationError(
                {"condition_deadline": f"{label} : fixez la date limite de production de la pièce."}
            )
    else:
        data["missing_document"] = ""
        data["condition_deadline"] = None
    if (
        kind in (DecisionKind.NON_ATTRIBUTION, DecisionKind.REJECTION)
        and not (data.get("reasons") or "").strip()
    ):
        raise ValidationError(
            {"reasons": f"{label} : les motifs de la décision sont obligatoires (R441-3)."}
        )
    if kind == DecisionKind.REJECTION and not (data.get("legal_basis") or "").strip():
        raise ValidationError(
            {"legal_basis": f"{label} : un rejet pour irrecevabilité cite son fondement juridique."}
        )


@transaction.atomic
def decisions_record(
    *,
    session_dwelling: SessionDwelling,
    expected_version: int,
    decisions: list[dict[str, Any]],
    recorded_by: Any,
    decided_on: datetime.date | None = None,
) -> SessionDwelling:
    """Record the decisions of one dwelling (R441-3 a–e), one per candidate.

    Refused when the session is not held, when the dwelling has fewer than three candidates
    without an exception, when the quorum for this dwelling is not reached, when a d) or e)
    decision has no reasons (e) no legal basis), when a c) decision lacks its document or
    deadline, or when two candidates share a rank. Optimistic lock: `expected_version` must be
    the version the secretary loaded, else nothing is saved (no lost update). Departures from
    score order are flagged and written to the timeline.
    """
    updated = SessionDwelling.objects.filter(
        pk=session_dwelling.pk, version=expected_version
    ).update(version=F("version") + 1, updated_by=recorded_by, updated_at=timezone.now())
    if updated == 0:
        raise ValidationError({"version": LOST_UPDATE_MESSAGE})
    session_dwelling.refresh_from_db()
    session = session_dwelling.session
    if not session.accepts_decisions:
        raise ValidationError("Les décisions se saisissent pour une séance tenue.")
    candidacies = {
        c.pk: c for c in session_dwelling.candidacies.select_related("application__household")
    }
    minimum = get_parameter("allocations.minimum_candidates", organization=session.organization_id)
    problem = candidate_rule_problem(session_dwelling, len(candidacies), minimum)
    if problem:
        raise ValidationError({"candidacies": f"La commission ne peut pas décider : {problem}"})
    quorum = session_quorum(session_dwelling)
    if not quorum.reached:
        raise ValidationError(
            {
                "quorum": f"Quorum non atteint pour ce logement : {quorum.voting_present} membre(s) "
                f"votant(s) présent(s) ou représenté(s) sur {quorum.required} requis."
            }
        )
    official = get_parameter("allocations.official_documents", organization=session.organization_id)
    seen: set[int] = set()
    ranks: list[int] = []
    for data in decisions:
        candidacy = data["candidacy"]
        candidacy = candidacies.get(getattr(candidacy, "pk", candidacy))
        if candidacy is None:
            raise ValidationError({"candidacy": "Candidat inconnu pour ce logement."})
        if candidacy.pk in seen:
            raise ValidationError({"candidacy": "Une seule décision par candidat."})
        seen.add(candidacy.pk)
        data["candidacy"] = candidacy
        _validate_decision(data, official)
        if data["rank"] is not None:
            if int(data["rank"]) in ranks:
                raise ValidationError(
                    {"rank": f"Le rang {data['rank']} est attribué deux fois pour ce logement."}
                )
            ranks.append(int(data["rank"]))
    if seen != set(candidacies):
        raise ValidationError({"candidacies": "Chaque candidat présenté reçoit une décision."})
    # Departures from score order: a candidate placed after (or refused while) one with a lower
    # score.
    placed = {
        d["candidacy"].pk: (d["rank"] if d["rank"] is not None else 10_000) for d in decisions
    }
    for data in decisions:
        mine = data["candidacy"]
        data["departs_from_score"] = any(
            other.score is not None
            and mine.score is not None
            and mine.score > other.score
            and placed[mine.pk] > placed[other.pk]
            for other in candidacies.values()
        )
    on = decided_on or timezone.localdate()
    Decision.objects.filter(session_dwelling=session_dwelling).delete()
    try:
        with transaction.atomic():
            Decision.objects.bulk_create(
                [
                    Decision(
                        organization_id=session_dwelling.organization_id,
                        session_dwelling=session_dwelling,
                        candidacy=d["candidacy"],
                        kind=d["kind"],
                        rank=d["rank"],
                        missing_document=d.get("missing_document", ""),
                        condition_deadline=d.get("condition_deadline"),
                        reasons=(d.get("reasons") or "").strip(),
                        legal_basis=(d.get("legal_basis") or "").strip(),
                        departs_from_score=d["departs_from_score"],
                        score_departure_reason=(d.get("score_departure_reason") or "").strip(),
                        decided_on=on,
                        created_by=recorded_by,
                    )
                    for d in decisions
                ]
            )
    except IntegrityError as error:
        raise ValidationError({"rank": "Rangs en double pour ce logement."}) from error
    session_dwelling.quorum_voting_present = quorum.voting_present
    session_dwelling.quorum_required = quorum.required
    session_dwelling.save(update_fields=["quorum_voting_present", "quorum_required"])
    for data in decisions:
        candidacy = data["candidacy"]
        title = (
            f"Décision de CAL pour le logement {session_dwelling.dwelling.reference} : "
            f"{DecisionKind(data['kind']).label.lower()}"
            + (f" (rang {data['rank']})" if data["rank"] else "")
        )
        timeline.record(
            household=candidacy.application.household,
            category=CATEGORY,
            kind="decision.recorded",
            title=title,
            actor=recorded_by,
            subject=candidacy,
            at=on,
        )
        if data["departs_from_score"]:
            timeline.record(
                household=candidacy.application.household,
                category=CATEGORY,
                kind="decision.score_departure",
                title="Écart à l'ordre de cotation consigné",
                summary=(data.get("score_departure_reason") or "")[:500],
                actor=recorded_by,
                subject=candidacy,
                at=on,
            )
    return session_dwelling


@transaction.atomic
def session_close_decisions(*, session: CommissionSession, closed_by: Any) -> CommissionSession:
    """Decisions are recorded: every dwelling has one decision per candidate."""
    session = _locked_session(session)
    missing = [
        item.dwelling.reference
        for item in session.dwellings.select_related("dwelling").prefetch_related(
            "candidacies", "decisions"
        )
        if len(item.decisions.all()) != len(item.candidacies.all()) or not item.candidacies.all()
    ]
    if missing:
        raise ValidationError(f"Décisions manquantes pour : {', '.join(missing)}.")
    _transition(session, SessionStatus.DECISIONS_RECORDED, closed_by)
    session.decisions_recorded_at = timezone.now()
    session.save()
    return session


@transaction.atomic
def session_reopen_decisions(*, session: CommissionSession, acting_user: Any) -> CommissionSession:
    session = _locked_session(session)
    _transition(session, SessionStatus.HELD, acting_user)
    session.save()
    return session


@transaction.atomic
def session_sign_minutes(
    *, session: CommissionSession, president_name: str, signed_by: Any
) -> CommissionSession:
    """Minutes signed by the president: the minutes PDF is generated and stored, and the
    decision letters are produced."""
    session = _locked_session(session)
    if not president_name.strip():
        raise ValidationError({"president_name": "Indiquez le nom du président de séance."})
    _transition(session, SessionStatus.MINUTES_SIGNED, signed_by)
    session.president_name = president_name.strip()
    session.minutes_signed_at = timezone.now()
    session.save()
    documents.minutes(session=session, created_by=signed_by)
    for decision in Decision.objects.filter(session_dwelling__session=session).select_related(
        "candidacy__application__household", "session_dwelling__dwelling__residence"
    ):
        documents.decision_letter(decision=decision, created_by=signed_by)
    return session


# --- Offers --------------------------------------------------------------------------------------


def _next_ranked_decision(session_dwelling: SessionDwelling) -> Decision | None:
    offered = set(
        Offer.objects.filter(session_dwelling=session_dwelling).values_list(
            "decision_id", flat=True
        )
    )
    return (
        Decision.objects.filter(
            session_dwelling=session_dwelling,
            kind__in=ATTRIBUTING_KINDS,
            candidacy__application__status=ApplicationStatus.ACTIVE,
        )
        .exclude(pk__in=offered)
        .select_related("candidacy__application__household")
        .order_by("rank")
        .first()
    )


@transaction.atomic
def offer_make(
    *, session_dwelling: SessionDwelling, notified_on: datetime.date, made_by: Any
) -> Offer:
    """Offer the dwelling to the best-ranked candidate not yet offered it (R441-10). Answer
    deadline: at least ten days, notification day excluded, extended past weekends and public
    holidays (CPC 641, 642)."""
    session_dwelling = SessionDwelling.objects.select_for_update(of=("self",)).get(
        pk=session_dwelling.pk
    )
    if session_dwelling.session.status not in (
        SessionStatus.DECISIONS_RECORDED,
        SessionStatus.MINUTES_SIGNED,
    ):
        raise ValidationError("Les propositions suivent l'enregistrement des décisions.")
    if Offer.objects.filter(
        session_dwelling=session_dwelling, status__in=[OfferStatus.PENDING, OfferStatus.ACCEPTED]
    ).exists():
        raise ValidationError("Une proposition est déjà en cours pour ce logement.")
    decision = _next_ranked_decision(session_dwelling)
    if decision is None:
        raise ValidationError("Aucun candidat classé ne reste pour ce logement.")
    days = get_parameter(
        "allocations.offer_answer_days",
        organization=session_dwelling.organization_id,
        on=notified_on,
    )
    offer = Offer.objects.create(
        organization_id=session_dwelling.organization_id,
        decision=decision,
        session_dwelling=session_dwelling,
        application=decision.candidacy.application,
        notified_on=notified_on,
        answer_deadline=answer_deadline(notified_on, max(days, 10)),
        created_by=made_by,
    )
    timeline.record(
        household=offer.application.household,
        category=CATEGORY,
        kind="offer.made",
        title=f"Proposition du logement {session_dwelling.dwelling.reference} "
        f"(réponse avant le {offer.answer_deadline:%d/%m/%Y})",
        actor=made_by,
        subject=offer,
        at=notified_on,
    )
    documents.offer_letter(offer=offer, created_by=made_by)
    return offer


def _locked_offer(offer: Offer) -> Offer:
    return (
        Offer.objects.select_for_update(of=("self",))
        .select_related("session_dwelling__dwelling", "application__household")
        .get(pk=offer.pk)
    )


@transaction.atomic
def offer_accept(*, offer: Offer, on: datetime.date, accepted_by: Any) -> Offer:
    offer = _locked_offer(offer)
    if not offer.can_transition(OfferStatus.ACCEPTED):
        raise ValidationError("Cette proposition n'attend plus de réponse.")
    if on > offer.answer_deadline:
        raise ValidationError({"on": "Le délai de réponse est dépassé : le silence vaut refus."})
    offer.status = OfferStatus.ACCEPTED
    offer.answered_on = on
    offer.updated_by = accepted_by
    offer.save()
    timeline.record(
        household=offer.application.household,
        category=CATEGORY,
        kind="offer.accepted",
        title=f"Proposition du logement {offer.session_dwelling.dwelling.reference} acceptée",
        actor=accepted_by,
        subject=offer,
        at=on,
    )
    return offer


@transaction.atomic
def offer_refuse(
    *,
    offer: Offer,
    reason: str,
    on: datetime.date,
    refused_by: Any,
    by_silence: bool = False,
) -> Offer | None:
    """The candidate refuses (a reason from the catalogue) or stayed silent past the deadline
    (silence is refusal). The dwelling passes to the next rank: its offer is made at once.
    Returns that next offer, if any."""
    offer = _locked_offer(offer)
    if not offer.can_transition(OfferStatus.REFUSED):
        raise ValidationError("Cette proposition ne peut plus être refusée.")
    catalogue = get_parameter("allocations.refusal_reasons", organization=offer.organization_id)
    if by_silence:
        reason = "silence"
    if reason not in catalogue:
        raise ValidationError({"reason": "Choisissez le motif du refus dans le catalogue."})
    offer.status = OfferStatus.REFUSED
    offer.refusal_reason = reason
    offer.refused_by_silence = by_silence
    offer.answered_on = on
    offer.updated_by = refused_by
    offer.save()
    timeline.record(
        household=offer.application.household,
        category=CATEGORY,
        kind="offer.refused",
        title=f"Proposition du logement {offer.session_dwelling.dwelling.reference} refusée : "
        f"{catalogue[reason]}",
        actor=refused_by,
        subject=offer,
        at=on,
    )
    if _next_ranked_decision(offer.session_dwelling) is None:
        return None
    return offer_make(session_dwelling=offer.session_dwelling, notified_on=on, made_by=refused_by)


def offers_expire(*, organization: Any, today: datetime.date) -> int:
    """Daily: pending offers whose deadline has passed become refusals (silence = refusal)."""
    expired = list(
        Offer.objects.for_organization(organization).filter(
            status=OfferStatus.PENDING, answer_deadline__lt=today
        )
    )
    for offer in expired:
        offer_refuse(offer=offer, reason="silence", on=today, refused_by=None, by_silence=True)
    return len(expired)


@transaction.atomic
def offer_sign_lease(
    *,
    offer: Offer,
    signed_on: datetime.date,
    signed_by: Any,
    start_date: datetime.date | None = None,
) -> Lease:
    """Lease signed: the household becomes the dwelling's tenant, the dwelling is occupied, the
    demand is radiated for attribution, and for a transfer the old lease ends (and its dwelling
    becomes vacant). This date is "the attribution" counted by the indicators."""
    from housing import services as housing_services

    offer = _locked_offer(offer)
    if not offer.can_transition(OfferStatus.LEASE_SIGNED):
        raise ValidationError("La proposition doit être acceptée avant la signature du bail.")
    start_date = start_date or signed_on
    dwelling = Dwelling.objects.get(pk=offer.session_dwelling.dwelling_id)
    application = offer.application
    household = application.household
    if application.kind == ApplicationKind.TRANSFER:
        old = application.current_lease or (
            Lease.objects.filter(household=household, end_date__isnull=True)
            .exclude(dwelling=dwelling)
            .first()
        )
        if old is not None and old.end_date is None:
            housing_services.lease_end(
                lease=old,
                end_date=max(start_date, old.start_date),
                reason=LeaseEndReason.TRANSFER,
                acting_user=signed_by,
            )
    lease = housing_services.lease_create(
        household=household,
        dwelling=dwelling,
        acting_user=signed_by,
        start_date=start_date,
        signed_on=signed_on,
        kind=LeaseKind.ORDINARY,
    )
    offer.status = OfferStatus.LEASE_SIGNED
    offer.lease = lease
    offer.lease_signed_on = signed_on
    offer.updated_by = signed_by
    offer.save()
    timeline.record(
        household=household,
        category=CATEGORY,
        kind="lease.signed",
        title=f"Bail signé pour le logement {dwelling.reference}",
        actor=signed_by,
        subject=offer,
        at=signed_on,
    )
    application_radiate(
        application=application,
        reason=RadiationReason.ATTRIBUTION,
        on=signed_on,
        radiated_by=signed_by,
    )
    return lease


# --- Occupancy review (L442-5-2) -----------------------------------------------------------------


def occupancy_criteria(
    *, lease: Lease, on: datetime.date, settings: Any, ceilings: dict
) -> list[str]:
    """The five criteria of L442-5-2 evaluated from the data (no query when the lease's
    household members and incomes are prefetched)."""
    dwelling = lease.dwelling
    members = list(lease.household.members.all())
    criteria = []
    status = affordability.occupancy_status(
        typology=dwelling.typology,
        surface=dwelling.surface,
        persons=len(members),
        settings=settings,
    )
    if status == "over":
        criteria.append(OccupancyCriterion.OVER_OCCUPATION)
    elif status == "under":
        criteria.append(OccupancyCriterion.UNDER_OCCUPATION)
    needs_adapted = any(p.needs_adapted_dwelling for p in members)
    if dwelling.is_pmr_accessible and not needs_adapted:
        criteria.append(OccupancyCriterion.ADAPTED_NOT_NEEDED)
    if any(p.has_disability or p.needs_adapted_dwelling for p in members) and not (
        dwelling.is_pmr_accessible
    ):
        criteria.append(OccupancyCriterion.DISABILITY)
    yearly = (
        sum(
            (
                i.monthly_amount
                for p in members
                for i in p.incomes.all()
                if (i.valid_from is None or i.valid_from <= on)
                and (i.valid_until is None or i.valid_until >= on)
            ),
            Decimal("0"),
        )
        * 12
    )
    ceiling_table = ceilings.get(dwelling.financing) or ceilings.get("plus", {})
    ceiling = ceiling_table.get(str(min(max(len(members), 1), 6)))
    if ceiling is not None and yearly > Decimal(str(ceiling)):
        criteria.append(OccupancyCriterion.OVER_INCOME)
    return [str(c) for c in criteria]


def occupancy_reviews_scan(
    *, organization: Any, today: datetime.date, horizon_days: int = 90
) -> list[OccupancyReview]:
    """Leases reaching a three-year review (from signature) within `horizon_days`: the five
    criteria are evaluated, flagged cases are recorded for the CALEOL."""
    years = get_parameter("allocations.occupancy_review_years", organization=organization, on=today)
    settings = affordability.housing_settings(organization=organization, on=today)
    ceilings = get_parameter("allocations.income_ceilings", organization=organization, on=today)
    until = today + datetime.timedelta(days=horizon_days)
    leases = (
        Lease.objects.for_organization(organization)
        .filter(
            end_date__isnull=True, signed_on__lte=until - datetime.timedelta(days=365 * years - 1)
        )
        .select_related("dwelling", "household")
        .prefetch_related("household__members__incomes")
    )
    existing = set(
        OccupancyReview.objects.for_organization(organization).values_list("lease_id", "due_on")
    )
    created = []
    for lease in leases:
        elapsed = today.year - lease.signed_on.year
        due = None
        for k in range(max(1, elapsed // years), elapsed // years + 2):
            try:
                candidate = lease.signed_on.replace(year=lease.signed_on.year + years * k)
            except ValueError:
                candidate = lease.signed_on.replace(year=lease.signed_on.year + years * k, day=28)
            if today <= candidate <= until:
                due = candidate
                break
        if due is None or (lease.pk, due) in existing:
            continue
        criteria = occupancy_criteria(lease=lease, on=today, settings=settings, ceilings=ceilings)
        if not criteria:
            continue
        created.append(
            OccupancyReview.objects.create(
                organization_id=lease.organization_id,
                lease=lease,
                household=lease.household,
                due_on=due,
                criteria=criteria,
            )
        )
    return created


@transaction.atomic
def occupancy_review_schedule(
    *, review: OccupancyReview, session: CommissionSession, scheduled_by: Any
) -> OccupancyReview:
    if not session.is_editable:
        raise ValidationError("L'ordre du jour de cette séance ne peut plus être modifié.")
    if review.status not in (OccupancyReviewStatus.IDENTIFIED, OccupancyReviewStatus.SCHEDULED):
        raise ValidationError("Cet examen a déjà reçu un avis.")
    review.session = session
    review.status = OccupancyReviewStatus.SCHEDULED
    review.updated_by = scheduled_by
    review.save()
    return review


@transaction.atomic
def occupancy_review_record(
    *,
    review: OccupancyReview,
    opinion: str,
    suitable_dwelling: str,
    reviewed_by: Any,
    on: datetime.date | None = None,
) -> OccupancyReview:
    """The CALEOL records the situation and describes a suitable dwelling (an opinion, not an
    attribution)."""
    if review.status != OccupancyReviewStatus.SCHEDULED or review.session is None:
        raise ValidationError("L'examen doit être inscrit à une séance.")
    if review.session.status not in (SessionStatus.HELD, SessionStatus.DECISIONS_RECORDED):
        raise ValidationError("L'avis se saisit pendant la séance.")
    if not opinion.strip():
        raise ValidationError({"opinion": "L'avis de la commission est obligatoire."})
    review.opinion = opinion.strip()
    review.suitable_dwelling = suitable_dwelling.strip()
    review.status = OccupancyReviewStatus.REVIEWED
    review.reviewed_on = on or timezone.localdate()
    review.updated_by = reviewed_by
    review.save()
    timeline.record(
        household=review.household,
        category=CATEGORY,
        kind="occupancy.reviewed",
        title="Examen de l'occupation du logement par la CALEOL",
        actor=reviewed_by,
        subject=review,
        at=review.reviewed_on,
    )
    return review


@transaction.atomic
def occupancy_review_notify(
    *, review: OccupancyReview, notified_by: Any, on: datetime.date | None = None
) -> OccupancyReview:
    if review.status != OccupancyReviewStatus.REVIEWED:
        raise ValidationError("L'avis de la commission doit précéder l'information du locataire.")
    review.status = OccupancyReviewStatus.NOTIFIED
    review.notified_on = on or timezone.localdate()
    review.updated_by = notified_by
    review.save()
    documents.occupancy_notice(review=review, created_by=notified_by)
    return review
