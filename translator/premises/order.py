"""Premise-set analyses, explore: the order read off what `lattice.Knowledge` knows.

Pure bookkeeping on keys (hypotheses mask, conclusion): the minimal proved
implications (no proper subset of the hypotheses proves the conclusion), the
equivalence classes (nodes that imply each other one to one), and the Hasse
diagram: the minimal implications between classes with every arrow that
follows from the others by chaining taken out (the transitive reduction). It
hands these on to `explore.py`, which names them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .lattice import Key, Knowledge, State, bits, subsets


@dataclass(frozen=True)
class Minimal:
    """A minimal proved implication, and the smaller ones that are still undecided (if any: then it is
    minimal only if those fail)."""

    key: Key
    undecided_below: tuple[Key, ...] = ()


def minimal(knowledge: Knowledge) -> list[Minimal]:
    """The proved implications no proper subset of whose hypotheses (the empty set included, when that
    implication is in the space) is proved to imply the conclusion, in the space's order."""
    out = []
    for key in knowledge.keys:
        if knowledge.state[key] is not State.PROVED:
            continue
        mask, q = key
        below = [(part, q) for part in subsets(mask, bin(mask).count("1") - 1, 0) if (part, q) in knowledge.state]
        if any(knowledge.state[k] is State.PROVED for k in below):
            continue
        out.append(Minimal(key, tuple(k for k in below if knowledge.undecided(k))))
    return out


def classes(knowledge: Knowledge) -> list[list[int]]:
    """The nodes grouped by equivalence (each implies the other, one hypothesis each), every node in one
    class, classes in the order of their first node."""
    parent = list(range(knowledge.n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (mask, q), state in knowledge.state.items():
        if state is State.PROVED and bin(mask).count("1") == 1:
            p = bits(mask)[0]
            if knowledge.state.get((1 << q, p)) is State.PROVED:
                a, b = root(p), root(q)
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(knowledge.n):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


@dataclass(frozen=True)
class ClassArrow:
    """An arrow of the Hasse diagram: from classes (indices into `classes`) to a class, standing for a
    minimal implication (`key`)."""

    sources: tuple[int, ...]
    target: int
    key: Key


def hasse(groups: Sequence[Sequence[int]], arrows: Sequence[Key]) -> list[ClassArrow]:
    """The transitive reduction of the minimal implications `arrows` between the classes `groups`.

    Each implication becomes an arrow between classes (one per distinct arrow;
    none inside a class). Then, widest first, an arrow is dropped when its
    target follows from its sources by the arrows still kept: what is kept
    still yields every arrow dropped, and none of it follows from the rest.
    """
    of = {node: i for i, group in enumerate(groups) for node in group}
    found: dict[tuple[frozenset[int], int], ClassArrow] = {}
    for key in arrows:
        mask, q = key
        sources = frozenset(of[p] for p in bits(mask))
        target = of[q]
        if target in sources or (sources, target) in found:
            continue
        found[(sources, target)] = ClassArrow(tuple(sorted(sources)), target, key)
    kept = list(found.values())
    for arrow in sorted(kept, key=lambda a: (-len(a.sources), -kept.index(a))):
        others = [a for a in kept if a is not arrow]
        if arrow.target in reach(set(arrow.sources), others):
            kept.remove(arrow)
    return kept


def reach(facts: set[int], arrows: Sequence[ClassArrow]) -> set[int]:
    """Every class that follows from `facts` by `arrows` (forward chaining)."""
    facts = set(facts)
    changed = True
    while changed:
        changed = False
        for arrow in arrows:
            if arrow.target not in facts and set(arrow.sources) <= facts:
                facts.add(arrow.target)
                changed = True
    return facts
