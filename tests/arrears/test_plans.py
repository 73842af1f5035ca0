"""Repayment schedules: the instalments add up exactly to the debt."""

from decimal import Decimal

import pytest

from arrears import plans
from arrears.enums import InstallmentStatus

E = Decimal


@pytest.mark.parametrize(
    ("debt", "monthly", "expected"),
    [
        ("1000.00", "300.00", ["300.00", "300.00", "300.00", "100.00"]),
        ("900.00", "300.00", ["300.00", "300.00", "300.00"]),
        ("100.01", "33.33", ["33.33", "33.33", "33.33", "0.02"]),
        ("50.00", "80.00", ["50.00"]),
    ],
)
def test_instalments_add_up_exactly_to_the_debt(debt, monthly, expected):
    amounts = plans.installment_amounts(E(debt), E(monthly))
    assert amounts == [E(a) for a in expected]
    assert sum(amounts) == E(debt)


def test_even_split_puts_the_rounding_on_the_last():
    # 1000 / 3 = 333.33 × 2 + 333.34.
    assert plans.split_evenly(E("1000.00"), 3) == [E("333.33"), E("333.33"), E("333.34")]


def test_payment_beyond_the_month_goes_to_the_instalment():
    # Billed 530, housing benefit 200: the tenant owes 330; paid 430 → 100 to the instalment.
    account = plans.MonthAccount(E("530.00"), E("200.00"), E("430.00"))
    assert plans.paid_towards_installment(account, E("150.00")) == E("100.00")
    assert plans.installment_status(E("100.00"), E("150.00"), known=True) == InstallmentStatus.SHORT
    assert plans.paid_towards_installment(account, E("80.00")) == E("80.00")
    short = plans.MonthAccount(E("530.00"), E("200.00"), E("300.00"))
    assert plans.paid_towards_installment(short, E("80.00")) == E("0.00")
    assert plans.installment_status(E("0"), E("80.00"), known=True) == InstallmentStatus.MISSED
    assert plans.installment_status(E("0"), E("80.00"), known=False) == InstallmentStatus.DUE


def test_breach_after_n_missed_or_short_instalments():
    s = InstallmentStatus
    assert not plans.is_breached([s.PAID, s.MISSED, s.DUE], threshold=2)
    assert plans.is_breached([s.MISSED, s.SHORT, s.PAID], threshold=2)
