"""The candidate assistant shows, for each candidate, the quota targets an attribution would
count toward; the programme labels of every candidate listed are read in one query."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from allocations import services
from core.context import organization_context
from quotas.enums import QuotaCategory, TargetKind
from tests.quotas.factories import ProgrammeLabelFactory, QuotaTargetFactory

pytestmark = pytest.mark.django_db


def _label_queries(queries: Any) -> list[str]:
    """Reads of the programme labels themselves (not the attributions' count, which reads them
    in a sub-select)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "quotas_programmelabel"' in q["sql"] and "allocations_offer" not in q["sql"]
    ]


@pytest.mark.parametrize("labelled", [1, 4])
def test_the_assistant_reads_every_candidates_programmes_at_once(
    world: Any, client_for: Any, labelled: int
) -> None:
    dwelling = world.dwelling()
    session = world.session()
    with organization_context(world.org, user=world.user):
        item = services.session_dwelling_add(
            session=session, dwelling=dwelling, added_by=world.user
        )
    QuotaTargetFactory(
        organization=world.org,
        territory=dwelling.residence.territory,
        year=timezone.localdate().year,
        category=QuotaCategory.COLLECTIVE_AGREEMENT,
        programme="MVS",
        kind=TargetKind.COUNT,
        value=Decimal("5"),
    )
    applications = [world.application(score=Decimal(i)) for i in range(8)]
    for application in applications[:labelled]:
        ProgrammeLabelFactory(organization=world.org, application=application, programme="MVS")
    client = client_for(world.user, world.org)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/attributions/logements/{item.public_id}/assistant/")
    assert response.status_code == 200
    assert response.content.decode().count("Compterait pour : Accord collectif — MVS") == labelled
    assert len(_label_queries(queries)) == 1
