"""The reader's dossier: the combined PDFs (cover and colophon, a one-page front sheet, chapters with
their running header, the sources in words, the technical annex), PDF metadata and bookmarks, the
landing page and the technical page, and the tables as CSV and Excel.

The front sheet is also assembled in-process, from the records the notebooks emit, for the project's
data and for scenario folders (tests/scenarios/): what it says must be what its chapters say, for any
period. Those tests need no build and run in ``make test-fast``; the ones on the built files are e2e.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from frictionless import Package
from pypdf import PdfReader

from analysis import config, registry
from analysis.pipeline import combined, index, manifest, outputs, tables
from analysis.report import narrative
from analysis.report.i18n import Lang
from analysis.report.render import FIGURE_STATUSES, natural_key
from tests import inprocess
from tests.helpers import EPOCH, SCENARIOS, open_report, overlay_scenario, pdf_text, scenario_front_matter

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


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))  # 'ﬁ' ligatures, line breaks


def _ids() -> set[str]:
    """Every identifier in the data files: the codes readers must not meet outside the annex."""
    ids = set()
    for path in config.DATA_DIR.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str)
        for column in ("figure_id", "claim_id", "derived_id", "event_id", "source_id"):
            if column in frame:
                ids |= set(frame[column].dropna())
    return ids


# ---------------------------------------------------------------------------------------------- the front sheet, in-process
#: The data folders the front sheet is assembled for: the project's data and scenario folders (other periods).
FRONT_CASES = ("data", "everything_falls", "gap_year", "one_month_only")


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    """``front(case, lang)``: every chapter run in-process on the case's data, and the front sheet made from their records."""
    made: dict[tuple[str, str], tuple[BeautifulSoup, list[combined.Part], dict[str, inprocess.Output]]] = {}

    def make(case: str, lang: str):
        if (case, lang) not in made:
            if case == "data":
                folder, params = "", {"year": 2021, "compare_year": 2020, "months": [1, 2]}
            else:
                folder = overlay_scenario(SCENARIOS / case, tmp_path_factory.mktemp(f"front-{case}-{lang}") / "data")
                m = scenario_front_matter(SCENARIOS / case)
                params = {"year": m["year"], "compare_year": m["compare_year"], "months": m["months"]}
            runs = {q.id: inprocess.run(q.id, folder, lang=lang, **params) for q in registry.QUESTIONS}
            parts = [combined.part_from(name, outputs.read(run.notebook())) for name, run in runs.items()]
            sheet = BeautifulSoup(combined.front_sheet_html(Lang(lang), parts, None), "html.parser")
            made[case, lang] = (sheet, parts, runs)
        return made[case, lang]

    return make


def _numbers(text: str, lang: str) -> list[float]:
    return [narrative._parse(lang, m["num"]) for m in narrative._token_re(lang).finditer(text)]


@pytest.mark.notebook
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", FRONT_CASES)
def test_front_sheet_findings_are_the_chapters_own_and_point_to_them(front, case, lang):
    """Each key finding is a record its chapter emitted (checked there against its figures), in chapter order (the
    reader meets the figures before the check of the answer's arithmetic), those that only support the main ones last
    (editors, rounds 33 and 34), with its chapter number and page; every number in it is shown in that chapter too."""
    L = Lang(lang)
    sheet, parts, runs = front(case, lang)
    shown = [li.get_text(" ") for li in sheet.select("ol.findings > li")]
    expected = [(n, part, f) for n, part in enumerate(parts, 1) for f in part.findings if f.role == "finding"]
    expected.sort(key=lambda e: e[2].supporting)
    main = [n for n, _, f in expected if not f.supporting]
    assert main == sorted(main) and all(f.supporting for _, _, f in expected[len(main) :])
    if case == "data":  # the online figure first, the partial figure of question 4 last; the minister's reasons stay
        # in chapter 5 (adviser and editor, round 44: a finding without a figure on a page set too small)
        assert [e[1].name for e in expected] == ["q1", "q5", "q6", "q4"]
    assert len(shown) == len(expected) and shown, (case, lang)
    assert 4 <= len(expected) <= 7 if case == "data" else len(expected) >= 2
    for text, (number, part, finding) in zip(shown, expected):
        assert " ".join(text.split()).startswith(" ".join(finding.text.split())), (text, finding.text)
        where = L.t("doc.chapters.one", n=number)
        assert f"({where}, {L.t('doc.page_short')}" in text, text
        assert re.search(r"\(" + re.escape(where) + r", [^;()]+\)$", text.rstrip()), text  # the chapter alone, no tags
        chapter = runs[part.name].text
        for value in _numbers(finding.text, lang):
            assert value in _numbers(chapter, lang), (part.name, value, finding.text)
    # which kinds of figure the dossier shows: every kind of its findings, named once at the foot of the sheet
    kinds = sheet.select_one("p.kinds").get_text(" ")
    for status in {s for _, _, f in expected for s in f.status}:
        assert L.t(f"figure_status.{status}") in kinds, (status, kinds)
    for problem in (r"\{[a-z_]+\}", r"\bnan\b", r"\bNone\b"):
        assert not re.search(problem, sheet.get_text(" ")), problem


@pytest.mark.notebook
@pytest.mark.parametrize("case", FRONT_CASES)
def test_front_sheet_says_the_same_in_both_languages(front, case):
    """Same chapters, same number of findings, the same kinds of figures and the same numbers, in Dutch and English."""
    (_, nl_parts, _), (_, en_parts, _) = front(case, "nl"), front(case, "en")
    for nl, en in zip(nl_parts, en_parts):
        assert [f.status for f in nl.findings] == [f.status for f in en.findings], nl.name
        for a, b in zip(nl.findings, en.findings):
            assert sorted(_numbers(a.text, "nl")) == sorted(_numbers(b.text, "en")), (a.text, b.text)
        assert [(r.sub_question, r.status) for r in nl.scope] == [(r.sub_question, r.status) for r in en.scope]


@pytest.mark.notebook
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", FRONT_CASES)
def test_front_sheet_scope_and_follow_ups_come_from_the_data_for_the_answers_cited(front, case, lang):
    """Sub-questions are listed for the answer that gives the figures of the dossier's own period
    (data/answer_scope.csv), with their status in words and the chapter that treats them; every follow-up question
    of those rows is listed. An answer cited only for the comparison year lists nothing: its sub-questions are
    about another period."""
    L = Lang(lang)
    sheet, parts, _ = front(case, lang)
    scope = pd.read_csv(config.DATA_DIR / "answer_scope.csv", dtype=str).fillna("")
    wanted = scope[scope.source_id.isin({"wq-answer"} if case == "data" else set())]
    rows = sheet.select("table.scope tbody tr")
    assert [r.find("strong").get_text() for r in rows] == list(wanted.sub_question)
    numbers = {part.name: n for n, part in enumerate(parts, 1)}
    for row, (_, data) in zip(rows, wanted.iterrows()):
        cells = [td.get_text(" ") for td in row.find_all("td")]
        assert data[f"question_{lang}"] in cells[0] and cells[1] == L.t(f"scope.status.{data.status}")
        # the chapters are titled by question: only a sub-question treated in a chapter of another number names it
        chapter = L.t("doc.chapters.one", n=numbers[data.report])
        named = combined.question_number(data.sub_question) != numbers[data.report]
        assert data[f"why_{lang}"] in cells[2] and (chapter in cells[2]) == named
    follow_ups = [" ".join(li.get_text().split()) for li in sheet.select("ol.follow-up li")]
    L = Lang(lang)
    # those with a priority first, by priority (1 first); then the others in the data's order
    asked = [r for _, r in wanted.iterrows() if r[f"follow_up_{lang}"]]
    ordered = sorted(asked, key=lambda r: (0, int(r.priority)) if r.priority else (1, 0))
    # what the plenary record, the answer's annex and later VDAB publications may settle stands at the question it
    # may settle, to read before asking (committee advisers, rounds 25 and 44)
    of = [
        f"({L.t('doc.front.follow_up_of', n=r.sub_question)}"
        + (f"; {L.t('doc.front.follow_up_check', check=r[f'check_first_{lang}'])}" if r[f"check_first_{lang}"] else "")
        + ")"
        for r in ordered
    ]
    assert follow_ups == [f"{r[f'follow_up_{lang}']} {label}" for r, label in zip(ordered, of)]
    # a check without a question of its own keeps the line of its own; the data have none
    assert sheet.select_one("p.check-first") is None
    if case == "data":
        # the substance first (advisers, rounds 24, 34 and 44): online learning against physical training, the official
        # base of the comparison, the places lost to smaller groups, profile
        assert [r.sub_question for r in ordered[:4]] == ["5b", "1a", "5a", "3"]
        assert [r.sub_question for _, r in wanted.iterrows() if r[f"check_first_{lang}"]] == ["1a", "2"]
    if case == "data":
        assert list(wanted.sub_question) == ["1a", "1b", "2", "3", "4", "5a", "5b"]


