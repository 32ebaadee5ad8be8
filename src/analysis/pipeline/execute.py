"""Stage 2 of a build, executing: one notebook, parameterised as papermill does, run in a fresh kernel.

papermill's parameterisation is used as is, so a report built here and a plain papermill run of
the same notebook see the same parameters cell; nbclient executes it in a kernel of the pool.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import config
from analysis.pipeline import files
from analysis.pipeline.kernels import KernelPool
from analysis.pipeline.manifest import Job
from analysis.report import narrative

#: Asked of the kernel after the notebook ran: which data files did the report read?
DEPS_CODE = "import json as _j, analysis.data.loader as _l\nprint(_j.dumps(sorted(_l.FILES_READ)))\ndel _j, _l\n"


@dataclass
class Execution:
    """An executed notebook and the data files it read, or the reason it did not run through."""

    nb: Any = None  # the notebook (an nbformat NotebookNode)
    deps: list[str] = field(default_factory=list)
    error: str | None = None
    failed_cell: int | None = None
    stages: dict[str, float] = field(default_factory=dict)


def parameterize(job: Job):
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(job.notebook))  # adds the metadata papermill expects
    nb = parameterize_notebook(nb, job.parameters, report_mode=False)
    # Executed notebooks must be byte-identical between builds: papermill gives the injected cell a
    # random id and records input/output paths; cells get empty papermill metadata. Keep only the
    # parameters. (nbclient runs with record_timing=False, so it adds no timestamps.)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    nb.metadata["papermill"] = {"parameters": nb.metadata["papermill"]["parameters"]}
    return nb


def failed_cell(nb) -> tuple[int | None, str | None]:
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index, f"{output.get('ename')}: {output.get('evalue')}"
    return None, None


async def execute(job: Job, pool: KernelPool, timeout: float, failed_path: Path) -> Execution:
    """Run the job's notebook; on failure keep the executed notebook at ``failed_path`` for the reader."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    run = Execution(nb=parameterize(job))
    t = time.perf_counter()
    try:
        km, kc, warm = await pool.get()
    except Exception as exc:
        run.error = f"the kernel did not start: {exc.__class__.__name__}: {exc}"
        return run
    run.stages["kernel_wait"] = time.perf_counter() - t
    run.stages["kernel_start"] = warm
    try:
        client = NotebookClient(
            run.nb,
            km=km,
            timeout=timeout,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": str(config.NOTEBOOKS_DIR)}},
        )
        client.kc = kc
        t = time.perf_counter()
        try:
            await client.async_execute()
        except CellTimeoutError as exc:
            run.failed_cell, _ = failed_cell(run.nb)
            run.error = f"a cell ran longer than the timeout of {timeout:g} s and was stopped ({str(exc).splitlines()[0]})"
        except DeadKernelError as exc:
            run.error = f"the kernel died while running the notebook: {exc}"
        except CellExecutionError as exc:
            run.failed_cell, message = failed_cell(run.nb)
            run.error = f"cell {run.failed_cell}: {message or str(exc).splitlines()[-1]}"
        run.stages["execute"] = time.perf_counter() - t
        if run.error is not None:
            files.atomic_write(failed_path, nbformat.writes(run.nb))
            run.error += f" (executed notebook kept at {failed_path})"
            return run
        lines: list[str] = []

        def collect(msg):
            if msg["msg_type"] == "stream":
                lines.append(msg["content"]["text"])

        await kc.execute_interactive(DEPS_CODE, store_history=False, timeout=30, output_hook=collect)
        run.deps = json.loads("".join(lines) or "[]")
        problems = narrative.check_notebook(run.nb)  # every text, read back against the ledger of the executed notebook
        if problems:
            run.error = "; ".join(problems)
            files.atomic_write(failed_path, nbformat.writes(run.nb))
            run.error += f" (executed notebook kept at {failed_path})"
    finally:
        pool.release(km, kc)  # shut down in the background; the build waits for it before it ends
    return run
