"""`python3 -m bench.overrun`: how far past `--timeout` a query that times out runs (issue 19, item 11).

    python3 -m bench.overrun [--timeouts 1,2,5] [--solvers z3,cvc5,portfolio] [--quick] [--huge] [--against DIR]

The queries are ones that run out of time: the TPTP problems of
../shared/tptp that z3 left undecided at 1 s (`HARD_TPTP`; each a program of
one query, its axioms tested first) and generated claims the solvers cannot
settle (`generated`: bounded searches past what completes, deep
quantifier alternation, axioms whose consistency no
solver settles). Each program is checked in a child process
(`check_program`, as the CLI's in-process path does), two children at a
time, the solvers alternating program by program so that the machine's load
falls on all of them alike. The child times, with a progress listener, the
consistency test of the axioms (from the start to the first query, or the
whole check for a program with no query), each query (its step: every
question, the model read-out, re-check and explanation) and what follows the
queries (the `used` sets tested when consistency was undecided).

Printed: per solver and timeout, the number of timed steps that ran out of
time (a query `unknown`, a consistency test undecided), and their time beyond
the timeout: max (with the CPU seconds of that step: this process and the
cvc5 workers that ended in it, which tells load from overrun), 95th
percentile, and how many went past `budget.MARGIN_SECONDS`; then the worst steps. A step is
counted as timed out by its outcome, never by its time, so the figures do not
choose their own sample.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .growth import alternation_family, order_family, within_family
from .util import table

ROOT = Path(__file__).resolve().parents[1]
TPTP = ROOT.parent.parent / "shared" / "tptp" / "problems"

HARD_TPTP = ("NLP223+1.p", "NLP013+1.p", "NLP164+1.p", "SET707+4.p", "SET701+4.p", "SWW901+1.p", "SET938+1.p",
             "SYN066+1.p", "SYO635+1.p", "SYO787+1.p", "LCL898+1.p", "GRP666+1.p")
"""TPTP problems that z3 alone left `unknown` at `--timeout 1`, the slowest first (run of 2026-12-02 05:00 UTC)."""

UNDECIDED_AXIOMS = """sort N
fun s: N -> N
const z: N
pred lt: N, N
axiom zero: forall x: N. s(x) != z
axiom inj: forall x, y: N. s(x) = s(y) -> x = y
axiom trans: forall x, y, w: N. lt(x, y) and lt(y, w) -> lt(x, w)
axiom irrefl: forall x: N. not lt(x, x)
axiom succ: forall x: N. lt(x, s(x))
axiom cover: forall x: N. x = z or exists y: N. x = s(y)
axiom dense: forall x, y: N. lt(x, y) -> exists w: N. lt(x, w) and lt(w, y)
claim no_top: forall x: N. exists y: N. lt(x, y)
"""


def generated() -> list[tuple[str, str]]:
    """Generated programs whose queries run out of time: (name, text)."""
    return [("within40_inj_surj", within_family(40)), ("within30_order", order_family(30)),
            ("alt12_pairs", alternation_family(12)), ("undecided_axioms", UNDECIDED_AXIOMS)]


def huge() -> list[tuple[str, str]]:
    """`--huge`: a search within 10^8 elements, which cvc5 alone did not stop in time (bench/RESULTS.md)."""
    return [("within_huge", within_family(10**8))]


# ---------------------------------------------------------------- the child

def child(path: str, timeout: float, solver: str) -> dict:
    """Check one program; the timed steps, as JSON."""
    from translator.check.checker import CheckOptions, check_program
    from translator.progress import Progress

    if path.endswith(".p"):
        sys.path[:0] = [str(ROOT / "tests")]
        import tptp_reader
        program = tptp_reader.program_from_file(path)
    else:
        from translator.pipeline import front_end
        programs, diagnostics, _ = front_end([path])
        if diagnostics:
            raise SystemExit(f"{path}: {diagnostics[0].message}")
        program = programs[0]
    marks: list[tuple[str, str, float, float]] = []

    class Clock(Progress):
        def begin(self, step: str) -> None:
            marks.append(("begin", step, time.perf_counter(), cpu()))

        def end(self, step: str) -> None:
            marks.append(("end", step, time.perf_counter(), cpu()))

    start, start_cpu = time.perf_counter(), cpu()
    outcome = check_program(program, CheckOptions(timeout=timeout, backend=solver), progress=Clock())
    stop, stop_cpu = time.perf_counter(), cpu()
    verdicts = {r.name: r.verdict.value for r in outcome.results}
    steps = []
    first, first_cpu = marks[0][2:] if marks else (stop, stop_cpu)
    undecided = bool(outcome.consistency and outcome.consistency.warning)
    steps.append({"step": "consistency", "seconds": first - start, "cpu": first_cpu - start_cpu,
                  "timed_out": undecided})
    begun: dict[str, tuple[float, float]] = {}
    for kind, step, at, used in marks:
        if kind == "begin":
            begun[step] = (at, used)
        else:
            name = step.rsplit(" ", 1)[-1].split("::")[-1]
            steps.append({"step": name, "seconds": at - begun[step][0], "cpu": used - begun[step][1],
                          "timed_out": verdicts.get(name) == "unknown"})
    if marks:
        steps.append({"step": "after", "seconds": stop - marks[-1][2], "cpu": stop_cpu - marks[-1][3],
                      "timed_out": undecided})
    return {"steps": steps, "total": stop - start}


def cpu() -> float:
    """CPU seconds of this process and of its children that have ended (cvc5's worker processes)."""
    used = os.times()
    return used.user + used.system + used.children_user + used.children_system


# ---------------------------------------------------------------- the parent

def run_child(path: Path, timeout: float, solver: str, tree: Path = ROOT) -> dict:
    """One program checked by the source tree `tree` (this one, or `--against`'s) in a child process."""
    command = [sys.executable, "-m", "bench.overrun", "--child", str(path), str(timeout), solver]
    guard = 30 * timeout + 30
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=tree, timeout=guard)
    except subprocess.TimeoutExpired:  # reported as one step that ran to the guard
        return {"error": "hung", "steps": [{"step": "hung", "seconds": guard, "timed_out": True}], "total": guard}
    if done.returncode != 0:
        return {"error": done.stderr[-500:], "steps": [], "total": 0.0}
    return json.loads(done.stdout.strip().splitlines()[-1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(paths: list[Path], solvers: list[str], timeouts: list[float], against: Path | None = None,
            only_here: Collection[str] = ()) -> list[dict]:
    """Every program with every solver and timeout, solvers alternating program by program; with
    `against`, each check also made by that source tree right after (labelled "SOLVER base"),
    except for the programs in `only_here`."""
    tasks = [(p, t, solvers[(i + j) % len(solvers)], ROOT) for t in timeouts for i, p in enumerate(paths)
             for j in range(len(solvers))]
    if against is not None:
        tasks = [task for here in tasks
                 for task in ([here] if here[0].name in only_here else [here, (*here[:3], against)])]
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda task: run_child(*task), tasks))
    return [dict(found, program=p.name, timeout=t, solver=s if tree == ROOT else f"{s} base")
            for (p, t, s, tree), found in zip(tasks, done)]


