"""Worker processes for the solvers: the one bootstrap of every process that answers questions.

Both pools start their workers here: the z3 workers of `check/parallel.py`
(`--jobs`, `--isolate`) and the cvc5 workers of `check/crosscheck.py`
(`--cross-check`). A worker is started with `spawn`, not `fork` (the parent
holds threads), and on its side ignores Ctrl-C (the parent handles it),
ends when the parent ends (Linux), may be given an address-space limit, and
serves in a thread with a large stack (head room for deeply nested
formulas, as in the command's own main thread). The parent talks to it
through one `Connection`; what is said is the pool's business.
"""
from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # multiprocessing is imported when the first worker starts
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

WORKER_STACK = 256 * 1024 * 1024
"""Stack of the thread a worker answers in: head room for deeply nested formulas, as in `cli.main`."""

RECURSION_LIMIT = 50_000


@dataclass
class Worker:
    """A started worker process and the parent's end of its connection."""

    process: BaseProcess
    conn: Connection

    def stop(self, wait: float = 0.0) -> str:
        """End the process (after `wait` seconds, if it is still running); how it ended."""
        self.process.join(wait)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()
        code = self.process.exitcode
        return f"exit status {code}" if code is None or code >= 0 else f"killed by signal {-code}"


def start(serve: Callable[..., None], args: tuple = (), name: str = "alignproof-worker",
          memory_mib: int | None = None) -> Worker:
    """A new worker process running `serve(conn, *args)` (a module-level function)."""
    import multiprocessing
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_bootstrap, args=(serve, child, args, memory_mib), daemon=True, name=name)
    process.start()
    child.close()
    return Worker(process, parent)


def wait(ready: Sequence, timeout: float) -> set:
    """Which of the connections and process sentinels are ready, waiting up to `timeout` seconds."""
    from multiprocessing.connection import wait as waiting
    return set(waiting(ready, timeout))


def _bootstrap(serve: Callable[..., None], conn: Connection, args: tuple, memory_mib: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle (exit 130)
    die_with_parent()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    if memory_mib:
        limit(_resource().RLIMIT_AS, memory_mib * 1024 * 1024)
    threading.stack_size(WORKER_STACK)
    ended: list[SystemExit] = []

    def run() -> None:
        try:
            serve(conn, *args)
        except SystemExit as end:  # a worker that exits does so with its status, as a process
            ended.append(end)

    thread = threading.Thread(target=run, name="alignproof-worker")
    thread.start()
    thread.join()
    if ended:
        raise ended[0]


def die_with_parent() -> None:
    """Ask Linux to end this worker when the parent ends (Ctrl-C leaves no solver running)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _resource():
    import resource  # POSIX only; --isolate says so where it is missing
    return resource


def limit(which: int, amount: int) -> None:
    """Lower the soft limit `which` to `amount` (at most the hard limit)."""
    resource = _resource()
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        amount = min(amount, hard)
    resource.setrlimit(which, (amount, hard))


def allow_cpu(seconds: float | None) -> None:
    """Let the next task use `seconds` more CPU time; past that the kernel stops the worker (SIGXCPU)."""
    if not seconds:
        return
    resource = _resource()
    used = resource.getrusage(resource.RUSAGE_SELF)
    limit(resource.RLIMIT_CPU, int(used.ru_utime + used.ru_stime + seconds) + 1)


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
