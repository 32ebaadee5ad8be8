"""Read and validate the data files, whole columns at a time.

Extracts run to a million rows, so nothing here works cell by cell: a CSV file is read by
pyarrow's reader into string columns, each column is reduced to its distinct values, and the
two dialects' number rules (Excel's Dutch export: ';' delimiter, ',' decimal mark, '.'
thousands separator; plain ',' CSV with plain digits) run as vectorised string rules on those
values, so that "62.297" is never read as sixty-two point three. Value rules (categories,
ranges, unique keys) are pandera checks on the typed frame. Messages are built only for the
failing rows: the first few of each column and how many more, each naming file, spreadsheet
row, column, value and what was expected.

Files the fast reader cannot vouch for row by row (quoted line breaks, rows with the wrong
number of fields, an unbalanced header) go through Python's csv module instead, which is
slower but exact about spreadsheet rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import config
from analysis.data import schemas
from analysis.data.schemas import DATASETS, Dataset, Field
from analysis.errors import DataError, Problem

#: Every file the loader has read in this process, so the runner can record what a report depends on.
FILES_READ: set[str] = set()
#: Frames validated by :func:`preload` before this process was forked, by resolved path, with the
#: dataset and the SHA-256 of the bytes they were validated from.
_PRELOADED: dict[str, tuple[tuple[str, str], pd.DataFrame]] = {}
_PRELOADING = False

LISTED_PER_COLUMN = schemas.LISTED_PER_COLUMN
#: Longest value quoted in a message: a 128 KiB cell would drown the message it is meant to explain.
VALUE_PREVIEW = 80
#: Digits a count may have: every 18-digit number fits in 64 bits.
COUNT_DIGITS = 18
#: Digits before the decimal mark of a decimal figure: beyond 15 a float no longer holds every digit.
NUMBER_DIGITS = 15
#: Validated frames of files at least this large are kept (Arrow IPC, keyed by content and by the
#: loader's own code), because a build validates a large extract once before it runs and once in
#: every notebook that uses it; small files are quicker to validate than to look up.
CACHE_MIN_BYTES = 4 * 1024 * 1024
CACHE_DIR = Path(os.environ.get("ANALYSIS_CACHE_DIR") or config.PROJECT_DIR / ".build" / "validated")
#: Entries kept: the most recently used ones, so old extracts do not pile up (a million participant
#: records take 160 MB).
CACHE_ENTRIES = 4

_ID = schemas.ID_PATTERN
_GROUPED_INT_DOT = r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+"
_NUMBER_DOT = r"[+-]?[0-9]+(?:\.[0-9]+)?"
_NUMBER_NL = r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?"
_TRUE = set(schemas.TRUE_WORDS)
_FALSE = set(schemas.FALSE_WORDS)


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


def _preview(value: object) -> object:
    if isinstance(value, str) and len(value) > VALUE_PREVIEW:
        return value[: VALUE_PREVIEW - 1] + "…"
    return value


# --------------------------------------------------------------------------- column rules
class _Rules:
    """Vectorised rules over the distinct stripped text values of one column.

    ``values`` collects the typed value of each distinct text, ``errors`` the expectation it
    breaks (None when it is fine); the first rule a value breaks is the one reported.
    """

    def __init__(self, texts: pd.Series):
        self.s = texts
        self.errors = pd.Series(None, index=texts.index, dtype=object)

    def fail(self, mask: pd.Series | np.ndarray, message: str | pd.Series) -> None:
        """Record ``message`` (one text, or one per value) where ``mask`` holds and nothing failed yet."""
        mask = pd.Series(mask, index=self.s.index).fillna(False).astype(bool) & self.errors.isna()
        if mask.any():
            self.errors[mask] = message[mask] if isinstance(message, pd.Series) else message

    @property
    def ok(self) -> pd.Series:
        return self.errors.isna()


def _number_rules(r: _Rules, f: Field, dialect: Dialect) -> np.ndarray:
    """The dialect's number notation, then size and wholeness; returns the parsed values."""
    s = r.s
    integer = f.kind != "number"
    expected = f.expected()
    if dialect is SEMICOLON:
        dutch = s.str.fullmatch(_NUMBER_NL)
        r.fail(
            ~dutch & s.str.fullmatch(_NUMBER_DOT),
            f"{expected}: a number written the Dutch way in a ';'-separated file: ',' as decimal mark and '.' only "
            "between groups of three digits (so 24,1 or 62.297)",
        )
        r.fail(~dutch, f"{expected}: a number (Dutch notation: 62.297 or 24,1)")
        normal = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        if integer:
            r.fail(
                s.str.fullmatch(_GROUPED_INT_DOT),
                "a whole number without thousands separators in a ','-separated file (62297, not 62.297); "
                "or save the file with ';' as delimiter so Dutch notation is understood",
            )
        r.fail(
            s.str.contains(",", regex=False),
            f"{expected}: a number with '.' as decimal mark and no thousands separator in a ','-separated file",
        )
        r.fail(~s.str.fullmatch(_NUMBER_DOT), f"{expected}: a number")
        normal = s
    normal = normal.where(r.ok, "0")
    whole = normal.str.extract(r"^([+-]?)0*([0-9]*)(?:\.([0-9]*))?$")
    sign, digits, fraction = whole[0].fillna(""), whole[1].fillna(""), whole[2].fillna("")
    if integer:
        too_large = f"{expected}: at most {COUNT_DIGITS} digits (this number is too large for a count)"
    else:
        too_large = f"{expected}: at most {NUMBER_DIGITS} digits before the decimal mark (too large for a figure)"
    r.fail(digits.str.len() > (COUNT_DIGITS if integer else NUMBER_DIGITS), too_large)
    if integer:
        r.fail(fraction.str.strip("0").str.len() > 0, "a whole number (a count cannot be fractional)")
        text = (sign + digits.where(digits.str.len() > 0, "0")).where(r.ok, "0")
        counts: np.ndarray = pd.to_numeric(text.astype(object)).to_numpy(dtype="int64")
        return counts
    text = normal.where(r.ok, "0")
    numbers: np.ndarray = pd.to_numeric(text.astype(object)).to_numpy(dtype="float64")
    return numbers


