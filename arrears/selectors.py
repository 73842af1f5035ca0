"""Reads of the arrears app: lists, the officer's dashboard, and the counting selectors the
yearly report calls (`(*, organization, year, territory=None)`; formulas in docs/arrears.md)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from arrears.enums import AidOutcome, CaseStatus, PlanStatus, RelocationStatus, Stage
from arrears.models import (
    AccountStatement,
    ArrearsCase,
    BorlooProtocol,
    DebtWriteOff,
    FslAid,
    Installment,
    ProcedureStep,
    RelocationRequest,
    RepaymentPlan,
)

ZERO = Decimal("0.00")


# --- Lists ----------------------------------------------------------------------------------------


def statement_list(*, organization: Any, lease: Any = None) -> QuerySet[AccountStatement]:
    statements = AccountStatement.objects.for_organization(organization).select_related("lease")
    if lease is not None:
        statements = statements.filter(lease=lease)
    return statements.order_by("lease_id", "-month")


def case_list(
    *,
    organization: Any,
    status: str | None = None,
    stage: str | None = None,
    officer: Any = None,
    open_only: bool = False,
) -> QuerySet[ArrearsCase]:
    cases = ArrearsCase.objects.for_organization(organization).select_related(
        "household", "lease__dwelling", "territory", "officer__user"
    )
    if open_only:
        cases = cases.exclude(status=CaseStatus.CLOSED)
    if status:
        cases = cases.filter(status=status)
    if stage:
        cases = cases.filter(stage=stage)
    if officer is not None:
        cases = cases.filter(officer=officer)
    return cases.order_by("-opened_on", "-pk")


def step_list(*, organization: Any, case: Any = None) -> QuerySet[ProcedureStep]:
    steps = ProcedureStep.objects.for_organization(organization).select_related("case")
    if case is not None:
        steps = steps.filter(case=case)
    return steps.order_by("case_id", "occurred_on", "pk")


def plan_list(
    *, organization: Any, case: Any = None, status: str | None = None
) -> QuerySet[RepaymentPlan]:
    # A page of 50 plans carries ~1,000 instalments: only the columns shown (the API, the plan
    # page) are loaded, not the bookkeeping ones (timestamps, authors, public ids).
    # Ordered by number alone: the model's ordering ("plan", "number") joins every plan to
    # sort by the plan's own ordering, and the prefetch groups by plan anyway.
    installments = (
        Installment.objects.for_organization(organization)
        .only("plan_id", "number", "due_month", "amount", "paid_amount", "status")
        .order_by("number")
    )
    plans = (
        RepaymentPlan.objects.for_organization(organization)
        .select_related("case", "household", "previous")
        .prefetch_related(Prefetch("installments", queryset=installments))
    )
    if case is not None:
        plans = plans.filter(case=case)
    if status:
        plans = plans.filter(status=status)
    return plans.order_by("-signed_on", "-pk")


INSTALLMENT_COLUMNS = ("number", "due_month", "amount", "paid_amount", "status")


def installment_rows(*, organization: Any, plans: list[Any]) -> dict[int, list[tuple]]:
    """The instalments of these plans as rows (`INSTALLMENT_COLUMNS`), in number order, by
    plan id: one query and no model instance (a page of 50 plans carries ~1,000)."""
    rows: dict[int, list[tuple]] = {plan.pk: [] for plan in plans}
    for plan_id, *values in (
        Installment.objects.for_organization(organization)
        .filter(plan_id__in=list(rows))
        .order_by("plan_id", "number")
        .values_list("plan_id", *INSTALLMENT_COLUMNS)
    ):
        rows[plan_id].append(tuple(values))
    return rows


def borloo_list(*, organization: Any) -> QuerySet[BorlooProtocol]:
    return (
        BorlooProtocol.objects.for_organization(organization)
        .select_related("case__household", "plan", "judgment", "write_off")
        .order_by("-signed_on", "-pk")
    )


def fsl_aid_list(*, organization: Any, case: Any = None) -> QuerySet[FslAid]:
    aids = FslAid.objects.for_organization(organization).select_related("household", "case")
    if case is not None:
        aids = aids.filter(case=case)
    return aids.order_by("-requested_on", "-pk")


def write_off_list(*, organization: Any, case: Any = None) -> QuerySet[DebtWriteOff]:
    write_offs = DebtWriteOff.objects.for_organization(organization).select_related(
        "household", "case", "lease"
    )
    if case is not None:
        write_offs = write_offs.filter(case=case)
    return write_offs.order_by("-written_off_on", "-pk")


def household_arrears(*, organization: Any, household: Any) -> dict[str, Any]:
    """The household-file section: its arrears cases and running plans (3 queries)."""
    cases = list(
        ArrearsCase.objects.for_organization(organization)
        .filter(household=household)
        .select_related("officer__user")
        .order_by("-opened_on")[:5]
    )
    plans = list(
        RepaymentPlan.objects.for_organization(organization)
        .filter(household=household, status__in=[PlanStatus.ACTIVE, PlanStatus.BREACHED])
        .order_by("-signed_on")[:5]
    )
    return {"cases": cases, "plans": plans}


# --- The officer's dashboard ----------------------------------------------------------------------


def _social_followed(organization: Any, household_ids: list[int]) -> list[dict[str, Any]]:
    """Households of open arrears cases also followed by the social service: the cases app's
    synthesis (never its notes). Bounded: at most `len(household_ids)` households, in three
    queries."""
    try:
        from cases.selectors import household_social_syntheses
    except ImportError:
        return []
    from housing.models import Household

    households = Household.objects.for_organization(organization).in_bulk(household_ids)
    syntheses = household_social_syntheses(organization=organization, households=household_ids)
    return [
        {"household": households[household_id], "synthesis": syntheses[household_id]}
        for household_id in household_ids
        if household_id in households and syntheses[household_id].get("has_open_case")
    ]


SOCIAL_FOLLOW_LIMIT = 10


def dashboard(
    *, organization: Any, officer: Any = None, today: datetime.date, with_social: bool = True
) -> dict[str, Any]:
    """Cases by stage, deadlines this week and overdue, plans in breach, households also
    followed by a social worker. `officer` (a Membership) narrows to their cases. A constant
    number of queries whatever the number of cases."""
    cases = ArrearsCase.objects.for_organization(organization).exclude(status=CaseStatus.CLOSED)
    if officer is not None:
        cases = cases.filter(officer=officer)
    counts = dict(cases.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    by_stage = [(value, label, counts.get(value, 0)) for value, label in Stage.choices]
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    listed = cases.select_related("household", "lease__dwelling").order_by("next_deadline_on", "pk")
    due_this_week = list(
        listed.filter(next_deadline_on__gte=today, next_deadline_on__lte=week_end)[:50]
    )
    overdue = list(listed.filter(next_deadline_on__lt=today)[:50])
    plans = RepaymentPlan.objects.for_organization(organization).filter(status=PlanStatus.BREACHED)
    if officer is not None:
        plans = plans.filter(case__officer=officer)
    breached = list(plans.select_related("household", "case").order_by("breached_on", "pk")[:50])
    top = (
        list(
            cases.order_by("-current_debt", "pk").values_list("household_id", flat=True)[
                :SOCIAL_FOLLOW_LIMIT
            ]
        )
        if with_social
        else []
    )
    return {
        "by_stage": by_stage,
        "open_total": sum(counts.values()),
        "closure_proposed": cases.filter(status=CaseStatus.CLOSURE_PROPOSED).count(),
        "due_this_week": due_this_week,
        "overdue": overdue,
        "plans_in_breach": breached,
        "social_followed": _social_followed(organization, top) if top else [],
        "today": today,
        "week_end": week_end,
    }


def dashboard_counts(
    *, organization: Any, officer: Any = None, today: datetime.date
) -> dict[str, int]:
    """The figures of the home panel (`dashboard`'s, counted, not listed): open cases, deadlines
    this week and overdue, closures proposed, plans in breach. Two aggregate queries."""
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    cases = ArrearsCase.objects.for_organization(organization).exclude(status=CaseStatus.CLOSED)
    plans = RepaymentPlan.objects.for_organization(organization).filter(status=PlanStatus.BREACHED)
    if officer is not None:
        cases = cases.filter(officer=officer)
        plans = plans.filter(case__officer=officer)
    counts = cases.aggregate(
        open_total=Count("pk"),
        due_this_week=Count(
            "pk", filter=Q(next_deadline_on__gte=today, next_deadline_on__lte=week_end)
        ),
        overdue=Count("pk", filter=Q(next_deadline_on__lt=today)),
        closure_proposed=Count("pk", filter=Q(status=CaseStatus.CLOSURE_PROPOSED)),
    )
    return {**counts, "plans_in_breach": plans.count()}


# --- Counting (docs/arrears.md, "Indicators") ----------------------------------------------------


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _lease_territory(territory: Any, prefix: str = "lease__") -> Q:
    if territory is None:
        return Q()
    return Q(**{f"{prefix}dwelling__residence__territory": territory})


def _household_territory(organization: Any, territory: Any) -> Q:
    """A household is on a territory when one of its leases is."""
    if territory is None:
        return Q()
    from housing.models import Lease

    return Q(
        Exists(
            Lease.objects.for_organization(organization).filter(
                household_id=OuterRef("household_id"), dwelling__residence__territory=territory
            )
        )
    )


def _ratio(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _year_end_balances(*, organization: Any, year: int, territory: Any = None) -> dict[str, Any]:
    """Over each lease's last statement of the year: the positive balances of present and of
    departed tenants, and the number of present tenants owing 3 months or more.

    "Present on 31 December": statement not marked departed and lease not ended before then;
    "3 months": balance ≥ 3 × that month's rent and charges net of the housing benefit paid to
    the landlord. One query: on PostgreSQL each lease fetches its last statement of the year
    from the (organization, lease, month) index (a LATERAL join, ~10 µs a lease), instead of
    sorting the year's statements (DISTINCT ON: an on-disk sort of 12 rows a lease) and
    summing them in Python."""
    from housing.models import Lease

    start, end = _year_bounds(year)
    leases = (
        Lease.objects.for_organization(organization)
        .filter(_lease_territory(territory, prefix=""))
        .order_by()
        .values_list("pk", "end_date")
    )
    if connection.vendor == "postgresql":
        lease_sql, lease_params = leases.query.sql_with_params()
        table = connection.ops.quote_name(AccountStatement._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT
                    COALESCE(SUM(s.balance) FILTER (WHERE s.balance > 0 AND NOT s.tenant_departed), 0),
                    COALESCE(SUM(s.balance) FILTER (WHERE s.balance > 0 AND s.tenant_departed), 0),
                    COUNT(*) FILTER (
                        WHERE NOT s.tenant_departed
                        AND (l.end_date IS NULL OR l.end_date >= %s)
                        AND s.billed > s.housing_benefit
                        AND s.balance >= 3 * (s.billed - s.housing_benefit)
                    )
                FROM ({lease_sql}) AS l (id, end_date)
                CROSS JOIN LATERAL (
                    SELECT balance, billed, housing_benefit, tenant_departed FROM {table}
                    WHERE organization_id = %s AND lease_id = l.id AND month BETWEEN %s AND %s
                    ORDER BY month DESC
                    LIMIT 1
                ) AS s
                """,
                [end, *lease_params, getattr(organization, "pk", organization), start, end],
            )
            present, departed, three_months = cursor.fetchone()
        return {"present": present, "departed": departed, "three_months": three_months}
    # Elsewhere (the SQLite demo): the year's statements, each lease's last first.
    lease_ends = dict(leases)
    statements = (
        AccountStatement.objects.for_organization(organization)
        .filter(lease_id__in=lease_ends.keys(), month__gte=start, month__lte=end)
        .order_by("lease_id", "-month")
        .values_list("lease_id", "balance", "billed", "housing_benefit", "tenant_departed")
    )
    result: dict[str, Any] = {"present": ZERO, "departed": ZERO, "three_months": 0}
    seen: set[int] = set()
    for lease_id, balance, billed, benefit, is_departed in statements:
        if lease_id in seen:
            continue
        seen.add(lease_id)
        if balance > 0:
            result["departed" if is_departed else "present"] += balance
        lease_end = lease_ends[lease_id]
        if is_departed or (lease_end is not None and lease_end < end):
            continue
        net = billed - benefit
        if net > 0 and balance >= 3 * net:
            result["three_months"] += 1
    return result


