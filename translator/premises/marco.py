"""Premise sets: every minimal unsatisfiable subset of some numbered items, by MARCO from small seeds.

The enumeration of Liffiton, Previti, Malik and Marques-Silva ("Fast,
flexible MUS enumeration", Constraints 21(2), 2016): a map solver
(`solvers.z3.Map`) holds which subsets are still unexplored; each round
takes an unexplored subset (a seed) and asks whether it is satisfiable. A
satisfiable seed is grown to a maximal satisfiable subset, and everything
below it is explored; an unsatisfiable one is shrunk to a minimal one (a
core), and everything above it is explored. Seeds are subset-minimal, so the
enumeration grows from small seeds and the cores it shrinks are near their
seeds. The questions go to an `Oracle` (for a claim: its premises and its
negation, on one solver with assumptions; premises/oracle.py).

Soundness. A solver's `unknown` is never read as unsat: an undecided seed
is set aside by itself (neither a core nor satisfiable) and the enumeration
is then not `complete`. A core is reported only after the oracle re-proves
it afresh and every subset with one item fewer was answered satisfiable
(by a model the evaluator re-checked, or on the solver's word where the
evaluator could not decide: `Satisfiable.rechecked`). `complete` is true
only when the map is exhausted and nothing was left undecided: then the
cores are all of them. It hands on an `Enumeration` of item numbers.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from ..solvers.z3 import Map

MAX_QUESTIONS = 2000
"""Questions one enumeration may ask before it stops (not complete), whatever `limit` says."""


class Status(str, Enum):
    SAT = "sat"
    UNSAT = "unsat"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Answer:
    """The oracle's answer about one subset.

    unsat: `core`, the items of the subset the solver's proof needed; sat: `holds`, every item
    (of all) the evaluator finds true in the model, and whether the model re-checked."""

    status: Status
    core: frozenset[int] = frozenset()
    holds: frozenset[int] = frozenset()
    rechecked: bool = False
    reason: str = ""


class Oracle(Protocol):
    """What the enumeration asks: a subset's satisfiability, and a core proved again afresh."""

    count: int

    def check(self, subset: frozenset[int]) -> Answer: ...

    def reprove(self, subset: frozenset[int]) -> bool: ...


@dataclass(frozen=True)
class Satisfiable:
    """A subset shown satisfiable: by a model the evaluator re-checked, or on the solver's word."""

    items: frozenset[int]
    rechecked: bool


@dataclass(frozen=True)
class Enumeration:
    """The cores found (each re-proved and minimal), the satisfiable subsets the search grew, and
    whether the cores are all there are."""

    cores: tuple[frozenset[int], ...]
    satisfiable: tuple[Satisfiable, ...]
    complete: bool
    undecided: int      # subsets the solver could not decide (each costs completeness)
    questions: int      # questions asked of the oracle
    why: str = ""       # why the enumeration is not complete

    def satisfiable_superset(self, items: Iterable[int]) -> Satisfiable | None:
        """A subset shown satisfiable that contains `items` (so `items` is satisfiable), if any:
        a re-checked one first."""
        wanted = frozenset(items)
        found = [s for s in self.satisfiable if wanted <= s.items]
        return max(found, key=lambda s: s.rechecked, default=None)


def enumerate_cores(oracle: Oracle, limit: int, hints: Sequence[Iterable[int]] = (),
                    max_questions: int = MAX_QUESTIONS) -> Enumeration:
    """Up to `limit` minimal unsatisfiable subsets of the oracle's items; `hints` are seeds asked
    first (the `used` of `check`, which then is the first core when it is minimal)."""
    return _Marco(oracle, limit, max_questions).run([frozenset(h) for h in hints])


