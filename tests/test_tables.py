"""Tables others can compute with, read back by the clients a reader uses.

The CSV files (one line per number, :mod:`analysis.report.tabular`), their data package, the DataFrames of
``Table.table_frame()`` and the workbook are made here in this process from every report of both languages,
on the project's data and once more with synthetic extracts (so the suppressed counts of question 3 and
the course table of question 2 are there), through the build's own writers (:mod:`analysis.pipeline.tables`).
Then pandas (``read_csv`` with its defaults), frictionless (``validate``) and LibreOffice Calc (headless,
Belgian Dutch settings; the ``e2e`` tests at the end) read them back, and every number is traced to the
data it comes from: its value, and its status and provisional flag, on the project's data and on other data
folders (tests/scenarios and a copy with another empty cell).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
from frictionless import Package

from analysis import config
from analysis.core.claims import interval as rounding_interval
from analysis.data import package as data_package
from analysis.data.schemas import DATASETS
from analysis.pipeline import outputs, tables
from analysis.questions.common import online
from analysis.report import tabular
from analysis.report.frame import Report
from analysis.report.i18n import LANGS, Lang
from analysis.report.render import Column, Html, NoRef, Table, Value
from tests import inprocess
from tests.helpers import copy_data, write_extracts

#: A plain whole number: the one kind of text that means the same in every language and that a reader's
#: tools may read as a number in a text column without harm (a year, a question number).
WHOLE = re.compile(r"-?[0-9]+")
#: Questions whose tables change with the synthetic extracts.
WITH_EXTRACTS = ("q2", "q3", "q4")


def _run_all(folder: Path, data_dir: Path, questions) -> list[tuple[str, str, Path]]:
    """Each question in each language run in this process, its outputs kept as an executed notebook holds them."""
    out = []
    for lang in LANGS:
        (folder / lang).mkdir(parents=True, exist_ok=True)
        for question in questions:
            run = inprocess.run(question, data_dir, year=2021, compare_year=2020, months=[1, 2], lang=lang)
            path = folder / lang / f"{question}.ipynb"
            nbformat.write(run.notebook(), path)
            out.append((lang, question, path))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """<lang>/<question>.ipynb with its CSV files and data package, and tables.xlsx; 'x-' names for the extract runs."""
    folder = tmp_path_factory.mktemp("tables")
    extracts = copy_data(tmp_path_factory.mktemp("extracts") / "data")
    write_extracts(extracts)
    runs = _run_all(folder, config.DATA_DIR, list(inprocess.QUESTIONS))
    for lang, question, path in _run_all(folder / "extracts", extracts, WITH_EXTRACTS):
        runs.append((lang, f"x-{question}", path.rename(folder / lang / f"x-{question}.ipynb")))
    resources: dict[str, list[dict]] = {lang: [] for lang in LANGS}
    for lang, _, path in runs:
        resources[lang] += tables.write_csvs(path, lang)[1]
    for lang in LANGS:
        tables.write_package(folder / lang, lang, resources[lang])
        reports = [(question, path) for run_lang, question, path in runs if run_lang == lang]
        tables.write_workbook(folder / lang / "tables.xlsx", lang, reports)
    return folder


def _csvs(built: Path, lang: str) -> list[Path]:
    return sorted((built / lang).glob("*-table-*.csv"))


def _schema(built: Path, lang: str) -> dict[str, dict]:
    descriptor = json.loads((built / lang / tables.PACKAGE).read_text(encoding="utf-8"))
    return {r["path"]: r["schema"] for r in descriptor["resources"]}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _by_ref(rows: list[dict[str, str]], lang: str) -> dict[str, list[dict[str, str]]]:
    ref = Lang(lang).t("tables.col.ref")
    out: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        for figure in row[ref].split(", "):
            out.setdefault(figure, []).append(row)
    return out


# ---------------------------------------------------------------------------- the layout
def _record(columns: list[Column], rows: list[dict]) -> dict:
    return Table(pd.DataFrame(rows), columns).record()


def test_a_number_is_one_line_with_its_unit_rounding_range_and_sources():
    record = _record(
        [
            Column("what", "Column"),  # a table's own header that is one of the layout's: both stay, made unique
            Column("n", "Count", str, True, "enrolments", 0, raw="n_raw"),
            Column("ratio", "Ratio", str, True, raw="ratio_raw", status="recomputed"),
            Column("ref", "Ref.", ref=True),
        ],
        [
            {"what": "a", "n": "about 29,000", "n_raw": Value(29000, rounded="about"), "ratio": "×2", "ratio_raw": 2, "ref": "A1"},
            {"what": "b", "n": "62,297", "n_raw": 62297, "ratio": "×1.86–1.92", "ratio_raw": Value(None, low=1.86, high=1.92), "ref": "B1, B2"},
            {"what": "c", "n": "< 5", "n_raw": None, "ratio": "–", "ratio_raw": Value(None, rounded="exact"), "ref": "C1"},
            {"what": "d", "n": "more than 110,000", "n_raw": Value(110000, rounded="more_than", refs=("D2",), status="observed"), "ratio": "×33",
             "ratio_raw": Value(None, ratio=32.75, column="Growth"), "ref": NoRef("recomputed")},
        ],
    )  # fmt: skip
    kinds = {"A1": "question", "B1": "answer", "B2": "answer", "C1": "press", "D2": "annex"}
    shape = tabular.layout(
        record,
        "en",
        lambda refs: " | ".join(f"source of {r}" for r in refs),
        lambda refs: tabular.figure_kind(kinds.get(r, "") for r in refs),
    )
    assert shape.names == [
        "Row", "Column", "Column (2)", "Value", "Status", "Kind of figure", "Provisional", "Lower bound", "Upper bound",
        "Ratio to the base", "Unit of the value", "Rounded by the source", "Shown as", "Ref.", "Sources in full",
    ]  # fmt: skip
    assert shape.tidy and shape.primary_key == ["Row", "Column (2)"]
    types = ["integer", "string", "string", "integer", "string", "string", "boolean", "number", "number", "number", "string",
             "boolean", "string", "string", "string"]  # fmt: skip
    assert [f.type for f in shape.fields] == types
    assert shape.csv().splitlines()[1:] == [
        # the number the source gives, marked rounded, with the values its word allows (the one rounding rule)
        '1,a,Count,29000,observed,quoted,false,28500,29500,,enrolments,true,"about 29,000",A1,source of A1',
        "1,a,Ratio,2,recomputed,quoted,false,,,,,false,,A1,source of A1",  # a plain number is not repeated as text
        '2,b,Count,62297,observed,official,false,,,,enrolments,false,,"B1, B2",source of B1 | source of B2',
        '2,b,Ratio,,recomputed,official,false,1.86,1.92,,,false,×1.86–1.92,"B1, B2",source of B1 | source of B2',  # a range alone
        # no number: what stands in its place, and no 'rounded' flag (statistician, round 28)
        "3,c,Count,,missing,press,false,,,,enrolments,,< 5,C1,source of C1",
        "3,c,Ratio,,missing,press,false,,,,,,–,C1,source of C1",
        # a number's own figure ids and status beat its row's; 'more than' allows up to one unit above; a multiple is
        # its ratio
        '4,d,Count,110000,observed,official,false,110000,120000,,enrolments,true,"more than 110,000",D2,source of D2',
        "4,d,Growth,,recomputed,,false,,,32.75,,false,×33,recomputed,",  # no figure ids: no kind of figure
    ]
    schema = {f["name"]: f for f in shape.schema()["fields"]}
    assert schema["Status"]["constraints"] == {"required": True, "enum": list(tabular.STATUSES)}
    assert all(code in schema["Status"]["description"] for code in tabular.STATUSES)  # each code explained
    assert schema["Provisional"]["constraints"] == {"required": True} and schema["Provisional"]["type"] == "boolean"
    assert schema["Kind of figure"]["constraints"] == {"enum": list(tabular.KINDS)}  # empty where no figure ids
    # without the sources' kinds the column is there, empty
    assert tabular.layout(record, "en").csv().splitlines()[1].startswith("1,a,Count,29000,observed,,false,")
    # a table without numbers keeps its rows
    text_only = tabular.layout(_record([Column("q", "Question"), Column("a", "Answer")], [{"q": "1a", "a": "yes"}]), "nl")
    assert text_only.names == ["Rij", "Question", "Answer", "Ref.", "Bronnen (volledig)"] and not text_only.tidy
    assert text_only.csv().splitlines()[1] == "1,1a,yes,,"


@pytest.mark.parametrize(
    "source_kinds,kind",
    [
        (["answer", "annex", "link"], "official"),
        (["question"], "quoted"),
        (["publication"], "publication"),  # the agency's own statistical publication is not press (statistician, round 36)
        (["answer", "publication"], "publication"),
        (["publication", "question"], "quoted"),
        (["answer", "question"], "quoted"),  # an official figure over a quoted one: the less official
        (["question", "press", "answer"], "press"),  # press before both
        (["", "unknown"], ""),  # no known kind: empty
        ([], ""),
    ],
)
def test_a_number_mixing_kinds_of_figure_gets_the_least_official(source_kinds, kind):
    assert tabular.figure_kind(source_kinds) == kind


@pytest.mark.parametrize(
    "value,text",
    [(-1738, "-1738"), (31.757451181911623, "31.757451181911623"), (1e-07, "0.0000001"), (1e16, "10000000000000000"),
     (True, "true"), (False, "false"), (None, ""), ("−1.738", "−1.738")],
)  # fmt: skip
def test_csv_cells_are_plain_numbers(value, text):
    assert tabular.csv_cell(value) == text


# ---------------------------------------------------------------------------- pandas and the data
def test_pandas_reads_every_csv_with_numbers_as_numbers(built):
    seen_decimal = seen_integer = 0
    for lang in LANGS:
        schemas = _schema(built, lang)
        derived = sorted(p.name for p in (built / lang).glob("*-derived.csv"))  # the figures the text computes
        assert derived and sorted(schemas) == sorted([p.name for p in _csvs(built, lang)] + derived)
        for path in _csvs(built, lang):
            frame = pd.read_csv(path)  # the defaults, as a reader would
            with path.open(encoding="utf-8", newline="") as fh:
                header = next(csv.reader(fh))
            assert list(frame.columns) == header and len(set(header)) == len(header), path.name  # unique headers
            texts = _rows(path)
            for field in schemas[path.name]["fields"]:
                column = frame[field["name"]]
                if field["type"] in ("integer", "number"):
                    assert pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column), (path.name, field)
                    numbers = column.dropna()
                    seen_decimal += int((numbers != numbers.round()).any())
                    seen_integer += int(len(numbers) > 0)
                elif field["type"] == "boolean":  # true/false; 'rounded' may be empty where the number is missing
                    assert pd.api.types.is_bool_dtype(column) or set(column.dropna()) <= {True, False}, (path.name, field["name"])
                elif pd.api.types.is_numeric_dtype(column):  # text read as numbers: only plain whole numbers, never '1.282'
                    assert all(WHOLE.fullmatch(r[field["name"]]) for r in texts if r[field["name"]]), (path.name, field)
    assert seen_decimal and seen_integer  # the check met numbers of both kinds


def test_every_number_in_the_csv_files_is_the_figure_it_cites(built):
    """The values trace to the data: q5's counts to contact_actions.csv, q7's to context_figures.csv, rounded ones so marked."""
    contact = pd.read_csv(config.DATA_DIR / "contact_actions.csv").set_index("figure_id")
    context = pd.read_csv(config.DATA_DIR / "context_figures.csv").set_index("figure_id")
    for lang in LANGS:
        L = Lang(lang)
        value, column, rounded = L.t("tables.col.value"), L.t("tables.col.column"), L.t("tables.col.rounded")
        status, provisional, ref = L.t("tables.col.status"), L.t("tables.col.provisional"), L.t("tables.col.ref")
        low, high = L.t("tables.col.low"), L.t("tables.col.high")
        rows = _rows(built / lang / "q5-table-1.csv")
        checked = 0
        for figure, cited in _by_ref(rows, lang).items():
            if figure not in contact.index:
                continue
            year = str(contact.loc[figure, "year"])
            (line,) = [r for r in cited if r[column] == year and r[ref] == figure]  # the figure's own line
            assert int(line[value]) == contact.loc[figure, "actions"] and line[rounded] == "false"
            # flagged where the data are: an empty source cell, a provisional figure
            assert line[status] == ("imputed-from-total" if contact.loc[figure, "blank_in_source"] else "observed"), figure
            assert line[provisional] == str(bool(contact.loc[figure, "provisional"])).lower(), figure
            checked += 1
        assert checked == len(contact[contact.month.isin([1, 2]) & contact.year.isin([2020, 2021])])
        rows = _rows(built / lang / "q7-table-1.csv")
        for figure, (line,) in _by_ref(rows, lang).items():
            assert int(line[value]) == context.loc[figure, "count"], figure
            qualifier = context.loc[figure, "qualifier"]
            assert line[rounded] == ("false" if qualifier == "exact" else "true"), figure
            # a rounded input has the values its word allows (the one rounding rule); an exact one has none
            bounds = ("", "") if qualifier == "exact" else rounding_interval(qualifier, context.loc[figure, "count"])[:2]
            assert (line[low], line[high]) == tuple(str(int(b)) if b != "" else "" for b in bounds), figure
        assert set(_by_ref(rows, lang)) == set(context.index)


def test_a_hidden_count_has_no_number_in_the_csv(built):
    """Question 3 with a participant extract: a suppressed cell is its mark, never its count."""
    for lang in LANGS:
        L = Lang(lang)
        marks = {L.t("sdc.secondary"), L.t("sdc.hidden", threshold=L.num(5))}
        lines = [r for p in sorted((built / lang).glob("x-q3-table-*.csv")) for r in _rows(p)]
        hidden = [r for r in lines if r[L.t("tables.col.shown")] in marks]
        assert hidden and all(r[L.t("tables.col.value")] == "" for r in hidden)
        shown = [r for r in lines if r[L.t("tables.col.value")]]
        assert shown and all(r[L.t("tables.col.shown")] == "" for r in shown)


# ---------------------------------------------------------------------------- status and provisional, from the data
def _variant(folder: Path) -> Path:
    """The project's data with another cell left empty in the source (February 2021, type 2, not January 2020, type 3)
    and one figure of the comparison year provisional instead of the year's: the flags must follow the data."""
    copy_data(folder)
    path = folder / "contact_actions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["blank_in_source"] = ["true" if f == "CA-2021-02-2" else "false" for f in frame.figure_id]
    frame["provisional"] = ["true" if f == "CA-2020-02-1" else "false" for f in frame.figure_id]
    frame.to_csv(path, index=False)
    return folder


