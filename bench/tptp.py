"""`python3 -m bench.tptp`: the TPTP sample decided by z3 alone, cvc5 alone and the portfolio (issue 17).

    python3 -m bench.tptp [--timeout 3] [--solvers z3,cvc5,portfolio]

`portfolio-sequential` is the portfolio with cvc5 and E asked in turn, as on
one processor (`ALIGNPROOF_PORTFOLIO=sequential`, solvers/portfolio.py).

Each problem of ../shared/tptp is checked in a child process (the child of
tests/check/test_tptp.py, `check_program` with `--solver S`), two at a
time, solvers alternating problem by problem so that the machine's load
falls on all of them alike. Printed: per solver, the problems decided as
their recorded status says, the unknowns, the contradictions with the
recorded status (each a soundness bug), the answers per solver, and the
wall time; then the problems one solver decides and another does not.
"""
from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "check")]

import test_tptp as harness  # noqa: E402

from .util import table  # noqa: E402


def measure(solvers: list[str], timeout: float) -> dict[str, list[harness.Checked]]:
    """Every problem with every solver: the child's report, in the index's order."""
    tasks = [(row, solver) for row in harness.ROWS for solver in solvers]
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda task: _check(task[0], timeout, task[1]), tasks))
    found: dict[str, list[harness.Checked]] = {s: [] for s in solvers}
    for (_, solver), checked in zip(tasks, done):
        found[solver].append(checked)
    return found


def _check(row: dict[str, str], timeout: float, solver: str) -> harness.Checked:
    if solver == "portfolio-sequential":
        return harness.check_in_child(row, timeout, "portfolio", {"ALIGNPROOF_PORTFOLIO": "sequential"})
    return harness.check_in_child(row, timeout, solver)


def decided(checked: harness.Checked) -> bool:
    return checked.verdict == harness.DECIDED[checked.status]


def report(found: dict[str, list[harness.Checked]], timeout: float, wall: float) -> str:
    rows = []
    for solver, outcomes in found.items():
        by_status = {s: sum(decided(c) for c in outcomes if c.status == s) for s in harness.DECIDED}
        answered = {}
        for c in outcomes:
            if decided(c):
                answered[c.solver or solver] = answered.get(c.solver or solver, 0) + 1
        rows.append((solver, sum(by_status.values()), *by_status.values(),
                     sum(c.verdict in ("unknown", "hung") for c in outcomes),
                     sum(bool(harness.contradictions(c)) for c in outcomes),
                     ", ".join(f"{k} {v}" for k, v in sorted(answered.items())),
                     f"{sum(c.seconds for c in outcomes):.0f}"))
    lines = [f"TPTP sample ({len(harness.ROWS)} problems), {timeout:g} s per query, "
             f"{wall:.0f} s wall for the whole run",
             table(("solver", "decided", *harness.DECIDED, "unknown", "contradictions", "answered by",
                    "checker s"), rows)]
    names = list(found)
    for a in names:
        for b in names:
            if a != b:
                only = [x.problem for x, y in zip(found[a], found[b]) if decided(x) and not decided(y)]
                lines.append(f"decided by {a}, not by {b} ({len(only)}): {' '.join(only)}")
    wrong = {c.problem: harness.contradictions(c) for o in found.values() for c in o if harness.contradictions(c)}
    lines.append(f"contradictions: {wrong or 'none'}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bench.tptp")
    ap.add_argument("--timeout", type=float, default=3.0, help="seconds per query")
    ap.add_argument("--solvers", default="z3,cvc5,portfolio")
    args = ap.parse_args(argv)
    if not harness.ROWS:
        print(f"{harness.INDEX} not found", file=sys.stderr)
        return 2
    start = time.monotonic()
    found = measure(args.solvers.split(","), args.timeout)
    print(report(found, args.timeout, time.monotonic() - start))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
