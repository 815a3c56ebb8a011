"""Premise-set analyses, explore: what is known of the implications between n predicates.

Pure bookkeeping, no solver and no terms. An implication is a `Key`: its
hypotheses as a bit mask over the nodes (node i is bit i) and the index of
its conclusion. `Knowledge` holds the state of every implication of the
space being explored and hands on to `explore.py` which one to ask next.
What it is told, and how it spreads:

- `prove(key, used)`: the checker proved the implication from `used`. It
  becomes a rule, and every undecided implication whose conclusion follows
  from its hypotheses by the rules (forward chaining: transitivity, and
  monotonicity, since a rule applies whenever its hypotheses are among the
  facts) is proved by closure, with the rules of its derivation and the
  union of their `used` sets. Sound: each rule holds in every model of the
  axioms, so what they chain to holds there too, and in every model of the
  union of their premise sets.
- `refute(true, false, ...)`: in a world (a model of the axioms, re-checked),
  one element makes the nodes of `true` true and those of `false` false
  (an undecided value is in neither: no information). Every implication whose
  hypotheses are all true there and whose conclusion is false is refuted by it.
- `give_up(key, reason)`: the checker could not decide it. It stays
  undecided, so a later proof or world may still settle it; it is never
  asked again.

`choose` picks the open implications whose answers are estimated to settle
the most others (see `Knowledge.score`).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from itertools import combinations

Key = tuple[int, int]
"""An implication: (hypotheses as a bit mask over the nodes, the index of the conclusion)."""


class State(str, Enum):
    OPEN = "open"          # nothing known, not asked
    PROVED = "proved"
    REFUTED = "refuted"
    UNKNOWN = "unknown"    # asked, and the checker could not decide it; still undecided


@dataclass(frozen=True)
class Proof:
    """Why an implication holds: the proved implications it chains (itself, when the checker proved it
    directly) and the union of their premise sets."""

    used: frozenset[str]
    rules: tuple[Key, ...]
    direct: bool


@dataclass(frozen=True)
class Refutation:
    """Where an implication fails: a world (by its number) and the element of the sort."""

    world: int
    element: str


def bits(mask: int) -> list[int]:
    """The indices of the set bits of `mask`, lowest first."""
    out = []
    index = 0
    while mask:
        if mask & 1:
            out.append(index)
        mask >>= 1
        index += 1
    return out


def mask_of(indices: Iterable[int]) -> int:
    mask = 0
    for index in indices:
        mask |= 1 << index
    return mask


def subsets(mask: int, largest: int, smallest: int = 1) -> Iterator[int]:
    """The subsets of `mask` with `smallest` to `largest` elements."""
    members = bits(mask)
    for size in range(smallest, min(largest, len(members)) + 1):
        for chosen in combinations(members, size):
            yield mask_of(chosen)


def space(n: int, joins: int, extra: Iterable[Key] = ()) -> list[Key]:
    """Every implication with 1 to `joins` hypotheses among n nodes (the conclusion not among them),
    fewest hypotheses first; then each of `extra` (wider ones) and all their nonempty subsets."""
    keys = [(mask, q) for mask in sorted(subsets((1 << n) - 1, joins), key=lambda m: (bin(m).count("1"), bits(m)))
            for q in range(n) if not mask >> q & 1]
    known = set(keys)
    for mask, q in extra:
        for part in sorted(subsets(mask, bin(mask).count("1")), key=lambda m: (bin(m).count("1"), bits(m))):
            if (part, q) not in known and not part >> q & 1:
                known.add((part, q))
                keys.append((part, q))
    return keys


class Knowledge:
    """The state of every implication of one exploration, and the rules proved so far."""

    def __init__(self, n: int, keys: Iterable[Key]):
        self.n = n
        self.keys = list(keys)
        self.state = {key: State.OPEN for key in self.keys}
        self.order = {key: i for i, key in enumerate(self.keys)}
        self.proofs: dict[Key, Proof] = {}
        self.refutations: dict[Key, Refutation] = {}
        self.reasons: dict[Key, str] = {}
        self.rules: list[tuple[Key, frozenset[str]]] = []
        self.conflicts: list[Key] = []   # proved, and then refuted by a world: a contradiction
        self.widest = max((bin(m).count("1") for m, _ in self.keys), default=0)
        self._closures: dict[int, tuple[int, dict[int, tuple[frozenset[str], tuple[Key, ...]]]]] = {}
        self._below: dict[Key, tuple[Key, ...]] = {}  # key -> `_parts(key)`, made once
        self.open_with: dict[int, int] = {}   # hypotheses mask -> undecided implications with exactly them
        self.above: dict[Key, int] = {}       # key -> undecided implications with more hypotheses, same conclusion
        for key in self.keys:
            self._count(key, 1)
        self.asked: dict[int, list[int]] = {}  # hypotheses count -> [proved, asked]
        self.seen: dict[int, int] = {}         # hypotheses mask -> elements of worlds where all of them hold

    # ------------------------------------------------------------ adding keys and reading states

    def add(self, key: Key) -> bool:
        """Add an implication to the space (e.g. one with no hypotheses); False if it is there."""
        if key in self.state:
            return False
        self.keys.append(key)
        self._below.clear()
        self.order[key] = len(self.keys) - 1
        self.state[key] = State.OPEN
        self.above.setdefault(key, 0)
        self._count(key, 1)
        return True

    def undecided(self, key: Key) -> bool:
        return self.state[key] in (State.OPEN, State.UNKNOWN)

    def open(self) -> list[Key]:
        return [k for k in self.keys if self.state[k] is State.OPEN]

    def decided(self) -> int:
        return sum(1 for s in self.state.values() if s in (State.PROVED, State.REFUTED))

    def _count(self, key: Key, step: int) -> None:
        """Keep `open_with` and `above` counting undecided implications (`step` +1 when one is added,
        -1 when one is settled)."""
        self.open_with[key[0]] = self.open_with.get(key[0], 0) + step
        self.above.setdefault(key, 0)
        for part in self._parts(key):
            self.above[part] = self.above.get(part, 0) + step

    def _parts(self, key: Key) -> tuple[Key, ...]:
        """The implications of the space with fewer (but some) of the hypotheses of `key`, and its conclusion."""
        parts = self._below.get(key)
        if parts is None:
            mask, q = key
            parts = self._below[key] = tuple((part, q) for part in subsets(mask, bin(mask).count("1") - 1)
                                             if (part, q) in self.state)
        return parts

    def _settle(self, key: Key, state: State) -> None:
        if self.undecided(key):
            self._count(key, -1)
        self.state[key] = state

    # ------------------------------------------------------------ what the checker said

    def record_answer(self, key: Key, proved: bool) -> None:
        """Count an answer of the checker, for the estimate of how likely the next is a proof."""
        tally = self.asked.setdefault(bin(key[0]).count("1"), [0, 0])
        tally[0] += proved
        tally[1] += 1

    def prove(self, key: Key, used: Iterable[str]) -> list[Key]:
        """The checker proved `key` from `used`: every implication that now follows is proved. Returns
        the implications settled (the key itself first, when it was undecided). A key whose conclusion
        is `n` (no node: `false`) says that its hypotheses never hold together; then every implication
        from them, or from more, follows."""
        used = frozenset(used)
        settled = []
        if key in self.state and self.undecided(key):
            self._settle(key, State.PROVED)
            self.proofs[key] = Proof(used, (key,), True)
            settled.append(key)
        self.rules.append((key, used))
        self._closures.clear()
        for other in self.keys:
            if not self.undecided(other):
                continue
            mask, q = other
            facts, why = self.closure(mask)
            if facts >> q & 1:
                union, rules = why[q]
                self._settle(other, State.PROVED)
                self.proofs[other] = Proof(union, rules, False)
                settled.append(other)
        return settled

    def refute(self, true: int, false: int, world: int, element: str) -> list[Key]:
        """One element of a world: the nodes of `true` hold there, those of `false` do not. Returns the
        implications it refutes that were undecided."""
        settled = []
        for q in bits(false):
            for mask in subsets(true, self.widest, 0):
                key = (mask, q)
                state = self.state.get(key)
                if state is None:
                    continue
                if state is State.PROVED:
                    if key not in self.conflicts:
                        self.conflicts.append(key)
                    continue
                if state is not State.REFUTED:
                    self._settle(key, State.REFUTED)
                    self.refutations[key] = Refutation(world, element)
                    settled.append(key)
        return settled

    def observe(self, true: int) -> None:
        """Count an element of a world where the nodes of `true` hold (for `likely_proved`)."""
        for mask in subsets(true, self.widest, 0):
            self.seen[mask] = self.seen.get(mask, 0) + 1

    def excluded(self, mask: int) -> bool:
        """Whether the hypotheses `mask` are proved never to hold together."""
        return bool(self.closure(mask)[0] >> self.n & 1)

    def give_up(self, key: Key, reason: str) -> None:
        if self.state[key] is State.OPEN:
            self.state[key] = State.UNKNOWN
            self.reasons[key] = reason

    # ------------------------------------------------------------ closure

    def closure(self, mask: int) -> tuple[int, dict[int, tuple[frozenset[str], tuple[Key, ...]]]]:
        """The nodes that follow from `mask` by the rules, and for each derived one the premise set and
        the rules of the derivation found (forward chaining until nothing changes)."""
        cached = self._closures.get(mask)
        if cached is not None:
            return cached
        facts = mask
        why: dict[int, tuple[frozenset[str], tuple[Key, ...]]] = {i: (frozenset(), ()) for i in bits(mask)}
        changed = True
        while changed:
            changed = False
            for (hyps, then), used in self.rules:
                if hyps & ~facts or facts >> then & 1:
                    continue
                union, chain = frozenset(used), [(hyps, then)]
                for h in bits(hyps):
                    union |= why[h][0]
                    chain += [r for r in why[h][1] if r not in chain]
                if then == self.n:  # the hypotheses never hold together: everything follows
                    why.update((i, (union, tuple(chain))) for i in range(self.n + 1) if not facts >> i & 1)
                    facts = (1 << (self.n + 1)) - 1
                    changed = False
                    break
                facts |= 1 << then
                why[then] = (union, tuple(chain))
                changed = True
        self._closures[mask] = (facts, why)
        return facts, why

    # ------------------------------------------------------------ what to ask next

    def likely_proved(self, key: Key) -> float:
        """The chance that the checker proves `key`, by Laplace's rule of succession: when its hypotheses
        held together at m elements of the worlds so far, its conclusion held (or was undecided) at all
        of them (else it would be refuted): (m + 1) / (m + 2). When they never held together: the
        checker's answers so far to implications with as many hypotheses, (proved + 1) / (asked + 2)."""
        mask = key[0]
        seen = self.seen.get(mask, 0)
        if seen:
            return (seen + 1) / (seen + 2)
        proved, asked = self.asked.get(bin(mask).count("1"), [0, 0])
        return (proved + 1) / (asked + 2)

    def if_refuted(self, mask: int) -> int:
        """How many undecided implications a world refuting one with hypotheses `mask` is expected to
        refute: at the element where it fails every node that follows from `mask` holds, and in the
        small worlds the checker returns a node that nothing forces is mostly false there; so each
        undecided implication whose hypotheses are among those nodes is counted."""
        facts, _ = self.closure(mask)
        return sum(self.open_with.get(part, 0) for part in subsets(facts, self.widest))

    def if_proved(self, key: Key) -> int:
        """How many undecided implications a proof of `key` settles at least: itself, and by
        monotonicity each one with more hypotheses and the same conclusion. Nothing while one with fewer
        hypotheses and the same conclusion is undecided: if that one holds it settles this one too, and
        this proof was wasted (a minimal arrow needs its own proof, a wider one none)."""
        if any(self.undecided(part) for part in self._parts(key)):
            return 0
        return 1 + self.above.get(key, 0)

    def score(self, key: Key, refuted: dict[int, int]) -> float:
        """The expected number of implications an answer to `key` settles: p·(settled if proved) +
        (1 − p)·(settled if refuted), with p from `likely_proved` (`refuted` caches `if_refuted`)."""
        mask = key[0]
        if mask not in refuted:
            refuted[mask] = self.if_refuted(mask)
        p = self.likely_proved(key)
        return p * self.if_proved(key) + (1 - p) * refuted[mask]

    def choose(self, count: int = 1) -> list[Key]:
        """Up to `count` open implications with the highest scores (the first of equals in the space's
        order: fewest hypotheses, then by node)."""
        refuted: dict[int, int] = {}
        scored = sorted((-self.score(k, refuted), self.order[k], k) for k in self.open())
        return [k for _, _, k in scored[:count]]