def _text_rules(texts: pd.Series, f: Field, dialect: Dialect) -> tuple[np.ndarray | None, pd.Series]:
    """Typed values and expectations for distinct non-empty texts (stripped) of field ``f``.

    Kinds that stay text give None for the values: the stripped texts are the values.
    """
    r = _Rules(texts)
    s = texts
    kind = f.kind
    values: np.ndarray | None = None
    if kind in ("text", "category"):
        pass
    elif kind == "id":
        r.fail(~s.str.fullmatch(_ID), f.expected())
    elif kind in ("count", "number", "year", "month"):
        values = _number_rules(r, f, dialect)
    elif kind == "bool":
        lower = s.str.lower()
        truth = lower.isin(_TRUE)
        r.fail(~truth & ~lower.isin(_FALSE), f.expected())
        values = truth.to_numpy(dtype=bool)
    elif kind == "period":
        shape = s.str.fullmatch(r"[0-9]{4}-[0-9]{2}")
        month = s.str.slice(5, 7)
        r.fail(~shape, f.expected())
        r.fail(~month.between("01", "12"), f.expected() + "; there is no month " + month.astype(object))
    elif kind == "date":
        shape = s.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
        when = pd.to_datetime(s.astype(object).where(shape), format="%Y-%m-%d", errors="coerce")
        r.fail(when.isna(), f.expected() + " that exists in the calendar")
        values = np.array([d.date() if isinstance(d, pd.Timestamp) else None for d in when], dtype=object)
    else:
        raise AssertionError(f"unknown field kind {kind}")
    return values, r.errors


