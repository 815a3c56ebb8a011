"""Stage 5, z3: questions asked of Z3, one query's in one session, answered with plain values.

It takes expanded core formulas (the checker's axioms, negated claim or
example, with the witness constants they use) and hands on an `Outcome`: a
status, the names of the tracked assertions in an unsat core, or a
`model.Model` copied out of Z3.

Sessions. The questions about one query (the claim itself, a smaller unsat
core, the vacuity test, smaller models) are asked in one `Session`: one
`z3.Context` with the program's declarations, each formula translated once
per bound, a fresh
`z3.Solver` per question (a smaller core is sought on the solver of the
question that found the core, with assumptions). Queries share no solver
state: each query has its own session, so a query's answers do not depend on
which other queries were asked before it, or in which process, and the same
query always gets the same answers and the same models. (A context shared by
the queries of a program would save making one, about 2.4 ms a query, but
Z3's search depends on which terms the context holds and in which order they
were made: measured on spec/, 39 of 95 results then differ with the order of
the queries, and the run is slower; bench/RESULTS.md, "Sessions".)

Resource limit. Z3's `rlimit` counts abstract work units and is deterministic,
unlike the wall clock. When `SolverOptions.rlimit` is None the limit is
`RLIMIT_PER_SECOND * timeout`. Measured with z3 4.15.4 on a shared 2-core
x86-64 machine, as units consumed per second by searches that ran until a
2 s timeout: the 100 TPTP problems of the soundness suite (66 long searches,
unbounded and with every sort at most 3): 0.14-3.1 M/s, median 0.8, 10% below
0.39, 20% below 0.59; spec-like queries over agree/agree_on/maximizes/
injective/surjective with Real and Int values: 0.7-1.2 M/s; pure propositional
search (pigeonhole): 0.22-0.34 M/s. Of the TPTP queries that were decided,
95% needed under 0.4 M units and none more than 2.5 M. At 0.5 M/s (5 M units
for the default 10 s) the resource limit stops about 85% of long searches
before the wall clock, so verdicts do not depend on machine speed or load;
the timeout stays as the backstop (it bites first mainly on propositional
search and on machines several times slower).
"""
from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import replace

import z3
from z3 import z3core

from ...logic import core
from ...logic.walk import UnknownNode
from ..budget import MIN_SECONDS, RECHECK_GRACE, Budget
from ..common import MAX_TIMEOUT, RLIMIT_PER_SECOND, Z3_MAX, Outcome, SolverOptions
from .bounds import MAX_BOUND, Bounds, OutOfTime
from .models import LateReadOut, ModelReader, TooLong
from .translate import Translator
from .vocabulary import Untranslatable, Vocabulary

__all__ = ["RLIMIT_PER_SECOND", "Outcome", "Session", "SolverOptions", "solve", "z3_version"]

SOLVER = "z3"

__all__ = ["MAX_TIMEOUT", "RLIMIT_PER_SECOND", "Z3_MAX", "Outcome", "SolverOptions"]  # re-exported


def z3_version() -> str:
    """The version of the Z3 library in use, e.g. '4.15.4'."""
    return z3.get_version_string()


def solve(program: core.Program,
          tracked: Sequence[tuple[str, core.Term]],
          plain: Sequence[core.Term] = (),
          witnesses: Sequence[core.Symbol] = (),
          bound: int | core.Scope | None = None,
          options: SolverOptions = SolverOptions(),
          want_model: bool = True) -> Outcome:
    """Whether the tracked and plain formulas have a common model.

    `tracked` are named (their names form the unsat core); `witnesses` are
    extra constants used by the plain formulas; `bound` caps every
    uninterpreted sort at that many elements. Any failure inside Z3 (or a
    term the back end cannot translate) is an 'unknown' with its reason.
    With `want_model` False a 'sat' comes without a model (copying one out
    costs about a quarter of a query's time). One question in a session of
    its own: see `Session` for several about the same query.
    """
    return Session(program, witnesses).solve(tracked, plain, bound, options, want_model)


