"""What every command shares: the top parser, argument types and options, exit statuses, input errors.

`run_command` builds the top parser with one sub-parser per entry of
`COMMANDS`, imports and configures only the command named in `argv`, parses,
and runs it. A command module adds its arguments with the helpers here, so
that options shared by several commands are spelled and explained once.
"""
from __future__ import annotations

import argparse
import importlib
import json
from collections.abc import Sequence
from types import ModuleType
from typing import TextIO

from .. import __version__
from . import COMMANDS, EXIT_FAILED, EXIT_INPUT, EXIT_OK

EPILOG = """exit status:
  0    every result met its expectation
  1    some result did not (a failed claim, an unmet expectation, an unknown),
       or the axioms are inconsistent, or (with --strict-records) a result
       drifted from its proof record in proofs/, or (with --cross-check)
       the second solver contradicts the first, or (with --strict and the
       CI formats) the consistency of the axioms is undecided
  2    the input could not be checked: file not found, parse error, type
       error, import error, or bad arguments (or --cross-check, --solver cvc5
       or --solver portfolio without cvc5)
  130  interrupted (Ctrl-C); no partial result is reported as final
"""


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would exit; we report like any other input error
        raise UsageError(message)


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"{__package__}.{COMMANDS[name][0]}")


def build_parser(argv: Sequence[str] = ()) -> tuple[argparse.ArgumentParser, ModuleType | None]:
    """The top parser, with the arguments of the command `argv` names (if it names one) and its module."""
    parser = Parser(prog="alignproof", description="Check .align specifications with the Z3 solver.",
                    epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"alignproof {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    named = next((a for a in argv if not a.startswith("-")), None)
    chosen = None
    for name, (_, help) in COMMANDS.items():
        command = sub.add_parser(name, help=help, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
        if name == named:
            chosen = command_module(name)
            chosen.configure(command)
    return parser, chosen


def run_command(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    parser, module = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except UsageError as err:
        return usage_error(str(err), argv, parser, stdout, stderr)
    if args.command is None or module is None:
        parser.print_help(stderr)
        return EXIT_INPUT
    return module.run(args, stdout, stderr)


def exit_status(run) -> int:
    """0 every result met its expectation; 1 some did not, an error, or drift under
    --strict-records; 2 the input could not be checked."""
    if run.input_error:
        return EXIT_INPUT
    return EXIT_OK if run.ok and not run.drift_fails else EXIT_FAILED


# ---------------------------------------------------------------- argument types

def _whole(text: str, least: int, meaning: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be {meaning}, not {text}")
    return value


def count(text: str) -> int:
    return _whole(text, 1, "at least 1")


def positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def jobs(text: str) -> int:
    """`--jobs N`; 0 is one per processor (resolved when the stack is built: `jobs_of`)."""
    return _whole(text, 0, "0 (one per processor) or more")


def jobs_of(value: int | None) -> int:
    """The number of jobs `--jobs` asks for: given, 0 for one per processor, absent for the default."""
    from ..options import default_jobs, processors
    if value is None:
        return default_jobs()
    return value or processors()


# ---------------------------------------------------------------- shared options

def add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a .align file, or a directory searched for *.align")


def add_format(parser: argparse.ArgumentParser, choices: Sequence[str], help: str) -> None:
    parser.add_argument("--format", choices=choices, default="text", help=help)


def add_jobs(parser: argparse.ArgumentParser, help: str, default: int | None = None) -> None:
    """`--jobs N` (`jobs`); absent is `default`, None for `jobs_of`'s default."""
    parser.add_argument("--jobs", type=jobs, default=default, metavar="N", help=help)


def add_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=positive, default=10.0, metavar="SECONDS",
                        help="per solver query (default 10)")


def add_solver(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--solver", choices=("z3", "cvc5", "portfolio"), default=None,
                        help="who answers: z3, cvc5, or the portfolio that asks both, z3 first (default: "
                             "portfolio where cvc5 is installed, else z3)")


def add_allow_import_outside(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--allow-import-outside", action="store_true", help=help)


def add_quiet(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help=help)


def progress_of(stderr: TextIO, quiet: bool = False):
    """The progress display for a run whose errors go to `stderr`: a line on it when it is a terminal
    (and not `quiet`), else nothing is shown (`translator/progress.py`, `outputs/terminal.py`)."""
    from ..outputs.terminal import for_stream
    from ..progress import SILENT
    return for_stream(stderr, quiet) or SILENT


# ---------------------------------------------------------------- errors before anything is checked

def usage_error(message: str, argv: Sequence[str], parser: argparse.ArgumentParser, stdout: TextIO,
                stderr: TextIO) -> int:
    named = next((a for a in argv if not a.startswith("-")), None)
    where = f"alignproof {named}" if named in COMMANDS else "alignproof"
    help = f"{parser.format_usage().strip()}; see {where} --help"
    return input_error(message, help, wants_json(argv), stdout, stderr)


def input_error(message: str, help: str, as_json: bool, stdout: TextIO, stderr: TextIO) -> int:
    """An error before anything is checked (bad arguments, a missing package): exit status 2."""
    print(f"alignproof: error: {message}", file=stderr)
    print(f"  = help: {help}", file=stderr)
    if as_json:
        from ..frontend.diagnostics import Diagnostic
        doc = {"results": [], "errors": [Diagnostic("usage", message, path="alignproof", help=help).to_json()],
               "summary": {"total": 0, "ok": 0, "failed": 0}}
        json.dump(doc, stdout, indent=2)
        stdout.write("\n")
    return EXIT_INPUT


def wants_json(argv: Sequence[str]) -> bool:
    argv = list(argv)
    return "--format=json" in argv or any(a == "--format" and b == "json" for a, b in zip(argv, argv[1:]))
