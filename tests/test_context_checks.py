"""Question 7's intervals and plausibility checks, and question 4's comparison with the context figures."""

from __future__ import annotations

import pytest

from analysis.core.measures import Quantity
from analysis.questions import q4_labour_market as q4
from analysis.questions import q7_context as q7
from analysis.questions.common import refusals
from tests.helpers import open_report


def test_ratios_of_rounded_figures_are_intervals():
    a = q7.compute(open_report("q7"))
    pairs = {(p.earlier.refs[0], p.later.refs[0]): (p.low, p.high) for p in a.pairs}
    # 'ruim 54.000' -> 'ruim 102.000': each from the figure up to one rounding unit above
    assert pairs[("O5", "O7")] == pytest.approx((102000 / 55000, 103000 / 54000))
    assert pairs[("O8", "O9")] == pytest.approx((13500 / 5500, 14500 / 4500))
    per = {p.value.refs: (p.low, p.high) for p in a.per_learner}
    # 'bijna 110.000' is below 110,000, down to one rounding unit below; 49,882 is exact (cold read finding 10)
    assert per[("O3", "O2")] == pytest.approx((100000 / 49882, 110000 / 49882))
    growth = a.long_growth["unique_learners"]
    assert growth.low == growth.high == pytest.approx(49882 / 29660)  # two exact figures: a point


def test_enrolments_per_learner_is_computed_not_refused():
    a = q7.compute(open_report("q7"))
    assert ("O3", "O2") in {p.value.refs for p in a.per_learner}
    assert not any({x, y} == {"O3", "O2"} for _, x, y, _ in a.refused)


def test_plausibility_record_and_trend_checks():
    a = q7.compute(open_report("q7"))
    checks = {c.key: c.values for c in a.checks}
    base = checks["q7.check.base"]
    assert base["base_month"] == pytest.approx(14500) and base["ref_month"] == pytest.approx(110000 / 12)
    assert base["ratio"] == pytest.approx((28500 / 2 / (110000 / 12), 29500 / 2 / (100000 / 12)))
    record = checks["q7.check.record_beaten"]
    assert record["average"] == pytest.approx(62297 / 2) and record["record"].refs == ("O10",)
    trend = checks["q7.check.trend"]
    growth = (49882 / 29660) ** (1 / 4)
    assert trend["growth_pct"] == pytest.approx((growth - 1) * 100)
    # a trend of learners is not set against a base of enrolments (statistician, round 25): no verdict against it
    assert "against" not in trend and trend["high_base"] is True


def test_the_trend_is_said_in_words_without_a_counterfactual_figure():
    rep = open_report("q7", lang="en")
    a = q7.compute(rep)
    text = repr(q7.checks_section(rep, a))
    assert "grew by about 14% a year" in text and "so it cannot be applied to the comparison base" in text
    assert "far above" not in text and "in line with" not in text  # no verdict of a learner trend on enrolments
    assert "cannot be estimated from these figures" in text and "1.9" not in text and "33,000" not in text
    assert "1.55 to 1.77 times as many" in text  # the base against 2019, with 'bijna 110.000' read as 100,000 to 110,000


def test_record_left_open_when_the_average_does_not_clear_the_record(data_dir):
    path = data_dir / "context_figures.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2020-04,2020-04,28000", "2020-04,2020-04,40000"), encoding="utf-8")
    a = q7.compute(open_report("q7", data_dir=str(data_dir)))
    keys = {c.key for c in a.checks}
    assert "q7.check.record_open" in keys and "q7.check.record_beaten" not in keys


def test_checks_need_their_figures():
    """Another period, with no claim or context for its base: no check is invented."""
    a = q7.compute(open_report("q7", year=2022, compare_year=2021))
    assert a.checks == []
    assert str(q7.checks_section(open_report("q7", year=2022, compare_year=2021), a)) == ""


def test_q7_short_answer_names_figures_in_words():
    rep = open_report("q7", lang="en")
    a = q7.compute(rep)
    html = str(q7.short_answer(rep, a)) + str(q7.checks_section(rep, a))
    assert (
        "the number of enrolments was 1.85 to 1.91 times and the number of unique learners was more than twice the level of the same months of 2019"
        in html
        and "2.10 to 2.23" not in html  # two decimals of rounded press figures stay in the table
    )
    assert "O3" not in html and "hln-" not in html
    assert "(HLN, 6 March 2020)" in html


def test_q4_never_sets_actions_against_enrolments():
    """Actions of a wider group against enrolments (of all users, or of the temporarily unemployed): the shared guard
    refuses both for their unit, and the chapter neither compares nor shares them (cold read finding 4); its caveat
    says why, without listing them."""
    rep = open_report("q4", lang="en")
    p = q4.partial(rep)
    people = Quantity(7300.0, "participants_enrolled_online", "temporarily_unemployed", "2020-09", "2020-12", ("T3",))
    enrolments = Quantity(62297.0, "enrolments", "all_users", "2021-01", "2021-02", ("OE-2021-01-02-VDAB",))
    refused = [refusals.attempt(op, p.total, b) for op, b in (("share", enrolments), ("ratio", people))]
    assert [r[3].reason for r in refused if r is not None] == ["measure", "measure"]
    answer = repr(q4.short_answer(rep, p, q4.full(rep)))
    assert "7,200" not in answer and "1,800" not in answer and "23%" not in answer and "De Tijd" not in answer
    assert "The minister answers that the registration data" in answer  # the source's own wording (finding 18)
    said = repr(q4.caveats(rep))  # the caveats say why (unit, group), without a list of what is not compared
    assert "the same unit as the enrolments of question 1" in said and "De Tijd" not in said and "7,300" not in said


def test_q4_period_line_names_one_period():
    """q4 has no comparison-year figure: its period line names one period (cold read finding 15)."""
    html = str(open_report("q4", lang="en").title())
    assert "compared with" not in html and "January and February 2021" in html
    q7 = str(open_report("q7", lang="en").title())
    assert "Figures from 2015 to 2021" in q7
