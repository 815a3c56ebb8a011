"""The command line: `alignproof COMMAND ...`, one module per command (`COMMANDS`).

Each command is a module of this package with `configure(parser)` (its
arguments) and `run(args, stdout, stderr) -> exit status`, and one line in
`COMMANDS`; only the command being run is imported (ARCHITECTURE.md, "Adding
a command"). Handlers take their streams and return the exit status, so
tests call `dispatch` without a subprocess. `main` adds what only a real
process needs: Ctrl-C handling, a last
guard so that no input ever ends in a Python traceback, and a quick exit.
Importing this package costs nothing beyond Python itself.
"""
from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from typing import TextIO

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130

COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check", "check spec files and directories"),
    "report": ("report", "check, then write one self-contained HTML page of the results"),
    "audit": ("audit", "examine every premise: independence, premise sets, circularity"),
    "suggest": ("suggest", "propose verified premises that would prove a refuted claim"),
    "lsp": ("lsp", "serve the Language Server Protocol over stdio (editors, agents)"),
    "explore": ("explore", "discover what implies what among the definitions over a sort"),
    "matrix": ("matrix", "claims x readings, and where two readings differ"),
}
"""Each command: the module of this package that runs it, and its line in `alignproof --help`."""


def dispatch(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Parse `argv` and run the command; usage errors follow the requested format."""
    from .common import run_command
    return run_command(list(argv), stdout, stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `alignproof` command. Without `argv` it is the whole process: it reads
    `sys.argv` and ends the process itself once the output is flushed (skipping the interpreter's
    slow tear-down of every module, bench/RESULTS.md)."""
    process = argv is None
    if process:
        _supervised()
    status = _guarded(sys.argv[1:] if argv is None else argv)
    if process:
        _quick_exit(status)
    return status


def _supervised() -> None:
    """Where `fork` exists: the command runs in a child process, and this one only waits for it and
    answers Ctrl-C at once (message, exit 130, the child ended). A solver that holds the
    interpreter's lock for a whole check (cvc5's Python binding does) would otherwise keep the
    thread that answers Ctrl-C waiting until its time limit. Returns in the child; the parent ends
    with the child's exit status. Nothing is imported or started before the fork."""
    if not hasattr(os, "fork"):
        return
    import signal
    try:
        child = os.fork()
    except OSError:
        return  # no process to spare: the command runs here, Ctrl-C as below
    if child == 0:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent's to answer
        from ..solvers.workers import die_with_parent
        die_with_parent()
        return
    try:
        _, status = os.waitpid(child, 0)
    except KeyboardInterrupt:
        os.kill(child, signal.SIGKILL)
        print("\nalignproof: interrupted; no result is final", file=sys.stderr)
        os._exit(EXIT_INTERRUPTED)
    code = os.waitstatus_to_exitcode(status)
    os._exit(code if code >= 0 else 128 - code)


def _guarded(argv: Sequence[str]) -> int:
    box: dict = {}

    def work() -> None:
        try:
            box["status"] = dispatch(argv, sys.stdout, sys.stderr)
        except BaseException as err:  # noqa: BLE001 - the last guard: report, never a traceback
            box["error"] = err

    # The work runs in a thread so that this one can answer Ctrl-C at once. No stage recurses on
    # the input's depth (ARCHITECTURE.md), so neither a large stack nor a raised recursion limit.
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


def _quick_exit(status: int) -> None:
    """End the process now: every file written is closed, every worker ended; only the streams
    are left to flush."""
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        status = EXIT_FAILED if status == EXIT_OK else status
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(status)


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
