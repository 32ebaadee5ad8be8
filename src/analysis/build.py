"""The batch build: every report of the manifest to executed notebook, HTML and PDF, in one process.

Why one process: each separate papermill or nbconvert command pays seconds of imports, and a
fresh Chromium per PDF pays its start-up. Here the imports are paid once, one Chromium prints
every PDF, and kernels are forked from a server that imported pandas, seaborn and the analysis
library once (analysis.zygote), ahead of need while other reports run. Each report still gets a
kernel process of its own that exits afterwards, so no state passes between reports. Reports
run in parallel, bounded by the number of cores, and a content-hash cache skips reports whose
inputs did not change.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

# jsonschema (pulled in by nbformat) imports rfc3987_syntax when it is installed, which builds a
# grammar at import time (~0.7 s). The build never validates URI formats, so keep it out.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from . import config, files  # noqa: E402

from .manifest import Job, Manifest  # noqa: E402

STATE_NAME = ".build-state.json"
WARM_MODULES = (
    "pandas", "numpy", "matplotlib", "matplotlib.pyplot", "seaborn", "pandera.pandas", "babel.numbers", "babel.dates",
    "analysis.report", "analysis.online", "analysis.contact", "analysis.factcheck", "analysis.context",
    "analysis.labour", "analysis.courses_report", "analysis.profile_report",
)
WARM_CODE = (
    "import importlib as _il\n"
    f"for _m in {list(WARM_MODULES)!r}:\n    _il.import_module(_m)\n"
    "del _il, _m\n"
)
#: Kernel options for batch runs: no input history database, no TCP-encryption warning noise.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
DEPS_CODE = "import json as _j, analysis.loader as _l\nprint(_j.dumps(sorted(_l.FILES_READ)))\ndel _j, _l\n"


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


# ------------------------------------------------------------------------------------------ state
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


# ------------------------------------------------------------------------------------------ cache
def static_key(job: Job) -> str:
    return files.sha256_json({
        "notebook": files.sha256_file(job.notebook),
        "parameters": job.parameters,
        "library": files.library_hash(),
        "lock": files.sha256_file(config.PROJECT_DIR / "requirements.lock") if (config.PROJECT_DIR / "requirements.lock").exists() else "",
        "build_date": os.environ.get(config.BUILD_DATE_ENV, ""),
    })


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


# ------------------------------------------------------------------------------------------ kernels
class Zygote:
    """The kernel fork server (analysis.zygote) for one build; None of it when it cannot start."""

    def __init__(self):
        self.proc = None
        self.path = None
        self.ready: asyncio.Task | None = None

    def start(self) -> None:
        from . import zygote

        if not zygote.enabled():
            return
        import tempfile

        self.path = os.path.join(tempfile.mkdtemp(prefix="analysis-zygote-"), "kernels.sock")
        self.ready = asyncio.ensure_future(self._start())

    async def _start(self) -> bool:
        from . import zygote

        env = {**os.environ, **zygote.SINGLE_THREADED, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "analysis.zygote", "serve", self.path, ",".join(WARM_MODULES),
            stdout=asyncio.subprocess.PIPE, env=env, cwd=str(config.NOTEBOOKS_DIR))
        try:
            line = await asyncio.wait_for(self.proc.stdout.readline(), 60)
        except asyncio.TimeoutError:
            line = b""
        if line.strip() != b"ready":
            await self.stop()
            return False
        return True

    async def usable(self) -> bool:
        return self.ready is not None and await asyncio.shield(self.ready)

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except asyncio.TimeoutError:
                self.proc.kill()
        if self.path:
            import shutil

            shutil.rmtree(os.path.dirname(self.path), ignore_errors=True)


def _zygote_kernel_manager(path: str):
    from jupyter_client.manager import AsyncKernelManager

    class ZygoteKernelManager(AsyncKernelManager):
        """Launches `python -m analysis.zygote attach`, which has the fork server fork the kernel."""

        def format_kernel_cmd(self, extra_arguments=None):
            return [sys.executable, "-m", "analysis.zygote", "attach", path, self.connection_file, *(extra_arguments or [])]

    return ZygoteKernelManager(kernel_name="python3")


class KernelPool:
    """Kernels started and warmed ahead of need; each one serves exactly one report."""

    def __init__(self, size: int, needed: int, startup_timeout: float = 60, zygote: Zygote | None = None):
        self.size = size
        self.needed = needed
        self.started = 0
        self.tasks: list[asyncio.Task] = []
        self.timeout = startup_timeout
        self.zygote = zygote
        for _ in range(min(size, needed)):
            self._spawn()

    def _spawn(self) -> None:
        self.started += 1
        self.tasks.append(asyncio.ensure_future(self._start()))

    async def _start(self):
        from jupyter_client.manager import AsyncKernelManager

        if self.zygote is not None and await self.zygote.usable():
            km = _zygote_kernel_manager(self.zygote.path)
        else:
            km = AsyncKernelManager(kernel_name="python3")
        env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "MPLBACKEND": "Agg"}
        t0 = time.perf_counter()
        await km.start_kernel(cwd=str(config.NOTEBOOKS_DIR), env=env, extra_arguments=KERNEL_ARGS)
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=self.timeout)
            reply = await kc.execute_interactive(WARM_CODE, store_history=False, timeout=self.timeout, output_hook=lambda m: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"kernel warm-up failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
        except BaseException:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
            raise
        return km, kc, time.perf_counter() - t0

    async def get(self):
        task = self.tasks.pop(0)
        if self.started < self.needed:
            self._spawn()
        return await task

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            try:
                km, kc, _ = await task
            except BaseException:
                continue
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
        self.tasks.clear()


async def stop_kernel(km, kc) -> None:
    try:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
    except Exception:
        pass


# ------------------------------------------------------------------------------------------ build
def _parameterize(job: Job):
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


def _failed_cell(nb) -> tuple[int | None, str | None]:
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index, f"{output.get('ename')}: {output.get('evalue')}"
    return None, None


class Builder:
    def __init__(self, out_dir: Path, workers: int | None = None, timeout: float = 300, force: bool = False,
                 pdf: bool = True, log: Callable[[str], None] = print):
        self.out_dir = Path(out_dir)
        self.workers = max(1, workers or min(os.cpu_count() or 1, 4))
        self.timeout = timeout
        self.force = force
        self.pdf = pdf
        self.log = log
        self._exporter = None
        self._export_lock = asyncio.Lock()
        self.printer = None
        self.stopping = False  # set by the first Ctrl-C / SIGTERM: finish running reports, start no new one

    def request_stop(self, hard) -> None:
        if self.stopping:
            self.log("stopping now")
            hard()
            return
        self.stopping = True
        self.log("stopping: the reports already running finish, no new one starts (signal again to stop at once)")

    def exporter(self):
        if self._exporter is None:
            from .exporters import ReportHTMLExporter

            self._exporter = ReportHTMLExporter()
        return self._exporter

    async def export_html(self, nb) -> tuple[str, str]:
        async with self._export_lock:
            body, resources = await asyncio.to_thread(self.exporter().from_notebook_node, nb)
        return body, resources["report_title"]

    async def build(self, jobs: list[Job], manifest: Manifest | None = None) -> list[Result]:
        removed = files.remove_temp_files(self.out_dir)
        if removed:
            self.log(f"removed {removed} temporary file(s) left by an interrupted build")
        state = State(self.out_dir)
        todo, results = [], {}
        for job in jobs:
            if not self.force and is_fresh(state, self.out_dir, job, self.pdf):
                entry = state.report(job.label)
                results[job.label] = Result(job.label, job.name, job.lang, job.output_name, job.parameters, "cached",
                                            0.0, {}, key=entry["key"], deps=entry["deps"], fingerprint=entry.get("fingerprint"),
                                            finished=entry.get("finished"))
                self.log(f"  {job.label:<24} up to date")
            else:
                todo.append(job)
        if todo:
            # Bad data stops the build before anything is written. Only when something is to be
            # built: an up-to-date build read the same data files last time.
            from . import loader

            for folder in sorted({str(data_dir_of(j)) for j in todo}):
                loader.load_all(folder)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        if todo:
            total = len(todo)
            zygote = Zygote()
            zygote.start()
            pool = KernelPool(self.workers, total, zygote=zygote)
            semaphore = asyncio.Semaphore(self.workers)
            from .browser import Printer

            printer_cm = Printer() if self.pdf else None
            try:
                if printer_cm is not None:
                    self.printer = await printer_cm.__aenter__()

                async def one(i: int, job: Job) -> None:
                    async with semaphore:
                        if self.stopping:
                            return
                        self.log(f"[{i:>2}/{total}] {job.label:<24} started")
                        result = await self.build_one(job, pool)
                        state.record(result)
                        results[job.label] = result
                        stages = ", ".join(f"{k} {v:.2f}" for k, v in result.stages.items())
                        extra = f" ({stages})" if stages else ""
                        if result.status == "failed":
                            extra = f"\n      {result.error}"
                        self.log(f"[{i:>2}/{total}] {job.label:<24} {result.status} in {result.seconds:.1f} s{extra}")

                await asyncio.gather(*(one(i + 1, job) for i, job in enumerate(todo)))
            except asyncio.CancelledError:
                from . import index

                index.write(self.out_dir, state, manifest)  # consistent with what is on disk
                raise
            finally:
                await pool.close()
                await zygote.stop()
                if printer_cm is not None:
                    await printer_cm.__aexit__(None, None, None)
                    self.printer = None
        ordered = [results[j.label] for j in jobs if j.label in results]
        if self.stopping:
            from . import index

            index.write(self.out_dir, state, manifest)
            raise KeyboardInterrupt
        if manifest is not None:
            from . import combined

            await combined.build_all(self, manifest, state)
        from . import index

        index.write(self.out_dir, state, manifest)
        wall = time.perf_counter() - t0
        built = sum(r.status == "built" for r in ordered)
        cached = sum(r.status == "cached" for r in ordered)
        failed = [r for r in ordered if r.status == "failed"]
        self.log(f"done: {built} built, {cached} up to date, {len(failed)} failed, {wall:.1f} s"
                 + (f"; failed: {', '.join(r.label for r in failed)}" if failed else ""))
        return ordered

    async def build_one(self, job: Job, pool: KernelPool) -> Result:
        t0 = time.perf_counter()
        result = Result(job.label, job.name, job.lang, job.output_name, job.parameters, "failed")
        stages: dict[str, float] = {}
        try:
            await self._build_one(job, pool, result, stages)
        finally:
            result.seconds = time.perf_counter() - t0
            result.stages = {k: round(v, 3) for k, v in stages.items()}
        return result

    async def _build_one(self, job: Job, pool: KernelPool, result: Result, stages: dict[str, float]) -> None:
        """Fill ``result``: status 'built' with its key and dependencies, or the error of the failure."""
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
        import nbformat

        paths = outputs(self.out_dir, job)
        paths["ipynb"].parent.mkdir(parents=True, exist_ok=True)
        failed_path = paths["ipynb"].with_suffix(".failed.ipynb")
        nb = _parameterize(job)
        t = time.perf_counter()
        try:
            km, kc, warm = await pool.get()
        except Exception as exc:
            result.error = f"the kernel did not start: {exc.__class__.__name__}: {exc}"
            return
        stages["kernel_wait"] = time.perf_counter() - t
        stages["kernel_start"] = warm
        temps: list[Path] = []
        try:
            client = NotebookClient(nb, km=km, timeout=self.timeout, kernel_name="python3", record_timing=False,
                                    resources={"metadata": {"path": str(config.NOTEBOOKS_DIR)}})
            client.kc = kc
            t = time.perf_counter()
            try:
                await client.async_execute()
            except CellTimeoutError as exc:
                index, _ = _failed_cell(nb)
                result.error = f"a cell ran longer than the timeout of {self.timeout:g} s and was stopped ({str(exc).splitlines()[0]})"
                result.failed_cell = index
            except DeadKernelError as exc:
                result.error = f"the kernel died while running the notebook: {exc}"
            except CellExecutionError as exc:
                index, message = _failed_cell(nb)
                result.failed_cell = index
                result.error = f"cell {index}: {message or str(exc).splitlines()[-1]}"
            stages["execute"] = time.perf_counter() - t
            if result.error is not None:
                files.atomic_write(failed_path, nbformat.writes(nb))
                result.error += f" (executed notebook kept at {failed_path})"
                return
            reply_lines: list[str] = []

            def collect(msg):
                if msg["msg_type"] == "stream":
                    reply_lines.append(msg["content"]["text"])

            await kc.execute_interactive(DEPS_CODE, store_history=False, timeout=30, output_hook=collect)
            deps = json.loads("".join(reply_lines) or "[]")
        finally:
            await stop_kernel(km, kc)
        try:
            t = time.perf_counter()
            body, title = await self.export_html(nb)
            stages["html"] = time.perf_counter() - t
            tmp_html = files.temp_path(paths["html"])
            temps.append(tmp_html)
            tmp_html.write_text(body, encoding="utf-8")
            if self.pdf:
                t = time.perf_counter()
                tmp_pdf = files.temp_path(paths["pdf"])
                temps.append(tmp_pdf)
                await self.printer.print_pdf(tmp_html, tmp_pdf, title, job.lang)
                stages["pdf"] = time.perf_counter() - t
            # All outputs are complete: put them in place, then record them.
            files.atomic_write(paths["ipynb"], nbformat.writes(nb))
            os.replace(tmp_html, paths["html"])
            if self.pdf:
                os.replace(tmp_pdf, paths["pdf"])
            failed_path.unlink(missing_ok=True)
        except Exception as exc:
            result.error = f"export failed: {exc.__class__.__name__}: {exc}"
            return
        finally:
            for tmp in temps:
                tmp.unlink(missing_ok=True)
        result.status = "built"
        result.deps = deps
        result.key = report_key(job, deps)
        result.fingerprint = fingerprint(deps)
        result.finished = _now()


def _now() -> str:
    """When a report was built, for the index: SOURCE_DATE_EPOCH when set (reproducible), else now."""
    moment = config.build_moment() or dt.datetime.now(dt.timezone.utc)
    return moment.replace(microsecond=0).isoformat()


def run(jobs: list[Job], manifest: Manifest | None, out_dir: Path, **options) -> list[Result]:
    """Run a build to the end, or stop it cleanly on Ctrl-C / SIGTERM (kernels and browser closed)."""
    builder = Builder(out_dir, **options)

    async def main():
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, builder.request_stop, task.cancel)
            except (NotImplementedError, RuntimeError):
                pass
        # nbclient registers its own SIGINT/SIGTERM handlers for every notebook, which would kill that
        # report's kernel and replace ours. The runner owns the signals: later registrations are ignored.
        original = loop.add_signal_handler

        def keep_ours(sig, callback, *args):
            if sig in (signal.SIGINT, signal.SIGTERM):
                return None
            return original(sig, callback, *args)

        loop.add_signal_handler = keep_ours
        loop.remove_signal_handler = lambda sig: False  # and nbclient's clean-up must not remove ours
        return await builder.build(jobs, manifest)

    try:
        return asyncio.run(main())
    except BaseException as exc:
        if builder.stopping or isinstance(exc, (asyncio.CancelledError, KeyboardInterrupt)):
            files.remove_temp_files(Path(out_dir))
            raise KeyboardInterrupt from None
        raise
