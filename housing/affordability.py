"""Affordability and occupancy: effort rate (taux d'effort), residual income (reste à vivre)
and occupancy norms (sur / sous-occupation), for a household in its current dwelling or in any
candidate dwelling (the allocation assistant calls these with a candidate dwelling).

Each indicator has a pure function on amounts (tested with the arithmetic written out) and a
function on a household and a dwelling that gathers the amounts and the organisation's settings
(housing/parameters.py) as they applied on a date. Decimal throughout; the rounding is stated
in each docstring and applied once, at the end.

Query cost: `AffordabilitySettings.load()` is one query; the household functions read
`household.members.all()`, `person.incomes.all()` and `household.leases.all()`, so a list that
prefetches them (selectors.household_list_for_api) computes indicators at constant cost.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from core.parameters import parameter, registry
from housing.enums import Typology

ZERO = Decimal("0")
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
HUNDRED = Decimal("100")

# Effort-rate levels.
OK, WARNING, ALERT, UNKNOWN = "ok", "warning", "alert", "unknown"
LEVEL_LABELS = {
    OK: "Soutenable",
    WARNING: "Vigilance",
    ALERT: "Alerte",
    UNKNOWN: "Non calculable (ressources nulles)",
}
# Occupancy statuses.
NORMAL, UNDER, OVER = "normal", "under", "over"
OCCUPANCY_LABELS = {NORMAL: "Occupation normale", UNDER: "Sous-occupation", OVER: "Sur-occupation"}


# --- Settings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AffordabilitySettings:
    """The housing settings in force for an organisation on a date (one query to load)."""

    effort_rate_warning: Decimal = Decimal("25")
    effort_rate_alert: Decimal = Decimal("30")
    flat_charge_water: Decimal = Decimal("25.00")
    flat_charge_heating: Decimal = Decimal("55.00")
    residual_income_period: str = "day"
    days_per_month: Decimal = Decimal("30")
    cu_first_person: Decimal = Decimal("1")
    cu_other_14_plus: Decimal = Decimal("0.5")
    cu_under_14: Decimal = Decimal("0.3")
    cu_age_threshold: int = 14
    under_occupation_margin: int = 1
    max_persons_per_room: Decimal = Decimal("2")
    min_surface_one_person: Decimal = Decimal("9")
    min_surface_two_persons: Decimal = Decimal("16")
    min_surface_per_extra_person: Decimal = Decimal("9")

    @classmethod
    def defaults(cls) -> AffordabilitySettings:
        """The declared defaults (code, not data): parsed once per process. Callers that
        compute for many rows without settings (quotas' income per consumption unit of every
        attribution) parsed the fifteen declarations for each row."""
        return _declared_defaults()

    @classmethod
    def from_values(cls, stored: dict[str, Any]) -> AffordabilitySettings:
        values = {}
        for name in cls.__dataclass_fields__:
            definition = parameter(f"housing.{name}")
            raw = stored.get(f"housing.{name}", definition.default)
            values[name] = definition.parse(raw)
        return cls(**values)

    @classmethod
    def load(cls, *, organization: Any, on: datetime.date | None = None) -> AffordabilitySettings:
        """The versions applying on `on` (today by default), in one query."""
        from core.models import ParameterValue

        on = on or timezone.localdate()
        keys = [f"housing.{name}" for name in cls.__dataclass_fields__]
        registry()  # make sure the declarations are loaded
        stored: dict[str, Any] = {}
        rows = (
            ParameterValue.objects.filter(
                organization_id=getattr(organization, "pk", organization),
                key__in=keys,
                valid_from__lte=on,
            )
            .order_by("key", "-valid_from")
            .values_list("key", "value")
        )
        for key, value in rows:
            stored.setdefault(key, value)
        return cls.from_values(stored)


@functools.cache
def _declared_defaults() -> AffordabilitySettings:
    return AffordabilitySettings.from_values({})


# --- Effort rate --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffortResult:
    rate: Decimal | None  # percent, one decimal; None when resources are nil
    level: str
    resources: Decimal
    rent: Decimal
    annex_rent: Decimal
    charges: Decimal
    energy_contribution: Decimal
    flat_charges: Decimal
    housing_benefit: Decimal
    housing_cost: Decimal  # before housing benefit
    net_housing_cost: Decimal  # after housing benefit, never below 0
    warning_threshold: Decimal
    alert_threshold: Decimal

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


def _money(value: Any) -> Decimal:
    return ZERO if value in (None, "") else Decimal(str(value))


def flat_charges_for(
    *, individual_water: bool, individual_heating: bool, settings: AffordabilitySettings
) -> Decimal:
    """The flat amounts added to the housing cost when water or heating is individually
    metered (they are then not in the recoverable charges)."""
    total = ZERO
    if individual_water:
        total += settings.flat_charge_water
    if individual_heating:
        total += settings.flat_charge_heating
    return total


def effort_rate_from_amounts(
    *,
    resources: Decimal,
    rent: Decimal,
    charges: Decimal = ZERO,
    annex_rent: Decimal = ZERO,
    energy_contribution: Decimal = ZERO,
    flat_charges: Decimal = ZERO,
    housing_benefit: Decimal = ZERO,
    warning_threshold: Decimal = Decimal("25"),
    alert_threshold: Decimal = Decimal("30"),
) -> EffortResult:
    """Taux d'effort (arrêté du 10 mars 2011), all amounts monthly:

        housing cost     = rent + annex rent + recoverable charges + energy contribution
                           + flat charges (water / heating individually metered)
        net housing cost = max(0, housing cost − housing benefit)
        effort rate (%)  = net housing cost ÷ resources × 100

    Rounded once, at the end, to 0.1 point, half up (ROUND_HALF_UP). `rate` is None (level
    "unknown") when resources are nil. Level: "alert" when rate ≥ alert threshold, "warning"
    when rate ≥ warning threshold, else "ok".
    """
    rent, charges, annex_rent = _money(rent), _money(charges), _money(annex_rent)
    energy_contribution, flat_charges = _money(energy_contribution), _money(flat_charges)
    housing_benefit, resources = _money(housing_benefit), _money(resources)
    housing_cost = rent + annex_rent + charges + energy_contribution + flat_charges
    net = max(ZERO, housing_cost - housing_benefit)
    if resources <= ZERO:
        rate, level = None, UNKNOWN
    else:
        rate = (net / resources * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)
        if rate >= alert_threshold:
            level = ALERT
        elif rate >= warning_threshold:
            level = WARNING
        else:
            level = OK
    return EffortResult(
        rate=rate,
        level=level,
        resources=resources,
        rent=rent,
        annex_rent=annex_rent,
        charges=charges,
        energy_contribution=energy_contribution,
        flat_charges=flat_charges,
        housing_benefit=housing_benefit,
        housing_cost=housing_cost,
        net_housing_cost=net,
        warning_threshold=warning_threshold,
        alert_threshold=alert_threshold,
    )


# --- Household facts ---------------------------------------------------------------------------


def age_on(birth_date: datetime.date | None, on: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def income_applies(income: Any, on: datetime.date) -> bool:
    return (income.valid_from is None or income.valid_from <= on) and (
        income.valid_until is None or income.valid_until >= on
    )


def household_resources(*, household: Any, on: datetime.date | None = None) -> Decimal:
    """Monthly resources of the people living in the household on `on`: every member's
    incomes valid that day (verified amount when known, else declared). Housing benefit is
    not a resource (it is deducted from the housing cost)."""
    on = on or timezone.localdate()
    return sum(
        (
            income.monthly_amount
            for person in household.members.all()
            for income in person.incomes.all()
            if income_applies(income, on)
        ),
        ZERO,
    )


def household_ages(*, household: Any, on: datetime.date | None = None) -> list[int | None]:
    on = on or timezone.localdate()
    return [age_on(person.birth_date, on) for person in household.members.all()]


def current_lease(household: Any) -> Any:
    """The household's current lease (no end date), from `household.leases.all()`."""
    current = [lease for lease in household.leases.all() if lease.end_date is None]
    return max(current, key=lambda lease: lease.start_date) if current else None


