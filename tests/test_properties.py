"""Properties over generated data folders that meet the contract: the reports stay true on any data.

Hypothesis writes complete data folders (counts including 0 and ties, any subset of months, any
pair of years, official or rounded or missing bases, right and wrong published figures), and every
notebook's calls run on them in-process in both languages. The narrative check runs inside every
short answer, so a sentence its figures do not support fails the property.

CI runs a fixed, small number of examples (6 per property under the ``ci`` profile); run
``pytest --hypothesis-profile=hunt tests/test_properties.py`` for 120 with random seeds.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core import change
from analysis.questions import q5_contact_vs_online as q5
from analysis.questions.common import online
from analysis.report.frame import Report
from tests import inprocess
from tests.helpers import add_synthetic_source, copy_data, examples

pytestmark = pytest.mark.notebook
SETTINGS = settings(max_examples=examples(6))  # the rest comes from the Hypothesis profile (tests/conftest.py)
SRC = "property-synthetic"
TYPES = ("training_and_home", "training_only", "home_only")
COUNTS = st.one_of(st.integers(0, 3), st.integers(0, 60), st.integers(0, 80_000))


#: How the months of a report are drawn: one month, three months, another run of months, or any set of them.
MONTH_SHAPES = ("one", "three", "run", "any")
#: How the counts of the two years relate: drawn apart, equal (every count the same in both years), with zeros
#: (whole series empty), or with home learning gaining more than purely physical training loses (shares above 100%).
COUNT_SHAPES = ("apart", "equal", "zeros", "beyond_100")


@st.composite
def data_folders(draw, official_bases: bool = False):
    """A data folder as a dict of file name -> rows, with the report's parameters.

    Besides counts drawn apart, it draws the cases whose wording went wrong before: equal values in both years,
    zeros and missing figures per series (a type of hours, the partner channel, the partial figure, a claim),
    shares beyond 100%, one and three months, and a later year whose figures are provisional beside final ones.
    """
    year = draw(st.integers(2001, 2040))
    compare = draw(st.integers(2001, 2040).filter(lambda y: y != year))
    shape = draw(st.sampled_from(MONTH_SHAPES))
    if shape in ("one", "three"):
        length = 1 if shape == "one" else 3
        first = draw(st.integers(1, 13 - length))
        months = list(range(first, first + length))
    elif shape == "run":
        first = draw(st.integers(1, 12))
        months = list(range(first, draw(st.integers(first, min(12, first + 3))) + 1))
    else:
        months = sorted(draw(st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True)))
    years = [compare, year] if official_bases or draw(st.integers(0, 4)) else [year]
    counts = draw(st.sampled_from(COUNT_SHAPES))
    missing_type = draw(st.sampled_from((None, *TYPES))) if not official_bases and counts == "apart" else None
    contact = []
    for y in years:
        for m in months:
            for i, t in enumerate(TYPES, 1):
                if t == missing_type and draw(st.booleans()):
                    continue  # a type of hours with no row in one year: none started
                n = 0 if counts == "zeros" and t != "training_and_home" else draw(COUNTS)
                contact.append((f"P-{y}-{m:02d}-{i}", y, m, t, n))
    if counts == "equal" and len(years) == 2:  # every count of the report's year equals the comparison year's
        earlier = {(m, t): n for _, y, m, t, n in contact if y == compare}
        contact = [(i, y, m, t, earlier.get((m, t), n) if y == year else n) for i, y, m, t, n in contact]
    if counts == "beyond_100" and len(years) == 2:  # each month purely physical loses d, home learning gains 2d to 4d
        loss = draw(st.integers(1, 500))
        gain = loss * draw(st.integers(2, 4))
        earlier = {(m, t): n for _, y, m, t, n in contact if y == compare}
        later = {
            "training_only": lambda m: earlier[(m, "training_only")],
            "home_only": lambda m: earlier[(m, "home_only")] + gain,
        }
        contact = [
            (i, y, m, t, n + loss if t == "training_only" else n)  # the comparison year had d more purely physical
            if y == compare
            else (i, y, m, t, later[t](m) if t in later else earlier[(m, t)])
            for i, y, m, t, n in contact
        ]
    if not official_bases and counts == "apart" and draw(st.booleans()) and len(contact) >= 2:  # ties across the years
        contact[-1] = (*contact[-1][:4], contact[0][4])
    provisional = set(draw(st.sets(st.sampled_from(years), max_size=len(years))))
    start = lambda y: f"{y:04d}-{months[0]:02d}"  # noqa: E731
    end = lambda y: f"{y:04d}-{months[-1]:02d}"  # noqa: E731
    online, claims = [], []
    base = "official" if official_bases else draw(st.sampled_from(["official", "claim", "none"]))
    for y in (year, compare):
        if y == year or base == "official":
            online.append((f"P-OE-{y}-V", start(y), end(y), "vdab_platform", draw(COUNTS)))
            if not official_bases and draw(st.booleans()):
                online.append((f"P-OE-{y}-P", start(y), end(y), "partner_platform", draw(COUNTS)))
    if counts == "equal" and len(online) >= 2 and online[0][3] == online[1][3] == "vdab_platform":
        online[0] = (*online[0][:4], online[1][4])
    if base == "claim":
        claims.append(
            ("P-CL-BASE", start(compare), end(compare), "online_trainings", "about", draw(st.integers(1, 90)) * 1000, "trainings")
        )
    if not official_bases and draw(st.booleans()):
        claims.append(
            (
                "P-CL-LEVEL",
                start(year),
                end(year),
                "online_trainings",
                draw(st.sampled_from(["almost", "about"])),
                draw(st.integers(1, 90)) * 1000,
                "trainings",
            )
        )
    if not official_bases and draw(st.booleans()):
        claims.append(("P-CL-RATIO", start(year), end(year), "online_trainings_ratio_to_previous_year", "more_than", 2, "ratio"))
    derived = []
    by_id = {c[0]: c[4] for c in contact}
    for m in months[:2]:
        ids = {y: [f"P-{y}-{m:02d}-{i}" for i in (1, 2, 3) if f"P-{y}-{m:02d}-{i}" in by_id] for y in years}
        for y in years:
            if not ids[y]:
                continue
            total = sum(by_id[i] for i in ids[y]) + draw(st.sampled_from([0, 0, 1]))
            derived.append((f"P-PD-{y}-{m:02d}-T", "sum", " ".join(ids[y]), total, "actions"))
        if len(years) == 2 and all(f"P-{y}-{m:02d}-2" in by_id for y in years):
            ids = {y: [f"P-{y}-{m:02d}-{i}" for i in (1, 2, 3)] for y in years}
            new, old = by_id[ids[year][1]], by_id[ids[compare][1]]
            formula = draw(st.sampled_from(["old", "new"]))
            basis = old if formula == "old" else new
            if basis:
                value = round((new - old) / basis * 100, 1)
                derived.append((f"P-PD-{m:02d}-2-PCT", "pct_change", f"{ids[year][1]} {ids[compare][1]}", value, "pct"))
    actions = []
    if not official_bases and draw(st.booleans()):  # the partial figure of q4 for the report's period, zeros included
        for status in ("employee_or_temporarily_unemployed", "jobseeker"):
            actions.append((f"P-OA-{status[:3]}", start(year), end(year), status, draw(st.sampled_from([0, 0, 7, 1200]))))
    return {
        "year": year,
        "compare_year": compare,
        "months": months,
        "contact": contact,
        "online": online,
        "claims": claims,
        "derived": derived,
        "provisional": provisional,
        "actions": actions,
    }


def _by(measure: str) -> str:
    """Who makes a generated statement: the ratio is the question's own conclusion, as in the source."""
    return "question_author" if measure == "online_trainings_ratio_to_previous_year" else "minister"


