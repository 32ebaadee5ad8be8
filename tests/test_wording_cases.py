"""Each class of incoherent wording, as a unit test: the sentence functions called with constructed answers, in both
languages. The scenarios (tests/scenarios) show the same classes on whole data folders; these pin the sentences.

The classes: two equal values worded as a change; a range whose ends coincide; a share or offset above 100%
worded as a part; a zero worded as a count; 'provisional' said for every period; a signed zero.
"""

from __future__ import annotations

import re

import pytest

from analysis.core import change
from analysis.core.measures import Quantity
from analysis.questions import q1_online_trainings as q1
from analysis.questions import q4_labour_market as q4
from analysis.questions import q5_contact_vs_online as q5
from analysis.questions.common import online
from analysis.questions.common.contact import MEASURE, POPULATION
from analysis.questions.common.online import OnlineAnswer
from analysis.report import narrative
from analysis.report.i18n import Lang
from analysis.report.render import plain_text
from tests.helpers import open_report, q5_caveats, q5_summary

LANGS = ("en", "nl")


def contact(value: float, year: int = 2021) -> Quantity:
    return Quantity(float(value), MEASURE, POPULATION, f"{year}-01", f"{year}-02")


def enrolments(value: float, year: int = 2021, channel: str = "vdab_platform") -> Quantity:
    measure = "enrolments" if channel == "vdab_platform" else online.PARTNER_MEASURE
    return Quantity(float(value), measure, online.POPULATION, f"{year}-01", f"{year}-02", (f"E-{year}-{channel}",))


def answer(physical=(2000, 1600), home=(600, 2000), home_only=(0, 200), online_pair=(20000, 20500), **extra):
    """A q5 answer built by hand: the groups of Table 1 from purely physical and home-learning counts."""
    (p0, p1), (h0, h1), (o0, o1) = physical, home, home_only
    a = q5.ContactAnswer(True)
    a.groups = {
        "physical_only": (contact(p0, 2020), contact(p1)),
        "with_home_learning": (contact(h0, 2020), contact(h1)),
        "with_training_hours": (contact(p0 + h0 - o0, 2020), contact(p1 + h1 - o1)),
        "home_only": (contact(o0, 2020), contact(o1)),
    }
    a.all_actions = (contact(p0 + h0, 2020), contact(p1 + h1))
    a.month_totals = [(1, (p0 + h0) / 2, (p1 + h1) / 2), (2, (p0 + h0) / 2, (p1 + h1) / 2)]
    base, now = online_pair
    a.online = OnlineAnswer(True, {"vdab_platform": enrolments(now)}, baseline=enrolments(base, 2020))
    a.online.baseline_low = a.online.baseline_high = float(base)
    a.online.direction = change.direction(base, now)
    a.online.ratio_low = a.online.ratio_high = now / base if base else None
    a.online_increase = (float(now - base), float(now - base))
    a.provisional = {2020: False, 2021: False}
    for k, v in extra.items():
        setattr(a, k, v)
    return a


def text(markup: str) -> str:
    return plain_text(markup)


# ------------------------------------------------------------------------------ equal values: "stayed at X"
@pytest.mark.parametrize("lang,expected", [("en", "these stayed at 3,500."), ("nl", "bleven die op 3.500.")])
def test_equal_values_are_said_to_stay(lang, expected):
    rep = open_report("q5", lang=lang)
    sentence = q5._change_sentence(rep, "q5.short.physical", 3500, 3500, compare=rep.compare_period)
    assert expected in text(sentence) and not re.search(r"(?:from|van) 3[.,]500 (?:to|naar) 3[.,]500", sentence)


@pytest.mark.parametrize(
    "lang,expected", [("en", "stayed at 40,000"), ("nl", "bleven de inschrijvingen op het leerplatform van VDAB op 40.000")]
)
def test_equal_official_figures_are_said_to_stay(lang, expected):
    rep = open_report("q1", lang=lang)
    a = OnlineAnswer(True, {"vdab_platform": enrolments(40000)}, baseline=enrolments(40000, 2020))
    assert expected in text(online.evolution_text(rep, a))


@pytest.mark.parametrize(
    "lang,expected", [("en", "The share of purely physical actions stayed at 50.0%."), ("nl", "bleef op 50,0%")]
)
def test_shares_that_print_alike_are_said_to_stay(lang, expected):
    """0.04 points apart prints alike at one decimal: 'stayed at 50.0%', never 'from 50.0% to 50.0%'."""
    rep = open_report("q5", lang=lang)
    assert expected in text(rep.change("q5.short.share", 50.01, 50.04, digits=1, old="50", new=rep.lang.pct(50.04)))


