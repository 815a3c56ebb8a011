"""Checking with worker processes: `--jobs N` spreads the work, `--isolate` fences the solver in.

A `Pool` is the stack's solver (`stack.Solver`). Each program's consistency
test and each of its queries is a task. z3 objects cannot cross a process
boundary, so a worker receives each core `Program` once (plain frozen
dataclasses), answers tasks about it and sends back plain records; the
parent settles each program's outcome in program and query order
(`stack.settle`), so the report is the one `--jobs 1` gives.

With `--jobs N` this process answers tasks too, from the head of the queue,
starting at once; up to N-1 workers are started only when the work left is
estimated to outlast a worker's start (`WORTH_A_WORKER`) and as many
processors are idle (by the load average), and each takes tasks from the
tail once it has loaded the checker. So small runs never pay for a process,
a busy machine is not asked for more, and the default `--jobs` is never
much slower than `--jobs 1` (bench/RESULTS.md). With `--isolate` every task runs in one of N
workers, under memory and CPU limits.

A worker that dies (the solver crashed, or ran out of what `--isolate`
allows) costs only the task it was running: that query is reported
`unknown` with the reason, a new worker takes its place, and the run goes on.
"""
from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import TYPE_CHECKING

from ..logic.core import Program
from ..options import Limits, default_jobs, processors
from ..solvers import workers
from .checker import CheckOptions, Consistency, ProgramChecker, ProgramOutcome
from .results import Result
from .stack import Job, answer, inconsistent_only, settle

if TYPE_CHECKING:  # multiprocessing is imported when the first worker starts
    from multiprocessing.process import BaseProcess

__all__ = ["Pool", "Task", "default_jobs", "processors", "run_task"]

WORTH_A_WORKER = 0.4
"""Seconds of work estimated to be left (`Pool._work_left`) from which a worker is started: about
what one takes to start and load the checker on a loaded 2-core machine (bench/RESULTS.md)."""

POLL_SECONDS = 0.02
"""How often the dispatcher looks at the work left while workers run and none has anything to say."""

MEASURED = 3
"""Tasks this process answers before their times estimate the work left."""


@dataclass(frozen=True)
class Task:
    """One question: a program's consistency, or one query (with its recorded result to confirm)."""

    kind: str  # "consistency" | "answer"
    key: int
    name: str = ""
    recorded: Result | None = None


def run_task(checker: ProgramChecker, task: Task) -> object:
    """What a task asks, answered here: a `Consistency` or a `Result`."""
    return checker.consistency() if task.kind == "consistency" else answer(checker, task.name, task.recorded)


# ---------------------------------------------------------------- the worker side

