"""The narrative check: the words of a report must agree with the report's own figures.

Tables are computed, but sentences are assembled, and an assembled sentence can say "fell" of a
rise or print a number no computation produced. This check reads a report's text back as a
reader sees it (tags stripped) and verifies two things:

1. every number in it is one of the report's computed figures, formatted for the report's
   language (a count, a percentage, a ratio, a multiple "×33", or the rounded centre and ends
   of a value that rests on a rounded input), one of the report's years, or a number that names
   rather than counts (a year or day in a date, a numbered answer, a number in a course's name),
   which the report lists as a ``label``;
2. every direction word ("rose", "fell", "about the same"; "steeg", "daalde", "ongeveer gelijk")
   agrees with the change it describes: the first "from A to B" pair after it, the first signed
   percentage or multiple after it, a value it "stayed at", or a percentage it changed "by"
   (whose sign the report's figures give), in the same clause. A direction word with no figure
   to check against is itself an error: a reader cannot check it either.

It covers every text a question writes, not only the short answer. The report keeps one ledger of
its figures (:attr:`analysis.report.frame.Report.ledger`): each question adds the figures it shows,
and every text-producing helper of the report (short answer, sections, notes, caveats, table
captions and notes) checks its text against that ledger where the text is made. The source list,
the last output of every report, carries the whole ledger in its metadata, and the build runner
(and the in-process test runner) check every HTML output of the executed notebook against it
again (:func:`check_notebook`, :func:`prose`): text that bypassed the helpers is checked too, so
no question can opt out. A failing report fails its build with a message that quotes the sentence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from analysis.core import change
from analysis.report import render, wording
from analysis.report.i18n import Lang

#: Metadata key under which a short answer carries its figures in the executed notebook.
META_KEY = "analysis_narrative"
#: Metadata key under which a report's closing output (its source list) carries the report's whole ledger.
LEDGER_KEY = "analysis_ledger"


class NarrativeError(ValueError):
    """A sentence of a short answer that its own figures do not support."""


@dataclass(frozen=True)
class Figure:
    """A computed figure a sentence may show.

    ``low``/``high`` and ``unit`` are set when the figure rests on a rounded input: the sentence
    may then show its rounded centre and ends (``wording.about``), never an exact-looking value.
    A ``label`` is a number that names rather than counts (see :func:`names`): shown as written.
    """

    value: float
    kind: str = "count"  # count | pct | ratio | label
    low: float | None = None
    high: float | None = None
    unit: float = 0.0
    text: str = ""  # a label as the source writes it: a Dutch quote keeps '63.000' in the English report


DIRECTION_WORDS = {
    "en": {
        change.UP: r"\b(?:rose|grew|increased)\b",
        change.DOWN: r"\b(?:fell|decreased|declined)\b",
        change.SAME: r"\b(?:about the same|unchanged|stayed at)\b",
    },
    "nl": {
        change.UP: r"\b(?:steeg|stegen|gestegen|toegenomen|groeide|groeiden|gegroeid)\b",
        change.DOWN: r"\b(?:daalde|daalden|gedaald|afgenomen)\b",
        change.SAME: r"\b(?:ongeveer gelijk|onveranderd|bleef op|bleven op)\b",
    },
}
PAIR = {
    "en": r"\bfrom (?:about )?({n})%? to (?:about )?({n})",
    "nl": r"\bvan (?:ongeveer )?({n})%? (?:naar|tot) (?:ongeveer )?({n})",
}
#: "stayed at 40,000": a value that did not change (the word itself says so; the value must be a figure).
STEADY = {"en": r"^\s*(?:about )?({n})", "nl": r"^\s*(?:ongeveer )?({n})"}
#: "grew by about 14% a year": an unsigned percentage, whose sign the report's own figures give.
BY = {
    "en": r"\bby (?:about |on average |an average of )?({n})%",
    "nl": r"\bmet (?:ongeveer |gemiddeld |zowat )?({n})%",
}
NUMBER = {
    "nl": r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?",
    "en": r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?",
}
SIGNS = "+-\u2212"


def _token_re(code: str) -> re.Pattern:
    return re.compile(rf"(?P<sign>[{re.escape(SIGNS)}])?(?P<times>×)?(?P<num>{NUMBER[code]})(?P<pct>%)?")


def _parse(code: str, text: str) -> float:
    if code == "nl":
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    return float(text)


def renderings(fig: Figure, lang: Lang) -> set[str]:
    """Every unsigned way a report may write ``fig`` in ``lang``."""
    return set(_renderings(fig, lang.code))


def _renderings(fig: Figure, code: str) -> frozenset[str]:
    """:func:`renderings`, kept: a report checks every text against its whole ledger, so each figure is asked for often."""
    try:
        return _kept_renderings(fig, code, (type(fig.value), type(fig.low), type(fig.high), type(fig.unit)))
    except TypeError:  # a figure that cannot be a cache key
        return frozenset(_written(fig, Lang(code)))


@functools.lru_cache(maxsize=16384)
def _kept_renderings(fig: Figure, code: str, types: tuple) -> frozenset[str]:
    # Keyed by the values' types too: equal figures of different number types may print differently.
    return frozenset(_written(fig, Lang(code)))


def _written(fig: Figure, lang: Lang) -> set[str]:
    out: set[str] = set()
    v = abs(fig.value)
    rests_on_rounded = fig.low is not None and fig.high is not None and fig.low != fig.high
    if fig.kind == "label":
        written = {lang.num(v, digits) for digits in (0, 1, 2)} | ({str(int(v))} if float(v).is_integer() else set())
        written |= {fig.text} if fig.text else set()
        return written | {w + "%" for w in written}
    if rests_on_rounded and fig.kind == "count":
        pass  # never the exact-looking value: only its rounded centre and ends, below
    elif fig.kind == "pct":
        for digits in (0, 1):
            out.add(lang.pct(v, digits))
    elif fig.kind == "ratio":
        for digits in (1, 2):
            out.add(lang.num(v, digits))
        out.add(wording.multiple(lang, v))
        if v >= 10:
            out.add(lang.num(v, 0))  # a large multiple in words: '33 keer zoveel' (wording.multiple_words)
    else:
        out.add(lang.num(v))
    if fig.low is not None and fig.high is not None:
        centre, low, high = wording.about(lang, fig.low, fig.high, fig.unit)
        out |= {centre.lstrip(SIGNS), low.lstrip(SIGNS), high.lstrip(SIGNS)}
        if fig.kind == "ratio":
            for digits in (1, 2):
                out |= {lang.num(abs(fig.low), digits), lang.num(abs(fig.high), digits)}
        elif fig.kind == "pct":
            out |= {lang.pct(abs(fig.low), digits) for digits in (0, 1)} | {lang.pct(abs(fig.high), digits) for digits in (0, 1)}
    return out


def names(text: str, lang: Lang) -> list[Figure]:
    """The numbers inside a text the report quotes as a name (a date, a title, a course): labels, as written."""
    return [Figure(_parse(lang.code, m["num"]), "label", text=m["num"]) for m in _token_re(lang.code).finditer(text)]


def plain_text(markup: str) -> str:
    """The text a reader sees, without the box's own heading."""
    return render.plain_text(re.sub(r"<h\d[^>]*>.*?</h\d>", " ", markup, flags=re.S))


