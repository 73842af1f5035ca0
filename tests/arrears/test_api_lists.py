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
from arrears.selectors import installment_rows
from tests.arrears.factories import RepaymentPlanFactory

pytestmark = pytest.mark.django_db


def _headers(user: Any, org: Any) -> dict[str, str]:
    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_X_ORGANIZATION": org.slug}


def test_an_instalment_reads_as_its_declared_fields_would_give_it(org: Any, in_org: Any) -> None:
    plan = RepaymentPlanFactory(organization=org)
    with in_org(org):
        installment = Installment.objects.order_by("number").first()
        (row, *_) = installment_rows(organization=org, plans=[plan])[plan.pk]
    installment.paid_amount = Decimal("12.5")
    row = (*row[:3], Decimal("12.5"), row[4])
    fast = InstallmentSerializer().to_representation(row)
    declared = serializers.Serializer.to_representation(InstallmentSerializer(), installment)
    assert fast == dict(declared)
    assert fast["paid_amount"] == "12.50" and fast["amount"] == "300.00"


def test_a_page_of_plans_reads_its_instalments_as_rows_in_one_query(
    client: Any, org: Any, member_of: Any
) -> None:
    """No instalment model instance, and no join of every plan to sort them (the model's
    ordering, ("plan", "number"), sorts by the plan's own ordering)."""
    headers = _headers(member_of(org, "arrears_officer"), org)
    for _ in range(3):
        RepaymentPlanFactory(organization=org)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/repayment-plans/", **headers).json()
    (read,) = [
        q["sql"] for q in queries.captured_queries if 'FROM "arrears_installment"' in q["sql"]
    ]
    assert "JOIN" not in read and '"arrears_installment"."id"' not in read
    assert [i["number"] for i in body["results"][0]["installments"]] == [1, 2, 3]


def test_a_created_plan_answers_with_its_instalments(org: Any, in_org: Any) -> None:
    from arrears.api import RepaymentPlanSerializer

    plan = RepaymentPlanFactory(organization=org)
    with in_org(org):
        data = RepaymentPlanSerializer(plan).data
    assert [i["number"] for i in data["installments"]] == [1, 2, 3]


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