#: Data folders and their period: the project's data, a scenario with no provisional figure, one whose comparison
#: year is provisional and whose year is final, and the project's data with another empty cell.
FLAG_CASES = {
    "data": (None, 2021, 2020),
    "everything_falls": ("everything_falls", None, None),
    "provisional_and_final": ("provisional_and_final", None, None),
    "another_empty_cell": ("variant", 2021, 2020),
}


def _flag_folder(case: str, scenario_dir, tmp_path: Path) -> tuple[Path, int, int]:
    name, year, compare = FLAG_CASES[case]
    if name is None:
        return config.DATA_DIR, year, compare
    if name == "variant":
        return _variant(tmp_path / "data"), year, compare
    from tests.helpers import SCENARIOS, scenario_front_matter

    front = scenario_front_matter(SCENARIOS / name)
    return scenario_dir(name), front["year"], front["compare_year"]


@pytest.mark.parametrize("case", list(FLAG_CASES))
def test_status_and_provisional_come_from_the_data(case, scenario_dir, tmp_path):
    """Every number of question 5's table says what it is, from data/README.md's columns alone: an empty source cell
    (blank_in_source) is imputed from the total, a number is provisional when a figure it rests on is (a published
    total through its operands), and a month's total the answer publishes is verified when the sum reproduces it."""
    from analysis.questions import q5_contact_vs_online as q5

    folder, year, compare = _flag_folder(case, scenario_dir, tmp_path)
    contact = pd.read_csv(folder / "contact_actions.csv").set_index("figure_id")
    derived = pd.read_csv(folder / "published_derived.csv").set_index("derived_id")

    def provisional(ref: str) -> bool:
        if ref in contact.index:
            return bool(contact.loc[ref, "provisional"])
        return ref in derived.index and any(provisional(op) for op in derived.loc[ref, "operands"].split())

    rep = Report.open("q5", year=year, compare_year=compare, months=[1, 2], lang="en", data_dir=str(folder))
    frame = q5.table(rep, q5.compute(rep)).table_frame()
    assert set(frame["Status"]) <= set(tabular.STATUSES) and frame["Provisional"].dtype == bool
    seen = {"imputed": 0, "provisional": 0, "verified": 0, "not_applicable": 0}
    for fields in frame.to_dict("records"):
        refs = [] if fields["Ref."] == rep.t("table.recomputed") else fields["Ref."].split(", ")
        assert refs, fields  # every number names the figures it is or comes from
        assert fields["Provisional"] == any(provisional(r) for r in refs), fields
        seen["provisional"] += fields["Provisional"]
        if len(refs) == 1 and refs[0] in contact.index:  # a figure of the source's table, as it gives it
            blank = bool(contact.loc[refs[0], "blank_in_source"])
            assert fields["Status"] == ("imputed-from-total" if blank else "observed"), fields
            assert fields["Value"] == contact.loc[refs[0], "actions"]
            seen["imputed"] += blank
        elif fields[rep.t("q5.table.type")] == rep.t("table.total") and fields["Column"] in (str(year), str(compare)):
            month = [m for m in (1, 2) if rep.lang.month(m) == fields["Month"]][0]
            parts = contact[(contact.year == int(fields["Column"])) & (contact.month == month)]
            sums = derived[derived.operation == "sum"]
            published = [
                d for d, r in sums.iterrows() if set(r.operands.split()) == set(parts.index) and r.value == parts.actions.sum()
            ]
            if published:  # the answer's total, reproduced: its own reference and status
                assert (fields["Status"], refs) == ("verified", published), fields
                seen["verified"] += 1
            else:
                assert fields["Status"] == "recomputed" and sorted(refs) == sorted(parts.index), fields
        elif fields["Status"] == "not-applicable":  # a change from a base of 0: no number, said so
            assert pd.isna(fields["Value"]) and fields["Shown as"] == rep.t("table.no_base"), fields
            seen["not_applicable"] += 1
        else:
            assert fields["Status"] in ("recomputed", "missing"), fields
    # the cases are not empty: each flag the data hold shows up
    months = contact[contact.year.isin([year, compare]) & contact.month.isin([1, 2])]
    assert seen["imputed"] == int(months.blank_in_source.sum())
    # a change from a base of 0 is 'not applicable', once for each row whose base is 0
    bases = frame[(frame["Column"] == str(compare))]
    assert seen["not_applicable"] == int((bases["Value"] == 0).sum())
    assert bool(seen["provisional"]) == bool(months.provisional.any())
    sums = [set(ops.split()) for ops in derived.operands[derived.operation == "sum"]]
    reproduced = [
        (y, m)
        for (y, m), part in months.groupby(["year", "month"])
        if set(part.index) in sums
        and derived[derived.operands.map(lambda o, part=part: set(o.split()) == set(part.index))].value.iloc[0]
        == part.actions.sum()
    ]
    assert seen["verified"] == len(reproduced) and (case == "provisional_and_final" or reproduced)


