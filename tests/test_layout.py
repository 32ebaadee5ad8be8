"""Page layout of every built PDF, read back as a reader gets it.

The checks read the PDFs with pdfplumber (text, drawings, and the tagged structure tree that
Chromium writes) and pikepdf (the structure tree's own dictionaries):

- no heading (or table caption) is the last line of a page: the lowest line of body text is
  part of a heading of the report's own HTML, in bold;
- no page is less than 40% filled (its lowest drawn, non-white object ends above 40% of the
  printable height) unless it is a document's very last page; in the combined document the
  cover and the contents page are pages of their own by design;
- no word is broken where the language does not break it: a line may end inside the text of a
  table cell, paragraph, list item, caption or heading only where its HTML source has a space,
  after a hyphen, dash or slash, or at a hyphen the printer added (hyphenation);
- no text on any page, charts included (they are vector drawings with real text), is printed
  smaller than 8 pt;
- every figure of the structure tree (/Figure) has its alternative text (/Alt);
- no paragraph of more than 60 characters is printed twice in a combined document.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from analysis.pipeline.printer import print_pdf_sync
from analysis.report.i18n import Lang

pytestmark = pytest.mark.e2e

MM = 72 / 25.4
BAND = 14 * MM  # Chromium's header and footer sit in the page margins, above and below this band
MARGIN = 18 * MM  # the printable area of report.css (@page margin)
MIN_FILL = 0.40
MIN_TEXT_PT = 8.0
REPEAT_CHARS = 60  # a paragraph longer than this must not be printed twice in one document
HEADING = re.compile(r"<(h[1-6]|caption)[^>]*>(.*?)</\1>", re.S)
BLOCK = re.compile(r"<(p|li|td|th|caption|h[1-6])\b[^>]*>(.*?)</\1>", re.S)
#: Structure elements whose text is checked for broken words: table cells first of all.
TEXT_ELEMENTS = {"TD", "TH", "P", "LI", "LBody", "Caption", "H1", "H2", "H3", "H4"}
#: A line may end after one of these (UAX 14: break after hyphens and dashes, and after a slash).
BREAK_AFTER = set("-‐–—/\xad")
HYPHENS = set("-‐\xad")


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
    # a heading at the foot ends there: its last line is the end of a heading, not a word inside one (a bold table
    # row 'januari en / februari' ending a page is no heading, though 'februari' stands inside a caption)
    if bold and len(text) > 1 and any(h.endswith(text) for h in headings):
        return " ".join(w["text"] for w in line)
    return None


def _visible(o) -> bool:
    """Drawn in something other than white: the page's own white background (a rectangle as large as
    the page that print_background paints) and white rules do not fill a page."""
    if o["object_type"] == "char":
        return bool(o["text"].strip())
    if o["object_type"] == "image":
        return True
    colours = []
    if o.get("fill"):
        colours.append(o.get("non_stroking_color"))
    if o.get("stroke"):
        colours.append(o.get("stroking_color"))
    return any(c is not None and c != 1 and tuple(c) not in ((1,), (1, 1, 1), (0, 0, 0, 0)) for c in colours)


def _in_body(o, page) -> bool:
    return o["top"] >= BAND and o["bottom"] <= page.height - BAND


def fill(page) -> float:
    """How far down the printable area the page is used (0 = empty, 1 = to the bottom margin)."""
    top, bottom = MARGIN, page.height - MARGIN
    objects = page.chars + page.rects + page.lines + page.curves + page.images
    lowest = max((o["bottom"] for o in objects if _in_body(o, page) and _visible(o)), default=top)
    return max(0.0, min(1.0, (lowest - top) / (bottom - top)))


def problems(pdf_path: Path, headings: set[str], own_pages: set[int] = frozenset()) -> list[str]:
    """Headings at the foot of a page, and pages under 40% filled that are not the document's last.

    ``own_pages`` are pages that stand alone by design (a cover, a contents page).
    """
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        count = len(pdf.pages)
        for number, page in enumerate(pdf.pages, 1):
            foot = heading_at_foot(page, headings)
            if foot:
                found.append(f"{pdf_path.name} page {number}: heading '{foot}' is the last thing on the page")
            if number != count and number not in own_pages and fill(page) < MIN_FILL:
                found.append(f"{pdf_path.name} page {number}: only {fill(page):.0%} filled and not the last page")
    return found


def front_pages(pdf_path: Path, lang: str) -> set[int]:
    """The combined document's pages that stand alone by design: the cover and the contents page."""
    contents = _squeeze(Lang(lang).t("doc.contents"))
    own = {1}
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages[:4], 1):
            first = [w for w in page.extract_words() if _in_body(w, page)][:4]
            if contents and contents in "".join(w["text"] for w in first):
                own.add(number)
    return own


