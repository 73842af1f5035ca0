"""French formatting of indicator values (Django l10n, `fr`): "1 827", "5,66 %", "+54 %"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils import formats, translation

register = template.Library()

NBSP = "\xa0"


def _fmt(value: Any, decimals: int) -> str:
    # Rounded half up first: Django's number_format truncates extra decimals.
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    with translation.override("fr"):
        return formats.number_format(
            number, decimal_pos=decimals, use_l10n=True, force_grouping=True
        )


@register.filter
def fr_number(value: Any, decimals: int = 0) -> str:
    if value is None or value == "":
        return "—"
    return _fmt(value, int(decimals))


@register.filter
def fr_percent(value: Any, decimals: int = 2) -> str:
    if value is None or value == "":
        return "—"
    return f"{_fmt(value, int(decimals))}{NBSP}%"


@register.filter
def fr_euros(value: Any, decimals: int = 0) -> str:
    if value is None or value == "":
        return "—"
    return f"{_fmt(value, int(decimals))}{NBSP}€"


@register.filter
def year(value: Any) -> str:
    """A year, never grouped ("2025", not "2 025")."""
    return str(int(value))


@register.filter
def previous_year(value: Any) -> str:
    return str(int(value) - 1)


@register.filter
def fr_value(value: Any, unit: str) -> str:
    """An indicator's value in its unit."""
    if unit == "percent":
        return fr_percent(value)
    if unit == "euros":
        return fr_euros(value)
    if unit == "days":
        return "—" if value is None or value == "" else f"{_fmt(value, 1)}{NBSP}j"
    return fr_number(value)


@register.filter
def fr_change(value: Any, unit: str) -> str:
    """Change vs N-1: "+54 %" for counts and amounts, "+2,10 pts" for shares."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value))
    sign = "+" if number > 0 else ("−" if number < 0 else "")
    if unit == "percent":
        return f"{sign}{_fmt(abs(number), 2)}{NBSP}pts"
    return f"{sign}{_fmt(abs(number), 0)}{NBSP}%"


@register.filter
def change_class(value: Any, higher_is_worse: bool = False) -> str:
    if value is None or value == "":
        return "change--none"
    number = Decimal(str(value))
    if number == 0:
        return "change--none"
    good = (number > 0) != bool(higher_is_worse)
    return "change--good" if good else "change--bad"
