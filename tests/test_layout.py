"""Page layout of every built PDF: no heading alone at the foot of a page, no half-empty pages.

The checks read the PDFs back with pdfplumber. A heading (or table caption) is "last on a
page" when the lowest line of body text on that page is part of a heading of the report's
own HTML, in bold. A page is "half empty" when its lowest drawn object (text, rule, chart
path, image) ends above 40% of the printable height; only a chapter's last page may be.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pdfplumber
import pytest

from analysis.pipeline.printer import print_pdf_sync

pytestmark = pytest.mark.e2e

MM = 72 / 25.4
BAND = 14 * MM  # Chromium's header and footer sit in the page margins, above and below this band
MARGIN = 18 * MM  # the printable area of report.css (@page margin)
MIN_FILL = 0.40
HEADING = re.compile(r"<(h[1-6]|caption)[^>]*>(.*?)</\1>", re.S)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", text)))


def headings_of(*pages: Path) -> set[str]:
    return {_squeeze(m.group(2)) for page in pages for m in HEADING.finditer(page.read_text(encoding="utf-8"))} - {""}


def heading_at_foot(page, headings: set[str]) -> str | None:
    """The text of the page's last body line when it is (part of) a bold heading, else None."""
    words = [
        w for w in page.extract_words(extra_attrs=["fontname", "size"]) if w["top"] >= BAND and w["bottom"] <= page.height - BAND
    ]
    if not words:
        return None
    bottom = max(w["bottom"] for w in words)
    line = sorted((w for w in words if abs(w["bottom"] - bottom) < 2), key=lambda w: w["x0"])
    text = "".join(w["text"] for w in line)
    bold = all("Bold" in w["fontname"] for w in line)
    if bold and len(text) > 1 and any(text in h for h in headings):
        return " ".join(w["text"] for w in line)
    return None


def fill(page) -> float:
    """How far down the printable area the page is used (0 = empty, 1 = to the bottom margin)."""
    top, bottom = MARGIN, page.height - MARGIN
    objects = page.chars + page.rects + page.lines + page.curves + page.images
    lowest = max((o["bottom"] for o in objects if o["top"] >= BAND and o["bottom"] <= page.height - BAND), default=top)
    return max(0.0, min(1.0, (lowest - top) / (bottom - top)))


def problems(pdf_path: Path, headings: set[str], chapter_starts: set[int]) -> list[str]:
    """Every layout fault of one PDF; chapter_starts are the first pages of its chapters (1 always)."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        count = len(pdf.pages)
        last_pages = {start - 1 for start in chapter_starts if start > 1} | {count}
        for number, page in enumerate(pdf.pages, 1):
            foot = heading_at_foot(page, headings)
            if foot:
                found.append(f"{pdf_path.name} page {number}: heading '{foot}' is the last thing on the page")
            if number not in last_pages and fill(page) < MIN_FILL:
                found.append(f"{pdf_path.name} page {number}: only {fill(page):.0%} filled and not a chapter's last page")
    return found


@pytest.fixture(scope="module")
def built(full_build) -> Path:
    """The session's one full build (conftest.py): these tests only read it."""
    return full_build[0]


def test_single_reports_keep_headings_with_their_text_and_fill_their_pages(built):
    found = []
    for pdf in sorted(built.glob("*/*.pdf")):
        found += problems(pdf, headings_of(pdf.with_suffix(".html")), {1})
    assert not found, "\n".join(found)


def test_combined_documents_keep_headings_with_their_text_and_fill_their_pages(built):
    state = json.loads((built / ".build-state.json").read_text())
    found = []
    for lang, entry in state["combined"].items():
        pdf = built / f"combined-{lang}.pdf"
        pages = sorted(built.glob(f"{lang}/*.html"))
        starts = {1, 2, 3} | set(entry["parts"].values())  # cover, front sheet, contents, then each part
        from analysis.report.i18n import Lang

        L = Lang(lang)
        front = ("doc.front.title", "doc.front.findings", "doc.front.scope", "doc.front.follow_up", "doc.front.legend")
        extra = {_squeeze(L.t(k)) for k in ("doc.contents", *front, "section.sources", "doc.annex.title")}
        found += problems(pdf, headings_of(*pages) | extra, starts)
    assert not found, "\n".join(found)


def test_the_checks_catch_a_heading_at_the_foot_and_a_half_empty_page(tmp_path):
    """A page built to fail both ways: the checker must report both."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>@page{size:A4;margin:18mm 16mm}'
        "body{margin:0;font-family:'DejaVu Sans'} h2{font-size:14pt;margin:0}</style></head><body>"
        '<div style="height:236mm"></div><h2>A lonely heading</h2>'
        '<p style="break-before:page">A short page.</p>'
        '<p style="break-before:page">The end.</p></body></html>',
        encoding="utf-8",
    )
    pdf = tmp_path / "bad.pdf"
    print_pdf_sync(page, pdf, "bad", "en")
    found = problems(pdf, headings_of(page), {1})
    assert any("page 1: heading 'A lonely heading'" in f for f in found), found
    assert any("page 2: only" in f for f in found), found
    assert not any("page 3" in f for f in found), found  # the last page may be short