@pytest.mark.notebook
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", FRONT_CASES)
def test_the_legend_names_the_kinds_of_figures_the_chapters_use(front, case, lang):
    """Official, recomputed, quoted, press, estimate: each kind the chapters use, with those chapters, and no other;
    on the contents page beside the guide to quoting (the front sheet keeps one page at a readable size)."""
    L = Lang(lang)
    _, parts, _ = front(case, lang)
    sheet = BeautifulSoup(combined.legend_html(L, parts), "html.parser")
    kinds: dict[str, set[int]] = {}
    for n, part in enumerate(parts, 1):
        used = {s for f in part.findings for s in f.status} | ({"recomputed"} if part.recomputed else set())
        if part.sources:
            cited = {c.source_id for c in part.sources.citations if c.figure_id != c.source_id}  # for a figure
            used |= {combined.KIND_STATUS[s.kind] for sid, s in part.sources.sources.items() if sid in cited}
        for kind in used:
            kinds.setdefault(kind, set()).add(n)
    terms = [term.get_text() for term in sheet.select("dl.legend dt")]
    # no kind is dropped for want of a legend entry: VDAB's own statistical note is a publication, not press
    # (statistician, round 39)
    assert set(kinds) <= set(FIGURE_STATUSES), kinds
    if case == "data":
        assert "publication" in kinds and L.t("figure_status.publication") in terms
    assert terms == [L.t(f"figure_status.{s}") for s in FIGURE_STATUSES if s in kinds]
    for term, dd in zip(terms, sheet.select("dl.legend dd")):
        status = next(s for s in FIGURE_STATUSES if L.t(f"figure_status.{s}") == term)
        assert dd.get_text().endswith(f"({combined.chapters_text(L, sorted(kinds[status]))})")


#: A number as the derived figures write it: digits with the language's separators, a sign, a percent.
DERIVED_NUMBER = re.compile(r"[−-]?\d[\d.,]*%?")


def _derived_number(text: str, lang: str) -> float:
    """'9.578' / '9,578' → 9578.0; '7,9' / '7.9' → 7.9 (the language's decimal mark), '−2,7' → −2.7."""
    thousands, decimal = (".", ",") if lang == "nl" else (",", ".")
    return float(text.replace("−", "-").rstrip("%").replace(thousands, "").replace(decimal, "."))


def _evaluate(formula: str, lang: str) -> list[float]:
    """Every result a derived figure's computation gives: each part between ';', each end of a 'tot'/'to' range (the
    interval a rounded input allows), evaluated as arithmetic."""
    word = " tot " if lang == "nl" else " to "
    results = []
    for part in formula.split(";"):
        pieces = part.split(word)
        if len(pieces) == 2 and all(p.count("(") == p.count(")") for p in pieces):
            ends = pieces  # a range of two whole sums
        elif word in part:  # a rounded input inside the sum: the sum at its low end, then at its high end
            ends = [re.sub(r"([\d.,]+)" + word + r"([\d.,]+)", rf"\{i}", part) for i in (1, 2)]
        else:
            ends = [part]
        for end in ends:
            expression = DERIVED_NUMBER.sub(lambda m: repr(_derived_number(m.group(), lang)), end.replace("−", "-"))
            results.append(eval(expression.replace("^", "**"), {"__builtins__": {}}))  # digits, brackets, + - * / only
    return results


@pytest.mark.notebook
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", FRONT_CASES)
def test_derived_figures_give_their_sums_and_trace_to_data_rows(front, case, lang):
    """Every figure the running text computes (Report.derived) carries a computation whose result is the value shown,
    to the digits shown, and the codes of its inputs; on the project's data those codes are rows of the data files."""
    _, parts, _ = front(case, lang)
    derived = [(part.name, f) for part in parts for f in part.findings if f.role == "derived"]
    assert derived, case
    if case == "data":
        assert {name for name, _ in derived} == {"q1", "q5", "q7"} and len(derived) >= 10
        ids = set()
        for name in ("contact_actions", "context_figures", "claims", "online_enrolments"):
            frame = pd.read_csv(config.DATA_DIR / f"{name}.csv", dtype=str)
            ids |= set(frame["claim_id" if name == "claims" else "figure_id"])
        assert all(ref in ids for _, f in derived for ref in f.refs), [f.refs for _, f in derived]
    for name, f in derived:
        # every input is a data row's code, but for the calendar's working days (weekdays less statutory holidays)
        calendar = f.text.startswith(("Werkdagen", "Working days"))
        assert f.text and f.value and f.formula and (f.refs or calendar), (name, f)
        results = _evaluate(f.formula, lang)
        for shown in DERIVED_NUMBER.findall(f.value):
            number = _derived_number(shown, lang)
            digits = (
                len(shown.rstrip("%").split("," if lang == "nl" else ".")[1]) if ("," if lang == "nl" else ".") in shown else 0
            )
            scale = 100.0 if shown.endswith("%") else 1.0
            candidates = [r * scale for r in results]
            assert any(abs(c - number) <= 0.5 * 10**-digits + 1e-9 for c in candidates), (
                name,
                f.text,
                f.value,
                f.formula,
                results,
            )


@pytest.mark.notebook
@pytest.mark.parametrize("lang", LANGS)
def test_the_annex_lists_the_derived_figures_and_each_report_writes_them_to_a_described_csv(front, tmp_path, lang):
    """The annex's table of figures computed in the text has a row per derived figure with its chapter number, and the
    CSV file of a report holds the same lines under a Table Schema that frictionless accepts."""
    _, parts, runs = front("data", lang)
    html = BeautifulSoup(combined.derived_html(Lang(lang), parts), "html.parser")
    rows = html.select("table.derived tbody tr")
    derived = [(n, f) for n, part in enumerate(parts, 1) for f in part.findings if f.role == "derived"]
    known = sorted({c.figure_id for part in parts if part.sources for c in part.sources.citations}, key=natural_key)
    through = Lang(lang).t("doc.derived.through", first="", last="")
    assert len(rows) == len(derived)
    for row, (n, f) in zip(rows, derived):
        cells = [td.get_text(" ") for td in row.find_all("td")]
        provisional = f" {Lang(lang).t('doc.derived.provisional')}" if f.provisional else ""
        assert cells[:4] == [str(n), f.text, f.value + provisional, f.formula]
        # codes that follow each other in the annex stand as one run, 'A t/m B': expanded, they are the inputs
        shown = []
        for item in [r for r in row.find_all("td")[4].get_text("").split(", ") if r]:
            first, _, last = item.partition(through)
            shown += [c for c in known if natural_key(first) <= natural_key(c) <= natural_key(last)] if last else [item]
        assert shown == list(f.refs)
    assert combined.derived_html(Lang(lang), [combined.Part("x", "X", "", False, [], None, [], False)]) == ""
    found = outputs.read(runs["q5"].notebook())
    path = tmp_path / "q5-derived.csv"
    content, resource = tables.derived_csv(path, [f for f in found.findings if f.role == "derived"], found, lang)
    path.write_text(content, encoding="utf-8")
    lines = list(csv.reader(content.splitlines()))
    assert lines[0] == [Lang(lang).t(f"tables.derived.col.{c}") for c in tables.DERIVED_COLUMNS]
    assert [line[1] for line in lines[1:]] == [f.value for f in found.findings if f.role == "derived"]
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "t", "resources": [resource]}), encoding="utf-8")
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])


def test_a_chapter_defines_its_terms_under_its_title():
    """Chapter 5 opens with the glossary's meaning of 'actie', 'contactleren' and 'thuisleren'; a chapter without terms
    in the registry gets no box."""
    from analysis.report.i18n import glossary

    head = BeautifulSoup(str(open_report("q5").title()), "html.parser")
    terms = [dt.get_text() for dt in head.select("div.terms dt")]
    assert terms == [glossary()[t]["nl"]["term"] for t in registry.get("q5").terms] == ["actie", "contactleren", "thuisleren"]
    meanings = [glossary()[t]["nl"]["meaning"] for t in registry.get("q5").terms]
    assert [dd.get_text() for dd in head.select("div.terms dd")] == [m[0].lower() + m[1:] for m in meanings]
    assert not BeautifulSoup(str(open_report("q1").title()), "html.parser").select("div.terms")


