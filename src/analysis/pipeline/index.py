"""reports/index.html: per language, each question's title and short answer, with every file to open.

A reader choosing what to open needs the question and its answer, not report ids. Both are
read from the report's executed notebook (its title record and the first paragraph of its
short-answer record, :mod:`analysis.pipeline.outputs`), so the index says what the report
says. Per report it also keeps what a maintainer needs: status, parameters, build time and
the fingerprint of the data the report read.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.pipeline import files, outputs
from analysis.report.i18n import LANGS, Lang, catalogue
from analysis.report.render import esc

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1d2733;margin:2rem auto;max-width:72rem;padding:0 1rem;line-height:1.45}
h1{color:#1f4e79;font-size:1.6rem;margin-bottom:.3rem} h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #d5dbe2}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #d5dbe2;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f6f9} .failed td{background:#fdf3f2} .status-failed{color:#b3261e;font-weight:bold}
td.question{font-weight:bold;color:#1f4e79;width:22%} td.answer{width:40%}
code{font-size:.85em} .muted{color:#5b6775;font-size:.85rem} ul.documents li{margin:.2rem 0}
"""


def title_and_answer(notebook: Path) -> tuple[str, str]:
    """A report's title and the first paragraph of its short answer (or of its notice), as built."""
    if not notebook.exists():
        return "", ""
    found = outputs.read(notebook)
    paragraphs = found.answer.paragraphs if found.answer else []
    return found.title, paragraphs[0].text if paragraphs else ""


def _row(out_dir: Path, label: str, entry: dict, state) -> str:
    lang, stem = label.split("/", 1)
    L = Lang(lang)
    base = Path(lang) / stem
    failed = entry["status"] == "failed"
    links = []
    for ext, text in (("html", "HTML"), ("pdf", "PDF"), ("ipynb", L.t("index.notebook"))):
        if (out_dir / base.with_suffix("." + ext)).exists():
            links.append(f'<a href="{esc(base.with_suffix("." + ext).as_posix())}">{esc(text)}</a>')
    if links and failed:
        links.append(f'<span class="muted">({esc(L.t("index.previous"))})</span>')
    if failed and (out_dir / base.with_suffix(".failed.ipynb")).exists():
        links.append(f'<a href="{esc(base.with_suffix(".failed.ipynb").as_posix())}">{esc(L.t("index.failed_notebook"))}</a>')
    for n, name in enumerate(state.data.get("tables", {}).get(label, {}).get("csv", []), 1):
        if (out_dir / lang / name).exists():
            links.append(f'<a href="{esc(lang + "/" + name)}">{esc(L.t("index.csv", n=n))}</a>')
    title, answer = title_and_answer(out_dir / base.with_suffix(".ipynb"))
    params = ", ".join(f"{k}={json.dumps(v)}" for k, v in sorted(entry.get("parameters", {}).items()))
    error = f'<br><span class="muted">{esc(entry.get("error"))}</span>' if entry.get("error") else ""
    status = L.t("index.status." + entry["status"]) if f"index.status.{entry['status']}" in catalogue() else entry["status"]
    return (
        f'<tr class="{esc(entry["status"])}"><td class="question">{esc(title or entry["name"])}'
        f'<br><span class="muted">{esc(entry["name"])}</span></td><td class="answer">{esc(answer)}</td>'
        f"<td>{' · '.join(links)}</td>"
        f'<td class="status-{esc(entry["status"])}">{esc(status)}{error}</td>'
        f'<td>{esc(entry.get("finished") or "")}<br><span class="muted">{entry.get("seconds", 0):.1f} s</span></td>'
        f"<td><code>{esc(params)}</code></td><td><code>{esc(entry.get('fingerprint') or '')}</code></td></tr>"
    )


def write(out_dir: Path, state, manifest=None) -> Path:
    reports = state.data["reports"]
    langs = [lang for lang in LANGS if any(label.split("/")[0] == lang for label in reports)]
    langs += sorted({label.split("/")[0] for label in reports} - set(langs))
    sections = []
    for lang in langs:
        L = Lang(lang)
        documents = []
        combined = state.data.get("combined", {}).get(lang, {})
        if (out_dir / f"combined-{lang}.pdf").exists():
            pages = L.t("index.pages", n=combined.get("pages", "?"))
            documents.append(
                f'<li><a href="combined-{esc(lang)}.pdf">{esc(L.t("index.combined"))} (PDF)</a> '
                f'<span class="muted">combined-{esc(lang)}.pdf, {esc(pages)}</span></li>'
            )
        if (out_dir / lang / "tables.xlsx").exists():
            documents.append(
                f'<li><a href="{esc(lang)}/tables.xlsx">{esc(L.t("index.tables"))}</a> '
                f'<span class="muted">{esc(lang)}/tables.xlsx</span></li>'
            )
        mine = sorted(((label, e) for label, e in reports.items() if label.split("/")[0] == lang), key=lambda i: i[0])
        rows = "".join(_row(out_dir, label, entry, state) for label, entry in mine)
        head = "".join(
            f"<th>{esc(L.t('index.col.' + key))}</th>"
            for key in ("question", "answer", "files", "status", "built", "parameters", "fingerprint")
        )
        sections.append(
            f'<section lang="{esc(lang)}"><h2>{esc(L.t("index.language"))}: {esc(L.t("doc.title"))}</h2>'
            + (f'<ul class="documents">{"".join(documents)}</ul>' if documents else "")
            + f"<h3>{esc(L.t('index.title'))}</h3><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            f'<p class="muted">{esc(L.t("index.fingerprint_note"))}</p></section>'
        )
    first = Lang(langs[0] if langs else "nl")
    page = (
        f'<!DOCTYPE html><html lang="{esc(first.code)}"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{esc(first.t('doc.title'))} – {esc(first.t('index.title'))}</title><style>{CSS}</style></head><body><main>"
        f"<h1>{esc(first.t('doc.title'))}</h1>"
        f'<p class="muted">{esc(first.t("doc.made_by", author=first.t("doc.author")))}</p>'
        + "".join(sections)
        + "</main></body></html>"
    )
    path = out_dir / "index.html"
    files.atomic_write(path, page)
    return path
