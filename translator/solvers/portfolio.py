"""Stage 5, every back end: which solver answers a question (`--solver z3|cvc5|portfolio`).

It takes the solver a run asks for, a program and a query's witness
constants, and hands on one session object with the interface of z3's
`Session` (`solve`, `smaller_core`): z3's, cvc5's, or a `Portfolio` that
asks both. The checker sees only `Outcome`s, each naming the solver that
gave it (`Outcome.solver`).

The portfolio's rule, the same on every machine (no wall-clock race decides
which answer is reported):

1. Each question is asked of one solver first, with `FIRST_SHARE` of its
   limits (the deterministic resource limit and the wall clock alike): z3,
   except for a bounded question whose scope exceeds `SMALL_SCOPE`
   elements in some sort, which cvc5's finite model finding (with
   cardinality constraints) answers first.
2. A definite answer (sat or unsat) from the first solver is the answer;
   the other is not asked.
3. Otherwise the other solver is asked with the rest of the limits (and
   cvc5, on an unbounded question, first without finite model finding, then
   with it, each with half of its share). Its definite answer is the answer.
4. On an unbounded question without arithmetic, when E (`eprover`) is on
   PATH, cvc5 gets `CVC5_SHARE_BEFORE_E` of the limits instead of the rest,
   and when it gives up too, E is asked with the last `E_SHARE`
   (`solvers/eprover.py`). E answers only `unsat` (its proof; the core read
   from its proof object) or `unknown`: its saturation is never a model. Without
   E on PATH nothing changes but the reason of an `unknown`, which says E was
   not asked.
5. When all give up, the outcome is `unknown` with every reason.

Each answer within its resource limit is deterministic (fixed seeds), so
the verdict, `used` and the model are the same run after run; the wall
clock, a backstop, decides only when a machine is several times slower than
the one the limits were measured on. The two solvers take turns on one
processor: the processors are used by answering queries in parallel
(`--jobs`), which the checker does already, rather than by two solvers
racing on one question. A question never has two definite answers here;
the second opinion on a verdict is `--cross-check`, which asks the solver
that did not answer (`check/crosscheck.py`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from ..logic import core
from ..logic.core import Scope
from . import cvc5, eprover
from .budget import Budget
from .common import Outcome, SolverOptions
from .z3 import Session as Z3Session

SOLVERS = ("z3", "cvc5", "portfolio")
"""The values of `--solver`."""

FIRST_SHARE = 0.5
"""The share of a question's limits the solver asked first gets; the other gets the rest."""

CVC5_SHARE_BEFORE_E = 0.3
"""cvc5's share of a question's limits when E is asked after it (E gets the rest, `E_SHARE`)."""

E_SHARE = 1 - FIRST_SHARE - CVC5_SHARE_BEFORE_E
"""E's share of the limits of an unbounded question without arithmetic, asked last."""

SMALL_SCOPE = 3
"""Bounded questions with at most this many elements in every sort are asked of z3 first."""


class QuestionSession(Protocol):
    """What the checker asks one query's questions of."""

    def solve(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term] = (),
              bound: int | Scope | None = None, options: SolverOptions = ...,
              want_model: bool = True) -> Outcome: ...

    def smaller_core(self, core_names: Sequence[str], options: SolverOptions) -> tuple[str, ...] | None: ...


def default_solver() -> str:
    """`--solver` when not given: the portfolio where cvc5 is installed, else z3 alone."""
    return "portfolio" if cvc5.available() else "z3"


def finds_models(solver: str, scope: Scope) -> bool:
    """Whether `solver` asks a bounded question of `scope` of a model finder first (cvc5's finite
    model finding, which tries the smaller sizes itself and so finds the smallest model)."""
    return solver == "cvc5" or (solver == "portfolio" and _model_finder_first(scope))


def _model_finder_first(scope: Scope) -> bool:
    return scope.largest > SMALL_SCOPE


def open_session(solver: str, program: core.Program, witnesses: Sequence[core.Symbol] = (),
                 budget: Budget | None = None) -> QuestionSession:
    """The session of one query for `--solver SOLVER`, spending from the query's `budget`
    (`solvers/budget.py`) when there is one."""
    if solver == "z3":
        return Z3Session(program, witnesses, budget)
    if solver == "cvc5":
        return _Budgeted(cvc5.Session(program, witnesses, cvc5.load("--solver cvc5")), budget)
    if solver == "portfolio":
        return Portfolio(program, witnesses, budget)
    raise ValueError(f"unknown solver {solver!r}: one of {', '.join(SOLVERS)}")


