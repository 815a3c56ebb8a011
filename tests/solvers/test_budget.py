"""One query's limits (translator/solvers/budget.py, solvers/z3/session.py): shared, named, never wrapped."""
from __future__ import annotations

import json

from conftest import run_cli

from translator.solvers.budget import Budget
from translator.solvers.z3 import MAX_BOUND, Z3_MAX, SolverOptions

TRIVIAL = "sort S\npred p: S\nclaim c: forall x: S. p(x) -> p(x)\n"
# True in every finite model (an injection of a finite set is onto), false in an infinite one:
# the bounded search runs scope after scope until its budget is gone.
FINITE_ONLY = ("sort S\nfun f: S -> S\naxiom inj: forall x: S, y: S. f(x) = f(y) -> x = y\n"
               "claim surj: forall y: S. exists x: S. f(x) = y within {n}\n")


def _results(tmp_path, text: str, *flags: str) -> dict:
    (tmp_path / "spec.align").write_text(text, encoding="utf-8")
    status, out, err = run_cli("check", str(tmp_path / "spec.align"), "--format", "json", *flags)
    assert "Traceback" not in err and "internal error" not in err, err
    return {r["name"]: r for r in json.loads(out)["results"]}


def test_limits_past_32_bits_do_not_wrap():
    # Z3 reads both as unsigned 32-bit numbers: 2**32 + 1 units would be 1 unit.
    assert SolverOptions(timeout=1.0, rlimit=2**32 + 1).resource_limit() == Z3_MAX
    assert SolverOptions(timeout=8589.935).resource_limit() == Z3_MAX  # 500,000 units a second
    assert SolverOptions(timeout=1e308).timeout_ms() == Z3_MAX
    assert SolverOptions(timeout=1e308).resource_limit() == Z3_MAX


def test_huge_limits_on_the_command_line_prove_a_trivial_claim(tmp_path):
    for flags in (("--timeout", "1e308"), ("--timeout", "8589.935"), ("--rlimit", "4294967297")):
        assert _results(tmp_path, TRIVIAL, *flags)["c"]["verdict"] == "proved", flags


def test_a_huge_scope_is_refused_within_the_budget(tmp_path):
    [result] = _results(tmp_path, FINITE_ONLY.format(n=10**20), "--timeout", "1").values()
    assert result["verdict"] == "unknown"
    assert f"of {10**20} not completed" in result["reason"]


def test_the_budget_is_shared_by_every_question_of_a_query(tmp_path):
    # the wall clock far out of reach: the counted units run out first, however loaded the machine
    [result] = _results(tmp_path, FINITE_ONLY.format(n=10**6), "--rlimit", "400000", "--timeout", "600").values()
    assert result["verdict"] == "unknown"
    assert "the query used up its 400000 resource units" in result["reason"] and "--rlimit" in result["reason"]


def test_a_budget_spent_asks_nothing_more():
    budget = Budget(seconds=100.0, units=10)
    assert budget.exhausted() is None
    budget.spend(10)
    assert "--rlimit" in (budget.exhausted() or "")
    assert "--timeout" in (Budget(seconds=0.0, units=10).exhausted() or "")


def test_a_bounded_verdict_says_its_bound(tmp_path):
    text = "sort S\nclaim small: forall x: S, y: S, z: S. x = y or y = z or x = z within 2\n"
    [result] = _results(tmp_path, text).values()
    assert result["verdict"] == "bounded" and result["bound"] == 2
    assert MAX_BOUND >= 100_000


def test_a_portfolio_out_of_budget_names_each_solver(tmp_path):
    # z3's "budget spent" answer once came back unnamed, so the joined reason read "...; : the query used up"
    [result] = _results(tmp_path, FINITE_ONLY.format(n=10**6), "--solver", "portfolio",
                        "--rlimit", "400000", "--timeout", "600").values()
    assert result["verdict"] == "unknown"
    assert "z3: the query used up" in result["reason"] and "; :" not in result["reason"]
