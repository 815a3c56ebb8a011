"""Premise sets, stage 4 of `suggest`: each candidate put through the checker's tests.

It takes a claim, its program and a `Candidate` and hands on `Passed` (and
whether the claim implies the candidate back) or `Failed` (with the reason).
Every question is asked through the checker (`check.checker.ProgramChecker`)
of a program variant: the program's axioms plus the candidate (or the claim)
as an axiom, and one synthetic example. "Do these prove F?" is the example
`not F`: the checker's `none` (an unsat answer) is the proof, its witness (a
model re-checked by the evaluator) the refutation, anything else unknown,
and an unknown never passes a test. The axioms a proof used (`used`) come
with the proof of test 1. A test that a world found before already settles
(`worlds.World`) is not asked again. The tests, in the order asked:

1. the axioms and the candidate prove the claim (asked as the claim itself,
   with its expectation, as a paste into the spec would have it checked);
2. the claim's hypothesis can still hold: a re-checked model of the axioms,
   the candidate and the hypothesis (not vacuous; so also consistent). When
   there is none (the checker's `none`, an unsat of the shared session, or
   the checker's own vacuity test of the proof in test 1, an unsat answer
   about the same hypotheses), the candidate is dropped as vacuous, or as
   inconsistent when the shared session finds that the axioms and it have
   no model at all (only the reason counted depends on it, so no second
   solver is asked);
3. the candidate does not prove the claim's conclusion without its
   hypothesis, and is neither the claim nor its conclusion restated (equal
   expansions) (circular);
4. the claim implies the candidate back under the axioms (`equivalent`);
   if so, the candidate must not be equivalent to the claim without any
   axiom (a restatement, circular).

Unsat first. Test 1 is asked first, unbounded and without a model, in one
solver session the whole search shares (`_Shared`: the axioms translated
once, a fresh solver per question; `shared.py`). Only its `unsat` is used: the candidate
proves the claim, with the axioms of its core made smaller by deletion (as
the checker minimises its own), and the checker's question, which would have
found no world either, is not asked. Any other answer (a model,
unknown, the limit) says nothing, and the checker's question is asked as
without it, so the worlds found, and with them every later test and the
ranking, are the same. Test 1 without the checker's vacuity warning asks
test 2 itself.

Limits. Each question of the checker gets `QUESTION_SHARE` of the search's
question limits (`SuggestOptions.question`), the converse `CONVERSE_SHARE`,
the ranking's implications `RANKING_SHARE`, the shared session's
`SHARED_SHARE`, the axioms' test with a candidate the whole: resource units
first, the wall clock a backstop. An answer the limits leave `unknown` is
never read as unsat: the candidate is dropped as undecided, an implication
counts as absent.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from ...check.checker import AXIOMS_FIRST_SHARE, MINIMISE_CAP, SECONDARY_SHARE, CheckOptions, ProgramChecker
from ...check.results import Result, Verdict
from ...check.vacuity import VACUOUS_WARNING
from ...logic import core, names
from ...logic.expand import expand
from .candidates import Candidate
from .shared import Shared
from .vocabulary import Vocabulary, meaning
from .worlds import World, world

VARIANT_UIDS = 1 << 44
"""Where the checker of a variant starts its fresh variable uids: above every uid of the claim,
the candidates and cvc5's abducts."""

PREMISE = names.premise("suggested")
CLAIM = names.premise("claim")

SHARED_SHARE = 0.1
"""The shared session's question gets this share of a checker question's limits: an unsat that
needs more is left to the checker."""

QUESTION_SHARE = 0.6
"""Each question asked of the checker (tests 1-3, the comparisons with the axioms) gets this share
of `SuggestOptions.question`'s limits, resource units and wall clock alike (so its bounded
questions, capped in seconds, keep their units); the axioms' test with a candidate keeps the whole.
A question z3 cannot decide spends all it has and then counts as undecided, which is where the
time of the slowest searches went; the decided ones need far less (on the 37 refuted claims of
spec/, proofs at most 68,120 units, from what is left after the small models; bench/RESULTS.md,
"Suggest against check, wave 6")."""

CONVERSE_SHARE = 1.0
"""Test 4, the converse, keeps the whole: its refutation is a model found far into the search (up to
119,455 units on spec/), which the checker then shrinks within what is left of the question's units;
with less left, a larger model is kept, and a different world changes the ranking's ties."""

RANKING_SHARE = 0.4
"""The ranking's implications between verified candidates (`implies`) get this share: no test
depends on them and one the checker cannot settle only counts as absent (on spec/, 16 of the 17
that came back unknown were on one claim; the 8 the checker decided needed at most 56,823 units)."""


