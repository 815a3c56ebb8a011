"""How the work grows: generated claim families, tool time per claim vs raw z3 on the same formulas.

    python3 -m bench.growth [--timeout 4] [--quick]

Families (one generated .align file per size, in a temporary folder):
  sorts k        k sorts, a chain of k-1 injective maps; claims: the composite is
                 injective (proved) / surjective (counterexample)
  alternation d  `forall x1. exists x2. forall x3. ...` d quantifiers over a serial
                 relation r; `pairs` is proved, `chain` is a counterexample for d >= 4
  within N       `injective(f) -> surjective(f) within N` on f: U -> U: no counterexample
                 with <= N elements (so the bounded search must exhaust them), none
                 provable either (infinite counterexample): the tool answers `bounded`
                 after also trying an outright proof (a quarter of the budget).
  within N order a strict order on U has a maximal element `within N`: true in finite
                 models only; the bounded search is propositional over N^2 atoms.
Tool: `pipeline.run` in this process, per-claim `seconds` from its results; for
`within N`, the largest scope its bounded search completed (N when `bounded`;
from the reason of an `unknown`, "no counterexample with up to K elements ...").
Raw z3: the same expanded formulas written as z3.py (bench/emit.py), ONE solve per
claim (the tool's main question; for `within N` the bounded one, with the plain
"every element is one of N constants" axiom and no unrolling or symmetry
breaking), with the same timeout and rlimit. Both at `--timeout` seconds per
query (rlimit 500k/s).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile

from .util import table


def sorts_family(k: int) -> str:
    lines = [f"sort T{i}" for i in range(1, k + 1)]
    lines += [f"fun m{i}: T{i} -> T{i + 1}" for i in range(1, k)]
    lines += [f"axiom inj{i}: injective(m{i})" for i in range(1, k)]
    comp = "x"
    for i in range(1, k):
        comp = f"m{i}({comp})"
    lines.append(f"def comp(x: T1) := {comp}")
    lines.append(f"claim sorts{k}_injective: forall x, y: T1. comp(x) = comp(y) -> x = y")
    lines.append(f"claim sorts{k}_surjective: forall z: T{k}. exists x: T1. comp(x) = z\n  expect counterexample")
    return "\n".join(lines) + "\n"


def alternation_family(d: int) -> str:
    xs = [f"x{i}" for i in range(1, d + 1)]
    prefix = " ".join(f"{'forall' if i % 2 == 0 else 'exists'} {x}: U." for i, x in enumerate(xs))
    pairs = " and ".join(f"r({xs[i]}, {xs[i + 1]})" for i in range(0, d - 1, 2))
    chain = " and ".join(f"r({xs[i]}, {xs[i + 1]})" for i in range(d - 1))
    expect = "" if d < 3 else "\n  expect counterexample"
    return (f"sort U\npred r: U, U\naxiom serial: forall x: U. exists y: U. r(x, y)\n"
            f"claim alt{d}_pairs: {prefix} {pairs}\n"
            f"claim alt{d}_chain: {prefix} {chain}{expect}\n")


def within_family(n: int) -> str:
    return (f"sort U\nfun f: U -> U\n"
            f"claim within{n}_inj_surj: injective(f) -> surjective(f) within {n}\n")


def order_family(n: int) -> str:
    return (f"sort U\npred lt: U, U\n"
            f"claim within{n}_order_has_max:\n"
            f"  (forall x, y, z: U. lt(x, y) and lt(y, z) -> lt(x, z)) and (forall x: U. not lt(x, x))\n"
            f"    -> exists x: U. forall y: U. not lt(x, y) within {n}\n")


FAMILIES = [("sorts k", sorts_family, (2, 4, 8, 16, 32)),
            ("alternation d", alternation_family, (2, 4, 6, 8, 10, 12)),
            ("within N", within_family, (2, 4, 8, 10, 12, 16, 20, 24, 32)),
            ("within N order", order_family, (2, 4, 8, 10, 12, 14, 16, 20, 24))]
QUICK = [("sorts k", sorts_family, (2, 8, 32)),
         ("alternation d", alternation_family, (2, 6, 12)),
         ("within N", within_family, (2, 8, 16)),
         ("within N order", order_family, (4, 12))]


def completed_scope(result) -> str:
    """How far a `within N` claim's bounded search got: N if bounded, K from an unknown's reason."""
    import re
    if result.verdict.value == "bounded":
        return "all"
    if result.verdict.value == "unknown" and result.reason:
        found = re.match(r"no counterexample with up to (\d+) element", result.reason)
        if found:
            return found.group(1)
        if result.reason.startswith("scope 1 of"):
            return "0"
    return "-"


def raw_z3(program, timeout: float) -> dict:
    from .emit import query_checks_source
    source = "from z3 import *\n" + query_checks_source(program, "checks", int(timeout * 1000),
                                                          int(500_000 * timeout))
    scope: dict = {}
    exec(compile(source, "<raw-z3>", "exec"), scope)
    return scope["checks"]()


def run(timeout: float = 4.0, quick: bool = False) -> str:
    from translator.pipeline import Options, front_end
    from translator.pipeline import run as check
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for family, make, sizes in (QUICK if quick else FAMILIES):
            for size in sizes:
                path = os.path.join(folder, f"{family.split()[0]}{size}.align")
                with open(path, "w") as out:
                    out.write(make(size))
                result = check([path], Options(timeout=timeout))
                if result.diagnostics:
                    raise SystemExit(f"{path}: {result.diagnostics}")
                programs, _, _ = front_end([path])
                raw = raw_z3(programs[0], timeout)
                for r in result.results:
                    status, raw_s = raw[r.name]
                    rows.append((family, size, r.name, r.verdict.value + ("" if r.ok else " (!)"),
                                 f"{r.seconds:.3f}", completed_scope(r), status, f"{raw_s:.3f}",
                                 f"{r.seconds / raw_s:.1f}x" if raw_s > 0 else "-"))
    return (f"timeout {timeout:g}s per query (rlimit {int(500_000 * timeout):,}); "
            "(!) marks a result that does not meet its expectation\n"
            + table(["family", "size", "claim", "tool verdict", "tool s", "scopes done", "raw z3",
                     "raw z3 s", "ratio"], rows))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=4.0)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50_000))
    print(run(args.timeout, args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
