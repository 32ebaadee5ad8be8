"""Question 5: started contact-learning actions by type of hours, set beside online enrolments.

Types of hours in the source: (1) training hours and home-learning hours, (2) training hours
only, (3) home-learning hours only. "Purely physical" is type (2); "with home learning" is
types (1) and (3).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import pandas as pd

from analysis.core import change, measures, workdays
from analysis.core.measures import Quantity
from analysis.data.schemas import HOURS_TYPES
from analysis.questions.common import contact, context, online
from analysis.questions.common.contact import MEASURE, POPULATION
from analysis.questions.common.online import OnlineAnswer
from analysis.report import charts, wording
from analysis.report.frame import Report
from analysis.report.keys import key
from analysis.report.narrative import Figure, names
from analysis.report.render import Chart, Column, Html, NoRef, Table, Value, esc, para
from analysis.report.tabular import NOT_APPLICABLE, RECOMPUTED, VERIFIED

GROUPS = {"physical_only": ("training_only",), "with_home_learning": ("training_and_home", "home_only")}
#: The other reading of "physical" (finding: any training-floor hours), shown beside the first.
ALT_GROUPS = {"with_training_hours": ("training_and_home", "training_only"), "home_only": ("home_only",)}

#: The fixed caveats of this report (message keys), before those found at run time.
CAVEATS = ("q5.caveat.started", "q5.caveat.2", "q5.caveat.4")
#: What a source says itself about its table, without figures: shown (in our words) when that source gives the
#: period's figures, so the reader has the minister's own reading beside the figures.
EXPLANATIONS = {"wq-answer": ("q5.short.explanation",)}

UNDECIDED, NO_ONLINE_GROWTH, PHYSICAL_ROSE, PHYSICAL_SAME, CANNOT_DETERMINE = (
    "undecided",
    "no_online_growth",
    "physical_rose",
    "physical_same",
    "cannot_determine",
)


@dataclass
class ContactAnswer:
    available: bool
    missing: list[str] = field(default_factory=list)  # 'YYYY-MM' months absent from the data
    cells: pd.DataFrame | None = None  # month, hours_type, old, new, change, pct
    groups: dict[str, tuple[Quantity, Quantity]] = field(default_factory=dict)  # group -> (old, new)
    all_actions: tuple[Quantity, Quantity] | None = None
    month_totals: list[tuple[int, float, float]] = field(default_factory=list)  # (month, old, new)
    online: OnlineAnswer | None = None
    online_increase: tuple[float, float] | None = None  # lowest and highest, over a rounded base's interval
    blank_cells: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # the sources of the report year's figures
    provisional: dict[int, bool] = field(default_factory=dict)  # year -> the data mark a figure of it provisional

    @property
    def lost_physical(self) -> float:
        old, new = self.groups["physical_only"]
        return old.value - new.value

    @property
    def lost_all(self) -> float:
        old, new = self.all_actions
        return old.value - new.value


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
    answer.provisional = {y: bool(rows[rows.year == y].provisional.any()) for y in (rep.compare_year, rep.year)}
    answer.sources = sorted(set(rows[rows.year == rep.year].source_id))
    cells = []
    for month in rep.months:
        for hours in HOURS_TYPES:
            old = rows[(rows.year == rep.compare_year) & (rows.month == month) & (rows.hours_type == hours)]
            new = rows[(rows.year == rep.year) & (rows.month == month) & (rows.hours_type == hours)]
            if old.empty or new.empty:
                continue
            q_old, q_new = contact.quantity(old.iloc[0]), contact.quantity(new.iloc[0])
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
    answer.cells = pd.DataFrame(cells, columns=["month", "hours_type", "old", "new", "change", "pct", "refs"])

    def period_total(year: int, types: tuple[str, ...]) -> Quantity:
        parts = [contact.quantity(r) for _, r in rows[(rows.year == year) & rows.hours_type.isin(types)].iterrows()]
        if not parts:  # a type with no row in these months: none started
            start, end = rep.period_bounds(year) or (f"{year:04d}-{rep.months[0]:02d}",) * 2
            return Quantity(0.0, MEASURE, POPULATION, start, end)
        return measures.total_over_periods(parts)

    for group, types in {**GROUPS, **ALT_GROUPS}.items():
        answer.groups[group] = (period_total(rep.compare_year, types), period_total(rep.year, types))
    answer.all_actions = (period_total(rep.compare_year, HOURS_TYPES), period_total(rep.year, HOURS_TYPES))
    for month in rep.months:
        part = answer.cells[answer.cells.month == month]
        answer.month_totals.append((month, float(part.old.sum()), float(part.new.sum())))

    with rep.uncited():  # cited where chapter 5 shows them (cite_online), not for deciding its wording
        answer.online = online.compute(rep)
    o = answer.online
    vdab = o.channels.get("vdab_platform") if o.available else None
    if vdab is not None and o.baseline is not None:
        measures.difference(vdab, o.baseline)  # the guard: same measure, population and length of period
        answer.online_increase = (vdab.value - o.baseline_high, vdab.value - o.baseline_low)
    return answer


def direction_of(pair: tuple[Quantity, Quantity]) -> str:
    old, new = pair
    return change.direction(old.value, new.value)


def case(a: ContactAnswer) -> str:
    """Which conclusion the figures allow: one text per case, chosen from the directions."""
    o = a.online
    if not a.available or o is None or o.direction is None:
        return UNDECIDED
    if o.direction != change.UP:
        return NO_ONLINE_GROWTH
    physical = direction_of(a.groups["physical_only"])
    if physical == change.UP:
        return PHYSICAL_ROSE
    if physical == change.SAME:
        return PHYSICAL_SAME
    return CANNOT_DETERMINE


# ---------------------------------------------------------------------------- presentation
#: The types of hours of the source's table, named by their number in the text ("type 2"), the table's own number
#: ("Table 1") and the question's ("question 5a"): labels, not counts.
TYPE_NUMBERS = (1, 2, 3)
QUESTION_NUMBER = 5


def figures(rep: Report, a: ContactAnswer) -> list[Figure]:
    """Every figure q5 computes, for the narrative check."""
    out: list[Figure] = [Figure(n, "label") for n in (*TYPE_NUMBERS, QUESTION_NUMBER)]
    if not a.available:
        return out
    if a.blank_cells:
        out.append(Figure(0))  # an empty cell, read as 0 (caveats)

    def pair(old: float, new: float) -> None:
        out.extend([Figure(old), Figure(new), Figure(new - old)])
        if old:
            out.append(Figure((new / old - 1.0) * 100.0, "pct"))
            out.append(Figure(new / old, "ratio"))

    for old, new in [*a.groups.values(), a.all_actions]:
        pair(old.value, new.value)
    for _, old, new in a.month_totals:
        pair(old, new)
    shares = _shares(a)
    if shares:
        out.extend(Figure(v, "pct") for v in shares)
    offset = _offset_pct(a)
    if offset is not None:
        out.append(Figure(offset, "pct"))
    out.extend(Figure(v, "pct") for _, v in type_shares(a))
    if a.online is not None and a.online.available:
        out.extend(online.figures(rep, a.online))
    if a.online_increase is not None:
        low, high = a.online_increase
        out.append(Figure((low + high) / 2.0, low=low, high=high, unit=online.unit(a.online)))
    return out


def _shares(a: ContactAnswer) -> tuple[float, float] | None:
    """Share of purely physical actions among all actions, in each year (None when a year has none)."""
    (p_old, p_new), (t_old, t_new) = a.groups["physical_only"], a.all_actions
    if t_old.value == 0 or t_new.value == 0:
        return None
    return measures.share_pct(p_old, t_old), measures.share_pct(p_new, t_new)


def _offset_pct(a: ContactAnswer) -> float | None:
    """How much of the lost purely physical actions the extra home-learning actions made up."""
    old, new = a.groups["with_home_learning"]
    gained = new.value - old.value
    if a.lost_physical <= 0 or gained <= 0:
        return None
    return gained / a.lost_physical * 100.0


def _change_sentence(rep: Report, base: str, old: float, new: float, **values) -> str:
    """``base.up``, ``.down``, ``.same`` or ``.equal`` for a change, with the old and new figures and the relative change."""
    L = rep.lang
    return rep.change(
        base,
        old,
        new,
        old=L.num(old),
        new=L.num(new),
        change=wording.change_text(L, old, new) or rep.t("q5.base_zero"),
        **values,
    )


def break_even(a: ContactAnswer, provisional: str, pair: tuple[Quantity, Quantity] | None = None) -> tuple[float, float] | None:
    """How many late registrations would undo the change of all actions (or of ``pair``), and that as a share of the
    provisional count they would add to: (701, 7.9) for a fall of 701 on a provisional 8,877. None when late
    registrations can only widen the change (a rise in the provisional year, a fall against a provisional comparison
    year), when the count did not change, or when both years are provisional (the change can then go either way)."""
    old, new = (q.value for q in (pair or a.all_actions))
    if provisional == "year" and new < old and new > 0:
        return old - new, (old - new) / new * 100.0
    if provisional == "compare" and old < new and old > 0:
        return new - old, (new - old) / old * 100.0
    return None


def _provisional(rep: Report, a: ContactAnswer) -> str | None:
    """Which of the two years the data mark provisional: 'year', 'compare', 'both' or None (both final)."""
    now, then = a.provisional.get(rep.year, False), a.provisional.get(rep.compare_year, False)
    return "both" if now and then else "year" if now else "compare" if then else None


def short_answer(rep: Report, a: ContactAnswer) -> Html:
    """The purely physical actions first (what question 5 asks), then home learning and all actions, the
    provisional status the data give, and what the figures allow about communicating vessels."""
    findings(rep, a)
    L = rep.lang
    if not a.available:
        return rep.no_answer(rep.t("q5.not_in_data", months=_month_list(rep, a.missing)))
    p_old, p_new = (q.value for q in a.groups["physical_only"])
    lead = [
        rep.count("q5.short.lead", p_new, period=rep.period, n=L.num(p_new)),
        _change_sentence(rep, "q5.short.physical", p_old, p_new, compare=rep.compare_period),
        _change_sentence(rep, "q5.short.home", *(q.value for q in a.groups["with_home_learning"])),
        _change_sentence(rep, "q5.short.total_change", *(q.value for q in a.all_actions)),
    ]
    provisional = _provisional(rep, a)
    if provisional:
        lead.append(rep.th(key("q5.short.provisional", provisional), year=rep.year, compare=rep.compare_year))
    lead.append(rep.th(key("q5.verdict", case(a)), old=L.num(p_old), new=L.num(p_new)))
    # the box holds the figures the question asks for and the verdict; what explains them follows it as text
    more = [rep.th("q5.short.terms", chapter=rep.chapter("q1"))]
    reading = _change_sentence(rep, "q5.short.training_hours", *(q.value for q in a.groups["with_training_hours"]))
    more.append(" ".join(t for t in (reading, shift_text(rep, a)) if t))
    if len(a.month_totals) > 1:
        more.append(months_text(rep, a))
    conclusion = conclusion_text(rep, a)
    if conclusion:
        more.append(conclusion)
    more += [rep.th(k) for k in explanations(rep, a)]
    return rep.short_answer([" ".join(lead)], [*figures(rep, a), Figure(rep.chapter_number("q1"), "label")], more)


def explanations(rep: Report, a: ContactAnswer) -> list[str]:
    """The message keys of the explanations the sources of this period's table give themselves (:data:`EXPLANATIONS`)."""
    return [k for source_id in a.sources for k in EXPLANATIONS.get(source_id, ())]


