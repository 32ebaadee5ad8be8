"""HTML fragments and charts that notebooks display, each with its structured form.

Everything shown in a report goes through here, so escaping happens in one place: any text
that comes from a data file passes ``html.escape`` before it reaches a page, and a value such
as ``<img src=x onerror=alert(1)>`` is shown as text. Charts are rendered to SVG with fixed
settings, so two builds give byte-identical images.

What a later stage needs from a report (its title, short answer, key findings, tables, sources,
charts, the answer's scope) travels next to the HTML as JSON under our own MIME types (``RECORD_MIMES``), through
``_repr_mimebundle_``: the runner reads those records from the executed notebook
(``analysis.pipeline.outputs``) and never reads the HTML back. Jupyter and nbconvert show the
``text/html`` of such an output; they know no renderer for these types and skip them.
"""

from __future__ import annotations

import hashlib
import html
import io
import math
import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the build's index and combined document use this module without pandas
    import pandas as pd

from analysis.core.claims import interval as rounding_interval
from analysis.report.i18n import Safe
from analysis.report.tabular import IMPUTED, MISSING, NOT_APPLICABLE, OBSERVED, RECOMPUTED, SUPPRESSED

TITLE_MIME = "application/vnd.analysis.title+json"
ANSWER_MIME = "application/vnd.analysis.answer+json"
TABLE_MIME = "application/vnd.analysis.table+json"
SOURCES_MIME = "application/vnd.analysis.sources+json"
CHART_MIME = "application/vnd.analysis.chart+json"
#: A report's key finding(s) for the dossier's front sheet, carried by its short answer (Report.finding).
FINDING_MIME = "application/vnd.analysis.finding+json"
#: Per sub-question of the written question, whether the answer answers it (data/answer_scope.csv).
SCOPE_MIME = "application/vnd.analysis.scope+json"
#: A block that more than one report shows word for word (``{"key": hash of its HTML, "what": what it holds,
#: "html": its markup}``): the dossier prints it once and refers back to it where it comes again (:func:`shared`).
SHARED_MIME = "application/vnd.analysis.shared+json"
#: Every record type; each output carries ``{"version": RECORD_VERSION, "items": [record, ...]}`` per type.
RECORD_MIMES = (TITLE_MIME, ANSWER_MIME, FINDING_MIME, TABLE_MIME, SOURCES_MIME, CHART_MIME, SCOPE_MIME, SHARED_MIME)
RECORD_VERSION = 1

#: What a figure in a finding is, for the reader's legend: from the minister's answer, recomputed by us from
#: such figures, a rounded statement quoted in the question, from the press (or another publication), or an
#: estimate under stated assumptions.
FIGURE_STATUSES = ("official", "recomputed", "publication", "quoted", "press", "estimate")
#: The kinds of line in the dossier's guide to quoting its figures (``Report.quote_note``), in the guide's order:
#: safe to quote with their unit, only with their definition, not as an official figure.
QUOTE_KINDS = ("safe", "with_definition", "not_official")
#: The role of a report's one-sentence bottom line (``Report.headline``) among its summary lines.
HEADLINE = "headline"


def natural_key(code: str) -> list:
    """Codes sorted as a reader counts: O8 before O10, CA-2020-01-2 before CA-2020-01-10."""
    return [(0, int(piece), "") if piece.isdigit() else (1, 0, piece.lower()) for piece in re.split(r"(\d+)", code) if piece]


#: The role of a figure the running text computes (Report.derived): a row of the annex, not a line of the front sheet.
DERIVED = "derived"

#: Turns the figure ids a table or chart shows into its source line in words ('Bron: antwoord op vraag 5,
#: tabel 1'); the report a notebook opened sets it (:class:`analysis.report.frame.Report`). Tables and charts
#: made without a report get no line.
SourceWords = Callable[[Sequence[str], bool], str]
_source_words: SourceWords | None = None


def use_source_words(describe: SourceWords | None) -> None:
    """Set how figure ids become a source line (the open report's citations); None: no source lines."""
    global _source_words
    _source_words = describe


#: Names the sources of figure ids in full and their kind of figure, and the language, for a table's DataFrame
#: (:meth:`Table.table_frame`); the open report sets it. Without a report: English headers, no sources, no kinds.
_frame_context: tuple[str, Callable[[Sequence[str]], str] | None, Callable[[Sequence[str]], str] | None] = ("en", None, None)


