import string

import pytest

from analysis.errors import ConfigError
from analysis.report.i18n import Lang, catalogue


def _fields(text):
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_has_both_languages_with_the_same_placeholders():
    for key, texts in catalogue().items():
        assert set(texts) == {"nl", "en"}, key
        assert texts["nl"].strip() and texts["en"].strip(), key
        assert _fields(texts["nl"]) == _fields(texts["en"]), key


def test_numbers_are_formatted_for_the_language():
    nl, en = Lang("nl"), Lang("en")
    assert nl.num(62297) == "62.297" and en.num(62297) == "62,297"
    assert nl.pct(24.1) == "24,1%" and en.pct(24.1) == "24.1%"
    assert nl.pct(-113.7) == "-113,7%" and en.pct(32.8, signed=True) == "+32.8%"
    assert nl.ratio(2.148, 2) == "2,15" and en.ratio(2.148, 2) == "2.15"


def test_periods_and_months():
    assert Lang("nl").period(2021, [1, 2]) == "januari–februari 2021"
    assert Lang("en").period(2021, [1, 2]) == "January–February 2021"
    assert Lang("nl").period_range("2019-03", "2019-08") == "maart–augustus 2019"
    assert Lang("en").period_range("2015-01", "2015-12") == "2015"


def test_unknown_language_and_missing_placeholder():
    with pytest.raises(ConfigError, match="expected one of nl, en"):
        Lang("fr")
    with pytest.raises(KeyError, match="needs"):
        Lang("nl").t("q1.short.vdab.other", period="x")


def test_th_escapes_values_but_keeps_catalogue_markup():
    text = Lang("en").th("q1.short.vdab.other", period="<script>", n="1")
    assert "&lt;script&gt;" in text and "<strong>1</strong>" in text


def test_catalogue_types_no_figures_by_hand():
    """Figures in narrative come from data: only definitional numbers (age bands, dates of definitions) are typed."""
    import re

    allowed = {
        "q3.question",
        "q3.caveat.1",
        "cat.age_band.25_to_57",
        "cat.age_band.58_plus",
        "cat.age_band.under_25",
        "q4.short.partial",
        "q4.table.caption",
        "q4.table.note",
        "q7.caveat.2",
        "q6.short.impossible",
        "q6.chart.clipped",
    }
    for key, texts in catalogue().items():
        if key in allowed:
            continue
        for text in texts.values():
            assert not re.search(r"\d{3,}|\d[.,]\d", text), (key, text)