def test_the_narrative_check_accepts_stayed_at_and_refuses_it_without_a_figure():
    en = Lang("en")
    box = '<section class="box"><p>{}</p></section>'
    assert not narrative.check(box.format("The total stayed at 40,000."), [narrative.Figure(40000)], en)
    assert narrative.check(box.format("The total stayed at 41,000."), [narrative.Figure(40000)], en)


# ------------------------------------------------------------------------------ a range whose ends coincide
@pytest.mark.parametrize("lang,expected", [("en", "about 2.00 times as many."), ("nl", "ongeveer 2,00 keer zoveel.")])
def test_a_ratio_range_whose_ends_print_alike_is_one_value(lang, expected):
    rep = open_report("q1", lang=lang)
    a = OnlineAnswer(True, {"vdab_platform": enrolments(59000)}, baseline=enrolments(29500, 2020), baseline_is_claim=True)
    a.baseline_low, a.baseline_high = 29450.0, 29550.0
    a.direction, a.ratio_low, a.ratio_high = change.UP, 59000 / 29550, 59000 / 29450
    sentence = text(online.evolution_text(rep, a))
    assert expected in sentence and not re.search(r"2[.,]00 (?:to|tot) 2[.,]00", sentence)


def test_between_gives_one_value_when_the_ends_print_alike():
    assert Lang("en").between("1,000", "1,000") == "1,000" and Lang("nl").ratio_range(1.996, 2.004, 1) == "2,0"


# ------------------------------------------------------------------------------ shares above 100%
@pytest.mark.parametrize(
    "lang,expected",
    [
        ("en", "1,400 extra actions with home learning more than made up for the 400 lost actions"),
        ("nl", "maakten 1.400 extra acties met thuisleren de 400 verdwenen acties zonder thuisleren ruimschoots goed"),
    ],
)
def test_an_offset_above_100_percent_is_more_than_made_up(lang, expected):
    rep = open_report("q5", lang=lang)
    sentence = text(q5.shift_text(rep, answer()))
    assert expected in sentence and "350" not in sentence


@pytest.mark.parametrize("lang,expected", [("en", "made up for all 400 lost"), ("nl", "alle 400 verdwenen acties")])
def test_an_offset_of_exactly_100_percent_is_all(lang, expected):
    rep = open_report("q5", lang=lang)
    assert expected in text(q5.shift_text(rep, answer(home=(600, 1000))))


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize(
    "case",
    [
        dict(physical=(2000, 1600), home=(600, 200), home_only=(0, 0), online_pair=(20000, 30000)),  # ends coincide
        dict(physical=(2000, 1600), home=(600, 1000), online_pair=(20000, 40000)),  # no net loss
        {},  # the lost actions could exceed the whole online growth
    ],
)
def test_lost_actions_are_never_turned_into_a_share_of_the_online_growth(lang, case):
    """Actions of jobseekers and enrolments of all users: the answer and the caveats set no number between them
    (second cold read), whatever the loss and the growth; the answer says it cannot be determined."""
    rep = open_report("q5", lang=lang)
    a = answer(**case)
    conclusion = text(q5.conclusion_text(rep, a))
    said = "The two series count different things" if lang == "en" else "De twee reeksen tellen niet hetzelfde"
    assert said in conclusion and "%" not in conclusion.split(said)[1]
    caveats = text(q5.caveats(rep, a))
    assert not re.search(r"(?:online growth|online groei)", caveats), caveats


# ------------------------------------------------------------------------------ zeros and absent figures
@pytest.mark.parametrize(
    "lang,expected",
    [
        ("en", "Through partners’ platforms no learners enrolled in VDAB online courses"),
        ("nl", "Via de platformen van partners schreven in januari en februari 2021 geen cursisten zich in"),
    ],
)
def test_no_partner_learners_is_said_as_none(lang, expected):
    rep = open_report("q1", lang=lang)
    a = OnlineAnswer(True, {"vdab_platform": enrolments(500), "partner_platform": enrolments(0, channel="partner_platform")})
    sentence = text(q1.short_answer(rep, a))
    assert expected in sentence and not re.search(r"\b0 (?:more|learners|cursisten)", sentence)


