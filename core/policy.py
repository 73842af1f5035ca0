"""The permission policy, written as data: which roles may perform which action.

Each app declares its rules in `<app>/policy.py` as `RULES = {"action": {roles}}`; they are
collected here under `"<app>.<action>"`. Views (decorators), the API (base viewset) and
templates (`can` context variable) all ask `is_allowed()`: one policy, checked in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from django.apps import apps

# Access rules that are not policy actions.
PUBLIC = "public"  # anonymous allowed (explicit allow-list in tests)
AUTHENTICATED = "authenticated"  # any logged-in user, no organisation needed
PLATFORM_ADMIN = "platform_admin"  # Django admin: platform staff only

_RULES: dict[str, frozenset[str]] = {}
_loaded = False


def _load() -> None:
    global _loaded
    if _loaded:
        return
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.policy")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.policy":
                raise
            continue
        for action, roles in getattr(module, "RULES", {}).items():
            _RULES[f"{config.label}.{action}"] = frozenset(str(role) for role in roles)
    _loaded = True


def actions() -> dict[str, frozenset[str]]:
    _load()
    return dict(_RULES)


def is_known(action: str) -> bool:
    _load()
    return action in _RULES


def is_allowed(role: str | None, action: str) -> bool:
    _load()
    if action not in _RULES:
        raise KeyError(f"Unknown policy action {action!r}: declare it in <app>/policy.py")
    return role is not None and role in _RULES[action]


def roles_for(action: str) -> frozenset[str]:
    _load()
    return _RULES[action]


def everyone(*, but: Iterable[str] = ()) -> frozenset[str]:
    from organizations.enums import Role

    excluded = {str(role) for role in but}
    return frozenset(str(role) for role in Role.values if role not in excluded)
