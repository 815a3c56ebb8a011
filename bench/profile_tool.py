"""Where the tool's time goes on spec/, without a profiler's overhead.

Wraps (in this process only; translator/ is not edited) the stages and the
checker's questions with wall-clock timers, runs `pipeline.run(spec/)` once,
and prints two tables: time per stage, and solver calls / time per purpose
(consistency, main query, core minimisation, vacuity, model shrinking, ...).
Also: process start-up costs measured as separate processes.

    python3 -m bench.profile_tool [spec/]
"""
from __future__ import annotations

import subprocess
import sys
import time
from collections import defaultdict
from functools import wraps

from .startup import CHECK_IMPORTS
from .util import median, table

STAGE = defaultdict(float)
CALLS = defaultdict(int)
PURPOSE_T = defaultdict(float)
PURPOSE_N = defaultdict(int)
PURPOSE_ALL = defaultdict(list)
READ_BY_PURPOSE = defaultdict(float)
_stack: list[str] = []


def _timed(owner, name, key):
    original = getattr(owner, name)

    @wraps(original)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            STAGE[key] += time.perf_counter() - start
            CALLS[key] += 1
            if key == "smt: copy model out of z3":
                READ_BY_PURPOSE[_stack[-1] if _stack else "main query (claim/example)"] += \
                    time.perf_counter() - start
    setattr(owner, name, wrapper)


def _purpose(owner, name, purpose):
    original = getattr(owner, name)

    @wraps(original)
    def wrapper(*args, **kwargs):
        _stack.append(purpose)
        try:
            return original(*args, **kwargs)
        finally:
            _stack.pop()
    setattr(owner, name, wrapper)


def instrument():
    import z3

    from translator.check import checker
    from translator.frontend import loader, typecheck
    from translator.solvers import z3 as smt
    from translator.solvers.z3 import models, translate, vocabulary

    _timed(loader, "parse_source", "front: lex+parse")
    _timed(typecheck, "check_program", "front: typecheck")  # pipeline.front_end imports both when it runs
    _timed(loader, "load", "front: load (incl. lex+parse)")
    _timed(checker, "expand", "expand (defs, built-ins)")
    _timed(vocabulary.Vocabulary, "__init__", "smt: context+declarations")
    _timed(translate.Translator, "top", "smt: translate (once per formula and bound)")
    _timed(z3.Solver, "check", "z3: check")
    _timed(models.ModelReader, "read", "smt: copy model out of z3")
    _timed(checker._Checker, "rechecked", "evaluate: re-check model")
    _timed(smt.Session, "solve", "smt: questions (Session.solve)")
    _timed(smt.Session, "smaller_core", "smt: core minimisation (smaller_core)")
    for name, purpose in [("consistency", "consistency of axioms"), ("minimise", "core minimisation"),
                          ("_vacuity", "vacuity test"), ("_small_first", "small models first (1,2,3)"),
                          ("_smallest", "model shrinking (bounds 1..)"),
                          ("_small_model", "small-model fallback (1,2,3)"),
                          ("_claim_within", "within N"), ("_example_within", "within N"),
                          ("_alternatives", "alternative models"), ("_explanation", "explanation")]:
        if hasattr(checker._Checker, name):
            _purpose(checker._Checker, name, purpose)
    for owner, name in ((smt.Session, "solve"), (smt.Session, "smaller_core")):
        _counted(owner, name)


def _counted(owner, name):
    """Solver time by purpose: the innermost checker method on the stack names it."""
    original = getattr(owner, name)

    @wraps(original)
    def wrapper(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            key = _stack[-1] if _stack else "main query (claim/example)"
            PURPOSE_T[key] += time.perf_counter() - start
            PURPOSE_N[key] += 1
            PURPOSE_ALL[key].append(time.perf_counter() - start)
    setattr(owner, name, wrapper)


def _process_seconds(code: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return median(times)


def startup_table() -> str:
    rows = []
    base = _process_seconds("pass")
    rows.append(("python3 -c pass", f"{base:.3f}"))
    for label, code in [("import z3", "import z3"),
                        ("import lark", "import lark"),
                        ("import translator.cli (the command table only)", "import translator.cli"),
                        ("what a plain text check imports", CHECK_IMPORTS),
                        ("import translator.frontend.parser (lark, no z3)", "import translator.frontend.parser"),
                        ("import translator.frontend.parser + build LALR tables (parser._lark())",
                         "import translator.frontend.parser as p; p._lark()")]:
        t = _process_seconds(code)
        rows.append((label, f"{t:.3f} (+{t - base:.3f})"))
    return table(["process", "median wall s"], rows)


def main(argv=None) -> int:
    paths = (argv if argv is not None else sys.argv[1:]) or ["spec/"]
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50_000))
    instrument()
    from translator.pipeline import run
    start = time.perf_counter()
    result = run(paths)
    total = time.perf_counter() - start
    print(f"in-process pipeline.run({paths}): {total:.2f}s wall, {len(result.results)} results\n")
    order = ["front: load (incl. lex+parse)", "front: lex+parse", "front: typecheck", "expand (defs, built-ins)",
             "smt: questions (Session.solve)", "smt: core minimisation (smaller_core)",
             "smt: context+declarations", "smt: translate (once per formula and bound)", "z3: check",
             "smt: copy model out of z3", "evaluate: re-check model"]
    rows = [(k, CALLS[k], f"{STAGE[k]:.3f}", f"{100 * STAGE[k] / total:.0f}%") for k in order]
    print(table(["stage (inclusive; nested rows indented in meaning)", "calls", "seconds", "share"], rows))
    print()
    rows = [(k, PURPOSE_N[k], f"{PURPOSE_T[k]:.3f}", f"{100 * PURPOSE_T[k] / total:.0f}%",
             f"{median(PURPOSE_ALL[k]):.3f}", f"{max(PURPOSE_ALL[k]):.3f}",
             f"{sum(t for t in PURPOSE_ALL[k] if t > 0.5):.3f}")
            for k in sorted(PURPOSE_T, key=lambda k: -PURPOSE_T[k])]
    rows.append(("all solver calls", sum(PURPOSE_N.values()), f"{sum(PURPOSE_T.values()):.3f}",
                 f"{100 * sum(PURPOSE_T.values()) / total:.0f}%", "", "", ""))
    for row_index, row in enumerate(rows[:-1]):
        rows[row_index] = (*row, f"{READ_BY_PURPOSE[row[0]]:.3f}")
    rows[-1] = (*rows[-1], f"{sum(READ_BY_PURPOSE.values()):.3f}")
    print(table(["solver calls by purpose (a core minimisation is one call)", "calls", "seconds", "share",
                 "median s", "max s",
                 "s in calls > 0.5s", "of which model read-out s"], rows))
    print()
    print(startup_table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
