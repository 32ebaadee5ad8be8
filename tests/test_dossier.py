"""The reader's dossier: combined PDFs with a summary and one source list, PDF metadata and
bookmarks, the index with titles and answers, and the tables as CSV and Excel."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from analysis import config
from analysis.pipeline import combined, tables
from analysis.report.i18n import Lang
from tests.helpers import EPOCH, pdf_text

pytestmark = pytest.mark.e2e

LANGS = ("nl", "en")


@pytest.fixture(scope="module")
def built(full_build) -> Path:
    """The session's one full build (conftest.py): these tests only read it."""
    return full_build[0]


def _outline(reader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def _first_answer(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    box = combined.ANSWER_BOX.search(text)
    first = combined.PARAGRAPH.findall(box.group(1))[0] if box else combined.NOTICE.findall(text)[0]
    return combined._plain(first)


@pytest.mark.parametrize("lang", LANGS)
def test_summary_page_gives_each_answer_from_its_chapter_and_its_page(built, lang):
    state = json.loads((built / ".build-state.json").read_text())["combined"][lang]
    reader = PdfReader(str(built / f"combined-{lang}.pdf"))
    summary = re.sub(r"\s+", "", unicodedata.normalize("NFKC", reader.pages[2].extract_text()))  # 'ﬁ' ligatures
    L = Lang(lang)
    assert re.sub(r"\s+", "", L.t("doc.summary")) in summary
    for name in ("q1", "q2", "q3", "q4", "q5", "q6", "q7"):
        answer = _first_answer(built / lang / f"{name}.html")
        assert re.sub(r"\s+", "", answer[:60]) in summary, (name, answer[:60])
        assert f"{L.t('doc.page_short')}{state['parts'][name]}" in summary, name
        # the page given is where the chapter's title is
        title = re.search(r"<title>(.*?)</title>", (built / lang / f"{name}.html").read_text()).group(1)
        start = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", reader.pages[state["parts"][name] - 1].extract_text()))
        assert combined._plain(title)[:30] in start, name


@pytest.mark.parametrize("lang", LANGS)
def test_one_source_list_at_the_end_with_every_cited_figure(built, lang):
    L = Lang(lang)
    state = json.loads((built / ".build-state.json").read_text())["combined"][lang]
    reader = PdfReader(str(built / f"combined-{lang}.pdf"))
    outline = _outline(reader)
    assert outline.count(L.t("section.sources")) == 1 and outline[-1] == L.t("section.sources")
    tail = " ".join(page.extract_text() for page in reader.pages[state["parts"]["sources"] - 1 :])
    tail = re.sub(r"\s+", "", tail)
    for name in ("q1", "q5", "q6", "q7"):
        for figure in re.findall(r"<li><code>(.*?)</code>:", (built / lang / f"{name}.html").read_text()):
            assert re.sub(r"\s+", "", figure) in tail, (name, figure)
    # a figure cited by several chapters has its locator once in the whole document, in the list at the end
    everywhere = re.sub(r"\s+", "", unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages)))
    citing = [
        n for n in ("q1", "q5", "q6", "q7") if "<code>OE-2021-01-02-VDAB</code>:" in (built / lang / f"{n}.html").read_text()
    ]
    assert len(citing) >= 2 and everywhere.count("OE-2021-01-02-VDAB:") == 1
    assert everywhere.index("OE-2021-01-02-VDAB:") > everywhere.index(re.sub(r"\s+", "", L.t("doc.sources_intro")))
    # the single reports keep their own list
    assert L.t("section.sources") in pdf_text(built / lang / "q1.pdf")


@pytest.mark.parametrize("lang", LANGS)
def test_cover_says_who_made_it_and_when_not_vdab(built, lang):
    L = Lang(lang)
    cover = re.sub(r"\s+", " ", PdfReader(str(built / f"combined-{lang}.pdf")).pages[0].extract_text())
    assert "VDAB · VLAAMS PARLEMENT" not in cover.upper()
    assert L.t("doc.made_by", author=L.t("doc.author"))[:40] in cover
    built_on = dt.datetime.fromtimestamp(int(EPOCH), tz=dt.UTC).date()
    assert L.t("doc.dated", date=L.date(built_on)) in cover


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_metadata_and_bookmarks_come_from_the_catalogue_and_headings(built, lang):
    L = Lang(lang)
    for pdf in (built / f"combined-{lang}.pdf", built / lang / "q4.pdf"):
        reader = PdfReader(str(pdf))
        meta = reader.metadata
        assert meta.subject == L.t("doc.subtitle") and meta.author == L.t("doc.author") and meta.title
        assert reader.trailer["/Root"]["/Lang"] == lang
        outline = _outline(reader)
        assert L.t("q4.title") in outline, outline  # a title that wraps keeps its spaces
        assert all("  " not in t for t in outline)


def test_bookmark_fix_restores_the_space_of_a_wrapped_heading(tmp_path):
    from analysis.pipeline.printer import print_pdf_sync

    page = tmp_path / "wrap.html"
    words = "Question 4 – Participants by labour-market position and other long words that wrap"
    page.write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>'
        f'<h1 style="width:60mm">{words}</h1><p>text</p></body></html>',
        encoding="utf-8",
    )
    pdf = tmp_path / "wrap.pdf"
    print_pdf_sync(page, pdf, "t", "en")
    assert _outline(PdfReader(str(pdf))) == [words]