def test_a_multiple_is_stored_as_its_ratio_and_pandas_reads_it_as_a_number(built):
    """Where the table shows '×33', the line has no percentage but the ratio of its two values, a number with the
    defaults of pandas.read_csv; the ratio of any relative change is its two values divided, not hard-coded."""
    for lang in LANGS:
        L = Lang(lang)
        path = built / lang / "q5-table-1.csv"
        frame = pd.read_csv(path)
        ratio, shown, column, value = (L.t(f"tables.col.{k}") for k in ("ratio", "shown", "column", "value"))
        assert frame[ratio].dtype == "float64" and frame[L.t("tables.col.provisional")].dtype == bool
        change = L.t("table.pct_change", base=2020)
        lines = frame[frame[column] == change]
        multiples = lines[lines[shown].fillna("").str.startswith("×")]
        assert len(multiples) >= 2 and multiples[value].isna().all()
        for _, line in lines.iterrows():
            same = frame[frame[L.t("tables.col.row")] == line[L.t("tables.col.row")]].set_index(column)[value]
            old, new = same["2020"], same["2021"]
            if old:
                assert line[ratio] == pytest.approx(new / old, rel=1e-12)
            else:
                assert pd.isna(line[ratio])
        assert sorted(round(r, 2) for r in multiples[ratio]) == [32.75, 48.06]


