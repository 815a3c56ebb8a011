"""Stage 5, cvc5: questions asked of cvc5, one query's in one session, answered with plain values.

It takes what the checker gives z3 (tracked and plain expanded formulas,
witness constants, a bound, `SolverOptions`) and hands on the same
`Outcome`: a status, the names of the tracked assertions in an unsat core
(`getUnsatAssumptions` over one named literal per axiom, as z3's tracking
literals), or a `model.Model` copied out of cvc5 (`models.py`).

What cvc5 is asked with, per question:

- unbounded questions with cvc5's proof production and proof checking on
  (`check-proofs`): an `unsat` that is the ground of a `proved`, `none` or
  an inconsistency was checked by cvc5 itself. Finite model finding
  (`finite-model-find`) is off unless asked for (it finds models, and
  hinders proofs);
- bounded questions (`bound`: a number for every uninterpreted sort, or a
  `core.Scope`) with finite model finding and cvc5's cardinality
  constraints, each tracked by a literal (`names.bound`), so the core says
  whether the bound was needed (`Outcome.bound_needed`). Proof
  checking is off there (it made the search 10-35 times slower,
  bench/RESULTS.md), as z3's bounded answers are not proof-checked either:
  `bounded` is never `proved`, and a bounded unsat that did not need the
  bound is asked again unbounded, with proof checking, before it proves
  anything. Without finite model finding (`finite=False`), the bound is the
  cover axiom instead ("every element is one of N named constants").
  A bound above `CARDINALITY_CAP` is left out (finite model finding) or
  not asked (a cover), so no constraint is built outside cvc5's limits.
- deterministic limits: cvc5's resource limit (`rlimit-per`), converted
  from the question's Z3 units (`CVC5_UNITS_PER_Z3_UNIT`), and fixed seeds;
  the wall clock (`tlimit-per`) is the backstop.

A session keeps one `TermManager` (every formula translated once, by
identity) and makes a new `Solver` per question; a smaller core is sought
on the solver of the question that found it, with assumptions.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ...logic import core, names
from ...logic.walk import UnknownNode
from ..budget import MIN_SECONDS, Budget
from ..common import Outcome, SolverOptions
from . import SOLVER, load
from .models import ModelReader
from .translate import Translator, Untranslatable

CVC5_UNITS_PER_Z3_UNIT = 0.04
"""cvc5 resource units allowed per Z3 unit of a question's limit (bench/RESULTS.md, "cvc5's resource
limit"): at 500,000 Z3 units a second, 20,000 cvc5 units a second, about what the quantified and the
finite-model searches measured consume."""

CARDINALITY_CAP = 10_000
"""The largest bound cvc5 is given as a constraint. cvc5 builds a cardinality constraint (and this
module a cover) in time and memory that grow with the bound, before its limits apply: a bound of
10^7 took 26 s and 2.6 GB under a 1 s limit, 10^8 never ended (bench/RESULTS.md, "Time beyond the
timeout, again"). With finite model finding a larger bound is left out, as it constrains nothing
cvc5 could reach (it tries sizes from one element up), and a model found is checked to be within
it; without, a larger bound is not asked."""


@dataclass(frozen=True)
class Answer:
    """cvc5's answer to one question of `--cross-check`: 'sat', 'unsat' or 'unknown' (with why)."""

    status: str
    reason: str = ""


def answer(cvc5: Any, program: core.Program, formulas: Sequence[core.Term], witnesses: Sequence[core.Symbol],
           bound: int | core.Scope | None, timeout: float, finite_models: bool) -> Answer:
    """Whether `formulas` have a common model (with every uninterpreted sort within `bound`),
    asked of cvc5 in this process, with its proof and model checking on (`--cross-check`)."""
    session = Session(program, witnesses, cvc5)
    outcome = session.solve((), formulas, bound, SolverOptions(timeout=timeout), want_model=False,
                            finite=finite_models, proofs=True, check_models=True)
    return Answer(outcome.status, outcome.reason)


class Session:
    """Several questions about one query, asked of cvc5 with one term manager (see the module's docstring)."""

    def __init__(self, program: core.Program, witnesses: Sequence[core.Symbol] = (), cvc5: Any = None):
        self.cvc5 = cvc5 if cvc5 is not None else load("the cvc5 back end")
        self.program = program
        self.witnesses = tuple(witnesses)
        self._tm: Any = None
        self._translate: Translator | None = None
        self._done: dict[int, tuple[core.Term, Any]] = {}
        self._last: tuple[Any, dict[str, Any], list[Any]] | None = None

    def solve(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term] = (),
              bound: int | core.Scope | None = None, options: SolverOptions | None = None,
              want_model: bool = True, finite: bool | None = None, proofs: bool | None = None,
              check_models: bool = False) -> Outcome:
        """Whether the tracked and plain formulas have a common model, as z3's `Session.solve`.

        `finite` (finite model finding) defaults to on for a bounded question only;
        `proofs` (proof production and checking) to on unless the question is bounded
        and finite; `check_models` asks cvc5 to check its own models too."""
        self._last = None
        scope = core.Scope.of(bound)
        finite = scope is not None if finite is None else finite
        proofs = not (scope is not None and finite) if proofs is None else proofs
        try:
            return self._solve(tracked, plain, scope, options or SolverOptions(), want_model,
                               _settings(options or SolverOptions(), finite, proofs, check_models))
        except (Untranslatable, UnknownNode) as error:
            return Outcome("unknown", reason=f"cannot translate for cvc5: {error}", solver=SOLVER)
        except RecursionError:
            return Outcome("unknown", reason="cvc5 error: nested too deeply", solver=SOLVER)
        except Exception as error:  # noqa: BLE001 - cvc5 raises plain exceptions, e.g. a failed proof check
            return Outcome("unknown", reason=f"cvc5 error: {str(error).strip() or type(error).__name__}",
                           solver=SOLVER)

    def smaller_core(self, core_names: Sequence[str], options: SolverOptions,
                     budget: Budget | None = None) -> tuple[str, ...] | None:
        """The unsat core of the last question made smaller by deletion, as z3's `Session.smaller_core`:
        each axiom of the core left out in turn, the rest re-checked on the same solver, each
        re-check within what is left of `budget` (its wall clock: cvc5 counts its own units). None
        unless the last question of this session answered unsat."""
        if self._last is None:
            return None
        solver, literals, bounds = self._last
        kept = [n for n in core_names if n in literals]
        try:
            for name in list(kept):
                if name not in kept:
                    continue
                limits = options if budget is None else replace(options, timeout=min(options.timeout,
                                                                                       budget.seconds_left()))
                if budget is not None and budget.seconds_left() < MIN_SECONDS:
                    break
                for option, value in _limits(limits):
                    solver.setOption(option, value)
                trial = [n for n in kept if n != name]
                if solver.checkSatAssuming(*[literals[n] for n in trial], *bounds).isUnsat():
                    in_core = set(solver.getUnsatAssumptions())
                    kept = [n for n in trial if literals[n] in in_core]
        except Exception:  # noqa: BLE001, S110 - a re-check that fails keeps what was needed so far
            pass
        return tuple(kept)

    # ------------------------------------------------------------ inside

    def _translator(self) -> Translator:
        if self._translate is None:
            self._tm = self.cvc5.TermManager()
            self._translate = Translator(self.cvc5, self._tm, self.program, self.witnesses)
        return self._translate

    def _term(self, formula: core.Term) -> Any:
        done = self._done.get(id(formula))
        if done is None or done[0] is not formula:
            done = self._done[id(formula)] = (formula, self._translator().visit(formula))
        return done[1]

    def _solve(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term], scope: core.Scope | None,
               options: SolverOptions, want_model: bool, settings: list[tuple[str, str]]) -> Outcome:
        translate = self._translator()
        tm, kind = self._tm, self.cvc5.Kind
        solver = self.cvc5.Solver(tm)
        for option, value in settings:
            solver.setOption(option, value)
        solver.setLogic("ALL")
        literals: dict[str, Any] = {}
        for name, formula in tracked:
            literals[name] = tm.mkConst(tm.getBooleanSort(), names.track(name))
            solver.assertFormula(tm.mkTerm(kind.IMPLIES, literals[name], self._term(formula)))
        for formula in plain:
            solver.assertFormula(self._term(formula))
        bounds, beyond = [], []
        finite = ("finite-model-find", "true") in settings
        for sort in self.program.sorts:
            size = scope.size(sort.name) if scope is not None and sort.is_uninterpreted else None
            if size is None:
                continue
            if size > CARDINALITY_CAP:
                if not finite:
                    return Outcome("unknown", solver=SOLVER, reason=f"a search within {scope} elements per sort "
                                   f"without finite model finding is past cvc5's limit of {CARDINALITY_CAP:,}")
                beyond.append((sort, size))
                continue
            literal = tm.mkConst(tm.getBooleanSort(), names.bound(sort.name))
            limit = translate.cardinality(sort, size) if finite else translate.at_most(sort, size)
            solver.assertFormula(tm.mkTerm(kind.IMPLIES, literal, limit))
            bounds.append(literal)
        assumed = [*literals.values(), *bounds]
        result = solver.checkSatAssuming(*assumed) if assumed else solver.checkSat()
        if result.isUnsat():
            in_core = set(solver.getUnsatAssumptions()) if assumed else set()
            needed = [b for b in bounds if b in in_core]
            self._last = (solver, literals, needed)
            found = tuple(n for n in literals if literals[n] in in_core)
            return Outcome("unsat", core=found, solver=SOLVER,
                           bound_needed=bool(needed) if bounds or beyond else None)
        if result.isSat():
            too_large = _beyond_bound(solver, translate, beyond)
            if too_large:
                return Outcome("unknown", reason=too_large, solver=SOLVER)
            if not want_model:
                return Outcome("sat", solver=SOLVER)
            model = ModelReader(self.cvc5, solver, translate, self.program, self.witnesses).read()
            return Outcome("sat", model=model, solver=SOLVER)
        return Outcome("unknown", reason=_why(result, options), solver=SOLVER)


