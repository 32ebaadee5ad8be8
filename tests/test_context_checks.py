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


def _records_text(data_dir, *, o10: str = "28000,almost", extra_month: bool = False, called: bool = True) -> tuple[str, str]:
    """Question 7's "records" check and question 6's line on the statement, in English, on a changed copy of the data:
    O10 (April 2020) with another count and word, its source's word 'record' or none, and optionally a second monthly
    figure (May 2020, exact)."""
    from analysis.questions import q6_fact_check as q6

    path = data_dir / "context_figures.csv"
    text = path.read_text(encoding="utf-8").replace("2020-04,2020-04,28000,almost", f"2020-04,2020-04,{o10}")
    if not called:
        text = text.replace("(The Brussels Times),false,record\n", "(The Brussels Times),false,\n")
    if extra_month:
        text += (
            "O99,enrolments,vdab_online_all_users,2020-05,2020-05,21000,exact,brusselstimes-2020-05,"
            "test: online enrolments in May 2020,online inschrijvingen in mei 2020,online enrolments in May 2020,false,\n"
        )
    path.write_text(text, encoding="utf-8")
    rep = open_report("q7", lang="en", data_dir=str(data_dir))
    checks = repr(q7.checks_section(rep, q7.compute(rep)))
    q6_rep = open_report("q6", lang="en", data_dir=str(data_dir))
    return checks, q6._shows(q6_rep, "q6.statement.records")


@pytest.mark.parametrize(
    "o10,extra_month,called,words,clause",
    [
        # one monthly figure in the sources: "the only", never "the highest" (statistician, round 36, M2)
        ("28000,almost", False, True, "the only monthly figure", "even at the highest value that rounded figure can have"),
        ("28000,almost", True, True, "the highest monthly figure", "even at the highest value that rounded figure can have"),
        ("28000,exact", False, True, "the only monthly figure", None),  # an exact record needs no word on its rounding
        ("28000,almost", False, False, "the only monthly figure", "even at the highest value that rounded figure can have"),
    ],
)
def test_a_beaten_record_names_the_only_or_the_highest_monthly_figure(data_dir, o10, extra_month, called, words, clause):
    checks, shows = _records_text(data_dir, o10=o10, extra_month=extra_month, called=called)
    assert f"more than {words} in the sources consulted" in checks
    assert f"is above {words} in the sources consulted" in shows
    assert "So at least one month of January and February 2021 was above that level." in checks
    other = "the highest monthly figure" if "only" in words else "the only monthly figure"
    assert other not in checks and other not in shows
    # what the record's source calls it (statisticians, round 38): said when the data say so, else left open for one
    assert ("That source calls April 2020 a record month." in checks) == called
    assert ("a record month according to its source" in shows) == called
    assert ("Whether April 2020 itself was a record month, the sources consulted do not say." in checks) == (
        not called and not extra_month
    )
    # the months after the latest monthly figure, up to the period, have none
    unseen = "June to December 2020" if extra_month else "May to December 2020"
    assert f"The sources consulted give no monthly figure for {unseen}; whether any of those months was higher" in checks
    assert f"those sources give no monthly figure for {unseen}" in shows
    assert (clause in checks) if clause else ("rounded figure" not in checks)


@pytest.mark.parametrize("extra_month,words", [(False, "the only monthly figure"), (True, "the highest monthly figure")])
def test_a_record_the_average_does_not_clear_is_left_open_in_both_cases(data_dir, extra_month, words):
    checks, shows = _records_text(data_dir, o10="40000,almost", extra_month=extra_month)
    assert f"against {words} in the sources consulted: almost 40,000 in April 2020" in checks
    assert f"is not above {words} in the sources consulted (almost 40,000 in April 2020" in shows
    assert "Averages alone cannot tell whether any month exceeded that level" in checks
    assert "at least one month" not in checks and "even at the highest value" not in checks


def test_no_unseen_months_when_the_latest_monthly_figure_is_the_month_before_the_period(data_dir):
    path = data_dir / "context_figures.csv"
    text = path.read_text(encoding="utf-8").replace("2020-04,2020-04,28000,almost", "2020-12,2020-12,28000,almost")
    path.write_text(text, encoding="utf-8")
    rep = open_report("q7", lang="en", data_dir=str(data_dir))
    checks = repr(q7.checks_section(rep, q7.compute(rep)))
    assert "more than the only monthly figure in the sources consulted: almost 28,000 in December 2020" in checks
    assert "give no monthly figure for" not in checks


def test_a_measure_the_source_names_otherwise_is_marked_assumed(data_dir):
    """HLN's 'bijna 110.000 online opleidingen' counted as enrolments is marked assumed in chapter 7's table and its
    file (statistician, round 41); a figure whose source names the measure is not."""
    rep = open_report("q7", lang="en")
    frame = q7.figures_table(rep, q7.compute(rep)).table_frame()
    units = dict(zip(frame["Value"], frame["Unit of the value"]))
    assert units[110000] == "enrolments (assumed)" and units[62297 if 62297 in units else 28000] == "enrolments"
    path = data_dir / "context_figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.replace(",true,", ",false,") if line.startswith("O3,") else line for line in lines) + "\n")
    rep = open_report("q7", lang="en", data_dir=str(data_dir))
    frame = q7.figures_table(rep, q7.compute(rep)).table_frame()
    assert dict(zip(frame["Value"], frame["Unit of the value"]))[110000] == "enrolments"


