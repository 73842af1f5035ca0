"""The home panel's live alerts are plain counts: they never read the rows they do not count."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.selectors import social_case_list
from reporting.alerts import accompaniments_overdue
from tests.cases.factories import InterventionFactory, SocialCaseFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


def test_overdue_accompaniments_are_counted_without_reading_their_interventions(
    org: Any, in_org: Any
) -> None:
    late = SocialCaseFactory(
        organization=org,
        opened_on=TODAY.replace(month=1),
        planned_end_on=TODAY - datetime.timedelta(days=10),
    )
    SocialCaseFactory(organization=org, opened_on=TODAY, planned_end_on=TODAY.replace(month=9))
    for day in (2, 3):
        InterventionFactory(
            organization=org,
            household=late.household,
            social_case=late,
            occurred_on=TODAY.replace(day=day),
        )
    with in_org(org), CaptureQueriesContext(connection) as queries:
        count = accompaniments_overdue(organization=org, today=TODAY)
    assert count == 1
    (sql,) = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert "cases_intervention" not in sql


def test_each_listed_case_still_carries_its_last_contact(org: Any, in_org: Any) -> None:
    case = SocialCaseFactory(organization=org)
    for day in (3, 17, 9):
        InterventionFactory(
            organization=org,
            household=case.household,
            social_case=case,
            occurred_on=datetime.date(2026, 5, day),
        )
    silent = SocialCaseFactory(organization=org)
    with in_org(org):
        found = {c.pk: c.last_contact_on for c in social_case_list(organization=org)}
    assert found == {case.pk: datetime.date(2026, 5, 17), silent.pk: None}
