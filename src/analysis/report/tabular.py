"""A report table as numbers others can compute with: one layout for the CSV files, their data package and
the DataFrames of ``Table.table_frame()``.

The layout is made from the table's record (``TABLE_MIME``, :meth:`analysis.report.render.Table.record`), the
same record the workbook and the combined document read, so the CSV file, its description in
``datapackage.json`` and the DataFrame in a notebook cannot disagree with the report or with each other.

A table with numbers is written tidy: one line per number the table shows, with

- ``Rij``/``Row``: the row's number in the report's table (1, 2, ...), so every line can be set back in place;
- the table's own text columns (month, type of hours, channel, ...), as shown;
- ``Kolom``/``Column``: the header of the column the number stands in, or what the number is when that differs
  (a recomputed ratio in a column of official values: the cell's ``column``);
- ``Waarde``/``Value``: the number itself: dot decimal, no thousands separator, ASCII minus, not rounded for
  display (percentages in percent: 31.76 for 31,8%); empty when the report shows no number there
  (a count hidden for privacy, 'n.v.t. (basis 0)', a range or a multiple alone: a multiple's figure is in the
  ratio column);
- ``Status``: what the number is, a code of :data:`STATUSES` (the same in both languages, each explained in the
  data package): as its source gives it, imputed from the source's total, recomputed, a published figure the
  recomputation verified, missing, not applicable (a change from a base of 0) or suppressed;
- ``Soort cijfer``/``Kind of figure``: whose figures the number rests on, a code of :data:`KINDS`: ``official``
  (the minister's answer, its annexes and the data they link), ``publication`` (a statistical publication of the
  agency, such as VDAB's key-figures note: statistician, round 36), ``quoted`` (figures the written question quotes)
  or ``press`` (news articles), from the kind of every source the report cites for the number's figure ids
  (:data:`KIND_STATUS`); a number resting on figures of more than one kind gets the least official of them
  (``press`` before ``quoted`` before ``publication`` before ``official``: a ratio of an official figure over a
  quoted one is ``quoted``); a recomputed number is of the kind of its inputs; empty where the number has no figure
  ids. The Status says whether the number was recomputed, the kind whose figures it rests on;
- ``Voorlopig``/``Provisional``: ``true`` when the number rests on a figure the data mark provisional;
- ``Ondergrens``/``Bovengrens`` (lower and upper bound): the range the report shows ('2,11–2,19'), or the values
  a rounded figure's word allows (the one rounding rule), else empty;
- ``Verhouding tot de basis``/``Ratio to the base``: of a relative change, the later value over its base (32.75
  where the report shows '×33'), else empty;
- ``Eenheid van de waarde``/``Unit of the value``: what the number counts ('inschrijvingen', '%');
- ``Afgerond door de bron``/``Rounded by the source``: ``true`` when the source gives the figure rounded
  ('ongeveer 29.000': the value is 29000), else ``false``; empty where the number is missing (status ``missing``);
- ``Getoond als``/``Shown as``: the cell as the report shows it, where it says more than the number (the
  source's word, a range, '< 5', 'n.v.t. (basis 0)'); empty where it shows the number alone, which a
  spreadsheet would otherwise read as another number ('1.282' is 1282 in Dutch, 1.282 in English);
- ``Ref.`` (the figure ids of the number: its own where it has them, a total's published figure or the parts it
  is recomputed from, else its row's) and ``Bronnen (volledig)``/``Sources in full`` (each source of those).

The status and the provisional flag are the table record's (:func:`analysis.report.render.cell_status`), which
reads them from the data, never from the table.

A table without numbers (statements, reasons) keeps its own columns, one line per row, with ``Rij``,
``Ref.`` and the sources. Headers are unique: a repeated one gets ' (2)'.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from analysis.report.i18n import Lang

if TYPE_CHECKING:
    import pandas as pd

#: What a number of a table is (the Status column): language-neutral codes, each explained in the reader's
#: language in the data package (``tables.status.<code>``) and on the workbook's contents sheet.
#: ``observed``: as its source gives it; ``imputed-from-total``: the source leaves the cell empty and the value
#: follows from the source's total (``blank_in_source`` in the data); ``recomputed``: computed here from the
#: figures in Ref.; ``verified``: published by the source (Ref.) and reproduced by the recomputation from its
#: parts; ``missing``: no number (the cell shows what stands in its place); ``not-applicable``: no number because
#: none is defined, such as a percentage change from a base of 0 (not a gap in the data: statistician, round 36);
#: ``suppressed``: hidden for privacy.
OBSERVED, IMPUTED, RECOMPUTED, VERIFIED, MISSING, NOT_APPLICABLE, SUPPRESSED = (
    "observed",
    "imputed-from-total",
    "recomputed",
    "verified",
    "missing",
    "not-applicable",
    "suppressed",
)
STATUSES = (OBSERVED, IMPUTED, RECOMPUTED, VERIFIED, MISSING, NOT_APPLICABLE, SUPPRESSED)
#: The statuses of a cell without a number.
NO_NUMBER = (MISSING, NOT_APPLICABLE, SUPPRESSED)

#: Whose figures a number rests on (the Kind of figure column), from the most official to the least: language-neutral
#: codes, each explained in the data package (``tables.kind.<code>``) and on the workbook's contents sheet; the same
#: kinds of figure the combined document's front sheet and legend name.
OFFICIAL, PUBLICATION, QUOTED, PRESS = "official", "publication", "quoted", "press"
KINDS = (OFFICIAL, PUBLICATION, QUOTED, PRESS)
#: Which kind of figure a source's figures are, by the source's kind (data/sources.csv).
KIND_STATUS = {
    "answer": OFFICIAL,
    "annex": OFFICIAL,
    "link": OFFICIAL,
    "question": QUOTED,
    "publication": PUBLICATION,
    "press": PRESS,
}


def figure_kind(source_kinds: Iterable[str]) -> str:
    """The kind of figure of a number from the kinds of its sources: the least official of them (``press`` before
    ``quoted`` before ``publication`` before ``official``); '' when none of them has a known kind."""
    found = {KIND_STATUS[k] for k in source_kinds if k in KIND_STATUS}
    return next((k for k in reversed(KINDS) if k in found), "")


#: The columns the layout adds, by role: their header and what they hold, as catalogue keys written whole.
HEADERS = {
    "row": "tables.col.row",
    "column": "tables.col.column",
    "value": "tables.col.value",
    "status": "tables.col.status",
    "kind": "tables.col.kind",
    "provisional": "tables.col.provisional",
    "low": "tables.col.low",
    "high": "tables.col.high",
    "ratio": "tables.col.ratio",
    "unit": "tables.col.unit",
    "rounded": "tables.col.rounded",
    "shown": "tables.col.shown",
    "ref": "tables.col.ref",
    "sources": "tables.col.sources",
}
ABOUT = {
    "row": "tables.about.row",
    "label": "tables.about.label",
    "column": "tables.about.column",
    "value": "tables.about.value",
    "status": "tables.about.status",
    "kind": "tables.about.kind",
    "provisional": "tables.about.provisional",
    "low": "tables.about.low",
    "high": "tables.about.high",
    "ratio": "tables.about.ratio",
    "unit": "tables.about.unit",
    "rounded": "tables.about.rounded",
    "shown": "tables.about.shown",
    "ref": "tables.about.ref",
    "sources": "tables.about.sources",
}
#: Describes the sources of a row's figure ids as one line ('publisher, title (date). address | ...').
SourceLabels = Callable[[Sequence[str]], str]
#: The kind of figure (a code of :data:`KINDS`, or '') of a number with these figure ids, from their sources.
SourceKinds = Callable[[Sequence[str]], str]


@dataclass(frozen=True)
class Field:
    """One column of the layout, typed as Table Schema types it (``integer``, ``number``, ``string``, ``boolean``)."""

    name: str  # the header, unique in the table
    type: str
    role: str  # row | label | column | value | status | kind | provisional | low | high | unit | rounded | shown | ref | sources
    description: str  # in the report's language


@dataclass
class Layout:
    fields: list[Field]
    rows: list[list[Any]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def tidy(self) -> bool:
        """One line per number (the table has numbers), rather than one per row."""
        return any(f.role == "value" for f in self.fields)

    @property
    def primary_key(self) -> list[str]:
        return [f.name for f in self.fields if f.role in (("row", "column") if self.tidy else ("row",))]

    def csv(self) -> str:
        """The layout as CSV text: comma, UTF-8, header line, numbers as numbers, ``true``/``false``."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.names)
        for row in self.rows:
            writer.writerow([csv_cell(value) for value in row])
        return buffer.getvalue()

    def frame(self) -> pd.DataFrame:
        """The layout as a DataFrame: typed columns, text columns as categories in the table's order."""
        import pandas as pd

        out = pd.DataFrame(self.rows, columns=self.names)
        for f in self.fields:
            column = out[f.name]
            if f.type == "integer":
                out[f.name] = column.astype("Int64" if column.isna().any() else "int64")
            elif f.type == "number":
                out[f.name] = pd.to_numeric(column, errors="raise").astype("float64")
            elif f.type == "boolean":
                out[f.name] = column.astype(bool)
            elif f.role in ("label", "column"):
                order = list(dict.fromkeys(v for v in column if isinstance(v, str)))
                out[f.name] = pd.Categorical(column, categories=order, ordered=True)
        return out

    def schema(self) -> dict[str, Any]:
        """The Table Schema of the CSV file (Frictionless Data)."""
        fields = []
        for f in self.fields:
            descriptor: dict[str, Any] = {"name": f.name, "type": f.type, "description": f.description}
            if f.type == "boolean":
                descriptor.update(trueValues=["true"], falseValues=["false"])
            if f.role in ("row", "column", "provisional"):  # 'rounded' is empty where the number is missing
                descriptor["constraints"] = {"required": True}
            if f.role == "status":
                descriptor["constraints"] = {"required": True, "enum": list(STATUSES)}
            if f.role == "kind":
                descriptor["constraints"] = {"enum": list(KINDS)}
            fields.append(descriptor)
        return {"fields": fields, "primaryKey": self.primary_key, "missingValues": [""]}