def current_dwelling(household: Any) -> Any:
    lease = current_lease(household)
    return lease.dwelling if lease else None


def _resolve(
    household: Any, dwelling: Any, organization: Any, on: Any, settings: Any
) -> tuple[Any, datetime.date, AffordabilitySettings]:
    on = on or timezone.localdate()
    if dwelling is None:
        dwelling = current_dwelling(household)
    if settings is None:
        settings = AffordabilitySettings.load(organization=organization, on=on)
    return dwelling, on, settings


def effort_rate(
    *,
    household: Any,
    dwelling: Any = None,
    organization: Any,
    on: datetime.date | None = None,
    housing_benefit: Decimal | None = None,
    settings: AffordabilitySettings | None = None,
) -> EffortResult | None:
    """The household's effort rate in `dwelling` (its current dwelling when None; None when it
    has none). `housing_benefit` overrides the household's current benefit (an estimate for a
    candidate dwelling). Formula and rounding: `effort_rate_from_amounts`."""
    dwelling, on, settings = _resolve(household, dwelling, organization, on, settings)
    if dwelling is None:
        return None
    return effort_rate_from_amounts(
        resources=household_resources(household=household, on=on),
        rent=dwelling.rent,
        annex_rent=dwelling.annex_rent,
        charges=dwelling.charges,
        energy_contribution=dwelling.energy_contribution,
        flat_charges=flat_charges_for(
            individual_water=dwelling.individual_water,
            individual_heating=dwelling.individual_heating,
            settings=settings,
        ),
        housing_benefit=household.housing_benefit if housing_benefit is None else housing_benefit,
        warning_threshold=settings.effort_rate_warning,
        alert_threshold=settings.effort_rate_alert,
    )


