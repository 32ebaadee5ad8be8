"""Questions 2-4 when extracts are present: per-course figures and participant breakdowns.

The source has no such figures; these functions turn optional extract files into the same
tables, so the notebooks answer as soon as VDAB provides the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import config
from analysis.core import disclosure
from analysis.data.schemas import PROFILE_DIMENSIONS
from analysis.report import charts
from analysis.report.frame import Report
from analysis.report.keys import key
from analysis.report.narrative import Figure
from analysis.report.render import Chart, Column, Table, Value
from analysis.report.tabular import RECOMPUTED, SUPPRESSED

PROFILE = ("education_level", "age_band", "gender", "disability", "migration_background")


#: Bands of the question ('-25, 25-58, 58+'): under 25, 25 up to 57, 58 and over; edges are left-closed.
AGE_EDGES = (-np.inf, 25, 58, np.inf)
AGE_BANDS = ("under_25", "25_to_57", "58_plus")
#: Courses drawn one by one in the chart; the rest become one bar, so thousands of courses stay readable.
CHART_MAX_COURSES = 25


def age_bands(ages: pd.Series) -> pd.Series:
    """The age band of every participant in one pass: a million records take milliseconds."""
    bands = pd.cut(pd.to_numeric(ages, errors="coerce"), list(AGE_EDGES), right=False, labels=list(AGE_BANDS))
    return bands.cat.add_categories("unknown").fillna("unknown").astype(str)


def age_band(age) -> str:
    """The band of one age, by the same rule as :func:`age_bands`."""
    return age_bands(pd.Series([age], dtype="Float64")).iloc[0]


@dataclass
class Breakdowns:
    available: bool
    origin: str = ""  # 'records' or 'counts'
    frame: pd.DataFrame | None = None  # dimension, category, participants, mark, hidden, share_pct
    total: int = 0
    threshold: int = config.DISCLOSURE_THRESHOLD
    dimensions: list[str] = field(default_factory=list)


def _select_period(rep: Report, frame: pd.DataFrame) -> pd.DataFrame:
    bounds = rep.period_bounds(rep.year)
    if bounds is None:
        return frame.iloc[0:0]
    return frame[(frame.period_start == bounds[0]) & (frame.period_end == bounds[1])]


def has_participants(rep: Report) -> bool:
    """Whether participant records or counts cover the report's period (what :func:`breakdowns` reads)."""
    frames = (rep.data.frames.get(name) for name in ("participants", "participant_counts"))
    return any(f is not None and not _select_period(rep, f).empty for f in frames)


def breakdowns(rep: Report, dimensions: tuple[str, ...], threshold: int = config.DISCLOSURE_THRESHOLD) -> Breakdowns:
    """Participants per category of each dimension, from records or from aggregated counts."""
    records = rep.data.frames.get("participants")
    counts = rep.data.frames.get("participant_counts")
    rows = []
    origin = ""
    selected = _select_period(rep, records) if records is not None else None
    if selected is not None and not selected.empty:
        part = selected
        rep.cite_file(part, "participants")
        origin = "records"
        for dim in dimensions:
            tally = (age_bands(part["age_years"]) if dim == "age_band" else part[dim]).value_counts()
            for category in PROFILE_DIMENSIONS[dim]:
                rows.append({"dimension": dim, "category": category, "participants": int(tally.get(category, 0))})
    elif counts is not None and not _select_period(rep, counts).empty:
        part = _select_period(rep, counts)
        rep.cite_file(part, "participant_counts")
        origin = "counts"
        for dim in dimensions:
            sub = part[part.dimension == dim].set_index("category")["participants"]
            if sub.empty:
                continue
            for category in PROFILE_DIMENSIONS[dim]:
                rows.append({"dimension": dim, "category": category, "participants": int(sub.get(category, 0))})
    if not rows:
        return Breakdowns(False)
    frame = pd.DataFrame(rows)
    frame["mark"] = disclosure.SHOWN
    for _dim, group in frame.groupby("dimension", sort=False):
        frame.loc[group.index, "mark"] = disclosure.marks(group.set_index("category")["participants"], threshold).to_numpy()
    frame["hidden"] = frame["mark"] != disclosure.SHOWN
    totals = frame.groupby("dimension")["participants"].transform("sum")
    frame["share_pct"] = np.where(totals > 0, frame.participants / totals * 100.0, np.nan)
    return Breakdowns(True, origin, frame, int(totals.max()), threshold, list(dict.fromkeys(frame.dimension)))


