"""Question 1: online enrolments in a period, on VDAB's platform and through partners, and their evolution.

The figures and the quoted statements are computed in :mod:`analysis.questions.common.online`, which
questions 2, 5, 6 and 7 share; this module presents them.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import change as change_of
from analysis.core import measures
from analysis.data import schemas
from analysis.questions.common import online
from analysis.questions.common.online import OnlineAnswer
from analysis.report import charts, wording
from analysis.report.frame import Report
from analysis.report.i18n import TABLE
from analysis.report.keys import key
from analysis.report.narrative import names
from analysis.report.render import Chart, Column, Html, Table, Value, esc, para

#: The fixed caveats of this report (message keys), before those found at run time.
CAVEATS = ("q1.caveat.1", "q1.caveat.2")


def compute(rep: Report) -> OnlineAnswer:
    return online.compute(rep, cite_channels=schemas.CHANNELS)  # it shows every channel


# ---------------------------------------------------------------------------- presentation
def short_answer(rep: Report, a: OnlineAnswer) -> Html:
    findings(rep, a)
    L = rep.lang
    if not a.available:
        return rep.no_answer(rep.t("q1.not_in_data", period=rep.period))
    vdab = a.channels.get("vdab_platform")
    partner = a.channels.get("partner_platform")
    parts = []
    if vdab is not None:
        parts.append(rep.count("q1.short.vdab", vdab.value, period=rep.period, n=L.count(vdab.value)))
    else:
        parts.append(rep.th("q1.short.no_vdab", period=rep.period))
    if partner is not None:
        partner_text = rep.count("q1.short.partner", partner.value, period=rep.period, n=L.count(partner.value))
        frame = rep.data["online_enrolments"]
        sources = frame[frame.figure_id.isin(partner.refs)].source_id.unique()
        # what the source that gives the figure says of the partners itself, in the chapter rather than in the list of
        # sources (editor, round 33)
        partner_text += "".join(" " + rep.th(k) for source_id in sources for k in EXPLANATIONS.get(str(source_id), ()))
        parts.append(partner_text)
    parts.append(online.evolution_text(rep, a))
    parts.append(rep.th("q1.short.private" if partner is not None else "q1.short.private_none"))
    return rep.short_answer(parts, online.figures(rep, a))


#: What a source says itself about the partner platforms, without figures: shown (in our words) beside the partner
#: figure it gives.
EXPLANATIONS = {"wq-answer": ("q1.short.partners_explanation",)}


def findings(rep: Report, a: OnlineAnswer) -> None:
    """The key finding for the front sheet, one sentence: the platform's enrolments against the comparison base."""
    L = rep.lang
    vdab = a.channels.get("vdab_platform") if a.available else None
    if vdab is None:
        return
    rep.headline(rep.count("q1.headline", vdab.value, period=rep.period, n=L.num(vdab.value)), online.figures(rep, a))
    values = {"period": rep.period, "compare": rep.compare_period, "n": L.num(vdab.value)}
    status = ["official"]
    if a.baseline is None or a.direction is None:
        text = rep.count("q1.finding.vdab", vdab.value, period=rep.period, n=L.num(vdab.value))
    elif not a.baseline_is_claim:
        change = wording.change_text(L, a.baseline.value, vdab.value) or rep.t("finding.base_zero")
        text = rep.change(
            "q1.finding.change", a.baseline.value, vdab.value, base=L.num(a.baseline.value), change=change, **values
        )
    else:
        status.append("quoted")
        values["base"] = L.num(a.baseline.value)
        # who gave the base and in which words, and that neither its months nor the answer confirm it, before the
        # comparison it allows (editor and statistician, round 26: the condition came after the headline figure)
        row = a.claim_rows.get(a.baseline.refs[0])
        by = str(row.stated_by) if row is not None else "question_author"
        quote = str(row.quote) if row is not None else ""
        values["base_sentence"] = Html(rep.th(key("q1.finding.base", by), base=L.num(a.baseline.value), quote=quote))
        if a.direction == change_of.UP:
            low, high = L.ratio(a.ratio_low, 2), L.ratio(a.ratio_high, 2)
            times = wording.times_over(L, a.ratio_low, a.ratio_high, of=True)
            values.update(low=low, high=high, times=times or rep.t("q1.finding.times_range", low=low, high=high))
        elif a.direction == change_of.DOWN:
            low_pct = (vdab.value / a.baseline_high - 1.0) * 100.0
            high_pct = (vdab.value / a.baseline_low - 1.0) * 100.0 if a.baseline_low else low_pct
            values.update(low=L.pct(low_pct, signed=True), high=L.pct(high_pct, signed=True))
        text = rep.th(key("q1.finding.claim", a.direction), **values)
    rep.finding(text, online.figures(rep, a), status)
    if a.baseline is not None and a.ratio_low is not None and a.ratio_high is not None and a.baseline_low:
        # the ratio to the base, traced in the annex to its two rows and the interval the base's rounding allows
        # an exact base is one divisor, never '70.000 tot 70.000' (scenario read, round 43)
        between = L.between(L.num(a.baseline_low), L.num(a.baseline_high))
        rep.derived(
            # a quoted base's months are the dossier's assumption, said where the figure is reused without the prose
            rep.t(
                "q1.derived.ratio_claim" if a.baseline_is_claim else "q1.derived.ratio",
                period=rep.period,
                compare=rep.compare_period,
            ),
            L.ratio_range(a.ratio_low, a.ratio_high, 2, TABLE),
            f"{L.num(vdab.value)} / ({between})" if a.baseline_low != a.baseline_high else f"{L.num(vdab.value)} / {between}",
            [*vdab.refs, *a.baseline.refs],
            names(rep.period, L) + names(rep.compare_period, L),
        )
    quote_notes(rep, a)


