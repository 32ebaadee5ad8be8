"""Words and numbers in the reader's language.

Every sentence, header and label lives in messages.yml in Dutch and English; numbers,
percentages, months and dates are formatted with Babel's CLDR data (Dutch: 62.297 and
24,1%; English: 62,297 and 24.1%), never with hand-written separators.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import string

import yaml
from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal

from analysis import config
from analysis.errors import ConfigError

LANGS = ("nl", "en")
LOCALES = {"nl": "nl_BE", "en": "en_GB"}


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    with open(config.MESSAGES_PATH, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ten times faster


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
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def pct(self, value: float | None, digits: int = 1, signed: bool = False) -> str:
        """A percentage given in percent units (24.1 -> '24,1%')."""
        if value is None or value != value:
            return "–"
        text = self.num(value, digits)
        if signed and value > 0:
            text = "+" + text
        return text + "%"

    def ratio(self, value: float, digits: int = 2) -> str:
        return self.num(value, digits)

    # -- calendar
    def month(self, month: int) -> str:
        return get_month_names("wide", locale=self.locale)[month]

    def months_label(self, months: list[int]) -> str:
        if not months:
            return ""
        if len(months) == 1:
            return self.month(months[0])
        if months == list(range(months[0], months[-1] + 1)):
            return f"{self.month(months[0])}–{self.month(months[-1])}"
        return ", ".join(self.month(m) for m in months[:-1]) + f" {self.t('and')} " + self.month(months[-1])

    def period(self, year: int, months: list[int]) -> str:
        return f"{self.months_label(months)} {year}"

    def period_range(self, start: str, end: str) -> str:
        """'2019-03'..'2019-08' -> 'maart–augustus 2019'."""
        y1, m1 = map(int, start.split("-"))
        y2, m2 = map(int, end.split("-"))
        if (y1, m1) == (y2, m2):
            return f"{self.month(m1)} {y1}"
        if y1 == y2:
            if m1 == 1 and m2 == 12:
                return str(y1)
            return f"{self.month(m1)}–{self.month(m2)} {y1}"
        return f"{self.month(m1)} {y1} – {self.month(m2)} {y2}"

    def date(self, value: dt.date) -> str:
        return format_date(value, format="long", locale=self.locale)


class Safe(str):
    """Markup produced by this package (already escaped) that :meth:`Lang.th` must not escape again."""
