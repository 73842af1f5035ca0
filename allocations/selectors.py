"""Reads of the allocations app, each scoped to an organisation."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from allocations import affordability
from allocations.enums import (
    ApplicationKind,
    ApplicationStatus,
    DecisionKind,
    OfferStatus,
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
    SessionDwelling,
)
from core.parameters import get_parameter
from housing.models import Dwelling, Lease

HELD_STATUSES = (
    SessionStatus.HELD,
    SessionStatus.DECISIONS_RECORDED,
    SessionStatus.MINUTES_SIGNED,
)


# --- Applications --------------------------------------------------------------------------------


def application_list(
    *, organization: Any, status: str | None = None, search: str = "", kind: str | None = None
) -> QuerySet[HousingApplication]:
    qs = (
        HousingApplication.objects.for_organization(organization)
        .select_related("household")
        .prefetch_related("priorities")
        # pk last: pages never overlap (demands filed the same day share a priority).
        .order_by("-priority_level", "filed_on", "pk")
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(
            Q(registration_number__icontains=search) | Q(household__name__icontains=search)
        )
    return qs


def household_applications(*, organization: Any, household: Any) -> list[HousingApplication]:
    return list(
        HousingApplication.objects.for_organization(organization)
        .filter(household=household)
        .prefetch_related("priorities")
        .order_by("-filed_on")
    )


def priority_labels(*, organization: Any) -> dict[str, str]:
    return get_parameter("allocations.priority_criteria", organization=organization)


# --- Candidate assistant -------------------------------------------------------------------------


@dataclass
class Suggestion:
    application: HousingApplication
    figures: affordability.CandidateFigures
    priorities: list[str]
    seniority_months: int
    already_presented: bool = False


def _ceiling_filter(ceilings: dict, financing: str) -> Q:
    table = ceilings.get(financing) or ceilings.get("plus") or {}
    condition = Q(ceiling_income__isnull=True)
    for size_label, amount in table.items():
        size = int(size_label)
        size_q = Q(persons__gte=size) if size >= 6 else Q(persons=size)
        condition |= size_q & Q(ceiling_income__lte=Decimal(str(amount)))
    return condition


def candidate_assistant(
    *,
    organization: Any,
    dwelling: Dwelling,
    session_dwelling: SessionDwelling | None = None,
    on: datetime.date | None = None,
    limit: int = 30,
) -> list[Suggestion]:
    """Active demands matching a vacant dwelling — typology, commune (or no commune wished),
    accessibility, lift and floor, maximum rent, income under the dwelling's ceiling — ordered by
    priority (DALO first), score, then seniority; each with its effort rate and residual income
    *for that dwelling*. Fixed cost: the settings (4 queries) and two queries for the list,
    whatever the number of demands, read in the list's order from an index (PostgreSQL:
    application_assistant_order_idx, migration 0006) which stops after the 30 shown."""
    on = on or timezone.localdate()
    residence = dwelling.residence
    ceilings = get_parameter("allocations.income_ceilings", organization=organization, on=on)
    labels = priority_labels(organization=organization)
    qs = (
        HousingApplication.objects.for_organization(organization)
        .filter(status=ApplicationStatus.ACTIVE, desired_typologies__contains=[dwelling.typology])
        .filter(Q(desired_communes__contains=[residence.commune_insee]) | Q(desired_communes=[]))
        .annotate(
            ceiling_income=Coalesce("verified_annual_income", "declared_annual_income"),
            persons=models_sum("adults", "children"),
        )
        .filter(_ceiling_filter(ceilings, dwelling.financing))
        .filter(Q(max_rent__isnull=True) | Q(max_rent__gte=dwelling.rent))
    )
    if not dwelling.is_pmr_accessible:
        qs = qs.exclude(needs_accessibility=True)
    if not dwelling.has_lift and dwelling.floor > 0:
        qs = qs.exclude(needs_lift=True)
    qs = qs.filter(Q(max_floor__isnull=True) | Q(max_floor__gte=dwelling.floor))
    if session_dwelling is not None:
        qs = qs.annotate(
            already=Exists(
                Candidacy.objects.filter(
                    session_dwelling=session_dwelling, application=OuterRef("pk")
                )
            )
        )
    qs = (
        qs.select_related("household")
        .prefetch_related(
            Prefetch("priorities", queryset=ApplicationPriority.objects.order_by("criterion"))
        )
        .order_by("-priority_level", models_desc_nulls_last("score"), "filed_on", "pk")[:limit]
    )
    settings = affordability.load_settings(organization=organization, on=on)
    return [
        Suggestion(
            application=application,
            figures=affordability.candidate_figures(
                application=application,
                dwelling=dwelling,
                housing_benefit=application.household.housing_benefit,
                settings=settings,
            ),
            priorities=[labels.get(p.criterion, p.criterion) for p in application.priorities.all()],
            seniority_months=application.seniority_months(on),
            already_presented=bool(getattr(application, "already", False)),
        )
        for application in qs
    ]


def models_sum(a: str, b: str) -> Any:
    from django.db.models import F

    return F(a) + F(b)


def models_desc_nulls_last(name: str) -> Any:
    from django.db.models import F

    return F(name).desc(nulls_last=True)


# --- Commissions and sessions --------------------------------------------------------------------


def commission_list(*, organization: Any) -> QuerySet[Commission]:
    return (
        Commission.objects.for_organization(organization)
        .select_related("territory")
        .prefetch_related("members")
    )


def session_list(*, organization: Any, status: str | None = None) -> QuerySet[CommissionSession]:
    qs = (
        CommissionSession.objects.for_organization(organization)
        .select_related("commission__territory")
        .annotate(dwelling_count=Count("dwellings", distinct=True))
        .order_by("-scheduled_at")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def session_queryset(*, organization: Any) -> QuerySet[CommissionSession]:
    """A session with everything its page and its minutes show, in a fixed number of queries."""
    return (
        CommissionSession.objects.for_organization(organization)
        .select_related("commission__territory")
        .prefetch_related(
            Prefetch(
                "dwellings",
                queryset=SessionDwelling.objects.select_related(
                    "dwelling__residence", "reserving_partner"
                ).order_by("position", "pk"),
            ),
            Prefetch(
                "dwellings__candidacies",
                queryset=Candidacy.objects.select_related(
                    "application__household", "decision"
                ).order_by("position", "pk"),
            ),
            Prefetch(
                "dwellings__candidacies__application__priorities",
                queryset=ApplicationPriority.objects.order_by("criterion"),
            ),
            Prefetch("dwellings__offers", queryset=Offer.objects.order_by("notified_on", "pk")),
            Prefetch("attendances", queryset=Attendance.objects.select_related("member")),
            Prefetch(
                "commission__members",
                queryset=CommissionMember.objects.select_related("partner").order_by(
                    "seat", "full_name"
                ),
            ),
            Prefetch(
                "occupancy_reviews",
                queryset=OccupancyReview.objects.select_related("household", "lease__dwelling"),
            ),
        )
    )


def session_detail(*, organization: Any, public_id: Any) -> CommissionSession:
    session = get_object_or_404(session_queryset(organization=organization), public_id=public_id)
    annotate_session(session)
    return session


def annotate_session(session: CommissionSession) -> None:
    """Attach the quorum and the three-candidate check to each dwelling (no query)."""
    from allocations.services import candidate_rule_problem, quorum_for

    members = list(session.commission.members.all())
    attendances = {a.member_id: a for a in session.attendances.all()}
    minimum = get_parameter("allocations.minimum_candidates", organization=session.organization_id)
    labels = get_parameter("allocations.priority_criteria", organization=session.organization_id)
    session.member_rows = [  # type: ignore[attr-defined]
        (m, attendances.get(m.pk)) for m in members
    ]
    for item in session.dwellings.all():
        candidacies = list(item.candidacies.all())
        item.quorum = quorum_for(
            commission=session.commission,
            dwelling=item.dwelling,
            members=members,
            attendances=attendances,
        )
        item.rule_problem = candidate_rule_problem(item, len(candidacies), minimum)
        item.candidate_list = candidacies
        for candidacy in candidacies:
            candidacy.priority_labels = [  # type: ignore[attr-defined]
                labels.get(p.criterion, p.criterion) for p in candidacy.application.priorities.all()
            ]
            # The decision or None: a missing reverse one-to-one raises, and a template paying
            # an exception and a dir() of the candidacy for each undecided one (150 a session)
            # spent a fifth of the page's rendering on it.
            candidacy.recorded_decision = getattr(candidacy, "decision", None)  # type: ignore[attr-defined]
        offers = list(item.offers.all())
        item.offer_list = offers
        item.open_offer = next(
            (o for o in offers if o.status in (OfferStatus.PENDING, OfferStatus.ACCEPTED)), None
        )


def minutes_context(*, session: CommissionSession) -> dict[str, Any]:
    session = session_detail(organization=session.organization_id, public_id=session.public_id)
    labels = get_parameter("allocations.priority_criteria", organization=session.organization_id)
    return {"session": session, "priority_labels": labels}


def session_dwelling_for_decisions(*, organization: Any, public_id: Any) -> SessionDwelling:
    return get_object_or_404(
        SessionDwelling.objects.for_organization(organization).select_related(
            "session__commission", "dwelling__residence", "reserving_partner"
        ),
        public_id=public_id,
    )


# --- Commission sheet ----------------------------------------------------------------------------


def commission_sheet(*, candidacy: Candidacy, on: datetime.date | None = None) -> dict[str, Any]:
    """What commission members may see of a candidate: composition, resources, effort rate and
    residual income for the dwelling, priority, seniority, score. Never social notes: the only
    social element is cases' own synthesis when that app provides one."""
    on = on or timezone.localdate()
    application = candidacy.application
    household = application.household
    dwelling = candidacy.session_dwelling.dwelling
    labels = priority_labels(organization=candidacy.organization_id)
    settings = affordability.load_settings(organization=candidacy.organization_id, on=on)
    figures = affordability.candidate_figures(
        application=application,
        dwelling=dwelling,
        housing_benefit=household.housing_benefit,
        settings=settings,
    )
    social = None
    try:
        from cases.selectors import household_social_synthesis  # type: ignore[import-not-found]
    except ImportError:
        household_social_synthesis = None
    if household_social_synthesis is not None:
        social = household_social_synthesis(
            organization=candidacy.organization_id, household=household
        )
    return {
        "candidacy": candidacy,
        "application": application,
        "household_name": household.name,
        "dwelling": dwelling,
        "adults": application.adults,
        "children": application.children,
        "monthly_resources": application.monthly_resources,
        "resources_verified": application.verified_monthly_resources is not None,
        "housing_benefit": household.housing_benefit,
        "figures": figures,
        "priorities": [
            (labels.get(p.criterion, p.criterion), p.proof_type, p.get_labelling_source_display())
            for p in application.priorities.all()
        ],
        "seniority_months": application.seniority_months(on),
        "score": application.score,
        "first_quartile": application.first_quartile,
        "social_synthesis": social,
    }