@pytest.mark.parametrize(
    "lang,expected",
    [("en", "all of them by people already registered as jobseekers at the time; none by"), ("nl", "geen enkele door wie")],
)
def test_a_zero_part_of_the_partial_figure_is_none(lang, expected):
    rep = open_report("q4", lang=lang)
    p = q4.partial(rep)
    p.parts["employee_or_temporarily_unemployed"] = Quantity(0.0, "online_actions_started", "x", "2021-01", "2021-02")
    p.parts["jobseeker"] = Quantity(5660.0, "online_actions_started", "x", "2021-01", "2021-02")
    p.total = Quantity(5660.0, "online_actions_started", "x", "2021-01", "2021-02")
    sentence = text(q4.partial_text(rep, p))
    assert expected in sentence and "(0.0%)" not in sentence and "(0,0%)" not in sentence


@pytest.mark.parametrize("lang,expected", [("en", "started no online-learning actions"), ("nl", "geen acties online leren")])
def test_no_partial_actions_at_all_is_said_as_none(lang, expected):
    rep = open_report("q4", lang=lang)
    p = q4.partial(rep)
    zero = Quantity(0.0, "online_actions_started", "x", "2021-01", "2021-02")
    p.parts = {"employee_or_temporarily_unemployed": zero, "jobseeker": zero}
    p.total, p.shares = zero, {}
    assert expected in text(q4.partial_text(rep, p))


@pytest.mark.parametrize(
    "lang,expected", [("en", "started no actions with training hours only"), ("nl", "geen acties zonder thuisleren")]
)
def test_no_purely_physical_actions_is_said_as_none(lang, expected):
    rep = open_report("q5", lang=lang)
    assert expected in text(rep.count("q5.short.lead", 0, period=rep.period, n="0"))


# ------------------------------------------------------------------------------ provisional, from the data
@pytest.mark.parametrize(
    "flags,en,nl",
    [
        ({2020: False, 2021: True}, "The 2021 figures are provisional", "De cijfers van 2021 zijn voorlopig"),
        ({2020: True, 2021: False}, "The 2020 figures are provisional", "De cijfers van 2020 zijn voorlopig"),
        ({2020: True, 2021: True}, "The figures of both years are provisional", "De cijfers van beide jaren zijn voorlopig"),
        ({2020: False, 2021: False}, None, None),
    ],
)
def test_provisional_is_said_only_of_the_years_the_data_mark(flags, en, nl):
    for lang, expected in (("en", en), ("nl", nl)):
        rep = open_report("q5", lang=lang)
        a = answer(provisional=flags)
        sentence = text(q5.short_answer(rep, a))
        caveats = text(q5.caveats(rep, a))
        if expected is None:
            assert "provisional" not in sentence + caveats and "voorlopig" not in sentence + caveats
        else:
            assert expected in sentence


def test_the_data_mark_the_answers_2021_figures_provisional():
    a = q5.compute(open_report("q5"))
    assert a.provisional == {2020: False, 2021: True}


# ------------------------------------------------------------------------------ signed zeros
@pytest.mark.parametrize("lang", LANGS)
def test_a_change_that_rounds_to_zero_has_no_sign(lang):
    L = Lang(lang)
    zero = "0,0" if lang == "nl" else "0.0"
    assert L.pct(-0.04, signed=True) == zero + "%" and L.pct(0.04, signed=True) == zero + "%"
    assert L.signed(-0.3) == "0" and L.pct(-0.3, 0, signed=True) == "0%" and L.num(-0.004, 2) == zero + "0"
    assert L.signed(-1942) == "\u22121" + ("." if lang == "nl" else ",") + "942"


@pytest.mark.parametrize("lang,expected", [("en", "hardly any difference"), ("nl", "nauwelijks een verschil")])
def test_a_long_series_that_hardly_moved_has_no_signed_zero(lang, expected):
    rep = open_report("q7", lang=lang)
    values = {"first": "2015", "last": "2019", "a": "50,000", "b": "49,900", "pct": rep.lang.pct(-0.2, 0, signed=True)}
    sentence = text(rep.change("q7.short.long", 50000, 49900, **values))
    assert expected in sentence and "\u22120" not in sentence and "+0" not in sentence


# ------------------------------------------------------------------------------ the check every scenario and property runs
@pytest.mark.parametrize(
    "lang,sentence",
    [
        ("en", "Enrolments stayed about the same, from 40,000 to 40,000."),
        ("nl", "Het totaal bleef ongeveer gelijk, van 2.500 naar 2.500."),
        ("en", "If those 1,000 to 1,000 lost actions had each become 1 to 1 online enrolments."),
        ("en", "Extra actions made up 350.0% of the 400 lost actions."),
        ("nl", "Extra acties maakten 350,0% goed van de 400 verdwenen acties."),
        ("en", "That would account for about 0.0% to 180.0% of the online growth."),
        ("en", "Through partners, 0 more learners were counted."),
        ("en", "A net fall of 0 in all actions."),
        ("en", "Of these, 0 (0.0%) by jobseekers."),
        ("nl", "Het aantal ging van 50.000 naar 49.900 (−0%)."),
        ("en", "A change of +0.0% in the total."),
    ],
)
def test_the_incoherent_wordings_are_found_in_any_report(lang, sentence):
    from tests import inprocess

    out = inprocess.Output("qx", lang, [f"<p>{sentence}</p>"])
    assert inprocess.wording_problems(out), sentence


