"""Stage 6: verdicts. What a check means (LANGUAGE.md §4), for one program.

It tests the axioms first, then asks each claim and example one question (or
a few: a bounded search, a proof, a vacuity test, a smaller unsat core) of
the solver back end the run asks for (`solvers/portfolio.py`: z3, cvc5, or
both), re-checks every model it would report with the
independent evaluator, and hands on one `Result` per query plus, when the
axioms contradict each other, the diagnostic that says so. It speaks only
core terms, `solvers.common.Outcome`s and result records; it never sees a solver.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from ..frontend import diagnostics
from ..frontend.diagnostics import Diagnostic
from ..logic import names
from ..logic.core import (
    And,
    App,
    DefCall,
    Not,
    Program,
    Quant,
    Query,
    QueryKind,
    Scope,
    Sort,
    Symbol,
    SymbolKind,
    Term,
    Var,
    children,
    symbols_of,
)
from ..logic.evaluate import MAX_STEPS, Steps, evaluate, failing, judged
from ..logic.expand import Fresh, TooLarge, expand, substitute, unfold
from ..logic.model import Model, Table
from ..logic.shapes import outer_vars, query_quantifier
from ..logic.walk import Interner
from ..progress import SILENT, Progress, claim_step
from ..solvers.budget import RECHECK_GRACE, Budget
from ..solvers.common import MAX_TIMEOUT, Outcome, SolverOptions
from ..solvers.portfolio import QuestionSession, finds_models, open_session
from ..solvers.z3 import MAX_BOUND
from . import lemmas
from .explain import explain
from .results import Alternative, Explanation, Result, Verdict, meets

Recheck = Callable[[Model, Sequence[tuple[str, Term]]], list[str]]

SMALL_BOUNDS = (1, 2, 3)
"""Sort sizes tried for a model when the unbounded search gives up."""

MAX_CORE_TO_MINIMISE = 12
"""Unsat cores up to this size are shrunk by deletion (one re-solve per axiom)."""

SECONDARY_SHARE = 0.25
"""The share of the timeout (and rlimit) each follow-up question gets: small bounds, vacuity."""

SMALL_MODEL_RESERVE = SECONDARY_SHARE
"""The share of a query's budget kept back from an unbounded question that did not expect a model, for
the small models (`SMALL_BOUNDS`) asked when it gives up: without it the unbounded search spends the whole
budget and no bound is asked (on the TPTP sample at 3 s, z3 alone found 9 fewer counterexamples so;
bench/RESULTS.md, "Small models kept a share")."""

SHRINK_CAP = 0.5
"""At most this many seconds for each bounded re-solve that looks for a smaller model."""

MAX_SHRINK_BOUND = 8
"""Smaller models are sought with at most this many elements per sort."""

OUTRIGHT_SHARE = 0.1
"""The share of the budget for the outright proof of a `bounded` claim when the solver that completed
the bounded search cannot say whether its unsat needed the bound (z3): such proofs, when they exist,
are found early (bench/RESULTS.md, "Bounded search"). When its core did not need the bound, the outright
question gets `SECONDARY_SHARE`; when it did (cvc5), none is asked."""

MINIMISE_CAP = 1.0
"""At most this many seconds for each re-solve that tries to drop an axiom from a core."""

AXIOMS_FIRST_SHARE = 0.4
"""The share of the axioms' test (one `--timeout` in all) for z3's unbounded question; then
`AXIOMS_SMALL_SHARE` for each of the small bounds, and what is left for cvc5 (`theory.py`)."""

AXIOMS_SMALL_SHARE = 0.1

RECHECK_STEPS_PER_SECOND = 200_000
"""The evaluator's steps for all the re-checks of one query's models, per second of `--timeout`
(at most `evaluate.MAX_STEPS`): counted steps, so whether a model re-checks does not depend on
the machine, and the re-checks take a bounded share of the query's time beyond its questions
(bench/RESULTS.md, "Time beyond the timeout")."""

ALTERNATIVE_UIDS = 1 << 41
"""Fresh uids for the definitions expanded to block a combination (`--models`): apart from all others."""

LEMMA_UIDS = 1 << 40
"""Fresh uids for the lemmas expanded as premises: apart from the axioms' and the queries'."""

_SHOWN_KINDS = (SymbolKind.CONST, SymbolKind.FUN, SymbolKind.PRED, SymbolKind.BRIDGE)


@dataclass(frozen=True)
class CheckOptions:
    """Per-query limits: seconds of wall clock and, optionally, Z3 resource units."""

    timeout: float = 10.0
    rlimit: int | None = None
    models: int = 1  # up to this many models per counterexample or witness (`--models N`)
    backend: str = "z3"  # who answers (`--solver`): "z3", "cvc5" or "portfolio" (solvers/portfolio.py)

    def solver(self, share: float = 1.0, cap: float | None = None) -> SolverOptions:
        """Solver options for a question that gets `share` of the budget (at most `cap` seconds)."""
        timeout = self.timeout * share if cap is None else min(self.timeout * share, cap)
        if self.rlimit is None:
            return SolverOptions(timeout=timeout)
        scale = timeout / self.timeout if self.timeout > 0 else share
        return SolverOptions(timeout=timeout, rlimit=max(1, int(self.rlimit * scale)))

    def budget(self) -> Budget:
        """What one query may spend in all, over every question it asks (`solvers/budget.py`)."""
        whole = self.solver()
        return Budget(seconds=min(whole.timeout, MAX_TIMEOUT), units=whole.resource_limit())

    def recheck_steps(self) -> int:
        """The evaluator's steps for the re-checks of one query (`RECHECK_STEPS_PER_SECOND`)."""
        return max(1, int(min(MAX_STEPS, RECHECK_STEPS_PER_SECOND * self.timeout)))

    def recheck_allowance(self, start: float) -> Steps:
        """The re-checks' steps of one query begun at `start` (a `time.perf_counter()` reading),
        stopped `budget.RECHECK_GRACE` past its timeout, however many steps are left."""
        return Steps(self.recheck_steps(), deadline=start + min(self.timeout, MAX_TIMEOUT) + RECHECK_GRACE)

    def unfinished_recheck(self, steps: Steps) -> str:
        """Why a re-check that ran out of `steps` did not settle a model: which limit, which option."""
        if steps.late:
            return (f"the re-check of the solver's model did not finish within the {self.timeout:g}s of --timeout "
                    f"and {RECHECK_GRACE:g}s (a slow or loaded machine re-checks slower); raise it with --timeout")
        return (f"the re-check of the solver's model did not finish within its {self.recheck_steps():,} "
                f"evaluator steps ({RECHECK_STEPS_PER_SECOND:,} a second of --timeout); raise them with --timeout")


