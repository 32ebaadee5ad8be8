"""The data contract as Markdown, generated from the schemas so data/README.md cannot drift.

``python -m analysis.data.contract`` rewrites the generated part of data/README.md;
tests/test_contract.py fails when the README and the schemas disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from analysis import config
from analysis.data.schemas import DATASETS, PROFILE_DIMENSIONS

START, END = "<!-- contract:start -->", "<!-- contract:end -->"
KIND_TYPES = {
    "text": "text",
    "id": "identifier",
    "category": "category",
    "count": "integer ≥ 0",
    "number": "decimal",
    "bool": "true/false",
    "period": "YYYY-MM",
    "date": "YYYY-MM-DD",
    "year": "integer",
    "month": "integer",
}


def render() -> str:
    out = []
    for ds in DATASETS.values():
        where = f"data/{ds.subdir + '/' if ds.subdir else ''}{ds.name}.csv (or .xlsx)"
        out.append(f"### `{where}`{' — optional' if ds.optional else ''}\n")
        out.append(f"One row: {ds.row_means} Key (unique): {', '.join(f'`{k}`' for k in ds.key)}.\n")
        out.append("| column | type | allowed values / range | unit | meaning |")
        out.append("|---|---|---|---|---|")
        for f in ds.fields:
            if f.allowed:
                allowed = ", ".join(f"`{a}`" for a in f.allowed)
            elif f.minimum is not None or f.maximum is not None:
                lo = "" if f.minimum is None else f"≥ {f.minimum:g}"
                hi = "" if f.maximum is None else f"≤ {f.maximum:g}"
                allowed = " and ".join(x for x in (lo, hi) if x)
            else:
                allowed = ""
            if f.nullable:
                allowed = (allowed + "; " if allowed else "") + "may be empty"
            out.append(f"| `{f.name}` | {KIND_TYPES[f.kind]} | {allowed} | {f.unit} | {f.description} |")
        out.append("")
    out.append("### Categories of the participant dimensions\n")
    out.append("| dimension | categories |")
    out.append("|---|---|")
    for dim, cats in PROFILE_DIMENSIONS.items():
        out.append(f"| `{dim}` | {', '.join(f'`{c}`' for c in cats)} |")
    return "\n".join(out) + "\n"


def readme_path() -> Path:
    return config.DATA_DIR / "README.md"


def current_section() -> str:
    text = readme_path().read_text(encoding="utf-8")
    match = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), text, re.S)
    return match.group(1) if match else ""


def write() -> None:
    text = readme_path().read_text(encoding="utf-8")
    new = re.sub(re.escape(START) + r"\n.*?" + re.escape(END), lambda m: f"{START}\n{render()}{END}", text, flags=re.S)
    readme_path().write_text(new, encoding="utf-8")


if __name__ == "__main__":
    write()
    sys.exit(0)
