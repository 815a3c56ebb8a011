"""Premise-set analyses: questions put to the checker, counted.

Stage: core programs and synthetic claims in, the checker's `Result`s out.
An `Asker` tests the program's axioms once, then answers batches of claims
added at the end of the program, each with the public
`check.checker.ProgramChecker`: the very answer `check` would give that
claim in that file (a `proved` with its minimised `used`, a counterexample
whose model the checker re-checked, or `unknown` with its reason). With
`jobs` > 1 a batch goes to the check stack's worker pool (`check/parallel.py`),
which tests the axioms again with each batch and starts workers when the
work is worth it. Every claim answered is counted in `queries`.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..check.checker import CheckOptions, Consistency, ProgramChecker
from ..check.results import Result
from ..check.stack import Job
from ..logic.core import Program, Query
from .nodes import with_queries

if TYPE_CHECKING:
    from ..check.parallel import Pool


class Asker:
    """One program's questions: its axioms tested once, then claims answered in batches."""

    def __init__(self, program: Program, options: CheckOptions, jobs: int = 1):
        self.program = program
        self.options = options
        self.jobs = max(1, jobs)
        self.queries = 0
        self._pool: Pool | None = None
        self._consistency: Consistency | None = None

    def consistency(self) -> Consistency:
        """The checker's test of the axioms (a conflict, or a warning that it could not tell)."""
        if self._consistency is None:
            self._consistency = ProgramChecker(self.program, self.options).consistency()
        return self._consistency

    def ask(self, queries: Sequence[Query]) -> list[Result]:
        """The checker's result for each claim, in order."""
        if not queries:
            return []
        self.queries += len(queries)
        program = with_queries(self.program, queries)
        if self.jobs > 1 and len(queries) > 1:
            return list(self._pooled(program, queries))
        checker = ProgramChecker(program, self.options)
        answers = [checker.answer(q.name) for q in queries]
        return list(checker.settle(self.consistency(), answers).results)

    def _pooled(self, program: Program, queries: Sequence[Query]) -> Sequence[Result]:
        if self._pool is None:
            from ..check.parallel import Pool  # multiprocessing only when asked for
            self._pool = Pool(self.jobs)
        outcome = self._pool.outcome(Job(program, self.options, tuple(q.name for q in queries)))
        return outcome.results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

