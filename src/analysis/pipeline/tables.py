"""Every table of every report as CSV, described by a data package, and one Excel workbook per language.

The tables are the table records of the executed report notebook (:mod:`analysis.pipeline.outputs`),
written by the same code that draws the report's tables, rather than recomputed, so the files can
never disagree with the report: same rows, same suppressed cells. Each number gets the sources of its
figure ids (its own, else those its row's Ref. cell names), from the report's own source list.

- ``<lang>/<name>-table-<n>.csv``: for computing. The layout of :mod:`analysis.report.tabular`: one
  line per number (value, status, kind of figure (official, quoted or press, by its sources), provisional, range, ratio, unit, rounded by the source, the cell as shown,
  its own figure ids), numbers with a dot decimal and no separators, unique headers, UTF-8; a table without
  numbers line by line as shown.
- ``<lang>/datapackage.json``: a Frictionless Data Package describing those CSV files (a Table Schema
  each, from the same layout), so a tool can read them typed, and ``frictionless validate`` checks them.
- ``<lang>/tables.xlsx``: for reading and reuse in a spreadsheet. A contents sheet (with the status codes
  explained), then each table as the report shows it on a sheet named after its chapter ('Vraag 5, tabel 1');
  a column of numbers holds numbers only, each its raw number with a number format that shows it as the report
  does: decimals, sign, the source's word for a rounded figure ('ongeveer 29.000'), the reader's own separators.
  A percentage is its number in percent, as in the CSV files (−8,8% is −8.8, its format adds a literal '%'), so
  every number on a sheet is the CSV file's value. Beside it, for every number, the CSV file's flags: its status,
  its kind of figure, whether it is provisional, whether its source gives it rounded; where its cells need them
  (:func:`sheet_columns`): its unit (a column whose numbers share one unit has it in its header: 'Share (%)'),
  the bounds of a range or of a rounded figure, the ratio of a relative change, the cell as the report shows it
  where it holds no number ('n.v.t. (basis 0)', '×33', '< 5'), and the number's own Ref. where it is not its
  row's, so each number has the Ref. of its CSV line.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.pipeline import files, outputs
from analysis.report import tabular
from analysis.report.i18n import Lang
from analysis.report.keys import key
from analysis.report.render import DERIVED, natural_key

if TYPE_CHECKING:
    from analysis.pipeline.manifest import Credits

CSV_NAME = re.compile(r"^(?P<stem>.+)-table-(?P<n>\d+)\.csv$")
PACKAGE = "datapackage.json"
#: A number as a table cell shows it, for the words around it ('ongeveer 29.000', 'ruim 110.000').
SHOWN_NUMBER = re.compile(r"[+\-\u2212]?\d[\d.,\u00a0\u202f]*%?")
#: A Data Package resource name: lower-case letters, digits, '-', '_', '.'.
RESOURCE_NAME = re.compile(r"[^a-z0-9._-]+")
#: Characters Excel does not allow in a sheet name.
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def labels(refs, sources: outputs.Sources | None) -> str:
    return " | ".join(source.label for source in sources.of(list(refs))) if sources else ""


def kind(refs, sources: outputs.Sources | None) -> str:
    """The kind of figure of a number with these figure ids (a code of :data:`analysis.report.tabular.KINDS`, or ''):
    from the kinds of the sources the report cites for them, the same sources as :func:`labels`."""
    return tabular.figure_kind(source.kind for source in sources.of(list(refs))) if sources else ""


def layout(table: outputs.Table, sources: outputs.Sources | None, lang: str) -> tabular.Layout:
    """The CSV layout of one table (:func:`analysis.report.tabular.layout`), with each row's sources and each number's
    kind of figure."""
    return tabular.layout(table.record, lang, lambda refs: labels(refs, sources), lambda refs: kind(refs, sources))


def to_csv(table: outputs.Table, sources: outputs.Sources | None, lang: str) -> str:
    return layout(table, sources, lang).csv()


def resource(path: Path, table: outputs.Table, found: outputs.Outputs, shape: tabular.Layout) -> dict:
    """The data package's description of one CSV file: its name, title, where it stands, and its Table Schema."""
    name = RESOURCE_NAME.sub("-", path.stem.lower()).strip("-") or "table"
    description = " ".join(part for part in (found.title + ".", table.note) if part.strip(". "))
    return {
        "name": name,
        "path": path.name,
        "title": table.caption or path.stem,
        "description": description,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
        "schema": shape.schema(),
    }