def test_coherent_wordings_pass():
    from tests import inprocess

    out = inprocess.Output(
        "qx", "en", ["<p>It rose from 3,781 to 5,022 (+32.8%): 63.9% of the 1,942 lost actions; about 2% to 14%.</p>"]
    )
    assert inprocess.wording_problems(out) == []


@pytest.mark.parametrize(
    "lang,expected", [("en", "the course list adds up to more, 90,000."), ("nl", "de cursuslijst telt er meer, 90.000.")]
)
def test_a_course_list_above_the_official_total_is_not_a_share(lang, expected, extract_dir):
    from analysis.questions import q2_courses as q2

    path = extract_dir / "extracts" / "courses.csv"
    text_ = path.read_text(encoding="utf-8")
    path.write_text(text_.replace(",900,", ",30000,").replace(",1200,", ",30000,").replace(",300,", ",30000,"), encoding="utf-8")
    rep = open_report("q2", lang=lang, data_dir=str(extract_dir))
    sentence = text(q2.short_answer(rep, q2.compute(rep, 3)))
    assert expected in sentence and not re.search(r"1\d\d[.,]\d%", sentence)


# ---------------------------------------------------------------------------------------- ratios and parts in words
@pytest.mark.parametrize(
    ("low", "high", "nl", "en"),
    [
        (2.11, 2.19, "ruim het dubbele", "more than double"),  # the whole interval above 2 and at most 3
        (3.2, 3.9, "ruim drie keer zoveel", "more than three times as many"),
        (1.86, 1.92, None, None),  # below 2: the interval itself is shown
        (2.0, 2.4, None, None),  # touches 2: 'more than' would not hold for all of it
        (2.9, 3.1, None, None),  # straddles 3
        (2.5, 3.2, None, None),  # above 2, but beyond 3: 'ruim het dubbele' would understate it
    ],
)
def test_a_ratio_interval_is_said_in_words_only_when_the_words_hold_for_all_of_it(low, high, nl, en):
    from analysis.report import wording

    assert wording.times_over(Lang("nl"), low, high) == nl
    assert wording.times_over(Lang("en"), low, high) == en


@pytest.mark.parametrize(
    ("pct", "nl", "en"),
    [
        (63.9, "bijna twee derde (64%)", "almost two thirds (64%)"),  # below the fraction: almost
        (50.0, "ongeveer de helft (50%)", "about half (50%)"),
        (24.0, "bijna een kwart (24%)", "almost a quarter (24%)"),
        (35.0, "ruim een derde (35%)", "more than a third (35%)"),  # above it: more than
        (66.8, "ongeveer twee derde (67%)", "about two thirds (67%)"),  # the whole percent rounds to it
        (41.0, "ongeveer 41%", "about 41%"),  # no fraction near: a whole percent
        (90.0, "ongeveer 90%", "about 90%"),
    ],
)
def test_a_part_of_a_net_change_is_said_as_a_fraction_or_a_whole_percent(pct, nl, en):
    from analysis.report import wording

    assert wording.part_words(Lang("nl"), pct) == nl
    assert wording.part_words(Lang("en"), pct) == en


