"""The data sets as pandas DataFrames, for one's own analysis in JupyterLab.

``analysis.data.frame("contact_actions")`` gives the same validated rows the reports use: one row
per data row, indexed by its row number in the file (so a figure can be found back in the
spreadsheet), with typed columns (whole numbers, booleans, text) and the categories of the data
contract as ordered categoricals, in the contract's order (``training_and_home``,
``training_only``, ``home_only``), so sorting and ``groupby`` follow that order. Nothing is
aggregated or renamed; data/README.md describes every column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis.data import loader
from analysis.data.schemas import DATASETS
from analysis.errors import DataError, Problem


def names() -> list[str]:
    """The data sets one can ask for, as named in data/README.md."""
    return list(DATASETS)


def frame(name: str, data_dir: str | Path = "") -> pd.DataFrame:
    """One data set, validated, as a tidy DataFrame (see the module's docstring).

    >>> frame("contact_actions").pivot_table(index="month", columns="year", values="actions", aggfunc="sum")
    ... # doctest: +SKIP
    """
    if name not in DATASETS:
        raise KeyError(f"no data set {name!r}; known: {', '.join(DATASETS)}")
    raw = loader.load(name, data_dir)
    ds = DATASETS[name]
    if raw is None:
        folder = config.resolve_data_dir(data_dir)
        where = folder / ds.subdir / f"{ds.name}.csv" if ds.subdir else folder / f"{ds.name}.csv"
        raise DataError(where, [Problem(None, None, None, f"this optional extract to exist ({ds.row_means})")])
    out = raw.copy()
    for f in ds.fields:
        if f.kind == "category" and f.allowed and f.name in out:
            out[f.name] = pd.Categorical(out[f.name], categories=list(f.allowed), ordered=True)
    out.attrs = {"dataset": name, "path": raw.attrs.get("path", "")}
    return out
