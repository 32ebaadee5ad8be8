"""reports/index.html, the reader's landing page, and reports/build.html, the technical page behind it.

The landing page is for the person who opens the dossier: per language (Dutch first), the
written question in words, the date of this version, the complete dossier to download, the tables
for reuse (the workbook, the CSV files of each chapter and their description, datapackage.json),
and per chapter its title, the opening of its short answer and its HTML and PDF. Title
and answer are read from the report's executed notebook (its title record and the first
paragraph of its short-answer record, :mod:`analysis.pipeline.outputs`), so the page says what
the report says. Only the dossier's own reports are listed there: a run with other parameters
(``-p``, written as ``q5--months-2``) is no part of the dossier.

The build page keeps what a maintainer needs, for every report built into this folder (the
dossier's and the other runs): status and error, build time, parameters, the fingerprint of the
data it read, the notebook and the CSV tables.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from analysis import registry
from analysis.config import build_date
from analysis.pipeline import files, outputs
from analysis.pipeline.manifest import Credits
from analysis.report.i18n import LANGS, Lang
from analysis.report.keys import key
from analysis.report.render import HEADLINE, esc

BUILD_PAGE = "build.html"

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1d2733;margin:2rem auto;max-width:72rem;padding:0 1rem;line-height:1.45}
h1{color:#1f4e79;font-size:1.6rem;margin-bottom:.3rem} h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #d5dbe2}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #d5dbe2;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f6f9} .failed td{background:#fdf3f2} .status-failed{color:#b3261e;font-weight:bold}
td.question{font-weight:bold;color:#1f4e79;width:26%} td.answer{width:56%}
code{font-size:.85em} .muted{color:#5b6775;font-size:.85rem} ul.documents li{margin:.3rem 0}
.question-text{font-style:italic}
"""


def title_and_answer(notebook: Path) -> tuple[str, str]:
    """A report's title and the first paragraph of its short answer (or of its notice), as built."""
    if not notebook.exists():
        return "", ""
    found = outputs.read(notebook)
    paragraphs = found.answer.paragraphs if found.answer else []
    return found.title, paragraphs[0].text if paragraphs else ""


def title_and_gist(notebook: Path) -> tuple[str, str]:
    """A report's title and its answer in brief: its bottom line where it has one, else its key finding (as on the
    dossier's front sheet), else the first paragraph of its short answer. One of them, not both: a bottom line and a
    finding that open alike read as a seam (editor, round 26)."""
    if not notebook.exists():
        return "", ""
    found = outputs.read(notebook)
    for role in (HEADLINE, "finding"):
        lines = [f.text for f in found.findings if f.role == role]
        if lines:
            return found.title, " ".join(lines)
    return title_and_answer(notebook)


def is_official(label: str, entry: dict) -> bool:
    """A report of the dossier: written under its own name, not under a name with overridden parameters."""
    return label.split("/", 1)[1] == entry.get("name")


def _languages(reports: dict) -> list[str]:
    langs = [lang for lang in LANGS if any(label.split("/")[0] == lang for label in reports)]
    return langs + sorted({label.split("/")[0] for label in reports} - set(langs))


def _page(lang: str, title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body><main>{body}</main></body></html>"
    )


# ---------------------------------------------------------------------------------------------- the landing page
def _reader_row(out_dir: Path, label: str, entry: dict) -> str:
    lang, stem = label.split("/", 1)
    L = Lang(lang)
    base = Path(lang) / stem
    links = [
        f'<a href="{esc(base.with_suffix("." + ext).as_posix())}">{ext.upper()}</a>'
        for ext in ("html", "pdf")
        if (out_dir / base.with_suffix("." + ext)).exists()
    ]
    title, answer = title_and_gist(out_dir / base.with_suffix(".ipynb"))
    failed = entry["status"] == "failed"
    note = f'<br><span class="muted">{esc(L.t("index.unavailable"))}</span>' if failed and links else ""
    return (
        f'<tr class="{esc(entry["status"])}"><td class="question">{esc(title or entry["name"])}</td>'
        f'<td class="answer">{esc(answer)}</td><td>{" · ".join(links)}{note}</td></tr>'
    )