def months_text(rep: Report, a: ContactAnswer) -> str:
    """Month by month, in one sentence (how to read a month that fell beside one that rose: :func:`month_readings`)."""
    L = rep.lang
    items = [_change_sentence(rep, "q5.short.month", old, new, month=L.month(m)) for m, old, new in a.month_totals]
    return rep.th("q5.short.months", items=Html("; ".join(items)))


def month_breaks_even(a: ContactAnswer) -> list[tuple[int, float, float, float]]:
    """Each month whose total fell, with how many late registrations of the provisional year would undo its fall:
    (month, count, share of its current count in %, current count); months whose current count is 0 are left out."""
    return [(m, old - new, (old - new) / new * 100.0, new) for m, old, new in a.month_totals if 0 < new < old]


def _fell_before_a_rise(a: ContactAnswer) -> tuple[list[int], bool]:
    """The months whose total fell, and whether a later month rose and the last month is one that rose."""
    dirs = [change.direction(old, new) for _, old, new in a.month_totals]
    fell = [m for (m, _, _), d in zip(a.month_totals, dirs) if d == change.DOWN]
    rose = [m for (m, _, _), d in zip(a.month_totals, dirs) if d == change.UP]
    applies = len(a.month_totals) > 1 and bool(fell and rose and max(rose) > min(fell)) and dirs[-1] == change.UP
    return fell, applies


