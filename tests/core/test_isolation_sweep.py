"""Another organisation's object is a 404, on every page and API route that takes one.

The sweep walks the URL configuration: each route with an object id declares the model it
serves (`@require(..., model=...)` for pages, `model` on API viewsets). For each, a user of
organisation A whose role is allowed on the route asks for organisation B's object with every
method: the answer is 404 (or 405), and B's row is unchanged.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.forms.models import model_to_dict
from rest_framework.authtoken.models import Token

from core import policy
from core.access import rule_for
from core.context import organization_context
from core.models import OrganizationOwnedModel
from core.policy import AUTHENTICATED, PLATFORM_ADMIN, PUBLIC
from tests.core.test_access_rules import iter_views
from tests.factories import all_factories

pytestmark = pytest.mark.django_db

UUID_PARAM = re.compile(r"<uuid:(\w+)>|\(\?P<(\w+)>\[\^/\.\]\+\)")
STR_PARAM = re.compile(r"<str:(\w+)>|<(\w+)>")


def _served_model(callback: Any) -> str | None:
    for holder in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        model = getattr(holder, "access_model", None)
        if model:
            return model
        model_cls = getattr(holder, "model", None)
        if isinstance(model_cls, type):
            return model_cls._meta.label
    return None


def object_routes() -> list[tuple[str, Any, str, str]]:
    routes = []
    for route, callback, namespace, name in iter_views():
        if namespace.startswith("admin") or "format" in route:
            continue
        if UUID_PARAM.search(route):
            routes.append((route, callback, namespace, name))
    return routes


def _url(route: str, obj: Any) -> str:
    url = route.lstrip("^").rstrip("$").replace("\\Z", "")
    url = UUID_PARAM.sub(str(obj.public_id), url)
    url = re.sub(r"<str:model_label>", obj._meta.label, url)
    url = STR_PARAM.sub("x", url)
    return "/" + url


def _role_for(rule: str) -> str:
    if rule in (AUTHENTICATED, PUBLIC, PLATFORM_ADMIN):
        return "org_admin"
    return sorted(policy.roles_for(rule))[0]


def test_every_route_with_an_object_id_declares_its_model() -> None:
    undeclared = [
        route for route, callback, _, _ in object_routes() if _served_model(callback) is None
    ]
    assert undeclared == []


def test_another_organizations_object_is_a_404_everywhere(
    client: Any, org: Any, other_org: Any, member_of: Any
) -> None:
    factories = all_factories()
    cache: dict[str, list[Any]] = {}

    def objects_for(label: str) -> list[Any]:
        if label not in cache:
            models = (
                [m for m in apps.get_models() if issubclass(m, OrganizationOwnedModel)]
                if label == "*"
                else [apps.get_model(label)]
            )
            cache[label] = [factories[m](organization=other_org) for m in models]
        return cache[label]

    users: dict[str, Any] = {}
    checked = 0
    for route, callback, namespace, _ in object_routes():
        rule = rule_for(callback, namespace)
        role = _role_for(rule)
        if role not in users:
            users[role] = member_of(org, role)
        user = users[role]
        is_api = getattr(callback, "cls", None) is not None
        for obj in objects_for(_served_model(callback)):
            with organization_context(other_org):
                before = model_to_dict(type(obj).objects.get(pk=obj.pk))
            url = _url(route, obj)
            for method in ("get", "post", "put", "patch", "delete") if is_api else ("get", "post"):
                if is_api:
                    token, _ = Token.objects.get_or_create(user=user)
                    response = getattr(client, method)(
                        url,
                        HTTP_AUTHORIZATION=f"Token {token.key}",
                        HTTP_X_ORGANIZATION=org.slug,
                        content_type="application/json",
                        data={} if method != "get" else None,
                    )
                else:
                    client.force_login(user)
                    response = getattr(client, method)(url)
                assert response.status_code in (404, 405), (
                    f"{method.upper()} {url} as {role}: {response.status_code}"
                )
                checked += 1
            with organization_context(other_org):
                after = model_to_dict(type(obj).objects.get(pk=obj.pk))
            assert before == after, f"{url} changed another organisation's row"
    assert checked > 0
