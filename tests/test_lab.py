"""Exploring in JupyterLab never changes the official reports, and its export menu gives the report PDF.

The end-to-end tests start JupyterLab as ``make lab`` does (:mod:`analysis.pipeline.lab`: the same
copies in ``work/``, the same command line) on a copy of the project made a git checkout, headless,
on a free port, without a token, and drive it in the build's own Chromium with Playwright, as a
user would: open a notebook from the file browser, edit the parameters cell, Run All from the
command palette, save with Ctrl+S, add a cell of one's own with a plot, export from the File menu.
Then the official build runs as ``make reports`` runs it. JupyterLab's own state (settings,
workspaces, runtime files) lives in the test's temporary folder, never in the user's home.

The first test takes the path ``make lab`` offers (the copy in ``work/``): the official output
stays byte-identical. The second takes the other path, the tracked notebook in ``notebooks/``:
opening and saving it changes nothing in git; edited and saved, it stops the build with what to
do. Each step's time is printed (``pytest -s``); the README's table of a new user's steps uses them.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from analysis import config
from analysis.pipeline import lab
from tests.helpers import copy_project, pdf_text, run_in_copy, tree_digest

Q5 = "q5_contact_vs_online.ipynb"
#: Files of a build that record how long it took, not what it says.
TIMING_FILES = {"build.html", ".build-state.json"}
#: The user's own cell: a data set as a DataFrame, and a plot of it.
OWN_PLOT = (
    "import analysis.data\n"
    'df = analysis.data.frame("contact_actions")\n'
    'df.pivot_table(index="hours_type", columns="year", values="actions", aggfunc="sum", observed=True).plot.bar()'
)

# JavaScript conditions, evaluated in the page. The visible notebook's kernel is idle, as both its
# toolbar indicator and the status bar say (the indicator alone reads 'idle' for a moment before the
# kernel has started).
KERNEL_IDLE = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const indicator = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const bar = Array.from(document.querySelectorAll('.jp-StatusBar-TextItem')).some(e => /\\| Idle$/.test(e.textContent));
  return !!indicator && indicator.dataset.status === 'idle' && bar;
}"""
ALL_RUN = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const prompts = Array.from(panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')).map(e => e.textContent.trim());
  return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:$/.test(t));
}"""
SAVED = "() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')"

TIMEOUT_MS = 90_000


# ---------------------------------------------------------------------------- the copies and the command line of make lab
def test_make_lab_copies_each_notebook_once_and_never_overwrites_a_copy(tmp_path: Path):
    (tmp_path / "notebooks").mkdir()
    for name in ("q1_a.ipynb", "q2_b.ipynb"):
        (tmp_path / "notebooks" / name).write_text("{}", encoding="utf-8")
    made = lab.work_copies(tmp_path)
    assert [p.name for p in made] == ["q1_a.ipynb", "q2_b.ipynb"]
    (tmp_path / "work" / "q1_a.ipynb").write_text('{"mine": 1}', encoding="utf-8")
    assert lab.work_copies(tmp_path) == []
    assert (tmp_path / "work" / "q1_a.ipynb").read_text(encoding="utf-8") == '{"mine": 1}', "a user's copy is kept"
    (tmp_path / "work" / "q2_b.ipynb").unlink()
    assert [p.name for p in lab.work_copies(tmp_path)] == ["q2_b.ipynb"], "a deleted copy is made again"
    os.utime(tmp_path / "work" / "q1_a.ipynb", (1, 1))
    assert [p.name for p in lab.outdated_copies(tmp_path)] == ["q1_a.ipynb"]


def test_make_lab_opens_work_with_the_project_as_root(tmp_path: Path):
    cmd = lab.command(tmp_path, ["--no-browser"])
    assert cmd[1:3] == ["-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in cmd and "--LabApp.default_url=/lab/tree/work" in cmd
    assert cmd[-1] == "--no-browser", "make lab ARGS=... come last"
    assert ("--allow-root" in cmd) == (os.geteuid() == 0)
    makefile = (config.PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/python -m analysis lab $(ARGS)" in makefile, "make lab and this test start JupyterLab the same way"


# ---------------------------------------------------------------------------- the export menu
def test_the_export_menu_sends_pdf_and_webpdf_to_the_report_pdf():
    """The server config make setup installs puts our routes before the server's own for exactly two formats."""
    from analysis.pipeline import labexport

    shipped = json.loads((config.PROJECT_DIR / "jupyter" / "jupyter_server_config.json").read_text(encoding="utf-8"))
    assert shipped["ServerApp"]["extra_services"] == ["analysis.pipeline.labexport"]
    makefile = (config.PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    assert "cp jupyter/jupyter_server_config.json $(VENV)/etc/jupyter/jupyter_server_config.json" in makefile

    def handler(path: str):  # tornado matches a route's whole pattern
        return next((h for pattern, h in labexport.default_handlers if re.fullmatch(pattern, path)), None)

    for fmt in ("pdf", "webpdf"):
        assert handler(f"/nbconvert/{fmt}/work/{Q5}") is labexport.ReportPDFFileHandler
        assert handler(f"/nbconvert/{fmt}") is labexport.ReportPDFPostHandler
    for other in ("html", "reportpdf", "pdfx", "latex"):
        assert handler(f"/nbconvert/{other}/work/{Q5}") is None and handler(f"/nbconvert/{other}") is None


def test_the_pdf_is_in_the_language_its_outputs_were_written_in():
    from analysis.pipeline.exporters import report_lang
    from analysis.report.render import TITLE_MIME

    def notebook(cell_lang: str, output_lang: str | None = None):
        nb = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell(f'lang: str = "{cell_lang}"  # report language')
        params.metadata["tags"] = ["parameters"]
        nb.cells.append(params)
        if output_lang:
            title = nbformat.v4.new_code_cell("rep.title()")
            record = {"report": "q5", "lang": output_lang, "title": "T", "question": "Q"}
            title.outputs = [nbformat.v4.new_output("display_data", {"text/plain": "T", TITLE_MIME: {"items": [record]}})]
            nb.cells.append(title)
        return nb

    assert report_lang(notebook("en")) == "en", "the parameters cell, before the notebook has run"
    assert report_lang(notebook("nl", "en")) == "en", "run in English (lang set in a later cell): the outputs decide"
    assert report_lang(notebook("xx")) == "nl"


# ---------------------------------------------------------------------------- JupyterLab in Chromium
def _git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True).stdout


