"""The conda environment.yml and pyproject.toml declare the same packages; every package is pinned."""

import re
import tomllib

import yaml

from analysis import config


def _norm(name: str) -> str:
    return re.split(r"[<>=!~ \[]", name.strip())[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((config.PROJECT_DIR / "pyproject.toml").read_text())["project"]["dependencies"]
    env = yaml.safe_load((config.PROJECT_DIR / "environment.yml").read_text())["dependencies"]
    conda = {_norm(d) for d in env if isinstance(d, str)} - {"python", "pip"}
    assert conda == {_norm(d) for d in project}
    pip = [d for d in env if isinstance(d, dict)][0]["pip"]
    assert pip == ["-e ."]


def test_every_dependency_is_pinned_in_the_lock_file():
    lock = {}
    for line in (config.PROJECT_DIR / "requirements.lock").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==", 1)
            lock[_norm(name)] = version
    project = tomllib.loads((config.PROJECT_DIR / "pyproject.toml").read_text())["project"]["dependencies"]
    for dep in project:
        assert _norm(dep) in lock, f"{dep} is not pinned in requirements.lock"


def test_contract_readme_matches_schemas():
    from analysis.data import contract

    assert contract.current_section() == contract.render(), "run: .venv/bin/python -m analysis.data.contract"
