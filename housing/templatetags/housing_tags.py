from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def euros(value: Any) -> str:
    """12345.6 -> « 12 345,60 € »."""
    if value is None or value == "":
        return "—"
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + NARROW_NBSP.join(groups) + "," + cents + NBSP + "€"


@register.filter
def comma(value: Any) -> str:
    return "—" if value is None else str(value).replace(".", ",")
