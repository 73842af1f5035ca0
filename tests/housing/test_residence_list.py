"""The residences list (housing.selectors.residence_list): dwellings counted per residence,
without joining the organisation's whole stock to count or page it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from housing.enums import DwellingStatus
from housing.selectors import residence_list
from tests.housing.factories import DwellingFactory, ResidenceFactory

pytestmark = pytest.mark.django_db


def test_dwellings_and_vacant_ones_are_counted_per_residence(org: Any, in_org: Any) -> None:
    full = ResidenceFactory(organization=org)
    for status in (DwellingStatus.OCCUPIED, DwellingStatus.OCCUPIED, DwellingStatus.VACANT):
        DwellingFactory(organization=org, residence=full, status=status)
    empty = ResidenceFactory(organization=org)
    with in_org(org):
        counts = {
            r.pk: (r.dwelling_count, r.vacant_count) for r in residence_list(organization=org)
        }
    assert counts == {full.pk: (3, 1), empty.pk: (0, 0)}


def test_counting_the_residences_does_not_join_their_dwellings(org: Any, in_org: Any) -> None:
    DwellingFactory(organization=org)
    with in_org(org), CaptureQueriesContext(connection) as queries:
        assert residence_list(organization=org).count() == 1
    (sql,) = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert "housing_dwelling" not in sql and "GROUP BY" not in sql
