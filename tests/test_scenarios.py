"""Seven other periods, written by hand: every notebook runs, and q1, q5 and q6 say what a person expects.

Each folder under tests/scenarios/ holds the files that differ from data/ and a SCENARIO.md (what
it tests, its parameters); laid over a copy of data/ it is a complete, valid data folder
(tests/scenarios/README.md). The notebooks run in-process on it in both languages; the narrative
check runs inside every short answer, so a sentence its figures do not support fails here too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import config
from analysis.data import loader
from tests import inprocess
from tests.helpers import SCENARIO_SOURCE, SCENARIOS, overlay_scenario, scenario_front_matter

pytestmark = pytest.mark.notebook

#: name -> (year, compare_year, months), from each SCENARIO.md's front matter
PARAMETERS = {
    p.name: (m["year"], m["compare_year"], m["months"])
    for p in sorted(SCENARIOS.iterdir())
    if p.is_dir() and (m := scenario_front_matter(p))
}

#: (scenario, question, lang) -> sentences (or parts of them) the short answer must hold
EXPECTED = {
    ("everything_falls", "q1", "en"): [
        "enrolments on VDAB’s learning platform fell from 70,000 to 52,000 (−25.7%)",
        "700 more learners or enrolments",
    ],
    ("everything_falls", "q1", "nl"): ["daalden de inschrijvingen op het leerplatform van VDAB van 70.000 naar 52.000 (−25,7%)"],
    ("everything_falls", "q5", "en"): [
        "the total fell from 9,350 to 7,730 (−17.3%)",
        "Actions with home-learning hours fell from 3,550 to 2,830 (−20.3%)",
        "these figures show no shift to hybrid forms",
        "There is no online growth to explain.",
    ],
    ("everything_falls", "q5", "nl"): [
        "daalde het totaal van 9.350 naar 7.730 (−17,3%)",
        "Er is geen online groei te verklaren.",
    ],
    ("everything_falls", "q6", "en"): [
        "All four published totals match.",
        "Both percentage differences match the usual calculation.",
    ],
    ("everything_falls", "q6", "nl"): ["Alle vier gepubliceerde totalen kloppen.", "Beide procentuele verschillen kloppen"],
    ("online_falls_contact_rises", "q1", "en"): ["fell from 60,000 to 45,000 (−25.0%)"],
    ("online_falls_contact_rises", "q1", "nl"): [
        "daalden de inschrijvingen op het leerplatform van VDAB van 60.000 naar 45.000 (−25,0%)"
    ],
    ("online_falls_contact_rises", "q5", "en"): [
        "which we take to be purely physical, rose from 4,100 to 5,300 (+29.3%)",
        "There is no online growth to explain.",
    ],
    ("online_falls_contact_rises", "q5", "nl"): ["stegen van 4.100 naar 5.300 (+29,3%)", "Er is geen online groei te verklaren."],
    ("online_falls_contact_rises", "q6", "en"): [
        "The one percentage difference does not match the usual calculation.",
        "The source divides the difference by the 2023 figure instead of the 2022 figure.",
        "The one quoted statement that can be checked against an official figure does not hold.",
    ],
    ("online_falls_contact_rises", "q6", "nl"): ["Het enige procentuele verschil klopt niet", "klopt niet."],
    ("nothing_changes", "q1", "en"): ["stayed about the same, from 50,000 to 50,000"],
    ("nothing_changes", "q1", "nl"): ["bleven de inschrijvingen op het leerplatform van VDAB ongeveer gelijk"],
    ("nothing_changes", "q5", "en"): [
        "the total stayed about the same, from 6,390 to 6,390",
        "There is no online growth to explain.",
    ],
    ("nothing_changes", "q5", "nl"): ["bleef het totaal ongeveer gelijk, van 6.390 naar 6.390"],
    ("nothing_changes", "q6", "en"): ["The one published total matches."],
    ("nothing_changes", "q6", "nl"): ["Het enige gepubliceerde totaal klopt."],
    ("zero_base", "q1", "en"): ["rose from 0 to 1,200 (no percentage: base 0)"],
    ("zero_base", "q1", "nl"): [
        "stegen de inschrijvingen op het leerplatform van VDAB van 0 naar 1.200 (geen percentage: basis 0)"
    ],
    ("zero_base", "q5", "en"): ["Purely physical training rose as well, from 0 to 55 actions."],
    ("zero_base", "q5", "nl"): ["Ook de puur fysieke opleidingen stegen, van 0 naar 55 acties."],
    ("zero_base", "q6", "en"): ["The differing one can be explained by another base."],
    ("zero_base", "q6", "nl"): ["Het afwijkende verschil is wel te verklaren met een andere basis."],
    ("one_month_only", "q1", "en"): ["In March 2024 VDAB counted", "rose from 20,000 to 26,000 (+30.0%)"],
    ("one_month_only", "q1", "nl"): [
        "In maart 2024 telde VDAB",
        "stegen de inschrijvingen op het leerplatform van VDAB van 20.000 naar 26.000 (+30,0%)",
    ],
    ("one_month_only", "q5", "en"): [
        "200 extra actions with home learning made up 66.7% of the 300 lost actions",
        "cannot be determined from these data",
        "That is growth of 6,000 enrolments",
        "about 1.7% to 11.2% of the online growth",
    ],
    ("one_month_only", "q5", "nl"): ["valt met deze cijfers niet uit te maken", "ongeveer 1,7% tot 11,2% van de online groei"],
    ("one_month_only", "q6", "en"): ["The one published total matches."],
    ("one_month_only", "q6", "nl"): ["Het enige gepubliceerde totaal klopt."],
    ("gap_year", "q1", "en"): [
        "Against January and February 2021, enrolments on VDAB’s learning platform fell from 62,297 to 58,000 (−6.9%)"
    ],
    ("gap_year", "q1", "nl"): [
        "Tegenover januari en februari 2021 daalden de inschrijvingen op het leerplatform van VDAB van 62.297 naar 58.000"
    ],
    ("gap_year", "q5", "en"): ["rose from 8,877 to 9,200 (+3.6%)", "There is no online growth to explain."],
    ("gap_year", "q5", "nl"): ["steeg het totaal van 8.877 naar 9.200 (+3,6%)"],
    ("gap_year", "q6", "en"): ["Both published totals match."],
    ("gap_year", "q6", "nl"): ["Beide gepubliceerde totalen kloppen."],
    ("no_earlier_data", "q1", "en"): ["There is no figure for January and February 2021, not even a quoted statement"],
    ("no_earlier_data", "q1", "nl"): ["Voor januari en februari 2021 is er geen cijfer, ook geen aangehaalde uitspraak"],
    ("no_earlier_data", "q5", "en"): ["do not hold these months: January 2021, February 2021"],
    ("no_earlier_data", "q5", "nl"): ["bevatten deze maanden niet: januari 2021, februari 2021"],
    ("no_earlier_data", "q6", "en"): [
        "Of the two published totals, one matches.",
        "For one statement there is no official counterpart in the data.",
    ],
    ("no_earlier_data", "q6", "nl"): ["Van de twee gepubliceerde totalen klopt er één."],
}

#: (scenario, question, lang) -> what the short answer must not say
FORBIDDEN = {
    ("everything_falls", "q5", "en"): ["rose from 9,350", "cannot be determined"],
    ("nothing_changes", "q5", "en"): [" rose ", " fell "],
    ("zero_base", "q1", "en"): ["times as many", "%)"],
    ("no_earlier_data", "q6", "en"): ["0 of", "Chart"],
    ("online_falls_contact_rises", "q1", "en"): ["partner-platform figure counts"],
}


def test_every_scenario_is_a_valid_data_folder(scenario_dir):
    assert sorted(p.name for p in SCENARIOS.iterdir() if p.is_dir()) == sorted(PARAMETERS) == sorted(EXPECTED_NAMES)
    for name in PARAMETERS:
        loader.load_all(str(scenario_dir(name)))  # raises on any breach of the contract


def test_a_scenario_holds_only_what_differs_from_data():
    data = config.DATA_DIR
    for name in PARAMETERS:
        for path in (SCENARIOS / name).glob("*.csv"):
            assert path.read_bytes() != (data / path.name).read_bytes(), f"{name}/{path.name} is data/'s: delete it"


def test_the_overlay_lays_files_over_data_and_removes_the_listed_ones(tmp_path: Path):
    folder = tmp_path / "a_scenario"
    folder.mkdir()
    (folder / "SCENARIO.md").write_text("---\nyear: 2023\nremove: [online_actions.csv]\n---\n# A scenario\n")
    (folder / "claims.csv").write_text("claim_id\n", encoding="utf-8")
    built = overlay_scenario(folder, tmp_path / "data")
    data = config.DATA_DIR
    assert not (built / "online_actions.csv").exists() and not (built / "README.md").exists()
    assert (built / "claims.csv").read_text() == "claim_id\n"
    assert (built / "context_events.csv").read_bytes() == (data / "context_events.csv").read_bytes()
    sources = (built / "sources.csv").read_text(encoding="utf-8")
    assert sources == (data / "sources.csv").read_text(encoding="utf-8") + SCENARIO_SOURCE


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", list(PARAMETERS))
def test_scenario_reports(name: str, lang: str, scenario_dir):
    year, compare_year, months = PARAMETERS[name]
    folder = scenario_dir(name)
    for question in inprocess.QUESTIONS:
        out = inprocess.run(question, folder, year=year, compare_year=compare_year, months=months, lang=lang)
        assert out.short_answer, (name, question, lang)
        if question in ("q1", "q4", "q5", "q6"):
            assert inprocess.problems(out) == [], (name, question, lang)
        for sentence in EXPECTED.get((name, question, lang), []):
            assert sentence in out.short_answer, (name, question, lang, sentence, out.short_answer)
        for text in FORBIDDEN.get((name, question, lang), []):
            assert text not in out.short_answer, (name, question, lang, text, out.short_answer)


def test_every_scenario_has_expectations_in_both_languages():
    for name in PARAMETERS:
        for question in ("q1", "q5", "q6"):
            assert EXPECTED.get((name, question, "nl")) and EXPECTED.get((name, question, "en")), (name, question)


EXPECTED_NAMES = {name for name, _, _ in EXPECTED}
