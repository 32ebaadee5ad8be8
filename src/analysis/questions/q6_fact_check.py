"""Question 6 (fact-check): every derived figure the source publishes, recomputed from its parts.

Published totals and percentage differences (data/published_derived.csv) are never used as
inputs: each is recomputed from the underlying official figures, compared at the precision
it was published with, and, when it does not match, tested against the other conventions a
writer may have used so the likely explanation can be named.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core import claims, measures
from analysis.core.measures import Quantity
from analysis.questions import q1_online_trainings as q1
from analysis.questions import q5_contact_vs_online as q5
from analysis.report import charts
from analysis.report.frame import Report
from analysis.report.render import Chart, Column, Html, Table

MATCH, MISMATCH, EXPLAINED, UNDEFINED = "match", "mismatch", "explained", "undefined"

#: Alternative conventions for a percentage difference, tried in order when the standard one fails.
ALTERNATIVES = {
    "pct_base_new": lambda new, old: None if new == 0 else (new - old) / new * 100.0,
    "pct_swapped": lambda new, old: None if new == 0 else (old - new) / new * 100.0,
}


@dataclass
class Check:
    derived_id: str
    operation: str
    operands: list[str]
    published: float
    unit: str
    recomputed: float | None
    status: str
    explanation: str | None  # key of the alternative convention that reproduces the figure
    locator: str


def _figures(rep: Report) -> dict[str, tuple[Quantity, int | None, int | None]]:
    """Every underlying official figure by id, with (year, month) when it is monthly."""
    out = {}
    for _, r in rep.data["contact_actions"].iterrows():
        out[r.figure_id] = (q5._quantity(r), int(r.year), int(r.month))
    for _, r in rep.data["online_actions"].iterrows():
        out[r.figure_id] = (Quantity.from_row(r, "online_actions_started", r.population, "actions"), None, None)
    for _, r in rep.data["online_enrolments"].iterrows():
        out[r.figure_id] = (Quantity.from_row(r, "enrolments", q1.POPULATION, "enrolments"), None, None)
    return out


def _in_scope(rep: Report, figure: tuple[Quantity, int | None, int | None]) -> bool:
    q, year, month = figure
    if year is not None:
        return year in (rep.year, rep.compare_year) and month in rep.months
    bounds = rep.period_bounds(rep.year)
    return bounds is not None and (q.start, q.end) == bounds


def _round(value: float, unit: str) -> float:
    return round(value, 1) if unit == "pct" else round(value)


def compute(rep: Report) -> list[Check]:
    figures = _figures(rep)
    derived = rep.data["published_derived"].set_index("derived_id", drop=False)
    recomputed: dict[str, Quantity] = {}
    checks: list[Check] = []

    def leafs(identifier: str) -> list[str]:
        if identifier in derived.index:
            return [leaf for op in derived.loc[identifier].operands.split() for leaf in leafs(op)]
        return [identifier]

    def resolve(identifier: str) -> Quantity:
        if identifier in figures:
            return figures[identifier][0]
        if identifier not in recomputed:
            evaluate(derived.loc[identifier])
        return recomputed[identifier]

    def evaluate(row) -> Check:
        ops = row.operands.split()
        quantities = [resolve(op) for op in ops]
        explanation = None
        if row.operation == "sum":
            result = measures.total(quantities)
            recomputed[row.derived_id] = result
            value = result.value
            status = MATCH if _round(value, row.unit) == _round(row.value, row.unit) else MISMATCH
        else:  # pct_change of the first operand against the second
            new, old = quantities
            value = measures.pct_change(new, old)
            if value is not None and _round(value, "pct") == _round(row.value, "pct"):
                status = MATCH
            else:
                status = UNDEFINED if value is None else MISMATCH
                for key, formula in ALTERNATIVES.items():
                    alt = formula(new.value, old.value)
                    if alt is not None and round(alt, 1) == round(row.value, 1):
                        explanation, status = key, EXPLAINED
                        break
        return Check(row.derived_id, row.operation, ops, float(row.value), row.unit, value, status, explanation, row.locator)

    for _, row in derived.iterrows():
        leaves = leafs(row.derived_id)
        if not all(leaf in figures and _in_scope(rep, figures[leaf]) for leaf in leaves):
            continue
        checks.append(evaluate(row))
        rep.cite(derived.loc[[row.derived_id]], "derived_id")
        for leaf in leaves:
            frame = _frame_of(rep, leaf)
            rep.cite(frame[frame.figure_id == leaf])
    return checks


def _frame_of(rep: Report, figure_id: str) -> pd.DataFrame:
    for name in ("contact_actions", "online_actions", "online_enrolments"):
        frame = rep.data[name]
        if figure_id in set(frame.figure_id):
            return frame
    raise KeyError(figure_id)


def claim_checks(rep: Report) -> list[claims.ClaimCheck]:
    a = q1.compute(rep)
    return a.claim_checks if a.available else []


def summary(checks: list[Check]) -> dict[str, int]:
    counts = {MATCH: 0, EXPLAINED: 0, MISMATCH: 0, UNDEFINED: 0}
    for c in checks:
        counts[c.status] += 1
    return counts


def short_answer(rep: Report, checks: list[Check], claim_list: list[claims.ClaimCheck]) -> Html:
    L = rep.lang
    if not checks and not claim_list:
        return rep.not_available(rep.t("q6.not_in_data", period=rep.period, compare=rep.compare_period))
    sums = [c for c in checks if c.operation == "sum"]
    pcts = [c for c in checks if c.operation == "pct_change"]
    parts = [
        rep.th(
            "q6.short.counts",
            n=L.num(len(checks)),
            sums=L.num(len(sums)),
            sums_ok=L.num(sum(c.status == MATCH for c in sums)),
            pcts=L.num(len(pcts)),
            pcts_ok=L.num(sum(c.status == MATCH for c in pcts)),
            pcts_explained=L.num(sum(c.status == EXPLAINED for c in pcts)),
        )
    ]
    if any(c.explanation == "pct_base_new" for c in pcts):
        parts.append(rep.th("q6.short.base_new", year=rep.year, compare=rep.compare_year))
        impossible = sorted((c for c in pcts if c.published < -100 and c.recomputed is not None), key=lambda c: c.published)
        if impossible:
            c = impossible[0]
            parts.append(rep.th("q6.short.impossible", value=L.pct(c.published), where=c.locator, recomputed=L.pct(c.recomputed)))
    if claim_list:
        ok = sum(c.verdict == claims.CONSISTENT for c in claim_list)
        parts.append(rep.th("q6.short.claims", n=L.num(len(claim_list)), ok=L.num(ok)))
    return rep.short_answer(parts)


def table(rep: Report, checks: list[Check]) -> Html | Table:
    if not checks:
        return Html("")
    L = rep.lang

    def fmt(value, unit):
        if value is None:
            return rep.t("table.no_base")
        return L.pct(value, signed=True) if unit == "pct" else L.num(value)

    frame = pd.DataFrame(
        [
            {
                "id": c.derived_id,
                "what": c.locator,
                "published": fmt(c.published, c.unit),
                "recomputed": fmt(c.recomputed, c.unit),
                "status": rep.t("status." + c.status),
                "why": rep.t("explanation." + c.explanation, year=rep.year, compare=rep.compare_year)
                if c.explanation
                else ("" if c.status == MATCH else rep.t("explanation.none")),
            }
            for c in checks
        ]
    )
    return Table(
        frame,
        [
            Column("id", rep.t("table.ref")),
            Column("what", rep.t("q6.col.what")),
            Column("published", rep.t("q6.col.published"), numeric=True),
            Column("recomputed", rep.t("q6.col.recomputed"), numeric=True),
            Column("status", rep.t("q6.col.status")),
            Column("why", rep.t("q6.col.why")),
        ],
        caption=rep.t("q6.table.caption"),
        note=rep.t("q6.table.note"),
        row_classes=["ok" if c.status == MATCH else "flag" for c in checks],
    )


def chart(rep: Report, checks: list[Check]) -> Chart | Html:
    """Published versus recomputed percentage differences: the gap is what a reader should see."""
    pcts = [c for c in checks if c.operation == "pct_change"]
    if not pcts:
        return Html("")
    L = rep.lang
    rows = []
    for c in pcts:
        label = c.derived_id.replace("PD-CA-", "")
        rows.append({"figure": label, "kind": rep.t("q6.col.published"), "pct": c.published})
        if c.recomputed is not None:
            rows.append({"figure": label, "kind": rep.t("q6.col.recomputed"), "pct": c.recomputed})
    frame = pd.DataFrame(rows)
    frame["pct_clipped"] = frame.pct.clip(-150, 150)
    import seaborn as sns

    fig, ax = charts.figure(8.5, 3.8)
    sns.barplot(frame, y="figure", x="pct_clipped", hue="kind", ax=ax, palette=[charts.PALETTE[1], charts.PALETTE[0]], orient="h")
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_xlabel(rep.t("table.pct_change", base=rep.compare_year))
    ax.set_ylabel("")
    ax.xaxis.set_major_formatter(lambda v, _: L.pct(v, 0))
    ax.legend(title="", frameon=False, loc="lower right")
    ax.set_title(rep.t("q6.chart.title"))
    clipped = frame[frame.pct.abs() > 150]
    if not clipped.empty:
        fig.text(
            0.01,
            -0.04,
            rep.t("q6.chart.clipped", values=", ".join(f"{r.figure}: {L.pct(r.pct, 1)}" for r in clipped.itertuples())),
            fontsize=8,
        )
    return Chart(fig, rep.t("q6.chart.alt"))


def key_figures(checks: list[Check], claim_list: list[claims.ClaimCheck]) -> dict[str, object]:
    out = dict(summary(checks))
    out.update(
        {
            c.derived_id: f"{c.published:g} vs {'n/a' if c.recomputed is None else round(c.recomputed, 1)} {c.status}"
            for c in checks
        }
    )
    out.update({f"claim {c.claim_id} ({c.compared_with})": c.verdict for c in claim_list})
    return out
