"""Stage 1 of a build, planning: which reports are up to date, which must run, and the record of both.

A report is fresh when the hash of everything it read (notebook, parameters, library, lock file,
build date, the data files it opened last time) matches the one recorded with its outputs.
The state file is rewritten atomically after every report, so an interrupted build loses nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from analysis import config
from analysis.pipeline import files, printer
from analysis.pipeline.manifest import Job

STATE_NAME = files.STATE_NAME


@dataclass
class Result:
    label: str
    name: str
    lang: str
    output_name: str
    parameters: dict
    status: str  # built | cached | failed
    seconds: float = 0.0
    stages: dict = field(default_factory=dict)
    error: str | None = None
    failed_cell: int | None = None
    key: str | None = None
    deps: list[str] = field(default_factory=list)
    fingerprint: str | None = None
    finished: str | None = None


class State:
    """What is on disk under reports/: written atomically after every report, read by the index."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / STATE_NAME
        try:
            self.data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            self.data = {"reports": {}, "combined": {}}

    def report(self, label: str) -> dict | None:
        return self.data["reports"].get(label)

    def record(self, result: Result) -> None:
        # A failed report has no key, so the next build retries it; the files of the last good
        # build stay on disk, and the index links them as such.
        self.data["reports"][result.label] = asdict(result)
        self.save()

    def save(self) -> None:
        files.atomic_write(self.path, json.dumps(self.data, indent=1, sort_keys=True))

    def detached(self) -> State:
        """A copy to work on in another thread: its ``save`` writes nothing; :meth:`take` brings its parts back."""
        copy = object.__new__(State)
        copy.path, copy.data = self.path, json.loads(json.dumps(self.data))
        copy.save = lambda: None  # type: ignore[method-assign]
        return copy

    def take(self, other: State, keys: list[str]) -> None:
        """Adopt ``keys`` of a detached copy's data, and save."""
        for name in keys:
            if name in other.data:
                self.data[name] = other.data[name]
        self.save()


def static_key(job: Job) -> str:
    return files.sha256_json(
        {
            "notebook": files.sha256_file(job.notebook),
            "parameters": job.parameters,
            "library": files.library_hash(),
            "lock": files.sha256_file(config.PROJECT_DIR / "requirements.lock")
            if (config.PROJECT_DIR / "requirements.lock").exists()
            else "",
            "build_date": os.environ.get(config.BUILD_DATE_ENV, ""),
            "chromium": printer.fingerprint(),
        }
    )


def data_dir_of(job: Job) -> Path:
    return config.resolve_data_dir(job.parameters.get("data_dir"))


def deps_key(job: Job, deps: list[str]) -> str:
    folder = data_dir_of(job)
    contents = {d: (files.sha256_file(Path(d)) if Path(d).exists() else "missing") for d in deps}
    return files.sha256_json({"listing": files.listing(folder), "deps": contents})


def fingerprint(deps: list[str]) -> str:
    return files.sha256_json({Path(d).name: files.sha256_file(Path(d)) for d in deps if Path(d).exists()})[:12]


def outputs(out_dir: Path, job: Job) -> dict[str, Path]:
    base = out_dir / job.lang / job.output_name
    return {"ipynb": base.with_suffix(".ipynb"), "html": base.with_suffix(".html"), "pdf": base.with_suffix(".pdf")}


def report_key(job: Job, deps: list[str]) -> str:
    return files.sha256_json([static_key(job), deps_key(job, deps)])


def is_fresh(state: State, out_dir: Path, job: Job, pdf: bool) -> bool:
    entry = state.report(job.label)
    if not entry or not entry.get("key"):
        return False
    paths = outputs(out_dir, job)
    wanted = [paths["ipynb"], paths["html"]] + ([paths["pdf"]] if pdf else [])
    return entry["key"] == report_key(job, entry.get("deps", [])) and all(p.exists() for p in wanted)


def plan(jobs: list[Job], state: State, out_dir: Path, force: bool, pdf: bool, log) -> tuple[list[Job], dict[str, Result]]:
    """Split the jobs into those to run and the results of those already up to date (the data are checked by :func:`check_data`)."""
    todo, cached = [], {}
    for job in jobs:
        if not force and is_fresh(state, out_dir, job, pdf):
            entry = state.report(job.label)
            assert entry is not None  # is_fresh found it
            cached[job.label] = Result(
                job.label,
                job.name,
                job.lang,
                job.output_name,
                job.parameters,
                "cached",
                key=entry["key"],
                deps=entry["deps"],
                fingerprint=entry.get("fingerprint"),
                finished=entry.get("finished"),
            )
            log(f"  {job.label:<24} up to date")
        else:
            todo.append(job)
    return todo, cached


def data_dirs(todo: list[Job]) -> list[str]:
    """The data folders the jobs read, each once."""
    return sorted({str(data_dir_of(j)) for j in todo})


def check_data(todo: list[Job]) -> None:
    """Validate the data the jobs read: bad data stops the build before anything is written.

    Only when something is to be built: an up-to-date build read the same data files last time.
    """
    from analysis.data import loader

    for folder in data_dirs(todo):
        loader.load_all(folder)
