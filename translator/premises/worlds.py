"""Premise-set analyses, explore: implications asked of one session that keeps the axioms (LANGUAGE.md §6.3).

Stage: a program and the nodes of one exploration in; per implication asked,
a `Found`: a counterexample `Result` as `check` reports one, or the
implication an unsat core proves, or nothing (the caller then asks the
checker). Two `solvers.z3.Subsets` solvers of one Z3 session, one with at
most `SMALL_WORLD` elements per sort and one unbounded, hold, each behind its
tracking literal, the axioms (expanded as the checker expands them) and
every node holding and failing at one witness constant `c` of the sort
(named as the checker names a claim's witness), translated once for the
whole exploration. The implication `P1 and ... and Pk -> Q` is asked by
assuming the axioms, `P1(c)` ... `Pk(c)` and `not Q(c)`, of the small
solver, then of the unbounded one:

- sat: the model goes to `check.checker.ProgramChecker.counterexample`,
  which re-checks it against the axioms and the negated claim as written
  and explains it as `check` explains a counterexample; one that does not
  re-check is nothing.
- unsat (of the unbounded solver; the small one proves nothing): the core's
  hypotheses imply Q from the core's axioms (`c` occurs in no axiom, so it
  stands for any element); without `not Q(c)` in the core, those hypotheses
  never hold together. When `not Q(c)` is in the core, the hypotheses alone
  are asked next (unless a world showed them holding together), so that
  hypotheses that never hold together are found as the checker's vacuity
  test finds them. A proof found here is a rule for chaining; the minimal
  arrows are proved again by the checker, so their `used` is `check`'s.
- unknown: nothing; the solver's `unknown` is never read as either.

Later answers depend on the earlier questions (the solvers keep what they
learnt), so the exploration asks them in an order fixed by its input: the
same input gives the same worlds, run after run.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..check.checker import SECONDARY_SHARE, CheckOptions, ProgramChecker, premises
from ..check.results import Result
from ..logic import core, names
from ..logic.expand import Fresh, TooLarge, expand, substitute
from ..solvers.z3 import Session, Subsets
from .lattice import Key, bits, mask_of
from .nodes import Nodes

SMALL_WORLD = 2
"""Each implication is asked first with at most this many elements in every sort: a small world is
quick to find, to re-check and to read (as small as `check`'s), and on spec/hubinger.align it takes
about as few queries as worlds of any size (27 against 26; 32 with at most 3; bench/RESULTS.md,
"explore, one shared solver")."""

QUESTIONS = 3
"""An implication asked here takes at most three questions (small world, any world, the hypotheses
alone), each with a third of `SECONDARY_SHARE` of the query's limits: a quarter of a query's time in
all, before the checker is asked."""

NODE_UIDS = 1 << 42
"""Fresh uids for the nodes expanded at the witness: apart from the axioms' and the checker's."""


@dataclass(frozen=True)
class Found:
    """What one question told: a re-checked counterexample, or the implication an unsat core proves
    (its conclusion `len(nodes)`: the hypotheses never hold together) with the core's axioms."""

    result: Result | None = None
    rule: Key | None = None
    used: tuple[str, ...] = ()


class WorldSearch:
    """The implications of one exploration asked on one solver (see the module docstring)."""

    def __init__(self, program: core.Program, nodes: Nodes, options: CheckOptions):
        self.n = len(nodes.nodes)
        self.queries = 0
        self._options = options.solver(SECONDARY_SHARE / QUESTIONS)
        self._checker = ProgramChecker(program, options)
        self._axioms: tuple[str, ...] = ()
        self._solvers: tuple[Subsets, Subsets] | None = None  # at most SMALL_WORLD elements per sort, any number
        witness = core.Symbol(names.witness(nodes.var.name, 0), (), nodes.sort, core.SymbolKind.WITNESS)
        fresh = Fresh(NODE_UIDS)
        at = {nodes.var.uid: core.App(witness)}
        try:
            given = premises(program)
            self._axioms = tuple(name for name, _, _ in given)
            tracked = [(name, expanded) for name, expanded, _ in given]
            for i, node in enumerate(nodes.nodes):
                formula = expand(substitute(node.formula, at), fresh)
                tracked += [(names.node(i, True), formula), (names.node(i, False), core.Not(formula))]
        except TooLarge:
            return
        session = Session(program, (witness,))
        self._solvers = (session.subsets(tracked, bound=SMALL_WORLD), session.subsets(tracked))

    def ask(self, key: Key, claim: core.Query, seen: bool = False) -> Found:
        """The implication `key`, which `claim` states as `check` would ask it; `seen`: its hypotheses
        were seen holding together in a world (then they are not asked alone). One query, however
        many questions it takes, as a query of the checker is one."""
        if self._solvers is None:
            return Found()
        small, unbounded = self._solvers
        self.queries += 1
        mask, q = key
        hypotheses = [names.node(i, True) for i in bits(mask)]
        conclusion = [names.node(q, False)] if q < self.n else []
        members = [*self._axioms, *hypotheses, *conclusion]
        for subsets in (small, unbounded):
            outcome = subsets.check(members, self._options)
            if outcome.status == "sat" and outcome.model is not None:
                world = self._checker.counterexample(claim, outcome.model)
                if world is not None:
                    return Found(result=world)
        if outcome.status != "unsat":
            return Found()
        if not conclusion or conclusion[0] not in outcome.core:
            return self._rule(outcome.core, self.n)
        if not seen:
            apart = unbounded.check([*self._axioms, *hypotheses], self._options, want_model=False)
            if apart.status == "unsat":
                return self._rule(apart.core, self.n)
        return self._rule(outcome.core, q)

    def _rule(self, core_names: tuple[str, ...], q: int) -> Found:
        inside = set(core_names)
        mask = mask_of(i for i in range(self.n) if names.node(i, True) in inside)
        return Found(rule=(mask, q), used=tuple(a for a in self._axioms if a in inside))
