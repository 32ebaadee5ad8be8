import string

import pytest

from analysis.errors import ConfigError
from analysis.report.i18n import TABLE, Lang, catalogue


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
    assert nl.pct(-113.7) == "\u2212113,7%" and en.pct(32.8, signed=True) == "+32.8%"
    assert nl.num(-1942) == "\u22121.942" and en.signed(-701) == "\u2212701" and en.signed(1241) == "+1,241"
    assert en.signed(0) == "0" and nl.pct(0.0, signed=True) == "0,0%"
    assert nl.ratio(2.148, 2) == "2,15" and en.ratio(2.148, 2) == "2.15"


def test_ranges_of_values_in_text_and_tables():
    nl, en = Lang("nl"), Lang("en")
    assert nl.ratio_range(2.104, 2.226) == "2,10 tot 2,23" and en.ratio_range(2.104, 2.226) == "2.10 to 2.23"
    assert nl.ratio_range(1.862, 1.916, 2, TABLE) == "1,86\u20131,92"
    assert nl.ratio_range(1.862, 1.916, 1) == "1,9"  # equal once rounded: one value, not '1,9 tot 1,9'


def test_periods_and_months():
    nl, en = Lang("nl"), Lang("en")
    assert nl.period(2021, [1, 2]) == "januari en februari 2021"
    assert en.period(2021, [1, 2]) == "January and February 2021"
    assert nl.period(2021, [1, 2], TABLE) == "januari\u2013februari 2021"
    assert nl.period(2021, [1, 3]) == "januari en maart 2021"
    assert nl.period_range("2019-03", "2019-08") == "maart tot en met augustus 2019"
    assert en.period_range("2019-03", "2019-08") == "March to August 2019"
    assert nl.period_range("2019-03", "2019-08", TABLE) == "maart\u2013augustus 2019"
    assert nl.period_range("2019-11", "2020-02", TABLE) == "november 2019\u2013februari 2020"
    assert en.period_range("2015-01", "2015-12") == "2015"


def test_dates_in_words():
    nl, en = Lang("nl"), Lang("en")
    assert nl.partial_date("2021-04-08") == "8 april 2021" and en.partial_date("2021-04-08") == "8 April 2021"
    assert nl.partial_date("2021-04") == "april 2021" and en.partial_date("2021") == "2021"
    assert nl.partial_date("about 2021") == "about 2021"  # not a date: shown as given, never guessed


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
        *(f"q4.short.partial.{case}" for case in ("both", "employee_or_temporarily_unemployed", "jobseeker", "none")),
        "q4.refused.partial",
        "q4.finding.partial",  # the group's definition: declarations since March 2020
        "q4.quote.partial",  # the same definition, in the guide to quoting
        "q4.table.caption",
        "q4.table.note",
        "q6.short.impossible",
    }
    for key, texts in catalogue().items():
        if key in allowed:
            continue
        for text in texts.values():
            assert not re.search(r"\d{3,}|\d[.,]\d", text), (key, text)


def test_counts_in_running_text_are_words_from_one_to_nineteen_and_digits_otherwise():
    nl, en = Lang("nl"), Lang("en")
    assert [nl.count(n) for n in (1, 2, 8, 19)] == ["één", "twee", "acht", "negentien"]
    assert [en.count(n) for n in (1, 5, 12)] == ["one", "five", "twelve"]
    assert nl.count(20) == "20" and nl.count(1258) == "1.258" and en.count(1258) == "1,258"
    assert nl.count(0) == "0"  # no word for zero: "geen" or "none" is a sentence of its own, worded by the caller
