"""Words and numbers in the reader's language.

Every sentence, header and label lives in messages.yml in Dutch and English; numbers,
percentages, months and dates are formatted with Babel's CLDR data (Dutch: 62.297 and
24,1%; English: 62,297 and 24.1%), never with hand-written separators.

Typography is decided here once, so no caller can drift: a true minus sign (U+2212) for
negative numbers, because a hyphen reads as a dash or breaks across lines; dates in words in
running text; one range style per context (words in sentences, an unspaced en dash in
tables). Quotes are curly (‘…’); the catalogue writes them so.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import html
import numbers
import string

import yaml
from babel.dates import format_date, get_day_names, get_month_names
from babel.numbers import format_decimal

from analysis import config
from analysis.errors import ConfigError
from analysis.parameters import LANGS

MINUS = "\u2212"
TEXT, TABLE = "text", "table"  # range styles: in a sentence, or in a table cell or chart label
LOCALES = {"nl": "nl_BE", "en": "en_GB"}
#: One to nineteen in words (index 0 unused: "no" or "none" is a sentence of its own, not a number word).
NUMBER_WORDS = {
    "nl": (
        "",
        "één",
        "twee",
        "drie",
        "vier",
        "vijf",
        "zes",
        "zeven",
        "acht",
        "negen",
        "tien",
        "elf",
        "twaalf",
        "dertien",
        "veertien",
        "vijftien",
        "zestien",
        "zeventien",
        "achttien",
        "negentien",
    ),
    "en": (
        "",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ),
}


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    with open(config.MESSAGES_PATH, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ten times faster


@functools.cache
def glossary() -> dict[str, dict[str, dict]]:
    """The domain terms (glossary.yml, next to the catalogue): VDAB's words, and the synonyms to avoid."""
    with open(config.MESSAGES_PATH.with_name("glossary.yml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@functools.lru_cache(maxsize=65536)
def _number(locale: str, kind: str, value: float, digits: int) -> str:
    """``value`` formatted with ``digits`` decimals; cached, because charts format every tick label at every draw.

    Keyed by the value's type as well: equal values of different types (an int and a float beyond
    2**53) may format differently.
    """
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    # half away from zero, as official statistics round (31.148,5 is 31.149), not babel's half to even
    if isinstance(value, decimal.Decimal):
        exact = value
    elif isinstance(value, numbers.Integral):
        exact = decimal.Decimal(int(value))
    else:
        exact = decimal.Decimal(repr(float(value)))  # the float's shortest form: 2.675 is 2.675, not 2.67499…
    if exact.is_finite():
        exact = exact.quantize(decimal.Decimal(1).scaleb(-digits), rounding=decimal.ROUND_HALF_UP)
    text = format_decimal(exact, format=pattern, locale=locale)
    if text.startswith("-") and not text.strip("-0,."):
        return text[1:]  # a value that rounds to zero has no sign: '0,0', never '−0,0'
    return MINUS + text[1:] if text.startswith("-") else text


class Lang:
    """Translator and number formatter for one language."""

    def __init__(self, code: str):
        if code not in LANGS:
            raise ConfigError(f"parameter lang: value {code!r}: expected one of {', '.join(LANGS)}")
        self.code = code
        self.locale = LOCALES[code]

    # -- words
    def t(self, key: str, **values) -> str:
        """The message ``key``; ``values`` fill its {placeholders} and must all be used."""
        try:
            template = catalogue()[key][self.code]
        except KeyError:
            raise KeyError(f"message {key!r} has no {self.code!r} text in messages.yml") from None
        names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        missing = names - set(values)
        if missing:
            raise KeyError(f"message {key!r} needs {sorted(missing)}")
        return template.format(**values)

    def th(self, key: str, **values) -> str:
        """Like :meth:`t` for HTML output: values are escaped, the catalogue's own markup kept."""
        return self.t(key, **{k: v if isinstance(v, Safe) else html.escape(str(v)) for k, v in values.items()})

    # -- numbers
    def num(self, value: float, digits: int = 0) -> str:
        if value is None or value != value:
            return "–"
        kind = f"{type(value).__module__}.{type(value).__qualname__}"
        try:
            return _number(self.locale, kind, value, digits)
        except TypeError:  # a value that cannot be a cache key
            return _number.__wrapped__(self.locale, kind, value, digits)

    def count(self, value: int) -> str:
        """A count in running text: one to nineteen in words ("vijf totalen", "five totals"), larger in digits.

        Flemish and British style guides alike write small whole numbers in words in running text;
        tables, charts, figures with a unit or a decimal, and comparisons with larger numbers keep
        digits (use :meth:`num` there).
        """
        if isinstance(value, numbers.Real) and value == int(value) and 1 <= value < len(NUMBER_WORDS[self.code]):
            return NUMBER_WORDS[self.code][int(value)]
        return self.num(value)

    def signed(self, value: float, digits: int = 0) -> str:
        """A change: '+1.241' or '−701', so a rise and a fall look different at a glance; one that rounds to 0 is '0'."""
        text = self.num(value, digits)
        return "+" + text if value is not None and value > 0 and text.strip("0,.") else text

    def pct(self, value: float | None, digits: int = 1, signed: bool = False) -> str:
        """A percentage given in percent units (24.1 -> '24,1%')."""
        if value is None or value != value:
            return "–"
        text = self.signed(value, digits) if signed else self.num(value, digits)
        return text + "%"

    def ratio(self, value: float, digits: int = 2) -> str:
        return self.num(value, digits)

    def between(self, low: str, high: str, style: str = TEXT) -> str:
        """Two formatted values as a range: '2,1 tot 2,2' in a sentence, '2,1–2,2' in a table; one value if they agree."""
        if low == high:
            return low
        return f"{low}–{high}" if style == TABLE else self.t("range.text", low=low, high=high)

    def ratio_range(self, low: float, high: float, digits: int = 2, style: str = TEXT) -> str:
        """A ratio with rounded inputs is only known up to an interval; print the interval, not a false point."""
        return self.between(self.ratio(low, digits), self.ratio(high, digits), style)

    # -- calendar
    def month(self, month: int) -> str:
        return get_month_names("wide", locale=self.locale)[month]

    def weekday(self, day: int) -> str:
        """The weekday's name, 0 for Monday: 'donderdag', 'Thursday'."""
        return get_day_names("wide", locale=self.locale)[day]

    def months_label(self, months: list[int], style: str = TEXT) -> str:
        """'januari en februari' in a sentence, 'januari–februari' in a table; gaps always listed."""
        if not months:
            return ""
        if len(months) == 1:
            return self.month(months[0])
        contiguous = months == list(range(months[0], months[-1] + 1))
        if contiguous and style == TABLE:
            return f"{self.month(months[0])}–{self.month(months[-1])}"
        if contiguous and len(months) > 2:
            return self.t("range.months", first=self.month(months[0]), last=self.month(months[-1]))
        return ", ".join(self.month(m) for m in months[:-1]) + f" {self.t('and')} " + self.month(months[-1])

    def period(self, year: int, months: list[int], style: str = TEXT) -> str:
        return f"{self.months_label(months, style)} {year}"

    def period_range(self, start: str, end: str, style: str = TEXT) -> str:
        """'2019-03'..'2019-08' -> 'maart tot en met augustus 2019' (text) or 'maart–augustus 2019' (table)."""
        y1, m1 = map(int, start.split("-"))
        y2, m2 = map(int, end.split("-"))
        if (y1, m1) == (y2, m2):
            return f"{self.month(m1)} {y1}"
        if y1 == y2:
            if m1 == 1 and m2 == 12:
                return str(y1)
            return self.period(y1, list(range(m1, m2 + 1)), style)
        if style == TABLE:
            return f"{self.month(m1)} {y1}–{self.month(m2)} {y2}"
        return self.t("range.months", first=f"{self.month(m1)} {y1}", last=f"{self.month(m2)} {y2}")

    def date(self, value: dt.date) -> str:
        return format_date(value, format="long", locale=self.locale)

    def partial_date(self, text: str) -> str:
        """A date known to the year, month or day ('2021', '2021-04', '2021-04-08') in words: ISO is for files."""
        parts = str(text).split("-")
        try:
            if len(parts) == 3:
                return self.date(dt.date.fromisoformat(str(text)))
            if len(parts) == 2:
                return f"{self.month(int(parts[1]))} {int(parts[0])}"
            return str(int(parts[0]))
        except (ValueError, KeyError):
            return str(text)


class Safe(str):
    """Markup produced by this package (already escaped) that :meth:`Lang.th` must not escape again."""
