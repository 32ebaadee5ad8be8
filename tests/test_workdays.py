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
        "For all actions together the change lies between −7.3%, if the calendar plays no part, and −2.7%, if actions"
        " start evenly over all working days."
        if lang == "en"
        else "Voor alle acties samen ligt de verandering tussen −7,3%, als de kalender niet meespeelt, en −2,7%, als de"
        " acties gelijk verspreid over alle werkdagen starten."
    ) in said
    assert (
        "The difference: 2020 had one more Thursday and one more Friday; every other weekday occurred equally often"
        if lang == "en"
        else "Het verschil: 2020 telde één donderdag en één vrijdag meer; de andere weekdagen kwamen in beide jaren even"
    ) in said
    assert ("in that month the change lies between −27.9% and −20.7%" if lang == "en" else "tussen −27,9% en −20,7%") in said
    rep.months = [2]  # February 2020 and February 2021 both have 20 working days
    assert workdays.working_days(2020, [2]) == workdays.working_days(2021, [2]) == 20
    assert q5.per_working_day(rep, a) is None


@pytest.mark.parametrize(
    ("year", "months", "expected"),
    [
        (2020, [1, 2], {0: 8, 1: 8, 2: 8, 3: 9, 4: 9}),  # 1 January 2020, a Wednesday, is off: eight Wednesdays left
        (2021, [1, 2], {0: 8, 1: 8, 2: 8, 3: 8, 4: 8}),  # 1 January 2021, a Friday, is off
        (2021, [4], {0: 3, 1: 4, 2: 4, 3: 5, 4: 5}),  # Easter Monday takes one of four Mondays
    ],
)
def test_working_days_by_weekday_add_up_to_the_working_days(year, months, expected):
    counts = workdays.by_weekday(year, months)
    assert counts == expected
    assert sum(counts.values()) == workdays.working_days(year, months)


@pytest.mark.parametrize(
    ("compare", "year", "months", "nl", "en"),
    [
        (  # one year has more of some weekdays, the others alike: the data's case
            2020,
            2021,
            [1, 2],
            "Het verschil: 2020 telde één donderdag en één vrijdag meer; de andere weekdagen kwamen in beide jaren even"
            " vaak voor.",
            "The difference: 2020 had one more Thursday and one more Friday; every other weekday occurred equally often"
            " in both years.",
        ),
        (  # more of two weekdays, by two: the plural
            2015,
            2022,
            [5],
            "Het verschil: 2022 telde twee maandagen en één dinsdag meer; de andere weekdagen kwamen in beide jaren even"
            " vaak voor.",
            "The difference: 2022 had two more Mondays and one more Tuesday; every other weekday occurred equally often"
            " in both years.",
        ),
        (  # each year has more of some weekday, and no weekday is alike: no clause on the others
            2015,
            2017,
            [3],
            "Het verschil: 2015 telde één maandag en één dinsdag meer en 2017 telde één woensdag, één donderdag en één"
            " vrijdag meer.",
            "The difference: 2015 had one more Monday and one more Tuesday and 2017 had one more Wednesday, one more"
            " Thursday and one more Friday.",
        ),
    ],
)
def test_the_caveat_names_the_weekdays_that_carry_the_difference(compare, year, months, nl, en):
    """The per-day figure is a bound: the weekdays that differ say how far the calendar can reach (statistician,
    round 42: in the data only a Thursday and a Friday)."""
    for lang, expected in (("nl", nl), ("en", en)):
        rep, _, _ = q5_caveats(lang)
        rep.compare_year, rep.year = compare, year
        assert q5.weekday_gap(rep, months) == expected
