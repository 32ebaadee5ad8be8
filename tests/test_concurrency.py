"""Builds at once on one machine: side by side into different folders, one after the other into the same one.

Kernels talk over Unix sockets of their own (no TCP port to race for), and the output folder is
locked for the length of a build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

SMALL = ("--only", "q1", "--only", "q5", "--no-pdf")


def _start(out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "build", *SMALL, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
    )


def test_four_builds_at_once_into_four_folders_several_rounds(tmp_path: Path):
    for round_ in range(2):
        outs = [tmp_path / f"round{round_}-{i}" for i in range(4)]
        procs = [_start(out) for out in outs]
        for out, proc in zip(outs, procs, strict=True):
            stdout, stderr = proc.communicate(timeout=600)
            assert proc.returncode == 0, f"{out.name}: {stdout}\n{stderr}"
            assert "Address already in use" not in stderr
            assert "done: 4 built, 0 up to date, 0 failed" in stdout
        first = (outs[0] / "nl" / "q5.html").read_bytes()
        assert all((out / "nl" / "q5.html").read_bytes() == first for out in outs[1:]), "same inputs, same report"


def test_two_builds_into_one_folder_take_turns(tmp_path: Path):
    out = tmp_path / "shared"
    first, second = _start(out), _start(out)
    results = [p.communicate(timeout=600) + (p.returncode,) for p in (first, second)]
    assert [code for _, _, code in results] == [0, 0], results
    waited = [stdout for stdout, _, _ in results if "another build is writing into" in stdout]
    assert len(waited) == 1, "exactly one of the two waited for the other"
    # the second found everything up to date, so nothing was written twice at once
    assert any("0 built, 4 up to date" in stdout for stdout, _, _ in results), results


def test_kernels_use_sockets_of_their_own_and_remove_them():
    from analysis.pipeline import kernels

    options = kernels._transport()
    folder = Path(options["connection_file"]).parent
    assert options["transport"] == "ipc" and Path(options["ip"]).parent == folder and folder.is_dir()

    class Stopped:
        connection_file = options["connection_file"]

    kernels.remove_kernel_folder(Stopped())
    assert not folder.exists()