def breakdown_table(rep: Report, b: Breakdowns, dimension: str) -> Table:
    L = rep.lang
    part = b.frame[b.frame.dimension == dimension].copy()
    part["label"] = part.category.map(lambda c: rep.t(key("cat", f"{dimension}.{c}")))
    primary, secondary = rep.t("sdc.hidden", threshold=L.num(b.threshold)), rep.t("sdc.secondary")
    text = {disclosure.PRIMARY: primary, disclosure.SECONDARY: secondary}
    # Only these formatted strings reach the table: a hidden count or share never enters it.
    part["shown"] = [text[m] if m else L.num(n) for n, m in zip(part.participants, part.mark)]
    part["share"] = [secondary if m else L.pct(s) for s, m in zip(part.share_pct, part.mark)]
    # The raw numbers of the shown cells only: a hidden count or share is None here too.
    part["shown_n"] = [Value(None, status=SUPPRESSED) if m else int(n) for n, m in zip(part.participants, part.mark)]
    part["share_n"] = [Value(None, status=SUPPRESSED) if m else float(s) for s, m in zip(part.share_pct, part.mark)]
    part = part[["label", "shown", "share", "shown_n", "share_n"]]
    return rep.checked(
        Table(
            part,
            [
                Column("label", rep.t(key("dim", dimension))),
                Column(
                    "shown",
                    rep.t("unit.participants"),
                    numeric=True,
                    unit=rep.t("measure.unique_participants"),
                    digits=0,
                    raw="shown_n",
                ),
                Column(
                    "share", rep.t("table.share_of_total"), numeric=True, unit="%", digits=1, raw="share_n", status=RECOMPUTED
                ),
            ],
            caption=rep.t(key("dim", dimension)) + " — " + rep.period,
            note=suppression_note(rep, b, set(b.frame.mark[b.frame.dimension == dimension])),
        ),
        suppression_figures(b),
    )


def suppression_figures(b: Breakdowns) -> list[Figure]:
    """The numbers a suppression note names: the threshold, the largest hidden count, and the 1 it starts at."""
    return [Figure(b.threshold), Figure(b.threshold - 1), Figure(1)]


def suppression_note(rep: Report, b: Breakdowns, used: set[str]) -> str:
    """What the marks in a table mean, for the marks it uses."""
    L = rep.lang
    notes = []
    if disclosure.PRIMARY in used:
        notes.append(
            rep.t(
                "sdc.note.primary",
                mark=rep.t("sdc.hidden", threshold=L.num(b.threshold)),
                largest=L.count(b.threshold - 1),
            )
        )
    if disclosure.SECONDARY in used:
        notes.append(rep.t("sdc.note.secondary", mark=rep.t("sdc.secondary")))
    return " ".join(notes)


