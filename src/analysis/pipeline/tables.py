"""Every table of every report as CSV, and one Excel workbook per language, for reuse in a note.

A policy officer wants the figures in a spreadsheet, with the reference of each figure and the
source it comes from, exactly as the report shows them. The tables are the table records of
the executed report notebook (:mod:`analysis.pipeline.outputs`), written by the same code
that draws the report's tables, rather than recomputed, so the files can never disagree with
the report: same rows, same rounding, same suppressed cells. Each row gets the sources of the
figure ids its Ref. cell names, from the report's own source list.

CSV files hold the text as shown (UTF-8); the workbook holds each numeric cell's raw number
(a suppressed cell has none and stays text), with the shown number of decimals, so the
numbers can be summed and charted.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from analysis.pipeline import files, outputs
from analysis.report.i18n import Lang

CSV_NAME = re.compile(r"^(?P<stem>.+)-table-(?P<n>\d+)\.csv$")


def row_sources(row: outputs.Row, sources: outputs.Sources | None) -> str:
    """The sources of the figures a row cites, each once: 'publisher, title (date). address | …'."""
    return " | ".join(source.label for source in sources.of(row.refs)) if sources else ""


def to_csv(table: outputs.Table, sources: outputs.Sources | None, source_header: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.headers + [source_header])
    for row in table.rows:
        writer.writerow(row.texts + [row_sources(row, sources)])
    return buffer.getvalue()


def write_csvs(notebook: Path, lang: str) -> list[Path]:
    """Write ``<name>-table-<n>.csv`` next to a report's notebook; drop numbers the report no longer has."""
    L = Lang(lang)
    stem = notebook.stem
    found = outputs.read(notebook)
    written = []
    for n, table in enumerate(found.tables, 1):
        path = notebook.with_name(f"{stem}-table-{n}.csv")
        content = to_csv(table, found.sources, L.t("tables.source"))
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            files.atomic_write(path, content)
        written.append(path)
    for old in notebook.parent.glob(f"{stem}-table-*.csv"):
        match = CSV_NAME.match(old.name)
        if match and match.group("stem") == stem and old not in written:
            old.unlink()
    return written


def excel_value(cell: outputs.Cell) -> tuple[object, str | None]:
    """A cell for the workbook: its raw number and an Excel number format, or its text."""
    if cell.value is None:
        return cell.text, None
    digits = cell.digits if cell.digits is not None else (0 if float(cell.value).is_integer() else 2)
    decimals = "." + "0" * digits if digits else ""
    if cell.unit == "%":
        value, fmt = cell.value / 100, f"0{decimals}%"
    else:
        value, fmt = cell.value, f"#,##0{decimals}"
    if cell.signed:
        fmt = f"+{fmt};-{fmt};{fmt}"
    return value, fmt


def write_workbook(path: Path, lang: str, reports: list[tuple[str, Path]], author: str | None = None) -> int:
    """One sheet per table of the given reports (in order); returns the number of sheets.

    ``author``: the workbook's creator (the manifest's publisher; the catalogue's default when None)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    L = Lang(lang)
    book = Workbook()
    book.remove(book.active)
    sheets = 0
    for name, notebook in reports:
        found = outputs.read(notebook)
        for n, table in enumerate(found.tables, 1):
            sheet = book.create_sheet(f"{name}-{n}"[:31])
            sheets += 1
            sheet.append([found.title])
            sheet.append([table.caption])
            sheet["A1"].font = Font(bold=True)
            sheet["A2"].font = Font(italic=True)
            sheet.append([])
            sheet.append(table.headers + [L.t("tables.source")])
            for cell in sheet[4]:
                cell.font = Font(bold=True)
            widths = [len(h) for h in table.headers + [L.t("tables.source")]]
            for row in table.rows:
                shown = [excel_value(cell) for cell in row.cells]
                source = row_sources(row, found.sources)
                sheet.append([value for value, _ in shown] + [source])
                for cell, (_, fmt) in zip(sheet[sheet.max_row], shown):
                    if fmt:
                        cell.number_format = fmt
                # as wide as the text shown, not as the raw number's digits
                widths = [max(width, len(text)) for width, text in zip(widths, row.texts + [source])]
            if table.note:
                sheet.append([])
                sheet.append([table.note])
                sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=False)
            for i, width in enumerate(widths, 1):
                sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
    if not sheets:
        sheet = book.create_sheet(L.t("tables.table"))
    book.properties.creator = author or L.t("doc.publisher_default")
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
        notebook = out_dir / lang / f"{stem}.ipynb"
        if entry.get("status") not in ("built", "cached") or not notebook.exists():
            continue
        digest = files.sha256_file(notebook)
        known = record.get(label, {})
        csvs = [out_dir / lang / name for name in known.get("csv", [])]
        if known.get("ipynb") == digest and all(p.exists() for p in csvs):
            continue
        written = write_csvs(notebook, lang)
        record[label] = {"ipynb": digest, "csv": [p.name for p in written]}
        changed = True
    if manifest is None:
        if changed:
            state.save()
        return
    books = state.data.setdefault("workbooks", {})
    for lang in manifest.languages:
        reports = [(r.name, out_dir / lang / f"{r.name}.ipynb") for r in manifest.reports]
        reports = [(name, notebook) for name, notebook in reports if notebook.exists()]
        if not reports:
            continue
        author = manifest.publisher_for(lang)
        key = files.sha256_json([files.sha256_file(notebook) for _, notebook in reports] + [files.library_hash(), author])
        path = out_dir / lang / "tables.xlsx"
        if books.get(lang, {}).get("key") == key and path.exists():
            continue
        sheets = write_workbook(path, lang, reports, author)
        books[lang] = {"key": key, "sheets": sheets}
        changed = True
    if changed:
        state.save()
