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
from translator.check.parallel import Limits, PoolSolve, Workers
from translator.cli import dispatch
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

# A bounded search over up to a million elements: a claim with no counterexample at any size,
# so the scopes grow (1, 2, 4, ...) until the solver's tables outgrow the memory allowed.
HUGE_SCOPE = """\
sort U
fun f: U, U -> U
claim before: forall x: U. f(x, x) = f(x, x)
claim huge: forall x, y: U. f(x, y) = f(x, y) within 1000000
claim after: forall x: U. x = x
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
    spec = tmp_path / "huge.align"
    spec.write_text(HUGE_SCOPE)
    status, results = check(spec, "--isolate", "--jobs", "2", "--timeout", "60", "--memory-limit", "512")
    assert status == 1
    assert results["before"]["verdict"] == results["after"]["verdict"] == "proved"
    assert results["huge"]["verdict"] == "unknown" and "memory" in results["huge"]["reason"]


def test_a_worker_that_dies_costs_only_its_task():
    """A solver crash, played by a signal: the task is reported, a new worker takes the next."""
    programs, _, _ = front_end([str(Path(__file__).resolve().parents[1] / "golden" / "diagram_core.align")])
    (program,) = programs
    name = program.queries[0].name
    workers = Workers(1, Limits(memory_mib=4096))
    try:
        key = workers.add_program(program, CheckOptions())
        first = workers.submit("answer", key, name)
        workers._dispatch()
        (worker,) = workers.workers
        os.kill(worker.process.pid, signal.SIGSEGV)
        ok, reason = workers.result(first)
        assert not ok and "SIGSEGV" in reason
        ok, result = workers.result(workers.submit("answer", key, name))
        assert ok and result.name == name and result.verdict.value != "unknown"
        assert workers.workers[0].process.pid != worker.process.pid
    finally:
        workers.close()


def test_isolated_results_equal_in_process_ones():
    programs, _, _ = front_end([str(Path(__file__).resolve().parents[1] / "golden" / "bounded.align")])
    (program,) = programs
    names = tuple(q.name for q in program.queries)
    from dataclasses import replace

    from translator.check.checker import check_program
    with PoolSolve(1, Limits(memory_mib=4096, cpu_seconds=60)) as pool:
        isolated = pool(program, CheckOptions(), names)
    plain = check_program(program, CheckOptions(), names)
    assert [replace(r, seconds=0) for r in isolated.results] == [replace(r, seconds=0) for r in plain.results]


def test_limits_are_checked_as_arguments(tmp_path):
    spec = tmp_path / "a.align"
    spec.write_text("claim c: true\n")
    for bad in (["--memory-limit", "0"], ["--cpu-limit", "-1"]):
        out, err = io.StringIO(), io.StringIO()
        assert dispatch(["check", "--isolate", *bad, str(spec)], out, err) == 2
        assert bad[0] in err.getvalue()


def test_workers_end_with_the_run():
    with PoolSolve(2, Limits(cpu_seconds=30)) as pool:
        programs, _, _ = front_end([str(Path(__file__).resolve().parents[1] / "golden" / "bounded.align")])
        (program,) = programs
        pool(program, CheckOptions(), tuple(q.name for q in program.queries))
        processes = [w.process for w in pool.workers.workers]
    deadline = time.monotonic() + 10
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes and not any(p.is_alive() for p in processes)
