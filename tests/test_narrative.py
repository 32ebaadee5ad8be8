"""The wording helpers and the narrative check: words chosen from figures, and read back against them."""

from __future__ import annotations

import pytest

from analysis import config
from analysis.core import change
from analysis.questions import q5_contact_vs_online as q5
from analysis.report import narrative, wording
from analysis.report.frame import Report
from analysis.report.i18n import Lang
from analysis.report.narrative import Figure, NarrativeError
from tests.helpers import cli, notebook_with_extra_cell, write_manifest

NL, EN = Lang("nl"), Lang("en")


def box(text: str) -> str:
    return f'<section class="box box-answer"><h3>Kort antwoord</h3><p>{text}</p></section>'


# ------------------------------------------------------------------------------ wording
@pytest.mark.parametrize(
    "old,new,expected",
    [
        (9578, 8877, change.DOWN),
        (3781, 5022, change.UP),
        (1000, 1000, change.SAME),
        (1000, 1004, change.SAME),  # 0.4% of the larger figure
        (1000, 1006, change.UP),
        (0, 0, change.SAME),
        (0, 5, change.UP),
        (5, 0, change.DOWN),
    ],
)
def test_direction_has_one_threshold(old, new, expected):
    assert change.direction(old, new) == expected


def test_direction_is_symmetric_when_the_years_are_swapped():
    """On the earlier figure as base, 1000 -> 1005 is a rise of 0.5% but 1005 -> 1000 'the same'."""
    opposite = {change.UP: change.DOWN, change.DOWN: change.UP, change.SAME: change.SAME}
    for old, new in [(1000, 1005), (1005, 1000), (200, 201), (16, 524), (0, 3)]:
        assert change.direction(new, old) == opposite[change.direction(old, new)], (old, new)


def test_direction_against_a_rounded_base_needs_the_whole_interval():
    assert change.interval_direction(28500, 29500, 62297) == change.UP
    assert change.interval_direction(28500, 29500, 29200) == change.SAME
    assert change.interval_direction(28500, 29500, 20000) == change.DOWN


def test_plural_follows_the_language():
    assert [wording.plural(NL, n) for n in (0, 1, 2)] == ["other", "one", "other"]
    assert [wording.plural(EN, n) for n in (0, 1, 5)] == ["other", "one", "other"]


def test_changes_are_written_with_the_minus_sign_and_large_rises_as_multiples():
    assert wording.change_text(NL, 9578, 8877) == "−7,3%"
    assert wording.change_text(EN, 3781, 5022) == "+32.8%"
    assert wording.change_text(EN, 16, 524) == "×33"
    assert wording.change_text(EN, 0, 245) == ""
    assert NL.signed(-1942) == "−1.942" and NL.signed(0) == "0"


def test_about_rounds_a_value_that_rests_on_a_rounded_input():
    assert wording.about(EN, 62297 - 29500, 62297 - 28500, 1000) == ("33,000", "32,800", "33,800")


# ------------------------------------------------------------------------------ the check
def test_a_true_sentence_passes():
    text = box("Tegenover januari–februari 2020 daalde het totaal van 9.578 naar 8.877 (−7,3%).")
    figures = [Figure(9578), Figure(8877), Figure((8877 / 9578 - 1) * 100, "pct")]
    assert narrative.check(text, figures, NL, [2021, 2020]) == []


def test_a_wrong_direction_is_caught_and_the_sentence_quoted():
    text = box("Against 2020 the total rose from 9,578 to 8,877 (−7.3%).")
    problems = narrative.check(text, [Figure(9578), Figure(8877), Figure(-7.32, "pct")], EN, [2020], "q5 (en): ")
    assert problems == [
        "q5 (en): 'rose' describes a change whose direction is 'down': “Against 2020 the total rose from 9,578 to 8,877 (−7.3%).”"
    ]


def test_a_signed_percentage_alone_decides_the_direction():
    assert narrative.check(box("Home learning fell (+32.8%)."), [Figure(32.8, "pct")], EN)
    assert not narrative.check(box("Home learning rose (+32.8%)."), [Figure(32.8, "pct")], EN)


def test_a_number_that_no_computation_produced_is_caught():
    problems = narrative.check(box("Online enrolments grew to about 33.297."), [Figure(62297), Figure(29000)], NL)
    assert len(problems) == 1 and "33.297" in problems[0]


def test_a_rounded_input_allows_only_its_rounded_centre_and_ends():
    figure = Figure(33297, low=32797, high=33797, unit=1000)
    assert not narrative.check(box("about 33,000 (between 32,800 and 33,800)"), [figure], EN)
    assert narrative.check(box("about 33,297"), [figure], EN)


def test_a_direction_word_without_figures_is_caught():
    problems = narrative.check(box("Physical training fell as well."), [], EN)
    assert problems and "has no figure" in problems[0]