def breakdown_chart(rep: Report, b: Breakdowns, title_key: str) -> Chart:
    import seaborn as sns

    L = rep.lang
    shown = b.frame[~b.frame.hidden].copy()
    shown["label"] = [rep.t(key("cat", f"{d}.{c}")) for d, c in zip(shown.dimension, shown.category)]
    n = len(b.dimensions)
    # Two breakdowns a row (one when there is one), each panel as tall as its number of bars.
    ncols = 1 if n == 1 else 2
    nrows = -(-n // ncols)
    bars = [max(1, int((shown.dimension == dim).sum())) for dim in b.dimensions] + [1]
    heights = [max(bars[r * ncols : r * ncols + ncols]) for r in range(nrows)]
    fig, axes = charts.figure(
        height=0.7 + sum(0.45 + 0.2 * h for h in heights),
        nrows=nrows,
        ncols=ncols,
        squeeze=False,
        sharex=True,
        gridspec_kw={"height_ratios": heights},
    )
    panel = charts.PRINT_WIDTH / ncols - 0.4
    cells = [ax for row in axes for ax in row]
    for ax in cells[n:]:
        ax.set_visible(False)
    for ax, dim in zip(cells, b.dimensions):
        part = shown[shown.dimension == dim]
        ax.set_title(charts.wrap(rep.t(key("dim", dim)), panel, fontsize=10, bold=True), fontsize=10, loc="left")
        ax.xaxis.set_major_formatter(lambda v, _: L.pct(v, 0))
        if part.empty:  # every cell of this breakdown is hidden: say so instead of an empty axis
            ax.text(
                0.5,
                0.5,
                charts.wrap(rep.t("sdc.chart.all_hidden"), panel * 0.9),
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
            ax.set_yticks([])
            ax.set_xlim(0, 100)
            continue
        sns.barplot(part, y="label", x="share_pct", ax=ax, color=charts.PALETTE[0], orient="h")
        ax.set_ylabel("")
        ax.set_xlabel("")
        ax.grid(axis="y", visible=False)
        ax.set_xlim(0, 100)
        charts.label_bars(ax, lambda v: L.pct(v, 0))
    for ax in cells[max(0, n - ncols) : n]:
        ax.set_xlabel(rep.t("table.share_of_total"))
        ax.xaxis.set_tick_params(labelbottom=True)
    fig.suptitle(charts.wrap(rep.t(title_key, period=rep.period), fontsize=12, bold=True))
    for ax in cells[:n]:
        charts.make_room(ax, "x")
    return Chart(fig, rep.t(title_key, period=rep.period), ["participants" if b.origin == "records" else "participant_counts"])


# ---------------------------------------------------------------------------- courses (question 2)
@dataclass
class Courses:
    available: bool
    frame: pd.DataFrame | None = None  # ranked courses with shares
    total_enrolments: int = 0
    completed_weighted_pct: float | None = None
    in_progress_weighted_pct: float | None = None
    report_dates: list = field(default_factory=list)


def has_courses(rep: Report) -> bool:
    """Whether the per-course extract covers the report's period (what :func:`courses` reads)."""
    frame = rep.data.frames.get("courses")
    return frame is not None and not _select_period(rep, frame).empty


def courses(rep: Report, top_n: int) -> Courses:
    frame = rep.data.frames.get("courses")
    if frame is None:
        return Courses(False)
    part = _select_period(rep, frame)
    if part.empty:
        return Courses(False)
    rep.cite_file(part, "courses")
    ranked = part.sort_values(["enrolments", "course"], ascending=[False, True], kind="stable").reset_index(drop=True)
    total = int(ranked.enrolments.sum())
    ranked["rank"] = np.arange(1, len(ranked) + 1)
    ranked["share_pct"] = ranked.enrolments / total * 100.0 if total else np.nan
    ranked["other_pct"] = 100.0 - ranked.in_progress_pct - ranked.completed_pct
    weights = ranked.enrolments
    completed = float((ranked.completed_pct * weights).sum() / weights.sum()) if total else None
    in_progress = float((ranked.in_progress_pct * weights).sum() / weights.sum()) if total else None
    return Courses(True, ranked, total, completed, in_progress, sorted(set(ranked.report_date)))


def courses_table(rep: Report, c: Courses, top_n: int) -> Table:
    L = rep.lang
    top = c.frame.head(top_n)
    return rep.checked(
        Table(
            top,
            [
                Column("rank", "#", lambda v: str(v), True, digits=0, status=RECOMPUTED),
                Column("course", rep.t("q2.col.course")),
                Column("enrolments", rep.t("unit.enrolments"), L.num, True, rep.t("measure.enrolments"), 0),
                Column("share_pct", rep.t("table.share_of_total"), L.pct, True, "%", 1, status=RECOMPUTED),
                Column("completed_pct", rep.t("q2.col.completed"), L.pct, True, "%", 1),
                Column("in_progress_pct", rep.t("q2.col.in_progress"), L.pct, True, "%", 1),
                Column("other_pct", rep.t("q2.col.other"), L.pct, True, "%", 1, status=RECOMPUTED),
            ],
            caption=rep.t(
                "q2.table.caption", n=L.count(min(top_n, len(c.frame))), total=L.count(len(c.frame)), period=rep.period
            ),
        ),
        [Figure(min(top_n, len(c.frame))), Figure(len(c.frame))],
    )


def chart_courses(c: Courses, top_n: int) -> tuple[pd.DataFrame, int]:
    """The courses drawn one by one (at most CHART_MAX_COURSES) and one row summing all others.

    The remainder keeps the chart's total equal to the extract's, with progress shares weighted
    by enrolments; the second value is how many courses it holds (0: no remainder row).
    """
    shown = min(top_n, CHART_MAX_COURSES, len(c.frame))
    top = c.frame.head(shown)
    rest = c.frame.iloc[shown:]
    if rest.empty:
        return top, 0
    weights = rest.enrolments
    total = int(weights.sum())

    def weighted(col: str) -> float:
        return float((rest[col] * weights).sum() / total) if total else 0.0

    other = {"course": "", "enrolments": total, "completed_pct": weighted("completed_pct")}
    other["in_progress_pct"] = weighted("in_progress_pct")
    other["other_pct"] = 100.0 - other["completed_pct"] - other["in_progress_pct"] if total else 0.0
    return pd.concat([top, pd.DataFrame([other])], ignore_index=True), len(rest)


def courses_chart(rep: Report, c: Courses, top_n: int) -> Chart:
    L = rep.lang
    bars, remainder = chart_courses(c, top_n)
    top = bars.iloc[::-1]
    fig, ax = charts.figure(height=1.4 + 0.3 * len(top))
    left = np.zeros(len(top))
    labels = [(t if len(t) <= 48 else t[:47] + "…") for t in top.course]
    if remainder:
        labels[0] = rep.t("q2.chart.other_courses", n=L.num(remainder))
    for i, (col, label_key) in enumerate(
        (("completed_pct", "q2.col.completed"), ("in_progress_pct", "q2.col.in_progress"), ("other_pct", "q2.col.other"))
    ):
        values = (top[col] / 100.0 * top.enrolments).to_numpy()
        ax.barh(labels, values, left=left, color=charts.PALETTE[[2, 0, 5][i]], label=rep.t(label_key))
        left = left + values
    ax.set_xlabel(rep.t("unit.enrolments"))
    ax.xaxis.set_major_formatter(lambda v, _: L.num(v))
    ax.grid(axis="y", visible=False)
    fig.legend(loc="outside lower center", ncols=3)
    shown = len(top) - (1 if remainder else 0)
    ax.set_title(charts.wrap(rep.t("q2.chart.title", n=L.count(shown)), fontsize=11, bold=True))
    ax.tick_params(axis="y", labelsize=charts.SMALL)
    return Chart(fig, rep.t("q2.chart.title", n=L.count(shown)), ["courses"])