def month_readings(rep: Report, a: ContactAnswer, provisional: str | None) -> tuple[list[str], list[Figure]]:
    """When a month fell and a later, provisional one rose: that late registrations, which weigh most on the latest
    month, probably do not explain the fall alone, with the number that would undo it (statistician, round 36); a
    caveat, not part of the short answer. The sentences and the figures they show."""
    L = rep.lang
    fell, applies = _fell_before_a_rise(a)
    # one sentence, on late registrations only: the other readings (starts moved between months) were speculation a
    # reader does not use (editor, round 27)
    if not applies or provisional not in ("year", "both"):
        return [], []
    sentence = rep.th("q5.short.late_month", fell=L.months_label(fell), year=rep.year)
    if provisional == "both":  # the month's change can then go either way: no number undoes it
        return [sentence], []
    shown: list[Figure] = []
    for m, gap, pct, _ in month_breaks_even(a):
        sentence += " " + rep.th("q5.short.late_month_gap", month=L.month(m), year=rep.year, gap=L.num(gap), gap_pct=L.pct(pct))
        shown += [Figure(gap), Figure(pct, "pct")]
    return [sentence], shown


def quote_notes(rep: Report, a: ContactAnswer, checked: list[Figure], provisional: str | None) -> None:
    """For the dossier's guide to quoting: the changes by type of hours hold for started actions of jobseekers in
    the training the table covers, not for all physical training, and rest on provisional figures where they do."""
    L = rep.lang
    total = wording.change_text(L, *(q.value for q in a.all_actions))
    physical = wording.change_text(L, *(q.value for q in a.groups["physical_only"]))
    home = wording.change_text(L, *(q.value for q in a.groups["with_home_learning"]))
    wide = wording.change_text(L, *(q.value for q in a.groups["with_training_hours"]))
    if not total or not physical or not home or not wide:
        return
    late = rep.t(key("q5.quote.provisional", provisional), year=rep.year, compare=rep.compare_year) if provisional else ""
    text = rep.th("q5.quote.shift", total=total, physical=physical, wide=wide, home=home, provisional=late)
    if provisional:
        # how robust each quoted change is to late registrations, not one general warning (statistician, round 34)
        gaps = [break_even(a, provisional, pair) for pair in (a.all_actions, a.groups["physical_only"])]
        if all(g is not None for g in gaps):
            (all_gap, all_pct), (type_gap, type_pct) = gaps  # type: ignore[misc]
            text += " " + rep.th(
                "q5.quote.break_even",
                all_gap=L.num(all_gap),
                all_pct=L.pct(all_pct),
                type_gap=L.num(type_gap),
                type_pct=L.pct(type_pct),
            )
            checked = [*checked, *(Figure(v) for v in (all_gap, type_gap)), *(Figure(v, "pct") for v in (all_pct, type_pct))]
    # no per-working-day figure here: how much the calendar counts depends on the weekdays training starts on, which
    # can turn the fall into a rise (statistician, round 35); chapter 5 gives it with its assumption
    rep.quote_note("with_definition", text, checked)


def findings(rep: Report, a: ContactAnswer) -> None:
    """The key finding for the front sheet (the shift within Table 1, and what it says about the online growth) and,
    where the figures give one, the bottom line for the summary's opening: the shift, or why there is none to see."""
    if not a.available:
        return
    L = rep.lang
    checked = figures(rep, a)

    def moved(base: str, pair: tuple[Quantity, Quantity], extra: str = "") -> str:
        old, new = (q.value for q in pair)
        change_words = (wording.change_text(L, old, new) or rep.t("finding.base_zero")) + extra
        return rep.change(base, old, new, old=L.num(old), new=L.num(new), change=change_words)

    # all started actions first, then the split within them: the purely physical actions' change is never
    # quoted as if it were all contact learning (committee adviser, round 8). The summary keeps three changes; the
    # wider reading of "physical", the minister's explanation and the break-even of the provisional change stay in
    # chapter 5 (editor and adviser, round 24: a finding of fourteen figures is not read)
    shift = _change_sentence(
        rep, "q5.finding.total", *(q.value for q in a.all_actions), compare=rep.compare_period, period=rep.period
    )
    shift += " " + rep.th(
        "q5.finding.shift",
        physical=Html(moved("q5.finding.physical", a.groups["physical_only"])),
        home=Html(moved("q5.finding.home", a.groups["with_home_learning"])),
        year=rep.year,
    )
    c = case(a)
    if c == CANNOT_DETERMINE:
        # what the shift says about the online growth follows it; within Table 1 the home-learning actions may have
        # made up for lost purely physical ones, and that shift is the bottom line
        hybrid = _offset_pct(a) is not None
        if hybrid:
            # the shift and what it does not settle, in the summary's opening (editor, round 27: the lead did not
            # answer the question's point); the finding then keeps the figures
            # with its figures, in short sentences (editor, round 36: a lead without a number sent the reader on)
            (p_old, p_new), (h_old, h_new) = ((q.value for q in a.groups[g]) for g in ("physical_only", "with_home_learning"))
            values = {"old_phys": L.num(p_old), "new_phys": L.num(p_new), "old_home": L.num(h_old), "new_home": L.num(h_new)}
            # a provisional year is said with its figures (statisticians, round 38)
            prov = _provisional(rep, a)
            values["provisional"] = (
                rep.t(key("q5.headline.provisional", prov), year=rep.year, compare=rep.compare_year) if prov else ""
            )
            rep.headline(rep.th("q5.headline.hybrid", period=rep.period, compare=rep.compare_period, **values), checked)
        else:
            shift += " " + rep.th(key("q5.finding.conclusion", c))
    elif c in (PHYSICAL_ROSE, PHYSICAL_SAME):
        old, new = a.groups["physical_only"]
        rep.headline(rep.th(key("q5.finding.conclusion", c), old=L.num(old.value), new=L.num(new.value)), checked)
    elif c != UNDECIDED:
        rep.headline(rep.th(key("q5.finding.conclusion", c)), checked)
    provisional = _provisional(rep, a)  # from the data's provisional column, never assumed
    if provisional:
        # with how many late registrations would undo the change of all actions, where they can (statistician, round
        # 28: the headline change without what could erase it)
        gap = break_even(a, provisional)
        ending = provisional if gap is None else f"{provisional}_gap"
        values = {} if gap is None else {"gap": L.num(gap[0]), "gap_pct": L.pct(gap[1])}
        shift += " " + rep.th(key("q5.finding.provisional", ending), year=rep.year, compare=rep.compare_year, **values)
        if gap is not None:
            checked = [*checked, Figure(gap[0]), Figure(gap[1], "pct")]
    # the calendar's part in the change is the dossier's own computation on an assumption: chapter 5 only (editor and
    # statistician, round 27)
    quote_notes(rep, a, checked, provisional)
    rep.finding(shift, checked, ["official", "recomputed"])
    # the minister's own reading stays in the chapter (q5.short.explanation): on the summary it added a finding without
    # a figure to a page set too small (adviser and editor, round 44)
    derived(rep, a, provisional)