def test_a_sub_question_is_numbered_by_its_question():
    assert [combined.question_number(s) for s in ("5b", "1a", "2", "10c", "x")] == [5, 1, 2, 10, None]


@pytest.mark.notebook
def test_front_sheet_follows_the_figures_of_each_period(front):
    """The same template says what each period's figures say: a fall is a fall, a rise a rise, a missing base is missing."""
    text = {case: front(case, "en")[0].select_one("ol.findings").get_text(" ") for case in FRONT_CASES}
    text = {case: " ".join(t.split()) for case, t in text.items()}
    assert (
        "The 62,297 enrolments of January and February 2021 are more than double the 29,000 the minister gave for"
        " ‘vorig jaar op dit moment’, as the question reports. That holds if that figure covers January and February 2020 and counts"
        " enrolments on the same platform; if it covers more months, counted the same way, the ratio is larger still."
        in text["data"]
        and "−113.7%" in text["data"]
        and "−53.2%" in text["data"]
    )
    assert (
        "In January and February 2021 jobseekers started 8,877 instructor-led training actions (contact learning,"
        " internships excluded), fewer than in January and February 2020 (9,578; −7.3%; sum of the answer’s Table 1)."
        in text["data"]
    )
    assert (
        "trainings without home learning (actions with training hours only) fell from 5,797 to 3,855"
        " (−33.5%), and trainings with home learning (actions with home-learning hours) rose from 3,781 to 5,022 (+32.8%)"
        in text["data"]
        and "does not follow" not in text["data"]  # said once, in the summary's opening (below)
    )
    assert "fell against January and February 2022 from 70,000 to 52,000 (−25.7%)" in text["everything_falls"]
    assert "times the rounded" not in text["everything_falls"]
    assert "online enrolments did not go up" in front("everything_falls", "en")[0].select_one("p.lead").get_text()
    assert (
        "whether online courses on the learning platform also replaced physical training does not follow"
        in front("data", "en")[0].select_one("p.lead").get_text()
    )
    assert "fell against January and February 2021 from 62,297 to 58,000" in text["gap_year"]
    assert (
        "In March 2024 enrolments on VDAB’s learning platform rose against March 2023 from 20,000 to 26,000"
        in text["one_month_only"]
    )
    lead = front("one_month_only", "en")[0].select_one("p.lead").get_text()
    assert "does not follow" in lead and "about 6,000" not in text["one_month_only"] + lead  # no cross-unit scale
    # the scope of the 2021 answer is shown only where a chapter cites that answer
    assert not front("everything_falls", "en")[0].select("table.scope")
    assert not front("gap_year", "en")[0].select("table.scope")  # the 2021 answer gives only its comparison year


@pytest.mark.notebook
@pytest.mark.parametrize("case", FRONT_CASES)
def test_the_summary_opens_with_the_chapters_bottom_lines(front, case):
    """The opening paragraph is each chapter's headline in chapter order, each checked where it was written; the
    table of sub-questions below it says how much the answer answers (no tally that reads as a grade)."""
    sheet, parts, _ = front(case, "en")
    headlines = [f.text for part in parts for f in part.findings if f.role == "headline"]
    lead = sheet.select_one("p.lead")
    assert headlines, case  # every scenario's figures give at least one bottom line
    assert " ".join(lead.get_text().split()) == " ".join(" ".join(headlines).split())
    if case == "data":
        assert (
            headlines[0]
            == "In January and February 2021 VDAB counted 62,297 enrolments in online courses on its learning platform."
        )
        assert headlines[1].startswith(
            "Among instructor-led trainings (partly) funded or recognised by VDAB, jobseekers started fewer without home"
            " learning in January and February 2021 than in January and February 2020 (3,855 against 5,797) and more with"
            " home learning (5,022 against 3,781). Those 2021 figures are provisional."
        )
        assert headlines[2].startswith("The totals in the answer are added up correctly; its eight percentage differences")
    if case == "everything_falls":  # no shift to explain: the online enrolments fell
        assert any("online enrolments did not go up" in h for h in headlines)


@pytest.mark.notebook
def test_cover_facts_come_from_the_cited_sources_and_the_publisher_from_the_manifest(front):
    """The colophon names the question, the minister and the dates from sources.csv, and the manifest's publisher once."""
    from analysis.pipeline.manifest import Manifest

    manifest = Manifest.model_validate({"publisher": {"nl": "Studiedienst (test)", "en": "Research unit (test)"}})
    for lang in LANGS:
        L = Lang(lang)
        _, parts, _ = front("data", lang)
        page = BeautifulSoup(combined.document_html(lang, parts, None, manifest.publisher_for(lang)), "html.parser")
        colophon = {t.get_text(): d.get_text() for t, d in zip(page.select("dl.colophon dt"), page.select("dl.colophon dd"))}
        sources = pd.read_csv(config.DATA_DIR / "sources.csv", dtype=str).fillna("").set_index("source_id")
        answer = sources.loc["wq-answer"]
        # the answer is not dated: it is from its annex's date or later (sources.csv says so), and the cover says it too
        assert answer.date_basis == "earliest"
        dated = L.t("source.date.earliest", date=L.partial_date(answer.date))
        assert colophon[L.t("doc.colophon.answer")] == f"{answer[f'author_{lang}']}, {dated}"
        assert colophon[L.t("doc.colophon.annex")].endswith(L.date(dt.date(2021, 4, 8)))
        assert colophon[L.t("doc.colophon.asked_by")] == L.t("doc.colophon.not_in_source")  # the source names no member
        assert colophon[L.t("doc.colophon.publisher")] == manifest.publisher_for(lang)
        assert page.get_text().count(manifest.publisher_for(lang)) == 1
    assert Manifest.model_validate({}).publisher_for("en") == Lang("en").t("doc.publisher_default")


#: A contact point and a responsible publisher as a publisher would fill them in (invented for the test).
CREDITS = {
    "contact": "Studiedienst (test), studiedienst@example.org",
    "responsible_publisher": {
        "nl": "Jan Test, afdelingshoofd, Teststraat 1, 1000 Brussel",
        "en": "Jan Test, head of unit, Teststraat 1, 1000 Brussels",
    },
}


def _colophon(page: BeautifulSoup) -> dict[str, str]:
    return {t.get_text(): d.get_text() for t, d in zip(page.select("dl.colophon dt"), page.select("dl.colophon dd"))}


@pytest.mark.notebook
def test_cover_names_the_contact_and_the_responsible_publisher_once_and_no_status(front):
    """With a contact and a responsible publisher in the manifest the colophon names each once, and says no status."""
    from analysis.pipeline.manifest import Manifest

    manifest = Manifest.model_validate(CREDITS)
    for lang in LANGS:
        L = Lang(lang)
        _, parts, _ = front("data", lang)
        credits = manifest.credits_for(lang)
        assert credits.contact == CREDITS["contact"]
        assert credits.responsible_publisher == CREDITS["responsible_publisher"][lang]
        page = BeautifulSoup(combined.document_html(lang, parts, None, credits), "html.parser")
        colophon, text = _colophon(page), page.get_text()
        assert colophon[L.t("doc.colophon.contact")] == credits.contact
        assert colophon[L.t("doc.colophon.responsible_publisher")] == credits.responsible_publisher
        assert text.count(credits.contact) == 1 and text.count(credits.responsible_publisher) == 1
        assert L.t("doc.colophon.status") not in colophon and L.t("doc.colophon.status_working") not in text
        assert '@bottom-left { content: "' not in page.style.get_text()  # a published dossier's pages carry no mark
        assert colophon[L.t("doc.colophon.publisher")] == L.t("doc.publisher_default")  # the publisher left out: the default


@pytest.mark.notebook
def test_cover_says_it_is_a_working_version_when_no_responsible_publisher_is_named(front):
    """Without a responsible publisher the colophon says the dossier is a working version, not published; a contact
    alone does not make it published."""
    from analysis.pipeline.manifest import Manifest

    for given in ({}, {"contact": CREDITS["contact"]}):
        manifest = Manifest.model_validate(given)
        for lang in LANGS:
            L = Lang(lang)
            _, parts, _ = front("data", lang)
            page = BeautifulSoup(combined.document_html(lang, parts, None, manifest.credits_for(lang)), "html.parser")
            colophon = _colophon(page)
            assert colophon[L.t("doc.colophon.status")] == L.t("doc.colophon.status_working")
            assert page.get_text().count(L.t("doc.colophon.status_working")) == 1
            # and every page says so, not the cover alone: a page printed or forwarded on its own (round 26)
            mark = combined._sentence(L.t("doc.colophon.status_working"))
            assert f'@bottom-left {{ content: "{mark}"' in page.style.get_text()
            assert L.t("doc.colophon.responsible_publisher") not in colophon
            assert (L.t("doc.colophon.contact") in colophon) == ("contact" in given)
    assert (Lang("nl").t("doc.colophon.status_working"), Lang("en").t("doc.colophon.status_working")) == (
        "werkversie, niet uitgegeven",
        "working version, not published",
    )


