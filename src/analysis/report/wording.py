"""Words chosen from the figures: plural, approximate values and relative changes.

What counts as a rise, a fall or no change is decided in :mod:`analysis.core.change`; the report
only maps its UP, DOWN and SAME to catalogue variants (:meth:`analysis.report.frame.Report.change`).
The helpers here pick "1 total" or "3 totals" by the plural rules of the language (Babel's CLDR
data) and write a change as "+32,8%" or "×33". Plain numbers and percentages are formatted by
:class:`analysis.report.i18n.Lang` (``num``, ``signed``, ``pct``) and nowhere else.
"""

from __future__ import annotations

import math

from babel import Locale

from analysis.core.change import MULTIPLE_FROM_RATIO
from analysis.report.i18n import Lang
from analysis.report.keys import key


def plural(lang: Lang, n: float) -> str:
    """CLDR plural category ('one', 'other') of ``n`` in the report's language."""
    return Locale.parse(lang.locale).plural_form(abs(n))


def multiple(lang: Lang, ratio: float) -> str:
    """×33: a large rise as a multiple, whole above 10, one decimal below."""
    return "×" + lang.num(ratio, 0 if ratio >= 10 else 1)


def multiple_words(lang: Lang, ratio: float) -> str:
    """'33 keer zoveel' / '33 times as many': a multiple in running text, where × belongs only in tables."""
    return lang.t("claim.times", value=lang.num(ratio, 0 if ratio >= 10 else 1))


def times_over(lang: Lang, low: float, high: float, of: bool = False, form: str = "") -> str | None:
    """'ruim het dubbele' / 'more than double': a ratio interval in words, when the words hold for all of it.

    The words follow the rounding rule of :mod:`analysis.core.claims` ('more than X' fits a value above X
    up to X plus one unit): only when the whole interval lies above a whole multiple n ≥ 2 and at most
    n + 1. Otherwise None, and the caller shows the interval itself. ``of``: the form that precedes the
    figure it multiplies ('ruim het dubbele van de 29.000').
    """
    n = math.floor(low)
    if n < 2 or low <= n or high > n + 1:
        return None
    family = form or ("times.more_of" if of else "times.more")  # 'times.more_as': 'ruim twee keer (zo hoog)'
    return lang.t(key(family, "2" if n == 2 else "n"), n=lang.count(n))


#: Fractions a reader says in words, and how far (in percentage points) a share may lie from one to be called so.
FRACTIONS = {"quarter": 25.0, "third": 100.0 / 3, "half": 50.0, "two_thirds": 200.0 / 3, "three_quarters": 75.0}
FRACTION_TOLERANCE = 4.0


def part_words(lang: Lang, pct: float) -> str:
    """'bijna twee derde (64%)' / 'almost two thirds (64%)': a part between 0 and 100% as the nearest fraction, with
    'bijna' or 'ruim' when the whole percent lies below or above it, and that percent; else 'ongeveer 41%'.

    Said of a ratio of net changes in provisional counts, whose assumptions do not carry a decimal.
    """
    name, value = min(FRACTIONS.items(), key=lambda item: abs(item[1] - pct))
    whole = round(pct)
    if abs(value - pct) <= FRACTION_TOLERANCE:
        side = "about" if abs(whole - value) < 0.5 else "almost" if whole < value else "more_than"
        words = lang.t(key("qualified", side), value=lang.t(key("part", name)))
        return f"{words} ({lang.pct(whole, 0)})"
    return lang.t("qualified.about", value=lang.pct(pct, 0))


def change_text(lang: Lang, old: float, new: float) -> str:
    """The relative change for a parenthesis: '+32,8%', '−33,5%', '×33', or '' on a base of 0."""
    if old == 0:
        return ""
    ratio = new / old
    if ratio >= MULTIPLE_FROM_RATIO:
        return multiple(lang, ratio)
    return lang.pct((ratio - 1.0) * 100.0, signed=True)


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
    return lang.num(centre), lang.num(round_to(low, fine)), lang.num(round_to(high, fine))


def round_to(value: float, step: float) -> float:
    return math.floor(value / step + 0.5) * step
