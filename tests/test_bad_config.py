"""Bad manifests and parameter sets from tests/bad_inputs: refused before anything runs, with the exact reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis.build import manifest
from analysis.errors import ConfigError

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "config_cases.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name,message", list(CASES["manifests"].items()))
def test_bad_manifest(name, message):
    path = CORPUS / "manifests" / f"{name}.yml"
    with pytest.raises(ConfigError) as info:
        m = manifest.load(path)
        manifest.jobs(m)
    assert message in str(info.value)
    if not name.startswith("param_") and name != "not_yaml":
        assert str(path) in str(info.value)


@pytest.mark.parametrize("case", CASES["parameters"], ids=[" ".join(c["args"]) for c in CASES["parameters"]])
def test_bad_command_line_parameters(case):
    m = manifest.load()
    with pytest.raises(ConfigError) as info:
        manifest.jobs(m, [case.get("only", "q1")], None, manifest.parse_cli_parameters(case["args"]))
    assert case["message"] in str(info.value)


def test_good_overrides_are_typed_and_named():
    jobs = manifest.jobs(manifest.load(), ["q5"], ["en"], manifest.parse_cli_parameters(["months=[2]", "year=2021"]))
    assert [(j.label, j.parameters["months"], j.parameters["year"]) for j in jobs] == [("en/q5--months-2--year-2021", [2], 2021)]


@pytest.mark.parametrize("text", ["months=[2, 1]", 'months="[1,2]"', "months='[ 1 , 2 ]'"])
def test_months_are_normalised_before_the_notebook_sees_them(text):
    """Text such as '[1,2]' (what plain papermill -p passes) and unsorted lists reach the notebook as [1, 2]."""
    (job,) = manifest.jobs(manifest.load(), ["q5"], ["en"], manifest.parse_cli_parameters([text]))
    assert job.parameters["months"] == [1, 2] and job.output_name == "q5--months-1-2"
