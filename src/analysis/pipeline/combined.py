"""One PDF per language: a cover, contents, a summary of the answers, every chapter, one source list.

The document is printed twice: the first pass tells on which page each part starts (read
back with pypdf), the second prints the contents and the summary with those numbers. Both
fit their page whatever the numbers, so the numbers do not move between passes.

Each chapter is its report's executed notebook, exported by the report's own HTML exporter
(body only), so it reads exactly as the single report. Title, short answer and sources come
from the notebook's structured outputs (:mod:`analysis.pipeline.outputs`). Each report ends
with its sources; in the combined document those lists would repeat the same answer and
locators chapter after chapter, so the output that carries a chapter's source list is left
out of the chapter and the lists are merged into one at the end, grouped by source, each
figure under its reference id with the chapters that use it. A source list without its
record stays in its chapter, so no citation is ever lost.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from analysis import config
from analysis.config import build_date
from analysis.pipeline import files, outputs
from analysis.report.i18n import Lang
from analysis.report.render import esc

#: The summary takes whole paragraphs of a chapter's short answer up to about this many characters.
SUMMARY_CHARS = 300
SOURCES_PART = "sources"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Part:
    """One chapter: the report's body, its short answer, and the sources it cites."""

    name: str
    title: str
    body: str
    is_context: bool = False
    lead: list[outputs.Paragraph] | None = None  # the opening paragraphs of the short answer
    sources: outputs.Sources | None = None  # None: the chapter keeps its own list (or has none)


def read_part(name: str, nb, is_context: bool, exporter) -> Part:
    """A chapter from an executed report notebook; ``exporter`` is a ReportHTMLExporter."""
    found = outputs.read(nb)
    shown = outputs.without_sources(nb) if found.sources is not None else nb
    body, _ = exporter.from_notebook_node(shown, resources={"body_only": True})
    lead = found.answer.lead(SUMMARY_CHARS) if found.answer else []
    return Part(name, found.title or name, body, is_context, lead, found.sources)


def sources_html(L: Lang, parts: list[Part]) -> str:
    """One list for the whole document: per source (in order of first use), every figure by reference id and the chapters using it."""
    merged: dict[str, tuple[str, dict[str, tuple[str, list[int]]]]] = {}
    for number, part in enumerate(parts, 1):
        if part.sources is None:
            continue
        for source_id, source in part.sources.sources.items():
            figures: dict[str, str] = {}
            for citation in part.sources.citations:
                if citation.source_id == source_id:
                    figures[citation.figure_id] = citation.locator
            _, known = merged.setdefault(source_id, (source.head_html, {}))
            for figure, locator in figures.items():
                entry = known.setdefault(figure, (locator, []))
                if number not in entry[1]:
                    entry[1].append(number)
    items = []
    for source_id in merged:  # in order of first use
        head, figures = merged[source_id]
        rows = "".join(
            f'<li><code>{esc(figure)}</code>: {esc(locator)} <span class="used-in">({esc(L.t("doc.sources_used_in"))} '
            f"{', '.join(str(n) for n in chapters)})</span></li>"
            for figure, (locator, chapters) in sorted(figures.items())
        )
        items.append(f'<li id="src-{esc(source_id)}">{head}<ul class="locators">{rows}</ul></li>')
    return (
        f'<section class="part sources-all" id="part-{SOURCES_PART}"><h1>{esc(L.t("section.sources"))}</h1>'
        f'<p class="meta">{esc(L.t("doc.sources_intro"))}</p><ol class="sources">{"".join(items)}</ol></section>'
    )


