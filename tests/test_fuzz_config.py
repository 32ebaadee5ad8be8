"""Fuzzing the manifest and the -p parameters: a valid plan or a ConfigError naming what is wrong, nothing else.

Hypothesis generates random YAML documents, mutations of the real reports.yml and random
``-p NAME=VALUE`` strings. Any other exception (a traceback for the user) fails the test, and
so does an error message that does not point at the manifest, the report or the parameter.
Under the ``ci`` profile the seed is fixed, so CI runs are repeatable; a longer hunt with random
seeds is ``pytest --hypothesis-profile=hunt tests/test_fuzz_config.py`` (profiles: tests/conftest.py).
Inputs the fuzzer found to fail are kept as named cases in tests/bad_inputs/.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import config, registry
from analysis import parameters as notebook_parameters
from analysis.errors import ConfigError
from analysis.pipeline import manifest
from tests.helpers import examples

pytestmark = pytest.mark.fuzz
FUZZ = settings(max_examples=examples(800))  # per test; the rest comes from the Hypothesis profile
# The real manifest with what it leaves to the registry written out, so mutations reach every key.
REAL = {
    **yaml.safe_load(config.MANIFEST_PATH.read_text(encoding="utf-8")),
    "reports": [{"name": q.id, "notebook": str(q.notebook.relative_to(config.PROJECT_DIR))} for q in registry.QUESTIONS],
    "combined": {
        "answers": [q.id for q in registry.QUESTIONS if q.part == "answer"],
        "context": [q.id for q in registry.QUESTIONS if q.part == "context"],
    },
}
NAMES = sorted(notebook_parameters.ALL) + ["yaer", "Year", "months ", ""]
PATHS = ["", ".", "notebooks", "README.md", "reports.yml", "notebooks/q9.ipynb", "/dev/null", "notebooks/q3_profile.ipynb"]
KEYS = ["languages", "reports", "combined", "name", "notebook", "parameters", "answers", "context", "notebok"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.sampled_from([0, 1, 2, 12, 13, 2020, 2021, 2100, 2101, -1])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "nl",
            "en",
            "fr",
            "[2]",
            "[1, 2]",
            "1,2",
            "[13]",
            "[]",
            "q1",
            "notebooks/q1_online_trainings.ipynb",
            "",
            "notebooks",
            "README.md",
        ]
    )
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def outcome(path: Path, overrides: dict | None = None, only: list[str] | None = None) -> list | ConfigError:
    """The plan for a manifest file, or the ConfigError that refused it; anything else propagates and fails."""
    try:
        return manifest.jobs(manifest.load(path), only, None, overrides)
    except ConfigError as exc:
        message = str(exc)
        assert message.strip() and "Traceback" not in message
        return exc


def assert_valid_plan(jobs: list) -> None:
    for job in jobs:
        assert notebook_parameters.check(job.parameters) == job.parameters  # already normalised
        json.dumps(job.parameters)  # the build state records them
        assert "/" not in job.output_name and len(job.output_name) < 200


def assert_points_at_manifest(error: ConfigError, path: Path) -> None:
    message = str(error)
    assert str(path) in message or message.startswith("report ") or message.startswith("nothing to build"), message


@FUZZ
@given(document=values)
def test_random_yaml_documents(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("m") / "reports.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = outcome(path)
    if isinstance(result, ConfigError):
        assert_points_at_manifest(result, path)
    else:
        assert_valid_plan(result)


@FUZZ
@given(text=st.text(max_size=200) | st.binary(max_size=200))
def test_random_text_and_bytes(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("m") / "reports.yml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = outcome(path)
    if isinstance(result, ConfigError):
        assert_points_at_manifest(result, path)
    else:
        assert_valid_plan(result)


def _mutate(doc: dict, data) -> tuple[dict, str | None]:
    """One random change to the real manifest; returns it and the parameter it set, if any."""
    doc = copy.deepcopy(doc)
    kind = data.draw(st.sampled_from(["drop", "set", "rename", "duplicate", "parameter", "languages", "combined", "notebook"]))
    reports = doc["reports"]
    index = data.draw(st.integers(0, len(reports) - 1))
    if kind == "drop":
        where = data.draw(st.sampled_from(["top", "report"]))
        target = doc if where == "top" else reports[index]
        target.pop(data.draw(st.sampled_from(sorted(target))), None)
    elif kind == "set":
        where = data.draw(st.sampled_from(["top", "report"]))
        target = doc if where == "top" else reports[index]
        target[data.draw(st.sampled_from(KEYS))] = data.draw(values)
    elif kind == "rename":
        key = data.draw(st.sampled_from(sorted(reports[index])))
        reports[index][data.draw(st.sampled_from(KEYS) | st.text(max_size=8))] = reports[index].pop(key)
    elif kind == "duplicate":
        reports.append(copy.deepcopy(reports[index]))
    elif kind == "parameter":
        name = data.draw(st.sampled_from(NAMES))
        reports[index].setdefault("parameters", {})[name] = data.draw(values)
        return doc, name
    elif kind == "notebook":
        reports[index]["notebook"] = data.draw(st.sampled_from(PATHS) | st.text(max_size=20))
    elif kind == "languages":
        doc["languages"] = data.draw(st.lists(st.sampled_from(["nl", "en", "fr", "", None]), max_size=3) | values)
    else:
        doc["combined"] = {
            data.draw(st.sampled_from(["answers", "context", "extra"])): data.draw(st.lists(st.sampled_from(["q1", "q7", "q9"])))
        }
    return doc, None


@FUZZ
@given(data=st.data())
def test_mutations_of_the_real_manifest(tmp_path_factory, data):
    doc, parameter = _mutate(REAL, data)
    path = tmp_path_factory.mktemp("m") / "reports.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = outcome(path)
    if isinstance(result, ConfigError):
        assert_points_at_manifest(result, path)
        if parameter is not None and str(path) not in str(result):
            assert f"'{parameter}'" in str(result), str(result)
    else:
        assert_valid_plan(result)


value_texts = (
    st.text(max_size=30)
    | values.map(lambda v: yaml.safe_dump(v, default_flow_style=True, width=10**6).removesuffix("\n...\n").strip())
    | st.sampled_from(["[2]", "[1,2]", "'[2]'", '"[1, 2]"', "[2, 1]", "[1, 1]", "2022", "2020", "0", "1e3", "[", "{a: 1}"])
)


@FUZZ
@given(name=st.sampled_from(NAMES) | st.text(max_size=12), value=value_texts, only=st.sampled_from(["q1", "q2", "q3", "q4"]))
def test_random_command_line_parameters(name, value, only):
    item = f"{name}={value}"
    try:
        overrides = manifest.parse_cli_parameters([item])
        jobs = manifest.jobs(manifest.load(), [only], None, overrides)
    except ConfigError as exc:
        message = str(exc)
        assert "Traceback" not in message
        named = name.strip() if "=" not in name else name.split("=", 1)[0].strip()
        assert f"'{named}'" in message or f"-p {item}" in message or "--lang" in message, message
        return
    assert_valid_plan(jobs)
