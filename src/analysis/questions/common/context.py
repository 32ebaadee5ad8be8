"""The public context figures (data/context_figures.csv), shared by questions 5 and 7.

Most of them are rounded by the press, so anything computed from them is an interval.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.core import claims, measures
from analysis.core.measures import Quantity
from analysis.report.frame import Report


@dataclass
class PerLearner:
    value: Quantity
    low: float
    high: float


def quantities(rep: Report) -> dict[str, Quantity]:
    frame = rep.data["context_figures"]
    return {
        r.figure_id: Quantity(
            float(r["count"]), r.measure, r.population, r.period_start, r.period_end, (r.figure_id,), bool(r.rounded)
        )
        for _, r in frame.iterrows()
    }


def rounding_bounds(q: Quantity) -> tuple[float, float]:
    """A rounded figure stands for every value within half a rounding unit of it; an exact one for itself."""
    if not q.rounded:
        return q.value, q.value
    low, high, _, _ = claims.interval("about", q.value)
    return low, high


def per_learner(figures: dict[str, Quantity]) -> list[PerLearner]:
    """Enrolments per unique learner, wherever both cover exactly the same period and population."""
    out = []
    for q in figures.values():
        if q.measure != "enrolments":
            continue
        for other in figures.values():
            if (
                other.measure == "unique_learners"
                and other.population == q.population
                and (other.start, other.end) == (q.start, q.end)
            ):
                (q_low, q_high), (o_low, o_high) = rounding_bounds(q), rounding_bounds(other)
                out.append(PerLearner(measures.per(q, other), q_low / o_high, q_high / o_low))
    out.sort(key=lambda p: (p.value.start, p.value.end))
    return out


def highest_per_learner(figures: dict[str, Quantity]) -> PerLearner | None:
    """The highest number of enrolments per unique learner in the public figures (None when none can be computed)."""
    return max(per_learner(figures), key=lambda p: p.value.value, default=None)
