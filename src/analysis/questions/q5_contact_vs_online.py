"""Question 5: started contact-learning actions by type of hours, set beside online enrolments.

Types of hours in the source: (1) training hours and home-learning hours, (2) training hours
only, (3) home-learning hours only. "Purely physical" is type (2); "with home learning" is
types (1) and (3).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.core import measures
from analysis.core.measures import Quantity
from analysis.data.schemas import HOURS_TYPES
from analysis.questions import q1_online_trainings as q1
from analysis.report import charts
from analysis.report.frame import Report
from analysis.report.render import Chart, Column, Html, Table, esc

MEASURE = "contact_actions_started"
POPULATION = "jobseekers_in_recognised_training"
GROUPS = {"physical_only": ("training_only",), "with_home_learning": ("training_and_home", "home_only")}


@dataclass
class ContactAnswer:
    available: bool
    missing: list[str] = field(default_factory=list)  # 'YYYY-MM' months absent from the data
    cells: pd.DataFrame | None = None  # month, hours_type, old, new, change, pct
    groups: dict[str, tuple[Quantity, Quantity]] = field(default_factory=dict)  # group -> (old, new)
    all_actions: tuple[Quantity, Quantity] | None = None
    online: q1.OnlineAnswer | None = None
    online_increase: float | None = None
    substitution_bound_pct: float | None = None  # lost physical actions as % of extra online enrolments
    blank_cells: list[str] = field(default_factory=list)


def _quantity(row) -> Quantity:
    period = f"{int(row.year):04d}-{int(row.month):02d}"
    return Quantity(float(row.actions), MEASURE, POPULATION, period, period, (row.figure_id,))


def compute(rep: Report) -> ContactAnswer:
    frame = rep.data["contact_actions"]
    wanted = [(y, m) for y in (rep.compare_year, rep.year) for m in rep.months]
    have = set(zip(frame.year, frame.month))
    missing = [f"{y:04d}-{m:02d}" for y, m in wanted if (y, m) not in have]
    if missing:
        return ContactAnswer(False, missing=missing)
    rows = frame[frame.year.isin([rep.year, rep.compare_year]) & frame.month.isin(rep.months)]
    rep.cite(rows)
    answer = ContactAnswer(True)
    answer.blank_cells = list(rows[rows.blank_in_source].figure_id)
    cells = []
    for month in rep.months:
        for hours in HOURS_TYPES:
            old = rows[(rows.year == rep.compare_year) & (rows.month == month) & (rows.hours_type == hours)]
            new = rows[(rows.year == rep.year) & (rows.month == month) & (rows.hours_type == hours)]
            if old.empty or new.empty:
                continue
            q_old, q_new = _quantity(old.iloc[0]), _quantity(new.iloc[0])
            cells.append(
                {
                    "month": month,
                    "hours_type": hours,
                    "old": q_old.value,
                    "new": q_new.value,
                    "change": measures.difference(q_new, q_old).value,
                    "pct": measures.pct_change(q_new, q_old),
                    "refs": f"{q_old.refs[0]}, {q_new.refs[0]}",
                }
            )
    answer.cells = pd.DataFrame(cells)

    def period_total(year: int, types: tuple[str, ...]) -> Quantity:
        parts = [_quantity(r) for _, r in rows[(rows.year == year) & rows.hours_type.isin(types)].iterrows()]
        return measures.total_over_periods(parts)

    for group, types in GROUPS.items():
        answer.groups[group] = (period_total(rep.compare_year, types), period_total(rep.year, types))
    answer.all_actions = (period_total(rep.compare_year, HOURS_TYPES), period_total(rep.year, HOURS_TYPES))

    answer.online = q1.compute(rep)
    o = answer.online
    vdab = o.channels.get("vdab_platform") if o.available else None
    if vdab is not None and o.baseline is not None:
        increase = measures.difference(vdab, o.baseline)
        answer.online_increase = increase.value
        old_phys, new_phys = answer.groups["physical_only"]
        change = measures.difference(new_phys, old_phys)
        lost = measures.with_value(change, -change.value)  # positive when physical-only actions fell
        if increase.value > 0 and lost.value > 0:
            # Upper bound: as if each lost contact action had turned into one online enrolment.
            as_enrolments = measures.reinterpret(
                lost, measure=increase.measure, population=increase.population, reason=rep.t("q5.assume_one_to_one")
            )
            answer.substitution_bound_pct = measures.share_pct(as_enrolments, increase)
        elif lost.value <= 0:
            answer.substitution_bound_pct = 0.0
    return answer


def _change(pair: tuple[Quantity, Quantity]) -> tuple[float, float | None]:
    old, new = pair
    return measures.difference(new, old).value, measures.pct_change(new, old)


def short_answer(rep: Report, a: ContactAnswer) -> Html:
    L = rep.lang
    if not a.available:
        return rep.not_available(rep.t("q5.not_in_data", months=", ".join(a.missing)))
    total_old, total_new = a.all_actions
    phys = _change(a.groups["physical_only"])
    home = _change(a.groups["with_home_learning"])
    parts = [
        rep.th(
            "q5.short.total",
            period=rep.period,
            n=L.num(total_new.value),
            compare=rep.compare_period,
            old=L.num(total_old.value),
            pct=L.pct(measures.pct_change(total_new, total_old), signed=True),
        ),
        rep.th(
            "q5.short.groups",
            phys_old=L.num(a.groups["physical_only"][0].value),
            phys_new=L.num(a.groups["physical_only"][1].value),
            phys_pct=L.pct(phys[1], signed=True),
            home_old=L.num(a.groups["with_home_learning"][0].value),
            home_new=L.num(a.groups["with_home_learning"][1].value),
            home_pct=L.pct(home[1], signed=True),
        ),
    ]
    parts.append(conclusion_text(rep, a))
    return rep.short_answer(parts)


def verdict(a: ContactAnswer) -> str:
    """How far the figures support substitution of physical by online training."""
    if a.substitution_bound_pct is None:
        return "undecided"
    if a.substitution_bound_pct < 25:
        return "weak"
    if a.substitution_bound_pct < 75:
        return "partial"
    return "strong"


def conclusion_text(rep: Report, a: ContactAnswer) -> str:
    L = rep.lang
    v = verdict(a)
    lost, _ = _change(a.groups["physical_only"])
    home, _ = _change(a.groups["with_home_learning"])
    return rep.th(
        "q5.conclusion." + v,
        lost=L.num(-lost),
        increase=L.num(a.online_increase or 0),
        bound=L.pct(a.substitution_bound_pct),
        home=L.num(home),
    )


def table(rep: Report, a: ContactAnswer) -> Html | Table:
    if not a.available:
        return Html("")
    L = rep.lang
    rows = []
    for month in rep.months:
        part = a.cells[a.cells.month == month]
        for _, r in part.iterrows():
            rows.append(
                {
                    "month": L.month(month),
                    "type": rep.t("hours." + r.hours_type),
                    "old": r.old,
                    "new": r.new,
                    "change": r.change,
                    "pct": r["pct"],
                    "refs": r.refs,
                    "cls": "",
                }
            )
        old, new = part.old.sum(), part.new.sum()
        rows.append(
            {
                "month": L.month(month),
                "type": rep.t("table.total"),
                "old": old,
                "new": new,
                "change": new - old,
                "pct": None if old == 0 else (new - old) / old * 100,
                "refs": rep.t("table.recomputed"),
                "cls": "total",
            }
        )
    for group, (old, new) in [*a.groups.items(), ("all", a.all_actions)]:
        change, pct = _change((old, new))
        rows.append(
            {
                "month": L.months_label(rep.months),
                "type": rep.t("group." + group),
                "old": old.value,
                "new": new.value,
                "change": change,
                "pct": pct,
                "refs": rep.t("table.recomputed"),
                "cls": "group",
            }
        )
    frame = pd.DataFrame(rows)
    return Table(
        frame,
        [
            Column("month", rep.t("table.month")),
            Column("type", rep.t("q5.table.type")),
            Column("old", str(rep.compare_year), L.num, True),
            Column("new", str(rep.year), L.num, True),
            Column("change", rep.t("table.change"), lambda v: ("+" if v > 0 else "") + L.num(v), True),
            Column(
                "pct",
                rep.t("table.pct_change", base=rep.compare_year),
                lambda v: L.pct(v, signed=True) if v is not None and v == v else rep.t("table.no_base"),
                True,
            ),
            Column("refs", rep.t("table.ref")),
        ],
        caption=rep.t("q5.table.caption"),
        note=rep.t("q5.table.note", base=rep.compare_year),
        row_classes=list(frame.cls),
    )


def chart(rep: Report, a: ContactAnswer) -> Chart | Html:
    if not a.available:
        return Html("")
    L = rep.lang
    long = a.cells.melt(id_vars=["month", "hours_type"], value_vars=["old", "new"], var_name="which", value_name="actions")
    long["year"] = long.which.map({"old": str(rep.compare_year), "new": str(rep.year)})
    long["type"] = long.hours_type.map(lambda h: rep.t("hours_short." + h))
    fig, axes = charts.figure(8.5, 3.4, ncols=len(rep.months), sharey=True, squeeze=False)
    import seaborn as sns

    for ax, month in zip(axes[0], rep.months):
        part = long[long.month == month]
        sns.barplot(part, x="type", y="actions", hue="year", ax=ax, palette=charts.YEAR_COLOURS, legend=ax is axes[0][0])
        ax.set_title(L.month(month).capitalize())
        ax.set_xlabel("")
        ax.set_ylabel(rep.t("unit.actions"))
        ax.yaxis.set_major_formatter(lambda v, _: L.num(v))
        charts.label_bars(ax, L.num)
        ax.tick_params(axis="x", labelsize=8)
    axes[0][0].legend(title="", frameon=False)
    fig.suptitle(rep.t("q5.chart.title"), fontweight="bold", y=1.04)
    return Chart(fig, rep.t("q5.chart.alt"))


def side_by_side_chart(rep: Report, a: ContactAnswer) -> Chart | Html:
    """Contact actions and online enrolments in two panels with their own axes: never one scale."""
    if not a.available or a.online is None or a.online.baseline is None or "vdab_platform" not in a.online.channels:
        return Html("")
    L = rep.lang
    fig, (left, right) = charts.figure(8.5, 3.2, ncols=2)
    old, new = a.groups["physical_only"]
    hold, hnew = a.groups["with_home_learning"]
    years = [str(rep.compare_year), str(rep.year)]
    left.bar(years, [old.value, new.value], color=charts.PALETTE[1], label=rep.t("group.physical_only"))
    left.bar(
        years,
        [hold.value, hnew.value],
        bottom=[old.value, new.value],
        color=charts.PALETTE[2],
        label=rep.t("group.with_home_learning"),
    )
    left.set_title(rep.t("q5.chart2.left"), fontsize=10)
    left.set_ylabel(rep.t("unit.actions"))
    left.legend(frameon=False, fontsize=8, loc="upper left")
    left.set_ylim(0, max(old.value + hold.value, new.value + hnew.value) * 1.35)
    base = a.online.baseline
    vdab = a.online.channels["vdab_platform"]
    right.bar(years, [base.value, vdab.value], color=[charts.YEAR_COLOURS[0], charts.YEAR_COLOURS[1]])
    right.set_title(rep.t("q5.chart2.right"), fontsize=10)
    right.set_ylabel(rep.t("unit.enrolments"))
    for ax in (left, right):
        ax.yaxis.set_major_formatter(lambda v, _: L.num(v))
    for x, v in enumerate([base.value, vdab.value]):
        right.text(x, v, L.num(v) + (" *" if x == 0 and a.online.baseline_is_claim else ""), ha="center", va="bottom", fontsize=9)
    if a.online.baseline_is_claim:
        fig.text(0.5, -0.04, "* " + rep.t("q1.chart.claim_note"), fontsize=8, ha="left")
    return Chart(fig, rep.t("q5.chart2.alt"))


def caveats(rep: Report, a: ContactAnswer) -> Html:
    extra = []
    if a.available and a.blank_cells:
        extra.append(rep.th("q5.caveat.blank", ids=", ".join(a.blank_cells)))
    if a.online is not None and a.online.baseline is not None:
        extra.extend(esc(s) for s in a.online.baseline.assumptions)
    return rep.caveats(extra)


def key_figures(a: ContactAnswer) -> dict[str, object]:
    if not a.available:
        return {"available": False, "missing": a.missing}
    out = {"actions_total": f"{int(a.all_actions[0].value)} -> {int(a.all_actions[1].value)}"}
    for group, (old, new) in a.groups.items():
        out[f"actions_{group}"] = f"{int(old.value)} -> {int(new.value)}"
    out["substitution_bound_pct"] = None if a.substitution_bound_pct is None else round(a.substitution_bound_pct, 1)
    out["verdict"] = verdict(a)
    return out
