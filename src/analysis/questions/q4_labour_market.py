"""Question 4: online learning by labour-market position.

The answer says its registration data do not allow the breakdown; it gives one partial figure:
online-learning actions started by workers whose employer had declared temporary unemployment since
March 2020, split by their registration when the action started. That figure counts actions of a wider
group than the question's temporarily unemployed people, so this report does not set it against
enrolments or against press figures for other groups, and its caveat says why (unit and group).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis import parameters
from analysis.core import measures
from analysis.core.measures import Quantity
from analysis.data.schemas import STATUS_AT_START
from analysis.questions.common import extracts
from analysis.report.frame import Report
from analysis.report.keys import key
from analysis.report.narrative import Figure
from analysis.report.render import Column, Html, NoRef, Table, Value, para
from analysis.report.tabular import RECOMPUTED, VERIFIED

#: The caveats of this report (message keys).
CAVEATS = ("q4.caveat.unit",)
#: The partial figure's group as the source defines it (declarations of temporary unemployment since
#: March 2020, the one population data/online_actions.csv allows); q4.short.partial names the year.
GROUP_SINCE_YEAR = 2020
#: The question whose enrolments the caveats name ("the enrolments of question 1").
ENROLMENTS_QUESTION = 1


@dataclass
class Partial:
    available: bool
    parts: dict[str, Quantity] = field(default_factory=dict)
    total: Quantity | None = None
    shares: dict[str, float] = field(default_factory=dict)


def partial(rep: Report) -> Partial:
    bounds = rep.period_bounds(rep.year)
    frame = rep.data["online_actions"]
    if bounds is None:
        return Partial(False)
    rows = frame[(frame.period_start == bounds[0]) & (frame.period_end == bounds[1])]
    if rows.empty:
        return Partial(False)
    rep.cite(rows)
    parts = {
        r.status_at_start: Quantity.from_row(r, "online_actions_started", r.population, "actions") for _, r in rows.iterrows()
    }
    total = measures.total(list(parts.values()))
    shares = {k: measures.share_pct(q, total) for k, q in parts.items()}
    return Partial(True, parts, total, shares)


def full(rep: Report, threshold: int = 5) -> extracts.Breakdowns:
    """The full breakdown by position, from a participant extract when one is present."""
    threshold = parameters.DISCLOSURE_THRESHOLD.check(threshold)
    return extracts.breakdowns(rep, ("labour_market_status",), threshold)


def full_table(rep: Report, f: extracts.Breakdowns) -> Html | Table:
    if not f.available:
        return Html("")
    return rep.checked(extracts.breakdown_table(rep, f, "labour_market_status"))


def short_answer(rep: Report, p: Partial, f: extracts.Breakdowns) -> Html:
    findings(rep, p, f)
    L = rep.lang
    parts = []
    if f.available:
        parts.append(rep.th("q4.short.full", period=rep.period, n=L.num(f.total)))
    else:
        rep.source("wq-answer", "Antwoord 4, eerste alinea (uitsplitsing niet mogelijk)")
        parts.append(rep.th("q4.short.no_split"))
    if p.available:
        parts.append(partial_text(rep, p))
    else:
        parts.append(rep.th("q4.short.partial_missing", period=rep.period))
    return rep.short_answer(parts, figures(rep, p, f))


def findings(rep: Report, p: Partial, f: extracts.Breakdowns) -> None:
    """The key finding for the front sheet: the full breakdown, or the one partial figure the answer gives."""
    L = rep.lang
    if f.available:
        rep.finding(rep.th("q4.finding.full", period=rep.period, n=L.num(f.total)), figures(rep, p, f), ["official"])
    elif p.available:
        emp = p.parts.get("employee_or_temporarily_unemployed")
        js = p.parts.get("jobseeker")
        values = {
            "period": rep.period,
            "total": L.num(p.total.value),
            "emp": L.num(emp.value if emp else 0),
            "js": L.num(js.value if js else 0),
        }
        checked = figures(rep, p, f)
        rep.finding(rep.th("q4.finding.partial", **values), checked, ["official"], supporting=True)
        rep.quote_note("with_definition", rep.th("q4.quote.partial", **values), checked)


def partial_text(rep: Report, p: Partial) -> str:
    """The partial figure in words: both parts with their shares, or, when one part is zero, "all of them" and
    "none"; no actions at all is said as such, never "0 (0.0%)"."""
    L = rep.lang
    emp = p.parts.get("employee_or_temporarily_unemployed")
    js = p.parts.get("jobseeker")
    counts = {"employee_or_temporarily_unemployed": emp.value if emp else 0.0, "jobseeker": js.value if js else 0.0}
    if p.total.value == 0:
        case = "none"
    elif all(counts.values()):
        case = "both"
    else:
        case = next(status for status, n in counts.items() if n)
    return rep.th(
        key("q4.short.partial", case),
        period=rep.period,
        total=L.num(p.total.value),
        emp=L.num(counts["employee_or_temporarily_unemployed"]),
        emp_pct=L.pct(p.shares.get("employee_or_temporarily_unemployed")),
        js=L.num(counts["jobseeker"]),
        js_pct=L.pct(p.shares.get("jobseeker")),
    )


def figures(rep: Report, p: Partial, f: extracts.Breakdowns) -> list[Figure]:
    """Every figure q4's text may show, for the narrative check."""
    out = [Figure(f.total)] if f.available else []
    out.append(Figure(ENROLMENTS_QUESTION, "label"))
    if not p.available:
        return out
    out += [Figure(GROUP_SINCE_YEAR, "label"), Figure(p.total.value)]
    for status in STATUS_AT_START:
        part, share = p.parts.get(status), p.shares.get(status)
        out.append(Figure(part.value if part else 0.0))
        if share is not None:
            out.append(Figure(share, "pct"))
    out.append(Figure(100.0, "pct"))  # the total's share in the table
    return out


