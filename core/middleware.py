from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from core import context
from core.access import rule_for

GetResponse = Callable[[HttpRequest], HttpResponse]

SESSION_ORGANIZATION_KEY = "organization_id"


class OrganizationMiddleware:
    """Resolve the current organisation once per request and run the request in one transaction
    with that organisation set for the application scope and for PostgreSQL row-level security.

    An error response (an exception, a 4xx or 5xx) rolls the whole request back: never
    half-saved data.
    API requests authenticated by token are resolved again by the base API view, inside this
    same transaction, once DRF has authenticated the user.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from organizations.selectors import resolve_membership

        with transaction.atomic():
            user = request.user
            user_id = user.pk if user.is_authenticated else None
            context.activate(None, user_id)
            membership = None
            if user_id is not None:
                membership = resolve_membership(
                    user=user,  # type: ignore[arg-type]  # authenticated: a User
                    requested=request.session.get(SESSION_ORGANIZATION_KEY),
                )
            request.membership = membership  # type: ignore[attr-defined]
            request.organization = membership.organization if membership else None  # type: ignore[attr-defined]
            context.activate(request.organization.pk if request.organization else None, user_id)  # type: ignore[attr-defined]
            try:
                response = self.get_response(request)
                # Error responses are fully rendered by now: undo whatever the request wrote.
                if response.status_code >= 400:
                    transaction.set_rollback(True)
            finally:
                context.deactivate()
        return response


class AccessRuleMiddleware:
    """Deny by default: a view that declares no access rule is refused (403)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> None:
        match = request.resolver_match
        if rule_for(view_func, match.namespace if match else "") is None:
            raise PermissionDenied("Aucune règle d'accès n'est déclarée pour cette page.")


class IdleSessionTimeoutMiddleware:
    """End a session left unused longer than SESSION_IDLE_TIMEOUT seconds."""

    KEY = "last_activity"

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(self.KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
            elif last is None or now - int(last) > 60:  # write the session at most once a minute
                request.session[self.KEY] = now
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class LoginRequiredMiddleware:
    """Django's LoginRequiredMiddleware, except for API views: DRF authenticates those itself
    (session or token) and answers 401/403 in JSON rather than redirecting to a login page."""

    def __init__(self, get_response: GetResponse) -> None:
        from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired

        self.get_response = get_response
        self._django = DjangoLoginRequired(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        if getattr(view_func, "cls", None) is not None:  # a DRF view
            return None
        return self._django.process_view(request, view_func, view_args, view_kwargs)  # type: ignore[return-value]
