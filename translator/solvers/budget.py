"""Stage 5: one query's budget, shared by every question the query asks.

A query asks several questions: the claim itself, a smaller unsat core, the
vacuity test, small models, a bounded search scope by scope. Each question
used to get limits of its own (the whole `--timeout` for each scope of a
`within` search, a quarter of it for each follow-up), so a query given
`--timeout 5` ran 7.8 to 9 s. A `Budget` is what one query may spend in all:
`seconds` of wall clock from its first question, and `units` of the solver's
deterministic resource count. A question gets at most what is left, and what
it used is taken off (`spend`); with nothing left, the question is not asked
and its answer is `unknown`, saying so (`exhausted`). Units are counted by the
solver itself, so which question gets how much does not depend on the
machine's speed or load; the wall clock is the backstop.

What a query may take beyond `seconds` is `MARGIN_SECONDS`: its last
question's solver overrunning its own wall clock, and the work done in Python
after it: reading out a model, re-checking it with the evaluator (on an
allowance of counted steps per query, `checker.RECHECK_STEPS_PER_SECOND`,
stopped `RECHECK_GRACE` past the timeout) and explaining it (measured by
bench/overrun.py, bench/RESULTS.md "Time beyond the timeout, again"). The
axioms' test of a program, cvc5's questions and the start of its worker
process included, is given one budget of its own, and so are the `used` sets
tested when that is undecided (`checker._Checker.spend`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

MIN_SECONDS = 0.001
"""Less wall clock than this left is none: the solver is not asked."""

RECHECK_GRACE = 0.5
"""The evaluator's re-checks of a query's models (`checker.RECHECK_STEPS_PER_SECOND`) stop this many
seconds past its `--timeout`, steps left or not: the model is then undecided and the answer
`unknown`, naming the limit. The steps decide on a quiet machine; this bounds a loaded one."""

MARGIN_SECONDS = 1.0
"""Each query, and each program's test of its axioms, ends within its `--timeout` plus this, on a
machine that gives it a core (docs/commands.md, `--timeout`); a loaded machine stretches every
wall-clock figure alike (bench/RESULTS.md, "Time beyond the timeout, again")."""


def now() -> float:
    """The clock budgets read (`time.perf_counter`); work checked against a budget's `deadline` reads it too."""
    return time.perf_counter()


@dataclass
class Budget:
    """Seconds of wall clock (from `started`) and resource units that one query may spend in all."""

    seconds: float
    units: int
    started: float = field(default_factory=lambda: time.perf_counter())
    used: int = 0

    def seconds_left(self) -> float:
        return self.seconds - (time.perf_counter() - self.started)

    def deadline(self, grace: float = 0.0) -> float:
        """The `time.perf_counter()` reading `grace` seconds after the budget's wall clock ends."""
        return self.started + self.seconds + grace

    def units_left(self) -> int:
        return self.units - self.used

    def spend(self, units: int) -> None:
        """Take off the units a question used."""
        self.used += max(0, units)

    def exhausted(self) -> str | None:
        """Why no question can be asked any more, or None while something is left."""
        if self.units_left() < 1:
            return (f"the query used up its {self.units} resource units; raise them with --rlimit, or with "
                    "--timeout, from which they are derived")
        if self.seconds_left() < MIN_SECONDS:
            return f"the query used up its {self.seconds:g}s; raise it with --timeout"
        return None