class Portfolio:
    """z3 and cvc5 on every question of one query, by the rule of the module's docstring."""

    def __init__(self, program: core.Program, witnesses: Sequence[core.Symbol] = (), budget: Budget | None = None):
        self.program = program
        self.witnesses = tuple(witnesses)
        self.budget = budget
        self.z3 = Z3Session(program, witnesses, budget)
        self._cvc5: cvc5.Session | None = None
        self.eprover = eprover.Session(program, witnesses, budget)
        self._last: Z3Session | cvc5.Session | eprover.Session | None = None

    @property
    def cvc5_session(self) -> cvc5.Session:
        if self._cvc5 is None:
            self._cvc5 = cvc5.Session(self.program, self.witnesses, cvc5.load("the portfolio"))
        return self._cvc5

    def solve(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term] = (),
              bound: int | Scope | None = None, options: SolverOptions | None = None,
              want_model: bool = True) -> Outcome:
        options = options or SolverOptions()
        scope = Scope.of(bound)
        first, rest = options.share(FIRST_SHARE), options.share(1 - FIRST_SHARE)
        self._last = None
        if scope is not None and _model_finder_first(scope):
            found = self._ask_cvc5(tracked, plain, scope, first, want_model)
            if found.status != "unknown":
                return found
            return self._second(found, self._ask_z3(tracked, plain, scope, rest, want_model))
        found = self._ask_z3(tracked, plain, scope, first, want_model)
        if found.status != "unknown":
            return found
        if scope is not None or not eprover.askable([*(f for _, f in tracked), *plain]):
            return self._second(found, self._ask_cvc5(tracked, plain, scope, rest, want_model))
        if not eprover.available():
            return self._second(found, self._ask_cvc5(tracked, plain, scope, rest, want_model),
                                Outcome("unknown", reason=eprover.SKIPPED, solver=eprover.SOLVER))
        second = self._ask_cvc5(tracked, plain, scope, options.share(CVC5_SHARE_BEFORE_E), want_model)
        if second.status != "unknown":
            return second
        return self._second(found, second, self._ask_eprover(tracked, plain, options.share(E_SHARE)))

    def smaller_core(self, core_names: Sequence[str], options: SolverOptions) -> tuple[str, ...] | None:
        """The last answer's core made smaller on the solver that gave it, within the query's budget."""
        if self._last is None:
            return None
        if isinstance(self._last, (Z3Session, eprover.Session)):  # first: naming cvc5.Session imports cvc5's modules
            return self._last.smaller_core(core_names, options)
        return self._last.smaller_core(core_names, options, self.budget)

    def _ask_z3(self, tracked, plain, scope: Scope | None, options: SolverOptions, want_model: bool) -> Outcome:
        self._last = self.z3
        found = self.z3.solve(tracked, plain, scope, options, want_model)
        return found if found.solver else replace(found, solver="z3")

    def _ask_cvc5(self, tracked, plain, scope: Scope | None, options: SolverOptions, want_model: bool) -> Outcome:
        try:
            session = self.cvc5_session
        except cvc5.Unavailable as error:
            return Outcome("unknown", reason=str(error), solver=cvc5.SOLVER)
        self._last = session
        cut = _cut(options, self.budget)
        if cut is None:
            assert self.budget is not None
            return Outcome("unknown", reason=self.budget.exhausted() or "the query's budget is used up",
                           solver=cvc5.SOLVER)
        options = cut
        if scope is not None:
            return session.solve(tracked, plain, scope, options, want_model)
        half = options.share(0.5)
        found = session.solve(tracked, plain, None, half, want_model, finite=False)
        if found.status != "unknown":
            return found
        finite = session.solve(tracked, plain, None, half, want_model, finite=True)
        if finite.status != "unknown":
            return finite
        return Outcome("unknown", reason=f"{found.reason}; {_bare(finite.reason)} with finite model finding",
                       solver=cvc5.SOLVER)

    def _ask_eprover(self, tracked, plain, options: SolverOptions) -> Outcome:
        self._last = self.eprover
        return self.eprover.solve(tracked, plain, options)

    def _second(self, first: Outcome, second: Outcome, third: Outcome | None = None) -> Outcome:
        """The later solvers' definite answer, or `unknown` with every reason (z3's first, E's last)."""
        for later in (second, third):
            if later is not None and later.status != "unknown":
                return later
        self._last = None
        order = {"z3": 0, cvc5.SOLVER: 1, eprover.SOLVER: 2}
        reasons = sorted([first, second, *([third] if third else [])], key=lambda o: order.get(o.solver, 1))
        return Outcome("unknown", reason="; ".join(f"{o.solver}: {_bare(o.reason)}" for o in reasons),
                       solver="portfolio")


def _cut(options: SolverOptions, budget: Budget | None) -> SolverOptions | None:
    """`options` cut down to what is left of the query's budget; None when nothing is. cvc5 counts
    its own units, so only its wall clock is taken off the budget (it passes as cvc5 runs)."""
    if budget is None:
        return options
    if budget.exhausted():
        return None
    return replace(options, timeout=min(options.timeout, budget.seconds_left()))


class _Budgeted:
    """cvc5 alone (`--solver cvc5`), asked within what is left of the query's budget."""

    def __init__(self, session: cvc5.Session, budget: Budget | None):
        self.session = session
        self.budget = budget
        self.witnesses = session.witnesses

    def solve(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term] = (),
              bound: int | Scope | None = None, options: SolverOptions | None = None,
              want_model: bool = True) -> Outcome:
        cut = _cut(options or SolverOptions(), self.budget)
        if cut is None:
            assert self.budget is not None
            return Outcome("unknown", reason=self.budget.exhausted() or "the query's budget is used up",
                           solver=cvc5.SOLVER)
        return self.session.solve(tracked, plain, bound, cut, want_model)

    def smaller_core(self, core_names: Sequence[str], options: SolverOptions) -> tuple[str, ...] | None:
        cut = _cut(options, self.budget)
        return None if cut is None else self.session.smaller_core(core_names, cut, self.budget)


def _bare(reason: str) -> str:
    """A reason without the name of the solver that gave it ("cvc5: incomplete" -> "incomplete")."""
    for name in ("cvc5: ", "z3: ", "eprover: "):
        if reason.startswith(name):
            return reason[len(name):]
    return reason