def _typed_cell(raw: object, f: Field) -> object:
    """One spreadsheet cell that is not text (number, date, boolean); ValueError says what was expected.

    Only distinct cells come here, so a column of a hundred thousand ages costs a hundred calls.
    """
    kind = f.kind
    if isinstance(raw, float) and raw.is_integer() and kind in ("text", "category", "id"):
        raw = int(raw)
    if kind in ("text", "category"):
        return str(raw)
    if kind == "id":
        if not re.fullmatch(_ID, str(raw)):
            raise ValueError(f.expected())
        return str(raw)
    if kind in ("count", "number", "year", "month"):
        integer = kind != "number"
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not np.isfinite(raw):
            raise ValueError(f.expected())
        if integer:
            if float(raw) != int(raw):
                raise ValueError(f"{f.expected()}; a count cannot be fractional")
            if abs(int(raw)) >= 10**COUNT_DIGITS:
                raise ValueError(f"{f.expected()}: at most {COUNT_DIGITS} digits (this number is too large for a figure)")
            return int(raw)
        if abs(raw) >= 10**NUMBER_DIGITS:
            raise ValueError(f"{f.expected()}: at most {NUMBER_DIGITS} digits before the decimal mark")
        return float(raw)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise ValueError(f.expected())
    if kind == "period":
        if isinstance(raw, (dt.datetime, dt.date)) and raw.day == 1:  # Excel turned "2021-01" into a date
            return f"{raw.year:04d}-{raw.month:02d}"
        raise ValueError(f.expected())
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        raise ValueError(f.expected() + " that exists in the calendar")
    raise AssertionError(f"unknown field kind {kind}")


@dataclass
class _Column:
    """One column as codes into its distinct values: cheap to test, cheap to turn back into rows."""

    codes: np.ndarray  # one per row: index into uniques
    uniques: Any  # the distinct raw cells (numpy objects or an Arrow array); one more code means a missing cell

    def raw(self, i: int) -> object:
        if isinstance(self.uniques, np.ndarray):
            return self.uniques[i]
        return self.uniques[i].as_py() if i < len(self.uniques) else None

    stripped: pd.Series  # string[pyarrow]: the distinct cells as text, stripped ('' for missing)
    is_text: np.ndarray  # bool per distinct cell: read as text (every CSV cell; text cells of a sheet)


def _encode_arrow(chunked: Any) -> _Column:  # a pyarrow ChunkedArray
    """A dictionary-typed column from pyarrow's reader: its codes and distinct values are already there."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = chunked.unify_dictionaries().combine_chunks() if chunked.num_chunks else None
    if encoded is None or isinstance(encoded, pa.ChunkedArray):
        encoded = pc.dictionary_encode(pc.cast(chunked, pa.string())).combine_chunks()
    dictionary = encoded.dictionary
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    texts = pc.utf8_trim_whitespace(dictionary)
    stripped = pd.Series(pd.arrays.ArrowStringArray(pa.concat_arrays([texts, pa.array([""], pa.string())])))
    return _Column(codes, dictionary, stripped, np.ones(len(dictionary) + 1, dtype=bool))


def _encode_objects(cells: np.ndarray) -> _Column:
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    codes = codes.astype(np.int64)
    uniques = np.append(np.asarray(uniques, dtype=object), np.array([None], dtype=object))
    codes[codes < 0] = len(uniques) - 1
    is_text = np.array([u is None or isinstance(u, str) for u in uniques], dtype=bool)
    stripped = pd.Series(
        [u.strip() if isinstance(u, str) else ("" if u is None else "\x00") for u in uniques], dtype="string[pyarrow]"
    )
    return _Column(codes, uniques, stripped, is_text)


_TEXT_KINDS = ("text", "category", "id", "period")


def _parse_column(col: _Column, f: Field, dialect: Dialect) -> tuple[object, np.ndarray]:
    """The column's typed values (one per row) and the expectation each distinct cell breaks (or None)."""
    n = len(col.is_text)
    empty = col.is_text & (col.stripped == "").to_numpy(dtype=bool)
    errors = np.full(n, None, dtype=object)
    values = np.full(n, None, dtype=object)
    texts = col.is_text & ~empty
    if texts.any():
        idx = np.flatnonzero(texts)
        parsed, errs = _text_rules(col.stripped.iloc[idx].reset_index(drop=True), f, dialect)
        if parsed is not None:
            values[idx] = parsed
        errs = np.array(errs.to_numpy(dtype=object), dtype=object)
        errs[pd.isna(errs)] = None
        errors[idx] = errs
    for i in np.flatnonzero(~col.is_text):
        try:
            values[i] = _typed_cell(col.raw(int(i)), f)
        except ValueError as exc:
            errors[i] = str(exc)
    if not f.nullable:
        errors[empty] = f"{f.expected()} (the cell is empty)"
    missing = empty | pd.notna(errors)
    if f.kind in _TEXT_KINDS:
        return _strings(col, values, missing), errors
    return _typed(values, missing, col.codes, f), errors


