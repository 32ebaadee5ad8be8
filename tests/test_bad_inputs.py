"""The bad-input corpus (tests/bad_inputs): every case is read correctly or refused with a precise message.

Each case overlays one file on a copy of data/; cases.yml states the exact outcome.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from analysis.data import loader
from analysis.data.schemas import DATASETS
from analysis.errors import DataError

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yml").read_text(encoding="utf-8"))


def test_corpus_has_at_least_25_cases():
    assert len(CASES) >= 25
    assert all((CORPUS / c["case"] / c["file"]).exists() for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_bad_input(case, data_dir: Path):
    target = data_dir / case["file"]
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(CORPUS / case["case"] / case["file"], target)
    for name in case["expect"].get("remove", []):
        (data_dir / name).unlink()
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(DataError) as info:
            loader.load_all(data_dir)
        err = info.value
        first = err.first
        wanted = expect["error"]
        message = str(err)
        assert Path(err.path).stem == Path(case["file"]).stem, message
        assert str(Path(err.path)) in message.splitlines()[0]
        assert first.row == wanted["row"], message
        assert first.column == wanted["column"], message
        assert wanted["contains"] in first.expected or wanted["contains"] in message, message
        if "value" in wanted:
            assert str(wanted["value"]) in str(first.value), message
    else:
        bundle = loader.load_all(data_dir)
        name = Path(case["file"]).stem
        frame = bundle[name]
        values = expect["values"]
        column = frame[values["column"]].tolist()
        if "equals" in values:
            assert column == values["equals"]
        if "first" in values:
            assert column[0] == values["first"]
        for v in values.get("contains", []):
            assert v in column


def test_every_problem_message_names_file_row_column_value_and_expectation(data_dir: Path):
    (data_dir / "contact_actions.csv").write_text(
        (data_dir / "contact_actions.csv").read_text().replace(",973,", ",negen,"), encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        loader.load_all(data_dir)
    line = str(info.value).splitlines()[0]
    assert line == (
        f"{data_dir / 'contact_actions.csv'}, row 2, column 'actions': value 'negen': expected a whole number (a count): a number"
    )


def test_all_problems_of_a_file_are_listed(data_dir: Path):
    text = (data_dir / "contact_actions.csv").read_text()
    text = text.replace(",973,", ",-1,").replace(",3267,", ",x,")
    (data_dir / "contact_actions.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        loader.load_all(data_dir)
    assert [p.row for p in info.value.problems] == [3]  # type errors are reported first, all of them
    text = text.replace(",x,", ",5,")
    (data_dir / "contact_actions.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        loader.load_all(data_dir)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "actions")]


def test_schema_columns_match_corpus_datasets():
    for case in CASES:
        assert Path(case["file"]).stem in DATASETS