def write_csvs(notebook: Path, lang: str) -> tuple[list[Path], list[dict]]:
    """Write ``<name>-table-<n>.csv`` next to a report's notebook; drop numbers the report no longer has.

    Returns the files and their data package resources."""
    stem = notebook.stem
    found = outputs.read(notebook)
    written, resources = [], []
    for n, table in enumerate(found.tables, 1):
        path = notebook.with_name(f"{stem}-table-{n}.csv")
        shape = layout(table, found.sources, lang)
        content = shape.csv()
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            files.atomic_write(path, content)
        written.append(path)
        resources.append(resource(path, table, found, shape))
    derived = [f for f in found.findings if f.role == DERIVED]
    path = notebook.with_name(f"{stem}-derived.csv")
    if derived:
        content, resource_ = derived_csv(path, derived, found, lang)
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            files.atomic_write(path, content)
        written.append(path)
        resources.append(resource_)
    elif path.exists():
        path.unlink()
    for old in notebook.parent.glob(f"{stem}-table-*.csv"):
        match = CSV_NAME.match(old.name)
        if match and match.group("stem") == stem and old not in written:
            old.unlink()
    return written, resources


#: The columns of ``<name>-derived.csv`` (message keys ``tables.derived.col.<name>``), in order.
DERIVED_COLUMNS = ("figure", "value", "computation", "inputs", "provisional")


