"""Premise sets, `suggest`: the search for a missing premise of one claim, from start to report.

It takes a program, one of its claims and the checker's result for it
(normally a counterexample) and hands on a `Report`: the verified
suggestions weakest first, what was dropped and why, which sources ran. In
order:

1. the claim's vocabulary (`vocabulary.build`), its counterexample as the
   first world;
2. cvc5's abducts (`solvers/cvc5/`), when cvc5 can be imported and the
   source is asked for: for the claim at its witness constants, with the
   axioms and the hypothesis there assumed and the conclusion the goal;
3. the claim itself, when it is a clause: a restatement, so its
   generalisations (terms replaced by parameters) are tried first;
4. the enumerator's clauses, small first (`candidates.clauses`); a clause
   the checker finds to restate the claim has its generalisations tried
   next;
5. each candidate verified (`verify.Verifier`); one stronger than a
   suggestion already found by construction (fewer literals, or a
   generalisation of it) is not examined, one stronger than a vacuous or
   inconsistent candidate fails like it;
6. the survivors ranked (`rank.rank`).

The search ends when the enumeration does, when `limit` suggestions are
known and one of them is equivalent to the claim (nothing weaker can then be
found), after `MAX_FOUND` suggestions, or at the deadline, keeping what was
verified. Suggestions are advice: nothing here is a verdict, and nothing is
recorded.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from ...check.checker import CheckOptions
from ...check.results import Result
from ...logic import core, names
from ...logic.expand import Fresh, expand, substitute
from ...logic.model import Model, Value
from ...logic.printer import print_term
from . import candidates as make
from .candidates import Candidate
from .rank import Group, Verified, rank
from .verify import Cut, Failed, Reason, Verifier
from .vocabulary import Vocabulary, build
from .worlds import World

SOURCES = ("enumerator", "cvc5")
"""Where candidates come from, in the order they are tried."""

MAX_FOUND_FACTOR = 1.5
"""The search stops after this many times `--max` verified suggestions that no other found is
weaker than by construction."""

CVC5_ABDUCTS = 4
CVC5_SECONDS = 1.5
"""cvc5 is asked for at most this many abducts, each within its resource units and at most this
many seconds of wall clock (`SuggestOptions.cvc5_seconds`). On a loaded machine the wall clock can
bind before the units do, and then fewer abducts come back."""


@dataclass(frozen=True)
class SuggestOptions:
    limit: int = 5                    # --max: suggestions shown
    max_size: int = 3                 # literals in an enumerated clause
    timeout: float = 30.0             # the whole search, in seconds (--timeout)
    question: CheckOptions = CheckOptions(timeout=5.0, rlimit=200_000)  # rlimit binds first; verify.py's shares
    sources: tuple[str, ...] = SOURCES
    cvc5_seconds: float = CVC5_SECONDS  # wall clock per abduct (the reader's page lifts it)


@dataclass(frozen=True)
class RulesOut:
    """The counterexample of the claim a suggestion rules out, and where the suggestion fails in it."""

    witness: dict[str, Value]
    model: Model
    at: dict[str, Value]


@dataclass(frozen=True)
class Suggestion:
    formula: core.Term
    text: str                           # the formula in the spec language, definitions by name
    sources: tuple[str, ...]
    used: tuple[str, ...] | None        # the spec's axioms the proof used besides it (None: not known)
    equivalent: bool | None             # the claim implies it back under the axioms
    weaker_than: tuple[int, ...]        # positions of shown suggestions that imply it
    stronger_than_axioms: tuple[str, ...]
    same_as: tuple[str, ...]            # equivalent candidates merged into it
    rules_out: RulesOut | None
    dropped_axioms: tuple[tuple[str, Relation], ...] = ()  # how it relates to each axiom left out (--drop)


class Relation(str, Enum):
    """How a suggestion relates to an axiom the run left out, under the axioms kept."""

    EQUIVALENT = "equivalent"
    STRONGER = "stronger"    # the suggestion implies the axiom
    WEAKER = "weaker"        # the axiom implies the suggestion
    NEITHER = "neither"
    UNKNOWN = "unknown"      # the checker could not tell (or time ran out)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class SourceRun:
    name: str
    ran: bool
    candidates: int = 0
    note: str = ""


@dataclass(frozen=True)
class Report:
    claim: Result
    suggestions: tuple[Suggestion, ...] = ()
    dropped: dict[str, int] = field(default_factory=dict)
    sources: tuple[SourceRun, ...] = ()
    examined: int = 0
    not_examined: int = 0               # stronger than a suggestion found, by construction
    questions: int = 0
    complete: bool = True               # the search ran to its end (not cut by --timeout)
    seconds: float = 0.0


Progress = Callable[[str], None]


def suggest(program: core.Program, query: core.Query, claim: Result, options: SuggestOptions = SuggestOptions(),
            progress: Progress | None = None, clock: Callable[[], float] = time.monotonic,
            dropped: Sequence[core.Axiom] = ()) -> Report:
    """The search of the module's docstring for `query`, a claim of `program` the checker did not prove.
    `dropped`: axioms of the spec left out of `program`, each suggestion compared with them."""
    started = clock()
    fresh = Fresh(program.next_uid)
    vocabulary = build(program, query, fresh)
    verifier = Verifier(program, query, vocabulary, options.question, started + options.timeout, clock)
    if claim.model is not None:
        verifier.add_world(claim.model, "the claim's counterexample")
    search = _Search(vocabulary, verifier, options, progress or (lambda text: None))
    sources: list[SourceRun] = []
    try:
        for name in SOURCES:
            if name not in options.sources:
                sources.append(SourceRun(name, False, note="not asked for (--source)"))
            elif name == "cvc5":
                sources.append(search.cvc5(program, fresh))
            else:
                sources.append(search.enumerate())
    except Cut:
        search.complete = False
        sources += [SourceRun(n, False, note="not reached before --timeout") for n in SOURCES
                    if n in options.sources and all(s.name != n for s in sources)]
    groups, ranked = rank(verifier, search.found, options.limit, frontier(search.found))
    shown = _shown(vocabulary, verifier, groups, claim, dropped)
    return Report(claim, tuple(shown), dict(search.dropped), tuple(sources), search.examined,
                  search.not_examined, verifier.questions, search.complete and ranked, clock() - started)


class _Search:
    """The state of one search: what was found, dropped and skipped."""

    def __init__(self, vocabulary: Vocabulary, verifier: Verifier, options: SuggestOptions, progress: Progress):
        self.vocabulary = vocabulary
        self.verifier = verifier
        self.options = options
        self.progress = progress
        self.found: list[Verified] = []
        self.dropped: Counter[str] = Counter({r.value: 0 for r in Reason})
        self.seen: dict[str, int | None] = {}         # candidate key -> position in found
        self.failed_clauses: list[tuple[frozenset, Reason]] = []  # inherited by stronger clauses
        self.examined = 0
        self.not_examined = 0
        self.complete = True
        self.asserted = make.hypothesis_literals(vocabulary)

    def done(self) -> bool:
        """Enough found: `limit` and one equivalent to the claim (the weakest there can be), or
        `MAX_FOUND_FACTOR` times `limit` that no other found is weaker than by construction."""
        limit = self.options.limit
        if len(self.found) >= limit and any(v.passed.equivalent for v in self.found):
            return True
        return len(frontier(self.found)) >= MAX_FOUND_FACTOR * limit

    # ------------------------------------------------------------ sources

    def cvc5(self, program: core.Program, fresh: Fresh) -> SourceRun:
        from ...solvers import cvc5 as second
        try:
            module = second.load()
        except second.Unavailable:
            return SourceRun("cvc5", False, note=f"skipped: the cvc5 package is not installed ({second.INSTALL_HINT})")
        shape = self.vocabulary.shape
        witnesses = tuple(core.Symbol(names.witness(v.name, i), (), v.sort, core.SymbolKind.WITNESS)
                          for i, v in enumerate(shape.vars))
        ground = {v.uid: core.App(w) for v, w in zip(shape.vars, witnesses)}
        try:
            assumptions = [expand(a.formula, fresh) for a in program.axioms]
            assumptions += [expand(substitute(h, ground), fresh) for h in shape.hypotheses]
            goal = expand(substitute(shape.conclusion, ground), fresh)
        except ValueError as error:
            return SourceRun("cvc5", False, note=f"skipped: {error}")
        left = self.verifier.deadline - self.verifier.clock()
        if left <= 0:
            raise Cut()
        self.progress("asking cvc5 for abducts")
        answer = second.abducts(module, program, assumptions, goal, witnesses, CVC5_ABDUCTS,
                                min(self.options.cvc5_seconds, left))
        made = [c for abduct in answer.formulas for c in make.from_abduct(self.vocabulary, abduct, witnesses)]
        for candidate in made:
            self.consider(candidate)
        note = f"{len(answer.formulas)} abduct{'' if len(answer.formulas) == 1 else 's'}"
        note += f"; {answer.reason}" if answer.reason else ""
        return SourceRun("cvc5", True, len(made), note)

    def enumerate(self) -> SourceRun:
        vocabulary = self.vocabulary
        count = 0
        claim = make.claim_clause(vocabulary)
        if claim is not None:
            self.seen[_key(vocabulary, claim)] = None
            count += self._generalise(claim)
        for literals in make.clauses(vocabulary, self.verifier.counterexamples(), self.options.max_size):
            if self.done():
                break
            candidate = make.clause_candidate(vocabulary, literals)
            if candidate is None:
                continue
            count += 1
            outcome = self.consider(candidate)
            if isinstance(outcome, Failed) and outcome.reason is Reason.CIRCULAR and "restated" in outcome.detail:
                count += self._generalise(literals)
        return SourceRun("enumerator", True, count, f"{len(vocabulary.atoms)} atoms, clauses of up to "
                                                    f"{self.options.max_size} literals")

    def _generalise(self, literals: Sequence[tuple[int, bool]]) -> int:
        count = 0
        for candidate in make.generalisations(self.vocabulary, literals):
            if self.done():
                break
            count += 1
            self.consider(candidate)
        return count

    # ------------------------------------------------------------ one candidate

    def consider(self, candidate: Candidate) -> Failed | Verified | None:
        """Verify `candidate` unless it is known already; None when it is not examined."""
        position = self.seen.get(candidate.key, -1)
        if position != -1:
            if position is not None:
                self._also_from(position, candidate.source)
            return None
        self.seen[candidate.key] = None
        inherited = self._inherited(candidate)
        if inherited == "stronger":
            self.not_examined += 1
            return None
        if isinstance(inherited, Reason):
            self.dropped[inherited.value] += 1
            return Failed(inherited, "stronger than a candidate that failed so")
        if candidate.literals is not None and all((n, not p) in self.asserted for n, p in candidate.literals):
            self.dropped[Reason.VACUOUS.value] += 1
            return Failed(Reason.VACUOUS, "it denies the claim's hypothesis")
        self.examined += 1
        outcome = self.verifier.verify(candidate)
        self._report()
        if isinstance(outcome, Failed):
            self.dropped[outcome.reason.value] += 1
            if candidate.literals is not None and _inherits(outcome):
                self.failed_clauses.append((frozenset(candidate.literals), outcome.reason))
            return outcome
        verified = Verified(candidate, outcome, (candidate.source,))
        self.seen[candidate.key] = len(self.found)
        self.found.append(verified)
        return verified

    def _inherited(self, candidate: Candidate) -> str | Reason | None:
        """'stronger' when it is stronger than a suggestion found (fewer literals, or generalises it);
        a reason when it is stronger than a candidate that failed for a reason stronger ones share."""
        if candidate.literals is None:
            return None
        mine = frozenset(candidate.literals)
        base = frozenset(candidate.base) if candidate.base is not None else None
        for verified in self.found:
            theirs = verified.candidate.literals
            if theirs is not None and (mine < frozenset(theirs) or base == frozenset(theirs)):
                return "stronger"
        for clause, reason in self.failed_clauses:
            if mine < clause or base == clause:
                return reason
        return None

    def _also_from(self, position: int, source: str) -> None:
        verified = self.found[position]
        if source not in verified.sources:
            self.found[position] = Verified(verified.candidate, verified.passed, verified.sources + (source,))

    def _report(self) -> None:
        self.progress(f"{self.examined} candidates examined, {len(self.found)} verified, "
                      f"{self.verifier.questions} questions")


def frontier(found: Sequence[Verified]) -> list[Verified]:
    """The verified candidates no other is weaker than by construction (a clause with more
    literals, or the clause a generalisation generalises)."""
    return [v for v in found if not any(_by_construction(v.candidate, w.candidate) for w in found if w is not v)]


def _by_construction(stronger: Candidate, weaker: Candidate) -> bool:
    if stronger.literals is None or weaker.literals is None:
        return False
    return set(stronger.literals) < set(weaker.literals) or stronger.base == weaker.literals


def _inherits(outcome: Failed) -> bool:
    """Failures every stronger candidate shares: no model with the hypothesis, none at all, or the
    conclusion proved without the hypothesis."""
    return outcome.reason in (Reason.VACUOUS, Reason.INCONSISTENT) or \
        (outcome.reason is Reason.CIRCULAR and "without the hypothesis" in outcome.detail)


def _key(vocabulary: Vocabulary, literals: Sequence[tuple[int, bool]]) -> str:
    made = make.clause_candidate(vocabulary, literals)
    return made.key if made is not None else ""


# ---------------------------------------------------------------- the shown suggestions

def _shown(vocabulary: Vocabulary, verifier: Verifier, groups: Sequence[Group], claim: Result,
           dropped: Sequence[core.Axiom]) -> list[Suggestion]:
    program = verifier.program
    counterexample = next((w for w in verifier.worlds if w.origin == "the claim's counterexample"), None)
    shown = []
    for group in groups:
        first = group.first
        candidate = first.candidate
        stronger = _stronger_than(verifier, candidate, program.axioms)
        used = first.passed.used
        sources = tuple(dict.fromkeys(s for v in group.members for s in v.sources))
        shown.append(Suggestion(
            candidate.formula, _text(candidate.formula), sources, used, first.passed.equivalent,
            group.weaker_than, stronger, tuple(_text(v.candidate.formula) for v in group.members[1:]),
            _rules_out(vocabulary, candidate, counterexample, claim),
            tuple((a.name, _relation(verifier, candidate, a)) for a in dropped)))
    return shown


def _relation(verifier: Verifier, candidate: Candidate, axiom: core.Axiom) -> Relation:
    """Whether the suggestion implies the left-out axiom, is implied by it, both or neither."""
    try:
        stronger = verifier.entails(candidate.formula, axiom.formula)
        weaker = verifier.entails(axiom.formula, candidate.formula)
    except Cut:
        return Relation.UNKNOWN
    if stronger is None or weaker is None:
        return Relation.UNKNOWN
    if stronger and weaker:
        return Relation.EQUIVALENT
    return Relation.STRONGER if stronger else Relation.WEAKER if weaker else Relation.NEITHER


def _stronger_than(verifier: Verifier, candidate: Candidate, axioms: Iterable[core.Axiom]) -> tuple[str, ...]:
    found = []
    for axiom in axioms:
        try:
            if verifier.replaces(candidate, axiom):
                found.append(axiom.name)
        except Cut:
            break
    return tuple(found)


def _rules_out(vocabulary: Vocabulary, candidate: Candidate, counterexample: World | None,
               claim: Result) -> RulesOut | None:
    if counterexample is None or claim.model is None:
        return None
    at: dict[str, Value] | None = None
    if candidate.literals is not None:
        at = counterexample.falsified_at(vocabulary, candidate.literals, claim.witness)
        if at is not None:
            mentioned = {v.name for n, _ in candidate.literals for v in vocabulary.atoms[n].vars}
            at = {k: v for k, v in at.items() if k in mentioned}
    return RulesOut(dict(claim.witness or {}), claim.model, at or {})


def _text(formula: core.Term) -> str:
    return print_term(formula, Model({}, {}))


