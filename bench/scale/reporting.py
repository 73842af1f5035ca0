"""Scale data for `reporting`: nothing to generate. Its rows (report jobs, stored PDFs) are
what the yearly-report benchmark (bench/report.py) produces from the other apps' data."""

from __future__ import annotations

from typing import Any

from bench.scale import Context


def generate(ctx: Context) -> Any:
    return ctx.model("reporting.ReportJob") is not None  # False: reported "missing"
