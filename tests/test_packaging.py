"""The wheel carries what the library needs at run time and builds a report when installed, outside the checkout.

The wheel is built from this checkout and installed (without dependencies) into a fresh virtual
environment, which borrows the project venv's packages through a .pth file instead of installing
them again; the .pth only adds a folder to the path, so the checkout's editable install is not
seen (JUPYTER_PATH points at that venv's data files, such as nbconvert's templates). The build then runs from a working directory outside the repository that holds only the
notebooks and the manifest, with the data of data/ passed as the data_dir parameter.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from analysis import config
from tests.helpers import EPOCH, pdf_text

pytestmark = pytest.mark.e2e

PACKAGE_DATA = ["analysis/report/messages.yml", "analysis/report/glossary.yml", "analysis/pipeline/templates/report/"]


def _run(args: list, **kw) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kw)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a clean copy of the sources (a checkout's src/*.egg-info would add files the
    package-data list leaves out)."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(config.PROJECT_DIR / name, source / name)
    shutil.copytree(config.PROJECT_DIR / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    # The venv's setuptools is the locked one (>= 77, which the PEP 639 licence needs): no download.
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", out, source])
    (found,) = out.glob("digitale_opleidingen_evolutie-*.whl")
    return found


def test_the_wheel_holds_the_catalogue_glossary_and_templates(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    for item in PACKAGE_DATA:
        assert any(n == item or (item.endswith("/") and n.startswith(item)) for n in names), item
    templates = [n for n in names if n.startswith("analysis/pipeline/templates/report/")]
    source = config.TEMPLATES_DIR / "report"
    assert sorted(Path(n).name for n in templates) == sorted(p.name for p in source.iterdir() if p.is_file())
    assert not any(n.startswith(("tests/", "notebooks/", "data/")) for n in names)


def test_the_installed_wheel_builds_a_report_outside_the_checkout(wheel: Path, tmp_path: Path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel])
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    (Path(site) / "project-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    work = tmp_path / "work"
    shutil.copytree(config.NOTEBOOKS_DIR, work / "notebooks", ignore=shutil.ignore_patterns("kernel-*", ".ipynb_checkpoints"))
    shutil.copy(config.MANIFEST_PATH, work / "reports.yml")
    env = {k: v for k, v in os.environ.items() if k not in (config.PROJECT_ENV, "PYTHONPATH")}
    env[config.BUILD_DATE_ENV] = EPOCH
    # The borrowed packages' data files (nbconvert's base templates) are under the project venv's prefix.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")

    where = _run([python, "-c", "import analysis.config as c; print(c.PACKAGE_DIR); print(c.PROJECT_DIR)"], cwd=work, env=env)
    package_dir, project_dir = where.stdout.split()
    assert Path(package_dir).is_relative_to(venv) and Path(project_dir) == work.resolve()

    args = ["-m", "analysis", "build", "--only", "q5", "--lang", "en", "-p", f"data_dir={config.DATA_DIR}", "--out", "out"]
    result = _run([python, *args], cwd=work, env=env)
    assert "1 built" in result.stdout, result.stdout
    (html,) = (work / "out" / "en").glob("q5*.html")
    (pdf,) = (work / "out" / "en").glob("q5*.pdf")
    text = html.read_text(encoding="utf-8")
    assert "8,877" in text and "Sources" in text  # figures from data/, headings from the wheel's catalogue
    assert "8,877" in pdf_text(pdf)
    assert not (config.PROJECT_DIR / "out").exists()
