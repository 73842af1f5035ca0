"""Reads that must come in the order of an index (checked with sorting forbidden to the
planner): they stop after their rows instead of sorting every match, whatever the volume."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from allocations import selectors
from core.context import organization_context
from tests.plans import explain

pytestmark = pytest.mark.django_db


def _plan(org: Any, sql: str, params: Any) -> str:
    return explain(org, sql, params, forbid=("sort", "seqscan", "bitmapscan"))


def test_the_candidate_assistant_reads_demands_in_its_order(world: Any) -> None:
    """Priority, score (the unscored last), seniority, id: `application_assistant_order_idx`
    (migration 0006). Its predecessor stopped at the priority: at 60,000 active demands every
    match was read from three bitmaps and sorted (40–45 ms at size L, ~3 ms now)."""
    for score in (None, 10, 20):
        world.application(desired_typologies=["T3"], desired_communes=[], score=score)
    dwelling = world.dwelling(typology="T3")
    with organization_context(world.org), CaptureQueriesContext(connection) as queries:
        suggestions = selectors.candidate_assistant(organization=world.org, dwelling=dwelling)
    assert [s.application.score for s in suggestions][-1] is None  # the unscored last
    (query,) = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "allocations_housingapplication"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    plan = _plan(world.org, query, None)
    assert "application_assistant_order_idx" in plan, plan
    assert "Sort" not in plan.split("application_assistant_order_idx")[0], plan
