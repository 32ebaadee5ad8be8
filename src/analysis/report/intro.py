"""The opening markdown cell of each notebook, written from the catalogue.

On a code host notebooks are shown without outputs, so the report title never appears there.
The first cell says what the notebook answers and how to run it, from the same catalogue
entries as the report's title and question, so the two cannot drift apart:
``python -m analysis generate`` rewrites the cells and a test fails when one is stale.
"""

from __future__ import annotations

from analysis.report.i18n import Lang


def markdown(question: str, stem: str) -> str:
    """Dutch first, English second: the title, the question, what the notebook shows, how to run it, how to explore it."""
    nl, en = Lang("nl"), Lang("en")
    path = f"notebooks/{stem}.ipynb"
    parts = []
    for L in (nl, en):
        parts.append(
            f"{'#' if L is nl else '##'} {L.t(f'{question}.title')}\n\n"
            f"**{L.t('intro.question')}** {L.t(f'{question}.question')}\n\n"
            f"**{L.t('intro.shows')}** {L.t(f'{question}.shows')}\n\n"
            f"{L.t('intro.how', path=path, name=question)}\n\n"
            f"{L.t('intro.explore')}"
        )
    return "\n\n---\n\n".join(parts) + "\n"
