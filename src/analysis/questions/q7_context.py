"""Context (question 7): the longer evolution of online learning, with measures kept apart.

Published figures since 2015 count different things (unique learners, enrolments, actions,
courses offered) for different populations and periods. This module groups them into series
of one measure and population, pairs the same months of two years without chaining pairs
into one line, and computes enrolments per learner only where both figures cover exactly
the same period. Every combination goes through :mod:`analysis.core.measures`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from analysis.core import measures
from analysis.core.measures import MeasureMismatch, Quantity
from analysis.questions import q1_online_trainings as q1
from analysis.report import charts
from analysis.report.frame import Report
from analysis.report.render import Chart, Column, Html, Table, columns


def quantities(rep: Report) -> dict[str, Quantity]:
    frame = rep.data["context_figures"]
    return {
        r.figure_id: Quantity(
            float(r["count"]), r.measure, r.population, r.period_start, r.period_end, (r.figure_id,), bool(r.rounded)
        )
        for _, r in frame.iterrows()
    }


@dataclass
class Pair:
    earlier: Quantity
    later: Quantity
    ratio: float


@dataclass
class ContextAnswer:
    figures: dict[str, Quantity]
    full_years: dict[str, list[Quantity]] = field(default_factory=dict)  # measure -> yearly figures
    long_growth: dict[str, Pair] = field(default_factory=dict)
    pairs: list[Pair] = field(default_factory=list)
    per_learner: list[Quantity] = field(default_factory=list)
    refused: list[tuple[str, MeasureMismatch]] = field(default_factory=list)  # (attempt, the guard's refusal)
    events: pd.DataFrame | None = None
    claim_ratio: tuple[float, float] | None = None
    baseline_before_lockdown: bool | None = None


def compute(rep: Report) -> ContextAnswer:
    figures = quantities(rep)
    a = ContextAnswer(figures)
    rep.cite(rep.data["context_figures"])
    online_all = [q for q in figures.values() if q.population == "vdab_online_all_users"]
    for measure in ("unique_learners", "enrolments"):
        series = sorted(
            (q for q in online_all if q.measure == measure and q.span == 12 and q.start.endswith("-01")), key=lambda q: q.start
        )
        a.full_years[measure] = measures.same_series(series)
        if len(series) >= 2:
            a.long_growth[measure] = Pair(series[0], series[-1], measures.ratio(series[-1], series[0]))
    # Same months of two different years, for one measure and population: compared, never chained.
    by_window: dict[tuple, list[Quantity]] = {}
    for q in figures.values():
        if q.span < 12:
            by_window.setdefault((q.measure, q.population, q.start[5:], q.end[5:], q.span), []).append(q)
    for _window, items in sorted(by_window.items()):
        items.sort(key=lambda q: q.start)
        for earlier, later in zip(items, items[1:]):
            a.pairs.append(Pair(earlier, later, measures.ratio(later, earlier)))
    # Enrolments per learner, where both cover exactly the same period and population.
    for q in figures.values():
        if q.measure != "enrolments":
            continue
        for other in figures.values():
            if (
                other.measure == "unique_learners"
                and other.population == q.population
                and (other.start, other.end) == (q.start, q.end)
            ):
                a.per_learner.append(measures.per(q, other))
    a.per_learner.sort(key=lambda q: (q.start, q.end))
    a.refused = refused_comparisons(figures)
    events = rep.data["context_events"]
    rep.cite(events)
    a.events = events
    o = q1.compute(rep)
    if o.available and o.ratio_low is not None:
        a.claim_ratio = (o.ratio_low, o.ratio_high)
    bounds = rep.period_bounds(rep.compare_year)
    lockdown = events[events.event == "lockdown_closure"]
    if bounds and not lockdown.empty:
        end_year, end_month = map(int, bounds[1].split("-"))
        last_day = dt.date(end_year + end_month // 12, end_month % 12 + 1, 1) - dt.timedelta(days=1)
        a.baseline_before_lockdown = last_day < lockdown.iloc[0].date
    return a


def refused_comparisons(figures: dict[str, Quantity]) -> list[tuple[str, str]]:
    """Tempting comparisons the guard refuses, shown so readers see why they are not in the report."""
    attempts = [
        ("O3 / O2", lambda: measures.ratio(figures["O3"], figures["O2"])),
        ("O7 − O6", lambda: measures.difference(figures["O7"], figures["O6"])),
        ("O6 + O9", lambda: measures.add(figures["O6"], figures["O9"])),
        ("O9 / O4", lambda: measures.ratio(figures["O9"], figures["O4"])),
        ("T3 / O7", lambda: measures.ratio(figures["T3"], figures["O7"])),
        ("K1 / O3", lambda: measures.ratio(figures["K1"], figures["O3"])),
    ]
    out = []
    for label, attempt in attempts:
        if not all(ref in figures for ref in label.replace("/", " ").replace("−", " ").replace("+", " ").split()):
            continue
        try:
            attempt()
        except MeasureMismatch as exc:
            out.append((label, exc))
    return out


def _label(rep: Report, q: Quantity) -> str:
    return rep.lang.period_range(q.start, q.end)


def _num(rep: Report, q: Quantity) -> str:
    return ("~" if q.rounded else "") + rep.lang.num(q.value)


def short_answer(rep: Report, a: ContextAnswer) -> Html:
    L = rep.lang
    parts = []
    g = a.long_growth.get("unique_learners")
    if g:
        parts.append(
            rep.th(
                "q7.short.long",
                first=_label(rep, g.earlier),
                last=_label(rep, g.later),
                a=_num(rep, g.earlier),
                b=_num(rep, g.later),
                pct=L.pct((g.ratio - 1) * 100, 0, signed=True),
            )
        )
    spring = [p for p in a.pairs if p.earlier.population == "vdab_online_all_users" and p.earlier.span > 1]
    if spring:
        parts.append(
            rep.th(
                "q7.short.pairs",
                items="; ".join(
                    f"{rep.t('measure.' + p.earlier.measure)} {_label(rep, p.earlier)} → {_label(rep, p.later)}: ×{L.ratio(p.ratio, 1)}"
                    for p in spring
                ),
            )
        )
    parts.append(conclusion(rep, a))
    return rep.short_answer(parts)


def conclusion(rep: Report, a: ContextAnswer) -> str:
    L = rep.lang
    bits = []
    if a.claim_ratio:
        bits.append(
            rep.th(
                "q7.conclusion.claim",
                low=L.ratio(a.claim_ratio[0], 1),
                high=L.ratio(a.claim_ratio[1], 1),
                period=rep.period,
                compare=rep.compare_period,
            )
        )
    if a.baseline_before_lockdown is True:
        bits.append(rep.th("q7.conclusion.prepandemic", compare=rep.compare_period))
    elif a.baseline_before_lockdown is False:
        bits.append(rep.th("q7.conclusion.pandemic_baseline", compare=rep.compare_period))
    bits.append(rep.th("q7.conclusion.limits"))
    return " ".join(bits)


def figures_table(rep: Report, a: ContextAnswer) -> Table:
    L = rep.lang
    frame = rep.data["context_figures"].copy()
    frame["measure_label"] = frame.measure.map(lambda m: rep.t("measure." + m))
    frame["population_label"] = frame.population.map(lambda p: rep.t("population." + p))
    frame["period"] = [L.period_range(s, e) for s, e in zip(frame.period_start, frame.period_end)]
    frame["shown"] = [("~" if r else "") + L.num(c) for c, r in zip(frame["count"], frame.rounded)]
    return Table(
        frame,
        columns(
            rep.t,
            [
                ("figure_id", "table.ref"),
                ("measure_label", "q7.col.measure"),
                ("population_label", "q7.col.population"),
                ("period", "q7.col.period"),
                ("shown", "q7.col.count", str, True),
                ("source_id", "q7.col.source"),
            ],
        ),
        caption=rep.t("q7.table.figures"),
        note=rep.t("q7.table.rounded_note"),
    )


def pairs_table(rep: Report, a: ContextAnswer) -> Table:
    L = rep.lang
    frame = pd.DataFrame(
        [
            {
                "measure": rep.t("measure." + p.earlier.measure),
                "population": rep.t("population." + p.earlier.population),
                "earlier": f"{_label(rep, p.earlier)}: {_num(rep, p.earlier)}",
                "later": f"{_label(rep, p.later)}: {_num(rep, p.later)}",
                "ratio": "×" + L.ratio(p.ratio, 2),
                "refs": f"{p.earlier.refs[0]}, {p.later.refs[0]}",
            }
            for p in a.pairs
        ]
    )
    return Table(
        frame,
        columns(
            rep.t,
            [
                ("measure", "q7.col.measure"),
                ("population", "q7.col.population"),
                ("earlier", "q7.col.earlier"),
                ("later", "q7.col.later"),
                ("ratio", "q7.col.ratio", str, True),
                ("refs", "table.ref"),
            ],
        ),
        caption=rep.t("q7.table.pairs"),
        note=rep.t("q7.table.pairs_note"),
    )


def per_learner_table(rep: Report, a: ContextAnswer) -> Table:
    L = rep.lang
    frame = pd.DataFrame(
        [
            {
                "period": _label(rep, q),
                "value": L.ratio(q.value, 2),
                "refs": " / ".join(q.refs),
                "rounded": rep.t("yes") if q.rounded else rep.t("no"),
            }
            for q in a.per_learner
        ]
    )
    return Table(
        frame,
        [
            Column("period", rep.t("q7.col.period")),
            Column("value", rep.t("q7.col.per_learner"), numeric=True),
            Column("rounded", rep.t("q7.col.rounded")),
            Column("refs", rep.t("table.ref")),
        ],
        caption=rep.t("q7.table.per_learner"),
        note=rep.t("q7.table.per_learner_note"),
    )


def refusal_text(rep: Report, exc: MeasureMismatch) -> str:
    """The guard's reason in the reader's language."""

    def name(q: Quantity) -> str:
        return f"{q.refs[0]} ({rep.t('measure.' + q.measure)}, {rep.t('population.' + q.population)}, {_label(rep, q)})"

    a, b = exc.a, exc.b
    return rep.t(
        "refusal." + (exc.reason or "other"),
        a=name(a),
        b=name(b),
        ma=rep.t("measure." + a.measure),
        mb=rep.t("measure." + b.measure),
        pa=rep.t("population." + a.population),
        pb=rep.t("population." + b.population),
        na=a.span,
        nb=b.span,
    )


def refused_table(rep: Report, a: ContextAnswer) -> Table:
    frame = pd.DataFrame([{"attempt": label, "why": refusal_text(rep, exc)} for label, exc in a.refused])
    return Table(
        frame, [Column("attempt", rep.t("q7.col.attempt")), Column("why", rep.t("q7.col.why"))], caption=rep.t("q7.table.refused")
    )


def pairs_chart(rep: Report, a: ContextAnswer) -> Chart:
    """One small panel per pair: each pair on its own axis, so no line suggests a continuous series."""
    L = rep.lang
    n = len(a.pairs)
    fig, axes = charts.figure(max(8.5, 2.9 * n), 3.4, ncols=n, squeeze=False)
    for ax, p in zip(axes[0], a.pairs):
        measures.same_series([p.earlier, p.later])
        labels = [p.earlier.start[:4], p.later.start[:4]]
        ax.bar(labels, [p.earlier.value, p.later.value], color=charts.YEAR_COLOURS)
        for x, q in enumerate((p.earlier, p.later)):
            ax.text(x, q.value, _num(rep, q), ha="center", va="bottom", fontsize=8)
        ax.set_title(
            f"{rep.t('measure.' + p.earlier.measure)}\n{L.period_range(p.earlier.start, p.earlier.end)[:-5]}", fontsize=9
        )
        ax.yaxis.set_major_formatter(lambda v, _: L.num(v))
        ax.tick_params(labelsize=8)
        ax.set_ylim(0, max(p.earlier.value, p.later.value) * 1.2)
    fig.suptitle(rep.t("q7.chart.pairs"), fontweight="bold")
    fig.tight_layout(w_pad=2.5)
    return Chart(fig, rep.t("q7.chart.pairs"))


def timeline_chart(rep: Report, a: ContextAnswer) -> Chart:
    """Where the comparison windows fall against the lockdown dates: one row per window."""
    import matplotlib.dates as mdates

    L = rep.lang
    rows: list[tuple[str, str, str, str]] = []  # (start, end, label, colour)
    for year, colour in ((rep.compare_year, charts.YEAR_COLOURS[0]), (rep.year, charts.YEAR_COLOURS[1])):
        bounds = rep.period_bounds(year)
        if bounds:
            rows.append((*bounds, f"{rep.t('q7.timeline.source')}: {rep.lang.period(year, rep.months)}", colour))
    seen = {(r[0], r[1]) for r in rows}
    for p in a.pairs:
        if p.earlier.population != "vdab_online_all_users":
            continue
        for q in (p.earlier, p.later):
            if (q.start, q.end) not in seen:
                seen.add((q.start, q.end))
                rows.append((q.start, q.end, f"{rep.t('q7.timeline.context')}: {_label(rep, q)}", charts.PALETTE[2]))

    def month_start(period: str, after: bool = False) -> dt.date:
        y, m = int(period[:4]), int(period[5:])
        if after:
            y, m = y + m // 12, m % 12 + 1
        return dt.date(y, m, 1)

    fig, ax = charts.figure(8.5, 0.9 + 0.42 * (len(rows) + 1))
    for i, (start, end, label, colour) in enumerate(rows):
        s, e = month_start(start), month_start(end, after=True)
        ax.barh(i, (e - s).days, left=s, height=0.6, color=colour)
        ax.text(e + dt.timedelta(days=12), i, label, va="center", fontsize=8)
    for k, (_, ev) in enumerate(a.events.iterrows()):
        ax.axvline(ev.date, color=charts.PALETTE[4], linestyle="--", linewidth=1)
        ax.text(
            ev.date,
            len(rows) - 0.2 + 0.45 * k,
            " " + rep.t("event." + ev.event) + f" ({L.date(ev.date)})",
            fontsize=7.5,
            color=charts.PALETTE[4],
        )
    ax.set_yticks([])
    ax.set_ylim(len(rows) + 0.9, -0.7)
    first = min(month_start(r[0]) for r in rows)
    last = max(month_start(r[1], after=True) for r in rows)
    ax.set_xlim(first - dt.timedelta(days=20), last + dt.timedelta(days=300))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 7]))
    ax.xaxis.set_major_formatter(lambda v, _: f"{L.month(mdates.num2date(v).month)[:3]} {mdates.num2date(v).year}")
    ax.tick_params(axis="x", labelsize=8)
    ax.set_title(rep.t("q7.chart.timeline"))
    ax.grid(axis="y", visible=False)
    return Chart(fig, rep.t("q7.chart.timeline"))


def key_figures(a: ContextAnswer) -> dict[str, object]:
    out = {f"pair {p.earlier.refs[0]}->{p.later.refs[0]}": round(p.ratio, 2) for p in a.pairs}
    out.update({f"per_learner {'/'.join(q.refs)}": round(q.value, 2) for q in a.per_learner})
    out["refused"] = len(a.refused)
    out["baseline_before_lockdown"] = a.baseline_before_lockdown
    return out
