"""Prototype (bench only, translator/ untouched): a cheaper model read-out, measured.

`smt._ModelReader._enumerated` builds each table row with `decl(*args)`; z3.py's
FuncDeclRef.__call__ casts and sort-checks every argument (cast -> domain ->
_to_sort_ref), which cProfile shows as most of the read-out time. The arguments
here are model values of the right sorts already, so the application can be
built with the C API directly (Z3_mk_app) and wrapped once in ExprRef, which
keeps reference counting correct. Same rows, same order, same values.

    python3 -m bench.proto_model_reader      # runs spec/ both ways, alternating; checks equal JSON
"""
from __future__ import annotations

import json
import sys
import time
from itertools import product

import z3
from z3 import z3core

from .util import median, table


def fast_enumerated(self, symbol, decl, domains):
    from translator.smt import Table
    ctx = self.vocab.ctx
    ref = ctx.ref()
    fast = decl.ast
    rows = []
    zmodel = self.zmodel
    n = len(domains)
    for args in product(*domains):
        arr = (z3.Ast * n)(*[a.as_ast() for a in args]) if n else (z3.Ast * 0)()
        app = z3.ExprRef(z3core.Z3_mk_app(ref, fast, n, arr), ctx) if n else decl()
        value = self._value(zmodel.eval(app, model_completion=True), symbol.result)
        keys = tuple(self._value(a, s) for a, s in zip(args, symbol.args))
        if value is not None and None not in keys:
            rows.append((keys, value))
    return Table(rows=tuple(rows))


def _run_spec():
    from translator.pipeline import run
    from translator.report import json_document
    start = time.perf_counter()
    out = run(["spec/"])
    wall = time.perf_counter() - start
    doc = json_document(out)
    for r in doc["results"]:
        r.pop("seconds", None)
    return wall, json.dumps(doc, sort_keys=True)


def main(rounds: int = 3) -> int:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50_000))
    from translator import smt
    original = smt._ModelReader._enumerated
    base, fast = [], []
    docs = set()
    for i in range(rounds):
        for variant in (("base", "fast") if i % 2 == 0 else ("fast", "base")):
            smt._ModelReader._enumerated = fast_enumerated if variant == "fast" else original
            wall, doc = _run_spec()
            (fast if variant == "fast" else base).append(wall)
            docs.add(doc)
    smt._ModelReader._enumerated = original
    print(table(["spec/ in-process", "median wall s", "runs"],
                [("current _enumerated", f"{median(base):.2f}", " ".join(f"{t:.2f}" for t in base)),
                 ("Z3_mk_app _enumerated", f"{median(fast):.2f}", " ".join(f"{t:.2f}" for t in fast))]))
    print(f"identical JSON results (seconds excluded): {len(docs) == 1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
