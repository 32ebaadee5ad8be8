"""The look of every chart, set once: seaborn's white grid, one palette, readable sizes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # charts are rendered to PNG by render.Chart; no GUI backend needed

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

PALETTE = ["#1f4e79", "#e07b39", "#6a9f58", "#9c6ade", "#c9453b", "#7f7f7f"]
#: The two years of a comparison: the earlier one muted, the reporting year strong.
YEAR_COLOURS = ["#9fb6cd", "#1f4e79"]


def setup() -> None:
    sns.set_theme(
        style="whitegrid",
        context="notebook",
        palette=PALETTE,
        rc={
            "figure.dpi": 100,
            "savefig.dpi": 144,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "font.family": "DejaVu Sans",
            "svg.hashsalt": "analysis",
            # Titles and labels come from data: a course called "$5 per $ uur" is drawn as typed,
            # never parsed as mathtext (which would typeset it or raise on "$\\frac{a}$").
            "text.parse_math": False,
        },
    )


def figure(width: float = 8.0, height: float = 4.0, ncols: int = 1, nrows: int = 1, **kwargs):
    setup()
    return plt.subplots(nrows, ncols, figsize=(width, height), **kwargs)


def label_bars(ax, fmt, padding: int = 3) -> None:
    """Write each bar's value next to it, formatted for the report's language."""
    for container in ax.containers:
        ax.bar_label(container, labels=[fmt(v) if v == v else "" for v in container.datavalues], padding=padding, fontsize=9)
