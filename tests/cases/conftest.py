from __future__ import annotations

import datetime
from typing import Any

import pytest

from core.context import organization_context


@pytest.fixture
def worker(org: Any, member_of: Any) -> Any:
    return member_of(org, "social_worker")


@pytest.fixture
def household(org: Any) -> Any:
    from tests.housing.factories import HouseholdFactory

    return HouseholdFactory(organization=org, name="Ménage Martin")


@pytest.fixture
def tenant(org: Any) -> Any:
    """A household with a current lease."""
    from tests.housing.factories import LeaseFactory

    return LeaseFactory(organization=org, start_date=datetime.date(2020, 1, 1)).household


@pytest.fixture
def as_org(org: Any) -> Any:
    """as_org(user): the organisation context (application scope + RLS) acting as user."""

    def make(user: Any = None) -> Any:
        return organization_context(org, user=user)

    return make


@pytest.fixture
def social_case(org: Any, household: Any, worker: Any, as_org: Any) -> Any:
    from cases import services

    with as_org(worker):
        return services.social_case_open(
            organization=org,
            household=household,
            motives=["arrears", "access_to_rights"],
            referent=worker,
            opened_by=worker,
            note="SECRET note du suivi",
        )
