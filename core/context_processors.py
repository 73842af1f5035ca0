from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core import policy
from core.context import current_user_id


class Can:
    """`{% if can.housing.edit_household %}` in templates: the same policy as views and API."""

    def __init__(self, role: str | None, prefix: str = "") -> None:
        self._role = role
        self._prefix = prefix

    def __getitem__(self, name: str) -> Any:
        if not self._prefix:
            return Can(self._role, name)
        return policy.is_allowed(self._role, f"{self._prefix}.{name}")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]


def organization(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    memberships: list = []
    if request.user.is_authenticated and membership is not None and current_user_id() is not None:
        from organizations.selectors import user_memberships

        memberships = user_memberships(user=request.user)
    return {
        "current_organization": getattr(request, "organization", None),
        "current_membership": membership,
        "user_memberships": memberships,
        "can": Can(membership.role if membership else None),
    }
