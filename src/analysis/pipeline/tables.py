"""Every table of every report as CSV, and one Excel workbook per language, for reuse in a note.

A policy officer wants the figures in a spreadsheet, with the reference of each figure and the
source it comes from, exactly as the report shows them. The tables are read back from the
built report page rather than recomputed, so the files can never disagree with the report:
same rows, same rounding, same suppressed cells. Each row gets the sources of the figure ids
in its reference column, from the report's own source list.

CSV files hold the text as shown (UTF-8); the workbook turns the numeric columns back into
numbers (with the shown number of decimals) so they can be summed and charted.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis.pipeline import files
from analysis.pipeline.combined import FIGURE_ITEM, SOURCE_ITEM  # one reading of the source-list markup
from analysis.report.i18n import LOCALES, Lang

TABLE = re.compile(r'<table class="data">(.*?)</table>(?:\s*<p class="table-note">(.*?)</p>)?', re.S)
CAPTION = re.compile(r"<caption>(.*?)</caption>", re.S)
HEAD = re.compile(r"<thead>(.*?)</thead>", re.S)
ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
CELL = re.compile(r'<t([hd])(?: class="([^"]*)")?[^>]*>(.*?)</t[hd]>', re.S)
CSV_NAME = re.compile(r"^(?P<stem>.+)-table-(?P<n>\d+)\.csv$")


def _text(markup: str) -> str:
    markup = re.sub(r"<br\s*/?>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


@dataclass
class TableData:
    caption: str
    headers: list[str]
    numeric: list[bool]
    rows: list[list[str]]
    note: str = ""
    sources: list[str] = field(default_factory=list)  # per row: the sources of its reference ids


def source_labels(page: str) -> dict[str, str]:
    """figure id -> 'publisher, title (date). address' of its source, from the report's source list."""
    out: dict[str, str] = {}
    for item in SOURCE_ITEM.finditer(page):
        label = _text(re.sub(r'<span class="source-note">.*?</span>', "", item.group("head"), flags=re.S))
        for figure in (m.group("id") for m in FIGURE_ITEM.finditer(item.group("figures"))):
            out.setdefault(_text(figure), label)
    return out


def extract(page: str, ref_header: str) -> list[TableData]:
    """The tables of a built report page, each row with the sources of the figures it cites."""
    labels = source_labels(page)
    ids = sorted(labels, key=len, reverse=True)  # longest first, so 'OE-2021-01-02-PARTNER' wins over its prefix
    tables = []
    for match in TABLE.finditer(page):
        inner, note = match.group(1), match.group(2) or ""
        caption = CAPTION.search(inner)
        head = HEAD.search(inner)
        header_cells = CELL.findall(head.group(1)) if head else []
        headers = [_text(c[2]) for c in header_cells]
        numeric = ["num" in (c[1] or "").split() for c in header_cells]
        body = inner[head.end() :] if head else inner
        rows = [[_text(c[2]) for c in CELL.findall(row)] for row in ROW.findall(body)]
        table = TableData(_text(caption.group(1)) if caption else "", headers, numeric, rows, _text(note))
        ref = headers.index(ref_header) if ref_header in headers else None
        for row in rows:
            cited: list[str] = []
            rest = row[ref] if ref is not None and ref < len(row) else ""
            for figure in ids:
                if figure in rest:
                    rest = rest.replace(figure, " ")
                    if labels[figure] not in cited:
                        cited.append(labels[figure])
            table.sources.append(" | ".join(cited))
        tables.append(table)
    return tables


def to_csv(table: TableData, source_header: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.headers + [source_header])
    for row, source in zip(table.rows, table.sources):
        writer.writerow(row + [source])
    return buffer.getvalue()


def write_csvs(html_path: Path, lang: str) -> list[Path]:
    """Write ``<name>-table-<n>.csv`` next to a report page; drop numbers the report no longer has."""
    L = Lang(lang)
    stem = html_path.stem
    tables = extract(html_path.read_text(encoding="utf-8"), L.t("table.ref"))
    written = []
    for n, table in enumerate(tables, 1):
        path = html_path.with_name(f"{stem}-table-{n}.csv")
        content = to_csv(table, L.t("tables.source"))
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            files.atomic_write(path, content)
        written.append(path)
    for old in html_path.parent.glob(f"{stem}-table-*.csv"):
        match = CSV_NAME.match(old.name)
        if match and match.group("stem") == stem and old not in written:
            old.unlink()
    return written