def derived(rep: Report, a: ContactAnswer, provisional: str | None) -> None:
    """The figures chapter 5 computes in its text, with their sums and input rows, for the annex."""
    L = rep.lang
    (home_old, home_new), (phys_old, phys_new) = a.groups["with_home_learning"], a.groups["physical_only"]
    total_old, total_new = a.all_actions
    # a figure computed from a provisional one is provisional: from the data's column, per year
    then, now = a.provisional.get(rep.compare_year, False), a.provisional.get(rep.year, False)
    offset = _offset_pct(a)
    if offset is not None:
        formula = f"({L.num(home_new.value)} − {L.num(home_old.value)}) / ({L.num(phys_old.value)} − {L.num(phys_new.value)})"
        refs = [*home_new.refs, *home_old.refs, *phys_old.refs, *phys_new.refs]
        rep.derived(rep.t("q5.derived.offset"), L.pct(offset, 0), formula, refs, provisional=then or now)
    shares = _shares(a)
    if shares is not None:
        for share, part, whole, period, marked in (
            (shares[0], phys_old, total_old, rep.compare_period, then),
            (shares[1], phys_new, total_new, rep.period, now),
        ):
            formula = f"{L.num(part.value)} / {L.num(whole.value)}"
            years = [Figure(rep.year, "label"), Figure(rep.compare_year, "label")]
            what = rep.t("q5.derived.share", period=period)
            rep.derived(what, L.pct(share), formula, [*part.refs, *whole.refs], years, provisional=marked)
    gap = break_even(a, provisional) if provisional else None
    if gap is not None:
        later, earlier = (total_new, total_old) if provisional == "year" else (total_old, total_new)
        value = f"{L.num(gap[0])} ({L.pct(gap[1])})"
        formula = f"{L.num(earlier.value)} − {L.num(later.value)}; {L.num(gap[0])} / {L.num(later.value)}"
        rep.derived(rep.t("q5.derived.break_even"), value, formula, [*total_old.refs, *total_new.refs], provisional=True)
        # the same for the actions with training hours only, which the guide to quoting gives beside it (statistician,
        # round 35: a figure in the text without a derived row)
        old_q, new_q = a.groups["physical_only"]
        type_gap = break_even(a, provisional, a.groups["physical_only"]) if provisional else None
        if type_gap is not None:
            later, earlier = (new_q, old_q) if provisional == "year" else (old_q, new_q)
            value = f"{L.num(type_gap[0])} ({L.pct(type_gap[1])})"
            formula = f"{L.num(earlier.value)} − {L.num(later.value)}; {L.num(type_gap[0])} / {L.num(later.value)}"
            rep.derived(rep.t("q5.derived.break_even_type"), value, formula, [*old_q.refs, *new_q.refs], provisional=True)
    if provisional == "year" and _fell_before_a_rise(a)[1]:
        # each fallen month's own break-even, which chapter 5's caveat gives (statistician, round 36)
        for m, gap, pct, current in month_breaks_even(a):
            part = a.cells[a.cells.month == m]
            refs = [r for cell in part.refs for r in str(cell).split(", ")]
            old_total = current + gap
            value = f"{L.num(gap)} ({L.pct(pct)})"
            formula = f"{L.num(old_total)} − {L.num(current)}; {L.num(gap)} / {L.num(current)}"
            what = rep.t("q5.derived.break_even_month", month=L.month(m), year=rep.year)
            rep.derived(what, value, formula, refs, [Figure(rep.year, "label")], provisional=True)
    shares_by_month = type_shares(a)
    lockdown = context.lockdown_soon_after(rep) if rep.data.has("context_events") else None
    if lockdown is not None and len(shares_by_month) > 1 and round(shares_by_month[-1][1]) > round(shares_by_month[0][1]):
        # the rise of type 1 in the comparison year's starts that chapter 5's caveat on the lockdown gives
        for month, share in (shares_by_month[0], shares_by_month[-1]):
            part = a.cells[a.cells.month == month]
            first = part[part.hours_type == HOURS_TYPES[0]]
            formula = f"{L.num(first.old.sum())} / {L.num(part.old.sum())}"
            refs = [r.split(", ")[0] for r in part.refs]  # the comparison year's cell of each type
            what = rep.t("q5.derived.type_share", month=L.month(month), compare=rep.compare_year)
            labels = [Figure(rep.compare_year, "label"), Figure(1, "label")]
            rep.derived(what, L.pct(share), formula, refs, labels, provisional=then)
    days = per_working_day(rep, a)
    if days is not None:
        for year, period in ((rep.compare_year, rep.compare_period), (rep.year, rep.period)):
            # the calendar's count: weekdays, less the statutory holidays that fall on one (no data row: the law's)
            week, off = workdays.weekdays(year, rep.months), workdays.holidays_on_weekdays(year, rep.months)
            dates = ", ".join(L.date(d) for d in off)
            what = rep.t(key("q5.derived.workdays", "some" if off else "none"), period=period, dates=dates)
            shown = names(period, L) + names(dates, L)
            rep.derived(what, L.num(len(week) - len(off)), f"{len(week)} − {len(off)}", [], shown)
        # the weekdays that carry the difference, each year's count (statistician, round 42)
        then_days, now_days = (workdays.by_weekday(y, rep.months) for y in (rep.compare_year, rep.year))
        for day in (d for d in range(5) if then_days[d] != now_days[d]):
            for year, period in ((rep.compare_year, rep.compare_period), (rep.year, rep.period)):
                week = [d for d in workdays.weekdays(year, rep.months) if d.weekday() == day]
                off = [d for d in workdays.holidays_on_weekdays(year, rep.months) if d.weekday() == day]
                what = rep.t("q5.derived.weekday", day=L.weekday(day), period=period)
                rep.derived(what, L.num(len(week) - len(off)), f"{len(week)} − {len(off)}", [], names(period, L))
        old_days, new_days, per_day = days
        formula = f"({L.num(total_new.value)} / {new_days}) / ({L.num(total_old.value)} / {old_days}) − 1"
        refs = [*total_old.refs, *total_new.refs]
        rep.derived(rep.t("q5.derived.per_day"), L.pct(per_day, signed=True), formula, refs, provisional=then or now)
        for month, m_old, m_new, m_old_days, m_new_days, m_per_day in month_working_days(rep, a):
            formula = f"({L.num(m_new)} / {m_new_days}) / ({L.num(m_old)} / {m_old_days}) − 1"
            cells = a.cells[a.cells.month == month] if a.cells is not None else None
            m_refs = [r.strip() for pair in cells.refs for r in pair.split(",")] if cells is not None else refs
            what = rep.t("q5.derived.per_day_month", month=L.month(month))
            rep.derived(what, L.pct(m_per_day, signed=True), formula, m_refs, provisional=then or now)


