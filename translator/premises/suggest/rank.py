"""Premise sets, stage 5 of `suggest`: the verified candidates ordered weakest first.

It takes the candidates that passed every test and hands on `Group`s: the
candidates that imply each other under the axioms merged into one (its
first member shown), ordered so that a group implied by another comes before
it (by the number of others strictly weaker than it; then, among those no
implication orders, the one true in more of the worlds found first, then
the smaller), with the positions of the shown groups that imply each. Implications
are asked through the verifier (the checker), except where they are known
without it: every candidate proves the claim, so one the claim implies back
(`equivalent`) is implied by every other and implies none that is not
equivalent; a clause implies every clause with more literals, and a
generalisation implies the clause it generalises. An implication the
checker cannot settle counts as absent; if the search's time runs out
while ranking, the rest count as absent too.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .candidates import Candidate
from .verify import Cut, Passed, Verifier


@dataclass(frozen=True)
class Verified:
    """A candidate that passed, how, and which sources proposed it."""

    candidate: Candidate
    passed: Passed
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """Candidates equivalent under the axioms (the first is shown), and the shown groups that imply it."""

    members: tuple[Verified, ...]
    weaker_than: tuple[int, ...] = ()

    @property
    def first(self) -> Verified:
        return self.members[0]


def rank(verifier: Verifier, found: Sequence[Verified], limit: int,
         asked: Sequence[Verified] | None = None) -> tuple[list[Group], bool]:
    """The first `limit` groups, weakest first, and whether every implication was settled in time.
    The checker is asked only about pairs of `asked` (default: all); other pairs are settled
    by construction or by the worlds found, or count as absent."""
    ask = {i for i, v in enumerate(found) if asked is None or any(v is a for a in asked)}
    order = _implications(verifier, found, ask)
    groups = _merged(len(found), order.holds)

    def strictly(g: int, h: int) -> bool:  # group g's first member implies group h's, not back
        a, b = groups[g][0], groups[h][0]
        return order.holds.get((a, b), False) and not order.holds.get((b, a), False)

    weaker = {g: sum(1 for h in range(len(groups)) if h != g and strictly(g, h)) for g in range(len(groups))}
    holding = {g: _holding(verifier, found[groups[g][0]].candidate) for g in range(len(groups))}
    ranked = sorted(range(len(groups)),
                    key=lambda g: (weaker[g], -holding[g], found[groups[g][0]].candidate.size, groups[g][0]))
    shown = ranked[:limit]
    result = []
    for g in shown:
        implied_by = tuple(i for i, h in enumerate(shown) if h != g and strictly(h, g))
        result.append(Group(tuple(found[i] for i in groups[g]), implied_by))
    return result, order.complete


def _holding(verifier: Verifier, candidate: Candidate) -> int:
    """In how many of the worlds found the candidate holds: among candidates no implication
    orders, the one true in more of them is likely the weaker, and comes first."""
    return sum(1 for w in verifier.worlds if candidate.truth(w, verifier.vocabulary) is True)


@dataclass
class _Order:
    holds: dict[tuple[int, int], bool]  # (i, j): candidate i implies candidate j
    complete: bool = True


def _implications(verifier: Verifier, found: Sequence[Verified], ask: set[int]) -> _Order:
    order = _Order({})
    for i, stronger in enumerate(found):
        for j, weaker in enumerate(found):
            if i == j:
                continue
            known = _known(stronger, weaker)
            if known is None and order.complete:
                try:
                    known = verifier.implies(stronger.candidate, weaker.candidate, ask=i in ask and j in ask)
                except Cut:
                    order.complete = False
            order.holds[(i, j)] = known is True
    return order


def _known(stronger: Verified, weaker: Verified) -> bool | None:
    """An implication settled without a solver (see the module's docstring)."""
    if weaker.passed.equivalent:
        return True
    if stronger.passed.equivalent and weaker.passed.equivalent is False:
        return False
    a, b = stronger.candidate, weaker.candidate
    if a.literals is not None and b.literals is not None:
        if set(a.literals) < set(b.literals) or a.base == b.literals:
            return True
    return None


def _merged(count: int, holds: dict[tuple[int, int], bool]) -> list[list[int]]:
    """The candidates' positions, those that imply each other together (in the order found)."""
    groups: list[list[int]] = []
    for i in range(count):
        for group in groups:
            j = group[0]
            if holds.get((i, j)) and holds.get((j, i)):
                group.append(i)
                break
        else:
            groups.append([i])
    return groups
