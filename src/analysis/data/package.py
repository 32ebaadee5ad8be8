"""data/datapackage.json: the data contract as a Frictionless Data Package, generated from the schemas.

One source of truth: every resource, field, type, allowed value, range, key and link to sources.csv
comes from :mod:`analysis.data.schemas`, like data/README.md (:mod:`analysis.data.contract`).
``python -m analysis generate`` rewrites it; ``generate --check`` (part of ``make lint``) fails when it is
stale; ``frictionless validate data/datapackage.json`` checks the files against it (the tests do).

The package describes the files present in the folder (an optional extract only once it is there), in the
form the project keeps them: comma-separated UTF-8 with a header, dot decimals, ``true``/``false``. The
loader also reads Dutch Excel exports and ``.xlsx`` files; such a file needs ``make generate`` to be
described, and a Dutch-dialect CSV is beyond what the package says (save it as "CSV UTF-8").
Checks across rows (period order, totals per dimension) are the loader's only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from analysis import config
from analysis.data import loader
from analysis.data.schemas import DATASETS, FALSE_WORDS, ID_PATTERN, TRUE_WORDS, Dataset, Field

NAME = "datapackage.json"
#: How each kind of column is typed in a Table Schema.
TYPES = {
    "text": "string",
    "id": "string",
    "category": "string",
    "count": "integer",
    "number": "number",
    "bool": "boolean",
    "period": "yearmonth",
    "date": "date",
    "year": "integer",
    "month": "integer",
}


def field(f: Field) -> dict[str, Any]:
    """One column as a Table Schema field."""
    description = f.description + (f" Unit: {f.unit}." if f.unit else "")
    out: dict[str, Any] = {"name": f.name, "type": TYPES[f.kind], "description": description}
    constraints: dict[str, Any] = {}
    if not f.nullable:
        constraints["required"] = True
    if f.allowed:
        constraints["enum"] = list(f.allowed)
    if f.kind == "id":
        constraints["pattern"] = ID_PATTERN
    if f.minimum is not None:
        constraints["minimum"] = int(f.minimum) if f.kind != "number" else f.minimum
    if f.maximum is not None:
        constraints["maximum"] = int(f.maximum) if f.kind != "number" else f.maximum
    if f.kind == "bool":
        out["trueValues"] = [w for word in TRUE_WORDS for w in dict.fromkeys((word, word.capitalize(), word.upper()))]
        out["falseValues"] = [w for word in FALSE_WORDS for w in dict.fromkeys((word, word.capitalize(), word.upper()))]
    if constraints:
        out["constraints"] = constraints
    return out


def resource(ds: Dataset, path: Path, data_dir: Path) -> dict[str, Any]:
    """One data file as a tabular data resource, with its schema, key and link to sources.csv."""
    schema: dict[str, Any] = {
        "fields": [field(f) for f in ds.fields],
        "primaryKey": list(ds.key),
        "missingValues": [""],
    }
    if ds.name != "sources" and "source_id" in ds.columns:
        schema["foreignKeys"] = [{"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}}]
    out: dict[str, Any] = {
        "name": ds.name,
        "path": path.relative_to(data_dir).as_posix(),
        "title": ds.name.replace("_", " ").capitalize(),
        "description": ds.row_means,
        "profile": "tabular-data-resource",
    }
    if path.suffix == ".csv":
        out.update(
            format="csv",
            mediatype="text/csv",
            encoding="utf-8",
            dialect={"delimiter": ",", "quoteChar": '"', "header": True},
        )
    else:
        out.update(format="xlsx")
    out["schema"] = schema
    return out


def descriptor(data_dir: Path | None = None) -> dict[str, Any]:
    """The package of the data files in ``data_dir`` (the project's data/ when None)."""
    folder = config.DATA_DIR if data_dir is None else Path(data_dir)
    resources = []
    for ds in DATASETS.values():
        path = loader.dataset_path(folder, ds)
        if path is not None:
            resources.append(resource(ds, path, folder))
    return {
        "name": "digitale-opleidingen-data",
        "title": "Digitale opleidingen – Evolutie: input data",
        "description": (
            "The figures of the written question 'Digitale opleidingen – Evolutie', the minister's answer and public "
            "context, as the reports read them. Generated from src/analysis/data/schemas.py by `python -m analysis "
            "generate`; data/README.md describes the same contract in words (one row per what, the rounding rule, "
            "how to add a period)."
        ),
        "profile": "tabular-data-package",
        "resources": resources,
    }


def render(data_dir: Path | None = None) -> str:
    return json.dumps(descriptor(data_dir), ensure_ascii=False, indent=2) + "\n"


def path() -> Path:
    return config.DATA_DIR / NAME


def current() -> str:
    return path().read_text(encoding="utf-8") if path().exists() else ""


def write() -> None:
    path().write_text(render(), encoding="utf-8")