def _month_list(rep: Report, periods: list[str]) -> str:
    """'2021-01', '2021-02' in words: 'januari 2021, februari 2021'."""
    return ", ".join(rep.lang.period_range(p, p) for p in periods)


def shift_text(rep: Report, a: ContactAnswer) -> str:
    """The like-for-like evidence: same population, same unit, inside the one table; worded as composition.

    A gain of home-learning actions as large as the loss of purely physical ones is said in words ("made up
    for all", "more than made up for"), never as a part above 100%.
    """
    L = rep.lang
    offset = _offset_pct(a)
    shares = _shares(a)
    out = []
    if offset is not None:
        old, new = a.groups["with_home_learning"]
        gained = new.value - old.value
        values = {"gained": L.num(gained), "lost": L.num(a.lost_physical), "offset": wording.part_words(L, offset)}
        if gained > a.lost_physical:
            out.append(rep.th(key("q5.short.offset_whole", "more"), **values))
        elif gained == a.lost_physical:
            out.append(rep.th(key("q5.short.offset_whole", "all"), **values))
        else:
            out.append(rep.count("q5.short.offset", gained, **values))
    elif direction_of(a.groups["physical_only"]) == change.DOWN:
        # home learning that fell too is said to have fallen, not to have failed to make up (scenario read, round 43)
        old, new = a.groups["with_home_learning"]
        fell = direction_of(a.groups["with_home_learning"]) == change.DOWN
        out.append(
            rep.th(key("q5.short.no_offset", "down" if fell else "same"), change=wording.change_text(L, old.value, new.value))
        )
    if shares is not None:
        out.append(rep.change("q5.short.share", *shares, digits=1, old=L.pct(shares[0]), new=L.pct(shares[1])))
    if not out and a.all_actions[0].value == 0 and a.all_actions[1].value == 0:
        out.append(rep.th("q5.short.no_actions"))
    return " ".join(out)


def cite_online(rep: Report, a: ContactAnswer) -> None:
    """Cite the online rows (the platform's figure and its comparison base) where chapter 5 shows them."""
    o = a.online
    if o is None or not o.available:
        return
    refs = [r for q in (o.channels.get("vdab_platform"), o.baseline) if q is not None for r in q.refs]
    rep.cite_refs("online_enrolments", refs)
    if o.baseline_is_claim:
        rep.cite_refs("claims", refs)


def conclusion_text(rep: Report, a: ContactAnswer) -> str:
    """What the figures allow about communicating vessels, after the verdict that closes the first paragraph."""
    c = case(a)
    if c == UNDECIDED:
        return ""
    online_text = online.evolution_text(rep, a.online)
    if c != CANNOT_DETERMINE:
        cite_online(rep, a)
        return rep.th(key("q5.conclusion", c), online=Html(online_text))
    # the loss and the online growth are not set against each other, not even as a worked example: other unit,
    # other group
    return rep.th("q5.conclusion.cannot_determine", online=Html(online_text))