def write(folder: Path, d: dict) -> Path:
    """The generated files laid over a copy of data/ (which gives the context files), with the synthetic source added."""
    copy_data(folder)
    add_synthetic_source(
        folder,
        f'{SRC},Test suite,SYNTHETIC,2026-11,none,"Gegenereerd door een eigenschapstest.","Generated by a property test.",answer,,,stated\n',
    )
    rows = {
        "contact_actions": ["figure_id,year,month,hours_type,actions,blank_in_source,provisional,source_id,locator"]
        + [
            f"{i},{y},{m},{t},{n},false,{str(y in d.get('provisional', ())).lower()},{SRC},generated"
            for i, y, m, t, n in d["contact"]
        ],
        "online_enrolments": ["figure_id,period_start,period_end,channel,population,enrolments,source_id,locator"]
        + [f"{i},{s},{e},{c},all_users,{n},{SRC},generated" for i, s, e, c, n in d["online"]],
        "claims": ["claim_id,period_start,period_end,measure,qualifier,value,unit,stated_by,quote,source_id,locator"]
        + [f"{i},{s},{e},{m},{q},{v},{u},{_by(m)},generated words,{SRC},generated" for i, s, e, m, q, v, u in d["claims"]]
        + [f"P-CL-OLD,2000-01,2000-01,online_trainings,about,1000,trainings,minister,old words,{SRC},generated"],
        "published_derived": ["derived_id,operation,operands,value,unit,source_id,locator"]
        + [f"{i},{op},{ops},{v},{u},{SRC},generated" for i, op, ops, v, u in d["derived"]],
        "online_actions": [
            "figure_id,period_start,period_end,population,status_at_start,actions,source_id,locator",
            f"P-OA,2000-01,2000-02,temporary_unemployment_declared_since_2020_03,jobseeker,5,{SRC},generated",
        ]
        + [
            f"{i},{s},{e},temporary_unemployment_declared_since_2020_03,{st_},{n},{SRC},generated"
            for i, s, e, st_, n in d.get("actions", [])
        ],
    }
    if not d["derived"]:  # the contract wants one row: a sum outside the report's period
        first = d["contact"][0]
        rows["published_derived"].append(f"P-PD-X,sum,{first[0]},{first[4]},actions,{SRC},generated")
    for name, lines in rows.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@SETTINGS
