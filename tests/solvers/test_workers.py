"""The worker bootstrap (translator/solvers/workers.py): messages cross processes flat, so depth is no limit."""
from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from translator.logic.core import BoolLit, Not, Program
from translator.solvers.workers import flat_dumps, flat_loads

ROOT = Path(__file__).resolve().parents[2]


def _deep(depth: int):
    term = BoolLit(True)
    for _ in range(depth):
        term = Not(term)
    return term


def test_plain_pickle_of_a_deep_term_hits_the_recursion_limit():
    """Why the flat form exists: without it, a formula a few thousand deep cannot be sent."""
    with pytest.raises(RecursionError):
        pickle.dumps(_deep(5_000))


def test_a_deep_program_round_trips_flat_under_the_default_recursion_limit():
    term = _deep(20_000)
    program = Program("deep.align", (), (), (), (), ())
    message = ("program", 1, program, {"formula": term, "shared": [term, term]})
    back = flat_loads(flat_dumps(message))
    assert back[:3] == message[:3]
    assert back[3]["shared"][0] is back[3]["shared"][1]  # shared objects stay shared
    depth, node = 0, back[3]["formula"]
    while isinstance(node, Not):
        depth, node = depth + 1, node.arg
    assert depth == 20_000 and node == BoolLit(True)


def test_no_process_raises_the_recursion_limit_for_deep_input(tmp_path):
    """The deepest input the parser accepts, checked with workers and cvc5 in a process whose
    recursion limit cannot be raised: nothing recurses on depth."""
    spec = tmp_path / "deep.align"
    spec.write_text("sort S\npred p: S\nclaim deep: forall x: S. " + "not " * 990 + "p(x)\n"
                    "  expect counterexample\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    script = textwrap.dedent(f"""
        import sys
        def refuse(n):
            raise AssertionError("the recursion limit was raised to %d" % n)
        sys.setrecursionlimit = refuse
        from translator.cli import dispatch
        status = dispatch(["check", {str(spec)!r}, "--isolate", "--format", "json"], sys.stdout, sys.stderr)
        sys.exit(status)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert '"verdict": "counterexample"' in done.stdout
