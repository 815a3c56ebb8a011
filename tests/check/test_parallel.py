"""`--jobs N`: the queries spread over worker processes, the report the same as `--jobs 1`."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from translator.check import parallel
from translator.check.checker import CheckOptions, ProgramChecker, check_program
from translator.check.parallel import Pool, default_jobs, processors
from translator.check.stack import InProcess, Job, solver
from translator.cli import dispatch
from translator.pipeline import Options, front_end

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
FILES = ("bounded.align", "diagram_core.align", "finite_and_numbers.align", "inconsistent.align")


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def untimed_json(text: str) -> dict:
    doc = json.loads(text)
    for result in doc["results"]:
        result.pop("seconds")
    return doc


def untimed_text(text: str) -> str:
    return re.sub(r"\d+\.\d+s\b", "Ts", text)


def test_jobs_gives_the_same_report(tmp_path):
    for name in FILES:
        shutil.copy(GOLDEN / name, tmp_path / name)
    serial = cli("check", "--format", "json", "--jobs", "1", str(tmp_path))
    pooled = cli("check", "--format", "json", "--jobs", "3", str(tmp_path))
    assert serial[0] == pooled[0] == 1  # inconsistent.align fails, in both
    assert untimed_json(serial[1]) == untimed_json(pooled[1]) and serial[2] == pooled[2]
    serial = cli("check", "--jobs", "1", str(tmp_path))
    pooled = cli("check", "--jobs", "2", str(tmp_path))
    assert untimed_text(serial[1]) == untimed_text(pooled[1]) and serial[2] == pooled[2]


def jobs_of(program, recorded=None) -> Job:
    return Job(program, CheckOptions(), tuple(q.name for q in program.queries), recorded or {})


def test_workers_take_the_tail_and_change_nothing(monkeypatch):
    """This process answers from the head, a worker from the tail; the outcome is check_program's."""
    programs, _, _ = front_end([str(ROOT / "spec" / "hubinger.align")])
    (program,) = programs
    monkeypatch.setattr(parallel, "WORTH_A_WORKER", 0.0)  # a worker at once, however little the work
    monkeypatch.setattr(parallel.Pool, "_idle_processors", lambda self: 2.0)  # however busy the machine
    here = parallel.Pool._next_here
    # this process waits for the worker's first answer, so that both surely answer some
    monkeypatch.setattr(parallel.Pool, "_next_here", lambda self, wanted: here(self, wanted)
                        if self.answered_there else None)
    job = jobs_of(program)
    with Pool(2) as pool:
        pool.plan([job])
        assert len(pool.tasks) == len(job.names) + 1  # the consistency test, then each query
        pooled = pool.outcome(job)
        assert pool.answered_there >= 1 and pool.answered_here >= 1
        assert len(pool.workers) == 1  # --jobs 2: this process and one worker
    serial = check_program(program, CheckOptions(), job.names)
    assert [replace(r, seconds=0) for r in pooled.results] == [replace(r, seconds=0) for r in serial.results]


def test_an_inconsistent_program_is_settled_after_its_queries():
    """Queries may run before the consistency verdict is known; an inconsistency still wins."""
    programs, _, _ = front_end([str(GOLDEN / "inconsistent.align")])
    (program,) = programs
    job = jobs_of(program)
    with Pool(2) as pool:
        pool.plan([job])
        pooled = pool.outcome(job)
    serial = check_program(program, CheckOptions(), job.names)
    assert pooled.inconsistency == serial.inconsistency is not None
    assert [r.verdict for r in pooled.results] == [r.verdict for r in serial.results]
    assert all(r.verdict.value == "unknown" for r in pooled.results)


def test_a_consistency_warning_is_added_where_check_program_adds_it():
    programs, _, _ = front_end([str(GOLDEN / "diagram_core.align")])
    (program,) = programs
    checker = ProgramChecker(program)
    answers = [checker.answer(q.name) for q in program.queries]
    from translator.check.checker import Consistency
    settled = checker.settle(Consistency(warning="W"), answers).results
    for before, after in zip(answers, settled):
        warned = before.verdict.value in ("proved", "bounded", "none")
        assert (after.warnings[-1:] == ("W",)) == warned
    assert any(r.verdict.value == "proved" for r in answers) and any(r.verdict.value == "none" for r in answers)


def test_small_work_stays_in_process():
    programs, _, _ = front_end([str(GOLDEN / "diagram_core.align")])
    (program,) = programs
    job = jobs_of(program)
    with Pool(4) as pool:
        pool.plan([job])
        pool.outcome(job)
        assert pool.workers == [] and pool.answered_here == len(pool.tasks)
    assert isinstance(solver(Options(jobs=1)), InProcess)


def test_jobs_defaults_to_the_processors(monkeypatch):
    monkeypatch.delenv("ALIGNPROOF_JOBS", raising=False)
    assert default_jobs() == processors() >= 1
    monkeypatch.setenv("ALIGNPROOF_JOBS", "3")
    assert default_jobs() == 3
    monkeypatch.setenv("ALIGNPROOF_JOBS", "many")  # not a number: ignored
    assert default_jobs() == processors()


def test_jobs_zero_means_one_per_processor():
    status, out, _ = cli("check", "--jobs", "0", "--format", "json", str(GOLDEN / "bounded.align"))
    assert status in (0, 1) and json.loads(out)["results"]


@pytest.mark.parametrize("value", ["-1", "two", "1.5"])
def test_jobs_rejects_what_is_not_a_count(value):
    status, _, err = cli("check", "--jobs", value, str(GOLDEN / "bounded.align"))
    assert status == 2 and "--jobs" in err


def test_workers_that_cannot_start_leave_the_work_to_this_process(monkeypatch):
    """With --jobs nothing is lost (this process answers); under --isolate each task says why."""
    from translator.options import Limits
    from translator.solvers import workers

    def no_process(*args, **kwargs):
        raise OSError("no processes left")

    monkeypatch.setattr(workers, "start", no_process)
    monkeypatch.setattr(parallel, "WORTH_A_WORKER", 0.0)
    monkeypatch.setattr(parallel.Pool, "_idle_processors", lambda self: 2.0)
    programs, _, _ = front_end([str(GOLDEN / "bounded.align")])
    (program,) = programs
    job = jobs_of(program)
    with Pool(2) as pool:
        spread = pool.outcome(job)
    serial = check_program(program, CheckOptions(), job.names)
    assert [replace(r, seconds=0) for r in spread.results] == [replace(r, seconds=0) for r in serial.results]
    with Pool(2, Limits(cpu_seconds=5)) as pool:
        fenced = pool.outcome(job)
    assert all(r.verdict.value == "unknown" and "no processes left" in r.reason for r in fenced.results)


def test_no_worker_joins_on_a_busy_machine(monkeypatch):
    """A worker only helps on a processor nothing else uses; without one, this process does it all."""
    monkeypatch.setattr(parallel, "WORTH_A_WORKER", 0.0)
    monkeypatch.setattr(os, "getloadavg", lambda: (float(processors()), 0.0, 0.0))
    programs, _, _ = front_end([str(GOLDEN / "bounded.align")])
    (program,) = programs
    job = jobs_of(program)
    with Pool(processors() + 1) as pool:
        assert pool._idle_processors() < 0.5
        pool.outcome(job)
        assert pool.workers == [] and pool.answered_here == len(pool.tasks)
