"""Effort rate, residual income and occupancy, with the arithmetic written out."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from core.models import ParameterValue
from housing import affordability
from housing.affordability import (
    AffordabilitySettings,
    consumption_units,
    effort_rate_from_amounts,
    minimum_surface,
    occupancy_from_facts,
    residual_income_from_amounts,
)
from tests.housing.factories import DwellingFactory, IncomeFactory, LeaseFactory, PersonFactory

D = Decimal


def test_effort_rate_formula_with_every_term() -> None:
    # (420 + 30 + 110 + 10 + 0 − 200) = 370 ; 370 ÷ 1 480 × 100 = 25,0 %
    result = effort_rate_from_amounts(
        resources=D("1480"),
        rent=D("420"),
        annex_rent=D("30"),
        charges=D("110"),
        energy_contribution=D("10"),
        housing_benefit=D("200"),
    )
    assert result.housing_cost == D("570")
    assert result.net_housing_cost == D("370")
    assert result.rate == D("25.0")
    assert result.level == "warning"  # 25,0 ≥ 25 (vigilance), < 30


def test_effort_rate_rounds_half_up_to_one_decimal() -> None:
    # 100 ÷ 1 600 × 100 = 6,25 → 6,3 (half up); 100 ÷ 3 000 × 100 = 3,333… → 3,3
    assert effort_rate_from_amounts(resources=D("1600"), rent=D("100")).rate == D("6.3")
    assert effort_rate_from_amounts(resources=D("3000"), rent=D("100")).rate == D("3.3")


def test_effort_rate_levels_follow_thresholds() -> None:
    # 300 ÷ 1 000 = 30,0 % → alert ; 249 ÷ 1 000 = 24,9 % → ok
    assert effort_rate_from_amounts(resources=D("1000"), rent=D("300")).level == "alert"
    assert effort_rate_from_amounts(resources=D("1000"), rent=D("249")).level == "ok"
    custom = effort_rate_from_amounts(
        resources=D("1000"), rent=D("249"), warning_threshold=D("20"), alert_threshold=D("35")
    )
    assert custom.level == "warning"


def test_effort_rate_flat_charges_are_added() -> None:
    # 400 + 50 charges + 25 (water) + 55 (heating) = 530 ; 530 ÷ 2 000 = 26,5 %
    settings = AffordabilitySettings.defaults()
    flat = affordability.flat_charges_for(
        individual_water=True, individual_heating=True, settings=settings
    )
    assert flat == D("80.00")
    result = effort_rate_from_amounts(
        resources=D("2000"), rent=D("400"), charges=D("50"), flat_charges=flat
    )
    assert result.rate == D("26.5")


def test_effort_rate_is_unknown_without_resources_and_never_negative() -> None:
    assert effort_rate_from_amounts(resources=D("0"), rent=D("300")).rate is None
    assert effort_rate_from_amounts(resources=D("0"), rent=D("300")).level == "unknown"
    # Benefit above the cost: the net cost is 0, not negative.
    result = effort_rate_from_amounts(resources=D("800"), rent=D("200"), housing_benefit=D("250"))
    assert result.net_housing_cost == D("0")
    assert result.rate == D("0.0")


def test_consumption_units_oecd_scale() -> None:
    # Couple (40, 38) + children 15 and 8: 1 + 0,5 + 0,5 + 0,3 = 2,3
    assert consumption_units(ages=[40, 38, 15, 8]) == D("2.3")
    # Single parent (30) + child 13 and child 14: 1 + 0,3 + 0,5 = 1,8
    assert consumption_units(ages=[30, 13, 14]) == D("1.8")
    # Unknown birth date counts as 14 or more: 1 + 0,5
    assert consumption_units(ages=[None, 60]) == D("1.5")
    assert consumption_units(ages=[]) == D("0")


def test_residual_income_per_day_and_per_month() -> None:
    # (1 800 − 400) ÷ 2,3 UC = 608,695… → per month 608,70 ; per day ÷ 30 = 20,289… → 20,29
    month = residual_income_from_amounts(
        resources=D("1800"), net_housing_cost=D("400"), consumption_units=D("2.3"), period="month"
    )
    assert month.amount == D("608.70")
    day = residual_income_from_amounts(
        resources=D("1800"), net_housing_cost=D("400"), consumption_units=D("2.3"), period="day"
    )
    assert day.amount == D("20.29")


def test_residual_income_can_be_negative_and_is_zero_without_members() -> None:
    # (300 − 450) ÷ 1 = −150 per month
    assert residual_income_from_amounts(
        resources=D("300"), net_housing_cost=D("450"), consumption_units=D("1"), period="month"
    ).amount == D("-150.00")
    assert residual_income_from_amounts(
        resources=D("300"), net_housing_cost=D("0"), consumption_units=D("0")
    ).amount == D("0.00")


@pytest.mark.parametrize(
    ("typology", "surface", "persons", "status"),
    [
        ("T3", D("65"), 3, "normal"),  # 3 rooms ≤ 3 + 1 ; 65 ≥ 16 + 9 = 25 m²
        ("T4", D("80"), 2, "under"),  # 4 rooms > 2 + 1
        ("T5", D("95"), 1, "under"),  # 5 rooms > 1 + 1
        ("T2", D("45"), 5, "over"),  # 5 persons > 2 rooms × 2
        ("T1", D("14"), 2, "over"),  # 14 m² < 16 m² for two
        ("T1", D("9"), 1, "normal"),  # 9 m² ≥ 9 m² ; 1 room ≤ 1 + 1
        ("T2", D("30"), 1, "normal"),  # 2 rooms ≤ 1 + 1
    ],
)
def test_occupancy_norms(typology: str, surface: Decimal, persons: int, status: str) -> None:
    assert (
        occupancy_from_facts(typology=typology, surface=surface, persons=persons).status == status
    )


def test_minimum_surface() -> None:
    # 1 → 9 ; 2 → 16 ; 4 → 16 + 2 × 9 = 34
    assert minimum_surface(1) == D("9")
    assert minimum_surface(2) == D("16")
    assert minimum_surface(4) == D("34")


def test_occupancy_margin_is_a_setting() -> None:
    strict = AffordabilitySettings.from_values({"housing.under_occupation_margin": 0})
    # T3 for 2: 3 > 2 + 0 → under with margin 0, normal with the default margin 1
    assert occupancy_from_facts(typology="T3", surface=D("60"), persons=2).status == "normal"
    assert (
        occupancy_from_facts(typology="T3", surface=D("60"), persons=2, settings=strict).status
        == "under"
    )


@pytest.mark.django_db
def test_household_indicators_in_current_and_candidate_dwelling(org, in_org) -> None:
    lease = LeaseFactory(
        organization=org,
        dwelling__rent=D("400.00"),
        dwelling__charges=D("100.00"),
        dwelling__typology="T3",
        household__housing_benefit=D("150.00"),
    )
    household = lease.household
    adult = PersonFactory(
        organization=org, household=household, birth_date=datetime.date(1980, 1, 1)
    )
    PersonFactory(
        organization=org,
        household=household,
        relationship="child",
        birth_date=datetime.date(2018, 1, 1),
    )
    IncomeFactory(organization=org, person=adult, declared_monthly_amount=D("1200.00"))
    IncomeFactory(
        organization=org,
        person=adult,
        kind="family",
        declared_monthly_amount=D("300.00"),
        verified_monthly_amount=D("250.00"),
    )
    candidate = DwellingFactory(
        organization=org, rent=D("500.00"), charges=D("120.00"), individual_heating=True
    )
    on = datetime.date(2026, 6, 1)
    with in_org(org):
        effort = affordability.effort_rate(household=household, organization=org, on=on)
        # Resources 1 200 + 250 (verified wins) = 1 450 ; (400 + 100 − 150) = 350 ; 350 ÷ 1 450
        # = 24,137… → 24,1 %
        assert effort.resources == D("1450.00")
        assert effort.rate == D("24.1")
        residual = affordability.residual_income(household=household, organization=org, on=on)
        # (1 450 − 350) ÷ (1 + 0,3) ÷ 30 = 28,205… → 28,21 per day
        assert residual.amount == D("28.21")
        candidate_effort = affordability.effort_rate(
            household=household, dwelling=candidate, organization=org, on=on
        )
        # (500 + 120 + 55 heating flat − 150) = 525 ; 525 ÷ 1 450 = 36,206… → 36,2 % (alert)
        assert candidate_effort.rate == D("36.2")
        assert candidate_effort.level == "alert"
        occupancy = affordability.occupancy(household=household, organization=org, on=on)
        assert occupancy.status == "normal"  # T3 for 2: 3 ≤ 2 + 1


@pytest.mark.django_db
def test_settings_are_versioned_by_date(org, in_org) -> None:
    with in_org(org):
        ParameterValue.objects.create(
            organization=org,
            key="housing.effort_rate_alert",
            value="35",
            valid_from=datetime.date(2026, 1, 1),
        )
        before = AffordabilitySettings.load(organization=org, on=datetime.date(2025, 12, 31))
        after = AffordabilitySettings.load(organization=org, on=datetime.date(2026, 1, 1))
    assert before.effort_rate_alert == D("30")
    assert after.effort_rate_alert == D("35")


@pytest.mark.django_db
def test_household_without_dwelling_has_no_effort_rate(org, in_org) -> None:
    person = PersonFactory(organization=org)
    with in_org(org):
        assert affordability.effort_rate(household=person.household, organization=org) is None


def test_default_settings_are_parsed_once_for_many_rows(monkeypatch) -> None:
    """Callers computing for every row without settings (the income per consumption unit of
    each attribution of the year, quotas) parsed the fifteen declared defaults per row: 40 %
    of the home page at 5,500 attributions."""
    from core.parameters import Parameter

    parsed = []
    original = Parameter.parse
    monkeypatch.setattr(
        Parameter, "parse", lambda self, raw: parsed.append(1) or original(self, raw)
    )
    AffordabilitySettings.defaults()
    parsed.clear()
    for children in range(100):
        affordability.consumption_units(ages=[40, 38] + [5] * (children % 4))
    assert parsed == []
    assert AffordabilitySettings.defaults() == AffordabilitySettings.from_values({})