def test_printed_shares_are_read_with_their_rounding():
    """50.04% -> 50.29% is within the threshold; printed as 50.0% and 50.3% it must still pass as 'the same'."""
    text = box("The share stayed about the same, from 50.0% to 50.3%.")
    assert not narrative.check(text, [Figure(50.04, "pct"), Figure(50.29, "pct")], EN)


def test_report_short_answer_raises_on_a_false_sentence():
    rep = Report.open("q5", year=2021, compare_year=2020, months=[1, 2], lang="en")
    with pytest.raises(NarrativeError, match="rose from 9,578 to 8,877"):
        rep.short_answer(["The total rose from 9,578 to 8,877."], [Figure(9578), Figure(8877)])


def test_the_real_reports_pass_and_carry_their_figures():
    for lang in ("nl", "en"):
        rep = Report.open("q5", year=2021, compare_year=2020, months=[1, 2], lang=lang)
        answer = q5.short_answer(rep, q5.compute(rep))
        _, meta = answer._repr_mimebundle_()
        assert meta["text/html"][narrative.META_KEY]["figures"]


def test_check_notebook_reads_the_executed_outputs():
    good = box("De som daalde van 10 naar 8.")
    meta = narrative.metadata([Figure(10), Figure(8)], NL, [], "q5 (nl): ")
    nb = {"cells": [{"outputs": [{"data": {"text/html": good}, "metadata": {"text/html": meta}}]}]}
    assert narrative.check_notebook(nb) == []
    nb["cells"][0]["outputs"][0]["data"]["text/html"] = good.replace("daalde", "steeg")
    assert narrative.check_notebook(nb)


def test_key_findings_are_checked_where_made_and_again_in_the_executed_notebook():
    """Report.finding runs the narrative check; the record keeps its figures, so the runner checks it again."""
    from analysis.report.render import FINDING_MIME

    rep = Report.open("q5", year=2021, compare_year=2020, months=[1, 2], lang="nl")
    with pytest.raises(narrative.NarrativeError, match="12.345"):
        rep.finding("De som steeg van 10 naar 12.345.", [Figure(10), Figure(8)], ["official"])
    with pytest.raises(ValueError, match="finding status"):
        rep.finding("De som daalde van 10 naar 8.", [Figure(10), Figure(8)], ["guessed"])
    rep.finding("De som daalde van 10 naar 8.", [Figure(10), Figure(8)], ["official"])
    answer = rep.short_answer(["Kort."], [])
    records = answer.records[FINDING_MIME]
    assert [r["text"] for r in records] == ["De som daalde van 10 naar 8."] and not rep.findings
    nb = {"cells": [{"outputs": [{"data": {FINDING_MIME: {"version": 1, "items": records}}}]}]}
    assert narrative.check_notebook(nb) == []
    records[0]["html"] = records[0]["html"].replace("daalde", "steeg")
    assert narrative.check_notebook(nb)


@pytest.mark.e2e
def test_the_runner_fails_a_report_whose_short_answer_its_figures_do_not_support(tmp_path):
    """The check again on the executed notebook: a failed check fails that report and quotes the sentence."""
    code = (
        "from analysis.report import narrative\n"
        "from analysis.report.i18n import Lang\n"
        "from analysis.report.render import Html\n"
        "Html.carrying('<section class=\"box box-answer\"><p>Het totaal steeg van 9.578 naar 8.877.</p></section>',"
        " meta=narrative.metadata([narrative.Figure(9578), narrative.Figure(8877)], Lang('nl'), [], 'qx (nl): '))"
    )
    nb = notebook_with_extra_cell(config.NOTEBOOKS_DIR / "q4_labour_market.ipynb", tmp_path / "qx.ipynb", code)
    manifest = write_manifest(tmp_path, [("qx", nb)])
    result = cli("build", "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--no-pdf")
    assert result.returncode == 1, result.stdout
    assert "Het totaal steeg van 9.578 naar 8.877." in result.stdout
    assert (tmp_path / "out" / "nl" / "qx.failed.ipynb").exists()


def test_figures_are_required_and_an_empty_list_allows_no_number():
    rep = Report.open("q3", year=2021, compare_year=2020, months=[1, 2], lang="en")
    with pytest.raises(TypeError):
        rep.short_answer(["No figures here."])  # type: ignore[call-arg]
    rep.short_answer(["No figures here, only the year 2021."], [])
    with pytest.raises(NarrativeError, match="number 5 is not one of the report's figures"):
        rep.short_answer(["Counts below 5 are hidden."], [])


def test_numbers_that_name_are_labels_shown_as_written():
    """A year or day in a date, or a number in a course's name, is shown as written: 2016, not 2,016."""
    text = box("The most popular course was ‘Excel 2016 – 3.5 hours’ (as of 8 April 2019).")
    assert not narrative.check(text, narrative.names("Excel 2016 – 3.5 hours", EN) + narrative.names("8 April 2019", EN), EN)
    assert narrative.check(text, narrative.names("Excel 2016 – 3.5 hours", EN), EN)  # the date's numbers are not named
    assert narrative.renderings(Figure(2016, "label"), NL) >= {"2016", "2.016"}


