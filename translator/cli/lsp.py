"""`alignproof lsp`: the language server, over stdin and stdout, for editors and agents.

Arguments, the log, the streams, `lsp.server.serve`. The protocol owns
standard output: before serving, the process's own stdout (file descriptor
1) is pointed at the log, so nothing else this process or its worker
processes print can corrupt the channel. Without pygls and lsprotocol (the
`lsp` extra) it is an input error that says how to install them.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import TextIO

from . import EXIT_FAILED, EXIT_OK
from .common import add_allow_import_outside, add_timeout, input_error

INSTALL_HINT = "pip install 'alignproof[lsp]'"


EPILOG = """exit status:
  0    the client shut the server down, then told it to exit
  1    the client went away without shutting it down
  2    bad arguments, or pygls and lsprotocol are not installed
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Serve the Language Server Protocol over stdin and stdout: diagnostics as you\n"
                          "type, verdicts on save, hover, go to definition, document symbols, and a fix\n"
                          "for a missing bridge. Editors start it; see docs/commands.md.")
    parser.epilog = EPILOG
    parser.add_argument("--stdio", action="store_true",
                        help="talk over stdin and stdout (the default and only transport; editors pass it)")
    parser.add_argument("--log", default=None, metavar="FILE",
                        help="write the server's log to FILE instead of stderr")
    parser.add_argument("--debug", action="store_true", help="log every message (pygls's own log included)")
    add_timeout(parser)
    add_allow_import_outside(parser, "let imports reach files outside the project (as for check)")


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Serve one client until it exits; 0 after a proper shutdown, 1 when the client just went away."""
    try:
        import lsprotocol  # noqa: F401 - only to say it is missing
        import pygls  # noqa: F401
    except ImportError as missing:
        return input_error(f"the language server needs the pygls and lsprotocol packages ({missing})",
                           f"install them with: {INSTALL_HINT}", False, stdout, stderr)
    try:
        channel_in, channel_out = sys.stdin.buffer, os.fdopen(os.dup(stdout.fileno()), "wb")
    except (AttributeError, OSError, ValueError) as error:
        return input_error(f"the language server needs the process's stdin and stdout ({error})",
                           "run it as a command: alignproof lsp", False, stdout, stderr)
    try:
        _logging(args.log, args.debug)
    except OSError as error:
        return input_error(f"cannot write the log {args.log}: {error.strerror or error}",
                           "give --log a file in a folder you can write to", False, stdout, stderr)
    os.dup2(sys.stderr.fileno(), 1)  # the channel is `channel_out` now; fd 1 goes to the log
    sys.stdout = sys.stderr
    from ..lsp.server import serve
    finished = serve(channel_in, channel_out, args.timeout, args.allow_import_outside)
    return EXIT_OK if finished else EXIT_FAILED


def _logging(path: str | None, debug: bool) -> None:
    """The log: stderr (the client's log view), or FILE, which then receives stderr too."""
    if path is not None:
        handle = open(path, "a", encoding="utf-8")
        os.dup2(handle.fileno(), sys.stderr.fileno())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    logging.getLogger("alignproof").setLevel(logging.DEBUG if debug else logging.INFO)
