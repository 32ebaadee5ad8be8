"""Belgian working days, for the calendar's share in a change of training starts (analysis.core.workdays)."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.core import workdays
from analysis.questions import q5_contact_vs_online as q5
from tests.helpers import q5_caveats


def test_the_statutory_holidays_include_those_that_follow_easter():
    days = workdays.holidays(2021)
    assert len(days) == 10
    assert {dt.date(2021, 4, 5), dt.date(2021, 5, 13), dt.date(2021, 5, 24)} <= days  # Easter Monday, Ascension, Whit Monday
    assert dt.date(2021, 1, 1) in days and dt.date(2021, 7, 21) in days


@pytest.mark.parametrize(
    ("year", "months", "expected"),
    [
        (2020, [1, 2], 42),  # 1 January a Wednesday
        (2021, [1, 2], 40),  # 1 January a Friday
        (2021, [4], 21),  # 22 weekdays less Easter Monday
        (2021, range(1, 13), 254),  # 261 weekdays, seven holidays on a weekday
        (2022, [5], 21),  # 22 weekdays less Ascension Day (26 May); 1 May a Sunday
    ],
)
def test_working_days_count_weekdays_less_public_holidays(year, months, expected):
    assert workdays.working_days(year, months) == expected


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_chapter_five_says_what_the_calendar_does_to_the_change_of_all_actions(lang):
    """40 working days against 42: per working day all actions change by −2.7% rather than −7.3%; a period with as
    many working days in both years gets no such caveat."""
    rep, a, said = q5_caveats(lang)
    assert q5.per_working_day(rep, a) == (42, 40, pytest.approx((8877 / 40) / (9578 / 42) * 100 - 100))
    assert (
        "Per working day the change for all actions together is −2.7%, against −7.3% in all."
        if lang == "en"
        else "Per werkdag is het verschil voor alle acties samen −2,7%, tegenover −7,3% in totaal."
    ) in said
    rep.months = [2]  # February 2020 and February 2021 both have 20 working days
    assert workdays.working_days(2020, [2]) == workdays.working_days(2021, [2]) == 20
    assert q5.per_working_day(rep, a) is None
