"""The notebook parameters, defined once: names, types, defaults, help text and allowed values.

Three readers must agree on them: the runner refuses a bad value before any kernel starts
(exit 4), ``Report.open`` refuses it in a plain papermill or JupyterLab run, and
``papermill --help-notebook`` shows the parameters cell's comments, which a test keeps equal to
:meth:`analysis.registry.Question.cell_source`. Keeping the rules here, below every layer, is what makes a value the runner
accepts one the notebook accepts too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from analysis import config
from analysis.errors import ConfigError

YEARS = (2000, 2100)
LANGS = ("nl", "en")


@dataclass(frozen=True)
class Parameter:
    """One notebook parameter; ``normalise`` returns the checked value or raises ValueError(expectation)."""

    name: str
    type_name: str  # as papermill infers it from the annotation: int, str, list
    default: Any
    help: str
    normalise: Callable[[Any], Any]

    def check(self, value: Any) -> Any:
        try:
            return self.normalise(value)
        except ValueError as exc:
            raise ConfigError(f"parameter '{self.name}': value {short_repr(value)}: expected {exc}") from None

    def cell_line(self) -> str:
        default = f'"{self.default}"' if isinstance(self.default, str) else repr(self.default)
        return f"{self.name}: {self.type_name} = {default}  # {self.help}"


def short_repr(value: Any, limit: int = 80) -> str:
    """A value's repr cut to one readable line, so a message names the value without dumping it."""
    try:
        text = repr(value)
    except RecursionError:  # a YAML alias can make a list that contains itself many levels deep
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _whole(value: Any, lo: int | None, hi: int | None, what: str) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or (lo is not None and value < lo)
        or (hi is not None and value > hi)
    ):
        raise ValueError(what)
    return value


def _year(value: Any) -> int:
    return _whole(value, *YEARS, f"int: a year from {YEARS[0]} to {YEARS[1]} as a whole number")


def _at_least_one(value: Any) -> int:
    return _whole(value, 1, None, "int: a whole number of at least 1")


_LIST_TEXT = re.compile(r"\[\s*(?:[0-9]{1,2}\s*(?:,\s*[0-9]{1,2}\s*)*)?\]")
MONTHS_EXPECTED = 'list of distinct month numbers 1-12, such as [1, 2]; on the papermill command line write -y "months: [1, 2]"'


def _months(value: Any) -> list[int]:
    """Months as a sorted list; ``'[2]'`` (what ``papermill -p months "[2]"`` passes) is read strictly."""
    if isinstance(value, str):
        if not _LIST_TEXT.fullmatch(value.strip()):
            raise ValueError(MONTHS_EXPECTED)
        value = [int(m) for m in re.findall(r"[0-9]+", value)]
    elif isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(MONTHS_EXPECTED)
    if any(isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12 for m in value):
        raise ValueError(MONTHS_EXPECTED)
    if len(set(value)) != len(value):
        raise ValueError(MONTHS_EXPECTED + " (each month once)")
    return sorted(value)


def _lang(value: Any) -> str:
    if not isinstance(value, str) or value not in LANGS:
        raise ValueError(f"str: one of {', '.join(LANGS)}")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("str: a folder path as text")
    return value


YEAR = Parameter("year", "int", 2021, f"reporting year, {YEARS[0]}-{YEARS[1]}", _year)
COMPARE_YEAR = Parameter(
    "compare_year", "int", 2020, f"year to compare against (the same months), {YEARS[0]}-{YEARS[1]}, not year", _year
)
MONTHS = Parameter("months", "list", [1, 2], "months covered: distinct numbers 1-12, such as [1, 2] (January-February)", _months)
LANG = Parameter("lang", "str", "nl", 'report language: "nl" (Dutch) or "en" (English)', _lang)
DATA_DIR = Parameter("data_dir", "str", "", "folder with the data files; empty means the project's data/", _text)
TOP_N = Parameter("top_n", "int", 15, "number of courses in the ranking and the chart, at least 1", _at_least_one)
DISCLOSURE_THRESHOLD = Parameter(
    "disclosure_threshold",
    "int",
    config.DISCLOSURE_THRESHOLD,
    "counts from 1 up to below this are not shown (statistical disclosure control), at least 1",
    _at_least_one,
)

COMMON = (YEAR, COMPARE_YEAR, MONTHS, LANG, DATA_DIR)
#: Every parameter a notebook of the project may declare; which ones each question declares is in
#: :mod:`analysis.registry`.
ALL: dict[str, Parameter] = {p.name: p for p in (*COMMON, TOP_N, DISCLOSURE_THRESHOLD)}


def check(values: Mapping[str, Any], where: str = "") -> dict[str, Any]:
    """Checked and normalised values; names this module does not define pass through unchanged.

    Cross-parameter rules use the defaults for what ``values`` leaves out, so ``year=2020``
    alone is refused up front: it would be compared with the default compare_year 2020.
    """
    prefix = f"{where}: " if where else ""
    out: dict[str, Any] = {}
    problems = []
    for name, value in values.items():
        if name in ALL:
            try:
                out[name] = ALL[name].check(value)
            except ConfigError as exc:
                problems.append(prefix + str(exc))
        else:
            out[name] = value
    if not problems:
        year = out.get("year", YEAR.default)
        compare = out.get("compare_year", COMPARE_YEAR.default)
        if ("year" in out or "compare_year" in out) and year == compare:
            problems.append(
                f"{prefix}parameters 'year' and 'compare_year': value {year!r} for both: expected two different years "
                "(the report compares the months of one year with the same months of another)"
            )
    if problems:
        raise ConfigError("\n".join(problems))
    return out