#: What the ledger check leaves out of an output: the report's header (title, question, period line:
#: the frame's, not a question's), table rows (computed cells, each with its Ref.), charts and images
#: (checked for layout elsewhere), styles, and the source list (locators quote the sources as written).
_NOT_PROSE = (
    r'<header class="report-head">.*?</header>',
    r'<ol class="sources">.*?</ol>',
    r"<thead>.*?</thead>",
    r"<tbody\b[^>]*>.*?</tbody>",
    r"<figure\b.*?</figure>",
    r"<style\b.*?</style>",
    r"<img\b[^>]*>",
)


def prose(markup: str) -> str:
    """The text a question writes into a report: paragraphs, list items, headings, table captions and notes."""
    for pattern in _NOT_PROSE:
        markup = re.sub(pattern, " ", markup, flags=re.S)
    return render.plain_text(markup)


def sentences(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text).strip()
    return [s for s in re.split(r"(?<=[.!?:])\s+(?=[A-Z\u00c0-\u024f0-9'‘“(])", text) if s]


def check(markup: str, figures: list[Figure], lang: Lang, years: Sequence[int] = (), where: str = "") -> list[str]:
    """Problems found in ``markup`` (empty when the narrative agrees with its figures)."""
    return check_text(plain_text(markup), figures, lang, years, where)