def arrears_rate(*, organization: Any, year: int, territory: Any = None) -> dict[str, Any]:
    """Arrears rate = unpaid at year end ÷ billed over the year × 100.

    unpaid: the sum of the positive balances of each lease's last statement of the year
    (debts still owed on 31 December, present and departed tenants, split below); billed: the
    sum of `billed` (rent and charges, before housing benefit) of the year's statements."""
    start, end = _year_bounds(year)
    billed = (
        AccountStatement.objects.for_organization(organization)
        .filter(_lease_territory(territory), month__gte=start, month__lte=end)
        .aggregate(total=Sum("billed"))["total"]
        or ZERO
    )
    balances = _year_end_balances(organization=organization, year=year, territory=territory)
    present, departed = balances["present"], balances["departed"]
    total = present + departed
    return {
        "unpaid": total,
        "unpaid_present": present,
        "unpaid_departed": departed,
        "billed": billed,
        "rate": _ratio(total, billed),
        "rate_present": _ratio(present, billed),
        "rate_departed": _ratio(departed, billed),
    }


def tenants_three_months_unpaid_rate(
    *, organization: Any, year: int, territory: Any = None
) -> dict[str, Any]:
    """Tenants present with ≥ 3 unpaid months ÷ occupied dwellings × 100.

    A tenant present on 31 December (statement not marked departed, lease not ended by then)
    whose last balance of the year is ≥ 3 × that month's rent and charges net of the housing
    benefit paid to the landlord; occupied dwellings: dwellings with a lease running on
    31 December."""
    from housing.models import Lease

    _, end = _year_bounds(year)
    count = _year_end_balances(organization=organization, year=year, territory=territory)[
        "three_months"
    ]
    occupied = (
        Lease.objects.for_organization(organization)
        .filter(_lease_territory(territory, prefix=""), start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=end))
        .values("dwelling_id")
        .distinct()
        .count()
    )
    return {"tenants": count, "occupied_dwellings": occupied, "rate": _ratio(count, occupied)}


