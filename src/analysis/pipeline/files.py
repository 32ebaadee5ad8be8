"""Writing outputs safely and fingerprinting inputs.

Every output is written to a temporary file in the same folder and renamed into place, so a
reader (or an interrupted build) only ever sees the old file or the complete new one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

from analysis import config

TMP_MARK = ".tmp-"
#: The build state of an output folder (analysis.pipeline.plan.State).
STATE_NAME = ".build-state.json"


def atomic_write(path: Path, data: bytes | str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def temp_path(path: Path) -> Path:
    """A unique temporary name next to ``path``, for tools that write files themselves."""
    path = Path(path)
    # Keep the suffix: Chromium decides how to show a file:// page by its extension.
    fd, tmp = tempfile.mkstemp(prefix=path.stem + TMP_MARK, suffix=path.suffix, dir=path.parent)
    os.fchmod(fd, 0o644)  # mkstemp creates 0600; reports are meant to be shared
    os.close(fd)
    return Path(tmp)


def remove_temp_files(folder: Path) -> int:
    """Clear leftovers of an interrupted build."""
    count = 0
    if Path(folder).exists():
        for p in Path(folder).rglob(f"*{TMP_MARK}*"):
            p.unlink(missing_ok=True)
            count += 1
    return count


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_file_hash_cache: dict[tuple[str, int, int], str] = {}


def sha256_file(path: Path) -> str:
    st = os.stat(path)
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _file_hash_cache:
        _file_hash_cache[key] = sha256_bytes(Path(path).read_bytes())
    return _file_hash_cache[key]


def sha256_json(value) -> str:
    return sha256_bytes(json.dumps(value, sort_keys=True, default=str).encode())


def tree_hash(folder: Path, pattern: str = "*") -> str:
    """Content hash of every file under ``folder`` (names and bytes)."""
    h = hashlib.sha256()
    for p in sorted(Path(folder).rglob(pattern)):
        if p.is_file() and "__pycache__" not in p.parts and TMP_MARK not in p.name:
            h.update(str(p.relative_to(folder)).encode())
            h.update(sha256_file(p).encode())
    return h.hexdigest()


@functools.cache
def library_hash() -> str:
    """The analysis package and its templates and messages: any change rebuilds every report.

    Computed once per process: a build asks for it for every report.
    """
    return tree_hash(config.PACKAGE_DIR)


def listing(folder: Path) -> list[str]:
    """Names of the data files present, so that a newly added extract invalidates the cache."""
    if not Path(folder).exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*") if p.is_file() and TMP_MARK not in p.name)
