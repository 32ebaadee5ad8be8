"""End to end: the real build of every report, its outputs, the cache, reproducibility and failure modes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from analysis import config, registry
from analysis.report.i18n import Lang
from tests.helpers import (
    EPOCH,
    assert_consistent,
    cli,
    notebook_with_extra_cell,
    pdf_pages,
    pdf_text,
    tree_digest,
    write_manifest,
)

pytestmark = pytest.mark.e2e

KEY_FIGURES = {
    ("nl", "q1"): ["62.297", "1.258", "2,11", "2,19"],
    ("en", "q1"): ["62,297", "1,258", "2.11", "2.19"],
    ("nl", "q4"): ["14.344", "8.684", "5.660"],
    ("en", "q4"): ["14,344", "8,684", "5,660"],
    ("nl", "q5"): ["8.877", "9.578", "\u221233,5%", "+32,8%", "43,4%"],
    ("en", "q5"): ["8,877", "9,578", "\u221233.5%", "+32.8%", "43.4%"],
    ("nl", "q6"): ["\u2212113,7%", "\u221253,2%", "4.240"],
    ("en", "q6"): ["\u2212113.7%", "\u221253.2%", "4,240"],
    ("nl", "q7"): ["29.660", "49.882"],
    ("en", "q7"): ["29,660", "49,882"],
}


# full_build: the session fixture in conftest.py (shared with test_reader_text.py).


def test_every_report_is_built_with_html_pdf_and_notebook(full_build):
    out, result, _ = full_build
    for lang in ("nl", "en"):
        for q in registry.ids():
            for ext in ("ipynb", "html", "pdf"):
                assert (out / lang / f"{q}.{ext}").exists(), (lang, q, ext)
    reports = 2 * len(registry.QUESTIONS)
    assert result.stdout.count(" built in ") == reports
    assert f"done: {reports} built, 0 up to date, 0 failed" in result.stdout
    assert_consistent(out)


def test_build_never_writes_to_data(full_build):
    _, _, before = full_build
    assert tree_digest(config.DATA_DIR) == before


@pytest.mark.parametrize("lang,q", list(KEY_FIGURES))
def test_pdf_shows_key_figures_in_the_language_format(full_build, lang, q):
    text = " ".join(pdf_text(full_build[0] / lang / f"{q}.pdf").split())  # a phrase may break across lines
    for figure in KEY_FIGURES[(lang, q)]:
        assert figure in text, (lang, q, figure)


def test_no_code_is_visible(full_build):
    out = full_build[0]
    for pdf in out.rglob("*.pdf"):
        text = pdf_text(pdf)
        for marker in ("Report.open", "import ", "key_figures", "NBVAL", "display(", "rep."):
            assert marker not in text, (pdf, marker)
    for html in out.rglob("*.html"):
        body = html.read_text(encoding="utf-8")
        assert "Report.open" not in body and "NBVAL" not in body


def test_html_is_self_contained(full_build):
    for html in full_build[0].rglob("*.html"):
        body = html.read_text(encoding="utf-8")
        assert "<script" not in body.lower() and "<link" not in body.lower(), html
        assert all(src.startswith("data:") for src in re.findall(r'src="([^"]*)"', body)), html
        assert "url(http" not in body and "@import" not in body


def test_pdf_has_title_and_page_x_of_y(full_build):
    out = full_build[0]
    text = pdf_text(out / "nl" / "q5.pdf")
    pages = pdf_pages(out / "nl" / "q5.pdf")
    assert f"pagina 1 van {pages}" in text and "Vraag 5 – Fysiek en digitaal" in text
    assert f"page 1 of {pdf_pages(out / 'en' / 'q5.pdf')}" in pdf_text(out / "en" / "q5.pdf")


def test_index_lists_every_report(full_build):
    index = (full_build[0] / "index.html").read_text(encoding="utf-8")
    assert index.count('<tr class="built">') == 14
    assert 'href="nl/q5.pdf"' in index and 'href="combined-en.pdf"' in index and 'href="combined-en.html"' in index
    state = json.loads((full_build[0] / ".build-state.json").read_text())
    assert all(len(e["fingerprint"]) == 12 for e in state["reports"].values())
    assert state["reports"]["nl/q5"]["fingerprint"] != state["reports"]["nl/q7"]["fingerprint"]  # other data files


def test_combined_documents_have_cover_contents_and_all_parts(full_build):
    for lang, contents, first, check in (
        ("nl", "Inhoud", "Vraag 1", "Controle van de cijfers in het antwoord"),
        ("en", "Contents", "Question 1", "Checking the"),  # "ﬁgures": the PDF keeps the ligature
    ):
        pdf = full_build[0] / f"combined-{lang}.pdf"
        text = pdf_text(pdf)
        assert contents in text and first in text and check in text and "Context" in text
        state = json.loads((full_build[0] / ".build-state.json").read_text())
        pages = state["combined"][lang]["parts"]
        order = [q.id for q in registry.QUESTIONS if q.part == "answer"] + [
            q.id for q in registry.QUESTIONS if q.part == "context"
        ]
        parts = [*order, "sources", "annex"]
        assert sorted(pages) == sorted(parts)
        # in document order; chapters run on, so two parts may start on one page
        assert [pages[n] for n in parts] == sorted(pages[n] for n in parts)
        assert pages["q1"] == 4  # after cover, front sheet and contents
        assert pdf_pages(pdf) >= pages["annex"] >= pages["sources"] >= pages[order[-1]]


def test_nothing_changed_rebuilds_nothing(full_build):
    out = full_build[0]
    before = tree_digest(out)
    result = cli("build", "--out", str(out))
    assert result.returncode == 0
    assert "done: 0 built, 14 up to date, 0 failed" in result.stdout
    after = tree_digest(out)
    assert {k: v for k, v in after.items() if not re.search("index|build.html|state", k)} == {
        k: v for k, v in before.items() if not re.search("index|build.html|state", k)
    }


def test_two_builds_are_identical(full_build, tmp_path):
    out_a = full_build[0]
    out_b = tmp_path / "again"
    result = cli("build", "--out", str(out_b), "--force", "--only", "q5", "--only", "q7")
    assert result.returncode == 0, result.stderr
    for lang in ("nl", "en"):
        for q in ("q5", "q7"):
            for ext in ("html", "ipynb"):
                assert (out_a / lang / f"{q}.{ext}").read_bytes() == (out_b / lang / f"{q}.{ext}").read_bytes(), (lang, q, ext)
            tables = sorted(p.name for p in (out_a / lang).glob(f"{q}-table-*.csv"))
            assert tables and tables == sorted(p.name for p in (out_b / lang).glob(f"{q}-table-*.csv"))
            for name in tables:
                assert (out_a / lang / name).read_bytes() == (out_b / lang / name).read_bytes(), (lang, name)
            assert pdf_text(out_a / lang / f"{q}.pdf") == pdf_text(out_b / lang / f"{q}.pdf")
            assert pdf_pages(out_a / lang / f"{q}.pdf") == pdf_pages(out_b / lang / f"{q}.pdf")
    ipynb = (out_b / "nl" / "q5.ipynb").read_text()
    assert "start_time" not in ipynb and "0x7f" not in ipynb


def test_changing_one_data_file_rebuilds_only_its_reports(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    out = tmp_path / "out"
    args = [
        "build",
        "--out",
        str(out),
        "--lang",
        "nl",
        "--no-pdf",
        "--only",
        "q4",
        "--only",
        "q5",
        "--only",
        "q7",
        "-p",
        f"data_dir={data}",
    ]
    assert cli(*args).returncode == 0
    path = data / "contact_actions.csv"
    path.write_text(path.read_text().replace(",973,", ",974,"), encoding="utf-8")
    result = cli(*args)
    assert result.returncode == 0
    assert re.search(r"nl/q5\S*\s+built", result.stdout) and "up to date" in result.stdout
    assert "done: 1 built, 2 up to date" in result.stdout


# ------------------------------------------------------------------------------ failure modes
def test_failing_notebook_keeps_previous_report_and_builds_the_others(tmp_path):
    nb = tmp_path / "qx.ipynb"
    shutil.copy(config.NOTEBOOKS_DIR / "q4_labour_market.ipynb", nb)
    manifest = write_manifest(tmp_path, [("qx", nb), ("q7", config.NOTEBOOKS_DIR / "q7_context.ipynb")])
    out = tmp_path / "out"
    assert cli("build", "--manifest", str(manifest), "--out", str(out)).returncode == 0
    good_html = (out / "nl" / "qx.html").read_bytes()
    notebook_with_extra_cell(config.NOTEBOOKS_DIR / "q4_labour_market.ipynb", nb, 'raise ValueError("synthetic failure")')
    result = cli("build", "--manifest", str(manifest), "--out", str(out))
    assert result.returncode == 1
    assert "nl/qx" in result.stdout and "failed" in result.stdout and "cell 3: ValueError: synthetic failure" in result.stdout
    assert (out / "nl" / "qx.failed.ipynb").exists()
    assert (out / "nl" / "qx.html").read_bytes() == good_html
    index = (out / "index.html").read_text()
    assert 'class="failed"' in index and Lang("nl").t("index.unavailable") in index  # the reader's page: an older version
    build_page = (out / "build.html").read_text()
    previous = Lang("nl").t("build.previous")  # the technical page speaks each report's language
    assert 'class="failed"' in build_page and "synthetic failure" in build_page and previous in build_page
    assert_consistent(out)


def test_hanging_cell_is_stopped_by_the_timeout(tmp_path):
    nb = notebook_with_extra_cell(
        config.NOTEBOOKS_DIR / "q4_labour_market.ipynb", tmp_path / "slow.ipynb", "import time\ntime.sleep(120)"
    )
    manifest = write_manifest(tmp_path, [("slow", nb)])
    result = cli("build", "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--timeout", "3", "--no-pdf")
    assert result.returncode == 1
    assert "longer than the timeout of 3 s" in result.stdout


def test_dying_kernel_is_reported(tmp_path):
    nb = notebook_with_extra_cell(
        config.NOTEBOOKS_DIR / "q4_labour_market.ipynb", tmp_path / "dies.ipynb", "import os\nos.kill(os.getpid(), 9)"
    )
    manifest = write_manifest(tmp_path, [("dies", nb)])
    result = cli("build", "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--no-pdf")
    assert result.returncode == 1
    assert "kernel died" in result.stdout


@pytest.mark.parametrize(
    "args,status,message",
    [
        (["-p", "yaer=2021"], 4, "unknown parameter 'yaer'"),
        (["-p", "year=twenty"], 4, "parameter 'year': value 'twenty': expected int"),
        (["--only", "q9"], 4, "--only q9: no such report"),
    ],
)
def test_bad_parameters_fail_before_anything_runs(tmp_path, args, status, message):
    out = tmp_path / "out"
    result = cli("build", "--out", str(out), *args)
    assert result.returncode == status
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_manifest_typo_is_an_error_with_a_suggestion(tmp_path):
    manifest = tmp_path / "reports.yml"
    manifest.write_text("languages: [nl]\nreports:\n  - name: q1\n    notebok: notebooks/q1_online_trainings.ipynb\n")
    result = cli("build", "--manifest", str(manifest), "--out", str(tmp_path / "out"))
    assert result.returncode == 4
    assert "reports.0.notebok" in result.stderr and "did you mean 'notebook'" in result.stderr
    assert not (tmp_path / "out").exists()
    debug = cli("build", "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--debug")
    assert "Traceback" in debug.stderr


def test_missing_data_file_is_one_clear_message(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    (data / "contact_actions.csv").unlink()
    out = tmp_path / "out"
    result = cli("build", "--out", str(out), "-p", f"data_dir={data}")
    assert result.returncode == 3
    assert "contact_actions.csv" in result.stderr and "to exist" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_bad_data_value_on_the_command_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    path = data / "online_enrolments.csv"
    path.write_text(path.read_text().replace(",62297,", ",62.297,"), encoding="utf-8")
    result = cli("check-data", str(data))
    assert result.returncode == 3
    assert "row 2, column 'enrolments': value '62.297'" in result.stderr


def test_missing_chromium_is_one_clear_message(tmp_path):
    result = cli("build", "--out", str(tmp_path / "out"), "--only", "q1", env={config.CHROMIUM_ENV: "/nonexistent/chrome"})
    assert result.returncode == 5
    assert "ANALYSIS_CHROMIUM=/nonexistent/chrome" in result.stderr
    assert not (tmp_path / "out").exists()


def test_help_documents_the_options():
    result = cli("build", "--help")
    for option in ("--only", "--lang", "-p", "--force", "--jobs", "--timeout", "exit status"):
        assert option in result.stdout


def test_reports_do_not_share_kernel_state(tmp_path):
    """Kernels are forked from one warmed process, but nothing a report does reaches the next one."""
    first = notebook_with_extra_cell(
        config.NOTEBOOKS_DIR / "q4_labour_market.ipynb",
        tmp_path / "a.ipynb",
        "import pandas, analysis.data.loader\npandas._leak = 1\nanalysis.data.loader.FILES_READ.add('leak')",
    )
    second = notebook_with_extra_cell(
        config.NOTEBOOKS_DIR / "q4_labour_market.ipynb",
        tmp_path / "b.ipynb",
        "import pandas, analysis.data.loader\nassert not hasattr(pandas, '_leak')\n"
        "assert 'leak' not in analysis.data.loader.FILES_READ",
    )
    manifest = write_manifest(tmp_path, [("a", first), ("b", second)])
    result = cli("build", "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--jobs", "1", "--no-pdf")
    assert result.returncode == 0, result.stdout
    state = json.loads((tmp_path / "out" / ".build-state.json").read_text())
    assert "leak" not in str(state["reports"]["nl/b"]["deps"])


def test_build_without_the_kernel_fork_server(tmp_path):
    result = cli(
        "build", "--out", str(tmp_path / "out"), "--only", "q5", "--lang", "en", "--no-pdf", env={"ANALYSIS_KERNEL_ZYGOTE": "0"}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "8,877" in (tmp_path / "out" / "en" / "q5.html").read_text()


def test_nbconvert_exporter_entry_points_give_the_same_report(full_build, tmp_path):
    executed = tmp_path / "q4.ipynb"
    shutil.copy(full_build[0] / "en" / "q4.ipynb", executed)
    import subprocess
    import sys

    jupyter = Path(sys.executable).parent / "jupyter"
    for fmt, _ext in (("reporthtml", ".html"), ("reportpdf", ".pdf")):
        done = subprocess.run(
            [str(jupyter), "nbconvert", "--to", fmt, str(executed)],
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "SOURCE_DATE_EPOCH": EPOCH},
        )
        assert done.returncode == 0, done.stderr
    assert executed.with_suffix(".html").read_bytes() == (full_build[0] / "en" / "q4.html").read_bytes()
    assert pdf_text(executed.with_suffix(".pdf")) == pdf_text(full_build[0] / "en" / "q4.pdf")