def write_offs_to_receipts(
    *, organization: Any, year: int, territory: Any = None
) -> dict[str, Any]:
    """Write-offs of the year ÷ receipts of the year × 100; receipts = tenants' payments plus
    housing benefit paid to the landlord, from the year's statements."""
    start, end = _year_bounds(year)
    written_off = (
        DebtWriteOff.objects.for_organization(organization)
        .filter(
            _household_territory(organization, territory),
            written_off_on__gte=start,
            written_off_on__lte=end,
        )
        .aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    sums = (
        AccountStatement.objects.for_organization(organization)
        .filter(_lease_territory(territory), month__gte=start, month__lte=end)
        .aggregate(payments=Sum("payments"), benefit=Sum("housing_benefit"))
    )
    receipts = (sums["payments"] or ZERO) + (sums["benefit"] or ZERO)
    return {"written_off": written_off, "receipts": receipts, "rate": _ratio(written_off, receipts)}


def plans_signed(*, organization: Any, year: int, territory: Any = None) -> dict[str, int]:
    """Repayment plans signed in the year, renegotiations excluded (a renegotiated plan is the
    same agreement), and of which those carried by a Borloo protocol."""
    start, end = _year_bounds(year)
    plans = RepaymentPlan.objects.for_organization(organization).filter(
        _lease_territory(territory), signed_on__gte=start, signed_on__lte=end, previous__isnull=True
    )
    borloo = BorlooProtocol.objects.for_organization(organization).filter(plan_id=OuterRef("pk"))
    result = plans.aggregate(total=Count("pk"), borloo=Count("pk", filter=Q(Exists(borloo))))
    return {"total": result["total"], "borloo": result["borloo"]}


def fsl_families(*, organization: Any, year: int, territory: Any = None) -> dict[str, Any]:
    """Households granted FSL aid decided in the year (distinct) and the amounts granted."""
    start, end = _year_bounds(year)
    result = (
        FslAid.objects.for_organization(organization)
        .filter(
            _household_territory(organization, territory),
            outcome=AidOutcome.GRANTED,
            decided_on__gte=start,
            decided_on__lte=end,
        )
        .aggregate(families=Count("household_id", distinct=True), amount=Sum("amount_granted"))
    )
    return {"families": result["families"], "amount": result["amount"] or ZERO}


def write_off_families(*, organization: Any, year: int, territory: Any = None) -> dict[str, Any]:
    """Households whose debt was written off in the year (distinct) and the amounts."""
    start, end = _year_bounds(year)
    result = (
        DebtWriteOff.objects.for_organization(organization)
        .filter(
            _household_territory(organization, territory),
            written_off_on__gte=start,
            written_off_on__lte=end,
        )
        .aggregate(families=Count("household_id", distinct=True), amount=Sum("amount"))
    )
    return {"families": result["families"], "amount": result["amount"] or ZERO}


def relocations(*, organization: Any, year: int, territory: Any = None) -> dict[str, int]:
    """Relocations at the arrears service's request: requests made in the year, and households
    relocated in the year."""
    start, end = _year_bounds(year)
    requests = RelocationRequest.objects.for_organization(organization).filter(
        _household_territory(organization, territory)
    )
    return {
        "requested": requests.filter(requested_on__gte=start, requested_on__lte=end).count(),
        "relocated": requests.filter(
            status=RelocationStatus.RELOCATED, relocated_on__gte=start, relocated_on__lte=end
        ).count(),
    }


def contacts(*, organization: Any, year: int, territory: Any = None) -> dict[str, int]:
    """Contacts of the arrears service in the year: calls (received, made) and meetings.

    One source only: the interventions of the cases app with service = arrears when that app
    provides them; otherwise the arrears contacts recorded on the household timeline."""
    from arrears.services import interventions_available

    start, end = _year_bounds(year)
    if interventions_available():
        from cases.enums import InterventionKind, Service
        from cases.models import Intervention

        rows = dict(
            Intervention.objects.for_organization(organization)
            .filter(
                _household_territory(organization, territory),
                service=Service.ARREARS,
                occurred_on__gte=start,
                occurred_on__lte=end,
            )
            .values_list("kind")
            .annotate(n=Count("pk"))
            .values_list("kind", "n")
        )
        received = rows.get(InterventionKind.PHONE_IN, 0)
        made = rows.get(InterventionKind.PHONE_OUT, 0)
        meetings = rows.get(InterventionKind.OFFICE_INTERVIEW, 0) + rows.get(
            InterventionKind.HOME_VISIT, 0
        )
    else:
        from core.models import TimelineEvent

        rows = dict(
            TimelineEvent.objects.for_organization(organization)
            .filter(
                _household_territory(organization, territory),
                category="arrears",
                kind__startswith="contact.",
                at__date__gte=start,
                at__date__lte=end,
            )
            .values_list("kind")
            .annotate(n=Count("pk"))
            .values_list("kind", "n")
        )
        received = rows.get("contact.call_received", 0)
        made = rows.get("contact.call_made", 0)
        meetings = rows.get("contact.meeting", 0)
    return {
        "calls_received": received,
        "calls_made": made,
        "calls": received + made,
        "meetings": meetings,
        "total": received + made + meetings,
    }


def yearly_indicators(*, organization: Any, year: int, territory: Any = None) -> dict[str, Any]:
    kwargs = {"organization": organization, "year": year, "territory": territory}
    return {
        "arrears_rate": arrears_rate(**kwargs),
        "three_months": tenants_three_months_unpaid_rate(**kwargs),
        "write_offs_to_receipts": write_offs_to_receipts(**kwargs),
        "plans": plans_signed(**kwargs),
        "fsl": fsl_families(**kwargs),
        "write_offs": write_off_families(**kwargs),
        "relocations": relocations(**kwargs),
        "contacts": contacts(**kwargs),
    }