@dataclass(frozen=True)
class ProgramOutcome:
    """The results of one program's queries, and the inconsistency error if its axioms clash."""

    results: tuple[Result, ...]
    inconsistency: Diagnostic | None = None
    consistency: Consistency | None = None  # what the axiom test found (a program with no query: `theory.py`)


def check_program(program: Program, options: CheckOptions = CheckOptions(),
                  names: Collection[str] | None = None,
                  recheck: Recheck = failing, progress: Progress = SILENT) -> ProgramOutcome:
    """Check the axioms of `program`, then each of its queries (only `names`, if given), telling
    `progress` of each query as it is answered."""
    queries = [q for q in program.queries if names is None or q.name in names]
    try:
        checker = _Checker(program, options, recheck)
    except TooLarge:
        refused = _axioms_too_large(program)
        return ProgramOutcome(tuple(_unchecked(q, refused) for q in queries), None, Consistency(warning=refused))
    consistency = checker.consistency()
    if not consistency.conflict:
        answered = []
        for query in queries:
            with progress.step(claim_step(program.root, query.name)):
                answered.append(_guarded(checker, query, consistency.warning))
        results = lemmas.settle(program, answered,
                                lambda name: _guarded(checker, _lemma(program, name), consistency.warning))
        consistency = _by_used(checker, consistency, results)
        if not consistency.conflict:
            return ProgramOutcome(results, None, consistency)
    diag = checker.inconsistency(consistency.conflict)
    return ProgramOutcome(tuple(checker.inconsistent_result(q, consistency.conflict) for q in queries), diag,
                          consistency)


def _by_used(checker: _Checker, consistency: Consistency, results: Sequence[Result]) -> Consistency:
    """Undecided consistency tested again on the axioms each proof used (`theory.by_used`)."""
    if consistency.conflict or not consistency.warning:
        return consistency
    from .theory import by_used
    return by_used(checker, consistency, results)


def _lemma(program: Program, name: str) -> Query:
    return next(q for q in program.lemmas if q.name == name)


def _guarded(checker: _Checker, query: Query, warning: str | None) -> Result:
    """`checker.check(query)`, or `unknown` when the query's formula is too large to build."""
    try:
        return checker.check(query, warning)
    except TooLarge as err:
        return _unchecked(query, f"the {query.kind.value} cannot be checked: {err}")


def _unchecked(query: Query, reason: str) -> Result:
    """An `unknown` for a query the solver was never asked about."""
    return Result(file=query.file, name=query.name, kind=query.kind.value, verdict=Verdict.UNKNOWN,
                  expected=query.expect, ok=False, seconds=0.0, reason=reason, span=query.span, doc=query.doc)


def _axioms_too_large(program: Program) -> str:
    for axiom in program.axioms:
        try:
            expand(axiom.formula, Fresh(program.next_uid))
        except TooLarge as err:
            return f"axiom {axiom.name} cannot be checked: {err}; no query of this program is"
    return "the axioms are too large to check"


