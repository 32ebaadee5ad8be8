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


@st.composite
def data_folders(draw, official_bases: bool = False):
    """A data folder as a dict of file name -> rows, with the report's parameters."""
    year = draw(st.integers(2001, 2040))
    compare = draw(st.integers(2001, 2040).filter(lambda y: y != year))
    if draw(st.booleans()):
        first = draw(st.integers(1, 12))
        months = list(range(first, draw(st.integers(first, min(12, first + 3))) + 1))
    else:
        months = sorted(draw(st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True)))
    years = [compare, year] if official_bases or draw(st.integers(0, 4)) else [year]
    contact = []
    for y in years:
        for m in months:
            for i, t in enumerate(TYPES, 1):
                contact.append((f"P-{y}-{m:02d}-{i}", y, m, t, draw(COUNTS)))
    if not official_bases and draw(st.booleans()) and len(contact) >= 2:  # ties across the years
        contact[-1] = (*contact[-1][:4], contact[0][4])
    start = lambda y: f"{y:04d}-{months[0]:02d}"  # noqa: E731
    end = lambda y: f"{y:04d}-{months[-1]:02d}"  # noqa: E731
    online, claims = [], []
    base = "official" if official_bases else draw(st.sampled_from(["official", "claim", "none"]))
    for y in (year, compare):
        if y == year or base == "official":
            online.append((f"P-OE-{y}-V", start(y), end(y), "vdab_platform", draw(COUNTS)))
            if not official_bases and draw(st.booleans()):
                online.append((f"P-OE-{y}-P", start(y), end(y), "partner_platform", draw(COUNTS)))
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
        ids = {y: [f"P-{y}-{m:02d}-{i}" for i in (1, 2, 3)] for y in years}
        for y in years:
            total = sum(by_id[i] for i in ids[y]) + draw(st.sampled_from([0, 0, 1]))
            derived.append((f"P-PD-{y}-{m:02d}-T", "sum", " ".join(ids[y]), total, "actions"))
        if len(years) == 2:
            new, old = by_id[ids[year][1]], by_id[ids[compare][1]]
            formula = draw(st.sampled_from(["old", "new"]))
            basis = old if formula == "old" else new
            if basis:
                value = round((new - old) / basis * 100, 1)
                derived.append((f"P-PD-{m:02d}-2-PCT", "pct_change", f"{ids[year][1]} {ids[compare][1]}", value, "pct"))
    return {
        "year": year,
        "compare_year": compare,
        "months": months,
        "contact": contact,
        "online": online,
        "claims": claims,
        "derived": derived,
    }


def write(folder: Path, d: dict) -> Path:
    """The generated files laid over a copy of data/ (which gives the context files), with the synthetic source added."""
    copy_data(folder)
    add_synthetic_source(
        folder,
        f'{SRC},Test suite,SYNTHETIC,2026-11,none,"Gegenereerd door een eigenschapstest.","Generated by a property test.",answer,,\n',
    )
    rows = {
        "contact_actions": ["figure_id,year,month,hours_type,actions,blank_in_source,source_id,locator"]
        + [f"{i},{y},{m},{t},{n},false,{SRC},generated" for i, y, m, t, n in d["contact"]],
        "online_enrolments": ["figure_id,period_start,period_end,channel,population,enrolments,source_id,locator"]
        + [f"{i},{s},{e},{c},all_users,{n},{SRC},generated" for i, s, e, c, n in d["online"]],
        "claims": ["claim_id,period_start,period_end,measure,qualifier,value,unit,source_id,locator"]
        + [f"{i},{s},{e},{m},{q},{v},{u},{SRC},generated" for i, s, e, m, q, v, u in d["claims"]]
        + [f"P-CL-OLD,2000-01,2000-01,online_trainings,about,1000,trainings,{SRC},generated"],
        "published_derived": ["derived_id,operation,operands,value,unit,source_id,locator"]
        + [f"{i},{op},{ops},{v},{u},{SRC},generated" for i, op, ops, v, u in d["derived"]],
        "online_actions": [
            "figure_id,period_start,period_end,population,status_at_start,actions,source_id,locator",
            f"P-OA,2000-01,2000-02,temporary_unemployment_declared_since_2020_03,jobseeker,5,{SRC},generated",
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
                if question in ("q1", "q5", "q6"):
                    assert inprocess.problems(out) == [], (question, lang, out.text[:2000])


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
    return " ".join(paragraphs[:-1]), answer  # the last paragraph is the conclusion, chosen by case


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