# ---------------------------------------------------------------------------- text of the structure tree


def _leaves(node) -> list[tuple[int, int]]:
    """The (page, marked-content id) pairs of a structure element, in reading order."""
    out = []
    for mcid in node.get("mcids") or []:
        out.append((node["page_number"], mcid))
    for child in node.get("children", []):
        out.extend(_leaves(child))
    return out


def _marked_chars(pdf) -> dict[tuple[int, int], list[dict]]:
    """The characters of each marked-content sequence, by (page, marked-content id)."""
    chars: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for page in pdf.pages:
        current, after_ligature = None, False
        for c in page.chars:
            # A ligature glyph ("ﬀ") is a /Span of its own (with its letters as /ActualText), and pdfminer
            # loses the marked-content id after it: what follows belongs to the sequence before it.
            # The running header and footer (in the margins) belong to no element.
            if not _in_body(c, page):
                current = None
                continue
            if c.get("mcid") is not None:
                current, after_ligature = c["mcid"], False
            elif c.get("tag") == "Span":
                after_ligature = True
            elif c.get("tag") is not None or not after_ligature:
                current = None  # untagged (a repeated table header) or another kind of marked content
            if current is not None:
                chars[(page.page_number, current)].append(c)
    return chars


def tagged_texts(pdf, kinds: set[str], chars=None) -> list[tuple[str, list[list[dict]]]]:
    """Every structure element of ``kinds`` (outermost only) with its characters as printed, in order,
    one list per marked-content sequence."""
    chars = _marked_chars(pdf) if chars is None else chars
    out: list[tuple[str, list[list[dict]]]] = []

    def walk(node):
        if node.get("type") in kinds:
            out.append((node["type"], [chars[leaf] for leaf in _leaves(node) if chars.get(leaf)]))
            return
        for child in node.get("children", []):
            walk(child)

    for root in pdf.structure_tree:
        walk(root)
    return out


def _new_line(before: dict, after: dict) -> bool:
    return after["page_number"] != before["page_number"] or abs(after["top"] - before["top"]) > 0.5 * max(before["size"], 1.0)


def line_breaks(chars: list[dict]) -> tuple[str, list[int], set[int]]:
    """The printed text without white space, where its lines break, and which of its characters are hyphens
    that stand at a line end (printed by hyphenation or in the source)."""
    text, breaks, line_end_hyphens = [], [], set()
    previous = None
    for c in chars:
        if previous is not None and _new_line(previous, c):
            breaks.append(len(text))
            if text and text[-1] in HYPHENS:
                line_end_hyphens.add(len(text) - 1)
        previous = c
        if not c["text"].isspace():
            text.extend(unicodedata.normalize("NFKC", c["text"]))  # a ligature glyph ("ﬁ") is its letters
    return "".join(text), breaks, line_end_hyphens


def _allowed_breaks(source: str) -> tuple[str, set[int]]:
    """The source text without white space (and soft hyphens), and the positions in it where a line may break."""
    squeezed, allowed = [], set()
    for ch in source:
        if ch.isspace() or ch == "\xad":
            allowed.add(len(squeezed))
        else:
            squeezed.append(ch)
            if ch in BREAK_AFTER:
                allowed.add(len(squeezed))
    return "".join(squeezed), allowed


def html_blocks(*pages: Path) -> dict[str, str]:
    """Every cell, paragraph, list item, caption and heading of the pages: its text without white space -> its text."""
    blocks = {}
    for page in pages:
        markup = re.sub(r'src="data:[^"]*"', "", page.read_text(encoding="utf-8"))
        for m in BLOCK.finditer(markup):
            text = html.unescape(re.sub(r"<[^>]+>", " ", m.group(2)))
            text = " ".join(text.replace("\xad", "\u0000").split()).replace("\u0000", "\xad")
            squeezed, _ = _allowed_breaks(text)
            if squeezed:
                blocks.setdefault(squeezed, text)
    return blocks