def partial_table(rep: Report, p: Partial, f: extracts.Breakdowns | None = None) -> Html | Table:
    """The answer's partial figure; when the period has no figure by position at all, one line says so."""
    if not p.available:
        if f is not None and f.available:
            return Html("")
        return rep.checked(para(rep.th("q4.tables.none", period=rep.period)))
    L = rep.lang
    parts = tuple(ref for q in p.parts.values() for ref in q.refs)
    # a share is computed from its part and the total of the parts: it cites them all
    rows = [
        {
            "group": rep.t(key("status", k)),
            "n": q.value,
            "n_raw": q.value,
            "share": p.shares[k],
            "share_raw": Value(p.shares[k], refs=parts),
            "ref": q.refs[0],
        }
        for k, q in p.parts.items()
    ]
    published = rep.published_sum(parts, p.total.value)  # the answer's own total, when the recomputation reproduces it
    total = (
        Value(p.total.value, refs=(published,), status=VERIFIED)
        if published
        else Value(p.total.value, refs=parts, status=RECOMPUTED)
    )
    rows.append(
        {
            "group": rep.t("table.total"),
            "n": p.total.value,
            "n_raw": total,
            "share": 100.0,
            "share_raw": Value(100.0, refs=parts),
            "ref": NoRef(rep.t("table.recomputed")),
        }
    )
    return rep.checked(
        Table(
            pd.DataFrame(rows),
            [
                Column("group", rep.t("q4.col.group")),
                Column("n", rep.t("unit.actions"), L.num, True, rep.t("measure.online_actions_started"), 0, raw="n_raw"),
                Column("share", rep.t("table.share_of_total"), L.pct, True, "%", 1, raw="share_raw", status=RECOMPUTED),
                Column("ref", rep.t("table.ref"), ref=True),
            ],
            caption=rep.t("q4.table.caption", period=rep.period),
            note=rep.t("q4.table.note"),
            row_classes=[""] * len(p.parts) + ["total"],
        )
    )


def caveats(rep: Report) -> Html:
    """The unit and group of the partial figure, which is why it is set against no other figure on online learning.
    Those figures are not listed: a list of what the text does not compare, without their values, only distracts
    (editors, rounds 21 and 22)."""
    return rep.caveats(CAVEATS, [], figures=[Figure(ENROLMENTS_QUESTION, "label")])


def key_figures(p: Partial, f: extracts.Breakdowns) -> dict[str, object]:
    out: dict[str, object] = {"full_breakdown": f.available}
    if p.available:
        out.update({f"actions_{k}": int(q.value) for k, q in p.parts.items()})
        out["actions_total"] = int(p.total.value)
    return out
