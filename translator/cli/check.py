"""`alignproof check PATH...`: prove each claim or find its counterexample; one report, one exit status.

Arguments to one `Options` record, `pipeline.run`, one output writer
(`outputs.FORMATS`), the exit status. Nothing else is imported for a plain
text check: the CI formats, the exporter and cvc5 only when asked for.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import replace
from typing import TextIO

from ..options import Limits, Options
from ..outputs import FORMATS, write
from .common import (
    add_allow_import_outside,
    add_paths,
    add_quiet,
    add_solver,
    add_timeout,
    count,
    exit_status,
    input_error,
    jobs,
    jobs_of,
    positive,
    progress_of,
)

CI_FORMATS = ("junit", "sarif", "github")
"""Formats for CI, which imply --strict: an undecided consistency is a failure there."""

DEFAULT_MEMORY_MIB = 4096
"""`--isolate`'s default address space per worker (z3, Python and a thread stack included)."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Prove each claim, or find a counterexample; find each example's witness."
    add_paths(parser)
    parser.add_argument("--format", choices=tuple(FORMATS), default="text",
                        help="text (default) for people, json for programs; junit, sarif, github for CI")
    add_timeout(parser)
    parser.add_argument("--rlimit", type=int, default=None, metavar="N",
                        help="deterministic solver resource limit per query (default: derived from --timeout)")
    parser.add_argument("--claim", action="append", default=[], metavar="NAME",
                        help="check only this claim or example (repeatable)")
    parser.add_argument("--models", type=count, default=1, metavar="N",
                        help="up to N counterexamples (witnesses) per query that differ in the truth "
                             "of the claim's definitions; extra ones in JSON as \"models\" (default 1)")
    parser.add_argument("--all-symbols", action="store_true",
                        help="show every symbol and sort of a model, not only those the claim depends on")
    parser.add_argument("--export", default=None, metavar="DIR",
                        help="write each counterexample and witness as NAME.json/.md/.tex/.dot/.svg, "
                             "and every query as NAME.smt2, into DIR")
    parser.add_argument("--record", action="store_true",
                        help="write the results to proofs/<spec path>.json (proof records)")
    parser.add_argument("--cached", action="store_true",
                        help="reuse a recorded result whose fingerprint matches, once it is confirmed "
                             "(a proof re-proved from its recorded axioms, a model re-checked)")
    parser.add_argument("--retry-unknown", action="store_true",
                        help="with --cached: solve a recorded unknown again instead of replaying it")
    parser.add_argument("--importers", action="store_true",
                        help="also check every spec of the project that imports a file named, directly or "
                             "not (the pre-commit hooks, which are given only the changed files)")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when the consistency of a file's axioms could not be established "
                             "(always so under --format junit, sarif and github)")
    parser.add_argument("--strict-records", action="store_true",
                        help="exit 1 when a result drifted from its proof record, or has none")
    parser.add_argument("--jobs", type=jobs, default=None, metavar="N",
                        help="check up to N queries at once in worker processes (default: one per processor, "
                             "or $ALIGNPROOF_JOBS; 1: all in this process)")
    parser.add_argument("--isolate", action="store_true",
                        help="answer each query in a worker process with limited memory and CPU time; "
                             "a query that exhausts them or crashes the solver is unknown, the rest goes on")
    parser.add_argument("--memory-limit", type=count, default=DEFAULT_MEMORY_MIB, metavar="MIB",
                        help=f"with --isolate: address space of each worker (default {DEFAULT_MEMORY_MIB})")
    parser.add_argument("--cpu-limit", type=positive, default=None, metavar="SECONDS",
                        help="with --isolate: CPU time per query (default: 10 times --timeout, "
                             "as a query asks several questions)")
    add_allow_import_outside(parser, "let imports reach files outside the project (absolute paths, `..` "
                                     "climbing out, symbolic links leading out); refused by default")
    parser.add_argument("--cross-check", action="store_true",
                        help="answer every query again with cvc5 (with its proof and model checking on); "
                             "a disagreement between the solvers is a failure (needs the cvc5 package)")
    add_quiet(parser, "print only the results that failed and the summary (with --format text), and no "
                      "progress line (shown on a terminal's stderr while claims are checked)")
    add_solver(parser)


def options_of(args: argparse.Namespace) -> Options:
    limits = Limits(memory_mib=args.memory_limit, cpu_seconds=args.cpu_limit or 10 * args.timeout) \
        if args.isolate else None
    return Options(timeout=args.timeout, rlimit=args.rlimit, claims=tuple(args.claim), models=args.models,
                   allow_import_outside=args.allow_import_outside, jobs=jobs_of(args.jobs), isolate=limits,
                   record=args.record, cached=args.cached, strict_records=args.strict_records,
                   retry_unknown=args.retry_unknown, cross_check=args.cross_check, solver=args.solver,
                   strict=args.strict or args.format in CI_FORMATS, importers=args.importers)


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run `alignproof check` and write its report; returns the exit status."""
    from ..pipeline import run as check
    started = time.perf_counter()
    options = options_of(args)
    try:
        outcome = check(list(args.paths), options, programs_needed=args.export is not None,
                        progress=progress_of(stderr, args.quiet))
    except unavailable(options) as error:
        from ..check.crosscheck import INSTALL_HINT
        return input_error(str(error), f"install it with: {INSTALL_HINT}", args.format == "json", stdout, stderr)
    if args.all_symbols:
        outcome = replace(outcome, results=tuple(r.showing_everything() for r in outcome.results))
    quiet = {"quiet": True} if args.quiet and args.format == "text" else {}
    write(args.format, outcome, stdout, stderr, time.perf_counter() - started, **quiet)
    status = exit_status(outcome)
    if args.export and not outcome.input_error:
        from ..outputs.export import export_run
        status = max(status, export_run(outcome, args.export, stderr))
    return status


def unavailable(options: Options) -> tuple[type[Exception], ...]:
    """The error that says the second solver is missing, when it is asked for."""
    if not options.cross_check and options.solver in (None, "z3"):
        return ()
    from ..check.crosscheck import Unavailable
    return (Unavailable,)
