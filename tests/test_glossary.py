"""The catalogue speaks VDAB's language: glossary terms are used, drifting synonyms are not."""

from __future__ import annotations

import re

import pytest

from analysis.report.i18n import LANGS, catalogue, glossary


def _word(term: str) -> re.Pattern:
    """A term as the start of a word, so 'inschrijving' also finds 'inschrijvingen'."""
    return re.compile(rf"(?<![\w-]){re.escape(term)}", re.IGNORECASE)


def _texts(lang: str) -> dict[str, str]:
    return {k: v[lang] for k, v in catalogue().items()}


def test_every_entry_has_a_term_and_a_meaning_in_both_languages():
    for name, entry in glossary().items():
        assert set(entry) == set(LANGS), name
        for lang in LANGS:
            assert entry[lang]["term"].strip() and entry[lang]["meaning"].strip(), (name, lang)
            assert isinstance(entry[lang]["avoid"], list), (name, lang)
            assert not any(_word(a).match(entry[lang]["term"]) for a in entry[lang]["avoid"]), (name, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogue_uses_the_glossary_terms(lang):
    text = "\n".join(v[lang] for v in catalogue().values())
    unused = [
        e[lang]["term"] for name, e in glossary().items() if name != "fact_check" and not _word(e[lang]["term"]).search(text)
    ]
    assert not unused, unused


@pytest.mark.parametrize("lang", LANGS)
def test_the_chapter_checking_the_figures_is_named_neutrally(lang):
    """'Checking the figures in the answer', never 'fact-check': the q6 title and the q5 cross-reference."""
    text = "\n".join(v[lang] for v in catalogue().values())
    assert _word(glossary()["fact_check"][lang]["term"]).search(text)


def _drift(texts: dict[str, str], lang: str) -> list[tuple[str, str]]:
    found = []
    for entry in glossary().values():
        for synonym in entry[lang]["avoid"]:
            found += [(key, synonym) for key, text in texts.items() if _word(synonym).search(text)]
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_no_drifting_synonyms_in_the_catalogue(lang):
    assert not _drift(_texts(lang), lang)


def test_the_drift_check_finds_a_synonym():
    """The check above is not vacuous: a catalogue text with 'opleidingsniveau' is caught."""
    assert _drift({"x": "Uitgesplitst naar opleidingsniveau."}, "nl") == [("x", "opleidingsniveau")]
