"""Stage 5, every back end: which solver answers a question (`--solver z3|cvc5|portfolio`).

It takes the solver a run asks for, a program and a query's witness
constants, and hands on one session object with the interface of z3's
`Session` (`solve`, `smaller_core`): z3's, cvc5's, or a `Portfolio` that
asks both. The checker sees only `Outcome`s, each naming the solver that
gave it (`Outcome.solver`).

The portfolio's rule (no wall-clock race decides which answer is reported;
the one difference between machines is rule 5's, on one processor, and
`ALIGNPROOF_PORTFOLIO=sequential` applies that one anywhere):

1. Each question is asked of one solver first, with `FIRST_SHARE` of its
   limits (the deterministic resource limit and the wall clock alike): z3,
   except for a bounded question whose scope exceeds `SMALL_SCOPE`
   elements in some sort, which cvc5's finite model finding (with
   cardinality constraints) answers first.
2. A definite answer (sat or unsat) from the first solver is the answer;
   the other is not asked.
3. Otherwise, on an unbounded question that wants a model (a claim's or
   an example's), z3 is asked for one with 1, 2 and 3 elements per sort
   (`SMALL_MODELS`, `SMALL_MODEL_SHARE` of the limits each): a model is a
   model whatever its size, the checker re-checks it, and z3 finds small
   ones fast where cvc5 and E find none. z3's definite answers to bounded
   questions are kept for the query, so the checker's own small models
   asked later are not asked again.
4. Then the other solver is asked with the rest of the limits (and cvc5, on
   an unbounded question, first without finite model finding, then with it,
   each with half of its share). Its definite answer is the answer.
5. On an unbounded question without arithmetic, when E (`eprover`) is on
   PATH: where this process may use two processors or more (`side_by_side`),
   E is started in a process of its own with the rest of the limits and
   cvc5 is asked meanwhile with the rest too; cvc5's definite answer is the
   answer (E is ended unheard), else E's. On one processor cvc5 gets
   `CVC5_SHARE_BEFORE_E` of the limits and E, asked after it, the last
   `E_SHARE`. E answers only `unsat` (its proof; the core read from its
   proof object) or `unknown`: its saturation is never a model (see
   `solvers/eprover.py`). Without E on PATH nothing changes but the reason of
   an `unknown`, which says E was not asked.
6. When all give up, the outcome is `unknown` with every reason.

Each answer within its resource limit is deterministic (fixed seeds), so
the verdict, `used` and the model are the same run after run; the wall
clock, a backstop, decides only when a machine is several times slower than
the one the limits were measured on. Which answer is reported never depends
on which solver finished first: E beside cvc5 is heard only when cvc5 gave
up, and each stops at its own count. z3 and cvc5 take turns (cvc5's binding
holds the interpreter's lock while it solves); the processors are otherwise
used by answering queries in parallel (`--jobs`). A question never has two
definite answers here; the second opinion on a verdict is `--cross-check`,
which asks the solver that did not answer (`check/crosscheck.py`).
"""
from __future__ import annotations

import os
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

SMALL_MODELS = (1, 2, 3)
"""Elements per sort of the models z3 is asked for when it gave up on an unbounded question that wants
a model, before cvc5 and E are asked (rule 3)."""

SMALL_MODEL_SHARE = 0.1
"""The share of an unbounded question's limits each of those small models gets."""

SMALL_SCOPE = 3
"""Bounded questions with at most this many elements in every sort are asked of z3 first."""


class QuestionSession(Protocol):
    """What the checker asks one query's questions of."""

    def solve(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term] = (),
              bound: int | Scope | None = None, options: SolverOptions = ...,
              want_model: bool = True) -> Outcome: ...

    def smaller_core(self, core_names: Sequence[str], options: SolverOptions) -> tuple[str, ...] | None: ...


def side_by_side() -> bool:
    """Whether E and cvc5 may answer a question at once: this process may run on two processors or more.
    `ALIGNPROOF_PORTFOLIO=sequential` asks them in turn whatever the machine (bench/tptp.py compares)."""
    if os.environ.get("ALIGNPROOF_PORTFOLIO") == "sequential":
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2


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
        self._bounded: dict[tuple, tuple[tuple, Outcome]] = {}  # z3's definite answers to bounded questions

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
        if scope is None and want_model:
            small = self._small_models(tracked, plain, options)
            if small is not None:
                return small
        if scope is not None or not eprover.askable([*(f for _, f in tracked), *plain]):
            return self._second(found, self._ask_cvc5(tracked, plain, scope, rest, want_model))
        if not eprover.available():
            return self._second(found, self._ask_cvc5(tracked, plain, scope, rest, want_model),
                                Outcome("unknown", reason=eprover.SKIPPED, solver=eprover.SOLVER))
        if side_by_side():
            pending = self.eprover.start(tracked, plain, rest)
            try:
                second = self._ask_cvc5(tracked, plain, scope, rest, want_model)
            except BaseException:  # an interrupt, a failure in cvc5: E is not left running
                pending.cancel()
                raise
            if second.status != "unknown":
                pending.cancel()
                return second
            third = pending.result()
            self._last = self.eprover if third.status == "unsat" else self._last
            return self._second(found, second, third)
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
        key = _question(tracked, plain, scope, want_model) if scope is not None else None
        if key is not None and key in self._bounded:
            self._last = None  # z3's session holds another question now: its core is made smaller afresh
            return self._bounded[key][1]
        found = self.z3.solve(tracked, plain, scope, options, want_model)
        found = found if found.solver else replace(found, solver="z3")
        if key is not None and found.status != "unknown":
            self._bounded[key] = ((tuple(tracked), tuple(plain)), found)
        return found

    def _small_models(self, tracked, plain, options: SolverOptions) -> Outcome | None:
        """z3's model with `SMALL_MODELS` elements per sort, asked when z3 gave up on an unbounded
        question that wants one and before the other solvers are: a model is a model whatever its
        size (the checker re-checks it), and z3 finds small ones fast where cvc5 and E find none."""
        for bound in SMALL_MODELS:
            if self.budget is not None and self.budget.exhausted():
                return None
            small = self._ask_z3(tracked, plain, Scope(bound), options.share(SMALL_MODEL_SHARE), True)
            if small.status == "sat":
                return small
        return None

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


def _question(tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term], scope: Scope,
              want_model: bool) -> tuple:
    """A bounded question by the identity of its formulas (kept alive beside the answer), so the
    same question asked again in one query is answered without z3 (`Portfolio._small_models`, then
    the checker's own small models)."""
    return (tuple((name, id(term)) for name, term in tracked), tuple(map(id, plain)), scope, want_model)


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
