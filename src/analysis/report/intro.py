"""The opening markdown cell of each notebook, written from the catalogue.

On a code host notebooks are shown without outputs, so the report title never appears there.
The first cell says what the notebook answers and how to run it, from the same catalogue
entries as the report's title and question, so the two cannot drift apart:
``python -m analysis.report.intro`` rewrites the cells and a test fails when one is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis import config
from analysis.report.i18n import Lang
from analysis.report.keys import key

TAG = "notebook-intro"


def markdown(question: str, stem: str) -> str:
    """Dutch first, English second: the title, the question, what the notebook shows, how to run it."""
    nl, en = Lang("nl"), Lang("en")
    path = f"notebooks/{stem}.ipynb"
    parts = []
    for L in (nl, en):
        parts.append(
            f"{'#' if L is nl else '##'} {L.t(key(question, 'title'))}\n\n"
            f"**{L.t('intro.question')}** {L.t(key(question, 'question'))}\n\n"
            f"**{L.t('intro.shows')}** {L.t(key(question, 'shows'))}\n\n"
            f"{L.t('intro.how', path=path, name=question)}"
        )
    return "\n\n---\n\n".join(parts) + "\n"


def question_of(stem: str) -> str:
    return stem.split("_", 1)[0]


def update(path: Path) -> bool:
    """Put the intro cell first in the notebook at ``path``; True when the file changed."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    text = markdown(question_of(path.stem), path.stem)
    first = nb.cells[0] if nb.cells else None
    if first is not None and TAG in first.metadata.get("tags", []):
        if first.source == text:
            return False
        first.source = text
    else:
        cell = nbformat.v4.new_markdown_cell(text, id=f"{question_of(path.stem)}-intro")
        cell.metadata["tags"] = [TAG, "report-hide"]
        nb.cells.insert(0, cell)
    nbformat.write(nb, path)
    return True


if __name__ == "__main__":
    changed = [p.name for p in sorted(config.NOTEBOOKS_DIR.glob("q*.ipynb")) if update(p)]
    print(f"rewrote the intro of {len(changed)} notebook(s){': ' + ', '.join(changed) if changed else ''}")
    sys.exit(0)
