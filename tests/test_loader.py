"""The loader reads every data file, and the official figures add up where the source says they do."""

from __future__ import annotations

import pytest

from analysis.data import loader
from analysis.data.schemas import DATASETS
from analysis.errors import DataError
from tests.helpers import write_xlsx


@pytest.fixture(scope="module")
def bundle():
    return loader.load_all()


def test_every_required_file_loads(bundle):
    for name, ds in DATASETS.items():
        frame = bundle[name]
        if ds.optional:
            assert frame is None, f"{name} is optional and absent from data/"
        else:
            assert frame is not None and len(frame) > 0
            assert list(frame.columns) == ds.columns


def test_official_figures_of_question_1(bundle):
    frame = bundle["online_enrolments"].set_index("channel")
    assert frame.loc["vdab_platform", "enrolments"] == 62297
    assert frame.loc["partner_platform", "enrolments"] == 1258


def test_contact_table_rows_add_up_to_published_totals(bundle):
    contact = bundle["contact_actions"]
    derived = bundle["published_derived"].set_index("derived_id")
    for year in (2020, 2021):
        for month in (1, 2):
            total = contact[(contact.year == year) & (contact.month == month)].actions.sum()
            assert total == derived.loc[f"PD-CA-{year}-{month:02d}-T", "value"]


def test_temporary_unemployment_split_adds_up(bundle):
    assert (
        bundle["online_actions"].actions.sum()
        == 14344
        == bundle["published_derived"].set_index("derived_id").loc["PD-OA-2021-01-02-T", "value"]
    )


def test_every_row_points_to_a_described_source(bundle):
    sources = set(bundle["sources"].source_id)
    for name, frame in bundle.frames.items():
        if frame is not None and "source_id" in frame and name != "sources":
            assert set(frame.source_id) <= sources, name


def test_files_read_are_recorded_for_the_cache():
    loader.FILES_READ.clear()
    loader.load("contact_actions")
    assert any(p.endswith("contact_actions.csv") for p in loader.FILES_READ)


def test_dutch_excel_csv_is_read_with_thousands_and_decimal_marks(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_bytes(
        "\ufeffclaim_id;period_start;period_end;measure;qualifier;value;unit;stated_by;quote;source_id;locator\r\n"
        "A;2021-01;2021-02;online_trainings;almost;63.000;trainings;minister;bijna 63.000;wq-question;x\r\n"
        'B;2021-01;2021-02;online_trainings_ratio_to_previous_year;more_than;2,5;ratio;question_author;q;wq-question;"a; b"\r\n'.encode(
            "utf-8"
        )
    )
    frame = loader.read_dataset(path, DATASETS["claims"])
    assert frame.value.tolist() == [63000.0, 2.5]
    assert frame.locator.tolist() == ["x", "a; b"]


def test_xlsx_is_read(tmp_path):
    path = write_xlsx(
        tmp_path / "online_enrolments.xlsx",
        [
            DATASETS["online_enrolments"].columns,
            ["X1", "2021-01", "2021-02", "vdab_platform", "all_users", 62297, "wq-answer", "Antwoord 1a"],
        ],
    )
    frame = loader.read_dataset(path, DATASETS["online_enrolments"])
    assert frame.enrolments.tolist() == [62297]
    assert frame.enrolments.dtype == "int64"


def test_a_missing_required_file_names_it(tmp_path):
    (tmp_path / "sources.csv").write_text(
        "source_id,publisher,title,date,url,note_nl,note_en,kind,author_nl,author_en,date_basis\nx,a,b,c,d,,,press,,,stated\n"
    )
    with pytest.raises(DataError) as err:
        loader.load_all(tmp_path)
    assert "online_enrolments.csv" in str(err.value) and "to exist" in str(err.value)


def test_a_missing_folder_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="a folder with the data files"):
        loader.load_all(tmp_path / "nowhere")


def test_a_data_file_linked_from_outside_the_folder_is_refused_without_showing_the_target(tmp_path):
    import shutil

    from analysis import config
    from analysis.data import loader
    from analysis.errors import DataError

    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2\n", encoding="utf-8")
    (data / "claims.csv").unlink()
    (data / "claims.csv").symlink_to(secret)
    with pytest.raises(DataError) as caught:
        loader.load("claims", data)
    message = str(caught.value)
    assert "claims.csv" in message and "not a link to a file elsewhere" in message
    assert "hunter2" not in message and "secret" not in message
    inside = data / "extracts"
    inside.mkdir(exist_ok=True)
    (data / "claims.csv").unlink()
    shutil.copy2(config.DATA_DIR / "claims.csv", inside / "real_claims.csv")
    (data / "claims.csv").symlink_to(inside / "real_claims.csv")  # a link within the folder is fine
    assert loader.load("claims", data) is not None


def test_preloaded_frames_are_copies_of_unchanged_files_and_count_as_read_only_when_asked(tmp_path, monkeypatch):
    """What the kernel fork server validates once: a kernel gets its own copy while the bytes are the same."""
    import shutil

    from analysis import config

    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    monkeypatch.setattr(loader, "_PRELOADED", {})
    loader.FILES_READ.clear()
    loader.preload(data)
    assert not loader.FILES_READ, "preloading reads on no report's behalf"
    assert str((data / "online_enrolments.csv").resolve()) in loader._PRELOADED

    first = loader.load("online_enrolments", data)
    assert {str((data / "online_enrolments.csv").resolve())} == loader.FILES_READ
    first.loc[first.index[0], "enrolments"] = -1  # what a notebook does to its frame stays with it
    again = loader.load("online_enrolments", data)
    kept = loader._PRELOADED.pop(str((data / "online_enrolments.csv").resolve()))
    fresh = loader.load("online_enrolments", data)  # read and validated as without the fork server
    assert again.equals(fresh) and again.attrs == fresh.attrs and -1 not in again.enrolments.tolist()
    loader._PRELOADED[str((data / "online_enrolments.csv").resolve())] = kept

    path = data / "online_enrolments.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("62297", "62298"), encoding="utf-8")
    changed = loader.load("online_enrolments", data)
    assert 62298 in changed.enrolments.tolist() and 62297 not in changed.enrolments.tolist()

    path.write_text(path.read_text(encoding="utf-8").replace("62298", "x62298"), encoding="utf-8")
    with pytest.raises(DataError):  # a file changed into bad data is validated again, not taken from the kept frame
        loader.load("online_enrolments", data)


def test_preloading_bad_data_keeps_the_good_files_and_raises_nothing(tmp_path, monkeypatch):
    import shutil

    from analysis import config

    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    path = data / "online_enrolments.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("62297", "x"), encoding="utf-8")
    monkeypatch.setattr(loader, "_PRELOADED", {})
    loader.preload(data)  # the build reports bad data itself
    assert str(path.resolve()) not in loader._PRELOADED
    assert not loader.FILES_READ


def test_a_data_error_found_by_the_fork_server_is_raised_by_the_build_word_for_word(tmp_path, monkeypatch):
    import shutil

    from analysis import config

    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    path = data / "online_enrolments.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("62297", "62x97").replace("1258", "-4"), encoding="utf-8")
    with pytest.raises(DataError) as raised:
        loader.load_all(data)
    from analysis.report import frame

    monkeypatch.setattr(loader, "_PRELOADED", {})
    found = frame.prepare([str(data)])["data_errors"][str(data)]
    again = DataError.from_json(found)
    assert str(again) == str(raised.value) and again.path == raised.value.path and again.exit_status == 3
