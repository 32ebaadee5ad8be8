"""Adding a question: the scaffold writes four files, and the new question builds in both languages.

The probe runs on a copy of the project (src/, notebooks/, data/, reports.yml) so the working
tree is never touched; the copy is removed with the test's temporary folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis import config, registry
from tests.helpers import copy_project, run_in_copy

pytestmark = pytest.mark.slow


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and ".egg-info" not in str(p)
    }


_run = run_in_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_a_new_question_touches_four_files_and_builds_in_both_languages(project: Path):
    before = _snapshot(project)
    made = _run(
        project, "new-question", "q8", "probe_question", "--title-nl", "Vraag 8 – Proef", "--title-en", "Question 8 – Probe"
    )
    assert made.returncode == 0, made.stderr
    after = _snapshot(project)
    touched = sorted(k for k in after.keys() | before.keys() if before.get(k) != after.get(k))
    assert touched == sorted(
        [
            "notebooks/q8_probe_question.ipynb",
            "src/analysis/questions/q8_probe_question.py",
            "src/analysis/registry.py",
            "src/analysis/report/messages.yml",
        ]
    ), touched

    # the generated cells are what `generate --check` expects, so the notebook tests pass at once
    check = _run(project, "generate", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    nb = nbformat.read(project / "notebooks/q8_probe_question.ipynb", as_version=4)
    assert "parameters" in nb.cells[1].metadata["tags"] and nb.cells[1].source == registry.get("q1").cell_source()

    # the project's own static and in-process tests pass on the new question as written
    shutil.copytree(config.PROJECT_DIR / "tests", project / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(config.PROJECT_DIR / "pyproject.toml", project / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": f"{project / 'src'}{os.pathsep}{project}"}
    env.pop("ANALYSIS_PROJECT_DIR", None)
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not e2e and not fuzz",
         "tests/test_catalogue.py", "tests/test_notebooks.py", "tests/test_parameters.py", "-k", "q8 or catalogue or orphan"],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    assert "passed" in tests.stdout and "q8" in subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests/test_notebooks.py"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    ).stdout  # fmt: skip

    out = project / "reports"
    build = _run(project, "build", "--only", "q8", "--out", str(out))
    assert build.returncode == 0, build.stdout + build.stderr
    for lang, title, sentence in (
        ("nl", "Vraag 8 – Proef", "rijen in online_enrolments"),
        ("en", "Question 8 – Probe", "rows in online_enrolments"),
    ):
        html = (out / lang / "q8.html").read_text(encoding="utf-8")
        assert title in html and sentence in html
        assert (out / lang / "q8.pdf").stat().st_size > 1000
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Vraag 8 – Proef" in index and "Question 8 – Probe" in index
    state = json.loads((out / ".build-state.json").read_text(encoding="utf-8"))
    assert {"nl/q8", "en/q8"} <= set(state["reports"]), sorted(state["reports"])


def test_the_scaffold_refuses_an_existing_id_a_bad_slug_and_an_unknown_dataset(project: Path):
    before = _snapshot(project)
    for args, message in (
        (("q5", "again"), "exists already"),
        (("q8", "Bad-Slug"), "expected lower-case letters"),
        (("8", "x"), "expected q followed by a number"),
        (("q8", "x", "--dataset", "nope"), "dataset 'nope'"),
    ):
        result = _run(project, "new-question", *args)
        assert result.returncode == 4 and message in result.stderr, (args, result.stderr)
    assert _snapshot(project) == before, "a refused scaffold writes nothing"


def test_generate_check_finds_a_stale_parameters_cell(project: Path):
    path = project / "notebooks" / registry.get("q5").notebook.name
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("reporting year", "year")
    nbformat.write(nb, path)
    stale = _run(project, "generate", "--check")
    assert stale.returncode == 1 and path.name in stale.stdout
    fixed = _run(project, "generate")
    assert fixed.returncode == 0 and _run(project, "generate", "--check").returncode == 0
    assert "reporting year" in path.read_text(encoding="utf-8")
