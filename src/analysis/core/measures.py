"""Quantities that know what they count, so that unlike figures are never combined.

The source and its context mix unique learners, enrolments, started and ended actions and
courses offered, for different populations and periods. Every computation in the notebooks
goes through these functions, which refuse to add, subtract, divide or chart together two
figures whose measure or population differ, or whose periods do not fit the operation.
The one deliberate exception is a declared ratio of two measures (enrolments per learner)
for the same population and period. Changing what a figure is taken to mean (a claim of
"trainings" read as enrolments) must be said out loud with :func:`reinterpret`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: Ratios of two different measures that mean something, and the measure they produce.
DECLARED_RATIOS = {("enrolments", "unique_learners"): "enrolments_per_learner"}
#: Why two figures cannot be combined, as :class:`MeasureMismatch` names it.
REASONS = ("measure", "population", "overlap", "period_length")


class MeasureMismatch(ValueError):
    """Two figures that cannot be combined: the message says which and why.

    ``reason`` (one of :data:`REASONS`, or empty for any other refusal) and the two quantities let a
    report say the same in the reader's language.
    """

    def __init__(self, message: str, reason: str = "", a: Quantity | None = None, b: Quantity | None = None):
        super().__init__(message)
        self.reason, self.a, self.b = reason, a, b


def _months(period: str) -> int:
    year, month = map(int, period.split("-"))
    return year * 12 + month - 1


@dataclass(frozen=True)
class Quantity:
    value: float
    measure: str
    population: str
    start: str  # first month, YYYY-MM
    end: str  # last month, YYYY-MM
    refs: tuple[str, ...] = ()
    rounded: bool = False
    assumptions: tuple[str, ...] = ()
    #: How the source words a rounded figure ('about', 'almost', 'more_than'; see :func:`analysis.core.claims.interval`);
    #: empty when it is exact or the wording is not known (a rounded figure is then read as 'about').
    qualifier: str = ""

    @property
    def span(self) -> int:
        return _months(self.end) - _months(self.start) + 1

    def describe(self) -> str:
        refs = "+".join(self.refs) or "unnamed figure"
        return f"{refs} ({self.measure}, {self.population}, {self.start}..{self.end})"

    @classmethod
    def from_row(
        cls, row: pd.Series, measure: str, population: str, value_column: str, id_column: str | None = None, rounded: bool = False
    ) -> Quantity:
        id_column = id_column or row.index[0]
        return cls(
            float(row[value_column]), measure, population, row["period_start"], row["period_end"], (str(row[id_column]),), rounded
        )


def _refuse(op: str, a: Quantity, b: Quantity, why: str, reason: str = "") -> MeasureMismatch:
    return MeasureMismatch(f"refusing to {op} {a.describe()} and {b.describe()}: {why}", reason, a, b)


def _same_kind(op: str, a: Quantity, b: Quantity) -> None:
    if a.measure != b.measure:
        raise _refuse(
            op,
            a,
            b,
            f"they measure different things ({a.measure} vs {b.measure}); "
            "a learner, an enrolment and an action are not the same unit",
            "measure",
        )
    if a.population != b.population:
        raise _refuse(op, a, b, f"they count different populations ({a.population} vs {b.population})", "population")


def _merge(a: Quantity, b: Quantity, value: float, **changes: str) -> Quantity:
    return Quantity(
        value,
        changes.get("measure", a.measure),
        changes.get("population", a.population),
        changes.get("start", a.start),
        changes.get("end", a.end),
        a.refs + b.refs,
        a.rounded or b.rounded,
        tuple(dict.fromkeys(a.assumptions + b.assumptions)),
        a.qualifier if a.qualifier == b.qualifier else "",
    )


def add(a: Quantity, b: Quantity) -> Quantity:
    """Sum of two parts: categories of one period, or two periods that do not overlap."""
    _same_kind("add", a, b)
    if (a.start, a.end) == (b.start, b.end):
        return _merge(a, b, a.value + b.value)
    if _months(a.end) < _months(b.start) or _months(b.end) < _months(a.start):
        return _merge(a, b, a.value + b.value, start=min(a.start, b.start), end=max(a.end, b.end))
    raise _refuse("add", a, b, "their periods overlap, so the sum would count some months twice", "overlap")


def total(parts: list[Quantity]) -> Quantity:
    if not parts:
        raise ValueError("total() needs at least one part")
    result = parts[0]
    for part in parts[1:]:
        result = add(result, part)
    return result


def _comparable_periods(op: str, a: Quantity, b: Quantity) -> None:
    if a.span != b.span:
        raise _refuse(
            op,
            a,
            b,
            f"their periods differ in length ({a.span} vs {b.span} months); compare the same months of two years",
            "period_length",
        )


def difference(new: Quantity, old: Quantity) -> Quantity:
    """new − old for the same measure, population and length of period."""
    _same_kind("subtract", new, old)
    _comparable_periods("subtract", new, old)
    return _merge(new, old, new.value - old.value, measure=new.measure + "_change")


def ratio(new: Quantity, old: Quantity) -> float | None:
    """new / old for the same measure and population over periods of the same length."""
    _same_kind("divide", new, old)
    _comparable_periods("divide", new, old)
    return None if old.value == 0 else new.value / old.value


def pct_change(new: Quantity, old: Quantity) -> float | None:
    """Percentage change against the earlier figure (None when it is zero)."""
    r = ratio(new, old)
    return None if r is None else (r - 1.0) * 100.0


def per(numerator: Quantity, denominator: Quantity) -> Quantity:
    """A declared ratio of two measures (enrolments per learner) for one population and period."""
    measure = DECLARED_RATIOS.get((numerator.measure, denominator.measure))
    if measure is None:
        raise _refuse(
            "divide",
            numerator,
            denominator,
            f"{numerator.measure} per {denominator.measure} is not a declared ratio "
            f"(declared: {', '.join(f'{a} per {b}' for a, b in DECLARED_RATIOS)})",
        )
    if numerator.population != denominator.population:
        raise _refuse(
            "divide",
            numerator,
            denominator,
            f"they count different populations ({numerator.population} vs {denominator.population})",
        )
    if (numerator.start, numerator.end) != (denominator.start, denominator.end):
        raise _refuse("divide", numerator, denominator, "a per-learner ratio needs both figures for exactly the same period")
    return _merge(numerator, denominator, numerator.value / denominator.value, measure=measure)


def same_series(quantities: list[Quantity]) -> list[Quantity]:
    """Check that figures may be drawn as one series (one line or one set of bars)."""
    for q in quantities[1:]:
        _same_kind("chart together", quantities[0], q)
    return quantities


def reinterpret(q: Quantity, *, measure: str, population: str | None = None, reason: str) -> Quantity:
    """Take a figure as another measure, with the assumption recorded for the caveats.

    ``reason`` names the assumption by its message key, never by its text: a computed figure is the
    same in every language, and the report translates the key where it shows the caveat.
    """
    return replace(q, measure=measure, population=population or q.population, assumptions=q.assumptions + (reason,))


def share_pct(part: Quantity, whole: Quantity) -> float | None:
    """Part as a percentage of its whole: same measure, population and period."""
    _same_kind("take a share of", part, whole)
    if (part.start, part.end) != (whole.start, whole.end):
        raise _refuse("take a share of", part, whole, "a share needs the part and the whole over the same period")
    return None if whole.value == 0 else part.value / whole.value * 100.0


def with_value(q: Quantity, value: float) -> Quantity:
    """The same figure at another value (an end of its rounding interval)."""
    return replace(q, value=value)


def total_over_periods(parts: list[Quantity]) -> Quantity:
    """Sum categories within each period first, then the periods: the order the guard accepts.

    Folding month-and-category figures in one pass would add a two-month subtotal to a
    figure of its second month, which the guard rightly refuses as an overlap.
    """
    by_period: dict[tuple[str, str], list[Quantity]] = {}
    for q in parts:
        by_period.setdefault((q.start, q.end), []).append(q)
    return total([total(group) for _, group in sorted(by_period.items())])
