"""The repayment plans list carries every plan's instalments: built lean, in constant queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.authtoken.models import Token

from arrears.api import InstallmentSerializer
from arrears.models import Installment
from tests.arrears.factories import RepaymentPlanFactory

pytestmark = pytest.mark.django_db


def _headers(user: Any, org: Any) -> dict[str, str]:
    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_X_ORGANIZATION": org.slug}


def test_an_instalment_reads_as_its_declared_fields_would_give_it(org: Any, in_org: Any) -> None:
    RepaymentPlanFactory(organization=org)
    with in_org(org):
        installment = Installment.objects.order_by("number").first()
    installment.paid_amount = Decimal("12.5")
    fast = InstallmentSerializer().to_representation(installment)
    declared = serializers.Serializer.to_representation(InstallmentSerializer(), installment)
    assert fast == dict(declared)
    assert fast["paid_amount"] == "12.50" and fast["amount"] == "300.00"


def test_the_plans_list_takes_the_same_queries_for_1_or_6_plans(
    client: Any, org: Any, member_of: Any, django_assert_num_queries: Any
) -> None:
    headers = _headers(member_of(org, "arrears_officer"), org)
    RepaymentPlanFactory(organization=org)
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/repayment-plans/", **headers)
    for _ in range(5):
        RepaymentPlanFactory(organization=org)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get("/api/v1/repayment-plans/", **headers).json()
    assert body["count"] == 6 and all(len(p["installments"]) == 3 for p in body["results"])
