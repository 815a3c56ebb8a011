"""`alignproof audit PATH...`: every premise examined (LANGUAGE.md §6.4); one report, one exit status.

Arguments to one `Options` record and `--max-cores`, `premises.audit.audit`
(which runs the check first), one writer of `outputs/audit.py`, the exit
status: 2 for input errors, 1 when some program's axioms are inconsistent or
a stated expectation is not met, else 0.
"""
from __future__ import annotations

import argparse
import time
from typing import TextIO

from ..options import Options
from . import EXIT_FAILED, EXIT_INPUT, EXIT_OK
from .common import add_allow_import_outside, add_format, add_jobs, add_paths, add_timeout, count, jobs_of


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Examine the premises: which axioms are independent, redundant, idle or "
                          "circular, every minimal premise set of each proved claim, and the conflicts "
                          "and repairs of inconsistent axioms.")
    add_paths(parser)
    add_format(parser, ("text", "json"), "text (default) for people, json for programs")
    add_timeout(parser)
    add_jobs(parser, "answer up to N checks at once in worker processes (default as for check)")
    parser.add_argument("--max-cores", type=count, default=8, metavar="N",
                        help="seek up to N minimal premise sets per claim, and N conflicts and repairs "
                             "(default 8)")
    add_allow_import_outside(parser, "let imports reach files outside the project")


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run `alignproof audit` and write its report; returns the exit status."""
    from ..outputs import audit as writers
    from ..premises.audit import audit
    started = time.perf_counter()
    options = Options(timeout=args.timeout, allow_import_outside=args.allow_import_outside, jobs=jobs_of(args.jobs))
    found = audit(list(args.paths), options, args.max_cores)
    write = writers.write_json if args.format == "json" else writers.write_text
    write(found, stdout, stderr, time.perf_counter() - started)
    if found.run.input_error:
        return EXIT_INPUT
    return EXIT_OK if found.ok else EXIT_FAILED
