"""The housing API under schemathesis: no server error, responses as documented (the project-wide
fuzz in tests/core/test_api_schema.py covers every app; this one runs the housing routes
alone, with housing data in place)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.core.test_api_schema import _api_schema, wsgi_app  # noqa: F401 - fixture
from tests.housing.factories import IncomeFactory, LeaseFactory, PartnerFactory, PersonFactory

pytestmark = pytest.mark.django_db

HOUSING_PATHS = (
    "/api/v1/residences/",
    "/api/v1/dwellings/",
    "/api/v1/partners/",
    "/api/v1/households/",
    "/api/v1/leases/",
)


def test_housing_operations_answer_as_documented(wsgi_app: Any, org: Any, member_of: Any) -> None:  # noqa: F811
    admin = member_of(org, "org_admin")
    for _ in range(2):
        person = PersonFactory(organization=org)
        IncomeFactory(organization=org, person=person)
        LeaseFactory(organization=org, household=person.household)
        PartnerFactory(organization=org)
    token = Token.objects.create(user=admin).key
    headers = {"Authorization": f"Token {token}", "X-Organization": org.slug}
    schema = schemathesis.openapi.from_dict(_api_schema())
    schema.app = wsgi_app
    operations = [
        op
        for op in (result.ok() for result in schema.get_all_operations())
        if op.path.startswith(HOUSING_PATHS)
    ]
    assert len(operations) >= 15
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.headers = {**(case.headers or {}), **headers}
            response = case.call()
            try:
                case.validate_response(response, checks=checks)
            except AssertionError as error:
                failures.append(f"{operation.label}: {error}")  # noqa: B023 - run() is called at once
                raise

        try:
            run()
        except AssertionError:
            continue
        except Exception as error:
            failures.append(f"{operation.label}: {error}")
    assert failures == []
