"""`alignproof report PATH... -o FILE`: check, then write one self-contained HTML page of the results.

Arguments to one `Options` record, `pipeline.run` (keeping the programs, which
the page draws), the HTML writer, a line saying where the page is, the exit status.
"""
from __future__ import annotations

import argparse
from typing import TextIO

from ..options import Options
from . import EXIT_INPUT
from .common import (
    add_allow_import_outside,
    add_paths,
    add_solver,
    add_timeout,
    exit_status,
    input_error,
    jobs,
    jobs_of,
    progress_of,
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Check the specs and write an HTML page: per spec file the implication "
                          "diagram of its claims, the results, counterexamples and bridges.")
    add_paths(parser)
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    add_timeout(parser)
    parser.add_argument("--claim", action="append", default=[], metavar="NAME",
                        help="check and show only this claim or example (repeatable)")
    parser.add_argument("--jobs", type=jobs, default=None, metavar="N",
                        help="check up to N queries at once in worker processes (default as for check)")
    add_allow_import_outside(parser, "let imports reach files outside the project")
    parser.add_argument("--cross-check", action="store_true",
                        help="answer every query again with cvc5 and show its answer beside each verdict "
                             "(a disagreement is a failure; needs the cvc5 package)")
    parser.add_argument("--audit", action="store_true",
                        help="also examine the premises (as alignproof audit) and show, per axiom, "
                             "the claims that rest on it")
    add_solver(parser)


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run `alignproof report`: check, write the HTML page, say where; returns the exit status."""
    from ..outputs import html
    from ..outputs.text import write_diagnostics, write_text
    from ..pipeline import run as check
    from .check import unavailable
    options = Options(timeout=args.timeout, claims=tuple(args.claim), allow_import_outside=args.allow_import_outside,
                      jobs=jobs_of(args.jobs), cross_check=args.cross_check, solver=args.solver)
    try:
        outcome = (_audited(args, options) if args.audit
                   else check(list(args.paths), options, programs_needed=True, progress=progress_of(stderr)))
    except unavailable(options) as error:
        from ..check.crosscheck import INSTALL_HINT
        return input_error(str(error), f"install it with: {INSTALL_HINT}", False, stdout, stderr)
    if outcome.input_error:
        write_text(outcome, stdout, stderr)
        return EXIT_INPUT
    write_diagnostics(outcome, stderr)
    try:
        html.write(outcome, list(args.paths), args.output, stderr)
    except OSError as error:
        print(f"alignproof: error: cannot write {args.output}: {error.strerror or error}", file=stderr)
        return EXIT_INPUT
    failed = outcome.failed()
    print(f"alignproof: wrote {args.output} ({len(outcome.results)} checked: "
          f"{len(outcome.results) - failed} ok, {failed} failed)", file=stdout)
    return exit_status(outcome)


def _audited(args: argparse.Namespace, options: Options):
    """The check run with the audit made from it (`--audit`)."""
    from ..premises.audit import audit
    from ..premises.findings import AuditedRun
    found = audit(list(args.paths), options)
    return AuditedRun.of(found) if not found.run.input_error else found.run
