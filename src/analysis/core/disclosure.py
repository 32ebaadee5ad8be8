"""Statistical disclosure control for participant breakdowns.

Statistics offices do not publish a count below a threshold, because a small cell can
identify people. Primary suppression hides every count from 1 up to the threshold; when a
breakdown then has exactly one hidden cell, the next smallest is hidden too (secondary
suppression), otherwise the hidden one could be recovered by subtracting from the total.
"""

from __future__ import annotations

import pandas as pd

from analysis import config


def suppress(counts: pd.Series, threshold: int = config.DISCLOSURE_THRESHOLD) -> pd.Series:
    """Boolean mask of the cells to hide in one breakdown (index: category, values: counts)."""
    hidden = (counts > 0) & (counts < threshold)
    if hidden.sum() == 1:
        candidates = counts[~hidden & (counts > 0)].sort_values(kind="stable")
        if len(candidates):
            hidden[candidates.index[0]] = True
    return hidden
