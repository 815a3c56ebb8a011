"""Stage 5, every back end: what a question to a solver is asked with and what comes back.

The checker asks its questions with `SolverOptions` (limits and a seed) and
reads `Outcome`s (a status, the names of an unsat core, a plain `Model`, why
not), whichever back end answered: `solvers/z3/`, `solvers/cvc5/` or the
`solvers/portfolio.py` that asks both. Importing this module imports no
solver.

Resource limits are counted in Z3's units: `SolverOptions.rlimit` (the
command's `--rlimit`) is Z3's `rlimit`, and a back end that counts other
units converts (`solvers/cvc5/session.py`, `CVC5_UNITS_PER_Z3_UNIT`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..logic import core
from ..logic.model import Model

RLIMIT_PER_SECOND = 500_000
"""Z3 resource units allowed per second of timeout when no rlimit is given (solvers/z3/session.py)."""

Z3_MAX = 2**32 - 1
"""Z3 reads `timeout` (milliseconds) and `rlimit` as unsigned 32-bit numbers: a larger value wraps
around (2**32 + 1 is 1, 2**32 is no limit at all). Every limit handed to a solver is at most this."""

MAX_TIMEOUT = Z3_MAX / 1000
"""The longest timeout Z3 can be given, in seconds (about 49.7 days); a longer one is this."""


@dataclass(frozen=True)
class SolverOptions:
    """Limits of one solver call: wall-clock seconds, resource units (Z3's), random seed."""

    timeout: float = 10.0
    rlimit: int | None = None
    seed: int = 0

    def resource_limit(self) -> int:
        """The rlimit in force, in Z3's units: the given one, or one derived from the timeout; at most `Z3_MAX`."""
        wanted = self.rlimit if self.rlimit is not None else min(RLIMIT_PER_SECOND * self.timeout, Z3_MAX)
        return max(1, min(int(wanted), Z3_MAX))

    def timeout_ms(self) -> int:
        return max(1, int(min(self.timeout * 1000, Z3_MAX)))

    def share(self, part: float) -> SolverOptions:
        """These limits cut to `part` of themselves (wall clock and resource units alike)."""
        return SolverOptions(timeout=self.timeout * part, rlimit=max(1, int(self.resource_limit() * part)),
                             seed=self.seed)


@dataclass(frozen=True)
class Outcome:
    """What the solver said: 'sat' (with the model), 'unsat' (with the core) or 'unknown' (why).

    `solver` names the back end that gave the answer ("z3", "cvc5"); for an
    'unknown' from the portfolio, `reason` holds every solver's reason. For the unsat answer
    of a bounded question, `bound_needed` says whether the core needed the bound (None: the
    solver cannot tell; z3's bounded encoding cannot). Who answered and how are not part of
    what was answered: outcomes compare equal without them."""

    status: str
    core: tuple[str, ...] = ()
    model: Model | None = None
    reason: str = ""
    solver: str = field(default="", compare=False)
    bound_needed: bool | None = field(default=None, compare=False)  # a bounded unsat: did its core need the bound?


SHOWN = (core.SymbolKind.CONST, core.SymbolKind.FUN, core.SymbolKind.PRED, core.SymbolKind.BRIDGE)


def shown_symbols(program: core.Program) -> list[core.Symbol]:
    """The symbols a model read back from any solver gives a table: constants, functions,
    predicates and bridges (a finite sort's elements are its universe; a claim's witnesses are
    tabulated by the reader that knows them)."""
    return [s for s in program.symbols if s.kind in SHOWN]