def broken_words(pdf_path: Path, sources: list[Path]) -> tuple[list[str], int]:
    """Every line break inside a word of a table cell (and of prose): (problems, number of cells checked).

    Each tagged element is matched to its HTML source by its text without white space; every place
    where its printed lines break must be one where the source allows a break (a space, after a hyphen,
    dash or slash, or a soft hyphen), or a hyphen the printer added there. A cell whose text is split
    in the middle of a word ("Resul|taat", "inschrijving|en") fails.
    """
    blocks = html_blocks(*sources)
    found, cells = [], 0
    with pdfplumber.open(pdf_path) as pdf:
        for kind, runs in tagged_texts(pdf, TEXT_ELEMENTS):
            # Chromium credits the header a long table repeats on a new page to the first row's cells, and at times
            # a run of a paragraph printed elsewhere (and tagged there too) to a header cell: leave out leading, then
            # trailing, runs until the text is the cell's own.
            spans = [(start, len(runs)) for start in range(len(runs))] + [(0, end) for end in range(len(runs) - 1, 0, -1)]
            for start, end in spans:
                printed, breaks, line_end_hyphens = line_breaks([c for run in runs[start:end] for c in run])
                if printed in blocks:
                    break
            else:
                printed, breaks, line_end_hyphens = line_breaks([c for run in runs for c in run])
            if not printed:
                continue
            source = blocks.get(printed)
            if source is None and line_end_hyphens:  # hyphens added by hyphenation are not in the source
                drop = sorted(line_end_hyphens)
                stripped = "".join(ch for i, ch in enumerate(printed) if i not in drop)
                if stripped in blocks:
                    source = blocks[stripped]
                    breaks = [b - sum(1 for i in drop if i < b) for b in breaks]
                    printed = stripped
            if source is None:
                if kind in ("TD", "TH"):
                    found.append(f"{pdf_path.name}: table cell {printed[:60]!r} has no cell of that text in the HTML")
                continue
            cells += kind in ("TD", "TH")
            squeezed, allowed = _allowed_breaks(source)
            for b in breaks:
                if b not in allowed and 0 < b < len(squeezed):
                    found.append(
                        f"{pdf_path.name}: {kind} {source[:70]!r} breaks inside a word: '{squeezed[max(0, b - 12) : b]}|{squeezed[b : b + 12]}'"
                    )
    return found, cells


