"""One definition of the notebook parameters: the notebooks' cells, papermill's help, the runner and Report.open agree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest
import yaml

from analysis import config, parameters, registry
from analysis.errors import ConfigError
from analysis.pipeline import manifest
from analysis.questions import q2_courses as q2
from analysis.questions import q3_profile as q3
from analysis.report.frame import Report

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
CASES = yaml.safe_load((Path(__file__).parent / "bad_inputs" / "config_cases.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_parameters_cell_is_the_definition(path: Path):
    """The cell papermill documents is generated from the registry; `python -m analysis generate` rewrites it."""
    question = registry.by_stem(path.stem)
    cell = next(c for c in nbformat.read(path, as_version=4).cells if "parameters" in c.metadata.get("tags", []))
    assert cell.source == question.cell_source()
    declared = papermill.inspect_notebook(str(path))
    assert list(declared) == [p.name for p in question.parameters]
    for p in question.parameters:
        assert declared[p.name]["inferred_type_name"] == p.type_name
        assert eval(declared[p.name]["default"]) == p.default  # noqa: S307 - papermill gives the literal's source
        assert declared[p.name]["help"] == p.help
        assert p.check(p.default) == p.default


def test_papermill_help_shows_the_definition():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "papermill"), "--help-notebook", str(config.NOTEBOOKS_DIR / "q3_profile.ipynb")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    for p in registry.get("q3").parameters:
        assert p.name in text and " ".join(p.help.split()) in text


@pytest.mark.parametrize(
    "case",
    [c for c in CASES["parameters"] if "=" in c["args"][0] and c["args"][0].split("=")[0] in set(parameters.ALL) - {"lang"}],
    ids=lambda c: " ".join(c["args"]),
)
def test_runner_and_report_open_refuse_the_same_values(case):
    """A value the runner refuses up front is refused in a plain papermill run as well, with the same reason."""
    overrides = manifest.parse_cli_parameters(case["args"])
    with pytest.raises(ConfigError) as runner_error:
        manifest.jobs(manifest.load(), [case.get("only", "q1")], None, overrides)
    name = next(iter(overrides))
    values = {"year": 2021, "compare_year": 2020, "months": [1, 2], "lang": "nl", "data_dir": ""}
    with pytest.raises(ConfigError) as notebook_error:
        if name == "top_n":  # the notebooks hand these to their question module
            q2.compute(Report.open("q2", **values), overrides[name])
        elif name == "disclosure_threshold":
            q3.compute(Report.open("q3", **values), overrides[name])
        else:
            Report.open(case.get("only", "q1"), **{**values, **overrides})
    reason = str(notebook_error.value).split(": expected ", 1)[1]
    assert reason in str(runner_error.value)


@pytest.mark.parametrize(
    "given,expected",
    [([2, 1], [1, 2]), (3, [3]), ("[2]", [2]), ("[ 1 , 12 ]", [1, 12]), ("[]", None), ("[1, 2", None), ("[1.5]", None)],
)
def test_months_text_is_read_strictly(given, expected):
    if expected is None:
        with pytest.raises(ConfigError, match='-y "months: \\[1, 2\\]"'):
            parameters.MONTHS.check(given)
    else:
        assert parameters.MONTHS.check(given) == expected


def test_year_alone_is_checked_against_the_default_compare_year():
    with pytest.raises(ConfigError, match="'year' and 'compare_year'"):
        parameters.check({"year": parameters.COMPARE_YEAR.default})
    assert parameters.check({"year": 2022}) == {"year": 2022}
    assert parameters.check({"unrelated": object}) == {"unrelated": object}
