"""Demo data: realistic, fast and idempotent."""

from __future__ import annotations

import io
import time

import pytest

from core.context import organization_context
from housing import demo
from housing.enums import LeaseKind
from housing.models import Dwelling, Household, Income, Lease, Partner, Residence
from organizations import demo as organizations_demo
from organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_demo_is_realistic_fast_and_idempotent() -> None:
    organizations_demo.load(io.StringIO())
    started = time.monotonic()
    demo.load(io.StringIO())
    assert time.monotonic() - started < 30  # < 15 s on SQLite; PostgreSQL runs audit triggers
    counts = {}
    for org in Organization.objects.filter(slug__in=["habitat-est", "rhone-logis"]):
        with organization_context(org):
            counts[org.slug] = (
                Residence.objects.count(),
                Dwelling.objects.count(),
                Household.objects.count(),
                Lease.objects.count(),
            )
            assert Residence.objects.filter(is_qpv=True).exists()
            assert (
                Lease.objects.filter(kind=LeaseKind.SLIDING).exists()
                or Lease.objects.filter(kind=LeaseKind.SUBLET).exists()
            )
            assert Income.objects.filter(kind__in=["rsa", "aah", "aspa"]).exists()
            assert Household.objects.filter(housing_benefit_kind="apl").exists()
            assert Partner.objects.filter(kind="caf_msa").exists()
            assert Household.objects.filter(search_text__contains="menage").count() == (
                Household.objects.count()
            )
    assert sum(c[1] for c in counts.values()) >= 250
    demo.load(io.StringIO())
    for org in Organization.objects.filter(slug__in=["habitat-est", "rhone-logis"]):
        with organization_context(org):
            again = (
                Residence.objects.count(),
                Dwelling.objects.count(),
                Household.objects.count(),
                Lease.objects.count(),
            )
        assert again == counts[org.slug]
