"""Other periods, written by hand: every notebook runs, and q1, q5 and q6 say what a person expects.

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
        "Through the learning platforms of training or education providers, 700 learners enrolled in VDAB online courses",
    ],
    ("everything_falls", "q1", "nl"): ["daalden de inschrijvingen op het leerplatform van VDAB van 70.000 naar 52.000 (−25,7%)"],
    ("everything_falls", "q5", "en"): [
        "All started contact-learning actions together fell from 9,350 to 7,730 (−17.3%)",
        "Actions with home-learning hours (types 1 and 3) fell from 3,550 to 2,830 (−20.3%)",
        "these figures show no shift to hybrid forms",
        "There is no online growth to explain.",
    ],
    ("everything_falls", "q5", "nl"): [
        "Alle gestarte acties contactleren samen daalden van 9.350 naar 7.730 (−17,3%)",
        "Er is geen online groei te verklaren.",
    ],
    ("everything_falls", "q6", "en"): [
        "All four published totals equal the sum of their parts.",
        "Both published percentage differences equal the usual calculation",
    ],
    ("everything_falls", "q6", "nl"): [
        "Alle vier gepubliceerde totalen zijn gelijk aan de som van hun delen.",
        "Beide gepubliceerde procentuele verschillen zijn gelijk",
    ],
    ("online_falls_contact_rises", "q1", "en"): ["fell from 60,000 to 45,000 (−25.0%)"],
    ("online_falls_contact_rises", "q1", "nl"): [
        "daalden de inschrijvingen op het leerplatform van VDAB van 60.000 naar 45.000 (−25,0%)"
    ],
    ("online_falls_contact_rises", "q5", "en"): [
        "which we treat as purely physical training. Against January and February 2022 these rose from 4,100 to 5,300 (+29.3%)",
        "There is no online growth to explain.",
    ],
    ("online_falls_contact_rises", "q5", "nl"): [
        "stegen die van 4.100 naar 5.300 (+29,3%)",
        "Er is geen online groei te verklaren.",
    ],
    ("online_falls_contact_rises", "q6", "en"): [
        "The one published percentage difference differs from the usual calculation",
        "The answer’s table divides the difference by the 2023 figure instead of the 2022 figure.",
        "(the minister, as the question reports) is not in line with the official figures",
    ],
    ("online_falls_contact_rises", "q6", "nl"): [
        "Het enige gepubliceerde procentuele verschil wijkt af",
        "stemt niet overeen met de officiële cijfers",
    ],
    ("nothing_changes", "q1", "en"): ["enrolments on VDAB’s learning platform stayed at 50,000."],
    ("nothing_changes", "q1", "nl"): ["bleven de inschrijvingen op het leerplatform van VDAB op 50.000."],
    ("nothing_changes", "q5", "en"): [
        "All started contact-learning actions together stayed at 6,390.",
        "There is no online growth to explain.",
    ],
    ("nothing_changes", "q5", "nl"): ["Alle gestarte acties contactleren samen bleven op 6.390."],
    ("nothing_changes", "q6", "en"): ["The one published total equals the sum of its parts."],
    ("nothing_changes", "q6", "nl"): ["Het enige gepubliceerde totaal is gelijk aan de som van zijn delen."],
    ("zero_base", "q1", "en"): ["rose from 0 to 1,200 (no percentage: base 0)"],
    ("zero_base", "q1", "nl"): [
        "stegen de inschrijvingen op het leerplatform van VDAB van 0 naar 1.200 (geen percentage: basis 0)"
    ],
    ("zero_base", "q5", "en"): ["Purely physical training rose as well, from 0 to 55 actions"],
    ("zero_base", "q5", "nl"): ["Ook de acties zonder thuisleren stegen, van 0 naar 55"],
    # one differing percentage, explained by the base: the sentence says how, not that it can be reproduced
    ("zero_base", "q6", "en"): ["The answer’s table divides the difference by the"],
    ("zero_base", "q6", "nl"): ["De tabel van het antwoord deelt het verschil door het cijfer van"],
    ("one_month_only", "q1", "en"): ["In March 2024 VDAB counted", "rose from 20,000 to 26,000 (+30.0%)"],
    ("one_month_only", "q1", "nl"): [
        "In maart 2024 telde VDAB",
        "stegen de inschrijvingen op het leerplatform van VDAB van 20.000 naar 26.000 (+30,0%)",
    ],
    ("one_month_only", "q5", "en"): [
        "the 200 extra actions with home learning offset about two thirds (67%) of the 300 lost actions",
        "does not follow from these figures",
        "Whether this change explains the growth of online courses on the learning platform does not follow from these figures.",
        "The two series count different things",
    ],
    ("one_month_only", "q5", "nl"): ["blijkt niet uit deze cijfers", "De twee reeksen tellen niet hetzelfde"],
    ("one_month_only", "q6", "en"): ["The one published total equals the sum of its parts."],
    ("one_month_only", "q6", "nl"): ["Het enige gepubliceerde totaal is gelijk aan de som van zijn delen."],
    ("gap_year", "q1", "en"): [
        "Against January and February 2021, enrolments on VDAB’s learning platform fell from 62,297 to 58,000 (−6.9%)"
    ],
    ("gap_year", "q1", "nl"): [
        "Tegenover januari en februari 2021 daalden de inschrijvingen op het leerplatform van VDAB van 62.297 naar 58.000"
    ],
    ("gap_year", "q5", "en"): [
        "together rose from 8,877 to 9,200 (+3.6%)",
        "The 2021 figures are provisional",
        "There is no online growth to explain.",
    ],
    ("gap_year", "q5", "nl"): ["samen stegen van 8.877 naar 9.200 (+3,6%)", "De cijfers van 2021 zijn voorlopig"],
    ("gap_year", "q6", "en"): ["Both published totals equal the sum of their parts."],
    ("gap_year", "q6", "nl"): ["Beide gepubliceerde totalen zijn gelijk aan de som van hun delen."],
    ("no_earlier_data", "q1", "en"): ["There is no figure for January and February 2021, not even a quoted statement"],
    ("no_earlier_data", "q1", "nl"): ["Voor januari en februari 2021 is er geen cijfer, ook geen aangehaalde uitspraak"],
    ("no_earlier_data", "q5", "en"): ["do not hold these months: January 2021, February 2021"],
    ("no_earlier_data", "q5", "nl"): ["bevatten deze maanden niet: januari 2021, februari 2021"],
    ("no_earlier_data", "q6", "en"): [
        "Of the two published totals, one equals the sum of its parts.",
        "The written answer gives no figure to compare it with.",
    ],
    ("no_earlier_data", "q6", "nl"): ["Van de twee gepubliceerde totalen is er één gelijk aan de som van zijn delen."],
    # one scenario per class of incoherent wording (tests/scenarios/*/SCENARIO.md)
    ("equal_values", "q1", "en"): ["Against January and February 2022, enrolments on VDAB’s learning platform stayed at 40,000."],
    ("equal_values", "q1", "nl"): [
        "Tegenover januari en februari 2022 bleven de inschrijvingen op het leerplatform van VDAB op 40.000."
    ],
    ("equal_values", "q5", "en"): [
        "Against January and February 2022 these stayed at 3,500.",
        "in February the total stayed at 2,500",
    ],
    ("equal_values", "q5", "nl"): [
        "Tegenover januari en februari 2022 bleven die op 3.500.",
        "in februari bleef het totaal op 2.500",
    ],
    ("equal_values", "q6", "en"): ["Both published totals equal the sum of their parts."],
    ("equal_values", "q6", "nl"): ["Beide gepubliceerde totalen zijn gelijk aan de som van hun delen."],
    ("range_ends_coincide", "q1", "en"): ["the figure for January and February 2023 (59,000) is about 2.00 times as many."],
    ("range_ends_coincide", "q1", "nl"): ["dan is het cijfer van januari en februari 2023 (59.000) ongeveer 2,00 keer zoveel."],
    ("range_ends_coincide", "q5", "en"): ["does not follow from these figures", "The two series count different things"],
    ("range_ends_coincide", "q5", "nl"): ["blijkt niet uit deze cijfers"],
    ("range_ends_coincide", "q6", "en"): ["The written answer gives no figure to compare it with."],
    ("range_ends_coincide", "q6", "nl"): ["Het schriftelijke antwoord geeft geen cijfer om dat mee te vergelijken."],
    ("share_above_100", "q1", "en"): ["rose from 20,000 to 20,500 (+2.5%)"],
    ("share_above_100", "q1", "nl"): ["van 20.000 naar 20.500 (+2,5%)"],
    ("share_above_100", "q5", "en"): [
        "1,400 extra actions with home learning more than made up for the 400 lost actions with training hours only",
        "The two series count different things",
    ],
    ("share_above_100", "q5", "nl"): [
        "maakten 1.400 extra acties met thuisleren de 400 verdwenen acties zonder thuisleren ruimschoots goed",
        "blijkt niet uit deze cijfers",
    ],
    ("share_above_100", "q6", "en"): ["The one published total equals the sum of its parts."],
    ("share_above_100", "q6", "nl"): ["Het enige gepubliceerde totaal is gelijk aan de som van zijn delen."],
    ("zero_figures", "q1", "en"): [
        "Through partners’ platforms no learners enrolled in VDAB online courses in January and February 2023."
    ],
    ("zero_figures", "q1", "nl"): ["Via de platformen van partners schreven in januari en februari 2023 geen cursisten zich in"],
    ("zero_figures", "q4", "en"): [
        "all of them by people who were still an employee or temporarily unemployed at the time; none by people"
    ],
    ("zero_figures", "q4", "nl"): ["allemaal door wie op dat moment nog werknemer of tijdelijk werkloos was; geen enkele"],
    ("zero_figures", "q5", "en"): [
        "All started contact-learning actions together stayed at 6,000.",
        "600 extra actions with home learning made up for all 600 lost actions",
    ],
    ("zero_figures", "q5", "nl"): ["Alle gestarte acties contactleren samen bleven op 6.000.", "alle 600 verdwenen acties"],
    ("zero_figures", "q6", "en"): ["The one published total equals the sum of its parts."],
    ("zero_figures", "q6", "nl"): ["Het enige gepubliceerde totaal is gelijk aan de som van zijn delen."],
    ("provisional_and_final", "q1", "en"): ["rose from 62,297 to 65,000 (+4.3%)"],
    ("provisional_and_final", "q1", "nl"): ["van 62.297 naar 65.000 (+4,3%)"],
    ("provisional_and_final", "q5", "en"): [
        "The 2021 figures are provisional: late registrations can still add to them, and the split over the types can still shift."
    ],
    ("provisional_and_final", "q5", "nl"): [
        "De cijfers van 2021 zijn voorlopig: laattijdige registraties kunnen ze nog verhogen, en ook de verdeling over de types kan nog verschuiven."
    ],
    ("provisional_and_final", "q6", "en"): ["Both published totals equal the sum of their parts."],
    ("provisional_and_final", "q6", "nl"): ["Beide gepubliceerde totalen zijn gelijk aan de som van hun delen."],
    ("signed_zero", "q1", "en"): ["stayed about the same, from 30,000 to 29,990"],
    ("signed_zero", "q1", "nl"): [
        "bleven de inschrijvingen op het leerplatform van VDAB ongeveer gelijk, van 30.000 naar 29.990"
    ],
    ("signed_zero", "q5", "en"): ["in January the total stayed about the same, from 13,500 to 13,498"],
    ("signed_zero", "q5", "nl"): ["in januari bleef het totaal ongeveer gelijk, van 13.500 naar 13.498"],
    ("signed_zero", "q6", "en"): ["The one published total equals the sum of its parts."],
    ("signed_zero", "q6", "nl"): ["Het enige gepubliceerde totaal is gelijk aan de som van zijn delen."],
    ("signed_zero", "q7", "en"): ["numbered 50,000 in 2015 and 49,900 in 2019, before the pandemic: hardly any difference."],
    ("signed_zero", "q7", "nl"): ["was 50.000 in 2015 en 49.900 in 2019, vóór de pandemie: nauwelijks een verschil."],
}

#: (scenario, question, lang) -> sentences the rest of the report (caveats, tables, notes) must hold
EXPECTED_ELSEWHERE = {
    ("provisional_and_final", "q5", "en"): ["only the 2021 figures are provisional, those of 2022 presumably final"],
    ("provisional_and_final", "q5", "nl"): ["alleen de cijfers van 2021 zijn voorlopig, die van 2022 vermoedelijk definitief"],
    ("signed_zero", "q5", "en"): ["−2 0.0%"],
    ("signed_zero", "q5", "nl"): ["−2 0,0%"],
}

#: (scenario, question, lang) -> what the short answer must not say
FORBIDDEN = {
    ("everything_falls", "q5", "en"): ["rose from 9,350", "cannot be determined"],
    ("nothing_changes", "q5", "en"): [" rose ", " fell "],
    ("zero_base", "q1", "en"): ["times as many", "%)"],
    ("no_earlier_data", "q6", "en"): ["0 of", "Chart"],
    ("online_falls_contact_rises", "q1", "en"): ["partner-platform figure counts"],
}


#: (scenario, question, lang) -> what no text of the report may say: one scenario per class of incoherent wording
FORBIDDEN_ANYWHERE = {
    ("equal_values", "q1", "en"): ["from 40,000 to 40,000", "about the same"],
    ("equal_values", "q1", "nl"): ["van 40.000 naar 40.000", "ongeveer gelijk"],
    ("equal_values", "q5", "en"): ["from 3,500 to 3,500", "from 2,500 to 2,500", "from 40,000 to 40,000"],
    ("equal_values", "q5", "nl"): ["van 3.500 naar 3.500", "van 2.500 naar 2.500", "van 40.000 naar 40.000"],
    ("range_ends_coincide", "q1", "en"): ["2.00 to 2.00", "2.0 to 2.0"],
    ("range_ends_coincide", "q1", "nl"): ["2,00 tot 2,00", "2,0 tot 2,0"],
    ("range_ends_coincide", "q5", "en"): ["1,000 to 1,000", "2.00 to 2.00", "2.0 to 2.0"],
    ("range_ends_coincide", "q5", "nl"): ["1.000 tot 1.000", "2,00 tot 2,00", "2,0 tot 2,0"],
    ("share_above_100", "q5", "en"): ["350.0% of", "350% of", "180.0% of", "180% of", "0.0% to"],
    ("share_above_100", "q5", "nl"): ["350,0% goed", "350% goed", "180,0% van", "180% van", "0,0% tot"],
    ("zero_figures", "q1", "en"): ["0 more", "providers, 0"],
    ("zero_figures", "q1", "nl"): ["schreven 0 cursisten", "schreef 0 cursist"],
    ("zero_figures", "q4", "en"): ["0 (0.0%)", " 0 by "],
    ("zero_figures", "q4", "nl"): ["0 (0,0%)"],
    ("zero_figures", "q5", "en"): ["net fall of 0", "0 to 600", "from 6,000 to 6,000"],
    ("zero_figures", "q5", "nl"): ["met 0.", "met 0 ", "0 tot 600", "van 6.000 naar 6.000"],
    ("provisional_and_final", "q5", "en"): [
        "the figure is provisional",
        "2022 figures are provisional",
        "comparison year is fully registered",
    ],
    ("provisional_and_final", "q5", "nl"): [
        "dat cijfer is voorlopig",
        "cijfers van 2022 zijn voorlopig",
        "vergelijkingsjaar al volledig",
    ],
    ("signed_zero", "q5", "en"): ["−0.0%", "+0.0%", "−0%", "+0%"],
    ("signed_zero", "q5", "nl"): ["−0,0%", "+0,0%", "−0%", "+0%"],
    ("signed_zero", "q7", "en"): ["−0%", "+0%", "−0.0%"],
    ("signed_zero", "q7", "nl"): ["−0%", "+0%", "−0,0%"],
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
        assert inprocess.problems(out) == [], (name, question, lang)
        for sentence in EXPECTED.get((name, question, lang), []):
            assert sentence in out.short_answer, (name, question, lang, sentence, out.short_answer)
        for sentence in EXPECTED_ELSEWHERE.get((name, question, lang), []):
            assert sentence in out.text, (name, question, lang, sentence, out.text)
        for text in FORBIDDEN.get((name, question, lang), []):
            assert text not in out.short_answer, (name, question, lang, text, out.short_answer)
        for text in FORBIDDEN_ANYWHERE.get((name, question, lang), []):
            assert text not in out.text, (name, question, lang, text, out.text)


def test_every_scenario_has_expectations_in_both_languages():
    for name in PARAMETERS:
        for question in ("q1", "q5", "q6"):
            assert EXPECTED.get((name, question, "nl")) and EXPECTED.get((name, question, "en")), (name, question)


EXPECTED_NAMES = {name for name, _, _ in EXPECTED}
