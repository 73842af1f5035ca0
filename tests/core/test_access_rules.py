"""Deny by default: every URL declares who may enter, anonymous access is an explicit list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import get_resolver, path
from django.urls.resolvers import URLPattern, URLResolver

from core import policy
from core.access import rule_for
from core.policy import AUTHENTICATED, PLATFORM_ADMIN, PUBLIC

# Every anonymous route, by name. Adding one is a deliberate, reviewed act.
PUBLIC_ALLOW_LIST = {
    "login",
    "health",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "api-token",
}


def iter_views(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, Any, str, str]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from iter_views(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback, namespace, entry.name or ""


def test_every_url_declares_an_access_rule() -> None:
    missing = [route for route, callback, ns, _ in iter_views() if rule_for(callback, ns) is None]
    assert missing == [], f"Routes without an access rule: {missing}"


def test_every_access_rule_is_a_known_policy_action() -> None:
    special = {PUBLIC, AUTHENTICATED, PLATFORM_ADMIN}
    unknown = {
        (route, rule)
        for route, callback, ns, _ in iter_views()
        if (rule := rule_for(callback, ns)) not in special and not policy.is_known(rule or "")
    }
    assert unknown == set()


def test_anonymous_routes_are_exactly_the_allow_list() -> None:
    public_routes = {
        name for _, callback, ns, name in iter_views() if rule_for(callback, ns) == PUBLIC
    }
    assert public_routes == PUBLIC_ALLOW_LIST


def _bare_view(request: Any) -> HttpResponse:
    return HttpResponse("should never be served")


def _urlpatterns() -> list:
    from config.urls import urlpatterns as project

    return [path("bare/", _bare_view, name="bare"), *project]


urlpatterns = _urlpatterns()


@pytest.mark.urls("tests.core.test_access_rules")
def test_a_view_without_rule_is_refused_even_when_logged_in(
    client: Any, org: Any, member_of: Any
) -> None:
    client.force_login(member_of(org, "org_admin"))
    response = client.get("/bare/")
    assert response.status_code == 403
    assert b"should never be served" not in response.content


def test_anonymous_user_is_sent_to_login(client: Any, db: Any) -> None:
    response = client.get("/organisation/membres/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


@pytest.mark.parametrize("url", ["/api/v1/me/", "/api/v1/territories/", "/api/v1/schema/"])
def test_anonymous_api_calls_are_refused_without_redirect(client: Any, db: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (401, 403)
