"""Golden tests: the real command line on spec files, compared with recorded output.

Each `tests/golden/NAME.align` has `NAME.out` (exit status, stdout and stderr
of `alignproof check NAME.align`, times blanked) and `NAME.json` (the JSON
document, times blanked). Regenerate with `pytest tests/test_golden.py --update-golden`
and review the diff like code. A case with readings also has `NAME.matrix.out` and
`NAME.matrix.json`: `alignproof matrix NAME.align` as text and as JSON (LANGUAGE.md §6.2).
"""
from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest

from translator.cli import dispatch

HERE = Path(__file__).parent / "golden"
CASES = sorted(p.stem for p in HERE.glob("*.align"))
TIME = re.compile(r"\d+\.\d+s\b")
MATRIX_CASES = sorted(p.stem for p in HERE.glob("*.align") if re.search(r"(?m)^reading ", p.read_text(encoding="utf-8")))


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(HERE)
    try:
        status = dispatch(list(argv), out, err)
    finally:
        os.chdir(cwd)
    return status, out.getvalue(), err.getvalue()


def text_transcript(name: str) -> str:
    status, out, err = run_cli("check", f"{name}.align")
    return f"exit {status}\n--- stdout\n{TIME.sub('#s', out)}--- stderr\n{err}"


def json_transcript(name: str) -> str:
    status, out, _ = run_cli("check", "--format", "json", f"{name}.align")
    doc = json.loads(out)
    for result in doc["results"]:
        result["seconds"] = "#"
    return json.dumps({"exit": status, "document": doc}, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("form", ["out", "json"])
def test_golden(name, form, request):
    got = text_transcript(name) if form == "out" else json_transcript(name)
    expected_path = HERE / f"{name}.{form}"
    if request.config.getoption("--update-golden"):
        expected_path.write_text(got, encoding="utf-8")
    assert expected_path.exists(), f"no {expected_path.name}: run pytest --update-golden"
    assert got == expected_path.read_text(encoding="utf-8")


def matrix_transcript(name: str, form: str) -> str:
    if form == "out":
        status, out, err = run_cli("matrix", "--jobs", "1", f"{name}.align")
        return f"exit {status}\n--- stdout\n{out}--- stderr\n{err}"
    status, out, _ = run_cli("matrix", "--jobs", "1", "--format", "json", f"{name}.align")
    return json.dumps({"exit": status, "document": json.loads(out)}, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", MATRIX_CASES)
@pytest.mark.parametrize("form", ["out", "json"])
def test_golden_matrix(name, form, request):
    got = matrix_transcript(name, form)
    expected_path = HERE / f"{name}.matrix.{form}"
    if request.config.getoption("--update-golden"):
        expected_path.write_text(got, encoding="utf-8")
    assert expected_path.exists(), f"no {expected_path.name}: run pytest --update-golden"
    assert got == expected_path.read_text(encoding="utf-8")