def document_html(lang: str, parts: list[Part], pages: dict[str, int] | None) -> str:
    L = Lang(lang)
    css = (config.TEMPLATES_DIR / "report" / "report.css").read_text(encoding="utf-8")
    date = build_date() or dt.date.today()

    def page_of(name: str) -> str:
        return str(pages.get(name, "")) if pages else "…"

    with_sources = any(part.sources and part.sources.citations for part in parts)
    entries = [(name, title) for name, title in ((p.name, p.title) for p in parts)]
    if with_sources:
        entries.append((SOURCES_PART, L.t("section.sources")))
    toc = "".join(
        f'<li><span class="num">{number}.</span><span class="title">{esc(title)}</span><span class="page">{page_of(name)}</span></li>'
        for number, (name, title) in enumerate(entries, 1)
    )
    summary = "".join(
        f'<li><span class="num">{number}.</span><div class="entry"><p class="title">{esc(part.title)}</p>'
        f"{''.join(f'<p>{paragraph.html}</p>' for paragraph in part.lead)}</div>"
        f'<span class="page">{esc(L.t("doc.page_short"))}&nbsp;{page_of(part.name)}</span></li>'
        for number, part in enumerate(parts, 1)
        if part.lead
    )
    sections = "".join(f'<section class="part" id="part-{esc(p.name)}">{p.body}</section>' for p in parts)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"
        f'<title>{esc(L.t("doc.title"))}</title><style>{css}</style></head><body><main class="report">'
        f'<section class="cover"><h1>{esc(L.t("doc.title"))}</h1>'
        f'<p class="question">{esc(L.t("doc.subtitle"))}</p>'
        f'<p class="made-by">{esc(L.t("doc.made_by", author=L.t("doc.author")))}</p>'
        f'<p class="meta">{esc(L.t("doc.dated", date=L.date(date)))}</p></section>'
        f'<section class="toc part"><h2>{esc(L.t("doc.contents"))}</h2><ol>{toc}</ol></section>'
        f'<section class="summary part"><h2>{esc(L.t("doc.summary"))}</h2>'
        f'<p class="meta">{esc(L.t("doc.summary_intro"))}</p><ol>{summary}</ol></section>'
        f"{sections}{sources_html(L, parts) if with_sources else ''}</main></body></html>"
    )


def start_pages(pdf_path: Path, parts: list[tuple[str, str]], first_content_page: int = 4) -> dict[str, int]:
    """The page each part starts on: parts are (name, title) in document order."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_path))
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


async def build_all(builder, manifest, state) -> None:
    from analysis.pipeline.printer import Printer

    for lang in manifest.languages:
        names = manifest.combined.answers + manifest.combined.context
        if not names:
            continue
        entries = [state.report(f"{lang}/{name}") for name in names]
        if any(e is None or e.get("status") == "failed" for e in entries):
            missing = [n for n, e in zip(names, entries) if e is None or e.get("status") == "failed"]
            builder.log(f"  combined-{lang}.pdf not built: reports missing or failed: {', '.join(missing)}")
            continue
        notebooks = [builder.out_dir / lang / f"{name}.ipynb" for name in names]
        if not all(p.exists() for p in notebooks):
            continue
        key = files.sha256_json([files.sha256_file(p) for p in notebooks] + [files.library_hash()])
        out = builder.out_dir / f"combined-{lang}.pdf"
        previous = state.data.setdefault("combined", {}).get(lang, {})
        if previous.get("key") == key and out.exists() and not builder.force:
            builder.log(f"  combined-{lang}.pdf up to date")
            continue
        L = Lang(lang)
        from analysis.pipeline.exporters import ReportHTMLExporter

        exporter = ReportHTMLExporter()
        parts = [
            read_part(name, outputs.load(path), name in manifest.combined.context, exporter)
            for name, path in zip(names, notebooks)
        ]
        located = [(p.name, p.title) for p in parts]
        if any(p.sources and p.sources.citations for p in parts):
            located.append((SOURCES_PART, L.t("section.sources")))
        printer = builder.printer
        own = None
        if printer is None:
            own = Printer()
            printer = await own.__aenter__()
        try:
            tmp_html = files.temp_path(out.with_suffix(".html"))
            tmp_pdf = files.temp_path(out)
            try:
                tmp_html.write_text(document_html(lang, parts, None), encoding="utf-8")
                await printer.print_pdf(tmp_html, tmp_pdf, L.t("doc.title"), lang)
                pages = start_pages(tmp_pdf, located)
                tmp_html.write_text(document_html(lang, parts, pages), encoding="utf-8")
                await printer.print_pdf(tmp_html, tmp_pdf, L.t("doc.title"), lang)
                from pypdf import PdfReader

                count = len(PdfReader(str(tmp_pdf)).pages)
                import os

                os.replace(tmp_pdf, out)
            finally:
                tmp_html.unlink(missing_ok=True)
                tmp_pdf.unlink(missing_ok=True)
        finally:
            if own is not None:
                await own.__aexit__(None, None, None)
        state.data["combined"][lang] = {"key": key, "pages": count, "parts": pages}
        state.save()
        builder.log(f"  combined-{lang}.pdf built ({count} pages)")
