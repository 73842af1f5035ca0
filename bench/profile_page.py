"""Which queries make a page slow: `python -m bench.profile_page <key> [n] [match]`.

Renders the page in process (Django test client, bench settings, application role, the
generated organisation bench-01) and prints its n slowest SQL statements with their time,
then EXPLAIN (ANALYZE, BUFFERS) of the slowest (of the slowest containing `match` when given,
e.g. `ANY(ARRAY` or a table name). Keys: the pages of bench/pages.py PAGES, or `api_<prefix>`
for an API list (a page of 50, as the manager: `api_leases`, `api_account_statements`)."""

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
    match = sys.argv[3] if len(sys.argv) > 3 else ""
    org = Organization.objects.get(slug="bench-01")
    headers: dict[str, str] = {}
    if key.startswith("api_"):
        from django.urls import reverse

        from config.urls import router

        prefix = key.removeprefix("api_")
        basename = next(
            b for p, _, b in router.registry if p.replace("/", "_").replace("-", "_") == prefix
        )
        path, role = reverse(f"{basename}-list") + "?page_size=50", "manager"
        headers = {"HTTP_X_ORGANIZATION": org.slug, "HTTP_ACCEPT": "application/json"}
    else:
        page = next(p for p in PAGES if p.key == key)
        with organization_context(org):
            path = find_url(page)
        role = page.role
    cookie = make_cookies(org)[role]
    client = Client(**headers)
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
    chosen = [t for t in timings if match in t[1]] if match else timings
    if chosen:
        _, sql, params = chosen[0]
        with organization_context(org), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
