"""The guard: unlike figures are never added, subtracted, divided or charted together."""

import pytest

from analysis.core import measures
from analysis.core.measures import MeasureMismatch, Quantity


def q(value, measure="enrolments", population="all", start="2021-01", end="2021-02", ref="X"):
    return Quantity(value, measure, population, start, end, (ref,))


def test_add_categories_of_one_period_and_disjoint_periods():
    assert measures.add(q(1, ref="a"), q(2, ref="b")).value == 3
    total = measures.add(q(1, start="2021-01", end="2021-01"), q(2, start="2021-02", end="2021-02"))
    assert (total.value, total.start, total.end) == (3, "2021-01", "2021-02")


def test_add_refuses_other_measure_population_and_overlap():
    with pytest.raises(MeasureMismatch, match="measure different things"):
        measures.add(q(1), q(2, measure="unique_learners"))
    with pytest.raises(MeasureMismatch, match="different populations"):
        measures.add(q(1), q(2, population="jobseekers"))
    with pytest.raises(MeasureMismatch, match="overlap"):
        measures.add(q(1, start="2021-01", end="2021-02"), q(2, start="2021-02", end="2021-02"))


def test_total_over_periods_sums_categories_first():
    parts = [
        q(1, start="2021-01", end="2021-01"),
        q(2, start="2021-01", end="2021-01"),
        q(3, start="2021-02", end="2021-02"),
        q(4, start="2021-02", end="2021-02"),
    ]
    with pytest.raises(MeasureMismatch):
        measures.total(parts)  # a naive fold adds a two-month subtotal to a February figure
    assert measures.total_over_periods(parts).value == 10


def test_ratio_and_pct_change_need_periods_of_equal_length():
    new, old = q(150, start="2021-01", end="2021-02"), q(100, start="2020-01", end="2020-02")
    assert measures.ratio(new, old) == 1.5
    assert measures.pct_change(new, old) == pytest.approx(50.0)
    assert measures.pct_change(new, q(0, start="2020-01", end="2020-02")) is None
    with pytest.raises(MeasureMismatch, match="differ in length"):
        measures.ratio(new, q(100, start="2020-03", end="2020-08"))


def test_difference_refuses_actions_against_enrolments():
    with pytest.raises(MeasureMismatch, match="enrolments vs contact_actions_started"):
        measures.difference(q(10), q(5, measure="contact_actions_started"))


def test_per_learner_is_the_only_declared_cross_measure_ratio():
    ratio = measures.per(q(110000), q(50000, measure="unique_learners"))
    assert ratio.value == pytest.approx(2.2) and ratio.measure == "enrolments_per_learner"
    with pytest.raises(MeasureMismatch, match="not a declared ratio"):
        measures.per(q(1, measure="contact_actions_ended"), q(1, measure="enrolments"))
    with pytest.raises(MeasureMismatch, match="exactly the same period"):
        measures.per(q(1), q(1, measure="unique_learners", start="2021-01", end="2021-01"))


def test_share_needs_same_period_and_kind():
    assert measures.share_pct(q(25), q(100)) == 25.0
    with pytest.raises(MeasureMismatch):
        measures.share_pct(q(25, measure="actions"), q(100))


def test_same_series_refuses_mixed_measures():
    measures.same_series([q(1), q(2)])
    with pytest.raises(MeasureMismatch, match="chart together"):
        measures.same_series([q(1), q(2, measure="unique_learners")])


def test_reinterpret_records_the_assumption():
    claim = q(29000, measure="online_trainings")
    read = measures.reinterpret(claim, measure="enrolments", reason="claim read as enrolments")
    assert read.measure == "enrolments" and read.assumptions == ("claim read as enrolments",)
    assert measures.ratio(q(62297), measures.with_value(read, 29000)) == pytest.approx(62297 / 29000)
