"""The whole chain, in order: load -> parse -> type check -> (expand, solve, re-check) -> a `Run`.

Each stage hands the next plain data; the only stage that talks to a solver
is the checker stack (`check.stack`), built here from the one `Options`
record. With `cached`, a run whose sources, records and options are
unchanged is replayed from the run cache (`check.memo`) without the front
end. This module is the list of passes, nothing more; it imports each stage
when it runs, so that a replayed run loads neither lark nor z3. A `progress`
listener (`translator/progress.py`) hears of every claim: its total first, each
as the stack starts and answers it, and every claim of a program once its
outcome is in.
"""
from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .check.results import Run
from .logic.numbers import allow_long_numbers
from .options import Options
from .progress import SILENT, Progress, claim_step

if TYPE_CHECKING:
    from .check.results import Result
    from .check.stack import Checker, Stack
    from .frontend.diagnostics import Diagnostic
    from .frontend.source import SourceFile
    from .logic.core import Program

__all__ = ["FrontEnd", "Options", "Run", "front_end", "read", "run"]

FRONT_END_GC = (100_000, 50, 50)
"""Cyclic-GC thresholds while the front end runs (bench/RESULTS.md, front end)."""


@contextmanager
def _few_collections() -> Iterator[None]:
    """The front end builds many long-lived objects (tokens, trees, terms) and no cycles worth
    collecting; with Python's default thresholds the collector walks them again and again,
    which made it super-linear in the input. Collect rarely while it runs."""
    before = gc.get_threshold()
    gc.set_threshold(*FRONT_END_GC)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@dataclass(frozen=True)
class FrontEnd:
    """What the front end hands on: the programs with no error in any of their files, every input
    error, the sources read, and the root files whose programs are not among them (`unchecked`)."""

    programs: list[Program]
    diagnostics: list[Diagnostic]
    sources: dict[str, SourceFile]
    unchecked: tuple[str, ...] = ()


def front_end(paths: list[str], allow_import_outside: bool = False, import_roots: tuple[str, ...] = (),
              texts: Mapping[str, str] | None = None
              ) -> tuple[list[Program], list[Diagnostic], dict[str, SourceFile]]:
    """Load, parse and type check every root; returns the programs and all input errors.

    Imports stay in the project of `paths` and `import_roots` unless `allow_import_outside`.
    `texts`: files given by their text, by path (they need not exist; `loader.load`).
    """
    done = read(paths, allow_import_outside, import_roots, texts)
    return done.programs, done.diagnostics, done.sources


def read(paths: list[str], allow_import_outside: bool = False, import_roots: tuple[str, ...] = (),
         texts: Mapping[str, str] | None = None) -> FrontEnd:
    """`front_end`, saying also which root files are not checked. A program is kept only when no
    diagnostic falls in any of its files (a parse error in a file it imports keeps it out), so one
    broken file keeps out only the programs that read it."""
    from .frontend.diagnostics import sort_key
    from .frontend.loader import load
    from .frontend.typecheck import check_program as typecheck
    allow_long_numbers()
    with _few_collections():
        loaded = load(paths, allow_import_outside, import_roots, texts)
        diags = list(loaded.diagnostics)
        typed = []
        for root in loaded.roots:
            program, found = typecheck(root.modules, loaded.modules)
            diags += found
            if program is not None:
                typed.append((root, program))
    broken = {os.path.realpath(d.span.path) for d in diags if d.span is not None}
    programs = [p for root, p in typed if not any(os.path.realpath(m.path) in broken for m in root.modules)]
    kept = {os.path.realpath(p.root) for p in programs}
    unchecked = tuple(f for f in loaded.files if os.path.realpath(f) not in kept)
    unique = sorted(dict.fromkeys(diags), key=sort_key)
    return FrontEnd(programs, unique, loaded.sources, unchecked)


