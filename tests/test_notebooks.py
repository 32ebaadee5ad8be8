"""Notebook tier: thin, typed, output-free notebooks that run with their defaults and with other parameters."""

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


def _run(path: Path, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    out = tmp_path / f"{path.stem}-out.ipynb"
    return papermill.execute_notebook(
        str(path), str(out), parameters=parameters, kernel_name="python3", cwd=str(path.parent), progress_bar=False
    )


def _html(nb) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(str(output.get("data", {}).get("text/html", "")))
            parts.append(str(output.get("text", "")))
    return "\n".join(parts)


PARAMETER_SETS = {
    "defaults": {},
    "english_february": {"lang": "en", "months": [2]},
    "period_not_in_data": {"lang": "en", "year": 2023, "compare_year": 2022},
}


@pytest.mark.slow
@pytest.mark.parametrize("set_name", list(PARAMETER_SETS))
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path, set_name: str, tmp_path: Path):
    nb = _run(path, tmp_path, **PARAMETER_SETS[set_name])
    html = _html(nb)
    assert "<h1>" in html and ("Bronnen" in html or "Sources" in html)
    if set_name == "defaults" and path.stem.startswith("q1"):
        assert "62.297" in html
    if set_name == "defaults" and path.stem.startswith("q5"):
        assert "8.877" in html and "33.000" in html and "33.297" not in html
    if set_name == "english_february" and path.stem.startswith("q5"):
        assert "5,821" in html and "February" in html
    if set_name == "period_not_in_data" and path.stem.startswith(("q1", "q5", "q6")):
        assert 'class="notice"' in html


@pytest.mark.slow
@pytest.mark.parametrize(
    "stem,expected",
    [
        ("q2_courses", "Python voor beginners (synthetic)"),
        ("q3_profile", "&lt; 5"),
        ("q4_labour_market", "tijdelijk werkloos"),
    ],
)
def test_notebook_uses_extracts_when_present(stem: str, expected: str, extract_dir: Path, tmp_path: Path):
    nb = _run(config.NOTEBOOKS_DIR / f"{stem}.ipynb", tmp_path, data_dir=str(extract_dir))
    assert expected in _html(nb)