def use_frame_context(
    lang: str, source_labels: Callable[[Sequence[str]], str] | None, source_kinds: Callable[[Sequence[str]], str] | None = None
) -> None:
    global _frame_context
    _frame_context = (lang, source_labels, source_kinds)


#: What the data say of figure ids (:meth:`analysis.report.frame.Report.figure_flags`): whether one of them is a cell
#: its source leaves empty (``blank_in_source``) and whether one is provisional, for the Status and Provisional
#: columns of the CSV files and the workbook; the open report sets it. Without a report: neither.
FigureFlags = Callable[[Sequence[str]], tuple[bool, bool]]
_figure_flags: FigureFlags | None = None


def use_figure_flags(flags: FigureFlags | None) -> None:
    global _figure_flags
    _figure_flags = flags


def cell_status(raw: Value | None, column_status: str, row_refs: Sequence[str], recomputed_row: bool) -> dict:
    """The status and provisional flag of one numeric cell, for its record (``formats``).

    The status is the cell's own, else its column's, else ``observed`` (``recomputed`` in a row whose Ref. is a
    :class:`NoRef`); a cell without any number is ``missing`` (unless it says ``suppressed``). An observed figure
    that its source leaves empty is ``imputed-from-total``, and a number is provisional when one of its figures is:
    both from the data (:func:`use_figure_flags`), never from the table."""
    refs = list(raw.refs) if raw is not None and raw.refs is not None else list(row_refs)
    has_number = raw is not None and (raw.value is not None or raw.low is not None or raw.ratio is not None)
    own = raw.status if raw is not None else None
    if not has_number:
        status = own if own in (SUPPRESSED, NOT_APPLICABLE) else MISSING
    else:
        status = own or column_status or (RECOMPUTED if recomputed_row else OBSERVED)
    blank, provisional = _figure_flags(refs) if _figure_flags is not None and refs else (False, False)
    if status == OBSERVED and blank:
        status = IMPUTED
    return {"status": status, "provisional": provisional}


def table_frames(records: dict[str, list[dict]]) -> list[pd.DataFrame]:
    """The tables among these records as tidy DataFrames (:mod:`analysis.report.tabular`), in order."""
    from analysis.report import tabular

    lang, labels, kinds = _frame_context
    return [tabular.layout(record, lang, labels, kinds).frame() for record in records.get(TABLE_MIME, [])]


def source_line(refs: Sequence[str], recomputed: bool = False) -> str:
    """The source line in words for these figure ids, or '' when no report describes them."""
    if _source_words is None or (not refs and not recomputed):
        return ""
    return _source_words(list(refs), recomputed)