def run(paths: list[str], options: Options = Options(), checker: Checker | None = None,
        programs_needed: bool = False, progress: Progress = SILENT, texts: Mapping[str, str] | None = None) -> Run:
    """Check the files and directories in `paths` as `options` say; the `Run` every output reads.

    `checker` replaces the stack `options` would build (tests). `programs_needed`: the caller
    reads `Run.programs` (an export, a report), so the run cache, which keeps none, is not used.
    `progress` is told of each claim as it is checked. `texts`: files of `paths` given by their
    text (the Python API's spec as a string); such a run is not kept in the run cache.
    """
    allow_long_numbers()
    if options.importers:
        from .frontend.importers import with_importers
        paths = with_importers(list(paths), options.allow_import_outside, options.import_roots)
    keep = False
    if options.cached and checker is None and not programs_needed and not texts:
        from .check import memo
        keep = memo.usable(options)
        replayed = memo.replay(paths, options) if keep else None
        if replayed is not None:
            return replayed
    done = read(list(paths), options.allow_import_outside, options.import_roots, texts)
    programs, diags, sources = done.programs, done.diagnostics, done.sources
    if not diags:
        diags = _unknown_claims(programs, options.claims)
    if diags and (not programs or not done.diagnostics):  # nothing to check, or a bad --claim
        return Run((), tuple(diags), sources, tuple(programs), () if options.records_shown else None,
                   options.strict_records, input_error=True)
    outcome = _check(programs, sources, options, checker, progress)
    if diags:  # the programs without an error were checked; the errors still make it exit 2
        return replace(outcome, diagnostics=tuple(diags) + outcome.diagnostics, input_error=True,
                       unchecked=done.unchecked)
    if keep:
        from .check import memo
        memo.store(paths, options, outcome)
    return outcome


def _check(programs: list[Program], sources: dict[str, SourceFile], options: Options,
           checker: Checker | None, progress: Progress) -> Run:
    from .check.stack import check_options, open_stack
    names = set(options.claims) or None
    check = check_options(options)
    selected = [p for p in programs if names is None or any(q.name in names for v in readings(p) for q in v.queries)]
    checked = [variant for program in selected for variant in readings(program)]
    from .check.theory import theory_of
    results: list[Result] = []
    diags: list[Diagnostic] = []
    theories = []
    progress.start(sum(1 for p in checked for q in p.queries if names is None or q.name in names), "claims")
    try:
        with open_stack(options, progress) if checker is None else _given(checker) as stack:
            stack.checker.prepare(checked, check, names)
            for program in checked:
                outcome = stack.checker(program, check, names)
                results += [replace(r, reading=program.reading) for r in outcome.results]
                for result in outcome.results:
                    progress.end(claim_step(program.root, result.name))
                if outcome.inconsistency is not None:
                    diags.append(_in_reading(outcome.inconsistency, program.reading))
                theory = theory_of(program, outcome, options.strict)
                if theory is not None:
                    theories.append(theory)
    finally:
        progress.finish()
    drift = tuple(stack.drift) if stack.consulted or options.records_shown else None
    return Run(tuple(results), tuple(diags + stack.diagnostics), sources, tuple(programs), drift,
               options.strict_records, theories=tuple(theories))


def readings(program: Program) -> list[Program]:
    """What is checked of a program: the program as written, then its readings, each alone
    (a program as written is sent to the checker without its variants)."""
    if not program.variants:
        return [program]
    return [replace(program, variants=()), *program.variants]


def _in_reading(diag: Diagnostic, reading: str | None) -> Diagnostic:
    """An inconsistency found in a reading's axioms says which reading it is."""
    if reading is None or reading == "base":
        return diag
    return replace(diag, message=f"in reading '{reading}', {diag.message}")


@contextmanager
def _given(checker: Checker) -> Iterator[Stack]:
    from .check.stack import Stack
    try:
        yield Stack(checker)
    finally:
        checker.close()


def _unknown_claims(programs: list[Program], claims: tuple[str, ...]) -> list[Diagnostic]:
    from .frontend import diagnostics as codes
    from .frontend.diagnostics import Diagnostic
    known = {q.name for p in programs for v in (p, *p.variants) for q in v.queries}
    return [Diagnostic(codes.UNKNOWN_CLAIM, f"no claim or example named '{name}'", path="--claim",
                       help="known: " + ", ".join(sorted(known)) if known else None)
            for name in claims if name not in known]
