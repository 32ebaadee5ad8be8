"""Shared fixtures (the session's one full build, a scratch copy of data/, scenario folders), the test tiers
and the Hypothesis profiles.

Tiers (markers, registered in pyproject.toml): ``e2e`` for subprocess builds, Chromium and kernels,
``fuzz`` for the fuzzers, ``notebook`` for notebooks run in this process. ``make test-fast`` runs
everything but ``e2e`` and ``fuzz``; ``make test`` runs all of it. A test that uses ``full_build`` is
``e2e`` without saying so, and so is one still marked with the older name ``slow``.

Hypothesis profiles, chosen with ``--hypothesis-profile``: ``ci`` (the default; fixed seed, the
example counts CI has always run), ``dev`` (a quarter of those, for the inner loop) and ``hunt``
(twenty times as many, random seeds, failures kept in .hypothesis/ to replay). Tests state their
count for ``ci`` through ``tests.helpers.examples``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from analysis import config
from tests.helpers import SCENARIOS, cli, copy_data, overlay_scenario, tree_digest, write_extracts

_QUIET = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
}
settings.register_profile("ci", max_examples=100, derandomize=True, database=None, **_QUIET)
settings.register_profile("dev", max_examples=25, derandomize=True, database=None, **_QUIET)
settings.register_profile("hunt", max_examples=2000, derandomize=False, print_blob=True, **_QUIET)
settings.load_profile("ci")  # --hypothesis-profile, read after this file, overrides it


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "full_build" in getattr(item, "fixturenames", ()) or item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def full_build(tmp_path_factory):
    """One real build of every report, shared by every test that reads built files or executed notebooks."""
    out = tmp_path_factory.mktemp("reports")
    data_before = tree_digest(config.DATA_DIR)
    result = cli("build", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out, result, data_before


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of data/ that a test may change freely."""
    return copy_data(tmp_path / "data")


@pytest.fixture
def extract_dir(data_dir: Path) -> Path:
    write_extracts(data_dir)
    return data_dir


@pytest.fixture(scope="session")
def scenario_dir(tmp_path_factory):
    """``scenario_dir(name)``: the data folder of tests/scenarios/<name>, laid over a copy of data/ once per session."""
    made: dict[str, Path] = {}

    def make(name: str) -> Path:
        if name not in made:
            made[name] = overlay_scenario(SCENARIOS / name, tmp_path_factory.mktemp(f"scenario-{name}") / "data")
        return made[name]

    return make
