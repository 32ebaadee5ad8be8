"""Question 3: the participants' profile, from a participant extract when present."""

from __future__ import annotations

from analysis import parameters
from analysis.questions.common import extracts
from analysis.questions.common.extracts import PROFILE, Breakdowns
from analysis.report.frame import Report
from analysis.report.keys import key
from analysis.report.narrative import Figure
from analysis.report.render import Html, join

#: The caveats of this report (message keys).
CAVEATS = ("q3.caveat.1", "q3.caveat.2")
#: The ages that name the age bands in the caveats (the question's ‘25-58’ and ‘58+’, our 25 to 57): labels, not counts.
AGE_LABELS = (25, 57, 58)


def compute(rep: Report, threshold: int) -> Breakdowns:
    threshold = parameters.DISCLOSURE_THRESHOLD.check(threshold)
    return extracts.breakdowns(rep, PROFILE, threshold)


def short_answer(rep: Report, b: Breakdowns) -> Html:
    L = rep.lang
    if not b.available:
        rep.source("wq-answer", "Antwoord 3 (geen cijfers over het profiel)")
        paragraphs = [rep.th("q3.short.missing")]
    else:
        paragraphs = [
            rep.th(
                "q3.short.present",
                period=rep.period,
                # A total below the threshold is itself a small count: it gets the same mark as a cell.
                total=L.count(b.total) if b.total >= b.threshold else rep.t("sdc.hidden", threshold=L.num(b.threshold)),
                origin=rep.t(key("q3.origin", b.origin)),
                threshold=L.count(b.threshold),
            )
        ]
    figures = [Figure(b.threshold), Figure(b.total)] if b.available else []
    return rep.short_answer(paragraphs, figures)


def caveats(rep: Report) -> Html:
    """The caveats on the participant tables (age bands, disclosure control), where there are tables."""
    return (
        rep.caveats(CAVEATS, figures=[Figure(age, "label") for age in AGE_LABELS]) if extracts.has_participants(rep) else Html("")
    )


def details(rep: Report, b: Breakdowns) -> Html:
    if not b.available:
        return Html("")
    tables = [extracts.breakdown_table(rep, b, d) for d in b.dimensions]
    chart = extracts.breakdown_chart(rep, b, "q3.chart.title")
    return join(*tables, chart)


def key_figures(b: Breakdowns) -> dict[str, object]:
    if not b.available:
        return {"available": False}
    return {"participants": b.total, "hidden_cells": int(b.frame.hidden.sum()), "dimensions": ",".join(b.dimensions)}