def quote_notes(rep: Report, a: OnlineAnswer) -> None:
    """For the dossier's guide to quoting: the platform's figure is an official count of enrolments; a quoted base is
    no official figure, nor is any comparison resting on it; the partner-platform figure is not private partners'."""
    L = rep.lang
    checked = online.figures(rep, a)
    vdab = a.channels.get("vdab_platform") if a.available else None
    if vdab is not None and vdab.value > 0:
        rep.quote_note("safe", rep.count("q1.quote.platform", vdab.value, n=L.num(vdab.value), period=rep.period), checked)
    if a.baseline is not None and a.baseline_is_claim:
        rep.quote_note("not_official", rep.th("q1.quote.claimed_base", base=L.num(a.baseline.value)), checked)
    partner = a.channels.get("partner_platform") if a.available else None
    if partner is not None and partner.value > 0:
        rep.quote_note("not_official", rep.count("q1.quote.partner", partner.value, n=L.num(partner.value)), checked)


def claimed_words(rep: Report, a: OnlineAnswer) -> str:
    """A quoted base as its statement words it: 'bijna 30.000', or '29.000 (vermoedelijk afgerond)' for a round number
    without a word; never a word the statement does not use (editor, round 36)."""
    assert a.baseline is not None
    claimed = a.claim_rows.get(a.baseline.refs[0])
    qualifier = str(claimed.qualifier) if claimed is not None else "round"
    value = rep.lang.num(a.baseline.value)
    return value if qualifier == "exact" else rep.t(key("qualified", qualifier), value=value)


def table(rep: Report, a: OnlineAnswer) -> Html | Table:
    if not a.available:
        return rep.checked(para(rep.th("q1.table.none", period=rep.period)))
    L = rep.lang
    rows = []
    for channel, q in a.channels.items():
        unit = rep.t(key("q1.unit", channel))
        rows.append(
            {"what": rep.t(key("channel", channel)), "n": q.value, "unit": unit, "ref": q.refs[0], "raw": Value(q.value, unit)}
        )
    if a.baseline is not None:
        what = "q1.table.baseline_claim" if a.baseline_is_claim else "q1.table.baseline"
        claimed = a.claim_rows.get(a.baseline.refs[0])
        n = claimed_words(rep, a) if a.baseline_is_claim else L.num(a.baseline.value)
        unit = rep.t("q1.unit.vdab_platform")
        rows.append(
            {
                "what": rep.t(what, compare=rep.compare_period),
                "n": n,
                # a quoted statement's unit is the dossier's reading of it (statistician, round 33)
                "unit": rep.t("q1.table.unit_assumed", unit=unit) if a.baseline_is_claim else unit,
                "ref": a.baseline.refs[0],
                # the number the statement gives, marked rounded in the CSV files and the workbook
                # (its unit is assumed in the files too: statisticians, round 38)
                "raw": Value(
                    a.baseline.value,
                    rep.t("q1.table.unit_assumed", unit=unit),
                    rounded=str(claimed.qualifier) if claimed is not None else "round",
                )
                if a.baseline_is_claim
                else Value(a.baseline.value, unit),
            }
        )
    frame = pd.DataFrame(rows)
    return rep.checked(
        Table(
            frame,
            [
                Column("what", rep.t("q1.table.what")),
                Column("n", rep.t("q1.table.count"), lambda v: v if isinstance(v, str) else L.num(v), True, raw="raw"),
                Column("unit", rep.t("q1.table.unit")),
                Column("ref", rep.t("table.ref"), ref=True),
            ],
            caption=rep.t("q1.table.caption_base" if a.baseline is not None else "q1.table.caption", period=rep.period),
            row_classes=["baseline" if r["what"].startswith(rep.compare_period) else "" for r in rows],
        )
    )