# ---------------------------------------------------------------------------------------- each quoted statement by name
def test_chapter_six_names_every_quoted_statement_with_what_the_figures_show(lang="en"):
    """One sentence per verdict: in line, not in line, nothing to check against, and not verifiable (after the figure
    that could not be checked it says 'that rounded figure'; on its own it says where the rounded figure comes from)."""
    from analysis.core import claims
    from analysis.questions import q6_fact_check as q6

    rep = open_report("q6", lang=lang)
    level, base, ratio = q6.claim_checks(rep)
    assert (level.verdict, base.verdict, ratio.verdict) == (claims.CONSISTENT, claims.UNCHECKABLE, claims.NOT_VERIFIABLE)
    said = [plain_text(q6.claim_sentence(rep, c, i, [level, base, ratio])) for i, c in enumerate((level, base, ratio))]
    assert said[0] == (  # the number holds; the statement's trainings followed are not the answer's enrolments
        "The number in the statement ‘bijna 63.000 opleidingen’ (the minister, as the question reports) is in line with"
        " the official figure (62,297). The statement does count trainings, while the answer counts"
        " enrolments: an enrolment is not yet a training followed or completed."
    )
    assert said[1].startswith("The figure for ‘vorig jaar op dit moment’ (the minister, as the question reports) is")
    assert "but the comparison figure is not in the written answer, so it cannot be checked" in said[2]
    alone = plain_text(q6.claim_sentence(rep, ratio, 0, [ratio]))
    assert "rests on a rounded figure that is not in the written answer" in alone
    off = claims.ClaimCheck(
        level.claim_id, level.qualifier, level.claimed, "vdab_platform", 50000.0, 50000.0, claims.INCONSISTENT
    )
    assert "is not in line with the official figures (50,000)" in plain_text(q6.claim_sentence(rep, off, 0, [off]))


# ---------------------------------------------------------------------------------------- the type mix of Table 1
@pytest.mark.parametrize("lang", LANGS)
def test_the_type_mix_caveat_is_said_only_when_a_lockdown_followed_the_comparison_months(lang):
    """Actions started in January-February 2020 ran into the first lockdown: their mix of types is caveated, with the
    rise of type 1's share between the months. A comparison year long before the lockdown gets no such caveat."""
    rep = open_report("q5", lang=lang)
    a = q5.compute(rep)
    said = " ".join(q5.type_caveats(rep, a))
    assert ("18 March 2020" if lang == "en" else "18 maart 2020") in said
    assert (
        "from 23% to 52% between January and February 2020"
        if lang == "en"
        else "van 23% naar 52% tussen januari en februari 2020"
    ) in said
    early = open_report("q5", lang=lang, year=2020, compare_year=2019)
    from analysis.questions.common import context

    assert context.lockdown_soon_after(early) is None  # February 2019 ends more than a year before March 2020


