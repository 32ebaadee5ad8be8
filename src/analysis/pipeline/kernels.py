"""Kernels for a build: started and warmed ahead of need, one fresh kernel per report.

Kernels are forked from the fork server (analysis.pipeline.forkserver) when it runs, which has
imported pandas, seaborn and the question modules once; otherwise they start the usual way.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from analysis import config, registry


def warm_modules() -> tuple[str, ...]:
    """What a kernel imports before its notebook runs: the libraries and each notebook's question module.

    The question modules are named in analysis.registry, so the runner never imports one itself.
    """
    return (
        "pandas",
        "numpy",
        "matplotlib",
        "matplotlib.pyplot",
        "seaborn",
        "pandera.pandas",
        "babel.numbers",
        "babel.dates",
        "analysis.report.frame",
        *(q.module for q in registry.QUESTIONS),
    )


def warm_code() -> str:
    return (
        "import importlib as _il\n"
        f"for _m in {list(warm_modules())!r}:\n"
        "    try:\n        _il.import_module(_m)\n    except ImportError:\n        pass\n"
        "del _il, _m\n"
    )


#: Kernel options for batch runs: no input history database, no TCP-encryption warning noise.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]


#: Run by the fork server once before it forks any kernel, with the build's data folders (analysis.report.frame.prepare).
PREPARE = "analysis.report.frame:prepare"


class ForkServer:
    """The kernel fork server (analysis.pipeline.forkserver) of one build; no server when it cannot start.

    :meth:`spawn` starts the process, at once or as soon as a build knows it will run reports (its
    imports take a second); :meth:`prepare` sends it the data folders the reports read, which it
    validates once (each forked kernel starts with the validated frames, and still checks that a
    file holds the bytes they were validated from, reading it itself otherwise). :meth:`data_errors`
    gives what is wrong with those data; :meth:`close` ends the server, whatever state it is in.
    """

    def __init__(self):
        self.proc: subprocess.Popen | None = None
        self.path: str | None = None
        self.ready: asyncio.Future | None = None
        self._result: dict = {}

    def spawn(self) -> None:
        """Start the server process (no event loop needed); it imports, then waits for :meth:`prepare`."""
        from analysis.pipeline import forkserver

        if self.proc is not None or not forkserver.enabled():
            return
        import tempfile

        self.path = os.path.join(tempfile.mkdtemp(prefix="analysis-forkserver-"), "kernels.sock")
        env = {**os.environ, **forkserver.SINGLE_THREADED, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "analysis.pipeline.forkserver", "serve", self.path, ",".join(warm_modules())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=str(config.NOTEBOOKS_DIR),
        )

    def prepare(self, data_dirs: list[str]) -> None:
        """Send the prepare request (inside the build's event loop); :meth:`usable` then waits for the server."""
        self.spawn()
        if self.proc is None or self.ready is not None:
            return
        assert self.proc.stdin is not None  # pipes, asked for in spawn()
        try:
            self.proc.stdin.write(json.dumps({"call": PREPARE, "args": [list(data_dirs)]}).encode() + b"\n")
            self.proc.stdin.close()
        except OSError:
            pass  # the server is gone: usable() says so
        self.ready = asyncio.ensure_future(self._wait_ready())

    async def _wait_ready(self) -> bool:
        assert self.proc is not None and self.proc.stdout is not None
        try:
            line = await asyncio.wait_for(asyncio.to_thread(self.proc.stdout.readline), 60)
        except TimeoutError:
            line = b""
        word, _, result = line.decode(errors="replace").strip().partition(" ")
        if word != "ready":
            self.close()  # ends a server that hangs: its readline above returns then
            return False
        try:
            self._result = json.loads(result) or {}
        except ValueError:
            self._result = {}
        return True

    async def usable(self) -> bool:
        return self.ready is not None and await asyncio.shield(self.ready)

    async def data_errors(self) -> dict[str, dict] | None:
        """What the server found wrong with each data folder ({folder: DataError.to_json()}); None when it did
        not check them (it is off or did not start), and the build must."""
        if not await self.usable():
            return None
        errors = self._result.get("data_errors")
        return errors if isinstance(errors, dict) else None

    def close(self) -> None:
        """End the server (and so the kernels it forked that still run); idempotent."""
        proc, self.proc = self.proc, None
        if proc is not None:
            if proc.stdin is not None and not proc.stdin.closed:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if self.path:
            import shutil

            shutil.rmtree(os.path.dirname(self.path), ignore_errors=True)
            self.path = None

    async def stop(self) -> None:
        await asyncio.to_thread(self.close)


def early_fork_server(out_dir: Path, force: bool) -> ForkServer | None:
    """A kernel fork server started first thing, when the build will certainly run reports (``--force``, or no
    build in the output folder yet): its imports then overlap reading the manifest and planning. None otherwise
    (the runner starts one once planning found work)."""
    from analysis.pipeline.files import STATE_NAME

    if not force and (Path(out_dir) / STATE_NAME).exists():
        return None
    server = ForkServer()
    server.spawn()
    return server


def _forked_kernel_manager(path: str):
    from jupyter_client.manager import AsyncKernelManager

    class ForkedKernelManager(AsyncKernelManager):
        """Launches `python -m analysis.pipeline.forkserver attach`, which has the fork server fork the kernel."""

        def format_kernel_cmd(self, extra_arguments=None):
            return [
                sys.executable,
                "-m",
                "analysis.pipeline.forkserver",
                "attach",
                path,
                self.connection_file,
                *(extra_arguments or []),
            ]

    return ForkedKernelManager(kernel_name="python3", **_transport())


_FOLDERS: set[str] = set()


def remove_kernel_folder(km) -> None:
    """The socket folder of a kernel that has shut down (its sockets are gone with the process)."""
    import shutil

    folder = os.path.dirname(getattr(km, "connection_file", "") or "")
    if folder in _FOLDERS:
        _FOLDERS.discard(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _transport() -> dict:
    """Kernels talk over Unix sockets in a folder of their own, not TCP ports on 127.0.0.1.

    A TCP port is picked free, released, then bound by the kernel a moment later: two builds at
    once (two users, a CI matrix, JupyterLab's kernels) could pick the same one and fail with
    'Address already in use'. A socket path named after the kernel's own connection file cannot
    be taken by anyone else.
    """
    import tempfile
    import uuid

    folder = tempfile.mkdtemp(prefix="analysis-kernel-")
    _FOLDERS.add(folder)
    return {
        "transport": "ipc",
        "ip": os.path.join(folder, "k"),
        "connection_file": os.path.join(folder, f"{uuid.uuid4().hex[:8]}.json"),
    }


class KernelPool:
    """Kernels started and warmed ahead of need; each one serves exactly one report."""

    def __init__(self, size: int, needed: int, startup_timeout: float = 60, forkserver: ForkServer | None = None):
        self.size = size
        self.needed = needed
        self.started = 0
        self.tasks: list[asyncio.Task] = []
        self.stopping: set[asyncio.Task] = set()
        self.timeout = startup_timeout
        self.forkserver = forkserver
        for _ in range(min(size, needed)):
            self._spawn()

    def _spawn(self) -> None:
        self.started += 1
        self.tasks.append(asyncio.ensure_future(self._start()))

    async def _start(self):
        import zmq
        from jupyter_client.manager import AsyncKernelManager

        if self.forkserver is not None and await self.forkserver.usable():
            km = _forked_kernel_manager(self.forkserver.path)
        else:
            km = AsyncKernelManager(kernel_name="python3", **_transport())
        env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        t0 = time.perf_counter()
        try:
            await km.start_kernel(cwd=str(config.NOTEBOOKS_DIR), env=env, extra_arguments=KERNEL_ARGS)
        except BaseException:  # stopped while starting (the build stops): no kernel process is left behind
            try:
                if km.has_kernel:
                    await km.shutdown_kernel(now=True)
            except Exception:
                pass  # half started: what there is ends with the build's fork server
            remove_kernel_folder(km)
            raise
        kc = km.client()
        # The client connects before the kernel has bound its sockets and retries every reconnect interval:
        # ZeroMQ's 0.1 s default delays the first request, and lets IOPub's first messages go by unseen.
        kc.context.setsockopt(zmq.RECONNECT_IVL, 10)
        kc.start_channels()
        try:
            await wait_for_ready(kc, self.timeout)
            reply = await kc.execute_interactive(
                warm_code(), store_history=False, timeout=self.timeout, output_hook=lambda m: None
            )
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"kernel warm-up failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
        except BaseException:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
            remove_kernel_folder(km)
            raise
        return km, kc, time.perf_counter() - t0

    async def get(self):
        task = self.tasks.pop(0)
        if self.started < self.needed:
            self._spawn()
        return await task

    def release(self, km, kc) -> None:
        """Shut down a kernel whose report is done, in the background: shutting down takes a tenth of a second
        of waiting (jupyter_client polls the process), which the next report need not wait for."""
        task = asyncio.ensure_future(stop_kernel(km, kc))
        self.stopping.add(task)
        task.add_done_callback(self.stopping.discard)

    async def close(self) -> None:
        if self.stopping:
            await asyncio.gather(*list(self.stopping), return_exceptions=True)
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            try:
                km, kc, _ = await task
            except BaseException:
                continue
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
            remove_kernel_folder(km)
        self.tasks.clear()


async def wait_for_ready(kc, timeout: float) -> None:
    """jupyter_client's ``wait_for_ready`` without its closing fifth of a second of waiting for IOPub to go quiet.

    As there, the kernel is asked for its info until it answers on the shell channel and IOPub is
    seen to be connected; here IOPub counts as connected, and drained, once the kernel's 'idle' status
    for the answered request arrives (the kernel sends it after the reply), instead of after any message
    followed by 0.2 s of silence. The first request waits for the kernel's IOPub greeting, so that its
    'idle' is not missed. Messages of the kernel's start and of earlier requests are passed over.
    """
    import queue

    deadline = time.monotonic() + timeout
    try:
        # ipykernel greets each new IOPub subscriber (iopub_welcome): once it arrives, or any other message,
        # IOPub is connected, and the first request's 'idle' will not go by unseen.
        await kc.iopub_channel.get_msg(timeout=min(1.0, timeout))
    except queue.Empty:
        pass  # a kernel that does not greet, or is slow to start: the requests below find out
    while True:
        request = kc.kernel_info()
        try:
            reply = await kc.shell_channel.get_msg(timeout=1)
        except queue.Empty:
            reply = None
        if reply is not None and reply["msg_type"] == "kernel_info_reply":
            answered = reply.get("parent_header", {}).get("msg_id", request)
            # The kernel sends 'idle' right after its reply; not within 0.2 s (jupyter_client's wait too), IOPub
            # was not yet connected when it did, and the kernel is asked again.
            if await _idle_after(kc, answered, 0.2):
                kc._handle_kernel_info_reply(reply)  # the protocol version, as wait_for_ready records it
                return
        if not await kc.is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


async def _idle_after(kc, msg_id: str, timeout: float) -> bool:
    """Whether IOPub delivers the kernel's 'idle' status for request ``msg_id`` within ``timeout`` seconds."""
    import queue

    end = time.monotonic() + timeout
    while (left := end - time.monotonic()) > 0:
        try:
            msg = await kc.iopub_channel.get_msg(timeout=left)
        except queue.Empty:
            return False
        if (
            msg["msg_type"] == "status"
            and msg["content"].get("execution_state") == "idle"
            and msg.get("parent_header", {}).get("msg_id") == msg_id
        ):
            return True
    return False


async def stop_kernel(km, kc) -> None:
    try:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
    except Exception:
        pass
    finally:
        remove_kernel_folder(km)
