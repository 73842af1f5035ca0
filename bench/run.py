"""Run the benchmarks against the generated database (bin/bench prepares it).

    DATABASE_URL=<app role URL> BENCH_OWNER_URL=<owner URL> python -m bench.run

Prints `bench.<key> <value>` lines and writes bench/results/latest.json. Exits non-zero only
when the benchmarks could not run at all; each failed or absent part is reported "missing".
BENCH_ONLY=pages,load,isolation,report,indicators,imports picks parts ("report" includes
"indicators", the yearly report's indicators vs hand-written SQL).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import date
from pathlib import Path
from typing import Any

TARGETS = {
    "pages_p95_ms": 150,
    "api_p95_ms": 100,
    "isolation_ratio": 1.2,
    "report_seconds": 60,
    "report_peak_mb": 1024,
    "indicators_vs_sql_ratio": 3,
    "import_dwellings_100k_s": 60,
    "import_statements_12x100k_s": 120,
}


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version()}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        info["cpu"] = next(
            (
                x.split(":", 1)[1].strip()
                for x in Path("/proc/cpuinfo").read_text().splitlines()
                if x.startswith("model name")
            ),
            "",
        )
    except OSError:
        pass
    try:
        info["redis"] = subprocess.run(
            ["redis-server", "--version"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except OSError:
        info["redis"] = "not found"
    return info


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    import psycopg

    from bench import imports, indicators, isolation, load, pages, report
    from bench.common import WORK_DIR, Figures, Server, write_results
    from core.context import organization_context
    from organizations.models import Membership, Organization

    figures = Figures()
    only = {x for x in os.environ.get("BENCH_ONLY", "").split(",") if x}
    size = os.environ.get("BENCH_SIZE", "M")
    owner_url = os.environ["BENCH_OWNER_URL"]
    app_url = os.environ["DATABASE_URL"]
    as_of = date.fromisoformat(
        os.environ.get("BENCH_AS_OF") or date.today().replace(day=1).isoformat()
    )
    meta: dict[str, Any] = {
        "size": size,
        "as_of": as_of,
        "machine": machine(),
        "targets": TARGETS,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    with psycopg.connect(owner_url) as conn:
        meta["machine"]["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
        meta["database_mb"] = round(
            conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 1048576
        )
    with contextlib.suppress(OSError):
        meta["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    scale_file = Path(os.environ.get("BENCH_SCALE_LOG", "var/bench/scale.txt"))
    if scale_file.exists():
        for line in scale_file.read_text().splitlines():
            if line.startswith("scale.") and " " in line:
                key, value = line.split(" ", 1)
                figures.put(key, float(value) if "." in value else int(value))

    try:
        organization = Organization.objects.get(slug="bench-01")
    except Organization.DoesNotExist:
        print("bench: no generated data (organisation bench-01): run bin/bench", file=sys.stderr)
        return 2
    with organization_context(organization):
        users: dict[str, Any] = {}
        for m in Membership.objects.select_related("user").order_by("pk"):
            users.setdefault(m.role, m.user)
    ctx = {
        "organization": organization,
        "users": users,
        "size": size,
        "as_of": as_of,
        "owner_url": owner_url,
        "app_url": app_url,
        "cookies": pages.make_cookies(organization),
    }

    def part(name: str, function: Any, *args: Any) -> Any:
        if only and name not in only:
            return None
        # Other work on the machine inflates every figure: the load it started under.
        figures.put(f"{name}.load_average_1m", round(os.getloadavg()[0], 2))
        started = time.perf_counter()
        try:
            return function(*args)
        except Exception as error:  # a part that breaks is reported, the others still run
            traceback.print_exc()
            figures.missing(name, f"{type(error).__name__}: {error}".splitlines()[0][:300])
            return None
        finally:
            print(f"# {name}: {time.perf_counter() - started:.1f} s", flush=True)

    found: dict[str, Any] = {}
    if not only or only & {"pages", "load"}:
        try:
            with Server(workers=int(os.environ.get("BENCH_WORKERS", "2"))) as server:
                found_file = WORK_DIR / "pages_found.json"
                if only and "pages" not in only and found_file.exists():
                    found = json.loads(found_file.read_text())  # the last run's pages
                else:
                    found = part("pages", pages.run, figures, server, ctx) or {}
                    if not os.environ.get("BENCH_PAGES"):
                        found_file.write_text(json.dumps(found))
                if found:
                    part("load", load.run, figures, server, ctx, found)
                elif not only or "load" in only:
                    figures.missing("load", "no page answered")
        except RuntimeError as error:
            figures.missing("pages", str(error))
            figures.missing("load", str(error))
    part("isolation", isolation.run, figures, ctx)
    part("report", report.run, figures, ctx)
    if only and "report" in only:
        only.add("indicators")
    part("indicators", indicators.run, figures, ctx)
    part("imports", imports.run, figures, ctx)
    meta["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    path = write_results(figures, meta, merge=bool(only))
    print(f"# results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
