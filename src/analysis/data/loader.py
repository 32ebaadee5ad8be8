"""Read and validate the data files.

Cells are parsed by this module, which knows the two CSV dialects people in Flanders
produce (Excel's Dutch export: ';' delimiter, ',' decimal mark, '.' thousands separator,
UTF-8 BOM; and plain ',' CSV), so that "62.297" is never read as sixty-two point three.
Value rules (categories, ranges, unique keys) are declared as pandera schemas built from
:mod:`analysis.data.schemas`. Every failure becomes a :class:`DataError` naming file, row,
column, value and what was expected.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.data.schemas import DATASETS, Dataset, Field
from analysis.errors import DataError, Problem

#: Every file the loader has read in this process, so the runner can record what a report depends on.
FILES_READ: set[str] = set()

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")
_PLAIN_INT = re.compile(r"^[+-]?\d+$")
_GROUPED_INT_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_NUMBER_DOT = re.compile(r"^[+-]?\d+(\.\d+)?$")
_NUMBER_NL = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_TRUE = {"true", "waar", "ja", "yes", "1", "y", "j"}
_FALSE = {"false", "onwaar", "nee", "no", "0", "n"}


@dataclass(frozen=True)
class Dialect:
    """How numbers are written in a file: decided by its delimiter."""

    delimiter: str
    decimal: str

    @property
    def label(self) -> str:
        return "';'-separated (Dutch Excel)" if self.delimiter == ";" else "','-separated"


COMMA = Dialect(",", ".")
SEMICOLON = Dialect(";", ",")
SPREADSHEET = Dialect("xlsx", ".")


# --------------------------------------------------------------------------- cell parsing
def _parse_number(text: str, dialect: Dialect, integer: bool) -> float | int:
    """Raise ValueError with the expectation when ``text`` is not a number in this dialect."""
    if dialect is SEMICOLON:
        if not _NUMBER_NL.match(text):
            if _NUMBER_DOT.match(text):
                raise ValueError(
                    "a number written the Dutch way in a ';'-separated file: ',' as decimal mark and '.' only "
                    "between groups of three digits (so 24,1 or 62.297)"
                )
            raise ValueError("a number (Dutch notation: 62.297 or 24,1)")
        value = float(text.replace(".", "").replace(",", "."))
    else:
        if _GROUPED_INT_DOT.match(text) and integer:
            raise ValueError(
                "a whole number without thousands separators in a ','-separated file (62297, not 62.297); "
                "or save the file with ';' as delimiter so Dutch notation is understood"
            )
        if "," in text:
            raise ValueError("a number with '.' as decimal mark and no thousands separator in a ','-separated file")
        if not _NUMBER_DOT.match(text):
            raise ValueError("a number")
        value = float(text)
    if integer:
        if value != int(value):
            raise ValueError("a whole number (a count cannot be fractional)")
        return int(value)
    return value


def _parse_cell(raw: object, f: Field, dialect: Dialect) -> object:
    """Turn one cell into its typed value; ValueError carries what was expected."""
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "" or (isinstance(raw, float) and pd.isna(raw)):
        if f.nullable:
            return None
        raise ValueError(f"{f.expected()} (the cell is empty)")
    kind = f.kind
    if kind in ("text", "category"):
        return str(raw)
    if kind == "id":
        text = str(raw)
        if not _ID.match(text):
            raise ValueError(f.expected())
        return text
    if kind in ("count", "number", "year", "month"):
        integer = kind != "number"
        if isinstance(raw, bool):
            raise ValueError(f.expected())
        if isinstance(raw, (int, float)):  # a numeric spreadsheet cell
            if integer and float(raw) != int(raw):
                raise ValueError(f"{f.expected()}; a count cannot be fractional")
            return int(raw) if integer else float(raw)
        try:
            return _parse_number(str(raw), dialect, integer)
        except ValueError as exc:
            raise ValueError(str(exc) if "whole number" in str(exc) else f"{f.expected()}: {exc}") from None
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f.expected())
    if kind == "period":
        if isinstance(raw, (dt.datetime, dt.date)):  # Excel turned "2021-01" into a date
            if raw.day != 1:
                raise ValueError(f.expected())
            return f"{raw.year:04d}-{raw.month:02d}"
        text = str(raw)
        m = _PERIOD.match(text)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f.expected() + ("; there is no month " + m.group(2) if m else ""))
        return text
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        text = str(raw)
        try:
            if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
                raise ValueError
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f.expected() + " that exists in the calendar") from None
    raise AssertionError(f"unknown field kind {kind}")


# --------------------------------------------------------------------------- file reading
def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        snippet = data[max(0, exc.start - 10) : exc.start + 10]
        raise DataError(
            path,
            [
                Problem(
                    line,
                    None,
                    snippet.decode("latin-1"),
                    "text encoded as UTF-8 (this file looks like Windows-1252/Latin-1: in Excel choose "
                    "'CSV UTF-8 (comma delimited)' when saving)",
                )
            ],
        ) from None


def _pick_dialect(path: Path, header_line: str, ds: Dataset) -> Dialect:
    expected = set(ds.columns)
    scores = {}
    for dialect in (COMMA, SEMICOLON):
        names = next(csv.reader([header_line], delimiter=dialect.delimiter))
        scores[dialect] = (len(expected & {n.strip() for n in names}), len(names))
    best = max(scores, key=lambda d: scores[d])
    if scores[best][1] < 2:
        found = "a tab" if "\t" in header_line else ("'|'" if "|" in header_line else "no delimiter")
        raise DataError(
            path,
            [
                Problem(
                    1,
                    None,
                    header_line[:80],
                    f"a header with the columns {', '.join(ds.columns)} separated by ',' or ';' (found {found})",
                )
            ],
        )
    return best


def _check_header(path: Path, names: list[str], ds: Dataset, header_row: int) -> None:
    problems = []
    for _i, name in enumerate(names):
        if name not in ds.columns:
            close = difflib.get_close_matches(name, ds.columns, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(header_row, name, name, f"only the columns {', '.join(ds.columns)}{hint}"))
    for col in ds.columns:
        if col not in names:
            problems.append(Problem(header_row, col, None, f"a column named '{col}' ({ds.field(col).description})"))
    dupes = {n for n in names if names.count(n) > 1}
    for name in sorted(dupes):
        problems.append(Problem(header_row, name, name, "each column once"))
    if problems:
        raise DataError(path, problems)


def _read_csv_rows(path: Path, ds: Dataset) -> tuple[list[str], list[tuple[int, list]], Dialect]:
    data = path.read_bytes()
    if not data.strip():
        raise DataError(
            path, [Problem(None, None, None, f"a header line with the columns {', '.join(ds.columns)} (the file is empty)")]
        )
    text = _decode(path, data)
    dialect = _pick_dialect(path, text.split("\n", 1)[0].rstrip("\r"), ds)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
    header = [h.strip() for h in next(reader)]
    _check_header(path, header, ds, 1)
    rows = []
    problems = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    line,
                    None,
                    dialect.delimiter.join(cells)[:80],
                    f"{len(header)} fields like the header, found {len(cells)} "
                    f"(a value containing '{dialect.delimiter}' must be quoted)",
                )
            )
            continue
        rows.append((line, cells))
    if problems:
        raise DataError(path, problems)
    return header, rows, dialect


def _read_xlsx_rows(path: Path, ds: Dataset) -> tuple[list[str], list[tuple[int, list]], Dialect]:
    """Read the first sheet; a title row or blank rows above the header are skipped."""
    import openpyxl  # imported here: only spreadsheets need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DataError(
            path, [Problem(None, None, None, f"an .xlsx workbook that opens ({exc.__class__.__name__}: {exc})")]
        ) from None
    sheet = book.worksheets[0]
    all_rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    wanted = set(ds.columns)
    header_index = None
    for i, row in enumerate(all_rows[:10]):
        names = {str(c).strip() for c in row if c is not None}
        if len(names & wanted) >= max(2, len(wanted) // 2):
            header_index = i
            break
    if header_index is None:
        raise DataError(
            path,
            [
                Problem(
                    1,
                    None,
                    None,
                    f"a header row (within the first 10 rows of the first sheet) with the columns {', '.join(ds.columns)}",
                )
            ],
        )
    raw_header = all_rows[header_index]
    while raw_header and raw_header[-1] is None:
        raw_header = raw_header[:-1]
    header = [str(c).strip() if c is not None else "" for c in raw_header]
    _check_header(path, header, ds, header_index + 1)
    rows = []
    for offset, row in enumerate(all_rows[header_index + 1 :]):
        row = list(row[: len(header)]) + [None] * (len(header) - len(row))
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
            continue
        rows.append((header_index + 2 + offset, row))
    return header, rows, SPREADSHEET


# --------------------------------------------------------------------------- validation
def _pandera_schema(ds: Dataset):
    import pandera.pandas as pa

    columns = {}
    for f in ds.fields:
        checks = []
        if f.kind == "category" and f.allowed:
            checks.append(pa.Check.isin(list(f.allowed), error="one of " + ", ".join(f.allowed)))
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum, error=f"a value of at least {f.minimum:g}"))
        if f.maximum is not None:
            checks.append(pa.Check.le(f.maximum, error=f"a value of at most {f.maximum:g}"))
        columns[f.name] = pa.Column(checks=checks, nullable=f.nullable, coerce=False)
    return pa.DataFrameSchema(columns, strict=True, ordered=False, unique=list(ds.key), report_duplicates="all")


def _pandera_problems(ds: Dataset, frame: pd.DataFrame, rows: list[int]) -> list[Problem]:
    import pandera.errors as pe

    try:
        _pandera_schema(ds).validate(frame, lazy=True)
    except pe.SchemaErrors as err:
        problems = []
        seen_keys: set = set()
        cases = err.failure_cases
        for case in cases.itertuples(index=False):
            index = case.index
            row = rows[int(index)] if index is not None and not pd.isna(index) else None
            check = str(case.check)
            if case.column in ds.columns:
                f = ds.field(case.column)
                expected = check if check not in ("", "None") else f.expected()
                if "unique" in check or "duplicates" in check or case.schema_context == "DataFrameSchema":
                    key = "+".join(ds.key)
                    if (row, key) in seen_keys:
                        continue
                    seen_keys.add((row, key))
                    values = frame.iloc[int(index)][list(ds.key)].tolist() if row is not None else case.failure_case
                    problems.append(
                        Problem(
                            row,
                            key,
                            " / ".join(map(str, values)),
                            "each combination of " + ", ".join(ds.key) + " once (this one appears more than once)",
                        )
                    )
                    continue
                problems.append(Problem(row, case.column, case.failure_case, expected))
            else:
                problems.append(Problem(row, None, case.failure_case, check))
        return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
    return []


def read_dataset(path: Path, ds: Dataset) -> pd.DataFrame:
    """Read one file of dataset ``ds``; raise DataError listing every bad cell."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header, rows, dialect = _read_csv_rows(path, ds)
    elif suffix == ".xlsx":
        header, rows, dialect = _read_xlsx_rows(path, ds)
    else:
        raise DataError(path, [Problem(None, None, path.suffix, "a .csv or .xlsx file")])
    if not rows:
        raise DataError(path, [Problem(2, None, None, "at least one data row below the header (the file has a header only)")])
    problems: list[Problem] = []
    records = []
    for line, cells in rows:
        record = {}
        for name, raw in zip(header, cells):
            f = ds.field(name)
            try:
                record[name] = _parse_cell(raw, f, dialect)
            except ValueError as exc:
                problems.append(Problem(line, name, raw, str(exc)))
                record[name] = None
        records.append(record)
    if problems:
        raise DataError(path, problems)
    frame = pd.DataFrame.from_records(records, columns=ds.columns)
    for f in ds.fields:
        if f.kind in ("count", "year", "month"):
            frame[f.name] = frame[f.name].astype("Int64" if f.nullable else "int64")
        elif f.kind == "number":
            frame[f.name] = frame[f.name].astype("float64")
        elif f.kind == "bool":
            frame[f.name] = frame[f.name].astype("bool")
    line_numbers = [line for line, _ in rows]
    problems = _pandera_problems(ds, frame, line_numbers)
    if problems:
        raise DataError(path, problems)
    # Cross-row checks report spreadsheet rows: the index holds them.
    frame.index = pd.Index(line_numbers, name="row")
    for check in ds.checks:
        problems.extend(check(frame))
    if problems:
        raise DataError(path, problems)
    frame.attrs["path"] = str(path)
    frame.attrs["dataset"] = ds.name
    FILES_READ.add(str(path.resolve()))
    return frame


