"""One PDF per language, the dossier: cover and colophon, a front sheet, contents, every chapter,
the sources in words, and a technical annex with every figure.

The document is printed in passes: the first tells on which page each part starts (read back
with pypdf), the next prints the contents, the front sheet and the running headers with those
numbers, and so on until a print gives, read back from its own pages, the numbers and headers it
was printed with (the second print, as a rule: the contents and the front sheet fit their page
whatever the numbers, and a header moves nothing). The numbers and headers of the kept PDF are
thus those of its own pages; a document whose numbers never settle is an error, not a guess.

Each chapter is its report's executed notebook, exported by the report's own HTML exporter
(body only), so it reads exactly as the single report. Everything else is assembled from the
notebooks' structured outputs (:mod:`analysis.pipeline.outputs`), never from their HTML:

- the cover and colophon from the sources the chapters cite (the written question, the answer
  and its annex, by their ``kind`` in data/sources.csv) and the manifest's ``publisher``, ``contact`` and
  ``responsible_publisher``; without a responsible publisher the colophon says the dossier is a working version;
- the front sheet from each chapter's key findings (``Report.finding``: sentences written from
  the chapter's computed answer, checked against its figures), the answer's scope per
  sub-question (data/answer_scope.csv, carried by the fact-check chapter) with the follow-up
  questions it names, and a legend of the kinds of figures (official, recomputed, quoted, press,
  estimate) with the chapters that use them; so the front sheet says what the chapters say, for
  any period;
- the list of sources at the end, in words, and the annex (*Verantwoording*) with every figure's
  code, locator and chapters, from the chapters' source records. The chapters' own source lists
  are left out (each output carrying one), so the document lists its sources once.

The chapters run on, each under a rule where the one before ends: a chapter that started on a new
page would leave its predecessor's last lines alone on an otherwise empty page. The running header
still names the chapter of every page. Chromium prints CSS margin boxes but neither ``string-set``
nor running elements, and a named page per chapter would force the page breaks; so the header is
the page counter in a counter style of the document's own, whose symbols are the pages' chapter
titles (``@counter-style`` with ``system: fixed``; ``counter(page, chapter)`` in ``@top-right``),
computed from where the previous pass put each part. A page names the part whose heading opens it:
nothing printed above the heading but the running header and the part's own chapter number, read
from where the printed page sets its lines of text (:func:`parts_opening`), so a chapter that starts
at the top of a page after the empty end of the one before (a margin, a spacing) is named there too.

The printed document's HTML is kept next to it (``combined-<lang>.html``): a web version of the
dossier, and the source the layout tests check the PDF's text against.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import json
import re
from dataclasses import astuple, dataclass, field
from pathlib import Path

from analysis import config
from analysis.config import build_date
from analysis.errors import EXIT_BUILD_FAILED, UserFacingError
from analysis.pipeline import files, outputs, pdftext
from analysis.pipeline.manifest import Credits
from analysis.report.i18n import Lang
from analysis.report.keys import key
from analysis.report.render import DERIVED, FIGURE_STATUSES, HEADLINE, QUOTE_KINDS, SHARED_MIME, esc, natural_key
from analysis.report.tabular import KIND_STATUS  # which kind of figure a source's figures are

FRONT_PART = "front"
CONTENTS_PART = "contents"
SOURCES_PART = "sources"
ANNEX_PART = "annex"
#: The page the first chapter starts on: after the cover, the front sheet and the contents.
FIRST_CHAPTER_PAGE = 4
#: How tightly the front sheet is set (its classes fit-1 ... in report.css) when it does not fit one page as it is.
FRONT_FIT_LEVELS = 8
#: At most this many prints: the first with "…" for the page numbers, then until the numbers stay put.
MAX_PASSES = 5
#: The page's top margin, as report.css's ``@page`` rule sets it: the running header is printed in it.
PAGE_TOP_MARGIN_MM = 18
#: A report's head (report/frame.py): the chapter's number is printed above its title (:func:`page_css`).
REPORT_HEAD = re.compile(r'<header class="(?:[^"]* )?report-head[ "]')


class PagesUnsettled(UserFacingError):
    """The dossier's page numbers or running headers moved at every print: no print carries its own."""

    exit_status = EXIT_BUILD_FAILED


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Part:
    """One chapter: the report's body, its key findings, the sources it cites and the answer's scope."""

    name: str
    title: str
    body: str
    is_context: bool = False
    findings: list[outputs.Finding] = field(default_factory=list)
    sources: outputs.Sources | None = None  # None: the chapter keeps its own list (or has none)
    scope: list[outputs.ScopeRow] = field(default_factory=list)
    recomputed: bool = False  # a table of the chapter has rows computed from the cited figures
    provisional: bool = False  # a figure of its tables or text rests on one the data mark provisional


def part_from(name: str, found: outputs.Outputs, body: str = "", is_context: bool = False) -> Part:
    """A chapter from a report's structured outputs (and its body, when it is to be printed)."""
    recomputed = any(table.recomputed for table in found.tables)
    provisional = any(c.provisional for t in found.tables for r in t.rows for c in r.cells) or any(
        f.provisional for f in found.findings
    )
    return Part(name, found.title or name, body, is_context, found.findings, found.sources, found.scope, recomputed, provisional)


def read_part(
    name: str, nb, is_context: bool, exporter, L: Lang | None = None, seen: dict[str, int] | None = None, number: int = 0
) -> Part:
    """A chapter from an executed report notebook; ``exporter`` is a ReportHTMLExporter.

    With ``seen`` (shared block key -> chapter number, filled as chapters are read in order), a block an earlier
    chapter already printed word for word is replaced by a line that refers back to it (:func:`refer_back`).
    """
    found, shown = chapter(nb, L, seen, number)
    body, _ = exporter.from_notebook_node(shown, resources={"body_only": True})
    return part_from(name, found, body, is_context)


