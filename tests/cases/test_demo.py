"""The demo loader: robust without housing demo data, idempotent."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.django_db


def test_demo_loads_a_year_of_activity_and_is_idempotent() -> None:
    from cases import demo, indicators
    from cases.models import Intervention, SocialCase
    from core.context import organization_context
    from organizations import demo as organizations_demo
    from organizations.models import Organization

    organizations_demo.load(io.StringIO())
    demo.load(io.StringIO())
    org = Organization.objects.get(slug="habitat-est")
    with organization_context(org):
        cases = SocialCase.objects.count()
        interventions = Intervention.objects.count()
        from django.utils import timezone

        year = timezone.localdate().year
        summary = indicators.adaptation_summary(organization=org, year=year)
    assert cases > 0 and interventions > 300
    assert summary["requested"] == 28 and summary["approved"] == 12
    demo.load(io.StringIO())
    with organization_context(org):
        assert SocialCase.objects.count() == cases
