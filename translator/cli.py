"""The command line: `alignproof check PATH... [--format text|json] [--timeout S] [--claim NAME]`.

Handlers take their streams and return the exit status, so tests call them
without a subprocess. `main` adds what only a real process needs: a deep
stack for deeply nested input, Ctrl-C handling, and a last guard so that no
input ever ends in a Python traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Sequence
from contextlib import contextmanager
from typing import TextIO

from . import __version__
from .check import crosscheck
from .check.checker import check_program
from .check.parallel import Limits, PoolSolve, default_jobs, processors
from .check.records import Recorder
from .frontend.diagnostics import Diagnostic, render
from .outputs.ci import WRITERS as FORMATS
from .outputs.ci import write as write_format
from .outputs.text import json_document, showing_everything, write_text
from .pipeline import Options, Run, run

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130

DEFAULT_MEMORY_MIB = 4096
"""`--isolate`'s default address space per worker (z3, Python and a thread stack included)."""

EPILOG = """exit status:
  0    every result met its expectation
  1    some result did not (a failed claim, an unmet expectation, an unknown),
       or the axioms are inconsistent, or (with --strict-records) a result
       drifted from its proof record in proofs/, or (with --cross-check)
       cvc5 contradicts an answer of z3
  2    the input could not be checked: file not found, parse error, type
       error, import error, or bad arguments (or --cross-check without cvc5)
  130  interrupted (Ctrl-C); no partial result is reported as final
"""


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would exit; we report like any other input error
        raise _UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="alignproof", description="Check .align specifications with the Z3 solver.",
                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"alignproof {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    check = sub.add_parser("check", help="check spec files and directories",
                           description="Prove each claim, or find a counterexample; find each example's witness.",
                           epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("paths", nargs="+", metavar="PATH", help="a .align file, or a directory searched for *.align")
    check.add_argument("--format", choices=("text", "json", *FORMATS), default="text",
                       help="text (default) for people, json for programs; junit, sarif, github for CI")
    check.add_argument("--timeout", type=_positive, default=10.0, metavar="SECONDS",
                       help="per solver query (default 10)")
    check.add_argument("--rlimit", type=int, default=None, metavar="N",
                       help="deterministic solver resource limit per query (default: derived from --timeout)")
    check.add_argument("--claim", action="append", default=[], metavar="NAME",
                       help="check only this claim or example (repeatable)")
    check.add_argument("--models", type=_count, default=1, metavar="N",
                       help="up to N counterexamples (witnesses) per query that differ in the truth "
                            "of the claim's definitions; extra ones in JSON as \"models\" (default 1)")
    check.add_argument("--all-symbols", action="store_true",
                       help="show every symbol and sort of a model, not only those the claim depends on")
    check.add_argument("--export", default=None, metavar="DIR",
                       help="write each counterexample and witness as NAME.json/.md/.tex/.dot/.svg, "
                            "and every query as NAME.smt2, into DIR")
    check.add_argument("--record", action="store_true",
                       help="write the results to proofs/<spec path>.json (proof records)")
    check.add_argument("--cached", action="store_true",
                       help="reuse a recorded result whose fingerprint matches, without the solver")
    check.add_argument("--strict-records", action="store_true",
                       help="exit 1 when a result drifted from its proof record")
    check.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                       help="check up to N queries at once in worker processes (default: one per processor, "
                            "or $ALIGNPROOF_JOBS; 1: all in this process)")
    check.add_argument("--isolate", action="store_true",
                       help="answer each query in a worker process with limited memory and CPU time; "
                            "a query that exhausts them or crashes the solver is unknown, the rest goes on")
    check.add_argument("--memory-limit", type=_count, default=DEFAULT_MEMORY_MIB, metavar="MIB",
                       help=f"with --isolate: address space of each worker (default {DEFAULT_MEMORY_MIB})")
    check.add_argument("--cpu-limit", type=_positive, default=None, metavar="SECONDS",
                       help="with --isolate: CPU time per query (default: 10 times --timeout, "
                            "as a query asks several questions)")
    check.add_argument("--allow-import-outside", action="store_true",
                       help="let imports reach files outside the directories of the paths given "
                            "(absolute paths, `..`, symbolic links leading out); refused by default")
    check.add_argument("--cross-check", action="store_true",
                       help="answer every query again with cvc5 (with its proof and model checking on); "
                            "a disagreement between the solvers is a failure (needs the cvc5 package)")
    _add_report(sub)
    return parser


