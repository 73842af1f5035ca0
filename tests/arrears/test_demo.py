import io

import pytest

from arrears import demo
from arrears.enums import PlanStatus
from arrears.models import ArrearsCase, BorlooProtocol, FslAid, RepaymentPlan

pytestmark = pytest.mark.django_db


def test_demo_data_loads_cases_at_various_stages_and_is_idempotent(org, member_of, in_org):
    member_of(org, "arrears_officer")
    demo.load(io.StringIO())
    with in_org(org):
        cases = ArrearsCase.objects.count()
        stages = set(ArrearsCase.objects.values_list("stage", flat=True))
        assert cases >= 4
        assert {"payment_order", "hearing", "judgment"} <= stages
        assert RepaymentPlan.objects.filter(status=PlanStatus.BREACHED).exists()
        assert BorlooProtocol.objects.count() == 1
        assert FslAid.objects.count() == 3
    demo.load(io.StringIO())
    with in_org(org):
        assert ArrearsCase.objects.count() == cases
