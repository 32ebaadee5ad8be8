"""Disclosure control: small counts marked '< threshold', cells hidden to protect them marked 'x'; no hidden count leaks.

A brute-force reader (written independently of analysis.core.disclosure) tries every
assignment of the hidden cells that fits the marks, the shown cells and the total; no hidden
cell may come out with a single possible value. Synthetic extracts only (see conftest.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core import disclosure
from analysis.data.schemas import PROFILE_DIMENSIONS
from analysis.questions import q3_profile as q3
from analysis.questions import q4_labour_market as q4
from analysis.report.frame import Report
from tests.helpers import SYNTHETIC, add_synthetic_source, cli, examples, pdf_text

P, S = disclosure.PRIMARY, disclosure.SECONDARY


def reader(cells: list, total: int, threshold: int) -> dict[int, set[int]]:
    """Every value each hidden cell can take, given what a table shows: ints for shown cells, P or S marks.

    The reader knows the documented rule: P is 1 to threshold - 1; S is at least the threshold and
    at most the smallest positive shown cell, or 0 when no positive cell is shown; a breakdown
    with only S marks is withheld (anything adding up to the total).
    """
    shown = [c for c in cells if isinstance(c, int)]
    rest = total - sum(shown)
    positive = [c for c in shown if c > 0]
    withheld = not shown and P not in cells

    def domain(mark) -> set[int]:
        if withheld:
            return set(range(rest + 1))
        if mark == P:
            return set(range(1, threshold))
        values = set(range(threshold, (min(positive) if positive else rest) + 1))
        return values if positive else values | {0}

    hidden = [i for i, c in enumerate(cells) if not isinstance(c, int)]
    domains = {i: {v for v in domain(cells[i]) if v <= rest} for i in hidden}
    possible = {}
    for i in hidden:
        sums = {0}
        for j in hidden:
            if j != i:
                sums = {a + b for a in sums for b in domains[j] if a + b <= rest}
        possible[i] = {v for v in domains[i] if rest - v in sums}
    return possible


def shown_cells(counts: list[int], marks: list[str]) -> list:
    return [m if m else c for c, m in zip(counts, marks)]


@pytest.mark.parametrize(
    "counts,marks",
    [
        ([3, 10, 20], [P, S, ""]),  # one small cell: the next smallest is hidden too
        ([3, 4, 20], [P, P, ""]),  # two small cells with a hidden sum of 7: 3+4 or 4+3
        ([1, 1, 20], [P, P, S]),  # a hidden sum of 2 can only be 1+1: a third cell is hidden
        ([4, 4, 20], [P, P, S]),  # 8 can only be 4+4
        ([0, 10, 20], ["", "", ""]),  # zero is not disclosive
        ([5, 10], ["", ""]),
        ([3, 197_531, 0, 0], [P, S, "", ""]),  # a large cell hidden to protect a small one: marked x, not < 5
        ([4, 5, 5], [P, S, S]),  # 4 + 5 would follow from 'x is at most the 5 still shown'
        ([3, 0, 0], [S, S, S]),  # a total below the threshold: the breakdown is withheld
    ],
)
def test_marks(counts, marks):
    result = disclosure.marks(pd.Series(counts, index=[f"c{i}" for i in range(len(counts))]), 5)
    assert list(result) == marks
    assert list(disclosure.suppress(pd.Series(counts), 5)) == [bool(m) for m in marks]
    possible = reader(shown_cells(counts, marks), sum(counts), 5)
    assert all(counts[i] in values and len(values) > 1 for i, values in possible.items()), possible


@settings(max_examples=examples(400))
@given(
    counts=st.lists(st.integers(0, 6) | st.integers(0, 30), min_size=2, max_size=5),
    threshold=st.integers(2, 6),
)
def test_no_hidden_count_can_be_worked_out(counts, threshold):
    marks = list(disclosure.marks(pd.Series(counts), threshold))
    for count, mark in zip(counts, marks):
        if 1 <= count < threshold:
            assert mark, "every small count is hidden"
        if mark == P:
            assert 1 <= count < threshold, "'< threshold' is only printed for a small count"
    assert sum(map(bool, marks)) != 1, "a lone hidden cell is the total minus the others"
    possible = reader(shown_cells(counts, marks), sum(counts), threshold)
    for i, values in possible.items():
        assert counts[i] in values, "the reader's model fits the truth"
        assert len(values) > 1, f"cell {i} ({counts[i]}) of {counts} is determined by {shown_cells(counts, marks)}"


# ---------------------------------------------------------------------------- in the reports
#: Per dimension, counts adding up to the same total (197,534). Hidden by secondary suppression:
#: 197,531 (next to a 3), 97,532 (next to a 2), 47,532 (two 1s add up to 2), 197,526 (two 4s), 48,613.
COUNTS = {
    "gender": {"female": 3, "male": 197_531, "other": 0, "unknown": 0},
    "education_level": {"short": 100_000, "medium": 97_532, "high": 2, "unknown": 0},
    "age_band": {"under_25": 1, "25_to_57": 1, "58_plus": 150_000, "unknown": 47_532},
    "disability": {"yes": 10, "no": 197_524, "unknown": 0},
    "migration_background": {"yes": 4, "no": 197_526, "unknown": 4},
    "labour_market_status": {
        "jobseeker_activation": 48_613,
        "temporarily_unemployed": 148_918,
        "non_active": 3,
        "working": 0,
        "unknown": 0,
    },
}
TOTAL = 197_534
HIDDEN_LARGE = [197_531, 97_532, 47_532, 197_526, 48_613]


def write_counts(folder: Path, counts: dict[str, dict[str, int]]) -> None:
    add_synthetic_source(folder)
    (folder / "extracts").mkdir(exist_ok=True)
    rows = ["period_start,period_end,dimension,category,participants,source_id"]
    rows += [f"2021-01,2021-02,{d},{c},{n},{SYNTHETIC}" for d, cats in counts.items() for c, n in cats.items()]
    (folder / "extracts" / "participant_counts.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def spellings(n: int) -> list[str]:
    return [str(n), f"{n:,}", f"{n:,}".replace(",", "."), f"{n:,}".replace(",", "\u202f"), f"{n:,}".replace(",", " ")]


def tables(html: str) -> dict[str, list[tuple[str, str, str]]]:
    """Caption → rows (label, count, share) of every data table in a page."""
    out = {}
    # every body of the table: one that may break across pages keeps its last rows in a second body
    for caption, body in re.findall(r"<caption>(.*?)</caption>.*?</thead>(.*?)</table>", html, re.S):
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
        out[caption] = [tuple(re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)) for r in rows]
    return out


#: The same patterns at a size the brute-force reader can enumerate (total 40).
SMALL = {
    "gender": {"female": 3, "male": 37, "other": 0, "unknown": 0},
    "education_level": {"short": 20, "medium": 18, "high": 2, "unknown": 0},
    "age_band": {"under_25": 1, "25_to_57": 1, "58_plus": 30, "unknown": 8},
    "disability": {"yes": 10, "no": 30, "unknown": 0},
    "migration_background": {"yes": 4, "no": 32, "unknown": 4},
    "labour_market_status": {
        "jobseeker_activation": 12,
        "temporarily_unemployed": 25,
        "non_active": 3,
        "working": 0,
        "unknown": 0,
    },
}


@pytest.mark.parametrize("counts", [SMALL, COUNTS], ids=["small", "large"])
def test_tables_mark_hide_shares_and_leave_nothing_to_recover(data_dir: Path, counts):
    write_counts(data_dir, counts)
    total = sum(counts["gender"].values())
    rep = Report.open("q3", year=2021, compare_year=2020, months=[1, 2], lang="nl", data_dir=str(data_dir))
    b = q3.compute(rep, 5)
    html = str(q3.details(rep, b)) + str(q3.short_answer(rep, b))
    assert f"<strong>{rep.lang.count(total)}</strong>" in html  # the reader knows the total
    found = tables(html)
    for dim in q3.PROFILE:
        rows = next(r for c, r in found.items() if c.startswith(rep.t("dim." + dim)))
        truth = [counts[dim][c] for c in PROFILE_DIMENSIONS[dim]]
        cells = []
        for label, count, share in rows:
            cells.append({"&lt; 5": P, "x": S}.get(count) or int(count.replace(".", "")))
            assert (share == "x") == (cells[-1] in (P, S)), (dim, label, share)  # a hidden cell's share is hidden too
        assert [c for c in cells if isinstance(c, int)] == [t for t, c in zip(truth, cells) if isinstance(c, int)]
        assert all(1 <= t < 5 for t, c in zip(truth, cells) if c == P), "'< 5' only for a small count"
        assert sum(c in (P, S) for c in cells) != 1, dim
        if total < 1000:
            for i, values in reader(cells, total, 5).items():
                assert truth[i] in values and len(values) > 1, (dim, cells, i, values)
        for t, c in zip(truth, cells):
            if c in (P, S) and t >= 1000:
                assert not any(s in html for s in spellings(t)), t
    assert "x: niet getoond" in html and "&lt; 5: tussen één en vier deelnemers" in html


@pytest.mark.e2e
def test_no_hidden_count_in_html_pdf_or_notebook(data_dir: Path, tmp_path: Path):
    """The executed notebook (outputs, metadata), the HTML and the PDF text of q3 and q4 never hold a hidden count."""
    write_counts(data_dir, COUNTS)
    out = tmp_path / "out"
    result = cli("build", "--out", str(out), "--only", "q3", "--only", "q4", "--lang", "nl", "-p", f"data_dir={data_dir}")
    assert result.returncode == 0, result.stdout + result.stderr
    files = sorted(p for p in out.rglob("q[34]*") if p.suffix in (".html", ".ipynb", ".pdf"))
    assert len(files) == 6
    for path in files:
        text = pdf_text(path) if path.suffix == ".pdf" else path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = json.dumps(json.loads(text), ensure_ascii=False)  # outputs, chart alt text and metadata alike
        text = " ".join(text.split())
        for n in HIDDEN_LARGE:
            assert not any(s in text for s in spellings(n)), (path.name, n)
        assert any(s in text for s in spellings(TOTAL)) or path.name.startswith("q4"), path.name
    q4_html = next((out / "nl").glob("q4*.html")).read_text(encoding="utf-8")
    assert "x: niet getoond" in q4_html and "&lt; 5: tussen één en vier deelnemers" in q4_html


def test_q4_breakdown_uses_the_same_marks(data_dir: Path):
    write_counts(data_dir, COUNTS)
    rep = Report.open("q4", year=2021, compare_year=2020, months=[1, 2], lang="en", data_dir=str(data_dir))
    table = repr(q4.full_table(rep, q4.full(rep, 5)))
    assert "< 5" in table and "| x | x" in table
    assert not any(s in table for s in spellings(48_613))


def test_a_breakdown_below_the_threshold_is_withheld_whole(data_dir: Path):
    """With 3 participants in all, every cell of every breakdown is 'x' and the chart says so instead of drawing bars."""
    tiny = {d: dict.fromkeys(PROFILE_DIMENSIONS[d], 0) for d in COUNTS}
    for d in tiny:
        tiny[d][PROFILE_DIMENSIONS[d][0]] = 3
    write_counts(data_dir, tiny)
    rep = Report.open("q3", year=2021, compare_year=2020, months=[1, 2], lang="en", data_dir=str(data_dir))
    b = q3.compute(rep, 5)
    html = str(q3.details(rep, b))
    for rows in tables(html).values():
        assert {(count, share) for _, count, share in rows} == {("x", "x")}
    assert "&lt; 5" not in html and set(b.frame.mark) == {S}
