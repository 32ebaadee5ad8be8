"""The frame every notebook shares: checked parameters, loaded data, citations and common sections.

A notebook creates one :class:`Report` from its parameters; every figure it shows is cited
through :meth:`Report.cite`, so each number in a report traces to a data row. The reader sees that
trace in words: a source line under every table and chart (:meth:`Report.source_line`) and a short
list of the sources at the end (:meth:`Report.sources_section`); the figure ids and locators travel
in the structured records, for the CSV files, the workbook and the combined document's annex.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis import parameters, registry
from analysis.config import build_date
from analysis.core import change
from analysis.data import loader
from analysis.report import narrative, render, tabular, wording
from analysis.report.i18n import Lang, glossary
from analysis.report.keys import ENDINGS, EQUAL, NONE
from analysis.report.keys import key as message_key
from analysis.report.render import (
    ANSWER_MIME,
    DERIVED,
    FIGURE_STATUSES,
    FINDING_MIME,
    HEADLINE,
    QUOTE_KINDS,
    SOURCES_MIME,
    TITLE_MIME,
    Chart,
    Html,
    Table,
    box,
    bullets,
    esc,
    heading,
    natural_key,
    para,
    plain_text,
    printed_url,
    source_head,
    source_label,
)


@dataclass
class Citation:
    figure_id: str
    source_id: str
    locator: str
    value: str = ""  # the figure as the source gives it, in the reader's language (the annex lists it)


#: The columns that hold a data row's figure, by dataset: the first one a row has is its value.
VALUE_COLUMNS = ("enrolments", "actions", "count", "value")


#: A locator in the minister's answer, as the data write it: 'Antwoord 5, tabel 1, januari, ...'.
ANSWER_LOCATOR = re.compile(r"^\s*Antwoord\s+(\d+[a-z]?)\b", re.IGNORECASE)
TABLE_LOCATOR = re.compile(r"\btabel\s+(\d+)\b", re.IGNORECASE)
#: A locator in the introduction of the written question.
QUESTION_INTRO_LOCATOR = re.compile(r"^\s*Vraag,\s*inleiding\b", re.IGNORECASE)


#: A short answer up to this many characters is kept on one page (about half a printed page of box text).
KEEP_BOX_CHARS = 1200


@dataclass
class Report:
    question: str
    year: int
    compare_year: int
    months: list[int]
    lang: Lang
    data: loader.DataBundle
    citations: dict[str, Citation] = field(default_factory=dict)
    #: Every figure the report's text may show (:mod:`analysis.report.narrative`): questions add what they
    #: present, each text helper checks against it, and the source list carries it for the runner's check.
    ledger: list[narrative.Figure] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)  # key findings not yet carried by a short answer
    #: Per figure id, (blank_in_source, provisional) from the data, and each published derived figure's operands:
    #: read once, by :meth:`figure_flags`.
    _flags: dict[str, tuple[bool, bool]] | None = field(default=None, repr=False)
    _operands: dict[str, str] = field(default_factory=dict, repr=False)
    _sources: pd.DataFrame | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # Tables and charts shown from now on name their sources in words through this report's citations.
        render.use_source_words(self.source_line)
        render.use_frame_context(self.lang.code, self.source_labels, self.source_kinds)
        render.use_figure_flags(self.figure_flags)

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
        spec = registry.get(question)
        checked = parameters.check(
            {"year": year, "compare_year": compare_year, "months": months, "lang": lang, "data_dir": data_dir}
        )
        year, compare_year, months, data_dir = (checked[k] for k in ("year", "compare_year", "months", "data_dir"))
        language = Lang(checked["lang"])
        data = loader.load_all(data_dir, list(spec.datasets) if datasets is None else datasets)
        return cls(question, year, compare_year, months, language, data)

    # ------------------------------------------------------------------ words
    def t(self, key: str, **values) -> str:
        return self.lang.t(key, **values)

    def th(self, key: str, **values) -> str:
        return self.lang.th(key, **values)

    def chapter(self, question_id: str) -> str:
        """'hoofdstuk 1': where another question's report stands in the dossier, so text can refer to it instead of
        repeating it; the number is the question's place in the registry, as the dossier numbers its chapters."""
        return self.t("doc.chapters.one", n=str(self.chapter_number(question_id)))

    @staticmethod
    def chapter_number(question_id: str) -> int:
        """The number of the chapter a question's report is in the dossier (a label for the narrative check)."""
        return registry.ids().index(question_id) + 1

    def change(self, base: str, old: float, new: float, /, *, digits: int = 0, **values) -> str:
        """The variant of ``base`` for the change from ``old`` to ``new``: ``base.up``, ``.down`` or ``.same``,
        and ``base.equal`` ("stayed at X") when the base has it and both print alike with ``digits`` decimals.

        The direction is :func:`analysis.core.change.direction`'s; the endings are listed in
        :mod:`analysis.report.keys`. Like :meth:`th`, values are escaped for HTML.
        """
        if EQUAL in ENDINGS.get(base, ()) and self.lang.num(old, digits) == self.lang.num(new, digits):
            return self.th(message_key(base, EQUAL), **values)
        return self.th(message_key(base, change.direction(old, new)), **values)

    def count(self, base: str, n: float, /, **values) -> str:
        """The variant of ``base`` for the CLDR plural category of ``n``: ``base.one`` or ``base.other`` (HTML),
        or ``base.none`` for 0 when the base has it: a zero is worded as none, never as a count."""
        if n == 0 and NONE in ENDINGS.get(base, ()):
            return self.th(message_key(base, NONE), **values)
        return self.th(message_key(base, wording.plural(self.lang, n)), **values)

    # ------------------------------------------------------------------ the ledger of figures the text may show
    @property
    def years(self) -> list[int]:
        return [self.year, self.compare_year]

    @property
    def where(self) -> str:
        return f"{self.question} ({self.lang.code}): "

    def allow(self, figures: Iterable[narrative.Figure]) -> None:
        """Add figures to the report's ledger: the numbers its text may show."""
        for f in figures:
            if f not in self.ledger:
                self.ledger.append(f)

    def checked(self, fragment, figures: Iterable[narrative.Figure] = ()):
        """``fragment`` (markup, a table or a chart) after checking its text against the ledger, with ``figures`` added.

        Every paragraph, list item, heading, caption and table note is checked (:func:`narrative.prose`);
        a number that is no figure of the report, or a direction word its figures contradict, fails here.
        """
        self.allow(figures)
        markup = fragment.to_html() if isinstance(fragment, Table | Chart) else str(fragment)
        narrative.verify_prose(markup, self.ledger, self.lang, self.years, self.where)
        return fragment

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
            self.citations.setdefault(fid, Citation(fid, str(row["source_id"]), locator, self._value_text(row)))
            ids.append(fid)
        return ids

    def _value_text(self, row: pd.Series) -> str:
        """A cited row's figure as its source gives it ('bijna 63.000', '−113,7%'), so a reader can find in the annex a
        number seen in the text (editor, round 27); '' for a row without one."""
        column = next((c for c in VALUE_COLUMNS if c in row.index), None)
        if column is None or pd.isna(row[column]):
            return ""
        value = float(row[column])
        unit = row.get("unit")
        text = self.lang.pct(value) if unit == "pct" else self.lang.num(value, 0 if value == int(value) else 1)
        qualifier = row.get("qualifier")
        if isinstance(qualifier, str) and qualifier and qualifier != "exact":
            text = self.t(message_key("qualified", qualifier), value=text)
        return text

    @contextlib.contextmanager
    def uncited(self):
        """Compute without citing: figures a report only computes with (chapter 5's online growth, which decides
        its wording) are not figures it shows, so the annex must not list the chapter for their rows (statistician,
        round 28). The caller cites what it does show with :meth:`cite_refs`."""
        kept = dict(self.citations)
        try:
            yield
        finally:
            self.citations.clear()
            self.citations.update(kept)

    def cite_refs(self, dataset: str, refs: Iterable[str]) -> list[str]:
        """Cite the rows of ``dataset`` whose id (its first column) is one of ``refs``."""
        frame = self.data[dataset]
        return self.cite(frame[frame.iloc[:, 0].astype(str).isin(set(refs))]) if len(frame) else []

    def figure_flags(self, refs: Sequence[str]) -> tuple[bool, bool]:
        """Whether one of these figures is a cell its source leaves empty, and whether one is provisional.

        From the data alone: the ``blank_in_source`` and ``provisional`` columns of the figures' rows, in every file
        that has them (data/README.md); a published derived figure (published_derived.csv) is provisional when one
        of its operands is."""
        if self._flags is None:
            self._flags = {}
            for frame in self.data.frames.values():
                if frame is None or not {"blank_in_source", "provisional"} & set(frame.columns):
                    continue
                ids = frame[frame.columns[0]].astype(str)
                blank = frame["blank_in_source"] if "blank_in_source" in frame else [False] * len(frame)
                provisional = frame["provisional"] if "provisional" in frame else [False] * len(frame)
                for fid, b, p in zip(ids, blank, provisional):
                    self._flags[fid] = (_truth(b), _truth(p))
            derived = self.data["published_derived"] if self.data.has("published_derived") else None
            self._operands = {} if derived is None else dict(zip(derived.derived_id, derived.operands))
        flags, operands = self._flags, self._operands

        def provisional_(ref: str, seen: frozenset[str]) -> bool:
            if flags.get(ref, (False, False))[1]:
                return True
            if ref not in operands or ref in seen:
                return False
            return any(provisional_(op, seen | {ref}) for op in str(operands[ref]).split())

        blank = any(flags.get(ref, (False, False))[0] for ref in refs)
        return blank, any(provisional_(ref, frozenset()) for ref in refs)

    def published_sum(self, figure_ids: Sequence[str], value: float) -> str | None:
        """The id of the total the source publishes for exactly these figures (published_derived.csv, operation
        ``sum``), when it equals ``value`` at the precision published (a whole number), cited; else None."""
        if not self.data.has("published_derived") or not figure_ids:
            return None
        frame = self.data["published_derived"]
        wanted = set(figure_ids)
        for _, row in frame[frame.operation == "sum"].iterrows():
            if set(str(row.operands).split()) == wanted and round(float(row.value)) == round(value):
                self.cite(frame[frame.derived_id == row.derived_id], "derived_id")
                return str(row.derived_id)
        return None

    def sources_by_id(self) -> pd.DataFrame:
        """sources.csv indexed by source_id: made once, as every source line and the source list look rows up in it."""
        if self._sources is None:
            self._sources = self.data["sources"].set_index("source_id")
        return self._sources

    def source_date(self, row: pd.Series) -> str:
        """A source's date in words as it is known (data/sources.csv ``date_basis``): '8 april 2021', 'mei 2020 (bij
        benadering)', 'op of na 8 april 2021' — one wording for the source list and the CSV files' sources in full."""
        return self.t(message_key("source.date", str(row.date_basis)), date=self.lang.partial_date(row.date))

    def source(self, source_id: str, locator: str):
        """A source row used in narrative text (an annex, an answer without figures), cited as such."""
        row = self.sources_by_id().loc[source_id]
        self.citations.setdefault(f"{source_id}:{locator}", Citation(source_id, source_id, locator))
        return row

    def source_words(self, source_id: str) -> str:
        """A source as a reader names it ('HLN, 6 maart 2020'): ids belong in the records and the annex only."""
        row = self.sources_by_id().loc[source_id]
        return f"{row.publisher}, {self.lang.partial_date(row.date)}"  # short: how the date is known is in the list

    def source_labels(self, refs: Sequence[str]) -> str:
        """The sources of these figure ids in full, each once: 'publisher, title (date). address | …' (as in the CSV files)."""
        sources = self.sources_by_id()
        out: list[str] = []
        for ref in refs:
            for citation in self.citations.values():
                if citation.figure_id != ref or citation.source_id not in sources.index:
                    continue
                s = sources.loc[citation.source_id]
                label = source_label(str(s.publisher), str(s.title), self.source_date(s), _text(s.get("url")))
                if label not in out:
                    out.append(label)
        return " | ".join(out)

    def source_kinds(self, refs: Sequence[str]) -> str:
        """The kind of figure of a number with these figure ids (:func:`analysis.report.tabular.figure_kind`), from the
        kinds of the sources cited for them (as in the CSV files)."""
        sources = self.sources_by_id()
        cited = [c.source_id for ref in refs for c in self.citations.values() if c.figure_id == ref]
        return tabular.figure_kind(str(sources.loc[s].kind) for s in cited if s in sources.index)

    def source_line(self, refs: Sequence[str], recomputed: bool = False) -> str:
        """The line under a table or chart: the sources of these figure ids in words, never the ids.

        'Bron: antwoord op vraag 5, tabel 1' for figures of the minister's answer (from their
        locators), 'inleiding van de schriftelijke vraag' for the question's quoted statements, the
        publisher and date for any other source; ``recomputed`` says that some rows are computed
        from these figures. Empty when none of the ids is cited.
        """
        by_figure: dict[str, Citation] = {}
        for citation in self.citations.values():
            by_figure.setdefault(citation.figure_id, citation)
        locators: dict[str, list[str]] = {}
        for ref in refs:
            citation = by_figure.get(ref)
            if citation is not None:
                found = locators.setdefault(citation.source_id, [])
                if citation.locator not in found:
                    found.append(citation.locator)
        parts: list[str] = []
        for source_id, found in locators.items():
            for part in self._source_parts(source_id, found):
                if part not in parts:
                    parts.append(part)
        if not parts:
            return ""
        text = "; ".join(parts)
        # The numbers of a source line (dates, answer and table numbers) name a source; they are labels in the ledger.
        self.allow(narrative.Figure(float(n), "label") for n in re.findall(r"\d+", text))
        if recomputed:
            text = self.t("source_line.recomputed", sources=text)
        return self.t(message_key("source_line", wording.plural(self.lang, len(parts))), sources=text)

    def _source_parts(self, source_id: str, locators: list[str]) -> list[str]:
        """One source's share of a source line, in words."""
        row = self.sources_by_id().loc[source_id]
        if row.kind == "answer":
            plain: list[str] = []
            tables: list[tuple[str, str]] = []
            other = False
            for locator in locators:
                answer = ANSWER_LOCATOR.match(locator)
                if answer is None:
                    other = True
                    continue
                table = TABLE_LOCATOR.search(locator)
                if table is not None:
                    if (answer[1], table[1]) not in tables:
                        tables.append((answer[1], table[1]))
                elif answer[1] not in plain:
                    plain.append(answer[1])
            parts = [self.t("source_line.answer", n=self._and(plain))] if plain else []
            parts += [self.t("source_line.answer_table", n=n, table=t) for n, t in tables]
            return parts + ([self.source_words(source_id)] if other or not parts else [])
        if row.kind == "question":
            intro = any(QUESTION_INTRO_LOCATOR.match(locator) for locator in locators)
            return [self.t("source_line.question_intro" if intro else "source_line.question")]
        return [self.source_words(source_id)]

    def _and(self, items: list[str]) -> str:
        """'1a en 1b', '1a, 1b en 2'."""
        if len(items) < 2:
            return "".join(items)
        return ", ".join(items[:-1]) + f" {self.t('and')} " + items[-1]

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
        spec = registry.get(q)
        if spec.single_period:
            subtitle = self.th("report.parameters_single", period=self.period)
        elif spec.span_from and self.data.has(spec.span_from):
            first, last = self._span(spec.span_from)
            subtitle = self.th("report.parameters_span", first=first, last=last, period=self.period, compare=self.compare_period)
        else:
            subtitle = self.th("report.parameters", period=self.period, compare=self.compare_period)
        build = build_date()
        build_line = para(self.th("report.build_date", date=self.lang.date(build)), "meta") if build else Html("")
        label = "asked" if spec.asked else "own"
        markup = (
            '<header class="report-head">'
            f"<h1>{esc(self.t(message_key(q, 'title')))}</h1>"
            f'<p class="question"><span class="label">{esc(self.t(message_key("report.question_label", label)))}</span> '
            f"{esc(self.t(message_key(q, 'question')))}</p>"
            f'<p class="meta">{subtitle}</p>{build_line}{self._terms(spec.terms)}</header>'
        )
        record = {**self._identity(), "parameters": plain_text(subtitle)}
        return Html.carrying(markup, {TITLE_MIME: [record]})

    def _terms(self, terms: tuple[str, ...]) -> str:
        """The chapter's terms with what they cover, from the glossary: defined once, where the reader meets them."""
        if not terms:
            return ""
        entries = [glossary()[t][self.lang.code] for t in terms]
        # after the term's colon the meaning runs on in lower case, as Dutch and English write it
        items = "".join(f"<dt>{esc(e['term'])}</dt><dd>{esc(e['meaning'][:1].lower() + e['meaning'][1:])}</dd>" for e in entries)
        return f'<div class="terms"><p class="terms-label">{esc(self.t("report.terms"))}</p><dl>{items}</dl></div>'

    def _span(self, dataset: str) -> tuple[int, int]:
        """The first and last year a chapter's figures cover: those of ``dataset`` and the report's own two years."""
        frame = self.data[dataset]
        starts = [int(str(p)[:4]) for p in frame.period_start] + self.years
        ends = [int(str(p)[:4]) for p in frame.period_end] + self.years
        return min(starts), max(ends)

    def _identity(self) -> dict:
        return {
            "report": self.question,
            "lang": self.lang.code,
            "title": self.t(message_key(self.question, "title")),
            "question": self.t(message_key(self.question, "question")),
        }

    def _answer(self, markup: str, paragraphs: list[str], available: bool, meta: dict | None = None) -> Html:
        """The short answer with its record (``ANSWER_MIME``): every paragraph as text and as markup.

        It also carries the key findings made so far (``FINDING_MIME``), so they travel with the answer
        they summarise.
        """
        record = {
            **self._identity(),
            "heading": self.t("section.short_answer"),
            "available": available,
            "paragraphs": [{"text": plain_text(p), "html": str(p)} for p in paragraphs],
        }
        findings, self.findings = self.findings, []
        return Html.carrying(markup, {ANSWER_MIME: [record], FINDING_MIME: findings}, meta)

    def finding(self, paragraph: str, figures: list[narrative.Figure], status: Sequence[str], supporting: bool = False) -> None:
        """A key finding of this report for the dossier's front sheet: one or two sentences of catalogue text.

        Written, like the short answer, from the question's computed answer: every number must be one
        of ``figures`` (the narrative check runs here, and again on the executed notebook). ``status``
        says what its figures are (:data:`analysis.report.render.FIGURE_STATUSES`: official,
        recomputed, quoted, press, estimate). The finding travels with the next short answer; the front
        sheet lists the findings in chapter order, those that only support the main ones (``supporting``: a partial
        figure, the reasons a source gives) after them.
        """
        unknown = [s for s in status if s not in FIGURE_STATUSES]
        if unknown or not status:
            raise ValueError(f"finding status {unknown or status!r}: expected some of {', '.join(FIGURE_STATUSES)}")
        self._summary_line("finding", "key finding", paragraph, figures, list(dict.fromkeys(status)))
        self.findings[-1]["supporting"] = supporting

    def headline(self, sentence: str, figures: list[narrative.Figure]) -> None:
        """This report's one-sentence bottom line for the opening of the dossier's summary, before its findings (a
        busy reader stops there). Checked like a finding; a report whose figures allow no plain message writes none."""
        self._summary_line(HEADLINE, "headline", sentence, figures, [])

    def derived(
        self,
        what: str,
        value: str,
        formula: str,
        refs: Iterable[str],
        figures: Sequence[narrative.Figure] = (),
        provisional: bool = False,
    ) -> None:
        """A figure the running text computes from data rows (a share, a ratio, a break-even), for the annex's table of
        such figures: what it is, its value as the text shows it, the sum that gives it with its inputs written out, and
        the codes of the input rows (statistician, rounds 22-24: text figures had no row to trace them to).

        Like a finding it travels with the next short answer, so a report records it where it computes it. ``figures``:
        the numbers ``what`` names (a period's years), checked like a finding's. ``provisional``: it rests on a figure the
        data mark provisional, and so is provisional itself (its files and the annex say so)."""
        years = [self.year, self.compare_year]
        where = f"{self.question} ({self.lang.code}), derived figure: "
        narrative.verify(str(para(esc(what))), list(figures), self.lang, years, where)
        self.findings.append(
            {
                **self._identity(),
                "html": esc(what),
                "text": what,
                "status": ["recomputed"],
                "role": DERIVED,
                "check": narrative.metadata(list(figures), self.lang, years, where)[narrative.META_KEY],
                "value": value,
                "formula": formula,
                "refs": sorted(set(refs), key=natural_key),
                "provisional": provisional,
            }
        )

    def quote_note(self, kind: str, paragraph: str, figures: list[narrative.Figure]) -> None:
        """A line for the dossier's guide to quoting its figures: ``kind`` is one of :data:`QUOTE_KINDS` (safe to
        quote with their unit, only with their definition, not as an official figure).

        Written like a key finding, from the computed answer and checked the same way; it travels with the
        next short answer and the dossier gathers the lines of every chapter under their kind.
        """
        if kind not in QUOTE_KINDS:
            raise ValueError(f"quote kind {kind!r}: expected one of {', '.join(QUOTE_KINDS)}")
        self._summary_line(kind, "quoting guide", paragraph, figures, [])

    def _summary_line(self, role: str, what: str, paragraph: str, figures: list[narrative.Figure], status: list[str]) -> None:
        """A checked line that travels with the next short answer (``FINDING_MIME``) for the dossier's front matter."""
        years = [self.year, self.compare_year]
        where = f"{self.question} ({self.lang.code}), {what}: "
        narrative.verify(str(para(paragraph)), figures, self.lang, years, where)
        self.findings.append(
            {
                **self._identity(),
                "html": str(paragraph),
                "text": plain_text(paragraph),
                "status": status,
                "check": narrative.metadata(figures, self.lang, years, where)[narrative.META_KEY],
                "role": role,
            }
        )

    def short_answer(self, paragraphs: list[str], figures: list[narrative.Figure], more: Sequence[str] = ()) -> Html:
        """The answer box every report opens with; paragraphs are catalogue text with escaped values.

        ``more``: paragraphs that explain the box and follow it as ordinary text, so the box stays short
        enough to be read on its own; the landing page quotes the box alone.

        ``figures`` are the report's computed figures: every number in the paragraphs must be one of
        them (an explicit ``[]`` means no number may appear). The narrative check runs here, so a
        sentence its figures do not support fails the report, and the figures travel with the output
        for the runner to check the executed notebook again.
        """
        body = "".join(para(p) for p in paragraphs)
        # a short box is never split over two pages; a long one may break between its paragraphs
        markup = box(self.t("section.short_answer"), body, "answer keep" if len(plain_text(body)) <= KEEP_BOX_CHARS else "answer")
        if more:
            markup = Html(str(markup) + '<div class="answer-more">' + "".join(para(p) for p in more) + "</div>")
        self.allow(figures)
        narrative.verify(markup, figures, self.lang, self.years, self.where)
        return self._answer(markup, paragraphs, True, narrative.metadata(figures, self.lang, self.years, self.where))

    def section(self, key: str) -> Html:
        return heading(self.t(message_key("section", key)), 2)

    def caveats(self, keys: Sequence[str], extra: list[str] | None = None, figures: Iterable[narrative.Figure] = ()) -> Html:
        """The caveats of this question: its fixed ones (message keys the question module lists), then any found at
        run time; checked against the ledger, with ``figures`` (those the run-time caveats show) added."""
        items = [esc(self.t(key)) for key in keys]
        items.extend(extra or [])
        return self.checked(heading(self.t("section.caveats"), 2) + bullets(items), figures)

    def not_available(self, what: str) -> Html:
        return self.checked(Html(f'<p class="notice">{esc(what)}</p>'))

    def no_answer(self, what: str) -> Html:
        """In place of the short answer, when the period is not in the data: the notice, as the answer's record."""
        return self._answer(self.not_available(what), [esc(what)], False)

    def sources_section(self) -> Html:
        """The sources of this report as a short list in words: publisher, title, author, date, address.

        Which figure comes from where (ids and locators) is no reading matter: it travels in the
        record (``SOURCES_MIME``: each citation, and each source's fields), for the CSV files, the
        workbook and the annex of the combined document.
        """
        sources = self.sources_by_id()
        heading_text = self.t("section.sources")
        out = [str(heading(heading_text, 2))]
        by_source: dict[str, list[Citation]] = {}
        for c in self.citations.values():
            by_source.setdefault(c.source_id, []).append(c)
        record: dict = {"heading": heading_text, "citations": [], "sources": []}
        if not by_source:
            out.append(str(para(esc(self.t("sources.none")))))
        else:
            out.append('<ol class="sources">')
        code = self.lang.code
        for source_id in sorted(by_source):
            s = sources.loc[source_id]
            fields = {
                "source_id": source_id,
                "publisher": str(s.publisher),
                "title": str(s.title),
                "date": str(s.date),
                "date_text": self.source_date(s),
                "url": _text(s.get("url")),
                "note": _text(s.get(f"note_{code}")),
                "kind": _text(s.get("kind")),
                "author": _text(s.get(f"author_{code}")),
            }
            record["sources"].append(fields)
            cited = sorted(by_source[source_id], key=lambda c: c.figure_id)
            record["citations"] += [
                {"figure_id": c.figure_id, "source_id": c.source_id, "locator": c.locator, "value": c.value} for c in cited
            ]
            url = printed_url(fields["kind"], fields["url"])
            head = source_head(fields["publisher"], fields["title"], fields["date_text"], url, "", fields["author"])
            out.append(f'<li id="src-{esc(source_id)}">{head}</li>')
        if by_source:
            out.append("</ol>")
        # The closing output of every report carries its ledger: the runner checks every output against it.
        ledger = narrative.metadata(self.ledger, self.lang, self.years, self.where, narrative.LEDGER_KEY)
        return Html.carrying("".join(out), {SOURCES_MIME: [record]}, ledger)