class Session:
    """Several questions about one query, asked in one Z3 context (see the module's docstring).

    Every formula handed in is translated once per session (and once per
    bound), so the formulas must not change between questions: they are
    remembered by identity. Answers are plain values, as from `solve`. With
    a `budget`, every question (and every re-check of `smaller_core`) gets
    at most what is left of it, and spends from it (`solvers/budget.py`).
    """

    def __init__(self, program: core.Program, witnesses: Sequence[core.Symbol] = (),
                 budget: Budget | None = None):
        self.program = program
        self.witnesses = tuple(witnesses)
        self.budget = budget
        self._vocab: Vocabulary | None = None
        self._translators: dict[core.Scope | None, Translator] = {}
        self._last: tuple[z3.Solver, dict[str, z3.ExprRef]] | None = None
        self._counted = 0  # the context's resource count after the last question

    def solve(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term] = (),
              bound: int | core.Scope | None = None, options: SolverOptions = SolverOptions(),
              want_model: bool = True) -> Outcome:
        """Like the module's `solve`, in this session."""
        self._last = None
        limits = self._within_budget(options)
        if limits is None:
            return Outcome("unknown", reason=self._spent())
        scope = core.Scope.of(bound)
        if scope is not None and scope.largest > MAX_BOUND:
            return Outcome("unknown", reason=f"a search within {scope} elements per sort is past alignproof's "
                                             f"limit of {MAX_BOUND:,}")
        try:
            return replace(self._solve(tracked, plain, scope, options, limits, want_model), solver=SOLVER)
        except z3.Z3Exception as error:
            return Outcome("unknown", reason=f"z3 error: {z3_message(error)}")
        except (Untranslatable, UnknownNode) as error:
            return Outcome("unknown", reason=f"cannot translate for the solver: {error}")
        except TooLong as error:
            return Outcome("unknown", reason=str(error))
        except LateReadOut:
            assert self.budget is not None
            return Outcome("unknown", reason=f"reading out the solver's model did not finish within the "
                                             f"{self.budget.seconds:g}s of --timeout and {RECHECK_GRACE:g}s (a slow "
                                             "or loaded machine reads slower); raise it with --timeout")
        except OutOfTime:
            what = "the question" if scope is None else f"the search within {scope} elements per sort"
            return Outcome("unknown", reason=f"timeout after {limits.timeout:g}s while building {what} "
                                             "(raise it with --timeout)")

    def smaller_core(self, core_names: Sequence[str], options: SolverOptions) -> tuple[str, ...] | None:
        """The unsat core of the last question made smaller by deletion, names in the given order.

        Each tracked assertion of the core is left out in turn and the rest
        re-checked (on the same solver, by assumptions, with `options`'
        limits, within the budget); if that is still unsat, the new (smaller)
        core is kept. Every name left is needed: without it the rest was sat,
        or Z3 could not tell (or the budget ran out). None unless the last
        question of this session answered unsat.
        """
        if self._last is None:
            return None
        kept = list(core_names)
        solver, literals = self._last
        try:
            for name in core_names:
                limits = self._within_budget(options)
                if limits is None:
                    break
                if name not in kept:
                    continue
                _limit(solver, limits)
                trial = [n for n in kept if n != name]
                answer = solver.check(*[literals[n] for n in trial])
                self._spend(solver)
                if answer == z3.unsat:
                    in_core = {lit.decl().name() for lit in solver.unsat_core()}
                    kept = [n for n in trial if literals[n].decl().name() in in_core]
        except z3.Z3Exception:
            pass
        return tuple(kept)

    def subsets(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term] = (),
                bound: int | core.Scope | None = None) -> Subsets:
        """One solver holding every tracked formula behind its literal (and `plain` outright), on
        which subsets of the tracked formulas are then checked by assumptions (`Subsets.check`)."""
        try:
            translate = self._translator(core.Scope.of(bound), math.inf)
            solver = z3.Solver(ctx=translate.vocab.ctx)
            solver.set("random_seed", 0, "smt.random_seed", 0, "ctrl_c", False)
            literals = _asserted(solver, translate, tracked, plain)
        except z3.Z3Exception as error:
            return Subsets(self, None, {}, f"z3 error: {z3_message(error)}")
        except (Untranslatable, UnknownNode) as error:
            return Subsets(self, None, {}, f"cannot translate for the solver: {error}")
        return Subsets(self, (solver, translate.vocab), literals)

    # ------------------------------------------------------------ the budget

    def _within_budget(self, options: SolverOptions) -> SolverOptions | None:
        """`options` cut down to what is left of the budget; None when nothing is."""
        budget = self.budget
        if budget is None:
            return options
        if budget.exhausted():
            return None
        return replace(options, rlimit=min(options.resource_limit(), budget.units_left()),
                       timeout=min(options.timeout, budget.seconds_left()))

    def _spent(self) -> str:
        assert self.budget is not None
        return self.budget.exhausted() or "the query's budget is used up"

    def _spend(self, solver: z3.Solver) -> int:
        """The resource units the solver's last check used (Z3 counts per context), taken off the budget."""
        try:
            count = int(solver.statistics().get_key_value("rlimit count"))
        except (z3.Z3Exception, KeyError, ValueError, TypeError):
            return 0
        used = count - self._counted if count >= self._counted else count
        self._counted = count
        if self.budget is not None:
            self.budget.spend(used)
        return used

    # ------------------------------------------------------------ inside

    def _translator(self, bound: core.Scope | None, deadline: float) -> Translator:
        if self._vocab is None:
            self._vocab = Vocabulary(self.program, self.witnesses, z3.Context())
        translator = self._translators.get(bound)
        if translator is None:
            bounds = Bounds(self.program, self.witnesses, self._vocab, bound, deadline) \
                if bound is not None else None
            translator = self._translators[bound] = Translator(self._vocab, bounds)
        return translator

    def _solve(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term], bound: core.Scope | None,
               asked: SolverOptions, options: SolverOptions, want_model: bool) -> Outcome:
        """One question with `options`: what was `asked`, cut down to the budget."""
        began = time.perf_counter()
        translate = self._translator(bound, began + options.timeout)
        vocab = translate.vocab
        solver = z3.Solver(ctx=vocab.ctx)
        literals = _asserted(solver, translate, tracked, plain)
        # The time taken to build the question counts towards its timeout.
        left = replace(options, timeout=options.timeout - (time.perf_counter() - began))
        if left.timeout < MIN_SECONDS:
            raise OutOfTime
        # Z3 would catch Ctrl-C itself and answer `unknown`, which would then be
        # reported as a verdict; left to Python, Ctrl-C ends the run (exit 130).
        solver.set("timeout", left.timeout_ms(), "rlimit", left.resource_limit(),
                   "random_seed", options.seed, "smt.random_seed", options.seed, "ctrl_c", False)
        status = solver.check(*literals.values())
        used = self._spend(solver)
        if status == z3.unsat:
            in_core = {lit.decl().name() for lit in solver.unsat_core()}
            self._last = (solver, literals)
            return Outcome("unsat", core=tuple(n for n in literals if literals[n].decl().name() in in_core))
        if status == z3.sat:
            if not want_model:
                return Outcome("sat")
            late = self.budget.deadline(RECHECK_GRACE) if self.budget is not None else None
            return Outcome("sat", model=ModelReader(self.program, vocab, self.witnesses, solver.model(), late).read())
        return Outcome("unknown", reason=self._reason(solver.reason_unknown(), used, asked, options))

    def _reason(self, reason: str, used: int, asked: SolverOptions, given: SolverOptions) -> str:
        """Z3's reason for `unknown`, saying which limit it was and the option that raises it: the
        resource limit when the check used all the units it had, else the wall clock when Z3 says
        it was stopped. Decided by the units counted, not by the time measured, so a loaded
        machine gives the same reason. A limit cut down to what was left of the query's budget is
        named as the query's."""
        said = reason or "unknown"
        raise_units = f"raise it with --rlimit, or with --timeout ({RLIMIT_PER_SECOND} units a second by default)"
        if used >= given.resource_limit() or "resource limit" in said:
            if self.budget is not None and given.resource_limit() < asked.resource_limit():
                return f"the query's resource limit of {self.budget.units} units reached (z3: {said}); {raise_units}"
            return f"resource limit of {given.resource_limit()} units reached (z3: {said}); {raise_units}"
        if said in ("canceled", "timeout"):
            if self.budget is not None and given.timeout < asked.timeout:
                return f"timeout: the query's {self.budget.seconds:g}s ran out (z3: {said}); raise it with --timeout"
            return f"timeout after {asked.timeout:g}s (z3: {said}); raise it with --timeout"
        return said