def small_text(pdf_path: Path) -> list[str]:
    """Text printed under 8 pt anywhere on the page body (chart text included), one line per page and size."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            small: dict[float, str] = {}
            for c in page.chars:
                if c["text"].isspace() or not _in_body(c, page):
                    continue
                size = c["size"] if c["upright"] else c["x1"] - c["x0"]  # text turned 90 degrees: its width is its size
                if size < MIN_TEXT_PT - 0.05:
                    small[round(size, 1)] = small.get(round(size, 1), "") + c["text"]
            found += [f"{pdf_path.name} page {number}: {size} pt text {text[:40]!r}" for size, text in sorted(small.items())]
    return found


def figures_without_alt(pdf_path: Path) -> tuple[list[str], int]:
    """Every /Figure of the structure tree without a non-empty /Alt, and how many figures there are."""
    missing, count = [], 0
    with pikepdf.open(pdf_path) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        stack = [root.get("/K")] if root is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
                continue
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if node.get("/S") == pikepdf.Name("/Figure"):
                count += 1
                if not str(node.get("/Alt", "")).strip():
                    missing.append(f"{pdf_path.name}: figure {count} has no alternative text")
            if "/K" in node:
                stack.append(node.get("/K"))
    return missing, count


def repeated_paragraphs(pdf_path: Path, apparatus: set[str] = frozenset(), indexed: set[str] = frozenset()) -> list[str]:
    """Paragraphs, list items, captions and table cells over 60 characters that the document prints more than once.

    A cell counts once per table: a column that says the same in every row is one table's matter,
    the same cell in two tables (a table printed twice) is a repeat. ``apparatus`` are texts (without
    white space) that every chapter carries by design, such as the period in a chapter's head.
    ``indexed`` are texts an index lists once more by design (the annex gives every figure's place in
    its source, as the chapter quoting it does): one print of each does not count.
    """
    units: list[str] = []
    with pdfplumber.open(pdf_path) as pdf:
        chars = _marked_chars(pdf)
        for root in pdf.structure_tree:
            for kind, runs in tagged_texts_of(root, {"P", "LI", "Caption", "Table"}, chars):
                if kind == "Table":
                    units += {t for t in runs if t}
                else:
                    units.append(line_breaks([c for run in runs for c in run])[0])
    counts = Counter(t for t in units if len(t) > REPEAT_CHARS and t not in apparatus)
    return [f"{pdf_path.name}: printed {n} times: {text[:90]!r}" for text, n in counts.items() if n - (text in indexed) > 1]


def tagged_texts_of(root, kinds: set[str], chars) -> list[tuple[str, list]]:
    """Like :func:`tagged_texts` below one node; a Table comes with the texts of its cells instead."""
    out: list[tuple[str, list]] = []

    def walk(node):
        kind = node.get("type")
        if kind == "Table":
            cells = [n for n in _descendants(node) if n.get("type") == "TD"]
            # A cell's own text is its last run: Chromium credits a repeated header to the first row's cells.
            texts = [line_breaks([c for leaf in _leaves(cell) if chars.get(leaf) for c in chars[leaf]])[0] for cell in cells]
            out.append((kind, texts))
            return
        # A list item counts whole: an entry of the summary (a chapter's title and its opening paragraphs,
        # quoted there on purpose, with the page to read on) is one unit that no chapter repeats.
        if kind in kinds:
            out.append((kind, [chars[leaf] for leaf in _leaves(node) if chars.get(leaf)]))
            return
        for child in node.get("children", []):
            walk(child)

    walk(root)
    return out


def _descendants(node):
    for child in node.get("children", []):
        yield child
        yield from _descendants(child)


def chapter_heads(*pages: Path) -> set[str]:
    """The texts of every chapter's head (kicker, title, question, period), without white space: chapter apparatus."""
    heads = set()
    for page in pages:
        for head in re.findall(r'<header class="report-head">(.*?)</header>', page.read_text(encoding="utf-8"), re.S):
            heads |= {
                _allowed_breaks(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", m.group(2))).split()))[0]
                for m in BLOCK.finditer(head)
            }
    return heads


def annex_cells(page: Path) -> set[str]:
    """The texts of the annex's table cells (a combined document's HTML), without white space."""
    cells = set()
    for table in re.findall(r'<table class="data annex">(.*?)</table>', page.read_text(encoding="utf-8"), re.S):
        cells |= {
            _allowed_breaks(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", m.group(2))).split()))[0]
            for m in BLOCK.finditer(table)
        }
    return cells - {""}


# ---------------------------------------------------------------------------- the session's build


@pytest.fixture(scope="module")
def built(full_build) -> Path:
    """The session's one full build (conftest.py): these tests only read it."""
    return full_build[0]


def _pdfs(built: Path) -> list[tuple[Path, list[Path]]]:
    """Every PDF of the build with the HTML page it was printed from (a combined document's is kept beside it)."""
    return [(pdf, [pdf.with_suffix(".html")]) for pdf in sorted(built.glob("*/*.pdf")) + sorted(built.glob("combined-*.pdf"))]


def test_single_reports_keep_headings_with_their_text_and_fill_their_pages(built):
    found = []
    for pdf in sorted(built.glob("*/*.pdf")):
        found += problems(pdf, headings_of(pdf.with_suffix(".html")))
    assert not found, "\n".join(found)


def test_combined_documents_keep_headings_with_their_text_and_fill_every_page_but_the_last(built):
    """Chapter ends included: a chapter's last caveat may not sit alone on a page."""
    state = json.loads((built / ".build-state.json").read_text())
    found = []
    for lang in state["combined"]:
        pdf = built / f"combined-{lang}.pdf"
        found += problems(pdf, headings_of(pdf.with_suffix(".html")), front_pages(pdf, lang))
    assert not found, "\n".join(found)


def test_no_word_is_broken_inside_a_table_cell(built):
    found, cells = [], 0
    for pdf, sources in _pdfs(built):
        problems_here, checked = broken_words(pdf, sources)
        found += problems_here
        cells += checked
    assert cells > 100, cells  # the check did find the tables' cells
    assert not found, "\n".join(found)


def test_no_text_is_printed_under_8_points(built):
    found = [problem for pdf, _ in _pdfs(built) for problem in small_text(pdf)]
    assert not found, "\n".join(found)


def body_share(pdf_path: Path, size: float = 10.5) -> float:
    """The share of a PDF's characters printed at the body's size or larger (a table-heavy chapter has most of its
    text in the tables' smaller type, but never none in the body's)."""
    with pdfplumber.open(pdf_path) as pdf:
        sizes = [c["size"] for page in pdf.pages for c in page.chars]
    return sum(s >= size - 0.05 for s in sizes) / max(1, len(sizes))


def test_the_body_is_printed_at_the_stylesheets_size(built):
    """Nothing wider than the page makes the printer shrink every page to fit it (a follow-up question's long check in
    a span that could not wrap once set a whole dossier at 8.4 pt instead of 10.5)."""
    found = [f"{pdf.name}: {share:.0%} at body size" for pdf, _ in _pdfs(built) if (share := body_share(pdf)) < 0.15]
    assert not found, "\n".join(found)


def test_every_figure_has_its_alternative_text(built):
    found, figures = [], 0
    for pdf, _ in _pdfs(built):
        missing, count = figures_without_alt(pdf)
        found += missing
        figures += count
    assert figures >= 12, figures  # every chart of both languages, in the reports and the combined documents
    assert not found, "\n".join(found)


def test_no_paragraph_is_printed_twice_in_a_combined_document(built):
    """A block two reports share is printed once and referred back to (render.shared); other text is said once."""
    found = []
    for pdf in sorted(built.glob("combined-*.pdf")):
        lang = pdf.stem.split("-", 1)[1]
        found += repeated_paragraphs(pdf, chapter_heads(*built.glob(f"{lang}/*.html")), annex_cells(pdf.with_suffix(".html")))
        # the repeat was left out, and what came with it in the same output stayed
        page = pdf.with_suffix(".html").read_text(encoding="utf-8")
        L = Lang(lang)
        assert page.count(L.t("claim.caption")) == 1 and L.t("q6.statement.caption") in page, lang
        assert page.count(L.t("q6.scope.caption")) == 0, lang  # the summary shows the answer per sub-question
    assert not found, "\n".join(found)


# ---------------------------------------------------------------------------- the checks catch what they are for


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
    found = problems(pdf, headings_of(page))
    assert any("page 1: heading 'A lonely heading'" in f for f in found), found
    assert any("page 2: only" in f for f in found), found
    assert not any("page 3" in f for f in found), found  # the last page may be short


def test_the_checks_catch_a_broken_word_small_text_a_figure_without_alt_and_a_repeat(tmp_path):
    """A narrow table that splits its words anywhere, 6 pt text, a paragraph twice, and an image with its alt
    text inside a <figure>: the tagged PDF makes a second, nameless /Figure of the figure element."""
    repeated = "This paragraph is long enough to count, and the page prints it twice over."
    svg = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMCIgaGVpZ2h0PSIxMCI+PHJlY3Qgd2lkdGg9IjEwIiBoZWlnaHQ9IjEwIi8+PC9zdmc+"  # a black square: an image that paints nothing is not tagged
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>body{font-family:"DejaVu Sans"}'
        "td{overflow-wrap:anywhere} table{width:30mm}</style></head><body>"
        "<table><caption>Cells</caption><thead><tr><th>A</th><th>B</th></tr></thead>"
        "<tbody><tr><td>Recomputed</td><td>notwithstanding</td></tr></tbody></table>"
        '<p style="font-size:8px">tiny</p>'
        f'<figure><img alt="A chart" src="data:image/svg+xml;base64,{svg}" width="40" height="40"></figure>'
        f"<p>{repeated}</p><p>{repeated}</p></body></html>",
        encoding="utf-8",
    )
    pdf = tmp_path / "bad.pdf"
    print_pdf_sync(page, pdf, "bad", "en")
    broken, cells = broken_words(pdf, [page])
    assert cells == 4 and any("breaks inside a word" in f for f in broken), broken
    assert any("'tiny'" in f or "tiny" in f for f in small_text(pdf)), small_text(pdf)
    missing, count = figures_without_alt(pdf)
    assert count == 2 and len(missing) == 1, missing
    assert any("printed 2 times" in f for f in repeated_paragraphs(pdf)), repeated_paragraphs(pdf)
