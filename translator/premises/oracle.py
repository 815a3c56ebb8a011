"""Premise sets: subsets of a query's premises asked of one solver, every answer checked.

It takes a program and a `checker.Question` (the premises the checker gives
a query, and the negated claim), or the axioms alone (for conflicts), and
answers the enumeration's questions (`marco.Oracle`) about subsets of the
premises by number. All of them go to one `solvers.z3.Subsets` solver, by
assumption literals. A satisfiable answer's model is judged by the
project's evaluator against the formulas as written: false somewhere, and
the answer is `unknown`; undecided somewhere, and it is satisfiable on the
solver's word only (`rechecked` false). A core is re-proved on a fresh
session before the enumeration reports it.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..check.checker import CheckOptions, Question
from ..logic.core import Program, Term
from ..logic.evaluate import holds
from ..logic.model import Model
from ..solvers.z3 import Session
from .marco import Answer, Status


class PremiseOracle:
    """The subsets of some premises (with a goal formula, or none) on one solver."""

    def __init__(self, program: Program, premises: Sequence[tuple[str, Term, Term]],
                 goal: Question | None, options: CheckOptions):
        self.program = program
        self.names = tuple(name for name, _, _ in premises)
        self.count = len(self.names)
        self._premises = tuple(premises)
        self._goal = goal
        self._options = options
        self._witnesses = goal.witnesses if goal else ()
        self._plain = (goal.goal,) if goal else ()
        tracked = [(name, expanded) for name, expanded, _ in premises]
        self._subsets = Session(program, self._witnesses).subsets(tracked, self._plain)
        self.reproofs = 0

    @property
    def questions(self) -> int:
        """Questions asked of the solver: subsets on the shared one, and cores re-proved."""
        return self._subsets.questions + self.reproofs

    def check(self, subset: frozenset[int]) -> Answer:
        outcome = self._subsets.check([self.names[i] for i in sorted(subset)], self._options.solver())
        if outcome.status == "unsat":
            index = {name: i for i, name in enumerate(self.names)}
            return Answer(Status.UNSAT, core=frozenset(index[n] for n in outcome.core))
        if outcome.status == "sat" and outcome.model is not None:
            return self._judged(subset, outcome.model)
        return Answer(Status.UNKNOWN, reason=outcome.reason or "the solver gave no model")

    def _judged(self, subset: frozenset[int], model: Model) -> Answer:
        """A model judged by the evaluator: the asked formulas, then which premises it makes true."""
        asked = [self._premises[i][2] for i in sorted(subset)]
        if self._goal is not None:
            asked.append(self._goal.goal_written)
        values = [holds(formula, model) for formula in asked]
        if any(value is False for value in values):
            return Answer(Status.UNKNOWN, reason="the solver's model failed the re-check")
        true = frozenset(i for i, (_, _, written) in enumerate(self._premises)
                         if i in subset or holds(written, model) is True)
        return Answer(Status.SAT, holds=true, rechecked=all(value is True for value in values))

    def reprove(self, subset: frozenset[int]) -> bool:
        """Whether `subset` (with the goal) is unsat again on a fresh session of its own."""
        self.reproofs += 1
        tracked = [(self.names[i], self._premises[i][1]) for i in sorted(subset)]
        outcome = Session(self.program, self._witnesses).solve(tracked, self._plain, None,
                                                               self._options.solver(), want_model=False)
        return outcome.status == "unsat"
