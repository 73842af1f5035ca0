"""The OpenAPI schema is valid and warning-free, its documentation pages use vendored assets,
and every operation it describes is fuzzed with schemathesis (it grows with the API)."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.core.factories import ParameterValueFactory
from tests.organizations.factories import MembershipFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def _connections_kept_open() -> Iterator[None]:
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_the_schema_validates_without_warnings() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=out)


def test_the_schema_is_served_to_authenticated_users(client: Any, org: Any, member_of: Any) -> None:
    client.force_login(member_of(org, "read_only"))
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/me/" in response.json()["paths"]


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_documentation_pages_load_only_our_own_static_files(
    client: Any, org: Any, member_of: Any, url: str
) -> None:
    client.force_login(member_of(org, "read_only"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    assert [s for s in sources if s.startswith(("http:", "https:", "//"))] == []
    assert any("drf_spectacular_sidecar" in s for s in sources)
    assert "<script>" not in html  # CSP: script-src 'self'
    for source in sources:
        if source.startswith("/"):
            asset = client.get(source.replace("&amp;", "&"))
            assert asset.status_code == 200, source
            with _connections_kept_open():  # closing a response ends the "request"
                asset.close()


# --- schemathesis ----------------------------------------------------------------------------------

# Examples per operation: small and derandomized, so the run stays short and reproducible as
# the API grows (PARCOURS_API_FUZZ_EXAMPLES=50 for a deeper local run).
MAX_EXAMPLES = int(os.environ.get("PARCOURS_API_FUZZ_EXAMPLES", "3"))


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The real WSGI application, in the test's transaction: like Django's test client, it must
    not close the connection at the start and end of each request."""
    with _connections_kept_open():
        yield get_wsgi_application()


def _api_schema() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    # JSON round trip: plain types only (lazy strings, tuples).
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(schema, cls=DjangoJSONEncoder))


def test_every_api_operation_answers_without_server_error_and_as_documented(
    wsgi_app: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    admin = member_of(org, "org_admin")
    for name in ("Lorraine", "Alsace"):
        TerritoryFactory(organization=org, name=name)
    for _ in range(3):
        MembershipFactory(organization=org)
    ParameterValueFactory(organization=org)
    TerritoryFactory(organization=other_org)
    token = Token.objects.create(user=admin).key
    headers = {"Authorization": f"Token {token}", "X-Organization": org.slug}

    schema = schemathesis.openapi.from_dict(_api_schema())
    schema.app = wsgi_app
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    # Every operation of the schema runs as the organisation admin with some data (the token
    # endpoint included: its fuzzed logins only lock fuzzed addresses out).
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    failures: list[str] = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,  # the same cases on every run
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.headers = {**(case.headers or {}), **headers}
            response = case.call()
            case.validate_response(response, checks=checks)

        try:
            run()
        except BaseException as error:  # schemathesis raises failure groups
            if isinstance(error, KeyboardInterrupt | SystemExit):
                raise
            summary = " / ".join(
                line.strip()
                for line in str(error).splitlines()
                if line.strip().startswith(("-", "ST", "curl")) or "required property" in line
            )
            failures.append(f"{operation.label}: {summary or str(error)[:500]}")
    assert failures == []
