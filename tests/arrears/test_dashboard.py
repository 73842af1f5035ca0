"""The arrears home panel (arrears/dashboard.py): counts, whatever the number of cases."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.arrears.factories import ArrearsCaseFactory

pytestmark = pytest.mark.django_db


def _overdue_cases(org: Any, count: int) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for _ in range(count):
        ArrearsCaseFactory(organization=org, next_deadline_on=yesterday)


def test_the_home_panel_counts_every_overdue_case_not_a_page_of_them(
    org: Any, member_of: Any, client_for: Any
) -> None:
    _overdue_cases(org, 52)
    page = client_for(member_of(org, "manager"), org).get("/").content.decode()
    assert "52 dossiers en cours" in page
    assert "<strong>52 dépassées</strong>" in page


def test_the_home_panel_takes_the_same_queries_for_1_or_20_cases(
    org: Any, member_of: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(member_of(org, "manager"), org)
    _overdue_cases(org, 1)
    client.get("/")  # the first view also asks for the indicators' snapshot
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    _overdue_cases(org, 20)
    with django_assert_num_queries(len(one.captured_queries)):
        assert "21 dossiers en cours" in client.get("/").content.decode()


def test_the_dashboard_reads_the_social_follow_up_of_its_households_in_constant_queries(
    org: Any, member_of: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cases.factories import InterventionFactory, SocialCaseFactory

    def followed_case() -> Any:
        case = ArrearsCaseFactory(organization=org)
        SocialCaseFactory(organization=org, household=case.household)
        InterventionFactory(organization=org, household=case.household)
        return case

    client = client_for(member_of(org, "manager"), org)
    first = followed_case()
    client.get("/impayes/?tous=1")  # first view: per-process lookups
    with CaptureQueriesContext(connection) as one:
        page = client.get("/impayes/?tous=1").content.decode()
    assert first.household.name in page
    others = [followed_case() for _ in range(4)]
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get("/impayes/?tous=1").content.decode()
    assert all(case.household.name in page for case in others)
