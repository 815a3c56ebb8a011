"""`alignproof suggest PATH --claim NAME`: premises that would prove a claim the checker did not (§6.5).

Arguments to the front end (the programs of PATH), the claim's program with
any `--drop`ped axioms left out, the checker on that claim, then the search
of `premises/suggest/search.py` and one writer of `outputs/suggest.py`.
Progress goes to stderr on a terminal. Exit status: 0 when a suggestion is
shown or the claim is proved already (nothing to suggest), 1 when none was
found, 2 when the input cannot be checked. Nothing is recorded.
"""
from __future__ import annotations

import argparse
from typing import TextIO

from . import EXIT_FAILED, EXIT_INPUT, EXIT_OK
from .common import add_allow_import_outside, count, input_error, positive

SOURCES = ("enumerator", "cvc5")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Propose premises that would prove a claim the checker refutes: each one verified "
                          "(it proves the claim, is consistent, not vacuous, not circular), weakest first, "
                          "printed as axioms ready to paste. Advice, never a verdict; nothing is recorded.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a .align file, or a directory searched for *.align")
    parser.add_argument("--claim", required=True, metavar="NAME", help="the claim to find a missing premise for")
    parser.add_argument("--max", type=count, default=5, metavar="N", help="show at most N suggestions (default 5)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text (default): pasteable axioms with comments; json: LANGUAGE.md §6.5")
    parser.add_argument("--timeout", type=positive, default=30.0, metavar="SECONDS",
                        help="the whole search (default 30); when it runs out, what was verified so far is shown")
    parser.add_argument("--size", type=count, default=3, metavar="N",
                        help="at most N atoms in an enumerated candidate (default 3)")
    parser.add_argument("--source", action="append", choices=SOURCES, default=None,
                        help="where candidates come from (repeatable; default: both, cvc5 when installed)")
    parser.add_argument("--drop", action="append", default=[], metavar="AXIOM",
                        help="leave this axiom out first (repeatable), and compare each suggestion with it")
    add_allow_import_outside(parser, "let imports reach files outside the project")


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run `alignproof suggest`; returns the exit status."""
    from ..check.results import Run, Verdict
    from ..outputs import suggest as output
    from ..outputs.text import write_diagnostics, write_text
    from ..pipeline import front_end
    from ..premises.suggest.claim import Inconsistent, NoSuchAxiom, suggest_claim, taken_names
    from ..premises.suggest.search import SuggestOptions
    as_json = args.format == "json"
    programs, diags, sources = front_end(list(args.paths), args.allow_import_outside)
    if diags:
        write_text(Run((), tuple(diags), sources, tuple(programs), input_error=True), stdout, stderr)
        return EXIT_INPUT
    found = {(q.file, id(p)): (p, q) for p in programs for q in p.queries
             if q.name == args.claim and q.kind.value == "claim"}
    files = sorted({file for file, _ in found})
    if len(files) != 1:
        message = f"no claim named {args.claim!r} in {', '.join(args.paths)}" if not files else \
            f"several claims named {args.claim!r}: in {', '.join(files)}"
        return input_error(message, "name a claim of the files given (see alignproof check)", as_json, stdout, stderr)
    program, query = next(iter(found.values()))
    options = SuggestOptions(limit=args.max, max_size=args.size, timeout=args.timeout,
                             sources=tuple(args.source or SOURCES))
    try:
        report = suggest_claim(program, query, args.drop, options, _progress(stderr))
    except NoSuchAxiom as error:
        return input_error(f"no axiom named {str(error)!r} in the claim's program",
                           "--drop takes the name of an axiom the claim's file has or imports", as_json, stdout, stderr)
    except Inconsistent as error:
        write_diagnostics(Run((), (error.diagnostic,), sources, (program,)), stderr)
        return EXIT_INPUT
    finally:
        _progress_done(stderr)
    taken = taken_names(program) | set(args.drop)
    if report.claim.verdict is Verdict.PROVED and not as_json:
        used = ", ".join(report.claim.used or ()) or "none"
        print(f"{report.claim.file}: claim {report.claim.name} is proved already (used: {used}); nothing to suggest",
              file=stdout)
        return EXIT_OK
    (output.write_json if as_json else output.write_text)(report, taken, stdout)
    return EXIT_OK if report.suggestions or report.claim.verdict is Verdict.PROVED else EXIT_FAILED


def _progress(stderr: TextIO):
    """A one-line progress display on a terminal (nothing when stderr is not one)."""
    if not (hasattr(stderr, "isatty") and stderr.isatty()):
        return None

    def show(text: str) -> None:
        stderr.write(f"\r\x1b[Ksuggest: {text}")
        stderr.flush()
    return show


def _progress_done(stderr: TextIO) -> None:
    if hasattr(stderr, "isatty") and stderr.isatty():
        stderr.write("\r\x1b[K")
        stderr.flush()
