"""Counting for the reports: each indicator is a selector taking `organization, year,
territory=None`; definitions, formulas and sources are in docs/cases.md ("Indicators").

A household's territory is the territory of the residence of a lease it held during the
year; with `territory`, only households with such a lease in that territory count.
"""

from __future__ import annotations

import datetime
import statistics
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from cases.enums import (
    MEETING_KINDS,
    PHONE_KINDS,
    AdaptationStatus,
    CaseStatus,
    ContactStatus,
    EnrolmentKind,
    EnrolmentStatus,
    EvaluationStatus,
    InterventionKind,
    InterventionOutcome,
    Motive,
    Service,
)
from cases.models import (
    AdaptationFunding,
    AdaptationRequest,
    CampaignTarget,
    Evaluation,
    Intervention,
    OutreachCampaign,
    ProgrammeEnrolment,
    SocialCase,
    SupportProgramme,
)


def _bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _leases_in(year: int, territory: Any = None) -> QuerySet:
    from housing.models import Lease

    start, end = _bounds(year)
    leases = Lease.objects.filter(start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    if territory is not None:
        leases = leases.filter(dwelling__residence__territory=territory)
    return leases


def _in_territory(
    qs: QuerySet, year: int, territory: Any, household_field: str = "household"
) -> QuerySet:
    if territory is None:
        return qs
    return qs.filter(
        Exists(_leases_in(year, territory).filter(household=OuterRef(household_field)))
    )


def _change(current: int, previous: int) -> float | None:
    if not previous:
        return None
    return round(100 * (current - previous) / previous, 1)


def _interventions(organization: Any, year: int, territory: Any, service: str | None) -> QuerySet:
    qs = Intervention.objects.for_organization(organization).filter(occurred_on__year=year)
    if service:
        qs = qs.filter(service=service)
    return _in_territory(qs, year, territory)


def interventions_per_year(
    *, organization: Any, year: int, territory: Any = None, service: str = Service.SOCIAL
) -> dict[str, Any]:
    """Interventions of the social service dated in `year`, and the change vs `year - 1`
    (seed 000: "574 interventions sociales, +54 % par rapport à 2013")."""
    current = _interventions(organization, year, territory, service).count()
    previous = _interventions(organization, year - 1, territory, service).count()
    by_kind = dict(
        _interventions(organization, year, territory, service)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {
        "year": year,
        "count": current,
        "previous": previous,
        "change_percent": _change(current, previous),
        "by_kind": {kind: by_kind.get(kind, 0) for kind in InterventionKind.values},
    }


def evaluations_per_year(*, organization: Any, year: int, territory: Any = None) -> dict[str, Any]:
    """Evaluations dated in `year` (all statuses), and the change vs `year - 1`
    (seed 000: "931 évaluations sociales, +19 %")."""

    def count(y: int) -> int:
        qs = Evaluation.objects.for_organization(organization).filter(evaluated_on__year=y)
        return _in_territory(qs, y, territory).count()

    current, previous = count(year), count(year - 1)
    qs = _in_territory(
        Evaluation.objects.for_organization(organization).filter(evaluated_on__year=year),
        year,
        territory,
    )
    return {
        "year": year,
        "count": current,
        "previous": previous,
        "change_percent": _change(current, previous),
        "completed": qs.filter(status=EvaluationStatus.COMPLETED).count(),
        "by_context": dict(
            qs.values_list("context").annotate(n=Count("pk")).values_list("context", "n")
        ),
    }


def _cases_running(organization: Any, year: int, territory: Any) -> QuerySet:
    start, end = _bounds(year)
    qs = SocialCase.objects.for_organization(organization).running_in(start, end)
    return _in_territory(qs, year, territory)


def households_accompanied(
    *, organization: Any, year: int, territory: Any = None
) -> dict[str, Any]:
    """Distinct households with an accompaniment running at some point of `year` (opened on or
    before 31/12, not closed before 01/01), in total and per motive (a household followed for
    two motives counts once in each; seed 001: "71 ménages accompagnés selon différents
    motifs")."""
    cases = list(
        _cases_running(organization, year, territory).values_list("household_id", "motives")
    )
    per_motive: dict[str, set] = {m: set() for m in Motive.values}
    for household_id, motives in cases:
        for motive in motives:
            per_motive.setdefault(motive, set()).add(household_id)
    return {
        "year": year,
        "households": len({h for h, _ in cases}),
        "per_motive": {m: len(ids) for m, ids in per_motive.items()},
        "opened": _in_territory(
            SocialCase.objects.for_organization(organization).filter(opened_on__year=year),
            year,
            territory,
        ).count(),
        "external": _cases_running(organization, year, territory).exclude(mode="internal").count(),
    }


def accompaniment_durations(
    *, organization: Any, year: int, territory: Any = None
) -> dict[str, Any]:
    """Durations (closing date − opening date, in days) of accompaniments closed in `year`:
    count, mean, median, and distribution (≤ 4 months, 4–6, 6–12, > 12 months)."""
    qs = _in_territory(
        SocialCase.objects.for_organization(organization).filter(
            status=CaseStatus.CLOSED, closed_on__year=year
        ),
        year,
        territory,
    )
    days = [(closed - opened).days for opened, closed in qs.values_list("opened_on", "closed_on")]
    buckets = {"up_to_4_months": 0, "4_to_6_months": 0, "6_to_12_months": 0, "over_12_months": 0}
    for d in days:
        if d <= 122:
            buckets["up_to_4_months"] += 1
        elif d <= 183:
            buckets["4_to_6_months"] += 1
        elif d <= 365:
            buckets["6_to_12_months"] += 1
        else:
            buckets["over_12_months"] += 1
    return {
        "year": year,
        "closed": len(days),
        "mean_days": round(statistics.mean(days), 1) if days else None,
        "median_days": statistics.median(days) if days else None,
        "distribution": buckets,
    }


def home_visit_rate(*, organization: Any, year: int, territory: Any = None) -> dict[str, Any]:
    """% of tenant households met at home at least once in `year` (seed 002: "74 % des
    locataires ont été rencontrés au moins une fois à leur domicile").
    Denominator: households holding a lease at some point of the year (in the territory).
    Numerator: those of them with a home visit (any service) dated in the year."""
    from housing.models import Household

    tenants = Household.objects.for_organization(organization).filter(
        Exists(_leases_in(year, territory).filter(household=OuterRef("pk")))
    )
    visited = tenants.filter(
        Exists(
            Intervention.objects.filter(
                household=OuterRef("pk"),
                kind=InterventionKind.HOME_VISIT,
                occurred_on__year=year,
            )
        )
    )
    total, met = tenants.count(), visited.count()
    return {
        "year": year,
        "tenants": total,
        "visited": met,
        "rate_percent": round(100 * met / total, 1) if total else None,
    }


def campaign_contacts(*, organization: Any, year: int, territory: Any = None) -> dict[str, Any]:
    """Per campaign started in `year`: households listed, households contacted (at least one
    call logged), reached (last status reached or follow-up), not reached, follow-up needed,
    and calls made (seed 002: "216 ménages contactés au moment du plan grand froid, 156 au
    moment de la canicule")."""
    campaigns = OutreachCampaign.objects.for_organization(organization).filter(starts_on__year=year)
    targets = _in_territory(
        CampaignTarget.objects.for_organization(organization).filter(campaign__in=campaigns),
        year,
        territory,
    )
    rows = {
        row["campaign_id"]: row
        for row in targets.values("campaign_id").annotate(
            listed=Count("pk"),
            contacted=Count("pk", filter=Q(attempts__gt=0)),
            reached=Count(
                "pk", filter=Q(status__in=[ContactStatus.REACHED, ContactStatus.FOLLOW_UP])
            ),
            not_reached=Count("pk", filter=Q(status=ContactStatus.NOT_REACHED)),
            follow_up=Count("pk", filter=Q(status=ContactStatus.FOLLOW_UP)),
            calls=Sum("attempts"),
        )
    }
    result = []
    for campaign in campaigns.order_by("starts_on", "pk"):
        row = rows.get(campaign.pk, {})
        result.append(
            {
                "campaign": campaign.name,
                "kind": campaign.kind,
                "starts_on": campaign.starts_on,
                "listed": row.get("listed", 0),
                "contacted": row.get("contacted", 0),
                "reached": row.get("reached", 0),
                "not_reached": row.get("not_reached", 0),
                "follow_up": row.get("follow_up", 0),
                "calls": row.get("calls") or 0,
            }
        )
    return {
        "year": year,
        "campaigns": result,
        "households_contacted": sum(r["contacted"] for r in result),
    }


def _age_on(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def adaptation_summary(*, organization: Any, year: int, territory: Any = None) -> dict[str, Any]:
    """Adaptation requests (seed 001: "28 demandes, 18 étudiées en commission, 12 accordées;
    12 aménagements livrés pour 45 000 € dont 12 300 € pris en charge par la CARSAT et la
    MDPH"). Requests: registered in the year. Studied: studied in commission in the year
    (whatever the decision). Approved: studied in the year and approved (including those
    since in works or delivered). Delivered: delivered in the year, with the sum of their
    costs and of their co-funding. Average age: of requesters (age on the request date)."""
    base = AdaptationRequest.objects.for_organization(organization)
    requested = _in_territory(base.filter(requested_on__year=year), year, territory)
    studied = _in_territory(base.filter(studied_on__year=year), year, territory)
    approved = studied.filter(
        status__in=[
            AdaptationStatus.APPROVED,
            AdaptationStatus.IN_WORKS,
            AdaptationStatus.DELIVERED,
        ]
    )
    delivered = _in_territory(
        base.filter(status=AdaptationStatus.DELIVERED, delivered_on__year=year), year, territory
    )
    amount = delivered.aggregate(total=Sum("final_cost"))["total"] or Decimal("0")
    cofunded = AdaptationFunding.objects.for_organization(organization).filter(
        request__in=delivered
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    ages = [
        _age_on(birth, on)
        for birth, on in requested.filter(requester__birth_date__isnull=False).values_list(
            "requester__birth_date", "requested_on"
        )
    ]
    return {
        "year": year,
        "requested": requested.count(),
        "studied": studied.count(),
        "approved": approved.count(),
        "rejected": studied.filter(status=AdaptationStatus.REJECTED).count(),
        "delivered": delivered.count(),
        "amount": amount,
        "cofunded_amount": cofunded,
        "average_requester_age": round(statistics.mean(ages), 1) if ages else None,
    }


def programme_targets(
    *, organization: Any, year: int, territory: Any = None
) -> list[dict[str, Any]]:
    """Per programme running during `year`: targets (access, staying) vs achieved (households
    accepted by the programme's body, still in or since exited), diagnostics done, and the
    budget planned vs spent, where spent = diagnostics × unit cost of a diagnostic + households
    accompanied × yearly unit cost + collective actions held × their unit cost (seed 004:
    "1500 € × 40 familles = 60 000 €")."""
    start, end = _bounds(year)
    programmes = (
        SupportProgramme.objects.for_organization(organization)
        .filter(starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .order_by("starts_on", "pk")
    )
    enrolments = _in_territory(
        ProgrammeEnrolment.objects.for_organization(organization).filter(programme__in=programmes),
        year,
        territory,
    )
    accepted = Q(status__in=[EnrolmentStatus.ACCEPTED, EnrolmentStatus.ENDED])
    rows = {
        r["programme_id"]: r
        for r in enrolments.values("programme_id").annotate(
            access=Count("pk", filter=accepted & Q(kind=EnrolmentKind.ACCESS)),
            staying=Count("pk", filter=accepted & Q(kind=EnrolmentKind.STAYING)),
            diagnostics=Count("pk", filter=Q(diagnostic_done=True)),
            proposed=Count("pk"),
        )
    }
    result = []
    for p in programmes:
        row = rows.get(p.pk, {})
        access, staying = row.get("access", 0), row.get("staying", 0)
        spent = (
            p.unit_cost_diagnostic * row.get("diagnostics", 0)
            + p.unit_cost_yearly_accompaniment * (access + staying)
            + p.unit_cost_collective_action * p.collective_actions_held
        )
        result.append(
            {
                "programme": p.name,
                "public_id": p.public_id,
                "target_access": p.target_access,
                "target_staying": p.target_staying,
                "achieved_access": access,
                "achieved_staying": staying,
                "proposed": row.get("proposed", 0),
                "diagnostics": row.get("diagnostics", 0),
                "collective_actions": p.collective_actions_held,
                "budget_planned": p.budget_planned,
                "budget_spent": spent,
            }
        )
    return result


def arrears_service_contacts(
    *, organization: Any, year: int, territory: Any = None
) -> dict[str, Any]:
    """Contacts logged by the arrears service in `year`: calls (in, out), meetings (office
    interviews, home visits, partner meetings), letters/e-mails, households contacted, and
    calls where the household could not be reached."""
    qs = _interventions(organization, year, territory, Service.ARREARS)
    return {
        "year": year,
        "calls": qs.filter(kind__in=PHONE_KINDS).count(),
        "meetings": qs.filter(kind__in=MEETING_KINDS).count(),
        "letters": qs.filter(kind=InterventionKind.LETTER_EMAIL).count(),
        "not_reached": qs.filter(outcome=InterventionOutcome.NOT_REACHED).count(),
        "households": qs.values("household_id").distinct().count(),
        "total": qs.count(),
    }


def all_indicators(*, organization: Any, year: int, territory: Any = None) -> dict[str, Any]:
    """Every indicator of the social accompaniment for the yearly report."""
    args = {"organization": organization, "year": year, "territory": territory}
    return {
        "interventions": interventions_per_year(**args),
        "evaluations": evaluations_per_year(**args),
        "households_accompanied": households_accompanied(**args),
        "durations": accompaniment_durations(**args),
        "home_visits": home_visit_rate(**args),
        "campaigns": campaign_contacts(**args),
        "adaptations": adaptation_summary(**args),
        "programmes": programme_targets(**args),
        "arrears_contacts": arrears_service_contacts(**args),
    }
