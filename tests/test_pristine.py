"""Exploring a question notebook never changes the official reports by accident.

A copy of the project is made a git checkout; then a notebook is changed as a JupyterLab session
leaves it (parameters cell edited, scratch cell added and run, outputs saved).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest

from analysis import config, registry
from analysis.pipeline import pristine
from tests.helpers import copy_project, run_in_copy

pytestmark = pytest.mark.e2e

Q5 = registry.get("q5")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "copy"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


def _explore(path: Path, scratch: bool) -> None:
    """What JupyterLab saves after 'edit the parameters cell, Run All' (and a scratch cell)."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("months: list = [1, 2]", "months: list = [2]").replace(
        'lang: str = "nl"', 'lang: str = "en"'
    )
    if scratch:
        extra = nbformat.v4.new_code_cell("rep.data")
        extra.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "DataBundle(...)"}, execution_count=9)]
        extra.execution_count = 9
        nb.cells.append(extra)
    nbformat.write(nb, path)


def test_a_notebook_changed_in_jupyterlab_stops_the_official_build_with_advice(checkout: Path):
    path = checkout / "notebooks" / Q5.notebook.name
    _explore(path, scratch=True)
    result = run_in_copy(checkout, "build", "--only", "q5", "--no-pdf", "--out", str(checkout / "out"))
    assert result.returncode == 4, result.stdout + result.stderr
    for words in ("as committed", "outputs stored in 1 cell(s)", "parameters cell was edited", "make lab", "--allow-modified"):
        assert words in result.stderr, (words, result.stderr)
    assert not (checkout / "out" / "nl" / "q5.html").exists(), "nothing is built"


def test_an_edited_parameters_cell_never_decides_an_official_report(checkout: Path):
    out_clean, out_edited = checkout / "clean", checkout / "edited"
    assert run_in_copy(checkout, "build", "--only", "q5", "--lang", "nl", "--no-pdf", "--out", str(out_clean)).returncode == 0
    _explore(checkout / "notebooks" / Q5.notebook.name, scratch=False)
    result = run_in_copy(
        checkout, "build", "--only", "q5", "--lang", "nl", "--no-pdf", "--allow-modified", "--out", str(out_edited)
    )
    assert result.returncode == 0, result.stderr
    assert "warning: building a changed notebook" in result.stderr
    clean = (out_clean / "nl" / "q5.html").read_text(encoding="utf-8")
    edited = (out_edited / "nl" / "q5.html").read_text(encoding="utf-8")
    assert "januari en februari 2021" in edited and clean == edited, "the injected parameters win over the edited cell"


def test_the_file_check_finds_outputs_and_an_edited_cell_without_git(tmp_path: Path, monkeypatch):
    assert pristine.problems(Q5) == []
    copy = tmp_path / Q5.notebook.name
    copy.write_bytes(Q5.notebook.read_bytes())
    _explore(copy, scratch=True)
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", tmp_path)  # Q5.notebook is now the explored copy
    assert pristine.problems(Q5) == ["outputs stored in 1 cell(s)", "its parameters cell was edited"]
