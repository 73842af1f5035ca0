"""Celery plumbing: every task that touches organisation data runs inside its organisation.

    @organization_task
    def report_build(*, organization_id: int, job_id: int) -> None: ...

    enqueue_on_commit(report_build, organization_id=org.pk, job_id=job.pk)

Tasks take ids (never objects), must be safe to run twice, and are sent only once the
transaction that created their work commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from core import context

logger = logging.getLogger(__name__)


def organization_task(func: Callable[..., Any] | None = None, **task_options: Any) -> Any:
    def decorator(f: Callable[..., Any]) -> Any:
        @wraps(f)
        def run(
            *args: Any, organization_id: int, acting_user_id: int | None = None, **kwargs: Any
        ) -> Any:
            with context.organization_context(organization_id, user=acting_user_id):
                return f(*args, organization_id=organization_id, **kwargs)

        return shared_task(**task_options)(run)

    return decorator(func) if func is not None else decorator


def send_task(task: Any, **kwargs: Any) -> bool:
    """Send now; False (logged) when the broker is unreachable. The job's row stays the truth:
    a periodic re-dispatcher sends what is still queued once the broker is back."""
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except (OperationalError, ConnectionError, OSError, TimeoutError) as error:
        logger.warning("Broker unreachable, %s left for re-dispatch: %s", task.name, error)
        return False
    return True


def enqueue_on_commit(task: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: send_task(task, **kwargs))


@shared_task
def visible_rows(table: str = "organizations_territory") -> int:
    """Diagnostic: how many rows of `table` this worker sees with no organisation set.
    Must be 0 on PostgreSQL (row-level security); see docs/operations.md."""
    from django.db import connection

    from core.db import organization_tables

    with connection.cursor() as cursor:
        if table not in organization_tables(cursor):
            raise ValueError(f"{table} is not an organisation table")
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        return int(cursor.fetchone()[0])


@organization_task
def count_territories(*, organization_id: int) -> int:
    """Diagnostic: the territories a task sees inside its organisation."""
    from organizations.models import Territory

    return Territory.objects.count()
