"""`alignproof explore PATH...`: the implication diagram of the unary definitions over a sort, discovered.

Arguments to `premises.explore.ExploreOptions`, the front end
(`pipeline.front_end`), one exploration per file and sort, one writer
(text, JSON or Graphviz), the exit status of LANGUAGE.md §6: 0 the analysis
ran and every stated implication came out as its claim expects, 1 one did
not or the axioms are inconsistent, 2 bad input.
"""
from __future__ import annotations

import argparse
import time
from typing import TextIO

from . import EXIT_FAILED, EXIT_INPUT, EXIT_OK
from .common import add_allow_import_outside, add_paths, add_timeout, count, input_error, jobs, jobs_of

FORMATS = ("text", "json", "dot")


def names(text: str) -> tuple[str, ...]:
    """`--defs a,b,...`: names separated by commas (spaces allowed)."""
    found = tuple(n.strip() for n in text.split(",") if n.strip())
    if not found:
        raise argparse.ArgumentTypeError(f"no definition named in {text!r}")
    return found


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Decide every implication between the unary definitions over a sort (with up to "
                          "--joins hypotheses) and report the minimal ones, the equivalences, the diagram, "
                          "which the file states, and a counterexample world for every other one.")
    add_paths(parser)
    parser.add_argument("--sort", default=None, metavar="S",
                        help="explore this sort only (default: every sort with two or more nodes)")
    parser.add_argument("--defs", type=names, default=None, metavar="A,B,...",
                        help="only these definitions (or unary predicates), in this order")
    parser.add_argument("--joins", type=count, default=2, metavar="K",
                        help="implications with up to K hypotheses joined by `and` (default 2)")
    parser.add_argument("--preds", action="store_true", help="the unary predicates over the sort are nodes too")
    parser.add_argument("--atoms", action="store_true",
                        help="so are the definitions the file's claims apply to a term of their variable, "
                             "such as outer_aligned(base(a))")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default) for people, json for programs, dot for the diagram's Graphviz source")
    add_timeout(parser)
    parser.add_argument("--rlimit", type=int, default=None, metavar="N",
                        help="deterministic solver resource limit per query (default: derived from --timeout)")
    parser.add_argument("--jobs", type=jobs, default=1, metavar="N",
                        help="ask up to N queries at once, in worker processes (default 1: each answer "
                             "chooses the next question, which needs the fewest)")
    add_allow_import_outside(parser, "let imports reach files outside the project")


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run `alignproof explore`; returns the exit status."""
    from ..check.checker import CheckOptions
    from ..outputs.text import write_diagnostics
    from ..pipeline import Run, front_end
    from ..premises.explore import ExploreOptions, Refused, explore_programs
    started = time.perf_counter()
    programs, diags, sources = front_end(list(args.paths), args.allow_import_outside)
    if diags:
        write_diagnostics(Run((), tuple(diags), sources, input_error=True), stderr)
        if args.format == "json":
            from ..outputs.explore_text import write_json
            write_json([], stdout, [d.to_json() for d in diags])
        return EXIT_INPUT
    options = ExploreOptions(sort=args.sort, defs=args.defs, joins=args.joins, preds=args.preds, atoms=args.atoms,
                             check=CheckOptions(timeout=args.timeout, rlimit=args.rlimit), jobs=jobs_of(args.jobs))
    try:
        found = explore_programs(programs, options)
    except Refused as why:
        hint = "see alignproof explore --help for --sort and --defs"
        if args.format == "json":  # the explore document, its error the usage one `check` would give
            from ..frontend.diagnostics import Diagnostic
            from ..outputs.explore_text import write_json
            write_json([], stdout, [Diagnostic("usage", str(why), path="alignproof", help=hint).to_json()])
        return input_error(str(why), hint, False, stdout, stderr)
    inconsistent = [e.diagnostic for e in found if e.diagnostic is not None]
    if inconsistent:
        write_diagnostics(Run((), tuple(inconsistent), sources), stderr)
    _write(args.format, found, stdout, time.perf_counter() - started)
    return EXIT_OK if all(e.ok for e in found) else EXIT_FAILED


def _write(form: str, found, stdout: TextIO, seconds: float) -> None:
    if form == "dot":
        from ..outputs.explore_dot import to_dot
        from ..outputs.html import slug
        stdout.write("".join(to_dot(e, slug(f"{e.file}-{e.sort}")) for e in found))
        return
    from ..outputs import explore_text
    if form == "json":
        explore_text.write_json(found, stdout)
    else:
        explore_text.write_text(found, stdout, seconds)