# --- Residual income ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidualIncomeResult:
    amount: Decimal  # per consumption unit, per period, rounded to the cent
    period: str  # "day" or "month"
    consumption_units: Decimal
    resources: Decimal
    net_housing_cost: Decimal

    @property
    def period_label(self) -> str:
        return "par jour et par UC" if self.period == "day" else "par mois et par UC"


def consumption_units(
    *, ages: list[int | None], settings: AffordabilitySettings | None = None
) -> Decimal:
    """Consumption units (default: modified OECD scale): the first person counts
    `cu_first_person` (1), each other person aged `cu_age_threshold` (14) or more
    `cu_other_14_plus` (0.5), each younger one `cu_under_14` (0.3). The first person is the
    oldest; a person whose birth date is unknown counts as 14 or more. No rounding."""
    settings = settings or AffordabilitySettings.defaults()
    if not ages:
        return ZERO
    known = sorted((a if a is not None else 999 for a in ages), reverse=True)
    units = settings.cu_first_person
    for age in known[1:]:
        units += (
            settings.cu_other_14_plus if age >= settings.cu_age_threshold else settings.cu_under_14
        )
    return units


def residual_income_from_amounts(
    *,
    resources: Decimal,
    net_housing_cost: Decimal,
    consumption_units: Decimal,
    period: str = "day",
    days_per_month: Decimal = Decimal("30"),
) -> ResidualIncomeResult:
    """Reste à vivre (no legal formula; the organisation's settings), all amounts monthly:

        per month = (resources − net housing cost) ÷ consumption units
        per day   = per month ÷ days per month (30 by default)

    Rounded once, at the end, to the cent, half up. It may be negative. With no consumption
    unit (no member), the amount is 0.
    """
    resources, net_housing_cost = _money(resources), _money(net_housing_cost)
    if period not in ("day", "month"):
        raise ValueError(f"Unknown residual income period {period!r}")
    if consumption_units <= ZERO:
        amount = ZERO
    else:
        amount = (resources - net_housing_cost) / consumption_units
        if period == "day":
            amount = amount / Decimal(days_per_month)
    return ResidualIncomeResult(
        amount=amount.quantize(CENT, rounding=ROUND_HALF_UP),
        period=period,
        consumption_units=consumption_units,
        resources=resources,
        net_housing_cost=net_housing_cost,
    )


def residual_income(
    *,
    household: Any,
    dwelling: Any = None,
    organization: Any,
    on: datetime.date | None = None,
    housing_benefit: Decimal | None = None,
    settings: AffordabilitySettings | None = None,
) -> ResidualIncomeResult | None:
    """The household's residual income in `dwelling` (its current dwelling when None; None when
    it has none): net housing cost as in `effort_rate`, consumption units from the members'
    ages on `on`. Formula and rounding: `residual_income_from_amounts`."""
    dwelling, on, settings = _resolve(household, dwelling, organization, on, settings)
    if dwelling is None:
        return None
    effort = effort_rate(
        household=household,
        dwelling=dwelling,
        organization=organization,
        on=on,
        housing_benefit=housing_benefit,
        settings=settings,
    )
    assert effort is not None
    return residual_income_from_amounts(
        resources=effort.resources,
        net_housing_cost=effort.net_housing_cost,
        consumption_units=consumption_units(
            ages=household_ages(household=household, on=on), settings=settings
        ),
        period=settings.residual_income_period,
        days_per_month=settings.days_per_month,
    )


