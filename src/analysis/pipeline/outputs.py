"""What a built report says, as data: read from the structured outputs of its executed notebook.

Each output that a later stage needs carries, next to its HTML, a JSON record under one of the
MIME types of :mod:`analysis.report.render` (title, short answer, key findings, tables, sources,
charts, the answer's scope per sub-question).
The combined document, the index and the CSV and Excel tables read those records here and
never read the report's HTML back: the records are written by the same code that writes the
HTML, from the same values, so the two cannot disagree.

Only outputs a reader of the report sees count: cells the report hides (``HIDDEN_TAGS``) are
skipped, as the HTML export skips them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from analysis.report.render import (
    ANSWER_MIME,
    CHART_MIME,
    FINDING_MIME,
    RECORD_MIMES,
    SCOPE_MIME,
    SOURCES_MIME,
    TABLE_MIME,
    TITLE_MIME,
    printed_url,
    source_head,
    source_label,
)

#: Cells with these tags are not part of the report (the notebook's intro, the key-figure check).
HIDDEN_TAGS = ("report-hide",)


@dataclass(frozen=True)
class Paragraph:
    text: str  # as a reader sees it
    html: str  # the paragraph's inner markup, escaped, as the report shows it


@dataclass
class Answer:
    title: str
    question: str
    heading: str
    available: bool  # False: the period is not in the data, and the one paragraph says so
    paragraphs: list[Paragraph] = field(default_factory=list)

    def lead(self, chars: int) -> list[Paragraph]:
        """Whole paragraphs from the start, as many as fit in about ``chars`` characters (at least one)."""
        out: list[Paragraph] = []
        used = 0
        for paragraph in self.paragraphs:
            if out and used + len(paragraph.text) > chars:
                break
            out.append(paragraph)
            used += len(paragraph.text)
        return out


@dataclass(frozen=True)
class Finding:
    """A key finding of a report, for the dossier's front sheet (Report.finding)."""

    text: str  # as a reader sees it
    html: str  # escaped markup
    status: tuple[str, ...]  # what its figures are: official, recomputed, quoted, press, estimate
    role: str = "finding"  # or "headline", "derived", or a line of the guide to quoting: safe | with_definition | not_official
    value: str = ""  # a derived figure's value as the text shows it
    formula: str = ""  # the sum that gives a derived figure, its inputs written out
    refs: tuple[str, ...] = ()  # the codes of a derived figure's input rows
    provisional: bool = False  # a derived figure resting on a provisional one
    supporting: bool = False  # a finding that supports the main ones (a partial figure, a reason given): listed after them


@dataclass(frozen=True)
class ScopeRow:
    """One sub-question of the written question and whether the answer answers it (data/answer_scope.csv)."""

    source_id: str
    sub_question: str  # '1a'
    chapter: str  # the report that treats it ('q1')
    question: str
    status: str  # yes | partly | no
    status_text: str  # in the report's language
    why: str
    follow_up: str = ""
    priority: str = ""  # '1' first; '' when it can wait
    check_first: str = ""  # a public document that may already settle the point, to read before asking


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    numeric: bool
    unit: str = ""  # '%' for percentages (values in percent units); '' when not known
    digits: int | None = None  # decimals shown; None: as the value needs
    signed: bool = False  # a rise is shown with its '+'
    ref: bool = False  # the Ref. column


@dataclass(frozen=True)
class Cell:
    text: str  # as shown
    value: float | int | None = None  # the raw number behind a numeric cell; None for text or a hidden value
    unit: str = ""
    digits: int | None = None
    signed: bool = False
    low: float | int | None = None  # the range the cell shows ('2,11–2,19') or its rounded figure allows, if any
    high: float | int | None = None
    rounded: str = ""  # the source's word when it gives the number rounded: almost | about | more_than
    ratio: float | int | None = None  # of a relative change: the later value over its base
    status: str = ""  # what the number is: a code of analysis.report.tabular.STATUSES ('' in older records)
    provisional: bool = False  # it rests on a figure the data mark provisional
    refs: tuple[str, ...] | None = None  # the number's own figure ids, when they are not its row's
    column: str = ""  # what the number is called, when it is not its column's header


