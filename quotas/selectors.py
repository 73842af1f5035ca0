"""Reads of the quotas app: the ONE definition of an attribution for quotas, what each
attribution counts toward, targets vs achieved, the candidate's contributions, the yearly
review per réservataire. Definitions: docs/quotas.md."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Greatest, Round
from django.utils import timezone

from allocations.affordability import consumption_units_for
from allocations.enums import Flow, OfferStatus
from allocations.models import ApplicationPriority, Candidacy, Offer, SessionDwelling
from core.parameters import get_parameter
from quotas.enums import CRITERION_OF, Direction, QuotaCategory, TargetKind, TargetStatus
from quotas.models import ExcludedDwelling, ProgrammeLabel, QuotaTarget, ReservationAgreement

PREFECTURE = "prefecture"
ONE = Decimal("0.1")


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _pct(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(ONE, rounding=ROUND_HALF_UP)


# --- The one definition of an attribution --------------------------------------------------------


def attribution_queryset(
    *,
    organization: Any,
    year: int,
    territory: Any = None,
    until: datetime.date | None = None,
) -> QuerySet[Offer]:
    """**An attribution** (for quotas, as for allocations' `attributions` indicator): an offer
    accepted then followed by a signed lease (`Offer.status = lease_signed`), dated by the
    signature (`Offer.lease_signed_on`) in `year` (up to `until`); its territory is the
    dwelling's residence's. A commission decision alone is not an attribution."""
    start, end = _year_range(year)
    if until is not None:
        end = min(end, until)
    qs = Offer.objects.for_organization(organization).filter(
        status=OfferStatus.LEASE_SIGNED, lease_signed_on__range=(start, end)
    )
    if territory is not None:
        qs = qs.filter(session_dwelling__dwelling__residence__territory=territory)
    return qs


def attribution_criteria_counts(
    *, organization: Any, year: int, territory: Any = None
) -> dict[str, int]:
    """The year's attributions (`attribution_queryset`, the one definition) counted in one SQL
    statement: all of them, those of a DALO demand, of a shelter leaver, and of a demand with at
    least one L441-1 criterion (`Counted.is_priority`). For the report's count indicators,
    which need no row."""
    priorities = ApplicationPriority.objects.for_organization(organization).filter(
        application_id=OuterRef("application_id")
    )
    return attribution_queryset(
        organization=organization, year=year, territory=territory
    ).aggregate(
        total=Count("pk"),
        dalo=Count("pk", filter=Q(Exists(priorities.filter(criterion="dalo")))),
        shelter_leavers=Count(
            "pk", filter=Q(Exists(priorities.filter(criterion="emergency_accommodation")))
        ),
        priority=Count("pk", filter=Q(Exists(priorities))),
    )


@dataclass
class Counted:
    """An attribution (or a candidate, for contributions) and the facts that decide the
    categories it counts toward."""

    signed_on: datetime.date | None
    household_public_id: Any
    household_name: str
    registration_number: str
    application_id: int | None
    dwelling_reference: str
    dwelling_id: int | None
    is_qpv: bool
    flow: str
    partner_id: int | None
    partner_kind: str
    partner_name: str
    criteria: set[str] = field(default_factory=set)
    programmes: set[str] = field(default_factory=set)
    verified_income_per_uc: Decimal | None = None
    declared_income_per_uc: Decimal | None = None
    quartile_threshold: Decimal | None = None

    @property
    def income_verified(self) -> bool:
        return self.verified_income_per_uc is not None

    @property
    def first_quartile(self) -> bool | None:
        """Below the EPCI's first-quartile threshold, on verified income (declared income when
        none is verified — flagged `income_verified=False`). None without any income."""
        income = (
            self.verified_income_per_uc
            if self.verified_income_per_uc is not None
            else self.declared_income_per_uc
        )
        if income is None or self.quartile_threshold is None:
            return None
        return income < self.quartile_threshold

    @property
    def first_quartile_declared(self) -> bool | None:
        if self.declared_income_per_uc is None or self.quartile_threshold is None:
            return None
        return self.declared_income_per_uc < self.quartile_threshold

    @property
    def is_priority(self) -> bool:
        return bool(self.criteria)

    weight: ClassVar[int] = 1  # one attribution (see `AttributionGroup`)


@dataclass(frozen=True)
class AttributionGroup:
    """Attributions of a territory and year that share every fact deciding the categories they
    count toward (`membership`), and how many they are (`weight`): what the dashboard, the
    API and the home panel count, in SQL (`attribution_groups`), instead of loading each
    attribution. The households themselves are `Counted` rows (the drill-down)."""

    territory_id: int
    year: int
    is_qpv: bool
    flow: str
    partner_id: int | None
    partner_kind: str
    first_quartile: bool | None
    criteria: frozenset[str]
    programmes: frozenset[str]
    weight: int

    @property
    def is_priority(self) -> bool:
        return bool(self.criteria)


def _per_uc(income: Decimal | None, adults: int, children: int) -> Decimal | None:
    if income is None:
        return None
    units = consumption_units_for(adults=adults, children=children)
    return (Decimal(income) / units).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _threshold(thresholds: dict, *codes: str) -> Decimal | None:
    for code in codes:
        if code and code in thresholds:
            return Decimal(str(thresholds[code]))
    if "default" in thresholds:
        return Decimal(str(thresholds["default"]))
    return None


def _thresholds(organization: Any, year: int) -> dict:
    return get_parameter(
        "allocations.first_quartile_thresholds",
        organization=organization,
        on=datetime.date(year, 12, 31),
    )


def _thresholds_by_year(organization: Any, years: list[int]) -> dict[int, dict]:
    """`_thresholds` of several years in one query: the versions of the setting, each year
    taking the one in force on its 31 December (as `get_parameter` does)."""
    from core.models import ParameterValue
    from core.parameters import parameter

    key = "allocations.first_quartile_thresholds"
    definition = parameter(key)
    versions = list(
        ParameterValue.objects.filter(
            organization_id=getattr(organization, "pk", organization),
            key=key,
            valid_from__lte=datetime.date(max(years), 12, 31),
        )
        .order_by("-valid_from")
        .values_list("valid_from", "value")
    )
    found = {}
    for y in years:
        stored = next((v for d, v in versions if d <= datetime.date(y, 12, 31)), None)
        found[y] = definition.parse(definition.default if stored is None else stored)
    return found


def counted_attributions(
    *,
    organization: Any,
    year: int,
    territory: Any = None,
    until: datetime.date | None = None,
    thresholds: dict | None = None,
) -> list[Counted]:
    """The year's attributions with what they count toward: 4 queries whatever their number
    (thresholds, attributions, priorities, programme labels)."""
    if thresholds is None:
        thresholds = _thresholds(organization, year)
    rows = list(
        attribution_queryset(organization=organization, year=year, territory=territory, until=until)
        .order_by("lease_signed_on", "pk")
        .values(
            "lease_signed_on",
            "application_id",
            "application__registration_number",
            "application__adults",
            "application__children",
            "application__verified_annual_income",
            "application__declared_annual_income",
            "application__epci_code",
            "application__household__public_id",
            "application__household__name",
            "session_dwelling__dwelling_id",
            "session_dwelling__dwelling__reference",
            "session_dwelling__dwelling__residence__is_qpv",
            "session_dwelling__dwelling__residence__epci_code",
            "session_dwelling__flow",
            "session_dwelling__reserving_partner_id",
            "session_dwelling__reserving_partner__kind",
            "session_dwelling__reserving_partner__name",
        )
    )
    app_ids = [r["application_id"] for r in rows]
    criteria: dict[int, set[str]] = defaultdict(set)
    programmes: dict[int, set[str]] = defaultdict(set)
    if app_ids:
        for app_id, criterion in (
            ApplicationPriority.objects.for_organization(organization)
            .filter(application_id__in=app_ids)
            .values_list("application_id", "criterion")
        ):
            criteria[app_id].add(criterion)
        for app_id, programme in (
            ProgrammeLabel.objects.for_organization(organization)
            .filter(application_id__in=app_ids)
            .values_list("application_id", "programme")
        ):
            programmes[app_id].add(programme)
    return [
        Counted(
            signed_on=r["lease_signed_on"],
            household_public_id=r["application__household__public_id"],
            household_name=r["application__household__name"],
            registration_number=r["application__registration_number"],
            application_id=r["application_id"],
            dwelling_reference=r["session_dwelling__dwelling__reference"],
            dwelling_id=r["session_dwelling__dwelling_id"],
            is_qpv=r["session_dwelling__dwelling__residence__is_qpv"],
            flow=r["session_dwelling__flow"],
            partner_id=r["session_dwelling__reserving_partner_id"],
            partner_kind=r["session_dwelling__reserving_partner__kind"] or "",
            partner_name=r["session_dwelling__reserving_partner__name"] or "",
            criteria=criteria[r["application_id"]],
            programmes=programmes[r["application_id"]],
            verified_income_per_uc=_per_uc(
                r["application__verified_annual_income"],
                r["application__adults"],
                r["application__children"],
            ),
            declared_income_per_uc=_per_uc(
                r["application__declared_annual_income"],
                r["application__adults"],
                r["application__children"],
            ),
            quartile_threshold=_threshold(
                thresholds,
                r["session_dwelling__dwelling__residence__epci_code"],
                r["application__epci_code"],
            ),
        )
        for r in rows
    ]


def _consumption_units() -> Any:
    """The consumption units of a demand's composition as a SQL expression: the same scale as
    `allocations.affordability.consumption_units_for` (adults 14+, at least one person; the
    children under 14), with the same settings."""
    from housing.affordability import AffordabilitySettings

    scale = AffordabilitySettings.defaults()
    child = scale.cu_other_14_plus if scale.cu_age_threshold <= 0 else scale.cu_under_14
    money = DecimalField(max_digits=12, decimal_places=4)
    return ExpressionWrapper(
        Value(scale.cu_first_person, output_field=money)
        + Value(scale.cu_other_14_plus, output_field=money)
        * (Greatest(F("application__adults"), Value(1)) - Value(1))
        + Value(child, output_field=money) * F("application__children"),
        output_field=money,
    )


def _threshold_expression(thresholds: dict) -> Any:
    """`_threshold` in SQL: the threshold of the dwelling's EPCI, else the demand's, else
    `default`."""
    money = DecimalField(max_digits=12, decimal_places=2)
    codes = [c for c in thresholds if c and c != "default"]

    def by(field: str) -> Any:
        if not codes:
            return Value(None, output_field=money)
        return Case(
            *[
                When(**{field: c}, then=Value(Decimal(str(thresholds[c])), output_field=money))
                for c in codes
            ],
            default=Value(None, output_field=money),
            output_field=money,
        )

    default = thresholds.get("default")
    return Coalesce(
        by("session_dwelling__dwelling__residence__epci_code"),
        by("application__epci_code"),
        Value(None if default is None else Decimal(str(default)), output_field=money),
        output_field=money,
    )


def _counts_in_sql() -> bool:
    """`attribution_groups` needs PostgreSQL (arrays); elsewhere (the SQLite of `make run`) the
    figures come from the households counted in Python, the same by definition."""
    return connection.vendor == "postgresql"


def attribution_groups(
    *,
    organization: Any,
    territory_ids: Any,
    years: Any,
    on: datetime.date,
    thresholds: dict[int, dict] | None = None,
) -> dict[tuple[int, int], list[AttributionGroup]]:
    """The attributions (the one definition) of each (territory, year), signed up to `on`,
    counted in ONE query by the facts that decide their categories: territory, year, QPV,
    flow and réservataire, first quartile (income per consumption unit, verified else
    declared, strictly below the year's threshold — `Counted.first_quartile`, in SQL),
    priority criteria and programmes. A few hundred groups for thousands of attributions;
    `thresholds` by year, read when not given."""
    years = sorted(set(years))
    territory_ids = sorted(set(territory_ids))
    if not years or not territory_ids:
        return {}
    if thresholds is None:
        thresholds = _thresholds_by_year(organization, years)
    periods = Q()
    for y in years:
        start, end = _year_range(y)
        periods |= Q(lease_signed_on__range=(start, min(end, on)))
    income = Coalesce("application__verified_annual_income", "application__declared_annual_income")
    threshold: Any = _threshold_expression(thresholds[years[0]])
    if any(thresholds[y] != thresholds[years[0]] for y in years):
        money = DecimalField(max_digits=12, decimal_places=2)
        threshold = Case(
            *[
                When(lease_signed_on__year=y, then=_threshold_expression(thresholds[y]))
                for y in years
            ],
            output_field=money,
        )
    # Unique per demand and criterion / programme (constraints): read in their indexes' order.
    priorities = (
        ApplicationPriority.objects.for_organization(organization)
        .filter(application_id=OuterRef("application_id"))
        .order_by("criterion")
        .values("criterion")
    )
    labels = (
        ProgrammeLabel.objects.for_organization(organization)
        .filter(application_id=OuterRef("application_id"))
        .order_by("programme")
        .values("programme")
    )
    rows = (
        Offer.objects.for_organization(organization)
        .filter(
            periods,
            status=OfferStatus.LEASE_SIGNED,
            session_dwelling__dwelling__residence__territory__in=territory_ids,
        )
        .alias(
            per_uc=Round(income / _consumption_units(), 2),
            threshold=threshold,
        )
        .annotate(
            territory=F("session_dwelling__dwelling__residence__territory_id"),
            year=ExtractYear("lease_signed_on"),
            is_qpv=F("session_dwelling__dwelling__residence__is_qpv"),
            flow=F("session_dwelling__flow"),
            partner=F("session_dwelling__reserving_partner_id"),
            partner_kind=F("session_dwelling__reserving_partner__kind"),
            first_quartile=Case(
                When(Q(per_uc__isnull=True) | Q(threshold__isnull=True), then=Value(None)),
                When(per_uc__lt=F("threshold"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(null=True),
            ),
            criteria=ArraySubquery(priorities),
            programmes=ArraySubquery(labels),
        )
        .values_list(
            "territory",
            "year",
            "is_qpv",
            "flow",
            "partner",
            "partner_kind",
            "first_quartile",
            "criteria",
            "programmes",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    groups: dict[tuple[int, int], list[AttributionGroup]] = defaultdict(list)
    for territory_id, y, qpv, flow, partner, kind, quartile, criteria, programmes, n in rows:
        groups[(territory_id, y)].append(
            AttributionGroup(
                territory_id=territory_id,
                year=y,
                is_qpv=qpv,
                flow=flow,
                partner_id=partner,
                partner_kind=kind or "",
                first_quartile=quartile,
                criteria=frozenset(criteria),
                programmes=frozenset(programmes),
                weight=n,
            )
        )
    return groups


def membership(target: QuotaTarget, item: Counted | AttributionGroup) -> tuple[bool, bool]:
    """(in the denominator, in the numerator) of `target` for one attribution. For a count
    target only the numerator matters."""
    category = target.category
    if category in CRITERION_OF:
        return True, CRITERION_OF[QuotaCategory(category)] in item.criteria
    if category == QuotaCategory.COLLECTIVE_AGREEMENT:
        return True, target.programme in item.programmes
    if category == QuotaCategory.FIRST_QUARTILE_OUTSIDE_QPV:
        return (not item.is_qpv), (not item.is_qpv) and item.first_quartile is True
    if category == QuotaCategory.NON_FIRST_QUARTILE_IN_QPV:
        return item.is_qpv, item.is_qpv and item.first_quartile is False
    if category == QuotaCategory.PRIORITY_PER_RESERVATAIRE:
        if target.partner_id is None:
            on_flow = item.flow == Flow.LANDLORD
        else:
            on_flow = item.flow == Flow.RESERVATAIRE and item.partner_id == target.partner_id
        return on_flow, on_flow and item.is_priority
    if category == QuotaCategory.PREFET_SHARE:
        return True, item.flow == Flow.RESERVATAIRE and item.partner_kind == PREFECTURE
    return False, False


# --- Targets vs achieved -------------------------------------------------------------------------


@dataclass
class Progress:
    target: QuotaTarget
    numerator: int
    denominator: int
    achieved: Decimal | None  # count, or % of the denominator
    gap: Decimal | None  # still to reach (at least) / over the ceiling (at most)
    households_missing: int | None
    projection: Decimal | None  # at year end at the current pace
    status: str
    counted: list[Counted] = field(default_factory=list)

    @property
    def alert(self) -> bool:
        return self.status in (TargetStatus.BEHIND, TargetStatus.EXCEEDED)

    @property
    def status_label(self) -> str:
        return str(TargetStatus(self.status).label)

    @property
    def is_percent(self) -> bool:
        return self.target.kind == TargetKind.PERCENT


def _elapsed_share(year: int, on: datetime.date) -> tuple[int, int]:
    start, end = _year_range(year)
    total = (end - start).days + 1
    if on < start:
        return 0, total
    return min((on - start).days + 1, total), total


def evaluate(
    target: QuotaTarget, items: list[Counted] | list[AttributionGroup], on: datetime.date
) -> Progress:
    """Achieved, gap, projection and status of one target over the year's attributions (rows,
    or groups of them: `Progress.counted` lists the rows only)."""
    numerator = 0
    denominator = 0
    counted = []
    for item in items:
        in_den, in_num = membership(target, item)
        if in_den:
            denominator += item.weight
        if in_num:
            numerator += item.weight
            if isinstance(item, Counted):
                counted.append(item)
    value = Decimal(target.value)
    elapsed, total = _elapsed_share(target.year, on)
    at_least = target.direction == Direction.AT_LEAST
    if target.kind == TargetKind.COUNT:
        achieved: Decimal | None = Decimal(numerator)
        projection = (
            (Decimal(numerator) * total / elapsed).quantize(ONE, rounding=ROUND_HALF_UP)
            if elapsed
            else None
        )
        if at_least:
            gap = max(value - numerator, Decimal(0))
            missing = math.ceil(gap)
            if numerator >= value:
                status = TargetStatus.MET
            elif projection is not None and projection >= value:
                status = TargetStatus.ON_TRACK
            else:
                status = TargetStatus.BEHIND
        else:
            gap = max(numerator - value, Decimal(0))
            missing = None
            # A ceiling on a count: exceeded as soon as it is; met once the year is over
            # without exceeding it, on track until then (more may still come).
            if numerator > value:
                status = TargetStatus.EXCEEDED
            elif elapsed >= total:
                status = TargetStatus.MET
            else:
                status = TargetStatus.ON_TRACK
    else:
        achieved = _pct(numerator, denominator)
        projection = achieved  # a share keeps its value at the current pace
        if achieved is None:
            return Progress(target, 0, 0, None, None, None, None, TargetStatus.NO_DATA, counted)
        if at_least:
            gap = max(value - achieved, Decimal(0))
            missing = max(math.ceil(value * denominator / 100) - numerator, 0)
            status = TargetStatus.MET if achieved >= value else TargetStatus.BEHIND
        else:
            gap = max(achieved - value, Decimal(0))
            missing = None
            status = TargetStatus.EXCEEDED if achieved > value else TargetStatus.MET
    return Progress(
        target, numerator, denominator, achieved, gap, missing, projection, status, counted
    )


def target_list(*, organization: Any, territory: Any = None, year: int | None = None) -> QuerySet:
    qs = QuotaTarget.objects.for_organization(organization).select_related("territory", "partner")
    if territory is not None:
        qs = qs.filter(territory=territory)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("territory__name", "year", "category", "programme", "pk")


@dataclass
class Dashboard:
    territory: Any
    year: int
    on: datetime.date
    attributions: int
    progress: list[Progress]
    thresholds: dict = field(default_factory=dict)

    @property
    def alerts(self) -> list[Progress]:
        return [p for p in self.progress if p.alert]


def quota_dashboard(
    *,
    organization: Any,
    territory: Any,
    year: int,
    on: datetime.date | None = None,
    count_without_targets: bool = True,
    with_households: bool = True,
) -> Dashboard:
    """Every target of the territory and year against the attributions signed up to `on`
    (today; the year's end for a past year). With the households counted (`Progress.counted`):
    5 queries. `with_households=False` (the dashboard page, the candidate's contributions):
    the figures only, the attributions counted by groups in SQL (`attribution_groups`) — 3
    queries, and no row loaded per attribution."""
    on = min(on or timezone.localdate(), datetime.date(year, 12, 31))
    with_households = with_households or not _counts_in_sql()
    targets = list(target_list(organization=organization, territory=territory, year=year))
    counting = bool(targets) or count_without_targets
    thresholds = _thresholds(organization, year) if counting else {}
    items: list[Counted] | list[AttributionGroup] = []
    if counting and with_households:
        items = counted_attributions(
            organization=organization,
            year=year,
            territory=territory,
            until=on,
            thresholds=thresholds,
        )
    elif counting:
        territory_id = getattr(territory, "pk", territory)
        items = attribution_groups(
            organization=organization,
            territory_ids=[territory_id],
            years=[year],
            on=on,
            thresholds={year: thresholds},
        ).get((territory_id, year), [])
    return Dashboard(
        territory=territory,
        year=year,
        on=on,
        attributions=sum(i.weight for i in items),
        progress=[evaluate(t, items, on) for t in targets],
        thresholds=thresholds,
    )


def progress_for_targets(
    *,
    organization: Any,
    targets: list[QuotaTarget],
    on: datetime.date | None = None,
    with_households: bool = True,
) -> dict[int, Progress]:
    """Achieved values of arbitrary targets (API, home panel, report): with the households
    counted, one computation per (territory, year); `with_households=False`, the figures only,
    every (territory, year) counted in one SQL query (`attribution_groups`)."""
    today = on or timezone.localdate()
    if not with_households and _counts_in_sql():
        groups = attribution_groups(
            organization=organization,
            territory_ids=[t.territory_id for t in targets],
            years=[t.year for t in targets],
            on=today,
        )
        return {
            t.pk: evaluate(
                t,
                groups.get((t.territory_id, t.year), []),
                min(today, datetime.date(t.year, 12, 31)),
            )
            for t in targets
        }
    cache: dict[tuple[int, int], list[Counted]] = {}
    result = {}
    for target in targets:
        key = (target.territory_id, target.year)
        when = min(today, datetime.date(target.year, 12, 31))
        if key not in cache:
            cache[key] = counted_attributions(
                organization=organization,
                year=target.year,
                territory=target.territory_id,
                until=when,
            )
        result[target.pk] = evaluate(target, cache[key], when)
    return result


def home_alerts(*, organization: Any, today: datetime.date) -> list[Progress]:
    """Targets of the current year falling behind, every territory."""
    targets = list(target_list(organization=organization, year=today.year))
    progress = progress_for_targets(
        organization=organization, targets=targets, on=today, with_households=False
    )
    return [p for p in progress.values() if p.alert]


# --- The candidate's contributions ---------------------------------------------------------------


@dataclass
class Contribution:
    progress: Progress
    counts: bool  # the candidate would count toward the target (numerator)
    dilutes: bool  # in the denominator only: an attribution would lower the share

    @property
    def label(self) -> str:
        return self.progress.target.label


def candidate_facts(
    *,
    organization: Any,
    application: Any,
    dwelling: Any,
    session_dwelling: Any = None,
    year: int,
    with_programmes: bool = True,
    thresholds: dict | None = None,
    programmes: set[str] | None = None,
) -> Counted:
    """What an attribution of `dwelling` to `application` would count toward. `programmes`:
    the demand's programme labels when the caller read them (`programmes_by_application`)."""
    residence = dwelling.residence
    if thresholds is None:
        thresholds = _thresholds(organization, year)
    partner = session_dwelling.reserving_partner if session_dwelling is not None else None
    if not with_programmes:
        programmes = set()
    elif programmes is None:
        programmes = set(
            ProgrammeLabel.objects.for_organization(organization)
            .filter(application=application)
            .values_list("programme", flat=True)
        )
    return Counted(
        signed_on=None,
        household_public_id=None,
        household_name="",
        registration_number=application.registration_number,
        application_id=application.pk,
        dwelling_reference=dwelling.reference,
        dwelling_id=dwelling.pk,
        is_qpv=residence.is_qpv,
        flow=session_dwelling.flow if session_dwelling is not None else Flow.LANDLORD,
        partner_id=partner.pk if partner is not None else None,
        partner_kind=partner.kind if partner is not None else "",
        partner_name=partner.name if partner is not None else "",
        criteria={p.criterion for p in application.priorities.all()},
        programmes=programmes,
        verified_income_per_uc=_per_uc(
            application.verified_annual_income, application.adults, application.children
        ),
        declared_income_per_uc=_per_uc(
            application.declared_annual_income, application.adults, application.children
        ),
        quartile_threshold=_threshold(thresholds, residence.epci_code, application.epci_code),
    )


def programmes_by_application(*, organization: Any, application_ids: Any) -> dict[int, set[str]]:
    """The programme labels of several demands in one query (a page of candidates)."""
    found: dict[int, set[str]] = {pk: set() for pk in application_ids}
    for application_id, programme in (
        ProgrammeLabel.objects.for_organization(organization)
        .filter(application_id__in=sorted(found))
        .values_list("application_id", "programme")
    ):
        found[application_id].add(programme)
    return found


def quota_contributions(
    *,
    organization: Any,
    application: Any,
    dwelling: Any,
    year: int | None = None,
    session_dwelling: Any = None,
    dashboard: Dashboard | None = None,
    programmes: set[str] | None = None,
) -> list[Contribution]:
    """The targets of the dwelling's territory and year that an attribution to this candidate
    would count toward (or dilute), each with how far it is. Pass `dashboard` to compute the
    targets once for many candidates, and `programmes` (the demand's labels) when they were
    read for all of them."""
    year = year or timezone.localdate().year
    if dashboard is None:
        dashboard = quota_dashboard(
            organization=organization, territory=dwelling.residence.territory_id, year=year
        )
    if not dashboard.progress:
        return []
    needs_programmes = any(
        p.target.category == QuotaCategory.COLLECTIVE_AGREEMENT for p in dashboard.progress
    )
    facts = candidate_facts(
        organization=organization,
        application=application,
        dwelling=dwelling,
        session_dwelling=session_dwelling,
        year=year,
        with_programmes=needs_programmes,
        thresholds=dashboard.thresholds,
        programmes=programmes,
    )
    found = []
    for progress in dashboard.progress:
        in_den, in_num = membership(progress.target, facts)
        if in_num:
            found.append(Contribution(progress, counts=True, dilutes=False))
        elif (
            in_den
            and progress.target.kind == TargetKind.PERCENT
            and (progress.target.direction == Direction.AT_LEAST)
        ):
            found.append(Contribution(progress, counts=False, dilutes=True))
    return found


# --- Agreements and the yearly review per réservataire -------------------------------------------


def agreement_list(*, organization: Any, year: int | None = None) -> QuerySet:
    qs = ReservationAgreement.objects.for_organization(organization).select_related(
        "partner", "territory"
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "territory__name", "partner__name")


def agreement_exclusions(*, organization: Any, agreement: Any) -> QuerySet:
    return (
        ExcludedDwelling.objects.for_organization(organization)
        .filter(agreement=agreement)
        .select_related("dwelling__residence")
    )


@dataclass
class ReviewRow:
    dwelling_reference: str
    residence: str
    session_date: datetime.date
    candidates: int
    attributed_to: str
    signed_on: datetime.date | None
    priority: bool
    dalo: bool


def reservation_review(*, organization: Any, agreement: ReservationAgreement) -> dict[str, Any]:
    """Bilan annuel: the dwellings of the réservataire's flow examined in the year's sessions
    on the territory, their candidates, the attributions (the one definition) and the priority
    households among them. 3 queries."""
    year = agreement.year
    dwellings = list(
        SessionDwelling.objects.for_organization(organization)
        .filter(
            flow=Flow.RESERVATAIRE,
            reserving_partner=agreement.partner_id,
            session__scheduled_at__year=year,
            dwelling__residence__territory=agreement.territory_id,
        )
        .select_related("dwelling__residence", "session")
        .order_by("session__scheduled_at", "position", "pk")
    )
    candidates: dict[int, int] = defaultdict(int)
    for sd_id in (
        Candidacy.objects.for_organization(organization)
        .filter(session_dwelling__in=[d.pk for d in dwellings])
        .values_list("session_dwelling_id", flat=True)
    ):
        candidates[sd_id] += 1
    items = counted_attributions(
        organization=organization, year=year, territory=agreement.territory_id
    )
    attributed = [
        i for i in items if i.flow == Flow.RESERVATAIRE and i.partner_id == agreement.partner_id
    ]
    by_dwelling = {i.dwelling_id: i for i in attributed}
    rows = []
    for sd in dwellings:
        item = by_dwelling.get(sd.dwelling_id)
        rows.append(
            ReviewRow(
                dwelling_reference=sd.dwelling.reference,
                residence=sd.dwelling.residence.name,
                session_date=timezone.localtime(sd.session.scheduled_at).date(),
                candidates=candidates[sd.pk],
                attributed_to=item.registration_number if item else "",
                signed_on=item.signed_on if item else None,
                priority=bool(item and item.is_priority),
                dalo=bool(item and "dalo" in item.criteria),
            )
        )
    priority = sum(1 for i in attributed if i.is_priority)
    dalo = sum(1 for i in attributed if "dalo" in i.criteria)
    return {
        "agreement": agreement,
        "rows": rows,
        "proposed": len(dwellings),
        "candidates": sum(candidates.values()),
        "attributions": len(attributed),
        "priority": priority,
        "dalo": dalo,
        "priority_share": _pct(priority, len(attributed)),
        "all_attributions": len(items),
        "excluded": list(agreement_exclusions(organization=organization, agreement=agreement)),
        "flow_share_achieved": _pct(len(attributed), len(items)),
    }
