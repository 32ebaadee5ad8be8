"""Bad manifests and parameter sets from tests/bad_inputs: refused before anything runs, with the exact reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis.errors import ConfigError
from analysis.pipeline import manifest

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


MANIFEST_CASES = sorted(CASES["manifests"].items())


@pytest.mark.parametrize(
    "args,message",
    [(["--manifest", str(CORPUS / "manifests" / f"{n}.yml")], m) for n, m in MANIFEST_CASES]
    + [(["--only", c.get("only", "q1"), "-p", *c["args"]], c["message"]) for c in CASES["parameters"]],
    ids=[n for n, _ in MANIFEST_CASES] + ["-p " + " ".join(c["args"]) for c in CASES["parameters"]],
)
def test_command_line_refuses_every_corpus_case_without_a_traceback(tmp_path, capsys, args, message):
    """What `python -m analysis build` prints for each case: the message and exit 4, no traceback, nothing built."""
    from analysis.__main__ import main

    out = tmp_path / "out"
    status = main(["build", *args, "--out", str(out), "--no-pdf"])
    err = capsys.readouterr().err
    assert status == 4, err
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert not out.exists()
