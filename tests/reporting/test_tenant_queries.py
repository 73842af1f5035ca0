"""The tenant profile's grouped queries name the organisation of the people they join: the
planner then reads the organisation's people through its index, not every organisation's
(the row-level security policy alone, an OR with partner grants, is not indexable)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.alerts import tenants_without_resources
from reporting.indicators import tenants

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "selector",
    [
        tenants.composition,
        tenants.income_bands,
        tenants.age_bands,
        tenants.employment,
        tenants.minima_sociaux_share,
        tenants_without_resources,
    ],
)
def test_people_are_joined_within_the_organisation(
    org: Any, small_year: dict, in_org: Any, selector: Any
) -> None:
    with in_org(org), CaptureQueriesContext(connection) as queries:
        if selector is tenants_without_resources:
            selector(organization=org, today=datetime.date(2025, 12, 31))
        else:
            selector(organization=org, year=2025)
    joins = [
        (alias, sql)
        for sql in (q["sql"] for q in queries.captured_queries)
        for alias in re.findall(r'JOIN "housing_person" (\w+)', sql)
    ]
    assert joins, "no query joins the people"
    for alias, sql in joins:
        assert f'{alias}."organization_id" = {org.pk}' in sql, sql