def _question_text(out_dir: Path, lang: str, names: list[str]) -> str:
    """The written question and its answer in words, from the sources the reports cite (kind question, answer)."""
    for name in names:
        notebook = out_dir / lang / f"{name}.ipynb"
        found = outputs.read(notebook) if notebook.exists() else None
        if found is None or found.sources is None:
            continue
        question = next((s for s in found.sources.sources.values() if s.kind == "question"), None)
        answer = next((s for s in found.sources.sources.values() if s.kind == "answer"), None)
        parts = [f"{s.title} ({s.date_text})" for s in (question, answer) if s is not None]
        if answer is not None and answer.author:
            parts[-1] = f"{answer.title}, {answer.author} ({answer.date_text})"
        if parts:
            return "; ".join(parts)
    return ""


def _lead(out_dir: Path, lang: str, names: list[str]) -> str:
    """The dossier's bottom line, as its summary opens: each chapter's headline in chapter order (editor, round 34: the
    landing page opened with a citation, not with what the dossier concludes)."""
    order = {name: i for i, name in enumerate(registry.ids())}
    lines = []
    for name in sorted(dict.fromkeys(names), key=lambda n: order.get(n, len(order))):
        notebook = out_dir / lang / f"{name}.ipynb"
        if notebook.exists():
            lines += [f.text for f in outputs.read(notebook).findings if f.role == HEADLINE]
    return " ".join(lines)


def _csv_name(L: Lang, captions: list[str], n: int, name: str) -> str:
    """A CSV file by what it holds: its table's caption, or, for the figures a report's text computes
    (tables.derived_csv), that; 'tabel n' only for a table without a caption."""
    if name.endswith("-derived.csv"):
        return L.t("index.reuse.derived")
    return captions[n - 1] if n <= len(captions) and captions[n - 1] else L.t("index.reuse.table", n=n)


def _reuse(out_dir: Path, lang: str, mine: list[tuple[str, dict]], state) -> str:
    """'Tables for reuse': the workbook, the description of the CSV files (datapackage.json) and the CSV files of the
    dossier's chapters, each chapter by its title; empty when none of them is there."""
    L = Lang(lang)
    items = []
    if (out_dir / lang / "tables.xlsx").exists():
        items.append(f'<li><a href="{esc(lang)}/tables.xlsx">{esc(L.t("index.tables"))}</a></li>')
    if (out_dir / lang / "datapackage.json").exists():
        items.append(f'<li><a href="{esc(lang)}/datapackage.json">{esc(L.t("index.reuse.package"))}</a></li>')
    chapters = []
    for label, entry in mine:
        names = [n for n in state.data.get("tables", {}).get(label, {}).get("csv", []) if (out_dir / lang / n).exists()]
        if not names:
            continue
        notebook = out_dir / lang / f"{label.split('/', 1)[1]}.ipynb"
        found = outputs.read(notebook) if notebook.exists() else None
        title = found.title if found else ""
        # each file by the caption of its table, as the reader saw it in the chapter (not by a number the PDF lacks)
        captions = [t.caption for t in found.tables] if found else []
        links = "".join(
            f'<li><a href="{esc(lang + "/" + name)}">{esc(_csv_name(L, captions, n, name))}</a></li>'
            for n, name in enumerate(names, 1)
        )
        chapters.append(f"<li>{esc(title or entry['name'])}<ul>{links}</ul></li>")
    if chapters:
        items.append(f"<li>{esc(L.t('index.reuse.csv'))}<ul>{''.join(chapters)}</ul></li>")
    if not items:
        return ""
    return f'<h3>{esc(L.t("index.reuse"))}</h3><ul class="documents">{"".join(items)}</ul>'