@dataclass
class Row:
    cells: list[Cell]
    refs: list[str]  # figure ids the row's Ref. cell names
    cls: str = ""

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class Table:
    caption: str
    note: str
    columns: list[Column]
    rows: list[Row]
    source_line: str = ""  # the sources in words, as under the table
    #: The record as the notebook carries it, for :mod:`analysis.report.tabular` (the CSV files and their package).
    record: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def recomputed(self) -> bool:
        """Whether some rows are computed rather than cited: a Ref. cell with text but no figure id."""
        refs = [i for i, c in enumerate(self.columns) if c.ref]
        return any(not row.refs and any(row.cells[i].text for i in refs if i < len(row.cells)) for row in self.rows)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


@dataclass(frozen=True)
class Citation:
    figure_id: str
    source_id: str
    locator: str
    value: str = ""  # the figure as its source gives it, in the report's language


@dataclass(frozen=True)
class Source:
    source_id: str
    publisher: str
    title: str
    date: str  # as in the data ('2021', '2021-04', '2021-04-08')
    date_text: str  # in words, in the report's language
    url: str
    note: str = ""
    kind: str = ""  # question | answer | annex | link | publication | press ('' in older records)
    author: str = ""  # in the report's language; '' when the source does not say

    @property
    def label(self) -> str:
        """'publisher, title (date). address': one line for a spreadsheet cell."""
        return source_label(self.publisher, self.title, self.date_text, self.url)

    @property
    def printed_url(self) -> str:
        """The address a report prints: none for a link the answer gives to a document of unknown owner (kind
        'link'), whose content can change under it; the data files keep the address."""
        return printed_url(self.kind, self.url)

    @property
    def head_html(self) -> str:
        """The source as the report lists it (escaped markup)."""
        return source_head(self.publisher, self.title, self.date_text, self.printed_url, self.note, self.author)

    @property
    def short_html(self) -> str:
        """The source in a short list: publisher, title, author, date and address, without its note."""
        return source_head(self.publisher, self.title, self.date_text, self.printed_url, "", self.author)


@dataclass
class Sources:
    heading: str
    citations: list[Citation]
    sources: dict[str, Source]  # by source id, in the report's order

    def of(self, figure_ids: list[str]) -> list[Source]:
        """The sources of these figures, each once, in the order of the figures."""
        out: list[Source] = []
        for figure in figure_ids:
            for citation in self.citations:
                source = self.sources.get(citation.source_id)
                if citation.figure_id == figure and source is not None and source not in out:
                    out.append(source)
        return out


@dataclass(frozen=True)
class Chart:
    alt: str
    source_line: str = ""


@dataclass
class Outputs:
    """Everything a later stage reads from one executed report notebook."""

    title: str = ""
    question: str = ""
    lang: str = ""
    answer: Answer | None = None
    findings: list[Finding] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sources: Sources | None = None
    charts: list[Chart] = field(default_factory=list)
    scope: list[ScopeRow] = field(default_factory=list)


def load(path: Path):
    """An executed notebook as nbformat's node, without schema validation (the runner wrote it)."""
    from nbformat import reader

    return reader.reads(Path(path).read_text(encoding="utf-8"))


def _shown(cell) -> bool:
    return cell.get("cell_type") == "code" and not set(HIDDEN_TAGS) & set(cell.get("metadata", {}).get("tags", []))


def records(nb) -> dict[str, list[dict]]:
    """Every record of the shown outputs by MIME type, in document order."""
    out: dict[str, list[dict]] = {mime: [] for mime in RECORD_MIMES}
    for cell in nb.get("cells", []):
        if not _shown(cell):
            continue
        for output in cell.get("outputs", []):
            for mime in RECORD_MIMES:
                payload = output.get("data", {}).get(mime)
                if isinstance(payload, dict):
                    out[mime].extend(payload.get("items", []))
    return out