def table(rep: Report, a: ContactAnswer) -> Html | Table:
    """The source's Table 1 month by month, with its totals and the groups of types over the months.

    For the CSV files and the workbook each number carries its own figure ids: a count its figure, a change both
    years' figures, a month's total the total the answer publishes when the recomputation reproduces it (status
    ``verified``; else the parts it is recomputed from), a group the figures it adds up."""
    if not a.available:
        return rep.checked(para(rep.th("q5.table.none")))
    L = rep.lang
    data = rep.data["contact_actions"]
    rows = []

    def figures_of(year: int, months: list[int], types: tuple[str, ...]) -> tuple[str, ...]:
        part = data[(data.year == year) & data.month.isin(months) & data.hours_type.isin(types)]
        return tuple(str(f) for f in part.figure_id)

    def total_of(year: int, month: int, value: float) -> Value:
        parts = figures_of(year, [month], HOURS_TYPES)
        published = rep.published_sum(parts, value)
        if published is not None:
            return Value(value, refs=(published,), status=VERIFIED)
        return Value(value, refs=parts, status=RECOMPUTED)

    for month in rep.months:
        part = a.cells[a.cells.month == month]
        for _, r in part.iterrows():
            old_id, new_id = (ref.strip() for ref in r.refs.split(","))
            rows.append(
                {
                    "month": L.month(month),
                    "type": rep.t(key("hours", r.hours_type)),
                    "old": r.old,
                    "new": r.new,
                    "old_raw": Value(r.old, refs=(old_id,)),
                    "new_raw": Value(r.new, refs=(new_id,)),
                    "refs": r.refs,
                    "cls": "",
                }
            )
        rows.append(
            {
                "month": L.month(month),
                "type": rep.t("table.total"),
                "old": part.old.sum(),
                "new": part.new.sum(),
                "old_raw": total_of(rep.compare_year, month, part.old.sum()),
                "new_raw": total_of(rep.year, month, part.new.sum()),
                "refs": NoRef(rep.t("table.recomputed")),
                "cls": "total",
            }
        )
    for group, (old, new) in [*a.groups.items(), ("all", a.all_actions)]:
        types = {**GROUPS, **ALT_GROUPS}.get(group, HOURS_TYPES)
        rows.append(
            {
                "month": L.months_label(rep.months),
                "type": rep.t(key("group", group)),
                "old": old.value,
                "new": new.value,
                "old_raw": Value(old.value, refs=figures_of(rep.compare_year, rep.months, types), status=RECOMPUTED),
                "new_raw": Value(new.value, refs=figures_of(rep.year, rep.months, types), status=RECOMPUTED),
                "refs": NoRef(rep.t("table.recomputed")),
                "cls": "group",
            }
        )
    frame = pd.DataFrame(rows)
    frame["change"] = frame.new - frame.old
    frame["rel"] = [wording.change_text(L, o, n) or rep.t("table.no_base") for o, n in zip(frame.old, frame.new)]
    both = [(*(o.refs or ()), *(n.refs or ())) for o, n in zip(frame.old_raw, frame.new_raw)]
    frame["change_raw"] = [Value(c, refs=r) for c, r in zip(frame.change, both)]
    frame["rel_raw"] = [  # no percentage from a base of 0: not applicable, not missing (statistician, round 36)
        Value(wording.change_pct(o, n), ratio=n / o, refs=r) if o else Value(None, refs=r, status=NOT_APPLICABLE)
        for o, n, r in zip(frame.old, frame.new, both)
    ]
    unit = rep.t(key("measure", MEASURE))  # what the counts are, for the CSV files
    return rep.checked(
        Table(
            frame,
            [
                Column("month", rep.t("table.month")),
                Column("type", rep.t("q5.table.type")),
                Column("old", str(rep.compare_year), lambda v: L.num(v), True, unit, 0, raw="old_raw"),
                Column("new", str(rep.year), lambda v: L.num(v), True, unit, 0, raw="new_raw"),
                Column(
                    "change", rep.t("table.change"), lambda v: L.signed(v), True, unit, 0, True, "change_raw", status=RECOMPUTED
                ),
                Column(
                    "rel", rep.t("table.pct_change", base=rep.compare_year), str, True, "%", 1, True, "rel_raw", status=RECOMPUTED
                ),
                Column("refs", rep.t("table.ref"), ref=True),
            ],
            caption=rep.t("q5.table.caption"),
            note=" ".join(
                [rep.t("q5.table.note", base=rep.compare_year, chapter=rep.chapter("q6"))]
                # an empty source cell, said under the table that shows it as 0 (statistician, round 25)
                + (
                    [rep.t(key("q5.caveat.blank", wording.plural(L, len(a.blank_cells))), cells=_cell_names(rep, a))]
                    if a.blank_cells
                    else []
                )
                + (
                    [rep.t(key("q5.table.provisional", p), year=rep.year, compare=rep.compare_year)]
                    if (p := _provisional(rep, a))
                    else []
                )
            ),
            row_classes=list(frame.cls),
        ),
        # 'chapter 6'; an empty cell's 0 and its type's number
        [Figure(rep.chapter_number("q6"), "label"), *([Figure(0)] if a.blank_cells else []), *names(_cell_names(rep, a), L)],
    )


def year_label(rep: Report, a: ContactAnswer, year: int) -> str:
    """A year as a chart names it: '2021 (voorlopig)' when the data mark its figures provisional."""
    return rep.t("q5.chart.provisional", year=year) if a.provisional.get(year) else str(year)


def chart(rep: Report, a: ContactAnswer) -> Chart | Html:
    if not a.available:
        return rep.checked(para(rep.th("q5.chart.none")))
    L = rep.lang
    long = a.cells.melt(id_vars=["month", "hours_type"], value_vars=["old", "new"], var_name="which", value_name="actions")
    long["year"] = long.which.map({"old": year_label(rep, a, rep.compare_year), "new": year_label(rep, a, rep.year)})
    # Labels wrapped to the width of their group of bars, so neighbouring labels never run into each other.
    long["type"] = long.hours_type.map(lambda h: textwrap.fill(rep.t(key("hours_short", h)), 14))
    fig, axes = charts.figure(height=3.4, ncols=len(rep.months), sharey=True, squeeze=False)
    import seaborn as sns
    from matplotlib.patches import Patch

    for ax, month in zip(axes[0], rep.months):
        part = long[long.month == month]
        sns.barplot(part, x="type", y="actions", hue="year", ax=ax, palette=charts.YEAR_COLOURS, legend=False)
        ax.set_title(L.month(month).capitalize())
        ax.set_xlabel("")
        ax.grid(axis="x", visible=False)  # bars along x: only the value grid helps
        ax.set_ylabel(rep.t("unit.actions") if ax is axes[0][0] else "")
        ax.yaxis.set_major_formatter(lambda v, _: L.num(v))
        # a cell the source leaves empty is drawn as its 0 with an asterisk, explained under the chart (statistician,
        # round 36): bars of container 0 are the comparison year's, in the order of this month's cells
        refs = [str(r).split(", ") for r in a.cells[a.cells.month == month].refs]
        marked = {(i, j) for j, pair in enumerate(refs) for i, ref in enumerate(pair) if ref in a.blank_cells}
        charts.label_bars(ax, lambda v: L.num(v), marked=marked)
        ax.tick_params(axis="x", labelsize=charts.SMALL)
    fig.suptitle(charts.wrap(rep.t("q5.chart.title"), fontsize=12, bold=True))
    # One legend for the figure, under the panels as every chart's figure legend: out of the data, whatever the
    # tallest bar. (Not above them: constrained layout gives a suptitle and an upper legend the same margin.)
    years = [year_label(rep, a, rep.compare_year), year_label(rep, a, rep.year)]
    handles, labels = [Patch(color=colour) for colour in charts.YEAR_COLOURS], years
    if a.blank_cells:  # the asterisk explained in the legend's row: a note of its own would collide with the legend
        handles, labels = [*handles, Patch(visible=False)], [*labels, "* " + rep.t("q5.chart.blank_note")]
    fig.legend(handles, labels, loc="outside lower center", ncols=len(handles))
    for ax in axes[0]:  # the y axis is shared: room above the tallest bar's label in every panel
        charts.make_room(ax, "y")
    prov = _provisional(rep, a)  # the provisional year in the alternative text as in the legend (statistician, round 40)
    alt = rep.t("q5.chart.alt") + (
        rep.t(key("q5.chart.alt_provisional", prov), year=rep.year, compare=rep.compare_year) if prov else ""
    )
    return Chart(fig, alt, [r.strip() for refs in a.cells.refs for r in refs.split(",")])


