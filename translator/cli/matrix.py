"""`alignproof matrix PATH...`: the claims × readings table, and where two readings' wordings differ.

Arguments to one `Options` record, `pipeline.run` (keeping the programs, which
hold the readings), `premises.matrix.build` (the wordings compared through the
same solver stack), one writer (`outputs/matrix_text.py` for text and md,
`outputs/html_matrix.py` for html, the JSON document of LANGUAGE.md §6.2),
the exit status of §6.
"""
from __future__ import annotations

import argparse
import json
from typing import TextIO

from ..options import Options
from . import EXIT_FAILED, EXIT_INPUT, EXIT_OK
from .common import add_allow_import_outside, add_format, add_jobs, add_paths, add_timeout, jobs_of

MATRIX_FORMATS = ("text", "json", "md", "html")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Check every claim under base and each reading, print the claims x readings table, "
                          "and for each pair of readings and each definition they word differently, whether "
                          "the two wordings are equivalent under the shared axioms or a world where they differ.")
    add_paths(parser)
    add_format(parser, MATRIX_FORMATS, "text (default), json (LANGUAGE.md §6.2), md (Markdown tables), html (one page)")
    add_timeout(parser)
    parser.add_argument("--claim", action="append", default=[], metavar="NAME",
                        help="only this claim or example (repeatable); the wordings are compared all the same")
    add_jobs(parser, "check up to N queries at once in worker processes (default as for check)")
    add_allow_import_outside(parser, "let imports reach files outside the project")


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run `alignproof matrix`; returns 0 (every expectation met), 1 (one broken, or axioms in
    conflict) or 2 (bad input)."""
    from ..outputs.text import write_diagnostics
    from ..premises.reports import matrix_paths
    options = Options(timeout=args.timeout, claims=tuple(args.claim), allow_import_outside=args.allow_import_outside,
                      jobs=jobs_of(args.jobs))
    found = matrix_paths(args.paths, options)
    write_diagnostics(found.run, stderr)
    if args.format == "json":
        json.dump(found.to_json(), stdout, indent=2, ensure_ascii=False)
        stdout.write("\n")
    elif not found.input_error:
        _write(args.format, found.matrix, stdout)
    if found.input_error:
        return EXIT_INPUT
    return EXIT_OK if found.ok else EXIT_FAILED


def _write(form: str, matrix, stdout: TextIO) -> None:
    if form == "html":
        from ..outputs.html_matrix import page
        stdout.write(page(matrix))
    else:
        from ..outputs import matrix_text
        (matrix_text.write_md if form == "md" else matrix_text.write_text)(matrix, stdout)