def derived_csv(path: Path, derived: list[outputs.Finding], found: outputs.Outputs, lang: str) -> tuple[str, dict]:
    """``<name>-derived.csv``: the figures a report's text computes (Report.derived), one line each, with the sum that
    gives it and the codes of its input rows (space-separated, the Ref. codes of the table files), and its resource."""
    L = Lang(lang)
    headers = [L.t(key("tables.derived.col", c)) for c in DERIVED_COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for f in derived:
        writer.writerow([f.text, f.value, f.formula, " ".join(f.refs), "true" if f.provisional else "false"])
    fields = [
        {"name": h, "type": "boolean" if c == "provisional" else "string", "description": L.t(key("tables.derived.col_about", c))}
        for h, c in zip(headers, DERIVED_COLUMNS)
    ]
    resource_ = {
        "name": RESOURCE_NAME.sub("-", path.stem.lower()).strip("-"),
        "path": path.name,
        "title": L.t("tables.derived.title", title=found.title),
        "description": L.t("tables.derived.about"),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
        "schema": {"fields": fields},
    }
    return out.getvalue(), resource_


def package(lang: str, resources: list[dict]) -> dict:
    """The data package of one language's CSV files."""
    L = Lang(lang)
    descriptor: dict = {
        "name": f"digitale-opleidingen-tables-{lang}",
        "title": L.t("tables.package.title"),
        "description": L.t("tables.package.about"),
        "profile": "tabular-data-package",
        "languages": [lang],
        "resources": resources,
    }
    from analysis.config import build_moment

    moment = build_moment()
    if moment is not None:
        descriptor["created"] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return descriptor


def write_package(folder: Path, lang: str, resources: list[dict]) -> Path:
    path = folder / PACKAGE
    # keys sorted: the resources come fresh or from the build state (saved with sorted keys), and read the same
    content = json.dumps(package(lang, resources), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != content:
        files.atomic_write(path, content)
    return path


# ---------------------------------------------------------------------------- the workbook
def _literal(text: str) -> str:
    return '"' + text.replace('"', "") + '"' if text else ""


#: A percentage's number format: the number in percent, as the CSV files hold it (24.1 for 24,1%), with a literal
#: '%' sign, not Excel's percent format (which would show the fraction 0.241 as 24.1%).
PERCENT_SIGN = '"%"'


def _number(value: float | int, unit: str, digits: int | None) -> tuple[float | int, str]:
    """A number for the workbook and the body of its format: its decimals, a percentage in percent with its sign."""
    digits = digits if digits is not None else (0 if float(value).is_integer() else 2)
    decimals = "." + "0" * digits if digits else ""
    if unit == "%":
        return value, f"0{decimals}{PERCENT_SIGN}"
    return value, f"#,##0{decimals}"


def excel_value(cell: outputs.Cell) -> tuple[object, str | None]:
    """A cell for the workbook: its raw number and an Excel number format that shows it as the report does, or its text.

    Separators are the reader's own (the file stores a neutral format, as spreadsheets do); decimals, the '+' on
    a rise where the report shows one, a true minus and the source's word for a rounded figure are the report's.
    A percentage is its number in percent, as in the CSV files (−8.8 for −8,8%)."""
    if cell.value is None:
        return cell.text, None
    value, body = _number(cell.value, cell.unit, cell.digits)
    before = after = ""
    if cell.rounded:  # the source's word stays with the number: 'ongeveer 29.000' is 29000 shown so
        match = SHOWN_NUMBER.search(cell.text)
        if match is not None:
            before, after = _literal(cell.text[: match.start()]), _literal(cell.text[match.end() :])
    positive, negative, zero = (f"{before}{sign}{body}{after}" for sign in ('"+"' if cell.signed else "", '"\u2212"', ""))
    return value, f"{positive};{negative};{zero}" if cell.signed else f"{positive};{negative}"


@dataclass(frozen=True)
class SheetColumn:
    """One column of a table's sheet: a column of the report's table as shown, or one beside a column of numbers.

    A column of numbers holds numbers only. Beside it, for every number: its status, its kind of figure, whether it is provisional and
    whether its source gives it rounded, as the CSV files say; where its cells need them: its unit (where the numbers
    of a column have more than one; one unit stands in the column's header), the ends of a range or of a rounded
    figure (``low``, ``high``), the ratio of a relative change, the cell as the report shows it where it holds no
    number (``shown``), and the number's own Ref. where it is not its row's. A cell that names its number otherwise
    (a recomputed ratio among official values) gets columns of its own name (``label``)."""

    header: str
    index: int  # the column of the report's table it belongs to; -1 for the row's Ref. and the sources
    part: str  # text | value | unit | low | high | ratio | status | kind | provisional | rounded | shown | ref | sources
    label: str = ""  # what the numbers are called: the column's header or a cell's own name


#: The parts beside a column of numbers, in order, with the header of the layout's column of the same role.
PARTS = ("value", "unit", "low", "high", "ratio", "status", "kind", "provisional", "rounded", "shown", "ref")
#: The parts every number has, whatever its cells: the flags of the CSV files.
FLAGS = ("status", "kind", "provisional", "rounded")


def numbers(table: outputs.Table, sources: outputs.Sources | None = None) -> list[dict[int, dict]]:
    """What the CSV files say of each number of the table (:func:`analysis.report.tabular.numbers`): per row, per
    numeric column; its kind of figure from ``sources``."""
    return tabular.numbers(table.record, lambda refs: kind(refs, sources))


def row_ref(table: outputs.Table, k: int) -> str:
    """The Ref. of row ``k`` as the sheet's Ref. column holds it: the report's Ref. cell, else the row's figure ids,
    as the CSV file gives it for a number without figure ids of its own."""
    rows = table.record.get("rows", [])
    return tabular.row_ref(table.record, rows[k]) if k < len(rows) else ""


def _label(column: outputs.Column, cell: outputs.Cell) -> str:
    return cell.column or column.header


def sheet_columns(table: outputs.Table, L: Lang) -> list[SheetColumn]:
    """The columns of a table's sheet (:class:`SheetColumn`), with unique headers, the sources last."""
    out: list[SheetColumn] = []
    facts = numbers(table)
    refs = [row_ref(table, k) for k in range(len(table.rows))]
    has_ref = any(c.ref for c in table.columns)
    for i, column in enumerate(table.columns):
        if not column.numeric or column.ref:
            out.append(SheetColumn(column.header, i, "text"))
            continue
        cells = [(k, row.cells[i]) for k, row in enumerate(table.rows) if i < len(row.cells)]
        for label in dict.fromkeys([column.header] + [_label(column, c) for _, c in cells]):
            mine = [(k, c) for k, c in cells if _label(column, c) == label]
            if not mine:
                continue
            said = [facts[k][i] for k, _ in mine]
            value = any(c.value is not None for _, c in mine)
            # the unit of the numbers the column shows (a cell without one, such as '–', says none)
            units = list(dict.fromkeys(f["unit"] for f in said if f["value"] is not None))
            one_unit = units[0] if len(units) == 1 else ""
            wanted = {
                "value": value,
                "unit": not one_unit and any(f["unit"] for f in said),
                "low": any(c.low is not None for _, c in mine),
                "high": any(c.high is not None for _, c in mine),
                "ratio": any(c.ratio is not None for _, c in mine),
                "status": True,
                "kind": True,
                "provisional": True,
                "rounded": True,
                "shown": any(c.value is None and c.text for _, c in mine),
                "ref": any(f["ref"] != (refs[k] if has_ref else "") for (k, _), f in zip(mine, said)),
            }
            for part in PARTS:
                if not wanted[part]:
                    continue
                if part == "value":
                    header = L.t("tables.sheet.unit", column=label, unit=one_unit) if one_unit else label
                else:
                    header = L.t("tables.sheet.part", column=label, part=L.t(tabular.HEADERS[part]))
                out.append(SheetColumn(header, i, part, label))
    if not has_ref and any(refs):  # the CSV file's Ref. of the row, where the report's table has no Ref. column
        out.append(SheetColumn(L.t("tables.col.ref"), -1, "ref"))
    out.append(SheetColumn(L.t("tables.col.sources"), -1, "sources"))
    return [SheetColumn(h, c.index, c.part, c.label) for h, c in zip(tabular.unique([c.header for c in out]), out)]


def shown_at(columns: list[SheetColumn], table: outputs.Table, i: int, cell: outputs.Cell) -> int | None:
    """Where on the sheet the report's text of cell ``i`` of a row stands: its text column, the column of its number
    (whose format shows it as the report does), or the column beside it that shows it where it holds no number."""
    if not table.columns[i].numeric or table.columns[i].ref:
        part = "text"
    else:
        part = "value" if cell.value is not None else "shown"
    label = "" if part == "text" else _label(table.columns[i], cell)
    found = [k for k, c in enumerate(columns) if c.index == i and c.part == part and c.label == label]
    return found[0] if found else None


def _row_index(table: outputs.Table, row: outputs.Row) -> int:
    return next(k for k, r in enumerate(table.rows) if r is row)


def sheet_cells(table: outputs.Table, row: outputs.Row, columns: list[SheetColumn], sources: outputs.Sources | None) -> list:
    """One row of a table's sheet: (value, number format or None) per :class:`SheetColumn`."""
    k = _row_index(table, row)
    facts = numbers(table, sources)[k]
    out: list[tuple[object, str | None]] = []
    for sc in columns:
        if sc.part == "sources":
            ids = list(dict.fromkeys([*row.refs, *(r for cell in row.cells for r in (cell.refs or ()))]))
            out.append((labels(ids, sources), None))
            continue
        if sc.index < 0:  # the row's Ref., where the report's table has no Ref. column
            out.append((row_ref(table, k) or None, None))
            continue
        cell = row.cells[sc.index] if sc.index < len(row.cells) else outputs.Cell("")
        if sc.part == "text" and table.columns[sc.index].ref and not row.refs:
            # a row without figure ids of its own (a recomputed total): its Ref. holds its numbers' codes, not the word
            # the report shows there (statistician, round 33: 'herberekend' in the key column)
            codes = list(dict.fromkeys(r for f in facts.values() for r in f["ids"]))
            out.append((", ".join(codes) if codes else cell.text, None))
            continue
        if sc.part == "text":
            out.append((cell.text, None))
            continue
        if _label(table.columns[sc.index], cell) != sc.label or sc.index not in facts:
            out.append((None, None))
            continue
        said = facts[sc.index]
        if sc.part == "value":
            out.append(excel_value(cell) if cell.value is not None else (None, None))
        elif sc.part in ("low", "high", "ratio"):
            number = getattr(cell, sc.part)
            digits = None if sc.part == "ratio" else cell.digits
            out.append((None, None) if number is None else _number(number, "" if sc.part == "ratio" else cell.unit, digits))
        elif sc.part in ("unit", "status", "kind", "ref"):
            out.append((said[sc.part] or None, None))
        elif sc.part in ("provisional", "rounded"):
            # empty where the CSV leaves it empty: no number, so nothing rounded (statistician, round 42)
            out.append((None if said[sc.part] is None else bool(said[sc.part]), None))
        else:  # shown: the cell as the report shows it, where it holds no number
            out.append((cell.text if cell.value is None and cell.text else None, None))
    return out


def sheet_names(L: Lang, reports: list[tuple[str, Path, outputs.Outputs]]) -> list[tuple[str, int, str]]:
    """(report name, table number, sheet name) for every table: '<chapter>, tabel <n>' where the chapter is the
    start of the report's title ('Vraag 5', 'Context'), else 'Hoofdstuk <n>'; at most 31 characters, unique."""
    out: list[tuple[str, int, str]] = []
    used: set[str] = set()
    for number, (name, _, found) in enumerate(reports, 1):
        head = found.title.split(" \u2013 ")[0].strip() if " \u2013 " in found.title else ""
        chapter = head if head and len(head) <= 16 else L.t("tables.chapter", n=number)
        for n in range(1, len(found.tables) + 1):
            sheet = SHEET_FORBIDDEN.sub("", L.t("tables.sheet", chapter=chapter, n=n))[:31]
            base, k = sheet, 1
            while sheet.lower() in used:
                k += 1
                sheet = f"{base[: 31 - len(str(k)) - 1]} {k}"
            used.add(sheet.lower())
            out.append((name, n, sheet))
    return out


def _width_text(table: outputs.Table, row: outputs.Row, column: SheetColumn, value: object) -> str:
    """The text a cell shows, for its column's width: a number as the report shows it, not as its raw digits."""
    if column.part == "value" and column.index < len(row.cells):
        return row.cells[column.index].text
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else str(value)


def write_workbook(path: Path, lang: str, reports: list[tuple[str, Path]], credits: Credits | None = None) -> int:
    """A contents sheet, then one sheet per table of the given reports (in order); returns the number of table sheets.

    ``credits``: who stands behind the workbook (the manifest's; the catalogue's default publisher when None). The
    publisher is its creator; a contact point and a responsible publisher, when given, are custom properties of their
    own (Contact, ResponsiblePublisher), as the PDFs' information has them."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    L = Lang(lang)
    read = [(name, notebook, outputs.read(notebook)) for name, notebook in reports]
    names = sheet_names(L, read)
    book = Workbook()
    contents = book.active
    contents.title = L.t("doc.contents")
    contents.append([L.t("doc.title")])
    contents["A1"].font = Font(bold=True)
    contents.append([L.t("tables.contents.intro")])
    contents.append([])
    contents.append(
        [L.t(k) for k in ("tables.contents.sheet", "tables.contents.chapter", "tables.contents.caption", "tables.contents.csv")]
    )
    for cell in contents[4]:
        cell.font = Font(bold=True)
    sheets = 0
    by_table = {(name, n): sheet for name, n, sheet in names}
    for name, notebook, found in read:
        for n, table in enumerate(found.tables, 1):
            title = by_table[(name, n)]
            sheet = book.create_sheet(title)
            sheets += 1
            csv_name = f"{notebook.stem}-table-{n}.csv"
            contents.append([title, found.title, table.caption, csv_name])
            link = contents.cell(contents.max_row, 1)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{title}'!A1")
            link.style = "Hyperlink"
            sheet.append([found.title])
            sheet.append([table.caption])
            sheet["A1"].font = Font(bold=True)
            sheet["A2"].font = Font(italic=True)
            sheet.append([])
            columns = sheet_columns(table, L)
            headers = [c.header for c in columns]
            sheet.append(headers)
            for cell in sheet[4]:
                cell.font = Font(bold=True)
            widths = [len(h) for h in headers]
            for row in table.rows:
                shown = sheet_cells(table, row, columns, found.sources)
                sheet.append([value for value, _ in shown])
                for cell, (_, fmt) in zip(sheet[sheet.max_row], shown):
                    if fmt:
                        cell.number_format = fmt
                # as wide as the text shown, not as the raw number's digits
                texts = [_width_text(table, row, c, value) for c, (value, _) in zip(columns, shown)]
                widths = [max(width, len(text)) for width, text in zip(widths, texts)]
            last = sheet.max_row
            sheet.freeze_panes = "A5"  # the header stays in view
            if table.rows:
                sheet.auto_filter.ref = f"A4:{get_column_letter(len(headers))}{last}"
            if table.note:
                sheet.append([])
                sheet.append([table.note])
                sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=False)
            for i, width in enumerate(widths, 1):
                sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
    # what the columns beside the numbers hold, and what each status code means
    contents.append([])
    contents.append([L.t("tables.contents.columns")])
    contents.append([])
    contents.append([L.t("tables.contents.legend")])
    contents.cell(contents.max_row, 1).font = Font(bold=True)
    contents.append([L.t("tables.contents.code"), L.t("tables.contents.meaning")])
    for cell in contents[contents.max_row]:
        cell.font = Font(bold=True)
    for code in tabular.STATUSES:
        contents.append([code, L.t(tabular.STATUS_ABOUT[code])])
    # what each kind of figure means, and the rule for a number that mixes kinds
    contents.append([])
    contents.append([L.t("tables.contents.kinds")])
    contents.cell(contents.max_row, 1).font = Font(bold=True)
    contents.append([L.t("tables.contents.code"), L.t("tables.contents.meaning")])
    for cell in contents[contents.max_row]:
        cell.font = Font(bold=True)
    for code in tabular.KINDS:
        contents.append([code, L.t(tabular.KIND_ABOUT[code])])
    contents.append([L.t("tables.kind.rule")])
    for column, width in zip("ABCD", (24, 50, 60, 24)):
        contents.column_dimensions[column].width = width
    book.properties.creator = credits.publisher if credits is not None else L.t("doc.publisher_default")
    for name, value in (
        ("Contact", credits.contact if credits is not None else None),
        ("ResponsiblePublisher", credits.responsible_publisher if credits is not None else None),
    ):
        if value is not None:
            book.custom_doc_props.append(StringProperty(name=name, value=value))
    book.properties.title = L.t("doc.title")
    book.properties.language = lang
    from analysis.config import build_moment

    moment = build_moment()
    if moment is not None:  # reproducible builds: the workbook carries the build date, not the clock
        book.properties.created = book.properties.modified = moment.replace(tzinfo=None)
    tmp = files.temp_path(path)
    try:
        book.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return sheets


def publish(out_dir: Path, state, manifest) -> None:
    """CSV files and their data package for every built report, and ``<lang>/tables.xlsx`` for the manifest's reports,
    when changed."""
    record = state.data.setdefault("tables", {})
    library = files.library_hash()  # a new layout rewrites the files of a notebook that did not change
    changed = False
    by_lang: dict[str, list[dict]] = {}
    for label, entry in state.data.get("reports", {}).items():
        lang, stem = label.split("/", 1)
        notebook = out_dir / lang / f"{stem}.ipynb"
        known = record.get(label, {})
        csvs = [out_dir / lang / name for name in known.get("csv", [])]
        if entry.get("status") not in ("built", "cached") or not notebook.exists():
            # a failed report keeps its previous good files, and so its place in the package
            if known.get("resources") and all(p.exists() for p in csvs):
                by_lang.setdefault(lang, []).extend(known["resources"])
            continue
        key = files.sha256_json([files.sha256_file(notebook), library])
        if known.get("key") != key or not all(p.exists() for p in csvs) or "resources" not in known:
            written, resources = write_csvs(notebook, lang)
            known = record[label] = {"key": key, "csv": [p.name for p in written], "resources": resources}
            changed = True
        by_lang.setdefault(lang, []).extend(known["resources"])
    for lang, resources in by_lang.items():
        write_package(out_dir / lang, lang, sorted(resources, key=lambda r: natural_key(r["path"])))
    if manifest is not None:
        changed |= _workbooks(out_dir, state, manifest)
    if changed:
        state.save()


def _workbooks(out_dir: Path, state, manifest) -> bool:
    books = state.data.setdefault("workbooks", {})
    changed = False
    for lang in manifest.languages:
        reports = [(r.name, out_dir / lang / f"{r.name}.ipynb") for r in manifest.reports]
        reports = [(name, notebook) for name, notebook in reports if notebook.exists()]
        if not reports:
            continue
        credits = manifest.credits_for(lang)
        key = files.sha256_json(
            [files.sha256_file(notebook) for _, notebook in reports] + [files.library_hash(), *astuple(credits)]
        )
        path = out_dir / lang / "tables.xlsx"
        if books.get(lang, {}).get("key") == key and path.exists():
            continue
        sheets = write_workbook(path, lang, reports, credits)
        books[lang] = {"key": key, "sheets": sheets}
        changed = True
    return changed