def side_by_side_chart(rep: Report, a: ContactAnswer) -> Chart | Html:
    """Contact actions and online enrolments in two panels with their own axes: never one scale."""
    if not a.available:
        return Html("")
    if a.online is None or a.online.baseline is None or "vdab_platform" not in a.online.channels:
        return rep.checked(para(rep.th("q5.chart2.none", compare=rep.compare_period)))
    if a.online.baseline_is_claim:
        # a base from a quoted statement is drawn once, in chapter 1, with its note; a second drawing here invited the
        # comparison the guide to quoting advises against (editor and adviser, round 25)
        return Html("")
    L = rep.lang
    # The left panel is wider: its legend names two groups. Titles wrap to their panel (less its axis labels).
    fig, (left, right) = charts.figure(height=3.4, ncols=2, gridspec_kw={"width_ratios": [3, 2]})
    widths = (charts.PRINT_WIDTH * 0.6 - 1.0, charts.PRINT_WIDTH * 0.4 - 1.0)
    old, new = a.groups["physical_only"]
    hold, hnew = a.groups["with_home_learning"]
    years = [str(rep.compare_year), str(rep.year)]
    contact_years = [year_label(rep, a, rep.compare_year), year_label(rep, a, rep.year)]  # Table 1's provisional year
    left.bar(contact_years, [old.value, new.value], color=charts.PALETTE[1], label=rep.t("group.physical_only"))
    left.bar(
        contact_years,
        [hold.value, hnew.value],
        bottom=[old.value, new.value],
        color=charts.PALETTE[2],
        label=rep.t("group.with_home_learning"),
    )
    left.set_title(charts.wrap(rep.t("q5.chart2.left"), widths[0], fontsize=10, bold=True), fontsize=10)
    left.set_ylabel(rep.t("unit.actions"))
    left.legend(loc="upper left")  # in the head-room above the bars (the limit below); its opaque box hides the grid
    left.set_ylim(0, max(old.value + hold.value, new.value + hnew.value, 1.0) * 1.6)
    base = a.online.baseline
    vdab = a.online.channels["vdab_platform"]
    right.bar(years, [base.value, vdab.value], color=[charts.YEAR_COLOURS[0], charts.YEAR_COLOURS[1]])
    right.set_title(charts.wrap(rep.t("q5.chart2.right"), widths[1], fontsize=10, bold=True), fontsize=10)
    right.set_ylabel(rep.t("unit.enrolments"))
    right.set_ylim(0, max(base.value, vdab.value, 1.0) * 1.2)
    for ax in (left, right):
        ax.yaxis.set_major_formatter(lambda v, _: L.num(v))
        ax.grid(axis="x", visible=False)
    for x, v in enumerate([base.value, vdab.value]):
        text = charts.wrap(L.num(v), widths[1] / 2, fontsize=9)  # within its own bar's width, clear of the next bar
        right.annotate(
            text, (x, v), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=9, bbox=charts.LABEL_BOX
        )
    charts.make_room(right, "y")
    charts.make_room(right, "x")
    refs = [r for pair in (a.groups["physical_only"], a.groups["with_home_learning"]) for q in pair for r in q.refs]
    cite_online(rep, a)
    return Chart(fig, rep.t("q5.chart2.alt"), [*refs, *base.refs, *vdab.refs])


def type_shares(a: ContactAnswer, hours_type: str = HOURS_TYPES[0]) -> list[tuple[int, float]]:
    """(month, share in % of that month's starts) of one type of hours in the comparison year, for months with starts."""
    out: list[tuple[int, float]] = []
    if a.cells is None:
        return out
    for month in sorted(set(a.cells.month)):
        part = a.cells[a.cells.month == month]
        total = part.old.sum()
        if total:
            out.append((int(month), float(part[part.hours_type == hours_type].old.sum()) / total * 100.0))
    return out


def type_caveats(rep: Report, a: ContactAnswer) -> list[str]:
    """Why the mix of types is not a clean before/after measurement: a type is set by hours over an action's whole run,
    and actions started shortly before the first lockdown recorded hours during it."""
    L = rep.lang
    out = []
    lockdown = context.lockdown_soon_after(rep) if rep.data.has("context_events") else None
    if lockdown is not None:
        shares = type_shares(a)
        mix = ""
        if len(shares) > 1 and round(shares[-1][1]) > round(shares[0][1]):
            (m1, s1), (m2, s2) = shares[0], shares[-1]
            mix = rep.t(
                "q5.caveat.type_mix.rise",
                first=L.pct(s1, 0),
                first_month=L.month(m1),
                last=L.pct(s2, 0),
                last_month=L.month(m2),
                compare=rep.compare_year,
            )
        out.append(esc(rep.t("q5.caveat.type_mix", compare=rep.compare_period, lockdown=L.date(lockdown), mix=mix)))
    return out


