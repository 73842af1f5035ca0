"""Access rules on views: every view declares one (deny by default).

@require("housing.view_household")
def household_detail(request, public_id): ...

@public
def health(request): ...
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect

from core import policy
from core.policy import AUTHENTICATED, PLATFORM_ADMIN, PUBLIC

ViewFunc = Callable[..., Any]


class NoOrganization(Exception):
    """The user is logged in but has no current organisation."""


def can(request: HttpRequest, action: str) -> bool:
    membership = getattr(request, "membership", None)
    return policy.is_allowed(membership.role if membership else None, action)


def check(request: HttpRequest, action: str) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if getattr(request, "organization", None) is None:
        raise NoOrganization
    if not can(request, action):
        raise PermissionDenied("Votre rôle ne permet pas cette action.")


def require(action: str, *, model: str | None = None) -> Callable[[ViewFunc], ViewFunc]:
    """Only members whose role the policy allows `action`. `model` ("app.Model") names the
    organisation-owned model whose object the URL's uuid designates: the cross-organisation
    sweep (tests/core/test_isolation_sweep.py) requests it with another organisation's object."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                check(request, action)
            except NoOrganization:
                return redirect("organizations:choose")
            return view(request, *args, **kwargs)

        wrapped.access_rule = action  # type: ignore[attr-defined]
        wrapped.access_model = model  # type: ignore[attr-defined]
        return wrapped

    return decorator


def authenticated(view: ViewFunc) -> ViewFunc:
    """Any logged-in user, whatever their organisation (profile, organisation switcher)."""
    view.access_rule = AUTHENTICATED  # type: ignore[attr-defined]
    return view


def public(view: ViewFunc) -> ViewFunc:
    """Anonymous access. Each use is on the allow-list in tests/core/test_access_rules.py."""
    view = login_not_required(view)
    view.access_rule = PUBLIC  # type: ignore[attr-defined]
    return view


def rule_for(callback: Any, namespace: str = "") -> str | None:
    """The access rule of a resolved view, or None when it declares none."""
    if namespace == "admin" or namespace.startswith("admin:"):
        return PLATFORM_ADMIN
    for holder in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        rule = getattr(holder, "access_rule", None)
        if rule:
            return str(rule)
    return None
