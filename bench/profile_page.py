"""Which queries make a page slow: `python -m bench.profile_page <page key> [n]`.

Renders the page in process (Django test client, bench settings, application role, the
generated organisation bench-01) and prints its n slowest SQL statements with their time,
then EXPLAIN (ANALYZE, BUFFERS) of the slowest. Page keys: bench/pages.py PAGES."""

from __future__ import annotations

import os
import sys
import time


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from bench.pages import PAGES, find_url, make_cookies
    from core.context import organization_context
    from organizations.models import Organization

    settings.ALLOWED_HOSTS = ["*"]
    key = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    page = next(p for p in PAGES if p.key == key)
    org = Organization.objects.get(slug="bench-01")
    with organization_context(org):
        path = find_url(page)
    cookie = make_cookies(org)[page.role]
    client = Client()
    name, value = cookie.split("=", 1)
    client.cookies[name] = value
    client.get(path)  # warm
    timings: list[tuple[float, str, object]] = []

    def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - started, sql, params))

    started = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        response = client.get(path)
    total = time.perf_counter() - started
    print(
        f"{path} -> {response.status_code} in {total * 1000:.0f} ms, {len(timings)} queries, "
        f"{sum(t for t, _, _ in timings) * 1000:.0f} ms in SQL"
    )
    timings.sort(key=lambda t: -t[0])
    for seconds, sql, _ in timings[:n]:
        print(f"\n-- {seconds * 1000:.1f} ms\n{sql[:2000]}")
    if timings:
        _, sql, params = timings[0]
        with organization_context(org), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
