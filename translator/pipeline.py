"""The whole chain, in order: load -> parse -> type check -> (expand, solve, re-check) -> results.

Each stage hands the next plain data; the only stage that talks to a solver
is `checker` (through `smt`). This module is the list of passes, nothing more.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

from .check.checker import CheckOptions, check_program
from .check.results import Result
from .frontend import diagnostics as codes
from .frontend.diagnostics import Diagnostic, sort_key
from .frontend.loader import load
from .frontend.source import SourceFile
from .frontend.typecheck import check_program as typecheck
from .logic.core import Program


@dataclass(frozen=True)
class Options:
    timeout: float = 10.0
    rlimit: int | None = None
    claims: tuple[str, ...] = ()
    models: int = 1
    allow_import_outside: bool = False  # imports may leave the trees of the paths checked


@dataclass
class Run:
    """What one `check` produced: results, and the errors to show (input or solver)."""

    results: list[Result] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    input_error: bool = False  # exit status 2: nothing was checked

    @property
    def ok(self) -> bool:
        return not self.input_error and not self.diagnostics and all(r.ok for r in self.results)


FRONT_END_GC = (100_000, 50, 50)
"""Cyclic-GC thresholds while the front end runs (bench/RESULTS.md, front end)."""


@contextmanager
def _few_collections():
    """The front end builds many long-lived objects (tokens, trees, terms) and no cycles worth
    collecting; with Python's default thresholds the collector walks them again and again,
    which made it super-linear in the input. Collect rarely while it runs."""
    before = gc.get_threshold()
    gc.set_threshold(*FRONT_END_GC)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def front_end(paths: list[str], allow_import_outside: bool = False, import_roots: tuple[str, ...] = ()
              ) -> tuple[list[Program], list[Diagnostic], dict[str, SourceFile]]:
    """Load, parse and type check every root; returns the programs and all input errors.

    Imports stay in the trees of `paths` and `import_roots` unless `allow_import_outside`.
    """
    with _few_collections():
        loaded = load(paths, allow_import_outside, import_roots)
        diags = list(loaded.diagnostics)
        programs = []
        for root in loaded.roots:
            program, found = typecheck(root.modules)
            diags += found
            if program is not None:
                programs.append(program)
    unique = sorted(dict.fromkeys(diags), key=sort_key)
    return programs, unique, loaded.sources


def run(paths: list[str], options: Options = Options(), checker=check_program) -> Run:
    """Check the files and directories in `paths`, each program with `checker` (by default the checker).

    A `checker` with a `prepare` method is first shown every program it will be
    asked about, so it can start the work early (proof records, a process pool).
    """
    programs, diags, sources = front_end(paths, options.allow_import_outside)
    if not diags:
        diags = _unknown_claims(programs, options.claims)
    if diags:
        return Run([], diags, sources, input_error=True)
    out = Run(sources=sources)
    names = set(options.claims) or None
    check = CheckOptions(timeout=options.timeout, rlimit=options.rlimit, models=options.models)
    selected = [p for p in programs if names is None or any(q.name in names for q in p.queries)]
    if hasattr(checker, "prepare"):
        checker.prepare(selected, check, names)
    for program in selected:
        outcome = checker(program, check, names)
        out.results += outcome.results
        if outcome.inconsistency is not None:
            out.diagnostics.append(outcome.inconsistency)
    return out


def _unknown_claims(programs: list[Program], claims: tuple[str, ...]) -> list[Diagnostic]:
    known = {q.name for p in programs for q in p.queries}
    return [Diagnostic(codes.UNKNOWN_CLAIM, f"no claim or example named '{name}'", path="--claim",
                       help="known: " + ", ".join(sorted(known)) if known else None)
            for name in claims if name not in known]