def chart(rep: Report, a: OnlineAnswer) -> Chart | Html:
    """VDAB-platform enrolments in both periods; the partner figure in its own unit is not stacked on them."""
    vdab = a.channels.get("vdab_platform") if a.available else None
    if vdab is None:
        return rep.checked(para(rep.th("q1.chart.none", period=rep.period)))
    L = rep.lang
    bars = []
    if a.baseline is not None:
        # A quoted statement names no months: its bar is labelled as such, not with the comparison period.
        label = rep.t("chart.claimed_base") + " *" if a.baseline_is_claim else rep.compare_period
        bars.append((label, a.baseline.value, a.baseline_is_claim))
    bars.append((rep.period, vdab.value, False))
    measures.same_series([a.baseline] * (a.baseline is not None) + [vdab])
    fig, ax = charts.figure(height=2.6)
    labels = [b[0] for b in bars]
    values = [b[1] for b in bars]
    colours = [charts.PALETTE[5] if claimed else charts.PALETTE[0] for _, _, claimed in bars]
    ax.barh(labels, values, color=colours)
    for y, (_, value, claimed) in enumerate(bars):
        text = claimed_words(rep, a) if claimed else L.num(value)
        ax.annotate(text, (value, y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9, bbox=charts.LABEL_BOX)
    ax.set_xlabel(rep.t("q1.chart.axis_claim") if a.baseline_is_claim else rep.t("q1.chart.axis"))
    ax.set_ylabel("")
    ax.grid(axis="y", visible=False)  # bars along y: only the value grid helps
    ax.invert_yaxis()
    ax.set_xlim(0, max(max(values), 1.0) * 1.1)
    ax.xaxis.set_major_formatter(lambda v, _: L.num(v))
    # the quoted base's unit is an assumption: the title then names the two figures, not one measure (statistician,
    # round 26)
    title = rep.t("q1.chart.title_claim") if a.baseline_is_claim else rep.t("q1.chart.title")
    ax.set_title(charts.wrap(title, charts.PRINT_WIDTH * 0.7, fontsize=11, bold=True))  # over the axes, not the labels
    if a.baseline_is_claim:
        charts.note(fig, "* " + rep.t("q1.chart.claim_note"))
    charts.make_room(ax, "x")
    refs = [*vdab.refs, *(a.baseline.refs if a.baseline is not None else ())]
    # a quoted base is named as such in the alternative text too, its months not stated as fact (statistician, round 40)
    alt = rep.t("q1.chart.alt_claim" if a.baseline_is_claim else "q1.chart.alt", period=rep.period, compare=rep.compare_period)
    return Chart(fig, alt, refs)


def caveats(rep: Report, a: OnlineAnswer) -> Html:
    extra = []
    for q in [a.baseline] if a.baseline is not None else []:
        extra.extend(esc(rep.t(assumption)) for assumption in q.assumptions)
    if a.baseline_is_claim:
        # what a longer period behind the quoted base would do, for this period's direction only (editor, round 38:
        # "a rise larger, a fall smaller" beside a rise read as a template)
        longer = rep.t(key("q1.caveat.longer", a.direction), compare=rep.compare_period) if a.direction else ""
        extra.append(esc(rep.t("q1.caveat.claimed_base", compare=rep.compare_period, longer=longer)))
    return rep.caveats(CAVEATS, extra)


def key_figures(a: OnlineAnswer) -> dict[str, object]:
    if not a.available:
        return {"available": False}
    out: dict[str, object] = {f"figure_{c}": int(q.value) for c, q in a.channels.items()}
    if a.direction is not None:
        out["direction"] = a.direction
    if a.ratio_low is not None:
        out["ratio_to_compare_year"] = f"{a.ratio_low:.2f}-{a.ratio_high:.2f}"
    out.update({f"claim_{c.claim_id}_{i}": c.verdict for i, c in enumerate(a.claim_checks)})
    return out
