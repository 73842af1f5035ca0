"""Answer deadlines (R441-10; CPC 641 and 642)."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _french_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("FR", years=[year, year + 1])


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def answer_deadline(notified_on: datetime.date, days: int = 10) -> datetime.date:
    """The last day to answer an offer notified on `notified_on`: the notification day does not
    count (CPC 641), the period ends at the end of its last day, and a period ending on a
    Saturday, Sunday or public holiday is extended to the next working day (CPC 642)."""
    deadline = notified_on + datetime.timedelta(days=days)
    while not is_working_day(deadline):
        deadline += datetime.timedelta(days=1)
    return deadline
