"""Checking programs in parallel: the checker stage spread over worker processes.

z3 objects cannot cross a process boundary, so the workers receive the core
`Program` (plain frozen dataclasses) and send back the `ProgramOutcome`
(plain result records); each worker builds its own solver. Answers are
collected in program order, so the report is the one `--jobs 1` gives.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Collection

from .checker import CheckOptions, ProgramOutcome, check_program
from .core import Program


def default_jobs() -> int:
    """The number of processors this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def _worker_setup() -> None:
    # the same head room for recursive stages as the command line's worker thread
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50_000))


def _check(program: Program, options: CheckOptions, names: tuple[str, ...]) -> ProgramOutcome:
    return check_program(program, options, names)


class PoolSolve:
    """`check_program` whose work is submitted to a process pool ahead of the calls for it."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.futures: dict[tuple[str, tuple[str, ...]], Future] = {}
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, program: Program, options: CheckOptions, names: Collection[str]) -> None:
        if self.pool is None:
            # spawn, not fork: the parent may hold threads (and z3's state) that a fork would copy mid-step
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_worker_setup)
        key = (program.root, tuple(names))
        self.futures[key] = self.pool.submit(_check, program, options, tuple(names))

    def __call__(self, program: Program, options: CheckOptions, names: Collection[str]) -> ProgramOutcome:
        future = self.futures.pop((program.root, tuple(names)), None)
        if future is None:
            return check_program(program, options, names)
        try:
            return future.result()
        except BrokenProcessPool:  # a worker could not start or died: check here instead
            return check_program(program, options, names)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def __enter__(self) -> "PoolSolve":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
