"""Where a small check's CPU time goes, stage by stage, in one process (issue 12, item 5).

    python3 -m bench.floor [FILE ...] [--rounds N]

For each file (default: spec/hubinger.align and bench/diagram15.align) a
fresh interpreter (one per round, `--rounds`, medians given) measures with
`time.process_time`: importing z3, then lark, then the rest of what a plain
check imports (the project's own modules); the front end (`pipeline.read`);
and the checker (`check_program` with the default solver), split into the
time spent inside Z3's C library on the calls that do the solving (making
contexts, asserting, checking, setting limits, freeing solvers and
contexts) and the rest (translation, model read-out, re-checks,
explanations). It counts the Z3 contexts made and the checks asked. What a
hand-written z3.py script of the same queries pays is `python -c pass`,
`import z3` and its own checks (`python3 -m bench.startup`); the difference
is what the tool adds, and the native part is what its answers need.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from .util import median, table

FILES = ("spec/hubinger.align", "bench/diagram15.align")
NATIVE = ("Z3_mk_context_rc", "Z3_del_context", "Z3_solver_assert", "Z3_solver_check_assumptions",
          "Z3_solver_set_params", "Z3_solver_dec_ref", "Z3_mk_solver")
"""The C calls counted as solving: those a script asking the same questions makes too."""

PROBE = r'''
import json, sys, time
T = time.process_time
marks = [T()]
import z3
marks.append(T())
import lark
marks.append(T())
import translator.cli.common, translator.cli.check, translator.pipeline, translator.check.stack
import translator.frontend.loader, translator.frontend.typecheck, translator.outputs.terminal
marks.append(T())
from z3 import z3, z3core
native, calls = {}, {}
def timed(name):
    inner = getattr(z3core, name)
    def call(*args):
        start = T()
        try:
            return inner(*args)
        finally:
            native[name] = native.get(name, 0.0) + T() - start
            calls[name] = calls.get(name, 0) + 1
    setattr(z3core, name, call)
    setattr(z3, name, call)
for name in NAMES:
    timed(name)
from translator.pipeline import read
from translator.check.checker import CheckOptions, check_program
from translator.check.stack import check_options
from translator.options import Options
front = read([PATH])
marks.append(T())
for program in front.programs:
    check_program(program, check_options(Options()))
marks.append(T())
print(json.dumps({"marks": marks, "native": native, "calls": calls}))
'''


def probe(path: str) -> dict:
    code = PROBE.replace("NAMES", repr(NATIVE)).replace("PATH", repr(path))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as a user runs it
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout)


def breakdown(path: str, count: int) -> str:
    runs = [probe(path) for _ in range(count)]
    stages = ["python start", "import z3", "import lark", "import the tool's own modules", "front end",
              "checker"]
    columns: dict[str, list[float]] = {s: [] for s in stages}
    native: list[float] = []
    python: list[float] = []
    for run in runs:
        marks = run["marks"]
        columns["python start"].append(marks[0])
        for stage, (a, b) in zip(stages[1:], zip(marks, marks[1:])):
            columns[stage].append(b - a)
        inside = sum(run["native"].values())
        native.append(inside)
        python.append(marks[-1] - marks[-2] - inside)
    rows = [(stage, f"{median(values) * 1000:.1f}") for stage, values in columns.items()]
    rows += [("  of it, inside Z3 (solving)", f"{median(native) * 1000:.1f}"),
             ("  of it, the rest (Python)", f"{median(python) * 1000:.1f}")]
    calls = runs[0]["calls"]
    counts = f"Z3 contexts made: {calls.get('Z3_mk_context_rc', 0)}, checks: " \
             f"{calls.get('Z3_solver_check_assumptions', 0)}"
    return f"### {path}\n\n" + table(["stage", "median CPU ms"], rows) + f"\n\n{counts}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bench.floor")
    ap.add_argument("files", nargs="*", default=list(FILES))
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    print(f"{args.rounds} fresh interpreters per file, CPU time (process_time), medians\n")
    print("\n\n".join(breakdown(path, args.rounds) for path in args.files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