def csv_cell(value: object) -> str:
    """A value as the CSV file holds it: a number in plain positional notation (no exponent), ``true``/``false``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return format(Decimal(text), "f") if "e" in text or "E" in text else text
    return str(value)


def says_more(value: object, own: dict) -> bool:
    """Whether a cell shows more than its number: a word with a rounded figure, a range, or text in its place.

    Only then does the layout repeat the cell as shown: a number formatted for the reader ('1.282' in Dutch)
    would be read as another number by a spreadsheet or by pandas."""
    return value is None or bool(own.get("rounded")) or own.get("low") is not None


def unique(names: list[str]) -> list[str]:
    """Headers made unique: a repeat gets ' (2)', ' (3)', ..."""
    out: list[str] = []
    for name in names:
        candidate, n = name, 1
        while candidate in out:
            n += 1
            candidate = f"{name} ({n})"
        out.append(candidate)
    return out


def _number_type(values: list[Any]) -> str:
    numbers = [v for v in values if v is not None]
    return "integer" if numbers and all(isinstance(v, int) and not isinstance(v, bool) for v in numbers) else "number"


def cell_facts(own: dict, value: object, row_ids: list[str]) -> dict[str, Any]:
    """What the layout says of one numeric cell beyond its number: status, provisional, ratio and figure ids.

    A record written by :meth:`analysis.report.render.Table.record` carries them in the cell's ``formats``; for an
    older record they follow from the cell: no number is ``missing``, a row that cites figures ``observed``."""
    has_number = value is not None or own.get("low") is not None or own.get("ratio") is not None
    status = own.get("status") or (MISSING if not has_number else OBSERVED if row_ids else RECOMPUTED)
    refs = [str(r) for r in own["refs"]] if own.get("refs") is not None else None
    return {"status": status, "provisional": bool(own.get("provisional")), "ratio": own.get("ratio"), "refs": refs}


def _ref_columns(record: dict) -> tuple[list[int], list[int]]:
    """The numeric columns of a record (not its Ref. column) and its Ref. columns, by index."""
    columns = record.get("columns", [])
    numeric = [i for i, c in enumerate(columns) if c.get("numeric") and not c.get("ref")]
    return numeric, [i for i, c in enumerate(columns) if c.get("ref")]


def row_ref(record: dict, row: dict) -> str:
    """The Ref. of a row as its table shows it (its Ref. cell), else its figure ids: the Ref. of each of its numbers
    that has no figure ids of its own."""
    _, refs = _ref_columns(record)
    cells = list(row.get("cells", []))
    if refs:
        return str(cells[refs[0]]) if refs[0] < len(cells) else ""
    return ", ".join(str(r) for r in row.get("refs", []))


def numbers(record: dict, kinds: SourceKinds | None = None) -> list[dict[int, dict[str, Any]]]:
    """What the layout says of each number of a table record: per row, per numeric column (by index), a value per role
    of :data:`NUMBER_ROLES` and ``ref``, and ``ids`` (the figure ids its sources come from). ``kinds`` gives the kind
    of figure of those ids; without it, or without ids, the kind is empty.

    The CSV files' lines and the workbook's columns beside a number are both made from this, so they cannot differ."""
    columns = record.get("columns", [])
    headers = unique([str(c.get("header", "")) for c in columns])
    numeric, _ = _ref_columns(record)
    out: list[dict[int, dict[str, Any]]] = []
    for row in record.get("rows", []):
        cells = list(row.get("cells", []))
        values = list(row.get("values", []))
        formats = list(row.get("formats") or [])
        cells += [""] * (len(columns) - len(cells))
        values += [None] * (len(columns) - len(values))
        formats += [None] * (len(columns) - len(formats))
        ids = [str(r) for r in row.get("refs", [])]
        ref = row_ref(record, row)
        mine: dict[int, dict[str, Any]] = {}
        for i in numeric:
            own = formats[i] or {}
            facts = cell_facts(own, values[i], ids)
            own_ids = facts["refs"]
            number_ids = own_ids if own_ids else ids
            mine[i] = {
                "column": own.get("column") or headers[i],
                "value": values[i],
                "status": facts["status"],
                "kind": kinds(number_ids) if kinds is not None and number_ids else "",
                "provisional": facts["provisional"],
                "low": own.get("low"),
                "high": own.get("high"),
                "ratio": facts["ratio"],
                "unit": own.get("unit", columns[i].get("unit", "")) or "",
                # no number, no rounding to speak of: empty, not 'false' beside a row that gives the figure as rounded
                # (statistician, round 28: the same 29,000 read 'true' in one file and 'false' in another)
                "rounded": None if facts["status"] in NO_NUMBER else bool(own.get("rounded")),
                "shown": cells[i] if says_more(values[i], own) else "",
                # the number's own figure ids where it has them (a total's published figure, the parts of a sum)
                "ref": ", ".join(own_ids) if own_ids else ref,
                "ids": number_ids,
            }
        out.append(mine)
    return out


def layout(record: dict, lang: Lang | str, sources: SourceLabels | None = None, kinds: SourceKinds | None = None) -> Layout:
    """The CSV layout of one table record (see the module's docstring); ``sources`` names each row's sources, ``kinds``
    gives the kind of figure of a number's figure ids (the Kind of figure column is empty without it)."""
    L = lang if isinstance(lang, Lang) else Lang(lang)
    columns = record.get("columns", [])
    headers = unique([str(c.get("header", "")) for c in columns])
    numeric, refs = _ref_columns(record)
    labels = [i for i, c in enumerate(columns) if i not in numeric and i not in refs]
    tidy = bool(numeric)
    roles = ["row"] + ["label"] * len(labels)
    roles += list(NUMBER_ROLES) if tidy else []
    roles += ["ref", "sources"]
    names = unique([L.t(HEADERS["row"])] + [headers[i] for i in labels] + [L.t(HEADERS[r]) for r in roles[1 + len(labels) :]])

    def tail(ids: list[str], ref: str) -> list[str]:
        return [ref, sources(ids) if sources is not None and ids else ""]

    rows: list[list[Any]] = []
    for n, (row, facts) in enumerate(zip(record.get("rows", []), numbers(record, kinds)), 1):
        cells = list(row.get("cells", [])) + [""] * len(columns)
        head = [n] + [cells[i] for i in labels]
        if not tidy:
            rows.append(head + tail([str(r) for r in row.get("refs", [])], row_ref(record, row)))
            continue
        for i in numeric:
            number = facts[i]
            rows.append(head + [number[role] for role in NUMBER_ROLES] + tail(number["ids"], number["ref"]))

    types: list[str] = []
    for k, role in enumerate(roles):
        if role == "row":
            types.append("integer")
        elif role in ("value", "low", "high", "ratio"):
            types.append(_number_type([r[k] for r in rows]))
        elif role in ("rounded", "provisional"):
            types.append("boolean")
        else:
            types.append("string")
    fields = [Field(name, kind, role, describe(L, role, name)) for name, kind, role in zip(names, types, roles)]
    return Layout(fields, rows)


#: The columns of a tidy layout after the table's own text columns, in order.
NUMBER_ROLES = ("column", "value", "status", "kind", "provisional", "low", "high", "ratio", "unit", "rounded", "shown")


def describe(L: Lang, role: str, name: str = "") -> str:
    """What a column of the layout holds, in the reader's language; the Status column with every code explained."""
    if role == "label":
        return L.t(ABOUT[role], column=name)
    if role == "status":
        codes = "; ".join(f"{code}: {L.t(STATUS_ABOUT[code])}" for code in STATUSES)
        return f"{L.t(ABOUT[role])} {codes}."
    if role == "kind":
        codes = "; ".join(f"{code}: {L.t(KIND_ABOUT[code])}" for code in KINDS)
        return f"{L.t(ABOUT[role])} {codes}. {L.t('tables.kind.rule')}"
    return L.t(ABOUT[role])


#: Each status code explained, as catalogue keys written whole.
STATUS_ABOUT = {
    OBSERVED: "tables.status.observed",
    IMPUTED: "tables.status.imputed-from-total",
    RECOMPUTED: "tables.status.recomputed",
    VERIFIED: "tables.status.verified",
    MISSING: "tables.status.missing",
    NOT_APPLICABLE: "tables.status.not-applicable",
    SUPPRESSED: "tables.status.suppressed",
}

#: Each kind of figure explained, as catalogue keys written whole.
KIND_ABOUT = {
    OFFICIAL: "tables.kind.official",
    PUBLICATION: "tables.kind.publication",
    QUOTED: "tables.kind.quoted",
    PRESS: "tables.kind.press",
}
