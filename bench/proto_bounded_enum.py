"""Prototype (bench only): `within N` as finite sorts instead of a quantified at-most-N axiom.

The tool bounds a sort U by `forall x: U. x = U@1 or ... or x = U@N` (smt._at_most),
which leaves the problem quantified over an uninterpreted sort; z3 gives `unknown`
from N ~ 10 on the growth families. Alternative: for each size k = 1..N, declare U
as a finite (enumerated) sort of exactly k elements, so every quantifier ranges over
a finite domain. Measured here on the `within N order` family
(a strict order has a maximal element: no counterexample of any finite size).

    python3 -m bench.proto_bounded_enum [N ...]
"""
from __future__ import annotations

import sys
import time

import z3

from .util import table


def formula(U):
    lt = z3.Function("lt", U, U, z3.BoolSort(U.ctx))
    x, y, z = (z3.Const(n, U) for n in "xyz")
    trans = z3.ForAll([x, y, z], z3.Implies(z3.And(lt(x, y), lt(y, z)), lt(x, z)))
    irrefl = z3.ForAll([x], z3.Not(lt(x, x)))
    has_max = z3.Exists([x], z3.ForAll([y], z3.Not(lt(x, y))))
    return z3.Not(z3.Implies(z3.And(trans, irrefl), has_max))


def at_most(n: int, timeout_ms: int = 4000, rlimit: int = 2_000_000):
    ctx = z3.Context()
    U = z3.DeclareSort("U", ctx)
    s = z3.Solver(ctx=ctx)
    s.set("timeout", timeout_ms); s.set("rlimit", rlimit)
    s.add(formula(U))
    x = z3.Const("x@U", U)
    s.add(z3.ForAll([x], z3.Or(*[x == z3.Const(f"U@{i}", U) for i in range(1, n + 1)])))
    start = time.perf_counter()
    r = s.check()
    return str(r), time.perf_counter() - start


def enum_sizes(n: int, timeout_ms: int = 4000, rlimit: int = 2_000_000):
    start = time.perf_counter()
    for k in range(1, n + 1):
        ctx = z3.Context()
        U, _ = z3.EnumSort("U", [f"u{i}" for i in range(k)], ctx=ctx)
        s = z3.Solver(ctx=ctx)
        s.set("timeout", timeout_ms); s.set("rlimit", rlimit)
        s.add(formula(U))
        r = s.check()
        if r != z3.unsat:
            return f"{r} at size {k}", time.perf_counter() - start
    return "unsat (all sizes)", time.perf_counter() - start


def main(argv=None) -> int:
    sizes = [int(a) for a in (argv if argv is not None else sys.argv[1:])] or [4, 8, 10, 12, 16]
    rows = []
    for n in sizes:
        a, ta = at_most(n)
        b, tb = enum_sizes(n)
        rows.append((n, a, f"{ta:.3f}", b, f"{tb:.3f}"))
    print(table(["N", "quantified at-most-N (tool's encoding)", "s", "finite sort, sizes 1..N", "s"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