class ProgramChecker:
    """One program's questions asked one at a time, in any order: for worker processes.

    `answer` gives a query's result as `check_program` would before the
    consistency verdict is known; `settle` then applies that verdict, so
    spreading the queries of a program over processes changes nothing.
    """

    def __init__(self, program: Program, options: CheckOptions = CheckOptions(), recheck: Recheck = failing):
        self.program = program
        try:
            self._checker: _Checker | None = _Checker(program, options, recheck)
        except TooLarge:
            self._checker = None
            self._refused = _axioms_too_large(program)

    def consistency(self) -> Consistency:
        return self._checker.consistency() if self._checker else Consistency()

    def answer(self, name: str) -> Result:
        if self._checker is None:
            return _unchecked(self._query(name), self._refused)
        return _guarded(self._checker, self._query(name), None)

    def counterexample(self, query: Query, model: Model) -> Result | None:
        """The counterexample `check` reports for claim `query` when its solver's model is `model`, a model
        found by the caller's own solver (interpreting the claim's witness constants as `peel` names them):
        the same re-checks against the axioms and the negated claim as written, the same explanation;
        no smaller model is sought. None when it does not re-check, or the axioms are too large to check."""
        checker = self._checker
        if checker is None:
            return None
        start = time.perf_counter()
        checker.steps = Steps(checker.options.recheck_steps())
        goal = checker.peel(query, Fresh(checker.query_uids))
        answer = checker._reported(Verdict.COUNTEREXAMPLE, Outcome("sat", model=model, solver="z3"), query, goal)
        if answer.verdict is not Verdict.COUNTEREXAMPLE:
            return None
        return checker._result(query, answer, goal, start)

    def unknown(self, name: str, reason: str, seconds: float = 0.0) -> Result:
        """The result of a query that could not be answered (its worker process died, ...)."""
        return replace(_unchecked(self._query(name), reason), seconds=seconds)

    def settle(self, consistency: Consistency, answers: Collection[Result]) -> ProgramOutcome:
        """The program's outcome from its consistency verdict and the answers of its queries."""
        if self._checker is None:
            return ProgramOutcome(tuple(answers), None, Consistency(warning=self._refused))
        consistency = _by_used(self._checker, consistency, tuple(answers))
        if consistency.conflict:
            diag = self._checker.inconsistency(consistency.conflict)
            return ProgramOutcome(tuple(self._checker.inconsistent_result(self._query(r.name), consistency.conflict)
                                        for r in answers), diag, consistency)
        warned = [_warned(r, consistency.warning) for r in answers]
        return ProgramOutcome(lemmas.settle(self.program, warned,
                                            lambda name: _warned(self.answer(name), consistency.warning)),
                              None, consistency)

    def confirm(self, recorded: Result, share: float = SECONDARY_SHARE) -> bool:
        """Whether the unsat answer a recorded verdict rests on is given again, within `share` of the
        budget: a `proved` from its recorded `used` axioms alone, a `none` from all the axioms, a
        `bounded` at its bound. Other verdicts need no solver (a model is re-checked by the
        evaluator, an `unknown` proves nothing). The proof records' trust model (README)."""
        if recorded.verdict not in (Verdict.PROVED, Verdict.NONE, Verdict.BOUNDED):
            return True
        checker = self._checker
        if checker is None:
            return False
        query = self._query(recorded.name)
        bound = query.within if recorded.verdict is Verdict.BOUNDED else None
        if recorded.verdict is Verdict.BOUNDED and bound is None:
            return False
        axioms = recorded.used if recorded.verdict is Verdict.PROVED else None
        checker.fresh_session()
        checker.visible = _premise_lemmas(query)
        try:
            goal = checker.peel(query, Fresh(checker.query_uids))
            formula = Not(goal.expanded) if query.kind is not QueryKind.EXAMPLE else goal.expanded
            outcome = checker.solve([formula], goal, bound=bound, axioms=axioms,
                                    options=checker.options.solver(share), want_model=False)
        except TooLarge:
            return False
        finally:
            checker.fresh_session()
            checker.visible = frozenset()
        return outcome.status == "unsat"

    def _query(self, name: str) -> Query:
        return next((q for q in self.program.queries if q.name == name), None) or _lemma(self.program, name)


def _warned(result: Result, warning: str | None) -> Result:
    """`result` with the consistency warning, where `check` would have added it."""
    if warning and result.verdict in _RESTS_ON_UNSAT:
        return replace(result, warnings=result.warnings + (warning,))
    return result


_RESTS_ON_UNSAT = (Verdict.PROVED, Verdict.BOUNDED, Verdict.NONE)


def bound_of(query: Query) -> int | dict[str, int] | None:
    """A bounded result's `bound`: the query's scope as JSON writes it (`Scope.to_json`)."""
    scope = Scope.of(query.within)
    return scope.to_json() if scope is not None else None


def replayed(program: Program, query: Query, model: Model) -> tuple[list[str], Model, Explanation | None]:
    """For a model replayed from a proof record: what it fails to make true (axioms by name, the
    query's own name), as for a solver's model; the model with its witness in the query's order;
    and why it refutes the claim (or is a witness)."""
    checker = _Checker(program, CheckOptions(), failing)
    goal = checker.peel(query, Fresh(checker.query_uids))
    if any(v.name not in model.witness for v in goal.vars):
        return [query.name], model, None
    model = replace(model, witness={v.name: model.witness[v.name] for v in goal.vars})
    full = _as_printed(model, goal)
    return checker.rechecked(full, checker._goal_formulas(query, goal)), model, checker._explanation(query, goal, full)


def query_formulas(program: Program, query: Query) -> tuple[list[Term], tuple[Symbol, ...]]:
    """What the solver is asked about `query`: the expanded axioms, then the negated claim
    (or the example's body), and the witness constants they use. For SMT-LIB export."""
    checker = _Checker(program, CheckOptions(), failing)
    goal = checker.peel(query, Fresh(checker.query_uids))
    body = Not(goal.expanded) if query.kind is not QueryKind.EXAMPLE else goal.expanded
    visible = _premise_lemmas(query)
    return [t for _, t in checker.axioms] + [t for n, t in checker.lemmas if n in visible] + [body], goal.witnesses


def _premise_lemmas(query: Query) -> frozenset[str]:
    """The lemmas a query is asked with: those before it, for a claim or lemma (never an example)."""
    return frozenset(query.lemmas) if query.kind is not QueryKind.EXAMPLE else frozenset()


@dataclass(frozen=True)
class Question:
    """What the solver is asked about a query, by parts, for analyses of its premises
    (`premises/`): the premises it is given, each by name with its formula expanded and as
    written; the goal (the negated claim, or the example's body), expanded and as written at the
    witness constants (what a model must make true besides the premises); those constants."""

    premises: tuple[tuple[str, Term, Term], ...]
    goal: Term
    goal_written: Term
    witnesses: tuple[Symbol, ...]


def question(program: Program, query: Query, lemmas: Collection[str] = ()) -> Question:
    """The parts of `query`'s question: its premises are the axioms the checker gives it, then
    those of `lemmas` it is asked with (as the checker expands them; the audit passes the proved ones)."""
    checker = _Checker(program, CheckOptions(), failing)
    goal = checker.peel(query, Fresh(checker.query_uids))
    claim = query.kind is not QueryKind.EXAMPLE
    visible = _premise_lemmas(query) & frozenset(lemmas)
    written = {q.name: q.formula for q in program.lemmas}
    given = tuple((n, t, written[n]) for n, t in checker.lemmas if n in visible)
    return Question(_premises(checker) + given, Not(goal.expanded) if claim else goal.expanded,
                    Not(goal.body) if claim else goal.body, goal.witnesses)


