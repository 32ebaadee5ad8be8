"""Comparisons a report refuses, named in one caveat with what the figures differ in.

Questions 4 and 7 share this: a figure a reader will be tempted to set against another (actions against
enrolments, one group against another) is tried against the guard in :mod:`analysis.core.measures`;
what it refuses becomes one caveat sentence (which figures, and whether unit, group or period differ)
instead of being compared in the text with a caveat after it.
"""

from __future__ import annotations

from collections.abc import Callable

from analysis.core import measures
from analysis.core.measures import MeasureMismatch, Quantity
from analysis.report.frame import Report
from analysis.report.i18n import TABLE
from analysis.report.keys import ENDINGS, key

OPERATIONS: dict[str, Callable[[Quantity, Quantity], object]] = {
    "ratio": measures.ratio,
    "difference": measures.difference,
    "sum": measures.add,
    "share": measures.share_pct,
}

#: (operation, figure, other figure, the guard's refusal)
Refusal = tuple[str, Quantity, Quantity, MeasureMismatch]


def attempt(op: str, a: Quantity, b: Quantity) -> Refusal | None:
    """The refusal of ``op`` on two figures, or None when the guard allows it."""
    try:
        OPERATIONS[op](a, b)
    except MeasureMismatch as exc:
        return op, a, b, exc
    return None


def name(rep: Report, q: Quantity, words: dict[str, str]) -> str:
    """A figure in words: its label when it has one, else what it counts, for whom and when."""
    return words.get(q.refs[0]) or (
        f"{rep.t(key('measure', q.measure))}, {rep.t(key('population', q.population))}, "
        f"{rep.lang.period_range(q.start, q.end, TABLE)}"
    )


def refusal_text(rep: Report, exc: MeasureMismatch, words: dict[str, str] | None = None) -> str:
    """The guard's reason in the reader's language, naming figures in words (``words``: id -> label) rather than ids."""
    words = words or {}
    a, b = exc.a, exc.b
    assert a is not None and b is not None
    return rep.t(
        key("refusal", exc.reason or "other"),
        a=name(rep, a, words),
        b=name(rep, b, words),
        ma=_word(rep, "measure", a.measure),
        mb=_word(rep, "measure", b.measure),
        pa=_word(rep, "population", a.population),
        pb=_word(rep, "population", b.population),
        na=rep.lang.count(a.span),
        nb=rep.lang.count(b.span),
    )


def reasons(rep: Report, refused: list[Refusal]) -> str:
    """What the refused comparisons differ in, in words and in the guard's order: 'eenheid, groep en periode'."""
    seen = dict.fromkeys(REASON_WORD.get(exc.reason or "other", "other") for _, _, _, exc in refused)
    return rep._and([rep.t(key("refusal.differs", r)) for r in seen])


#: The guard's reasons as the few words a caveat lists (two period reasons are one word for a reader).
REASON_WORD = {"measure": "measure", "population": "population", "overlap": "period", "period_length": "period"}


def _word(rep: Report, base: str, value: str) -> str:
    """A measure or population in words; one the catalogue does not name is left to the figure's own label."""
    return rep.t(key(base, value)) if value in ENDINGS[base] else ""
