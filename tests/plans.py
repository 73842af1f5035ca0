"""Query plans in tests: which index a query uses, with the other paths forbidden to the planner
(a test database holds a few rows, where any plan is cheap: forbidding the alternatives shows
whether the index CAN serve the query, whatever the volume)."""

from __future__ import annotations

from typing import Any

from django.db import connection

from core.context import organization_context


def explain(organization: Any, sql: str, params: Any = None, *, forbid: tuple[str, ...]) -> str:
    """EXPLAIN of `sql` as `organization`, with `enable_<path> = off` for each path of `forbid`
    (`sort`, `seqscan`, `bitmapscan`…), reset afterwards (the test's transaction goes on)."""
    with organization_context(organization), connection.cursor() as cursor:
        for path in forbid:
            cursor.execute(f"SET LOCAL enable_{path} = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        for path in forbid:
            cursor.execute(f"RESET enable_{path}")
    return plan
