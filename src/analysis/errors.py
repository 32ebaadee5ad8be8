"""Errors a user can act on: each names the file, the row, the column, the value and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Exit statuses of the command line, one per class of failure, so scripts can tell them apart.
EXIT_DATA_ERROR = 3
EXIT_CONFIG_ERROR = 4
EXIT_ENVIRONMENT_ERROR = 5
EXIT_BUILD_FAILED = 1
EXIT_INTERRUPTED = 130


class UserFacingError(Exception):
    """An error whose message is enough on its own: the command line prints it without a traceback."""

    exit_status = EXIT_CONFIG_ERROR


@dataclass(frozen=True)
class Problem:
    """One bad cell (or row, or file) of a data file."""

    row: int | None  # spreadsheet row number: the header is row 1; None for the whole file
    column: str | None
    value: object
    expected: str

    def describe(self, path: Path | str) -> str:
        where = [str(path)]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        value = "" if self.value is None else f": value {str(self.value)!r}"
        return f"{', '.join(where)}{value}: expected {self.expected}"


class DataError(UserFacingError, ValueError):
    """A data file cannot be read as its contract in data/README.md describes."""

    exit_status = EXIT_DATA_ERROR
    max_listed = 12

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = Path(path)
        self.problems = list(problems)
        lines = [p.describe(self.path) for p in self.problems[: self.max_listed]]
        more = len(self.problems) - self.max_listed
        if more > 0:
            lines.append(f"... and {more} more problem(s) in {self.path}")
        super().__init__("\n".join(lines))

    @property
    def first(self) -> Problem:
        return self.problems[0]

    def to_json(self) -> dict:
        """The error as JSON, for another process to raise (:meth:`from_json`) with the same message."""
        return {
            "path": str(self.path),
            "problems": [[p.row, p.column, None if p.value is None else str(p.value), p.expected] for p in self.problems],
        }

    @classmethod
    def from_json(cls, data: dict) -> DataError:
        return cls(data["path"], [Problem(*p) for p in data["problems"]])


class ConfigError(UserFacingError):
    """A bad manifest, parameter or command-line option."""

    exit_status = EXIT_CONFIG_ERROR


class EnvironmentProblem(UserFacingError):
    """Something missing on the machine (Chromium, the kernel) with the command that fixes it."""

    exit_status = EXIT_ENVIRONMENT_ERROR