def _strings(col: _Column, values: np.ndarray, missing: np.ndarray) -> Any:  # a pandas ArrowStringArray
    """A text column straight from Arrow: pandas' own string dtype, without a Python object per row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pa.array(col.stripped.array)
    if not col.is_text.all():  # spreadsheet cells that were numbers or dates, now written as text
        listed = texts.to_pylist()
        for i in np.flatnonzero(~col.is_text):
            listed[i] = values[i]
        texts = pa.array(listed, type=pa.string())
    if missing.any():
        texts = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), texts)
    identity = len(col.codes) == len(texts) - 1 and bool((col.codes == np.arange(len(col.codes))).all())
    rows = texts.slice(0, len(col.codes)) if identity else pc.take(texts, pa.array(col.codes))
    return pd.array(rows, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def _typed(values: np.ndarray, missing: np.ndarray, codes: np.ndarray, f: Field) -> Any:  # ndarray or IntegerArray
    """Distinct values back to one per row, in the dtype the field's kind promises."""
    kind = f.kind
    if kind in ("count", "year", "month"):
        ints = np.where(missing, 0, values).astype("int64")[codes]
        if f.nullable:
            return pd.arrays.IntegerArray(ints, missing[codes])
        return ints
    if kind == "number":
        return np.where(missing, np.nan, values).astype("float64")[codes]
    if kind == "bool":
        return np.where(missing, False, values).astype(bool)[codes]
    out = values.copy()
    out[missing] = None
    return out[codes]


def _column_problems(col: _Column, errors: np.ndarray, rows: np.ndarray, name: str) -> list[Problem]:
    """The first failing rows of one column, and one line counting the rest."""
    bad = pd.notna(errors)
    if not bad.any():
        return []
    failing = np.flatnonzero(bad[col.codes])
    problems = [
        Problem(int(rows[i]), name, _preview(col.raw(col.codes[i])), errors[col.codes[i]]) for i in failing[:LISTED_PER_COLUMN]
    ]
    more = len(failing) - LISTED_PER_COLUMN
    if more > 0:
        problems.append(_more(name, more))
    return problems


_more = schemas.more_rows


def _order(problems: list[Problem]) -> list[Problem]:
    """Rows in spreadsheet order; the counts of unlisted rows come last."""
    return sorted(problems, key=lambda p: (p.row is None, p.row or 0, p.column or ""))


# --------------------------------------------------------------------------- file reading
_UTF16_HINT = "or save it from Excel as 'CSV UTF-8 (comma delimited)'"


def _not_text(path: Path, what: str) -> DataError:
    return DataError(
        path,
        [
            Problem(
                None,
                None,
                None,
                f"a text file with comma- or semicolon-separated values; this file is not text ({what}): "
                "export the data from its program as 'CSV UTF-8 (comma delimited)' or save it as .xlsx",
            )
        ],
    )


