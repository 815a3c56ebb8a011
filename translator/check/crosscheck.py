"""Stage 6, asked twice (`--cross-check`): every answer of the checker put to cvc5 and compared.

After the checker has answered a program, this module asks cvc5 the question
each verdict rests on, from the same expanded core formulas the checker gives
z3 (`checker.query_formulas`), translated to cvc5 terms by `solvers/cvc5/`
without going through z3 or its printer:

- `proved` and `none` rest on `unsat` of the axioms with the negated claim
  (or the example); `bounded` on `unsat` within the claim's `within` bound;
- `counterexample` and `witness` on `sat` (within the bound, if there is one);
- `unknown` on nothing: cvc5's answer is shown, not compared;
- the axioms' inconsistency, once per program, on `unsat` of the axioms alone.

cvc5 runs with its own proof checking (`unsat`) and model checking (`sat`)
switched on, in a worker process that is stopped if cvc5 overruns its time
limit. One solver saying `sat` where the other says `unsat` is a
disagreement: the result is not ok, and its message shows both answers.
cvc5 giving up is not a failure, only a note. cvc5 is imported only when
asked for, so the rest of the tool works without it.
"""
from __future__ import annotations

import pickle
import queue
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING

from ..frontend import diagnostics
from ..frontend.diagnostics import Diagnostic
from ..logic.core import (
    Program,
    Query,
    Scope,
    Symbol,
    Term,
)
from ..logic.expand import Fresh, TooLarge, expand
from ..solvers import workers
from ..solvers.common import SolverOptions
from ..solvers.cvc5 import INSTALL_HINT, Answer, Unavailable, answer, load, solver_name
from ..solvers.z3 import solve as z3_solve
from ..solvers.z3 import z3_version
from .checker import CheckOptions, ProgramOutcome, query_formulas
from .results import CrossCheck, Result, Verdict

__all__ = ["INSTALL_HINT", "Answer", "CrossChecker", "Cvc5Pool", "Cvc5Process", "Unavailable", "solver_name"]

if TYPE_CHECKING:
    from .stack import Checker

Ask = Callable[[Program, Sequence[Term], Sequence[Symbol], "Scope | None", "str | None", float], "Answer"]
"""How a cross-checker asks its second solver one question: a program's formulas, its witnesses, a bound,
the answer z3's verdict rests on, and the timeout."""


