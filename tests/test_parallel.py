"""`--jobs N`: the same report as `--jobs 1`, with the programs checked in worker processes."""
from __future__ import annotations

import io
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

from translator.checker import CheckOptions, check_program
from translator.cli import dispatch
from translator.parallel import PoolSolve
from translator.pipeline import front_end

GOLDEN = Path(__file__).resolve().parent / "golden"
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
    serial = cli("check", "--format", "json", str(tmp_path))
    pooled = cli("check", "--format", "json", "--jobs", "3", str(tmp_path))
    assert serial[0] == pooled[0] == 1
    assert untimed_json(serial[1]) == untimed_json(pooled[1]) and serial[2] == pooled[2]
    serial = cli("check", str(tmp_path))
    pooled = cli("check", "--jobs", "2", str(tmp_path))
    assert untimed_text(serial[1]) == untimed_text(pooled[1]) and serial[2] == pooled[2]


def test_a_worker_answers_as_the_checker_does():
    programs, _, _ = front_end([str(GOLDEN / "diagram_core.align"), str(GOLDEN / "bounded.align")])
    options = CheckOptions()
    with PoolSolve(2) as pool:
        for program in programs:
            pool.submit(program, options, tuple(q.name for q in program.queries))
        assert pool.futures
        for program in programs:
            names = tuple(q.name for q in program.queries)
            pooled = [replace(r, seconds=0) for r in pool(program, options, names).results]
            assert pooled == [replace(r, seconds=0) for r in check_program(program, options, names).results]
        assert not pool.futures


def test_jobs_rejects_a_negative_number():
    status, _, err = cli("check", "--jobs", "-1", str(GOLDEN / "bounded.align"))
    assert status == 2 and "--jobs" in err