def write(out_dir: Path, state, manifest=None) -> Path:
    """Write index.html for readers and build.html for maintainers; returns the index's path."""
    reports = state.data["reports"]
    langs = _languages(reports)
    date = build_date() or dt.date.today()
    sections = []
    for lang in langs:
        L = Lang(lang)
        mine = sorted(
            ((label, e) for label, e in reports.items() if label.split("/")[0] == lang and is_official(label, e)),
            key=lambda i: i[0],
        )
        documents = []
        combined = state.data.get("combined", {}).get(lang, {})
        if (out_dir / f"combined-{lang}.pdf").exists():
            pages = L.t("index.pages", n=combined.get("pages", "?"))
            web = f' · <a href="combined-{esc(lang)}.html">HTML</a>' if (out_dir / f"combined-{lang}.html").exists() else ""
            documents.append(
                f'<li><a href="combined-{esc(lang)}.pdf">{esc(L.t("index.combined"))}</a> <span class="muted">({esc(pages)})</span>{web}</li>'
            )
            if web:  # the summary a busy reader stops at, one click from here (adviser, round 34)
                # what the summary holds: the scope and follow-ups only where the answer cited has them (scenario
                # read, round 43)
                summary = L.t("index.summary" if combined.get("scope", True) else "index.summary_findings")
                documents.append(f'<li><a href="combined-{esc(lang)}.html#part-front">{esc(summary)}</a></li>')
        head = "".join(f"<th>{esc(L.t(key('index.col', k)))}</th>" for k in ("question", "answer", "files"))
        rows = "".join(_reader_row(out_dir, label, entry) for label, entry in mine)
        question = _question_text(out_dir, lang, [e["name"] for _, e in mine])
        lead = _lead(out_dir, lang, [e["name"] for _, e in mine])
        credits = manifest.credits_for(lang) if manifest is not None else Credits(L.t("doc.publisher_default"))
        meta = [L.t("doc.version", date=L.date(date))]
        if credits.responsible_publisher is None:  # as the dossier's cover says
            meta.append(f"{L.t('doc.colophon.status')}: {L.t('doc.colophon.status_working')}")
        meta.append(f"{L.t('doc.colophon.publisher')}: {credits.publisher}")
        if credits.contact is not None:
            meta.append(f"{L.t('doc.colophon.contact')}: {credits.contact}")
        if credits.responsible_publisher is not None:
            meta.append(f"{L.t('doc.colophon.responsible_publisher')}: {credits.responsible_publisher}")
        sections.append(
            f'<section lang="{esc(lang)}"><h2>{esc(L.t("index.language"))}: {esc(L.t("doc.title"))}</h2>'
            + (f'<p class="question-text">{esc(question)}</p>' if question else "")
            + (f'<p class="lead">{esc(lead)}</p>' if lead else "")
            + f'<p>{esc(L.t("index.intro"))}</p><p class="muted">{esc(" · ".join(meta))}</p>'
            + (f'<ul class="documents">{"".join(documents)}</ul>' if documents else "")
            # the chapters a reader came for before the files for reuse (editor, round 27: developer order)
            + (
                f"<h3>{esc(L.t('index.chapters'))}</h3><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
                if rows
                else ""
            )
            + _reuse(out_dir, lang, mine, state)
            + "</section>"
        )
    first = Lang(langs[0] if langs else "nl")
    links = " · ".join(f'<a href="{BUILD_PAGE}" lang="{esc(lang)}">{esc(Lang(lang).t("index.technical"))}</a>' for lang in langs)
    titles = " · ".join(dict.fromkeys(Lang(lang).t("doc.title") for lang in langs or ["nl"]))
    body = f"<h1>{esc(titles)}</h1>" + "".join(sections) + f'<p class="muted">{links}</p>'
    path = out_dir / "index.html"
    files.atomic_write(path, _page(first.code, first.t("doc.title"), body))
    write_build_page(out_dir, state, langs)
    return path


