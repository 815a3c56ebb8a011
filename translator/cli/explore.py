"""`alignproof explore PATH...`: the implication diagram of the unary definitions over a sort, discovered.

Arguments to `premises.explore.ExploreOptions`, the front end
(`pipeline.front_end`), one exploration per file and sort, one writer
(text, JSON or Graphviz), the exit status of LANGUAGE.md §6: 0 the analysis
ran and every stated implication came out as its claim expects, 1 one did
not or the axioms are inconsistent, 2 bad input.
"""
from __future__ import annotations

import argparse
import json
import time
from typing import TextIO

from . import EXIT_FAILED, EXIT_INPUT, EXIT_OK
from .common import add_allow_import_outside, add_format, add_jobs, add_paths, add_timeout, count, input_error, jobs_of

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
    add_format(parser, FORMATS, "text (default) for people, json for programs, dot for the diagram's Graphviz source")
    add_timeout(parser)
    parser.add_argument("--rlimit", type=int, default=None, metavar="N",
                        help="deterministic solver resource limit per query (default: derived from --timeout)")
    add_jobs(parser, "ask up to N queries at once, in worker processes (default 1: each answer "
                     "chooses the next question, which needs the fewest)", default=1)
    add_allow_import_outside(parser, "let imports reach files outside the project")


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run `alignproof explore`; returns the exit status."""
    from ..check.checker import CheckOptions
    from ..outputs.text import write_diagnostics
    from ..premises.explore import ExploreOptions
    from ..premises.reports import explore_paths
    started = time.perf_counter()
    options = ExploreOptions(sort=args.sort, defs=args.defs, joins=args.joins, preds=args.preds, atoms=args.atoms,
                             check=CheckOptions(timeout=args.timeout, rlimit=args.rlimit), jobs=jobs_of(args.jobs))
    explored = explore_paths(args.paths, options, args.allow_import_outside)
    if explored.run.input_error:
        write_diagnostics(explored.run, stderr)
        if args.format == "json":
            _write_json(explored.to_json(), stdout)
        return EXIT_INPUT
    if explored.usage is not None:
        if args.format == "json":  # the explore document, its error the usage one `check` would give
            _write_json(explored.to_json(), stdout)
        return input_error(explored.usage.message, explored.usage.help or "", False, stdout, stderr)
    write_diagnostics(explored.run, stderr)
    _write(args.format, explored, stdout, time.perf_counter() - started)
    return EXIT_OK if explored.ok else EXIT_FAILED


def _write_json(document: dict, stdout: TextIO) -> None:
    json.dump(document, stdout, indent=2, ensure_ascii=False)
    stdout.write("\n")


def _write(form: str, explored, stdout: TextIO, seconds: float) -> None:
    found = explored.explorations
    if form == "dot":
        from ..outputs.explore_dot import to_dot
        from ..outputs.html import slug
        stdout.write("".join(to_dot(e, slug(f"{e.file}-{e.sort}")) for e in found))
    elif form == "json":
        _write_json(explored.to_json(), stdout)
    else:
        from ..outputs import explore_text
        explore_text.write_text(found, stdout, seconds)
