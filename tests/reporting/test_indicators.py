"""Each indicator's selector on a small organisation's year built by hand (known counts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from reporting import indicators
from reporting.indicators import Indicator, Unit
from tests.reporting.conftest import EXPECTED, EXPECTED_BREAKDOWNS

pytestmark = pytest.mark.django_db


def _value(key: str, org: Any, small_year: dict, year: int = 2025, territory: Any = None) -> Any:
    return indicators.get(key).compute(organization=org, year=year, territory=territory)


def test_every_scalar_indicator_finds_the_known_figure(
    org: Any, small_year: dict, in_org: Any
) -> None:
    with in_org(org):
        for key, expected in EXPECTED.items():
            name, _, variant = key.partition("@")
            if variant == "2024":
                value = _value(name, org, small_year, year=2024)
            elif variant == "alsace":
                value = _value(name, org, small_year, territory=small_year["alsace"])
            else:
                value = _value(name, org, small_year)
            assert value == expected, key


def test_every_breakdown_finds_the_known_counts(org: Any, small_year: dict, in_org: Any) -> None:
    with in_org(org):
        for key, expected in EXPECTED_BREAKDOWNS.items():
            rows = _value(key, org, small_year)
            found = {row["key"]: row["value"] for row in rows if row["value"]}
            assert found == expected, key
            assert sum(row["value"] for row in rows) == EXPECTED["tenants.households"]


def test_employment_counts_the_reference_person(org: Any, small_year: dict, in_org: Any) -> None:
    with in_org(org):
        rows = {r["key"]: r["value"] for r in _value("tenants.employment", org, small_year)}
    assert rows["retired"] == 1
    assert rows["unemployed"] == 1
    assert rows["self_employed"] == 1
    assert rows["unknown"] == 1


def test_a_territory_only_counts_its_own_leases(org: Any, small_year: dict, in_org: Any) -> None:
    with in_org(org):
        lorraine = small_year["lorraine"]
        assert _value("tenants.households", org, small_year, territory=lorraine) == 6
        assert _value("tenants.entrants", org, small_year, territory=lorraine) == 2
        assert _value("stock.dwellings", org, small_year, territory=small_year["alsace"]) == 1


def test_an_empty_year_gives_no_share_rather_than_a_division_by_zero(org: Any, in_org: Any) -> None:
    with in_org(org):
        assert (
            indicators.get("tenants.housing_benefit_share").compute(organization=org, year=2025)
            is None
        )
        assert indicators.get("tenants.households").compute(organization=org, year=2025) == 0


def test_another_organizations_records_are_not_counted(
    org: Any, other_org: Any, small_year: dict, in_org: Any
) -> None:
    with in_org(other_org):
        assert indicators.get("tenants.households").compute(organization=other_org, year=2025) == 0


def test_the_profile_is_computed_with_a_bounded_number_of_queries(
    org: Any, small_year: dict, in_org: Any, django_assert_max_num_queries: Any
) -> None:
    with in_org(org), django_assert_max_num_queries(20):
        for indicator in indicators.registry().values():
            if indicator.key.startswith(("tenants.", "stock.")):
                indicator.compute(organization=org, year=2025)


@pytest.mark.parametrize(
    "key",
    ["tenants.composition", "tenants.age_bands", "tenants.income_bands", "tenants.employment"],
)
def test_each_profile_breakdown_is_one_grouped_query(
    key: str, org: Any, small_year: dict, in_org: Any, django_assert_num_queries: Any
) -> None:
    """One aggregate query over the tenant households, not correlated subqueries per household
    repeated in each category (the benchmark's 30 s dashboard at size M)."""
    with in_org(org), django_assert_num_queries(1):
        rows = _value(key, org, small_year)
    assert sum(row["value"] for row in rows) == EXPECTED["tenants.households"]


def test_every_indicator_is_complete_and_documented() -> None:
    doc = (Path(settings.BASE_DIR) / "docs" / "indicators.md").read_text()
    for key, indicator in indicators.registry().items():
        assert isinstance(indicator, Indicator)
        assert indicator.label and indicator.definition and indicator.formula and indicator.source
        assert indicator.unit in Unit.values
        assert f"`{key}`" in doc, f"{key} is not documented in docs/indicators.md"
