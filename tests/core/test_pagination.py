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
from tests.plans import explain

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
        # A keyset page reads one row more (LIMIT 3): whether there is a next page.
        if ("LIMIT 2" in q["sql"] or "LIMIT 3" in q["sql"])
        and "ORDER BY" in q["sql"]
        and "authtoken" not in q["sql"]
    ]
    plan = explain(org, page, forbid=("sort",))
    lines = plan.splitlines()
    limit = next(i for i, line in enumerate(lines) if "Limit" in line)
    below = lines[limit + 1 :]
    scan = next(i for i, line in enumerate(below) if "Scan" in line)
    assert not any("Sort" in line for line in below[:scan]), plan
    assert "Index" in below[scan], plan


# --- Keyset pages: the whole ordering in the cursor ------------------------------------------------


def _walk(client: Any, url: str, headers: dict[str, str]) -> tuple[list[list[str]], str | None]:
    """Every page from `url` on, following `next`; and the last page's `previous` link."""
    pages: list[list[str]] = []
    previous = None
    while url:
        body = client.get(url, **headers).json()
        assert "count" not in body
        pages.append([row["id"] for row in body["results"]])
        url, previous = body["next"], body["previous"]
    return pages, previous


def test_keyset_pages_go_through_ties_of_the_first_field_both_ways(
    client: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    """Households ordered by (name, pk): five share a name. DRF's cursor kept the first field
    only and skipped ties by an offset (capped at 1,000: more households sharing a surname
    could never be reached); the keyset carries name and pk."""
    from tests.housing.factories import HouseholdFactory

    made = [HouseholdFactory(organization=org, name="Ménage Martin") for _ in range(5)]
    made += [
        HouseholdFactory(organization=org, name=name) for name in ("Ménage Abel", "Ménage Zola")
    ]
    HouseholdFactory(organization=other_org, name="Ménage Martin")
    expected = [str(h.public_id) for h in sorted(made, key=lambda h: (h.name, h.pk))]
    headers = _headers(member_of(org, "manager"), org)
    pages, previous = _walk(client, "/api/v1/households/?page_size=2", headers)
    assert [row for page in pages for row in page] == expected
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    back: list[list[str]] = []
    while previous:
        body = client.get(previous, **headers).json()
        back.insert(0, [row["id"] for row in body["results"]])
        previous = body["previous"]
    assert back == pages[:-1]


def test_keyset_pages_place_null_ranks_last_within_their_dwelling(
    client: Any, org: Any, member_of: Any
) -> None:
    """Decisions ordered by (-decided_on, session dwelling, rank, pk): ranks are NULL for the
    candidates not retained; NULLs sort after the ranks, and pages neither repeat nor skip
    them."""
    from allocations.enums import DecisionKind
    from tests.allocations.factories import (
        CandidacyFactory,
        DecisionFactory,
        SessionDwellingFactory,
    )

    item = SessionDwellingFactory(organization=org)
    day = datetime.date(2026, 3, 10)

    def decide(kind: str, rank: int | None, on: datetime.date = day) -> Any:
        candidacy = CandidacyFactory(organization=org, session_dwelling=item)
        reasons = "" if rank else "Typologie inadaptée"
        return DecisionFactory(
            organization=org,
            candidacy=candidacy,
            kind=kind,
            rank=rank,
            decided_on=on,
            reasons=reasons,
        )

    rejected = [decide(DecisionKind.NON_ATTRIBUTION, None) for _ in range(3)]
    second = decide(DecisionKind.RANKED, 2)
    first = decide(DecisionKind.ATTRIBUTION, 1)
    older = decide(DecisionKind.NON_ATTRIBUTION, None, day - datetime.timedelta(days=30))
    expected = [first, second, *sorted(rejected, key=lambda d: d.pk), older]
    headers = _headers(member_of(org, "manager"), org)
    pages, _ = _walk(client, "/api/v1/decisions/?page_size=2", headers)
    assert [row for page in pages for row in page] == [str(d.public_id) for d in expected]


def test_a_cursor_that_is_not_ours_is_a_404(client: Any, org: Any, member_of: Any) -> None:
    headers = _headers(member_of(org, "manager"), org)
    for cursor in ("nimportequoi", "eyJwIjogWzFdfQ=="):  # garbage; one value for two fields
        response = client.get(f"/api/v1/households/?cursor={cursor}", **headers)
        assert response.status_code == 404
        assert response.json()["detail"] == "Curseur invalide."


@pytest.mark.parametrize(
    "route", ["households", "applications", "decisions", "offers", "interventions"]
)
def test_lists_that_grow_without_bound_are_never_counted(
    client: Any, org: Any, member_of: Any, route: str
) -> None:
    """No COUNT of the organisation's rows and no OFFSET over those before the page, on the
    first page or the next: at size L, the COUNT alone was 40–150 ms of each page."""
    from tests.allocations.factories import HousingApplicationFactory, OfferFactory
    from tests.cases.factories import InterventionFactory

    for _ in range(5):
        OfferFactory(organization=org)
        HousingApplicationFactory(organization=org)
        InterventionFactory(organization=org)
    headers = _headers(member_of(org, "manager"), org)
    url = f"/api/v1/{route}/?page_size=2"
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url, **headers).json()
        assert "count" not in body and len(body["results"]) == 2
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "COUNT(" not in sql and "OFFSET" not in sql
        url = body["next"]


@pytest.mark.parametrize(
    ("route", "index"),
    [
        ("decisions", "decision_org_decided_idx"),
        ("offers", "offer_org_deadline_idx"),
        ("interventions", "intervention_date_idx"),
    ],
)
def test_a_keyset_page_is_read_from_its_index(
    client: Any, org: Any, member_of: Any, route: str, index: str
) -> None:
    """With sorting forbidden to the planner, the next page's keys still come in order from
    the index of the ordering, starting at the cursor's position."""
    from tests.allocations.factories import OfferFactory
    from tests.cases.factories import InterventionFactory

    for _ in range(3):
        OfferFactory(organization=org)
        InterventionFactory(organization=org)
    headers = _headers(member_of(org, "manager"), org)
    url = client.get(f"/api/v1/{route}/?page_size=1", **headers).json()["next"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code == 200
    (page,) = [q["sql"] for q in queries.captured_queries if "ANY(ARRAY(" in q["sql"]]
    plan = explain(org, page, forbid=("sort", "seqscan"))
    keys = plan[plan.index("InitPlan") : plan.index("->  Result", plan.index("InitPlan") + 60)]
    assert index in plan[plan.index("InitPlan") :], plan
    assert "Sort" not in keys.split(index)[0], plan