def _add_report(sub) -> None:
    report = sub.add_parser("report", help="check, then write one self-contained HTML page of the results",
                            description="Check the specs and write an HTML page: per spec file the implication "
                                        "diagram of its claims, the results, counterexamples and bridges.",
                            epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("paths", nargs="+", metavar="PATH", help="a .align file, or a directory searched for *.align")
    report.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    report.add_argument("--timeout", type=_positive, default=10.0, metavar="SECONDS",
                        help="per solver query (default 10)")
    report.add_argument("--claim", action="append", default=[], metavar="NAME",
                        help="check and show only this claim or example (repeatable)")
    report.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                        help="check up to N queries at once in worker processes (default as for check)")
    report.add_argument("--allow-import-outside", action="store_true",
                        help="let imports reach files outside the directories of the paths given")
    report.add_argument("--cross-check", action="store_true",
                        help="answer every query again with cvc5 and show its answer beside each verdict "
                             "(a disagreement is a failure; needs the cvc5 package)")


def _whole(text: str, least: int, meaning: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be {meaning}, not {text}")
    return value


def _count(text: str) -> int:
    return _whole(text, 1, "at least 1")


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def _jobs(text: str) -> int:
    return _whole(text, 0, "0 (one per processor) or more") or processors()


def check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run `alignproof check` and write its report; returns the exit status."""
    started = time.perf_counter()
    options = Options(timeout=args.timeout, rlimit=args.rlimit, claims=tuple(args.claim),
                      models=args.models, allow_import_outside=args.allow_import_outside)
    jobs = args.jobs or default_jobs()
    limits = None
    if args.isolate:
        limits = Limits(memory_mib=args.memory_limit, cpu_seconds=args.cpu_limit or 10 * args.timeout)
    with PoolSolve(jobs, limits) as pool:
        solve = pool if jobs > 1 or limits is not None else check_program
        recorder = Recorder(record=args.record, cached=args.cached, solve=solve)
        try:
            with _second_solver(recorder, args.cross_check, jobs) as (checker, disagreements):
                outcome = run(list(args.paths), options, checker)
                outcome.diagnostics += disagreements
        except crosscheck.Unavailable as error:
            return _input_error(str(error), f"install it with: {crosscheck.INSTALL_HINT}",
                                args.format == "json", stdout, stderr)
    if args.all_symbols:
        outcome.results = [showing_everything(r) for r in outcome.results]
    show_drift = recorder.consulted or args.record or args.cached or args.strict_records
    if args.format == "json":
        doc = json_document(outcome)
        if show_drift:
            doc["drift"] = [d.to_json() for d in recorder.drift]
        json.dump(doc, stdout, indent=2, ensure_ascii=False)
        stdout.write("\n")
        if outcome.diagnostics:
            for diag in outcome.diagnostics:
                print(render(diag, outcome.sources), file=stderr)
    elif args.format in FORMATS:
        write_format(args.format, outcome, stdout, recorder.drift, args.strict_records)
        for diag in outcome.diagnostics:
            print(render(diag, outcome.sources), file=stderr)
    else:
        write_text(outcome, stdout, stderr, time.perf_counter() - started)
        for drift in recorder.drift:
            print(drift.text(), file=stdout)
    status = exit_status(outcome)
    if args.export and not outcome.input_error:
        from .outputs.export import export_run  # imported when asked for: start-up time (bench/RESULTS.md)
        status = max(status, export_run(outcome, list(args.paths), args.export, stderr,
                                              args.allow_import_outside))
    if status == EXIT_OK and args.strict_records and recorder.drift:
        return EXIT_FAILED
    return status


def exit_status(outcome: Run) -> int:
    if outcome.input_error:
        return EXIT_INPUT
    return EXIT_OK if outcome.ok else EXIT_FAILED


def dispatch(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Parse `argv` and run the command; usage errors follow the requested format."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv))
    except _UsageError as err:
        return _usage_error(str(err), argv, parser, stdout, stderr)
    if args.command is None:
        parser.print_help(stderr)
        return EXIT_INPUT
    if args.command == "report":
        return report(args, stdout, stderr)
    return check(args, stdout, stderr)


def report(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run `alignproof report`: check, write the HTML page, say where; returns the exit status."""
    from .outputs import html as htmlreport  # imported when asked for: start-up time (bench/RESULTS.md)
    options = Options(timeout=args.timeout, claims=tuple(args.claim),
                      allow_import_outside=args.allow_import_outside)
    jobs = args.jobs or default_jobs()
    with PoolSolve(jobs, None) as pool:
        recorder = Recorder(solve=pool if jobs > 1 else check_program)
        try:
            with _second_solver(recorder, args.cross_check, jobs) as (checker, disagreements):
                outcome, programs = htmlreport.check(list(args.paths), options, checker)
                outcome.diagnostics += disagreements
        except crosscheck.Unavailable as error:
            return _input_error(str(error), f"install it with: {crosscheck.INSTALL_HINT}", False, stdout, stderr)
    if outcome.input_error:
        write_text(outcome, stdout, stderr)
        return EXIT_INPUT
    for diag in outcome.diagnostics:
        print(render(diag, outcome.sources), file=stderr)
    try:
        htmlreport.write(outcome, programs, list(args.paths), args.output, stderr)
    except OSError as error:
        print(f"alignproof: error: cannot write {args.output}: {error.strerror or error}", file=stderr)
        return EXIT_INPUT
    failed = sum(1 for r in outcome.results if not r.ok)
    print(f"alignproof: wrote {args.output} ({len(outcome.results)} checked: "
          f"{len(outcome.results) - failed} ok, {failed} failed)", file=stdout)
    return exit_status(outcome)


@contextmanager
def _second_solver(checker, wanted: bool, jobs: int):
    """The checker to run and the list its disagreements about axioms go to: `checker` itself, or
    with --cross-check one that asks cvc5 every question again (raises crosscheck.Unavailable)."""
    if not wanted:
        yield checker, []
        return
    with crosscheck.CrossChecker.with_cvc5(checker, jobs) as cross:
        yield cross, cross.diagnostics


def _usage_error(message: str, argv: Sequence[str], parser, stdout: TextIO, stderr: TextIO) -> int:
    help = f"{parser.format_usage().strip()}; see alignproof check --help"
    return _input_error(message, help, _wants_json(argv), stdout, stderr)


def _input_error(message: str, help: str, as_json: bool, stdout: TextIO, stderr: TextIO) -> int:
    """An error before anything is checked (bad arguments, a missing package): exit status 2."""
    print(f"alignproof: error: {message}", file=stderr)
    print(f"  = help: {help}", file=stderr)
    if as_json:
        doc = {"results": [], "errors": [Diagnostic("usage", message, path="alignproof", help=help).to_json()],
               "summary": {"total": 0, "ok": 0, "failed": 0}}
        json.dump(doc, stdout, indent=2)
        stdout.write("\n")
    return EXIT_INPUT


def _wants_json(argv: Sequence[str]) -> bool:
    argv = list(argv)
    return "--format=json" in argv or any(a == "--format" and b == "json" for a, b in zip(argv, argv[1:]))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `alignproof` command."""
    argv = sys.argv[1:] if argv is None else argv
    box: dict = {}

    def work() -> None:
        try:
            box["status"] = dispatch(argv, sys.stdout, sys.stderr)
        except BaseException as err:  # noqa: BLE001 - the last guard: report, never a traceback
            box["error"] = err

    # Deeply nested input is limited by the parser; a large stack keeps the
    # recursive stages far from the interpreter's limits below that depth.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50_000))
    threading.stack_size(512 * 1024 * 1024)
    worker = threading.Thread(target=work, name="alignproof", daemon=True)
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
    except KeyboardInterrupt:
        print("\nalignproof: interrupted; no result is final", file=sys.stderr)
        sys.stdout.flush()
        os._exit(EXIT_INTERRUPTED)
    if "error" in box:
        return _internal_error(box["error"])
    return box.get("status", EXIT_INPUT)


def _internal_error(err: BaseException) -> int:
    if isinstance(err, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(err, BrokenPipeError):  # the reader went away (e.g. `| head`): stop quietly
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_FAILED
    if isinstance(err, SystemExit):
        return int(err.code or 0) if isinstance(err.code, int) else EXIT_INPUT
    if os.environ.get("ALIGNPROOF_DEBUG"):
        import traceback
        traceback.print_exception(err)
    print(f"alignproof: internal error: {type(err).__name__}: {err}", file=sys.stderr)
    print("  = help: this is a bug in alignproof; set ALIGNPROOF_DEBUG=1 for details and report it",
          file=sys.stderr)
    return EXIT_INPUT
