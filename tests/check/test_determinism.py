"""Determinism: checking the same specs again gives the same verdicts, models and `used` sets.

Each solver query builds its own Z3 context with fixed seeds, and the limits
that decide an answer are Z3 resource units rather than seconds (solvers/z3/session.py), so
runs may differ only in their timings. The whole of spec/ is checked three
times in separate processes at once (each with its own string-hash seed, one
with a pool of workers), and two smaller files ten times in this process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from translator.outputs.text import json_document
from translator.pipeline import Options, run

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec"
SMALL = [SPEC / "hubinger.align", SPEC / "readings.align"]
TIMED = {"seconds"}


def untimed(value):
    """The JSON document without its timings, the one part that may differ between runs."""
    if isinstance(value, dict):
        return {k: untimed(v) for k, v in value.items() if k not in TIMED}
    if isinstance(value, list):
        return [untimed(v) for v in value]
    return value


def verdicts_and_used(doc: dict) -> dict[str, tuple]:
    return {f"{r['file']}::{r['name']}": (r["verdict"], tuple(r.get("used") or ())) for r in doc["results"]}


def assert_same(docs: list[dict]) -> None:
    first = docs[0]
    for number, doc in enumerate(docs[1:], start=2):
        assert verdicts_and_used(doc) == verdicts_and_used(first), f"run {number}: verdicts or used differ"
        for a, b in zip(first["results"], doc["results"]):
            assert b == a, f"run {number}: {a['file']}::{a['name']} differs (model, witness or explanation)"
        assert doc == first, f"run {number} differs from run 1"


def test_spec_library_three_runs_in_separate_processes_agree():
    argv = [sys.executable, "-m", "translator", "check", "--format", "json", str(SPEC.relative_to(ROOT))]
    runs = []
    for seed, jobs in (("0", "1"), ("1", "2"), ("4242", "1")):
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED=seed)
        runs.append(subprocess.Popen([*argv, "--jobs", jobs], cwd=ROOT, env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    docs = []
    for proc in runs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        docs.append(untimed(json.loads(out)))
    results = docs[0]["results"]
    assert len(results) > 50
    assert any(r.get("model") for r in results) and any(r.get("used") for r in results)
    assert_same(docs)


def test_small_specs_ten_runs_in_one_process_agree():
    docs = [untimed(json_document(run([str(p) for p in SMALL], Options()))) for _ in range(10)]
    results = docs[0]["results"]
    assert {r["verdict"] for r in results} >= {"proved", "counterexample"}
    assert any(r.get("model") for r in results) and any(r.get("used") for r in results)
    assert_same(docs)
