"""The batch build in four stages (plan, execute, export, publish), in one process.

Why one process: each separate papermill or nbconvert command pays seconds of imports, and a
fresh Chromium per PDF pays its start-up. Here the imports are paid once, one Chromium prints
every PDF, and kernels are forked from a server that imported pandas, seaborn and the analysis
library once (analysis.pipeline.forkserver), ahead of need while other reports run. Each report still gets a
kernel process of its own that exits afterwards, so no state passes between reports. Reports
run in parallel, bounded by the number of cores, and a content-hash cache skips reports whose
inputs did not change.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import json
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

# jsonschema (pulled in by nbformat) imports rfc3987_syntax when it is installed, which builds a
# grammar at import time (~0.7 s). The build never validates URI formats, so keep it out.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from analysis import config  # noqa: E402
from analysis.errors import DataError, UserFacingError  # noqa: E402
from analysis.pipeline import files  # noqa: E402
from analysis.pipeline.execute import execute  # noqa: E402
from analysis.pipeline.export import Exporter, outputs  # noqa: E402
from analysis.pipeline.kernels import ForkServer, KernelPool  # noqa: E402
from analysis.pipeline.manifest import Job, Manifest  # noqa: E402
from analysis.pipeline.plan import Result, State, check_data, data_dirs, fingerprint, plan, report_key  # noqa: E402

if TYPE_CHECKING:
    from analysis.pipeline.printer import Printer


class Builder:
    """A build in four stages: plan what to build, execute the notebooks, export them, publish the dossier."""

    def __init__(
        self,
        out_dir: Path,
        workers: int | None = None,
        timeout: float = 300,
        force: bool = False,
        pdf: bool = True,
        log: Callable[[str], None] = print,
        forkserver: ForkServer | None = None,
    ):
        self.out_dir = Path(out_dir)
        self.forkserver = forkserver  # started early by the command line, or by run_all
        self.workers = max(1, workers or min(os.cpu_count() or 1, 4))
        self.timeout = timeout
        self.force = force
        self.pdf = pdf
        self.log = log
        self._launch: asyncio.Future | None = None  # Chromium starting, for the whole build: the reports and the dossier
        self.exporter: Exporter | None = None
        self._dossiers: dict[str, asyncio.Future] = {}  # combined documents begun while other reports run
        self.chapters: dict[tuple[str, str], asyncio.Future] = {}  # their chapters, exported as the reports are done
        self._closing: asyncio.Future | None = None  # kernels and fork server closing while the dossiers are made
        self.manifest: Manifest | None = None
        self.stopping = False  # set by the first Ctrl-C / SIGTERM: finish running reports, start no new one

    def request_stop(self, hard) -> None:
        if self.stopping:
            self.log("stopping now")
            hard()
            return
        self.stopping = True
        self.log("stopping: the reports already running finish, no new one starts (signal again to stop at once)")

    async def build(self, jobs: list[Job], manifest: Manifest | None = None) -> list[Result]:
        removed = files.remove_temp_files(self.out_dir)
        if removed:
            self.log(f"removed {removed} temporary file(s) left by an interrupted build")
        self.manifest = manifest
        state = State(self.out_dir)
        todo, results = plan(jobs, state, self.out_dir, self.force, self.pdf, self.log)
        t0 = time.perf_counter()
        try:
            if todo:
                try:
                    await self.run_all(todo, state, results)
                except asyncio.CancelledError:
                    if self.out_dir.is_dir():
                        self.write_index(state, manifest)  # consistent with what is on disk
                    raise
            self.out_dir.mkdir(parents=True, exist_ok=True)
            if self.stopping:
                self.write_index(state, manifest)
                raise KeyboardInterrupt
            await self.publish(state, manifest)
        finally:
            pending = [*self._dossiers.values(), *self.chapters.values()]
            self._dossiers, self.chapters = {}, {}
            for task in pending:  # stopped or failed: a dossier under way is not finished (its files are temporary)
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            if self._closing is not None:
                await asyncio.shield(self._closing)  # kernels and fork server gone before the build returns
            await self.close_printer()
        ordered = [results[j.label] for j in jobs if j.label in results]
        self.summary(ordered, time.perf_counter() - t0)
        return ordered

    async def run_all(self, todo: list[Job], state: State, results: dict[str, Result]) -> None:
        """Execute and export every job, ``workers`` at a time, with kernels and a browser shared by all.

        The kernel fork server validates the data while this process imports what the reports need;
        once the data are known to be good, the first kernels start, and the reports with them. Chromium
        starts as soon as this process's imports are done: the fork server is still importing then and
        a core would sit idle, while later its start-up (and its first print, see
        :meth:`~analysis.pipeline.printer.Printer.warm_up`) would take a core from the first reports.
        """
        forkserver = self.forkserver = self.forkserver or ForkServer()
        forkserver.prepare(data_dirs(todo))
        pool: KernelPool | None = None
        semaphore = asyncio.Semaphore(self.workers)
        exporter = self.exporter = Exporter(None, self.manifest.credits_for if self.manifest is not None else None)
        # While the fork server starts, this process has nothing to do: it imports what it needs for
        # the reports now (papermill, nbclient, nbconvert with its template, pypdf) rather than at the
        # first report, where each import would hold up the event loop and the kernels it serves.
        warming = asyncio.ensure_future(asyncio.to_thread(_prepare_process, exporter))
        if self.pdf:
            self._launch = asyncio.ensure_future(_start_printer(warming))
            exporter.printer = self._launch  # awaited by the first PDF
        try:
            await self.check_data(todo, forkserver)
            pool = KernelPool(self.workers, len(todo), forkserver=forkserver)
            self.out_dir.mkdir(parents=True, exist_ok=True)
            await asyncio.gather(warming, return_exceptions=True)  # a failure shows where the import is used
            # What is imported now lives as long as the build: left out of the garbage collector's full passes,
            # which otherwise walk all of it again and again while the reports run (a tenth of this process's work).
            gc.freeze()

            # Language by language: once a language's reports are done, its dossier is made while the
            # other language's reports run (the cores are not all busy with them). Within a language the
            # reports that executed longest last time go first, so that the last ones are short and the
            # cores finish together.
            took = _durations()
            order = sorted(todo, key=lambda job: (self._language_rank(job.lang), -took.get(job.label, 0.0)))
            remaining = Counter(job.lang for job in order)

            kernels = pool  # for the closure: started from here on

            async def one(i: int, job: Job) -> None:
                label = f"[{i:>2}/{len(order)}] {job.label:<24}"
                result = await self.build_one(job, kernels, exporter, semaphore, lambda: self.log(f"{label} started"))
                if result is None:
                    return
                state.record(result)
                results[job.label] = result
                self.log(f"{label} {result.status} in {result.seconds:.1f} s{_detail(result)}")
                if result.status == "built":
                    self.prepare_chapter(job)
                remaining[job.lang] -= 1
                if remaining[job.lang] == 0 and len(remaining) > 1:
                    self.start_dossier(job.lang, state)

            # A report that stops the build (Chromium did not start) stops the others.
            try:
                async with asyncio.TaskGroup() as group:
                    for i, job in enumerate(order):
                        group.create_task(one(i + 1, job))
            except BaseExceptionGroup as errors:
                raise errors.exceptions[0] from None
            _keep_durations(took, results.values())
        finally:
            # Kernels shutting down and the fork server's end need not hold up the dossiers: they are
            # awaited when the build ends (build()).
            self._closing = asyncio.ensure_future(self._close_kernels(warming, pool, forkserver))

    async def _close_kernels(self, warming: asyncio.Future, pool: KernelPool | None, forkserver: ForkServer) -> None:
        await asyncio.gather(warming, return_exceptions=True)
        if pool is not None:
            await pool.close()
        await forkserver.stop()

    def _language_rank(self, lang: str) -> int:
        languages = list(self.manifest.languages) if self.manifest is not None else []
        return languages.index(lang) if lang in languages else len(languages)

    def start_dossier(self, lang: str, state: State) -> None:
        """Begin the combined document of ``lang`` now, on the build's own printer (full builds only)."""
        if self.manifest is None or self._launch is None or self.stopping or lang in self._dossiers:
            return
        from analysis.pipeline import combined

        self._dossiers[lang] = asyncio.ensure_future(
            combined.build_language(self, self.manifest, state, lang, self.exporter, self.printer_ready)
        )

    def prepare_chapter(self, job: Job) -> None:
        """Export the report's chapter of its language's dossier now, while other reports run (full builds only)."""
        if self.manifest is None or self.exporter is None or self.stopping or job.output_name != job.name:
            return
        names = self.manifest.combined.answers + self.manifest.combined.context
        if job.name not in names:
            return
        from analysis.pipeline import combined

        path = self.out_dir / job.lang / f"{job.name}.ipynb"
        self.chapters[(job.lang, job.name)] = asyncio.ensure_future(
            combined.prepare_chapter(path, job.lang, names.index(job.name) + 1, self.exporter)
        )

    async def printer_ready(self) -> Printer | None:
        """The build's Chromium once it has started; None when the build started none (no PDFs)."""
        if self._launch is None:
            return None
        return await asyncio.shield(self._launch)

    async def check_data(self, todo: list[Job], forkserver: ForkServer) -> None:
        """Bad data stops the build before anything is written: validated by the fork server, which keeps the
        frames for the kernels, or here when there is no fork server."""
        errors = await forkserver.data_errors()
        if errors is None:
            await asyncio.to_thread(check_data, todo)
            return
        for folder in data_dirs(todo):  # the first folder with an error, as check_data would raise it
            if folder in errors:
                raise DataError.from_json(errors[folder])

    async def close_printer(self) -> None:
        """Close the build's Chromium (kept open after the reports for the combined documents)."""
        launch, self._launch = self._launch, None
        if launch is None:
            return
        try:
            started = await launch  # a launch still under way is let finish, so that it closes cleanly
        except BaseException:
            return  # it did not start: raised already, or the build stopped before it was needed
        await started.__aexit__(None, None, None)

    async def build_one(
        self, job: Job, pool: KernelPool, exporter: Exporter, slots: asyncio.Semaphore, started: Callable[[], None]
    ) -> Result | None:
        """One report: executed, exported, and recorded as built, or failed with the reason; None when the build
        stopped before it started.

        ``slots`` bounds the notebooks executing at once; the export (HTML, then the PDF printed by
        Chromium) runs after the report's slot is free, so the next notebook executes meanwhile.
        """
        async with slots:
            if self.stopping:
                return None
            started()
            t0 = time.perf_counter()
            paths = outputs(self.out_dir, job)
            paths["ipynb"].parent.mkdir(parents=True, exist_ok=True)
            failed_path = paths["ipynb"].with_suffix(".failed.ipynb")
            run = await execute(job, pool, self.timeout, failed_path)
        result = Result(job.label, job.name, job.lang, job.output_name, job.parameters, "failed")
        result.error, result.failed_cell = run.error, run.failed_cell
        if run.error is None:
            try:
                await exporter.write(run.nb, paths, job.lang, run.stages)
                failed_path.unlink(missing_ok=True)
                result.status, result.deps = "built", run.deps
                result.key, result.fingerprint, result.finished = report_key(job, run.deps), fingerprint(run.deps), _now()
            except UserFacingError:
                raise  # not this report's fault (Chromium did not start): the build stops with it
            except Exception as exc:
                result.error = f"export failed: {exc.__class__.__name__}: {exc}"
        result.seconds = time.perf_counter() - t0
        result.stages = {k: round(v, 3) for k, v in run.stages.items()}
        return result

    async def publish(self, state: State, manifest: Manifest | None) -> None:
        """The reader's documents: the combined PDFs (full builds only) and the tables, side by side, then the index.

        The tables are written in a thread, on a copy of the build state (they read the reports' entries
        only), while the combined documents are printed; their records join the state afterwards.
        """
        from analysis.pipeline import tables

        copy = state.detached()
        writing = asyncio.ensure_future(asyncio.to_thread(tables.publish, self.out_dir, copy, manifest))
        try:
            if manifest is not None:
                from analysis.pipeline import combined

                started, self._dossiers = self._dossiers, {}
                await combined.build_all(self, manifest, state, started)
        finally:
            await writing  # never left running: the files it writes are what the state will say
        state.take(copy, ["tables", "workbooks"])
        # Nothing prints any more: Chromium closes while the index is written.
        await asyncio.gather(asyncio.to_thread(self.write_index, state, manifest), self.close_printer())

    def write_index(self, state: State, manifest: Manifest | None) -> None:
        """The index from what is on disk; also written after an interruption, so it never lies."""
        from analysis.pipeline import index

        index.write(self.out_dir, state, manifest)

    def summary(self, ordered: list[Result], wall: float) -> None:
        built = sum(r.status == "built" for r in ordered)
        cached = sum(r.status == "cached" for r in ordered)
        failed = [r for r in ordered if r.status == "failed"]
        self.log(
            f"done: {built} built, {cached} up to date, {len(failed)} failed, {wall:.1f} s"
            + (f"; failed: {', '.join(r.label for r in failed)}" if failed else "")
        )