class CrossChecker:
    """A pipeline checker: `inner` answers each program, then cvc5 answers every question again.

    Disagreements about a query make its result not ok; a disagreement about
    the axioms themselves is a diagnostic in `self.diagnostics`. `ask` puts
    one question to cvc5 (by default in a worker process, see `Cvc5Process`);
    up to `jobs` questions of a program are asked at once. Use it as a
    context manager, so the worker processes end with it.
    """

    def __init__(self, inner: Checker, solver: str, ask: Ask, jobs: int = 1,
                 stop: Callable[[], None] | None = None, z3: tuple[str, Ask] | None = None):
        self.inner = inner
        self.solver = solver
        self.ask = ask
        self.z3 = z3  # the name and the asking of z3, for the results cvc5 gave (the portfolio)
        self.stop = stop  # ends what `ask` started (the cvc5 worker processes)
        self.diagnostics: list[Diagnostic] = []
        # Long-lived threads: a worker process is ended by Linux when the thread that started it ends.
        self.pool = ThreadPoolExecutor(max(1, jobs), thread_name_prefix="alignproof-cross-check")

    @classmethod
    def with_cvc5(cls, inner: Checker, jobs: int = 1) -> CrossChecker:
        """The real thing: cvc5 in up to `jobs` worker processes. Raises `Unavailable` without cvc5."""
        load()
        pool = Cvc5Pool(max(1, jobs))
        return cls(inner, solver_name(), pool, jobs, pool.close, (f"z3 {z3_version()}", pool.z3))

    def prepare(self, programs: Sequence[Program], options: CheckOptions,
                names: Collection[str] | None = None) -> None:
        self.inner.prepare(programs, options, names)

    def __call__(self, program: Program, options: CheckOptions = CheckOptions(),
                 names: Collection[str] | None = None) -> ProgramOutcome:
        outcome = self.inner(program, options, names)
        queries = {q.name: q for q in program.queries}
        timeout = options.timeout
        axioms = self.pool.submit(self._axioms, program, outcome, timeout)
        if outcome.inconsistency is None:
            results = tuple(self.pool.map(lambda r: self.compare(r, queries[r.name], program, timeout),
                                          outcome.results))
        else:  # every result is unknown because of the axioms: the axioms' question is theirs
            results = tuple(_settled(r, axioms.result()) for r in outcome.results)
        axioms.result()
        return replace(outcome, results=results)

    def compare(self, result: Result, query: Query, program: Program, timeout: float) -> Result:
        """`result` with the other solver's answer to the question its verdict rests on (cvc5's, or
        z3's for a result cvc5 gave); not ok if they differ."""
        expected, bound = _question(result, query)
        first, solver, ask = "z3", self.solver, self.ask
        if result.solver == "cvc5" and self.z3 is not None:
            first, (solver, ask) = "cvc5", self.z3
        elif result.solver == "eprover":  # E's proof (the portfolio's last member), cvc5 asked beside it
            first = "eprover"
        answer = self._asked(program, lambda: query_formulas(program, query), bound, expected, timeout, ask)
        check = CrossCheck(solver=solver, verdict=result.verdict.value, expected=expected,
                           answer=answer.status, bound=bound.to_json() if bound is not None else None,
                           reason=answer.reason, first=first)
        return _settled(result, check)

    def _axioms(self, program: Program, outcome: ProgramOutcome, timeout: float) -> CrossCheck | None:
        """The axioms asked alone; a diagnostic in `self.diagnostics` if cvc5 contradicts the checker."""
        if not program.axioms:
            return None
        inconsistent = outcome.inconsistency is not None
        fresh = Fresh(program.next_uid)
        expected = "unsat" if inconsistent else "sat"
        answer = self._asked(program, lambda: ([expand(a.formula, fresh) for a in program.axioms], ()),
                             None, expected, timeout)
        check = CrossCheck(solver=self.solver, verdict="inconsistent" if inconsistent else "consistent",
                           expected=expected, answer=answer.status, reason=answer.reason, question="axioms")
        if inconsistent and answer.status == "sat":
            message = f"z3 says the axioms are inconsistent (unsat) but {self.solver} says they have a model (sat)"
        elif not inconsistent and answer.status == "unsat":
            message = f"z3 found no conflict among the axioms but {self.solver} says they are inconsistent (unsat)"
        else:
            return check
        self.diagnostics.append(Diagnostic(
            diagnostics.SOLVER_DISAGREEMENT, message, program.axioms[0].span,
            help="the two solvers contradict each other, so neither answer can be trusted; "
                 "write the queries out with --export DIR and report it"))
        return check

    def _asked(self, program: Program, build: Callable, bound: Scope | None, expected: str | None,
               timeout: float, ask: Ask | None = None) -> Answer:
        """The answer to the question `build` makes (formulas, witnesses); unknown if it cannot be made."""
        try:
            formulas, witnesses = build()
        except TooLarge as error:
            return Answer("unknown", f"the question cannot be built: {error}")
        return (ask or self.ask)(program, formulas, witnesses, bound, expected, timeout)

    def close(self) -> None:
        """End the cvc5 workers, then the stack beneath."""
        if self.stop is not None:
            self.stop()
        self.pool.shutdown()
        self.inner.close()

    def __enter__(self) -> CrossChecker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _settled(result: Result, check: CrossCheck | None) -> Result:
    """`result` carrying the second solver's answer, and not ok if the solvers disagree."""
    if check is None:
        return result
    return replace(result, cross_check=check, ok=result.ok and check.agrees is not False)


def _question(result: Result, query: Query) -> tuple[str | None, Scope | None]:
    """z3's answer ('sat', 'unsat', or None if it gave none) and the bound it rests on."""
    verdict = result.verdict
    if verdict in (Verdict.PROVED, Verdict.NONE):
        return "unsat", None
    if verdict is Verdict.BOUNDED:
        return "unsat", query.within
    if verdict in (Verdict.COUNTEREXAMPLE, Verdict.WITNESS):
        return "sat", query.within
    return None, query.within


# ---------------------------------------------------------------- cvc5 in a worker process

GRACE_SECONDS = 2.0
"""cvc5 checks its time limit only now and then: past twice the limit and this much, its process is stopped."""

STARTUP_SECONDS = 120.0
"""How long a new worker process may take to start and load cvc5 (slow on a loaded machine)."""


