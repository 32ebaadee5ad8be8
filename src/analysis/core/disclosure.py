"""Statistical disclosure control for participant breakdowns.

Statistics offices do not publish a count below a threshold, because a small cell can
identify people: that is primary suppression, marked ``< threshold``. Hiding the small cells
is not enough when the total is shown: a reader who knows the total, the shown cells and
what each mark means can often work a hidden count out (one hidden cell is the total minus
the rest; two cells of 1 are the only way to make a hidden sum of 2). So further cells are
hidden, smallest first, until no hidden count is determined by what is shown: secondary
suppression, marked differently (``x``) because such a cell may be large and printing
``< 5`` for it would be false.

The reader is modelled as knowing every mark's meaning and the order in which cells are
hidden (see :func:`determined`). When even hiding every cell leaves a small count determined (a total
below the threshold, say), the breakdown is withheld: every cell secondary, no primary mark,
so nothing but the total is known.
"""

from __future__ import annotations

import itertools

import pandas as pd

from analysis import config

SHOWN, PRIMARY, SECONDARY = "", "primary", "secondary"


def marks(counts: pd.Series, threshold: int = config.DISCLOSURE_THRESHOLD) -> pd.Series:
    """Mark per category of one breakdown (index: category, values: counts): '', 'primary' or 'secondary'."""
    values = [int(v) for v in counts]
    mark = [PRIMARY if 1 <= v < threshold else SHOWN for v in values]
    while determined(values, mark, threshold):
        visible = [i for i, m in enumerate(mark) if m == SHOWN]
        pool = [i for i in visible if values[i] > 0] or visible
        if not pool:
            mark = [SECONDARY] * len(values)
            break
        mark[min(pool, key=lambda i: (values[i], i))] = SECONDARY
    return pd.Series(mark, index=counts.index, dtype=object)


def suppress(counts: pd.Series, threshold: int = config.DISCLOSURE_THRESHOLD) -> pd.Series:
    """Boolean mask of the cells to hide in one breakdown (index: category, values: counts)."""
    return marks(counts, threshold) != SHOWN


def determined(values: list[int], mark: list[str], threshold: int) -> list[int]:
    """Positions of hidden cells whose count follows from the shown cells, the marks and the total.

    The reader knows the rule: a primary cell holds 1 to threshold - 1; a secondary one is at
    least the threshold and at most the smallest positive cell still shown (the smallest are
    hidden first), or 0 when no positive cell is shown (only then is an empty cell hidden).
    The hidden cells add up to the total minus the shown ones. With one equation and box
    bounds the values a cell can take form one interval per choice of which secondary cells
    are empty, so trying those choices (2**k for k secondary cells, a handful at most) is exact.
    """
    hidden = [i for i, m in enumerate(mark) if m != SHOWN]
    if not hidden:
        return []
    rest = sum(values[i] for i in hidden)
    if PRIMARY not in mark:  # withheld: nothing but the total is known, so only a lone cell is
        return hidden if len(hidden) == 1 else []
    shown_positive = [values[i] for i, m in enumerate(mark) if m == SHOWN and values[i] > 0]
    ceiling = min(shown_positive, default=rest)
    secondary = [i for i in hidden if mark[i] == SECONDARY]
    ranges: dict[int, list[tuple[int, int]]] = {i: [] for i in hidden}
    choices = itertools.product((True, False), repeat=len(secondary)) if not shown_positive else [(False,) * len(secondary)]
    for empty in choices:
        box = {i: (1, threshold - 1) for i in hidden if mark[i] == PRIMARY}
        box.update({i: (0, 0) if e else (threshold, ceiling) for i, e in zip(secondary, empty)})
        low, high = sum(b[0] for b in box.values()), sum(b[1] for b in box.values())
        if not low <= rest <= high:
            continue
        for i, (lo, hi) in box.items():
            ranges[i].append((max(lo, rest - (high - hi)), min(hi, rest - (low - lo))))
    return [i for i in hidden if ranges[i] and min(r[0] for r in ranges[i]) == max(r[1] for r in ranges[i])]
