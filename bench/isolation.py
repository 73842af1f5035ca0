"""3. Isolation cost: the key queries with row-level security on (application role,
`set_config('app.organization_id')`) vs off (owner role, BYPASSRLS), both with the explicit
organisation filter the application's scoped managers add. Ratio of medians; target ≤ 1.2."""

from __future__ import annotations

import os
import time
from typing import Any

import psycopg

from bench.common import Figures, median

# name: (SQL with %(org)s, tables it needs)
QUERIES: dict[str, tuple[str, list[str]]] = {
    "household_search": (
        "SELECT h.id, h.name FROM housing_household h WHERE h.organization_id = %(org)s "
        "AND {search} LIKE '%%martin%%' ORDER BY h.name, h.id LIMIT 50",
        ["housing_household"],
    ),
    "household_file": (
        "SELECT h.name, p.first_name, p.last_name, l.start_date, d.reference, r.name "
        "FROM housing_household h JOIN housing_person p ON p.household_id = h.id "
        "LEFT JOIN housing_lease l ON l.household_id = h.id AND l.end_date IS NULL "
        "LEFT JOIN housing_dwelling d ON d.id = l.dwelling_id "
        "LEFT JOIN housing_residence r ON r.id = d.residence_id "
        "WHERE h.organization_id = %(org)s AND p.organization_id = %(org)s "
        "AND h.id = (SELECT min(id) + 1000 FROM housing_household WHERE organization_id = %(org)s)",
        ["housing_household"],
    ),
    "dwelling_list_page": (
        "SELECT d.reference, d.typology, d.rent, r.name FROM housing_dwelling d "
        "JOIN housing_residence r ON r.id = d.residence_id "
        "WHERE d.organization_id = %(org)s AND d.status = 'vacant' ORDER BY d.reference LIMIT 50",
        ["housing_dwelling"],
    ),
    "stock_by_status": (
        "SELECT status, typology, count(*), avg(rent) FROM housing_dwelling "
        "WHERE organization_id = %(org)s GROUP BY 1, 2",
        ["housing_dwelling"],
    ),
    "current_leases_page": (
        "SELECT l.start_date, h.name, d.reference FROM housing_lease l "
        "JOIN housing_household h ON h.id = l.household_id "
        "JOIN housing_dwelling d ON d.id = l.dwelling_id "
        "WHERE l.organization_id = %(org)s AND l.end_date IS NULL "
        "ORDER BY l.start_date DESC, l.id LIMIT 50",
        ["housing_lease"],
    ),
    "households_without_income": (
        "SELECT count(*) FROM housing_household h WHERE h.organization_id = %(org)s AND NOT "
        "EXISTS (SELECT 1 FROM housing_person p JOIN housing_income i ON i.person_id = p.id "
        "WHERE p.household_id = h.id)",
        ["housing_income"],
    ),
    "timeline_of_household": (
        "SELECT at, title FROM core_timelineevent WHERE organization_id = %(org)s "
        "AND household_id = (SELECT min(id) + 10 FROM housing_household "
        "WHERE organization_id = %(org)s) ORDER BY at DESC LIMIT 50",
        ["core_timelineevent"],
    ),
}


def extra_queries(tables: set[str]) -> dict[str, tuple[str, list[str]]]:
    """Queries of apps that landed later, added by table presence (columns checked at run)."""
    out: dict[str, tuple[str, list[str]]] = {}
    for table in sorted(tables):
        if table.startswith(("cases_", "allocations_", "arrears_")) and table in {
            "cases_socialcase",
            "cases_intervention",
            "allocations_housingapplication",
            "allocations_decision",
            "arrears_accountstatement",
            "arrears_arrearscase",
        }:
            out[f"count_{table}"] = (
                f"SELECT count(*) FROM {table} WHERE organization_id = %(org)s",
                [table],
            )
    return out


def _time(conn: Any, sql: str, params: dict[str, Any], org: int | None) -> float:
    with conn.transaction():
        if org is not None:
            conn.execute("SELECT set_config('app.organization_id', %s, true)", [str(org)])
        started = time.perf_counter()
        conn.execute(sql, params).fetchall()
        return time.perf_counter() - started


def run(figures: Figures, ctx: dict[str, Any]) -> None:
    owner_url, app_url = ctx["owner_url"], ctx["app_url"]
    org = ctx["organization"].pk
    repeat = int(os.environ.get("BENCH_ISOLATION_REPEAT", "25"))
    with (
        psycopg.connect(owner_url, autocommit=True) as owner,
        psycopg.connect(app_url, autocommit=True) as app,
    ):
        tables = {
            r[0]
            for r in owner.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        }
        has_unaccent = (
            owner.execute("SELECT 1 FROM pg_proc WHERE proname = 'housing_unaccent'").fetchone()
            is not None
        )
        search = "housing_unaccent(h.search_text)" if has_unaccent else "lower(h.search_text)"
        queries = {**QUERIES, **extra_queries(tables)}
        ratios = []
        for name, (sql, needs) in queries.items():
            if not set(needs) <= tables:
                figures.missing(f"isolation.{name}", "table not there yet")
                continue
            sql = sql.replace("{search}", search)
            params = {"org": org}
            on: list[float] = []
            off: list[float] = []
            try:
                for _ in range(3):  # warm both
                    _time(app, sql, params, org)
                    _time(owner, sql, params, None)
                for _ in range(repeat):
                    on.append(_time(app, sql, params, org))
                    off.append(_time(owner, sql, params, None))
            except psycopg.Error as error:
                figures.missing(f"isolation.{name}", f"error: {error}".splitlines()[0])
                continue
            ratio = median(on) / median(off) if median(off) > 0 else float("nan")
            figures.put(f"isolation.{name}.rls_ms", median(on) * 1000)
            figures.put(f"isolation.{name}.no_rls_ms", median(off) * 1000)
            figures.put(f"isolation.{name}.ratio", ratio)
            ratios.append(ratio)
        if ratios:
            product = 1.0
            for r in ratios:
                product *= r
            figures.put("isolation.ratio_geomean", product ** (1 / len(ratios)))
            figures.put("isolation.ratio_max", max(ratios))
            figures.put("isolation.target", 1.2)
