"""Premise sets: an inconsistent theory's conflicts, and the repairs that restore consistency.

It takes a program whose axioms the checker found inconsistent (with the
conflict it named) and hands on a `ProgramAudit` with:

- `conflicts`: every minimal set of axioms with no model (up to the limit),
  enumerated as a claim's premise sets are (premises/marco.py, on one solver),
  each re-proved afresh and shown minimal;
- `repairs`: the minimal hitting sets of the conflicts, fewest axioms first
  (`solvers.z3.hitting_sets`): the least one must give up. Each is verified
  by the checker's consistency test on the axioms that remain (a re-checked
  model), or reported with its consistency unknown. A hitting set whose
  remainder is still inconsistent (possible only when the conflicts are not
  all known) is no repair and is left out.
"""
from __future__ import annotations

import time
from dataclasses import replace
from itertools import islice

from ..check.checker import ProgramChecker, premises
from ..check.results import Result
from ..check.stack import check_options
from ..logic.core import Program
from ..logic.expand import TooLarge
from ..options import Options
from ..solvers.z3 import hitting_sets
from .findings import ClaimAudit, Independence, ProgramAudit, Repair
from .marco import enumerate_cores
from .oracle import PremiseOracle

MAX_CANDIDATES = 4
"""Hitting sets tried per repair asked for (a candidate whose remainder still conflicts is skipped)."""


def inconsistent(program: Program, results: list[Result], conflict: tuple[str, ...], options: Options,
                 limit: int, started: float) -> ProgramAudit:
    """The audit of a program whose axioms have no model: conflicts and repairs."""
    axioms = tuple(Independence(a.name, None, file=a.span.path if a.span else program.root,
                                line=a.span.line if a.span else 0) for a in program.axioms)
    claims = tuple(ClaimAudit(r) for r in results)
    checking = check_options(options)
    try:
        oracle = PremiseOracle(program, premises(program), None, checking)
    except TooLarge as err:
        return ProgramAudit(program.root, False, axioms, claims, (conflict,), False,
                            reason=f"the axioms cannot be examined: {err}", seconds=time.perf_counter() - started)
    names = oracle.names
    found = enumerate_cores(oracle, limit, [[names.index(n) for n in conflict]])
    conflicts = tuple(tuple(names[i] for i in sorted(c)) for c in _ordered(found.cores))
    repairs, repairs_complete, checks = _repairs(program, found.cores, names, checking, limit)
    return ProgramAudit(program.root, False, axioms, claims, conflicts, found.complete, repairs,
                        repairs_complete and found.complete, oracle.questions, checks + 1,
                        time.perf_counter() - started)


def _ordered(cores):
    return sorted(cores, key=lambda c: (len(c), sorted(c)))


def _repairs(program: Program, conflicts, names: tuple[str, ...], checking, limit: int
             ) -> tuple[tuple[Repair, ...], bool, int]:
    """The minimal hitting sets of the conflicts, fewest first, each verified; whether that is all of
    them (of these conflicts); and how many consistency tests were asked."""
    if not conflicts:
        return (), False, 0
    repairs: list[Repair] = []
    complete, checks = True, 0
    candidates = hitting_sets([sorted(c) for c in conflicts], len(names))
    for chosen in islice(candidates, MAX_CANDIDATES * limit):
        if len(repairs) == limit:
            complete = False
            break
        removed = tuple(names[i] for i in sorted(chosen))
        kept = replace(program, axioms=tuple(a for a in program.axioms if a.name not in removed), queries=())
        checks += 1
        consistency = ProgramChecker(kept, checking).consistency()
        if consistency.conflict:
            complete = False  # a conflict the enumeration did not reach
            continue
        repairs.append(Repair(removed, None if consistency.warning else True, consistency.warning or ""))
    else:
        complete = complete and next(candidates, None) is None
    order = {name: i for i, name in enumerate(names)}
    repairs.sort(key=lambda r: (len(r.axioms), [order[n] for n in r.axioms]))
    return tuple(repairs), complete, checks
