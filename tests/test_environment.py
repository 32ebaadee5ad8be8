"""The conda environment.yml and pyproject.toml declare the same packages; every package is pinned."""

import re
import tomllib

import yaml

from analysis import config


def _norm(name: str) -> str:
    return re.split(r"[<>=!~ \[]", name.strip())[0].lower().replace("_", "-")


def _project() -> dict:
    return tomllib.loads((config.PROJECT_DIR / "pyproject.toml").read_text())["project"]


def _declared() -> set[str]:
    """Run-time dependencies and every extra."""
    project = _project()
    extras = [d for group in project["optional-dependencies"].values() for d in group]
    return {_norm(d) for d in project["dependencies"] + extras}


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((config.PROJECT_DIR / "environment.yml").read_text())["dependencies"]
    conda = {_norm(d) for d in env if isinstance(d, str)} - {"python", "pip"}
    assert conda == _declared()
    pip = [d for d in env if isinstance(d, dict)][0]["pip"]
    assert pip == ["-e ."]


def test_tools_are_extras_not_run_time_dependencies():
    project = _project()
    runtime = {_norm(d) for d in project["dependencies"]}
    extras = project["optional-dependencies"]
    assert set(extras) == {"test", "dev", "lab"}
    tools = {"pytest", "nbval", "hypothesis", "ruff", "import-linter", "pre-commit", "pdfplumber", "beautifulsoup4", "mypy"}
    assert not runtime & (tools | {"jupyterlab"})
    assert {_norm(d) for d in extras["test"]} <= {_norm(d) for d in extras["dev"]}, "dev holds the test extra too"
    assert tools <= {_norm(d) for d in extras["dev"]} and "jupyterlab" in extras["lab"]


def _lock() -> dict[str, list[str]]:
    """requirements.lock as name -> its lines (the pin and its hashes)."""
    entries: dict[str, list[str]] = {}
    name = None
    for line in (config.PROJECT_DIR / "requirements.lock").read_text().splitlines():
        if re.match(r"[A-Za-z0-9]", line):
            name = _norm(line)
            entries[name] = [line]
        elif name and line.strip().startswith("--hash="):
            entries[name].append(line)
    return entries


def test_every_dependency_is_pinned_with_hashes_in_the_lock_file():
    lock = _lock()
    for dep in _declared() | {"setuptools"}:  # setuptools: the build backend, for the editable install
        assert dep in lock, f"{dep} is not pinned in requirements.lock (make lock)"
    for name, lines in lock.items():
        assert "==" in lines[0] and len(lines) > 1, f"{name}: expected name==version with --hash lines"
    build = tomllib.loads((config.PROJECT_DIR / "pyproject.toml").read_text())["build-system"]["requires"]
    assert build == ["setuptools>=77"]  # license = "MIT" is a PEP 639 expression
    assert int(lock["setuptools"][0].split("==")[1].split(".")[0].strip(" \\")) >= 77


def test_contract_readme_matches_schemas():
    from analysis.data import contract

    assert contract.current_section() == contract.render(), "run: .venv/bin/python -m analysis.data.contract"