class Cvc5Pool:
    """Up to `size` `Cvc5Process`es, each answering one question at a time (safe to call from threads)."""

    def __init__(self, size: int):
        self.processes = [Cvc5Process() for _ in range(max(1, size))]
        self.idle: queue.SimpleQueue = queue.SimpleQueue()
        for process in self.processes:
            self.idle.put(process)

    def __call__(self, *question) -> Answer:
        process = self.idle.get()
        try:
            return process(*question)
        finally:
            self.idle.put(process)

    def z3(self, *question) -> Answer:
        """The same question asked of z3 (for a result cvc5 gave), in the same processes."""
        process = self.idle.get()
        try:
            return process(*question, solver="z3")
        finally:
            self.idle.put(process)

    def close(self) -> None:
        for process in self.processes:
            process.close()


class Cvc5Process:
    """Asks cvc5 in a worker process, so a search that does not stop at its limit can be stopped.

    cvc5's time limit is cooperative, and some searches do not reach a point
    where it is checked for minutes; the worker running one is killed and a
    new one answers the next question. Each question is tried with finite
    model finding and without (it helps to find models, and hinders proofs),
    first in the way that suits the answer z3 gave, the other only if the
    first gives up.
    """

    def __init__(self, grace: float = GRACE_SECONDS, worker: Callable | None = None, stretch: float = 2.0):
        self.grace = grace
        self.stretch = stretch  # a question is stopped after `stretch` times its timeout and `grace`
        self.worker = worker or _serve
        self.handle: workers.Worker | None = None

    @property
    def process(self) -> BaseProcess | None:
        return self.handle.process if self.handle is not None else None

    def __call__(self, program: Program, formulas: Sequence[Term], witnesses: Sequence[Symbol],
                 bound: Scope | None, expected: str | None, timeout: float, solver: str = "cvc5") -> Answer:
        modes = (False,) if solver == "z3" else (False, True) if expected == "unsat" else (True, False)
        reasons = []
        for finite in modes:
            answer = self._one((program, tuple(formulas), tuple(witnesses), bound, timeout, finite, solver), timeout)
            if answer.status != "unknown":
                return answer
            reasons.append(f"{answer.reason}{' with finite model finding' if finite else ''}")
        return Answer("unknown", "; ".join(reasons))

    def _one(self, question: tuple, timeout: float) -> Answer:
        problem = self.start()
        if problem is not None:
            return Answer("unknown", problem)
        assert self.handle is not None
        conn = self.handle.conn
        try:
            conn.send(question)
        except (OSError, ValueError, pickle.PicklingError) as error:
            self.close()
            return Answer("unknown", f"cannot hand the question to cvc5: {error}")
        limit = self.stretch * timeout + self.grace
        try:
            if conn.poll(limit):
                return conn.recv()
        except (EOFError, OSError):
            return Answer("unknown", f"the cvc5 process ended unexpectedly ({self.close(wait=1.0)})")
        self.close()
        return Answer("unknown", f"cvc5 did not stop at its time limit; stopped after {limit:g}s")

    def start(self, wait: float = STARTUP_SECONDS) -> str | None:
        """Start the worker, unless it runs, and wait up to `wait` seconds until it has loaded
        cvc5; None, or why it could not."""
        if self.handle is not None:
            return None
        self.handle = workers.start(self.worker, (), "alignproof-cvc5")
        try:
            if self.handle.conn.poll(max(0.0, wait)):
                said = self.handle.conn.recv()
                if said == "ready":
                    return None
                if isinstance(said, workers.WorkerError):
                    return f"the cvc5 process did not start: {said.reason} ({self.close(wait=1.0)})"
        except (EOFError, OSError):
            return f"the cvc5 process did not start ({self.close(wait=1.0)})"
        return f"the cvc5 process did not start within {wait:g}s ({self.close()})"

    def close(self, wait: float = 0.0) -> str:
        """End the worker process (after `wait` seconds: it may be in the middle of a search); how it ended."""
        if self.handle is None:
            return "not running"
        handle, self.handle = self.handle, None
        return handle.stop(wait)


def _serve(conn) -> None:
    try:
        cvc5 = load()
    except Unavailable as error:
        cvc5, missing = None, str(error)
    try:
        conn.send("ready")
    except (OSError, ValueError):
        return
    while True:
        try:
            program, formulas, witnesses, bound, timeout, finite, solver = conn.recv()
        except (EOFError, OSError):
            return
        if solver == "z3":
            said = z3_solve(program, [], formulas, witnesses, bound, SolverOptions(timeout=timeout), want_model=False)
            reply = Answer(said.status, said.reason)
        elif cvc5 is None:
            reply = Answer("unknown", missing)
        else:
            reply = answer(cvc5, program, formulas, witnesses, bound, timeout, finite)
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


# ---------------------------------------------------------------- one cvc5 question