def check_prose(markup: str, figures: list[Figure], lang: Lang, years: Sequence[int] = (), where: str = "") -> list[str]:
    """Problems found in the :func:`prose` of an output (any fragment a question displays) against a ledger."""
    return check_text(prose(markup), figures, lang, years, where)


def check_text(text: str, figures: list[Figure], lang: Lang, years: Sequence[int] = (), where: str = "") -> list[str]:
    """Problems found in a reader's text (tags already stripped)."""
    code = lang.code
    allowed: set[str] = set()
    for fig in figures:
        allowed |= _renderings(fig, code)
    year_texts = {str(y) for y in years}
    token = _token_re(code)
    problems = []
    for sentence in sentences(text):
        for m in token.finditer(sentence):
            shown = (m["times"] or "") + m["num"] + (m["pct"] or "")
            if m["num"] in year_texts and not m["pct"] and not m["times"]:
                continue
            if shown not in allowed:
                problems.append(f"{where}number {shown} is not one of the report's figures: “{sentence}”")
        problems.extend(_directions(sentence, code, where, figures, lang))
    return problems


def _signs_of(text: str, figures: Sequence[Figure], lang: Lang) -> set[str]:
    """The directions of the percentage figures that print as ``text`` (unsigned)."""
    out = set()
    for fig in figures:
        if fig.kind == "pct" and text in _renderings(fig, lang.code):
            out.add(change.SAME if abs(fig.value) < change.SAME_THRESHOLD_PCT else (change.UP if fig.value > 0 else change.DOWN))
    return out


def _directions(sentence: str, code: str, where: str, figures: Sequence[Figure] = (), lang: Lang | None = None) -> list[str]:
    words = DIRECTION_WORDS[code]
    pair = re.compile(PAIR[code].format(n=NUMBER[code]))
    signed = re.compile(rf"([{re.escape(SIGNS)}])({NUMBER[code]})%|×({NUMBER[code]})")
    steady = re.compile(STEADY[code].format(n=NUMBER[code]))
    by = re.compile(BY[code].format(n=NUMBER[code]))
    hits = sorted((m.start(), m.end(), d, m[0]) for d, pattern in words.items() for m in re.finditer(pattern, sentence))
    problems = []
    for i, (_, end, claimed, word) in enumerate(hits):
        stop = hits[i + 1][0] if i + 1 < len(hits) else len(sentence)
        clause = re.split(r"[;]", sentence[end:stop])[0]
        actual = None
        p = pair.search(clause)
        if p:
            actual = _pair_direction(code, p[1], p[2], claimed)
        elif claimed == change.SAME and steady.search(clause):
            actual = change.SAME  # "stayed at 40,000": the words say so; the number is checked as a figure
        else:
            s = signed.search(clause)
            b = by.search(clause)
            if s and s[3]:
                actual = change.UP if _parse(code, s[3]) > 1 else change.SAME
            elif s:
                value = _parse(code, s[2]) * (1 if s[1] == "+" else -1)
                actual = change.SAME if abs(value) < change.SAME_THRESHOLD_PCT else (change.UP if value > 0 else change.DOWN)
            elif b and lang is not None:
                signs = _signs_of(b[1] + "%", figures, lang)
                actual = claimed if claimed in signs else (signs.pop() if len(signs) == 1 else None)
        if actual is None:
            problems.append(f"{where}'{word}' has no figure to agree with: “{sentence}”")
        elif actual != claimed:
            problems.append(f"{where}'{word}' describes a change whose direction is '{actual}': “{sentence}”")
    return problems


