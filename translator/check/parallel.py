"""Checking in worker processes: `--jobs N` spreads the queries, `--isolate` fences the solver in.

z3 objects cannot cross a process boundary, so a worker receives each core
`Program` once (plain frozen dataclasses) and then answers tasks about it:
the program's consistency, or one of its queries. It sends back plain
records. The parent puts the answers together in program and query order
(`checker.ProgramChecker.settle`), so the report is the one `--jobs 1` gives.

A worker that dies (the solver crashed, or ran out of the memory or CPU time
`--isolate` allows it) costs only the task it was running: that query is
reported `unknown` with the reason, a new worker takes its place, and the
rest of the run goes on.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Collection
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from ..logic.core import Program
from .checker import CheckOptions, Consistency, ProgramChecker, ProgramOutcome, check_program
from .results import Result

MIN_QUERIES_FOR_WORKERS = 4
"""Fewer queries than this are checked in-process without `--isolate`: starting a worker costs more."""


def default_jobs() -> int:
    """`--jobs` when not given: `ALIGNPROOF_JOBS` if set to a positive number, else the processors."""
    configured = os.environ.get("ALIGNPROOF_JOBS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return processors()


def processors() -> int:
    """The number of processors this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Limits:
    """What `--isolate` allows each worker: address space in MiB, CPU seconds per task."""

    memory_mib: int | None = None
    cpu_seconds: float | None = None

    def describe(self) -> str:
        parts = []
        if self.memory_mib:
            parts.append(f"{self.memory_mib} MiB of memory")
        if self.cpu_seconds:
            parts.append(f"{self.cpu_seconds:g} s of CPU time per query")
        return " and ".join(parts)


# ---------------------------------------------------------------- the worker side

def _worker_main(conn: Connection, limits: Limits | None) -> None:
    # Ctrl-C is the parent's to handle (exit 130); a worker ends with it, silently
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    if limits is not None and limits.memory_mib:
        _limit(_resource().RLIMIT_AS, limits.memory_mib * 1024 * 1024)
    _serve(conn, limits)  # no deep stack needed: nothing here recurses on a formula's depth


