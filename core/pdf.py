"""PDF documents: HTML templates rendered by WeasyPrint with the print stylesheet
(static/css/print.css: A4, fonts set explicitly, page numbers in the margin boxes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML

    with translation.override("fr"):
        html = render_to_string(template_name, context)
    stylesheet = finders.find("css/print.css")
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=stylesheet)] if stylesheet else None
    )
