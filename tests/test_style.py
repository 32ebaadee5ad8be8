"""The mechanical rules of the style sheets (docs/style/nl.md and docs/style/en.md).

Each rule runs on every catalogue text (messages.yml, both languages) and on the reader text of every
report in both languages: the notebooks' own calls, run in this process (tests/inprocess.py) on the
project's data and once more with synthetic extracts, so the texts that only show with an extract
(course ranking, participant tables and their disclosure notes) are read too.

- small counts: no number from 1 to 19 standing alone in running text (words: ``Lang.count``);
- no tilde for an approximate figure (``ca.``, ``about``), in text, tables and charts;
- no straight quotes or apostrophes;
- every ‘…’ quotation is in the quote ledger (docs/style/quotes.csv): the source's own words;
- none of the phrases the style sheet lists (its last section, read here);
- none of the glossary's synonyms to avoid, in the built text too (the catalogue is tests/test_glossary.py's).
"""

from __future__ import annotations

import base64
import csv
import functools
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis import config
from analysis.report.i18n import LANGS, catalogue, glossary
from tests import inprocess
from tests.helpers import copy_data, write_extracts
from tests.test_reader_text import split_reader_text

STYLE_DIR = config.PROJECT_DIR / "docs" / "style"
LEDGER = STYLE_DIR / "quotes.csv"
#: The source document (the written question and its answer), when a copy is at hand: the ledger is checked against it.
SOURCE_TEXT_ENV = "ANALYSIS_SOURCE_TEXT"
#: Reports that show more with an extract: read a second time on the project's data plus synthetic extracts.
WITH_EXTRACTS = ("q2", "q3", "q4")

MONTH_WORDS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}
#: Words before a number that names rather than counts: 'vraag 1', 'bijlage 1', 'tabel 1', 'type 2', 'p. 5'.
LABEL_WORDS = {
    "nl": r"vraag|vragen|antwoord|antwoorden|bijlage|tabel|type|types|rij|kolom|hoofdstuk|hoofdstukken|pagina|p\.|nr\.",
    "en": r"question|questions|answer|answers|annex|table|tables|type|types|row|column|chapter|chapters|page|p\.|no\.",
}
#: Units that keep a digit: '5%', '8 pt', '5,7 s'.
UNITS = r"%|pt\b|s\b|km\b|kg\b|€|EUR\b|procent\b|per cent\b|percent\b"
SMALL = re.compile(r"(?<![\w.,/\-−+×<>≤≥±‰])(1[0-9]|[1-9])(?![\w])")
NUMBER = r"\d[\d.,]*"


# --------------------------------------------------------------------------------- the rules
def _without_quotations(text: str) -> str:
    """The text outside ‘…’ and “…” (a closing ’ is not followed by a letter: ‘VDAB’s’ stays inside)."""
    return re.sub(r"‘.*?’(?![^\W\d_])|“[^”]*”", " ", text, flags=re.S)


def quotations(text: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in re.finditer(r"‘(.*?)’(?![^\W\d_])|“([^”]*)”", text, flags=re.S)]


def _snippet(text: str, start: int, end: int, before: int = 25, after: int = 25) -> str:
    return "…" + re.sub(r"\s+", " ", f"{text[max(0, start - before) : start]}[{text[start:end]}]{text[end : end + after]}") + "…"


def _is_larger(number: str, lang: str) -> bool:
    """A range end that keeps the range in digits: 20 or more, or with a decimal."""
    decimal = "," if lang == "nl" else "."
    if decimal in number.rstrip(".,"):
        return True
    digits = re.sub(r"\D", "", number)
    return bool(digits) and int(digits) >= 20