_BREAK = re.compile(r"<(?:br|/?(?:p|li|ul|ol|h[1-6]|div|section|header|table|caption|tr|td|th))\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def plain_text(markup: object) -> str:
    """The text a reader sees in a fragment of our markup: tags dropped (a break or block edge
    becomes a space), entities decoded, white space collapsed. The one tag stripper of the package."""
    text = _TAG.sub("", _BREAK.sub(" ", "" if markup is None else str(markup)))
    return " ".join(html.unescape(text).split())


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


class Html(Safe):
    """A fragment of trusted, already-escaped HTML that Jupyter displays as HTML.

    A fragment may carry structured records (``records``: MIME type -> list of records), which
    are displayed next to its HTML and kept when fragments are joined with ``+`` or :func:`join`
    (``Html(str(a) + str(b))`` drops them). ``meta`` is output metadata for ``text/html`` (the
    narrative check's figures); it belongs to this markup alone, so joining drops it.
    """

    records: dict[str, list[dict]] = {}  # never mutated: each fragment gets its own dict
    meta: dict | None = None

    @classmethod
    def carrying(cls, markup: str, records: dict[str, list[dict]] | None = None, meta: dict | None = None) -> Html:
        obj = cls(markup)
        obj.records = {mime: list(items) for mime, items in (records or {}).items() if items}
        obj.meta = meta
        return obj

    def _repr_html_(self) -> str:
        return str(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/html": str(self), "text/plain": repr(self)}
        data.update(bundle(self.records))
        return data, ({"text/html": self.meta} if self.meta else {})

    def __repr__(self) -> str:  # plain-text output: tags stripped, stable across runs
        return plain_text(self)

    def __add__(self, other: object) -> Html:
        return join(self, other)

    def table_frame(self, n: int = 0) -> pd.DataFrame:
        """The ``n``-th table this fragment shows as a tidy DataFrame (see :meth:`Table.table_frame`)."""
        frames = table_frames(self.records)
        if not frames:
            raise ValueError("this output shows no table (a notice in its place, such as a period without data)")
        return frames[n]


def bundle(records: dict[str, list[dict]]) -> dict[str, dict]:
    """Records as mimebundle entries: one JSON object per MIME type."""
    return {mime: {"version": RECORD_VERSION, "items": list(items)} for mime, items in records.items() if items}


def shared(what: str, *parts: object, in_summary: bool = False) -> Html:
    """Parts that another report may show word for word, marked so that a document holding both prints them once.

    Each report stays complete on its own; the key is a hash of the markup, so only identical blocks are merged
    and a block that differs in another period or language is printed again. ``what`` names the block for the
    reference that replaces a repeat ("the quoted statements and the official figures": see chapter 1).
    ``in_summary``: the dossier's summary shows the same content from its records, so the dossier refers there
    even the first time.
    """
    block = join(*parts)
    key = hashlib.sha256(str(block).encode("utf-8")).hexdigest()[:16]
    record = {"key": key, "what": what, "html": str(block), "in_summary": in_summary}
    return Html.carrying(str(block), {**block.records, SHARED_MIME: [record]})


def join(*parts: object) -> Html:
    """Fragments, tables and charts as one fragment that keeps the records of every part."""
    markup: list[str] = []
    records: dict[str, list[dict]] = {}
    for part in parts:
        markup.append(part.to_html() if isinstance(part, (Table, Chart)) else str(part))
        for mime, items in getattr(part, "records", {}).items():
            records.setdefault(mime, []).extend(items)
    return Html.carrying("".join(markup), records)


def heading(text: str, level: int = 2, anchor: str | None = None) -> Html:
    anchor_attr = f' id="{esc(anchor)}"' if anchor else ""
    return Html(f"<h{level}{anchor_attr}>{esc(text)}</h{level}>")


def para(markup: str, cls: str | None = None) -> Html:
    """A paragraph of catalogue text whose values were escaped by Lang.th."""
    cls_attr = f' class="{cls}"' if cls else ""
    return Html(f"<p{cls_attr}>{markup}</p>")


def box(title: str, body_markup: str, kind: str = "answer") -> Html:
    return Html(f'<section class="box box-{kind}"><h2>{esc(title)}</h2>{body_markup}</section>')


def bullets(items: Sequence[str]) -> Html:
    return Html("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")


@dataclass(frozen=True)
class Value:
    """The raw number behind one shown cell, when its unit or decimals differ from its column's
    (a column of published figures that holds counts and percentages), or when the number is not
    all there is to it.

    ``rounded``: the source's word when it gives the figure rounded (``almost``, ``about``,
    ``more_than``: the data's ``qualifier``), so the number is the one the source writes and the
    tables say it is rounded; its range then follows from the one rounding rule
    (:func:`analysis.core.claims.interval`). ``low`` and ``high``: the range a cell shows ('2,11–2,19'), with
    ``value`` None when the table shows the range alone.

    For the CSV files and the workbook: ``ratio`` of a relative change (the later value over its base: 32.75
    where the table shows '×33'); ``refs``, the figure ids of this number when they are not its row's (a
    total's published figure, the parts of a sum); ``status``, what the number is (a code of
    :data:`analysis.report.tabular.STATUSES`) when it is not its column's (``not-applicable`` for a change from 0); ``column``, what the number is
    called when it is not its column's header (a ratio in a column of official values).
    """

    value: float | None
    unit: str | None = None
    digits: int | None = None
    signed: bool | None = None
    low: float | None = None
    high: float | None = None
    rounded: str | None = None
    ratio: float | None = None
    refs: tuple[str, ...] | None = None
    status: str | None = None
    column: str | None = None


@dataclass(frozen=True)
class NoRef:
    """Text in a Ref. cell that names no figure ('recomputed'): shown, but not a reference id.

    Not a ``str`` subclass: pandas turns those back into plain strings."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Column:
    """One table column: header text, how to format a cell, and alignment.

    For the table's structured record: ``unit`` of its numbers if known ('%' for percentages,
    given in percent units), ``digits`` shown (None: as the value needs), ``signed`` when a
    rise shows its '+', ``raw`` the frame column holding the raw numbers when this one holds
    text (a number, a :class:`Value`, or None where no number is shown), and ``ref`` for the
    Ref. column, whose cells name the figure ids of their row. A Ref. column is not shown on the
    page: its ids stay in the table's record (CSV, workbook, notebook), and the page gets a source
    line in words under the table instead. ``status``: what the column's numbers are, for the CSV files
    and the workbook (``recomputed`` for a share or a change); left empty, a number is ``observed`` in a
    row that cites figures and ``recomputed`` in a row whose Ref. is :class:`NoRef` (a cell's own
    :class:`Value` may say otherwise).
    """

    key: str
    header: str
    fmt: Callable[[object], str] = str
    numeric: bool = False
    unit: str = ""
    digits: int | None = None
    signed: bool = False
    raw: str | None = None
    ref: bool = False
    status: str = ""  # what its numbers are (a code of tabular.STATUSES); '' for as its rows' Ref. say


def columns(t: Callable[[str], str], spec: Sequence[tuple]) -> list[Column]:
    """Columns from (key, message key[, formatter[, numeric[, options]]]) tuples: headers come from the
    catalogue, options are further :class:`Column` fields; the 'table.ref' column is the Ref. column."""
    out = []
    for item in spec:
        key, message, *rest = item
        fmt = rest[0] if rest else str
        numeric = rest[1] if len(rest) > 1 else False
        options = rest[2] if len(rest) > 2 else {}
        out.append(Column(key, t(message), fmt, numeric, **{"ref": message == "table.ref", **options}))
    return out


#: Tables with at most this many rows and this much text in their cells (q5's month-by-type table) never split across
#: pages, so their caption never stands alone at the foot of a page; a longer one (a table of sentences, such as the
#: answer per sub-question) breaks between rows, its header repeated, rather than leave most of a page empty before it.
KEEP_WHOLE_ROWS = 12
KEEP_WHOLE_CHARS = 1000
_REF_SPLIT = re.compile(r",|\s/\s")


def _number(value: object) -> int | float | None:
    """A finite real number (an int when it is whole), or None for text, a missing value or a bool."""
    if value is None or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def _raw(value: object) -> Value | None:
    """A cell's raw number (with its range, rounding, ratio, figure ids and status when it has them), or None when
    it has none of these: text, a missing value, a bool.

    A rounded number gets the range its word allows (the one rounding rule, :func:`analysis.core.claims.interval`)."""
    given = value if isinstance(value, Value) else Value(value)  # type: ignore[arg-type]
    number, low, high, ratio = _number(given.value), _number(given.low), _number(given.high), _number(given.ratio)
    if low is None or high is None:
        low = high = None
    rounded = given.rounded if given.rounded not in (None, "", "exact") else None
    if rounded is not None and number is not None and low is None:
        low, high = (_number(v) for v in rounding_interval(rounded, float(number))[:2])
    refs = None if given.refs is None else tuple(str(r) for r in given.refs)
    if number is None and low is None and ratio is None and refs is None and not given.status and not given.column:
        return None
    return Value(number, given.unit, given.digits, given.signed, low, high, rounded, ratio, refs, given.status, given.column)


def _refs(value: object) -> list[str]:
    """The figure ids a Ref. cell names: a list of ids, or ids joined by ',' or ' / '."""
    if value is None or isinstance(value, NoRef) or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [part.strip() for part in _REF_SPLIT.split(str(value)) if part.strip()]


def source_html(line: str) -> str:
    """A source line under a table or chart (escaped)."""
    return f'<p class="source-line">{esc(line)}</p>' if line else ""


#: A table that breaks across pages keeps at least this many rows together at its end: never one row alone on a page.
TAIL_ROWS = 3
#: ... and its first rows with its caption and header: never a caption and header alone at the foot of a page.
HEAD_ROWS = 2


def _bodies(rows: list[str], short: bool) -> str:
    """The rows in one body, or, for a table that may break, its first :data:`HEAD_ROWS` and its last
    :data:`TAIL_ROWS` in bodies of their own, each kept whole (the first also kept with the header)."""
    if short or len(rows) <= 2 * TAIL_ROWS:
        return f"<tbody>{''.join(rows)}</tbody>"
    head, middle, tail = rows[:HEAD_ROWS], rows[HEAD_ROWS:-TAIL_ROWS], rows[-TAIL_ROWS:]
    return (
        f'<tbody class="head">{"".join(head)}</tbody>'
        + (f"<tbody>{''.join(middle)}</tbody>" if middle else "")
        + f'<tbody class="tail">{"".join(tail)}</tbody>'
    )


@dataclass
class Table:
    """A table built from a DataFrame: every cell formatted and escaped, with caption, note and source line.

    ``source`` is the line under the table; left out, it is made from the figure ids of the Ref.
    column (:func:`source_line`), the moment the table is first shown.
    """

    frame: pd.DataFrame
    columns: list[Column]
    caption: str = ""
    note: str = ""
    row_classes: list[str] = field(default_factory=list)
    source: str | None = None

    @property
    def shown(self) -> list[Column]:
        """The columns a reader sees: all but the Ref. column."""
        return [c for c in self.columns if not c.ref]

    def source_text(self) -> str:
        if self.source is None:
            refs: list[str] = []
            recomputed = False
            for c in self.columns:
                if not c.ref:
                    continue
                for value in self.frame[c.key]:
                    recomputed |= isinstance(value, NoRef)
                    refs.extend(r for r in _refs(value) if r not in refs)
            self.source = source_line(refs, recomputed)
        return self.source

    def to_html(self) -> str:
        shown = self.shown
        head = "".join(f'<th class="{"num" if c.numeric else "txt"}" scope="col">{esc(c.header)}</th>' for c in shown)
        body = []
        for i, (_, row) in enumerate(self.frame.iterrows()):
            cls = f' class="{esc(self.row_classes[i])}"' if i < len(self.row_classes) and self.row_classes[i] else ""
            cells = "".join(f'<td class="{"num" if c.numeric else "txt"}">{esc(c.fmt(row[c.key]))}</td>' for c in shown)
            body.append(f"<tr{cls}>{cells}</tr>")
        caption = f"<caption>{esc(self.caption)}</caption>" if self.caption else ""
        note = f'<p class="table-note">{esc(self.note)}</p>' if self.note else ""
        # A table that fits on a page is kept whole in print, caption with its rows; longer ones break
        # between rows and repeat their header.
        short = len(body) <= KEEP_WHOLE_ROWS and len(plain_text("".join(body))) <= KEEP_WHOLE_CHARS
        wrap = "table-wrap keep" if short else "table-wrap"
        return (
            f'<div class="{wrap}"><table class="data">{caption}<thead><tr>{head}</tr></thead>{_bodies(body, short)}'
            f"</table>{note}{source_html(self.source_text())}</div>"
        )

    def record(self) -> dict:
        """The table as data (``TABLE_MIME``): per row the shown text, the raw numbers and the reference ids.

        ``values`` holds each numeric cell's raw number (None for text and for what the table does
        not show, such as a suppressed count); ``formats`` gives unit, digits and sign where a cell
        differs from its column, its range, rounding, ratio and own figure ids when it has them, and for
        every numeric cell its status and whether it is provisional (:func:`cell_status`).
        """
        rows = []
        for i, (_, row) in enumerate(self.frame.iterrows()):
            values: list[float | int | None] = []
            formats: list[dict | None] = []
            refs: list[str] = []
            recomputed_row = False
            for c in self.columns:
                if c.ref:
                    refs.extend(ref for ref in _refs(row[c.key]) if ref not in refs)
                    recomputed_row |= isinstance(row[c.key], NoRef)
            for c in self.columns:
                raw = _raw(row[c.raw] if c.raw else row[c.key]) if c.numeric else None
                values.append(None if raw is None else raw.value)
                own = {} if raw is None else {k: v for k, v in asdict(raw).items() if k != "value" and v is not None}
                if "refs" in own:
                    own["refs"] = list(own["refs"])
                if c.numeric and not c.ref:
                    own.update(cell_status(raw, c.status, refs, recomputed_row))
                formats.append(own or None)
            rows.append(
                {
                    "cells": [str(c.fmt(row[c.key])) for c in self.columns],
                    "values": values,
                    "formats": formats,
                    "refs": refs,
                    "class": self.row_classes[i] if i < len(self.row_classes) else "",
                }
            )
        return {
            "caption": self.caption,
            "note": self.note,
            "source_line": self.source_text(),
            "columns": [
                {k: getattr(c, k) for k in ("key", "header", "numeric", "unit", "digits", "signed", "ref")} for c in self.columns
            ],
            "rows": rows,
        }

    @property
    def records(self) -> dict[str, list[dict]]:
        return {TABLE_MIME: [self.record()]}

    def table_frame(self) -> pd.DataFrame:
        """The table as a tidy DataFrame, exactly as its CSV file holds it (:mod:`analysis.report.tabular`).

        One row per number the table shows: the row's number in the table (``Rij``/``Row``), its text
        columns, the column the number stands in, the number itself (not rounded for display; percentages
        in percent), its status and whether it is provisional, the range a cell shows or a rounded figure
        allows, the ratio of a relative change, its unit, whether the source gives it rounded, the cell as
        shown where it says more than the number, the figure ids and their sources. Text columns are
        categories in the table's order, so ``pivot_table(..., observed=True)`` gives the table back::

            t = q5.table(rep, answer).table_frame()
            t.pivot_table(index=["Maand", "Type gepresteerde uren"], columns="Kolom", values="Waarde", observed=True)

        A table without numbers has one row per table row. Headers are in the report's language.
        """
        return table_frames(self.records)[0]

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.to_html(), "text/plain": repr(self), **bundle(self.records)}, {}

    def __repr__(self) -> str:
        lines = [" | ".join(c.header for c in self.columns)]
        for _, row in self.frame.iterrows():
            lines.append(" | ".join(c.fmt(row[c.key]) for c in self.columns))
        return "\n".join(lines)


def printed_url(kind: str, url: str) -> str:
    """The address a report prints: none for a link the answer gives to a document of unknown owner (kind 'link'),
    whose content can change under it; the data files keep the address. One rule for the chapters and the dossier
    (scenario read, round 43: chapter 2's own list printed what the dossier said it leaves out)."""
    return "" if kind == "link" else url


def source_head(publisher: str, title: str, date_text: str, url: str, note: str = "", author: str = "") -> str:
    """A source as listed: publisher, title, author, date, its address (a link when it is one) and a note."""
    url = "" if url is None else str(url)
    link = f'<a href="{esc(url)}">{esc(url)}</a>' if url.startswith(("http://", "https://")) else esc(url)
    note_markup = f'<br><span class="source-note">{esc(note)}</span>' if note else ""
    by = f", {esc(author)}" if author else ""
    return f"<strong>{esc(publisher)}</strong>, <em>{esc(title)}</em>{by} ({esc(date_text)}). {link}{note_markup}"


def source_label(publisher: str, title: str, date_text: str, url: str) -> str:
    """The same source as one line of text, for a spreadsheet cell."""
    return f"{publisher}, {title} ({date_text})." + (f" {url}" if url else "")


class Chart:
    """A matplotlib figure rendered once to SVG; displays as a vector image with alt text in reports.

    SVG keeps charts sharp in print and at any zoom. The image is embedded as a data URI rather
    than inline markup, so the element ids matplotlib writes cannot clash when the combined
    document holds many charts, and the page's Content-Security-Policy (images from data: only)
    still holds. The date is left out and ids are salted (charts.style), so two builds give
    byte-identical files.
    """

    mime = "image/svg+xml"

    def __init__(self, figure, alt: str, refs: Sequence[str] = (), source: str | None = None):
        """``refs``: the figure ids the chart draws, for its source line in words (or ``source``, the line itself)."""
        from analysis.report import charts

        buffer = io.BytesIO()
        try:
            figure.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.02, metadata={"Date": None, "Creator": None})
        finally:
            charts.release()
        self.svg = buffer.getvalue().decode("utf-8")
        self.alt = alt
        self.source = source_line(list(refs)) if source is None else source

    def data_uri(self) -> str:
        import base64

        return f"data:{self.mime};base64,{base64.b64encode(self.svg.encode('utf-8')).decode()}"

    def to_html(self) -> str:
        """The chart as an embedded image, for fragments that combine tables and charts.

        In a plain div, not a <figure>: the tagged PDF makes a /Figure of a figure element too, a
        second one, without alternative text, around the image's own.
        """
        line = f'<p class="source-line">{esc(self.source)}</p>' if self.source else ""
        return f'<div class="chart"><img alt="{esc(self.alt)}" src="{self.data_uri()}">{line}</div>'

    @property
    def records(self) -> dict[str, list[dict]]:
        return {CHART_MIME: [{"alt": self.alt, "source_line": self.source}]}

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The source line travels in the image's metadata: the report template writes it under the chart.
        data = {self.mime: self.svg, "text/plain": repr(self), **bundle(self.records)}
        return data, {self.mime: {"alt": self.alt, "source": self.source}}

    def __repr__(self) -> str:
        return f"[{self.alt}]" + (f"\n{self.source}" if self.source else "")
