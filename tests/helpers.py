"""Helpers shared by the tests: the command line, built files, synthetic data, scenario folders, workbooks."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml
from pypdf import PdfReader

from analysis import config

EPOCH = "1767225600"  # 2026-01-01, the fixed build date of test builds


def cli(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    full_env = {**os.environ, config.BUILD_DATE_ENV: EPOCH, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=config.PROJECT_DIR,
        timeout=timeout,
    )


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def pdf_pages(path: Path) -> int:
    return len(PdfReader(str(path)).pages)


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def assert_consistent(out: Path) -> None:
    """Every file under reports/ is complete, and the index only lists what is on disk."""
    assert not list(out.rglob("*.tmp-*")), "temporary files left behind"
    for html in out.rglob("*.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), html
    for pdf in out.rglob("*.pdf"):
        assert pdf_pages(pdf) >= 1, pdf
    for nb in out.rglob("*.ipynb"):
        nbformat.read(nb, as_version=4)
    state = out / ".build-state.json"
    if state.exists():
        import json

        for label, entry in json.loads(state.read_text())["reports"].items():
            if entry["status"] == "built":
                lang, stem = label.split("/")
                for ext in ("ipynb", "html"):
                    assert (out / lang / f"{stem}.{ext}").exists(), (label, ext)


def write_manifest(folder: Path, reports: list[tuple[str, Path]], languages=("nl",), extra: str = "") -> Path:
    lines = [f"languages: [{', '.join(languages)}]", "reports:"]
    for name, notebook in reports:
        lines += [f"  - name: {name}", f"    notebook: {notebook}"]
    path = folder / "reports.yml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def notebook_with_extra_cell(source_nb: Path, target: Path, code: str) -> Path:
    nb = nbformat.read(source_nb, as_version=4)
    cell = nbformat.v4.new_code_cell(code)
    cell.id = "extra-test-cell"
    nb.cells.insert(2, cell)
    nbformat.write(nb, target)
    return target


# ---------------------------------------------------------------------------- the library, as a notebook opens it
def open_report(question: str = "q1", lang: str = "nl", **kw):
    """``Report.open`` with the notebooks' default parameters; keyword arguments override them."""
    from analysis.report.frame import Report

    params = {"year": 2021, "compare_year": 2020, "months": [1, 2], "lang": lang, "data_dir": ""}
    params.update(kw)
    return Report.open(question, **params)


def q5_caveats(lang: str):
    """Chapter 5 on the data, with its caveats as a reader reads them: (report, computed answer, caveats' text)."""
    from analysis.questions import q5_contact_vs_online as q5
    from analysis.report.render import plain_text

    rep = open_report("q5", lang=lang)
    a = q5.compute(rep)
    return rep, a, plain_text(q5.caveats(rep, a))


def q5_summary(rep, a) -> tuple[str, dict[str, dict]]:
    """Chapter 5's records for the dossier: the front sheet's finding (text) and the derived figures by what they are."""
    from analysis.questions import q5_contact_vs_online as q5

    q5.findings(rep, a)
    finding = next(f for f in rep.findings if f["role"] == "finding")["text"]
    return finding, {f["text"]: f for f in rep.findings if f["role"] == "derived"}