@pytest.mark.parametrize(
    "given,field",
    [
        ({"contact": ""}, "contact"),
        ({"contact": " \n"}, "contact"),
        ({"contact": {"nl": "Dienst", "en": " "}}, "contact"),
        ({"responsible_publisher": ""}, "responsible_publisher"),
        ({"responsible_publisher": {"nl": "", "en": "Name, function, address"}}, "responsible_publisher"),
        ({"responsible_publisher": {"nl": "Naam, functie, adres"}}, "responsible_publisher"),  # no text for en
    ],
)
def test_an_empty_contact_or_responsible_publisher_is_refused_naming_the_field(given, field):
    from pydantic import ValidationError

    from analysis.pipeline.manifest import Manifest

    with pytest.raises(ValidationError) as info:
        Manifest.model_validate(given)
    assert f"{field}: expected" in str(info.value) or f"{field}: no text for" in str(info.value)


def test_pdf_information_names_the_publisher_the_contact_and_the_responsible_publisher(tmp_path):
    """The PDF's information carries what the colophon says: publisher as author, contact and responsible publisher."""
    from pypdf import PdfWriter

    from analysis.pipeline.manifest import Manifest
    from analysis.pipeline.printer import finish_pdf

    page, pdf = tmp_path / "page.html", tmp_path / "page.pdf"
    page.write_text("<h1>Title</h1>", encoding="utf-8")
    for given in (CREDITS, {}):
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        writer.write(str(pdf))
        finish_pdf(pdf, page, "Title", "nl", Manifest.model_validate(given).credits_for("nl"))
        meta = PdfReader(str(pdf)).metadata
        assert meta.author == Lang("nl").t("doc.publisher_default")
        if given:
            assert meta["/Contact"] == CREDITS["contact"]
            assert meta["/ResponsiblePublisher"] == CREDITS["responsible_publisher"]["nl"]
        else:
            assert "/Contact" not in meta and "/ResponsiblePublisher" not in meta


def test_workbook_information_names_the_publisher_the_contact_and_the_responsible_publisher(tmp_path):
    from analysis.pipeline.manifest import Manifest

    for lang in LANGS:
        for given in (CREDITS, {}):
            path = tmp_path / f"{lang}-{len(given)}.xlsx"
            tables.write_workbook(path, lang, [], Manifest.model_validate(given).credits_for(lang))
            book = openpyxl.load_workbook(path)
            assert book.properties.creator == Lang(lang).t("doc.publisher_default")
            custom = {p.name: p.value for p in book.custom_doc_props.props}
            if given:
                assert custom == {
                    "Contact": CREDITS["contact"],
                    "ResponsiblePublisher": CREDITS["responsible_publisher"][lang],
                }
            else:
                assert custom == {}


# ---------------------------------------------------------------------------------------------- the built dossier
@pytest.mark.parametrize("lang", LANGS)
def test_front_sheet_is_one_page_after_the_cover_with_the_chapters_pages(built, lang):
    L = Lang(lang)
    state = json.loads((built / ".build-state.json").read_text())["combined"][lang]
    reader = PdfReader(str(built / f"combined-{lang}.pdf"))
    sheet, contents = _squeeze(reader.pages[1].extract_text()), _squeeze(reader.pages[2].extract_text())
    assert _squeeze(L.t("doc.front.findings")) in sheet and _squeeze(L.t("doc.front.follow_up")) in sheet  # all on one page
    assert _squeeze(L.t("doc.contents")) in contents and _squeeze(L.t("doc.front.findings")) not in contents
    assert _squeeze(L.t("doc.front.legend")) in contents  # the kinds of figures, beside the guide to quoting
    numbers = {name: n for n, name in enumerate(registry.ids(), 1)}
    for name in registry.ids():
        for finding in outputs.read(built / lang / f"{name}.ipynb").findings:
            if finding.role == "headline":  # the summary's opening lines
                assert _squeeze(finding.text)[:80] in sheet, (name, finding.text)
                continue
            if finding.role == "derived":  # a figure the text computes: a row of the annex (its own test)
                continue
            if finding.role != "finding":  # a line of the guide to quoting: on the contents page
                assert _squeeze(finding.text)[:80] in contents, (name, finding.text)
                continue
            assert _squeeze(finding.text)[:80] in sheet, (name, finding.text)
            where = f"{L.t('doc.chapters.one', n=numbers[name])}, {L.t('doc.page_short')}\u00a0{state['parts'][name]}"
            assert _squeeze(where) in sheet, where
        # the page given is where the chapter's title is
        title = _title(built / lang / f"{name}.ipynb")
        assert _squeeze(title)[:30] in _squeeze(reader.pages[state["parts"][name] - 1].extract_text()), name
    for sub_question in ("1a", "1b", "2", "3", "4", "5a", "5b"):
        assert sub_question in sheet


@pytest.mark.parametrize("lang", LANGS)
def test_running_header_names_the_chapter(built, lang):
    L = Lang(lang)
    state = json.loads((built / ".build-state.json").read_text())["combined"][lang]
    reader = PdfReader(str(built / f"combined-{lang}.pdf"))
    titles = {name: _title(built / lang / f"{name}.ipynb") for name in registry.ids()}
    titles.update({"sources": L.t("section.sources"), "annex": L.t("doc.annex.title")})
    # Chapters run on: a page names the part a reader finds at its top: the one whose title opens
    # the page's text (under the chapter's number), else the one running on into it from an earlier page.
    starts = sorted((page, order, name) for order, (name, page) in enumerate((n, state["parts"][n]) for n in titles))
    assert starts[0][0] == 4
    kicker = re.compile(rf"{re.escape(_squeeze(L.t('doc.chapter')).casefold())}\d+")
    for number in range(4, len(reader.pages) + 1):
        lines = unicodedata.normalize("NFKC", reader.pages[number - 1].extract_text()).split("\n")
        footer = f"{L.t('doc.page')} {number} {L.t('doc.of')} {len(reader.pages)}"
        draft = combined._sentence(L.t("doc.colophon.status_working"))  # the footer's working-version mark
        lines = [line.replace(draft, "") for line in lines]
        body = [_squeeze(line) for line in lines[1:] if line.strip() and line.strip() != footer]
        if body and kicker.fullmatch(body[0].casefold()):
            body = body[1:]
        here = [name for page, _, name in starts if page == number]
        opening = [name for name in here if body and body[0].startswith(_squeeze(titles[name])[:20])]
        earlier = [name for page, _, name in starts if page < number]
        name = opening[0] if opening else (earlier[-1] if earlier else here[0])
        head = lines[0]
        assert titles[name][:25] in head, (number, name, head)
        assert head.count(L.t("doc.title")) <= 1 or titles[name] == L.t("doc.title"), head
    for number, title in ((2, L.t("doc.front.title")), (3, L.t("doc.contents"))):
        assert title in " ".join(reader.pages[number - 1].extract_text().split("\n")[:2]), number
    assert not re.search(rf"{L.t('doc.page')} 1 ", reader.pages[0].extract_text())  # the cover has neither


def test_each_page_names_the_part_a_reader_finds_at_its_top():
    titles = {"front": "Summary", "contents": "Contents", "q1": "One", "q2": "Two", "q3": "Three", "sources": "Sources"}
    pages = {"front": 2, "contents": 3, "q1": 4, "q2": 6, "q3": 6, "sources": 9}
    at_top = {"front", "contents", "q1", "q2"}  # q3 starts lower on page 6, the sources halfway down page 9
    assert combined.running_headers(titles, pages, 10, at_top) == [
        "",  # the cover
        "Summary",
        "Contents",
        "One",
        "One",
        "Two",  # two parts start on page 6: the one at its top is named
        "Three",
        "Three",
        "Three",  # the sources start below the top: the page opens with the end of chapter three
        "Sources",
    ]
    # a chapter that starts halfway down a page is named from the next page on
    assert combined.running_headers(titles, pages, 7, {"front", "contents", "q1"})[5:] == ["One", "Three"]


