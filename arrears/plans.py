"""Pure rules of repayment plans: the schedule and the matching of payments."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from dateutil.relativedelta import relativedelta

from arrears.enums import InstallmentStatus

CENT = Decimal("0.01")


def installment_amounts(debt: Decimal, monthly: Decimal) -> list[Decimal]:
    """Equal instalments of `monthly`; the last one absorbs the rest, so that the amounts add up
    exactly to `debt` (and none is zero). 1000 € at 300 €: 300, 300, 300, 100."""
    debt = debt.quantize(CENT)
    monthly = monthly.quantize(CENT)
    if debt <= 0 or monthly <= 0:
        raise ValueError("La dette et la mensualité doivent être positives.")
    if monthly > debt:
        monthly = debt
    count = int((debt / monthly).to_integral_value(rounding=ROUND_DOWN))
    amounts = [monthly] * count
    rest = debt - monthly * count
    if rest > 0:
        amounts.append(rest)
    assert sum(amounts, Decimal("0")) == debt
    return amounts


def split_evenly(debt: Decimal, count: int) -> list[Decimal]:
    """`count` instalments as equal as cents allow, the last absorbing the rounding."""
    debt = debt.quantize(CENT)
    base = (debt / count).quantize(CENT, rounding=ROUND_DOWN)
    return [base] * (count - 1) + [debt - base * (count - 1)]


def month_add(month: datetime.date, n: int) -> datetime.date:
    return month + relativedelta(months=n)


@dataclass(frozen=True)
class MonthAccount:
    billed: Decimal
    housing_benefit: Decimal
    payments: Decimal


def paid_towards_installment(account: MonthAccount, amount: Decimal) -> Decimal:
    """What the tenant paid beyond the month's rent and charges (net of the housing benefit
    paid to the landlord) goes to the instalment, up to its amount."""
    surplus = account.payments + account.housing_benefit - account.billed
    return max(Decimal("0.00"), min(amount, surplus))


def installment_status(paid: Decimal, amount: Decimal, *, known: bool) -> str:
    if not known:
        return InstallmentStatus.DUE
    if paid >= amount:
        return InstallmentStatus.PAID
    if paid > 0:
        return InstallmentStatus.SHORT
    return InstallmentStatus.MISSED


def is_breached(statuses: Sequence[str], *, threshold: int) -> bool:
    """Breach after `threshold` missed or short instalments (a setting)."""
    failures = sum(1 for s in statuses if s in (InstallmentStatus.MISSED, InstallmentStatus.SHORT))
    return failures >= threshold
