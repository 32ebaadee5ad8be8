#!/usr/bin/env python3
"""Pre-commit check: notebooks are stored without outputs, except the `# NBVAL_CHECK_OUTPUT` cells.

Usage: scripts/check_notebooks.py notebooks/*.ipynb   (exit 1 and one line per offending cell)
Stored outputs leak old figures into diffs and code hosts; only the key-figure cells that nbval
compares keep theirs. Plain JSON reading, so the hook needs nothing beyond Python.
"""

from __future__ import annotations

import json
import sys

MARK = "# NBVAL_CHECK_OUTPUT"


def problems(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        nb = json.load(fh)
    found = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        if source.startswith(MARK):
            if not cell.get("outputs"):
                found.append(f"{path}: cell {index} is a {MARK} cell without its expected output")
        elif cell.get("outputs") or cell.get("execution_count") is not None:
            found.append(f"{path}: cell {index} has stored outputs (clear them: only {MARK} cells keep theirs)")
    return found


def main(paths: list[str]) -> int:
    found = [p for path in paths for p in problems(path)]
    if found:
        print("\n".join(found))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