def small_counts(text: str, lang: str) -> list[str]:
    """Numbers from 1 to 19 in running text that stand alone as a count (quotations of the source aside)."""
    text = _without_quotations(text)
    months = MONTH_WORDS[lang].replace(" ", "|")
    label = re.compile(rf"(?:\b(?:{LABEL_WORDS[lang]})\s+(?:{NUMBER}[a-z]?(?:\s*,\s*|\s+(?:en|and|of|or)\s+))*)$", re.I)
    found = []
    for m in SMALL.finditer(text):
        before, after = text[max(0, m.start() - 60) : m.start()], text[m.end() : m.end() + 40]
        if re.match(rf"\s?(?:{UNITS})", after):  # a unit or a percentage
            continue
        if re.match(r"[.,]\d", after):  # a decimal
            continue
        if re.search(r"[<>≤≥±×+−]\s?$", before):  # a mark or sign: '< 5', '± 3'
            continue
        if re.match(rf"\s+(?:{months})\b", after, re.I):  # a day in a date: '8 april 2021'
            continue
        if label.search(before):  # a number that names: 'vraag 1', 'types 1 en 3'
            continue
        if before.endswith("(") and after.startswith(")"):  # a numbered label: '(3) enkel uren thuisleren'
            continue
        upper = re.match(rf"\s*(?:tot en met|tot|naar|à|–|to|and|en)\s*({NUMBER})", after)
        lower = re.search(rf"({NUMBER})\s*(?:tot en met|tot|naar|à|–|to|and|en)\s*$", before)
        if (upper and _is_larger(upper[1], lang)) or (lower and _is_larger(lower[1], lang)):  # '1 tot 2,25'
            continue
        found.append(_snippet(text, m.start(), m.end()))
    return found


def tildes(text: str, lang: str) -> list[str]:
    return [_snippet(text, m.start(), m.end()) for m in re.finditer("~", text)]


def straight_quotes(text: str, lang: str) -> list[str]:
    return [_snippet(text, m.start(), m.end()) for m in re.finditer("['\"]", text)]


@functools.cache
def ledger() -> list[dict[str, str]]:
    with open(LEDGER, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _quotable(lang: str) -> set[str]:
    """What a report in ``lang`` may quote: the source's words, and in English our translation of exactly those words."""
    allowed = {row["text_nl"] for row in ledger()}
    if lang == "en":
        allowed |= {row["text_en"] for row in ledger() if row["text_en"]}
    return allowed | {q[:1].upper() + q[1:] for q in allowed}  # a quotation may open a sentence


def unledgered_quotes(text: str, lang: str, extra: frozenset[str] = frozenset()) -> list[str]:
    """Quotations not in the ledger. In a catalogue text a {placeholder} stands for any words (its value is checked in
    the reports): ‘{annex_title}’ passes, and so does ‘% verschil {year} t.o.v. {compare}’ for the ledger's column header."""
    allowed = _quotable(lang) | extra
    out = []
    for quoted in quotations(text):
        plain = re.sub(r"\s+", " ", quoted).strip()
        if plain in allowed:
            continue
        if re.fullmatch(r"\{\w+\}", plain):
            continue
        if "{" in plain:
            pattern = "".join(".+" if re.fullmatch(r"\{\w+\}", p) else re.escape(p) for p in re.split(r"(\{\w+\})", plain))
            if any(re.fullmatch(pattern, a) for a in allowed):
                continue
        out.append(f"‘{plain}’")
    return out


@functools.cache
def phrases(lang: str) -> list[re.Pattern]:
    """The patterns of the style sheet's last section ('Phrases we do not write')."""
    text = (STYLE_DIR / f"{lang}.md").read_text(encoding="utf-8")
    section = text[text.index("## 8. Phrases we do not write") :]
    return [re.compile(m[1], re.I) for m in re.finditer(r"^- `([^`]+)`", section, flags=re.M)]


def listed_phrases(text: str, lang: str) -> list[str]:
    text = _without_quotations(text)
    return [f"{p.pattern} → {_snippet(text, m.start(), m.end())}" for p in phrases(lang) for m in p.finditer(text)]


def _word(term: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(term)}", re.IGNORECASE)


def synonyms(text: str, lang: str) -> list[str]:
    text = _without_quotations(text)
    return [f"{synonym!r}" for entry in glossary().values() for synonym in entry[lang]["avoid"] if _word(synonym).search(text)]


#: Each rule, and the parts of a report's text it reads: digits are for running text only (tables and
#: charts keep them); the other rules read everything a reader sees.
RULES = {
    "small-counts": (small_counts, ("prose",)),
    "tilde": (tildes, ("prose", "cells", "sources", "charts")),
    "straight-quotes": (straight_quotes, ("prose", "cells", "sources", "charts")),
    "ledger": (unledgered_quotes, ("prose", "cells", "sources", "charts")),
    "phrases": (listed_phrases, ("prose", "cells", "sources", "charts")),
    "synonyms": (synonyms, ("prose", "cells", "sources", "charts")),
}


# --------------------------------------------------------------------------------- the texts
def catalogue_violations(rule: str, lang: str) -> list[str]:
    """A catalogue text's `code spans` (a command, a call in a notebook's intro) are code, not prose: not read."""
    check, _ = RULES[rule]
    return [f"{key}: {hit}" for key, texts in catalogue().items() for hit in check(re.sub(r"`[^`]*`", "`…`", texts[lang]), lang)]


@dataclass
class Shown:
    """What a reader sees of one report, in the parts the rules read."""

    prose: str
    cells: str
    sources: str
    charts: str
    extra_quotes: frozenset[str] = frozenset()  # names from an extract (course titles), quoted as the annex writes them


def _chart_text(markup: str) -> str:
    """The words in the report's charts (SVG with real text, embedded as data URIs)."""
    texts = []
    for uri in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', markup):
        svg = base64.b64decode(uri).decode("utf-8")
        texts += [html.unescape(re.sub(r"<[^>]+>", " ", t)) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.S)]
    return "\n".join(texts)


