"""The home panel's quota targets behind: from this year's indicator snapshot (a year's
attributions counted for every target is too costly for each view of the home page), live
while the snapshot has none."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quotas.dashboard import TARGETS_BEHIND
from quotas.enums import QuotaCategory, TargetKind
from quotas.models import QuotaTarget
from reporting import build, services
from tests.organizations.factories import TerritoryFactory
from tests.quotas.factories import QuotaTargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind(org: Any) -> QuotaTarget:
    """Ten shelter leavers to house this year, none housed yet: behind."""
    return QuotaTargetFactory(
        organization=org,
        territory=TerritoryFactory(organization=org, name="Lorraine"),
        year=timezone.localdate().year,
        category=QuotaCategory.SHELTER_LEAVERS,
        kind=TargetKind.COUNT,
        value=Decimal("10"),
    )


def _attribution_queries(queries: Any) -> list[str]:
    """The year's attributions read (leases signed), not the allocations panel's counts."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if "allocations_offer" in q["sql"] and "lease_signed" in q["sql"]
    ]


def test_without_a_snapshot_the_targets_behind_are_counted_live(
    client_for: Any, org: Any, member_of: Any, behind: QuotaTarget
) -> None:
    client = client_for(member_of(org, "manager"), org)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert "Sortants d&#x27;hébergement</a> (Lorraine) : en retard, 0 pour 10" in page
    assert _attribution_queries(queries)


def test_with_a_snapshot_the_panel_shows_the_stored_targets_without_counting(
    client_for: Any, org: Any, member_of: Any, behind: QuotaTarget, in_org: Any
) -> None:
    year = timezone.localdate().year
    with in_org(org):
        computed = services.indicator_snapshot_compute(organization=org, year=year)
        services.indicator_snapshot_store(organization=org, year=year, **computed)
        # Removed after the computation: a live count would show no target at all.
        QuotaTarget.objects.filter(pk=behind.pk).delete()
    (stored,) = computed["alerts"][TARGETS_BEHIND]
    assert (stored["territory"], stored["status"], stored["value"]) == (
        "Lorraine",
        "En retard",
        "10.00",
    )
    client = client_for(member_of(org, "commission_secretary"), org)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert "Sortants d&#x27;hébergement</a> (Lorraine) : en retard, 0 pour 10" in page
    assert "le détail à jour" in page
    assert not _attribution_queries(queries)


def test_the_panel_data_is_part_of_the_snapshots_registry() -> None:
    """A snapshot computed before the panel existed lacks its data: the registry's fingerprint
    changes with the panels stored, so that such a snapshot is stale and computed again."""
    from core.dashboard import all_panels

    assert TARGETS_BEHIND in {panel.key for panel in all_panels() if panel.snapshot}
    fingerprint = build.registry_fingerprint()
    original = all_panels

    try:
        import core.dashboard

        core.dashboard.all_panels = lambda: [p for p in original() if p.key != TARGETS_BEHIND]
        assert build.registry_fingerprint() != fingerprint
    finally:
        core.dashboard.all_panels = original