def number(text: str, lang: str) -> tuple[float | int, str] | None:
    """A shown number ('62.297', '-33,5%' in Dutch) as a value and an Excel number format; None for text."""
    group, decimal = (".", ",") if LOCALES[lang].startswith("nl") else (",", ".")
    pattern = rf"^([+\-−]?)(\d{{1,3}}(?:{re.escape(group)}\d{{3}})*|\d+)(?:{re.escape(decimal)}(\d+))?(%?)$"
    match = re.match(pattern, text.strip())
    if not match:
        return None
    sign, whole, fraction, percent = match.groups()
    digits = len(fraction or "")
    value: float | int = int(whole.replace(group, ""))
    if fraction:
        value = float(f"{value}.{fraction}")
    if sign in ("-", "−"):
        value = -value
    fmt = ("0" if percent else "#,##0") + ("." + "0" * digits if digits else "") + ("%" if percent else "")
    if sign == "+":  # shown with its sign, as in the report
        fmt = f"+{fmt};-{fmt};{fmt}"
    return (value / 100 if percent else value), fmt


def write_workbook(path: Path, lang: str, reports: list[tuple[str, Path]]) -> int:
    """One sheet per table of the given reports (in order); returns the number of sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    L = Lang(lang)
    book = Workbook()
    book.remove(book.active)
    sheets = 0
    for name, html_path in reports:
        tables = extract(html_path.read_text(encoding="utf-8"), L.t("table.ref"))
        title = _text(re.search(r"<title>(.*?)</title>", html_path.read_text(encoding="utf-8"), re.S).group(1))
        for n, table in enumerate(tables, 1):
            sheet = book.create_sheet(f"{name}-{n}"[:31])
            sheets += 1
            sheet.append([title])
            sheet.append([table.caption])
            sheet["A1"].font = Font(bold=True)
            sheet["A2"].font = Font(italic=True)
            sheet.append([])
            sheet.append(table.headers + [L.t("tables.source")])
            for cell in sheet[4]:
                cell.font = Font(bold=True)
            for row, source in zip(table.rows, table.sources):
                values: list[object] = []
                formats: list[str | None] = []
                for text, is_numeric in zip(row, table.numeric + [False] * len(row)):
                    parsed = number(text, lang) if is_numeric else None
                    values.append(parsed[0] if parsed else text)
                    formats.append(parsed[1] if parsed else None)
                sheet.append(values + [source])
                for cell, fmt in zip(sheet[sheet.max_row], formats):
                    if fmt:
                        cell.number_format = fmt
            if table.note:
                sheet.append([])
                sheet.append([table.note])
                sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=False)
            for column in sheet.iter_cols(min_row=4, max_row=sheet.max_row - (2 if table.note else 0)):
                width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
                sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))
    if not sheets:
        sheet = book.create_sheet(L.t("tables.table"))
    book.properties.creator = L.t("doc.author")
    book.properties.title = L.t("doc.title")
    from analysis.config import build_moment

    moment = build_moment()
    if moment is not None:  # reproducible builds: the workbook carries the build date, not the clock
        book.properties.created = book.properties.modified = moment.replace(tzinfo=None)
    tmp = files.temp_path(path)
    try:
        book.save(tmp)
        import os

        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return sheets


def publish(out_dir: Path, state, manifest) -> None:
    """CSV files for every built report, and ``<lang>/tables.xlsx`` for the manifest's reports, when changed."""
    record = state.data.setdefault("tables", {})
    changed = False
    for label, entry in state.data.get("reports", {}).items():
        lang, stem = label.split("/", 1)
        page = out_dir / lang / f"{stem}.html"
        if entry.get("status") not in ("built", "cached") or not page.exists():
            continue
        digest = files.sha256_file(page)
        known = record.get(label, {})
        csvs = [out_dir / lang / name for name in known.get("csv", [])]
        if known.get("html") == digest and all(p.exists() for p in csvs):
            continue
        written = write_csvs(page, lang)
        record[label] = {"html": digest, "csv": [p.name for p in written]}
        changed = True
    if manifest is None:
        if changed:
            state.save()
        return
    books = state.data.setdefault("workbooks", {})
    for lang in manifest.languages:
        reports = [(r.name, out_dir / lang / f"{r.name}.html") for r in manifest.reports]
        reports = [(name, page) for name, page in reports if page.exists()]
        if not reports:
            continue
        key = files.sha256_json([files.sha256_file(page) for _, page in reports] + [files.library_hash()])
        path = out_dir / lang / "tables.xlsx"
        if books.get(lang, {}).get("key") == key and path.exists():
            continue
        sheets = write_workbook(path, lang, reports)
        books[lang] = {"key": key, "sheets": sheets}
        changed = True
    if changed:
        state.save()