@pytest.mark.parametrize(
    ("provisional", "old", "new", "expected"),
    [
        ("year", 9578, 8877, (701, 701 / 8877 * 100)),  # a fall late registrations to the latest year can undo
        ("year", 8877, 9578, None),  # a rise they can only widen
        ("compare", 8877, 9578, (701, 701 / 8877 * 100)),  # a rise that registrations to the earlier year can undo
        ("compare", 9578, 8877, None),
        ("both", 9578, 8877, None),  # both years may still grow: no one size undoes the change
        ("year", 500, 500, None),  # nothing to undo
        ("year", 500, 0, None),  # no count to take a share of
    ],
)
def test_the_size_of_late_registrations_that_would_undo_a_change(provisional, old, new, expected):
    """The break-even said after a provisional change: only where late registrations can undo it."""
    from types import SimpleNamespace

    pair = (SimpleNamespace(value=old), SimpleNamespace(value=new))
    got = q5.break_even(SimpleNamespace(all_actions=pair), provisional)
    assert got == (pytest.approx(expected) if expected else None)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_provisional_fall_says_how_many_late_registrations_would_undo_it(lang):
    """Chapter 5's caveat and the summary's finding give the break-even, 701 actions (7.9%) on the data (statistician,
    round 28: the headline fall beside what could erase it); the annex traces it to its sum and rows."""
    rep, a, said = q5_caveats(lang)
    assert (
        "701 or more are still added for 2021 (7.9% of the current figure)"
        if lang == "en"
        else "nog 701 of meer bijkomen (7,9% van het huidige cijfer)"
    ) in said
    finding, derived = q5_summary(rep, a)
    assert (
        "The 2021 figures are provisional: if 701 or more are still added (7.9% of the current figure), the fall of the total vanishes."
        if lang == "en"
        else "De cijfers van 2021 zijn voorlopig: komen er nog 701 of meer bij (7,9% van het huidige cijfer), dan verdwijnt de daling van het totaal."
    ) in finding
    gap = derived[rep.t("q5.derived.break_even")]
    assert gap["value"] == ("701 (7.9%)" if lang == "en" else "701 (7,9%)")
    assert gap["formula"] == ("9,578 − 8,877; 701 / 8,877" if lang == "en" else "9.578 − 8.877; 701 / 8.877")
    assert len(gap["refs"]) == 12 and all(r.startswith("CA-") for r in gap["refs"])  # the six cells of each year


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_working_days_stay_in_chapter_5_and_the_annex(lang):
    """Two fewer working days in January-February 2021 than in 2020 (1 January on a Friday, not a Wednesday): the
    change per working day rests on an assumption, so it stays in chapter 5's caveats and the annex, with its sum,
    not on the summary page (editor and statistician, round 27)."""
    rep, a, said = q5_caveats(lang)
    finding, derived = q5_summary(rep, a)
    assert ("working day" if lang == "en" else "werkdag") not in finding
    assert ("−2.7%" if lang == "en" else "−2,7%") in said and ("−20.7%" if lang == "en" else "−20,7%") in said
    per_day = derived[rep.t("q5.derived.per_day")]
    assert per_day["value"] == ("−2.7%" if lang == "en" else "−2,7%")
    assert per_day["formula"] == ("(8,877 / 40) / (9,578 / 42) − 1" if lang == "en" else "(8.877 / 40) / (9.578 / 42) − 1")
    # the weekdays that carry the difference, each year's count with its sum (statistician, round 42)
    fridays = {
        year: derived[rep.t("q5.derived.weekday", day=rep.lang.weekday(4), period=period)]
        for year, period in ((2020, rep.compare_period), (2021, rep.period))
    }
    assert (fridays[2020]["value"], fridays[2020]["formula"]) == ("9", "9 − 0")
    assert (fridays[2021]["value"], fridays[2021]["formula"]) == ("8", "9 − 1")  # 1 January 2021
    monday = rep.t("q5.derived.weekday", day=rep.lang.weekday(0), period=rep.period)
    assert monday not in derived  # as many Mondays in both years: no row


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_trend_check_names_how_the_offer_of_online_courses_moved(lang):
    """Chapter 7's trend check says what the data give on the offer (230 courses in 2017, 265 in 2019), with its
    direction and source; a year before two offer figures exist gets no such sentence."""
    from analysis.questions import q7_context as q7

    rep = open_report("q7", lang=lang)
    text, shown = q7.offer_sentence(rep, 2019)
    assert text == (
        "The number of online courses offered rose from 230 to 265 between 2017 and 2019 (HLN, 6 March 2020)."
        if lang == "en"
        else "Het aantal aangeboden online cursussen steeg van 230 naar 265 tussen 2017 en 2019 (HLN, 6 maart 2020)."
    )
    assert {f.value for f in shown} >= {230.0, 265.0}
    assert q7.offer_sentence(rep, 2018) is None  # one year of the offer only
    frame = rep.data["context_figures"]
    frame.loc[frame.figure_id == "C2", "count"] = 200  # the same data with a smaller offer in 2019
    fell = q7.offer_sentence(rep, 2019)[0]
    assert (
        "fell from 230 to 200 between 2017 and 2019" if lang == "en" else "daalde van 230 naar 200 tussen 2017 en 2019"
    ) in fell
    frame.loc[frame.figure_id == "C2", "count"] = 230
    assert ("stayed at 230" if lang == "en" else "bleef op 230") in q7.offer_sentence(rep, 2019)[0]
    text = plain_text(q7.checks_section(rep, q7.compute(rep)))
    assert ("stayed at 230 in 2017 and 2019" if lang == "en" else "bleef op 230 in 2017 en 2019") in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_guide_quotes_each_fall_with_what_would_undo_it_and_no_per_working_day_figure(lang):
    """Each quoted fall comes with the late registrations that would undo it (statistician, round 34); the change per
    working day stays out of the guide: depending on the weekdays training starts on, the calendar could even turn the
    fall into a rise (statistician, round 35)."""
    rep = open_report("q5", lang=lang)
    a = q5.compute(rep)
    q5.quote_notes(rep, a, q5.figures(rep, a), "year")
    said = " ".join(f["text"] for f in rep.findings if f["role"] == "with_definition")
    assert (
        "The fall of all actions vanishes if 701 or more are still added (7.9%); that of actions with training hours only"
        " only at 1,942 or more of that type (50.4%)."
        if lang == "en"
        else "De daling van alle acties verdwijnt als er nog 701 of meer bijkomen (7,9%); die van de acties zonder"
        " thuisleren pas bij 1.942 of meer van dat type (50,4%)."
    ) in said
    assert "working day" not in said and "werkdag" not in said
    rep = open_report("q5", lang=lang)
    q5.quote_notes(rep, a, q5.figures(rep, a), None)  # final figures: nothing to undo
    said = " ".join(f["text"] for f in rep.findings if f["role"] == "with_definition")
    assert said and "701" not in said


