"""Catalogue keys completed at run time: each base key with every ending a call site may add.

Every key in messages.yml can be found by searching the code: either whole, where it is used, or as
a base key written whole at its call site plus one of the endings listed here. Call sites complete a
base only through :func:`key` (or :meth:`analysis.report.frame.Report.change` and
:meth:`~analysis.report.frame.Report.count`, which use it), so an ending not listed here fails at
once with a message naming the base; ``tests/test_catalogue.py`` checks both directions: every key
has a producer, and every listed ending has its key in both languages.

Where the endings are values from the data contract or the core (measures, types of hours,
verdicts), they are taken from there, so a new value needs its text here and nowhere else.
"""

from __future__ import annotations

from analysis import registry
from analysis.core import change, claims, measures
from analysis.data import schemas
from analysis.report.render import FIGURE_STATUSES, QUOTE_KINDS

#: Chosen by the direction of a change (:func:`analysis.core.change.direction`): ``Report.change``.
CHANGE = change.DIRECTIONS
#: ``Report.change`` picks this ending when old and new print alike: "stayed at X", never "from X to X".
EQUAL = "equal"
#: A change sentence that names both figures: its direction, or ``equal``.
CHANGE_OR_EQUAL = (*CHANGE, EQUAL)
#: Chosen by the CLDR plural category of a count; Dutch and English have these two: ``Report.count``.
PLURAL = ("one", "other")
#: ``Report.count`` picks this ending for 0 when a base has it: a zero is worded as none, never "0 more".
NONE = "none"
#: A count sentence that may have nothing to count.
PLURAL_OR_NONE = (NONE, *PLURAL)
#: q6's "all / none / some of the n ... match", each by plural; "both" when both of two match.
COUNT_CASES = ("both", *(f"{case}.{form}" for case in ("all", "none", "some") for form in PLURAL))
#: Each question's heading, question and notebook introduction (Report.title, analysis.report.intro).
QUESTION = ("title", "question", "shows")
#: The columns of q6's table that sets the answer against each sub-question (data/answer_scope.csv).
SCOPE_COLUMNS = ("question", "why", "follow_up")
#: The columns of q6's table of statements without a figure: the words, who said them, what the figures show.
STATEMENT_COLUMNS = ("quote", "by", "shows")
#: A statement's own texts (what the figures show is computed: its keys are written whole where it is).
STATEMENT_TEXTS = ("quote", "by")
#: A statement's texts as a whole: its own words and, for the summary that names it, its topic.
STATEMENT_KEYS = (*STATEMENT_TEXTS, "topic")
#: The "records" test against the only monthly figure in the sources, or the highest of several.
RECORD = ("one", "several")
#: Which of the two compared years the data mark provisional (q5).
PROVISIONAL = ("year", "compare", "both")