def test_rounded_inputs_have_the_values_their_word_allows(built):
    """Every number a source gives rounded has its lower and upper bound filled, around its value."""
    found = 0
    for lang in LANGS:
        L = Lang(lang)
        rounded, low, high, value = (L.t(f"tables.col.{k}") for k in ("rounded", "low", "high", "value"))
        for path in _csvs(built, lang):
            for line in _rows(path):
                if line.get(rounded) == "true":
                    assert line[low] and line[high], (path.name, line)
                    assert float(line[low]) <= float(line[value]) <= float(line[high]), (path.name, line)
                    found += 1
    assert found >= 2 * 10  # the quoted 29,000 (q1) and the press figures (q7), in both languages


def test_published_figures_keep_the_precision_the_source_gives(built):
    """A published percentage (−8.8) is −8.8 in the CSV file and in the workbook, without binary noise."""
    derived = pd.read_csv(config.DATA_DIR / "published_derived.csv", dtype=str).set_index("derived_id")
    for lang in LANGS:
        L = Lang(lang)
        ref, value = L.t("tables.col.ref"), L.t("tables.col.value")
        published = [r for r in _rows(built / lang / "q6-table-1.csv") if r[ref] in derived.index]
        assert len(published) == len(derived)
        for line in published:
            given = derived.loc[line[ref], "value"]
            assert float(line[value]) == float(given), line
            decimals = len(given.split(".")[1]) if "." in given else 0
            assert len(line[value].split(".")[1]) <= decimals if "." in line[value] else True, line  # no digits added
        book = openpyxl.load_workbook(built / lang / "tables.xlsx")
        percentages = {
            c.value
            for sheet in book.worksheets[1:]
            for row in sheet.iter_rows(min_row=5)
            for c in row
            if c.data_type == "n" and c.value is not None and "%" in c.number_format
        }
        for given in derived.value[derived.unit == "pct"]:
            assert float(given) in percentages, given  # -8.8 is stored as -8.8, as the source gives it
            assert float(Decimal(given) / 100) not in percentages, given  # never as the fraction -0.088


