"""Context (question 7): the longer evolution of online learning, with measures kept apart.

Published figures since 2015 count different things (unique learners, enrolments, actions,
courses offered) for different populations and periods. This module groups them into series
of one measure and population, pairs the same months of two years without chaining pairs
into one line, and computes enrolments per learner only where both figures cover exactly
the same period. Every combination goes through :mod:`analysis.core.measures`.

Most context figures are rounded by the press, so a ratio of two of them is only known up to
an interval; printing one value (×2.17) would claim a precision the sources do not have.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from analysis.core import measures
from analysis.core.measures import Quantity
from analysis.questions.common import context, online, refusals
from analysis.questions.common.context import PerLearner, quantities, rounding_bounds
from analysis.report import charts, wording
from analysis.report.frame import Report
from analysis.report.i18n import TABLE
from analysis.report.keys import key
from analysis.report.narrative import Figure, names
from analysis.report.render import Chart, Column, Html, Table, Value, bullets, columns, esc, heading
from analysis.report.tabular import RECOMPUTED

#: The caveats of this report (message keys).
CAVEATS = ("q7.caveat.1", "q7.caveat.3")


def ratio_bounds(new: Quantity, old: Quantity) -> tuple[float, float] | None:
    """new / old over both rounding intervals; the guard in :func:`measures.ratio` refuses what cannot be compared."""
    if measures.ratio(new, old) is None:
        return None
    (n_low, n_high), (o_low, o_high) = rounding_bounds(new), rounding_bounds(old)
    if o_low <= 0:
        return None
    return n_low / o_high, n_high / o_low


@dataclass
class Pair:
    earlier: Quantity
    later: Quantity
    ratio: float
    low: float | None = None
    high: float | None = None


@dataclass
class Check:
    """One test of a statement against the context figures: its catalogue key and the raw numbers it needs."""

    key: str
    values: dict[str, object]


@dataclass
class ContextAnswer:
    figures: dict[str, Quantity]
    full_years: dict[str, list[Quantity]] = field(default_factory=dict)  # measure -> yearly figures
    long_growth: dict[str, Pair] = field(default_factory=dict)
    pairs: list[Pair] = field(default_factory=list)
    per_learner: list[PerLearner] = field(default_factory=list)
    refused: list[refusals.Refusal] = field(default_factory=list)  # (operation, a, b, refusal)
    events: pd.DataFrame | None = None
    claim_ratio: tuple[float, float] | None = None
    baseline_before_lockdown: bool | None = None
    lockdown: tuple[str, dt.date] | None = None  # where the comparison period lies against it, and its date
    checks: list[Check] = field(default_factory=list)


def compute(rep: Report) -> ContextAnswer:
    figures = quantities(rep)
    frame = rep.data["context_figures"]
    a = ContextAnswer(figures)
    rep.cite(frame)
    online_all = [q for q in figures.values() if q.population == "vdab_online_all_users"]
    for measure in ("unique_learners", "enrolments"):
        series = sorted(
            (q for q in online_all if q.measure == measure and q.span == 12 and q.start.endswith("-01")), key=lambda q: q.start
        )
        a.full_years[measure] = measures.same_series(series)
        if len(series) >= 2:
            a.long_growth[measure] = _pair(series[0], series[-1])
    # Same months of two different years, for one measure and population: compared, never chained.
    by_window: dict[tuple, list[Quantity]] = {}
    for q in figures.values():
        if q.span < 12:
            by_window.setdefault((q.measure, q.population, q.start[5:], q.end[5:], q.span), []).append(q)
    for _window, items in sorted(by_window.items()):
        items.sort(key=lambda q: q.start)
        for earlier, later in zip(items, items[1:]):
            a.pairs.append(_pair(earlier, later))
    # Enrolments per learner, where both cover exactly the same period and population.
    a.per_learner = context.per_learner(figures)
    a.refused = refused_comparisons(figures)
    events = rep.data["context_events"]
    rep.cite(events)
    a.events = events
    o = online.compute(rep)
    if o.available and o.ratio_low is not None and o.baseline_is_claim:
        # only a quoted base is a condition here; an official one is chapter 1's plain fact (scenario read, round 43)
        a.claim_ratio = (o.ratio_low, o.ratio_high)
    a.lockdown = context.lockdown_position(rep)
    a.baseline_before_lockdown = None if a.lockdown is None else a.lockdown[0] == "before"
    a.checks = checks(rep, a)
    return a


def _pair(earlier: Quantity, later: Quantity) -> Pair:
    interval = ratio_bounds(later, earlier)
    low, high = interval if interval else (None, None)
    return Pair(earlier, later, measures.ratio(later, earlier), low, high)


def _months_between(start: str, end: str) -> int:
    return (int(end[:4]) - int(start[:4])) * 12 + int(end[5:]) - int(start[5:]) + 1


#: The base "looks high" against the year before when its monthly level is this many times that year's at the least.
BASE_LOOKS_HIGH = 1.2


def checks(rep: Report, a: ContextAnswer) -> list[Check]:
    """The statistician's plausibility tests: each runs only when the data hold the figures it needs.

    Monthly averages of periods of different length are compared on purpose here (the guard in
    :mod:`analysis.core.measures` refuses whole periods of different length); every result is an
    interval because the inputs are rounded, and each sentence carries its caveat. The trend is said in
    words: a growth rate of learners carried onto a rounded enrolment base cannot size a pandemic effect.
    """
    out: list[Check] = []
    n_months = len(rep.months)
    bounds_now = rep.period_bounds(rep.year)
    if bounds_now is None:
        return out
    current = online.enrolments(rep, rep.year).get("vdab_platform")
    base = online.enrolments(rep, rep.compare_year).get("vdab_platform")
    from_claim = base is None  # a statement's rounded base names no months of its own (statistical review, round 9)
    if base is None:
        _, base = online.claim(rep, rep.compare_year)
    online_figures = [q for q in a.figures.values() if q.population == online.POPULATION]
    frame = rep.data["context_figures"]
    sources = dict(zip(frame.figure_id, frame.source_id))
    # 1. The base against the monthly level of the year before it.
    ref = next(
        (q for q in online_figures if q.measure == "enrolments" and q.span == 12 and q.start == f"{rep.compare_year - 1:04d}-01"),
        None,
    )
    high_base = False
    if base is not None and base.value > 0 and ref is not None and rounding_bounds(ref)[0] > 0:  # zero compares with nothing
        (b_low, b_high), (r_low, r_high) = rounding_bounds(base), rounding_bounds(ref)
        ratio = ((b_low / n_months) / (r_high / 12), (b_high / n_months) / (r_low / 12))
        high_base = ratio[0] >= BASE_LOOKS_HIGH
        values = {
            "base": base,
            "base_month": base.value / n_months,
            "ref": ref,
            "ref_source": sources[ref.refs[0]],
            "ref_month": ref.value / 12,
            "ref_months": (r_low / 12, r_high / 12),  # the interval the reference's rounding allows
            "ratio": ratio,
        }
        bounds_then = rep.period_bounds(rep.compare_year)
        if from_claim and bounds_then is not None:
            # the other reading of a base that names no months: one month more, up to the month after the period
            values["next_month"] = context.next_month(bounds_then[1])
            values["longer_month"] = base.value / (n_months + 1)
            values["longer_ratio"] = ((b_low / (n_months + 1)) / (r_high / 12), (b_high / (n_months + 1)) / (r_low / 12))
        out.append(Check("q7.check.base", values))
    # 2. "All records broken": the period's monthly average against the highest single month on record.
    r = context.record(rep, current)
    if r is not None:
        check_key = "q7.check.record_beaten" if r.beaten else "q7.check.record_open"
        values = {
            "average": r.average,
            "record": r.record,
            "record_source": sources[r.record.refs[0]],
            "current": current,
            "ending": r.ending,
            "called": r.called_record,
            "unseen": r.unseen,
            "below": r.below,
        }
        bounds_then = rep.period_bounds(rep.compare_year)
        if not from_claim and base is not None and bounds_then is not None and bounds_then[0] > r.record.end:
            # an official base after the record month is itself a monthly level beside it (scenario read, round 44:
            # a base of 35,000 a month beside 'almost 28,000' went unsaid)
            low, high = rounding_bounds(r.record)
            values["base_average"] = base.value / n_months
            values["base_relation"] = (
                "above" if values["base_average"] > high else "below" if values["base_average"] < low else "within"
            )
        out.append(Check(check_key, values))
    # 3. The long trend in unique learners, in words: a growth of learners is not carried onto a base of enrolments
    #    (another unit; statistician, round 25), so the check gives the trend and why it cannot size the change.
    series = a.full_years.get("unique_learners") or []
    if current is not None and base is not None and len(series) >= 2 and series[-1].start[:4] < str(rep.compare_year):
        first, last = series[0], series[-1]
        years = int(last.start[:4]) - int(first.start[:4])
        if years > 0 and first.value > 0 and last.value > 0 and rounding_bounds(base)[0] > 0:  # a zero base or series: none
            growth = (last.value / first.value) ** (1 / years)
            out.append(
                Check(
                    "q7.check.trend",
                    {
                        "first": first,
                        "last": last,
                        "growth_pct": (growth - 1) * 100,
                        "years": years,
                        "high_base": high_base,
                        "ref": ref,
                    },
                )
            )
    return out


def refused_comparisons(figures: dict[str, Quantity]) -> list[refusals.Refusal]:
    """Tempting comparisons the guard refuses, shown so readers see why they are not in the report.

    Enrolments per learner for one year (O3 against O2) is not among them: same period and
    population make it a declared ratio, which the per-learner table shows.
    """
    attempts = [
        ("difference", "O7", "O6"),
        ("sum", "O6", "O9"),
        ("ratio", "O9", "O4"),
        ("ratio", "T3", "O7"),
        ("ratio", "K1", "O3"),
    ]
    out = []
    for op, a, b in attempts:
        if a in figures and b in figures:
            refused = refusals.attempt(op, figures[a], figures[b])
            if refused is not None:
                out.append(refused)
    return out


def _label(rep: Report, q: Quantity, style: str = TABLE) -> str:
    return rep.lang.period_range(q.start, q.end, style)


def _interval(rep: Report, low: float | None, high: float | None, value: float, digits: int = 2, style: str = TABLE) -> str:
    if low is None:
        return rep.lang.ratio(value, digits)
    return rep.lang.ratio_range(low, high, digits, style)


def _num(rep: Report, q: Quantity) -> str:
    """A figure as the source gives it: 'about 54,000', 'more than 110,000' for a rounded one (its word), else the number."""
    if not q.rounded:
        return rep.lang.num(q.value)
    return rep.t(key("qualified", q.qualifier or "about"), value=rep.lang.num(q.value))


def _spring_pairs(a: ContextAnswer) -> list[Pair]:
    """The same months of two years, for all online users, over more than one month: the pairs the short answer names."""
    return [p for p in a.pairs if p.earlier.population == "vdab_online_all_users" and p.earlier.span > 1]


def short_answer(rep: Report, a: ContextAnswer) -> Html:
    """The short answer; the plausibility tests follow it apart (:func:`checks_section`)."""
    findings(rep, a)
    L = rep.lang
    parts = []
    g = a.long_growth.get("unique_learners")
    if g:
        parts.append(
            rep.change(
                "q7.short.long",
                g.earlier.value,
                g.later.value,
                first=_label(rep, g.earlier, "text"),
                last=_label(rep, g.later, "text"),
                a=_num(rep, g.earlier),
                b=_num(rep, g.later),
                pct=L.pct((g.ratio - 1) * 100, 0, signed=True),
            )
        )
    # the pairs over the same months and years in one sentence: 'enrolments 1.9 times and learners more than twice'
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for p in _spring_pairs(a):
        span = (p.earlier.start, p.earlier.end, p.earlier.start[:4], p.later.start[:4])
        groups.setdefault(span, []).append(
            rep.t("q7.short.pair_item", measure=rep.t(key("measure", p.earlier.measure)), ratio=pair_ratio(rep, p))
        )
    for (start, end, earlier, later), items in groups.items():
        m1, m2 = int(start[5:]), int(end[5:])
        parts.append(
            rep.th(
                "q7.short.pair",
                months=L.months_label(list(range(m1, m2 + 1))),
                items=rep._and(items),
                earlier=earlier,
                later=later,
            )
        )
    parts.append(conclusion(rep, a))
    return rep.short_answer(parts, figures(rep, a) + lockdown_names(rep, a))


def pair_ratio(rep: Report, p: Pair) -> str:
    """A ratio of two rounded press figures for running text: 'ruim twee keer' when that holds for its whole interval,
    else as its interval to two decimals ('1,85 tot 1,91 keer'), as the table gives it."""
    L = rep.lang
    low, high = (p.ratio, p.ratio) if p.low is None else (p.low, p.high)
    words = wording.times_over(L, low, high, form="times.more_as")
    if words:
        return words
    a, b = L.ratio(low, 2), L.ratio(high, 2)  # two decimals: one would round an interval's ends inward (1,85 → 1,9)
    return rep.t("q7.short.times", value=a if a == b else rep.t("range.text", low=a, high=b))


def findings(rep: Report, a: ContextAnswer) -> None:
    """The key finding for the front sheet: where the comparison base lies against the first lockdown.

    The growth before the pandemic stays in the chapter: it rests on press figures, and the summary a member
    may quote from holds official and recomputed figures and the conditions on quoted ones (statistical review).
    """
    L = rep.lang
    sentences = []
    if a.baseline_before_lockdown is True and not a.claim_ratio:
        # a rounded base from a statement names no months: where it lies against the lockdown is only a condition,
        # which chapter 7 states; the summary keeps findings (editor and adviser, rounds 17-20)
        sentences.append(rep.th("q7.finding.prepandemic", compare=rep.compare_period))
    elif a.lockdown is not None and a.lockdown[0] == "across":
        # a base wholly after the lockdown is said in the chapter only: on the summary it tells a reader nothing
        # about the period (scenario read, round 43)
        sentences.append(rep.th("q7.finding.pandemic_baseline", compare=rep.compare_period, date=L.date(a.lockdown[1])))
    if sentences:
        rep.finding(" ".join(sentences), figures(rep, a) + lockdown_names(rep, a), ["press"])
    derived_checks(rep, a)
    g = a.long_growth.get("unique_learners")
    if g:
        # the growth the short answer gives, traced to its two press rows in the annex
        L = rep.lang
        what = rep.t("q7.derived.growth", first=_label(rep, g.earlier, "text"), last=_label(rep, g.later, "text"))
        formula = f"{_num(rep, g.later)} / {_num(rep, g.earlier)} − 1"
        years = names(_label(rep, g.earlier, "text"), L) + names(_label(rep, g.later, "text"), L)
        rep.derived(what, L.pct((g.ratio - 1) * 100, 0, signed=True), formula, [*g.earlier.refs, *g.later.refs], years)


def _per_month(rep: Report, base: Quantity, months: int) -> tuple[str, str]:
    """A base's monthly average and its sum for the annex: a rounded base as the interval its rounding allows, like
    every other input there (editor, round 27: '29.000 / 2' broke the annex's own rule)."""
    L = rep.lang
    low, high = rounding_bounds(base)
    if low == high:
        return L.num(base.value / months, 0), f"{L.num(base.value)} / {months}"
    value = L.between(L.num(low / months, 0), L.num(high / months, 0), TABLE)
    return value, f"({rep.t('range.text', low=L.num(low), high=L.num(high))}) / {months}"


def derived_checks(rep: Report, a: ContextAnswer) -> None:
    """The figures the plausibility tests compute (monthly levels, their ratio, the growth a year), for the annex: each
    with its sum, rounded inputs written as the interval their rounding allows."""
    L = rep.lang
    n = len(rep.months)
    for c in a.checks:
        v = c.values
        if c.key == "q7.check.base":
            base, ref = v["base"], v["ref"]
            (b_low, b_high), (r_low, r_high) = rounding_bounds(base), rounding_bounds(ref)
            ref_period = _label(rep, ref, "text")
            years = names(rep.compare_period, L) + names(ref_period, L)
            rep.derived(rep.t("q7.derived.base_month", compare=rep.compare_period), *_per_month(rep, base, n), base.refs, years)
            between = rep.t("range.text", low=L.num(r_low), high=L.num(r_high)) if r_low != r_high else L.num(ref.value)
            rep.derived(
                rep.t("q7.derived.ref_month", ref_period=ref_period),
                L.between(L.num(v["ref_months"][0], 0), L.num(v["ref_months"][1], 0), TABLE),
                f"({between}) / 12",
                ref.refs,
                years,
            )
            low = f"({L.num(b_low)} / {n}) / ({L.num(r_high)} / 12)"
            high = f"({L.num(b_high)} / {n}) / ({L.num(r_low)} / 12)"
            rep.derived(
                rep.t("q7.derived.ratio", compare=rep.compare_period, ref_period=ref_period),
                L.ratio_range(*v["ratio"], 2, TABLE),
                rep.t("range.text", low=low, high=high),
                [*base.refs, *ref.refs],
                years,
            )
            if "longer_month" in v:
                # the other reading of a base that names no months: one month more
                m = n + 1
                next_month = L.period_range(v["next_month"], v["next_month"])
                shown = years + names(next_month, L)
                what = rep.t("q7.derived.longer_month", compare=rep.compare_period, next_month=next_month)
                rep.derived(what, *_per_month(rep, base, m), base.refs, shown)
                low = f"({L.num(b_low)} / {m}) / ({L.num(r_high)} / 12)"
                high = f"({L.num(b_high)} / {m}) / ({L.num(r_low)} / 12)"
                rep.derived(
                    rep.t("q7.derived.longer_ratio", next_month=next_month, ref_period=ref_period),
                    L.ratio_range(*v["longer_ratio"], 2, TABLE),
                    rep.t("range.text", low=low, high=high),
                    [*base.refs, *ref.refs],
                    shown,
                )
        elif c.key in ("q7.check.record_beaten", "q7.check.record_open") and v.get("current") is not None:
            current = v["current"]
            rep.derived(
                rep.t("q7.derived.average", period=rep.period),
                L.num(v["average"], 0),
                f"{L.num(current.value)} / {n}",
                current.refs,
                names(rep.period, L),
            )
        elif c.key == "q7.check.trend":
            first, last = v["first"], v["last"]
            y1, y2 = first.start[:4], last.start[:4]
            rep.derived(
                rep.t("q7.derived.per_year", first=y1, last=y2),
                L.pct(v["growth_pct"], 1, signed=True),
                f"({L.num(last.value)} / {L.num(first.value)})^(1/{v['years']}) − 1",
                [*first.refs, *last.refs],
                [Figure(int(y1), "label"), Figure(int(y2), "label")],
            )


def lockdown_names(rep: Report, a: ContextAnswer) -> list[Figure]:
    """The lockdown's date where the text names it: a comparison period that runs over it or starts after it."""
    return names(rep.lang.date(a.lockdown[1]), rep.lang) if a.lockdown and a.lockdown[0] != "before" else []


def figures(rep: Report, a: ContextAnswer) -> list[Figure]:
    """Every figure q7's text may show, for the narrative check."""
    L = rep.lang
    out: list[Figure] = []
    g = a.long_growth.get("unique_learners")
    if g:
        out += [Figure(g.earlier.value), Figure(g.later.value), Figure((g.ratio - 1) * 100, "pct")]
        out += names(_label(rep, g.earlier, "text"), L) + names(_label(rep, g.later, "text"), L)
    for p in _spring_pairs(a):
        out += [Figure(p.ratio, "ratio")] if p.low is None else [Figure(p.low, "ratio"), Figure(p.high, "ratio")]
        out += [Figure(int(p.earlier.start[:4]), "label"), Figure(int(p.later.start[:4]), "label")]
    if a.claim_ratio:
        out += [Figure(v, "ratio") for v in a.claim_ratio]
    return out


def _shown(L, value: float) -> str:
    """A rounded monthly average (:func:`context.readable`): whole, or to a tenth below ten."""
    return L.num(value, 0 if float(value).is_integer() else 1)


def _figure(value: float) -> Figure:
    return Figure(value) if float(value).is_integer() else Figure(value, "ratio")


def check_values(rep: Report, c: Check) -> tuple[dict[str, str], list[Figure]]:
    """A check's sentence values in the reader's language, and the figures they show (for the ledger)."""
    L = rep.lang
    v = c.values
    if c.key == "q7.check.base":
        base_month, ref_month = context.readable(v["base_month"], -2), context.readable(v["ref_month"], -2)
        ref_low, ref_high = (context.readable(x, -2) for x in v["ref_months"])
        ref_period = _label(rep, v["ref"], "text")
        ref_label = rep.source_words(v["ref_source"])
        shown = [Figure(v["base"].value), _figure(base_month), _figure(ref_month), *(Figure(r, "ratio") for r in v["ratio"])]
        shown += [_figure(ref_low), _figure(ref_high)]
        # a rounded reference is shown as the interval its rounding allows, not by its low end
        ref_text = (
            rep.t("range.text", low=_shown(L, ref_low), high=_shown(L, ref_high))
            if ref_low != ref_high
            else rep.t("qualified.about", value=_shown(L, ref_month))
        )
        values = {
            "base": L.num(v["base"].value),
            "compare": rep.compare_period,
            "base_month": _shown(L, base_month),
            "ref_month": ref_text,
            "ref_year": v["ref"].start[:4],
            "ref_period": ref_period,
            "ref_label": ref_label,
            "ratio": L.ratio_range(*v["ratio"], 2),
            "longer": "",
        }
        if "longer_month" in v:
            longer_month = context.readable(v["longer_month"], -2)
            next_month = L.period_range(v["next_month"], v["next_month"])
            values["longer"] = " " + rep.t(
                "q7.check.base_longer",
                next_month=next_month,
                longer_month=_shown(L, longer_month),
                longer_ratio=L.ratio_range(*v["longer_ratio"], 2),
            )
            shown += [_figure(longer_month), *(Figure(r, "ratio") for r in v["longer_ratio"])] + names(next_month, L)
        return values, shown + [Figure(int(v["ref"].start[:4]), "label")] + names(ref_period, L) + names(ref_label, L)
    if c.key == "q7.check.trend":
        first, last = v["first"].start[:4], v["last"].start[:4]
        values = {"first": first, "last": last, "growth": L.pct(abs(v["growth_pct"]), 0), "value": L.num(v["last"].value)}
        shown = [Figure(v["growth_pct"], "pct"), Figure(int(first), "label"), Figure(int(last), "label"), Figure(v["last"].value)]
        return values, shown
    record = v["record"]
    average = context.readable(v["average"], -2)
    record_period = _label(rep, record, "text")
    record_label = rep.source_words(v["record_source"])
    values = {
        "period": rep.period,
        "average": _shown(L, average),
        "record": context.figure_words(rep, record),
        "record_period": record_period,
        "record_label": record_label,
        # a beaten record holds up to the highest value its rounding allows: said only when it is rounded
        "rounded": rep.t("q7.check.record_rounded") if record.rounded and c.key == "q7.check.record_beaten" else "",
        # what the record's own source says of it, and the months no monthly figure covers (statisticians, round 38)
        "called": rep.t("q7.check.record_called", record_period=record_period)
        if v.get("called")
        else rep.t("q7.check.record_uncalled", record_period=record_period)
        if v.get("ending") == "one"
        else "",
        "unseen": rep.t("q7.check.record_unseen", unseen=L.period_range(*v["unseen"])) if v.get("unseen") else "",
        # a direction word where the average lies under the record's whole interval (scenario read, round 43)
        "relation": rep.t(key("q7.check.record_relation", "below" if v.get("below") else "within")),
        "base": "",
    }
    unseen = names(L.period_range(*v["unseen"]), L) if v.get("unseen") else []
    if v.get("base_average") is not None:
        base_average = context.readable(v["base_average"], -2)
        values["base"] = rep.t(
            key("q7.check.record_base", v["base_relation"]), compare=rep.compare_period, average=_shown(L, base_average)
        )
        unseen += [_figure(base_average)] + names(rep.compare_period, L)
    return values, [_figure(average), Figure(record.value)] + names(record_period, L) + names(record_label, L) + unseen


def offer_sentence(rep: Report, until: int) -> tuple[str, list[Figure]] | None:
    """How the number of online courses offered changed up to the trend's last year, from the earliest to the latest
    such figure in the data (the offer is one thing besides the pandemic that can move enrolments); None when the
    data hold fewer than two years of it."""
    if not rep.data.has("context_figures"):
        return None
    frame = rep.data["context_figures"]
    years = frame.period_start.astype(str).str[:4].astype(int)
    offer = frame[(frame.measure == "courses_offered") & (years <= until)].sort_values("period_start")
    if offer.period_start.astype(str).str[:4].nunique() < 2:
        return None
    first, last = offer.iloc[0], offer.iloc[-1]
    L = rep.lang
    sources = " / ".join(dict.fromkeys(rep.source_words(s) for s in (first.source_id, last.source_id)))
    y1, y2 = str(first.period_start)[:4], str(last.period_start)[:4]
    old, new = float(first["count"]), float(last["count"])
    text = rep.change("q7.check.offer", old, new, old=L.num(old), new=L.num(new), first=y1, last=y2, source=sources)
    return text, [Figure(old), Figure(new), Figure(int(y1), "label"), Figure(int(y2), "label"), *names(sources, L)]


def checks_section(rep: Report, a: ContextAnswer) -> Html:
    """The plausibility tests as a list, each sentence with its caveat; nothing when none can run."""
    if not a.checks:
        return Html("")
    items, shown = [], []
    for c in a.checks:
        values, figs = check_values(rep, c)
        shown += figs
        if c.key == "q7.check.trend":
            v = c.values
            first, last = v["first"].value, v["last"].value
            sentence = rep.change("q7.check.trend", first, last, **values)
            caveat = "high_base" if v["high_base"] else "other"
            ref_period = _label(rep, v["ref"], "text") if v["ref"] is not None else ""
            sentence += " " + rep.th(key("q7.check.trend_caveat", caveat), ref_period=ref_period)
            if v["ref"] is not None:
                shown += names(ref_period, rep.lang)
            offer = offer_sentence(rep, int(last))
            if offer is not None:
                sentence += " " + offer[0]
                shown += offer[1]
            items.append(sentence)
        elif c.key in ("q7.check.record_beaten", "q7.check.record_open"):
            items.append(rep.th(key(c.key, c.values["ending"]), **values))
        else:
            items.append(rep.th(c.key, **values))
    return rep.checked(Html(str(heading(rep.t("q7.section.checks"), 2)) + str(bullets(items))), shown)


def conclusion(rep: Report, a: ContextAnswer) -> str:
    L = rep.lang
    bits = []
    if a.claim_ratio:
        bits.append(
            rep.th(
                "q7.conclusion.claim",
                ratio=L.ratio_range(a.claim_ratio[0], a.claim_ratio[1], 2),
                period=rep.period,
                compare=rep.compare_period,
            )
        )
    if a.baseline_before_lockdown is True:
        # a statement's base names no months: its period is a condition, as on the front sheet
        which = "q7.conclusion.prepandemic_claim" if a.claim_ratio else "q7.conclusion.prepandemic"
        bits.append(rep.th(which, compare=rep.compare_period))
    elif a.lockdown is not None and a.lockdown[0] != "before":
        where, date = a.lockdown
        bits.append(rep.th(key("q7.conclusion.pandemic_baseline", where), compare=rep.compare_period, date=L.date(date)))
    bits.append(rep.th("q7.conclusion.limits"))
    return " ".join(bits)


def figures_table(rep: Report, a: ContextAnswer) -> Table:
    L = rep.lang
    frame = rep.data["context_figures"].copy()
    # a measure the source names otherwise is marked assumed, as chapter 1 marks the quoted base (statistician, round 41)
    frame["measure_label"] = [
        rep.t("q1.table.unit_assumed", unit=rep.t(key("measure", m))) if assumed else rep.t(key("measure", m))
        for m, assumed in zip(frame.measure, frame.measure_assumed)
    ]
    frame["population_label"] = frame.population.map(lambda p: rep.t(key("population", p)))
    frame["period"] = [L.period_range(s, e, TABLE) for s, e in zip(frame.period_start, frame.period_end)]
    frame["shown"] = [
        L.num(c) if q == "exact" else rep.t(key("qualified", q), value=L.num(c)) for c, q in zip(frame["count"], frame.qualifier)
    ]
    # the number as the source gives it, a rounded one marked so (its word stays in the shown text)
    frame["exact"] = [Value(c, unit, 0, rounded=q) for c, q, unit in zip(frame["count"], frame.qualifier, frame.measure_label)]
    frame["source"] = [rep.source_words(s) for s in frame.source_id]
    return rep.checked(
        Table(
            frame,
            columns(
                rep.t,
                [
                    ("figure_id", "table.ref"),
                    ("measure_label", "q7.col.measure"),
                    ("population_label", "q7.col.population"),
                    ("period", "q7.col.period"),
                    ("shown", "q7.col.count", str, True, {"raw": "exact", "digits": 0}),
                    ("source", "q7.col.source"),
                ],
            ),
            caption=rep.t("q7.table.figures"),
            note=rep.t("q7.table.rounded_note"),
        )
    )


def pairs_table(rep: Report, a: ContextAnswer) -> Table:
    frame = pd.DataFrame(
        [
            {
                "measure": rep.t(key("measure", p.earlier.measure)),
                "population": rep.t(key("population", p.earlier.population)),
                "earlier": f"{_label(rep, p.earlier)}: {_num(rep, p.earlier)}",
                "later": f"{_label(rep, p.later)}: {_num(rep, p.later)}",
                "ratio": "×" + _interval(rep, p.low, p.high, p.ratio),
                "ratio_raw": _range(rep.t("tables.unit.ratio"), p.low, p.high, p.ratio),
                "refs": f"{p.earlier.refs[0]}, {p.later.refs[0]}",
            }
            for p in a.pairs
        ]
    )
    return rep.checked(
        Table(
            frame,
            columns(
                rep.t,
                [
                    ("measure", "q7.col.measure"),
                    ("population", "q7.col.population"),
                    ("earlier", "q7.col.earlier"),
                    ("later", "q7.col.later"),
                    ("ratio", "q7.col.ratio", str, True, {"raw": "ratio_raw", "status": RECOMPUTED}),
                    ("refs", "table.ref"),
                ],
            ),
            caption=rep.t("q7.table.pairs"),
            note=rep.t("q7.table.pairs_note"),
        )
    )


def _range(unit: str, low: float | None, high: float | None, value: float) -> Value:
    """A ratio for the CSV files and the workbook: one number, or the range a ratio of rounded figures spans."""
    if low is None or high is None or low == high:
        return Value(value, unit)
    return Value(None, unit, low=low, high=high)


def per_learner_table(rep: Report, a: ContextAnswer) -> Table:
    L = rep.lang
    frame = pd.DataFrame(
        [
            {
                "period": _label(rep, p.value),
                "value": L.ratio_range(p.low, p.high, 2, TABLE),
                "exact": _range(rep.t("measure.enrolments_per_learner"), p.low, p.high, p.low),
                "refs": " / ".join(p.value.refs),
                "rounded": rep.t("yes") if p.value.rounded else rep.t("no"),
            }
            for p in a.per_learner
        ]
    )
    # a column that says 'yes' on every row says it once, in the note
    every = all(p.value.rounded for p in a.per_learner)
    note = rep.t("q7.table.per_learner_note") + (" " + rep.t("q7.table.per_learner_all_rounded") if every else "")
    rounded = [] if every else [Column("rounded", rep.t("q7.col.rounded"))]
    return rep.checked(
        Table(
            frame,
            [
                Column("period", rep.t("q7.col.period")),
                Column("value", rep.t("q7.col.per_learner"), numeric=True, digits=2, raw="exact", status=RECOMPUTED),
                *rounded,
                Column("refs", rep.t("table.ref"), ref=True),
            ],
            caption=rep.t("q7.table.per_learner"),
            note=note,
        )
    )


def labels(rep: Report) -> dict[str, str]:
    """Each context figure in words, in the reader's language (the data's own label column)."""
    frame = rep.data["context_figures"]
    return dict(zip(frame.figure_id, frame[f"label_{rep.lang.code}"]))


def refusal_text(rep: Report, exc, words: dict[str, str] | None = None) -> str:
    """The guard's reason in the reader's language (:func:`analysis.questions.common.refusals.refusal_text`)."""
    return refusals.refusal_text(rep, exc, words)


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
        return dt.date.fromisoformat((context.next_month(period) if after else period) + "-01")

    # Each window's name on the axis beside its bar, and the dates in the legend under the chart:
    # no text inside the plot, so none can run into a dashed line or past the frame.
    fig, ax = charts.figure(height=1.4 + 0.32 * len(rows) + 0.2 * len(a.events))
    for i, (start, end, _text, colour) in enumerate(rows):
        s, e = month_start(start), month_start(end, after=True)
        ax.barh(i, (e - s).days, left=s, height=0.6, color=colour)
    styles = ("--", ":", "-.", (0, (5, 2, 1, 2)))
    for k, (_, ev) in enumerate(a.events.iterrows()):
        ax.axvline(
            ev.date,
            color=charts.PALETTE[4],
            linestyle=styles[k % len(styles)],
            linewidth=1.2,
            label=f"{L.date(ev.date)}: {rep.t(key('event', ev.event))}",  # the label may end in brackets of its own
        )
    ax.set_yticks(range(len(rows)), [charts.wrap(r[2], 2.6, fontsize=9) for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    first = min(month_start(r[0]) for r in rows)
    last = max(month_start(r[1], after=True) for r in rows)
    ax.set_xlim(first - dt.timedelta(days=20), last + dt.timedelta(days=20))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 7]))
    ax.xaxis.set_major_formatter(lambda v, _: f"{L.month(mdates.num2date(v).month)[:3]} {mdates.num2date(v).year}")
    ax.set_title(charts.wrap(rep.t("q7.chart.timeline"), fontsize=11, bold=True))
    ax.grid(axis="y", visible=False)
    if len(a.events):
        fig.legend(loc="outside lower center", ncols=1, handlelength=3)
    pair_refs = [r for p in a.pairs if p.earlier.population == "vdab_online_all_users" for r in (*p.earlier.refs, *p.later.refs)]
    return Chart(fig, rep.t("q7.chart.timeline"), [*a.events.event_id, *pair_refs])


def caveats(rep: Report, a: ContextAnswer) -> Html:
    """The fixed caveats, then one naming what the comparisons this chapter does not make differ in."""
    extra = [esc(rep.t("q7.caveat.refused", reasons=refusals.reasons(rep, a.refused)))] if a.refused else []
    return rep.caveats(CAVEATS, extra)


def key_figures(a: ContextAnswer) -> dict[str, object]:
    out = {f"pair {p.earlier.refs[0]}->{p.later.refs[0]}": round(p.ratio, 2) for p in a.pairs}
    out.update({f"per_learner {'/'.join(p.value.refs)}": round(p.value.value, 2) for p in a.per_learner})
    out["refused"] = len(a.refused)
    out["baseline_before_lockdown"] = a.baseline_before_lockdown
    return out