class Reason(str, Enum):
    """Why a candidate was dropped."""

    DOES_NOT_PROVE = "does_not_prove"
    CIRCULAR = "circular"
    VACUOUS = "vacuous"
    INCONSISTENT = "inconsistent"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Passed:
    equivalent: bool | None        # the claim implies it back (None: the checker could not tell)
    used: tuple[str, ...] = ()     # the spec's axioms the proof of the claim used besides it


@dataclass(frozen=True)
class Failed:
    reason: Reason
    detail: str = ""


class Cut(Exception):
    """The search's time is up: the question was not asked."""


class Verifier:
    """The tests of one claim's candidates, with the worlds they have found so far."""

    def __init__(self, program: core.Program, query: core.Query, vocabulary: Vocabulary,
                 options: CheckOptions, deadline: float, clock: Callable[[], float] = time.monotonic):
        self.program = program
        self.query = query
        self.vocabulary = vocabulary
        self.options = options
        self.deadline = deadline
        self.clock = clock
        self.worlds: list[World] = []
        self.questions = 0
        self.asked: Counter[str] = Counter()   # questions per role, for the bench
        self.without: dict[str, list[World]] = {}  # models of the other axioms where an axiom fails
        shape = vocabulary.shape
        self.conclusion = shape.closed(shape.conclusion)
        self.restatements = {meaning(query.formula, vocabulary.fresh), meaning(self.conclusion, vocabulary.fresh)}
        self.hypotheses_are_the_checkers = bool(shape.hypotheses) and \
            not isinstance(expand(shape.conclusion, vocabulary.fresh), core.Implies)
        self.shared = Shared(program, options.backend)
        self.negated = _negation(query.formula)

    # ------------------------------------------------------------ worlds

    def add_world(self, model, origin: str) -> World:
        made = world(model, self.vocabulary, self.query.formula, origin)
        self.worlds.append(made)
        return made

    def counterexamples(self) -> list[World]:
        return [w for w in self.worlds if w.claim is False]

    def _settled(self, candidate: Candidate, truth: bool, fact: Callable[[World], bool]) -> bool:
        return any(fact(w) and candidate.truth(w, self.vocabulary) is truth for w in self.worlds)

    # ------------------------------------------------------------ the tests

    def verify(self, candidate: Candidate) -> Passed | Failed:
        """Tests 1-4 of the module's docstring, each stopping at the first failure."""
        if candidate.key in self.restatements:
            return Failed(Reason.CIRCULAR, "the claim or its conclusion restated")
        if self._settled(candidate, True, lambda w: w.claim is False):
            return Failed(Reason.DOES_NOT_PROVE, "true in a counterexample already found")
        proves, used, vacuous = self._proves(candidate)
        if proves is False:
            return Failed(Reason.DOES_NOT_PROVE)
        if proves is None:
            return Failed(Reason.UNKNOWN, "whether it proves the claim")
        failure = self._vacuous(candidate, vacuous) or self._circular(candidate)
        if failure is not None:
            return failure
        equivalent = self._equivalent(candidate)
        if equivalent is not False:
            restated = self._restated(candidate)
            if restated is not None:
                return restated
        return Passed(equivalent, used)

    def _proves(self, candidate: Candidate) -> tuple[bool | None, tuple[str, ...], bool]:
        """Test 1: first the unsat question of the shared session (see the module's docstring),
        then, unless it proved the claim, the checker's (`_proof`). With a proof, the axioms it
        used (the minimised core, the candidate left out), and whether the checker's vacuity
        test of that proof found the claim's hypothesis unsatisfiable (`_vacuous_proof`)."""
        self._spend("shared")
        options = self._options()
        core = self.shared.proof([(PREMISE, candidate.formula)], self.negated, options.solver(SHARED_SHARE),
                                 options.solver(SECONDARY_SHARE, MINIMISE_CAP))
        if core is not None:
            return True, tuple(n for n in core if n != PREMISE), False
        result = self._proof(candidate)
        if result.verdict is Verdict.PROVED:
            return True, tuple(n for n in result.used or () if n != PREMISE), self._vacuous_proof(result)
        if result.verdict is Verdict.COUNTEREXAMPLE and result.model is not None:
            self.add_world(result.model, "proves")
            return False, (), False
        return None, (), False

    def _proof(self, candidate: Candidate) -> Result:
        """Test 1 asked of the checker as the claim itself (its expectation kept) with the axioms
        and the candidate: the question a person who pastes the candidate into the spec has the
        checker answer."""
        self._spend("proves")
        name = names.premise("proves")
        query = replace(self.query, name=name)
        variant = self._variant([(PREMISE, candidate.formula)], (query,))
        return ProgramChecker(variant, self._options(QUESTION_SHARE)).answer(name)

    def _vacuous_proof(self, result: Result) -> bool:
        """Whether the proof's vacuity warning shows (by an unsat answer) that the claim's hypothesis
        cannot hold with the candidate. The checker asks about the hypotheses of the claim's expanded
        implication chain, which are the claim's own exactly when its expanded conclusion is no
        implication; otherwise the warning says nothing here."""
        return self.hypotheses_are_the_checkers and any(w.startswith(VACUOUS_WARNING) for w in result.warnings)

    def _vacuous(self, candidate: Candidate, unsatisfiable: bool = False) -> Failed | None:
        """Test 3: a re-checked model of the axioms, the candidate and the claim's hypothesis. When
        the proof of test 1 showed already that there is none (`unsatisfiable`), it is not asked."""
        if self._settled(candidate, True, lambda w: w.hypothesis_somewhere is True):
            return None
        shape = self.vocabulary.shape
        hypothesis = shape.hypothesis
        if hypothesis is None:
            return self._consistent(candidate)
        somewhere = core.Quant(core.QuantKind.EXISTS, shape.vars, hypothesis) if shape.vars else hypothesis
        extra = [(PREMISE, candidate.formula)]
        unsatisfiable = unsatisfiable or self._shared_unsat(extra, somewhere)
        found = False if unsatisfiable else self._satisfiable(extra, somewhere, "hypothesis")
        if found is True:
            return None
        if found is False:
            return self._contradicts(candidate) or \
                Failed(Reason.VACUOUS, "the claim's hypothesis can never hold with it")
        return Failed(Reason.UNKNOWN, "whether the claim's hypothesis can hold with it")

    def _consistent(self, candidate: Candidate) -> Failed | None:
        if self._settled(candidate, True, lambda w: True):
            return None
        self._spend("consistency")
        consistency = ProgramChecker(self._variant([(PREMISE, candidate.formula)], ()), self._options()).consistency()
        if consistency.conflict:
            named = ", ".join(n for n in consistency.conflict if n != PREMISE)
            return Failed(Reason.INCONSISTENT, f"contradicts {named or 'itself'}")
        if consistency.warning:
            return Failed(Reason.UNKNOWN, "whether it is consistent with the axioms")
        return None

    def _contradicts(self, candidate: Candidate) -> Failed | None:
        """Inconsistent rather than vacuous: the axioms and the candidate have no model at all, by an
        unsat of the shared session with the limits of the checker's first consistency question.
        The candidate is dropped either way and only the reason counted depends on it, so neither
        the checker's small models nor its second solver are asked."""
        if self._settled(candidate, True, lambda w: True):
            return None
        self._spend("shared")
        options = self._options()
        conflict = self.shared.proof([(PREMISE, candidate.formula)], None, options.solver(AXIOMS_FIRST_SHARE),
                                     options.solver(SECONDARY_SHARE, MINIMISE_CAP))
        if conflict is None:
            return None
        named = ", ".join(n for n in conflict if n != PREMISE)
        return Failed(Reason.INCONSISTENT, f"contradicts {named or 'itself'}")

    def _circular(self, candidate: Candidate) -> Failed | None:
        """Test 2 (a claim without a hypothesis has nothing to drop: the test is passed)."""
        if not self.vocabulary.shape.hypotheses:
            return None
        if self._settled(candidate, True, lambda w: w.conclusion_everywhere is False):
            return None
        alone = self._entails([(PREMISE, candidate.formula)], self.conclusion, "conclusion", likely=True)
        if alone is False:
            return None
        if alone is True:
            return Failed(Reason.CIRCULAR, "proves the conclusion without the hypothesis")
        return Failed(Reason.UNKNOWN, "whether it proves the conclusion without the hypothesis")

    def _equivalent(self, candidate: Candidate) -> bool | None:
        """Test 4: whether the axioms and the claim prove the candidate."""
        if self._settled(candidate, False, lambda w: w.claim is True):
            return False
        return self._entails([(CLAIM, self.query.formula)], candidate.formula, "converse", likely=False,
                             share=CONVERSE_SHARE)

    def _restated(self, candidate: Candidate) -> Failed | None:
        """Equivalent to the claim with no axiom at all: the claim said again."""
        both = core.Iff(candidate.formula, self.query.formula)
        same = self._entails((), both, "restated", likely=True, axioms=False)
        if same is False:
            return None
        if same is True:
            return Failed(Reason.CIRCULAR, "the claim restated")
        return Failed(Reason.UNKNOWN, "whether it restates the claim")

    # ------------------------------------------------------------ comparisons and proofs

    def implies(self, stronger: Candidate, weaker: Candidate, ask: bool = True) -> bool | None:
        """Whether the axioms and `stronger` prove `weaker` (None: the checker could not tell, or
        was not `ask`ed and no world settles it)."""
        if self._settled(weaker, False, lambda w: stronger.truth(w, self.vocabulary) is True):
            return False
        if not ask:
            return None
        return self._entails([(PREMISE, stronger.formula)], weaker.formula, "implies", likely=True,
                             share=RANKING_SHARE)

    def replaces(self, candidate: Candidate, axiom: core.Axiom) -> bool | None:
        """Whether the candidate and the other axioms prove `axiom` (it is stronger than that axiom).
        The models found (of the other axioms, the candidate and the axiom's negation) are kept
        per axiom, to settle the same question for the next candidate."""
        known = self.without.setdefault(axiom.name, [])
        if any(candidate.truth(w, self.vocabulary) is True for w in known):
            return False
        result = self._ask([(PREMISE, candidate.formula)], _negation(axiom.formula), "axiom", "witness",
                           drop=axiom.name)
        if result.verdict is Verdict.NONE:
            return True
        if result.verdict is Verdict.WITNESS and result.model is not None:
            known.append(world(result.model, self.vocabulary, self.query.formula, "axiom"))
            return False
        return None

    def entails(self, premise: core.Term, formula: core.Term) -> bool | None:
        """Whether the axioms and `premise` prove `formula` (None: the checker could not tell)."""
        return self._entails([(PREMISE, premise)], formula, "compare", likely=True)

    # ------------------------------------------------------------ asking the checker

    def _entails(self, extra: Sequence[tuple[str, core.Term]], formula: core.Term, role: str, likely: bool,
                 axioms: bool = True, share: float = QUESTION_SHARE) -> bool | None:
        """Whether the axioms (unless not `axioms`) and `extra` prove `formula`: asked as the example
        `not formula`, whose `none` is the proof and whose witness is a model that refutes it.
        `likely` says a model is the likelier answer, so small models are sought first. The
        checker's question gets `share` of a question's limits (the shared session's its own)."""
        if self._shared_unsat(extra, _negation(formula), axioms):
            return True
        result = self._ask(extra, _negation(formula), role, "witness" if likely else "none", axioms,
                           share=share)
        if result.verdict is Verdict.NONE:
            return True
        return False if result.verdict is Verdict.WITNESS else None

    def _satisfiable(self, extra: Sequence[tuple[str, core.Term]], formula: core.Term, role: str) -> bool | None:
        result = self._ask(extra, formula, role, "witness")
        if result.verdict is Verdict.WITNESS:
            return True
        return False if result.verdict is Verdict.NONE else None

    def _shared_unsat(self, extra: Sequence[tuple[str, core.Term]], formula: core.Term, axioms: bool = True,
                      drop: str | None = None) -> bool:
        """Whether the shared session answers unsat (see the module's docstring)."""
        self._spend("shared")
        options = self._options().solver(SHARED_SHARE)
        return self.shared.proof(extra, formula, options, axioms=axioms, drop=drop) is not None

    def _ask(self, extra: Sequence[tuple[str, core.Term]], formula: core.Term, role: str, expect: str,
             axioms: bool = True, drop: str | None = None, share: float = QUESTION_SHARE) -> Result:
        """One synthetic example of a variant, answered by the checker (a witness re-checked by the
        evaluator; `none` only from unsat); a witness of all the axioms becomes a world."""
        self._spend(role)
        name = names.premise(role)
        query = core.Query(core.QueryKind.EXAMPLE, name, formula, expect, file=self.query.file)
        result = ProgramChecker(self._variant(extra, (query,), axioms, drop), self._options(share)).answer(name)
        if result.model is not None and axioms and drop is None:
            self.add_world(result.model, role)
        return result

    def _variant(self, extra: Sequence[tuple[str, core.Term]], queries: Sequence[core.Query], axioms: bool = True,
                 drop: str | None = None) -> core.Program:
        kept = tuple(a for a in self.program.axioms if a.name != drop) if axioms else ()
        added = tuple(core.Axiom(n, f) for n, f in extra)
        return replace(self.program, axioms=kept + added, queries=tuple(queries), next_uid=VARIANT_UIDS)

    def _spend(self, role: str) -> None:
        if self.clock() >= self.deadline:
            raise Cut()
        self.questions += 1
        self.asked[role] += 1

    def _options(self, share: float = 1.0) -> CheckOptions:
        """A question's limits (`share` of them), its wall clock cut to what is left of the search's."""
        left = max(0.05, self.deadline - self.clock())
        rlimit = self.options.rlimit
        return replace(self.options, timeout=min(self.options.timeout * share, left),
                       rlimit=max(1, int(rlimit * share)) if rlimit is not None else None)


def _negation(formula: core.Term) -> core.Term:
    """`not formula`, with an outer `forall` turned into `exists` (its variables become the
    example's witness)."""
    if isinstance(formula, core.Quant) and formula.kind is core.QuantKind.FORALL:
        return core.Quant(core.QuantKind.EXISTS, formula.vars, core.Not(formula.body))
    return core.Not(formula)
