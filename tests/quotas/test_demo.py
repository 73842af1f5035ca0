"""The demo year: agreements and targets for both demo organisations, some met, some not;
loading twice changes nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone

from quotas import selectors
from quotas.models import QuotaTarget, ReservationAgreement

pytestmark = pytest.mark.django_db


def test_demo_year_some_targets_met_some_not(in_org: Any) -> None:
    from allocations import demo as allocations_demo
    from organizations import demo as organizations_demo
    from organizations.models import Organization
    from quotas import demo

    organizations_demo.load(io.StringIO())
    allocations_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    orgs = list(Organization.objects.order_by("slug"))
    assert len(orgs) == 2
    for org in orgs:
        with in_org(org):
            assert ReservationAgreement.objects.count() == 2
            target = QuotaTarget.objects.filter(category="dalo").select_related("territory").get()
            board = selectors.quota_dashboard(
                organization=org, territory=target.territory, year=timezone.localdate().year
            )
        by_label = {p.target.label: p for p in board.progress}
        assert board.attributions == 30
        assert by_label["Ménages reconnus prioritaires DALO"].status == "met"  # 9 on 9
        assert by_label["Sortants d'hébergement"].achieved == 7  # on 14
        assert by_label["Sortants d'hébergement"].alert
