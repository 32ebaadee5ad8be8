"""Store the expected outputs of the `# NBVAL_CHECK_OUTPUT` cells, and nothing else, in each notebook.

Notebooks are kept without outputs, except these few cells whose printed key figures
`pytest --nbval-lax` compares on every test run. Run after a deliberate change of a key figure:
    .venv/bin/python scripts/refresh_check_outputs.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import papermill

ROOT = Path(__file__).resolve().parents[1]
MARK = "# NBVAL_CHECK_OUTPUT"


def refresh(path: Path) -> None:
    executed = papermill.execute_notebook(str(path), None, kernel_name="python3", cwd=str(path.parent), progress_bar=False)
    expected = {c.source: c.outputs for c in executed.cells if c.cell_type == "code" and c.source.startswith(MARK)}
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        check = cell.source.startswith(MARK)
        # nbval skips a cell whose outputs have no execution count ("unrun"), so check cells keep one.
        cell.execution_count = 1 if check else None
        cell.outputs = expected.get(cell.source, []) if check else []
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = 1
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    nb.metadata.pop("papermill", None)
    nbformat.write(nb, path)


if __name__ == "__main__":
    targets = [Path(p).resolve() for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for target in targets:
        refresh(target)
        print(f"refreshed {target.resolve().relative_to(ROOT)}")
