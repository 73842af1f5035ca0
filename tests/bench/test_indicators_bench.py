"""bench/indicators.py on size-S scale data: every indicator it covers gives the same value
as its hand-written SQL statement (no timing is asserted)."""

from __future__ import annotations

import datetime

import pytest

from bench import indicators
from bench.common import Figures
from organizations.models import Organization
from reporting.indicators import registry
from tests.bench.test_generate_scale_data import AS_OF, _generate

pytestmark = pytest.mark.django_db(transaction=True)


def test_indicators_agree_with_hand_written_sql(monkeypatch: pytest.MonkeyPatch) -> None:
    _generate()
    monkeypatch.setenv("BENCH_INDICATORS_REPEAT", "1")
    organization = Organization.objects.get(slug="bench-01")
    as_of = datetime.date.fromisoformat(AS_OF)
    figures = Figures()

    # The year the size-S data covers (twelve months before AS_OF).
    result = indicators.run(figures, {"organization": organization, "as_of": as_of, "year": 2026})

    assert result["errors"] == {}
    assert result["mismatches"] == {}
    assert len(result["ratios"]) >= 0.9 * len(registry())
    assert all(ratio > 0 for ratio in result["ratios"].values())
    for key in result["ratios"]:
        assert figures.values[f"indicators.{key}.match"] == 1
        assert figures.values[f"indicators.{key}.sql_ms"] > 0
    assert figures.values["indicators.mismatches"] == 0
    # The figures are not all empty: the generators gave each section something to count.
    values = result["values"]
    for key in [
        "tenants.households",
        "commissions.attributions",
        "quotas.priority_share",
        "quotas.targets_met",
        "operations.prospections",
        "operations.relocation_households_concerned",
        "operations.collective_action_participants",
        "arrears.rate",
        "social.interventions",
    ]:
        assert values[key], key
