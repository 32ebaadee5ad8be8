"""Interrupted builds: Ctrl-C, SIGTERM or a hard kill leave every report old or fully new; a rerun completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import config
from tests.helpers import EPOCH, assert_consistent, cli, pdf_pages, write_manifest

pytestmark = pytest.mark.e2e
REPORTS = [("q1", "q1_online_trainings"), ("q4", "q4_labour_market"), ("q5", "q5_contact_vs_online"), ("q7", "q7_context")]


def _manifest(tmp_path: Path) -> Path:
    return write_manifest(tmp_path, [(name, config.NOTEBOOKS_DIR / f"{stem}.ipynb") for name, stem in REPORTS])


def _start(manifest: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, config.BUILD_DATE_ENV: EPOCH, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "build", "--manifest", str(manifest), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=config.PROJECT_DIR,
        start_new_session=True,
    )


def _wait_for(proc: subprocess.Popen, needle: str, timeout: float = 120) -> list[str]:
    lines, deadline = [], time.time() + timeout
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if needle in line:
            return lines
    raise AssertionError(f"never saw {needle!r}: {lines}")


@pytest.mark.parametrize(
    "point,sig",
    [
        ("started", signal.SIGINT),  # while the first kernels start and the first notebooks run
        (" built in ", signal.SIGTERM),  # after the first report is complete, others half-way
        ("twice", signal.SIGTERM),  # a second signal stops at once, kernels and browser closed
    ],
)
def test_interrupted_build_is_consistent_and_rerun_completes(tmp_path: Path, point: str, sig: int):
    out = tmp_path / "out"
    proc = _start(_manifest(tmp_path), out)
    _wait_for(proc, "started" if point == "twice" else point)
    proc.send_signal(sig)
    if point == "twice":
        time.sleep(0.3)
        proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode == 130, proc.stderr.read()
    assert "interrupted" in proc.stderr.read()
    assert_consistent(out)
    rerun = cli("build", "--manifest", str(tmp_path / "reports.yml"), "--out", str(out))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert_consistent(out)
    for name, _ in REPORTS:
        assert pdf_pages(out / "nl" / f"{name}.pdf") >= 1


def test_killed_build_leaves_old_or_new_files_and_rerun_cleans_up(tmp_path: Path):
    out = tmp_path / "out"
    manifest = _manifest(tmp_path)
    first = cli("build", "--manifest", str(manifest), "--out", str(out))
    assert first.returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*.html")}
    proc = _start(manifest, out)
    # force a rebuild of everything, then kill the whole process group hard half-way
    proc.kill()
    proc.wait()
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "build", "--manifest", str(manifest), "--out", str(out), "--force"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=config.PROJECT_DIR,
        env={**os.environ, config.BUILD_DATE_ENV: EPOCH, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    _wait_for(proc, " built in ")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for html, old in before.items():
        assert html.read_bytes() == old  # same inputs: old and new are identical, and never partial
    for pdf in out.rglob("*.pdf"):
        if ".tmp-" not in pdf.name:
            assert pdf_pages(pdf) >= 1
    rerun = cli("build", "--manifest", str(manifest), "--out", str(out))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert_consistent(out)


def test_chromium_crash_mid_build_is_survived(tmp_path: Path):
    """Killing the browser half-way: the printer starts a new one; every report is old or fully new."""
    out = tmp_path / "out"
    proc = _start(_manifest(tmp_path), out)
    _wait_for(proc, " built in ")
    subprocess.run(["pkill", "-KILL", "-f", "playwright_chromiumdev_profile"], check=False)
    proc.wait(timeout=120)
    output = proc.stdout.read()
    assert proc.returncode == 0, output  # the crashed browser is replaced and the print retried
    assert_consistent(out)
    rerun = cli("build", "--manifest", str(tmp_path / "reports.yml"), "--out", str(out))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    for name, _ in REPORTS:
        assert pdf_pages(out / "nl" / f"{name}.pdf") >= 1