# A printer that stands in for Chromium: it lays each page out as told, with the running header the document's CSS
# names for it, and writes the outline Chromium writes from the headings (title, page, top of the heading). A page is
# a list of lines: (baseline in points up from the foot, text), or (baseline, text, top) for a heading.
PAGE_HEIGHT = 842.88  # A4 as Chromium prints it


def _fake_pdf(path: Path, pages: list[list[tuple]], header: list[str]) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, Fit, NameObject

    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    outline = []
    for number, lines in enumerate(pages, 1):
        page = writer.add_blank_page(595.92, PAGE_HEIGHT)
        shown = ([(814.4, header[number - 1])] if header[number - 1] else []) + [line[:2] for line in lines]
        ops = "".join(f"BT /F1 10 Tf 1 0 0 1 45 {y} Tm <{text.encode('cp1252').hex()}> Tj ET\n" for y, text in shown)
        stream = DecodedStreamObject()
        stream.set_data(ops.encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        outline += [(line[1], number, line[2]) for line in lines if len(line) == 3]
    for title, number, top in outline:
        writer.add_outline_item(title=title, page_number=number - 1, fit=Fit.xyz(left=0, top=top))
    with open(path, "wb") as fh:
        writer.write(fh)


class _LaidOutPrinter:
    """Prints the dossier's pages as ``layouts`` lay them out, one layout a print (the last one again when they run
    out); each page's header is the document title and the chapter the document's CSS names for the page."""

    def __init__(self, L: Lang, layouts: list[list[list[tuple]]]):
        self.L, self.layouts, self.prints = L, layouts, 0

    async def print_pdf(self, html_path, pdf_path, title, lang, header_footer=True, credits=None, finish=True):
        html = Path(html_path).read_text(encoding="utf-8")
        front = [[(700.0, "Cover")], [(780.0, self.L.t("doc.front.title"))], [(780.0, self.L.t("doc.contents"), 790.0)]]
        if 'id="part-q1"' not in html:  # the front matter alone (combined.front_fit)
            pages = front
        else:
            pages = front + self.layouts[min(self.prints, len(self.layouts) - 1)]
            self.prints += 1
        symbols = re.search(r"symbols: (.*?); fallback", html)
        chapters = re.findall(r'"((?:[^"\\]|\\.)*)"', symbols[1]) if symbols else []
        header = [
            "",
            *(f"{self.L.t('doc.title')} {chapters[n] if n < len(chapters) else ''}".strip() for n in range(1, len(pages))),
        ]
        _fake_pdf(Path(pdf_path), pages, header)


def _text(name: str, top: float, bottom: float = 100.0) -> list[tuple]:
    """Lines of a chapter's text from ``top`` down to ``bottom``."""
    lines, y = [], top
    while y >= bottom:
        lines.append((y, f"{name}'s text goes on here."))
        y -= 20
    return lines


def _chapter(number: int, name: str, baseline: float) -> list[tuple]:
    """A chapter's number and its heading, the heading's first line at ``baseline`` (its top 14 points higher)."""
    return [(baseline + 24, f"CHAPTER {number}"), (baseline, name, baseline + 14)]


#: Four chapters on pages 4 to 8. Two opens page 6 lower than a chapter after a page break does (the end of One left
#: only its spacing on that page); Four starts near the top of page 7, under the last line of Three.
LAYOUT = [
    _chapter(1, "One", 759) + _text("One", 735),
    _text("One", 780),
    _chapter(2, "Two", 718) + _text("Two", 690, 420) + _chapter(3, "Three", 356) + _text("Three", 330),
    [(783, "Three's last line.")] + _chapter(4, "Four", 736) + _text("Four", 710),
    _text("Four", 780, 400),
]


def _dossier(tmp_path: Path, layouts) -> tuple[dict[str, int], Path, Path]:
    import asyncio

    L = Lang("en")
    body = '<header class="report-head"><h1>{0}</h1></header><p>{0}\'s text.</p>'
    parts = [combined.Part(f"q{n}", title, body.format(title)) for n, title in enumerate(("One", "Two", "Three", "Four"), 1)]
    html, pdf = tmp_path / "dossier.html", tmp_path / "dossier.pdf"
    printer = _LaidOutPrinter(L, layouts)
    pages = asyncio.run(combined.print_document(printer, "en", parts, "publisher", html, pdf))
    return pages, html, pdf


def test_each_page_of_the_printed_dossier_names_the_chapter_at_its_top(tmp_path):
    """The headers and the contents' numbers are those of the pages of the PDF kept, however far down its page a
    chapter opening a page stands, and whatever stands right above one that does not."""
    pages, html, pdf = _dossier(tmp_path, [LAYOUT])
    assert pages == {"q1": 4, "q2": 6, "q3": 6, "q4": 7}
    reader = PdfReader(str(pdf))
    heads = [page.extract_text().split("\n")[0] for page in reader.pages]
    title = Lang("en").t("doc.title")
    assert heads[3:] == [f"{title} One", f"{title} One", f"{title} Two", f"{title} Three", f"{title} Four"]
    toc = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one(f"#part-{combined.CONTENTS_PART}")
    assert [li.select_one(".page").get_text() for li in toc.select("li")] == ["4", "6", "6", "7"]


def test_the_dossier_is_printed_again_until_its_pages_give_the_numbers_it_was_printed_with(tmp_path):
    """A print that moves a chapter is printed again with the numbers read from it; one that never settles is an error."""
    moved = [LAYOUT[0], _text("One", 780), *LAYOUT[1:]]  # One runs on a page longer: the rest one page later
    pages, _, pdf = _dossier(tmp_path, [LAYOUT, moved])
    assert pages == {"q1": 4, "q2": 7, "q3": 7, "q4": 8} and len(PdfReader(str(pdf)).pages) == 9
    with pytest.raises(combined.PagesUnsettled, match="did not settle.*q2 \\(page 7, then 6\\)"):
        _dossier(tmp_path, [LAYOUT, moved] * (combined.MAX_PASSES + combined.FRONT_FIT_LEVELS))


def test_the_baselines_of_a_pages_text_follow_its_matrices():
    """Where each piece of text lands: the matrices' bookkeeping, and no operator read inside a string or a name."""
    from analysis.pipeline import pdftext

    stream = (
        b"q 1 0 0 1 0 100 cm BT 12 TL /F1 10 Tf 1 0 0 1 10 500 Tm (a (nested) 1 2 Td Tj) Tj T* <0041> Tj\n"
        b"0 -20 Td [(c) -250 (d)] TJ ET Q /Q1 gs BT 1 0 0 1 0 50 Tm (e\\) Tj) ' ET"
        b" q 2 0 0 2 0 0 cm BT 0 3 TD (f) Tj ET Q"
    )
    assert pdftext.baselines(stream) == [600.0, 588.0, 568.0, 38.0, 6.0]


def test_the_running_header_is_read_below_the_top_margin_of_the_stylesheet():
    """Text above a chapter's heading is read from below the page's top margin, where the running header stands."""
    css = (config.TEMPLATES_DIR / "report" / "report.css").read_text(encoding="utf-8")
    margin = re.search(r"@page\s*\{[^}]*?margin:\s*([\d.]+)mm", css)
    assert margin and float(margin[1]) == combined.PAGE_TOP_MARGIN_MM


def test_running_header_is_a_counter_style_of_the_pages_titles():
    """Chromium has no string-set: the page counter, in a style whose symbols are the pages' titles, prints each page's own."""
    L = Lang("en")
    css = combined.page_css(L, ["", "Summary", 'Question "2" \\ more'])
    assert 'symbols: "" "Summary" "Question \\"2\\" \\\\ more"' in css
    assert "counter(page, part-title)" in css and "fallback: part-blank" in css  # no number past the list
    assert "counter(page, part-title)" not in combined.page_css(L, None)  # the first pass knows no pages yet
    assert "@page cover" in css and "page: cover" in css


@pytest.mark.parametrize("lang", LANGS)
def test_the_dossier_is_kept_as_a_web_page_with_its_contents_linked(built, lang):
    page = BeautifulSoup((built / f"combined-{lang}.html").read_text(encoding="utf-8"), "html.parser")
    state = json.loads((built / ".build-state.json").read_text())["combined"][lang]
    toc = page.select_one(f"#part-{combined.CONTENTS_PART}")
    targets = [a["href"].removeprefix("#") for a in toc.select("a")]
    assert targets == [f"part-{name}" for name in [*registry.ids(), "sources", "annex"]]
    assert all(page.find(id=target) is not None for target in targets)
    numbers = [li.select_one(".page").get_text() for li in toc.select("ol > li")]  # the guide to quoting has none
    assert numbers == [str(state["parts"][t.removeprefix("part-")]) for t in targets]  # the numbers of the PDF printed from it


def test_a_longer_front_sheet_is_set_tighter_to_stay_on_one_page(built, tmp_path):
    """More findings than the period has: the front sheet is set more tightly (tighter lines first, then a smaller
    type) and keeps one page."""
    import asyncio

    from analysis.pipeline.exporters import ReportHTMLExporter
    from analysis.pipeline.printer import Printer

    exporter = ReportHTMLExporter()
    parts = [combined.read_part(name, outputs.load(built / "en" / f"{name}.ipynb"), False, exporter) for name in registry.ids()]
    longer = max(parts, key=lambda part: max((len(f.text) for f in part.findings if f.role == "finding"), default=0))
    longest = max((f for f in longer.findings if f.role == "finding"), key=lambda f: len(f.text))
    longer.findings = longer.findings + [longest] * 2  # some ten lines more (the longest finding runs to five)
    html, pdf = tmp_path / "dossier.html", tmp_path / "dossier.pdf"

    async def run():
        async with Printer() as printer:
            return await combined.print_document(printer, "en", parts, "publisher", html, pdf)

    pages = asyncio.run(run())
    sheet = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one(f"#part-{combined.FRONT_PART}")
    assert "fit-1" in sheet["class"], "the longer front sheet fitted as it was: lengthen it so that the test sets it tighter"
    reader = PdfReader(str(pdf))
    assert _squeeze(Lang("en").t("doc.front.follow_up")) in _squeeze(reader.pages[1].extract_text())
    assert _squeeze(Lang("en").t("doc.contents")) in _squeeze(reader.pages[2].extract_text())
    assert pages[registry.ids()[0]] == combined.FIRST_CHAPTER_PAGE


@pytest.mark.parametrize("lang", LANGS)
def test_annex_holds_every_figure_by_code_and_the_reader_pages_none(built, lang):
    L = Lang(lang)
    state = json.loads((built / ".build-state.json").read_text())["combined"][lang]
    reader = PdfReader(str(built / f"combined-{lang}.pdf"))
    outline = _outline(reader)
    # the annex's two parts are its sub-entries: the method, then the figures by source
    assert outline[-5:] == [
        L.t("section.sources"),
        L.t("doc.annex.title"),
        L.t("doc.method.title"),
        L.t("doc.annex.figures"),
        L.t("doc.derived.title"),
    ]
    annex = " ".join(page.extract_text() for page in reader.pages[state["parts"]["annex"] - 1 :])
    cited = set()
    for name in registry.ids():
        found = outputs.read(built / lang / f"{name}.ipynb").sources
        cited |= {c.figure_id for c in found.citations if c.figure_id != c.source_id} if found else set()
    assert cited and all(re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", annex) for code in cited)
    assert annex.index("O8 ") < annex.index("O10 ") and annex.index("O9 ") < annex.index("O10 ")  # natural order
    # no id on any page a reader reads: the front matter, the chapters, the list of sources
    ids = _ids()
    for number, page in enumerate(reader.pages[: state["parts"]["annex"] - 1], 1):
        words = set(re.findall(r"[\w-]+", page.extract_text()))
        assert not ids & words, (number, ids & words)
    # the single reports end in a short list of sources in words, without ids
    text = pdf_text(built / lang / "q1.pdf")
    assert L.t("section.sources") in text and "OE-2021-01-02-VDAB" not in text and "Ref." not in text


@pytest.mark.parametrize("lang", LANGS)
def test_tables_and_charts_name_their_sources_in_words(built, lang):
    L = Lang(lang)
    for name in ("q1", "q4", "q5", "q6", "q7"):
        page = BeautifulSoup((built / lang / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        assert not [th for th in page.select("table.data th") if th.get_text().strip() == L.t("table.ref")], name
        lines = [p.get_text() for p in page.select(".source-line")]
        found = outputs.read(built / lang / f"{name}.ipynb")
        with_refs = [t for t in found.tables if any(row.refs for row in t.rows)]
        assert len(lines) >= len(with_refs) + len(found.charts), (name, lines)
        prefixes = tuple(L.t(f"source_line.{n}", sources="\x00").split("\x00")[0] for n in ("one", "other"))
        assert lines and all(line.startswith(prefixes) for line in lines), lines
    q5 = BeautifulSoup((built / lang / "q5.html").read_text(encoding="utf-8"), "html.parser")
    assert L.t(
        "source_line.one", sources=L.t("source_line.recomputed", sources=L.t("source_line.answer_table", n="5", table="1"))
    ) in [p.get_text() for p in q5.select(".source-line")]


@pytest.mark.parametrize("lang", LANGS)
def test_cover_names_the_question_the_answer_the_version_and_who_made_it(built, lang):
    L = Lang(lang)
    cover = " ".join(
        unicodedata.normalize("NFKC", PdfReader(str(built / f"combined-{lang}.pdf")).pages[0].extract_text()).split()
    )
    sources = pd.read_csv(config.DATA_DIR / "sources.csv", dtype=str).fillna("").set_index("source_id")
    question, answer, annex = sources.loc["wq-question"], sources.loc["wq-answer"], sources.loc["wq-annex-1"]
    assert question.title in cover and L.partial_date(question.date) in cover
    assert answer[f"author_{lang}"] in cover and L.partial_date(answer.date) in cover
    assert L.partial_date(annex.date) in cover and L.date(dt.date(2021, 4, 8)) in cover
    built_on = dt.datetime.fromtimestamp(int(EPOCH), tz=dt.UTC).date()
    version = f"{L.t('doc.colophon.version')} {L.date(built_on)}"  # 'Versie 1 januari 2026', not 'Versie Versie van …'
    assert version in cover and L.t("doc.version", date="") not in cover and "Stand van" not in cover and "As of" not in cover
    assert cover.count(L.t("doc.publisher_default")) == 1
    # reports.yml names no responsible publisher: the cover says what the dossier is instead
    assert cover.count(f"{L.t('doc.colophon.status')} {L.t('doc.colophon.status_working')}") == 1
    assert L.t("doc.colophon.responsible_publisher") not in cover and L.t("doc.colophon.contact") not in cover
    # the data's 2021 figures are provisional: the cover says the dossier keeps them so
    assert " ".join(L.t("doc.scope_statement", provisional=L.t("doc.scope_provisional")).split()) in " ".join(cover.split())


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_metadata_and_bookmarks_come_from_the_catalogue_and_headings(built, lang):
    L = Lang(lang)
    for pdf in (built / f"combined-{lang}.pdf", built / lang / "q4.pdf"):
        reader = PdfReader(str(pdf))
        meta = reader.metadata
        assert meta.subject == L.t("doc.subtitle") and meta.author == L.t("doc.publisher_default") and meta.title
        assert "/Contact" not in meta and "/ResponsiblePublisher" not in meta  # reports.yml names neither
        assert reader.trailer["/Root"]["/Lang"] == lang
        outline = _outline(reader)
        assert L.t("q4.title") in outline, outline  # a title that wraps keeps its spaces
        assert all("  " not in t for t in outline)


@pytest.mark.e2e
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
        # an address is a published one; a source without one says in its note that the source document names none
        assert row.url.startswith(("http://", "https://")) or "geen eigen adres" in row.note_nl, row.source_id
        text = f"{row.url} {row.note_nl} {row.note_en}".lower()
        for path_word in ("local copy", "lokale kopie", "shared/", "/work/"):
            assert path_word not in text, (row.source_id, path_word)


def test_landing_page_is_for_readers_and_the_build_page_for_maintainers(built):
    page = (built / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert [s["lang"] for s in soup.select("section[lang]")] == ["nl", "en"]  # Dutch first
    built_on = dt.datetime.fromtimestamp(int(EPOCH), tz=dt.UTC).date()
    for lang in LANGS:
        L = Lang(lang)
        section = soup.select_one(f'section[lang="{lang}"]')
        text = " ".join(section.get_text(" ").split())
        assert L.t("doc.version", date=L.date(built_on)) in text and L.t("doc.publisher_default") in text
        assert f"{L.t('doc.colophon.status')}: {L.t('doc.colophon.status_working')}" in text
        links = [a["href"] for a in section.select("a")]
        assert f"combined-{lang}.pdf" in links and f"combined-{lang}.html" in links and f"{lang}/tables.xlsx" in links
        for name in registry.ids():
            assert f"{lang}/{name}.html" in links and f"{lang}/{name}.pdf" in links
            notebook = built / lang / f"{name}.ipynb"
            title = _title(notebook)
            findings = outputs.read(notebook).findings
            shown = [f.text for f in findings if f.role in ("headline", "finding")]  # derived figures: the annex's
            gist = shown[0] if shown else _first_answer(notebook)
            assert title in text and " ".join(gist.split())[:50] in text, (lang, name)
        # the tables for reuse: the workbook, every CSV file of the dossier's chapters and their description
        csvs = sorted(
            f"{lang}/{p.name}" for pattern in ("q*-table-*.csv", "q*-derived.csv") for p in (built / lang).glob(pattern)
        )
        assert csvs and sorted(link for link in links if link.endswith(".csv")) == csvs
        derived = [a.get_text() for a in section.select("a") if a["href"].endswith("-derived.csv")]
        assert derived and set(derived) == {L.t("index.reuse.derived")}  # named for what they hold, not 'tabel 3'
        assert f"{lang}/datapackage.json" in links and L.t("index.reuse") in text
        assert not any(link.endswith(".ipynb") for link in links)
    visible = " ".join(section.get_text(" ") for section in soup.select("section[lang]")).lower()
    for machinery in ("fingerprint", "vingerafdruk", "lang=", "t00:00", "notebook", "parameters", "hash"):
        assert machinery not in visible, machinery
    assert "<code>" not in page
    assert 'href="build.html"' in page
    build_page = (built / "build.html").read_text(encoding="utf-8")
    assert build_page.count('<tr class="built">') == 14
    state = json.loads((built / ".build-state.json").read_text())
    for label, entry in state["reports"].items():
        assert f"<code>{entry['fingerprint']}</code>" in build_page and f"{label}.ipynb" in build_page
    assert 'href="nl/q1-table-1.csv"' in build_page and 'href="en/datapackage.json"' in build_page


def test_one_off_runs_are_on_the_build_page_not_among_the_dossier(tmp_path):
    """A run with -p overrides (written as q5--months-2) is not a report of the dossier."""
    from analysis.pipeline.plan import State

    state = State(tmp_path)
    entry = {"status": "built", "parameters": {"lang": "nl"}, "fingerprint": "abc", "seconds": 1.0, "finished": "2026-01-01"}
    state.data["reports"] = {"nl/q5": {**entry, "name": "q5"}, "nl/q5--months-2": {**entry, "name": "q5"}}
    for stem in ("q5", "q5--months-2"):
        (tmp_path / "nl").mkdir(exist_ok=True)
        (tmp_path / "nl" / f"{stem}.html").write_text("<html></html>", encoding="utf-8")
    index.write(tmp_path, state)
    landing = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="nl/q5.html"' in landing and "q5--months-2" not in landing
    build_page = (tmp_path / "build.html").read_text(encoding="utf-8")
    other = build_page.index(Lang("nl").t("build.other"))
    assert build_page.index('href="nl/q5--months-2.html"') > other > build_page.index('href="nl/q5.html"')


def test_the_landing_page_lists_the_tables_for_reuse(tmp_path):
    """The workbook, the description of the CSV files and the CSV files of each chapter, in the reader's language."""
    from analysis.pipeline.plan import State

    state = State(tmp_path)
    entry = {"status": "built", "parameters": {}, "fingerprint": "abc", "seconds": 1.0, "finished": "2026-01-01"}
    state.data["reports"] = {f"{lang}/q5": {**entry, "name": "q5"} for lang in LANGS}
    state.data["tables"] = {f"{lang}/q5": {"csv": ["q5-table-1.csv", "q5-table-2.csv"]} for lang in LANGS}
    for lang in LANGS:
        (tmp_path / lang).mkdir()
        for name in ("q5.html", "q5-table-1.csv", "q5-table-2.csv", "datapackage.json", "tables.xlsx"):
            (tmp_path / lang / name).write_text("x", encoding="utf-8")
    index.write(tmp_path, state)
    soup = BeautifulSoup((tmp_path / "index.html").read_text(encoding="utf-8"), "html.parser")
    for lang in LANGS:
        L = Lang(lang)
        section = soup.select_one(f'section[lang="{lang}"]')
        heading = next(h for h in section.select("h3") if h.get_text() == L.t("index.reuse"))
        reuse = heading.find_next_sibling("ul")
        links = {a["href"]: a.get_text() for a in reuse.select("a")}
        assert links == {
            f"{lang}/tables.xlsx": L.t("index.tables"),
            f"{lang}/datapackage.json": L.t("index.reuse.package"),
            f"{lang}/q5-table-1.csv": L.t("index.reuse.table", n=1),
            f"{lang}/q5-table-2.csv": L.t("index.reuse.table", n=2),
        }
        assert L.t("index.reuse.csv") in reuse.get_text()


def test_tables_as_csv_with_figure_ids_and_sources(built):
    rows = list(csv.DictReader((built / "en" / "q1-table-1.csv").open(encoding="utf-8")))
    assert list(rows[0])[:2] == ["Row", "Channel"] and list(rows[0])[-2:] == ["Ref.", "Sources in full"]
    vdab = next(r for r in rows if r["Ref."] == "OE-2021-01-02-VDAB")
    assert (
        vdab["Value"] == "62297" and "Antwoord op de schriftelijke vraag" in vdab["Sources in full"]
    )  # the number, not '62,297'
    nl = list(csv.DictReader((built / "nl" / "q5-table-1.csv").open(encoding="utf-8")))
    assert list(nl[0])[-1] == "Bronnen (volledig)" and any(r["Waarde"] == "4240" and r["Kolom"] == "2020" for r in nl)
    # every table of the page has its file, and no more; the data package describes each, and frictionless agrees
    for lang in LANGS:
        for name in ("q1", "q5", "q6", "q7"):
            page = (built / lang / f"{name}.html").read_text(encoding="utf-8")
            count = page.count('<table class="data">')
            assert len(outputs.read(built / lang / f"{name}.ipynb").tables) == count, (lang, name)
            assert sorted(p.name for p in (built / lang).glob(f"{name}-table-*.csv")) == [
                f"{name}-table-{n}.csv" for n in range(1, count + 1)
            ]
        descriptor = json.loads((built / lang / tables.PACKAGE).read_text(encoding="utf-8"))
        files = [p.name for pattern in ("*-table-*.csv", "*-derived.csv") for p in (built / lang).glob(pattern)]
        assert sorted(r["path"] for r in descriptor["resources"]) == sorted(files)
        report = Package(str(built / lang / tables.PACKAGE)).validate()
        assert report.valid, [e.message for task in report.tasks for e in task.errors][:3]


def test_workbook_has_a_sheet_per_table_with_numbers(built):
    for lang in LANGS:
        L = Lang(lang)
        book = openpyxl.load_workbook(built / lang / "tables.xlsx")
        csvs = sorted((built / lang).glob("q*-table-*.csv"))
        assert book.sheetnames[0] == L.t("doc.contents") and len(book.sheetnames) == len(csvs) + 1
        assert L.t("tables.sheet", chapter=L.t("q1.title").split(" – ")[0], n=1) in book.sheetnames
    sheet = openpyxl.load_workbook(built / "nl" / "tables.xlsx")["Vraag 1, tabel 1"]
    values = [row for row in sheet.iter_rows(values_only=True)]
    header = values[3]
    assert header[0] == "Kanaal" and "Ref." in header
    ref = header.index("Ref.")
    vdab = next(r for r in values if r[ref] == "OE-2021-01-02-VDAB")
    assert 62297 in vdab and "Antwoord op de schriftelijke vraag" in vdab[ref + 1]  # a real number, not the text "62.297"
    # raw values, not the rounded text: the q5 total's change against 9,578 in percent (as in the CSV), shown signed
    rows = [[c for c in row] for row in openpyxl.load_workbook(built / "en" / "tables.xlsx")["Question 5, table 1"].iter_rows()]
    header = [c.value for c in rows[3]]
    at = {name: header.index(name) for name in header}
    total = next(r for r in rows if r[1].value == "All actions")
    change, rel = total[at["Change (contact-learning actions started)"]], total[at["Change on 2020 (%)"]]
    assert change.value == -701 and change.number_format == '"+"#,##0;"−"#,##0;#,##0'
    assert rel.value == pytest.approx((8877 / 9578 - 1) * 100, abs=1e-10) and rel.number_format == '"+"0.0"%";"−"0.0"%";0.0"%"'
    # a column of numbers holds numbers only: 'n/a (base 0)' and '×33' stand beside it, the ratio as a number
    base0 = next(r for r in rows if r[at["2020 (contact-learning actions started)"]].value == 0)
    assert base0[at["Change on 2020 (%)"]].value is None and base0[at["Change on 2020: Shown as"]].value == "n/a (base 0)"
    assert base0[at["2020: Status"]].value == "imputed-from-total"  # the source's empty cell, flagged where it is
    multiple = next(r for r in rows if r[at["Change on 2020: Shown as"]].value == "×33")
    assert multiple[at["Change on 2020: Ratio to the base"]].value == pytest.approx(524 / 16)
    assert all(
        r[at["2021: Provisional"]].value is True
        for r in rows[4:]
        if r[at["2021 (contact-learning actions started)"]].value is not None
    )


def _notebook_showing(*fragments):
    """A minimal executed notebook whose one cell displays each fragment as Jupyter would."""
    import nbformat

    cell = nbformat.v4.new_code_cell("")
    for fragment in fragments:
        data, meta = fragment._repr_mimebundle_()
        cell.outputs.append(nbformat.v4.new_output("display_data", data=data, metadata=meta))
    return nbformat.v4.new_notebook(cells=[cell])


def test_a_block_two_chapters_share_is_printed_once_and_referred_back_to():
    """render.shared marks a block; the dossier prints it in the first chapter that shows it and replaces a word-for-word
    repeat by nothing (the text around it says what it holds). A block that differs is printed again."""
    from analysis.report.render import Html, shared

    L = Lang("nl")
    table = shared("de aangehaalde uitspraken", Html("<table><tr><td>bijna 63.000</td></tr></table>"))
    other = shared("de aangehaalde uitspraken", Html("<table><tr><td>ongeveer 29.000</td></tr></table>"))
    seen: dict[str, int] = {}
    first = combined.refer_back(_notebook_showing(Html("<p>eerst</p>"), table), L, seen, 1)
    again = combined.refer_back(_notebook_showing(Html("<h2>Uitspraken</h2>") + table + Html("<p>erna</p>"), other), L, seen, 6)
    first_html = [o.data["text/html"] for o in first.cells[0].outputs]
    again_html = [o.data["text/html"] for o in again.cells[0].outputs]
    assert first_html[1] == str(table)  # the first time: the block itself
    # a repeat: only the block is replaced, what the same output shows around it stays
    assert again_html[0] == "<h2>Uitspraken</h2><p>erna</p>"
    assert again_html[1] == str(other)  # not the same block: printed
    assert len(seen) == 2 and sorted(seen.values()) == [1, 6]
    # a block the summary shows from its records: left out even the first time, nothing noted
    summary = shared("wat het antwoord per deelvraag geeft", Html("<table><tr><td>1a</td></tr></table>"), in_summary=True)
    pointed = combined.refer_back(_notebook_showing(summary), L, seen, 6)
    assert pointed.cells[0].outputs[0].data["text/html"] == ""
    assert len(seen) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_a_chapter_exported_ahead_is_the_one_the_dossier_exports(built, lang):
    """The build exports each chapter while other reports still run, as it prints when no earlier chapter printed one of
    its shared blocks; the dossier takes it only when that holds (combined.refers_back), so it is the very same body."""
    import asyncio

    from analysis.pipeline import manifest
    from analysis.pipeline.export import Exporter

    m = manifest.load(config.MANIFEST_PATH)
    # the chapter with the quoted statements' table once more at the end: a block an earlier chapter printed, which the
    # second one refers back to (the dossier's own chapters print each shared block once)
    names = m.combined.answers + m.combined.context + ["q6"]
    exporter = Exporter()
    L = Lang(lang)
    seen: dict[str, int] = {}
    referring = []

    async def compare() -> None:
        for number, name in enumerate(names, 1):
            path = built / lang / f"{name}.ipynb"
            nb = outputs.load(path)
            refers = combined.refers_back(nb, seen)
            _, shown = combined.chapter(nb, L, seen, number)
            _, ahead = await combined.prepare_chapter(path, lang, number, exporter)
            if refers:
                referring.append(name)
            else:
                assert ahead == await exporter.body(shown), name

    asyncio.run(compare())
    assert referring, "no chapter refers back to an earlier one's block: the case the dossier must export itself is untested"


@pytest.mark.notebook
@pytest.mark.parametrize("lang", LANGS)
def test_the_guide_to_quoting_sorts_each_chapters_lines_under_their_kind_on_the_contents_page(front, lang):
    """Which figures a member may quote as they stand, only with their definition, or not as official figures (the
    committee adviser, rounds 10, 13 and 14): each line written from its chapter's figures, under its kind, pointing
    to its chapter; on another period the lines follow that period's figures, and a period without such figures
    gets no guide at all."""
    L = Lang(lang)
    _, parts, _ = front("data", lang)
    guide = BeautifulSoup(combined.quote_guide_html(L, parts), "html.parser")
    kinds = [h.get_text() for h in guide.select("h3")]
    assert kinds == [L.t(f"doc.quote.{k}") for k in ("safe", "with_definition", "not_official")]
    text = guide.get_text(" ")
    assert "62.297" in text or "62,297" in text  # the platform's enrolments: safe, as enrolments
    assert ("29.000" in text or "29,000" in text) and ("1.258" in text or "1,258" in text)  # not as official / private
    assert ("14.344" in text or "14,344" in text) and ("−33,5%" in text or "−33.5%" in text)
    assert all(li.select_one(".where") for li in guide.select("li"))
    page = combined.document_html(lang, parts, None, None)
    assert page.index(L.t("doc.contents")) < page.index(L.t("doc.quote.title")) < page.index('id="part-q1"')
    # another period: its own figures, and no line for a figure that period does not have
    _, falls, _ = front("everything_falls", lang)
    other = BeautifulSoup(combined.quote_guide_html(L, falls), "html.parser").get_text(" ")
    assert "62.297" not in other and "62,297" not in other
    with pytest.raises(ValueError, match="quote kind"):
        open_report("q1", lang=lang).quote_note("official", "x", [])
    assert combined.quote_guide_html(L, [combined.Part("x", "X", "", False, [], None, [], False)]) == ""


@pytest.mark.notebook
@pytest.mark.parametrize("lang", LANGS)
def test_the_cover_names_late_registrations_only_where_a_figure_is_provisional(front, lang):
    """The scope statement speaks of figures that may still rise only when a chapter has one (scenario read, round 43:
    'everything falls' has no provisional figure, yet the cover said the answer flags late registrations)."""
    L = Lang(lang)
    credits = manifest.Credits(L.t("doc.publisher_default"))
    for case, provisional in (("data", True), ("everything_falls", False)):
        _, parts, _ = front(case, lang)
        assert any(p.provisional for p in parts) is provisional
        cover = BeautifulSoup(combined.cover_html(L, parts, credits, dt.date(2026, 12, 3)), "html.parser")
        said = cover.select_one("p.scope-statement").get_text()
        assert (L.t("doc.scope_provisional") in said) is provisional
        assert said == L.t("doc.scope_statement", provisional=L.t("doc.scope_provisional") if provisional else "")


@pytest.mark.parametrize(
    ("scope", "words"), [(True, "index.summary"), (False, "index.summary_findings"), (None, "index.summary")]
)
def test_the_landing_page_says_what_the_summary_holds(tmp_path, scope, words):
    """The link to the summary names the scope table and follow-up questions only when the summary has them (scenario
    read, round 43: an answer cited for the comparison year only gives none); a state from before the flag keeps the
    full words. The technical page names the computed figures' CSV file as such, not as a table."""
    from analysis.pipeline.plan import State

    state = State(tmp_path)
    entry = {"status": "built", "parameters": {}, "fingerprint": "abc", "seconds": 1.0, "finished": "2026-01-01"}
    state.data["reports"] = {"nl/q5": {**entry, "name": "q5"}}
    state.data["tables"] = {"nl/q5": {"csv": ["q5-table-1.csv", "q5-derived.csv"]}}
    combined_state = {"key": "k", "pages": 20, "parts": {}}
    state.data["combined"] = {"nl": combined_state if scope is None else {**combined_state, "scope": scope}}
    (tmp_path / "nl").mkdir()
    for name in ("q5.html", "q5-table-1.csv", "q5-derived.csv"):
        (tmp_path / "nl" / name).write_text("x", encoding="utf-8")
    for name in ("combined-nl.pdf", "combined-nl.html"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    index.write(tmp_path, state)
    soup = BeautifulSoup((tmp_path / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one('a[href="combined-nl.html#part-front"]').get_text() == Lang("nl").t(words)
    build_page = BeautifulSoup((tmp_path / "build.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"]: a.get_text() for a in build_page.select("a")}
    assert links["nl/q5-derived.csv"] == Lang("nl").t("build.csv_derived")
    assert links["nl/q5-table-1.csv"] == Lang("nl").t("build.csv", n=1)