# --- Offers and reviews --------------------------------------------------------------------------


def offer_list(*, organization: Any, status: str | None = None) -> QuerySet[Offer]:
    qs = (
        Offer.objects.for_organization(organization)
        .select_related(
            "application__household", "session_dwelling__dwelling__residence", "decision"
        )
        .order_by("answer_deadline", "pk")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def decision_list(*, organization: Any) -> QuerySet[Decision]:
    return (
        Decision.objects.for_organization(organization)
        .select_related("candidacy__application", "session_dwelling__dwelling")
        .order_by("-decided_on", "session_dwelling", "rank", "pk")
    )


def occupancy_review_list(*, organization: Any) -> QuerySet[OccupancyReview]:
    return (
        OccupancyReview.objects.for_organization(organization)
        .select_related("household", "lease__dwelling__residence", "session__commission")
        .order_by("due_on")
    )


# --- Indicators (docs/allocations.md "Indicators") -----------------------------------------------


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def sessions_held(*, organization: Any, year: int, territory: Any = None) -> int:
    qs = CommissionSession.objects.for_organization(organization).filter(
        status__in=HELD_STATUSES, scheduled_at__year=year
    )
    if territory is not None:
        qs = qs.filter(commission__territory=territory)
    return qs.count()


def files_presented_by_territory(
    *, organization: Any, year: int, territory: Any = None
) -> dict[str, int]:
    qs = Candidacy.objects.for_organization(organization).filter(
        session_dwelling__session__status__in=HELD_STATUSES,
        session_dwelling__session__scheduled_at__year=year,
    )
    if territory is not None:
        qs = qs.filter(session_dwelling__session__commission__territory=territory)
    rows = qs.values("session_dwelling__session__commission__territory__name").annotate(
        n=Count("pk")
    )
    return {r["session_dwelling__session__commission__territory__name"]: r["n"] for r in rows}


def decisions_by_type(*, organization: Any, year: int, territory: Any = None) -> dict[str, int]:
    start, end = _year_range(year)
    qs = Decision.objects.for_organization(organization).filter(decided_on__range=(start, end))
    if territory is not None:
        qs = qs.filter(session_dwelling__session__commission__territory=territory)
    counts = dict(qs.values_list("kind").annotate(n=Count("pk")))
    return {kind: counts.get(kind, 0) for kind in DecisionKind.values}


def offers_and_refusals(*, organization: Any, year: int, territory: Any = None) -> dict[str, Any]:
    start, end = _year_range(year)
    qs = Offer.objects.for_organization(organization).filter(notified_on__range=(start, end))
    if territory is not None:
        qs = qs.filter(session_dwelling__dwelling__residence__territory=territory)
    refused = qs.filter(status=OfferStatus.REFUSED)
    return {
        "offers": qs.count(),
        "refusals": refused.count(),
        "refusals_by_reason": dict(refused.values_list("refusal_reason").annotate(n=Count("pk"))),
        "accepted": qs.filter(status__in=[OfferStatus.ACCEPTED, OfferStatus.LEASE_SIGNED]).count(),
    }


def households_entered(*, organization: Any, year: int, territory: Any = None) -> dict[str, int]:
    """Leases that started in the year (households entering a dwelling of the organisation), and
    how many were internal transfers (the household ended another lease for a transfer)."""
    start, end = _year_range(year)
    leases = Lease.objects.for_organization(organization).filter(start_date__range=(start, end))
    if territory is not None:
        leases = leases.filter(dwelling__residence__territory=territory)
    transfers = leases.filter(
        Exists(
            Lease.objects.filter(household=OuterRef("household"), end_reason="transfer").exclude(
                pk=OuterRef("pk")
            )
        )
    )
    return {"entered": leases.count(), "transfers": transfers.count()}


def transfer_activity(*, organization: Any, year: int, territory: Any = None) -> dict[str, int]:
    """Transfer requests filed, offers made on them, refusals and moves (lease signed)."""
    start, end = _year_range(year)
    apps = HousingApplication.objects.for_organization(organization).filter(
        kind=ApplicationKind.TRANSFER, filed_on__range=(start, end)
    )
    offers = Offer.objects.for_organization(organization).filter(
        application__kind=ApplicationKind.TRANSFER, notified_on__range=(start, end)
    )
    if territory is not None:
        offers = offers.filter(session_dwelling__dwelling__residence__territory=territory)
    return {
        "requests": apps.count(),
        "offers": offers.count(),
        "refusals": offers.filter(status=OfferStatus.REFUSED).count(),
        "moves": offers.filter(status=OfferStatus.LEASE_SIGNED).count(),
    }


@dataclass
class Delays:
    count: int = 0
    mean_days: Decimal | None = None
    median_days: Decimal | None = None
    values: list[int] = field(default_factory=list)


def attribution_delays(*, organization: Any, year: int, territory: Any = None) -> Delays:
    """Days from first filing to attribution (lease signature after an accepted offer)."""
    start, end = _year_range(year)
    qs = Offer.objects.for_organization(organization).filter(
        status=OfferStatus.LEASE_SIGNED, lease_signed_on__range=(start, end)
    )
    if territory is not None:
        qs = qs.filter(session_dwelling__dwelling__residence__territory=territory)
    values = [
        (signed - filed).days
        for signed, filed in qs.values_list("lease_signed_on", "application__filed_on")
    ]
    if not values:
        return Delays()
    return Delays(
        count=len(values),
        mean_days=(Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")),
        median_days=Decimal(str(statistics.median(values))).quantize(Decimal("0.1")),
        values=values,
    )


def attributions(*, organization: Any, year: int, territory: Any = None) -> int:
    """Attributions of the year: leases signed after an accepted offer, by signature date."""
    start, end = _year_range(year)
    qs = Offer.objects.for_organization(organization).filter(
        status=OfferStatus.LEASE_SIGNED, lease_signed_on__range=(start, end)
    )
    if territory is not None:
        qs = qs.filter(session_dwelling__dwelling__residence__territory=territory)
    return qs.count()


def home_summary(*, organization: Any, today: datetime.date) -> dict[str, Any]:
    sessions = CommissionSession.objects.for_organization(organization)
    return {
        "upcoming": sessions.filter(
            status__in=[SessionStatus.DRAFT, SessionStatus.AGENDA_PUBLISHED]
        ).order_by("scheduled_at")[:3],
        "to_close": sessions.filter(
            status__in=[SessionStatus.HELD, SessionStatus.DECISIONS_RECORDED]
        ).count(),
        "pending_offers": Offer.objects.for_organization(organization)
        .filter(status=OfferStatus.PENDING)
        .count(),
        "expiring": HousingApplication.objects.for_organization(organization)
        .filter(
            status=ApplicationStatus.ACTIVE,
            expires_on__lte=today + datetime.timedelta(days=30),
        )
        .count(),
    }
