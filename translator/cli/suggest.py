"""`alignproof suggest PATH --claim NAME`: premises that would prove a claim the checker did not (§6.5).

Arguments to the front end (the programs of PATH), the claim's program with
any `--drop`ped axioms left out, the checker on that claim, then the search
of `premises/suggest/search.py` and one writer of `outputs/suggest.py`.
Progress goes to stderr on a terminal. Exit status: 0 when a suggestion is
shown or the claim is proved already (nothing to suggest), 1 when none was
found or the axioms kept are inconsistent, 2 when the input cannot be checked.
Nothing is recorded.
"""
from __future__ import annotations

import argparse
from typing import TextIO

from . import EXIT_FAILED, EXIT_INPUT, EXIT_OK
from .common import add_allow_import_outside, add_format, add_jobs, add_paths, count, input_error, positive

SOURCES = ("enumerator", "cvc5")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Propose premises that would prove a claim the checker refutes: each one verified "
                          "(it proves the claim, is consistent, not vacuous, not circular), weakest first, "
                          "printed as axioms ready to paste. Advice, never a verdict; nothing is recorded.")
    add_paths(parser)
    parser.add_argument("--claim", required=True, metavar="NAME", help="the claim to find a missing premise for")
    parser.add_argument("--max", type=count, default=5, metavar="N", help="show at most N suggestions (default 5)")
    add_format(parser, ("text", "json"), "text (default): pasteable axioms with comments; json: LANGUAGE.md §6.5")
    parser.add_argument("--timeout", type=positive, default=30.0, metavar="SECONDS",
                        help="the whole search (default 30); when it runs out, what was verified so far is shown")
    parser.add_argument("--size", type=count, default=3, metavar="N",
                        help="at most N atoms in an enumerated candidate (default 3)")
    parser.add_argument("--source", action="append", choices=SOURCES, default=None,
                        help="where candidates come from (repeatable; default: both, cvc5 when installed)")
    parser.add_argument("--drop", action="append", default=[], metavar="AXIOM",
                        help="leave this axiom out first (repeatable), and compare each suggestion with it")
    add_jobs(parser, "taken as by every premise command (LANGUAGE.md §6); the search asks its questions "
                     "one after another in this process, each answer pruning the next, so every N gives "
                     "the same suggestions", default=1)
    add_allow_import_outside(parser, "let imports reach files outside the project")


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run `alignproof suggest`; returns the exit status."""
    from ..outputs import suggest as output
    from ..outputs.text import write_diagnostics, write_json, write_text
    from ..premises.reports import suggest_paths
    from ..premises.suggest.search import SuggestOptions
    as_json = args.format == "json"
    options = SuggestOptions(limit=args.max, max_size=args.size, timeout=args.timeout,
                             sources=tuple(args.source or SOURCES))
    try:
        found = suggest_paths(args.paths, args.claim, args.drop, options, args.allow_import_outside,
                              _progress(stderr))
    finally:
        _progress_done(stderr)
    if found.run.input_error:
        (write_json if as_json else write_text)(found.run, stdout, stderr)
        return EXIT_INPUT
    if found.usage is not None:
        return input_error(found.usage.message, found.usage.help or "", as_json, stdout, stderr)
    report = found.report
    if report is None:  # the axioms kept are inconsistent: exit 1, as for every command (LANGUAGE.md §6)
        if as_json:
            write_json(found.run, stdout, stderr)
        else:
            write_diagnostics(found.run, stderr)
        return EXIT_FAILED
    if found.proved and not as_json:
        print(output.proved_already(report), file=stdout)
        return EXIT_OK
    (output.write_json if as_json else output.write_text)(report, found.taken, stdout)
    return EXIT_OK if found.ok else EXIT_FAILED


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
