"""Premise sets, part of stage 4 of `suggest`: one solver session for the unsat questions of a search.

It takes a program and hands on `Shared.proof`: when the solver answers
unsat for the program's axioms (or all but one, or none), some named
formulas and one more formula, the names of those the unsat needed (its
core, made smaller by deletion on the same solver, as the checker does);
None for any other answer (a model, unknown, a limit). One session (`solvers.portfolio.open_session`) serves
every question of the search: the program's declarations and its expanded
axioms are translated once, and each question gets a fresh solver. Z3's
search depends on the terms its context holds, so an answer here may differ
from that of the checker's question in a context of its own in whether it
is found within the limits, never in what an unsat means. So only unsat is
read, and nothing else is taken from these answers: no model.
"""
from __future__ import annotations

from collections.abc import Sequence

from ...check.checker import MAX_CORE_TO_MINIMISE
from ...logic import core
from ...logic.expand import Fresh, TooLarge, expand
from ...solvers.common import SolverOptions
from ...solvers.portfolio import QuestionSession, open_session

SHARED_UIDS = 1 << 45
"""Where the shared session's expansions start their fresh variable uids: above every uid of the
claim, the candidates, cvc5's abducts and the checker's variants."""


class Shared:
    """The session, the axioms expanded once, and the formulas expanded so far (by identity)."""

    def __init__(self, program: core.Program, backend: str):
        self.program = program
        self.backend = backend
        self.fresh = Fresh(SHARED_UIDS)
        self.asked = 0
        self._session: QuestionSession | None = None
        self._expanded: dict[int, tuple[core.Term, core.Term]] = {}
        try:
            self.axioms: tuple[tuple[str, core.Term], ...] | None = tuple(
                (a.name, expand(a.formula, self.fresh)) for a in program.axioms)
        except TooLarge:
            self.axioms = None  # the checker refuses such axioms too: nothing is asked here

    def proof(self, extra: Sequence[tuple[str, core.Term]], formula: core.Term | None, options: SolverOptions,
              minimise: SolverOptions | None = None, axioms: bool = True,
              drop: str | None = None) -> tuple[str, ...] | None:
        """The names (axioms unless not `axioms`, without `drop`; then `extra`) that an unsat
        answer for them and `formula` (if any) needed, in that order, its core made smaller by deletion
        with the `minimise` limits when given; None for any other answer."""
        if self.axioms is None:
            return None
        try:
            kept = [(n, t) for n, t in self.axioms if n != drop] if axioms else []
            tracked = kept + [(n, self._expand(t)) for n, t in extra]
            plain = [self._expand(formula)] if formula is not None else []
        except TooLarge:
            return None
        if self._session is None:
            self._session = open_session(self.backend, self.program)
        self.asked += 1
        outcome = self._session.solve(tracked, plain, options=options, want_model=False)
        if outcome.status != "unsat":
            return None
        needed = set(outcome.core)
        if minimise is not None and len(needed) <= MAX_CORE_TO_MINIMISE:
            needed = set(self._session.smaller_core(outcome.core, minimise) or needed)
        return tuple(n for n, _ in tracked if n in needed)

    def _expand(self, term: core.Term) -> core.Term:
        """`term` expanded, once per term (the session translates a formula once, by identity)."""
        known = self._expanded.get(id(term))
        if known is None or known[0] is not term:
            known = self._expanded[id(term)] = (term, expand(term, self.fresh))
        return known[1]