def report(found: list[dict], solvers: list[str], timeouts: list[float], margin: float) -> str:
    rows = []
    worst: list[tuple[float, str]] = []
    for solver in solvers:
        for timeout in timeouts:
            runs = [f for f in found if f["solver"] == solver and f["timeout"] == timeout]
            over, cpus = [], []
            for run in runs:
                for step in (s for s in run["steps"] if s["timed_out"]):
                    over.append(step["seconds"] - timeout)
                    cpus.append(step.get("cpu", float("nan")))
                    worst.append((step["seconds"] - timeout, cpus[-1],
                                  f"{run['program']} {step['step']} ({solver}, --timeout {timeout:g})"))
            errors = sum("error" in r for r in runs)
            beyond = [o for o in over if o > margin]
            worst_cpu = cpus[over.index(max(over))] if over else float("nan")
            rows.append((solver, f"{timeout:g}", len(runs), len(over),
                         f"{max(over):+.2f}" if over else "-", f"{worst_cpu:.2f}" if over else "-",
                         f"{percentile(over, 0.95):+.2f}" if over else "-", len(beyond),
                         f"{max(r['total'] for r in runs):.1f}" if runs else "-", errors))
    lines = [table(("solver", "--timeout", "programs", "timed-out steps", "max beyond", "its CPU s", "p95 beyond",
                    f"beyond +{margin:g} s", "longest program s", "crashed"), rows),
             "", "worst steps (wall beyond, CPU of the step):"]
    for base in (False, True):  # this tree's worst, then --against's
        mine = [w for w in worst if (" base, " in w[2]) is base]
        lines += [f"  {extra:+.2f} s  cpu {used:.2f} s  {what}" for extra, used, what in sorted(mine, reverse=True)[:8]]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bench.overrun")
    ap.add_argument("--timeouts", default="1,2,5")
    ap.add_argument("--solvers", default="z3,cvc5,portfolio")
    ap.add_argument("--quick", action="store_true", help="3 TPTP problems and 3 generated programs")
    ap.add_argument("--huge", action="store_true", help="also a search within 10^8 elements")
    ap.add_argument("--against", type=Path, metavar="DIR",
                    help="also check each program with the source tree DIR (e.g. an export of main, with "
                         "this file copied into its bench/), alternating, labelled 'SOLVER base' (not --huge)")
    ap.add_argument("--child", nargs=3, metavar=("PATH", "TIMEOUT", "SOLVER"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], float(args.child[1]), args.child[2])))
        return 0
    from translator.solvers.budget import MARGIN_SECONDS
    timeouts = [float(t) for t in args.timeouts.split(",")]
    solvers = args.solvers.split(",")
    with tempfile.TemporaryDirectory() as folder:
        programs = (generated()[:3] if args.quick else generated()) + (huge() if args.huge else [])
        paths = [TPTP / name for name in (HARD_TPTP[:3] if args.quick else HARD_TPTP) if (TPTP / name).exists()]
        for name, text in programs:
            (Path(folder) / f"{name}.align").write_text(text, encoding="utf-8")
            paths.append(Path(folder) / f"{name}.align")
        started = time.perf_counter()
        found = measure(paths, solvers, timeouts, args.against, [f"{name}.align" for name, _ in huge()])
    labels = [s for solver in solvers for s in ([solver, f"{solver} base"] if args.against else [solver])]
    print(report(found, labels, timeouts, MARGIN_SECONDS))
    print(f"\n{len(found)} checks in {time.perf_counter() - started:.0f} s wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
