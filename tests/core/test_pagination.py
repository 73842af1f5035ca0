"""API pagination (core/drf.py): a page of a list that joins other tables is selected by its
keys first, on the listed table alone, then fetched with its joins."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from tests.arrears.factories import ArrearsCaseFactory

pytestmark = pytest.mark.django_db


def _headers(user: Any, org: Any) -> dict[str, str]:
    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_X_ORGANIZATION": org.slug}


def _cases(org: Any, count: int) -> list[Any]:
    """Cases opened on distinct days, newest first (the list's order)."""
    cases = [
        ArrearsCaseFactory(
            organization=org, opened_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
        )
        for n in range(count)
    ]
    return sorted(cases, key=lambda case: case.opened_on, reverse=True)


def test_a_page_keeps_the_lists_order_and_its_rows(
    client: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    cases = _cases(org, 5)
    ArrearsCaseFactory(organization=other_org)
    headers = _headers(member_of(org, "arrears_officer"), org)
    body = client.get("/api/v1/arrears-cases/?page_size=2&page=2", **headers).json()
    assert body["count"] == 5
    assert [row["id"] for row in body["results"]] == [str(c.public_id) for c in cases[2:4]]
    assert body["results"][0]["household_name"] == cases[2].household.name
    last = client.get("/api/v1/arrears-cases/?page_size=2&page=3", **headers).json()
    assert [row["id"] for row in last["results"]] == [str(cases[4].public_id)]
    assert client.get("/api/v1/arrears-cases/?page=9", **headers).status_code == 404


def test_the_page_is_chosen_on_the_listed_table_alone(
    client: Any, org: Any, member_of: Any
) -> None:
    _cases(org, 3)
    headers = _headers(member_of(org, "arrears_officer"), org)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/arrears-cases/?page_size=2", **headers).status_code == 200
    (page,) = [q["sql"] for q in queries.captured_queries if "ANY(ARRAY(" in q["sql"]]
    # The keys: the cases alone, ordered and limited; not every case joined to its household,
    # lease and dwelling, then sorted. Then the page's rows by key, with their joins.
    keys = page[page.index("ANY(ARRAY(") : page.index("LIMIT 2")]
    assert "JOIN" not in keys and '"opened_on" DESC' in keys
    assert "JOIN" in page


# --- Lists paged by cursor (no count) ------------------------------------------------------------


def test_the_statements_are_paged_by_cursor_in_lease_and_month_order(
    client: Any, org: Any, other_org: Any, member_of: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.arrears.factories import AccountStatementFactory
    from tests.housing.factories import LeaseFactory

    statements = []
    for _ in range(2):
        lease = LeaseFactory(organization=org)
        for month in (1, 2, 3):
            statements.append(
                AccountStatementFactory(
                    organization=org, lease=lease, month=datetime.date(2026, month, 1)
                )
            )
    AccountStatementFactory(organization=other_org)
    expected = [
        str(s.public_id)
        for s in sorted(statements, key=lambda s: (s.lease_id, -s.month.toordinal()))
    ]
    headers = _headers(member_of(org, "arrears_officer"), org)
    seen: list[str] = []
    url = "/api/v1/account-statements/?page_size=4"
    while url:
        with django_assert_max_num_queries(12):
            body = client.get(url, **headers).json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == expected
    # The page is read from its position: no COUNT, no OFFSET over the rows before it.
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/account-statements/?page_size=4", **headers)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "COUNT(" not in sql and "OFFSET" not in sql


# --- Big lists are read in the order of an index -----------------------------------------------


@pytest.mark.parametrize(
    ("route", "role"),
    [("leases", "manager"), ("households", "manager"), ("applications", "manager")],
)
def test_a_page_of_a_big_list_is_read_in_the_order_of_an_index(
    client: Any, org: Any, member_of: Any, route: str, role: str
) -> None:
    """With sorting forbidden to the planner, the page query still has no Sort node: an index
    gives the list's order, so a page stops after its rows instead of sorting them all."""
    from tests.allocations.factories import HousingApplicationFactory
    from tests.housing.factories import LeaseFactory

    for _ in range(3):
        LeaseFactory(organization=org)
        HousingApplicationFactory(organization=org)
    headers = _headers(member_of(org, role), org)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/v1/{route}/?page_size=2", **headers).status_code == 200
    (page,) = [
        q["sql"]
        for q in queries.captured_queries
        if "LIMIT 2" in q["sql"] and "ORDER BY" in q["sql"] and "authtoken" not in q["sql"]
    ]
    from core.context import organization_context

    with organization_context(org), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + page)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_sort = on")
    lines = plan.splitlines()
    limit = next(i for i, line in enumerate(lines) if "Limit" in line)
    below = lines[limit + 1 :]
    scan = next(i for i, line in enumerate(below) if "Scan" in line)
    assert not any("Sort" in line for line in below[:scan]), plan
    assert "Index" in below[scan], plan
