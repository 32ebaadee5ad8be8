"""What counts as a rise, a fall or no change: one rule for the computations and for the words.

A sentence that describes a change must not be written for one direction of the data. The
direction of a change is decided here, from the figures alone, with one documented threshold;
the report layer only chooses the words for :data:`UP`, :data:`DOWN` and :data:`SAME`
(:meth:`analysis.report.frame.Report.change`), and the narrative check
(:mod:`analysis.report.narrative`) reads the built text back with the same rule, so the
computation, the words and the check cannot drift apart.
"""

from __future__ import annotations

#: A change smaller than this share (in percent) of the larger of the two figures is
#: "about the same". Half a percent keeps one action more on 150 a change, while a difference that
#: a percentage to one decimal would barely show (9,578 against 9,600) is not called a rise.
#: Measured on the larger figure so that swapping the two years only swaps "rose" and "fell".
SAME_THRESHOLD_PCT = 0.5

#: From this ratio of new to old on, a change is written as a multiple ("×33") rather than a
#: percentage: "+3.175,0%" on a base of 16 tells a reader less than "33 times as many".
MULTIPLE_FROM_RATIO = 3.0

UP, DOWN, SAME = "up", "down", "same"
DIRECTIONS = (UP, DOWN, SAME)


def direction(old: float, new: float) -> str:
    """up, down or same for a change from ``old`` to ``new``, with the one documented threshold."""
    change = new - old
    if change == 0 or abs(change) / max(abs(old), abs(new)) * 100.0 < SAME_THRESHOLD_PCT:
        return SAME
    return UP if change > 0 else DOWN


def interval_direction(old_low: float, old_high: float, new: float) -> str:
    """Direction against a rounded base: a rise or fall only when it holds over the whole interval."""
    ends = {direction(old_low, new), direction(old_high, new)}
    return ends.pop() if len(ends) == 1 else SAME
