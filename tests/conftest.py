"""Shared fixtures: a scratch copy of the data folder and clearly synthetic extract files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import config
from helpers import cli, tree_digest

SYNTHETIC = "synthetic-fixture"
SYNTHETIC_SOURCE = (
    f"{SYNTHETIC},Test suite,SYNTHETIC test data - not real figures,2026-01,none,"
    '"Verzonnen door de tests; nooit echte cijfers.","Made up by tests; never real figures."\n'
)


@pytest.fixture(scope="session")
def full_build(tmp_path_factory):
    """One real build of every report, shared by the end-to-end and reader-text tests."""
    out = tmp_path_factory.mktemp("reports")
    data_before = tree_digest(config.DATA_DIR)
    result = cli("build", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out, result, data_before


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of data/ that a test may change freely."""
    target = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, target, ignore=shutil.ignore_patterns("README.md"))
    return target


def add_synthetic_source(folder: Path) -> None:
    with open(folder / "sources.csv", "a", encoding="utf-8") as fh:
        fh.write(SYNTHETIC_SOURCE)


def write_extracts(folder: Path, course_name: str = "Excel basis (synthetic)") -> None:
    """Small, obviously synthetic extracts for January-February 2021."""
    add_synthetic_source(folder)
    ext = folder / "extracts"
    ext.mkdir(exist_ok=True)
    (ext / "courses.csv").write_text(
        "course,period_start,period_end,enrolments,in_progress_pct,completed_pct,report_date,source_id\n"
        f'"{course_name}",2021-01,2021-02,900,30.0,50.0,2021-04-08,{SYNTHETIC}\n'
        f"Python voor beginners (synthetic),2021-01,2021-02,1200,40.5,35.5,2021-04-08,{SYNTHETIC}\n"
        f"Solliciteren online (synthetic),2021-01,2021-02,300,10.0,80.0,2021-04-08,{SYNTHETIC}\n",
        encoding="utf-8",
    )
    rows = [
        "participant_id,period_start,period_end,education_level,age_years,gender,disability,migration_background,labour_market_status,source_id"
    ]
    levels = ["short", "medium", "high"]
    statuses = ["jobseeker_activation", "temporarily_unemployed", "non_active", "working"]
    for i in range(40):
        age = "" if i == 39 else str(19 + (i * 7) % 45)
        rows.append(
            f"P{i:03d},2021-01,2021-02,{levels[i % 3]},{age},{'female' if i % 2 else 'male'},"
            f"{'yes' if i < 3 else 'no'},{'yes' if i % 4 == 0 else 'no'},{statuses[i % 4]},{SYNTHETIC}"
        )
    (ext / "participants.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture
def extract_dir(data_dir: Path) -> Path:
    write_extracts(data_dir)
    return data_dir