def _serve(conn: workers.Channel, limits: Limits | None) -> None:
    checkers: dict[int, ProgramChecker] = {}
    try:
        conn.send("ready")
    except (OSError, ValueError):
        return
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
        number, task = message
        workers.allow_cpu(limits.cpu_seconds if limits else None)
        try:
            reply = (number, True, run_task(checkers[task.key], task))
        except MemoryError:
            reply = (number, False, "the solver ran out of memory" +
                     (f" (--isolate allows {limits.memory_mib} MiB)" if limits and limits.memory_mib else ""))
        except Exception as err:  # noqa: BLE001 - one task's failure is its result, not the worker's end
            reply = (number, False, f"the check failed: {type(err).__name__}: {err}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


# ---------------------------------------------------------------- the parent side

@dataclass
class _Worker:
    handle: workers.Worker
    programs: set[int] = field(default_factory=set)
    ready: bool = False
    task: int | None = None
    started: float = 0.0

    @property
    def process(self) -> BaseProcess:
        return self.handle.process


@dataclass
class _Submitted:
    key: int
    consistency: int
    answers: dict[str, int]


class Pool:
    """The solver of `--jobs N` (this process and up to N-1 workers) and of `--isolate` (N workers)."""

    def __init__(self, jobs: int, limits: Limits | None = None):
        self.jobs = max(1, jobs)
        self.limits = limits
        self.inline = limits is None           # this process answers tasks too
        self.most = self.jobs - 1 if self.inline else self.jobs
        self.programs: dict[int, tuple[Program, CheckOptions]] = {}
        self.checkers: dict[int, ProgramChecker] = {}
        self.tasks: list[Task] = []
        self.pending: deque[int] = deque()
        self.done: dict[int, tuple[bool, object]] = {}
        self.seconds: dict[int, float] = {}    # how long a failed task ran
        self.dropped: set[int] = set()         # tasks no longer wanted (their axioms conflict)
        self.submitted: dict[str, _Submitted] = {}
        self.workers: list[_Worker] = []
        self.answered_here = 0                 # tasks this process answered, and in how long
        self.answered_there = 0                # tasks the workers answered
        self.durations: list[float] = []       # how long each of those took
        self.busy_since: float | None = None
        self.lock = threading.Condition()
        self.closing = False
        self.dispatcher: threading.Thread | None = None
        self.began = time.perf_counter()

    # ------------------------------------------------------------ the solver protocol

    def plan(self, jobs: Sequence[Job]) -> None:
        for job in jobs:
            self._submit(job)

    def outcome(self, job: Job) -> ProgramOutcome:
        entry = self.submitted.pop(job.program.root, None) or self._submit(job, pop=True)
        checker = self._checker(entry.key)
        ok, value = self.result(entry.consistency)
        consistency = value if ok and isinstance(value, Consistency) else Consistency(
            warning=f"the consistency of the axioms could not be established ({value}); "
                    "this result may hold only because the axioms contradict each other")
        if consistency.conflict:
            self._drop(entry.answers.values())
            return inconsistent_only(checker, consistency, job.names)
        answers: list[Result] = []
        for name, task in entry.answers.items():
            ok, value = self.result(task)
            answers.append(value if ok and isinstance(value, Result)
                           else checker.unknown(name, str(value), self.seconds.pop(task, 0.0)))
        return settle(checker, consistency, answers)

    def close(self) -> None:
        with self.lock:
            self.closing = True
            self.lock.notify_all()
        if self.dispatcher is not None:
            self.dispatcher.join()
        for worker in self.workers:
            try:
                worker.handle.conn.send(None)
            except (OSError, ValueError):
                pass
        for worker in self.workers:
            worker.handle.stop(wait=0.5 if worker.task is None else 0.0)
        self.workers = []

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ tasks

    def _submit(self, job: Job, pop: bool = False) -> _Submitted:
        key = len(self.programs)
        self.programs[key] = (job.program, job.options)
        entry = _Submitted(key, self._task(Task("consistency", key)),
                           {n: self._task(Task("answer", key, n, job.recorded.get(n))) for n in job.names})
        if not pop:
            self.submitted[job.program.root] = entry
        self._start_dispatcher()
        return entry

    def _task(self, task: Task) -> int:
        with self.lock:
            self.tasks.append(task)
            self.pending.append(len(self.tasks) - 1)
            self.lock.notify_all()
            return len(self.tasks) - 1

    def _drop(self, tasks) -> None:
        with self.lock:
            for task in tasks:
                self.dropped.add(task)
                if task in self.pending:
                    self.pending.remove(task)
                self.done.pop(task, None)

    def _checker(self, key: int) -> ProgramChecker:
        if key not in self.checkers:
            self.checkers[key] = ProgramChecker(*self.programs[key])
        return self.checkers[key]

    def result(self, number: int) -> tuple[bool, object]:
        """(True, value) or (False, why it failed); this process answers waiting tasks meanwhile."""
        with self.lock:
            while number not in self.done:
                mine = self._next_here(number)
                if mine is None:
                    self.lock.wait(0.5)
                    continue
                self.busy_since = time.perf_counter()
                self.lock.release()
                try:
                    value = run_task(self._checker(self.tasks[mine].key), self.tasks[mine])
                finally:
                    self.lock.acquire()
                self.durations.append(time.perf_counter() - self.busy_since)
                self.answered_here += 1
                self.busy_since = None
                if mine not in self.dropped:
                    self.done[mine] = (True, value)
                self.lock.notify_all()  # the dispatcher weighs the work left again
            return self.done.pop(number)

    def _next_here(self, wanted: int) -> int | None:
        """The task this process takes next: the wanted one if nobody has it, else the first waiting."""
        if not self.inline or not self.pending:
            return None
        if wanted in self.pending:
            self.pending.remove(wanted)
            return wanted
        return self.pending.popleft()

    # ------------------------------------------------------------ the workers

    def _start_dispatcher(self) -> None:
        if self.dispatcher is None and self.most > 0:
            self.dispatcher = threading.Thread(target=self._dispatch, name="alignproof-dispatch", daemon=True)
            self.dispatcher.start()

    def _dispatch(self) -> None:
        try:
            self._serve_workers()
        except Exception as error:  # noqa: BLE001 - no worker can be had: say so for each task it held
            self._fail(f"the worker processes failed: {type(error).__name__}: {error}")

    def _fail(self, why: str) -> None:
        """Give up the workers: their tasks (and, under --isolate, every waiting one) fail with `why`;
        with --jobs this process answers the rest."""
        with self.lock:
            self.most = 0
            lost = [w.task for w in self.workers if w.task is not None]
            if not self.inline:
                lost += list(self.pending)
                self.pending.clear()
            for number in lost:
                self.done[number] = (False, why)
            self.lock.notify_all()

    def _serve_workers(self) -> None:
        while True:
            with self.lock:
                if self.closing:
                    return
                wanted = self._wanted()
            for _ in range(wanted):  # started outside the lock: this process goes on meanwhile
                limits = self.limits
                handle = workers.start(_serve, (limits,), f"alignproof-worker-{len(self.workers)}",
                                       limits.memory_mib if limits else None)
                with self.lock:
                    self.workers.append(_Worker(handle))
            with self.lock:
                given = []
                for worker in self.workers:
                    # with --jobs a worker takes tasks once it is ready, from the tail; under
                    # --isolate at once (a worker that cannot start then reports its task)
                    if (worker.ready or not self.inline) and worker.task is None and self.pending:
                        worker.task = self.pending.pop() if self.inline else self.pending.popleft()
                        worker.started = time.perf_counter()
                        given.append(worker)
            for worker in given:
                self._send(worker)
            listening = [w.handle.conn for w in self.workers] + [w.process.sentinel for w in self.workers]
            ready = workers.wait(listening, POLL_SECONDS) if listening else self._idle()
            with self.lock:
                for worker in list(self.workers):
                    if worker.handle.conn in ready or worker.process.sentinel in ready:
                        self._receive(worker)

    def _idle(self) -> set:
        """No worker yet: sleep until this process has answered a task (or a while has passed)."""
        with self.lock:
            if not self.closing:
                self.lock.wait(WORTH_A_WORKER)
        return set()

    def _wanted(self) -> int:
        """How many workers to start now: under --isolate, as many as there are tasks for; with
        --jobs, once the work left is estimated to outlast a worker's start, as many as there are
        processors that nothing else is using (a worker on a busy processor only slows this one)."""
        starting = sum(not w.ready for w in self.workers)
        room = min(self.most - len(self.workers), len(self.pending) - starting)
        if room <= 0 or not self.inline:
            return max(0, room)
        if self._work_left() < WORTH_A_WORKER:
            return 0
        return max(0, min(room, int(self._idle_processors() + 0.5) - len(self.workers)))

    def _idle_processors(self) -> float:
        """Processors not in use by other processes, by the 1-minute load average less this run's own
        share of it (it has been busy since the pool began); all of them where it cannot be read."""
        try:
            load = os.getloadavg()[0]
        except (OSError, AttributeError):
            return float(processors())
        own = 1.0 - math.exp(-(time.perf_counter() - self.began) / 60.0)
        return processors() - max(0.0, load - own)

    def _work_left(self) -> float:
        """Seconds of work estimated to wait: the tasks waiting times the median time this process
        took for one (the first is left out: it pays for loading the solver), once it has answered a
        few; and at least as long as the task it is on has run."""
        running = time.perf_counter() - self.busy_since if self.busy_since is not None else 0.0
        typical = median(self.durations[1:]) if len(self.durations) > MEASURED else 0.0
        return max(len(self.pending) * typical, running if self.pending else 0.0)

    def _send(self, worker: _Worker) -> None:
        assert worker.task is not None
        number = worker.task
        task = self.tasks[number]
        try:
            if task.key not in worker.programs:
                program, options = self.programs[task.key]
                worker.handle.conn.send(("program", task.key, program, options))
                worker.programs.add(task.key)
            worker.handle.conn.send((number, task))
        except (OSError, ValueError):
            pass  # the worker is gone; `_receive` sees its end and reports the task

    def _receive(self, worker: _Worker) -> None:
        try:
            while worker.handle.conn.poll():
                message = worker.handle.conn.recv()
                if message == "ready":
                    worker.ready = True
                    continue
                number, ok, value = message
                if number == worker.task:
                    worker.task = None
                    self.answered_there += 1
                    if number not in self.dropped:
                        self.done[number] = (ok, value)
                    self.lock.notify_all()
            if worker.process.is_alive():
                return
        except (EOFError, OSError):
            pass
        worker.process.join()
        if self.inline and not worker.ready:
            self.most = len(self.workers) - 1  # a worker that cannot start: this process does the work
        if worker.task is not None:
            if worker.task not in self.dropped:
                self.done[worker.task] = (False, self._death(worker.process.exitcode))
                self.seconds[worker.task] = time.perf_counter() - worker.started
            self.lock.notify_all()
        worker.handle.conn.close()
        self.workers.remove(worker)

    def _death(self, code: int | None) -> str:
        limits = self.limits
        if code is not None and code < 0:
            name = workers.signal_name(-code)
            if -code == getattr(signal, "SIGXCPU", -1) and limits and limits.cpu_seconds:
                return f"the solver used up its CPU time (--isolate allows {limits.cpu_seconds:g} s per query)"
            what = f"the solver process was killed by {name}"
        else:
            what = f"the solver process exited unexpectedly (status {code})"
        if limits and limits.memory_mib:
            what += f"; with --isolate it may use {limits.memory_mib} MiB of memory, which it may have run out of"
        return what
