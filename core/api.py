"""The API's foundations: one base view owns organisation scoping and the policy check.

Subclasses declare `read_action` / `write_action` (policy actions, core/policy.py) and implement
`scoped_queryset()`. They cannot override `get_queryset()` (a TypeError at import time): the
base applies the organisation filter on top of whatever they return. The only way around it is
a method named `dangerously_unscoped_queryset`, which nothing uses.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.http import Http404
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.request import Request
from rest_framework.views import APIView

from core import context
from core.access import can

ORGANIZATION_HEADER = "HTTP_X_ORGANIZATION"


class PolicyPermission(permissions.BasePermission):
    message = "Votre rôle ne permet pas cette action."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if getattr(request, "organization", None) is None:
            self.message = "Aucune organisation courante : précisez l'en-tête X-Organization."
            return False
        action = view.policy_action()
        return action is not None and can(request, action)


class OrganizationAPIMixin:
    """Resolves the organisation after DRF has authenticated the user (session or token)."""

    permission_classes: Any = [permissions.IsAuthenticated, PolicyPermission]
    read_action: ClassVar[str | None] = None
    write_action: ClassVar[str | None] = None
    action_rules: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.read_action or cls.action_rules:
            cls.access_rule = cls.read_action or next(iter(cls.action_rules.values()))  # type: ignore[attr-defined]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        from organizations.selectors import resolve_membership

        self.perform_authentication(request)  # type: ignore[attr-defined]
        user = request.user
        django_request = request._request
        if user and user.is_authenticated:
            context.activate(None, user.pk)
            requested = request.META.get(ORGANIZATION_HEADER) or django_request.session.get(
                "organization_id"
            )
            membership = resolve_membership(user=user, requested=requested)
            if membership is None and request.META.get(ORGANIZATION_HEADER):
                context.activate(None, user.pk)
                raise exceptions.PermissionDenied("Vous n'êtes pas membre de cette organisation.")
            organization = membership.organization if membership else None
            if request.auth is not None and membership is not None:
                self._check_token_second_factor(user, membership)
            for target in (request, django_request):
                target.membership = membership  # type: ignore[attr-defined]
                target.organization = organization  # type: ignore[attr-defined]
            context.activate(organization.pk if organization else None, user.pk)
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    @staticmethod
    def _check_token_second_factor(user: Any, membership: Any) -> None:
        """A token (no session, so no second-factor step) of a member whose organisation now
        requires a second factor of their role, who has none: refused until they enrol (the
        session middleware does the same for pages, core/middleware_2fa.py)."""
        from organizations import two_factor

        if two_factor.second_factor_required(membership) and not two_factor.has_second_factor(user):
            context.activate(None, user.pk)
            raise exceptions.PermissionDenied(
                {
                    "detail": "Votre organisation exige un second facteur pour votre rôle : "
                    "activez-le sur le site, puis demandez un nouveau jeton.",
                    "code": "second_factor_required",
                }
            )

    def policy_action(self) -> str | None:
        action = getattr(self, "action", None)
        if action in self.action_rules:
            return self.action_rules[action]
        if self.request.method in permissions.SAFE_METHODS:  # type: ignore[attr-defined]
            return self.read_action
        return self.write_action


class OrganizationAPIView(OrganizationAPIMixin, APIView):
    """A non-model API view inside the current organisation."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # A method the view does not implement is a 405 before any policy check (which would
        # otherwise answer 403: no policy action for it).
        method = (request.method or "").lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method or "")
        super().initial(request, *args, **kwargs)


class OrganizationViewSet(OrganizationAPIMixin, viewsets.GenericViewSet):
    """Base of every model API. Implement `scoped_queryset()` with a selector; the base
    filters on the current organisation once more and serves objects by public UUID, so
    another organisation's object is a 404."""

    lookup_field = "public_id"
    lookup_url_kwarg = "public_id"
    model: ClassVar[type[models.Model]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset(): implement scoped_queryset() instead; "
                "organisation scoping belongs to OrganizationViewSet."
            )

    def scoped_queryset(self) -> models.QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.model._base_manager.none()
        organization = self.request.organization  # type: ignore[attr-defined]
        if organization is None:
            raise Http404
        return self.scoped_queryset().filter(organization_id=organization.pk)

    @property
    def organization(self) -> Any:
        return self.request.organization  # type: ignore[attr-defined]


class ReadOnlyOrganizationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet
):
    pass
