"""`%%align`: check a notebook cell's text as a spec, with IPython (`%load_ext translator`).

A front door beside the command line, over `api.check_text`: the cell's text is
checked as the file `<cell>.align` in the working directory (so its imports
name files from there), and the cell's value is the `Run`, which the
notebook shows as verdict tables and model pictures (`Run._repr_html_`).
The magic's line takes a few of `check`'s options; a bad one is a usage
error IPython prints, never a traceback. IPython is imported only by the
notebook that loads the extension; alignproof does not depend on it.
"""
from __future__ import annotations

import argparse
import shlex
from typing import Any

from .api import check_text
from .check.results import Run

CELL_NAME = "<cell>.align"
"""The path a cell is checked under, unless `--name` gives one."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would end the process
        from IPython.core.error import UsageError
        raise UsageError(f"%%align: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="%%align", add_help=False,
                     description="check the cell's text as a spec; the cell's value is the Run")
    parser.add_argument("--claim", action="append", default=[], metavar="NAME",
                        help="check only this claim or example (repeatable)")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="per query (default 10)")
    parser.add_argument("--name", default=CELL_NAME, metavar="PATH",
                        help=f"the path the cell is checked as (default {CELL_NAME}); imports are relative to it")
    parser.add_argument("--all-symbols", action="store_true",
                        help="show every symbol and sort of a model, not only those the claim depends on")
    parser.add_argument("--as", dest="variable", default=None, metavar="VAR",
                        help="also store the Run in this variable of the notebook")
    return parser


def align(line: str, cell: str, namespace: dict[str, Any] | None = None) -> Run:
    """The cell magic: check `cell` as `line`'s options say, and return the `Run`."""
    try:
        words = shlex.split(line)
    except ValueError as err:
        _Parser().error(str(err))
    args = _parser().parse_args(words)
    if args.timeout is not None and args.timeout <= 0:
        _Parser().error("--timeout must be positive")
    run = check_text(cell, claims=args.claim, timeout=args.timeout, name=args.name, all_symbols=args.all_symbols)
    if args.variable is not None and namespace is not None:
        namespace[args.variable] = run
    return run


def register(ipython: Any) -> None:
    """Add `%%align` to a running IPython (`load_ipython_extension`)."""
    def cell_magic(line: str, cell: str) -> Run:
        return align(line, cell, ipython.user_ns)
    cell_magic.__doc__ = _parser().format_help()
    ipython.register_magic_function(cell_magic, magic_kind="cell", magic_name="align")