@pytest.mark.parametrize("lang", LANGS)
def test_a_total_whose_empty_cell_comes_from_it_is_not_called_an_independent_check(lang):
    """January 2020's empty type 3 cell is 0 because the total says so: that total agrees with its parts by
    construction, which chapter 6 says (statistician, round 34); the other totals are checked as before."""
    from analysis.questions import q6_fact_check as q6

    rep = open_report("q6", lang=lang)
    checks = q6.compute(rep)
    imputed = [c for c in checks if c.imputed]
    assert [(c.operation, c.months, c.years) for c in imputed] == [("sum", (1,), (2020,))]
    assert not any(c.imputed for c in checks if c.years != (2020,) or c.months != (1,))
    said = plain_text(q6.short_answer(rep, checks, q6.claim_checks(rep)))
    assert (
        "For the total of January 2020 that is no independent check: its empty cell was derived from that total."
        if lang == "en"
        else "Voor het totaal van januari 2020 is dat geen onafhankelijke controle: de lege cel erin is uit dat totaal afgeleid."
    ) in said
    shown = repr(q6.table(rep, checks))
    assert shown.count(rep.t("q6.status_imputed")) == 1


@pytest.mark.parametrize(
    "direction,words",
    [
        ("up", "the figure for January and February 2020 was lower and the rise is larger still."),
        ("down", "the figure for January and February 2020 was lower and the fall is smaller or vanishes."),
        ("same", "the figure for January and February 2020 was lower than assumed here."),
    ],
)
def test_a_longer_period_behind_the_quoted_base_is_worded_for_the_periods_direction(direction, words):
    """Chapter 1's caveat says what a longer period behind the quoted base does to this period's change only (editor,
    round 38: "a rise larger, a fall smaller" beside a rise read as a template)."""
    from dataclasses import replace

    rep = open_report("q1", lang="en")
    a = replace(q1.compute(rep), direction=direction)
    said = plain_text(q1.caveats(rep, a))
    assert words in said
    others = {"up": "rise is larger", "down": "fall is smaller", "same": "lower than assumed here"}
    assert all(text not in said for d, text in others.items() if d != direction)


@pytest.mark.parametrize(
    ("enrolments", "en", "nl"),
    [
        (
            62297,
            "if that figure covers January and February 2020 and counts enrolments on the same platform; if it covers"
            " more months, counted the same way, the ratio is larger still.",
            "als dat cijfer over januari en februari 2020 gaat en inschrijvingen op hetzelfde platform telt; gaat het"
            " over meer maanden, met dezelfde telling, dan is de verhouding nog groter.",
        ),
        (
            20000,
            "if that figure covers January and February 2020 and counts enrolments on the same platform; if it covers"
            " more months, counted the same way, the fall is smaller or vanishes.",
            "als dat cijfer over januari en februari 2020 gaat en inschrijvingen op hetzelfde platform telt; gaat het"
            " over meer maanden, met dezelfde telling, dan is de daling kleiner of verdwijnt ze.",
        ),
        (
            29000,
            "within the rounding of the 29,000 the question gives for a year earlier (no months named), if that figure"
            " counts enrolments on the same platform.",
            "binnen de afronding van de 29.000 die de vraag voor een jaar eerder noemt, als dat cijfer inschrijvingen op"
            " hetzelfde platform telt.",
        ),
    ],
)
def test_the_summary_compares_with_the_quoted_base_only_if_it_counts_the_same(enrolments, en, nl):
    """Finding 1 rests on two assumptions about the question's 29,000, its months and what it counts, and names both in
    each direction (statistician, round 42: the summary gave the months only)."""

    for lang, words in (("en", en), ("nl", nl)):
        rep = open_report("q1", lang=lang)
        frame = rep.data["online_enrolments"]
        frame.loc[frame.channel == "vdab_platform", "enrolments"] = enrolments
        q1.findings(rep, q1.compute(rep))
        assert words in plain_text(next(f for f in rep.findings if f["role"] == "finding")["text"])


