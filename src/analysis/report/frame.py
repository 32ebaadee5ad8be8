"""The frame every notebook shares: checked parameters, loaded data, citations and common sections.

A notebook creates one :class:`Report` from its parameters; every figure it shows is cited
through :meth:`Report.cite`, and :meth:`Report.sources_section` lists exactly those figures with
their source and locator, so each number in a report traces to a data row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis import parameters
from analysis.config import build_date
from analysis.core import change
from analysis.data import loader
from analysis.errors import ConfigError
from analysis.report import narrative, wording
from analysis.report.i18n import Lang
from analysis.report.keys import key as message_key
from analysis.report.render import Html, box, bullets, esc, heading, para

#: The data files each question reads. Loading only these keeps the build cache precise: a change
#: to contact_actions.csv rebuilds q5 and q6, not every report.
QUESTION_DATA: dict[str, list[str]] = {
    "q1": ["online_enrolments", "claims"],
    "q2": ["courses", "online_enrolments"],
    "q3": ["participants", "participant_counts"],
    "q4": ["online_actions", "participants", "participant_counts", "context_figures", "online_enrolments"],
    "q5": ["contact_actions", "online_enrolments", "claims", "context_figures"],
    "q6": ["published_derived", "contact_actions", "online_actions", "online_enrolments", "claims"],
    "q7": ["context_figures", "context_events", "online_enrolments", "claims"],
}
QUESTIONS = tuple(QUESTION_DATA)
#: Questions that describe one period and compare it with none (the title line names no comparison).
SINGLE_PERIOD = {"q2", "q3"}


@dataclass
class Citation:
    figure_id: str
    source_id: str
    locator: str


@dataclass
class Report:
    question: str
    year: int
    compare_year: int
    months: list[int]
    lang: Lang
    data: loader.DataBundle
    citations: dict[str, Citation] = field(default_factory=dict)

    # ------------------------------------------------------------------ construction
    @classmethod
    def open(
        cls,
        question: str,
        *,
        year: int,
        compare_year: int,
        months,
        lang: str,
        data_dir: str = "",
        datasets: list[str] | None = None,
    ) -> Report:
        """Check the notebook's parameters and load (and validate) the data it needs.

        The rules are those of analysis.parameters, which the runner applies before it starts a
        kernel, so a plain papermill run refuses exactly what ``python -m analysis build`` refuses.
        """
        if question not in QUESTIONS:
            raise ConfigError(f"unknown question {question!r}: expected one of {', '.join(QUESTIONS)}")
        checked = parameters.check(
            {"year": year, "compare_year": compare_year, "months": months, "lang": lang, "data_dir": data_dir}
        )
        year, compare_year, months, data_dir = (checked[k] for k in ("year", "compare_year", "months", "data_dir"))
        language = Lang(checked["lang"])
        data = loader.load_all(data_dir, datasets or QUESTION_DATA[question])
        return cls(question, year, compare_year, months, language, data)

    # ------------------------------------------------------------------ words
    def t(self, key: str, **values) -> str:
        return self.lang.t(key, **values)

    def th(self, key: str, **values) -> str:
        return self.lang.th(key, **values)

    def change(self, base: str, old: float, new: float, /, **values) -> str:
        """The variant of ``base`` for the change from ``old`` to ``new``: ``base.up``, ``.down`` or ``.same``.

        The direction is :func:`analysis.core.change.direction`'s; the endings are listed in
        :mod:`analysis.report.keys`. Like :meth:`th`, values are escaped for HTML.
        """
        return self.th(message_key(base, change.direction(old, new)), **values)

    def count(self, base: str, n: float, /, **values) -> str:
        """The variant of ``base`` for the CLDR plural category of ``n``: ``base.one`` or ``base.other`` (HTML)."""
        return self.th(message_key(base, wording.plural(self.lang, n)), **values)

    @property
    def period(self) -> str:
        return self.lang.period(self.year, self.months)

    @property
    def compare_period(self) -> str:
        return self.lang.period(self.compare_year, self.months)

    def period_bounds(self, year: int | None = None) -> tuple[str, str] | None:
        """('2021-01', '2021-02') for contiguous months; None when the months have gaps."""
        year = self.year if year is None else year
        if self.months != list(range(self.months[0], self.months[-1] + 1)):
            return None
        return f"{year:04d}-{self.months[0]:02d}", f"{year:04d}-{self.months[-1]:02d}"

    # ------------------------------------------------------------------ citations
    def cite(self, rows: pd.DataFrame | pd.Series, id_column: str | None = None) -> list[str]:
        """Record the data rows a shown figure comes from; returns their ids for a 'Ref.' column."""
        frame = rows.to_frame().T if isinstance(rows, pd.Series) else rows
        id_column = id_column or frame.columns[0]
        ids = []
        for _, row in frame.iterrows():
            fid = str(row[id_column])
            label = row.get(f"label_{self.lang.code}")  # a description in the reader's language beats the source's wording
            if isinstance(label, str) and label:
                locator = label
            elif "locator" in row and pd.notna(row.get("locator")):
                locator = str(row["locator"])
            else:
                locator = self._file_locator(frame, row)
            self.citations.setdefault(fid, Citation(fid, str(row["source_id"]), locator))
            ids.append(fid)
        return ids

    def source(self, source_id: str, locator: str):
        """A source row used in narrative text (an annex, an answer without figures), cited as such."""
        row = self.data["sources"].set_index("source_id").loc[source_id]
        self.citations.setdefault(f"{source_id}:{locator}", Citation(source_id, source_id, locator))
        return row

    def source_words(self, source_id: str) -> str:
        """A source as a reader names it ('HLN, 6 maart 2020'): ids belong in Ref. columns only."""
        row = self.data["sources"].set_index("source_id").loc[source_id]
        return f"{row.publisher}, {self.lang.partial_date(row.date)}"

    def cite_file(self, frame: pd.DataFrame, label: str) -> None:
        """Cite a whole extract file (course list, participant records) as one figure group."""
        for source_id in sorted(frame["source_id"].unique()):  # one pass in C: extracts run to a million rows
            text = self.t("sources.extract_rows", n=self.lang.num(len(frame)))
            self.citations.setdefault(f"{label}:{source_id}", Citation(label, source_id, text))

    def _file_locator(self, frame: pd.DataFrame, row) -> str:
        """Rows without a locator come from an extract; readers get words, not the file's path."""
        return self.t("sources.extract_row", row=str(row.name))

    # ------------------------------------------------------------------ common sections
    def title(self) -> Html:
        """Report title, the question in our own words, and the parameters it was run with."""
        q = self.question
        if q in SINGLE_PERIOD:
            subtitle = self.th("report.parameters_single", period=self.period)
        else:
            subtitle = self.th("report.parameters", period=self.period, compare=self.compare_period)
        build = build_date()
        build_line = para(self.th("report.build_date", date=self.lang.date(build)), "meta") if build else Html("")
        return Html(
            f'<header class="report-head"><p class="kicker">{esc(self.t("doc.title"))}</p>'
            f"<h1>{esc(self.t(message_key(q, 'title')))}</h1>"
            f'<p class="question">{esc(self.t(message_key(q, "question")))}</p>'
            f'<p class="meta">{subtitle}</p>{build_line}</header>'
        )

    def short_answer(self, paragraphs: list[str], figures: list[narrative.Figure]) -> Html:
        """The answer box every report opens with; paragraphs are catalogue text with escaped values.

        ``figures`` are the report's computed figures: every number in the paragraphs must be one of
        them (an explicit ``[]`` means no number may appear). The narrative check runs here, so a
        sentence its figures do not support fails the report, and the figures travel with the output
        for the runner to check the executed notebook again.
        """
        markup = box(self.t("section.short_answer"), "".join(para(p) for p in paragraphs))
        years = [self.year, self.compare_year]
        where = f"{self.question} ({self.lang.code}): "
        narrative.verify(markup, figures, self.lang, years, where)
        return CheckedHtml(markup, narrative.metadata(figures, self.lang, years, where))

    def section(self, key: str) -> Html:
        return heading(self.t(message_key("section", key)), 2)

    def caveats(self, keys: Sequence[str], extra: list[str] | None = None) -> Html:
        """The caveats of this question: its fixed ones (message keys the question module lists), then any found at run time."""
        items = [esc(self.t(key)) for key in keys]
        items.extend(extra or [])
        return heading(self.t("section.caveats"), 2) + bullets(items)

    def not_available(self, what: str) -> Html:
        return Html(f'<p class="notice">{esc(what)}</p>')

    def sources_section(self) -> Html:
        """Every source used, with the locator of each figure taken from it."""
        sources = self.data["sources"].set_index("source_id")
        out = [str(heading(self.t("section.sources"), 2))]
        if not self.citations:
            out.append(str(para(esc(self.t("sources.none")))))
            return Html("".join(out))
        by_source: dict[str, list[Citation]] = {}
        for c in self.citations.values():
            by_source.setdefault(c.source_id, []).append(c)
        out.append('<ol class="sources">')
        for source_id in sorted(by_source):
            s = sources.loc[source_id]
            url = str(s.url)
            link = f'<a href="{esc(url)}">{esc(url)}</a>' if url.startswith(("http://", "https://")) else esc(url)
            figures = "".join(
                f"<li><code>{esc(c.figure_id)}</code>: {esc(c.locator)}</li>"
                for c in sorted(by_source[source_id], key=lambda c: c.figure_id)
            )
            text = s.get(f"note_{self.lang.code}")
            note = f'<br><span class="source-note">{esc(text)}</span>' if isinstance(text, str) and text else ""
            out.append(
                f'<li id="src-{esc(source_id)}"><strong>{esc(s.publisher)}</strong>, <em>{esc(s.title)}</em> '
                f'({esc(self.lang.partial_date(s.date))}). {link}{note}<ul class="locators">{figures}</ul></li>'
            )
        out.append("</ol>")
        return Html("".join(out))


class CheckedHtml(Html):
    """A checked short answer: displays as HTML and carries its figures as output metadata."""

    def __new__(cls, markup: str, meta: dict):
        obj = super().__new__(cls, markup)
        obj.meta = meta
        return obj

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": str(self), "text/plain": repr(self)}, {"text/html": self.meta}


def key_figures(figures: dict[str, object]) -> None:
    """Print key figures one per line: the plain, stable output nbval checks."""
    for name, value in figures.items():
        print(f"{name}: {value}")