def dataset_path(data_dir: Path, ds: Dataset) -> Path | None:
    """The file holding ``ds`` in ``data_dir``: <name>.csv or <name>.xlsx, never both."""
    folder = Path(data_dir) / ds.subdir if ds.subdir else Path(data_dir)
    candidates = [folder / f"{ds.name}{ext}" for ext in (".csv", ".xlsx")]
    present = [c for c in candidates if c.exists()]
    if len(present) > 1:
        raise DataError(
            present[0], [Problem(None, None, None, f"one file for '{ds.name}', not both {present[0].name} and {present[1].name}")]
        )
    return present[0] if present else None


def load(name: str, data_dir: str | Path | None = None) -> pd.DataFrame | None:
    """Load dataset ``name``; an absent optional extract gives None, an absent required file an error."""
    ds = DATASETS[name]
    folder = config.resolve_data_dir(data_dir)
    path = dataset_path(folder, ds)
    if path is None:
        if ds.optional:
            return None
        raise DataError(
            folder / f"{ds.name}.csv", [Problem(None, None, None, f"this file to exist ({ds.row_means} See data/README.md.)")]
        )
    return read_dataset(path, ds)


@dataclass
class DataBundle:
    """All datasets of one data folder, loaded and cross-checked (every source_id and operand resolves)."""

    data_dir: Path
    frames: dict[str, pd.DataFrame | None]

    def __getitem__(self, name: str) -> pd.DataFrame | None:
        return self.frames[name]

    def has(self, name: str) -> bool:
        return self.frames.get(name) is not None


