"""Helpers for tests that run the command line and inspect what a build left on disk."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import nbformat
from pypdf import PdfReader

from analysis import config

EPOCH = "1767225600"  # 2026-01-01, the fixed build date of test builds


def cli(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    full_env = {**os.environ, config.BUILD_DATE_ENV: EPOCH, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=config.PROJECT_DIR,
        timeout=timeout,
    )


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def pdf_pages(path: Path) -> int:
    return len(PdfReader(str(path)).pages)


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def assert_consistent(out: Path) -> None:
    """Every file under reports/ is complete, and the index only lists what is on disk."""
    assert not list(out.rglob("*.tmp-*")), "temporary files left behind"
    for html in out.rglob("*.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), html
    for pdf in out.rglob("*.pdf"):
        assert pdf_pages(pdf) >= 1, pdf
    for nb in out.rglob("*.ipynb"):
        nbformat.read(nb, as_version=4)
    state = out / ".build-state.json"
    if state.exists():
        import json

        for label, entry in json.loads(state.read_text())["reports"].items():
            if entry["status"] == "built":
                lang, stem = label.split("/")
                for ext in ("ipynb", "html"):
                    assert (out / lang / f"{stem}.{ext}").exists(), (label, ext)


def write_manifest(folder: Path, reports: list[tuple[str, Path]], languages=("nl",), extra: str = "") -> Path:
    lines = [f"languages: [{', '.join(languages)}]", "reports:"]
    for name, notebook in reports:
        lines += [f"  - name: {name}", f"    notebook: {notebook}"]
    path = folder / "reports.yml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def notebook_with_extra_cell(source_nb: Path, target: Path, code: str) -> Path:
    nb = nbformat.read(source_nb, as_version=4)
    cell = nbformat.v4.new_code_cell(code)
    cell.id = "extra-test-cell"
    nb.cells.insert(2, cell)
    nbformat.write(nb, target)
    return target
