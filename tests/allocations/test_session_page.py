"""The commission session page shows each candidacy's recorded decision, or a dash."""

from __future__ import annotations

from typing import Any

import pytest

from allocations.enums import DecisionKind
from tests.allocations.factories import DecisionFactory

pytestmark = pytest.mark.django_db


def test_decided_and_undecided_candidacies_side_by_side(world: Any, client_for: Any) -> None:
    session, _item, cands = world.held()
    DecisionFactory(
        organization=world.org,
        candidacy=cands[0],
        kind=DecisionKind.RANKED,
        rank=2,
        reasons="Composition adaptée",
    )
    page = client_for(world.user, world.org).get(f"/attributions/seances/{session.public_id}/")
    rows = page.content.decode().split("<tr><td>")[1:]
    decided = next(r for r in rows if cands[0].application.registration_number in r)
    undecided = next(r for r in rows if cands[1].application.registration_number in r)
    assert "Attribution avec rang — Composition adaptée</td><td>2</td>" in decided
    assert "<td>—</td><td>—</td></tr>" in undecided


def test_the_candidacies_are_read_without_who_proposed_them(world: Any, client_for: Any) -> None:
    """The page, the API and the minutes never show who proposed a candidate: the 150
    candidacies of a full session no longer join and build a user each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session, _item, _cands = world.held()
    client = client_for(world.user, world.org)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/attributions/seances/{session.public_id}/").status_code == 200
    (candidacies,) = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "allocations_candidacy"')
    ]
    assert "organizations_user" not in candidacies