@given(data_folders())
def test_every_notebook_on_generated_data_says_only_what_its_figures_support(d):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write(Path(tmp) / "data", d)
        for lang in ("nl", "en"):
            for question in inprocess.QUESTIONS:
                out = inprocess.run(
                    question, folder, year=d["year"], compare_year=d["compare_year"], months=d["months"], lang=lang
                )
                assert out.short_answer, (question, lang)
                # every output against the report's ledger, and no incoherent wording (inprocess.problems)
                assert inprocess.problems(out) == [], (question, lang, inprocess.problems(out), out.text[:2000])


WORDS = {"rose": change.UP, "fell": change.DOWN, "about the same": change.SAME}
FLIP = {change.UP: change.DOWN, change.DOWN: change.UP, change.SAME: change.SAME}
PAIR = re.compile(r"from (?:about )?(\d[\d,]*(?:\.\d+)?%?) to (?:about )?(\d[\d,]*(?:\.\d+)?%?)")


def _change_paragraphs(question: str, folder: Path, year: int, compare: int, months: list[int]) -> tuple[str, object]:
    rep = Report.open(question, year=year, compare_year=compare, months=months, lang="en", data_dir=str(folder))
    if question == "q1":
        answer = online.compute(rep)
        return online.evolution_text(rep, answer), answer
    answer = q5.compute(rep)
    paragraphs = re.findall(r"<p>(.*?)</p>", str(q5.short_answer(rep, answer)))
    if q5.case(answer) != q5.UNDECIDED:
        paragraphs = paragraphs[:-1]  # the last paragraph is the conclusion, chosen by case
    # and so is the verdict that closes the first paragraph (in bold): neither turns round with the years
    return re.sub(r"<strong>[^<]{20,}</strong>.*?(?=</p>|$)", "", " ".join(paragraphs)), answer


@SETTINGS
@given(data_folders(official_bases=True))
def test_swapping_the_years_turns_every_rise_into_a_fall_and_keeps_the_numbers(d):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write(Path(tmp) / "data", d)
        y, c, months = d["year"], d["compare_year"], d["months"]
        for question in ("q1", "q5"):
            forward, a = _change_paragraphs(question, folder, y, c, months)
            backward, b = _change_paragraphs(question, folder, c, y, months)
            words_f = Counter(FLIP[WORDS[w]] for w in re.findall(r"rose|fell|about the same", forward))
            words_b = Counter(WORDS[w] for w in re.findall(r"rose|fell|about the same", backward))
            assert words_f == words_b, (question, forward, backward)
            assert Counter((n, o) for o, n in PAIR.findall(forward)) == Counter(PAIR.findall(backward)), (
                question,
                forward,
                backward,
            )
            if question == "q5" and a.available:
                assert list(a.cells.old) == list(b.cells.new) and list(a.cells.new) == list(b.cells.old)