def shown(question: str, lang: str, data_dir: Path, extra: frozenset[str] = frozenset()) -> Shown:
    out = inprocess.run(question, data_dir, year=2021, compare_year=2020, months=[1, 2], lang=lang)
    markup = "".join(out.html)
    t = split_reader_text(markup)
    return Shown(t.prose, t.cells, t.sources, _chart_text(markup), extra)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[tuple[str, str, str], Shown]:
    folder = copy_data(tmp_path_factory.mktemp("style") / "data")
    write_extracts(folder)
    courses = frozenset(
        line.split(",")[0].strip('"') for line in (folder / "extracts" / "courses.csv").read_text().splitlines()[1:]
    )
    out = {}
    for lang in LANGS:
        for q in inprocess.QUESTIONS:
            out[(q, lang, "data")] = shown(q, lang, config.DATA_DIR)
        for q in WITH_EXTRACTS:
            out[(q, lang, "extracts")] = shown(q, lang, folder, courses)
    return out


def report_violations(reports: dict[tuple[str, str, str], Shown], rule: str, lang: str) -> list[str]:
    check, parts = RULES[rule]
    found = []
    for (q, code, variant), s in reports.items():
        if code != lang:
            continue
        for part in parts:
            text = getattr(s, part)
            hits = check(text, lang, s.extra_quotes) if rule == "ledger" else check(text, lang)
            found += [f"{q} ({variant}, {part}): {hit}" for hit in hits]
    return found


# --------------------------------------------------------------------------------- the tests
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("rule", RULES)
def test_the_catalogue_follows_the_style_sheet(rule, lang):
    found = catalogue_violations(rule, lang)
    assert not found, f"{len(found)} catalogue text(s) break the rule {rule!r}:\n" + "\n".join(found)


@pytest.mark.notebook
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("rule", RULES)
def test_every_report_follows_the_style_sheet(reports, rule, lang):
    found = report_violations(reports, rule, lang)
    assert not found, f"{len(found)} place(s) in the reports break the rule {rule!r}:\n" + "\n".join(found)


def test_every_report_was_read(reports):
    """The checks above read real text: every report in both languages, with its tables, charts and sources."""
    assert len(reports) == len(LANGS) * (len(inprocess.QUESTIONS) + len(WITH_EXTRACTS))
    for lang in LANGS:
        assert all(reports[(q, lang, "data")].prose for q in inprocess.QUESTIONS)
        assert reports[("q5", lang, "data")].cells and reports[("q5", lang, "data")].charts
        assert reports[("q1", lang, "data")].sources
        assert reports[("q3", lang, "extracts")].cells


