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
