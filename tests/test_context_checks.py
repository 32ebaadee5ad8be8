"""Question 7's intervals and plausibility checks, and question 4's comparison with the context figures."""

from __future__ import annotations

import pytest

from analysis.questions import q4_labour_market as q4
from analysis.questions import q7_context as q7
from tests.helpers import open_report


def test_ratios_of_rounded_figures_are_intervals():
    a = q7.compute(open_report("q7"))
    pairs = {(p.earlier.refs[0], p.later.refs[0]): (p.low, p.high) for p in a.pairs}
    # ~54,000 -> ~102,000: each may lie 500 either side
    assert pairs[("O5", "O7")] == pytest.approx((101500 / 54500, 102500 / 53500))
    assert pairs[("O8", "O9")] == pytest.approx((13500 / 5500, 14500 / 4500))
    per = {p.value.refs: (p.low, p.high) for p in a.per_learner}
    assert per[("O3", "O2")] == pytest.approx((105000 / 49882, 115000 / 49882))  # 49,882 is exact
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
    assert base["ratio"] == pytest.approx((28500 / 2 / (115000 / 12), 29500 / 2 / (105000 / 12)))
    record = checks["q7.check.record_beaten"]
    assert record["average"] == pytest.approx(62297 / 2) and record["record"].refs == ("O10",)
    trend = checks["q7.check.trend"]
    growth = (49882 / 29660) ** (1 / 4)
    assert trend["growth_pct"] == pytest.approx((growth - 1) * 100)
    assert trend["expected"] == pytest.approx(29000 * growth)
    assert trend["ratio"] == pytest.approx((62297 / (29500 * growth), 62297 / (28500 * growth)))


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
    assert "1.86 to 1.92 times" in html and "2.10 to 2.23 times" in html
    assert "O3" not in html and "hln-" not in html
    assert "(HLN, 6 March 2020)" in html


def test_q4_sets_the_partial_figure_beside_the_context_with_caveats():
    rep = open_report("q4", lang="en")
    p = q4.partial(rep)
    assert p.context.refs == ("T3",) and p.enrolments.value == 62297
    text = " ".join(q4.context_sentences(rep, p))
    assert "about 7,200 actions a month" in text and "about 1,800 online enrolments a month" in text
    assert "So large a gap" in text  # 7,172 against 1,825 a month
    assert "about 23% of the 62,297" in text and "not a measurement" in text


def test_q4_says_nothing_about_a_gap_that_is_not_there(data_dir):
    path = data_dir / "context_figures.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2020-09,2020-12,7300", "2020-09,2020-12,28000"), encoding="utf-8")
    rep = open_report("q4", lang="en", data_dir=str(data_dir))
    text = " ".join(q4.context_sentences(rep, q4.partial(rep)))
    assert "about 7,000 online enrolments a month" in text and "gap" not in text