def _table(record: dict) -> Table:
    columns = [
        Column(**{k: c[k] for k in ("key", "header", "numeric", "unit", "digits", "signed", "ref") if k in c})
        for c in record["columns"]
    ]
    rows = []
    for row in record["rows"]:
        cells = []
        for i, text in enumerate(row["cells"]):
            column = columns[i] if i < len(columns) else Column("", "", False)
            value = row["values"][i] if i < len(row.get("values", [])) else None
            own = (row.get("formats") or [None] * len(row["cells"]))[i] or {}
            cells.append(
                Cell(
                    text,
                    value,
                    own.get("unit", column.unit),
                    own.get("digits", column.digits),
                    own.get("signed", column.signed),
                    own.get("low"),
                    own.get("high"),
                    own.get("rounded") or "",
                    own.get("ratio"),
                    own.get("status") or "",
                    bool(own.get("provisional")),
                    None if own.get("refs") is None else tuple(str(r) for r in own["refs"]),
                    own.get("column") or "",
                )
            )
        rows.append(Row(cells, list(row.get("refs", [])), row.get("class", "")))
    return Table(record.get("caption", ""), record.get("note", ""), columns, rows, record.get("source_line", ""), record)


def read(nb) -> Outputs:
    """The structured outputs of an executed report notebook (a path or a loaded notebook)."""
    if isinstance(nb, (str, Path)):
        nb = load(Path(nb))
    found = records(nb)
    out = Outputs()
    for title in found[TITLE_MIME][:1]:
        out.title, out.question, out.lang = title.get("title", ""), title.get("question", ""), title.get("lang", "")
    for answer in found[ANSWER_MIME][:1]:
        out.answer = Answer(
            answer.get("title", ""),
            answer.get("question", ""),
            answer.get("heading", ""),
            bool(answer.get("available", True)),
            [Paragraph(p["text"], p["html"]) for p in answer.get("paragraphs", [])],
        )
        out.title = out.title or out.answer.title
        out.question = out.question or out.answer.question
        out.lang = out.lang or answer.get("lang", "")
    out.findings = [
        Finding(
            f.get("text", ""),
            f.get("html", ""),
            tuple(f.get("status", ())),
            f.get("role", "finding"),
            f.get("value", ""),
            f.get("formula", ""),
            tuple(f.get("refs", ())),
            bool(f.get("provisional", False)),
            bool(f.get("supporting", False)),
        )
        for f in found[FINDING_MIME]
    ]
    out.tables = [_table(t) for t in found[TABLE_MIME]]
    if found[SOURCES_MIME]:
        citations: list[Citation] = []
        sources: dict[str, Source] = {}
        for record in found[SOURCES_MIME]:
            citations += [
                Citation(c["figure_id"], c["source_id"], c["locator"], c.get("value", "")) for c in record.get("citations", [])
            ]
            for s in record.get("sources", []):
                sources.setdefault(s["source_id"], Source(**{k: v for k, v in s.items() if k in Source.__dataclass_fields__}))
        out.sources = Sources(found[SOURCES_MIME][0].get("heading", ""), citations, sources)
    out.charts = [Chart(c.get("alt", ""), c.get("source_line") or "") for c in found[CHART_MIME]]
    fields = ScopeRow.__dataclass_fields__
    out.scope = [ScopeRow(**{k: str(v) for k, v in row.items() if k in fields}) for row in found[SCOPE_MIME]]
    return out


def without(nb, mime: str):
    """A copy of the notebook without the outputs that carry ``mime`` (a chapter without its source list)."""
    copied = copy.deepcopy(nb)
    for cell in copied.get("cells", []):
        if "outputs" in cell:
            cell["outputs"] = [o for o in cell["outputs"] if mime not in o.get("data", {})]
    return copied


def without_sources(nb):
    return without(nb, SOURCES_MIME)