def test_the_data_package_describes_status_provisional_and_ratio(built):
    """The columns added to every tidy CSV file are described from the one source (the layout and the catalogue),
    each status code explained in the reader's language; frictionless validates them (test above)."""
    for lang in LANGS:
        L = Lang(lang)
        for schema in _schema(built, lang).values():
            fields = {f["name"]: f for f in schema["fields"]}
            if L.t("tables.col.value") not in fields:
                continue  # a table without numbers
            status = fields[L.t("tables.col.status")]
            assert status["description"] == tabular.describe(L, "status")
            assert status["constraints"]["enum"] == list(tabular.STATUSES)
            for code in tabular.STATUSES:
                assert f"{code}: {L.t(tabular.STATUS_ABOUT[code])}" in status["description"]
            assert fields[L.t("tables.col.provisional")]["type"] == "boolean"
            assert fields[L.t("tables.col.ratio")]["type"] == "number"
            assert fields[L.t("tables.col.ratio")]["description"] == L.t("tables.about.ratio")


def tables_value(lang: str) -> str:
    return Lang(lang).t("tables.col.value")


# ---------------------------------------------------------------------------- frictionless
def _validate(descriptor: Path):
    return Package(str(descriptor)).validate()


def _errors(report) -> list[tuple[str, str, str | None]]:
    """(resource, error type, field) of every error frictionless found."""
    return [(task.name, error.type, getattr(error, "field_name", None)) for task in report.tasks for error in task.errors]


def test_frictionless_validates_the_output_tables(built, tmp_path):
    for lang in LANGS:
        report = _validate(built / lang / tables.PACKAGE)
        assert report.valid, _errors(report)[:5]
    # and it does read them: a number written as a reader sees it ('1.282') is refused
    broken = tmp_path / "nl"
    shutil.copytree(built / "nl", broken)
    path = broken / "q5-table-1.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",1282,", ',"1.282,5",', 1), encoding="utf-8")
    assert ("q5-table-1", "type-error", tables_value("nl")) in _errors(_validate(broken / tables.PACKAGE))


def test_the_data_package_is_generated_from_the_schemas_and_validates():
    assert data_package.current() == data_package.render(), "data/datapackage.json is stale: run `make generate`"
    descriptor = json.loads(data_package.current())
    present = [name for name, ds in DATASETS.items() if (config.DATA_DIR / ds.subdir / f"{name}.csv").exists()]
    assert [r["name"] for r in descriptor["resources"]] == present
    for resource in descriptor["resources"]:
        ds = DATASETS[resource["name"]]
        assert [f["name"] for f in resource["schema"]["fields"]] == ds.columns and resource["schema"]["primaryKey"] == list(
            ds.key
        )
    report = _validate(data_package.path())
    assert report.valid, _errors(report)[:5]


def test_frictionless_finds_what_the_contract_forbids(data_dir):
    (data_dir / data_package.NAME).write_text(data_package.render(data_dir), encoding="utf-8")
    path = data_dir / "contact_actions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[3], fields[5], fields[7] = "hybrid", "maybe", "nowhere"  # hours_type, blank_in_source, source_id
    path.write_text("\n".join([lines[0], ",".join(fields), *lines[2:]]) + "\n", encoding="utf-8")
    errors = _errors(_validate(data_dir / data_package.NAME))
    assert ("contact_actions", "constraint-error", "hours_type") in errors
    assert ("contact_actions", "type-error", "blank_in_source") in errors
    assert any(e[:2] == ("contact_actions", "foreign-key") for e in errors)


# ---------------------------------------------------------------------------- DataFrames in a notebook
def test_a_report_table_is_one_call_away_as_a_tidy_dataframe():
    from analysis.questions import q1_online_trainings as q1
    from analysis.questions import q5_contact_vs_online as q5

    rep = Report.open("q5", year=2021, compare_year=2020, months=[1, 2], lang="nl")
    table = q5.table(rep, q5.compute(rep))
    frame = table.table_frame()
    assert list(frame.columns) == tabular.layout(table.record(), "nl").names
    assert frame["Waarde"].dtype.kind == "f" and frame["Afgerond door de bron"].dtype == bool
    assert list(frame["Maand"].cat.categories[:2]) == ["januari", "februari"] and frame["Maand"].cat.ordered
    wide = frame.pivot_table(index=["Maand", "Type gepresteerde uren"], columns="Kolom", values="Waarde", observed=True)
    data = rep.data["contact_actions"]
    for (month, year), actions in data[data.month.isin([1, 2])].groupby(["month", "year"]).actions:
        shown = wide.loc[rep.lang.month(int(month)), str(year)]
        assert sorted(shown.iloc[: len(actions)]) == sorted(actions.astype(float))  # the rows of the source table
    assert (
        frame["Bronnen (volledig)"].str.contains("Antwoord op de schriftelijke vraag").all()
    )  # recomputed lines too: their parts' sources
    # a block two chapters share (an Html fragment) gives its table the same way; a notice in its place says so
    rep = Report.open("q1", year=2021, compare_year=2020, months=[1, 2], lang="en")
    answer = q1.compute(rep)
    claims = online.shared_claim_table(rep, answer.claim_checks, answer.claim_rows)
    named = [rep.t("claim.col.value"), rep.t("claim.col.ratio")]  # a recomputed ratio is not an official value
    assert isinstance(claims, Html) and claims.table_frame()["Column"].unique().tolist() == named
    with pytest.raises(ValueError, match="no table"):
        Html("<p>no table</p>").table_frame()


