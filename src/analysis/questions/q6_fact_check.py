"""Question 6: checking the figures in the answer, every derived figure recomputed from its parts.

Published totals and percentage differences (data/published_derived.csv) are never used as
inputs: each is recomputed from the underlying official figures, compared at the precision
it was published with, and, when it does not match, tested against the other conventions a
writer may have used so the likely explanation can be named.

The chapter is written in a neutral voice: it says what the figures show and what the answer does
and does not contain, attributes every statement to whoever made it (the minister, as the question
reports it, or the member who asked), and quotes only words that stand in the source.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core import change, claims, measures
from analysis.core.measures import Quantity
from analysis.questions.common import contact, context, online
from analysis.report import wording
from analysis.report.frame import Report
from analysis.report.keys import SCOPE_COLUMNS, STATEMENT_COLUMNS, STATEMENT_TEXTS, key
from analysis.report.narrative import Figure, names
from analysis.report.render import SCOPE_MIME, Column, Html, Table, Value, esc, para, plain_text, shared
from analysis.report.tabular import NOT_APPLICABLE, OBSERVED, RECOMPUTED, VERIFIED

MATCH, MISMATCH, EXPLAINED, UNDEFINED = "match", "mismatch", "explained", "undefined"

#: The fixed caveats of this report (message keys), before those found at run time.
CAVEATS = ("q6.caveat.1",)
#: Per source, its statements without a figure (message bases, each with the endings of STATEMENT_COLUMNS): with the
#: quoted figures of claims.csv they make the complete inventory of the statements the source holds.
STATEMENTS = {"wq-question": ("q6.statement.records", "q6.statement.corona"), "wq-answer": ("q6.statement.hours",)}

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
    old: float | None = None  # for a percentage difference: the values it compares
    new: float | None = None
    months: tuple[int, ...] = ()  # the months of its underlying figures (none for the online actions)
    cell: str = ""  # what it counts: a type of hours, 'total' or 'online_actions' (see :func:`label`)
    years: tuple[int, ...] = ()  # the years of its underlying figures: one for a total, two for a change
    imputed: bool = False  # a part is a cell the source left empty, its value derived from this very total


def _figures(rep: Report) -> dict[str, tuple[Quantity, int | None, int | None]]:
    """Every underlying official figure by id, with (year, month) when it is monthly."""
    out = {}
    for _, r in rep.data["contact_actions"].iterrows():
        out[r.figure_id] = (contact.quantity(r), int(r.year), int(r.month))
    for _, r in rep.data["online_actions"].iterrows():
        out[r.figure_id] = (Quantity.from_row(r, "online_actions_started", r.population, "actions"), None, None)
    for _, r in rep.data["online_enrolments"].iterrows():
        out[r.figure_id] = (Quantity.from_row(r, "enrolments", online.POPULATION, "enrolments"), None, None)
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
                for name, formula in ALTERNATIVES.items():
                    alt = formula(new.value, old.value)
                    if alt is not None and round(alt, 1) == round(row.value, 1):
                        explanation, status = name, EXPLAINED
                        break
        pair = (quantities[1].value, quantities[0].value) if row.operation == "pct_change" else (None, None)
        return Check(
            row.derived_id, row.operation, ops, float(row.value), row.unit, value, status, explanation, row.locator, *pair
        )

    for _, row in derived.iterrows():
        leaves = leafs(row.derived_id)
        if not all(leaf in figures and _in_scope(rep, figures[leaf]) for leaf in leaves):
            continue
        check = evaluate(row)
        check.months, check.cell, check.years = _cell(rep, leaves)
        blank = rep.data["contact_actions"].set_index("figure_id").blank_in_source
        # a total whose empty cell was filled from the total itself agrees with its parts by construction (statistician,
        # round 34): said so, not counted as an independent check
        check.imputed = row.operation == "sum" and any(bool(blank.get(leaf, False)) for leaf in leaves)
        checks.append(check)
        rep.cite(derived.loc[[row.derived_id]], "derived_id")
        for leaf in leaves:
            frame = _frame_of(rep, leaf)
            rep.cite(frame[frame.figure_id == leaf])
    return checks


def _cell(rep: Report, leaves: list[str]) -> tuple[tuple[int, ...], str, tuple[int, ...]]:
    """Where a derived figure sits in the source: its months, type of hours ('total' for several) and years."""
    frame = rep.data["contact_actions"].set_index("figure_id")
    monthly = [leaf for leaf in leaves if leaf in frame.index]
    if not monthly:
        return (), "online_actions", ()
    months = tuple(sorted({int(frame.loc[leaf].month) for leaf in monthly}))
    types = {frame.loc[leaf].hours_type for leaf in monthly}
    years = tuple(sorted({int(frame.loc[leaf].year) for leaf in monthly}))
    return months, types.pop() if len(types) == 1 else "total", years


def _frame_of(rep: Report, figure_id: str) -> pd.DataFrame:
    for name in ("contact_actions", "online_actions", "online_enrolments"):
        frame = rep.data[name]
        if figure_id in set(frame.figure_id):
            return frame
    raise KeyError(figure_id)


def claim_checks(rep: Report) -> list[claims.ClaimCheck]:
    a = online.compute(rep)
    return a.claim_checks if a.available else []


def label(rep: Report, c: Check) -> str:
    """A derived figure in words: 'January, training hours only' or 'February 2021, total' (a total is of one year: two
    rows 'January, total' differed only in a column the reader had to look up; editor, round 27)."""
    what = rep.t(key("q6.cell", c.cell))
    if not c.months:
        return what
    when = rep.lang.months_label(list(c.months))
    return f"{when} {c.years[0]}, {what}" if len(c.years) == 1 else f"{when}, {what}"


def where_phrase(rep: Report, c: Check) -> str:
    """The same cell as a phrase for a sentence: 'voor januari bij de acties met enkel opleidingsuren' (a table's row
    label read as a noun broke the summary's sentence; editor, round 25)."""
    what = rep.t(key("q6.cell_of", c.cell))
    if c.months:
        return rep.t("q6.finding.where.month", when=rep.lang.months_label(list(c.months)), what=what)
    return rep.t("q6.finding.where.all", what=what)


def summary(checks: list[Check]) -> dict[str, int]:
    counts = {MATCH: 0, EXPLAINED: 0, MISMATCH: 0, UNDEFINED: 0}
    for c in checks:
        counts[c.status] += 1
    return counts


def figures(checks: list[Check], claim_list: list[claims.ClaimCheck]) -> list[Figure]:
    """Every figure q6 computes or audits, for the narrative check."""
    out = []
    for c in checks:
        out.append(Figure(c.published, "pct" if c.unit == "pct" else "count"))
        if c.recomputed is not None:
            out.append(Figure(c.recomputed, "pct" if c.unit == "pct" else "count"))
        for v in (c.old, c.new):
            if v is not None:
                out.append(Figure(v))
        if c.old and c.new is not None:
            out.append(Figure(c.new / c.old, "ratio"))
    counts = [len(checks), len(claim_list)]
    for group in (_sums(checks), _pcts(checks)):
        counts += [len(group)] + [sum(c.status == s for c in group) for s in (MATCH, EXPLAINED, MISMATCH, UNDEFINED)]
    counts += [sum(c.verdict == v for c in claim_list) for v in (claims.CONSISTENT, claims.INCONSISTENT, claims.NOT_VERIFIABLE)]
    counts += [sum(c.verdict in claims.VERIFIED for c in claim_list), sum(c.verdict == claims.UNCHECKABLE for c in claim_list)]
    out.extend(Figure(n) for n in counts)
    out.append(Figure(100.0, "pct"))  # the limit a percentage fall cannot pass, named in the text
    return out


def claim_values(claim_list: list[claims.ClaimCheck]) -> list[Figure]:
    """The official values the summary names beside each quoted statement (a range for a ratio on a rounded base)."""
    out = []
    for c in claim_list:
        out.append(Figure(c.claimed, "ratio" if c.claimed < 10 else "count"))
        for v in (c.value_low, c.value_high):
            if v is not None:
                out.append(Figure(v, "ratio" if c.claimed < 10 else "count"))
    return out


def _sums(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.operation == "sum"]


def _pcts(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.operation == "pct_change"]


def count_sentence(rep: Report, base: str, ok: int, n: int, **values) -> str:
    """'All five totals ...' / 'None of the eight ...' / 'Three of the eight ...' / 'The one total ...': never '0 of 0'.

    The endings are :data:`analysis.report.keys.COUNT_CASES`: all, none or some, each by the plural
    category of the number it counts, and 'both' for two out of two (CLDR has no dual). Counts up to
    nineteen are words (:meth:`Lang.count`).
    """
    L = rep.lang
    if n == 0:
        return ""
    if ok == n == 2:
        ending = "both"
    else:
        case = "all" if ok == n else "none" if ok == 0 else "some"
        ending = f"{case}.{wording.plural(L, ok if case == 'some' else n)}"
    return rep.th(key(base, ending), n=L.count(n), ok=L.count(ok), **values)


def sources_of_period(rep: Report) -> set[str]:
    """The sources this report cites for figures of its own period (the year it reports on, not the comparison year).

    A source's answer-against-question rows and its statements without a figure are about the period that source
    reports on: another period's report may cite the same source for its comparison year, and then they do not apply.
    """
    bounds = rep.period_bounds(rep.year)
    own: set[str] = set()
    contact = rep.data["contact_actions"]
    own |= set(contact[(contact.year == rep.year) & contact.month.isin(rep.months)].source_id)
    if bounds is not None:
        for name in ("online_enrolments", "online_actions", "claims"):
            frame = rep.data[name]
            own |= set(frame[(frame.period_start == bounds[0]) & (frame.period_end == bounds[1])].source_id)
    return own & {c.source_id for c in rep.citations.values()}


def _statement_rows(rep: Report) -> list[dict[str, str]]:
    """The statements without a figure of each cited source (:data:`STATEMENTS`), with what the figures show."""
    rows = []
    for source_id in sorted(sources_of_period(rep)):
        for base in STATEMENTS.get(source_id, ()):
            rows.append({**{k: rep.t(key(base, k)) for k in STATEMENT_TEXTS}, "shows": _shows(rep, base)})
    return rows


def _shows(rep: Report, base: str) -> str:
    """What the figures show about a statement without a figure, computed for the report's period."""
    L = rep.lang
    if base == "q6.statement.records":
        current = online.enrolments(rep, rep.year).get("vdab_platform")
        if current is not None and current.value == 0:
            return rep.t("q6.statement.records.shows_zero", period=rep.period)
        r = context.record(rep, current) if rep.data.has("context_figures") else None
        if r is None:
            return rep.t("q6.statement.records.shows_none")
        return rep.t(
            key("q6.statement.records.shows_beaten" if r.beaten else "q6.statement.records.shows_open", r.ending),
            period=rep.period,
            average=L.num(context.readable(r.average, -2), 0 if context.readable(r.average, -2).is_integer() else 1),
            record=context.figure_words(rep, r.record),
            record_period=L.period_range(r.record.start, r.record.end),
            chapter=rep.chapter("q7"),
            called=rep.t("q6.statement.records.called") if r.called_record else "",
            unseen=rep.t("q6.statement.records.unseen", unseen=L.period_range(*r.unseen)) if r.unseen else "",
        )
    if base == "q6.statement.hours":
        hybrid = hybrid_evidence(rep)
        if hybrid is None:
            return rep.t("q6.statement.hours.shows_none", period=rep.period)
        evidence, summary = hybrid
        return f"{summary}: {evidence}. {rep.t('q6.statement.hours.shows')}"
    before = context.before_lockdown(rep)
    return rep.t("q6.statement.corona.shows_before" if before else "q6.statement.corona.shows", compare=rep.compare_period)


def _statement_bases(rep: Report) -> list[str]:
    return [base for source_id in sorted(sources_of_period(rep)) for base in STATEMENTS.get(source_id, ())]


def claim_sentence(rep: Report, c: claims.ClaimCheck, i: int, claim_list: list[claims.ClaimCheck]) -> str:
    """One quoted statement by name, with what the official figures show about it.

    A statement whose base is the rounded figure the sentence before could not check says 'that figure':
    the reader has just been told why there is nothing to check it against.
    """
    L = rep.lang
    row = online.compute(rep).claim_rows.get(c.claim_id)
    quote = str(row.quote) if row is not None else ""
    by = rep.t(key("claim.by_short", str(row.stated_by))) if row is not None else ""
    value = ""
    if c.value_low is not None and c.value_high is not None:
        digits = 2 if c.claimed < 10 else 0
        value = L.num(c.value_low, digits) if c.value_low == c.value_high else L.ratio_range(c.value_low, c.value_high, digits)
    after_uncheckable = i > 0 and claim_list[i - 1].verdict == claims.UNCHECKABLE
    case = c.verdict + (".after" if c.verdict == claims.NOT_VERIFIABLE and after_uncheckable else "")
    if c.verdict == claims.CONSISTENT and row is not None and row.unit == "trainings":
        case += ".other_unit"  # the number holds; the statement's 'trainings followed' are read as enrolments
    return rep.th(key("q6.short.claim", case), quote=quote, by=by, value=value, reading=online.reading(rep, c, row))


def short_answer(rep: Report, checks: list[Check], claim_list: list[claims.ClaimCheck]) -> Html:
    findings(rep, checks, claim_list)
    L = rep.lang
    if not checks and not claim_list:
        return rep.no_answer(rep.t("q6.not_in_data", period=rep.period, compare=rep.compare_period))
    sums, pcts = _sums(checks), _pcts(checks)
    first = [
        t
        for t in (
            count_sentence(rep, "q6.short.sums", sum(c.status == MATCH for c in sums), len(sums)),
            count_sentence(rep, "q6.short.pcts", sum(c.status == MATCH for c in pcts), len(pcts)),
        )
        if t
    ]
    unmatched = [c for c in pcts if c.status != MATCH]
    explained = [c for c in unmatched if c.status == EXPLAINED]
    base_new = any(c.explanation == "pct_base_new" for c in pcts)
    if explained and not (base_new and len(explained) == len(unmatched)):
        # said only when the base explains not all of them: otherwise the next sentence says how
        first.append(count_sentence(rep, "q6.short.explained", len(explained), len(unmatched)))
    if base_new:
        first.append(rep.th("q6.short.base_new", year=rep.year, compare=rep.compare_year))
        impossible = sorted((c for c in pcts if c.published < -100 and c.recomputed is not None), key=lambda c: c.published)
        if impossible:
            c = impossible[0]
            first.append(
                rep.th(
                    "q6.short.impossible",
                    value=L.pct(c.published),
                    where=label(rep, c),
                    recomputed=L.pct(c.recomputed),
                    compare=rep.compare_year,
                )
            )
        capped = sorted(
            (c for c in pcts if c.explanation == "pct_base_new" and c.old and c.new / c.old >= 2), key=lambda c: -c.new / c.old
        )
        if capped:
            c = capped[0]
            first.append(
                rep.th(
                    "q6.short.rise_capped",
                    year=rep.year,
                    compare=rep.compare_year,
                    value=L.pct(c.published),
                    where=label(rep, c),
                    old=L.num(c.old),
                    new=L.num(c.new),
                    times=wording.multiple_words(L, c.new / c.old),
                    limit=L.pct(100.0, 0),
                )
            )
    circular = [c for c in sums if c.imputed and c.status == MATCH]
    if circular and first:
        when = rep._and([f"{L.months_label(list(c.months))} {c.years[0]}" for c in circular if len(c.years) == 1])
        first.insert(1, rep.th("q6.short.sum_imputed", when=when))
    parts = [" ".join(first)] if first else []
    if claim_list:
        parts.append(" ".join(claim_sentence(rep, c, i, claim_list) for i, c in enumerate(claim_list)))
    statements = _statement_rows(rep)
    if statements:
        topics = rep._and([rep.t(key(base, "topic")) for base in _statement_bases(rep)])
        parts.append(rep.count("q6.short.statements", len(statements), topics=topics))
    quoted = [f for row in online.compute(rep).claim_rows.values() for f in names(str(row.quote), L)]
    return rep.short_answer(parts, figures(checks, claim_list) + quoted + claim_values(claim_list))


def findings(rep: Report, checks: list[Check], claim_list: list[claims.ClaimCheck]) -> None:
    """The key finding for the front sheet: do the answer's totals and percentages hold, and if not, why; and, when
    the totals hold and every percentage rests on the later year, that as the bottom line for the summary's opening
    (the finding then says what it does to the figures, with an example, instead of saying it again)."""
    L = rep.lang
    sums, pcts = _sums(checks), _pcts(checks)
    sentences: list[str] = []
    years = {"year": rep.year, "compare": rep.compare_year}
    if sums:
        bad = sum(c.status != MATCH for c in sums)
        if not bad:
            sentences.append(rep.count("q6.finding.sums_ok", len(sums), n=L.count(len(sums))))
        elif len(sums) == 1:
            sentences.append(rep.th("q6.finding.sum_wrong"))
        else:
            sentences.append(rep.count("q6.finding.sums_bad", bad, n=L.count(len(sums)), bad=L.count(bad)))
    example: dict[str, str] | None = None
    if pcts:
        base_new = [c for c in pcts if c.explanation == "pct_base_new"]
        other = [c for c in pcts if c.status != MATCH and c.explanation != "pct_base_new"]
        if not base_new and not other:
            sentences.append(rep.count("q6.finding.pcts_ok", len(pcts), n=L.count(len(pcts))))
        if base_new:
            if len(base_new) == len(pcts):
                sentences.append(rep.count("q6.finding.base_new_all", len(pcts), n=L.count(len(pcts)), **years))
            else:
                n, k = L.count(len(pcts)), L.count(len(base_new))
                sentences.append(rep.count("q6.finding.base_new_some", len(base_new), n=n, k=k, **years))
            shown = [c for c in base_new if c.recomputed is not None and c.old]
            if shown:
                # the one a reader sees at once: an impossible fall, else the largest gap
                c = min(shown, key=lambda c: (c.published >= -100, -abs(c.published - c.recomputed)))
                example = {
                    "value": L.pct(c.published),
                    "where": where_phrase(rep, c),
                    "recomputed": wording.change_text(L, c.old, c.new),
                    "compare": str(rep.compare_year),
                }
                sentences[-1] += " " + rep.th("q6.finding.example", **example)
        if other:
            if len(pcts) == 1:
                sentences.append(rep.th("q6.finding.pct_wrong"))
            else:
                sentences.append(rep.count("q6.finding.pcts_bad", len(other), n=L.count(len(pcts)), bad=L.count(len(other))))
    if pcts and any(c.status != MATCH for c in pcts) and sums:
        sentences = [*sentences[1:], sentences[0]]  # what does not hold first, the totals that do after it
    if pcts and sums and all(c.status == MATCH for c in sums) and all(c.explanation == "pct_base_new" for c in pcts):
        values = {"n": L.count(len(pcts)), **years}
        rep.headline(rep.count("q6.headline.base_new", len(pcts), **values), figures(checks, claim_list))
        sentences = [rep.th("q6.finding.effect", **years)]
        if example is not None:
            sentences.append(rep.th("q6.finding.example_sentence", **example))
    if sentences:
        # the parts are clauses of the catalogue, in lower case: each becomes a sentence of its own
        text = " ".join(s[0].upper() + s[1:] + "." for s in sentences)
        rep.finding(text, [*figures(checks, claim_list), Figure(1, "label")], ["official", "recomputed"])  # 'Table 1'
    if pcts and any(c.explanation == "pct_base_new" for c in pcts):
        # for the dossier's guide to quoting: the published percentages are no changes against the earlier year
        text = rep.th("q6.quote.base_new", year=rep.year, compare=rep.compare_year, chapter=rep.chapter("q6"))
        labels = [Figure(rep.chapter_number("q6"), "label"), Figure(1, "label")]  # 'chapter 6', the answer's 'Table 1'
        rep.quote_note("not_official", text, [*figures(checks, claim_list), *labels])


def table(rep: Report, checks: list[Check]) -> Html | Table:
    if not checks:
        return rep.checked(para(rep.th("q6.table.none", period=rep.period, compare=rep.compare_period)))
    L = rep.lang

    def published(c: Check) -> str:
        return L.pct(c.published) if c.unit == "pct" else L.num(c.published)

    def unit(c: Check) -> str:
        """What the figure counts, in words (the published unit; actions are online or contact ones by their figures)."""
        if c.unit == "enrolments":
            return rep.t("measure.enrolments")
        return rep.t("measure.online_actions_started") if c.cell == "online_actions" else rep.t("measure.contact_actions_started")

    def published_raw(c: Check) -> Value:
        """The figure as the answer prints it: verified when the recomputation reproduces it."""
        status = VERIFIED if c.status == MATCH else OBSERVED
        if c.unit == "pct":
            return Value(c.published, "%", 1, False, refs=(c.derived_id,), status=status)
        return Value(c.published, unit(c), 0, refs=(c.derived_id,), status=status)

    def recomputed_raw(c: Check) -> Value:
        """The figure recomputed from its operands (their ids): a relative change also as the ratio of its two values."""
        refs = tuple(c.operands)
        if c.recomputed is None:  # a change from a base of 0 has no percentage: not applicable (statistician, round 36)
            return Value(None, "%" if c.unit == "pct" else unit(c), refs=refs, status=NOT_APPLICABLE)
        if c.unit != "pct":
            return Value(c.recomputed, unit(c), 0, refs=refs, status=RECOMPUTED)
        pct = wording.change_pct(c.old, c.new) if c.old else c.recomputed
        ratio = c.new / c.old if c.old and c.new is not None else None
        return Value(pct, "%", 1, True, ratio=ratio, refs=refs, status=RECOMPUTED)

    def recomputed(c: Check) -> str:
        if c.recomputed is None:
            return rep.t("table.no_base")
        if c.unit == "pct":
            return wording.change_text(L, c.old, c.new) if c.old else L.pct(c.recomputed, signed=True)
        return L.num(c.recomputed)

    frame = pd.DataFrame(
        [
            {
                "what": label(rep, c),
                "where": c.locator,
                "published": published(c),
                "recomputed": recomputed(c),
                "published_raw": published_raw(c),
                "recomputed_raw": recomputed_raw(c),
                "status": rep.t("q6.status_imputed") if c.imputed and c.status == MATCH else rep.t(key("status", c.status)),
                "why": rep.t(key("explanation", c.explanation), year=rep.year, compare=rep.compare_year)
                if c.explanation
                else ("" if c.status == MATCH else rep.t("explanation.none")),
                "id": c.derived_id,
            }
            for c in checks
        ]
    )
    # one explanation for every figure that differs: said once under the table, not in each row
    whys = [w for c, w in zip(checks, frame.why) if c.status != MATCH]
    same = len(whys) > 1 and len(set(whys)) == 1 and all(c.explanation for c in checks if c.status != MATCH)
    note = rep.t("q6.table.note")
    if same:
        note += " " + rep.t("q6.table.same_why", n=L.count(len(whys)), why=whys[0][:1].lower() + whys[0][1:])
    return rep.checked(
        Table(
            frame,
            [
                Column("what", rep.t("q6.col.figure")),
                Column("where", rep.t("q6.col.what")),
                Column("published", rep.t("q6.col.published"), numeric=True, raw="published_raw"),
                Column("recomputed", rep.t("q6.col.recomputed"), numeric=True, raw="recomputed_raw"),
                Column("status", rep.t("q6.col.status")),
                # no column of explanations when one note gives it, or when every figure matches (scenario read,
                # round 43: six empty cells)
                *([] if same or not whys else [Column("why", rep.t("q6.col.why"))]),
                Column("id", rep.t("table.ref"), ref=True),
            ],
            caption=rep.t("q6.table.caption"),
            note=note,
            row_classes=["ok" if c.status == MATCH else "flag" for c in checks],
        )
    )


def claims_section(rep: Report, claim_list: list[claims.ClaimCheck]) -> Html:
    """The quoted statements (or one line saying there are none), those without a figure, then whether each answer
    answers its question."""
    if not claim_list:
        out = rep.section("claims") + rep.checked(para(rep.th("claim.none", period=rep.period)))
    else:
        answer = online.compute(rep)
        rep.allow(online.figures(rep, answer))
        out = rep.section("claims") + online.shared_claim_table(rep, claim_list, answer.claim_rows)
    return out + statements_table(rep) + scope_section(rep)


def statements_table(rep: Report) -> Html | Table:
    """The statements of the cited sources that carry no figure: who made them, and what the figures can show."""
    rows = _statement_rows(rep)
    if not rows:
        return Html("")
    return rep.checked(
        Table(
            pd.DataFrame(rows),
            [Column(k, rep.t(key("q6.statement.col", k))) for k in STATEMENT_COLUMNS],
            caption=rep.t("q6.statement.caption"),
        )
    )


def hybrid_evidence(rep: Report) -> tuple[str, str] | None:
    """What Table 1 shows about actions with home-learning hours (types 1 and 3) in the report's months, and the
    summary that follows from it; None when those months are not in the data."""
    frame = rep.data["contact_actions"]
    rows = frame[frame.month.isin(rep.months) & frame.hours_type.isin(("training_and_home", "home_only"))]
    old = rows[rows.year == rep.compare_year]
    new = rows[rows.year == rep.year]
    if old.empty or new.empty:
        return None
    o, n = float(old.actions.sum()), float(new.actions.sum())
    L = rep.lang
    evidence = rep.change(
        "q6.hybrid", o, n, old=L.num(o), new=L.num(n), change=wording.change_text(L, o, n) or rep.t("table.no_base")
    )
    summary = rep.t(key("q6.hybrid_summary", "supported" if change.direction(o, n) == change.UP else "not_supported"))
    return plain_text(evidence), summary


def scope(rep: Report) -> list[dict]:
    """Per sub-question of the written question, whether the answer answers it (data/answer_scope.csv).

    A judgement about a source document, not about a period: rows are shown only for the answers this
    report cites for its own period (:func:`sources_of_period`), so another period's answer does not inherit
    them. Each row in the reader's language, with its status and the report (chapter) that treats the
    sub-question. The answer's remark about home-learning hours is a statement (:data:`STATEMENTS`), not a row here.
    """
    frame = rep.data["answer_scope"] if rep.data.has("answer_scope") else None
    if frame is None:
        return []
    code = rep.lang.code
    rows = []
    for _, r in frame[frame.source_id.isin(sources_of_period(rep))].iterrows():
        follow_up, check_first = r[f"follow_up_{code}"], r.get(f"check_first_{code}")
        rows.append(
            {
                "report": rep.question,
                "lang": code,
                "source_id": str(r.source_id),
                "sub_question": str(r.sub_question),
                "chapter": str(r.report),
                "question": str(r[f"question_{code}"]),
                "status": str(r.status),
                "status_text": rep.t(key("scope.status", r.status)),
                "why": str(r[f"why_{code}"]),
                "follow_up": follow_up if isinstance(follow_up, str) else "",
                "check_first": check_first if isinstance(check_first, str) else "",
                "priority": "" if pd.isna(r.get("priority")) else str(int(r["priority"])),
            }
        )
    return rows


def scope_section(rep: Report) -> Html:
    """The answer set against each sub-question of the written question, as a table and as records (``SCOPE_MIME``)."""
    records = rows = scope(rep)
    if not rows:
        return Html("")
    frame = pd.DataFrame(
        [
            {
                "question": f"{r['sub_question']}. {r['question']}",
                "why": f"{r['status_text'].capitalize()}. {r['why']}",  # 'Deels. Niet in de standaardrapportering; …'
                "follow_up": r["follow_up"],
            }
            for r in rows
        ]
    )
    table = Table(
        frame,
        [Column(k, rep.t(key("q6.scope.col", k))) for k in SCOPE_COLUMNS],
        caption=rep.t("q6.scope.caption"),
        row_classes=["ok" if r["status"] == "yes" else "flag" for r in rows],
        source="",  # our reading of the answer: no figures, so no source line
    )
    # the dossier's summary shows the same rows (from the SCOPE records): there this table becomes a pointer
    heading = Html(f"<h2>{esc(rep.t('q6.scope.heading'))}</h2>")
    shown = shared(rep.t("q6.scope.shared_what"), heading, table, in_summary=True)
    return rep.checked(Html.carrying("", {SCOPE_MIME: records}) + shown)


def caveats(rep: Report) -> Html:
    """The precision of the comparison only: the quoted base's limits are said in chapter 1 and a blank source
    cell's reading under the table that shows it (chapter 5), each once in the dossier."""
    return rep.caveats(CAVEATS, [])


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
