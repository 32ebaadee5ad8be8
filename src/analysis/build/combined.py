"""One PDF per language: a cover, a table of contents with page numbers, then every answer.

The document is printed twice: the first pass tells on which page each part starts (read
back with pypdf), the second prints the table of contents with those numbers. The table of
contents fits one page, so the numbers do not move between passes.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from analysis import config
from analysis.build import files
from analysis.config import build_date
from analysis.report.i18n import Lang
from analysis.report.render import esc

BODY = re.compile(r"<!-- report-body-start -->(.*)<!-- report-body-end -->", re.S)
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def document_html(lang: str, parts: list[tuple[str, str, str, bool]], pages: dict[str, int] | None) -> str:
    """parts: (name, title, body html, is_context)."""
    L = Lang(lang)
    css = (config.TEMPLATES_DIR / "report" / "report.css").read_text(encoding="utf-8")
    date = build_date()
    toc = []
    for number, (name, title, _, _is_context) in enumerate(parts, 1):
        page = str(pages.get(name, "")) if pages else "…"
        prefix = ""
        toc.append(
            f'<li><span class="num">{number}.</span><span class="title">{prefix}{esc(title)}</span><span class="page">{page}</span></li>'
        )
    sections = "".join(f'<section class="part" id="part-{esc(name)}">{body}</section>' for name, _, body, _ in parts)
    meta = f'<p class="meta">{esc(L.t("report.build_date", date=L.date(date)))}</p>' if date else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"
        f'<title>{esc(L.t("doc.title"))}</title><style>{css}</style></head><body><main class="report">'
        f'<section class="cover"><p class="kicker">VDAB · Vlaams Parlement</p><h1>{esc(L.t("doc.title"))}</h1>'
        f'<p class="question">{esc(L.t("doc.subtitle"))}</p>{meta}</section>'
        f'<section class="toc part"><h2>{esc(L.t("doc.contents"))}</h2><ol>{"".join(toc)}</ol></section>'
        f"{sections}</main></body></html>"
    )


def start_pages(pdf_path: Path, parts: list[tuple[str, str, str, bool]], first_content_page: int = 3) -> dict[str, int]:
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
    for name, title, _, _ in parts:
        for heading, page in outline:
            if (
                heading.replace(" ", "") == _norm(title).replace(" ", "")
                and page >= first_content_page
                and page > max(found.values(), default=0)
            ):
                found[name] = page
                break
    if len(found) == len(parts):
        return found
    texts = [_norm(page.extract_text() or "") for page in reader.pages]
    cursor = first_content_page - 1
    for name, title, _, _ in parts:
        needle = _norm(title)[:40]
        if name in found:
            cursor = found[name]
            continue
        for i in range(cursor, len(texts)):
            if needle in texts[i]:
                found[name] = i + 1
                cursor = i + 1
                break
    return found


async def build_all(builder, manifest, state) -> None:
    from analysis.build.printer import Printer

    for lang in manifest.languages:
        names = manifest.combined.answers + manifest.combined.context
        if not names:
            continue
        entries = [state.report(f"{lang}/{name}") for name in names]
        if any(e is None or e.get("status") == "failed" for e in entries):
            missing = [n for n, e in zip(names, entries) if e is None or e.get("status") == "failed"]
            builder.log(f"  combined-{lang}.pdf not built: reports missing or failed: {', '.join(missing)}")
            continue
        html_paths = [builder.out_dir / lang / f"{name}.html" for name in names]
        if not all(p.exists() for p in html_paths):
            continue
        key = files.sha256_json([files.sha256_file(p) for p in html_paths] + [files.library_hash()])
        out = builder.out_dir / f"combined-{lang}.pdf"
        previous = state.data.setdefault("combined", {}).get(lang, {})
        if previous.get("key") == key and out.exists() and not builder.force:
            builder.log(f"  combined-{lang}.pdf up to date")
            continue
        parts = []
        for name, path in zip(names, html_paths):
            text = path.read_text(encoding="utf-8")
            body = BODY.search(text)
            title = html.unescape(TITLE.search(text).group(1)) if TITLE.search(text) else name
            parts.append((name, title, body.group(1) if body else "", name in manifest.combined.context))
        printer = builder.printer
        own = None
        if printer is None:
            own = Printer()
            printer = await own.__aenter__()
        try:
            L = Lang(lang)
            tmp_html = files.temp_path(out.with_suffix(".html"))
            tmp_pdf = files.temp_path(out)
            try:
                tmp_html.write_text(document_html(lang, parts, None), encoding="utf-8")
                await printer.print_pdf(tmp_html, tmp_pdf, L.t("doc.title"), lang)
                pages = start_pages(tmp_pdf, parts)
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