def load_all(data_dir: str | Path | None = None, names: list[str] | None = None) -> DataBundle:
    folder = config.resolve_data_dir(data_dir)
    if not folder.is_dir():
        raise DataError(folder, [Problem(None, None, None, "a folder with the data files (see data/README.md)")])
    names = names or list(DATASETS)
    if "sources" not in names:
        names = ["sources", *names]
    frames = {name: load(name, folder) for name in names}
    _check_references(frames)
    return DataBundle(folder, frames)


def _check_references(frames: dict[str, pd.DataFrame | None]) -> None:
    sources = set(frames["sources"]["source_id"])
    for name, frame in frames.items():
        if frame is None or name == "sources" or "source_id" not in frame:
            continue
        bad = frame[~frame["source_id"].isin(sources)]
        if len(bad):
            raise DataError(
                frame.attrs["path"],
                [Problem(int(i), "source_id", v, "a source_id listed in sources.csv") for i, v in bad["source_id"].items()],
            )
    derived = frames.get("published_derived")
    if derived is not None:
        known = set(derived["derived_id"])
        for name in ("contact_actions", "online_actions", "online_enrolments", "claims"):
            frame = frames.get(name)
            if frame is not None:
                known |= set(frame[frame.columns[0]])
        problems = []
        for i, r in derived.iterrows():
            missing = [op for op in r.operands.split() if op not in known]
            if missing:
                problems.append(
                    Problem(int(i), "operands", r.operands, f"identifiers of existing figures (unknown: {', '.join(missing)})")
                )
        if problems:
            raise DataError(derived.attrs["path"], problems)
