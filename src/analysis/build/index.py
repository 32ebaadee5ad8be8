"""reports/index.html: every report with its language, parameters, status, build time and data fingerprint."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.build import files
from analysis.report.render import esc

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1d2733;margin:2rem auto;max-width:70rem;padding:0 1rem}
h1{color:#1f4e79;font-size:1.6rem} table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #d5dbe2;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f6f9} .failed td{background:#fdf3f2} .status-failed{color:#b3261e;font-weight:bold}
code{font-size:.85em} .muted{color:#5b6775;font-size:.85rem}
"""


def write(out_dir: Path, state, manifest=None) -> Path:
    rows = []

    def order(item):  # by report, Dutch before English
        label, entry = item
        return entry["name"], label.split("/")[0] != "nl", label

    for label, entry in sorted(state.data["reports"].items(), key=order):
        lang, stem = label.split("/", 1)
        base = Path(lang) / stem
        links = []
        for ext in ("html", "pdf"):
            if (out_dir / base.with_suffix("." + ext)).exists():
                note = " (previous good build)" if entry["status"] == "failed" else ""
                links.append(f'<a href="{esc(base.with_suffix("." + ext).as_posix())}">{ext.upper()}</a>{note}')
        if entry["status"] == "failed" and (out_dir / base.with_suffix(".failed.ipynb")).exists():
            links.append(f'<a href="{esc(base.with_suffix(".failed.ipynb").as_posix())}">failed notebook</a>')
        params = ", ".join(f"{k}={json.dumps(v)}" for k, v in sorted(entry.get("parameters", {}).items()))
        error = f'<br><span class="muted">{esc(entry.get("error"))}</span>' if entry.get("error") else ""
        rows.append(
            f'<tr class="{esc(entry["status"])}"><td>{esc(entry["name"])}</td><td>{esc(lang)}</td><td><code>{esc(params)}</code></td>'
            f'<td class="status-{esc(entry["status"])}">{esc(entry["status"])}{error}</td>'
            f'<td>{esc(entry.get("finished") or "")}<br><span class="muted">{entry.get("seconds", 0):.1f} s</span></td>'
            f"<td>{' · '.join(links)}</td><td><code>{esc(entry.get('fingerprint') or '')}</code></td></tr>"
        )
    combined_rows = []
    for lang, entry in sorted(state.data.get("combined", {}).items()):
        name = f"combined-{lang}.pdf"
        if (out_dir / name).exists():
            combined_rows.append(
                f'<li><a href="{esc(name)}">{esc(name)}</a> <span class="muted">({esc(entry.get("pages", "?"))} pages)</span></li>'
            )
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Reports – Digitale opleidingen – Evolutie</title><style>{CSS}</style></head><body>"
        "<h1>Digitale opleidingen – Evolutie: reports</h1>"
        + (f"<h2>Combined documents</h2><ul>{''.join(combined_rows)}</ul>" if combined_rows else "")
        + "<h2>Reports</h2><table><thead><tr><th>Report</th><th>Language</th><th>Parameters</th><th>Status</th>"
        "<th>Built</th><th>Files</th><th>Data fingerprint</th></tr></thead><tbody>"
        + "".join(rows)
        + '</tbody></table><p class="muted">The data fingerprint is a hash of the data files the report read; '
        "two reports with the same fingerprint used the same data.</p></body></html>"
    )
    path = out_dir / "index.html"
    files.atomic_write(path, page)
    return path
