"""Comparisons a report refuses, shown with the guard's reason so readers see why they are not made.

Questions 4 and 7 share this: a figure a reader will be tempted to set against another (actions against
enrolments, one group against another) is listed here with the reason the guard in
:mod:`analysis.core.measures` gives, instead of being compared in the text with a caveat after it.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analysis.core import measures
from analysis.core.measures import MeasureMismatch, Quantity
from analysis.report.frame import Report
from analysis.report.i18n import TABLE
from analysis.report.keys import ENDINGS, key
from analysis.report.render import Column, Table

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


def refusal_text(rep: Report, exc: MeasureMismatch, words: dict[str, str] | None = None, in_table: bool = False) -> str:
    """The guard's reason in the reader's language, naming figures in words (``words``: id -> label) rather than ids.

    ``in_table``: the reason beside its comparison, which already names both figures: only what differs.
    """
    words = words or {}
    a, b = exc.a, exc.b
    assert a is not None and b is not None
    return rep.t(
        key("refusal.in_table" if in_table else "refusal", exc.reason or "other"),
        a=name(rep, a, words),
        b=name(rep, b, words),
        ma=_word(rep, "measure", a.measure),
        mb=_word(rep, "measure", b.measure),
        pa=_word(rep, "population", a.population),
        pb=_word(rep, "population", b.population),
        na=rep.lang.count(a.span),
        nb=rep.lang.count(b.span),
    )


def table(rep: Report, refused: list[Refusal], words: dict[str, str], caption: str) -> Table:
    frame = pd.DataFrame(
        [
            {
                "attempt": rep.t(key("attempt", op), a=name(rep, a, words), b=name(rep, b, words)),
                "why": refusal_text(rep, exc, words, in_table=True),
                "refs": ", ".join(dict.fromkeys(a.refs + b.refs)),
            }
            for op, a, b, exc in refused
        ],
        columns=["attempt", "why", "refs"],
    )
    return rep.checked(
        Table(
            frame,
            [
                Column("attempt", rep.t("refused.col.attempt")),
                Column("why", rep.t("refused.col.why")),
                Column("refs", rep.t("table.ref"), ref=True),
            ],
            caption=caption,
        )
    )


def _word(rep: Report, base: str, value: str) -> str:
    """A measure or population in words; one the catalogue does not name is left to the figure's own label."""
    return rep.t(key(base, value)) if value in ENDINGS[base] else ""