# ---------------------------------------------------------------------------- the workbook
def test_the_workbook_has_readable_sheet_names_a_contents_sheet_and_typed_numbers(built):
    for lang in LANGS:
        L = Lang(lang)
        book = openpyxl.load_workbook(built / lang / "tables.xlsx")
        contents = book[L.t("doc.contents")]
        assert book.sheetnames[0] == contents.title
        listed = []
        for row in contents.iter_rows(min_row=5):  # the list of sheets, up to the first empty row
            if not row[0].value:
                break
            listed.append(row)
        assert [row[0].value for row in listed] == book.sheetnames[1:]
        assert [row[0].hyperlink.location for row in listed] == [f"'{name}'!A1" for name in book.sheetnames[1:]]
        assert {row[3].value for row in listed} == {p.name for p in _csvs(built, lang)}
        question = L.t("q5.title").split(" – ")[0]  # 'Vraag 5'
        sheet = book[L.t("tables.sheet", chapter=question, n=1)]
        numbers = [c for row in sheet.iter_rows(min_row=5) for c in row if c.data_type == "n" and c.value is not None]
        assert numbers and all(c.number_format != "General" for c in numbers)
        rounded = [
            c for name in book.sheetnames[1:] for row in book[name].iter_rows(min_row=5) for c in row if '"' in c.number_format
        ]
        assert any(L.t("qualified.about", value="").strip() in c.number_format for c in rounded)  # 'ongeveer 29.000' is 29000


def _sheet_lines(built: Path, lang: str):
    """Each CSV line beside its row on the table's sheet: (CSV file, line, the sheet's headers by name, the row's cells).

    The sheet of a CSV file is the one the contents sheet lists beside it; line ``Row`` n is the sheet's n-th row."""
    L = Lang(lang)
    book = openpyxl.load_workbook(built / lang / "tables.xlsx")
    contents = book[L.t("doc.contents")]
    sheet_of = {row[3].value: row[0].value for row in contents.iter_rows(min_row=5) if row[0].value and row[3].value}
    for path in _csvs(built, lang):
        sheet = book[sheet_of[path.name]]
        rows = list(sheet.iter_rows(min_row=4))
        at = {c.value: k for k, c in enumerate(rows[0]) if c.value is not None}
        for line in _rows(path):
            yield path, line, at, rows[int(line[L.t("tables.col.row")])]


def _value_column(L: Lang, at: dict, label: str, unit: str) -> int:
    """The sheet column of a label's numbers: its header is the label, with the unit where the column has one."""
    found = [at[h] for h in (label, f"{label} ({unit})") if h in at]
    assert len(found) == 1, (label, unit, list(at))
    return found[0]


def _part(L: Lang, label: str, role: str) -> str:
    return L.t("tables.sheet.part", column=label, part=L.t(tabular.HEADERS[role]))


def test_the_workbook_holds_every_number_as_the_csv_files_do_percentages_in_percent(built):
    """One percentage scale: the workbook's number is the CSV file's value (24.1 for 24,1%), its format adds a literal
    '%' (no Excel percent format, which would want the fraction), and the contents sheet and data package say so."""
    for lang in LANGS:
        L = Lang(lang)
        percents = 0
        for path, line, at, cells in _sheet_lines(built, lang):
            value = line.get(L.t("tables.col.value"))  # none in a table without numbers
            if not value:
                continue
            unit, label = line[L.t("tables.col.unit")], line[L.t("tables.col.column")]
            cell = cells[_value_column(L, at, label, unit)]
            assert cell.value == pytest.approx(float(value), rel=1e-12), (path.name, line)
            if unit == "%":
                assert '"%"' in cell.number_format and "%" not in cell.number_format.replace('"%"', ""), cell.number_format
                percents += 1
        assert percents >= 20, percents
        book = openpyxl.load_workbook(built / lang / "tables.xlsx")
        said = " ".join(str(c.value) for row in book[L.t("doc.contents")].iter_rows() for c in row if c.value)
        assert L.t("tables.contents.columns") in said and "25%" in said
        descriptor = json.loads((built / lang / tables.PACKAGE).read_text(encoding="utf-8"))
        assert "tables.xlsx" in descriptor["description"] and "25" in descriptor["description"]


def test_every_number_on_a_sheet_has_its_unit(built):
    """A column whose numbers have one unit names it in its header ('Share (%)'); one that mixes units (chapter 6's
    published and recomputed values: counts and percentages) has a unit column beside it, per row."""
    mixed = set()
    for lang in LANGS:
        L = Lang(lang)
        for path, line, at, cells in _sheet_lines(built, lang):
            value = line.get(L.t("tables.col.value"))  # none in a table without numbers
            if not value:
                continue
            unit, label = line[L.t("tables.col.unit")], line[L.t("tables.col.column")]
            header = f"{label} ({unit})"
            if not unit:  # a number of no known unit (a rank): its header is the label alone
                assert label in at and (_part(L, label, "unit") not in at or cells[at[_part(L, label, "unit")]].value is None)
            elif header in at:
                assert _part(L, label, "unit") not in at, (path.name, label)
            else:
                assert _part(L, label, "unit") in at, (path.name, label, unit, list(at))
                assert cells[at[_part(L, label, "unit")]].value == unit, (path.name, line)
                mixed.add((lang, path.name, label))
    assert {("en", "q6-table-1.csv", "Published value"), ("nl", "q6-table-1.csv", "Gepubliceerde waarde")} <= mixed, mixed


def test_every_number_on_a_sheet_has_the_flags_of_the_csv_files(built):
    """Status, provisional and rounded by the source stand beside every number of every sheet, as in the CSV line,
    also where none of a column's numbers is flagged (a column of 'observed' and FALSE)."""
    flags = ("status", "provisional", "rounded")
    unflagged = 0
    for lang in LANGS:
        L = Lang(lang)
        for path, line, at, cells in _sheet_lines(built, lang):
            if L.t("tables.col.value") not in line:
                continue  # a table without numbers
            label = line[L.t("tables.col.column")]
            for role in flags:
                text = line[L.t(tabular.HEADERS[role])]
                cell = cells[at[_part(L, label, role)]]
                # an empty flag in the CSV (no number, so nothing rounded) is an empty cell, not FALSE (statistician,
                # round 42)
                expected = text if role == "status" else (None if text == "" else text == "true")
                assert cell.value == expected, (path.name, line, role)
            unflagged += line[L.t("tables.col.status")] == tabular.OBSERVED and line[L.t("tables.col.provisional")] == "false"
    assert unflagged > 20


