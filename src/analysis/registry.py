"""The questions the package answers, declared once.

Everything that needs to know "which questions exist" reads :data:`QUESTIONS`: the report frame
(which data files a question loads, whether it compares two periods), the notebook parameters
cell, the manifest's default reports and the order of the combined document, the kernel warm-up,
the notebook intro cells and the tests. Adding a question is one entry here plus its notebook,
its module and its catalogue text; ``python -m analysis new-question`` writes all four.

The module sits below every layer (like :mod:`analysis.parameters`) and imports no question
module, so the runner can read it without loading pandas or the analysis code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from analysis import config
from analysis.errors import ConfigError
from analysis.parameters import COMMON, DISCLOSURE_THRESHOLD, TOP_N, Parameter

Part = Literal["answer", "context"]


@dataclass(frozen=True)
class Question:
    """One question: its notebook, module, parameters, data and place in the combined document."""

    id: str  # "q5": the report's name, the catalogue prefix of its text, the first part of its file names
    slug: str  # "contact_vs_online": the rest of the notebook's and module's name
    datasets: tuple[str, ...]  # the data files it reads; loading only these keeps the build cache precise
    parameters: tuple[Parameter, ...] = COMMON  # in the order of the notebook's parameters cell
    single_period: bool = False  # describes one period and compares it with none
    part: Part = "answer"  # "answer": a chapter of the answer; "context": after the answers
    #: The data set whose periods the chapter's period line spans ("figures from 2015 to 2021"), for a chapter
    #: that reads figures over many years beside the two compared periods; empty for one or two periods.
    span_from: str = ""
    #: True when the chapter answers a question the member asked; False for the dossier's own (its question is then
    #: introduced as what the chapter examines, so the reader can tell the member's words from the dossier's)
    asked: bool = True
    #: Glossary entries (glossary.yml) the chapter defines in a box under its title: the terms a reader meets there
    #: first and cannot guess ("actie", "contactleren"; Flemish editor, round 24)
    terms: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        return f"{self.id}_{self.slug}"

    @property
    def notebook(self) -> Path:
        return config.NOTEBOOKS_DIR / f"{self.stem}.ipynb"

    @property
    def module(self) -> str:
        return f"analysis.questions.{self.stem}"

    def cell_source(self) -> str:
        """The notebook's parameters cell, as ``papermill --help-notebook`` documents it."""
        return "\n".join(p.cell_line() for p in self.parameters)


QUESTIONS: tuple[Question, ...] = (
    Question("q1", "online_trainings", ("online_enrolments", "claims")),
    Question("q2", "courses", ("courses", "online_enrolments"), (*COMMON, TOP_N), single_period=True),
    Question("q3", "profile", ("participants", "participant_counts"), (*COMMON, DISCLOSURE_THRESHOLD), single_period=True),
    # q4 describes one period: the answer's partial figure has no counterpart for the comparison year.
    Question(
        "q4",
        "labour_market",
        ("online_actions", "participants", "participant_counts", "context_figures", "online_enrolments", "published_derived"),
        (*COMMON, DISCLOSURE_THRESHOLD),
        single_period=True,
    ),
    Question(
        "q5",
        "contact_vs_online",
        ("contact_actions", "online_enrolments", "claims", "context_figures", "context_events", "published_derived"),
        terms=("action", "contact_learning", "home_learning"),
    ),
    Question(
        "q6",
        "fact_check",
        (
            "published_derived",
            "contact_actions",
            "online_actions",
            "online_enrolments",
            "claims",
            "context_figures",
            "context_events",
            "answer_scope",
        ),
        asked=False,
    ),
    Question(
        "q7",
        "context",
        ("context_figures", "context_events", "online_enrolments", "claims"),
        part="context",
        span_from="context_figures",
        asked=False,
    ),
    # New questions are added above this line (python -m analysis new-question writes them here).
)

BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}


def ids() -> tuple[str, ...]:
    return tuple(BY_ID)


def get(question_id: str) -> Question:
    try:
        return BY_ID[question_id]
    except KeyError:
        raise ConfigError(f"unknown question {question_id!r}: expected one of {', '.join(BY_ID)}") from None


def by_stem(stem: str) -> Question | None:
    """The question a notebook file name belongs to, or None for a notebook of one's own."""
    return next((q for q in QUESTIONS if q.stem == stem), None)
