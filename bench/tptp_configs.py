"""`python3 -m bench.tptp_configs`: why TPTP problems are undecided, per solver configuration (issue 17).

    python3 -m bench.tptp_configs [--timeout 3]

For each problem of ../shared/tptp, the checker's main question (the
expanded axioms with the negated conjecture, or the axioms alone for a
Satisfiable problem) is asked, each time with the whole `--timeout` and its
resource limit, of: z3 as the tool asks it; z3 within 2 elements (a small
model, counted only when it finds one); cvc5 as the portfolio asks it
(enumerative instantiation, proof checking); cvc5 with finite model
finding; cvc5 with model-based instantiation (`mbqi`). Each problem runs in a
child process (this file with `--one`), two at a time. Printed: per
configuration, the problems it decides as their status says, the union,
any answer that contradicts a status (a soundness bug), and the problems no
configuration decides. The union is what any budget split between the two
solvers could reach at this timeout.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "check")]

import test_tptp as harness  # noqa: E402

CONFIGS = ("z3", "z3 within 2", "cvc5", "cvc5 finite", "cvc5 mbqi")
WANTED = {"Theorem": "unsat", "CounterSatisfiable": "sat", "Satisfiable": "sat"}


def one(path: str, timeout: float) -> None:
    """Ask every configuration the main question of one problem; one JSON line each."""
    import time

    import tptp_reader as tptp

    from translator.check.checker import CheckOptions, _Checker
    from translator.logic.core import Not, QueryKind
    from translator.logic.evaluate import failing
    from translator.logic.expand import Fresh
    from translator.solvers.common import SolverOptions
    from translator.solvers.cvc5 import load
    from translator.solvers.cvc5 import session as cvc5_session
    from translator.solvers.z3 import Session as Z3Session

    program = tptp.program_from_file(path)
    checker = _Checker(program, CheckOptions(timeout=timeout), failing)
    (query,) = program.queries
    goal = checker.peel(query, Fresh(checker.query_uids))
    formula = goal.expanded if query.kind is QueryKind.EXAMPLE else Not(goal.expanded)
    settings = cvc5_session._settings
    for config in CONFIGS:
        options = SolverOptions(timeout=timeout)
        start = time.perf_counter()
        if config.startswith("z3"):
            bound = 2 if config.endswith("2") else None
            outcome = Z3Session(program, goal.witnesses).solve(checker.axioms, [formula], bound, options,
                                                               want_model=False)
        else:
            if config.endswith("mbqi"):
                cvc5_session._settings = lambda *a: [s for s in settings(*a) if s[0] != "enum-inst"] + [
                    ("mbqi", "true")]
            session = cvc5_session.Session(program, goal.witnesses, load("bench"))
            outcome = session.solve(checker.axioms, [formula], None, options, want_model=False,
                                    finite=config.endswith("finite"))
            cvc5_session._settings = settings
        print(json.dumps({"config": config, "status": outcome.status,
                          "seconds": round(time.perf_counter() - start, 2)}), flush=True)


def asked(row: dict[str, str], timeout: float) -> dict[str, str]:
    """The answer of each configuration on one problem ('killed' past the hard limit)."""
    command = [sys.executable, "-m", "bench.tptp_configs", "--one", str(harness.TPTP_DIR / "problems" / row["problem"]),
               "--timeout", str(timeout)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=len(CONFIGS) * (timeout + 8))
        lines = done.stdout
    except subprocess.TimeoutExpired as stopped:
        lines = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else (stopped.stdout or "")
    found = {c: "killed" for c in CONFIGS}
    for line in lines.splitlines():
        answer = json.loads(line)
        found[answer["config"]] = answer["status"]
    return found


def decides(config: str, status: str, answer: str) -> bool:
    if config.endswith("within 2"):  # a small model decides; a bounded unsat proves nothing
        return answer == "sat" and status != "Theorem"
    return answer == WANTED[status]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bench.tptp_configs")
    ap.add_argument("--timeout", type=float, default=3.0)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        one(args.one, args.timeout)
        return 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda row: asked(row, args.timeout), harness.ROWS))
    decided = {c: {r["problem"] for r, a in zip(harness.ROWS, answers) if decides(c, r["status"], a[c])}
               for c in CONFIGS}
    wrong = [(r["problem"], c, a[c]) for r, a in zip(harness.ROWS, answers) for c in CONFIGS
             if not c.endswith("within 2") and a[c] in ("sat", "unsat") and a[c] != WANTED[r["status"]]]
    union = set().union(*decided.values())
    print(f"TPTP sample ({len(harness.ROWS)} problems), main question only, {args.timeout:g} s per configuration")
    for c in CONFIGS:
        print(f"  {c:<12} {len(decided[c]):>3} decided")
    print(f"  union        {len(union):>3} decided; contradictions: {wrong or 'none'}")
    left = [r["problem"] for r in harness.ROWS if r["problem"] not in union]
    print(f"undecided by every configuration ({len(left)}): {' '.join(left)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
