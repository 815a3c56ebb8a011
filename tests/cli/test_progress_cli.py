"""Progress and quiet on the command line: a terminal's stderr gets the progress line, which is erased
when the run is done; stdout, and every non-terminal stream, stay exactly as the golden files say;
`--quiet` prints only the failures and the summary."""
from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from translator.cli import dispatch
from translator.outputs.terminal import ERASE

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.align"))
TIME = re.compile(r"\d+\.\d+s\b")
# One drawing of the progress line: each is followed by the next, and the last only erases it.
FRAME = re.compile(r"\r\x1b\[K(?:\[\d+/\d+\] [^\r\n\x1b]*(?=\r\x1b\[K))?")
NOT_ASKED = {"inconsistent"}  # every program's axioms conflict: no claim is asked, none is shown running


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _golden(name: str) -> tuple[int, str, str]:
    text = (GOLDEN / f"{name}.out").read_text(encoding="utf-8")
    head, rest = text.split("\n--- stdout\n", 1)
    out, err = rest.split("--- stderr\n", 1)
    return int(head.split()[1]), out, err


def _run(argv: list[str], stderr: io.StringIO, stdout: io.StringIO | None = None) -> tuple[int, str, str]:
    stdout = stdout or io.StringIO()
    cwd = os.getcwd()
    os.chdir(GOLDEN)
    try:
        status = dispatch(argv, stdout, stderr)
    finally:
        os.chdir(cwd)
    return status, TIME.sub("#s", stdout.getvalue()), stderr.getvalue()


@pytest.mark.parametrize("name", CASES)
def test_a_terminal_stderr_gets_progress_and_stdout_stays_golden(name, monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    status, out, err = _run(["check", f"{name}.align"], Tty())
    expected_status, expected_out, expected_err = _golden(name)
    assert (status, out) == (expected_status, expected_out)
    frames = FRAME.findall(err)
    if "nothing was checked" in expected_err:  # an input error: no claim was checked
        assert frames == [] and err == expected_err
        return
    assert frames[0].startswith(ERASE + "[0/") and " claims" in frames[0]
    assert any(" · checking " in f and f"{name}.align: " in f for f in frames) or name in NOT_ASKED
    assert frames[-1] == ERASE  # erased before anything else is written
    assert FRAME.sub("", err) == expected_err
    assert err.rindex(frames[-1]) + len(ERASE) == len(err) - len(expected_err)


@pytest.mark.parametrize("name", CASES)
def test_quiet_prints_the_failures_and_the_summary(name):
    expected_status, full, expected_err = _golden(name)
    status, out, err = _run(["check", "--quiet", f"{name}.align"], Tty())
    assert status == expected_status and err == expected_err  # errors as ever, and no progress
    lines = out.splitlines()
    assert not [line for line in lines if line.startswith("  ok ")]  # the marks of a stream without UTF-8
    assert [line for line in lines if line.startswith("  FAIL ")] == \
        [line for line in full.splitlines() if line.startswith("  FAIL ")]
    if "nothing was checked" not in expected_err:
        assert lines[-1] == full.splitlines()[-1] and " checked: " in lines[-1]
    remaining = iter(full.splitlines())
    assert all(line in remaining for line in lines)  # in the same order, nothing new


def test_quiet_output_of_an_inconsistent_spec():
    status, out, _ = _run(["check", "-q", "inconsistent.align", "bounded.align"], io.StringIO())
    assert status == 1
    assert out == ("inconsistent.align\n"
                   "  FAIL claim anything: unknown  (expected proved)  #s\n"
                   "      reason: the axioms are inconsistent: all_p, c_not_p\n"
                   "4 checked: 3 ok, 1 failed; 1 error (#s)\n")


def test_quiet_leaves_machine_formats_whole():
    _, plain, _ = _run(["check", "--format", "json", "bounded.align"], io.StringIO())
    _, quiet, _ = _run(["check", "--format", "json", "--quiet", "bounded.align"], io.StringIO())
    assert re.sub(r'"seconds": [0-9.]+', "", quiet) == re.sub(r'"seconds": [0-9.]+', "", plain)


def test_report_shows_progress_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    status, out, err = _run(["report", "bounded.align", "-o", str(tmp_path / "r.html")], Tty())
    assert status == 0 and "wrote" in out
    frames = FRAME.findall(err)
    assert frames[0].startswith(ERASE + "[0/3] claims") and frames[-1] == ERASE


# ---------------------------------------------------------------- a real terminal

def _read_all(fd: int, process: subprocess.Popen, limit: float = 120.0) -> bytes:
    """Everything written to the pty until the process ends and the pty is drained."""
    data = b""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            data += chunk
        elif process.poll() is not None:
            break
    return data


def _process(argv: list[str], stderr) -> subprocess.Popen:
    env = dict(os.environ, TERM="xterm", PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "translator", *argv], cwd=GOLDEN, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=stderr, env=env)


def _on_a_pty(argv: list[str]) -> tuple[int, str, str]:
    """The real command with stderr on a pseudo-terminal and stdout on a pipe."""
    master, slave = pty.openpty()
    process = _process(argv, slave)
    os.close(slave)
    try:
        err = _read_all(master, process)
        out = process.stdout.read() if process.stdout else b""
        status = process.wait(timeout=120)
    finally:
        os.close(master)
        if process.stdout:
            process.stdout.close()
    return status, TIME.sub("#s", out.decode()), err.decode().replace("\r\n", "\n")


def _on_pipes(argv: list[str]) -> tuple[int, str, str]:
    """The same command as a script runs it: both streams on pipes."""
    process = _process(argv, subprocess.PIPE)
    out, err = process.communicate(timeout=120)
    return process.returncode, TIME.sub("#s", out.decode()), err.decode()


@pytest.mark.parametrize("name", ["diagram_core", "vacuous_and_inconsistent"])
def test_progress_on_a_real_terminal_is_on_stderr_and_erased(name):
    status, out, err = _on_a_pty(["check", f"{name}.align"])
    expected = _on_pipes(["check", f"{name}.align"])
    assert FRAME.findall(expected[2]) == []  # a pipe gets no progress
    assert (status, out) == expected[:2]  # stdout is a pipe: not a byte of progress
    frames = FRAME.findall(err)
    assert frames and frames[0].startswith(ERASE + "[0/") and frames[-1] == ERASE
    assert any(f" · checking {name}.align: " in f for f in frames)
    assert FRAME.sub("", err) == expected[2]


def test_quiet_on_a_real_terminal_draws_nothing():
    status, out, err = _on_a_pty(["check", "--quiet", "bounded.align"])
    expected = _on_pipes(["check", "bounded.align"])
    assert status == expected[0] and "\x1b[K" not in err
    assert out == expected[1].splitlines(True)[-1]  # every claim met its expectation: the summary alone