def caveats(rep: Report, a: ContactAnswer) -> Html:
    L = rep.lang
    extra = []
    provisional = _provisional(rep, a) if a.available else None
    gaps: list[Figure] = []
    if provisional:
        extra.append(rep.th(key("q5.caveat.late", provisional), year=rep.year, compare=rep.compare_year))
        gap = break_even(a, provisional)
        if gap is not None:
            # how large late registrations would have to be to undo the change (statistician, round 22)
            values = {"gap": L.num(gap[0]), "gap_pct": L.pct(gap[1]), "year": rep.year, "compare": rep.compare_year}
            extra[-1] += " " + rep.th(key("q5.caveat.break_even", provisional), **values)
            gaps += [Figure(gap[0]), Figure(gap[1], "pct")]
    if a.available:
        workdays = workdays_caveat(rep, a)
        if workdays is not None:
            extra.append(workdays[0])
            gaps += workdays[1]
        readings, shown = month_readings(rep, a, provisional)
        extra += readings
        gaps += shown
        extra += type_caveats(rep, a)
    if a.online is not None and a.online.baseline is not None:
        # reading the quoted trainings as enrolments is said once, under question 1 (the chart note points there)
        extra += [esc(rep.t(x)) for x in a.online.baseline.assumptions if x != online.CLAIM_AS_ENROLMENTS]
    lockdown = context.lockdown_soon_after(rep) if a.available and rep.data.has("context_events") else None
    dates = names(rep.lang.date(lockdown), rep.lang) if lockdown is not None else []
    return rep.caveats(CAVEATS, extra, figures(rep, a) + dates + gaps)


def _per_day(rep: Report, months: list[int], old: float, new: float) -> tuple[int, int, float] | None:
    """Working days in ``months`` of each year and the change per working day of counts ``old`` and ``new``; None
    when both years have as many working days, or a count of days or the earlier count is 0."""
    old_days, new_days = (workdays.working_days(y, months) for y in (rep.compare_year, rep.year))
    if old_days == new_days or not old or not old_days or not new_days:
        return None
    return old_days, new_days, ((new / new_days) / (old / old_days) - 1.0) * 100.0


def per_working_day(rep: Report, a: ContactAnswer) -> tuple[int, int, float] | None:
    """Working days in the compared months of each year and the change of all actions per working day: (42, 40,
    −2.7) for the data; None when both years have as many working days, or the earlier count is 0."""
    return _per_day(rep, rep.months, *(q.value for q in a.all_actions))


def workdays_caveat(rep: Report, a: ContactAnswer) -> tuple[str, list[Figure]] | None:
    """The calendar's share in the change of all started actions (statistician, round 24): a month with fewer working
    days has fewer starts without any change in behaviour. Given as a range, from no calendar effect to starts spread
    evenly over all working days, with the weekdays that carry the difference (statistician, round 42: in the data
    only a Thursday and a Friday, so the per-day figure is a bound, not a second estimate)."""
    found = per_working_day(rep, a)
    if found is None:
        return None
    old_days, new_days, per_day = found
    L = rep.lang
    old, new = (q.value for q in a.all_actions)
    text = rep.th(
        "q5.caveat.workdays",
        period=rep.period,
        compare=rep.compare_period,
        new_days=L.num(new_days),
        old_days=L.num(old_days),
        weekdays=weekday_gap(rep, rep.months),
        per_day=L.pct(per_day, signed=True),
        total=wording.change_text(L, old, new),
    )
    shown = [Figure(old_days), Figure(new_days), Figure(per_day, "pct")]
    # where the calendar differs month by month, the month that carries it (all of 2021's two fewer days fall in
    # January: statistician, round 26)
    for month, m_old, m_new, m_old_days, m_new_days, m_per_day in month_working_days(rep, a):
        text += " " + rep.th(
            "q5.caveat.workdays_month",
            month=L.month(month),
            year=rep.year,
            compare=rep.compare_year,
            new_days=L.num(m_new_days),
            old_days=L.num(m_old_days),
            per_day=L.pct(m_per_day, signed=True),
            total=wording.change_text(L, m_old, m_new),
        )
        shown += [Figure(m_old_days), Figure(m_new_days), Figure(m_per_day, "pct")]
    text += " " + rep.th("q5.caveat.workdays_assumption")
    return text, shown


def weekday_gap(rep: Report, months: list[int]) -> str:
    """Which weekdays one year has more of ('2020 telde één donderdag en één vrijdag meer'), and whether the other
    weekdays occur as often in both; the caller has checked that the two years' working days differ."""
    L = rep.lang
    then, now = (workdays.by_weekday(y, months) for y in (rep.compare_year, rep.year))
    parts = []
    for year, more, less in ((rep.compare_year, then, now), (rep.year, now, then)):
        days = [
            rep.t(key("q5.weekday", wording.plural(L, more[d] - less[d])), n=L.count(more[d] - less[d]), day=L.weekday(d))
            for d in range(5)
            if more[d] > less[d]
        ]
        if days:
            parts.append(rep.t("q5.caveat.weekdays_more", year=year, days=rep._and(days)))
    rest = "rest" if any(then[d] == now[d] for d in range(5)) else "all"
    return rep.t(key("q5.caveat.weekdays", rest), more=rep._and(parts))


def month_working_days(rep: Report, a: ContactAnswer) -> list[tuple[int, float, float, int, int, float]]:
    """Per month whose working days differ between the two years: (month, actions then, actions now, days then, days
    now, change per working day); none where a month has as many in both years or none in one of them."""
    out = []
    for month, old, new in a.month_totals:
        found = _per_day(rep, [month], old, new)
        if found is not None:
            out.append((month, old, new, *found))
    return out


def _cell_names(rep: Report, a: ContactAnswer) -> str:
    """Blank source cells in words ('January 2020, (3) home-learning hours only'), not by id."""
    frame = rep.data["contact_actions"].set_index("figure_id")
    names = []
    for fid in a.blank_cells:
        r = frame.loc[fid]
        names.append(f"{rep.lang.month(int(r.month))} {int(r.year)}, {rep.t('hours.' + r.hours_type)}")
    return "; ".join(names)


def key_figures(a: ContactAnswer) -> dict[str, object]:
    if not a.available:
        return {"available": False, "missing": a.missing}
    out = {"actions_total": f"{int(a.all_actions[0].value)} -> {int(a.all_actions[1].value)}"}
    for group, (old, new) in a.groups.items():
        out[f"actions_{group}"] = f"{int(old.value)} -> {int(new.value)}"
    out["verdict"] = case(a)
    return out
