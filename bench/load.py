"""2. Concurrent load: locust (its own tool environment: `uv tool run --from locust==…`), a
mixed workload of the pages found by bench/pages.py for a fixed duration, then the same number
of users on the bare login-required one-query view (`/__bench__/ping/`, bench settings only):
throughput, p95, errors, and the ratio mixed / bare."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from typing import Any

from bench.common import BASE_DIR, WORK_DIR, Figures

LOCUST = os.environ.get("BENCH_LOCUST_SPEC", "locust==2.47.0")
# Who does what: role -> (weight, page keys).
PROFILES = {
    "social_worker": (4, ["household_search", "household_file", "caseload", "home"]),
    "commission_secretary": (2, ["commission_session", "candidate_assistant", "household_file"]),
    "arrears_officer": (2, ["arrears_dashboard", "household_file"]),
    "manager": (1, ["manager_dashboard", "quotas_dashboard", "home"]),
}


def _locust(config: dict[str, Any], name: str, base: str, users: int, seconds: int) -> dict:
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    config_path = WORK_DIR / f"locust_{name}.json"
    config_path.write_text(json.dumps(config))
    prefix = WORK_DIR / f"locust_{name}"
    env = dict(os.environ, BENCH_LOCUST_CONFIG=str(config_path))
    for key in ("DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV"):
        env.pop(key, None)
    command = [
        str(BASE_DIR / "bin" / "uv"),
        "tool",
        "run",
        "--from",
        LOCUST,
        "locust",
        "-f",
        str(BASE_DIR / "bench" / "locustfile.py"),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--exit-code-on-error",
        "0",
        "--stop-timeout",
        "5",
        "--loglevel",
        "WARNING",
    ]
    with open(WORK_DIR / f"locust_{name}.log", "wb") as log:
        subprocess.run(
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=seconds + 180,
            cwd=BASE_DIR,
        )
    with open(f"{prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return {
        "rps": float(total["Requests/s"]),
        "p95_ms": float(total["95%"] or 0),
        "p50_ms": float(total["50%"] or 0),
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "by_page": {r["Name"]: float(r["95%"] or 0) for r in rows if r["Name"] != "Aggregated"},
    }


def run(figures: Figures, server: Any, ctx: dict[str, Any], found: dict[str, Any]) -> None:
    users = int(os.environ.get("BENCH_LOAD_USERS", "8"))
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "30"))
    cookies = ctx["cookies"]
    specs = []
    # Pages of several seconds would only block the two sync workers: left out of the mix
    # (their single-user figures say enough).
    slow = sorted(k for k, v in found.items() if v.get("p50_ms", 0) > 3000)
    if slow:
        figures.put("load.excluded_slow_pages", ",".join(slow))
    for role, (weight, keys) in PROFILES.items():
        paths = [
            [k, found[k]["path"]]
            for k in keys
            if k in found and found[k]["status"] == 200 and k not in slow
        ]
        if paths and role in cookies:
            specs.append({"name": role, "weight": weight, "cookie": cookies[role], "paths": paths})
    api = [[k, v["path"]] for k, v in found.items() if v.get("api")]
    if api:
        specs.append(
            {
                "name": "api_client",
                "weight": 2,
                "cookie": cookies["manager"],
                "paths": api,
                "headers": {
                    "X-Organization": ctx["organization"].slug,
                    "Accept": "application/json",
                },
            }
        )
    figures.put("load.users", users)
    figures.put("load.seconds", seconds)
    try:
        mixed = _locust({"users": specs}, "mixed", server.base, users, seconds)
        bare = _locust(
            {
                "users": [
                    {
                        "name": "bare",
                        "weight": 1,
                        "cookie": cookies["social_worker"],
                        "paths": [["ping", "/__bench__/ping/"]],
                    }
                ]
            },
            "bare",
            server.base,
            users,
            seconds,
        )
    except (subprocess.SubprocessError, OSError, StopIteration) as error:
        figures.missing("load", f"locust could not run: {error}")
        return
    for key in ("rps", "p50_ms", "p95_ms", "requests", "errors"):
        figures.put(f"load.mixed.{key}", mixed[key])
    for page, p95 in sorted(mixed["by_page"].items()):
        figures.put(f"load.mixed.page.{page}.p95_ms", p95)
    for key in ("rps", "p50_ms", "p95_ms", "errors"):
        figures.put(f"load.bare.{key}", bare[key])
    if bare["rps"]:
        figures.put("load.ratio_mixed_to_bare", mixed["rps"] / bare["rps"])