def test_every_short_answer_is_checked():
    """q2, q3, q4 and q7 carry their figures too, so the runner checks them again on the executed notebook."""
    from analysis.questions import q2_courses as q2
    from analysis.questions import q3_profile as q3
    from analysis.questions import q4_labour_market as q4
    from analysis.questions import q7_context as q7

    for lang in ("nl", "en"):
        params = {"year": 2021, "compare_year": 2020, "months": [1, 2], "lang": lang}
        answers = {
            "q2": lambda rep: q2.short_answer(rep, q2.compute(rep, 15)),
            "q3": lambda rep: q3.short_answer(rep, q3.compute(rep, 5)),
            "q4": lambda rep: q4.short_answer(rep, q4.partial(rep), q4.full(rep)),
            "q7": lambda rep: q7.short_answer(rep, q7.compute(rep)),
        }
        for question, make in answers.items():
            _, meta = make(Report.open(question, **params))._repr_mimebundle_()
            assert narrative.META_KEY in meta["text/html"], question


# ------------------------------------------------------------------------------ every text, not only the short answer
def test_prose_leaves_out_the_header_table_rows_charts_and_source_list():
    markup = (
        '<header class="report-head"><h1>Vraag 5</h1></header><p>Kept 1.</p>'
        "<div><table><caption>Caption 2</caption><thead><tr><th>9</th></tr></thead><tbody><tr><td>8</td></tr></tbody>"
        '</table><p class="table-note">Note 3</p></div><figure class="chart"><img alt="7"></figure>'
        '<h2>Sources</h2><ol class="sources"><li>6</li></ol><ul><li>Item 4</li></ul>'
    )
    assert narrative.prose(markup) == "Kept 1. Caption 2 Note 3 Sources Item 4"


def test_a_caveat_with_a_number_no_figure_supports_fails_where_it_is_made():
    rep = Report.open("q5", year=2021, compare_year=2020, months=[1, 2], lang="en")
    with pytest.raises(NarrativeError, match="number 13.0% is not one of the report's figures"):
        rep.caveats([], ["Lost actions explain at most 13.0% of the growth."])
    rep.caveats([], ["Lost actions explain at most 13.0% of the growth."], [Figure(13.0, "pct")])  # with its figure


def test_a_table_caption_and_note_are_checked_against_the_ledger():
    import pandas as pd

    from analysis.report.render import Column, Table

    rep = Report.open("q5", year=2021, compare_year=2020, months=[1, 2], lang="en")
    table = Table(pd.DataFrame({"a": [123456]}), [Column("a", "A")], caption="Cells are free: 123,456", note="Note 42")
    with pytest.raises(NarrativeError, match="number 42"):
        rep.checked(table)
    rep.allow([Figure(42)])
    with pytest.raises(NarrativeError, match="123,456"):  # the caption is prose; the cell (unchecked) is not
        rep.checked(table)


def test_a_direction_by_an_unsigned_percentage_takes_its_sign_from_the_ledger():
    text = box("The number of learners grew by about 14% a year.")
    assert not narrative.check(text, [Figure(13.9, "pct")], EN)
    assert narrative.check(text, [Figure(-13.9, "pct")], EN)  # the figure is a fall: 'grew' contradicts it
    nl = box("Het aantal cursisten groeide met ongeveer 14% per jaar.")
    assert not narrative.check(nl, [Figure(13.9, "pct")], NL)


def test_the_runner_checks_every_output_against_the_ledger_of_the_source_list():
    """Text that bypassed the report's helpers is checked too: the source list carries the ledger."""
    ledger = narrative.metadata([Figure(10), Figure(8)], NL, [2021], "q5 (nl): ", narrative.LEDGER_KEY)
    sources = {"data": {"text/html": "<h2>Bronnen</h2>"}, "metadata": {"text/html": ledger}}
    stray = {"data": {"text/html": "<p>Een eigen zin met 12 acties.</p>"}, "metadata": {}}
    fine = {"data": {"text/html": "<p>Het totaal daalde van 10 naar 8 in 2021.</p>"}, "metadata": {}}
    nb = {"cells": [{"outputs": [fine, stray]}, {"outputs": [sources]}]}
    problems = narrative.check_notebook(nb)
    assert len(problems) == 1 and "number 12" in problems[0]
    assert narrative.check_notebook({"cells": [{"outputs": [fine]}, {"outputs": [sources]}]}) == []


def test_every_report_carries_its_ledger_in_its_source_list():
    from analysis.questions import q5_contact_vs_online as q5

    rep = Report.open("q5", year=2021, compare_year=2020, months=[1, 2], lang="en")
    q5.short_answer(rep, q5.compute(rep))
    _, meta = rep.sources_section()._repr_mimebundle_()
    ledger = meta["text/html"][narrative.LEDGER_KEY]
    assert (
        ledger["lang"] == "en"
        and {"value": 3855.0, "kind": "count", "low": None, "high": None, "unit": 0.0, "text": ""} in ledger["figures"]
    )
