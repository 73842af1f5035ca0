"""The candidate assistant stays fast at 60,000 active demands (indexes, two queries)."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal
from typing import Any

import pytest

from allocations import selectors
from allocations.models import HousingApplication
from core.context import organization_context
from tests.housing.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

TYPOLOGIES = [["T1", "T2"], ["T2", "T3"], ["T3"], ["T3", "T4"], ["T4", "T5"], ["T5", "T6"]]
COMMUNES = ["57463", "57672", "54395", "88160", "67482", "68224"]


def test_assistant_at_60000_active_demands(world: Any, django_assert_max_num_queries: Any) -> None:
    households = [HouseholdFactory(organization=world.org) for _ in range(20)]
    with organization_context(world.org):
        HousingApplication.objects.bulk_create(
            [
                HousingApplication(
                    organization=world.org,
                    household=households[i % 20],
                    registration_number=f"SCALE{i:08d}",
                    filed_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 2000),
                    expires_on=datetime.date(2027, 1, 1),
                    desired_typologies=TYPOLOGIES[i % 6],
                    desired_communes=[COMMUNES[i % 4]] if i % 3 else [],
                    adults=1 + i % 2,
                    children=i % 4,
                    declared_monthly_resources=Decimal(800 + i % 2000),
                    declared_annual_income=Decimal(9000 + (i * 7) % 40000),
                    priority_level=2 if i % 97 == 0 else (1 if i % 5 == 0 else 0),
                    score=Decimal(i % 500),
                )
                for i in range(60_000)
            ],
            batch_size=5000,
        )
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE allocations_housingapplication")
    dwelling = world.dwelling()
    with organization_context(world.org):
        selectors.candidate_assistant(organization=world.org, dwelling=dwelling)  # warm
        started = time.monotonic()
        with django_assert_max_num_queries(8):
            suggestions = selectors.candidate_assistant(organization=world.org, dwelling=dwelling)
        elapsed = time.monotonic() - started
    assert len(suggestions) == 30
    assert suggestions[0].application.priority_level == 2
    assert elapsed < 2.0, f"{elapsed:.2f} s"