def _truth(value: object) -> bool:
    """A true/false cell of the data as a bool; an absent column or an empty cell is False."""
    return False if value is None or (isinstance(value, float) and value != value) else bool(value)


def _text(value: object) -> str:
    """An optional text cell of the data: '' when empty."""
    return value if isinstance(value, str) else ""


def key_figures(figures: dict[str, object]) -> None:
    """Print key figures one per line: the plain, stable output nbval checks."""
    for name, value in figures.items():
        print(f"{name}: {value}")


def prepare(data_dirs: Sequence[str] = ()) -> dict:
    """Do once, in the process report kernels are forked from, what every report would otherwise do first.

    The kernel fork server of a build calls this before it forks any kernel: the data folders'
    files are read, validated and kept (:func:`analysis.data.loader.preload`; a kernel takes its own
    copy of a frame only while the file holds the bytes it was validated from), and the first-use
    costs of both languages are paid (the message catalogue, Babel's locale data). Nothing of any
    report is computed here, so each kernel still starts as a fresh one would, only later in its work.

    Returns, as JSON, the first data error of each folder that has one ({folder: DataError.to_json()}),
    which the build raises as its own: the data are validated once, here.
    """
    errors = {}
    for folder in data_dirs:
        problem = loader.preload(folder)
        if problem is not None:
            errors[str(folder)] = problem.to_json()
    for code in parameters.LANGS:
        lang = Lang(code)
        lang.t("doc.title")
        lang.num(1234.5, 1)
        lang.month(1)
        lang.partial_date("2021-04-08")
    return {"data_errors": errors}
