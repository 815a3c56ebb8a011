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

STACK_SHARE = 8
"""Under a memory limit the stack is at most this fraction of it (256 MiB fit in no 100 MiB limit)."""

HEAD_ROOM_MIB = 40
"""Address space a worker needs beyond what it holds on start and its thread's stack: the thread
z3 starts for a timeout (8 MiB of stack) and a heap to solve in. With less, z3 aborts or crashes
when it starts that thread, so the worker refuses to start instead, saying why."""

RECURSION_LIMIT = 50_000

CANNOT_START = 3
"""The exit status of a worker that could not start or failed outside any task (it said why first)."""


@dataclass(frozen=True)
class WorkerError:
    """What a worker says, instead of anything else, when it cannot go on: why, in words."""

    reason: str


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
    """The worker's life. Whatever goes wrong outside `serve`'s own handling (no thread can be had
    within the memory limit, an error `serve` lets through) is said to the parent as a
    `WorkerError` and ends the process with `CANNOT_START`: no traceback is printed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle (exit 130)
    die_with_parent()
    ended: list[BaseException] = []

    def run() -> None:
        try:
            serve(conn, *args)
        except BaseException as end:  # noqa: BLE001 - said to the parent below, not printed
            ended.append(end)

    try:
        sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
        if memory_mib:
            one_arena()
            room_for(memory_mib)
            limit(_resource().RLIMIT_AS, memory_mib * 1024 * 1024)
        threading.stack_size(stack_size(memory_mib))
        thread = threading.Thread(target=run, name="alignproof-worker")
        thread.start()
        thread.join()
    except BaseException as error:  # noqa: BLE001 - said to the parent, not printed
        ended.append(error)
    if not ended:
        return
    if isinstance(ended[0], SystemExit):  # a worker that exits does so with its status, as a process
        raise ended[0]
    _say(conn, WorkerError(failure(ended[0], memory_mib)))
    sys.exit(CANNOT_START)


class NoRoom(Exception):
    """The memory limit is less than a worker needs to start."""


def room_for(memory_mib: int) -> None:
    """Raise `NoRoom` when `memory_mib` cannot hold what the worker holds now, its thread's stack
    and `HEAD_ROOM_MIB` (Linux, where the address space in use can be read)."""
    held = address_space_mib()
    if held is None:
        return
    needed = held + stack_size(memory_mib) / (1024 * 1024) + HEAD_ROOM_MIB
    if memory_mib < needed:
        raise NoRoom(f"a worker holds {held:.0f} MiB of address space once the solver is loaded and needs "
                     f"about {needed:.0f} MiB to run, more than --memory-limit {memory_mib} allows")


def address_space_mib() -> float | None:
    """The address space this process uses, in MiB (None where /proc cannot tell)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def stack_size(memory_mib: int | None) -> int:
    """The serving thread's stack: `WORKER_STACK`, or a share of the memory limit if that is less."""
    if not memory_mib:
        return WORKER_STACK
    return max(threading.stack_size() or 0, min(WORKER_STACK, memory_mib * 1024 * 1024 // STACK_SHARE))


def failure(error: BaseException, memory_mib: int | None) -> str:
    """Why a worker could not go on, in words, with the memory limit when it may be the cause."""
    if isinstance(error, NoRoom):
        return f"{error}; raise --memory-limit"
    what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if memory_mib and isinstance(error, (MemoryError, RuntimeError, OSError, ImportError)):
        return f"{what} (with --isolate it may use {memory_mib} MiB of memory; raise --memory-limit)"
    return what


def _say(conn: Connection, message: object) -> None:
    try:
        conn.send(message)
    except BaseException:  # noqa: BLE001 - the parent is gone or the pipe is broken: nothing to tell
        pass


def die_with_parent() -> None:
    """Ask Linux to end this worker when the parent ends (Ctrl-C leaves no solver running)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def one_arena() -> None:
    """Ask glibc for one malloc arena: each thread's own arena reserves 64 MiB of address space,
    which a memory limit (`RLIMIT_AS`) counts as used; without them a small limit still leaves
    room to work (z3 starts a thread per timeout)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, 1)
    except (OSError, AttributeError):
        pass


M_ARENA_MAX = -8
"""glibc's `mallopt` parameter for the number of malloc arenas."""


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
    total = used.ru_utime + used.ru_stime + seconds
    if not total < CPU_MAX:  # beyond any real run (or infinite, from a huge --timeout): no limit
        return
    limit(resource.RLIMIT_CPU, int(total) + 1)


CPU_MAX = float(2**31)
"""Seconds of CPU time past which a limit means none (68 years)."""


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
