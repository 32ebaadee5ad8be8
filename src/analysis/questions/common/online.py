"""Online enrolments in a period, on VDAB's platform and through partners, and the quoted statements about them.

Question 1 reports them; questions 2, 5, 6 and 7 set their own figures beside them. The answer
(:class:`OnlineAnswer`) holds figures and message keys only, never text in a language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.core import change, claims, measures
from analysis.core.measures import Quantity
from analysis.report import wording
from analysis.report.frame import Report
from analysis.report.i18n import TABLE
from analysis.report.keys import key
from analysis.report.narrative import Figure, names
from analysis.report.render import Html, Table, Value, columns, shared
from analysis.report.tabular import RECOMPUTED

POPULATION = "vdab_online_all_users"
CLAIM_AS_ENROLMENTS = "claim.read_as_enrolments"  # message key of the stated assumption
#: The partner-platform figure, in its own unit until the source says whether it counts enrolments or learners.
PARTNER_MEASURE = "partner_platform_learners_or_enrolments"


@dataclass
class OnlineAnswer:
    available: bool
    channels: dict[str, Quantity] = field(default_factory=dict)  # channel -> figure in the period
    baseline: Quantity | None = None  # VDAB-platform enrolments in the comparison period (official or claimed)
    baseline_is_claim: bool = False
    baseline_low: float | None = None  # the baseline's interval: a rounded claim stands for a range
    baseline_high: float | None = None
    direction: str | None = None  # change.UP / DOWN / SAME of VDAB-platform enrolments against the baseline
    ratio_low: float | None = None  # current VDAB-platform enrolments / baseline, lowest and highest
    ratio_high: float | None = None  # ... over the baseline's rounding interval
    claim_checks: list[claims.ClaimCheck] = field(default_factory=list)
    claim_rows: dict[str, pd.Series] = field(default_factory=dict)  # claim_id -> its data row (locator)


def enrolments(rep: Report, year: int, cite_channels: tuple[str, ...] = ("vdab_platform",)) -> dict[str, Quantity]:
    """Official figures per channel for the report's months of ``year`` (empty when not in the data).

    The partner-platform figure is read as its own measure: the source that gives it may count
    learners rather than enrolments, so the guard refuses to add it to the VDAB-platform enrolments.

    Only ``cite_channels`` are cited: a chapter cites the figures it shows, so that the annex's chapter
    column names only chapters where a reader finds the figure (question 1 shows the partner figure too).
    """
    bounds = rep.period_bounds(year)
    frame = rep.data["online_enrolments"]
    if bounds is None:
        return {}
    rows = frame[(frame.period_start == bounds[0]) & (frame.period_end == bounds[1])]
    rep.cite(rows[rows.channel.isin(cite_channels)])
    out = {}
    for _, r in rows.iterrows():
        measure = "enrolments" if r.channel == "vdab_platform" else PARTNER_MEASURE
        out[r.channel] = Quantity.from_row(r, measure, POPULATION, "enrolments")
    return out


def claim(rep: Report, year: int, measure: str = "online_trainings") -> tuple[pd.Series | None, Quantity | None]:
    """The quoted statement for the report's months of ``year``, read as enrolments (an assumption we state).

    The assumption travels with the figure as its message key (:data:`CLAIM_AS_ENROLMENTS`); the
    caveats translate it.
    """
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
        q = measures.reinterpret(q, measure="enrolments", reason=CLAIM_AS_ENROLMENTS)
    return row, q


def compute(rep: Report, cite_channels: tuple[str, ...] = ("vdab_platform",)) -> OnlineAnswer:
    """VDAB-platform and partner figures of the period, the comparison base, the direction and the quoted statements."""
    current = enrolments(rep, rep.year, cite_channels)
    if not current:
        return OnlineAnswer(False)
    answer = OnlineAnswer(True, channels=current)
    earlier = enrolments(rep, rep.compare_year)
    if "vdab_platform" in earlier:
        answer.baseline = earlier["vdab_platform"]
    else:
        row, answer.baseline = claim(rep, rep.compare_year)
        answer.baseline_is_claim = answer.baseline is not None
        if row is not None:
            answer.claim_rows[row.claim_id] = row
    vdab = current.get("vdab_platform")
    if answer.baseline is not None:
        answer.baseline_low, answer.baseline_high = baseline_interval(rep, answer.baseline)
    if answer.baseline is not None and vdab is not None:
        low, high = answer.baseline_low, answer.baseline_high
        answer.direction = change.interval_direction(low, high, vdab.value)
        answer.ratio_low = measures.ratio(vdab, measures.with_value(answer.baseline, high))
        answer.ratio_high = measures.ratio(vdab, measures.with_value(answer.baseline, low))
    answer.claim_checks = check_claims(rep, answer)
    return answer


def baseline_interval(rep: Report, q: Quantity) -> tuple[float, float]:
    """A rounded baseline stands for the interval its wording allows; an official one for itself."""
    if not q.rounded:
        return q.value, q.value
    row = rep.data["claims"].set_index("claim_id").loc[q.refs[0]]
    low, high, _, _ = claims.interval(row.qualifier, q.value)  # the one rounding rule (analysis.core.claims)
    return low, high


def check_claims(rep: Report, answer: OnlineAnswer) -> list[claims.ClaimCheck]:
    """The quoted statements for this period: the level of each year (against VDAB's platform), and the growth ratio.

    Every statement of the period is listed, also one that no official figure can check (the comparison
    year's level when the answer gives no figure for it), so the inventory of statements is complete.
    """
    out = []
    for year, figures in ((rep.year, answer.channels), (rep.compare_year, enrolments(rep, rep.compare_year))):
        row, _ = claim(rep, year)
        vdab = figures.get("vdab_platform")
        if row is not None:
            answer.claim_rows[row.claim_id] = row
            out.append(
                claims.check(
                    row.claim_id,
                    row.qualifier,
                    row.value,
                    vdab.value if vdab else None,
                    compared_with="vdab_platform" if vdab else "",
                    against=vdab.refs if vdab else (),
                )
            )
    ratio_row, _ = claim(rep, rep.year, "online_trainings_ratio_to_previous_year")
    if ratio_row is not None:
        answer.claim_rows[ratio_row.claim_id] = ratio_row
        out.append(
            claims.check(
                ratio_row.claim_id,
                ratio_row.qualifier,
                ratio_row.value,
                answer.ratio_low,
                answer.ratio_high,
                compared_with="ratio_claimed_base" if answer.baseline_is_claim else "ratio_official_base",
                circular=answer.baseline_is_claim,
                against=_ratio_figures(answer),
            )
        )
    return out


def _ratio_figures(answer: OnlineAnswer) -> tuple[str, ...]:
    """The ids of the two figures the growth ratio divides: VDAB's learning platform now, and the base."""
    vdab = answer.channels.get("vdab_platform")
    if vdab is None or answer.baseline is None:
        return ()
    return (*vdab.refs, *answer.baseline.refs)


def unit(a: OnlineAnswer) -> float:
    """The rounding unit of the comparison base: that of the quoted statement, 0 for an official figure."""
    return claims.rounding_unit(a.baseline.value) if a.baseline_is_claim else 0.0


# ---------------------------------------------------------------------------- presentation shared by q1, q5 and q6
def figures(rep: Report, a: OnlineAnswer) -> list[Figure]:
    """Every figure of the online answer, for the narrative check (the words the source is quoted with are labels)."""
    L = rep.lang
    out = [Figure(q.value) for q in a.channels.values()]
    if a.baseline is not None:
        out.append(Figure(a.baseline.value, low=a.baseline_low, high=a.baseline_high, unit=unit(a)))
    vdab = a.channels.get("vdab_platform")
    if vdab is not None and a.baseline is not None and a.ratio_low is not None:
        out.append(Figure(a.ratio_low, "ratio", low=a.ratio_low, high=a.ratio_high, unit=0.01))
        out.append(Figure(a.ratio_high, "ratio"))
        for base in {a.baseline_low, a.baseline_high}:
            if base:
                out.append(Figure((vdab.value / base - 1.0) * 100.0, "pct"))
    for c in a.claim_checks:
        out.append(Figure(c.claimed, "ratio" if c.claimed < 10 else "count"))
        if c.claimed < 10:
            out.append(Figure(c.claimed))
    for row in a.claim_rows.values():
        out += names(str(row.quote), L)
    return out


def figure_by(rep: Report, q: Quantity, a: OnlineAnswer) -> str:
    """A quoted figure with who gave it: 'the minister's 29,000, as the question quotes it'."""
    row = a.claim_rows.get(q.refs[0])
    by = str(row.stated_by) if row is not None else "question_author"
    return rep.t(key("claim.figure_by", by), value=rep.lang.num(q.value))


def evolution_text(rep: Report, a: OnlineAnswer) -> str:
    """One sentence on the change against the comparison period, worded from its direction.

    Against a rounded base from a quoted statement the sentence puts its condition first (the base must
    cover the same months and platform) and gives the ratio as the interval the base's rounding allows, to two
    decimals (one decimal would round its ends inward: 2,11 to 2,1; statistician, round 25).
    """
    L = rep.lang
    vdab = a.channels.get("vdab_platform")
    if a.baseline is None:
        return rep.th("q1.short.no_baseline", compare=rep.compare_period)
    if vdab is None:
        return rep.th("q1.short.no_current", compare=rep.compare_period)
    if not a.baseline_is_claim:
        return rep.change(
            "q1.short.change",
            a.baseline.value,
            vdab.value,
            compare=rep.compare_period,
            base=L.num(a.baseline.value),
            n=L.num(vdab.value),
            change=wording.change_text(L, a.baseline.value, vdab.value) or rep.t("q1.short.base_zero"),
        )
    if a.direction == change.UP:
        low, high = L.ratio(a.ratio_low, 2), L.ratio(a.ratio_high, 2)
        ratio = Html(rep.th("q1.short.times", low=low, high=high) if low != high else rep.th("q1.short.times_one", low=low))
        words = wording.times_over(L, a.ratio_low, a.ratio_high)
        if words:
            ratio = Html(rep.th("q1.short.times_words", words=words, interval=ratio))
    elif a.direction == change.DOWN:
        low_pct = (vdab.value / a.baseline_high - 1.0) * 100.0
        high_pct = (vdab.value / a.baseline_low - 1.0) * 100.0 if a.baseline_low else low_pct
        low, high = L.pct(low_pct, signed=True), L.pct(high_pct, signed=True)
        ratio = Html(rep.th("q1.short.lower", low=low, high=high) if low != high else rep.th("q1.short.lower_one", low=low))
    else:
        ratio = Html(rep.th("q1.short.within_rounding"))
    return rep.th(
        key("q1.short.claim_change", a.direction),
        period=rep.period,
        compare=rep.compare_period,
        base_by=figure_by(rep, a.baseline, a),
        base=L.num(a.baseline.value),
        n=L.num(vdab.value),
        ratio=ratio,
    )


def against_text(rep: Report, c: claims.ClaimCheck) -> str:
    """What a statement was checked against, in words (never a figure id)."""
    if not c.compared_with:
        return rep.t("claim.no_official")
    return rep.t(key("claim.against", c.compared_with))


def reading(rep: Report, c: claims.ClaimCheck, row: pd.Series | None) -> str:
    """How we read a statement: 'almost 63,000', 'more than 2 times as many'."""
    value = rep.lang.num(c.claimed)
    if row is not None and row.unit == "ratio":
        value = rep.t("claim.times", value=value)
    return rep.t(key("claim.wording", c.qualifier), value=value)


def shared_claim_table(rep: Report, checks: list[claims.ClaimCheck], rows: dict[str, pd.Series] | None = None) -> Html:
    """The claim table as chapters 1 and 6 both show it: the dossier prints it once and refers back (render.shared)."""
    return shared(rep.t("claim.shared_what"), claim_check_table(rep, checks, rows))


def value_raw(rep: Report, c: claims.ClaimCheck) -> Value | None:
    """The official value a statement is checked against, for the CSV files and the workbook: a number, or the range
    a ratio over a rounded base spans; its unit in words, and the ids of the figures it comes from."""
    if c.value_low is None or c.value_high is None:
        return None
    refs = c.against or None  # the official figure (or the two a ratio divides), not the statement's row
    if c.compared_with == "vdab_platform":
        return Value(c.value_low, rep.t("measure.enrolments"), refs=refs)
    # a ratio recomputed from the figures: named as such in the CSV files, not as an official value
    unit, column = rep.t("tables.unit.ratio"), rep.t("claim.col.ratio")
    if c.value_low == c.value_high:
        return Value(c.value_low, unit, refs=refs, status=RECOMPUTED, column=column)
    return Value(None, unit, low=c.value_low, high=c.value_high, refs=refs, status=RECOMPUTED, column=column)


def claim_check_table(rep: Report, checks: list[claims.ClaimCheck], rows: dict[str, pd.Series] | None = None) -> Table:
    """Each quoted statement: its words in the source and who said them, how we read it, and what the official figures show."""
    L = rep.lang
    rows = rows or {}

    def fmt_value(c: claims.ClaimCheck) -> str:
        if c.value_low is None:
            return "–"  # the column 'checked against' already says there is no official figure
        digits = 2 if c.claimed < 10 else 0
        return L.between(L.num(c.value_low, digits), L.num(c.value_high, digits), TABLE)

    frame = pd.DataFrame(
        [
            {
                "quote": rep.t(
                    "claim.quote", quote=rows[c.claim_id].quote, by=rep.t(key("claim.by", str(rows[c.claim_id].stated_by)))
                )
                if c.claim_id in rows
                else "",
                "claim": reading(rep, c, rows.get(c.claim_id)),
                "against": against_text(rep, c),
                "value": fmt_value(c),
                "verdict": rep.t(key("verdict", c.verdict)),
                "id": c.claim_id,
                "value_raw": value_raw(rep, c),
            }
            for c in checks
        ]
    )
    return rep.checked(
        Table(
            frame,
            columns(
                rep.t,
                [
                    ("quote", "claim.col.quote"),
                    ("claim", "claim.col.claim"),
                    ("against", "claim.col.against"),
                    ("value", "claim.col.value", str, True, {"raw": "value_raw"}),
                    ("verdict", "claim.col.verdict"),
                    ("id", "table.ref"),
                ],
            ),
            caption=rep.t("claim.caption"),
            note=rep.t("claim.rule"),
        )
    )