def premises(program: Program) -> tuple[tuple[str, Term, Term], ...]:
    """The axioms by name, expanded and as written, as the consistency test gives them to the solver."""
    return _premises(_Checker(program, CheckOptions(), failing))


def _premises(checker: _Checker) -> tuple[tuple[str, Term, Term], ...]:
    return tuple((name, expanded, written)
                 for (name, expanded), (_, written) in zip(checker.axioms, checker.originals))


# ---------------------------------------------------------------- internal records

@dataclass(frozen=True)
class _Consistency:
    """What the axiom test found: a minimised conflict, or a warning that it could not tell."""

    conflict: tuple[str, ...] = ()
    warning: str | None = None
    seconds: float = 0.0  # how long the test took


Consistency = _Consistency


@dataclass(frozen=True)
class _Goal:
    """A query's formula with its outer quantifier peeled into witness constants."""

    vars: tuple[Var, ...]
    witnesses: tuple[Symbol, ...]
    body: Term       # with witnesses, definitions kept: what the evaluator re-checks
    expanded: Term   # the same, expanded: what the solver reads


@dataclass(frozen=True)
class _Scopes:
    """A bounded search scope by scope: the sat outcome found (at the smallest scope asked that
    has one), the largest scope with none, why the next scope was not completed, and the unsat
    answer that completed the whole scope."""

    found: Outcome | None
    completed: int
    why: str = ""
    last: Outcome | None = None

    def unfinished(self, what: str, scope: int) -> str:
        done = f"no {what} with up to {_elements(self.completed)} per sort; " if self.completed else ""
        return f"{done}scope {self.completed + 1} of {scope} not completed ({self.why or 'unknown'})"


@dataclass(frozen=True)
class _Answer:
    """A verdict and what goes with it, before the common fields are filled in."""

    verdict: Verdict
    used: tuple[str, ...] | None = None
    model: Model | None = None
    warnings: tuple[str, ...] = ()
    reason: str | None = None
    alternatives: tuple[Alternative, ...] = ()
    solver: str = ""  # who gave the answer the verdict rests on


# ---------------------------------------------------------------- the checker