ENDINGS: dict[str, tuple[str, ...]] = {
    # each registered question's own texts; the question ids are listed in analysis.registry
    **{question.id: QUESTION for question in registry.QUESTIONS},
    # the frame's sections and the index page
    "section": ("claims",),
    "report.question_label": ("asked", "own"),
    "index.col": ("question", "answer", "files", "status", "built", "parameters", "fingerprint"),
    "build.status": ("built", "failed"),
    # the combined document: source lines, front sheet, annex
    "source_line": PLURAL,
    "source_kind": schemas.SOURCE_KINDS,
    "scope.status": schemas.SCOPE_STATUSES,
    "figure_status": FIGURE_STATUSES,
    "legend": FIGURE_STATUSES,
    "doc.front.scope_col": ("question", "status", "why"),
    "doc.chapters": PLURAL,
    "doc.annex.col": ("code", "value", "where", "chapters"),
    "doc.derived.col": ("chapter", "what", "value", "formula", "inputs"),
    "tables.derived.col": ("figure", "value", "computation", "inputs", "provisional"),
    "tables.derived.col_about": ("figure", "value", "computation", "inputs", "provisional"),
    "doc.quote": QUOTE_KINDS,
    "source.date": schemas.DATE_BASES,
    # words for values of the data contract and the core
    "channel": schemas.CHANNELS,
    "measure": (*schemas.MEASURES, *measures.DECLARED_RATIOS.values()),
    "population": schemas.CONTEXT_POPULATIONS,
    "qualified": tuple(q for q in schemas.CLAIM_QUALIFIERS if q != "exact"),
    "event": schemas.EVENTS,
    "hours": schemas.HOURS_TYPES,
    "hours_short": schemas.HOURS_TYPES,
    "dim": tuple(schemas.PROFILE_DIMENSIONS),
    "cat": tuple(f"{dim}.{cat}" for dim, cats in schemas.PROFILE_DIMENSIONS.items() for cat in cats),
    "status": (*schemas.STATUS_AT_START, "match", "mismatch", "explained", "undefined"),
    "claim.wording": schemas.CLAIM_QUALIFIERS,
    "claim.by": schemas.STATED_BY,
    "claim.figure_by": schemas.STATED_BY,
    "claim.by_short": schemas.STATED_BY,
    "claim.against": ("vdab_platform", "ratio_claimed_base", "ratio_official_base"),
    "verdict": (claims.CONSISTENT, claims.INCONSISTENT, claims.UNCHECKABLE, claims.NOT_VERIFIABLE),
    "refusal": (*measures.REASONS, "other"),
    "part": ("quarter", "third", "half", "two_thirds", "three_quarters"),
    "times.more": ("2", "n"),
    "times.more_of": ("2", "n"),
    "times.more_as": ("2", "n"),
    "refusal.differs": ("measure", "population", "period", "other"),
    "group": ("physical_only", "with_home_learning", "with_training_hours", "home_only", "all"),
    "explanation": ("pct_base_new", "pct_swapped"),
    # question 1
    "q1.unit": schemas.CHANNELS,
    "q1.short.vdab": PLURAL_OR_NONE,
    "q1.short.partner": PLURAL_OR_NONE,
    "q1.quote.platform": PLURAL,
    "q1.quote.partner": PLURAL,
    "q1.short.change": CHANGE_OR_EQUAL,
    "q1.short.claim_change": CHANGE,
    "q1.finding.vdab": PLURAL,
    "q1.headline": PLURAL_OR_NONE,
    "q1.finding.change": CHANGE_OR_EQUAL,
    "q1.finding.claim": CHANGE,
    # question 3
    "q3.origin": ("records", "counts"),
    # question 4
    "q4.short.partial": ("both", *schemas.STATUS_AT_START, "none"),
    # question 5
    "q5.short.lead": PLURAL_OR_NONE,
    "q5.short.total_change": CHANGE_OR_EQUAL,
    "q5.short.physical": CHANGE_OR_EQUAL,
    "q5.short.home": CHANGE_OR_EQUAL,
    "q5.short.training_hours": CHANGE_OR_EQUAL,
    "q5.short.month": CHANGE_OR_EQUAL,
    "q5.short.share": CHANGE_OR_EQUAL,
    "q5.short.offset": PLURAL,
    "q5.short.no_offset": ("down", "same"),
    "q5.short.offset_whole": ("all", "more"),
    "q5.short.provisional": PROVISIONAL,
    "q5.table.provisional": PROVISIONAL,
    "q5.caveat.late": PROVISIONAL,
    "q5.caveat.break_even": ("year", "compare"),
    "q5.caveat.blank": PLURAL,
    "q5.verdict": ("undecided", "no_online_growth", "physical_rose", "physical_same", "cannot_determine"),
    "q5.conclusion": ("no_online_growth", "physical_rose", "physical_same"),
    "q5.finding.total": CHANGE_OR_EQUAL,
    "q5.finding.provisional": (*PROVISIONAL, "year_gap", "compare_gap"),
    "q1.finding.base": ("minister", "question_author"),
    "q5.derived.workdays": ("some", "none"),
    "q5.weekday": PLURAL,
    "q7.conclusion.pandemic_baseline": ("after", "across"),
    "q5.caveat.weekdays": ("rest", "all"),
    "q5.quote.provisional": PROVISIONAL,
    "q5.finding.physical": CHANGE_OR_EQUAL,
    "q5.finding.home": CHANGE_OR_EQUAL,
    "q5.finding.conclusion": (
        "no_online_growth",
        "physical_rose",
        "physical_same",
        "cannot_determine",
    ),
    # question 6
    "q6.cell": (*schemas.HOURS_TYPES, "total", "online_actions"),
    "q6.cell_of": (*schemas.HOURS_TYPES, "total", "online_actions"),
    "q6.short.sums": COUNT_CASES,
    "q6.short.pcts": COUNT_CASES,
    "q6.short.explained": tuple(e for e in COUNT_CASES if not e.startswith("none.")),  # said only when some are
    "q6.short.claim": (
        "consistent",
        "consistent.other_unit",
        "inconsistent",
        "uncheckable",
        "not_verifiable",
        "not_verifiable.after",
    ),
    "q6.short.statements": PLURAL,
    "q6.scope.col": SCOPE_COLUMNS,
    "q6.statement.col": STATEMENT_COLUMNS,
    "q6.statement.records": STATEMENT_KEYS,
    "q6.statement.corona": STATEMENT_KEYS,
    "q6.statement.hours": STATEMENT_KEYS,
    # one monthly figure in the sources is "the only", several have "the highest" (analysis.questions.common.context)
    "q6.statement.records.shows_beaten": RECORD,
    "q6.statement.records.shows_open": RECORD,
    "q6.hybrid": CHANGE_OR_EQUAL,
    "q6.hybrid_summary": ("supported", "not_supported"),
    "q1.caveat.longer": CHANGE,
    "q5.headline.provisional": PROVISIONAL,
    "q5.chart.alt_provisional": PROVISIONAL,
    # question 7
    "q7.short.long": CHANGE_OR_EQUAL,
    "q7.check.trend": CHANGE_OR_EQUAL,
    "q7.check.offer": CHANGE_OR_EQUAL,
    "q7.check.trend_caveat": ("high_base", "other"),
    "q7.check.record_beaten": RECORD,
    "q7.check.record_open": RECORD,
    "q7.check.record_relation": ("below", "within"),
    "q7.check.record_base": ("above", "below", "within"),
    "q6.finding.sums_ok": PLURAL,
    "q6.finding.sums_bad": PLURAL,
    "q6.finding.pcts_ok": PLURAL,
    "q6.finding.base_new_all": PLURAL,
    "q6.headline.base_new": PLURAL,
    "q6.finding.base_new_some": PLURAL,
    "q6.finding.pcts_bad": PLURAL,
}


def key(base: str, ending: str) -> str:
    """``base.ending``, refused unless ``ending`` is one of the endings listed for ``base`` above."""
    endings = ENDINGS.get(base)
    if endings is None:
        raise KeyError(f"message base {base!r} is not listed in analysis.report.keys.ENDINGS")
    if ending not in endings:
        raise KeyError(f"message {base}.{ending}: {ending!r} is not a listed ending of {base!r} ({', '.join(endings)})")
    return f"{base}.{ending}"
