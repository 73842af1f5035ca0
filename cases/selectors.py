"""Reads of the social accompaniment, scoped on the organisation.

Other apps call `household_social_synthesis` (allocations commission sheet, arrears
dashboard): it says whether an accompaniment is running, its motives and referent — never a
note."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cases.enums import (
    AppointmentStatus,
    CampaignStatus,
    CaseStatus,
    ContactStatus,
    Motive,
)
from cases.models import (
    AdaptationRequest,
    Appointment,
    CampaignTarget,
    CaseReview,
    Evaluation,
    Intervention,
    OutreachCampaign,
    Referral,
    SocialCase,
    SupportProgramme,
)
from core.parameters import get_parameter

# Fields every list may show; notes are deferred so they are not even read unless needed.
CASE_NOTES = ("note",)
EVALUATION_NOTES = (
    "situation_note",
    "resources_note",
    "autonomy_note",
    "needs_note",
    "conclusion_note",
)


def household_social_synthesis(*, organization: Any, household: Any) -> dict[str, Any]:
    """What other services may know of a household's social follow-up (RULES.md: a
    synthesis, never narrative notes): whether an accompaniment is running, its motives,
    referent, mode and planned end, and the date of the last contact."""
    household_id = getattr(household, "pk", household)
    return household_social_syntheses(organization=organization, households=[household_id])[
        household_id
    ]


def household_social_syntheses(
    *, organization: Any, households: list[Any]
) -> dict[int, dict[str, Any]]:
    """`household_social_synthesis` of several households (ids or objects), keyed by household
    id, in two queries whatever their number (the arrears dashboard shows ten)."""
    ids = [getattr(household, "pk", household) for household in households]
    running: dict[int, SocialCase] = {}
    cases = (
        SocialCase.objects.for_organization(organization)
        .filter(household_id__in=ids)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("referent", "external_partner")
        .only(
            "household_id",
            "public_id",
            "motives",
            "status",
            "mode",
            "opened_on",
            "planned_end_on",
            "referent__first_name",
            "referent__last_name",
            "referent__email",
            "external_partner__name",
        )
        .order_by("household_id", "-opened_on", "-pk")
    )
    for case in cases:
        running.setdefault(case.household_id, case)  # the latest opened
    last_contacts = dict(
        Intervention.objects.for_organization(organization)
        .filter(household_id__in=ids)
        .order_by()
        .values_list("household_id")
        .annotate(last=Max("occurred_on"))
        .values_list("household_id", "last")
    )
    return {
        household_id: _synthesis(running.get(household_id), last_contacts.get(household_id))
        for household_id in ids
    }


def _synthesis(running: SocialCase | None, last_contact: Any) -> dict[str, Any]:
    labels = dict(Motive.choices)
    if running is None:
        return {
            "has_open_case": False,
            "motives": [],
            "motive_labels": [],
            "referent": None,
            "mode": None,
            "external_partner": None,
            "opened_on": None,
            "planned_end_on": None,
            "last_contact_on": last_contact,
        }
    referent = running.referent
    return {
        "has_open_case": True,
        "case_id": running.public_id,
        "status": running.status,
        "motives": list(running.motives),
        "motive_labels": [str(labels.get(m, m)) for m in running.motives],
        "referent": referent.get_full_name() or referent.email,
        "mode": running.get_mode_display(),
        "external_partner": running.external_partner.name if running.external_partner else None,
        "opened_on": running.opened_on,
        "planned_end_on": running.planned_end_on,
        "last_contact_on": last_contact,
    }


# --- Lists --------------------------------------------------------------------------------------------


def social_case_list(
    *, organization: Any, status: str | None = None, referent: Any = None, motive: str | None = None
) -> QuerySet[SocialCase]:
    # The last contact as a correlated subquery (one index probe per listed case), not a Max
    # over a join with every intervention: counting or paging the cases then never reads the
    # interventions (the home page's alert counted 5,000 cases x 10 interventions for a number).
    last_contact = (
        Intervention.objects.for_organization(organization)
        .filter(social_case=OuterRef("pk"))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    qs = (
        SocialCase.objects.for_organization(organization)
        .select_related("household", "referent", "external_partner")
        .defer(*CASE_NOTES)
        .annotate(last_contact_on=Subquery(last_contact))
    )
    if status == "active":
        qs = qs.exclude(status=CaseStatus.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if referent is not None:
        qs = qs.filter(referent=referent)
    if motive:
        qs = qs.filter(motives__contains=[motive])
    return qs.order_by("planned_end_on", "pk")


def intervention_list(
    *,
    organization: Any,
    author: Any = None,
    household: Any = None,
    service: str | None = None,
    kind: str | None = None,
    year: int | None = None,
) -> QuerySet[Intervention]:
    qs = (
        Intervention.objects.for_organization(organization)
        .select_related("household", "author", "social_case", "mandate__partner_organization")
        .order_by("-occurred_on", "-pk")
    )
    if author is not None:
        qs = qs.filter(author=author)
    if household is not None:
        qs = qs.filter(household=household)
    if service:
        qs = qs.filter(service=service)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(occurred_on__year=year)
    return qs


def evaluation_list(*, organization: Any, household: Any = None) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.for_organization(organization).select_related(
        "household", "author", "social_case"
    )
    if household is not None:
        qs = qs.filter(household=household)
    return qs.order_by("-evaluated_on", "-pk")


def referral_list(*, organization: Any, status: str | None = None) -> QuerySet[Referral]:
    qs = Referral.objects.for_organization(organization).select_related("household", "partner")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-sent_on", "-pk")


def appointment_list(
    *,
    organization: Any,
    worker: Any = None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    status: str | None = None,
) -> QuerySet[Appointment]:
    qs = Appointment.objects.for_organization(organization).select_related("household", "worker")
    if worker is not None:
        qs = qs.filter(worker=worker)
    if start is not None:
        qs = qs.filter(starts_at__gte=start)
    if end is not None:
        qs = qs.filter(starts_at__lt=end)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("starts_at", "pk")


def campaign_list(*, organization: Any) -> QuerySet[OutreachCampaign]:
    return (
        OutreachCampaign.objects.for_organization(organization)
        .annotate(
            target_count=Count("targets", distinct=True),
            reached_count=Count(
                "targets",
                filter=Q(targets__status__in=[ContactStatus.REACHED, ContactStatus.FOLLOW_UP]),
                distinct=True,
            ),
            to_call_count=Count(
                "targets", filter=Q(targets__status=ContactStatus.TO_CALL), distinct=True
            ),
        )
        .order_by("-starts_on", "-pk")
    )


def campaign_progress(*, campaign: OutreachCampaign) -> dict[str, Any]:
    """Where a campaign stands: how many households listed, called, reached, to follow."""
    rows = dict(
        CampaignTarget.objects.filter(campaign=campaign)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    total = sum(rows.values())
    called = CampaignTarget.objects.filter(campaign=campaign, attempts__gt=0).count()
    reached = rows.get(ContactStatus.REACHED, 0) + rows.get(ContactStatus.FOLLOW_UP, 0)
    return {
        "total": total,
        "called": called,
        "to_call": rows.get(ContactStatus.TO_CALL, 0),
        "reached": rows.get(ContactStatus.REACHED, 0),
        "not_reached": rows.get(ContactStatus.NOT_REACHED, 0),
        "follow_up": rows.get(ContactStatus.FOLLOW_UP, 0),
        "percent_called": round(100 * called / total) if total else 0,
        "percent_reached": round(100 * reached / total) if total else 0,
    }


def campaign_targets(*, campaign: OutreachCampaign) -> QuerySet[CampaignTarget]:
    return (
        CampaignTarget.objects.filter(campaign=campaign)
        .select_related("household", "assigned_to")
        .order_by("status", "next_call_on", "household__name", "pk")
    )


def campaign_candidates(*, organization: Any, criteria: dict) -> QuerySet:
    """Households matching a campaign's criteria (all of them must hold): vulnerability flags,
    a member aged `min_age` or more, current tenants only (default), a territory."""
    from housing.models import Household, Lease, Person

    qs = Household.objects.for_organization(organization)
    for flag in (
        "lives_alone",
        "socially_isolated",
        "reduced_mobility",
        "health_fragility",
        "digital_exclusion",
    ):
        if criteria.get(flag):
            qs = qs.filter(**{flag: True})
    if criteria.get("min_age"):
        today = timezone.localdate()
        try:
            born_before = today.replace(year=today.year - int(criteria["min_age"]))
        except ValueError:  # 29 February
            born_before = today.replace(year=today.year - int(criteria["min_age"]), day=28)
        qs = qs.filter(
            Exists(Person.objects.filter(household=OuterRef("pk"), birth_date__lte=born_before))
        )
    if criteria.get("tenants_only", True) or criteria.get("territory"):
        leases = Lease.objects.filter(household=OuterRef("pk"), end_date__isnull=True)
        if criteria.get("territory"):
            leases = leases.filter(dwelling__residence__territory__public_id=criteria["territory"])
        qs = qs.filter(Exists(leases))
    return qs


def adaptation_list(*, organization: Any, status: str | None = None) -> QuerySet[AdaptationRequest]:
    qs = (
        AdaptationRequest.objects.for_organization(organization)
        .select_related("household", "requester")
        .defer("note")
        .annotate(cofunded=Count("fundings"))
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-requested_on", "-pk")


def case_review_list(*, organization: Any) -> QuerySet[CaseReview]:
    return (
        CaseReview.objects.for_organization(organization)
        .annotate(
            item_count=Count("items"),
            decided_count=Count("items", filter=~Q(items__decision="")),
        )
        .order_by("-held_on", "-pk")
    )


def programme_list(*, organization: Any) -> QuerySet[SupportProgramme]:
    from cases.enums import EnrolmentKind, EnrolmentStatus

    enrolled = Q(enrolments__status__in=[EnrolmentStatus.ACCEPTED, EnrolmentStatus.ENDED])
    return (
        SupportProgramme.objects.for_organization(organization)
        .select_related("operator")
        .annotate(
            achieved_access=Count(
                "enrolments", filter=enrolled & Q(enrolments__kind=EnrolmentKind.ACCESS)
            ),
            achieved_staying=Count(
                "enrolments", filter=enrolled & Q(enrolments__kind=EnrolmentKind.STAYING)
            ),
            diagnostics=Count("enrolments", filter=Q(enrolments__diagnostic_done=True)),
        )
        .order_by("-starts_on", "name")
    )


# --- The caseload -------------------------------------------------------------------------------------


def caseload(*, organization: Any, user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """The social worker's home: my running accompaniments (those past their planned end
    first), households I follow with no contact for `cases.no_contact_alert_days`, my
    appointments this week, the campaign calls assigned to me. A fixed number of queries."""
    today = today or timezone.localdate()
    no_contact_days = get_parameter(
        "cases.no_contact_alert_days", organization=organization, on=today
    )
    cases = list(social_case_list(organization=organization, status="active", referent=user))
    overdue = [c for c in cases if c.planned_end_on < today]
    current = [c for c in cases if c.planned_end_on >= today]
    threshold = today - datetime.timedelta(days=no_contact_days)
    # last_contact_on: annotated by social_case_list.
    silent = [c for c in cases if (getattr(c, "last_contact_on", None) or c.opened_on) < threshold]
    week_start = today - datetime.timedelta(days=today.weekday())
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(week_start, datetime.time.min), tz)
    end = start + datetime.timedelta(days=7)
    appointments = list(
        appointment_list(
            organization=organization,
            worker=user,
            start=start,
            end=end,
            status=AppointmentStatus.PLANNED,
        )
    )
    calls = list(
        CampaignTarget.objects.for_organization(organization)
        .filter(
            assigned_to=user,
            campaign__status=CampaignStatus.ACTIVE,
        )
        .filter(
            Q(status=ContactStatus.TO_CALL)
            | Q(status=ContactStatus.NOT_REACHED, next_call_on__lte=today)
        )
        .select_related("household", "campaign")
        .order_by("next_call_on", "household__name", "pk")[:100]
    )
    return {
        "today": today,
        "no_contact_days": no_contact_days,
        "overdue": overdue,
        "current": current,
        "silent": silent,
        "appointments": appointments,
        "calls": calls,
        "open_count": len(cases),
    }


def household_overview(*, organization: Any, household: Any) -> dict[str, Any]:
    """Accompaniments, evaluations, interventions, referrals, appointments and adaptation
    requests of one household (household file section, a fixed number of queries)."""
    return {
        "cases": list(
            SocialCase.objects.for_organization(organization)
            .filter(household=household)
            .select_related("referent", "external_partner")
            .order_by("-opened_on", "-pk")
        ),
        "evaluations": list(evaluation_list(organization=organization, household=household)),
        "interventions": list(
            intervention_list(organization=organization, household=household)[:50]
        ),
        "referrals": list(
            Referral.objects.for_organization(organization)
            .filter(household=household)
            .select_related("partner")
            .order_by("-sent_on")
        ),
        "appointments": list(
            Appointment.objects.for_organization(organization)
            .filter(household=household, status=AppointmentStatus.PLANNED)
            .select_related("worker")
            .order_by("starts_at")
        ),
        "adaptations": list(
            AdaptationRequest.objects.for_organization(organization)
            .filter(household=household)
            .order_by("-requested_on")
        ),
    }
