"""``make lab``: JupyterLab on ``work/``, one's own copies of the question notebooks.

The official build reads ``notebooks/`` only; ``work/`` is git-ignored and never read by it, so
parameters can be changed, cells added and everything saved there without touching a report.
A copy is made once, on first use, and then belongs to the user: it is never overwritten. To start
again from the committed notebook, delete the copy (``make lab`` makes a new one).

The test that drives JupyterLab in Chromium (tests/test_lab.py) makes its copies and its command
line here too, so it starts JupyterLab exactly as ``make lab`` does.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis import config

WORK_DIR_NAME = "work"


def work_dir(project: Path | None = None) -> Path:
    return (project or config.PROJECT_DIR) / WORK_DIR_NAME


def work_copies(project: Path | None = None) -> list[Path]:
    """Copy every notebook of ``notebooks/`` to ``work/`` that has no copy yet; the copies made now."""
    project = project or config.PROJECT_DIR
    target = work_dir(project)
    target.mkdir(exist_ok=True)
    made = []
    for notebook in sorted((project / "notebooks").glob("*.ipynb")):
        copy = target / notebook.name
        if not copy.exists():
            shutil.copyfile(notebook, copy)
            made.append(copy)
    return made


def outdated_copies(project: Path | None = None) -> list[Path]:
    """Copies in ``work/`` older than the committed notebook they were made from (it changed since)."""
    project = project or config.PROJECT_DIR
    found = []
    for copy in sorted(work_dir(project).glob("*.ipynb")):
        notebook = project / "notebooks" / copy.name
        if notebook.exists() and notebook.stat().st_mtime > copy.stat().st_mtime:
            found.append(copy)
    return found


def command(project: Path | None = None, extra: Sequence[str] = ()) -> list[str]:
    """The JupyterLab command line of ``make lab``: the project as root, ``work/`` as the opening folder,
    no update check; ``--allow-root`` when run as root; ``extra`` (``make lab ARGS=...``) last."""
    project = project or config.PROJECT_DIR
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={project}",
        f"--LabApp.default_url=/lab/tree/{WORK_DIR_NAME}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd + list(extra)


def main(extra: Sequence[str] = ()) -> int:
    """Make the missing copies, say what was made, then become JupyterLab (``python -m analysis lab``)."""
    project = config.PROJECT_DIR
    made = work_copies(project)
    if made:
        print(f"{WORK_DIR_NAME}/: made your copies of {len(made)} notebook(s); the official build never reads them")
    for copy in outdated_copies(project):
        print(
            f"note: notebooks/{copy.name} changed after your copy {WORK_DIR_NAME}/{copy.name} was made; "
            f"delete the copy to get the new version (make lab makes it again)"
        )
    cmd = command(project, extra)
    sys.stdout.flush()
    os.execv(cmd[0], cmd)
    return 0  # not reached
