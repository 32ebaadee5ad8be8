"""The data sets as DataFrames for one's own analysis: typed, in the contract's category order, short to print."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis.data
from analysis.data import loader
from analysis.data.schemas import DATASETS
from analysis.errors import DataError


@pytest.mark.parametrize("name", [n for n, ds in DATASETS.items() if not ds.optional])
def test_every_required_data_set_is_a_typed_frame_with_ordered_categories(name):
    frame = analysis.data.frame(name)
    ds = DATASETS[name]
    assert list(frame.columns) == ds.columns
    assert frame.index.name == "row" and len(frame) > 0
    for field in ds.fields:
        column = frame[field.name]
        if field.kind == "category":
            assert isinstance(column.dtype, pd.CategoricalDtype) and column.cat.ordered
            assert list(column.cat.categories) == list(field.allowed)
        elif field.kind in ("count", "year", "month") and not field.nullable:
            assert pd.api.types.is_integer_dtype(column), (name, field.name, column.dtype)


def test_the_frame_holds_the_same_rows_as_the_reports_read():
    frame = analysis.data.frame("contact_actions")
    raw = loader.load("contact_actions")
    assert frame["actions"].tolist() == raw["actions"].tolist()
    assert frame.sort_values("hours_type")["hours_type"].iloc[0] == "training_and_home"  # contract order, not alphabetical


def test_unknown_and_absent_data_sets_say_what_exists():
    with pytest.raises(KeyError, match="known: sources"):
        analysis.data.frame("contact_action")
    with pytest.raises(DataError, match="courses.csv"):
        analysis.data.frame("courses")
    assert analysis.data.names() == list(DATASETS)


def test_a_bundle_prints_as_one_line_per_data_set():
    text = repr(loader.load_all())
    assert text.count("\n") <= len(DATASETS) + 2
    assert "contact_actions: 12 rows × 9 columns" in text and "courses: absent (optional)" in text