#: How long each report's notebook executed when last built (in any output folder): only the order in which a
#: build starts its reports depends on it, never an output.
DURATIONS = config.PROJECT_DIR / ".build" / "durations.json"


def _durations() -> dict[str, float]:
    try:
        return {str(k): float(v) for k, v in json.loads(DURATIONS.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _keep_durations(known: dict[str, float], results) -> None:
    took = {r.label: r.stages["execute"] for r in results if r.status == "built" and "execute" in r.stages}
    if not took:
        return
    # Averaged with the time before: one run on a busy machine does not reorder the next build.
    took = {label: round((seconds + known[label]) / 2 if label in known else seconds, 3) for label, seconds in took.items()}
    try:
        files.atomic_write(DURATIONS, json.dumps({**known, **took}, indent=1, sort_keys=True))
    except OSError:
        pass  # an order hint that cannot be kept only costs time


async def _start_printer(warming: asyncio.Future) -> Printer:
    """The build's Chromium, started once this process's imports (``warming``) are done, its page warmed up."""
    from analysis.pipeline.printer import Printer

    await asyncio.gather(warming, return_exceptions=True)
    printer = await Printer().__aenter__()
    try:
        await printer.warm_up()
    except Exception:
        pass  # only time is lost: the first report's print finds out what is wrong
    except BaseException:
        await printer.__aexit__(None, None, None)  # stopped meanwhile: no browser is left running
        raise
    return printer


def _prepare_process(exporter: Exporter) -> None:
    import nbclient  # noqa: F401
    import papermill.parameterize  # noqa: F401
    import pypdf  # noqa: F401

    exporter.prepare()


def _detail(result: Result) -> str:
    if result.status == "failed":
        return f"\n      {result.error}"
    stages = ", ".join(f"{k} {v:.2f}" for k, v in result.stages.items())
    return f" ({stages})" if stages else ""


def _now() -> str:
    """When a report was built, for the index: SOURCE_DATE_EPOCH when set (reproducible), else now."""
    moment = config.build_moment() or dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0).isoformat()


def lock_output(out_dir: Path, log: Callable[[str], None] = print):
    """Hold the output folder for this build: a second build into the same folder waits its turn.

    Two builds writing the same reports, state file and combined PDFs at once have no defined
    result; builds into different folders never meet here and run side by side. The lock is the
    kernel's (flock), so a build that dies releases it with its process. Its file lives in the
    temporary folder, named after the output folder's path, so a build refused for bad data or
    parameters still writes nothing into the output folder.
    """
    import fcntl
    import hashlib
    import tempfile

    key = hashlib.sha256(str(out_dir.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"analysis-build-{key}.lock"
    handle = open(path, "a+")  # noqa: SIM115 - held for the whole build, closed by the caller
    try:
        os.chmod(path, 0o666)  # another user building into the same shared folder must be able to wait too
    except OSError:
        pass
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log(f"another build is writing into {out_dir}; waiting for it to finish (Ctrl-C to give up)")
        fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def run(jobs: list[Job], manifest: Manifest | None, out_dir: Path, **options) -> list[Result]:
    """Run a build to the end, or stop it cleanly on Ctrl-C / SIGTERM (kernels and browser closed)."""
    try:
        with lock_output(Path(out_dir), options.get("log", print)):
            return _run_locked(jobs, manifest, out_dir, **options)
    finally:
        if options.get("forkserver") is not None:
            options["forkserver"].close()  # however the build ended (closed already when it ran reports)


def _run_locked(jobs: list[Job], manifest: Manifest | None, out_dir: Path, **options) -> list[Result]:
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
