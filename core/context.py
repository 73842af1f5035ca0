"""The current organisation: one value, set once per request or task, enforced twice.

1. In the application: `OrganizationScopedManager` filters every query on the current
   organisation, and refuses to run at all when none is set (outside `dangerously_unscoped`).
2. In PostgreSQL: the same value is written to the transaction-local setting
   `app.organization_id`, which the row-level security policies compare with each row's
   `organization_id` (see core/db.py). No setting, no rows. An organisation that holds
   partner grants also switches to the partner role, the only one the partner-access
   policies apply to (privacy/rls.py).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction

if TYPE_CHECKING:
    from organizations.models import Organization, User

_organization_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "parcours_organization_id", default=None
)
_user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "parcours_user_id", default=None
)
_unscoped_reason: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "parcours_unscoped_reason", default=None
)


class UnscopedQueryError(RuntimeError):
    """An organisation-owned model was queried with no organisation in context."""


def current_organization_id() -> int | None:
    return _organization_id.get()


def current_user_id() -> int | None:
    return _user_id.get()


def unscoped_reason() -> str | None:
    return _unscoped_reason.get()


def set_database_context(organization_id: int | None, user_id: int | None) -> None:
    """The organisation and user of the current transaction, for PostgreSQL: the settings the
    row-level policies read, and the partner role while acting for an organisation that holds
    partner grants (`core_activate`, core migration 0006). Transaction-local."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT core_activate(%s, %s, %s)",
            [
                "" if organization_id is None else str(organization_id),
                "" if user_id is None else str(user_id),
                settings.DATABASE_PARTNER_ROLE,
            ],
        )


_set_database_context = set_database_context


@contextlib.contextmanager
def organization_context(
    organization: Organization | int | None, *, user: User | int | None = None
) -> Iterator[None]:
    """Run the block as `organization` (and `user`, for the audit trail), in one transaction.

    Nesting is allowed; the previous context is restored on exit, in the application and in
    the database session.
    """
    org_id = (
        organization if isinstance(organization, int) or organization is None else organization.pk
    )
    user_id = user if isinstance(user, int) or user is None else user.pk
    previous = (_organization_id.get(), _user_id.get())
    org_token = _organization_id.set(org_id)
    user_token = _user_id.set(user_id)
    try:
        with transaction.atomic():
            _set_database_context(org_id, user_id)
            try:
                yield
            finally:
                if not connection.needs_rollback:
                    _set_database_context(*previous)
    finally:
        _organization_id.reset(org_token)
        _user_id.reset(user_token)


def activate(organization_id: int | None, user_id: int | None) -> None:
    """Set the context for the rest of the current request (the middleware's transaction)."""
    _organization_id.set(organization_id)
    _user_id.set(user_id)
    _set_database_context(organization_id, user_id)


def deactivate() -> None:
    _organization_id.set(None)
    _user_id.set(None)
    if (
        connection.vendor == "postgresql"
        and connection.connection is not None
        and not connection.needs_rollback
    ):
        with contextlib.suppress(Exception):
            _set_database_context(None, None)


@contextlib.contextmanager
def dangerously_unscoped(reason: str) -> Iterator[None]:
    """Let organisation-owned models be queried without an organisation, in the application.

    For named platform code only (the platform admin, cross-organisation maintenance). It does
    not lift row-level security: on PostgreSQL the application role still sees no rows unless
    an organisation is set in the database session.
    """
    if not reason:
        raise ValueError("dangerously_unscoped needs a reason")
    token = _unscoped_reason.set(reason)
    try:
        yield
    finally:
        _unscoped_reason.reset(token)


def is_postgresql() -> bool:
    return bool(getattr(settings, "IS_POSTGRESQL", False)) and connection.vendor == "postgresql"
