"""`python3 -m bench.sessions [PATHS]`: what the queries of a run could share, and what sharing costs.

Counts the Z3 contexts made and the formulas translated in one in-process
check (default: spec/), then checks every program twice with one Z3 context
shared by all its queries (what issue 12 asked about), queries in program
order and reversed, against the same with a context per query (the tool's
way), and says how many results differ between the two orders and from the
tool's own. bench/RESULTS.md, "Sessions", has the figures and the decision.
"""
from __future__ import annotations

import copy
import glob
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import z3

from translator.check.checker import CheckOptions, check_program
from translator.outputs.text import result_json
from translator.pipeline import Options, front_end, run
from translator.solvers.z3 import session
from translator.solvers.z3.translate import Translator
from translator.solvers.z3.vocabulary import Vocabulary


def counted(paths: Sequence[str]) -> dict[str, float]:
    """Contexts made, formulas translated and seconds of one check of `paths`."""
    counts = {"contexts": 0, "translations": 0}
    made, visit = z3.Context.__init__, Translator.visit

    def context(self: Any, *args: Any, **kwargs: Any) -> None:
        counts["contexts"] += 1
        made(self, *args, **kwargs)

    def translation(self: Any, term: Any, env: Any = None) -> Any:
        counts["translations"] += 1  # `visit` runs once per formula not yet translated
        return visit(self, term, env)

    z3.Context.__init__, Translator.visit = context, translation  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        run(list(paths), Options())
        return {**counts, "seconds": time.perf_counter() - start}
    finally:
        z3.Context.__init__, Translator.visit = made, visit  # type: ignore[method-assign]


def shared_contexts() -> Callable[[], None]:
    """Make every session of a program use one context; returns the undo."""
    declared: dict[str, Vocabulary] = {}  # per program: its declarations, made once in its context
    own = session.Session._translator

    def translator(self: session.Session, bound: int | None) -> Translator:
        if self._vocab is None:
            base = declared.setdefault(self.program.root, Vocabulary(self.program, (), z3.Context()))
            self._vocab = copy.copy(base)
            self._vocab.decls = dict(base.decls)
            self._vocab.decls.update((w, base._declare(w)) for w in self.witnesses)
        return own(self, bound)

    session.Session._translator = translator  # type: ignore[method-assign]
    return lambda: setattr(session.Session, "_translator", own)


def results(paths: Sequence[str], reverse: bool) -> dict[str, dict]:
    programs, _, _ = front_end(list(paths))
    found = {}
    for program in programs:
        queries = tuple(reversed(program.queries)) if reverse else program.queries
        for result in check_program(replace(program, queries=queries), CheckOptions()).results:
            doc = result_json(result)
            doc.pop("seconds", None)
            found[f"{result.file}::{result.name}"] = doc
    return found


def differ(a: dict[str, dict], b: dict[str, dict]) -> tuple[int, int]:
    """Results that differ at all, and in verdict or `used`."""
    anything = sum(a[k] != b[k] for k in a)
    verdicts = sum((a[k]["verdict"], a[k].get("used")) != (b[k]["verdict"], b[k].get("used")) for k in a)
    return anything, verdicts


def main(argv: Sequence[str]) -> None:
    paths = list(argv) or sorted(glob.glob("spec/*.align"))
    print("one check:", counted(paths))
    start = time.perf_counter()
    own = {order: results(paths, order) for order in (False, True)}
    own_seconds = time.perf_counter() - start
    undo = shared_contexts()
    try:
        start = time.perf_counter()
        shared = {order: results(paths, order) for order in (False, True)}
        seconds = time.perf_counter() - start
    finally:
        undo()
    report = "differ in {} (verdict or used: {})".format
    print(f"{len(own[False])} results; a context per query: forward vs reversed",
          report(*differ(own[False], own[True])), f"({own_seconds:.2f}s for both orders)")
    print("one context per program: forward vs reversed", report(*differ(shared[False], shared[True])),
          f"({seconds:.2f}s for both orders)")
    print("one context per program vs a context per query, forward:", report(*differ(own[False], shared[False])))
    changed = [k for k in own[False] if own[False][k]["verdict"] != shared[False][k]["verdict"]]
    for key in changed[:3]:
        print(f"  {key}: {own[False][key]['verdict']} -> {shared[False][key]['verdict']}",
              shared[False][key].get("reason", ""))


if __name__ == "__main__":
    main(sys.argv[1:])