# ---------------------------------------------------------------------------------------------- the technical page
def _build_row(out_dir: Path, label: str, entry: dict, state) -> str:
    lang, stem = label.split("/", 1)
    L = Lang(lang)
    base = Path(lang) / stem
    failed = entry["status"] == "failed"
    links = []
    for ext, text in (("html", "HTML"), ("pdf", "PDF"), ("ipynb", L.t("build.notebook"))):
        if (out_dir / base.with_suffix("." + ext)).exists():
            links.append(f'<a href="{esc(base.with_suffix("." + ext).as_posix())}">{esc(text)}</a>')
    if links and failed:
        links.append(f'<span class="muted">({esc(L.t("build.previous"))})</span>')
    if failed and (out_dir / base.with_suffix(".failed.ipynb")).exists():
        links.append(f'<a href="{esc(base.with_suffix(".failed.ipynb").as_posix())}">{esc(L.t("build.failed_notebook"))}</a>')
    files = state.data.get("tables", {}).get(label, {}).get("csv", [])
    tables_only = [name for name in files if not name.endswith("-derived.csv")]
    for name in files:
        if (out_dir / lang / name).exists():
            # the figures a report's text computes are no table of it (statistician, round 42: 'tabel 2 (CSV)')
            text = L.t("build.csv_derived") if name not in tables_only else L.t("build.csv", n=tables_only.index(name) + 1)
            links.append(f'<a href="{esc(lang + "/" + name)}">{esc(text)}</a>')
    title, _ = title_and_answer(out_dir / base.with_suffix(".ipynb"))
    params = ", ".join(f"{k}={json.dumps(v)}" for k, v in sorted(entry.get("parameters", {}).items()))
    error = f'<br><span class="muted">{esc(entry.get("error"))}</span>' if entry.get("error") else ""
    status = L.t(key("build.status", entry["status"])) if entry["status"] in ("built", "failed") else entry["status"]
    return (
        f'<tr class="{esc(entry["status"])}"><td class="question">{esc(title or entry["name"])}'
        f'<br><span class="muted">{esc(label)}</span></td>'
        f"<td>{' · '.join(links)}</td>"
        f'<td class="status-{esc(entry["status"])}">{esc(status)}{error}</td>'
        f'<td>{esc(entry.get("finished") or "")}<br><span class="muted">{entry.get("seconds", 0):.1f} s</span></td>'
        f"<td><code>{esc(params)}</code></td><td><code>{esc(entry.get('fingerprint') or '')}</code></td></tr>"
    )


def write_build_page(out_dir: Path, state, langs: list[str]) -> Path:
    """Every report built into this folder, with status, time, parameters and data fingerprint."""
    reports = state.data["reports"]
    sections = []
    for lang in langs:
        L = Lang(lang)
        head = "".join(
            f"<th>{esc(L.t(key('index.col', k)))}</th>"
            for k in ("question", "files", "status", "built", "parameters", "fingerprint")
        )
        mine = sorted(((label, e) for label, e in reports.items() if label.split("/")[0] == lang), key=lambda i: i[0])
        for heading, group in (
            (L.t("build.official"), [(label, e) for label, e in mine if is_official(label, e)]),
            (L.t("build.other"), [(label, e) for label, e in mine if not is_official(label, e)]),
        ):
            if group:
                rows = "".join(_build_row(out_dir, label, entry, state) for label, entry in group)
                sections.append(
                    f'<section lang="{esc(lang)}"><h2>{esc(L.t("index.language"))}: {esc(heading)}</h2>'
                    f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></section>"
                )
        if (out_dir / lang / "datapackage.json").exists():
            sections.append(f'<p lang="{esc(lang)}"><a href="{esc(lang)}/datapackage.json">{esc(L.t("build.package"))}</a></p>')
        sections.append(f'<p class="muted" lang="{esc(lang)}">{esc(L.t("build.fingerprint_note"))}</p>')
    first = Lang(langs[0] if langs else "nl")
    body = (
        f'<p><a href="index.html">{esc(first.t("build.back"))}</a></p>'
        f"<h1>{esc(first.t('doc.title'))} – {esc(first.t('build.title'))}</h1>" + "".join(sections)
    )
    path = out_dir / BUILD_PAGE
    files.atomic_write(path, _page(first.code, f"{first.t('doc.title')} – {first.t('build.title')}", body))
    return path