# --------------------------------------------------------------------------------- the rules are not vacuous
def test_small_counts_are_found_and_the_allowed_digits_are_not():
    def flagged(hits: list[str]) -> list[str]:
        return [hit.split("[")[1].split("]")[0] for hit in hits]

    bad = "Alle 5 totalen kloppen. Nog 1 uitspraak. (1 tegenover 6 maanden). Wie 2 cursussen volgt. Van 3 naar 12."
    assert flagged(small_counts(bad, "nl")) == ["5", "1", "1", "6", "2", "3", "12"]
    good = (
        "Vraag 1 en antwoord 5; bijlage 1; types 1 en 3; (3) enkel uren thuisleren; 8 april 2021; 24,1%; 5%; "
        "2,2 keer zoveel; 1 tot 2,25 inschrijvingen; < 5; ×33; 62.297; 2021; ‘25-58’; 8 pt; 58 en ouder; vraag 5b."
    )
    assert small_counts(good, "nl") == []
    assert small_counts("Van 16 naar 524.", "nl") == []
    english = "Question 1 and answers 1 and 5; 8 April 2021; 1 to 2.25; from 16 to 524; one of 8 differences."
    assert flagged(small_counts(english, "en")) == ["8"]


def test_tildes_quotes_and_phrases_are_found():
    assert tildes("~110.000", "nl") and not tildes("ca. 110.000", "nl")
    assert straight_quotes("het project 'Digitale opleidingen'", "nl") and straight_quotes("VDAB's platform", "en")
    assert not straight_quotes("zo’n ‘bijna 63.000 opleidingen’", "nl")
    assert unledgered_quotes("Of de uitspraak ‘meer dan 2 keer zoveel’ klopt", "nl") == ["‘meer dan 2 keer zoveel’"]
    assert unledgered_quotes("het aantal is ‘meer dan verdubbeld’; ‘Bijna’ …", "nl") == []
    assert unledgered_quotes("‘more than doubled’", "nl") and not unledgered_quotes("‘more than doubled’", "en")
    assert quotations("‘the minister’s words’ and ‘x’") == ["the minister’s words", "x"]
    assert listed_phrases("wij lezen dat als een afgerond cijfer; dat is geen grens.", "nl")
    assert listed_phrases("Zo’n verschil komt waarschijnlijk uit de definities.", "nl")
    assert not listed_phrases("Het aantal was uitgekomen op ongeveer 33.000; dat volgt uit de tabel.", "nl")
    assert listed_phrases("As soon as VDAB supplies the figures, this report shows them.", "en")
    assert synonyms("het VDAB-platform", "nl") and not synonyms("het leerplatform van VDAB", "nl")


def test_the_style_sheets_list_phrases_in_both_languages():
    for lang in LANGS:
        assert len(phrases(lang)) >= 10, lang


def test_the_ledger_holds_short_phrases_with_their_source():
    """The ledger records the quoted phrases, not the source's sentences: a few words each, with where they stand."""
    with open(config.DATA_DIR / "sources.csv", encoding="utf-8", newline="") as fh:
        sources = {row["source_id"] for row in csv.DictReader(fh)}
    for row in ledger():
        assert row["quote_id"] and row["locator"] and row["text_nl"], row
        assert len(row["text_nl"].split()) <= 8, row
        assert row["source_id"] in sources, row


@pytest.mark.skipif(not os.environ.get(SOURCE_TEXT_ENV), reason=f"set {SOURCE_TEXT_ENV} to a text copy of the source document")
def test_the_ledger_quotes_the_source_word_for_word():
    """With a copy of the source at hand: every ledger phrase stands in it (spaces, line breaks, dashes and case aside)."""

    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"[-‐‑–—]", "–", text)).strip().lower()

    source = norm(Path(os.environ[SOURCE_TEXT_ENV]).read_text(encoding="utf-8"))
    missing = [row["quote_id"] for row in ledger() if row["source_id"].startswith("wq-") and norm(row["text_nl"]) not in source]
    assert not missing