def _serve(conn: Connection, limits: Limits | None) -> None:
    checkers: dict[int, ProgramChecker] = {}
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        if message[0] == "program":
            _, key, program, options = message
            checkers[key] = ProgramChecker(program, options)
            continue
        task, kind, key, name = message
        _allow_cpu(limits)
        try:
            checker = checkers[key]
            value = checker.consistency() if kind == "consistency" else checker.answer(name)
            reply = (task, True, value)
        except MemoryError:
            reply = (task, False, "the solver ran out of memory" +
                     (f" (--isolate allows {limits.memory_mib} MiB)" if limits and limits.memory_mib else ""))
        except Exception as err:  # noqa: BLE001 - one task's failure is its result, not the worker's end
            reply = (task, False, f"the check failed: {type(err).__name__}: {err}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


def _resource():
    import resource  # POSIX only; --isolate says so where it is missing
    return resource


def _limit(which: int, amount: int) -> None:
    resource = _resource()
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        amount = min(amount, hard)
    resource.setrlimit(which, (amount, hard))


def _allow_cpu(limits: Limits | None) -> None:
    """Let the next task use `cpu_seconds` more CPU time; past that the kernel stops the worker."""
    if limits is None or not limits.cpu_seconds:
        return
    resource = _resource()
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    _limit(resource.RLIMIT_CPU, int(spent + limits.cpu_seconds) + 1)


def die_with_parent() -> None:
    """Ask Linux to end this worker when the parent ends (Ctrl-C leaves no solver running)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# ---------------------------------------------------------------- the parent side

@dataclass
class _Worker:
    process: multiprocessing.Process
    conn: Connection
    programs: set[int] = field(default_factory=set)
    task: int | None = None
    started: float = 0.0


class Workers:
    """Worker processes answering consistency and query tasks; a dead worker is replaced."""

    def __init__(self, jobs: int, limits: Limits | None = None):
        self.jobs = max(1, jobs)
        self.limits = limits
        self.context = multiprocessing.get_context("spawn")  # not fork: the parent holds threads
        self.workers: list[_Worker] = []
        self.programs: dict[int, tuple[Program, CheckOptions]] = {}
        self.tasks: dict[int, tuple[str, int, str]] = {}
        self.pending: deque[int] = deque()
        self.done: dict[int, tuple[bool, object]] = {}
        self.seconds: dict[int, float] = {}  # how long a failed task ran

    def add_program(self, program: Program, options: CheckOptions) -> int:
        key = len(self.programs)
        self.programs[key] = (program, options)
        return key

    def submit(self, kind: str, key: int, name: str = "") -> int:
        task = len(self.tasks)
        self.tasks[task] = (kind, key, name)
        self.pending.append(task)
        return task

    def result(self, task: int) -> tuple[bool, object]:
        """(True, value) or (False, why it failed), waiting for the workers as needed."""
        while task not in self.done:
            self._dispatch()
            self._collect()
        return self.done.pop(task)

    def _dispatch(self) -> None:
        for worker in self.workers:
            if worker.task is None and self.pending:
                self._send(worker, self.pending.popleft())
        while self.pending and len(self.workers) < self.jobs:
            self._send(self._start(), self.pending.popleft())

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker_main, args=(child, self.limits), daemon=True,
                                       name=f"alignproof-worker-{len(self.workers)}")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self.workers.append(worker)
        return worker

    def _send(self, worker: _Worker, task: int) -> None:
        kind, key, name = self.tasks[task]
        worker.task, worker.started = task, time.perf_counter()
        try:
            if key not in worker.programs:
                program, options = self.programs[key]
                worker.conn.send(("program", key, program, options))
                worker.programs.add(key)
            worker.conn.send((task, kind, key, name))
        except (OSError, ValueError):
            pass  # the worker is gone; `_collect` sees its end and reports the task

    def _collect(self) -> None:
        busy = [w for w in self.workers if w.task is not None]
        if not busy:
            return
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
        for worker in busy:
            if worker.conn in ready or worker.process.sentinel in ready:
                self._receive(worker)

    def _receive(self, worker: _Worker) -> None:
        task = worker.task
        try:
            if worker.conn.poll():
                answered, ok, value = worker.conn.recv()
                if answered == task:
                    self.done[task] = (ok, value)
                    worker.task = None
                    return
        except (EOFError, OSError):
            pass
        if worker.process.is_alive():
            return
        worker.process.join()
        self.done[task] = (False, self._death(worker.process.exitcode))
        self.seconds[task] = time.perf_counter() - worker.started
        worker.conn.close()
        self.workers.remove(worker)

    def _death(self, code: int | None) -> str:
        limits = self.limits
        if code is not None and code < 0:
            name = _signal_name(-code)
            if -code == getattr(signal, "SIGXCPU", -1) and limits and limits.cpu_seconds:
                return f"the solver used up its CPU time (--isolate allows {limits.cpu_seconds:g} s per query)"
            what = f"the solver process was killed by {name}"
        else:
            what = f"the solver process exited unexpectedly (status {code})"
        if limits and limits.memory_mib:
            what += f"; with --isolate it may use {limits.memory_mib} MiB of memory, which it may have run out of"
        return what

    def close(self) -> None:
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
        for worker in self.workers:
            worker.process.join(1.0)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers = []


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


# ---------------------------------------------------------------- the checker stage, spread out

@dataclass
class _Submitted:
    key: int
    consistency: int
    answers: dict[str, int]


class PoolSolve:
    """A drop-in for `check_program` that spreads queries over worker processes.

    `submit` queues a program's consistency test and each of its queries as
    separate tasks, so one large spec file keeps every worker busy; the call
    for a program then waits for its tasks and settles the outcome as
    `check_program` would. Without `limits`, small jobs stay in-process.
    """

    def __init__(self, jobs: int, limits: Limits | None = None):
        self.jobs = jobs
        self.limits = limits
        self.workers: Workers | None = None
        self.submitted: dict[tuple[str, tuple[str, ...]], _Submitted] = {}
        self.planned = 0

    @property
    def futures(self) -> dict:  # what is still to be collected
        return self.submitted

    def wants(self, queries: int) -> bool:
        """Whether work of this many queries in all goes to worker processes."""
        return self.limits is not None or (self.jobs > 1 and queries >= MIN_QUERIES_FOR_WORKERS)

    def submit(self, program: Program, options: CheckOptions, names: Collection[str]) -> None:
        if self.workers is None:
            self.workers = Workers(self.jobs, self.limits)
        pool = self.workers
        key = pool.add_program(program, options)
        names = tuple(names)
        self.submitted[(program.root, names)] = _Submitted(
            key, pool.submit("consistency", key), {n: pool.submit("answer", key, n) for n in names})

    def __call__(self, program: Program, options: CheckOptions, names: Collection[str]) -> ProgramOutcome:
        names = tuple(names)
        entry = self.submitted.pop((program.root, names), None)
        if entry is None:
            if not self.wants(len(names)):
                return check_program(program, options, names)
            self.submit(program, options, names)
            entry = self.submitted.pop((program.root, names))
        return self._settle(program, options, entry)

    def _settle(self, program: Program, options: CheckOptions, entry: _Submitted) -> ProgramOutcome:
        assert self.workers is not None
        checker = ProgramChecker(program, options)
        ok, value = self.workers.result(entry.consistency)
        consistency = value if ok else Consistency(
            warning=f"the consistency of the axioms could not be established ({value}); "
                    "this result may hold only because the axioms contradict each other")
        answers: list[Result] = []
        for name, task in entry.answers.items():
            ok, value = self.workers.result(task)
            answers.append(value if ok else checker.unknown(name, str(value), self.workers.seconds.pop(task, 0.0)))
        return checker.settle(consistency, answers)

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()
            self.workers = None

    def __enter__(self) -> PoolSolve:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
