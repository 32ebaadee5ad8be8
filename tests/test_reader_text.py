"""What a reader sees in the built reports: words for people, not for the project's files and ids.

The reports are read by members of parliament and their staff. These tests read the visible text of
every built HTML report (the PDF is printed from it) and split it the way a reader meets it: running
text, table cells, and the source list. Ids may stand only in Ref. columns and in the source list;
file paths nowhere; Dutch reports carry no English outside quotes and names; numbers, dates and
ranges follow the typography of the language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis import config, registry
from analysis.data.schemas import DATASETS
from analysis.report.i18n import Lang

pytestmark = pytest.mark.e2e

QUESTIONS = registry.ids()
LANGS = ("nl", "en")

MONTHS = {lang: [Lang(lang).month(m) for m in range(1, 13)] for lang in LANGS}

#: Words that are English and not Dutch: enough to catch an English note or label in a Dutch report.
ENGLISH = {
    "the", "and", "with", "from", "which", "figure", "figures", "enrolment", "enrolments", "learner",
    "learners", "question", "answer", "article", "source", "sources", "rounded", "approximate",
    "claim", "claims", "local", "copy", "published", "language", "library", "annex", "dated",
    "between", "holds", "does", "not", "only", "would", "registrations", "participants", "courses",
    "unknown", "yes", "per-course", "should", "recomputed", "explained", "checked", "against",
}  # fmt: skip

#: Names that contain English words and are quoted as names (publishers, titles).
NAMES = ("The Brussels Times",)


@dataclass
class ReaderText:
    prose: str  # running text, captions, notes, alt texts: everything outside tables and the source list
    cells: str  # table cells, without the Ref. column
    sources: str  # the source list (ids and locators allowed here)

    @property
    def all(self) -> str:
        return "\n".join((self.prose, self.cells, self.sources))


def reader_text(path: Path) -> ReaderText:
    return split_reader_text(path.read_text(encoding="utf-8"))


def split_reader_text(markup: str) -> ReaderText:
    """A report's HTML as a reader meets it: running text, table cells and the source list."""
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    for a in soup("a"):
        a.decompose()  # addresses are links, not prose
    for title in soup.select("ol.sources em"):
        title.decompose()  # a source's title is a name, in the language it was published in
    sources = "\n".join(ol.get_text(" ") for ol in soup.select("ol.sources"))
    for ol in soup.select("ol.sources"):
        ol.decompose()
    cells = []
    for table in soup.select("table"):
        headers = [th.get_text(" ").strip() for th in table.select("thead th")]
        ref = {i for i, h in enumerate(headers) if h.rstrip(".").lower() == "ref"}
        for row in table.select("tbody tr"):
            cells.extend(td.get_text(" ") for i, td in enumerate(row.find_all("td")) if i not in ref)
        cells.extend(headers)
        if table.caption:
            cells.append(table.caption.get_text(" "))
        table.decompose()
    alts = [img.get("alt", "") for img in soup("img")]
    body = soup.body or soup
    prose = "\n".join([body.get_text(" "), *alts])
    return ReaderText(prose, "\n".join(cells), sources)


def _without_quotes_and_names(text: str) -> str:
    text = re.sub(r"‘[^’]*’|“[^”]*”|'[^']*'", " ", text)
    for name in NAMES:
        text = text.replace(name, " ")
    return text


def _ids() -> set[str]:
    """Every identifier in the data files: figure, claim, derived-figure, event and source ids."""
    ids = set()
    for name, ds in DATASETS.items():
        path = config.DATA_DIR / f"{name}.csv"
        if ds.subdir or not path.exists():
            continue
        frame = pd.read_csv(path, dtype=str)
        for column in ("figure_id", "claim_id", "derived_id", "event_id", "source_id"):
            if column in frame:
                ids |= set(frame[column].dropna())
    return ids


def _cases(check_name: str, langs=LANGS):
    """(lang, question) pairs, named for the check so a failure says which report broke which rule."""
    out = []
    for lang in langs:
        for q in QUESTIONS:
            out.append(pytest.param(lang, q, id=f"{check_name}-{lang}-{q}"))
    return out


@pytest.fixture(scope="module")
def texts(full_build) -> dict[tuple[str, str], ReaderText]:
    out = full_build[0]
    return {(lang, q): reader_text(out / lang / f"{q}.html") for lang in LANGS for q in QUESTIONS}