def chapter(nb, L: Lang | None = None, seen: dict[str, int] | None = None, number: int = 0):
    """A report's structured outputs, and the notebook as its chapter prints it (see :func:`read_part`)."""
    found = outputs.read(nb)
    shown = outputs.without_sources(nb) if found.sources is not None else nb
    if seen is not None and L is not None:
        shown = refer_back(shown, L, seen, number)
    return found, shown


def refer_back(nb, L: Lang, seen: dict[str, int], number: int):
    """A copy of the notebook without the shared blocks (``SHARED_MIME``) an earlier chapter already printed, or that
    the summary shows from its records; blocks seen here for the first time are noted in ``seen`` and kept.

    Only the block's own markup (carried in its record) is removed: whatever the same output shows around it stays.
    The text around the block says what it holds; a line that only pointed elsewhere would be machinery to a reader.
    """
    copied = copy.deepcopy(nb)
    for cell in copied.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for item in data.get(SHARED_MIME, {}).get("items", []):
                if not item.get("in_summary") and item.get("key") not in seen:
                    seen[item["key"]] = number
                    continue
                if "text/html" in data and item.get("html"):
                    data["text/html"] = str(data["text/html"]).replace(item["html"], "", 1)
    return copied


# ---------------------------------------------------------------------------------------------- words
def _and(L: Lang, items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {L.t('and')} " + items[-1]


def chapters_text(L: Lang, numbers: list[int]) -> str:
    """'hoofdstuk 5' or 'hoofdstukken 1, 4 en 6'."""
    ordered = sorted(set(numbers))
    return L.t(key("doc.chapters", "one" if len(ordered) == 1 else "other"), n=_and(L, [str(n) for n in ordered]))


def merged_sources(parts: list[Part]) -> dict[str, outputs.Source]:
    """Every source the chapters cite, once, in order of first use."""
    merged: dict[str, outputs.Source] = {}
    for part in parts:
        if part.sources is not None:
            for source_id, source in part.sources.sources.items():
                merged.setdefault(source_id, source)
    return merged


# ---------------------------------------------------------------------------------------------- cover
def cover_html(L: Lang, parts: list[Part], credits: Credits, date: dt.date) -> str:
    """Title, the written question and its answer (from the cited sources), the version and its status, who made it,
    the contact point and the responsible publisher."""
    rows: list[tuple[str, str]] = []
    sources = list(merged_sources(parts).values())
    for source in (s for s in sources if s.kind == "question"):
        rows.append((L.t("doc.colophon.question"), f"{source.title}, {source.date_text}"))
        # the member who asked: named when the source names them, else said to be missing (a reader expects it here)
        rows.append((L.t("doc.colophon.asked_by"), source.author or L.t("doc.colophon.not_in_source")))
    for source in (s for s in sources if s.kind == "answer"):
        rows.append((L.t("doc.colophon.answer"), f"{source.author or source.title}, {source.date_text}"))
    for source in (s for s in sources if s.kind == "annex"):
        rows.append((L.t("doc.colophon.annex"), f"‘{source.title}’, {source.date_text}"))
    rows.append((L.t("doc.colophon.version"), L.date(date)))  # "Versie: 1 december 2026", not "Versie: Versie van …"
    if credits.responsible_publisher is None:  # no one publishes it: the reader is told, not left to guess
        rows.append((L.t("doc.colophon.status"), L.t("doc.colophon.status_working")))
    rows.append((L.t("doc.colophon.publisher"), credits.publisher))
    if credits.contact is not None:
        rows.append((L.t("doc.colophon.contact"), credits.contact))
    if credits.responsible_publisher is not None:
        rows.append((L.t("doc.colophon.responsible_publisher"), credits.responsible_publisher))
    colophon = "".join(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>" for label, value in rows)
    # the answer's late registrations are named only where a figure is provisional (scenario read, round 43)
    provisional = L.t("doc.scope_provisional") if any(p.provisional for p in parts) else ""
    return (
        f'<section class="cover" id="part-cover"><h1>{esc(L.t("doc.title"))}</h1>'
        f'<p class="question">{esc(L.t("doc.subtitle"))}</p>'
        f'<p class="scope-statement">{esc(L.t("doc.scope_statement", provisional=provisional))}</p>'
        f'<dl class="colophon">{colophon}</dl></section>'
    )


# ---------------------------------------------------------------------------------------------- front sheet
def _statuses(parts: list[Part]) -> dict[str, list[int]]:
    """Per kind of figure, the chapters that show such figures: from their findings and their sources' kinds."""
    found: dict[str, list[int]] = {}
    for number, part in enumerate(parts, 1):
        kinds = {f for finding in part.findings for f in finding.status}
        if part.sources is not None:
            # sources cited for a figure; a source cited as a whole (figure id = source id) shows no figure
            cited = {c.source_id for c in part.sources.citations if c.figure_id != c.source_id}
            kinds |= {KIND_STATUS[s.kind] for sid, s in part.sources.sources.items() if sid in cited and s.kind in KIND_STATUS}
        if part.recomputed:
            kinds.add("recomputed")
        for status in kinds:
            found.setdefault(status, []).append(number)
    return {s: found[s] for s in FIGURE_STATUSES if s in found}


def scope_rows(parts: list[Part]) -> list[outputs.ScopeRow]:
    """The answer's scope per sub-question, each once, in the order the data give them."""
    seen: dict[tuple[str, str], outputs.ScopeRow] = {}
    for part in parts:
        for row in part.scope:
            seen.setdefault((row.source_id, row.sub_question), row)
    return list(seen.values())


def question_number(sub_question: str) -> int | None:
    """The question a sub-question belongs to: 5 for '5b', None for a label without a leading number."""
    found = re.match(r"\d+", sub_question)
    return int(found.group()) if found else None


def follow_ups(rows: list[outputs.ScopeRow]) -> list[outputs.ScopeRow]:
    """The follow-up questions in the order to ask them: those the data give a priority first, by that priority,
    then the others in the order of the sub-questions (a committee member asks the first few, not all)."""
    asked = [r for r in rows if r.follow_up]
    return sorted(asked, key=lambda r: (0, int(r.priority)) if r.priority else (1, 0))


def front_sheet_html(L: Lang, parts: list[Part], pages: dict[str, int] | None, fit: int = 0) -> str:
    """One page a busy reader can stop at: key findings, the answer per sub-question, open points, kinds of figures.

    ``fit``: how tightly it is set (0 as usual; up to :data:`FRONT_FIT_LEVELS` when a long period's
    findings would not fit one page otherwise): tighter lines first, then a type a little below body size (level 4,
    where the dossier's own data land), a clearly smaller one only at the last three levels.
    """
    numbers = {part.name: n for n, part in enumerate(parts, 1)}

    def where(name: str) -> str:
        page = str(pages.get(name, "")) if pages else "…"
        return f"{chapters_text(L, [numbers[name]])}, {L.t('doc.page_short')}\u00a0{page}"

    # in chapter order; each points to its chapter only (the kinds of figure
    # per chapter close the page: a tag per finding read as machine output to two editors, round 24)
    found = [(part, finding) for part in parts for finding in part.findings if finding.role == "finding"]
    # the main findings first, those that support them after (editors, rounds 33 and 34: the summary opened with
    # question 4's partial figure); stable, so chapter order within each group
    found.sort(key=lambda pf: pf[1].supporting)
    items = [f'<li>{finding.html} <span class="where">({esc(where(part.name))})</span></li>' for part, finding in found]
    tight = "".join(f" fit-{level}" for level in range(1, fit + 1))  # each level adds to the one before
    out = [f'<section class="part front-sheet{tight}" id="part-{FRONT_PART}"><h1>{esc(L.t("doc.front.title"))}</h1>']
    rows = scope_rows(parts)
    # the bottom line: each chapter's headline in chapter order (the table below says how much the answer answers)
    lead = [f.html for part in parts for f in part.findings if f.role == HEADLINE]
    if lead:
        out.append(f'<p class="lead">{" ".join(lead)}</p>')
    out.append(f"<h2>{esc(L.t('doc.front.findings'))}</h2>")
    out.append(f'<ol class="findings">{"".join(items)}</ol>' if items else f'<p class="meta">{esc(L.t("doc.front.none"))}</p>')
    if rows:
        head = "".join(f'<th scope="col">{esc(L.t(key("doc.front.scope_col", c)))}</th>' for c in ("question", "status", "why"))
        body = []
        for row in rows:
            # the chapters are titled by question ("Vraag 5"): only a sub-question of another number names its chapter
            number = numbers.get(row.chapter)
            chapter = f" ({chapters_text(L, [number])})" if number and number != question_number(row.sub_question) else ""
            body.append(
                f'<tr class="scope-{esc(row.status)}"><td><strong>{esc(row.sub_question)}</strong> {esc(row.question)}</td>'
                f'<td class="status">{esc(row.status_text)}</td><td>{esc(row.why)}{esc(chapter)}</td></tr>'
            )
        out.append(f"<h2>{esc(L.t('doc.front.scope'))}</h2>")
        columns = '<colgroup><col class="question"><col class="status"><col class="why"></colgroup>'
        out.append(f'<table class="scope">{columns}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')
        # numbered in the order to ask them; the sub-question each settles follows it ('1a, 5b, 3' read as a broken list)
        # what public documents may already settle, at the question it may settle: a member who asks what an annex
        # already answers loses the room (committee advisers, rounds 25 and 44)
        # only the question's number is kept on one line: a long check that cannot wrap would make the printer shrink
        # every page to fit it
        follow = [
            f'<li>{esc(r.follow_up)} (<span class="where">{esc(L.t("doc.front.follow_up_of", n=r.sub_question))}</span>'
            + (f"; {esc(L.t('doc.front.follow_up_check', check=r.check_first))}" if r.check_first else "")
            + ")</li>"
            for r in follow_ups(rows)
        ]
        first = [
            f'{esc(r.check_first)} <span class="where">({esc(L.t("doc.front.follow_up_of", n=r.sub_question))})</span>'
            for r in rows
            if r.check_first and not r.follow_up
        ]
        if follow or first:
            out.append(f"<h2>{esc(L.t('doc.front.follow_up'))}</h2>")
        if follow:
            out.append(f'<ol class="follow-up">{"".join(follow)}</ol>')
        if first:
            out.append(f'<p class="check-first"><strong>{esc(L.t("doc.front.check_first"))}</strong> {"; ".join(first)}.</p>')
    kinds = ", ".join(L.t(key("figure_status", s)) for s in _statuses(parts))
    if kinds:
        # which figures are which: the kinds present, and where the legend gives them per chapter
        pointer = L.t("doc.front.kinds", kinds=kinds, where=f"{L.t('doc.page_short')}\u00a0{FIRST_CHAPTER_PAGE - 1}")
        out.append(f'<p class="meta kinds"><a href="#figure-kinds">{esc(pointer)}</a></p>')
    out.append("</section>")
    return "".join(out)


def legend_html(L: Lang, parts: list[Part]) -> str:
    """The kinds of figures (official, recomputed, quoted, press, estimate) and the chapters that show each: on the
    contents page beside the guide to quoting, which sorts the same figures by how to quote them."""
    legend = "".join(
        f"<dt>{esc(L.t(key('figure_status', status)))}</dt>"
        f"<dd>{esc(L.t(key('legend', status)))} ({esc(chapters_text(L, chapters))})</dd>"
        for status, chapters in _statuses(parts).items()
    )
    return (
        f'<div class="figure-kinds" id="figure-kinds"><h2>{esc(L.t("doc.front.legend"))}</h2><dl class="legend">{legend}</dl></div>'
        if legend
        else ""
    )


# ---------------------------------------------------------------------------------------------- sources and annex
def sources_html(L: Lang, parts: list[Part]) -> str:
    """The sources of the whole document in words, each once: publisher, title, author, date, address, and the note
    that says what a reader should know of it (how its date was worked out, whether it was consulted)."""
    items = "".join(f'<li id="src-{esc(sid)}">{s.head_html}</li>' for sid, s in merged_sources(parts).items())
    return (
        f'<section class="part sources-all" id="part-{SOURCES_PART}"><h1>{esc(L.t("section.sources"))}</h1>'
        f'<p class="meta">{esc(L.t("doc.sources_intro"))}</p><ol class="sources">{items}</ol></section>'
    )


def annex_html(L: Lang, parts: list[Part]) -> str:
    """Every figure by source: its code (the data's key), where it stands in the source, the chapters using it."""
    merged = merged_sources(parts)
    figures: dict[str, dict[str, tuple[str, list[int]]]] = {sid: {} for sid in merged}
    for number, part in enumerate(parts, 1):
        if part.sources is None:
            continue
        for citation in part.sources.citations:
            if citation.source_id not in figures:
                continue
            code = "" if citation.figure_id == citation.source_id else citation.figure_id  # a source cited as a whole
            entry = figures[citation.source_id].setdefault(
                f"{code}\x1f{citation.locator}", (citation.locator, citation.value, [])
            )
            if number not in entry[2]:
                entry[2].append(number)
    columns = ("code", "value", "where", "chapters")
    head = "".join(f'<th scope="col">{esc(L.t(key("doc.annex.col", c)))}</th>' for c in columns)
    blocks: list[str] = []
    last_kind = ""
    for source_id, source in merged.items():
        # a source cited as a whole has no figure and so no code: a dash, not an empty cell that reads as a gap
        rows = "".join(
            f'<tr><td class="code">{esc(code_locator.split(chr(31))[0] or "–")}</td><td class="num">{esc(value or "–")}</td>'
            f'<td>{esc(locator)}</td><td class="num">{esc(", ".join(str(n) for n in chapters))}</td></tr>'
            for code_locator, (locator, value, chapters) in sorted(figures[source_id].items(), key=lambda i: natural_key(i[0]))
        )
        # Publisher and title name the source here; its date, address and note stand once, in the list of sources. The
        # kind of source heads a run of sources of that kind, said once (editor, round 33: 'Soort bron: persartikel.'
        # under each of seven articles read as a template)
        kind = L.t("doc.annex.kind", kind=L.t(key("source_kind", source.kind))) if source.kind else ""
        if kind and kind != last_kind:
            blocks.append(f'<p class="annex-kind">{esc(kind)}</p>')
        last_kind = kind
        blocks.append(
            f'<div class="annex-source" id="annex-{esc(source_id)}">'
            f"<p><strong>{esc(source.publisher)}</strong>, <em>{esc(source.title)}</em></p>"
            + f'<table class="data annex"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
        )
    return (
        f'<section class="part annex" id="part-{ANNEX_PART}"><h1>{esc(L.t("doc.annex.title"))}</h1>'
        f"{method_html(L)}"
        f'<h2>{esc(L.t("doc.annex.figures"))}</h2><p class="meta">{esc(L.t("doc.annex.intro"))}</p>{"".join(blocks)}'
        f"{derived_html(L, parts)}</section>"
    )


def _codes(L: Lang, refs: tuple[str, ...], known: list[str]) -> str:
    """Input codes in natural order, each kept whole on its line (a code broken at its hyphen reads as two); three or
    more that follow each other in ``known`` (every code of the annex, in its order) as one run, 'A t/m B' (editor,
    round 27: a list of twelve codes per row was a wall)."""
    where = {code: i for i, code in enumerate(known)}
    runs: list[list[str]] = []
    for code in sorted(refs, key=natural_key):
        if runs and code in where and runs[-1][-1] in where and where[code] == where[runs[-1][-1]] + 1:
            runs[-1].append(code)
        else:
            runs.append([code])

    def one(code: str) -> str:
        return f'<span class="ref">{esc(code)}</span>'

    return ", ".join(
        L.t("doc.derived.through", first=one(run[0]), last=one(run[-1])) if len(run) > 2 else ", ".join(one(c) for c in run)
        for run in runs
    )


def derived_html(L: Lang, parts: list[Part]) -> str:
    """The figures the running text computes (Report.derived), each with its sum and the codes of its inputs, so a
    share or a break-even traces to data rows like a figure of a table does."""

    def provisional(f: outputs.Finding) -> str:
        return f'<br><span class="meta">{esc(L.t("doc.derived.provisional"))}</span>' if f.provisional else ""

    known = sorted({c.figure_id for part in parts if part.sources is not None for c in part.sources.citations}, key=natural_key)
    rows = [
        f'<tr><td class="num">{number}</td><td>{f.html}</td><td class="num">{esc(f.value)}{provisional(f)}</td>'
        f'<td>{esc(f.formula)}</td><td class="codes">{_codes(L, f.refs, known)}</td></tr>'
        for number, part in enumerate(parts, 1)
        for f in part.findings
        if f.role == DERIVED
    ]
    if not rows:
        return ""
    head = "".join(
        f'<th scope="col">{esc(L.t(key("doc.derived.col", c)))}</th>' for c in ("chapter", "what", "value", "formula", "inputs")
    )
    return (
        f'<div class="annex-derived"><h2>{esc(L.t("doc.derived.title"))}</h2><p class="meta">{esc(L.t("doc.derived.intro"))}</p>'
        f'<table class="data annex derived"><colgroup><col class="chapter"><col class="what"><col class="value"><col class="formula">'
        f'<col class="inputs"></colgroup><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


#: The method notes of the annex (message keys), in the order a reader needs them.
METHOD = ("doc.method.rounding", "doc.method.ratios", "doc.method.recomputed", "doc.method.multiple")


def method_html(L: Lang) -> str:
    """How the dossier reads rounded figures and recomputes derived ones: said once here, referred to under tables."""
    return f"<h2>{esc(L.t('doc.method.title'))}</h2>" + "".join(f"<p>{esc(L.t(k))}</p>" for k in METHOD)


# ---------------------------------------------------------------------------------------------- page furniture
def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _sentence(text: str) -> str:
    """A catalogue phrase standing alone: its first letter capital ('werkversie, …' as a footer)."""
    return text[:1].upper() + text[1:]


def page_css(L: Lang, headers: list[str] | None, draft: bool = False) -> str:
    """Running header (document title left, the page's chapter right) and 'page X of Y'; none on the cover.

    ``headers``: the chapter title of each page, first page first (:func:`running_headers`); None
    prints the document title alone (the first pass, before the parts' pages are known). ``draft``: no one publishes
    the dossier (no responsible publisher): every page says it is a working version, so a page printed or forwarded
    on its own does not pass for a publication (editor and adviser, round 26).
    """
    style = "font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 7.5pt; color: #5b6775;"
    rules = []
    chapter = ""
    if headers:
        # A page past the list (there is none: the list is as long as the document) gets no header rather than a number.
        rules.append('@counter-style part-blank { system: cyclic; symbols: ""; }')
        symbols = " ".join(_css_string(h) for h in headers)
        rules.append(f"@counter-style part-title {{ system: fixed; symbols: {symbols}; fallback: part-blank; }}")
        chapter = f"@top-right {{ content: counter(page, part-title); {style} }} "
    rules += [
        "@page { "
        f"@top-left {{ content: {_css_string(L.t('doc.title'))}; {style} }} {chapter}"
        f"@bottom-right {{ content: {_css_string(L.t('doc.page') + ' ')} counter(page) {_css_string(' ' + L.t('doc.of') + ' ')} "
        f"counter(pages); {style} }} "
        + (f"@bottom-left {{ content: {_css_string(_sentence(L.t('doc.colophon.status_working')))}; {style} }} " if draft else "")
        + "}",
        "@page cover { @top-left { content: none; } @top-right { content: none; } @bottom-right { content: none; } "
        "@bottom-left { content: none; } }",
        ".cover { page: cover; }",
        # each chapter names its number above its title, as the contents and the references to it do
        "main.report { counter-reset: chapter; }",
        "section.part .report-head { counter-increment: chapter; }",
        f"section.part .report-head::before {{ content: {_css_string(L.t('doc.chapter') + ' ')} counter(chapter); }}",
    ]
    return "\n".join(rules)


def running_headers(
    titles: dict[str, str], pages: dict[str, int], count: int, at_top: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    """The chapter title the header of each page names, for pages 1 to ``count``.

    ``titles`` are the parts (name: title) in document order, ``pages`` where each starts, and
    ``at_top`` the parts whose heading opens their page. A page names the part a reader finds at
    its top: the one that opens it, else the one running on into it from an earlier page; a part
    that starts lower down is named from its next page on. The cover names none.
    """
    starts = sorted((page, order, name) for order, (name, page) in enumerate((n, pages[n]) for n in titles if n in pages))
    out = []
    current = ""
    for number in range(1, count + 1):
        here = [name for page, _, name in starts if page == number]
        if here and (here[0] in at_top or not current):
            out.append(titles[here[0]])
        else:
            out.append(current)
        if here:
            current = titles[here[-1]]
    return out


def _reader(pdf):
    """A pypdf reader of ``pdf`` (a path), or ``pdf`` itself when it is one: a printed pass is parsed once."""
    from pypdf import PdfReader

    return pdf if isinstance(pdf, PdfReader) else PdfReader(str(pdf))


def _heading_tops(reader, parts: list[tuple[str, str]], pages: dict[str, int]) -> dict[str, tuple[int, float]]:
    """Where each part's heading stands on the page it starts on: (page index, top in PDF units up from the foot),
    from the PDF outline's positions."""
    wanted = {_norm(title).replace(" ", ""): name for name, title in parts}
    out: dict[str, tuple[int, float]] = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            name = wanted.get(_norm(item.title).replace(" ", ""))
            try:
                number = reader.get_destination_page_number(item)
            except Exception:
                continue
            if name is None or name in out or pages.get(name) != number + 1 or item.top is None:
                continue
            out[name] = (number, float(item.top))

    walk(reader.outline)
    return out


def credits_of(L: Lang, given: Credits | str | None) -> Credits:
    """``given`` as credits: a publisher's name alone names no contact and no responsible publisher; None, the default."""
    if isinstance(given, Credits):
        return given
    return Credits(given or L.t("doc.publisher_default"))


def _body_lines(page) -> list[float]:
    """The baselines of the lines of text a page prints below its top margin (the running header left out), top
    first, in PDF units up from the foot: text within a point of a line's baseline is on that line."""
    ceiling = float(page.mediabox.top) - PAGE_TOP_MARGIN_MM * 72 / 25.4
    contents = page.get_contents()
    found = sorted(
        (y for y in pdftext.baselines(contents.get_data() if contents is not None else b"") if y < ceiling), reverse=True
    )
    return [y for n, y in enumerate(found) if n == 0 or found[n - 1] - y > 1]


def numbered(parts: list[Part]) -> set[str]:
    """The parts that print their chapter's number on a line above their heading (``page_css``: the
    ``.report-head`` of a report)."""
    return {part.name for part in parts if REPORT_HEAD.search(part.body)}


def parts_opening(
    pdf_path, parts: list[tuple[str, str]], pages: dict[str, int], numbers: frozenset[str] | set[str] = frozenset()
) -> set[str]:
    """The parts whose heading opens the page it stands on: nothing is printed above the heading on that page but
    the running header and, for the parts in ``numbers``, the line of the part's own number ("Chapter 2").

    A reader finds that part at the top of the page, however far down the page an empty end of the part before (a
    margin, a spacing carried over) has pushed it; a line of the part before, however short, is the part before
    running on. The number is printed with its heading (they are kept together), so a numbered part with one line
    above its heading opens the page. ``pages``: where each part starts (:func:`start_pages`); ``pdf_path``: the
    PDF, or a pypdf reader of it."""
    reader = _reader(pdf_path)
    lines: dict[int, list[float]] = {}
    out: set[str] = set()
    for name, (index, top) in _heading_tops(reader, parts, pages).items():
        if index not in lines:
            lines[index] = _body_lines(reader.pages[index])
        if sum(1 for baseline in lines[index] if baseline > top) <= (1 if name in numbers else 0):
            out.add(name)
    return out


def document_html(
    lang: str,
    parts: list[Part],
    pages: dict[str, int] | None,
    credits: Credits | str | None = None,
    headers: list[str] | None = None,
    fit: int = 0,
    front_only: bool = False,
) -> str:
    """The whole dossier as one page. ``pages``: where each part starts (None: "…" for the page numbers);
    ``headers``: each page's running header (:func:`running_headers`); ``fit``: how tightly the front sheet is set;
    ``front_only``: the cover, the front sheet and the contents alone (:func:`front_fit`); ``credits``: who stands
    behind it (:meth:`~analysis.pipeline.manifest.Manifest.credits_for`; a publisher's name alone, or None for the
    catalogue's default)."""
    L = Lang(lang)
    css = (config.TEMPLATES_DIR / "report" / "report.css").read_text(encoding="utf-8")
    date = build_date() or dt.date.today()
    credits = credits_of(L, credits)

    def page_of(name: str) -> str:
        return str(pages.get(name, "")) if pages else "…"

    toc = "".join(
        f'<li><span class="num">{number}</span><a class="title" href="#part-{esc(name)}">{esc(title)}</a>'
        f'<span class="page">{page_of(name)}</span></li>'
        for number, (name, title) in enumerate(contents_entries(L, parts), 1)
    )
    sections = "" if front_only else "".join(f'<section class="part" id="part-{esc(p.name)}">{p.body}</section>' for p in parts)
    tail = sources_html(L, parts) + annex_html(L, parts) if _with_sources(parts) and not front_only else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(L.t("doc.title"))}</title><style>{css}\n{page_css(L, headers, credits.responsible_publisher is None)}</style></head><body><main class="report">'
        f"{cover_html(L, parts, credits, date)}{front_sheet_html(L, parts, pages, fit)}"
        f'<section class="toc part" id="part-{CONTENTS_PART}"><h2>{esc(L.t("doc.contents"))}</h2><ol>{toc}</ol>'
        f"{quote_guide_html(L, parts)}{legend_html(L, parts)}</section>"
        f"{sections}{tail}</main></body></html>"
    )


def quote_guide_html(L: Lang, parts: list[Part]) -> str:
    """Which figures a reader may quote as they stand, which only with their definition, and which not as official
    figures: the chapters' lines (``Report.quote_note``) under their kind, each pointing to its chapter; on the
    contents page, so the front sheet keeps one page. Nothing when no chapter wrote such a line."""
    by_kind: dict[str, list[str]] = {}
    for number, part in enumerate(parts, 1):
        for note in part.findings:
            if note.role in QUOTE_KINDS:
                where = esc(chapters_text(L, [number]))
                by_kind.setdefault(note.role, []).append(f'<li>{note.html} <span class="where">({where})</span></li>')
    if not by_kind:
        return ""
    blocks = "".join(
        f"<h3>{esc(L.t(key('doc.quote', kind)))}</h3><ul>{''.join(by_kind[kind])}</ul>" for kind in QUOTE_KINDS if kind in by_kind
    )
    return f'<div class="quote-guide"><h2>{esc(L.t("doc.quote.title"))}</h2>{blocks}</div>'


def _with_sources(parts: list[Part]) -> bool:
    return any(part.sources and part.sources.citations for part in parts)


def contents_entries(L: Lang, parts: list[Part]) -> list[tuple[str, str]]:
    """The parts the contents lists, (name, title) in document order: the chapters, then the sources and the annex."""
    entries = [(p.name, p.title) for p in parts]
    if _with_sources(parts):
        entries += [(SOURCES_PART, L.t("section.sources")), (ANNEX_PART, L.t("doc.annex.title"))]
    return entries


def start_pages(pdf_path, parts: list[tuple[str, str]], first_content_page: int = FIRST_CHAPTER_PAGE) -> dict[str, int]:
    """The page each part starts on: parts are (name, title) in document order. ``pdf_path``: the PDF, or a pypdf reader of it."""
    reader = _reader(pdf_path)
    # Chromium writes a document outline from the headings: the surest way to find each part.
    outline: list[tuple[str, int]] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                try:
                    outline.append((_norm(item.title), reader.get_destination_page_number(item) + 1))
                except Exception:
                    continue

    walk(reader.outline)
    found: dict[str, int] = {}
    for name, title in parts:
        for heading, page in outline:
            if (
                heading.replace(" ", "") == _norm(title).replace(" ", "")
                and page >= first_content_page
                and page >= max(found.values(), default=0)  # chapters run on: two may start on one page
            ):
                found[name] = page
                break
    if len(found) == len(parts):
        return found
    texts = [_norm(page.extract_text() or "") for page in reader.pages]
    cursor = first_content_page - 1
    for name, title in parts:
        needle = _norm(title)[:40]
        if name in found:
            cursor = found[name] - 1  # the next part may start on the same page
            continue
        for i in range(cursor, len(texts)):
            if needle in texts[i]:
                found[name] = i + 1
                cursor = i
                break
    return found


def _page_count(pdf_path) -> int:
    return len(_reader(pdf_path).pages)


def _read_pass(pdf_path: Path, located: list[tuple[str, str]], contents_title: str, numbers: set[str]):
    """What a printed pass tells, from one parse of it: where each part starts, the page count, the parts that
    open their page (``numbers``: those with their number above their heading), and the page of the contents."""
    reader = _reader(pdf_path)
    contents = _contents_page(reader, contents_title)
    found = start_pages(reader, located)
    opening = parts_opening(reader, located, found, numbers)
    return found, _page_count(reader), {FRONT_PART, CONTENTS_PART} | opening, contents


def _unsettled(lang: str, prints: int, before: tuple[dict, list], after: tuple[dict, list]) -> str:
    """What moved between the last two prints of a dossier that never settled: (pages, headers) of each."""
    (old_pages, old_heads), (new_pages, new_heads) = before, after
    moved = [
        f"{name} (page {old_pages.get(name, '?')}, then {page})"
        for name, page in new_pages.items()
        if old_pages.get(name) != page
    ]
    heads = [str(n) for n, (a, b) in enumerate(zip(old_heads, new_heads), 1) if a != b]
    if len(old_heads) != len(new_heads):
        heads.append(f"the page count ({len(old_heads)}, then {len(new_heads)})")
    what = ([f"parts moved: {', '.join(moved)}"] if moved else []) + ([f"headers changed: {', '.join(heads)}"] if heads else [])
    return (
        f"combined-{lang}.pdf: its page numbers did not settle in {prints} prints ({'; '.join(what)}): "
        "each print laid the pages out otherwise than the one before"
    )


async def print_document(
    printer, lang: str, parts: list[Part], credits: Credits | str, html_path: Path, pdf_path: Path
) -> dict[str, int]:
    """Print the dossier to ``pdf_path`` (its HTML at ``html_path``); returns the page each part starts on.

    The first print has "…" for the page numbers and no chapter in the header; each next one the
    numbers and headers of the print before, until a print gives, read back from its own pages, the
    numbers and headers it was printed with (the second, as a rule: the numbers' columns are of a
    fixed width). That print is kept: its contents, front sheet and headers are right by
    construction. When the front sheet runs onto a second page it is set more tightly and the
    passes start again. Raises :class:`PagesUnsettled` when no print within :data:`MAX_PASSES`
    (and the front sheet's levels) settles.
    """
    L = Lang(lang)
    credits = credits_of(L, credits)
    located = contents_entries(L, parts)
    titles = {FRONT_PART: L.t("doc.front.title"), CONTENTS_PART: L.t("doc.contents"), **dict(located)}
    pages: dict[str, int] | None = None
    headers: list[str] | None = None
    fit = await front_fit(printer, lang, parts, credits, html_path, pdf_path)
    from analysis.pipeline.printer import finish_pdf

    title = L.t("doc.title")
    numbers = numbered(parts)
    prints = MAX_PASSES + FRONT_FIT_LEVELS
    last: tuple[dict[str, int], list[str]] = ({}, [])
    found, now = {}, []
    for _ in range(prints):
        html_path.write_text(document_html(lang, parts, pages, credits, headers, fit), encoding="utf-8")
        # Each pass is read back as Chromium printed it; only the one kept gets its information and bookmarks.
        await printer.print_pdf(html_path, pdf_path, title, lang, header_footer=False, credits=credits, finish=False)
        found, count, at_top, contents = await asyncio.to_thread(_read_pass, pdf_path, located, L.t("doc.contents"), numbers)
        if contents is not None and contents > FIRST_CHAPTER_PAGE - 1 and fit < FRONT_FIT_LEVELS:
            fit, pages, headers = fit + 1, None, None
            continue
        now = running_headers(titles, {FRONT_PART: 2, CONTENTS_PART: 3, **found}, count, at_top)
        if found == pages and now == headers:
            break  # the PDF just printed carries the numbers and headers read back from it
        last = (pages or {}, headers or [])
        pages, headers = found, now
    else:
        raise PagesUnsettled(_unsettled(lang, prints, last, (found, now)))
    await asyncio.to_thread(finish_pdf, pdf_path, html_path, title, lang, credits)
    return pages or {}


async def front_fit(printer, lang: str, parts: list[Part], credits: Credits, html_path: Path, pdf_path: Path) -> int:
    """How tightly the front sheet must be set to keep one page: the first level at which the contents, printed
    after the cover and the front sheet alone, starts on page 3 (:data:`FRONT_FIT_LEVELS` when none does).

    The front sheet and the contents each start a page, so what follows the contents does not move them:
    these short prints tell what the first pass of the whole dossier would, at a fraction of its cost (a
    long front sheet took three or four full prints to fit). :func:`print_document` still checks the level
    on its full prints.
    """
    L = Lang(lang)
    title, contents_title = L.t("doc.title"), L.t("doc.contents")
    for fit in range(FRONT_FIT_LEVELS):
        html_path.write_text(document_html(lang, parts, None, credits, None, fit, front_only=True), encoding="utf-8")
        await printer.print_pdf(html_path, pdf_path, title, lang, header_footer=False, credits=credits, finish=False)
        contents = await asyncio.to_thread(_contents_page, pdf_path, contents_title)
        if contents is None or contents <= FIRST_CHAPTER_PAGE - 1:
            return fit
    return FRONT_FIT_LEVELS


def _contents_page(pdf, contents_title: str) -> int | None:
    """The page the contents starts on; ``pdf``: a path, or a pypdf reader."""
    return start_pages(_reader(pdf), [(CONTENTS_PART, contents_title)], first_content_page=2).get(CONTENTS_PART)


async def build_all(builder, manifest, state, started: dict[str, asyncio.Future] | None = None) -> None:
    """Each language's dossier, all at once: while Chromium lays out one, Python reads the other's pages.

    ``started``: the dossiers the runner began already (:func:`build_language`), as soon as their
    language's reports were done; they are awaited here with the others. The chapters are exported
    by the build's own exporter (its templates are compiled once) and printed by the build's
    browser; a build that had no report to run starts one of its own.
    """
    from analysis.pipeline.export import Exporter
    from analysis.pipeline.printer import Printer

    started = dict(started or {})
    todo = [lang for lang in manifest.languages if manifest.combined.answers + manifest.combined.context]
    if not todo and not started:
        return
    exporter = getattr(builder, "exporter", None) or Exporter()
    own: asyncio.Future | None = None

    async def printer():
        nonlocal own
        running = await builder.printer_ready()
        if running is not None:
            return running
        if own is None:
            own = asyncio.ensure_future(Printer().__aenter__())
        return await asyncio.shield(own)

    tasks = [
        started.pop(lang, None) or asyncio.ensure_future(build_language(builder, manifest, state, lang, exporter, printer))
        for lang in todo
    ]
    tasks += list(started.values())
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:  # one language failing stops the other; the build reports the first error
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    finally:
        if own is not None:
            try:
                launched = await own
            except BaseException:
                pass  # it did not start: that error was raised above
            else:
                await launched.__aexit__(None, None, None)


def refers_back(nb, seen: dict[str, int]) -> bool:
    """Whether a chapter prints differently for the chapters before it: an earlier one printed one of its shared blocks."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            for item in output.get("data", {}).get(SHARED_MIME, {}).get("items", []):
                if not item.get("in_summary") and item.get("key") in seen:
                    return True
    return False


async def prepare_chapter(path: Path, lang: str, number: int, exporter) -> tuple[str, str]:
    """Chapter ``number``'s body exported ahead, while other reports still run, as it prints when no earlier chapter
    printed one of its shared blocks (:func:`refers_back`); with the SHA-256 of the notebook file it was made from.

    The dossier takes it only for that same file and when the chapter does not refer back, so it is what the
    dossier would have exported itself.
    """
    import hashlib

    from nbformat import reader

    data = Path(path).read_bytes()
    _, shown = chapter(reader.reads(data.decode("utf-8")), Lang(lang), {}, number)
    return hashlib.sha256(data).hexdigest(), await exporter.body(shown)


async def _exported_ahead(builder, lang: str, name: str, path: Path) -> str | None:
    ahead = getattr(builder, "chapters", {}).get((lang, name))
    if ahead is None:
        return None
    try:
        digest, body = await asyncio.shield(ahead)
    except Exception:
        return None  # exported here instead, where a failure is reported
    return body if digest == files.sha256_file(path) else None


async def build_language(builder, manifest, state, lang: str, exporter, printer) -> None:
    """One language's dossier, when every report of it is built; ``printer``: an async function giving the printer."""
    import os

    names = manifest.combined.answers + manifest.combined.context
    entries = [state.report(f"{lang}/{name}") for name in names]
    if any(e is None or e.get("status") == "failed" for e in entries):
        missing = [n for n, e in zip(names, entries) if e is None or e.get("status") == "failed"]
        builder.log(f"  combined-{lang}.pdf not built: reports missing or failed: {', '.join(missing)}")
        return
    notebooks = [builder.out_dir / lang / f"{name}.ipynb" for name in names]
    if not all(p.exists() for p in notebooks):
        return
    credits = manifest.credits_for(lang)
    key_ = files.sha256_json([files.sha256_file(p) for p in notebooks] + [files.library_hash(), json.dumps(astuple(credits))])
    out = builder.out_dir / f"combined-{lang}.pdf"
    page = out.with_suffix(".html")
    previous = state.data.setdefault("combined", {}).get(lang, {})
    if previous.get("key") == key_ and out.exists() and page.exists() and not builder.force:
        builder.log(f"  combined-{lang}.pdf up to date")
        return
    L = Lang(lang)
    seen: dict[str, int] = {}
    parts = []
    for number, (name, path) in enumerate(zip(names, notebooks), 1):
        nb = outputs.load(path)
        body = None if refers_back(nb, seen) else await _exported_ahead(builder, lang, name, path)
        found, shown = chapter(nb, L, seen, number)
        parts.append(
            part_from(name, found, body if body is not None else await exporter.body(shown), name in manifest.combined.context)
        )
    tmp_html = files.temp_path(page)
    tmp_pdf = files.temp_path(out)
    try:
        pages = await print_document(await printer(), lang, parts, credits, tmp_html, tmp_pdf)
        count = _page_count(tmp_pdf)
        if min(pages.values(), default=FIRST_CHAPTER_PAGE) > FIRST_CHAPTER_PAGE:
            builder.log(f"  combined-{lang}.pdf: the front sheet does not fit one page, even set tightly")
        os.replace(tmp_pdf, out)
        os.replace(tmp_html, page)  # the HTML the PDF was printed from: the dossier as a web page
    finally:
        tmp_html.unlink(missing_ok=True)
        tmp_pdf.unlink(missing_ok=True)
    # whether the summary lists the answer's scope and follow-up questions, for the landing page's words on it
    state.data["combined"][lang] = {"key": key_, "pages": count, "parts": pages, "scope": bool(scope_rows(parts))}
    state.save()
    builder.log(f"  combined-{lang}.pdf and .html built ({count} pages)")
