"""`--isolate`: each query in a worker process with memory and CPU limits.

A query that exhausts its limits, or whose solver process dies, is `unknown`
with the reason; the other queries are still answered.
"""
from __future__ import annotations

import io
import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from translator.check.checker import CheckOptions
from translator.check.parallel import Pool
from translator.check.stack import Job
from translator.cli import dispatch
from translator.options import Limits
from translator.pipeline import front_end

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="--isolate's limits are tested on Linux (setrlimit, signals)")

# Robbins' axioms: whether they imply Huntington's was open for 60 years, and Z3
# does not settle it in seconds; the two small claims are immediate.
ROBBINS = """\
sort U
fun plus: U, U -> U
fun neg: U -> U
axiom comm: forall x, y: U. plus(x, y) = plus(y, x)
axiom assoc: forall x, y, z: U. plus(plus(x, y), z) = plus(x, plus(y, z))
axiom robbins: forall x, y: U. neg(plus(neg(plus(x, y)), neg(plus(x, neg(y))))) = x
claim before: forall x, y: U. plus(x, y) = plus(y, x)
claim huntington: forall x, y: U. plus(neg(plus(neg(x), y)), neg(plus(neg(x), neg(y)))) = x
claim after: forall x, y, z: U. plus(x, plus(y, z)) = plus(plus(z, y), x)
"""

def check(path: Path, *options: str) -> tuple[int, dict]:
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(["check", "--format", "json", *options, str(path)], out, err)
    return status, {r["name"]: r for r in json.loads(out.getvalue())["results"]}


def test_a_query_past_its_cpu_time_is_unknown_and_the_rest_goes_on(tmp_path):
    spec = tmp_path / "robbins.align"
    spec.write_text(ROBBINS)
    status, results = check(spec, "--isolate", "--jobs", "1", "--timeout", "600", "--cpu-limit", "2")
    assert status == 1
    assert results["before"]["verdict"] == results["after"]["verdict"] == "proved"
    hard = results["huntington"]
    assert hard["verdict"] == "unknown"
    assert "CPU time" in hard["reason"] and "2 s" in hard["reason"]
    assert hard["seconds"] >= 1.5  # it ran until the limit, not failed at once


def test_a_query_out_of_memory_is_unknown_and_the_rest_goes_on(tmp_path):
    # Z3's search on Robbins' question grows past 150 MiB within seconds; the small claims need little.
    spec = tmp_path / "robbins.align"
    spec.write_text(ROBBINS)
    status, results = check(spec, "--isolate", "--jobs", "2", "--timeout", "600", "--memory-limit", "150",
                            "--solver", "z3")
    assert status == 1
    assert results["before"]["verdict"] == results["after"]["verdict"] == "proved"
    assert results["huntington"]["verdict"] == "unknown" and "memory" in results["huntington"]["reason"]


def golden_program(name: str):
    programs, _, _ = front_end([str(Path(__file__).resolve().parents[1] / "golden" / name)])
    (program,) = programs
    return program


HANG_GUARD = 600
"""Seconds to wait for a worker to take its task or to end before the test fails: a guard against
a hang, not a claim about speed (a loaded machine may take long)."""


def job_of(program, names=None) -> Job:
    return Job(program, CheckOptions(), tuple(names or (q.name for q in program.queries)))


def test_a_worker_that_dies_costs_only_its_task():
    """A solver crash, played by a signal: the task is reported, a new worker takes the next."""
    program = golden_program("diagram_core.align")
    job = job_of(program, [program.queries[0].name])
    with Pool(1, Limits(memory_mib=4096)) as pool:
        pool.plan([job])
        deadline = time.monotonic() + HANG_GUARD
        while not any(w.task is not None for w in pool.workers) and time.monotonic() < deadline:
            time.sleep(0.01)
        (worker,) = pool.workers
        assert worker.task == 0  # the consistency test
        os.kill(worker.process.pid, signal.SIGSEGV)
        (result,) = pool.outcome(job).results
        assert result.verdict.value != "unknown" and "SIGSEGV" in result.warnings[-1]
        assert pool.workers[0].process.pid != worker.process.pid


def test_isolated_results_equal_in_process_ones():
    program = golden_program("bounded.align")
    from dataclasses import replace

    from translator.check.checker import check_program
    job = job_of(program)
    with Pool(1, Limits(memory_mib=4096, cpu_seconds=60)) as pool:
        isolated = pool.outcome(job)
    plain = check_program(program, CheckOptions(), job.names)
    assert [replace(r, seconds=0) for r in isolated.results] == [replace(r, seconds=0) for r in plain.results]


def test_limits_are_checked_as_arguments(tmp_path):
    spec = tmp_path / "a.align"
    spec.write_text("claim c: true\n")
    for bad in (["--memory-limit", "0"], ["--cpu-limit", "-1"]):
        out, err = io.StringIO(), io.StringIO()
        assert dispatch(["check", "--isolate", *bad, str(spec)], out, err) == 2
        assert bad[0] in err.getvalue()


def test_workers_end_with_the_run():
    with Pool(2, Limits(cpu_seconds=30)) as pool:
        pool.outcome(job_of(golden_program("bounded.align")))
        processes = [w.process for w in pool.workers]
    deadline = time.monotonic() + HANG_GUARD
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes and not any(p.is_alive() for p in processes)


def test_a_memory_limit_too_small_to_start_a_worker_is_said_without_a_traceback(tmp_path, capfd):
    spec = tmp_path / "small.align"
    spec.write_text("sort S\npred p: S\nclaim c: forall x: S. p(x) -> p(x)\n")
    status, results = check(spec, "--isolate", "--jobs", "1", "--memory-limit", "20")
    assert status == 1
    reason = results["c"]["reason"]
    assert results["c"]["verdict"] == "unknown"
    assert "could not start" in reason and "--memory-limit" in reason, reason
    assert "Traceback" not in capfd.readouterr().err


def test_a_small_memory_limit_that_can_hold_a_worker_answers(tmp_path, capfd):
    spec = tmp_path / "small.align"
    spec.write_text("sort S\npred p: S\nclaim c: forall x: S. p(x) -> p(x)\n")
    status, results = check(spec, "--isolate", "--jobs", "1", "--memory-limit", "100")
    assert status == 0 and results["c"]["verdict"] == "proved"
    assert "Traceback" not in capfd.readouterr().err