@pytest.mark.parametrize(
    ("year", "months", "where", "finding", "conclusion"),
    [
        (2021, [1, 2], "before", None, None),  # the data: the base ends before the first lockdown
        (  # wholly after: said in chapter 7 only, the summary gains nothing from it
            2023,
            [1, 2],
            "after",
            None,
            "The base (January and February 2022) lies entirely after the start of the first lockdown (18 March 2020), so"
            " the comparison is not one with a period before the pandemic.",
        ),
        (
            2021,
            [3, 4],
            "across",
            "The comparison period (March and April 2020) runs on past the start of the first lockdown (18 March 2020): it"
            " lies partly before and partly during the pandemic.",
            "The base (March and April 2020) runs on past the start of the first lockdown (18 March 2020), so it lies"
            " partly before and partly during the pandemic.",
        ),
    ],
)
def test_chapter_7_says_where_the_comparison_period_lies_against_the_first_lockdown(year, months, where, finding, conclusion):
    """Before, after or across the first lockdown, each in its own words: a period wholly after it is no pre-pandemic
    base, and "not wholly before" would hide that; only a base that runs across it is a key finding (cold read of a
    scenario for 2023 against 2022, round 43)."""
    from analysis.questions import q7_context as q7

    rep = open_report("q7", lang="en", year=year, compare_year=year - 1, months=months)
    a = q7.compute(rep)
    assert a.lockdown[0] == where
    q7.findings(rep, a)
    said = " ".join(plain_text(f["text"]) for f in rep.findings if f["role"] == "finding")
    assert (finding in said) if finding else "first lockdown (" not in said
    concluded = plain_text(q7.conclusion(rep, a))
    assert (conclusion in concluded) if conclusion else "first lockdown (" not in concluded
    nl = open_report("q7", lang="nl", year=year, compare_year=year - 1, months=months)
    text = plain_text(q7.conclusion(nl, q7.compute(nl)))
    assert {"before": "volledig vóór de eerste lockdown", "after": "ligt volledig na het begin", "across": "loopt door tot na"}[
        where
    ] in text


def test_home_learning_that_fell_too_is_said_to_have_fallen(tmp_path):
    """Purely physical actions fell and home learning did not rise: where it fell too it is said so, with its change,
    not that it 'did not make up for the loss' (scenario read, round 43); where it stayed level, that it made up
    nothing."""
    from dataclasses import replace

    from tests.helpers import SCENARIOS, overlay_scenario

    folder = overlay_scenario(SCENARIOS / "everything_falls", tmp_path / "data")
    for lang, fell, level in (
        (
            "en",
            "Actions with home learning fell too (−20.3%): these figures show no shift to hybrid forms.",
            "stayed almost level (0.0%)",
        ),
        (
            "nl",
            "Ook de acties met thuisleren daalden (−20,3%): een verschuiving naar hybride vormen is in deze cijfers niet te zien.",
            "bleven nagenoeg gelijk (0,0%)",
        ),
    ):
        rep = open_report("q5", lang=lang, data_dir=str(folder), year=2023, compare_year=2022)
        a = q5.compute(rep)
        assert fell in plain_text(q5.shift_text(rep, a))
        old, _ = a.groups["with_home_learning"]
        a.groups["with_home_learning"] = (old, replace(old, value=old.value))
        assert level in plain_text(q5.shift_text(rep, a))


def test_the_check_table_has_a_column_of_explanations_only_where_a_row_needs_one(tmp_path):
    """Every published figure matches (the scenario 'everything falls'): no column of empty explanations (scenario
    read, round 43); the data's eight percentages share one explanation, said once under the table; one figure that
    differs without an explanation gets the column and its cell."""
    from dataclasses import replace

    from analysis.questions import q6_fact_check as q6
    from tests.helpers import SCENARIOS, overlay_scenario

    def headers(rep, checks):
        return [c.header for c in q6.table(rep, checks).columns]

    folder = overlay_scenario(SCENARIOS / "everything_falls", tmp_path / "data")
    rep = open_report("q6", lang="en", data_dir=str(folder), year=2023, compare_year=2022)
    checks = q6.compute(rep)
    assert all(c.status == q6.MATCH for c in checks)
    assert rep.t("q6.col.why") not in headers(rep, checks)
    data = open_report("q6", lang="en")
    assert rep.t("q6.col.why") not in headers(data, q6.compute(data))  # one explanation, in the note
    odd = [replace(checks[0], status=q6.MISMATCH, explanation=None), *checks[1:]]
    assert rep.t("q6.col.why") in headers(rep, odd)


def test_a_chapter_lists_a_link_of_unknown_owner_without_its_address():
    """Chapter 2 cites the spreadsheet linked under answer 5: its own source list names it, without the web address,
    as the dossier's list does (scenario read, round 43: the chapter's PDF printed it); the record keeps the address
    for the data files."""
    from analysis.questions import q2_courses as q2
    from analysis.report.render import SOURCES_MIME

    rep = open_report("q2", lang="en")
    q2.short_answer(rep, q2.compute(rep, 10))
    section = rep.sources_section()
    assert "Google Sheets" in str(section) and "docs.google.com" not in str(section)
    record = section.records[SOURCES_MIME][0]
    sheet = next(s for s in record["sources"] if s["source_id"] == "wq-answer-sheet")
    assert sheet["url"].startswith("https://docs.google.com/")
