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

import time
from collections.abc import Sequence
from dataclasses import replace

import z3

from ...logic import core
from ...logic.walk import UnknownNode
from ..common import RLIMIT_PER_SECOND, Outcome, SolverOptions
from .bounds import Bounds
from .models import ModelReader
from .translate import Translator
from .vocabulary import Untranslatable, Vocabulary

__all__ = ["RLIMIT_PER_SECOND", "Outcome", "Session", "SolverOptions", "solve", "z3_version"]

SOLVER = "z3"


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
    remembered by identity. Answers are plain values, as from `solve`.
    """

    def __init__(self, program: core.Program, witnesses: Sequence[core.Symbol] = ()):
        self.program = program
        self.witnesses = tuple(witnesses)
        self._vocab: Vocabulary | None = None
        self._translators: dict[core.Scope | None, Translator] = {}
        self._last: tuple[z3.Solver, dict[str, z3.ExprRef]] | None = None

    def solve(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term] = (),
              bound: int | core.Scope | None = None, options: SolverOptions = SolverOptions(),
              want_model: bool = True) -> Outcome:
        """Like the module's `solve`, in this session."""
        self._last = None
        try:
            return replace(self._solve(tracked, plain, core.Scope.of(bound), options, want_model), solver=SOLVER)
        except z3.Z3Exception as error:
            return Outcome("unknown", reason=f"z3 error: {z3_message(error)}")
        except (Untranslatable, UnknownNode) as error:
            return Outcome("unknown", reason=f"cannot translate for the solver: {error}")

    def smaller_core(self, core_names: Sequence[str], options: SolverOptions) -> tuple[str, ...] | None:
        """The unsat core of the last question made smaller by deletion, names in the given order.

        Each tracked assertion of the core is left out in turn and the rest
        re-checked (on the same solver, by assumptions, with `options`'
        limits); if that is still unsat, the new (smaller) core is kept. Every
        name left is needed: without it the rest was sat, or Z3 could not
        tell. None unless the last question of this session answered unsat.
        """
        if self._last is None:
            return None
        kept = list(core_names)
        solver, literals = self._last
        try:
            _limit(solver, options)
            for name in core_names:
                if name not in kept:
                    continue
                trial = [n for n in kept if n != name]
                if solver.check(*[literals[n] for n in trial]) == z3.unsat:
                    in_core = {lit.decl().name() for lit in solver.unsat_core()}
                    kept = [n for n in trial if literals[n].decl().name() in in_core]
        except z3.Z3Exception:
            pass
        return tuple(kept)

    # ------------------------------------------------------------ inside

    def _translator(self, bound: core.Scope | None) -> Translator:
        if self._vocab is None:
            self._vocab = Vocabulary(self.program, self.witnesses, z3.Context())
        translator = self._translators.get(bound)
        if translator is None:
            bounds = Bounds(self.program, self.witnesses, self._vocab, bound) if bound is not None else None
            translator = self._translators[bound] = Translator(self._vocab, bounds)
        return translator

    def _solve(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term], bound: core.Scope | None,
               options: SolverOptions, want_model: bool) -> Outcome:
        translate = self._translator(bound)
        vocab = translate.vocab
        solver = z3.Solver(ctx=vocab.ctx)
        # Z3 would catch Ctrl-C itself and answer `unknown`, which would then be
        # reported as a verdict; left to Python, Ctrl-C ends the run (exit 130).
        solver.set("timeout", options.timeout_ms(), "rlimit", options.resource_limit(),
                   "random_seed", options.seed, "smt.random_seed", options.seed, "ctrl_c", False)
        literals: dict[str, z3.ExprRef] = {}
        for name, formula in tracked:
            literals[name], implication = translate.tracked(name, formula)
            solver.add(implication)
        for formula in plain:
            solver.add(translate.top(formula))
        if translate.bounds is not None:
            solver.add(*translate.bounds.constraints())
        start = time.perf_counter()
        status = solver.check(*literals.values())
        elapsed = time.perf_counter() - start
        if status == z3.unsat:
            in_core = {lit.decl().name() for lit in solver.unsat_core()}
            self._last = (solver, literals)
            return Outcome("unsat", core=tuple(n for n in literals if literals[n].decl().name() in in_core))
        if status == z3.sat:
            if not want_model:
                return Outcome("sat")
            return Outcome("sat", model=ModelReader(self.program, vocab, self.witnesses, solver.model()).read())
        return Outcome("unknown", reason=_reason(solver.reason_unknown(), elapsed, options))


def _limit(solver: z3.Solver, options: SolverOptions) -> None:
    solver.set("timeout", options.timeout_ms())
    solver.set("rlimit", options.resource_limit())


def _reason(reason: str, elapsed: float, options: SolverOptions) -> str:
    """Z3's reason for `unknown`, saying which limit it was when Z3 only says 'canceled'."""
    if reason != "canceled":
        return reason or "unknown"
    if elapsed >= options.timeout * 0.95:
        return f"timeout after {options.timeout:g}s (z3: canceled)"
    return f"resource limit of {options.resource_limit()} units reached (z3: canceled)"


def z3_message(error: z3.Z3Exception) -> str:
    value = error.value
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
