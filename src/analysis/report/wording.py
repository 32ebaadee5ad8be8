"""Words chosen from the figures: direction, plural, approximate values and signed changes.

A sentence that describes a change must not be written for one direction of the data. The
helpers here pick the catalogue variant from the figure itself, so a report built on any data
that meets the contract says "rose" only for a rise, "fell" only for a fall, "about the same"
only for a change within :data:`SAME_THRESHOLD_PCT`, and "1 total" or "3 totals" by the plural
rules of the language (Babel's CLDR data). The narrative check (:mod:`analysis.report.narrative`)
reads the built text back and uses the same threshold, so the two cannot drift apart.
"""

from __future__ import annotations

import math

from babel import Locale

from analysis.report.i18n import Lang

#: A change smaller than this share (in percent) of the larger of the two figures is written
#: "about the same". Half a percent keeps one action more on 150 a change, while a difference that
#: a percentage to one decimal would barely show (9,578 against 9,600) is not called a rise.
#: Measured on the larger figure so that swapping the two years only swaps "rose" and "fell".
SAME_THRESHOLD_PCT = 0.5

#: From this ratio of new to old on, a change is written as a multiple ("×33") rather than a
#: percentage: "+3.175,0%" on a base of 16 tells a reader less than "33 times as many".
MULTIPLE_FROM_RATIO = 3.0

UP, DOWN, SAME = "up", "down", "same"
MINUS = "\u2212"


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


def plural(lang: Lang, n: float) -> str:
    """CLDR plural category ('one', 'other') of ``n`` in the report's language."""
    return Locale.parse(lang.locale).plural_form(abs(n))


def minus(text: str) -> str:
    """A formatted number with the typographic minus sign (U+2212) instead of a hyphen."""
    return MINUS + text[1:] if text.startswith("-") else text


def num(lang: Lang, value: float, digits: int = 0) -> str:
    return minus(lang.num(value, digits))


def signed_num(lang: Lang, value: float, digits: int = 0) -> str:
    """+1.241 / −701 / 0: a change in a table or a parenthesis."""
    text = num(lang, value, digits)
    return "+" + text if value > 0 and lang.num(value, digits) != lang.num(0, digits) else text


def pct(lang: Lang, value: float, digits: int = 1) -> str:
    return minus(lang.pct(value, digits))


def signed_pct(lang: Lang, value: float, digits: int = 1) -> str:
    return minus(lang.pct(value, digits, signed=True))


def multiple(lang: Lang, ratio: float) -> str:
    """×33: a large rise as a multiple, whole above 10, one decimal below."""
    return "×" + lang.num(ratio, 0 if ratio >= 10 else 1)


def change_text(lang: Lang, old: float, new: float) -> str:
    """The relative change for a parenthesis: '+32,8%', '−33,5%', '×33', or '' on a base of 0."""
    if old == 0:
        return ""
    ratio = new / old
    if ratio >= MULTIPLE_FROM_RATIO:
        return multiple(lang, ratio)
    return signed_pct(lang, (ratio - 1.0) * 100.0)


def change_pct(old: float, new: float) -> float | None:
    """The percentage :func:`change_text` shows (in percent units); None when it shows a multiple or nothing."""
    if old == 0 or new / old >= MULTIPLE_FROM_RATIO:
        return None
    return (new / old - 1.0) * 100.0


def rounding_step(unit: float) -> float:
    """The step to which an approximate value is rounded: the rounding unit of its input."""
    return unit if unit >= 1 else 1.0


def about(lang: Lang, low: float, high: float, unit: float) -> tuple[str, str, str]:
    """(centre, low, high) of a value that rests on a rounded input, for 'about X (low–high)'.

    The centre is rounded to the input's rounding unit (a base of 29,000 known to the thousand
    gives 33,000, not 33,297); the ends to a tenth of it, so the interval stays visible.
    """
    step = rounding_step(unit)
    fine = max(step / 10.0, 1.0)
    centre = round_to((low + high) / 2.0, step)
    return num(lang, centre), num(lang, round_to(low, fine)), num(lang, round_to(high, fine))


def round_to(value: float, step: float) -> float:
    return math.floor(value / step + 0.5) * step
