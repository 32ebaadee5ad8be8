"""Working days in Belgium: a count of starts over two periods of unequal length is partly a calendar effect.

Training actions start on working days, so January and February 2021 (40 working days) against the same months
of 2020 (42) differ by about 5% before anyone changed behaviour. The public holidays are Belgium's ten statutory
ones (Koninklijk Besluit of 18 April 1974): six on fixed dates and three that follow Easter (Easter Sunday itself
falls on a Sunday)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from dateutil.easter import easter

#: The fixed-date statutory holidays (month, day): New Year, Labour Day, the National Day, Assumption, All Saints,
#: Armistice, Christmas.
FIXED_HOLIDAYS = ((1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25))
#: The movable ones, in days after Easter Sunday: Easter Monday, Ascension Day, Whit Monday.
EASTER_OFFSETS = (1, 39, 50)


def holidays(year: int) -> set[dt.date]:
    """Belgium's statutory public holidays in ``year``."""
    sunday = easter(year)
    return {dt.date(year, m, d) for m, d in FIXED_HOLIDAYS} | {sunday + dt.timedelta(days=n) for n in EASTER_OFFSETS}


def weekdays(year: int, months: Iterable[int]) -> list[dt.date]:
    """Monday to Friday in ``months`` of ``year``."""
    return [
        dt.date(year, month, day)
        for month in months
        for day in range(1, calendar.monthrange(year, month)[1] + 1)
        if dt.date(year, month, day).weekday() < 5
    ]


def holidays_on_weekdays(year: int, months: Iterable[int]) -> list[dt.date]:
    """The public holidays that take a working day in ``months`` of ``year`` (those on a weekend take none)."""
    off = holidays(year)
    return [d for d in weekdays(year, months) if d in off]


def working_days(year: int, months: Iterable[int]) -> int:
    """Monday to Friday in ``months`` of ``year``, public holidays not counted."""
    months = list(months)
    return len(weekdays(year, months)) - len(holidays_on_weekdays(year, months))


def by_weekday(year: int, months: Iterable[int]) -> dict[int, int]:
    """Working days in ``months`` of ``year`` per weekday (0 is Monday): where two periods differ, the weekdays that
    carry the difference say how much the calendar can matter if training starts on fixed weekdays."""
    months = list(months)
    off = set(holidays_on_weekdays(year, months))
    counts = dict.fromkeys(range(5), 0)
    for d in weekdays(year, months):
        counts[d.weekday()] += d not in off
    return counts
