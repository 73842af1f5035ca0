"""Query counting for benchmarks (enabled by config/settings/bench.py only)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


class QueryCountMiddleware:
    """Count the SQL statements of a request (every middleware included) and their time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        stats = {"queries": 0, "seconds": 0.0}

        def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["queries"] += 1
                stats["seconds"] += time.perf_counter() - started

        with connections["default"].execute_wrapper(wrapper):
            response = self.get_response(request)
        response.headers["X-Bench-Queries"] = str(stats["queries"])
        response.headers["X-Bench-Db-Ms"] = f"{stats['seconds'] * 1000:.1f}"
        return response
