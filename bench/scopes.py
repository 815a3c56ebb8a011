"""`python3 -m bench.scopes`: how far `within N` gets in 10 s per claim, z3 against cvc5 (issue 17, item 3).

    python3 -m bench.scopes [--timeout 10] [--sizes 2,4,6,...]

Three claims true in every finite model and false in an infinite one (so no
proof exists and every scope up to N must be searched): a total order has a
least element, an injective function is onto, and pigeonhole (more pigeons
than holes: two share one). For each N of the ladder, the claim `within N`
is checked in this process by `alignproof check --solver S --timeout T` for
S = z3, cvc5, portfolio, and, as the model finder on its own, the command
line `cvc5 --finite-model-find --tlimit=T` on the SMT-LIB the tool exports
(`--export`: the axioms, the negated claim and the bound as a cover axiom).
Sizes are tried upwards for each column until one is not `bounded` (`unsat`
for the command line) within T seconds; printed: the seconds per N and
the largest N per column.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

from .util import table

LADDER = (2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 24, 28, 32)


def order_least(n: int) -> str:
    return ("sort U\npred le: U, U\n"
            "claim order_least:\n"
            "  (forall x: U. le(x, x)) and (forall x, y: U. le(x, y) and le(y, x) -> x = y)\n"
            "  and (forall x, y, z: U. le(x, y) and le(y, z) -> le(x, z)) and (forall x, y: U. le(x, y) or le(y, x))\n"
            f"    -> exists x: U. forall y: U. le(x, y) within {n}\n")


def injective_onto(n: int) -> str:
    return f"sort U\nfun f: U -> U\nclaim injective_onto: injective(f) -> surjective(f) within {n}\n"


def pigeonhole(n: int) -> str:
    """Holes go into pigeons one-to-one, missing the pigeon `spare`: there are more pigeons than
    holes, so two pigeons share a hole (in a finite world; not in an infinite one)."""
    return ("sort Pigeon\nsort Hole\nfun hole: Pigeon -> Hole\nfun back: Hole -> Pigeon\nconst spare: Pigeon\n"
            "claim pigeonhole:\n"
            "  injective(back) and (forall h: Hole. back(h) != spare)\n"
            f"    -> exists a, b: Pigeon. a != b and hole(a) = hole(b) within {n}\n")


PROBLEMS = (("a total order has a least element", order_least), ("an injective function is onto", injective_onto),
            ("pigeonhole", pigeonhole))
SOLVERS = ("z3", "cvc5", "portfolio")
COMMAND = "cvc5 --finite-model-find"


def tool(path: str, solver: str, timeout: float) -> tuple[bool, float, str]:
    """(bounded, seconds, verdict) of the one claim of `path`, checked with `--solver solver`."""
    from translator.pipeline import Options, run
    result = run([path], Options(timeout=timeout, solver=solver))
    if result.diagnostics or len(result.results) != 1:
        raise SystemExit(f"{path}: {result.diagnostics}")
    (found,) = result.results
    return found.verdict.value == "bounded", found.seconds, found.verdict.value


def command_line(path: str, timeout: float) -> tuple[bool, float, str]:
    """(unsat, seconds, answer) of `cvc5 --finite-model-find` on the SMT-LIB of the claim of `path`."""
    from translator.check.checker import query_formulas
    from translator.pipeline import front_end
    from translator.solvers.z3.smtlib import smtlib_script
    programs, _, _ = front_end([path])
    (program,) = programs
    (query,) = program.queries
    formulas, witnesses = query_formulas(program, query)
    script = path[:-len(".align")] + ".smt2"
    with open(script, "w", encoding="utf-8") as out:
        out.write(smtlib_script(program, formulas, witnesses, query.within))
    start = time.perf_counter()
    try:
        done = subprocess.run(["cvc5", "--finite-model-find", f"--tlimit={int(timeout * 1000)}", script],
                              capture_output=True, text=True, timeout=timeout + 5)
        answer = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "timeout"
    except subprocess.TimeoutExpired:
        answer = "timeout"
    seconds = time.perf_counter() - start
    return answer == "unsat" and seconds <= timeout, seconds, answer


def climb(make, ask, sizes, timeout: float, folder: str) -> tuple[int, list[str]]:
    """The largest size of `sizes` (tried upwards) answered `bounded` in `timeout`, and one cell per size."""
    best, cells = 0, []
    for n in sizes:
        path = os.path.join(folder, f"{make.__name__}{n}.align")
        with open(path, "w", encoding="utf-8") as out:
            out.write(make(n))
        ok, seconds, what = ask(path)
        ok = ok and seconds <= timeout
        cells.append(f"{seconds:.2f}" if ok else f"({what} {seconds:.1f})")
        if not ok:
            break
        best = n
    return best, cells + ["-"] * (len(sizes) - len(cells))


def run(timeout: float, sizes: tuple[int, ...]) -> str:
    columns = [*SOLVERS, COMMAND] if shutil.which("cvc5") else list(SOLVERS)
    rows, best_rows = [], []
    with tempfile.TemporaryDirectory() as folder:
        for title, make in PROBLEMS:
            found = {}
            for column in columns:
                def ask(path, column=column):
                    return command_line(path, timeout) if column == COMMAND else tool(path, column, timeout)
                found[column] = climb(make, ask, sizes, timeout, folder)
            for i, n in enumerate(sizes):
                rows.append((title, n, *(found[c][1][i] for c in columns)))
            best_rows.append((title, *(found[c][0] for c in columns)))
    return (f"seconds per claim `within N` (limit {timeout:g} s; `(verdict s)`: not bounded in time, the climb "
            "stops there)\n" + table(("problem", "N", *columns), rows)
            + "\n\nlargest N bounded in the limit\n" + table(("problem", *columns), best_rows))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bench.scopes")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per claim")
    ap.add_argument("--sizes", default=",".join(map(str, LADDER)))
    args = ap.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50_000))
    print(run(args.timeout, tuple(int(s) for s in args.sizes.split(","))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