def _beyond_bound(solver: Any, translate: Translator, beyond: Sequence[tuple[core.Sort, int]]) -> str:
    """Why cvc5's model is not within the bounds left out of the question (`CARDINALITY_CAP`), or ''."""
    for sort, size in beyond:
        found = len(solver.getModelDomainElements(translate.sort(sort)))
        if found > size:
            return f"cvc5: its model has {found:,} elements of {sort.name}, more than the bound of {size:,}"
    return ""


def _settings(options: SolverOptions, finite: bool, proofs: bool, check_models: bool) -> list[tuple[str, str]]:
    settings = [("produce-models", "true"), ("produce-unsat-assumptions", "true"), ("incremental", "true"),
                ("seed", str(options.seed)), ("sat-random-seed", str(options.seed)),
                ("finite-model-find", "true" if finite else "false"), *_limits(options)]
    if not finite:
        settings.append(("enum-inst", "true"))
    if proofs:
        settings += [("produce-proofs", "true"), ("check-proofs", "true")]
    if check_models:
        settings.append(("check-models", "true"))
    return settings


def _limits(options: SolverOptions) -> list[tuple[str, str]]:
    """cvc5's deterministic resource limit (from the Z3 units of `options`) and its wall-clock backstop."""
    units = max(1, int(options.resource_limit() * CVC5_UNITS_PER_Z3_UNIT))
    return [("rlimit-per", str(units)), ("tlimit-per", str(options.timeout_ms()))]


def _why(result: Any, options: SolverOptions) -> str:
    explanation = str(result.getUnknownExplanation()).rsplit(".", 1)[-1].lower()
    if explanation == "timeout":
        return f"cvc5: timeout after {options.timeout:g}s"
    if explanation == "resourceout":
        return f"cvc5: resource limit of {int(options.resource_limit() * CVC5_UNITS_PER_Z3_UNIT)} units reached"
    return f"cvc5: {explanation.replace('_', ' ') or 'unknown'}"
