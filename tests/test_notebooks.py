"""Notebooks: thin, typed, output-free; they run with their defaults (read from the full build) and other parameters."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from analysis import config, registry
from analysis.report import intro
from analysis.report.i18n import Lang
from tests import inprocess

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
REQUIRED = {"year": "int", "compare_year": "int", "months": "list", "lang": "str", "data_dir": "str"}
MARK = "# NBVAL_CHECK_OUTPUT"


def test_every_notebook_is_a_registered_question_and_every_question_has_one():
    assert sorted(q.notebook for q in registry.QUESTIONS) == NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_thin_typed_and_stored_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    intro, first = nb.cells[0], nb.cells[1]
    assert intro.cell_type == "markdown" and "report-hide" in intro.metadata.get("tags", [])
    assert "parameters" in first.metadata.get("tags", [])
    declared = papermill.inspect_notebook(str(path))
    for name, type_name in REQUIRED.items():
        assert declared[name]["inferred_type_name"] == type_name, name
        assert declared[name]["help"], f"parameter {name} needs a comment"
    assert declared["year"]["default"] == "2021" and declared["months"]["default"] == "[1, 2]"
    checks = 0
    for cell in nb.cells[1:]:
        assert cell.cell_type == "code"
        tree = ast.parse(cell.source)
        assert not any(
            isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)) for n in ast.walk(tree)
        ), "notebooks hold no functions: put them in src/analysis"
        if cell.source.startswith(MARK):
            assert cell.execution_count == 1
            checks += 1
            assert cell.outputs, "a check cell keeps its expected output"
            assert "report-hide" in cell.metadata.get("tags", [])
        else:
            assert not cell.outputs and cell.execution_count is None, "notebooks are stored without outputs"
    assert checks >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_opens_with_its_intro_from_the_catalogue(path: Path):
    """The intro cell is the catalogue's title and question: run `python -m analysis generate` when this fails."""
    nb = nbformat.read(path, as_version=4)
    question = registry.by_stem(path.stem).id
    assert nb.cells[0].source == intro.markdown(question, path.stem)
    for lang in ("nl", "en"):
        assert Lang(lang).t(f"{question}.title") in nb.cells[0].source


def test_every_intro_says_how_to_explore_in_both_languages():
    """Where to work (work/, make lab), the data and the tables as DataFrames, and the export: in Dutch and in English.
    The calls it shows are the ones tests/test_frames.py and tests/test_tables.py run."""
    for path in NOTEBOOKS:
        nl, en = nbformat.read(path, as_version=4).cells[0].source.split("\n---\n")
        for part, heading in ((nl, "**De gegevens verkennen.**"), (en, "**Exploring the data.**")):
            assert heading in part, (path.name, heading)
            for words in ("`make lab`", "`work/`", 'analysis.data.frame("contact_actions")', ".table_frame()", "Save and Export"):
                assert words in part, (path.name, words)


def test_the_output_check_of_the_pre_commit_hook_catches_stray_outputs(tmp_path: Path):
    sys.path.insert(0, str(config.PROJECT_DIR / "scripts"))
    import check_notebooks

    assert check_notebooks.main([str(p) for p in NOTEBOOKS]) == 0
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="62297")]
    stray = tmp_path / "stray.ipynb"
    nbformat.write(nb, stray)
    assert check_notebooks.problems(str(stray)) == [
        f"{stray}: cell 2 has stored outputs (clear them: only # NBVAL_CHECK_OUTPUT cells keep theirs)"
    ]


def _html(nb) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(str(output.get("data", {}).get("text/html", "")))
            parts.append(str(output.get("text", "")))
    return "\n".join(parts)


def _check(question: str, set_name: str, html: str) -> None:
    assert "<h1>" in html and ("Bronnen" in html or "Sources" in html)
    if set_name == "defaults" and question == "q1":
        assert "62.297" in html or "62,297" in html
    if set_name == "defaults" and question == "q5":
        # the total of actions as context, and no online growth set against the lost actions (other unit, other group)
        assert ("8.877" in html and "33.297" not in html) or ("8,877" in html and "33,297" not in html)
    if set_name == "english_february" and question == "q5":
        assert "5,821" in html and "February" in html
    if set_name == "period_not_in_data" and question in ("q1", "q5", "q6"):
        assert 'class="notice"' in html


# Each notebook runs with its defaults in a kernel twice per full run, and no more: once under nbval
# (`--nbval-lax notebooks`, which also compares the NBVAL_CHECK_OUTPUT cells) and once per language in
# the session's full build (tests/conftest.py). The tests below read the build's executed notebooks;
# other parameters run in this process (tests/inprocess.py), with the notebooks' own cells.
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_executed_notebook_of_the_build_shows_its_report(path: Path, lang: str, full_build):
    question = path.stem.split("_")[0]
    nb = nbformat.read(full_build[0] / lang / f"{question}.ipynb", as_version=4)
    assert nb.metadata["papermill"]["parameters"]["lang"] == lang
    _check(question, "defaults", _html(nb))


PARAMETER_SETS = {
    "english_february": {"lang": "en", "year": 2021, "compare_year": 2020, "months": [2]},
    "period_not_in_data": {"lang": "en", "year": 2023, "compare_year": 2022, "months": [1, 2]},
}


@pytest.mark.notebook
@pytest.mark.parametrize("set_name", list(PARAMETER_SETS))
@pytest.mark.parametrize("question", list(inprocess.QUESTIONS))
def test_notebook_runs_with_other_parameters(question: str, set_name: str):
    out = inprocess.run(question, "", **PARAMETER_SETS[set_name])
    _check(question, set_name, "\n".join(out.html) + out.stdout)


@pytest.mark.notebook
@pytest.mark.parametrize(
    "question,expected",
    [
        ("q2", "Python voor beginners (synthetic)"),
        ("q3", "&lt; 5"),
        ("q4", "tijdelijk werkloos"),
    ],
)
def test_notebook_uses_extracts_when_present(question: str, expected: str, extract_dir: Path):
    out = inprocess.run(question, extract_dir, year=2021, compare_year=2020, months=[1, 2], lang="nl")
    assert expected in "\n".join(out.html)


def test_in_process_runs_cover_every_registered_question():
    """Keyed by the registry, so a q10 is never taken for q1 (the key was once the name's first two characters)."""
    assert {q.id: q.notebook for q in registry.QUESTIONS} == inprocess.QUESTIONS