@pytest.mark.parametrize(("record", "relation"), [(40000, "against"), (50000, "fewer than")])
def test_an_open_record_says_fewer_than_only_below_its_whole_interval(data_dir, record, relation):
    """31,149 a month against 'almost 40,000' (30,000 to 40,000) is open; against 'almost 50,000' it is below the whole
    interval and said so (scenario read, round 43: '26,000 against 28,000' gave no direction)."""
    path = data_dir / "context_figures.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2020-04,2020-04,28000", f"2020-04,2020-04,{record}"), encoding="utf-8"
    )
    rep = open_report("q7", lang="en", data_dir=str(data_dir))
    text = " ".join(str(q7.checks_section(rep, q7.compute(rep))).split())
    assert f"about 31,100 enrolments a month, {relation} the only monthly figure" in text


def test_the_months_without_a_monthly_figure_end_before_the_comparison_period(tmp_path):
    """For 2023 against 2022 the comparison period has figures of its own: the months no source covers run from May
    2020 to December 2021, not to December 2022 (scenario read, round 43: 'whether any of those months was higher is
    not known' was false when the base itself was higher)."""
    from tests.helpers import SCENARIOS, overlay_scenario

    folder = overlay_scenario(SCENARIOS / "everything_falls", tmp_path / "data")
    rep = open_report("q7", lang="en", data_dir=str(folder), year=2023, compare_year=2022)
    a = q7.compute(rep)
    record = {c.key: c.values for c in a.checks}["q7.check.record_open"]
    assert record["unseen"] == ("2020-05", "2021-12")
    assert record["below"] is True  # 26,000 a month under 'almost 28,000' (27,000 to 28,000)
    text = " ".join(str(q7.checks_section(rep, a)).split())
    assert "about 26,000 enrolments a month, fewer than the only monthly figure" in text
    assert "The sources consulted give no monthly figure for May 2020 to December 2021;" in text
    # the official base is a monthly level of its own beside the record (scenario read, round 44)
    assert "In January and February 2022 the monthly average, about 35,000, was already above that level." in text
    assert (record["base_relation"], record["base_average"]) == ("above", 35000)
    # the data's own case: the window runs up to the month before the period, the base lying before the record
    plain = {c.key: c.values for c in q7.compute(open_report("q7")).checks}["q7.check.record_beaten"]
    assert plain["unseen"] == ("2020-05", "2020-12")
    assert "base_average" not in plain  # the data's base is quoted, and before the record month


def test_an_official_base_is_no_condition_and_one_divisor(tmp_path):
    """With an official base (the scenario's 70,000 for January-February 2022) chapter 7 sets no 'if the figure from
    the question covers ...' condition, and the annex divides by the one figure, not '70,000 to 70,000' (scenario read,
    round 43)."""
    from analysis.questions import q1_online_trainings as q1
    from tests.helpers import SCENARIOS, overlay_scenario

    folder = overlay_scenario(SCENARIOS / "everything_falls", tmp_path / "data")
    rep = open_report("q7", lang="en", data_dir=str(folder), year=2023, compare_year=2022)
    a = q7.compute(rep)
    assert a.claim_ratio is None
    assert "from the question" not in q7.conclusion(rep, a)
    assert q7.compute(open_report("q7")).claim_ratio is not None  # the data's quoted 29,000 stays a condition
    rep1 = open_report("q1", lang="en", data_dir=str(folder), year=2023, compare_year=2022)
    q1.findings(rep1, q1.compute(rep1))
    formulas = [f["formula"] for f in rep1.findings if f["role"] == "derived"]
    assert "52,000 / 70,000" in formulas and not any(" to " in f for f in formulas)


@pytest.mark.parametrize(
    ("base", "words"),
    [
        (70000, "about 35,000, was already above that level"),
        (55000, "about 27,500, was around that level"),  # inside 'almost 28,000' (27,000 to 28,000)
        (50000, "about 25,000, was below that level"),
    ],
)
def test_an_official_base_after_the_record_month_is_set_beside_it(tmp_path, base, words):
    """Each relation of the comparison period's monthly average to the record, in its own words (scenario read,
    round 44)."""
    from tests.helpers import SCENARIOS, overlay_scenario

    folder = overlay_scenario(SCENARIOS / "everything_falls", tmp_path / "data")
    path = folder / "online_enrolments.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",all_users,70000,", f",all_users,{base},"), encoding="utf-8")
    rep = open_report("q7", lang="en", data_dir=str(folder), year=2023, compare_year=2022)
    text = " ".join(str(q7.checks_section(rep, q7.compute(rep))).split())
    assert f"In January and February 2022 the monthly average, {words}." in text
