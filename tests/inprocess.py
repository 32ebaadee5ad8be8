"""Run a notebook's library calls in this process, as the notebook makes them, and collect the HTML.

Scenario and property tests need every notebook on many data folders; papermill and a kernel per
run would make that minutes. The code cells are executed here instead, with the parameters cell
replaced by the test's parameters and ``display`` collecting what a reader would see, so the calls
are exactly the notebook's own (a changed notebook changes what these tests run).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from analysis import registry
from analysis.report import narrative
from analysis.report.i18n import Lang

QUESTIONS = {q.id: q.notebook for q in registry.QUESTIONS}


@dataclass
class Output:
    question: str
    lang: str
    html: list[str] = field(default_factory=list)
    stdout: str = ""
    records: dict[str, list[dict]] = field(default_factory=dict)  # the structured records, by MIME type
    ledger: dict | None = None  # the report's figure ledger, carried by its source list (analysis.report.narrative)

    def show(self, *values) -> None:
        """What ``display`` does in the notebook: keep each value's HTML, and the ledger when one carries it."""
        for value in values:
            self.html.append(_as_html(value))
            _collect(self, value)
            meta = getattr(value, "meta", None) or {}
            if narrative.LEDGER_KEY in meta:
                self.ledger = meta[narrative.LEDGER_KEY]

    def notebook(self):
        """The run as an executed notebook holds it: one output per displayed value, with its records."""
        import nbformat

        from analysis.report.render import bundle

        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "".join(self.html), **bundle(self.records)})]
        nb.cells.append(cell)
        return nb

    @property
    def text(self) -> str:
        """The reader's text: tags stripped, entities decoded, spaces collapsed."""
        import html

        joined = " ".join(self.html)
        joined = re.sub(r'<img [^>]*src="data:[^"]*"[^>]*>', " ", joined)
        return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", joined))).strip()

    @property
    def short_answer(self) -> str:
        import html

        box = next((h for h in self.html if 'class="box box-answer' in h or 'class="notice"' in h), "")
        return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", box))).strip()


@functools.cache
def _cells(question: str) -> tuple[str, ...]:
    nb = nbformat.read(QUESTIONS[question], as_version=4)
    return tuple(c.source for c in nb.cells if c.cell_type == "code")


def _collect(out: Output, value) -> None:
    """Keep the structured records a displayed value carries (what the runner reads from a notebook)."""
    from analysis.report.render import RECORD_MIMES

    for mime, items in getattr(value, "records", {}).items():
        if mime in RECORD_MIMES:
            out.records.setdefault(mime, []).extend(items)


def _as_html(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "_repr_html_"):
        return value._repr_html_() or ""
    if hasattr(value, "to_html"):
        return value.to_html()
    if hasattr(value, "_repr_png_"):
        return "<img>"
    return ""


def run(question: str, data_dir: Path | str, *, year: int, compare_year: int, months: list[int], lang: str) -> Output:
    out = Output(question, lang)
    namespace = {
        "year": year,
        "compare_year": compare_year,
        "months": list(months),
        "lang": lang,
        "data_dir": str(data_dir),
        "display": out.show,
    }
    given = {k: namespace[k] for k in ("year", "compare_year", "months", "lang", "data_dir")}
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        for i, source in enumerate(_cells(question)):
            if i == 0:  # the parameters cell: its defaults first, then the test's values (as papermill does)
                exec(source, namespace)
                namespace.update(given)
                continue
            tree = ast.parse(source)
            last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            body = tree.body[:-1] if last is not None else tree.body
            exec(compile(ast.Module(body, []), question, "exec"), namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), question, "eval"), namespace)
                out.show(value)
    out.stdout = buffer.getvalue()
    return out


EMPTY_SECTION = re.compile(r"<h2[^>]*>[^<]*</h2>\s*(?=<h2|$)")

#: Wordings no report may use, whatever its data (each a class of incoherent sentence; tests/scenarios has one
#: folder per class). They are read in the prose (paragraphs, list items, captions, notes), not in table cells.
INCOHERENT = {
    "a change between equal values": r"\b(?:from|van) (\d(?:[\d.,]*\d)?%?) (?:to|naar|tot) \1(?![\d%]|[.,]\d)",
    "a range whose ends coincide": r"(?<![\d.,])(\d(?:[\d.,]*\d)?%?) (?:to|tot) \1(?![\d%]|[.,]\d)",
    "a signed zero": r"(?<![\w-])[+\u2212-]0(?:[.,]0+)?%?(?![\d]|[.,]\d)",
    "a zero worded as a count": (
        r"(?<![\d.,])0 (?:more|extra|lost|learners?|enrolments?|actions?|cursisten|inschrijvingen|acties)\b"
        r"|\b(?:fall|daling|met) (?:of )?0(?![\d]|[.,]\d)|\b0 \([\d.,]+%\)"
    ),
}
#: A share above 100% worded as a part ("made up 350.0% of", "account for 180% of"): the percentage, then "of".
PART_ABOVE_100 = r"(\d[\d.,]*)% (?:of|van|goed)\b"


def wording_problems(output: Output) -> list[str]:
    """Sentences of a class no report may contain (:data:`INCOHERENT`), found in the prose of every output."""
    text = " ".join(narrative.prose(h) for h in output.html)
    found = [f"{what}: {m[0]!r}" for what, pattern in INCOHERENT.items() for m in re.finditer(pattern, text)]
    for m in re.finditer(PART_ABOVE_100, text):
        number = m[1].replace(".", "").replace(",", ".") if output.lang == "nl" else m[1].replace(",", "")
        if float(number) > 100:
            found.append(f"a share above 100% worded as a part: {m[0]!r}")
    return found


def ledger_problems(output: Output) -> list[str]:
    """Every output's prose against the report's ledger, as the build runner checks the executed notebook."""
    if not output.ledger:
        return []
    figures = [narrative.Figure(**f) for f in output.ledger["figures"]]
    lang, years, where = Lang(output.ledger["lang"]), output.ledger["years"], output.ledger.get("where", "")
    return list(dict.fromkeys(p for h in output.html for p in narrative.check_prose(h, figures, lang, years, where)))


def problems(output: Output) -> list[str]:
    """What no report may contain: an empty section or list, '0 of 0', a leftover placeholder, a number or
    direction word its ledger does not support, an incoherent wording."""
    found = []
    joined = "".join(output.html)
    if EMPTY_SECTION.search(joined):
        found.append(f"empty section: {EMPTY_SECTION.search(joined)[0]}")
    if "<ul></ul>" in joined:
        found.append("empty list")
    text = output.text
    for pattern in (
        r"\b0 of 0\b",
        r"\bvan de 0\b",
        r"\bof the 0\b",
        r"\{[a-z_]+\}",
        r"\bnan\b",
        r"\bNone\b(?! of\b)",
    ):  # "None of the 2 statements" is English
        if re.search(pattern, text):
            found.append(f"{pattern!r} in the text")
    return found + ledger_problems(output) + wording_problems(output)
