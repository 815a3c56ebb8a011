"""Worker processes for the solvers: the one bootstrap of every process that answers questions.

Both pools start their workers here: the z3 workers of `check/parallel.py`
(`--jobs`, `--isolate`) and the cvc5 workers of `check/crosscheck.py`
(`--cross-check`). A worker is started with `spawn`, not `fork` (the parent
holds threads), and on its side ignores Ctrl-C (the parent handles it),
ends when the parent ends (Linux) and may be given an address-space limit.
The parent talks to it through one `Channel`; what is said is the pool's
business.

A message is pickled flat (`flat_dumps`): pickle recurses on the nesting of
what it writes, and a deeply nested formula would exceed Python's recursion
limit, so every object reachable from the message is first listed children
before parents and the list is pickled with the message; each object is then
written when its parts already are, as a reference, and nothing nests.
Reading a pickle does not recurse. So no process needs a raised recursion
limit or a large stack for deep formulas.
"""
from __future__ import annotations

import pickle
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # multiprocessing is imported when the first worker starts
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

_ATOMS = (str, bytes, int, float, bool, type(None))


def _parts(value: Any) -> Iterator[Any]:
    """The objects `value` holds that pickle would write inside it (containers and records)."""
    if isinstance(value, (tuple, list, set, frozenset)):
        yield from value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield item
    elif is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "__dict__"):
            yield from vars(value).values()  # what pickle writes: the instance's dictionary
        else:
            yield from (getattr(value, f.name) for f in fields(value))


def flat_dumps(message: Any) -> bytes:
    """`message` pickled so that the pickler never nests deeper than one object (module docstring)."""
    order: list[Any] = []
    seen: set[int] = set()
    stack: list[tuple[Any, bool]] = [(message, False)]
    while stack:
        value, expanded = stack.pop()
        if isinstance(value, _ATOMS):
            continue
        if expanded:
            order.append(value)
            continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        stack.append((value, True))
        stack.extend((part, False) for part in _parts(value))
    return pickle.dumps((order, message), protocol=pickle.HIGHEST_PROTOCOL)


def flat_loads(data: bytes) -> Any:
    return pickle.loads(data)[1]


class Channel:
    """One end of a worker's connection, sending and receiving flat pickles (`flat_dumps`)."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def send(self, message: Any) -> None:
        self.conn.send_bytes(flat_dumps(message))

    def recv(self) -> Any:
        return flat_loads(self.conn.recv_bytes())

    def poll(self, timeout: float | None = 0.0) -> bool:
        return self.conn.poll(timeout)

    def fileno(self) -> int:
        return self.conn.fileno()

    def close(self) -> None:
        self.conn.close()


@dataclass
class Worker:
    """A started worker process and the parent's end of its channel."""

    process: BaseProcess
    conn: Channel

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
    return Worker(process, Channel(parent))


def wait(ready: Sequence, timeout: float) -> set:
    """Which of the connections and process sentinels are ready, waiting up to `timeout` seconds."""
    from multiprocessing.connection import wait as waiting
    return set(waiting(ready, timeout))


def _bootstrap(serve: Callable[..., None], conn: Connection, args: tuple, memory_mib: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle (exit 130)
    die_with_parent()
    if memory_mib:
        limit(_resource().RLIMIT_AS, memory_mib * 1024 * 1024)
    serve(Channel(conn), *args)


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
