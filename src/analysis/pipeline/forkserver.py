"""A fork server for Jupyter kernels: imports paid once, a fresh process for every report.

Starting a Python kernel and importing pandas, seaborn, pandera and this library costs about
1.2 s of CPU per report; on two cores that was most of a build. The zygote imports all of it
once, then runs a prepare step sent by the build (validate the data files once, keep the frames
and report what is wrong with them; pay first-use costs such as Babel's locale data), then
forks one child per report, and each child becomes an ordinary ipykernel. Reports stay isolated: a child starts from the zygote's
imported modules and that prepared state only (no notebook code has run), runs one notebook,
and exits; nothing it does reaches the zygote or the other children.

jupyter_client manages every kernel through a process it launches. That process is the small
``attach`` client below: it asks the zygote for a child, hands it its standard streams,
forwards signals to it and exits when it exits, so interrupts, timeouts, kills and kernel
deaths behave as with a normally launched kernel. The child exits when its attach client is
gone. Set ANALYSIS_KERNEL_ZYGOTE=0 to launch kernels the ordinary way.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import threading

ENV_SWITCH = "ANALYSIS_KERNEL_ZYGOTE"
#: One thread per numeric library: a forked child must not inherit a half-initialised thread pool.
SINGLE_THREADED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
#: What ipykernel sets for every kernel it starts. matplotlib reads it once, at import, and the server
#: imports matplotlib before any kernel exists: without it a reader's own plt/pandas plots in a
#: built report would draw on no backend at all and vanish.
KERNEL_DEFAULTS = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}


#: The kernel itself, and what it imports as it initialises (its debugger, debugpy's pydevd, IPython's
#: completer and inspector, tornado's queues): imported here once, not in every kernel (0.06 s of each).
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "tornado.gen",
    "tornado.locks",
    "tornado.queues",
)


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1") not in ("0", "false", "no") and hasattr(os, "fork") and hasattr(os, "pidfd_open")


# ------------------------------------------------------------------------------------- server
def _reap(signum, frame) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(path: str, modules: list[str]) -> None:
    """Import, read the prepare request from stdin, prepare, say ``ready <result as JSON>``, then fork on request.

    The build may start the server before it knows what to prepare (the imports take a second):
    the request comes as one JSON line, ``{"call": "module:function", "args": [...]}``, or the
    standard input closes without one (nothing to prepare; or the build is gone, and so is the server).
    """
    import gc
    import importlib

    # The imports and the prepare step make some 300,000 objects that live as long as the server: collecting
    # garbage while they are made finds none, and took a sixth of the server's start, which every report waits for.
    gc.disable()
    for module in (*modules, *KERNEL_MODULES):
        try:
            importlib.import_module(module)
        except ImportError:
            pass  # the kernel imports it itself, or does without

    line = sys.stdin.readline()
    if not line:
        return  # the build closed the pipe without a request: it no longer needs a fork server
    prepare = json.loads(line) or {}
    result = None
    if prepare.get("call"):
        # Work every kernel would otherwise repeat (validated data, first-use caches), done once before
        # any fork. A failure here only costs time: each kernel then does the work itself.
        module_name, _, function = prepare["call"].partition(":")
        try:
            result = getattr(importlib.import_module(module_name), function)(*prepare.get("args", []))
        except Exception as exc:
            print(f"kernel fork server: preparing failed, kernels will do it themselves: {exc!r}", file=sys.stderr, flush=True)

    # Frozen, they are left out of every collection in the kernels too: a kernel's full collection no longer walks
    # them all, and so no longer writes to (and copies) the pages they share with the server.
    gc.freeze()
    gc.enable()
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(32)
    listener.settimeout(1.0)
    signal.signal(signal.SIGCHLD, _reap)
    print("ready", json.dumps(result), flush=True)
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            if os.getppid() != parent:  # the build is gone: so is its fork server
                return
            continue
        with conn:
            conn.settimeout(None)
            data, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
            while not data.endswith(b"\n"):  # a stream socket may deliver the request in pieces
                chunk = conn.recv(1 << 20)
                if not chunk:
                    break
                data += chunk
            try:
                request = json.loads(data.decode())
            except ValueError:
                for fd in fds:
                    os.close(fd)
                continue
            pid = os.fork()
            if pid == 0:
                listener.close()
                _child(request, fds)  # never returns
            for fd in fds:
                os.close(fd)
            conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _child(request: dict, fds: list[int]) -> None:
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for target, fd in zip((0, 1, 2), fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _exit_with(request["attach_pid"])
        # parent_handle tells ipykernel it was launched by a manager (its default was read in the zygote)
        sys.argv = [
            "ipykernel_launcher",
            "-f",
            request["connection_file"],
            f"--IPKernelApp.parent_handle={request['attach_pid']}",
            *request["argv"],
        ]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=sys.argv[1:])
    except BaseException as exc:  # a child must never return into the server loop
        try:
            print(f"forked kernel failed: {exc!r}", file=sys.stderr, flush=True)
        finally:
            os._exit(1)
    os._exit(0)


def _exit_with(attach_pid: int) -> None:
    """Exit as soon as the attach client is gone (jupyter_client killed it, or it crashed)."""
    pidfd = os.pidfd_open(attach_pid)

    def watch():
        select.select([pidfd], [], [])
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="attach-watch").start()


# ------------------------------------------------------------------------------------- client
def attach(path: str, connection_file: str, argv: list[str]) -> int:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    request = {
        "connection_file": connection_file,
        "argv": argv,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "attach_pid": os.getpid(),
    }
    socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
    reply = b""
    while not reply.endswith(b"\n"):
        chunk = conn.recv(4096)
        if not chunk:
            print("kernel fork server closed the connection", file=sys.stderr)
            return 1
        reply += chunk
    conn.close()
    pid = json.loads(reply)["pid"]
    pidfd = os.pidfd_open(pid)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, lambda signum, frame: _forward(pid, signum))
    while True:
        ready, _, _ = select.select([pidfd], [], [])
        if ready:
            return 0


def _forward(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "serve":
        os.environ.update(SINGLE_THREADED)
        for name, value in KERNEL_DEFAULTS.items():
            os.environ.setdefault(name, value)
        serve(sys.argv[2], sys.argv[3].split(",") if len(sys.argv) > 3 and sys.argv[3] else [])
    elif command == "attach":
        sys.exit(attach(sys.argv[2], sys.argv[3], sys.argv[4:]))
    else:
        sys.exit(f"unknown command {command!r}: expected serve or attach")
