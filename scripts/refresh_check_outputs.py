"""Store the expected outputs of the `# NBVAL_CHECK_OUTPUT` cells, and nothing else, in each notebook.

Run after a deliberate change of a key figure (all notebooks, or the ones named):
    .venv/bin/python scripts/refresh_check_outputs.py [notebooks/q5_contact_vs_online.ipynb ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis import config
from analysis.pipeline.scaffold import refresh_check_outputs

if __name__ == "__main__":
    targets = [Path(p).resolve() for p in sys.argv[1:]] or sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
    for target in targets:
        refresh_check_outputs(target)
        print(f"refreshed {target.relative_to(config.PROJECT_DIR)}")
