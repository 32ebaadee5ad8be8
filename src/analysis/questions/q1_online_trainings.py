"""Question 1: online enrolments in a period, on VDAB's platform and through partners, and their evolution."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.core import claims, measures
from analysis.core.measures import Quantity
from analysis.report import charts
from analysis.report.frame import Report
from analysis.report.render import Chart, Column, Html, Table, columns, esc

POPULATION = "vdab_online_all_users"
CLAIM_AS_ENROLMENTS = "claim.read_as_enrolments"  # message key of the stated assumption


@dataclass
class OnlineAnswer:
    available: bool
    channels: dict[str, Quantity] = field(default_factory=dict)  # channel -> enrolments in the period
    total: Quantity | None = None
    partner_share_pct: float | None = None
    baseline: Quantity | None = None  # enrolments in the comparison period (official or claimed)
    baseline_is_claim: bool = False
    ratio_low: float | None = None  # current VDAB-platform enrolments / baseline, lowest and highest
    ratio_high: float | None = None  # ... over the baseline's rounding interval
    claim_checks: list[claims.ClaimCheck] = field(default_factory=list)
    rows: pd.DataFrame | None = None


def enrolments(rep: Report, year: int) -> dict[str, Quantity]:
    """Official enrolments per channel for the report's months of ``year`` (empty when not in the data)."""
    bounds = rep.period_bounds(year)
    frame = rep.data["online_enrolments"]
    if bounds is None:
        return {}
    rows = frame[(frame.period_start == bounds[0]) & (frame.period_end == bounds[1])]
    rep.cite(rows)
    return {r.channel: Quantity.from_row(r, "enrolments", POPULATION, "enrolments") for _, r in rows.iterrows()}


def claim(rep: Report, year: int, measure: str = "online_trainings") -> tuple[pd.Series | None, Quantity | None]:
    """The question's claim for the report's months of ``year``, read as enrolments (an assumption we state)."""
    bounds = rep.period_bounds(year)
    frame = rep.data["claims"]
    if bounds is None:
        return None, None
    rows = frame[(frame.period_start == bounds[0]) & (frame.period_end == bounds[1]) & (frame.measure == measure)]
    if rows.empty:
        return None, None
    row = rows.iloc[0]
    rep.cite(rows)
    q = Quantity(float(row.value), measure, POPULATION, row.period_start, row.period_end, (row.claim_id,), rounded=True)
    if measure == "online_trainings":
        q = measures.reinterpret(q, measure="enrolments", reason=rep.t(CLAIM_AS_ENROLMENTS))
    return row, q


def compute(rep: Report) -> OnlineAnswer:
    current = enrolments(rep, rep.year)
    if not current:
        return OnlineAnswer(False)
    answer = OnlineAnswer(True, channels=current)
    answer.total = measures.total(list(current.values()))
    if "partner_platform" in current:
        answer.partner_share_pct = measures.share_pct(current["partner_platform"], answer.total)
    earlier = enrolments(rep, rep.compare_year)
    if "vdab_platform" in earlier:
        answer.baseline = earlier["vdab_platform"]
    else:
        _, answer.baseline = claim(rep, rep.compare_year)
        answer.baseline_is_claim = answer.baseline is not None
    vdab = current.get("vdab_platform")
    if answer.baseline is not None and vdab is not None:
        low, high = _baseline_interval(answer.baseline)
        answer.ratio_low = measures.ratio(vdab, measures.with_value(answer.baseline, high))
        answer.ratio_high = measures.ratio(vdab, measures.with_value(answer.baseline, low))
    answer.claim_checks = check_claims(rep, answer)
    return answer


def _baseline_interval(q: Quantity) -> tuple[float, float]:
    """A rounded baseline ('about 29,000') stands for an interval; an official one for itself."""
    if not q.rounded:
        return q.value, q.value
    low, high, _, _ = claims.interval("about", q.value)
    return low, high


