"""Large extracts: whole-column validation keeps its promises, and q2/q3 stay readable with many rows.

Sizes here are small enough for the test suite; the timings at a million rows are the business of
benchmarks/scale.py, never of a test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.data import loader
from analysis.data.schemas import DATASETS
from analysis.errors import DataError
from analysis.questions import q2_courses as q2
from analysis.questions.common import extracts
from analysis.report.frame import Report
from tests.helpers import add_synthetic_source, write_xlsx

PARTICIPANTS = DATASETS["participants"]
HEADER = ",".join(PARTICIPANTS.columns)


def participant_lines(n: int, age=lambda i: str(15 + i % 86)) -> list[str]:
    return [f"P{i},2021-01,2021-02,short,{age(i)},female,no,no,working,wq-answer" for i in range(n)]


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ messages for failing rows only
def test_a_bad_column_lists_its_first_rows_and_counts_the_rest(tmp_path):
    lines = participant_lines(3000, age=lambda i: "veel" if i % 2 else "30")
    with pytest.raises(DataError) as info:
        loader.read_dataset(write(tmp_path / "participants.csv", lines), PARTICIPANTS)
    problems = info.value.problems
    listed = [p for p in problems if p.row is not None]
    assert [(p.row, p.column, p.value) for p in listed] == [(r, "age_years", "veel") for r in (3, 5, 7, 9, 11)]
    assert all("a whole number" in p.expected for p in listed)
    (summary,) = [p for p in problems if p.row is None]
    assert summary.column == "age_years" and "1495 more row(s)" in summary.expected
    assert len(str(info.value).splitlines()) == 6


def test_failing_rows_are_counted_per_column_and_per_check(tmp_path):
    lines = participant_lines(40, age=lambda i: "12")  # below the minimum of 15: a pandera check
    lines[7] = lines[7].replace(",female,", ",vrouw,")
    with pytest.raises(DataError) as info:
        loader.read_dataset(write(tmp_path / "participants.csv", lines), PARTICIPANTS)
    problems = info.value.problems
    assert [p.row for p in problems if p.column == "gender"] == [9]
    ages = [p for p in problems if p.column == "age_years"]
    assert [p.row for p in ages[:5]] == [2, 3, 4, 5, 6] and "35 more row(s)" in ages[5].expected
    assert "at least 15" in ages[0].expected


def test_duplicate_keys_name_both_rows(tmp_path):
    lines = participant_lines(20)
    lines.append(lines[4])
    with pytest.raises(DataError) as info:
        loader.read_dataset(write(tmp_path / "participants.csv", lines), PARTICIPANTS)
    assert [p.row for p in info.value.problems] == [6, 22]
    assert info.value.first.value == "P4 / 2021-01 / 2021-02"


# ------------------------------------------------------------------------------ spreadsheet rows on the exact path
def test_quoted_line_breaks_and_blank_rows_keep_spreadsheet_rows(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(
        "claim_id,period_start,period_end,measure,qualifier,value,unit,stated_by,quote,source_id,locator\n"
        'A,2021-01,2021-02,online_trainings,almost,63000,trainings,minister,q,wq-question,"two\nlines"\n'
        "\n"
        ",,,,,,,,,,\n"
        "B,2021-01,2021-02,online_trainings,about,lots,trainings,minister,q,wq-question,x\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        loader.read_dataset(path, DATASETS["claims"])
    assert (info.value.first.row, info.value.first.column) == (5, "value")


def test_fast_and_exact_readers_agree(tmp_path):
    lines = participant_lines(50, age=lambda i: "" if i % 7 == 0 else str(20 + i))
    fast = loader.read_dataset(write(tmp_path / "a.csv", lines), PARTICIPANTS)
    # A row of spaces is blank, but pyarrow's reader refuses it: the file goes the exact way.
    exact = loader.read_dataset(write(tmp_path / "b.csv", [*lines[:10], "   ", *lines[10:]]), PARTICIPANTS)
    assert fast.index.tolist() == list(range(2, 52))
    assert exact.index.tolist() == [*range(2, 12), *range(13, 53)]
    pd.testing.assert_frame_equal(fast.reset_index(drop=True), exact.reset_index(drop=True))
    assert fast.age_years.dtype == "Int64" and fast.age_years.isna().sum() == 8


def test_ragged_rows_are_listed_then_counted(tmp_path):
    lines = participant_lines(12)
    for i in range(0, 12, 2):
        lines[i] += ",extra"
    with pytest.raises(DataError) as info:
        loader.read_dataset(write(tmp_path / "participants.csv", lines), PARTICIPANTS)
    assert [p.row for p in info.value.problems] == [2, 4, 6, 8, 10, None]
    assert "found 11" in info.value.first.expected and "1 more row(s)" in info.value.problems[-1].expected


# ------------------------------------------------------------------------------ number rules, whole columns
@pytest.mark.parametrize(
    "delimiter,cell,expected",
    [
        (";", "1.234.567", 1234567),
        (";", "+12", 12),
        (";", "007", 7),
        (";", "1.234,0", 1234),
        (",", "62297", 62297),
        (",", "-0", 0),
        (",", "973.0", 973),
        (",", "973.000", None),
        (",", "999999999999999999", 999999999999999999),
    ],
)
def test_count_notations_read(tmp_path, delimiter, cell, expected):
    path = tmp_path / "online_actions.csv"
    columns = DATASETS["online_actions"].columns
    row = ["OA", "2021-01", "2021-02", "temporary_unemployment_declared_since_2020_03", "jobseeker", cell, "wq-answer", "x"]
    quoted = [f'"{c}"' if delimiter in c else c for c in row]
    path.write_text(delimiter.join(columns) + "\n" + delimiter.join(quoted) + "\n", encoding="utf-8")
    if expected is None:  # ambiguous: the thousands or the decimal reading
        with pytest.raises(DataError, match="without thousands separators"):
            loader.read_dataset(path, DATASETS["online_actions"])
        return
    frame = loader.read_dataset(path, DATASETS["online_actions"])
    assert frame.actions.tolist() == [expected] and frame.actions.dtype == "int64"


@pytest.mark.parametrize(
    "cell,phrase",
    [
        ("1e5", "a number"),
        ("1,5", "'.' as decimal mark"),
        ("12.345", "without thousands separators"),
        ("1000000000000000000", "at most 18 digits"),
        ("12.5", "cannot be fractional"),
        ("", "the cell is empty"),
    ],
)
def test_count_notations_refused(tmp_path, cell, phrase):
    path = tmp_path / "online_actions.csv"
    columns = DATASETS["online_actions"].columns
    row = ["OA", "2021-01", "2021-02", "temporary_unemployment_declared_since_2020_03", "jobseeker", cell, "wq-answer", "x"]
    path.write_text(",".join(columns) + "\n" + ",".join(f'"{c}"' for c in row) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        loader.read_dataset(path, DATASETS["online_actions"])
    assert (info.value.first.row, info.value.first.column) == (2, "actions")
    assert phrase in info.value.first.expected


# ------------------------------------------------------------------------------ spreadsheets through python-calamine
def test_xlsx_numbers_in_text_columns_read_as_written(tmp_path):
    path = write_xlsx(
        tmp_path / "online_enrolments.xlsx",
        [
            DATASETS["online_enrolments"].columns,
            [2021, "2021-01", "2021-02", "vdab_platform", "all_users", 62297, "wq-answer", 1.5],
            [None] * 8,
            ["X2", "2021-01", "2021-02", "partner_platform", "all_users", 1258.0, "wq-answer", "b"],
        ],
    )
    frame = loader.read_dataset(path, DATASETS["online_enrolments"])
    assert frame.figure_id.tolist() == ["2021", "X2"] and frame.locator.tolist() == ["1.5", "b"]
    assert frame.enrolments.tolist() == [62297, 1258] and frame.index.tolist() == [2, 4]


def test_a_file_that_is_no_workbook_is_a_data_error(tmp_path):
    path = tmp_path / "online_enrolments.xlsx"
    path.write_bytes(b"figure_id,period_start\n")
    with pytest.raises(DataError, match="an .xlsx workbook that opens"):
        loader.read_dataset(path, DATASETS["online_enrolments"])


# ------------------------------------------------------------------------------ cache of validated frames
def test_validated_frames_are_reused_only_for_the_same_content(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "CACHE_MIN_BYTES", 0)
    monkeypatch.setattr(loader, "CACHE_DIR", tmp_path / "cache")
    path = write(tmp_path / "participants.csv", participant_lines(30, age=lambda i: "" if i == 3 else "40"))
    first = loader.read_dataset(path, PARTICIPANTS)
    assert len(list((tmp_path / "cache").glob("*.arrow"))) == 1
    calls = []
    monkeypatch.setattr(loader, "_validated", lambda *a: calls.append(a) or pytest.fail("validated again"))
    again = loader.read_dataset(path, PARTICIPANTS)
    pd.testing.assert_frame_equal(first, again)
    assert again.attrs["path"] == str(path) and not calls
    monkeypatch.undo()
    monkeypatch.setattr(loader, "CACHE_MIN_BYTES", 0)
    monkeypatch.setattr(loader, "CACHE_DIR", tmp_path / "cache")
    write(path, participant_lines(30, age=lambda i: "12"))  # same size, new content: below the minimum age
    with pytest.raises(DataError, match="at least 15"):
        loader.read_dataset(path, PARTICIPANTS)


# ------------------------------------------------------------------------------ q3 and q2 on many rows
def test_age_bands_of_a_column_match_the_rule_for_one_age():
    ages = pd.Series([None, 0, 14, 24, 25, 57, 58, 100, 130], dtype="Int64")
    assert extracts.age_bands(ages).tolist() == [extracts.age_band(a) for a in ages.astype(object)]
    assert extracts.age_bands(ages).tolist()[:5] == ["unknown", "under_25", "under_25", "under_25", "25_to_57"]


def many_courses(folder: Path, n: int) -> None:
    rng = np.random.default_rng(3)
    add_synthetic_source(folder)
    (folder / "extracts").mkdir(exist_ok=True)
    frame = pd.DataFrame(
        {
            "course": [f"Course {i:04d} (synthetic)" for i in range(n)],
            "period_start": "2021-01",
            "period_end": "2021-02",
            "enrolments": rng.integers(1, 500, n),
            "in_progress_pct": 20.0,
            "completed_pct": rng.integers(0, 80, n).astype(float),
            "report_date": "2021-04-08",
            "source_id": "synthetic-fixture",
        }
    )
    frame.to_csv(folder / "extracts" / "courses.csv", index=False)


def test_courses_chart_draws_top_courses_and_one_remainder(data_dir, monkeypatch):
    many_courses(data_dir, 2000)
    rep = Report.open("q2", year=2021, compare_year=2020, months=[1, 2], lang="en", data_dir=str(data_dir))
    c = q2.compute(rep, 500)
    bars, remainder = extracts.chart_courses(c, 500)
    assert len(bars) == extracts.CHART_MAX_COURSES + 1 and remainder == 2000 - extracts.CHART_MAX_COURSES
    assert bars.enrolments.sum() == c.total_enrolments
    rest = c.frame.iloc[extracts.CHART_MAX_COURSES :]
    expected = (rest.completed_pct * rest.enrolments).sum() / rest.enrolments.sum()
    assert bars.iloc[-1].completed_pct == pytest.approx(expected)
    drawn = []

    def figure(*args, **kwargs):
        drawn.append(make_figure(*args, **kwargs))
        return drawn[-1]

    make_figure = extracts.charts.figure
    monkeypatch.setattr(extracts.charts, "figure", figure)
    extracts.courses_chart(rep, c, 500)
    labels = [t.get_text() for t in drawn[0][1].get_yticklabels()]
    assert len(labels) == extracts.CHART_MAX_COURSES + 1
    assert labels[0] == rep.t("q2.chart.other_courses", n=rep.lang.num(remainder))
    few, none_left = extracts.chart_courses(c, 3)
    assert len(few) == 4 and none_left == 1997


def test_courses_chart_without_remainder(extract_dir):
    rep = Report.open("q2", year=2021, compare_year=2020, months=[1, 2], lang="nl", data_dir=str(extract_dir))
    c = q2.compute(rep, 15)
    bars, remainder = extracts.chart_courses(c, 15)
    assert remainder == 0 and bars.course.tolist() == c.frame.course.tolist()


def test_data_folder_is_left_alone_by_the_cache(data_dir, monkeypatch, tmp_path):
    monkeypatch.setattr(loader, "CACHE_MIN_BYTES", 0)
    monkeypatch.setattr(loader, "CACHE_DIR", tmp_path / "cache")
    before = {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}
    loader.load_all(data_dir)
    loader.load_all(data_dir)
    assert {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()} == before
    shutil.rmtree(tmp_path / "cache")


def test_cross_row_checks_list_the_first_rows_and_count_the_rest(tmp_path):
    lines = [line.replace("2021-01,2021-02", "2021-02,2021-01") for line in participant_lines(12)]
    with pytest.raises(DataError) as info:
        loader.read_dataset(write(tmp_path / "participants.csv", lines), PARTICIPANTS)
    problems = info.value.problems
    assert [(p.row, p.column) for p in problems[:5]] == [(r, "period_end") for r in range(2, 7)]
    assert problems[5].row is None and "7 more row(s)" in problems[5].expected