# --- Occupancy ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OccupancyResult:
    status: str  # normal, under, over
    rooms: int
    persons: int
    surface: Decimal
    minimum_surface: Decimal
    reason: str

    @property
    def label(self) -> str:
        return OCCUPANCY_LABELS[self.status]


def rooms_of(typology: str) -> int:
    """Main rooms of a typology: T1 → 1 … T6 (« T6 et plus ») → 6."""
    if typology not in Typology.values:
        raise ValueError(f"Unknown typology {typology!r}")
    return int(typology[1:])


def minimum_surface(persons: int, settings: AffordabilitySettings | None = None) -> Decimal:
    """Minimum surface for `persons` occupants (CCH R822-25 by default): 9 m² for one,
    16 m² for two, + 9 m² per further person."""
    settings = settings or AffordabilitySettings.defaults()
    if persons <= 0:
        return ZERO
    if persons == 1:
        return settings.min_surface_one_person
    return settings.min_surface_two_persons + settings.min_surface_per_extra_person * (persons - 2)


def occupancy_from_facts(
    *,
    typology: str,
    surface: Decimal,
    persons: int,
    settings: AffordabilitySettings | None = None,
) -> OccupancyResult:
    """Occupancy norms, from the dwelling's typology (rooms) and surface and the number of
    occupants:

    - over-occupation when surface < minimum surface for the occupants (see
      `minimum_surface`) or occupants > rooms × `max_persons_per_room` (2);
    - under-occupation when rooms > occupants + `under_occupation_margin` (CCH L621-2: 1);
    - otherwise normal. Over-occupation wins when both could apply. No rounding involved.
    """
    settings = settings or AffordabilitySettings.defaults()
    rooms = rooms_of(typology)
    surface = _money(surface)
    needed = minimum_surface(persons, settings)
    if persons > 0 and surface < needed:
        status = OVER
        reason = f"{surface} m² pour {persons} personne(s) : minimum {needed} m²"
    elif Decimal(persons) > rooms * settings.max_persons_per_room:
        status = OVER
        reason = (
            f"{persons} personnes pour {rooms} pièce(s) : au plus "
            f"{settings.max_persons_per_room.normalize()} par pièce"
        )
    elif rooms > persons + settings.under_occupation_margin:
        status = UNDER
        reason = (
            f"{rooms} pièce(s) pour {persons} personne(s) : plus de "
            f"{persons + settings.under_occupation_margin} pièce(s)"
        )
    else:
        status = NORMAL
        reason = f"{rooms} pièce(s) pour {persons} personne(s)"
    return OccupancyResult(
        status=status,
        rooms=rooms,
        persons=persons,
        surface=surface,
        minimum_surface=needed,
        reason=reason,
    )


def occupancy(
    *,
    household: Any,
    dwelling: Any = None,
    organization: Any,
    on: datetime.date | None = None,
    settings: AffordabilitySettings | None = None,
) -> OccupancyResult | None:
    """Occupancy of `dwelling` (the current one when None; None when there is none) by the
    household's members. See `occupancy_from_facts`."""
    dwelling, on, settings = _resolve(household, dwelling, organization, on, settings)
    if dwelling is None:
        return None
    return occupancy_from_facts(
        typology=dwelling.typology,
        surface=dwelling.surface,
        persons=len(household.members.all()),
        settings=settings,
    )


@dataclass(frozen=True)
class Indicators:
    effort: EffortResult | None
    residual: ResidualIncomeResult | None
    occupancy: OccupancyResult | None
    resources: Decimal
    consumption_units: Decimal


def household_indicators(
    *,
    household: Any,
    dwelling: Any = None,
    organization: Any,
    on: datetime.date | None = None,
    settings: AffordabilitySettings | None = None,
) -> Indicators:
    """All three indicators at once (the household file, the API, the candidate assistant)."""
    dwelling, on, settings = _resolve(household, dwelling, organization, on, settings)
    kwargs = {
        "household": household,
        "dwelling": dwelling,
        "organization": organization,
        "on": on,
        "settings": settings,
    }
    return Indicators(
        effort=effort_rate(**kwargs) if dwelling else None,
        residual=residual_income(**kwargs) if dwelling else None,
        occupancy=occupancy(**kwargs) if dwelling else None,
        resources=household_resources(household=household, on=on),
        consumption_units=consumption_units(
            ages=household_ages(household=household, on=on), settings=settings
        ),
    )