# --------------------------------------------------------------------------------- the tests themselves
@pytest.mark.parametrize("lang,q", _cases("paths"))
def test_no_file_paths_or_developer_words(texts, lang, q):
    text = texts[(lang, q)].all
    assert not re.search(r"[\w.-]+/[\w./-]*\.(csv|xlsx|txt|md|py|ipynb|yml)\b", text), re.findall(r"\S+/\S+", text)
    for word in ("data/", "shared/", "extracts/", "README", "Local copy", "Taal:", "Language:", "bibliotheek", "library"):
        assert word not in text, (lang, q, word)


@pytest.mark.parametrize("lang,q", _cases("english", langs=("nl",)))
def test_dutch_reports_hold_no_english_outside_quotes_and_names(texts, lang, q):
    t = texts[(lang, q)]
    text = _without_quotes_and_names(t.all)
    words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]*", text)}
    assert not words & ENGLISH, sorted(words & ENGLISH)


@pytest.mark.parametrize("lang,q", _cases("ids"))
def test_ids_only_in_ref_columns_and_the_source_list(texts, lang, q):
    t = texts[(lang, q)]
    shown = "\n".join((t.prose, t.cells))
    found = sorted(i for i in _ids() if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", shown))
    assert not found, found


@pytest.mark.parametrize("lang,q", _cases("minus"))
def test_negative_numbers_use_the_minus_sign(texts, lang, q):
    text = _without_quotes_and_names(texts[(lang, q)].all)
    hyphens = re.findall(r"(?:^|[\s(×:;/])-\d[\d.,]*%?", text)
    assert not hyphens, hyphens


def test_changes_are_printed_with_the_minus_sign(texts):
    """The other side of the test above: falls in q5 really print as '−7,3%', so the check is not vacuous."""
    for lang in LANGS:
        assert re.search(r"−\d", texts[(lang, "q5")].all), lang


@pytest.mark.parametrize("lang,q", _cases("dates"))
def test_dates_are_written_in_words(texts, lang, q):
    t = texts[(lang, q)]
    iso = re.findall(r"(?<![\w-])(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?:-\d\d)?(?![\w-])", t.all)
    assert not iso, iso
    wrong_case = [m for m in MONTHS["en"] if lang == "nl" and re.search(rf"\b{m}\b", t.prose + t.cells)]
    assert not wrong_case, wrong_case  # Dutch months are lower case; English ones would show an English label


@pytest.mark.parametrize("lang", LANGS)
def test_source_lists_date_their_sources_in_words(texts, lang):
    sources = texts[(lang, "q7")].sources
    assert re.search(rf"\b\d{{1,2}} ({'|'.join(MONTHS[lang])}) \d{{4}}\b", sources), sources[:500]
    assert re.search(rf"\(({'|'.join(MONTHS[lang])}) \d{{4}}\)", sources), sources[:500]


@pytest.mark.parametrize("lang,q", _cases("ranges"))
def test_one_range_style_per_place(texts, lang, q):
    """Running text names ranges in words; tables use an unspaced en dash."""
    t = texts[(lang, q)]
    months = "|".join(MONTHS[lang])
    prose = _without_quotes_and_names(t.prose)
    in_prose = re.findall(rf"\b(?:{months})\s*[–-]\s*(?:{months})\b", prose, flags=re.IGNORECASE)
    assert not in_prose, in_prose
    spaced = re.findall(r"\d\s+–\s+\d|\d\s*-\s*\d[\d,.]*\s*(?:keer|times)", t.all)
    assert not spaced, spaced


def _straight_quotes(text: str) -> list[str]:
    return re.findall(r"(?:^|[\s(])'[^'\s][^']*'", text) + re.findall(r'"[^"]*"', text) + re.findall(r"\.\.\.", text)


@pytest.mark.parametrize("lang,q", _cases("quotes"))
def test_quotes_are_curly(texts, lang, q):
    t = texts[(lang, q)]
    assert not _straight_quotes(t.prose + "\n" + t.cells)


@pytest.mark.parametrize("lang,q", _cases("source-quotes"))
def test_locators_quote_the_source_with_curly_quotes(texts, lang, q):
    """Locators quote the source's words, in curly quotes."""
    assert not _straight_quotes(texts[(lang, q)].sources)


@pytest.mark.parametrize("lang", LANGS)
def test_thousands_are_separated(texts, lang):
    """A count of 1,000 or more is printed with the language's separator, in text and tables alike."""
    for q in QUESTIONS:
        t = texts[(lang, q)]
        bare = [n for n in re.findall(r"(?<![\w.,/-])\d{4,}(?![\w.,/-])", t.prose + t.cells) if not 1990 <= int(n) <= 2100]
        assert not bare, (q, bare)
