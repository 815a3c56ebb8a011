"""The progress protocol (translator/progress.py), driven by the real checker stack, and its terminal
display (outputs/terminal.py) on a fake terminal."""
from __future__ import annotations

import io
import threading

import pytest

from translator.outputs.terminal import ERASE, TerminalProgress, for_stream, is_terminal
from translator.pipeline import Options, run
from translator.progress import SILENT, Progress, claim_step

SPEC = """\
sort A
pred p: A
pred q: A
axiom pq: forall a: A. p(a) -> q(a)
claim one: forall a: A. p(a) -> q(a)
claim two: forall a: A. q(a) -> p(a)
  expect counterexample
example three: exists a: A. p(a)
"""
CLASH = "sort A\npred p: A\nconst c: A\naxiom all_p: forall a: A. p(a)\naxiom not_c: not p(c)\nclaim x: p(c)\n"


class Tty(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Events(Progress):
    """Every state the listener went through, as (done, total, running steps)."""

    def __init__(self) -> None:
        super().__init__()
        self.states: list[tuple[int, int, tuple[str, ...]]] = []
        self.began: list[str] = []
        self.closed = 0

    def begin(self, step: str) -> None:
        self.began.append(step)
        super().begin(step)

    def changed(self) -> None:
        self.states.append((self.done, self.total, tuple(self.running)))

    def finished(self) -> None:
        self.closed += 1


@pytest.fixture()
def spec(tmp_path):
    path = tmp_path / "small.align"
    path.write_text(SPEC, encoding="utf-8")
    return str(path)


def _steps(path: str) -> list[str]:
    return [claim_step(path, name) for name in ("one", "two", "three")]


# ---------------------------------------------------------------- the protocol

def test_the_base_counts_each_step_once_and_is_thread_safe():
    progress = Events()
    progress.start(400, "claims")
    threads = [threading.Thread(target=lambda k=k: [progress.end(f"s{(k * 100 + i) % 200}") for i in range(100)])
               for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert progress.done == 200 and progress.total == 400 and not progress.running


def test_a_step_runs_between_begin_and_end():
    progress = Events()
    progress.start(2, "claims")
    with progress.step("a"):
        progress.begin("b")
        assert list(progress.running) == ["a", "b"]
    progress.end("b")
    progress.end("b")
    progress.begin("a")  # an ended step does not run again
    assert progress.done == 2 and not progress.running
    progress.finish()
    assert progress.closed == 1


def test_silent_keeps_nothing():
    with SILENT.step("a"):
        SILENT.end("b")
    assert SILENT.done == 0 and not SILENT.running


# ---------------------------------------------------------------- driven by the stack

@pytest.mark.parametrize("jobs", [1, 2], ids=["in-process", "pool"])
def test_every_claim_is_begun_by_the_solver_and_ended(spec, jobs):
    progress = Events()
    outcome = run([spec], Options(jobs=jobs), progress=progress)
    assert outcome.ok and len(outcome.results) == 3
    assert sorted(set(progress.began)) == sorted(_steps(spec))  # the solver said when each started
    assert progress.states[0] == (0, 3, ())
    assert progress.states[-1][:2] == (3, 3) and progress.closed == 1
    counts = [done for done, _, _ in progress.states]
    assert counts == sorted(counts)
    running = [state for state in progress.states if state[2]]
    assert running and all(set(r[2]) <= set(_steps(spec)) for r in running)


def test_claims_confirmed_from_records_are_reported(spec, tmp_path):
    (tmp_path / ".git").mkdir()  # the project, where proofs/ is written
    run([spec], Options(record=True))
    progress = Events()
    outcome = run([spec], Options(cached=True), programs_needed=True, progress=progress)
    assert all(r.cached for r in outcome.results)
    assert sorted(set(progress.began)) == sorted(_steps(spec)) and progress.done == 3


def test_a_program_whose_axioms_conflict_still_ends_its_claims(tmp_path):
    path = tmp_path / "clash.align"
    path.write_text(CLASH, encoding="utf-8")
    progress = Events()
    outcome = run([str(path)], Options(), progress=progress)
    assert outcome.diagnostics and progress.began == []  # no query was asked
    assert (progress.done, progress.total) == (1, 1) and progress.closed == 1


def test_only_the_claims_asked_for_are_counted(spec):
    progress = Events()
    run([spec], Options(claims=("two",)), progress=progress)
    assert progress.began == [claim_step(spec, "two")] and (progress.done, progress.total) == (1, 1)


def test_an_input_error_starts_no_progress(tmp_path):
    path = tmp_path / "bad.align"
    path.write_text("claim: ???\n", encoding="utf-8")
    progress = Events()
    assert run([str(path)], Options(), progress=progress).input_error
    assert progress.states == [] and progress.closed == 0


# ---------------------------------------------------------------- the terminal line

def test_the_line_is_drawn_in_place_and_erased(spec):
    stream = Tty()
    display = TerminalProgress(stream)
    display.columns = 400
    run([spec], Options(), progress=display)
    text = stream.getvalue()
    frames = text.split(ERASE)
    assert frames[0] == "" and frames[-1] == ""  # every frame redraws the line; the last erases it
    assert frames[1] == "[0/3] claims"
    assert f"[0/3] claims · checking {spec}: one" in frames
    assert "[3/3] claims" in frames and "\n" not in text


def test_the_line_fits_the_terminal():
    display = TerminalProgress(Tty())
    display.columns = 30
    display.start(300, "claims")
    display.begin("spec/a_rather_long_file_name.align: a_long_claim")
    display.begin("spec/b.align: other")
    assert display.line() == "[0/300] claims · checking …im"
    display.columns = 60
    assert display.line() == "[0/300] claims · checking …me.align: a_long_claim (+1 more)"
    assert len(display.line()) == 59
    display.columns = 10
    assert display.line() == "[0/300] c"
    display.columns = 200
    assert display.line().endswith("a_long_claim (+1 more)")


def test_only_a_terminal_gets_a_display(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    assert isinstance(for_stream(Tty()), TerminalProgress)
    assert for_stream(Tty(), quiet=True) is None
    assert for_stream(io.StringIO()) is None
    monkeypatch.setenv("TERM", "dumb")
    assert not is_terminal(Tty())