def check_claims(rep: Report, answer: OnlineAnswer) -> list[claims.ClaimCheck]:
    """The question's claims for this period: the level, and 'more than doubled'."""
    out = []
    row, _ = claim(rep, rep.year)
    vdab = answer.channels.get("vdab_platform")
    if row is not None:
        out.append(
            claims.check(
                row.claim_id, row.qualifier, row.value, vdab.value if vdab else None, compared_with=vdab.refs[0] if vdab else ""
            )
        )
        if answer.total is not None and len(answer.channels) > 1:
            out.append(
                claims.check(
                    row.claim_id, row.qualifier, row.value, answer.total.value, compared_with="+".join(answer.total.refs)
                )
            )
    ratio_row, _ = claim(rep, rep.year, "online_trainings_ratio_to_previous_year")
    if ratio_row is not None:
        out.append(
            claims.check(
                ratio_row.claim_id,
                ratio_row.qualifier,
                ratio_row.value,
                answer.ratio_low,
                answer.ratio_high,
                compared_with=f"{vdab.refs[0] if vdab else '?'} / {'+'.join(answer.baseline.refs) if answer.baseline else '?'}",
            )
        )
    return out


# ---------------------------------------------------------------------------- presentation
def short_answer(rep: Report, a: OnlineAnswer) -> Html:
    L = rep.lang
    if not a.available:
        return rep.not_available(rep.t("q1.not_in_data", period=rep.period))
    vdab = a.channels.get("vdab_platform")
    partner = a.channels.get("partner_platform")
    parts = [rep.th("q1.short.vdab", period=rep.period, n=L.num(vdab.value))] if vdab else []
    if partner:
        parts.append(
            rep.th("q1.short.partner", n=L.num(partner.value), share=L.pct(a.partner_share_pct), total=L.num(a.total.value))
        )
    if a.ratio_low is not None:
        key = "q1.short.ratio_claim" if a.baseline_is_claim else "q1.short.ratio"
        parts.append(
            rep.th(
                key,
                compare=rep.compare_period,
                base=L.num(a.baseline.value),
                low=L.ratio(a.ratio_low, 1),
                high=L.ratio(a.ratio_high, 1),
            )
        )
    else:
        parts.append(rep.th("q1.short.no_baseline", compare=rep.compare_period))
    parts.append(rep.th("q1.short.private"))
    return rep.short_answer(parts)


def table(rep: Report, a: OnlineAnswer) -> Html | Table:
    if not a.available:
        return Html("")
    L = rep.lang
    rows = []
    for channel, q in a.channels.items():
        rows.append(
            {"what": rep.t("channel." + channel), "n": q.value, "share": measures.share_pct(q, a.total), "ref": q.refs[0]}
        )
    rows.append({"what": rep.t("q1.table.total"), "n": a.total.value, "share": 100.0, "ref": rep.t("table.recomputed")})
    if a.baseline is not None:
        key = "q1.table.baseline_claim" if a.baseline_is_claim else "q1.table.baseline"
        rows.append(
            {"what": rep.t(key, compare=rep.compare_period), "n": a.baseline.value, "share": None, "ref": a.baseline.refs[0]}
        )
    frame = pd.DataFrame(rows)
    return Table(
        frame,
        [
            Column("what", rep.t("q1.table.what")),
            Column("n", rep.t("unit.enrolments"), L.num, True),
            Column("share", rep.t("table.share_of_total"), lambda v: L.pct(v) if v == v and v is not None else "", True),
            Column("ref", rep.t("table.ref")),
        ],
        caption=rep.t("q1.table.caption", period=rep.period),
        row_classes=["", "", "total", "baseline"][: len(rows)],
    )


def claims_table(rep: Report, a: OnlineAnswer) -> Html | Table:
    if not a.claim_checks:
        return Html("")
    return claim_check_table(rep, a.claim_checks)


