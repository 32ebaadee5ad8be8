"""Official builds run the notebooks as committed, never a JupyterLab session's leftovers.

Exploring a question notebook (edit the parameters cell, add scratch cells, Run All) and saving it,
or letting JupyterLab autosave it, writes that session into the tracked file. Two guards keep the
official reports out of its reach. The runner injects every parameter of a registered question
(its defaults, then reports.yml, then -p), so an edited parameters cell changes nothing. And before
anything runs, a registered question's notebook that differs from its committed form (stored
outputs, an edited parameters cell, changed or added cells) stops the build with what to do:
explore in a copy (``make lab`` opens ``work/``), commit the change, or pass ``--allow-modified``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from analysis import config, registry
from analysis.errors import ConfigError

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def problems(question: registry.Question) -> list[str]:
    """What a JupyterLab session left in a question's notebook, read from the file alone (no git needed)."""
    cells = json.loads(question.notebook.read_text(encoding="utf-8")).get("cells", [])
    found = []
    source = ["".join(c.get("source", "")) for c in cells]
    outputs = [
        i
        for i, c in enumerate(cells)
        if c.get("cell_type") == "code" and c.get("outputs") and not source[i].startswith(CHECK_MARK)
    ]
    if outputs:
        found.append(f"outputs stored in {len(outputs)} cell(s)")
    params = next((s for c, s in zip(cells, source, strict=True) if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if params is not None and params != question.cell_source():
        found.append("its parameters cell was edited")
    return found


def _modified_in_git(paths: list[Path]) -> set[Path]:
    """Tracked notebooks whose content differs from the last commit; empty outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", *(str(p) for p in paths)],
            cwd=config.PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return set()
    if result.returncode != 0:
        return set()
    return {(config.PROJECT_DIR / line[3:].strip()).resolve() for line in result.stdout.splitlines() if line[:2].strip()}


def check(notebooks: list[Path], allow_modified: bool = False) -> list[str]:
    """Refuse (ConfigError, exit 4) or, with ``allow_modified``, return warnings for changed question notebooks."""
    questions = {q.notebook.resolve(): q for q in registry.QUESTIONS}
    ours = sorted({p.resolve() for p in notebooks} & set(questions))
    if not ours:
        return []
    modified = _modified_in_git(ours)
    lines = []
    for path in ours:
        found = problems(questions[path])
        if path in modified:
            found.append("it differs from its committed version")
        if found:
            lines.append(f"{path.relative_to(config.PROJECT_DIR)}: {'; '.join(found)}")
    if not lines:
        return []
    if allow_modified:
        return [f"warning: building a changed notebook (--allow-modified): {line}" for line in lines]
    raise ConfigError(
        "the official reports are built from the notebooks as committed, and these were changed "
        "(by a JupyterLab session?):\n  "
        + "\n  ".join(lines)
        + "\nTo explore, work in a copy: `make lab` opens work/, copies of the notebooks that the build never reads. "
        "To undo a session's changes: git checkout -- <notebook>. To keep a change on purpose: commit it, "
        "or build it as it is with --allow-modified."
    )