def _pair_direction(code: str, old_text: str, new_text: str, claimed: str) -> str:
    """Direction of a printed pair; a figure printed with decimals stands for its rounding interval.

    A share of 50.04% that became 50.29% is 'about the same', yet prints as 50.0% and 50.3%: the
    claimed direction is accepted when some values that print like these have it.
    """
    old, new = _parse(code, old_text), _parse(code, new_text)
    half_old, half_new = _half_unit(code, old_text), _half_unit(code, new_text)
    corners = {change.direction(old + a, new + b) for a in (-half_old, half_old) for b in (-half_new, half_new)}
    if claimed in corners or (claimed == change.SAME and {change.UP, change.DOWN} <= corners):
        return claimed
    return change.direction(old, new)


def _half_unit(code: str, text: str) -> float:
    mark = "," if code == "nl" else "."
    decimals = len(text.split(mark)[1]) if mark in text else 0
    return 0.5 * 10.0**-decimals if decimals else 0.0


def verify(markup: str, figures: list[Figure], lang: Lang, years: Sequence[int] = (), where: str = "") -> None:
    problems = check(markup, figures, lang, years, where)
    if problems:
        raise NarrativeError("narrative check failed: " + "; ".join(problems))


def verify_prose(markup: str, figures: list[Figure], lang: Lang, years: Sequence[int] = (), where: str = "") -> None:
    problems = check_prose(markup, figures, lang, years, where)
    if problems:
        raise NarrativeError("narrative check failed: " + "; ".join(problems))


def metadata(figures: list[Figure], lang: Lang, years: list[int], where: str, key: str = META_KEY) -> dict:
    return {key: {"lang": lang.code, "years": list(years), "where": where, "figures": [asdict(f) for f in figures]}}


def _html(output: dict) -> str:
    markup = output.get("data", {}).get("text/html", "")
    return "".join(markup) if isinstance(markup, list) else markup


def check_notebook(nb) -> list[str]:
    """Re-check an executed notebook from its outputs and metadata: every short answer against its figures,
    every HTML output's :func:`prose` against the report's ledger (carried by its source list), and every
    key finding against the figures it was checked with."""
    problems = []
    outputs = [output for cell in nb.get("cells", []) for output in cell.get("outputs", [])]
    ledger = None
    for output in outputs:
        meta = output.get("metadata", {}).get("text/html", {})
        if meta.get(LEDGER_KEY):
            ledger = meta[LEDGER_KEY]
        if not meta.get(META_KEY):
            continue
        meta = meta[META_KEY]
        figures = [Figure(**f) for f in meta["figures"]]
        problems += check(_html(output), figures, Lang(meta["lang"]), meta["years"], meta.get("where", ""))
    if ledger:
        figures = [Figure(**f) for f in ledger["figures"]]
        lang, years, where = Lang(ledger["lang"]), ledger["years"], ledger.get("where", "")
        for output in outputs:
            problems += check_prose(_html(output), figures, lang, years, where)
    for finding in _findings(nb):
        meta = finding.get("check") or {}
        figures = [Figure(**f) for f in meta.get("figures", [])]
        where = meta.get("where", "")
        markup = f"<p>{finding.get('html', '')}</p>"
        problems += check(markup, figures, Lang(meta.get("lang", finding.get("lang", "nl"))), meta.get("years", []), where)
    return list(dict.fromkeys(problems))


def _findings(nb) -> list[dict]:
    """The key-finding records of an executed notebook (each carries the figures it was checked against)."""
    out = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(render.FINDING_MIME)
            if isinstance(payload, dict):
                out.extend(payload.get("items", []))
    return out
