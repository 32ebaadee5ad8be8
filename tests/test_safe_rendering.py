"""Text from data files is shown as text; Chromium prints with scripts off and the network blocked."""

from __future__ import annotations

import asyncio
import http.server
import threading
from pathlib import Path

import pytest

from tests.helpers import cli, pdf_text, write_extracts

pytestmark = pytest.mark.e2e
EVIL = "<img src=x onerror=alert(1)>"


def test_course_name_with_markup_shows_as_text_in_html_and_pdf(data_dir: Path, tmp_path: Path):
    write_extracts(data_dir, course_name=EVIL)
    out = tmp_path / "out"
    result = cli("build", "--out", str(out), "--only", "q2", "--lang", "nl", "-p", f"data_dir={data_dir}")
    assert result.returncode == 0, result.stdout + result.stderr
    html_files = list(out.rglob("*.html"))
    body = next(p for p in html_files if p.name.startswith("q2")).read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<img src=x" not in body and "onerror=alert(1)>" not in body.replace("&gt;", "")
    pdf = next(p for p in out.rglob("*.pdf") if p.name.startswith("q2"))
    assert EVIL in " ".join(pdf_text(pdf).split())  # the name may wrap over two lines


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"REMOTE-CONTENT")

    def log_message(self, *args):
        pass


def test_printer_runs_no_script_and_makes_no_request(tmp_path: Path):
    from analysis.pipeline.printer import Printer

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    page = tmp_path / "page.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><link rel="stylesheet" href="{base}/style.css">'
        f'<script src="{base}/app.js"></script></head><body><p>STATIC-TEXT</p>'
        f'<img src="{base}/pixel.png"><iframe src="{base}/frame"></iframe>'
        '<script>document.body.insertAdjacentHTML("beforeend", "<p>SCRIPT-RAN</p>")</script>'
        "<img src=\"x\" onerror=\"document.body.insertAdjacentHTML('beforeend', '<p>HANDLER-RAN</p>')\">"
        "</body></html>",
        encoding="utf-8",
    )
    pdf = tmp_path / "page.pdf"

    async def run():
        async with Printer() as printer:
            await printer.print_pdf(page, pdf, "test", "en")
            return printer.blocked

    try:
        blocked = asyncio.run(run())
    finally:
        server.shutdown()
    text = pdf_text(pdf)
    assert "STATIC-TEXT" in text
    assert "SCRIPT-RAN" not in text and "HANDLER-RAN" not in text and "REMOTE-CONTENT" not in text
    assert _Counter.hits == []
    assert any(url.startswith(base) for url in blocked)


MATHS = ["Kost $\\frac{a}$ per uur", "$5 per $ uur"]


def test_course_names_with_dollar_signs_are_drawn_literally(data_dir: Path, monkeypatch):
    """matplotlib would read '$...$' as mathtext: typeset '$5 per $ uur' as maths and raise on '$\\frac{a}$'."""
    from analysis.questions import q2_courses as q2
    from analysis.questions.common import extracts
    from analysis.report.frame import Report

    write_extracts(data_dir, course_name=MATHS[0])
    courses = data_dir / "extracts" / "courses.csv"
    courses.write_text(courses.read_text(encoding="utf-8").replace("Solliciteren online (synthetic)", MATHS[1]), encoding="utf-8")
    figures = []
    real_chart = extracts.Chart
    monkeypatch.setattr(extracts, "Chart", lambda fig, alt, refs=(): figures.append(fig) or real_chart(fig, alt, refs))
    rep = Report.open("q2", year=2021, compare_year=2020, months=[1, 2], lang="nl", data_dir=str(data_dir))
    chart = extracts.courses_chart(rep, q2.compute(rep, 15), 15)
    assert "<svg" in chart.svg  # drawn without raising
    labels = [t for t in figures[0].findobj(lambda a: hasattr(a, "get_text")) if t.get_text() in MATHS]
    assert sorted({t.get_text() for t in labels}) == sorted(MATHS)
    for text in labels:  # what matplotlib decides when it draws: the string as is, no mathtext
        assert text._preprocess_math(text.get_text()) == (text.get_text(), False)


@pytest.mark.e2e
def test_course_names_with_dollar_signs_show_literally_in_html_and_pdf(data_dir: Path, tmp_path: Path):
    write_extracts(data_dir, course_name=MATHS[0])
    out = tmp_path / "out"
    result = cli("build", "--out", str(out), "--only", "q2", "--lang", "en", "-p", f"data_dir={data_dir}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert MATHS[0] in (out / "en" / next(p.name for p in (out / "en").glob("q2*.html"))).read_text(encoding="utf-8")
    pdf = next(p for p in (out / "en").glob("q2*.pdf"))
    assert MATHS[0] in " ".join(pdf_text(pdf).split())
