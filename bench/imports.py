"""5. Imports from CSV, through the apps' own import services (targets: 100,000 dwellings
≤ 60 s; 12 months × 100,000 account statements ≤ 120 s).

- Dwellings: `housing.imports.stock_spec` + `core.imports.run_import`, as the application
  role in the organisation's context, BENCH_IMPORT_ROWS rows (default 100,000, the target);
  the time includes the foreign-key checks PostgreSQL defers to the commit (run here with
  `SET CONSTRAINTS ALL IMMEDIATE`), then the same file is imported again (all unchanged).
  Rolled back afterwards so the benchmark database stays as generated.
- Account statements: `bench/arrears_import.py` (the arrears app's own script) is run as
  `python -m bench.arrears_import` for 12 months × BENCH_LEASES leases (default 100,000, the
  target); every `bench.<key> <value>` line it prints is recorded.

Both roll back, which leaves the rows they wrote as dead versions and the visibility map of
the pages they touched cleared: without autovacuum (off on the project's machines) every
later index-only scan of those tables would visit the heap (a count of the statements went
from 0.2 to 7.7 s). The touched tables are VACUUMed (as the owner) after each part, so that a
later `BENCH_REUSE=1` run measures the data as generated.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from typing import Any

from bench.common import BASE_DIR, Figures

STOCK_HEADER = [
    "residence_ref",
    "residence_name",
    "address",
    "postal_code",
    "commune",
    "commune_insee",
    "epci_code",
    "epci_name",
    "qpv",
    "territory",
    "dwelling_ref",
    "typology",
    "surface",
    "floor",
    "lift",
    "pmr",
    "financing",
    "rent",
    "charges",
    "status",
]


def stock_csv(rows: int, territory: str) -> bytes:
    import random

    rng = random.Random(42)
    out = io.StringIO()
    out.write(";".join(STOCK_HEADER) + "\n")
    for i in range(rows):
        res = i // 50
        typ = rng.choice(["T1", "T2", "T3", "T3", "T4", "T5"])
        surface = {"T1": 30, "T2": 48, "T3": 65, "T4": 80, "T5": 95}[typ] + rng.randint(-4, 4)
        out.write(
            ";".join(
                [
                    f"IMP{res:05d}",
                    f"Résidence importée {res}",
                    f"{res % 90 + 1} rue de l'Import",
                    "57000",
                    "Metz",
                    "57463",
                    "200039709",
                    "Eurométropole de Metz",
                    "oui" if res % 4 == 0 else "non",
                    territory,
                    f"IMP{res:05d}-{i % 50 + 1:03d}",
                    typ,
                    f"{surface},00",
                    str(i % 6),
                    "oui" if i % 3 == 0 else "non",
                    "non",
                    "plus",
                    f"{surface * 6.1:.2f}".replace(".", ","),
                    f"{surface * 1.8:.2f}".replace(".", ","),
                    "vacant",
                ]
            )
            + "\n"
        )
    return out.getvalue().encode("utf-8")


def housing_stock(figures: Figures, ctx: dict[str, Any]) -> None:
    try:
        from core.imports import ImportFailed, run_import
        from housing.imports import stock_spec
    except ImportError as error:
        figures.missing("imports.dwellings", f"housing import not there: {error}")
        return
    from django.db import connection, transaction

    from core.context import organization_context
    from organizations.models import Territory

    org, user = ctx["organization"], ctx["users"]["org_admin"]
    rows = int(os.environ.get("BENCH_IMPORT_ROWS") or 100_000)
    with organization_context(org):
        territory = Territory.objects.order_by("pk").first().name
    content = stock_csv(rows, territory)
    try:
        with organization_context(org, user=user), transaction.atomic():
            started = time.perf_counter()
            result = run_import(content, stock_spec(organization=org, acting_user=user))
            imported = time.perf_counter()
            with connection.cursor() as cursor:  # what the commit would check
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            elapsed = time.perf_counter() - started
            again_started = time.perf_counter()
            again = run_import(content, stock_spec(organization=org, acting_user=user))
            again_elapsed = time.perf_counter() - again_started
            transaction.set_rollback(True)
    except ImportFailed as error:
        figures.missing("imports.dwellings", f"file refused: {error.errors[:3]}")
        return
    figures.put("imports.dwellings.rows", rows)
    figures.put("imports.dwellings.seconds", elapsed)
    figures.put("imports.dwellings.deferred_checks_seconds", started + elapsed - imported)
    figures.put("imports.dwellings.rows_per_s", rows / elapsed)
    figures.put("imports.dwellings.projected_100k_s", elapsed * 100_000 / rows)
    figures.put("imports.dwellings.created", result.counts.get("created", 0))
    figures.put("imports.dwellings.reimport_seconds", again_elapsed)
    figures.put("imports.dwellings.reimport_unchanged", again.counts.get("unchanged", 0))


def arrears_statements(figures: Figures, ctx: dict[str, Any]) -> None:
    if not (BASE_DIR / "bench" / "arrears_import.py").exists():
        figures.missing("imports.statements", "bench/arrears_import.py not there yet")
        return
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.bench",
        BENCH_ORGANIZATION=ctx["organization"].slug,
        BENCH_SIZE=ctx["size"],
        # The target's 100,000 leases whatever the size (the missing ones are created for the
        # run and rolled back); BENCH_LEASES=10000 for a quicker, projected figure.
        BENCH_LEASES=os.environ.get("BENCH_LEASES", "100000"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "bench.arrears_import"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    recorded = 0
    for line in done.stdout.splitlines():
        if line.startswith("bench.") and " " in line:
            key, value = line[len("bench.") :].split()[:2]
            try:
                figures.put(key, float(value))
            except ValueError:
                figures.put(key, value)
            recorded += 1
    if done.returncode != 0 or not recorded:
        tail = (done.stderr or done.stdout)[-300:].replace("\n", " ")
        figures.missing("imports.statements", f"bench/arrears_import.py failed: {tail}")


def vacuum(ctx: dict[str, Any], tables: list[str]) -> None:
    import psycopg

    with psycopg.connect(ctx["owner_url"], autocommit=True) as conn:
        for table in tables:
            conn.execute(f"VACUUM (ANALYZE) {table}")


def run(figures: Figures, ctx: dict[str, Any]) -> None:
    try:
        housing_stock(figures, ctx)
    finally:
        vacuum(ctx, ["housing_residence", "housing_dwelling", "core_auditevent"])
    try:
        arrears_statements(figures, ctx)
    finally:
        vacuum(ctx, ["housing_lease", "arrears_accountstatement", "arrears_statementimport"])
