"""The public context figures (data/context_figures.csv), shared by questions 5 and 7.

Most of them are rounded by the press, so anything computed from them is an interval.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from analysis.core import claims, measures
from analysis.core.measures import Quantity
from analysis.report.frame import Report
from analysis.report.keys import key


@dataclass
class PerLearner:
    value: Quantity
    low: float
    high: float


def quantities(rep: Report) -> dict[str, Quantity]:
    frame = rep.data["context_figures"]
    return {
        r.figure_id: Quantity(
            float(r["count"]),
            r.measure,
            r.population,
            r.period_start,
            r.period_end,
            (r.figure_id,),
            rounded=r.qualifier != "exact",
            qualifier="" if r.qualifier == "exact" else r.qualifier,
        )
        for _, r in frame.iterrows()
    }


def rounding_bounds(q: Quantity) -> tuple[float, float]:
    """The values a rounded figure stands for, by the one rule of :func:`analysis.core.claims.interval`
    ('ongeveer X' half a rounding unit either side, 'ruim X' up to one unit above, 'bijna X' up to one
    below); an exact figure stands for itself."""
    if not q.rounded:
        return q.value, q.value
    low, high, _, _ = claims.interval(q.qualifier or "about", q.value)
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


def readable(value: float, digits: int) -> float:
    """A monthly average rounded for reading: to ``digits`` (-1 tens, -2 hundreds) when it is large enough to keep
    two figures, else to a whole number, else to a tenth; never rounded away to 0 ("on average 0 enrolments")."""
    if abs(value) >= 10 ** (1 - digits):
        return float(round(value, digits))
    return float(round(value)) if abs(value) >= 10 else round(value, 1)


@dataclass
class Record:
    """A period's monthly average against the highest single month in the context figures."""

    average: float  # enrolments a month on VDAB's platform in the report's period
    record: Quantity  # the highest monthly figure before the period
    beaten: bool  # the average is above the record over the record's whole rounding interval
    count: int = 1  # how many monthly figures the record is the highest of: "the only" or "the highest" figure
    called_record: bool = False  # its source calls that month a record (context_figures.csv described_as)
    unseen: tuple[str, str] | None = None  # the months after the latest monthly figure, up to the period: no figure
    below: bool = False  # the average is under the record over the record's whole rounding interval

    @property
    def ending(self) -> str:
        """The wording case: one monthly figure is "the only" one, never "the highest" (statistician, round 36)."""
        return "one" if self.count == 1 else "several"


def record(rep: Report, current: Quantity | None) -> Record | None:
    """The "records" test: the period's monthly average of VDAB-platform enrolments against the highest month in the
    context figures before it; None when either is missing. If the average beats the record, at least one month did."""
    bounds = rep.period_bounds(rep.year)
    if current is None or bounds is None or current.value == 0:  # no enrolments at all set no record
        return None
    months = [
        q
        for q in quantities(rep).values()
        if q.population == "vdab_online_all_users" and q.measure == "enrolments" and q.span == 1 and q.end < bounds[0]
    ]
    if not months:
        return None
    top = max(months, key=lambda q: q.value)
    average = current.value / len(rep.months)
    frame = rep.data["context_figures"]
    described = dict(zip(frame.figure_id, frame.described_as)) if "described_as" in frame else {}
    first_unseen = next_month(max(q.end for q in months))
    last_unseen = previous_month(bounds[0])
    then = rep.period_bounds(rep.compare_year)
    if then is not None and first_unseen <= then[0] <= last_unseen:
        # the comparison period has figures of its own: "no monthly figure" ends before it (scenario read, round 43)
        last_unseen = previous_month(then[0])
    unseen = (first_unseen, last_unseen) if first_unseen <= last_unseen else None
    low, high = rounding_bounds(top)
    beaten, below = average > high, average < low
    return Record(average, top, beaten, len(months), described.get(top.refs[0]) == "record", unseen, below)


def _compare_end_and_lockdown(rep: Report) -> tuple[dt.date, dt.date] | None:
    """The comparison period's last day and the first lockdown's date (None when either is unknown)."""
    bounds = rep.period_bounds(rep.compare_year)
    if bounds is None or not rep.data.has("context_events"):
        return None
    events = rep.data["context_events"]
    lockdown = events[events.event == "lockdown_closure"]
    if lockdown.empty:
        return None
    last_day = dt.date.fromisoformat(next_month(bounds[1]) + "-01") - dt.timedelta(days=1)
    return last_day, lockdown.iloc[0].date


def before_lockdown(rep: Report) -> bool | None:
    """Whether the comparison period ends before the first lockdown in the context events (None when unknown)."""
    position = lockdown_position(rep)
    return None if position is None else position[0] == "before"


def lockdown_position(rep: Report) -> tuple[str, dt.date] | None:
    """Where the comparison period lies against the first lockdown, with its date: 'before' (it ends before),
    'after' (it starts on or after) or 'across' (it runs over it); None when either is unknown. A period wholly after
    is no pre-pandemic base, and saying only that it is "not wholly before" hides that (scenario read, round 43)."""
    dates = _compare_end_and_lockdown(rep)
    if dates is None:
        return None
    last_day, date = dates
    if last_day < date:
        return "before", date
    first_day = dt.date.fromisoformat(rep.period_bounds(rep.compare_year)[0] + "-01")
    return ("after" if first_day >= date else "across"), date


#: How long after the comparison period a lockdown still reaches the actions started in it (their hours run on).
ACTIONS_RUN_DAYS = 365


def lockdown_soon_after(rep: Report) -> dt.date | None:
    """The first lockdown's date when it fell within :data:`ACTIONS_RUN_DAYS` after the comparison period ended:
    actions started in that period then recorded part of their hours during it (None otherwise, or unknown)."""
    dates = _compare_end_and_lockdown(rep)
    if dates is None:
        return None
    last_day, date = dates
    return date if last_day < date <= last_day + dt.timedelta(days=ACTIONS_RUN_DAYS) else None


def figure_words(rep: Report, q: Quantity) -> str:
    """A context figure as its source gives it: 'ongeveer 28.000' for a rounded one (its word), else the number."""
    if not q.rounded:
        return rep.lang.num(q.value)
    return rep.t(key("qualified", q.qualifier or "about"), value=rep.lang.num(q.value))


def previous_month(period: str) -> str:
    """'2021-01' -> '2020-12': the month before a period's first."""
    year, month = int(period[:4]), int(period[5:])
    return f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"


def next_month(period: str) -> str:
    """'2020-02' -> '2020-03', '2020-12' -> '2021-01': the month after a period's last."""
    year, month = int(period[:4]), int(period[5:])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"
