"""Every path the project uses, in one place.

In a checkout (the editable install of ``make setup``) paths are resolved from this file, so that
notebooks, tests and the runner agree wherever they are started from (JupyterLab opens notebooks
with ``notebooks/`` as working directory, papermill and pytest from the project root). An installed
wheel carries the library, catalogue, glossary and templates but not the project's notebooks, data
and manifest: it finds the project through ``$ANALYSIS_PROJECT_DIR`` or the working directory.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent

#: Environment variable naming the project folder (notebooks/, data/, reports.yml) for an installed package.
PROJECT_ENV = "ANALYSIS_PROJECT_DIR"


def find_project_dir(start: Path | None = None) -> Path:
    """The project folder: ``$ANALYSIS_PROJECT_DIR``; else the checkout this package lives in (src/analysis);
    else, for an installed package, the nearest folder at or above the working directory that holds
    reports.yml (a kernel runs in notebooks/, one level down); else the working directory."""
    if os.environ.get(PROJECT_ENV):
        return Path(os.environ[PROJECT_ENV]).resolve()
    checkout = PACKAGE_DIR.parents[1]
    if PACKAGE_DIR.parent.name == "src" and (checkout / "pyproject.toml").is_file():
        return checkout
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if (folder / "reports.yml").is_file()), here)


PROJECT_DIR = find_project_dir()
DATA_DIR = PROJECT_DIR / "data"
EXTRACTS_DIR_NAME = "extracts"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
REPORTS_DIR = Path(os.environ.get("ANALYSIS_REPORTS_DIR", PROJECT_DIR / "reports"))
MANIFEST_PATH = PROJECT_DIR / "reports.yml"
TEMPLATES_DIR = PACKAGE_DIR / "pipeline" / "templates"
MESSAGES_PATH = PACKAGE_DIR / "report" / "messages.yml"

#: The one setting that decides the build date printed in reports. Reports are
#: byte-identical between builds only when this is fixed (SOURCE_DATE_EPOCH is the
#: reproducible-builds convention); unset, the reports print no build date at all.
BUILD_DATE_ENV = "SOURCE_DATE_EPOCH"

#: Environment variable naming a Chromium/Chrome executable for PDF export.
CHROMIUM_ENV = "ANALYSIS_CHROMIUM"

#: Cells smaller than this are suppressed in participant breakdowns (statistical
#: disclosure control). Statbel and Statistics Flanders publish no cell below 5.
DISCLOSURE_THRESHOLD = 5


def resolve_data_dir(data_dir: str | os.PathLike | None) -> Path:
    """An empty or missing ``data_dir`` parameter means the project's own data."""
    if data_dir in (None, ""):
        return DATA_DIR
    path = Path(data_dir)
    if not path.is_absolute():
        # Relative paths are taken from the project root, not from the notebook's folder,
        # so the same parameter works in JupyterLab, papermill and the runner.
        path = PROJECT_DIR / path
    return path


def build_moment() -> dt.datetime | None:
    """The build time printed in reports and the index: from SOURCE_DATE_EPOCH only, so builds stay reproducible."""
    value = os.environ.get(BUILD_DATE_ENV)
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except ValueError:
        from analysis.errors import ConfigError

        raise ConfigError(f"{BUILD_DATE_ENV}={value!r}: expected seconds since 1970-01-01 (an integer)") from None


def build_date() -> dt.date | None:
    moment = build_moment()
    return moment.date() if moment else None