def test_a_number_has_the_same_ref_on_its_sheet_as_in_the_csv_file(built):
    """The Ref. of a CSV line is on the sheet beside its number ('2020: Ref.') where the number has figure ids of its own
    that are not its row's, else in the row's Ref. column; a table without numbers has its row's Ref."""
    own = 0
    for lang in LANGS:
        L = Lang(lang)
        ref = L.t("tables.col.ref")
        for path, line, at, cells in _sheet_lines(built, lang):
            if L.t("tables.col.value") in line and _part(L, line[L.t("tables.col.column")], "ref") in at:
                cell = cells[at[_part(L, line[L.t("tables.col.column")], "ref")]]
                own += 1
            elif ref in at:
                cell = cells[at[ref]]
            else:
                assert not line[ref], (path.name, line)
                continue
            assert (cell.value or "") == line[ref], (path.name, line)
    assert own > 50, own


# ---------------------------------------------------------------------------- LibreOffice Calc
def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice Calc (soffice) is not installed: `make test` installs it as root (make calc)")
        pytest.skip("LibreOffice Calc (soffice) is not installed: apt-get install libreoffice-calc")
    return found


def _calc(tmp_path: Path, locale: str, target: str, *files: Path, infilter: str | None = None) -> Path:
    """Convert files with Calc, headless, under ``locale`` (its number and date settings), into a new folder."""
    out = tmp_path / f"calc-{len(list(tmp_path.iterdir()))}"
    env = {**os.environ, "LANG": f"{locale}.UTF-8", "LC_ALL": f"{locale}.UTF-8", "HOME": str(tmp_path)}
    command = [_soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", target, "--outdir", str(out), *map(str, files)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


#: Calc's CSV export: comma, '"', UTF-8, formatted text as shown, every sheet to its own file.
CSV_OUT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
#: Calc's CSV import as the README says to open our files: comma, '"', UTF-8, language English (USA), so a
#: point is a decimal point whatever the reader's own settings.
CSV_IN = "CSV:44,34,76,1,,1033"


@pytest.mark.e2e
def test_calc_shows_every_workbook_cell_as_the_report_does(built, tmp_path):
    """Under Belgian Dutch settings the Dutch workbook shows every cell as the Dutch report (and the English one under
    English settings): the numbers are numbers, and their formats give the report's decimals, signs and words."""
    _soffice()
    for lang in LANGS:
        out = _calc(tmp_path, Lang(lang).locale, CSV_OUT, built / lang / "tables.xlsx")
        L = Lang(lang)
        reports = {p.stem: outputs.read(p) for p in sorted((built / lang).glob("*.ipynb"))}
        names = tables.sheet_names(L, [(name, Path(), found) for name, found in reports.items()])
        compared = 0
        for name, n, sheet in names:
            table = reports[name].tables[n - 1]
            columns = tables.sheet_columns(table, L)
            with (out / f"tables-{sheet}.csv").open(encoding="utf-8", newline="") as fh:
                lines = list(csv.reader(fh))
            assert lines[3][: len(columns)] == [c.header for c in columns], (lang, sheet)
            for row, calc in zip(table.rows, lines[4 : 4 + len(table.rows)], strict=True):
                ours = tables.sheet_cells(table, row, columns, reports[name].sources)
                for i, cell in enumerate(row.cells):
                    k = tables.shown_at(columns, table, i, cell)
                    if k is None:  # an empty cell of a column of numbers: nothing to show
                        assert not cell.text, (lang, sheet, cell)
                        continue
                    if table.columns[i].ref and not row.refs:  # a recomputed row's Ref.: its numbers' codes
                        assert calc[k] == ours[k][0] and calc[k] != cell.text, (lang, sheet, columns[k].header)
                        continue
                    assert calc[k] == cell.text, (lang, sheet, columns[k].header)
                    compared += cell.value is not None
                # a column of numbers holds numbers only: what is not a number stands beside it
                for k, column in enumerate(columns):
                    if column.part in ("value", "low", "high", "ratio") and calc[k]:
                        assert isinstance(ours[k][0], (int, float)) and not isinstance(ours[k][0], bool), (sheet, column)
        assert compared > 100, compared


@pytest.mark.e2e
def test_calc_keeps_the_workbook_numbers_as_numbers(built, tmp_path):
    _soffice()
    out = _calc(tmp_path, "nl_BE", "xlsx", built / "nl" / "tables.xlsx")
    ours, theirs = openpyxl.load_workbook(built / "nl" / "tables.xlsx"), openpyxl.load_workbook(out / "tables.xlsx")
    assert theirs.sheetnames == ours.sheetnames
    numbers = 0
    for name in ours.sheetnames[1:]:
        for mine, calc in zip(ours[name].iter_rows(), theirs[name].iter_rows()):
            for a, b in zip(mine, calc):
                if a.data_type == "n" and a.value is not None:
                    assert b.data_type == "n" and b.value == pytest.approx(a.value, rel=1e-12), (name, a.coordinate)
                    numbers += 1
    assert numbers > 100


@pytest.mark.e2e
def test_calc_reads_the_csv_files_with_numbers_as_numbers(built, tmp_path):
    """Belgian Dutch settings, the CSV files opened as the README says (language English (USA)): the numeric columns of
    the data package are numbers in Calc, true/false are truth values, and no text becomes another number."""
    _soffice()
    paths = _csvs(built, "nl")
    out = _calc(tmp_path, "nl_BE", "xlsx", *paths, infilter=CSV_IN)
    schemas = _schema(built, "nl")
    numbers = 0
    for path in paths:
        sheet = openpyxl.load_workbook(out / f"{path.stem}.xlsx").active
        header, *rows = list(sheet.iter_rows())
        texts = _rows(path)
        fields = {f["name"]: f for f in schemas[path.name]["fields"]}
        assert [c.value for c in header] == list(fields)
        for cells, text in zip(rows, texts, strict=True):
            for cell, name in zip(cells, fields):
                kind, raw = fields[name]["type"], text[name]
                if not raw:
                    assert cell.value is None
                elif kind in ("integer", "number"):
                    assert cell.data_type == "n" and cell.value == pytest.approx(float(raw), rel=1e-12), (path.name, name, raw)
                    numbers += 1
                elif kind == "boolean":
                    assert cell.value is (raw == "true"), (path.name, name, raw)
                elif cell.data_type == "n":  # a text Calc reads as a number: only a plain whole number ('2020')
                    assert WHOLE.fullmatch(raw) and cell.value == int(raw), (path.name, name, raw)
    assert numbers > 100


# ---------------------------------------------------------------------------- the kind of figure
def _kind_lines(built: Path, lang: str, name: str) -> list[tuple[str, str, str]]:
    """(value, status, kind of figure) of each line of a CSV file."""
    L = Lang(lang)
    columns = [L.t(tabular.HEADERS[role]) for role in ("value", "status", "kind")]
    return [tuple(line[c] for c in columns) for line in _rows(built / lang / name)]


def test_quoted_and_press_figures_are_not_official_in_the_csv_files(built):
    """The kind of figure comes from the sources the report cites for a number's figure ids: the member's rounded
    29,000 is quoted and the minister's 62,297 official, though both are 'observed'; every newspaper figure is press;
    the ratio of 62,297 over the 29,000 is quoted (the less official of its inputs)."""
    for lang in LANGS:
        q1 = _kind_lines(built, lang, "q1-table-1.csv")
        assert ("29000", "observed", "quoted") in q1 and ("62297", "observed", "official") in q1
        q7 = _kind_lines(built, lang, "q7-table-1.csv")
        # every newspaper figure is press; VDAB's own key-figures note (K1, 100,529) a publication
        assert q7 and all(kind == ("publication" if value == "100529" else "press") for value, _, kind in q7), q7
        assert ("100529", "observed", "publication") in q7
        ref = Lang(lang).t("tables.col.ref")
        ratio = [line for line in _rows(built / lang / "q6-table-2.csv") if "," in line[ref]]  # the quoted statements
        assert len(ratio) == 1 and set(ratio[0][ref].split(", ")) == {"OE-2021-01-02-VDAB", "CL-2020-01-02"}
        assert ratio[0][Lang(lang).t("tables.col.status")] == "recomputed"
        assert ratio[0][Lang(lang).t("tables.col.kind")] == "quoted"
        # the 29,000 the answer lacks: no number, so no 'rounded' flag beside the file that gives it as rounded
        status, rounded = (Lang(lang).t(tabular.HEADERS[r]) for r in ("status", "rounded"))
        missing = [line for line in _rows(built / lang / "q6-table-2.csv") if line[status] == "missing"]
        assert missing and all(line[rounded] == "" for line in missing)
        assert [line[rounded] for line in _rows(built / lang / "q1-table-1.csv") if line[ref] == "CL-2020-01-02"] == ["true"]
        for path in _csvs(built, lang):  # only the codes
            for line in _rows(path):
                if Lang(lang).t("tables.col.kind") in line:
                    assert line[Lang(lang).t("tables.col.kind")] in (*tabular.KINDS, ""), (path.name, line)


def test_the_data_package_and_the_contents_sheet_explain_the_kind_of_figure(built):
    for lang in LANGS:
        L = Lang(lang)
        described = 0
        for schema in _schema(built, lang).values():
            fields = {f["name"]: f for f in schema["fields"]}
            if L.t("tables.col.value") not in fields:
                continue  # a table without numbers
            kind = fields[L.t("tables.col.kind")]
            assert kind["type"] == "string" and kind["constraints"] == {"enum": list(tabular.KINDS)}
            assert kind["description"] == tabular.describe(L, "kind")
            for code in tabular.KINDS:
                assert f"{code}: {L.t(tabular.KIND_ABOUT[code])}" in kind["description"]
            assert L.t("tables.kind.rule") in kind["description"]
            described += 1
        assert described >= 5
        book = openpyxl.load_workbook(built / lang / "tables.xlsx")
        rows = [[c.value for c in row] for row in book[L.t("doc.contents")].iter_rows()]
        assert [L.t("tables.contents.kinds")] == [v for v in rows[[r[0] for r in rows].index(L.t("tables.contents.kinds"))] if v]
        for code in tabular.KINDS:
            assert [code, L.t(tabular.KIND_ABOUT[code])] in [r[:2] for r in rows]
        assert L.t("tables.kind.rule") in [r[0] for r in rows]


def test_every_number_on_a_sheet_has_its_kind_of_figure(built):
    """The Kind of figure column stands beside every column of numbers, as the CSV line says it."""
    seen: set[str] = set()
    for lang in LANGS:
        L = Lang(lang)
        for path, line, at, cells in _sheet_lines(built, lang):
            if L.t("tables.col.value") not in line:
                continue  # a table without numbers
            header = _part(L, line[L.t("tables.col.column")], "kind")
            assert header in at, (path.name, list(at))
            text = line[L.t("tables.col.kind")]
            assert cells[at[header]].value == (text or None), (path.name, line)
            seen.add(text)
    assert {"official", "quoted", "press"} <= seen