def test_sources_cite_published_addresses_not_local_copies():
    import pandas as pd

    sources = pd.read_csv(config.DATA_DIR / "sources.csv", dtype=str).fillna("")
    for row in sources.itertuples():
        assert row.url.startswith(("http://", "https://")), row.source_id
        text = f"{row.url} {row.note_nl} {row.note_en}".lower()
        for path_word in ("local copy", "lokale kopie", "shared/", "/work/"):
            assert path_word not in text, (row.source_id, path_word)


def test_index_shows_titles_answers_and_every_file_per_language(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    assert index.count('<tr class="built">') == 14
    for lang in LANGS:
        L = Lang(lang)
        assert f'<section lang="{lang}">' in index
        for name in ("q1", "q5", "q7"):
            page = built / lang / f"{name}.html"
            title = combined._plain(re.search(r"<title>(.*?)</title>", page.read_text()).group(1))
            assert tables.html.escape(title, quote=True) in index or title in index, title
            answer = _first_answer(page)
            assert tables.html.escape(answer[:50], quote=True) in index, answer[:50]
            for ext in ("html", "pdf", "ipynb"):
                assert f'href="{lang}/{name}.{ext}"' in index
        assert f'href="combined-{lang}.pdf"' in index and f'href="{lang}/tables.xlsx"' in index
        assert f'href="{lang}/q1-table-1.csv"' in index and L.t("index.tables") in tables.html.unescape(index)
    state = json.loads((built / ".build-state.json").read_text())
    for entry in state["reports"].values():
        assert f"<code>{entry['fingerprint']}</code>" in index


def test_tables_as_csv_with_figure_ids_and_sources(built):
    rows = list(csv.reader((built / "en" / "q1-table-1.csv").open(encoding="utf-8")))
    header = rows[0]
    assert header[0] == "Channel" and header[-2:] == ["Ref.", "Source"]
    ref = header.index("Ref.")
    vdab = next(r for r in rows if r[ref] == "OE-2021-01-02-VDAB")
    assert "62,297" in vdab and "vlaamsparlement.be" in vdab[ref + 1]
    nl = list(csv.reader((built / "nl" / "q5-table-1.csv").open(encoding="utf-8")))
    assert nl[0][-1] == "Bron" and any("4.240" in r for r in nl)
    # every table of the page has its file, and no more
    for lang in LANGS:
        for name in ("q1", "q5", "q6", "q7"):
            page = (built / lang / f"{name}.html").read_text(encoding="utf-8")
            count = page.count('<table class="data">')
            assert sorted(p.name for p in (built / lang).glob(f"{name}-table-*.csv")) == [
                f"{name}-table-{n}.csv" for n in range(1, count + 1)
            ]


def test_workbook_has_a_sheet_per_table_with_numbers(built):
    for lang in LANGS:
        book = openpyxl.load_workbook(built / lang / "tables.xlsx")
        csvs = sorted((built / lang).glob("q*-table-*.csv"))
        assert len(book.sheetnames) == len(csvs) and "q1-1" in book.sheetnames
    sheet = openpyxl.load_workbook(built / "nl" / "tables.xlsx")["q1-1"]
    values = [row for row in sheet.iter_rows(values_only=True)]
    header = values[3]
    assert header[0] == "Kanaal" and "Ref." in header
    ref = header.index("Ref.")
    vdab = next(r for r in values if r[ref] == "OE-2021-01-02-VDAB")
    assert 62297 in vdab and "vlaamsparlement.be" in vdab[ref + 1]  # a real number, not the text "62.297"


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("nl", "62.297", (62297, "#,##0")),
        ("nl", "-33,5%", (-0.335, "0.0%")),
        ("nl", "+9,0%", (0.09, "+0.0%;-0.0%;0.0%")),
        ("en", "1,258", (1258, "#,##0")),
        ("en", "2.11", (2.11, "#,##0.00")),
        ("en", "n/a (base 0)", None),
        ("nl", "62,297.5", None),
    ],
)
def test_shown_numbers_back_to_values(lang, text, expected):
    got = tables.number(text, lang)
    if expected is None:
        assert got is None
    else:
        assert got[0] == pytest.approx(expected[0]) and got[1] == expected[1]


def test_table_extraction_keeps_suppressed_cells_as_shown():
    page = (
        '<table class="data"><caption>C</caption><thead><tr><th class="txt">Group</th><th class="num">N</th>'
        '<th class="txt">Ref.</th></tr></thead><tbody><tr><td class="txt">a &lt;b&gt;</td><td class="num">&lt; 5</td>'
        '<td class="txt">X-1</td></tr></tbody></table><p class="table-note">note</p>'
        '<ol class="sources"><li id="src-s"><strong>P</strong>, <em>T</em> (2021). u<br/><span class="source-note">n</span>'
        '<ul class="locators"><li><code>X-1</code>: here</li></ul></li></ol>'
    )
    (table,) = tables.extract(page, "Ref.")
    assert table.caption == "C" and table.rows == [["a <b>", "< 5", "X-1"]] and table.note == "note"
    assert table.sources == ["P, T (2021). u"] and table.numeric == [False, True, False]
    assert tables.number("< 5", "en") is None