class Subsets:
    """Subsets of a fixed list of tracked formulas, checked one after another on one solver.

    Every formula was asserted once, behind its tracking literal; a subset is
    checked by assuming the literals of its members, so what the solver learnt
    from earlier questions serves the later ones (MUS enumeration asks many).
    Each `check` has its own limits. Answers are plain `Outcome`s: 'unsat' with
    the members in the solver's core, 'sat' with a model, 'unknown' with why;
    they may depend on the questions asked before, so a caller re-proves what
    it reports on a fresh session.
    """

    def __init__(self, session: Session, solver: tuple[z3.Solver, Vocabulary] | None,
                 literals: dict[str, z3.ExprRef], broken: str = ""):
        self._session = session
        self._solver = solver
        self._literals = literals
        self._names = {lit.decl().name(): name for name, lit in literals.items()}
        self._broken = broken
        self.questions = 0

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._literals)

    def check(self, members: Sequence[str], options: SolverOptions, want_model: bool = True) -> Outcome:
        """Whether the members (names of tracked formulas) and the plain formulas have a model."""
        if self._solver is None:
            return Outcome("unknown", reason=self._broken)
        self.questions += 1
        solver, vocab = self._solver
        try:
            _limit(solver, options)
            status = solver.check(*[self._literals[n] for n in members])
            used = self._session._spend(solver)
            if status == z3.unsat:
                in_core = {self._names[lit.decl().name()] for lit in solver.unsat_core()}
                return Outcome("unsat", core=tuple(n for n in members if n in in_core))
            if status == z3.sat:
                if not want_model:
                    return Outcome("sat")
                session = self._session
                return Outcome("sat", model=ModelReader(session.program, vocab, session.witnesses,
                                                        solver.model()).read())
            return Outcome("unknown", reason=self._session._reason(solver.reason_unknown(), used, options, options))
        except z3.Z3Exception as error:
            return Outcome("unknown", reason=f"z3 error: {z3_message(error)}")


def _asserted(solver: z3.Solver, translate: Translator, tracked: Sequence[tuple[str, core.Term]],
              plain: Sequence[core.Term]) -> dict[str, z3.ExprRef]:
    """Each tracked formula added behind its literal, then the plain ones and the bounds; the literals."""
    literals: dict[str, z3.ExprRef] = {}
    ref, handle = translate.ref, solver.solver
    for name, formula in tracked:  # Z3_solver_assert is what z3.Solver.add calls, after its casts
        literals[name], implication = translate.tracked(name, formula)
        z3core.Z3_solver_assert(ref, handle, implication.as_ast())
    for formula in plain:
        z3core.Z3_solver_assert(ref, handle, translate.top(formula).as_ast())
    if translate.bounds is not None:
        for constraint in translate.bounds.constraints():
            z3core.Z3_solver_assert(ref, handle, constraint.as_ast())
    return literals


def _limit(solver: z3.Solver, options: SolverOptions) -> None:
    solver.set("timeout", options.timeout_ms())
    solver.set("rlimit", options.resource_limit())


def z3_message(error: z3.Z3Exception) -> str:
    value = error.value
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