def claim_check_table(rep: Report, checks: list[claims.ClaimCheck]) -> Table:
    L = rep.lang

    def fmt_value(c: claims.ClaimCheck) -> str:
        if c.value_low is None:
            return rep.t("claim.no_official")
        digits = 2 if c.claimed < 10 else 0
        if c.value_low == c.value_high:
            return L.num(c.value_low, digits)
        return f"{L.num(c.value_low, digits)} – {L.num(c.value_high, digits)}"

    frame = pd.DataFrame(
        [
            {
                "claim": rep.t("claim.wording." + c.qualifier, value=L.num(c.claimed)),
                "id": c.claim_id,
                "against": c.compared_with,
                "value": fmt_value(c),
                "verdict": rep.t("verdict." + c.verdict),
            }
            for c in checks
        ]
    )
    return Table(
        frame,
        columns(
            rep.t,
            [
                ("claim", "claim.col.claim"),
                ("id", "table.ref"),
                ("against", "claim.col.against"),
                ("value", "claim.col.value", str, True),
                ("verdict", "claim.col.verdict"),
            ],
        ),
        caption=rep.t("claim.caption"),
        note=rep.t("claim.rule"),
    )


def chart(rep: Report, a: OnlineAnswer) -> Chart | Html:
    if not a.available:
        return Html("")
    L = rep.lang
    bars = []
    if a.baseline is not None:
        label = rep.compare_period + (" *" if a.baseline_is_claim else "")
        bars.append((label, "vdab_platform", a.baseline.value))
    for channel, q in a.channels.items():
        bars.append((rep.period, channel, q.value))
    measures.same_series([a.baseline] * (a.baseline is not None) + list(a.channels.values()))
    frame = pd.DataFrame(bars, columns=["period", "channel", "n"])
    frame["channel"] = frame["channel"].map(lambda c: rep.t("channel." + c))
    fig, ax = charts.figure(7.5, 3.6)
    pivot = frame.pivot_table(index="period", columns="channel", values="n", aggfunc="sum", sort=False).fillna(0)
    bottom = None
    for i, column in enumerate(pivot.columns):
        ax.barh(pivot.index, pivot[column], left=bottom, label=column, color=charts.PALETTE[i])
        bottom = pivot[column] if bottom is None else bottom + pivot[column]
    for y, value in enumerate(bottom):
        ax.text(value, y, "  " + L.num(value), va="center", fontsize=9)
    ax.set_xlabel(rep.t("unit.enrolments"))
    ax.set_ylabel("")
    ax.invert_yaxis()
    ax.set_xlim(0, float(bottom.max()) * 1.18)
    ax.xaxis.set_major_formatter(lambda v, _: L.num(v))
    # Legend between title and bars; the footnote hangs below the axis label, so neither can cover the other.
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, frameon=False)
    ax.set_title(rep.t("q1.chart.title"), pad=30)
    if a.baseline_is_claim:
        ax.annotate(
            "* " + rep.t("q1.chart.claim_note"),
            xy=(0.5, 0),
            xycoords=ax.xaxis.label,
            xytext=(0, -6),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=8,
        )
    return Chart(fig, rep.t("q1.chart.alt", period=rep.period, compare=rep.compare_period))


def caveats(rep: Report, a: OnlineAnswer) -> Html:
    extra = []
    for q in [a.baseline] if a.baseline is not None else []:
        extra.extend(esc(s) for s in q.assumptions)
    return rep.caveats(extra)


def key_figures(a: OnlineAnswer) -> dict[str, object]:
    if not a.available:
        return {"available": False}
    out = {f"enrolments_{c}": int(q.value) for c, q in a.channels.items()}
    out["enrolments_total"] = int(a.total.value)
    if a.partner_share_pct is not None:
        out["partner_share_pct"] = round(a.partner_share_pct, 1)
    if a.ratio_low is not None:
        out["ratio_to_compare_year"] = f"{a.ratio_low:.2f}-{a.ratio_high:.2f}"
    out.update({f"claim_{c.claim_id}_{i}": c.verdict for i, c in enumerate(a.claim_checks)})
    return out