def write_xlsx(path: Path, rows: list[list]) -> Path:
    """A one-sheet workbook with these rows (the header first), as openpyxl writes it."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


# ---------------------------------------------------------------------------- synthetic data, clearly labelled
SYNTHETIC = "synthetic-fixture"
SYNTHETIC_SOURCE = (
    f"{SYNTHETIC},Test suite,SYNTHETIC test data - not real figures,2026-01,none,"
    '"Verzonnen door de tests; nooit echte cijfers.","Made up by tests; never real figures.",publication,,,stated\n'
)


def copy_data(target: Path) -> Path:
    """A copy of data/ (without its README) at ``target``."""
    shutil.copytree(config.DATA_DIR, target, ignore=shutil.ignore_patterns("README.md"))
    return target


def add_synthetic_source(folder: Path, row: str = SYNTHETIC_SOURCE) -> None:
    with open(folder / "sources.csv", "a", encoding="utf-8") as fh:
        fh.write(row)


def write_extracts(folder: Path, course_name: str = "Excel basis (synthetic)") -> None:
    """Small, obviously synthetic extracts for January-February 2021."""
    add_synthetic_source(folder)
    ext = folder / "extracts"
    ext.mkdir(exist_ok=True)
    (ext / "courses.csv").write_text(
        "course,period_start,period_end,enrolments,in_progress_pct,completed_pct,report_date,source_id\n"
        f'"{course_name}",2021-01,2021-02,900,30.0,50.0,2021-04-08,{SYNTHETIC}\n'
        f"Python voor beginners (synthetic),2021-01,2021-02,1200,40.5,35.5,2021-04-08,{SYNTHETIC}\n"
        f"Solliciteren online (synthetic),2021-01,2021-02,300,10.0,80.0,2021-04-08,{SYNTHETIC}\n",
        encoding="utf-8",
    )
    rows = [
        "participant_id,period_start,period_end,education_level,age_years,gender,disability,migration_background,labour_market_status,source_id"
    ]
    levels = ["short", "medium", "high"]
    statuses = ["jobseeker_activation", "temporarily_unemployed", "non_active", "working"]
    for i in range(40):
        age = "" if i == 39 else str(19 + (i * 7) % 45)
        rows.append(
            f"P{i:03d},2021-01,2021-02,{levels[i % 3]},{age},{'female' if i % 2 else 'male'},"
            f"{'yes' if i < 3 else 'no'},{'yes' if i % 4 == 0 else 'no'},{statuses[i % 4]},{SYNTHETIC}"
        )
    (ext / "participants.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------- scenario folders (tests/scenarios)
SCENARIOS = Path(__file__).parent / "scenarios"
SCENARIO_SOURCE = (
    'scenario-synthetic,Test suite,"SYNTHETIC scenario data - not real figures",2026-11,,'
    '"Handgeschreven testscenario; nooit echte cijfers.","Hand-written test scenario; never real figures.",answer,,,stated\n'
)


def scenario_front_matter(folder: Path) -> dict:
    """The YAML between the leading ``---`` lines of a scenario's SCENARIO.md (empty when there is none)."""
    text = (folder / "SCENARIO.md").read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    return yaml.safe_load(text[4 : text.index("\n---\n", 4)]) or {}


def overlay_scenario(folder: Path, target: Path) -> Path:
    """A scenario's data folder at ``target`` (tests/scenarios/README.md): a copy of data/, minus the files its
    SCENARIO.md lists under ``remove``, with the scenario's own files laid over it and its source added."""
    copy_data(target)
    for removed in scenario_front_matter(folder).get("remove", []):
        (target / removed).unlink()
    for path in sorted(folder.glob("*.csv")):
        shutil.copy(path, target / path.name)
    add_synthetic_source(target, SCENARIO_SOURCE)
    return target


# ---------------------------------------------------------------------------- Hypothesis example counts
def examples(ci: int) -> int:
    """A test's number of Hypothesis examples: ``ci`` under the ``ci`` profile (tests/conftest.py), scaled by the
    active profile's ``max_examples`` under the others (``dev`` runs a quarter, ``hunt`` twenty times as many)."""
    from hypothesis import settings

    return max(1, round(ci * settings().max_examples / settings.get_profile("ci").max_examples))


PROJECT_PARTS = ("src", "notebooks", "data", "reports.yml")


def copy_project(root: Path) -> Path:
    """The parts of the project a build needs, copied to ``root``: run it with :func:`run_in_copy`."""
    import shutil

    from analysis import config

    for name in PROJECT_PARTS:
        source = config.PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, root / name)
    return root


def run_in_copy(project: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m analysis ARGS`` with the copy's own package first on the path, so it is the project."""
    import os
    import sys

    env = {**os.environ, "PYTHONPATH": str(project / "src"), "ANALYSIS_REPORTS_DIR": str(project / "reports")}
    env.pop("ANALYSIS_PROJECT_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=project, env=env, capture_output=True, text=True, timeout=timeout
    )