class _Checker:
    """The questions asked about one program, with its axioms expanded once."""

    def __init__(self, program: Program, options: CheckOptions, recheck: Recheck):
        self.program = program
        self.options = options
        self.recheck = recheck
        self.steps = Steps(options.recheck_steps())  # the evaluator's allowance for the current query's re-checks
        self.undecided: frozenset[str] = frozenset()  # what the last re-check could not decide, false or true
        fresh = Fresh(program.next_uid)
        self.axioms = tuple((a.name, expand(a.formula, fresh)) for a in program.axioms)
        self.originals = tuple((a.name, a.formula) for a in program.axioms)
        self.query_uids = fresh()  # each query expands from here: its names do not depend on the others
        self._session: QuestionSession | None = None
        apart = Fresh(LEMMA_UIDS)
        self.lemmas = tuple((q.name, expand(q.formula, apart)) for q in program.lemmas)
        self.visible: frozenset[str] = frozenset()  # the lemmas the current query is asked with
        self._session_of: tuple = ()
        self._solver = options.backend  # who answers the current question: `options.backend`, or z3 for the axioms
        self.spending: Budget | None = None  # one budget for several sessions (`spend`), else one per session

    # ------------------------------------------------------------ solving

    def solve(self, plain: Sequence[Term] = (), goal: _Goal | None = None, bound: int | Scope | None = None,
              axioms: Collection[str] | None = None, options: SolverOptions | None = None,
              want_model: bool = True, extra: Sequence[tuple[str, Term]] = ()) -> Outcome:
        """One question, in the session of the current query (one solver context per query, see
        solvers/z3/session.py), asked of the solver `--solver` names (solvers/portfolio.py).
        `extra` are more tracked formulas, named apart from the axioms (`names.hypothesis`)."""
        tracked = [(n, t) for n, t in self._premises(bound) if axioms is None or n in axioms] + list(extra)
        witnesses = goal.witnesses if goal else ()
        if self._session is None or self._session_of != (self._solver, witnesses):
            self._session = open_session(self._solver, self.program, witnesses, self.spending or self.options.budget())
            self._session_of = (self._solver, witnesses)
        return self._session.solve(tracked, plain, bound, options or self.options.solver(), want_model)

    def _premises(self, bound: int | Scope | None) -> Sequence[tuple[str, Term]]:
        """The axioms, and the current query's lemmas unless the question is bounded: a lemma not
        yet proved could rule out a small counterexample, and a bound proves nothing about it."""
        if not self.visible or bound is not None:
            return self.axioms
        return self.axioms + tuple((n, t) for n, t in self.lemmas if n in self.visible)

    @contextmanager
    def spend(self, budget: Budget) -> Iterator[Budget]:
        """Every question asked inside, in any session, spends from `budget`: a test that is one
        step of a run (the axioms' consistency, the `used` sets) takes one `--timeout` in all."""
        self.spending = budget
        try:
            yield budget
        finally:
            self.spending = None

    def fresh_session(self, solver: str | None = None) -> None:
        """Forget the current query's session: the next question starts a new one, asked of
        `solver` (by default the one `--solver` names)."""
        self._session = None
        self._solver = solver or self.options.backend

    def minimise(self, core: Sequence[str], plain: Sequence[Term] = (), goal: _Goal | None = None) -> tuple[str, ...]:
        """An unsat core made smaller by deletion, in declaration order (small cores only).

        Right after the question that found `core`, the deletions are tried on
        its solver (solvers.z3.Session.smaller_core); otherwise each is a new question."""
        kept = list(core)
        if len(kept) <= MAX_CORE_TO_MINIMISE:
            quick = self.options.solver(SECONDARY_SHARE, MINIMISE_CAP)
            smaller = self._session.smaller_core(core, quick) if self._session is not None else None
            if smaller is not None:
                return self.in_order(smaller)
            for name in core:
                if name not in kept:
                    continue
                trial = [n for n in kept if n != name]
                outcome = self.solve(plain, goal, axioms=trial, options=quick, want_model=False)
                if outcome.status == "unsat":
                    kept = [n for n in trial if n in outcome.core]
        return self.in_order(kept)

    def in_order(self, names: Collection[str]) -> tuple[str, ...]:
        return tuple(n for n, _ in self.axioms + self.lemmas if n in names)

    def rechecked(self, model: Model, extra: Sequence[tuple[str, Term]] = ()) -> list[str]:
        """Names of the axioms (and `extra` formulas) the model does not make definitely true."""
        return self._recheck(model, [*self.originals, *extra])

    def _recheck(self, model: Model, formulas: Sequence[tuple[str, Term]]) -> list[str]:
        """The formulas `model` does not make definitely true; the evaluator's re-checks of one
        query (or of the axioms' test) share one allowance of steps (`RECHECK_STEPS_PER_SECOND`)."""
        if self.recheck is failing:
            truths = judged(model, formulas, steps=self.steps)
            self.undecided = frozenset(name for name, truth in truths if truth is None)
            return [name for name, truth in truths if truth is not True]
        self.undecided = frozenset()
        return list(self.recheck(model, formulas))

    # ------------------------------------------------------------ the axioms

    def consistency(self) -> _Consistency:
        """Test T: a minimised conflict, or a warning when no re-checked model was found."""
        if not self.axioms:
            return _Consistency()
        self.fresh_session("z3")  # z3 first, whatever --solver says; cvc5 when it cannot tell (theory.py)
        start = time.perf_counter()
        self.steps = self.options.recheck_allowance(start)
        try:
            with self.spend(self.options.budget()):
                return replace(self._consistency(), seconds=time.perf_counter() - start)
        finally:
            self.fresh_session()

    def _consistency(self) -> _Consistency:
        outcome = self.solve(options=self.options.solver(AXIOMS_FIRST_SHARE))
        if outcome.status == "unsat":
            everything = [n for n, _ in self.axioms]
            return _Consistency(conflict=self.minimise(outcome.core) or tuple(everything))
        why = self._model_problem(outcome) if outcome.status == "sat" else outcome.reason
        if why is None:
            return _Consistency()
        for bound in SMALL_BOUNDS:
            small = self.solve(bound=bound, options=self.options.solver(AXIOMS_SMALL_SHARE))
            if small.status == "sat" and self._model_problem(small) is None:
                return _Consistency()
        from .theory import second_opinion  # z3 could not tell: ask the other solver
        return second_opinion(self, why)

    def _model_problem(self, outcome: Outcome, extra: Sequence[tuple[str, Term]] = ()) -> str | None:
        """Why a sat outcome's model cannot be trusted, or None if it re-checks."""
        if outcome.model is None:
            return "the solver gave no model"
        bad = self.rechecked(outcome.model, extra)
        if bad and self.recheck is failing and self.steps.ran_out:
            return self.options.unfinished_recheck(self.steps)
        if not bad:
            return None
        if set(bad) <= self.undecided:
            return (f"the solver's model could not be re-checked: the evaluator cannot decide {', '.join(bad)} "
                    "in it (for example a quantifier over Int or Real, which no finite table decides)")
        return f"the solver's model failed the re-check: {', '.join(b for b in bad if b not in self.undecided)}"

    def inconsistency(self, conflict: tuple[str, ...]) -> Diagnostic:
        first = next(a for a in self.program.axioms if a.name == conflict[0])
        return Diagnostic(diagnostics.INCONSISTENT,
                          f"the axioms are inconsistent: {', '.join(conflict)} have no model together",
                          first.span,
                          help="remove or weaken one of these axioms; until then no claim is reported as proved")

    def inconsistent_result(self, query: Query, conflict: tuple[str, ...]) -> Result:
        answer = _Answer(Verdict.UNKNOWN, reason=f"the axioms are inconsistent: {', '.join(conflict)}")
        return self._result(query, answer, self.peel(query, Fresh(self.query_uids)), time.perf_counter())

    # ------------------------------------------------------------ queries

    def check(self, query: Query, consistency_warning: str | None) -> Result:
        start = time.perf_counter()
        goal = self.peel(query, Fresh(self.query_uids))
        self.fresh_session()  # every query in a Z3 context of its own: its answers depend on it alone
        self.steps = self.options.recheck_allowance(start)
        self.visible = _premise_lemmas(query)
        try:
            answer = self._example(query, goal) if query.kind is QueryKind.EXAMPLE else self._claim(query, goal)
            if self.options.models > 1 and answer.model is not None:
                answer = replace(answer, alternatives=self._alternatives(query, goal, answer))
        finally:
            self.fresh_session()
            self.visible = frozenset()
        return _warned(self._result(query, answer, goal, start), consistency_warning)

    def peel(self, query: Query, fresh: Fresh) -> _Goal:
        """Outer foralls of a claim (exists of an example) become witness constants (`shapes.outer_vars`)."""
        vars, body = outer_vars(query.formula, query_quantifier(query), fresh)
        witnesses = tuple(Symbol(names.witness(v.name, i), (), v.sort, SymbolKind.WITNESS)
                          for i, v in enumerate(vars))
        body = substitute(body, {v.uid: App(w) for v, w in zip(vars, witnesses)})
        return _Goal(vars, witnesses, body, expand(body, fresh))

    # ------------------------------------------------------------ claims

    def _claim(self, query: Query, goal: _Goal) -> _Answer:
        negated = Not(goal.expanded)
        scope = Scope.of(query.within)
        if scope is not None:
            return self._claim_within(query, goal, negated, scope)
        return self._decide(Verdict.COUNTEREXAMPLE, query, goal, negated, query.expect == "counterexample")

    def _decide(self, verdict: Verdict, query: Query, goal: _Goal, formula: Term, expected: bool) -> _Answer:
        """A claim's (an example's) answer: `formula` is its negation (its body).

        A proof (a `none`) only from unsat of the unbounded question. When a
        model is expected (`expect counterexample`, or an example), small
        models are sought first (1, 2, 3 elements per sort): the first one
        found is already the smallest, and the unbounded question is not
        needed; the bounds that found nothing are not asked again.
        """
        tried: set[int] = set()
        if expected:
            found = self._small_first(verdict, query, goal, formula, tried)
            if found is not None:
                return found
        outcome = self.solve([formula], goal, options=self.options.solver(1 - SMALL_MODEL_RESERVE))
        if outcome.status == "unsat":
            return self._proved(outcome, goal, formula) if verdict is Verdict.COUNTEREXAMPLE \
                else _Answer(Verdict.NONE, solver=outcome.solver)
        if outcome.status == "sat":
            return self._smallest(verdict, outcome, query, goal, formula, tried)
        return self._small_model(verdict, query, goal, formula) or _Answer(Verdict.UNKNOWN, reason=outcome.reason)

    def _small_first(self, verdict: Verdict, query: Query, goal: _Goal, formula: Term,
                     tried: set[int]) -> _Answer | None:
        """The first re-checked model with 1, 2, 3 elements per sort (bounds asked go in `tried`)."""
        for bound in SMALL_BOUNDS:
            small = self.solve([formula], goal, bound=bound, options=self._shrink_options())
            tried.add(bound)
            if small.status == "sat":
                answer = self._reported(verdict, small, query, goal)
                if answer.verdict is verdict:
                    return answer
        return None

    def _claim_within(self, query: Query, goal: _Goal, negated: Term, scope: Scope) -> _Answer:
        """Bounded search scope by scope; then an outright proof, else `bounded` (never `proved`)."""
        scopes = self._scopes(negated, goal, scope)
        if scopes.found is not None:
            return self._reported(Verdict.COUNTEREXAMPLE, scopes.found, query, goal)
        if scopes.completed < scope.largest:  # an outright proof needs no scope; what budget is left may give one
            attempt = self.solve([negated], goal, options=self.options.solver(SECONDARY_SHARE), want_model=False)
            if attempt.status == "unsat":
                return self._proved(attempt, goal, negated)
            return _Answer(Verdict.UNKNOWN, reason=scopes.unfinished("counterexample", scope.largest))
        bounded = _Answer(Verdict.BOUNDED, solver=scopes.last.solver if scopes.last else "")
        outcome = self._outright([negated], goal, scopes.last)
        if outcome is None:
            return bounded
        if outcome.status == "unsat":
            return self._proved(outcome, goal, negated)
        return replace(bounded, warnings=self._beyond_bound(outcome, query, goal, scope))

    def _outright(self, formulas: Sequence[Term], goal: _Goal, completed: Outcome | None,
                  share: float = OUTRIGHT_SHARE) -> Outcome | None:
        """The unbounded question after a bounded search found nothing, when it is worth asking.

        Claims written with `within` are mostly true only in finite models, where the unbounded
        question runs to its limit (it cost 50-90% of a `bounded` claim's time). So: when the
        unsat that completed the search did not need the bound (its solver's core says so), the
        unbounded question from that core's axioms, which then almost always proves it; when the
        core needed the bound, none; when its solver cannot tell (z3), one with `share` of the
        budget (`OUTRIGHT_SHARE` for a claim; bench/RESULTS.md, "Bounded search")."""
        needed = completed.bound_needed if completed is not None else None
        if needed:
            return None
        if needed is False and completed is not None:
            outcome = self.solve(formulas, goal, axioms=completed.core, options=self.options.solver(SECONDARY_SHARE))
            if outcome.status == "unsat":
                return outcome
        return self.solve(formulas, goal, options=self.options.solver(share))

    def _scopes(self, formula: Term, goal: _Goal, scope: Scope) -> _Scopes:
        """Models of `formula` with at most `scope` elements per sort: the smallest, or how far it got.

        Scopes 1, 2, 4, ... are asked while none has a model (the search within
        k elements covers every smaller size), up to `scope`; when one has a
        model, or cannot be completed, the scopes between it and the last one
        completed are bisected (a model within k elements is one within k + 1,
        so bisection is exact): the model reported is one of the smallest
        (unless a smaller scope could not be completed), and the largest scope
        completed is known, with O(log scope) questions in all. Small scopes
        first also keeps a small counterexample from costing the work of a
        large scope. Each question has the budget of one solver question.

        A model finder (cvc5's finite model finding, in the portfolio) is asked
        the whole scope first: it tries the smaller sizes itself, so one
        question settles most searches; scope by scope follows only if it
        gives up. A scope naming sizes per sort is searched through its cuts
        (`Scope.at`: every size at most k), which grow with k as one number does.
        """
        options = self.options.solver()
        largest = scope.largest
        if largest > 1 and finds_models(self._solver, scope):
            whole = self.solve([formula], goal, bound=scope, options=options)
            if whole.status == "unsat":
                return _Scopes(None, largest, last=whole)
            if whole.status == "sat":
                return _Scopes(whole, 0)
        done, bound = 0, 1
        while True:
            outcome = self.solve([formula], goal, bound=scope.at(bound), options=options)
            if outcome.status != "unsat":
                break
            done = bound
            if done >= largest:
                return _Scopes(None, done, last=outcome)
            if done >= MAX_BOUND:
                return _Scopes(None, done, f"alignproof searches at most {MAX_BOUND:,} elements per sort")
            bound = min(largest, 2 * done, MAX_BOUND)
        found = outcome if outcome.status == "sat" else None
        why = outcome.reason if found is None else ""
        high = bound  # the smallest scope asked that has a model or was not completed
        while high - done > 1:
            middle = (done + high) // 2
            outcome = self.solve([formula], goal, bound=scope.at(middle), options=options)
            if outcome.status == "unsat":
                done = middle
                continue
            high = middle
            if outcome.status == "sat":
                found = outcome
            elif found is None:
                why = outcome.reason
        return _Scopes(found, done, why)

    def _beyond_bound(self, outcome: Outcome, query: Query, goal: _Goal, scope: Scope) -> tuple[str, ...]:
        if outcome.status != "sat" or self._model_problem(outcome, self._goal_formulas(query, goal)):
            return ()
        if not scope.sizes and scope.default is not None:
            return (f"a counterexample exists in which some sort has more than {_elements(scope.default)}",)
        return (f"a counterexample exists beyond `within {scope}`",)

    def _proved(self, outcome: Outcome, goal: _Goal, negated: Term) -> _Answer:
        solver = outcome.solver
        used = self.minimise(outcome.core, [negated], goal)
        return _Answer(Verdict.PROVED, used=used, warnings=self._vacuity(goal), solver=solver)

    def _vacuity(self, goal: _Goal) -> tuple[str, ...]:
        """A warning when the claim is `... H -> C` and H cannot hold under the axioms, or when
        that cannot be decided (`vacuity.py`)."""
        from .vacuity import vacuity
        return vacuity(self, goal)

    # ------------------------------------------------------------ examples

    def _example(self, query: Query, goal: _Goal) -> _Answer:
        scope = Scope.of(query.within)
        if scope is not None:
            return self._example_within(query, goal, scope)
        return self._decide(Verdict.WITNESS, query, goal, goal.expanded, query.expect != "none")

    def _example_within(self, query: Query, goal: _Goal, scope: Scope) -> _Answer:
        """A witness only within the bound; `none` only if there is none at all."""
        scopes = self._scopes(goal.expanded, goal, scope)
        if scopes.found is not None:
            return self._reported(Verdict.WITNESS, scopes.found, query, goal)
        if scopes.completed < scope.largest:
            return _Answer(Verdict.UNKNOWN, reason=scopes.unfinished("witness", scope.largest))
        outcome = self._outright([goal.expanded], goal, scopes.last, share=1.0)
        if outcome is not None and outcome.status == "unsat":
            return _Answer(Verdict.NONE, solver=outcome.solver)
        return _Answer(Verdict.UNKNOWN, reason=f"no witness in which {_scope_text(scope)}")

    # ------------------------------------------------------------ models

    def _smallest(self, verdict: Verdict, outcome: Outcome, query: Query, goal: _Goal,
                  formula: Term, tried: Collection[int] = ()) -> _Answer:
        """A smaller re-checked model than the solver's, else the solver's model re-checked: bounds
        1, 2, ... below its largest sort (but not those in `tried`, already asked with the same budget).

        The smaller ones are re-checked first: the query's re-checks share one allowance of steps
        (`RECHECK_STEPS_PER_SECOND`), and a large model's re-check can use it all, leaving none for
        the small model that would have been reported instead (two TPTP problems, bench/RESULTS.md
        "Small models re-checked first"). The model reported is the same either way when both
        re-check: the smallest found."""
        model = outcome.model
        size = max((len(model.universes.get(s.name, ())) for s in self.program.sorts if s.is_uninterpreted),
                   default=1) if model is not None else 1
        for bound in range(1, min(size, MAX_SHRINK_BOUND + 1)):
            if bound in tried:
                continue
            small = self.solve([formula], goal, bound=bound, options=self._shrink_options())
            if small.status == "sat":
                smaller = self._reported(verdict, small, query, goal)
                if smaller.verdict is verdict:
                    return smaller
        answer = self._reported(verdict, outcome, query, goal)
        if answer.verdict is not verdict or answer.model is None:  # e.g. too large to re-check: try small ones
            return self._small_model(verdict, query, goal, formula) or answer
        return answer

    def _shrink_options(self) -> SolverOptions:
        """A deterministic budget for shrinking: the rlimit of `SHRINK_CAP` seconds, with a
        looser wall clock as backstop, so a slow machine does not pick a different model."""
        budget = self.options.solver(SECONDARY_SHARE, cap=SHRINK_CAP)
        backstop = min(self.options.timeout * SECONDARY_SHARE, 4 * SHRINK_CAP)
        return replace(budget, timeout=max(budget.timeout, backstop), rlimit=budget.resource_limit())

    def _small_model(self, verdict: Verdict, query: Query, goal: _Goal, formula: Term) -> _Answer | None:
        """A re-checked model with 1, 2 or 3 elements per sort, after the solver gave up."""
        for bound in SMALL_BOUNDS:
            outcome = self.solve([formula], goal, bound=bound, options=self.options.solver(SECONDARY_SHARE))
            if outcome.status == "sat":
                answer = self._reported(verdict, outcome, query, goal)
                if answer.verdict is verdict:
                    return answer
        return None

    def _goal_formulas(self, query: Query, goal: _Goal) -> list[tuple[str, Term]]:
        """What a reported model must satisfy besides the axioms: the negated claim, or the example."""
        body = Not(goal.body) if query.kind is not QueryKind.EXAMPLE else goal.body
        return [(query.name, body)]

    def _reported(self, verdict: Verdict, outcome: Outcome, query: Query, goal: _Goal) -> _Answer:
        """A counterexample or witness, if its model re-checks; otherwise `unknown`."""
        formulas = self._goal_formulas(query, goal)
        problem = self._model_problem(outcome, formulas)
        if problem is not None:
            return _Answer(Verdict.UNKNOWN, reason=problem)
        assert outcome.model is not None
        values = [(v.name, outcome.model.value(w.name)) for v, w in zip(goal.vars, goal.witnesses)]
        model = replace(outcome.model, witness={name: value for name, value in values if value is not None})
        if self._recheck(_as_printed(model, goal), formulas):
            if self.recheck is failing and self.steps.ran_out:
                return _Answer(Verdict.UNKNOWN, reason=self.options.unfinished_recheck(self.steps))
            return _Answer(Verdict.UNKNOWN, reason="the witness as it would be printed failed the re-check: "
                                                   f"{', '.join(f'{k} = {v}' for k, v in model.witness.items())}")
        return _Answer(verdict, model=model, solver=outcome.solver)

    # ------------------------------------------------------------ results

    def _result(self, query: Query, answer: _Answer, goal: _Goal, start: float) -> Result:
        shown = [s for s in symbols_of(query.formula) if s.kind in _SHOWN_KINDS]
        model = answer.model
        return Result(
            file=query.file, name=query.name, kind=query.kind.value, verdict=answer.verdict,
            expected=query.expect, ok=meets(answer.verdict, query.expect, query.within),
            seconds=time.perf_counter() - start, used=answer.used,
            witness=dict(model.witness) if model is not None else None, model=model,
            shown_symbols=tuple(s.name for s in shown),
            shown_sorts=self._shown_sorts(shown, goal.vars),
            warnings=answer.warnings, reason=answer.reason, span=query.span, doc=query.doc,
            explanation=self._explanation(query, goal, model), alternatives=answer.alternatives,
            bound=bound_of(query) if answer.verdict is Verdict.BOUNDED else None,
            solver=answer.solver if self.options.backend != "z3" and answer.verdict is not Verdict.UNKNOWN else None)

    def _alternatives(self, query: Query, goal: _Goal, answer: _Answer) -> tuple[Alternative, ...]:
        """Up to `models - 1` more re-checked models, each with a combination of truth values of
        the claim's definitions (at the witness) that no earlier model had: block it, re-solve;
        within the query's `within`, as the first model was (a larger one refutes no bounded claim)."""
        claim = query.kind is not QueryKind.EXAMPLE
        formula = Not(goal.expanded) if claim else goal.expanded
        fresh = Fresh(ALTERNATIVE_UIDS)
        calls = _definition_calls(goal.body, fresh)
        expanded = [expand(c, fresh) for c in calls]
        blocks: list[Term] = []
        found: list[Alternative] = []
        model = answer.model
        while model is not None and calls and len(found) < self.options.models - 1:
            values = [evaluate(c, model) for c in calls]
            if not all(isinstance(v, bool) for v in values):
                break
            blocks.append(Not(And(tuple(e if v else Not(e) for e, v in zip(expanded, values)))))
            outcome = self.solve([formula, *blocks], goal, bound=query.within,
                                 options=self.options.solver(SECONDARY_SHARE))
            if outcome.status != "sat":
                break
            another = self._reported(answer.verdict, outcome, query, goal)
            if another.verdict is not answer.verdict:
                break
            model = another.model
            if model is not None:
                found.append(Alternative(dict(model.witness), model, explain(goal.body, model, claim)))
        return tuple(found)

    def _explanation(self, query: Query, goal: _Goal, model: Model | None):
        """Why the reported model refutes the claim (or satisfies the example); None without one."""
        if model is None:
            return None
        return explain(goal.body, model, claim=query.kind is not QueryKind.EXAMPLE)

    def _shown_sorts(self, symbols: Sequence[Symbol], vars: Sequence[Var]) -> tuple[str, ...]:
        used: set[Sort] = {v.sort for v in vars}
        for symbol in symbols:
            used.update(symbol.args)
            used.add(symbol.result)
        return tuple(s.name for s in self.program.sorts if s in used and not s.builtin)


