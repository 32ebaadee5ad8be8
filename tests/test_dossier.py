"""The reader's dossier: combined PDFs with a summary and one source list, PDF metadata and
bookmarks, the index with titles and answers, and the tables as CSV and Excel."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from analysis import config, registry
from analysis.pipeline import outputs
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


def _first_answer(notebook: Path) -> str:
    return outputs.read(notebook).answer.paragraphs[0].text


def _title(notebook: Path) -> str:
    return outputs.read(notebook).title


@pytest.mark.parametrize("lang", LANGS)
def test_summary_page_gives_each_answer_from_its_chapter_and_its_page(built, lang):
    state = json.loads((built / ".build-state.json").read_text())["combined"][lang]
    reader = PdfReader(str(built / f"combined-{lang}.pdf"))
    summary = re.sub(r"\s+", "", unicodedata.normalize("NFKC", reader.pages[2].extract_text()))  # 'ﬁ' ligatures
    L = Lang(lang)
    assert re.sub(r"\s+", "", L.t("doc.summary")) in summary
    for name in registry.ids():
        answer = _first_answer(built / lang / f"{name}.ipynb")
        assert re.sub(r"\s+", "", answer[:60]) in summary, (name, answer[:60])
        assert f"{L.t('doc.page_short')}{state['parts'][name]}" in summary, name
        # the page given is where the chapter's title is
        title = _title(built / lang / f"{name}.ipynb")
        start = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", reader.pages[state["parts"][name] - 1].extract_text()))
        assert title[:30] in start, name


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
        cited = outputs.read(built / lang / f"{name}.ipynb").sources.citations
        assert cited, name
        for citation in cited:
            assert re.sub(r"\s+", "", citation.figure_id) in tail, (name, citation)
    # a figure cited by several chapters has its locator once in the whole document, in the list at the end
    everywhere = re.sub(r"\s+", "", unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages)))
    citing = [
        n
        for n in ("q1", "q5", "q6", "q7")
        if any(c.figure_id == "OE-2021-01-02-VDAB" for c in outputs.read(built / lang / f"{n}.ipynb").sources.citations)
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
            notebook = built / lang / f"{name}.ipynb"
            title = _title(notebook)
            assert title and html.escape(title, quote=True) in index, title
            assert f"<title>{html.escape(title, quote=True)}</title>" in (built / lang / f"{name}.html").read_text()
            answer = _first_answer(notebook)
            assert html.escape(answer[:50], quote=True) in index, answer[:50]
            for ext in ("html", "pdf", "ipynb"):
                assert f'href="{lang}/{name}.{ext}"' in index
        assert f'href="combined-{lang}.pdf"' in index and f'href="{lang}/tables.xlsx"' in index
        assert f'href="{lang}/q1-table-1.csv"' in index and L.t("index.tables") in html.unescape(index)
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
            assert len(outputs.read(built / lang / f"{name}.ipynb").tables) == count, (lang, name)
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
    # raw values, not the rounded text: the q5 total's change against 9,578 as a fraction, shown as a signed percentage
    rows = [[c for c in row] for row in openpyxl.load_workbook(built / "en" / "tables.xlsx")["q5-1"].iter_rows()]
    total = next(r for r in rows if r[1].value == "All actions")
    change, rel = total[4], total[5]
    assert change.value == -701 and change.number_format == "+#,##0;-#,##0;#,##0"
    assert rel.value == pytest.approx(8877 / 9578 - 1, abs=1e-12) and rel.number_format == "+0.0%;-0.0%;0.0%"
    base0 = next(r for r in rows if r[2].value == 0)
    assert isinstance(base0[5].value, str)  # 'n/a (base 0)' stays text
