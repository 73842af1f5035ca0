"""4. The yearly report at the generated size: time and the worker's peak memory (targets
≤ 60 s, ≤ 1 GB). Runs bench/report_worker.py in a fresh process so its peak RSS is the
report's own (plus Django's baseline)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from django.apps import apps

from bench.common import BASE_DIR, Figures


def run(figures: Figures, ctx: dict[str, Any]) -> None:
    try:
        apps.get_model("reporting.ReportJob")
        from reporting import services, tasks  # noqa: F401
    except (LookupError, ImportError) as error:
        figures.missing("report", f"reporting.ReportJob / build task not there: {error}")
        return
    year = ctx["as_of"].year - (1 if ctx["as_of"].month < 12 else 0)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.bench")
    env.pop("REDIS_URL", None)  # no broker: the request must not be sent to another worker
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.report_worker", ctx["organization"].slug, str(year)],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        line = [x for x in done.stdout.splitlines() if x.startswith("{")][-1]
        result = json.loads(line)
    except (subprocess.SubprocessError, IndexError, ValueError) as error:
        tail = locals().get("done").stderr[-500:] if locals().get("done") else ""
        figures.missing("report", f"could not run: {error} {tail}".replace("\n", " ")[:400])
        return
    if "missing" in result:
        figures.missing("report", result["missing"])
        return
    figures.put("report.year", year)
    figures.put("report.status", result["status"])
    figures.put("report.seconds", result["seconds"])
    figures.put("report.peak_mb", result["peak_mb"])
    for step, seconds in sorted((result.get("timings") or {}).items()):
        if isinstance(seconds, int | float):
            figures.put(f"report.step.{step}.seconds", float(seconds))
    if result.get("error"):
        print(f"# report error: {result['error']}")
