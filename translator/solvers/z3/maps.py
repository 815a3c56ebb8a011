"""Stage 5, z3: the map of explored subsets, for enumerating minimal sets (MUS enumeration).

Pure propositional questions about subsets of n numbered items, answered by
Z3's SAT solver in a context of its own; no formula of a spec is involved.
It hands on subsets as frozensets of item numbers.

- `Map`: which subsets are still unexplored. A subset found satisfiable
  rules out everything below it (`block_down`), one found unsatisfiable
  everything above it (`block_up`), one the solver could not decide only
  itself (`block_point`). `seed` gives a subset-minimal unexplored subset,
  so an enumeration grows from small seeds; None when all are explored.
- `hitting_sets`: every minimal set of items meeting each of some sets,
  fewest items first (the repairs of an inconsistent theory are the minimal
  hitting sets of its conflicts).
"""
from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence

import z3


class Map:
    """The unexplored subsets of items 0..n-1 (all of them, to begin with)."""

    def __init__(self, count: int):
        self.count = count
        self._ctx = z3.Context()
        self._items = [z3.Bool(f"item{i}", self._ctx) for i in range(count)]
        self._solver = z3.Solver(ctx=self._ctx)
        self._solver.set("random_seed", 0)

    def block_down(self, subset: Collection[int]) -> None:
        """Every subset of `subset` is explored: an unexplored one has some item outside it."""
        self._clause([self._items[i] for i in range(self.count) if i not in subset])

    def block_up(self, subset: Collection[int]) -> None:
        """Every superset of `subset` is explored: an unexplored one lacks some item of it."""
        self._clause([z3.Not(self._items[i]) for i in subset])

    def block_point(self, subset: Collection[int]) -> None:
        """`subset` itself is explored."""
        self._clause([z3.Not(self._items[i]) for i in subset] +
                     [self._items[i] for i in range(self.count) if i not in subset])

    def seed(self) -> frozenset[int] | None:
        """An unexplored subset none of whose proper subsets is unexplored, or None if none is left.

        The solver's model is made minimal item by item: with every item
        already out kept out, each item still in is tried out; an item that
        cannot be left out with fewer others out cannot be left out later."""
        if self._solver.check() != z3.sat:
            return None
        chosen = self._chosen(self._solver.model())
        for item in sorted(chosen):
            if item not in chosen:
                continue
            out = [z3.Not(self._items[i]) for i in range(self.count) if i not in chosen or i == item]
            if self._solver.check(*out) == z3.sat:
                chosen = self._chosen(self._solver.model())
        return frozenset(chosen)

    def _chosen(self, model: z3.ModelRef) -> set[int]:
        return {i for i, item in enumerate(self._items) if z3.is_true(model.eval(item, model_completion=True))}

    def _clause(self, literals: Sequence[z3.BoolRef]) -> None:
        self._solver.add(z3.Or(*literals) if literals else z3.BoolVal(False, self._ctx))


def hitting_sets(family: Sequence[Collection[int]], count: int) -> Iterator[frozenset[int]]:
    """Every subset-minimal set of items (of 0..count-1) meeting each set of `family`, fewest items
    first. Sets of k items are sought after every smaller one was found and its supersets ruled
    out, so each set found is minimal. An empty family has one hitting set: the empty one."""
    ctx = z3.Context()
    items = [z3.Bool(f"item{i}", ctx) for i in range(count)]
    solver = z3.Solver(ctx=ctx)
    solver.set("random_seed", 0)
    for members in family:
        solver.add(z3.Or(*[items[i] for i in members]) if members else z3.BoolVal(False, ctx))
    for size in range(count + 1):
        solver.push()
        solver.add(z3.PbLe([(item, 1) for item in items], size) if items else z3.BoolVal(True, ctx))
        found = []
        while solver.check() == z3.sat:
            model = solver.model()
            chosen = frozenset(i for i, item in enumerate(items)
                               if z3.is_true(model.eval(item, model_completion=True)))
            found.append(chosen)
            yield chosen
            solver.add(z3.Or(*[z3.Not(items[i]) for i in chosen]) if chosen else z3.BoolVal(False, ctx))
        solver.pop()
        for chosen in found:  # kept out of every larger size too
            solver.add(z3.Or(*[z3.Not(items[i]) for i in chosen]) if chosen else z3.BoolVal(False, ctx))
        if solver.check() != z3.sat:
            return
