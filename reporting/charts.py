"""Charts as SVG, rendered server-side by pygal: the same functions serve the dashboard pages
(inline SVG) and the PDF (WeasyPrint). No JavaScript (pygal's tooltips script is disabled:
CSP), fonts set explicitly on every <text> (WeasyPrint does not inherit them into SVG)."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from typing import Any

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

FONT = "DejaVu Sans"
PALETTE = ("#1f4e8c", "#d2691e", "#2e8b57", "#8b3a62", "#b8860b", "#4a5163", "#5f9ea0")

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d2330",
    foreground_strong="#1d2330",
    foreground_subtle="#9aa1b3",
    colors=PALETTE,
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    tooltip_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    title_font_size=14,
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    value_font_size=10,
)


def fr_number(value: Any, decimals: int | None = None) -> str:
    """French number; without `decimals`, whole numbers bare and others with one decimal
    (axis labels such as 0,5 must not read "0")."""
    from reporting.templatetags.reporting_format import fr_number as format_number

    if value is None:
        return "—"
    if decimals is None:
        decimals = 0 if Decimal(str(value)) == Decimal(str(value)).to_integral_value() else 1
    return format_number(value, decimals)


def _config(**options: Any) -> dict[str, Any]:
    base = {
        "style": STYLE,
        "js": [],  # no <script>: CSP, and nothing to run in a PDF
        "disable_xml_declaration": True,
        "explicit_size": True,
        "width": 640,
        "height": 300,
        "print_values": True,
        "legend_at_bottom": True,
        "show_y_guides": True,
        "margin": 10,
        "no_data_text": "Aucune donnée",
    }
    base.update(options)
    return base


_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SERIE_ANCHOR = re.compile(r'\sid="activate-serie-\d+"')


def _finish(chart: Any, title: str) -> SafeString:
    svg = chart.render(is_unicode=True)
    # pygal still inlines its config in a <script> with js=[]: drop it (CSP, PDF). Also drop
    # the dated comment and make the chart id stable, so the same figures give the same SVG.
    svg = _SCRIPT.sub("", svg)
    svg = _COMMENT.sub("", svg)
    svg = _SERIE_ANCHOR.sub("", svg)
    svg = svg.replace(f"chart-{chart.uuid}", "chart-ID")
    svg = svg.replace("chart-ID", "chart-" + hashlib.sha256(svg.encode()).hexdigest()[:12])
    svg = svg.replace("<text ", f'<text font-family="{FONT}, sans-serif" ')
    # An accessible name for screen readers; the figures themselves are in the tables.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_escape(title)}" ', 1)
    return mark_safe(svg)  # noqa: S308 - pygal output, labels escaped by pygal


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def breakdown_chart(title: str, rows: list[dict], kind: str = "bar") -> SafeString:
    """A breakdown (rows of label/value) as horizontal bars, or as shares (pie)."""
    rows = [row for row in rows if row["value"]] or rows
    if kind == "pie":
        chart = pygal.Pie(
            **_config(
                inner_radius=0.45, print_values=False, legend_at_bottom=False, truncate_legend=-1
            )
        )
        total = sum(row["value"] for row in rows) or 1
        for row in rows:
            share = Decimal(row["value"]) * 100 / total
            chart.add(f"{row['label']} ({fr_number(share, 1)} %)", row["value"])
    else:
        chart = pygal.HorizontalBar(
            **_config(show_legend=False, height=max(160, 40 + 32 * len(rows)))
        )
        chart.x_labels = [row["label"] for row in rows]
        chart.add(title, [row["value"] for row in rows], formatter=fr_number)
        chart.value_formatter = fr_number
    chart.title = title
    return _finish(chart, title)


def evolution_chart(title: str, year: int, items: list[dict]) -> SafeString:
    """Grouped bars: each figure in N-1 and N."""
    chart = pygal.Bar(**_config(height=300, x_label_rotation=0, truncate_label=28))
    chart.title = title
    chart.x_labels = [item["label"] for item in items]
    chart.value_formatter = fr_number
    chart.add(str(year - 1), [_float(item.get("previous")) for item in items])
    chart.add(str(year), [_float(item.get("value")) for item in items])
    return _finish(chart, title)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