def _looks_binary(sample: bytes) -> bool:
    """Control characters other than tab and line breaks are rare in any text, common in binary formats."""
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls > max(2, len(sample) // 100)


def _utf16(path: Path, data: bytes) -> bytes | None:
    """UTF-16 text (Excel's 'Unicode text' export) re-encoded as UTF-8; None when the file is not UTF-16."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    else:
        sample = data[:4096]
        half = max(1, len(sample) // 2)
        if sample[1::2].count(0) >= 0.6 * half and sample[0::2].count(0) < 0.1 * half:
            encoding = "utf-16-le"
        elif sample[0::2].count(0) >= 0.6 * half and sample[1::2].count(0) < 0.1 * half:
            encoding = "utf-16-be"
        else:
            return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataError(
            path,
            [Problem(None, None, None, f"readable UTF-16 text (it breaks at byte {exc.start}) {_UTF16_HINT}")],
        ) from None
    return text.lstrip("\ufeff").encode("utf-8")


def _text_bytes(path: Path, data: bytes) -> tuple[bytes, str]:
    """The file as UTF-8 without byte-order mark and with '\\n' line ends, or a DataError saying what it is.

    The text returned with it is a hint for a header that does not fit: UTF-16 files are
    mostly Excel's 'Unicode text' export, which is tab-separated.
    """
    hint = ""
    converted = _utf16(path, data)
    if converted is not None:
        data = converted
        hint = f"; this file is UTF-16, as Excel's 'Unicode text' export is: {_UTF16_HINT.removeprefix('or ')}"
    elif b"\x00" in data:
        raise _not_text(path, "it contains NUL bytes, as binary formats do")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _looks_binary(data[:4096]):
            raise _not_text(path, "it is full of control characters") from None
        line = data[: exc.start].count(b"\n") + data[: exc.start].count(b"\r") * (b"\n" not in data) + 1
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
    if b"\r" in data:  # Windows (CRLF) and old Mac (CR only) line ends alike
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data, hint


def _pick_dialect(path: Path, header_line: str, ds: Dataset, hint: str = "") -> Dialect:
    expected = set(ds.columns)
    scores = {}
    for dialect in (COMMA, SEMICOLON):
        names = next(csv.reader([header_line], delimiter=dialect.delimiter), [])
        scores[dialect] = (len(expected & {n.strip() for n in names}), len(names))
    best = max(scores, key=lambda d: scores[d])
    if scores[best][1] < 2:
        if not header_line.strip():
            found = "an empty first line"
        else:
            found = "a tab" if "\t" in header_line else ("'|'" if "|" in header_line else "no delimiter")
        raise DataError(
            path,
            [
                Problem(
                    1,
                    None,
                    _preview(header_line),
                    f"a header with the columns {', '.join(ds.columns)} separated by ',' or ';' (found {found}){hint}",
                )
            ],
        )
    return best


def _check_header(path: Path, names: list[str], ds: Dataset, header_row: int) -> None:
    problems = []
    for name in names:
        if name not in ds.columns:
            close = difflib.get_close_matches(name, ds.columns, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                Problem(header_row, str(_preview(name)), _preview(name), f"only the columns {', '.join(ds.columns)}{hint}")
            )
    for col in ds.columns:
        if col not in names:
            problems.append(Problem(header_row, col, None, f"a column named '{col}' ({ds.field(col).description})"))
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(header_row, name, name, "each column once"))
    if problems:
        raise DataError(path, problems)


def _empty(path: Path, ds: Dataset) -> DataError:
    return DataError(
        path, [Problem(None, None, None, f"a header line with the columns {', '.join(ds.columns)} (the file is empty)")]
    )


def _read_csv(path: Path, ds: Dataset) -> tuple[list[str], list[_Column], np.ndarray, Dialect]:
    data = path.read_bytes()
    if not data or data.isspace():
        raise _empty(path, ds)
    data, hint = _text_bytes(path, data)
    if not data or data.isspace():
        raise _empty(path, ds)
    end = data.find(b"\n")
    header_line = data[: end if end >= 0 else len(data)].decode("utf-8")
    dialect = _pick_dialect(path, header_line, ds, hint)
    header = [h.strip() for h in next(csv.reader([header_line], delimiter=dialect.delimiter))]
    _check_header(path, header, ds, 1)
    fast = None if header_line.count('"') % 2 else _read_csv_fast(data, len(header), dialect)
    if fast is not None:
        return header, fast[0], fast[1], dialect
    columns, rows = _read_csv_exact(path, data, header, dialect)
    return header, columns, rows, dialect


def _read_csv_fast(data: bytes, width: int, dialect: Dialect) -> tuple[list[_Column], np.ndarray] | None:
    """pyarrow's multi-threaded reader; None when it cannot vouch for the spreadsheet row of every record."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    refused: list[object] = []

    def invalid(row: object) -> str:
        refused.append(row)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(
                delimiter=dialect.delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.dictionary(pa.int32(), pa.string()) for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if refused or table.num_rows != lines - 1:  # quoted line breaks or ragged rows: ask the exact reader
        return None
    rows = np.arange(2, table.num_rows + 2, dtype=np.int64)
    return [_encode_arrow(table.column(n)) for n in names], rows


def _read_csv_exact(path: Path, data: bytes, header: list[str], dialect: Dialect) -> tuple[list[_Column], np.ndarray]:
    """Python's csv module, record by record: spreadsheet rows stay exact whatever the quoting."""
    if csv.field_size_limit() < sys.maxsize // 4:
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a long note is text, not an error
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=dialect.delimiter)
    records: list[list[str]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    ragged = 0
    try:
        next(reader)
        for row, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                ragged += 1
                if ragged <= LISTED_PER_COLUMN:
                    problems.append(
                        Problem(
                            row,
                            None,
                            _preview(dialect.delimiter.join(cells)),
                            f"{len(header)} fields like the header, found {len(cells)} "
                            f"(a value containing '{dialect.delimiter}' must be quoted)",
                        )
                    )
                continue
            records.append(cells)
            rows.append(row)
    except csv.Error as exc:
        problems.append(Problem(len(rows) + ragged + 2, None, None, f"well-formed CSV ({exc})"))
    if ragged > LISTED_PER_COLUMN:
        problems.append(_more(None, ragged - LISTED_PER_COLUMN))
    if problems:
        raise DataError(path, problems)
    table = np.empty((len(records), len(header)), dtype=object)
    if records:
        table[:] = records
    return [_encode_objects(table[:, i]) for i in range(len(header))], np.array(rows, dtype=np.int64)


def _read_xlsx(path: Path, ds: Dataset) -> tuple[list[str], list[_Column], np.ndarray, Dialect]:
    """Read the first sheet with python-calamine; a title row or blank rows above the header are skipped."""
    import python_calamine  # imported here: only spreadsheets need it

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        all_rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # a broken workbook raises many kinds of error
        raise DataError(
            path, [Problem(None, None, None, f"an .xlsx workbook that opens ({exc.__class__.__name__}: {_preview(str(exc))})")]
        ) from None
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
    raw_header = list(all_rows[header_index])
    while raw_header and (raw_header[-1] is None or raw_header[-1] == ""):
        raw_header.pop()
    header = [str(c).strip() if c is not None else "" for c in raw_header]
    _check_header(path, header, ds, header_index + 1)
    body = all_rows[header_index + 1 :]
    cells = np.full((len(body), len(header)), None, dtype=object)
    for i, row in enumerate(body):
        part = row[: len(header)]
        cells[i, : len(part)] = part
    rows = np.arange(header_index + 2, header_index + 2 + len(body), dtype=np.int64)
    return header, [_encode_objects(cells[:, i]) for i in range(len(header))], rows, SPREADSHEET


# --------------------------------------------------------------------------- validation
Rule = Callable[..., pd.Series]  # a column -> the rows breaking the rule


def _value_rules(ds: Dataset) -> dict[tuple[str, str], Rule]:
    """(column, expectation) -> the rows breaking it, for every value check the contract declares."""
    rules: dict[tuple[str, str], Rule] = {}
    for f in ds.fields:
        if f.kind == "category" and f.allowed:
            rules[f.name, "one of " + ", ".join(f.allowed)] = lambda s, a=f.allowed: s.notna() & ~s.isin(a)
        if f.minimum is not None:
            rules[f.name, f"a value of at least {f.minimum:g}"] = lambda s, m=f.minimum: (s < m).fillna(False)
        if f.maximum is not None:
            rules[f.name, f"a value of at most {f.maximum:g}"] = lambda s, m=f.maximum: (s > m).fillna(False)
    return rules


def _pandera_schema(ds: Dataset) -> Any:  # a pandera DataFrameSchema
    """The contract's value rules as a pandera schema; each check reports only its first failing rows.

    Building pandera's report of a million failing rows takes longer than the whole
    validation, and only the first few are shown: the rest are counted by _value_rules.
    """
    import pandera.pandas as pa

    checks: dict[str, list[Any]] = {f.name: [] for f in ds.fields}
    for (name, expected), rule in _value_rules(ds).items():
        check = pa.Check(lambda s, r=rule: ~r(s), error=expected, n_failure_cases=LISTED_PER_COLUMN)
        checks[name].append(check)
    columns = {f.name: pa.Column(checks=checks[f.name], nullable=f.nullable, coerce=False) for f in ds.fields}
    return pa.DataFrameSchema(columns, strict=True, ordered=False, unique=list(ds.key), report_duplicates="all")


def _pandera_problems(ds: Dataset, frame: pd.DataFrame) -> list[Problem]:
    """pandera's failure cases as problems: the first rows of each column and check, the rest counted."""
    import pandera.errors as pe

    try:
        _pandera_schema(ds).validate(frame, lazy=True)
    except pe.SchemaErrors as err:
        cases = err.failure_cases
        checks = cases["check"].astype(str)
        duplicate = checks.str.contains("unique|duplicates") | (cases["schema_context"] == "DataFrameSchema")
        problems: list[Problem] = []
        rows = sorted({int(i) for i in cases.loc[duplicate, "index"].dropna()})
        key = "+".join(ds.key)
        for row in rows[:LISTED_PER_COLUMN]:
            values = frame.loc[row, list(ds.key)].tolist()
            problems.append(
                Problem(
                    row,
                    key,
                    _preview(" / ".join(map(str, values))),
                    "each combination of " + ", ".join(ds.key) + " once (this one appears more than once)",
                )
            )
        if len(rows) > LISTED_PER_COLUMN:
            problems.append(_more(key, len(rows) - LISTED_PER_COLUMN))
        rest = cases[~duplicate].assign(check=checks[~duplicate])
        rules = _value_rules(ds)
        for (column, check), group in rest.groupby(["column", "check"], sort=False, dropna=False):
            group = group.sort_values("index", na_position="first", kind="stable")
            name = column if column in ds.columns else None
            expected = check if check not in ("", "None") or name is None else ds.field(name).expected()
            for case in group.head(LISTED_PER_COLUMN).itertuples(index=False):
                at = None if case.index is None or pd.isna(case.index) else int(case.index)
                problems.append(Problem(at, name, _preview(case.failure_case), expected))
            rule = rules.get((column, check))
            failing = int(rule(frame[column]).sum()) if rule is not None else len(group)
            if failing > LISTED_PER_COLUMN:
                problems.append(_more(name, failing - LISTED_PER_COLUMN))
        return _order(problems)
    return []


def _cache_key(path: Path, ds: Dataset) -> Path | None:
    try:
        if CACHE_DIR is None or path.stat().st_size < CACHE_MIN_BYTES:
            return None
        digest = hashlib.sha256(ds.name.encode())
        for code in (__file__, schemas.__file__):
            digest.update(Path(code).read_bytes())
        with open(path, "rb") as fh:
            digest.update(hashlib.file_digest(fh, "sha256").digest())
    except OSError:
        return None
    return CACHE_DIR / f"{digest.hexdigest()}.arrow"


def _cached(key: Path | None) -> pd.DataFrame | None:
    if key is None or not key.exists():
        return None
    import pyarrow as pa

    try:
        with pa.memory_map(str(key)) as source:
            frame = pa.ipc.open_file(source).read_all().to_pandas()
        os.utime(key)  # recently used: kept when the cache is pruned
        return frame
    except (OSError, pa.ArrowException):
        return None  # a damaged entry is read again from the file


def _keep(key: Path | None, frame: pd.DataFrame) -> None:
    if key is None:
        return
    import pyarrow as pa

    try:
        key.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(frame, preserve_index=True)
        partial = key.with_suffix(f".{os.getpid()}.part")
        # Uncompressed, so that reading back is a memory map rather than a decompression.
        with pa.OSFile(str(partial), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(partial, key)
        entries = sorted(key.parent.glob("*.arrow"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[CACHE_ENTRIES:]:
            old.unlink(missing_ok=True)
    except (OSError, pa.ArrowException):
        pass  # a cache that cannot be written only costs time


def read_dataset(path: Path, ds: Dataset) -> pd.DataFrame:
    """Read one file of dataset ``ds``; raise DataError naming the failing rows of every column."""
    path = Path(path)
    resolved = str(path.resolve())
    kept = _PRELOADED.get(resolved)
    frame = None
    if kept is not None:
        try:
            if kept[0] == (ds.name, _content_digest(path)):
                frame = kept[1].copy(deep=True)  # this process's own copy: what the notebook does to it stays here
        except OSError:
            pass  # read below, which names the problem
    if frame is None:
        before = _content_digest(path) if _PRELOADING else ""
        key = _cache_key(path, ds)
        frame = _cached(key)
        if frame is None:
            frame = _validated(path, ds)
            _keep(key, frame)
        if _PRELOADING and before == _content_digest(path):  # kept only when the file did not change meanwhile
            _PRELOADED[resolved] = ((ds.name, before), frame)
    frame.attrs["path"] = str(path)
    frame.attrs["dataset"] = ds.name
    FILES_READ.add(resolved)
    return frame


def _content_digest(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def preload(data_dir: str | Path | None = None) -> DataError | None:
    """Validate every data file of ``data_dir`` now and keep the frames for the processes forked from this one.

    The kernel fork server calls this once per build before it forks any kernel: a report's
    kernel then takes its own copy of a kept frame (when the file still holds the same bytes)
    instead of reading and validating the file again, which was a third of a short report's
    execution. The files count as read only in the kernel that asks for them, so a report's
    recorded dependencies stay its own. Returns what :func:`load_all` raises for bad data (the
    build reports it), after keeping the files read before it.
    """
    global _PRELOADING
    _PRELOADING = True
    try:
        load_all(data_dir)
    except DataError as exc:
        return exc
    finally:
        _PRELOADING = False
        FILES_READ.clear()
    return None


def _validated(path: Path, ds: Dataset) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header, columns, rows, dialect = _read_csv(path, ds)
    elif suffix == ".xlsx":
        header, columns, rows, dialect = _read_xlsx(path, ds)
    else:
        raise DataError(path, [Problem(None, None, path.suffix, "a .csv or .xlsx file")])
    blank = np.ones(len(rows), dtype=bool)
    for col in columns:
        empty = col.is_text & (col.stripped == "").to_numpy(dtype=bool)
        blank &= empty[col.codes]
    if blank.all():
        raise DataError(path, [Problem(2, None, None, "at least one data row below the header (the file has a header only)")])
    if blank.any():
        rows = rows[~blank]
        for col in columns:
            col.codes = col.codes[~blank]
    problems: list[Problem] = []
    values = {}
    for name, col in zip(header, columns):
        values[name], errors = _parse_column(col, ds.field(name), dialect)
        problems.extend(_column_problems(col, errors, rows, name))
    if problems:
        raise DataError(path, _order(problems))
    del columns
    # The index holds spreadsheet rows, so every later check can name them.
    frame = pd.DataFrame({name: values.pop(name) for name in ds.columns}, index=pd.Index(rows, name="row"))
    problems = _pandera_problems(ds, frame)
    if problems:
        raise DataError(path, problems)
    for check in ds.checks:
        problems.extend(check(frame))
    if problems:
        raise DataError(path, _order(problems))
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
    if not present:
        return None
    _refuse_outside_links(Path(data_dir), present[0])
    return present[0]


def _refuse_outside_links(data_dir: Path, path: Path) -> None:
    """A data file that is a link (or sits under a linked folder) pointing outside the data folder is refused.

    The data folder is what a report cites and fingerprints; a link out of it would let a report
    read, and print in an error message, a file nobody put in the data (a key, a password file).
    The message names the link, never the target or its content.
    """
    root = data_dir.resolve()
    target = path.resolve()
    if target != root and root not in target.parents:
        raise DataError(
            path,
            [
                Problem(
                    None, None, None, "a file inside the data folder, not a link to a file elsewhere (copy the file in instead)"
                )
            ],
        )


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

    def __repr__(self) -> str:
        """One line per data set (rows × columns), not the data: ``rep.data`` in a notebook stays readable."""
        lines = [f"DataBundle({self.data_dir}):"]
        for name, frame in self.frames.items():
            shape = "absent (optional)" if frame is None else f"{len(frame):,} rows × {frame.shape[1]} columns"
            lines.append(f"  {name}: {shape}")
        lines.append("  a data set as a DataFrame: bundle['contact_actions'] or analysis.data.frame('contact_actions')")
        return "\n".join(lines)

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


#: The data sets whose identifiers an operand of published_derived.csv may name.
OPERAND_DATASETS = ("contact_actions", "online_actions", "online_enrolments", "claims")


def _check_references(frames: dict[str, pd.DataFrame | None]) -> None:
    listed = frames["sources"]
    assert listed is not None, "sources.csv is required"
    sources = set(listed["source_id"])
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
    # A bundle without every file an operand may name (a report that reads the published totals of its own
    # figures only) cannot tell an unknown operand from one in a file it did not load: check-data and the
    # fact-check report load them all, and check them.
    if derived is not None and all(frames.get(name) is not None for name in OPERAND_DATASETS):
        known = set(derived["derived_id"])
        for name in OPERAND_DATASETS:
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