@dataclass
class _Marco:
    oracle: Oracle
    limit: int
    max_questions: int
    cores: list[frozenset[int]] = field(default_factory=list)
    satisfiable: list[Satisfiable] = field(default_factory=list)
    undecided: int = 0
    questions: int = 0
    unsure: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.map = Map(self.oracle.count)

    def run(self, hints: Sequence[frozenset[int]]) -> Enumeration:
        for hint in hints:
            if self._unexplored(hint) and len(self.cores) < self.limit:
                self._explore(hint)
        exhausted = False
        while len(self.cores) < self.limit and self.questions < self.max_questions:
            seed = self.map.seed()
            if seed is None:
                exhausted = True
                break
            self._explore(seed)
        if not exhausted and len(self.cores) >= self.limit:
            exhausted = self.map.seed() is None
        why = self._why(exhausted)
        return Enumeration(tuple(self.cores), tuple(self.satisfiable), not why, self.undecided, self.questions, why)

    def _why(self, exhausted: bool) -> str:
        if self.unsure:
            return self.unsure[0]
        if exhausted:
            return ""
        if len(self.cores) >= self.limit:
            return f"stopped after {self.limit} minimal set{'s' if self.limit != 1 else ''} (--max-cores)"
        return f"stopped after {self.questions} solver questions"

    def _unexplored(self, subset: frozenset[int]) -> bool:
        return not any(core <= subset for core in self.cores) and \
            not any(subset <= s.items for s in self.satisfiable)

    # ------------------------------------------------------------ one round

    def _explore(self, seed: frozenset[int]) -> None:
        answer = self._ask(seed)
        if answer.status is Status.SAT:
            self.map.block_down(self._grow(seed, answer).items)
        elif answer.status is Status.UNSAT:
            self._shrink(answer.core & seed)
        else:
            self.map.block_point(seed)
            self._undecided(f"the solver could not decide a subset ({answer.reason or 'unknown'})")

    def _ask(self, subset: frozenset[int]) -> Answer:
        """The oracle's answer, or one already known: below a satisfiable subset, above a core."""
        known = next((s for s in self.satisfiable if subset <= s.items), None)
        if known is not None:
            return Answer(Status.SAT, holds=known.items, rechecked=known.rechecked)
        core = next((c for c in self.cores if c <= subset), None)
        if core is not None:
            return Answer(Status.UNSAT, core=core)
        self.questions += 1
        return self.oracle.check(subset)

    def _grow(self, seed: frozenset[int], answer: Answer) -> Satisfiable:
        """A satisfiable superset of `seed` to which no item can be added: each item the last model
        already makes true joins at once, each other one is asked about."""
        items, rechecked = seed | answer.holds, answer.rechecked
        for item in range(self.oracle.count):
            if item in items or self.questions >= self.max_questions:
                continue
            more = self._ask(items | {item})
            if more.status is Status.SAT:
                items, rechecked = items | {item} | more.holds, more.rechecked
        grown = Satisfiable(frozenset(items), rechecked)
        self.satisfiable.append(grown)
        return grown

    def _shrink(self, core: frozenset[int]) -> None:
        """A minimal core inside `core` by deletion (each item left out in turn: an unsat answer
        gives a smaller core, a satisfiable one shows the item is needed); re-proved afresh."""
        current, decided = set(core), True
        for item in sorted(core):
            if item not in current:
                continue
            answer = self._ask(frozenset(current - {item}))
            if answer.status is Status.UNSAT:
                current = set(answer.core & (current - {item}))
            elif answer.status is Status.SAT:
                self._remember(frozenset(current - {item}), answer)
            else:
                decided = False
        found = frozenset(current)
        self.map.block_up(found)
        if not decided:
            self._undecided("a premise set could not be shown minimal (the solver could not decide a subset)")
        elif not self.oracle.reprove(found):
            self.unsure.append("a premise set found by the solver was not proved again afresh")
        else:
            self.cores.append(found)

    def _remember(self, subset: frozenset[int], answer: Answer) -> None:
        if not any(subset <= s.items for s in self.satisfiable):
            self.satisfiable.append(Satisfiable(subset | answer.holds, answer.rechecked))

    def _undecided(self, why: str) -> None:
        self.undecided += 1
        self.unsure.append(why)