# ---------------------------------------------------------------- helpers

def _as_printed(model: Model, goal: _Goal) -> Model:
    """`model` with each witness constant's table made from the witness as printed (by the name
    of the variable it stands for), so a re-check judges what the user is shown."""
    tables = {name: table for name, table in model.tables.items()
              if name not in {w.name for w in goal.witnesses}}
    tables.update((w.name, Table((((), model.witness[v.name]),)))
                  for v, w in zip(goal.vars, goal.witnesses) if v.name in model.witness)
    return replace(model, tables=tables)


def _scope_text(scope: Scope) -> str:
    """`scope` as a clause: "every sort has at most 3 elements", "Agent has at most 3 elements,
    Objective at most 5 (and any other sort any number)"."""
    if not scope.sizes and scope.default is not None:
        return f"every sort has at most {_elements(scope.default)}"
    (first, size), *rest = scope.sizes
    text = ", ".join([f"{first} has at most {_elements(size)}", *(f"{s} at most {n}" for s, n in rest)])
    others = f"every other sort at most {scope.default}" if scope.default is not None else "any other sort any number"
    return f"{text} (and {others})"


def _elements(count: int) -> str:
    return f"{count} element" if count == 1 else f"{count} elements"


def _definition_calls(term: Term, fresh: Fresh, limit: int = 64) -> list[Term]:
    """The uses of definitions outside any quantifier (closed at the witness), through every
    level of unfolding, then the Boolean atoms they reach. At most `limit` of each, each once
    (equal ones numbered alike by `walk.Interner`, so no deep term is hashed)."""
    numbers = Interner()
    calls: dict[int, Term] = {}
    atoms: dict[int, Term] = {}
    stack = [term]
    while stack and len(calls) < limit:
        node = stack.pop()
        if isinstance(node, DefCall):
            if numbers.number(node) not in calls:
                calls[numbers.number(node)] = node
                stack.append(unfold(node, fresh))
        elif isinstance(node, App) and node.symbol.result.is_bool and len(atoms) < limit:
            atoms.setdefault(numbers.number(node), node)
        if not isinstance(node, Quant):
            stack.extend(reversed(list(children(node))))
    return [*calls.values(), *atoms.values()]
