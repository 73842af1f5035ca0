"""The report's PDF: rendered from the frozen snapshot only (never from live records), with
the print stylesheet (core/pdf.py) and the report's own (static/css/report-print.css)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from reporting.build import present
from reporting.indicators import registry

TEMPLATES = {
    "annual_activity": "reporting/pdf/annual_activity.html",
    "reservation_review": "reporting/pdf/annual_activity.html",
}


def report_context(*, job: Any, snapshot: dict[str, Any]) -> dict[str, Any]:
    keys = [entry["key"] for part in snapshot["sections"] for entry in part["indicators"]]
    known = registry()
    return {
        "job": job,
        "snapshot": snapshot,
        "sections": present(snapshot),
        "definitions": [known[key] for key in keys if key in known],
        "requested_on": job.created_at,
    }


def render_report(*, job: Any, snapshot: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML

    with translation.override("fr"):
        html = render_to_string(TEMPLATES[job.kind], report_context(job=job, snapshot=snapshot))
    stylesheets = [
        CSS(filename=path)
        for path in (finders.find("css/print.css"), finders.find("css/report-print.css"))
        if path
    ]
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=stylesheets)
