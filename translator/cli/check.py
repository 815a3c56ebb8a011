"""`alignproof check PATH...`: prove each claim or find its counterexample; one report, one exit status.

Arguments to one `Options` record, `pipeline.run`, one output writer
(`outputs.FORMATS`), the exit status. Nothing else is imported for a plain
text check: the CI formats, the exporter and cvc5 only when asked for.
"""
from __future__ import annotations

import argparse
import io
import time
from dataclasses import replace
from typing import TYPE_CHECKING, TextIO

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

if TYPE_CHECKING:
    from ..check.results import Run

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
    started = time.perf_counter()
    options = options_of(args)
    rendering = _rendering(args, options, stdout)
    if rendering is not None:
        from ..check import memo
        kept = memo.replay_report(list(args.paths), options, rendering)
        if kept is not None:
            parts, err, status = kept
            stderr.write(err)
            stdout.write(f"{time.perf_counter() - started:.2f}".join(parts))
            return status
    from ..pipeline import run as check
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
    if rendering is not None and outcome.replayed:
        _keep_report(args, options, rendering, outcome, status, quiet, stdout, stderr)
    if args.export and not outcome.input_error:
        from ..outputs.export import export_run
        status = max(status, export_run(outcome, args.export, stderr))
    return status


def _rendering(args: argparse.Namespace, options: Options, stdout: TextIO) -> dict | None:
    """What the report of a run the run cache may replay depends on besides the run (`check.memo`,
    "the report of a replayed run"); None when its report is not kept (no `--cached`, an export,
    importers, a run that writes records)."""
    from ..check.memo import usable
    if args.export is not None or options.importers or not usable(options):
        return None
    from ..outputs.terminal import colours, unicode
    return {"format": args.format, "quiet": bool(args.quiet), "all_symbols": bool(args.all_symbols),
            "colour": colours(stdout), "unicode": unicode(stdout)}


def _keep_report(args: argparse.Namespace, options: Options, rendering: dict, outcome: Run, status: int,
                 quiet: dict, stdout: TextIO, stderr: TextIO) -> None:
    """The report of `outcome`, replayed whole from the run cache, kept for the next such run: written
    again as to `stdout` and `stderr` (their colours and characters) with each of `memo.SECONDS_MARKS`
    as the seconds, and kept only if the two differ exactly where those seconds are written."""
    from ..check import memo
    written = []
    for mark in memo.SECONDS_MARKS:
        out, said = _Capture(stdout), _Capture(stderr)
        write(args.format, outcome, out, said, mark, **quiet)
        written.append((out.getvalue(), said.getvalue()))
    (first, err), (second, err_again) = written
    one, other = (f"{mark:.2f}" for mark in memo.SECONDS_MARKS)
    parts = first.split(one)
    if len(parts) <= 2 and second == other.join(parts) and err == err_again and one not in err:
        memo.store_report(list(args.paths), options, rendering, parts, err, status)


class _Capture(io.StringIO):
    """Text written as it would be to `like`: the same answer to `isatty` and the same encoding."""

    def __init__(self, like: TextIO):
        super().__init__()
        self._like = like

    @property
    def encoding(self) -> str | None:  # type: ignore[override]
        return getattr(self._like, "encoding", None)

    def isatty(self) -> bool:
        try:
            return bool(self._like.isatty())
        except (AttributeError, ValueError):
            return False


def unavailable(options: Options) -> tuple[type[Exception], ...]:
    """The error that says the second solver is missing, when it is asked for."""
    if not options.cross_check and options.solver in (None, "z3"):
        return ()
    from ..check.crosscheck import Unavailable
    return (Unavailable,)