def _official(project: Path) -> dict[str, str]:
    """The official output of the build (reports/), without the files that record its timings."""
    return {name: digest for name, digest in tree_digest(project / "reports").items() if name not in TIMING_FILES}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Steps:
    """Seconds per step, printed at the end of a test (``pytest -s`` shows them)."""

    def __init__(self, title: str):
        self.title, self.rows, self.t = title, [], time.perf_counter()

    def done(self, step: str) -> None:
        now = time.perf_counter()
        self.rows.append((step, now - self.t))
        self.t = now

    def print(self) -> None:
        print(f"\n{self.title}")
        for step, seconds in self.rows:
            print(f"  {seconds:5.1f} s  {step}")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project as a git checkout, with its official q5 reports built once (``make reports``)."""
    root = copy_project(tmp_path_factory.mktemp("lab") / "project")
    (root / ".gitignore").write_bytes((config.PROJECT_DIR / ".gitignore").read_bytes())
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "copy"]):
        _git(root, *args)
    result = run_in_copy(root, "build", "--only", "q5", "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="module")
def server(project: Path, tmp_path_factory) -> Iterator[str]:
    """JupyterLab on the copy, started as ``make lab`` starts it; its URL."""
    installed = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.json"
    assert installed.is_file() and json.loads(installed.read_text()) == json.loads(
        (config.PROJECT_DIR / "jupyter" / "jupyter_server_config.json").read_text()
    ), f"{installed} is missing or stale: run make setup"
    home = tmp_path_factory.mktemp("jupyter-home")
    env = {
        **os.environ,
        "PYTHONPATH": str(project / "src"),  # the kernel imports the copy's library, as run_in_copy does
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    for name in ("MPLBACKEND", config.PROJECT_ENV, "ANALYSIS_REPORTS_DIR"):
        env.pop(name, None)
    lab.work_copies(project)
    port = _free_port()
    cmd = lab.command(
        project,
        ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--port={port}", "--IdentityProvider.token=", "--ServerApp.password="],
    )
    log = open(home / "server.log", "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None, (home / "server.log").read_text()
                assert time.monotonic() < deadline, "JupyterLab did not start in 60 s:\n" + (home / "server.log").read_text()
                time.sleep(0.2)
        print(f"\nJupyterLab started as make lab starts it in {time.perf_counter() - started:.1f} s")
        yield url
    finally:
        proc.terminate()  # the server shuts its kernels down
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from analysis.pipeline.printer import find_chromium, launch_args

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=find_chromium(), args=launch_args(), headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    downloads: list = []
    context.on("page", lambda p: p.on("download", lambda d: downloads.append(d)))  # an export opens a new tab that downloads
    page = context.new_page()
    page.downloads = downloads
    try:
        yield page
    finally:
        context.close()


def _panel(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")


def _open_from_file_browser(page, url: str, folder: str, name: str) -> None:
    """JupyterLab at ``folder`` in a fresh workspace; double-click ``name`` in the file browser; wait for its kernel."""
    page.goto(f"{url}/lab/tree/{folder}?reset")
    page.locator(".jp-DirListing-item", has_text=name).dblclick()
    page.wait_for_function(KERNEL_IDLE)


def _edit_parameters(page, project: Path, notebook: str, **values: str) -> None:
    """Replace the values of the parameters cell by typing into it (``name: type = value`` lines)."""
    nb = nbformat.read(project / notebook, as_version=4)
    source = next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    for name, value in values.items():
        source, n = re.subn(rf"^({name}: \w+ = )[^#\n]*?(\s*#)", rf"\g<1>{value}\2", source, flags=re.M)
        assert n == 1, (name, source)
    _panel(page).locator(".jp-CodeCell").first.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(source)
    page.keyboard.press("Escape")


def _run_all(page) -> None:
    """Run All Cells from the command palette (Ctrl+Shift+C), then wait until every cell has run."""
    page.keyboard.press("Control+Shift+C")
    page.locator(".lm-CommandPalette input").wait_for()
    page.keyboard.type("Run All Cells")
    page.locator(".lm-CommandPalette-item.lm-mod-active", has_text="Run All Cells").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_function(ALL_RUN)
    page.wait_for_function(KERNEL_IDLE)


def _save(page, path: Path) -> None:
    """Ctrl+S, then wait until the tab is clean and the file was written."""
    before = path.stat().st_mtime_ns
    page.keyboard.press("Control+s")
    page.wait_for_function(SAVED)
    deadline = time.monotonic() + 30
    while path.stat().st_mtime_ns == before:
        assert time.monotonic() < deadline, f"{path} was not saved"
        time.sleep(0.1)


def _export_from_menu(page, label: str) -> bytes:
    """File → Save and Export Notebook As → ``label``: the file the browser downloads."""
    page.locator(".lm-MenuBar-item", has_text="File").click()
    page.locator(".lm-Menu-item", has_text="Save and Export Notebook As").hover()
    page.locator(".lm-Menu-itemLabel").get_by_text(label, exact=True).click()
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not page.downloads:
        assert time.monotonic() < deadline, f"no download from the {label} export"
        page.wait_for_timeout(200)
    download = page.downloads.pop()
    assert download.failure() is None, download.failure()
    return Path(download.path()).read_bytes()


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "export.pdf"
    path.write_bytes(data)
    assert data.startswith(b"%PDF"), data[:200]
    return pdf_text(path)


@pytest.mark.e2e
def test_exploring_a_work_copy_in_jupyterlab_leaves_the_official_reports_as_they_were(project, server, page, tmp_path):
    """make lab's path: open q5 in work/, February only in English, Run All, save, a plot of one's own,
    export the PDF from the menu; then make reports rebuilds byte-identical official reports."""
    assert _git(project, "status", "--porcelain", "--untracked-files=no") == ""
    official = _official(project)
    copy = project / "work" / Q5
    steps = Steps("exploring work/q5 in JupyterLab (seconds per step)")
    _open_from_file_browser(page, server, "work", Q5)
    steps.done("open JupyterLab, double-click q5 in work/, kernel ready")
    _edit_parameters(page, project, f"work/{Q5}", months="[2]", lang='"en"')
    _run_all(page)
    steps.done("change months and lang in the parameters cell, Run All")
    _save(page, copy)
    steps.done("save (Ctrl+S)")

    _panel(page).locator(".jp-Cell").last.locator(".jp-InputPrompt").click()  # select the last cell
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # a new cell below
    page.keyboard.press("Enter")
    page.keyboard.insert_text(OWN_PLOT)
    page.keyboard.press("Shift+Enter")
    image = _panel(page).locator(".jp-CodeCell", has_text="analysis.data.frame").locator(".jp-OutputArea-output img")
    image.wait_for()
    assert image.get_attribute("src").startswith("data:image/png;base64,")
    steps.done("add a cell with a plot of one's own and run it: the chart shows")
    _save(page, copy)
    steps.done("save (Ctrl+S)")

    saved = nbformat.read(copy, as_version=4)
    params = next(c for c in saved.cells if "parameters" in c.metadata.get("tags", []))
    assert "months: list = [2]" in params.source and 'lang: str = "en"' in params.source
    own = next(c for c in saved.cells if c.cell_type == "code" and "analysis.data.frame" in c.source)
    assert any("image/png" in o.get("data", {}) for o in own.outputs), "the plot is saved with the copy"

    text = _pdf_text(_export_from_menu(page, "PDF"), tmp_path)
    steps.done("File → Save and Export Notebook As → PDF (the report PDF, downloaded)")
    assert "Question 5" in text and "February 2021" in text, text[:500]
    assert re.search(r"page 1 of \d+", text) and "pagina" not in text, "the PDF is in the notebook's language"

    assert _git(project, "status", "--porcelain", "--untracked-files=no") == "", "no tracked file changed"
    result = run_in_copy(project, "build", "--only", "q5", "--no-pdf")
    assert result.returncode == 0 and "0 built" in result.stdout, result.stdout + result.stderr
    steps.done("make reports: nothing to rebuild")
    result = run_in_copy(project, "build", "--only", "q5", "--no-pdf", "--force")
    assert result.returncode == 0 and "2 built" in result.stdout, result.stdout + result.stderr
    steps.done("make reports, forced rebuild of q5 (nl, en)")
    assert _official(project) == official, "the official reports are byte-identical to those built before"
    steps.print()


@pytest.mark.e2e
def test_a_tracked_notebook_saved_unchanged_stays_clean_and_edited_stops_the_build(project, server, page, tmp_path):
    """The other path: notebooks/q5 itself. Opened and saved it is unchanged in git; edited, run and saved,
    make reports stops before building anything, says why and what to do, and leaves reports/ as it was."""
    notebook = project / "notebooks" / Q5
    official = _official(project)
    steps = Steps("the tracked notebooks/q5 in JupyterLab (seconds per step)")
    try:
        _open_from_file_browser(page, server, "notebooks", Q5)
        assert page.evaluate(SAVED), "opening the notebook marks it changed"
        _save(page, notebook)
        assert _git(project, "status", "--porcelain", "--untracked-files=no") == "", _git(project, "diff")
        steps.done("open notebooks/q5 and save it: git diff stays empty")

        _edit_parameters(page, project, f"notebooks/{Q5}", months="[2]")
        _run_all(page)
        _save(page, notebook)
        assert _git(project, "status", "--porcelain", "--untracked-files=no").split() == ["M", f"notebooks/{Q5}"]
        steps.done("edit the parameters cell, Run All, save")

        text = _pdf_text(_export_from_menu(page, "Webpdf"), tmp_path)
        steps.done("File → Save and Export Notebook As → Webpdf (the report PDF)")
        assert "Vraag 5" in text and "februari 2021" in text, text[:500]
        assert re.search(r"pagina 1 van \d+", text), "a Dutch notebook gives a Dutch PDF"

        result = run_in_copy(project, "build", "--only", "q5", "--no-pdf")
        steps.done("make reports: stops with a message")
        assert result.returncode == 4, result.stdout + result.stderr
        for words in (f"notebooks/{Q5}", "parameters cell was edited", "outputs stored", "make lab", "git checkout --"):
            assert words in result.stderr, (words, result.stderr)
        assert _official(project) == official, "nothing was built"
    finally:
        _git(project, "checkout", "--", "notebooks")
    steps.print()
