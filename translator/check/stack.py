"""The checker stack, built in one place from one `Options` record (`open_stack`).

From the bottom up:

- a `Solver` answers the queries of `Job`s: `InProcess`, or `parallel.Pool`
  (worker processes for `--jobs N`, fenced ones for `--isolate`). A job may
  carry results replayed from proof records, which the solver *confirms*
  (`ProgramChecker.confirm`) instead of searching for an answer;
- `records.Recorder` (a `Checker`) plans each program's job from its proof
  record, and reports drift and writes records;
- `crosscheck.CrossChecker` (a `Checker`) puts every question to cvc5 again,
  when asked for.

`pipeline.run` drives the top `Checker`: `prepare` with every program
first, then one call per program, then `close`. mypy checks that each layer
fits its protocol. The solver tells the run's `Progress` (`translator/progress.py`)
of each query it starts and answers, wherever it runs.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..logic.core import Program
from ..options import Options
from ..progress import SILENT, Progress, claim_step
from ..solvers.portfolio import default_solver
from .checker import CheckOptions, Consistency, ProgramChecker, ProgramOutcome, check_program
from .results import Drift, Result, Verdict

if TYPE_CHECKING:
    from ..frontend.diagnostics import Diagnostic


class Checker(Protocol):
    """What the pipeline drives: one program's outcome at a time, after seeing them all."""

    def prepare(self, programs: Sequence[Program], options: CheckOptions,
                names: Collection[str] | None = None) -> None: ...

    def __call__(self, program: Program, options: CheckOptions = ...,
                 names: Collection[str] | None = None) -> ProgramOutcome: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Job:
    """One program's work: the queries to answer (in order), and of those the results replayed
    from a proof record, each to be confirmed before it is reported."""

    program: Program
    options: CheckOptions
    names: tuple[str, ...]
    recorded: Mapping[str, Result] = field(default_factory=dict)


class Solver(Protocol):
    """What answers jobs: told every job first (`plan`), then asked for each one's outcome."""

    def plan(self, jobs: Sequence[Job]) -> None: ...

    def outcome(self, job: Job) -> ProgramOutcome: ...

    def close(self) -> None: ...


# ---------------------------------------------------------------- one job, wherever it runs

def answer(checker: ProgramChecker, name: str, recorded: Result | None) -> Result:
    """A query's result: the recorded one if it is confirmed, else a fresh answer."""
    if recorded is not None and checker.confirm(recorded):
        return recorded
    return checker.answer(name)


def settle(checker: ProgramChecker, consistency: Consistency, answers: Sequence[Result]) -> ProgramOutcome:
    """The outcome from the consistency verdict and the answers. A replayed proof needs the
    axioms' consistency established now: while it is undecided, such results are solved afresh."""
    if consistency.warning and not consistency.conflict:
        answers = [checker.answer(r.name) if r.cached and r.verdict in _RESTS_ON_UNSAT else r for r in answers]
    return checker.settle(consistency, answers)


_RESTS_ON_UNSAT = (Verdict.PROVED, Verdict.NONE, Verdict.BOUNDED)


def inconsistent_only(checker: ProgramChecker, consistency: Consistency, names: Sequence[str]) -> ProgramOutcome:
    """The outcome of a program whose axioms conflict: no query needs asking."""
    return checker.settle(consistency, [checker.unknown(n, "") for n in names])


class InProcess:
    """The solver that answers every job in this process, one question at a time."""

    def __init__(self, progress: Progress = SILENT):
        self.progress = progress

    def plan(self, jobs: Sequence[Job]) -> None:
        pass

    def outcome(self, job: Job) -> ProgramOutcome:
        if not job.recorded:
            return check_program(job.program, job.options, job.names, progress=self.progress)
        checker = ProgramChecker(job.program, job.options)
        consistency = checker.consistency()
        if consistency.conflict:
            return inconsistent_only(checker, consistency, job.names)
        answers = []
        for name in job.names:
            with self.progress.step(claim_step(job.program.root, name)):
                answers.append(answer(checker, name, job.recorded.get(name)))
        return settle(checker, consistency, answers)

    def close(self) -> None:
        pass


class Plain:
    """A checker made of a function like `checker.check_program` (tests put liars in its place)."""

    def __init__(self, check: Callable[[Program, CheckOptions, Collection[str] | None], ProgramOutcome]):
        self.check = check

    def prepare(self, programs: Sequence[Program], options: CheckOptions,
                names: Collection[str] | None = None) -> None:
        pass

    def __call__(self, program: Program, options: CheckOptions = CheckOptions(),
                 names: Collection[str] | None = None) -> ProgramOutcome:
        return self.check(program, options, names)

    def close(self) -> None:
        pass


# ---------------------------------------------------------------- the stack

@dataclass
class Stack:
    """The built stack: the checker to drive, and what its layers report besides results."""

    checker: Checker
    drift: list[Drift] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # cross-check: disagreements about axioms
    consulted: bool = False  # some proof record existed


def check_options(options: Options) -> CheckOptions:
    return CheckOptions(timeout=options.timeout, rlimit=options.rlimit, models=options.models,
                        backend=options.solver or default_solver())


def solver(options: Options, progress: Progress = SILENT) -> Solver:
    """In this process, or worker processes when `jobs` or `isolate` ask for them."""
    if options.jobs > 1 or options.isolate is not None:
        from .parallel import Pool  # multiprocessing only when asked for
        return Pool(options.jobs, options.isolate, progress)
    return InProcess(progress)


@contextmanager
def open_stack(options: Options, progress: Progress = SILENT) -> Iterator[Stack]:
    """The stack `options` asks for, reporting to `progress`; its worker processes end with the block.
    Raises `crosscheck.Unavailable` for `cross_check` (or `solver` cvc5 or portfolio) without cvc5."""
    from .records import Recorder
    if options.solver in ("cvc5", "portfolio"):
        from ..solvers import cvc5
        if not cvc5.available():
            raise cvc5.Unavailable(f"--solver {options.solver} needs the cvc5 package, which cannot be imported")
    recorder = Recorder(solver(options, progress), record=options.record, cached=options.cached,
                        strict=options.strict_records, retry_unknown=options.retry_unknown, limits=options.isolate)
    top: Checker = recorder
    stack = Stack(top, recorder.drift)
    try:
        if options.cross_check:
            from . import crosscheck  # cvc5 and its worker pool only when asked for
            cross = crosscheck.CrossChecker.with_cvc5(recorder, max(1, options.jobs))
            stack.checker, stack.diagnostics = cross, cross.diagnostics
        yield stack
        stack.consulted = recorder.consulted
    finally:
        stack.checker.close()
