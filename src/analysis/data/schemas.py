"""The data contract in code: every data file, its columns, their kinds and allowed values.

data/README.md describes the same contract for people; tests/test_contract.py checks
that the two agree, so the README cannot drift from what the loader enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from analysis.errors import Problem

if TYPE_CHECKING:  # the contract itself needs no pandas: the build's own process reads it without importing pandas
    import pandas as pd

PERIOD_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
#: An identifier: letters, digits, '_', '.', '-', starting with a letter or digit. Digits are spelled [0-9]:
#: \d also matches other scripts' digits (Arabic-Indic, full-width).
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.\-]*"
#: The words a true/false column may hold (in any case); files written by us hold ``true`` and ``false``.
TRUE_WORDS = ("true", "waar", "ja", "yes", "1", "y", "j")
FALSE_WORDS = ("false", "onwaar", "nee", "no", "0", "n")

CHANNELS = ("vdab_platform", "partner_platform")
HOURS_TYPES = ("training_and_home", "training_only", "home_only")
STATUS_AT_START = ("employee_or_temporarily_unemployed", "jobseeker")
DERIVED_OPERATIONS = ("sum", "pct_change")
#: ``round``: a round number the source gives without a word (the question's 29.000); read like ``about`` for its
#: interval, but never worded "about" beside the one who said it (editor, round 36).
CLAIM_QUALIFIERS = ("almost", "about", "round", "more_than", "exact")
#: Who made a statement the question quotes: the minister (as the question reports it) or the member who asked.
STATED_BY = ("minister", "question_author")
MEASURES = (
    "unique_learners",
    "enrolments",
    "courses_offered",
    "unique_participants",
    "participants_started_online",
    "participants_enrolled_online",
    "contact_actions_started",
    "contact_actions_ended",
    "online_actions_started",
)
EVENTS = ("lockdown_closure", "offices_reopen")
CONTEXT_POPULATIONS = ("vdab_online_all_users", "vdab_online_offer", "temporarily_unemployed", "vdab_all_trainees")
#: What a source is, for the reader's legend of figures (official, quoted, press): the written question, the
#: minister's answer, an annex to it, a document the answer links to, another official publication, a news article.
SOURCE_KINDS = ("question", "answer", "annex", "link", "publication", "press")
#: How a source describes a figure of its own (context_figures.csv ``described_as``): a record month, the highest so far.
FIGURE_DESCRIPTIONS = ("record",)
#: How a source's date is known (sources.csv ``date_basis``): as the source states it, worked out, or a lower bound.
DATE_BASES = ("stated", "inferred", "earliest")
#: Whether an answer answers a sub-question of the written question (data/answer_scope.csv).
SCOPE_STATUSES = ("yes", "partly", "no")

#: Categories of the participant profile (question 3) and labour-market position (question 4).
PROFILE_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "education_level": ("short", "medium", "high", "unknown"),
    "age_band": ("under_25", "25_to_57", "58_plus", "unknown"),
    "gender": ("female", "male", "other", "unknown"),
    "disability": ("yes", "no", "unknown"),
    "migration_background": ("yes", "no", "unknown"),
    "labour_market_status": (
        "jobseeker_activation",
        "temporarily_unemployed",
        "non_active",
        "working",
        "unknown",
    ),
}


@dataclass(frozen=True)
class Field:
    """One column. ``kind`` decides how a cell is parsed; the rest becomes pandera checks."""

    name: str
    kind: str  # text | id | category | count | number | bool | period | date | year | month
    description: str
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = False
    unit: str = ""

    def expected(self) -> str:
        """The plain-words expectation used in error messages and in the README."""
        kinds = {
            "text": "non-empty text",
            "id": "an identifier (letters, digits, '-', '_', no spaces)",
            "category": "one of " + ", ".join(self.allowed),
            "count": "a whole number (a count)",
            "number": "a number",
            "bool": "true or false",
            "period": "a month written YYYY-MM (month 01-12)",
            "date": "a date written YYYY-MM-DD",
            "year": "a year (four digits)",
            "month": "a month number 1-12",
        }
        return kinds[self.kind]


#: A cross-row check returns the problems it finds; it runs after the per-cell checks pass.
RowCheck = Callable[["pd.DataFrame"], list[Problem]]


@dataclass(frozen=True)
class Dataset:
    name: str
    row_means: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    optional: bool = False
    subdir: str = ""
    checks: tuple[RowCheck, ...] = field(default=())

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _source(description: str = "Source of the figure: a source_id of sources.csv.") -> Field:
    return Field("source_id", "id", description)


def _locator() -> Field:
    return Field("locator", "text", "Where in the source the figure stands (answer, table, row, column).")


def _period_fields() -> tuple[Field, Field]:
    return (
        Field("period_start", "period", "First month covered (inclusive)."),
        Field("period_end", "period", "Last month covered (inclusive)."),
    )


#: Failing rows listed per column; the rest are counted, so a bad million-row file gives a short message.
LISTED_PER_COLUMN = 5


def more_rows(column: str | None, count: int) -> Problem:
    """The line that stands for the failing rows not listed."""
    return Problem(None, column, None, f"a valid value in {count} more row(s) of this column as well (not listed)")


def _listed(bad: pd.DataFrame, column: str, problem: Callable[[int, pd.Series], Problem]) -> list[Problem]:
    """Problems for the first failing rows of a cross-row check, and a count of the others."""
    problems = [problem(int(i), r) for i, r in bad.head(LISTED_PER_COLUMN).iterrows()]
    if len(bad) > LISTED_PER_COLUMN:
        problems.append(more_rows(column, len(bad) - LISTED_PER_COLUMN))
    return problems


def check_period_order(frame: pd.DataFrame) -> list[Problem]:
    bad = frame[frame["period_start"] > frame["period_end"]]
    return _listed(
        bad,
        "period_end",
        lambda i, r: Problem(i, "period_end", r.period_end, f"a month on or after period_start {r.period_start}"),
    )


def check_course_shares(frame: pd.DataFrame) -> list[Problem]:
    total = frame["in_progress_pct"] + frame["completed_pct"]
    bad = frame[total > 100.0 + 1e-9]
    return _listed(
        bad,
        "completed_pct",
        lambda i, r: Problem(
            i,
            "completed_pct",
            r.completed_pct,
            f"in_progress_pct + completed_pct at most 100 (the parts of one course), found {r.in_progress_pct + r.completed_pct:g}",
        ),
    )


def check_participant_categories(frame: pd.DataFrame) -> list[Problem]:
    import pandas as pd

    allowed = pd.Series([f"{d}\x1f{c}" for d, cats in PROFILE_DIMENSIONS.items() for c in cats])
    pairs = frame["dimension"].astype(str) + "\x1f" + frame["category"].astype(str)
    bad = frame[~pairs.isin(allowed)]
    return _listed(
        bad,
        "category",
        lambda i, r: Problem(
            i, "category", r.category, f"for dimension {r.dimension}: one of {', '.join(PROFILE_DIMENSIONS.get(r.dimension, ()))}"
        ),
    )


def check_dimension_totals(frame: pd.DataFrame) -> list[Problem]:
    """Every dimension splits the same participants, so each must add up to the same total."""
    problems = []
    for (start, end), group in frame.groupby(["period_start", "period_end"]):
        totals = group.groupby("dimension")["participants"].sum()
        reference = int(totals.max())
        for dimension, total in totals.items():
            if int(total) != reference:
                last = group[group["dimension"] == dimension].index[-1]
                problems.append(
                    Problem(
                        int(last),
                        "participants",
                        int(total),
                        f"the categories of '{dimension}' for {start}..{end} to add up to {reference} "
                        f"(the total of '{totals.idxmax()}'); include an 'unknown' category for unrecorded values",
                    )
                )
    return problems


SOURCES = Dataset(
    "sources",
    "One publication that figures are taken from.",
    (
        Field("source_id", "id", "Short identifier that data rows refer to."),
        Field("publisher", "text", "Who published it."),
        Field("title", "text", "Title of the publication."),
        Field("date", "text", "Publication date, as precise as known (YYYY, YYYY-MM or YYYY-MM-DD)."),
        Field(
            "url",
            "text",
            "Address where it was published; empty when the source names none (a document cited for its text whose "
            "only address belongs to another document).",
            nullable=True,
        ),
        Field("note_nl", "text", "What a reader should know about the source, in Dutch (shown in Dutch reports).", nullable=True),
        Field("note_en", "text", "The same note in English (shown in English reports).", nullable=True),
        Field(
            "kind",
            "category",
            "What the source is: the written question (its figures are quoted statements), the minister's answer, "
            "an annex to it, a document the answer links to (its address is kept in the data, not printed in the "
            "reports: its owner and content may change), another official publication, or a news article.",
            allowed=SOURCE_KINDS,
        ),
        Field(
            "author_nl",
            "text",
            "Who wrote it, as the source names them, in Dutch (the minister who answers, the member who asks); "
            "empty when the source does not say.",
            nullable=True,
        ),
        Field("author_en", "text", "The same in English.", nullable=True),
        Field(
            "date_basis",
            "category",
            "Where 'date' comes from: stated in the source; inferred from elsewhere (say how in the note); or the "
            "earliest the source can date from (it is not dated, but cannot be earlier: 'on or after'). The reports "
            "word the date so wherever they show it, the cover included.",
            allowed=DATE_BASES,
        ),
    ),
    key=("source_id",),
)

ANSWER_SCOPE = Dataset(
    "answer_scope",
    "One sub-question of a written question, and whether the answer in a source answers it "
    "(a judgement about the source document, the same for every period).",
    (
        _source("The answer judged: a source_id of sources.csv."),
        Field("sub_question", "id", "The sub-question's number as the question writes it (1a, 1b, 2, ...)."),
        Field("report", "id", "The report (question id, such as q5) whose chapter treats the sub-question."),
        Field("question_nl", "text", "The sub-question in a few words, in Dutch."),
        Field("question_en", "text", "The same in English."),
        Field("status", "category", "Whether the answer answers it: yes, partly or no.", allowed=SCOPE_STATUSES),
        Field("why_nl", "text", "Why, in a few words, in Dutch."),
        Field("why_en", "text", "The same in English."),
        Field("follow_up_nl", "text", "The follow-up question (what data would settle the open point), in Dutch.", nullable=True),
        Field("follow_up_en", "text", "The same in English.", nullable=True),
        Field(
            "check_first_nl",
            "text",
            "A public document that may already settle the open point, to read before anything is asked, in Dutch.",
            nullable=True,
        ),
        Field("check_first_en", "text", "The same in English.", nullable=True),
        Field(
            "priority",
            "count",
            "Where the follow-up question comes in the dossier's summary: 1 first; empty for those that can wait.",
            nullable=True,
            minimum=1,
        ),
    ),
    key=("source_id", "sub_question"),
)

ONLINE_ENROLMENTS = Dataset(
    "online_enrolments",
    "Enrolments in online courses over a period, through one channel (official figure).",
    (
        Field("figure_id", "id", "Identifier of the figure."),
        *_period_fields(),
        Field("channel", "category", "Where learners enrolled: VDAB's own platform or a partner's.", allowed=CHANNELS),
        Field("population", "category", "Who is counted.", allowed=("all_users",)),
        Field(
            "enrolments",
            "count",
            "Number of course enrolments (one learner can enrol several times).",
            minimum=0,
            unit="enrolments",
        ),
        _source(),
        _locator(),
    ),
    key=("period_start", "period_end", "channel", "population"),
    checks=(check_period_order,),
)

ONLINE_ACTIONS = Dataset(
    "online_actions",
    "Online-learning actions started over a period by one group (official figure).",
    (
        Field("figure_id", "id", "Identifier of the figure."),
        *_period_fields(),
        Field(
            "population",
            "category",
            "Workers whose employer declared temporary unemployment since March 2020.",
            allowed=("temporary_unemployment_declared_since_2020_03",),
        ),
        Field("status_at_start", "category", "The worker's registration when the action started.", allowed=STATUS_AT_START),
        Field("actions", "count", "Number of online-learning actions started.", minimum=0, unit="actions"),
        _source(),
        _locator(),
    ),
    key=("period_start", "period_end", "population", "status_at_start"),
    checks=(check_period_order,),
)

CONTACT_ACTIONS = Dataset(
    "contact_actions",
    "Contact-learning actions (internships excluded) started by jobseekers in one month, by type of hours (official figure).",
    (
        Field("figure_id", "id", "Identifier of the figure."),
        Field("year", "year", "Calendar year.", minimum=2000, maximum=2100),
        Field("month", "month", "Calendar month.", minimum=1, maximum=12),
        Field(
            "hours_type",
            "category",
            "(1) training and home-learning hours, (2) training hours only, (3) home-learning hours only.",
            allowed=HOURS_TYPES,
        ),
        Field("actions", "count", "Number of started contact-learning actions.", minimum=0, unit="actions"),
        Field(
            "blank_in_source",
            "bool",
            "True when the source leaves the cell empty and the value follows from its total; the reports' tables then "
            "give the figure the status imputed-from-total.",
        ),
        Field(
            "provisional",
            "bool",
            "True when the source says the figure may still change (for instance through late registrations); "
            "false for a final figure. The reports' tables mark every number that rests on it provisional.",
        ),
        _source(),
        _locator(),
    ),
    key=("year", "month", "hours_type"),
)

CLAIMS = Dataset(
    "claims",
    "A figure stated in the question text: a rounded claim, never an official figure.",
    (
        Field("claim_id", "id", "Identifier of the claim."),
        *_period_fields(),
        Field(
            "measure",
            "category",
            "What the claim counts.",
            allowed=("online_trainings", "online_trainings_ratio_to_previous_year"),
        ),
        Field(
            "qualifier",
            "category",
            "How the claim is worded (almost, about, more than, exact; round: a round number without a word, read as rounded).",
            allowed=CLAIM_QUALIFIERS,
        ),
        Field("value", "number", "The claimed value, in the unit of the next column."),
        Field("unit", "category", "Unit of value.", allowed=("trainings", "ratio")),
        Field(
            "stated_by",
            "category",
            "Who made the statement: the minister (as the question reports it) or the member who asked the question.",
            allowed=STATED_BY,
        ),
        Field(
            "quote",
            "text",
            "A few of the statement's own words in the source (at most seven, no quotation marks; shown between ‘…’), as recorded in docs/style/quotes.csv.",
        ),
        _source(),
        _locator(),
    ),
    key=("claim_id",),
    checks=(check_period_order,),
)

PUBLISHED_DERIVED = Dataset(
    "published_derived",
    "A derived figure (total, percentage difference) exactly as published: for auditing, never an input.",
    (
        Field("derived_id", "id", "Identifier of the derived figure."),
        Field(
            "operation",
            "category",
            "How the source derived it: sum of operands, or percentage change of the first operand against the second.",
            allowed=DERIVED_OPERATIONS,
        ),
        Field("operands", "text", "figure_ids (or derived_ids) it is computed from, separated by spaces."),
        Field("value", "number", "The published value."),
        Field("unit", "category", "Unit of value.", allowed=("actions", "enrolments", "pct")),
        _source(),
        _locator(),
    ),
    key=("derived_id",),
)

CONTEXT_FIGURES = Dataset(
    "context_figures",
    "One published figure on VDAB online or contact learning, with what it measures, for whom and when.",
    (
        Field("figure_id", "id", "Identifier of the figure."),
        Field("measure", "category", "What is counted. Series with different measures are never combined.", allowed=MEASURES),
        Field(
            "population",
            "category",
            "Who is counted. Series with different populations are never combined.",
            allowed=CONTEXT_POPULATIONS,
        ),
        *_period_fields(),
        Field("count", "count", "The figure, a count of what 'measure' names.", minimum=0, unit="count of measure"),
        Field(
            "qualifier",
            "category",
            "How the source gives the figure: exact, or rounded as ‘ongeveer’ (about), ‘bijna’ (almost) or ‘ruim’ "
            "(more than), or round: a round number without a word, read as 'about'; a rounded figure stands for the interval its word allows (see the rounding rule below).",
            allowed=CLAIM_QUALIFIERS,
        ),
        _source(),
        _locator(),
        Field("label_nl", "text", "What the figure is, in words for a Dutch reader (used instead of figure_id in text)."),
        Field("label_en", "text", "The same label in English."),
        Field(
            "measure_assumed",
            "bool",
            "true when the source counts something it names otherwise ('opleidingen') and this dossier takes it to be "
            "'measure' (an assumption the tables mark); false when the source names the measure itself.",
        ),
        Field(
            "described_as",
            "category",
            "How the source itself describes the figure: 'record' when it calls it a record (the highest so far); "
            "empty when it says nothing of the kind.",
            allowed=FIGURE_DESCRIPTIONS,
            nullable=True,
        ),
    ),
    key=("figure_id",),
    checks=(check_period_order,),
)

CONTEXT_EVENTS = Dataset(
    "context_events",
    "A dated event that frames the figures (lockdown, reopening).",
    (
        Field("event_id", "id", "Identifier of the event."),
        Field("date", "date", "Day of the event."),
        Field("event", "category", "What happened.", allowed=EVENTS),
        _source(),
        _locator(),
    ),
    key=("event_id",),
)

COURSES = Dataset(
    "courses",
    "Optional extract: one online course with its enrolments and progress at a reporting date (the answer's annex).",
    (
        Field("course", "text", "Course title as VDAB lists it."),
        *_period_fields(),
        Field("enrolments", "count", "Enrolments in the course over the period.", minimum=0, unit="enrolments"),
        Field(
            "in_progress_pct",
            "number",
            "Share of enrolled learners still busy at the reporting date.",
            minimum=0,
            maximum=100,
            unit="%",
        ),
        Field(
            "completed_pct",
            "number",
            "Share of enrolled learners who completed the course by the reporting date.",
            minimum=0,
            maximum=100,
            unit="%",
        ),
        Field("report_date", "date", "Date the shares were measured."),
        _source(),
    ),
    key=("course", "period_start", "period_end"),
    optional=True,
    subdir="extracts",
    checks=(check_period_order, check_course_shares),
)

PARTICIPANTS = Dataset(
    "participants",
    "Optional extract, record level: one participant in online learning over a period.",
    (
        Field("participant_id", "id", "Pseudonymous identifier (never a national register number)."),
        *_period_fields(),
        Field("education_level", "category", "Short, medium or high education.", allowed=PROFILE_DIMENSIONS["education_level"]),
        Field(
            "age_years",
            "count",
            "Age at the start of the period; empty when unknown.",
            minimum=15,
            maximum=100,
            nullable=True,
            unit="years",
        ),
        Field("gender", "category", "Gender as registered.", allowed=PROFILE_DIMENSIONS["gender"]),
        Field("disability", "category", "Registered work-related disability.", allowed=PROFILE_DIMENSIONS["disability"]),
        Field(
            "migration_background",
            "category",
            "Migration background as VDAB defines it.",
            allowed=PROFILE_DIMENSIONS["migration_background"],
        ),
        Field("labour_market_status", "category", "Position at enrolment.", allowed=PROFILE_DIMENSIONS["labour_market_status"]),
        _source(),
    ),
    key=("participant_id", "period_start", "period_end"),
    optional=True,
    subdir="extracts",
    checks=(check_period_order,),
)

PARTICIPANT_COUNTS = Dataset(
    "participant_counts",
    "Optional extract, aggregated: participants over a period in one category of one dimension.",
    (
        *_period_fields(),
        Field("dimension", "category", "Which breakdown.", allowed=tuple(PROFILE_DIMENSIONS)),
        Field("category", "text", "Category within the dimension (see the table of dimensions)."),
        Field("participants", "count", "Number of participants.", minimum=0, unit="participants"),
        _source(),
    ),
    key=("period_start", "period_end", "dimension", "category"),
    optional=True,
    subdir="extracts",
    checks=(check_period_order, check_participant_categories, check_dimension_totals),
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        SOURCES,
        ONLINE_ENROLMENTS,
        ONLINE_ACTIONS,
        CONTACT_ACTIONS,
        CLAIMS,
        PUBLISHED_DERIVED,
        CONTEXT_FIGURES,
        CONTEXT_EVENTS,
        ANSWER_SCOPE,
        COURSES,
        PARTICIPANTS,
        PARTICIPANT_COUNTS,
    )
}
