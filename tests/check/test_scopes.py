"""Per-sort scopes (`within Agent: 3, Objective: 5`): the syntax and its diagnostics, and the
checker on each solver keeping `bounded` to the sizes named (never `proved` from the bound)."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "frontend")]
from test_typecheck import errors, program  # noqa: E402

from translator.check.results import Verdict  # noqa: E402
from translator.frontend.parser import parse_source  # noqa: E402
from translator.frontend.source import SourceFile  # noqa: E402
from translator.logic.core import Scope  # noqa: E402
from translator.pipeline import Options, run  # noqa: E402
from translator.solvers import cvc5  # noqa: E402

SORTS = """sort Agent
sort Objective
sort Color = {red, green}
fun goal: Agent -> Objective
"""

SOLVERS = ["z3", *(["cvc5", "portfolio"] if cvc5.available() else [])]


def test_a_scope_names_sizes_per_sort_and_a_number_for_the_rest():
    prog = program(SORTS + "claim a: true within Agent: 3, Objective: 5\n"
                   "claim b: true within 2, Agent: 4\nclaim c: true within 3\n")
    scopes = {q.name: q.within for q in prog.queries}
    assert scopes == {"a": Scope(None, (("Agent", 3), ("Objective", 5))), "b": Scope(2, (("Agent", 4),)),
                      "c": Scope(3)}
    assert [scopes["a"].size(s) for s in ("Agent", "Objective", "Other")] == [3, 5, None]
    assert [scopes["b"].size(s) for s in ("Agent", "Objective")] == [4, 2]
    assert scopes["c"].to_json() == 3 and scopes["b"].to_json() == {"Agent": 4, "*": 2}
    assert scopes["a"].at(4) == Scope(None, (("Agent", 3), ("Objective", 4)))


@pytest.mark.parametrize("scope, column, message", [
    ("Color: 2", 22, "`within` bounds uninterpreted sorts; Color has a fixed size"),
    ("Int: 2", 22, "`within` bounds uninterpreted sorts, not Int"),
    ("Agent: 2, Agent: 3", 32, "`within` gives Agent a size twice"),
    ("Nope: 2", 22, "'Nope' is not declared"),
])
def test_a_scope_names_each_uninterpreted_sort_once(scope, column, message):
    ((code, line, col, said),) = errors(SORTS + f"claim c: true within {scope}\n")
    assert (line, col, said) == (5, column, message)
    assert code in ("bad-within", "undeclared")


@pytest.mark.parametrize("scope, column, message", [
    ("2, 3", 25, "`within` takes one number for every sort; name the others"),
    ("Agent: 0", 29, "`within` needs a positive whole number of elements"),
    ("Agent: 1.5", 29, "`within` needs a positive whole number of elements"),
])
def test_a_malformed_scope_is_bad_within_at_its_number(scope, column, message):
    _, diags = parse_source(SourceFile("m.align", f"claim c: true within {scope}\n"))
    ((diag),) = diags
    assert (diag.code, diag.span.line, diag.span.column, diag.message) == ("bad-within", 1, column, message)


def _run(text: str, solver: str):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "spec.align")
        Path(path).write_text(text, encoding="utf-8")
        outcome = run([path], Options(solver=solver, timeout=5.0))
    assert not outcome.input_error and not outcome.diagnostics
    return {r.name: r for r in outcome.results}


@pytest.mark.parametrize("solver", SOLVERS)
def test_each_sort_is_bounded_by_its_own_size(solver):
    results = _run(SORTS + """
claim two_agents: forall x, y, z: Agent. x = y or x = z or y = z within Agent: 2, Objective: 5
claim three_agents: forall x, y, z: Agent. x = y or x = z or y = z within Agent: 3, Objective: 1
claim shared_goal: forall x, y: Agent. goal(x) = goal(y) -> x = y within Agent: 4, Objective: 3
example apart: exists x, y: Objective. x != y within 1, Agent: 5
example crowd: exists x, y, z, w: Agent. x != y and x != z and x != w and y != z and y != w and z != w \
within Objective: 1, Agent: 4
""", solver)
    bounded = results["two_agents"]
    assert bounded.verdict is Verdict.BOUNDED and bounded.ok
    assert all("within Agent: 2, Objective: 5" in w for w in bounded.warnings)
    refuted = results["three_agents"]
    assert refuted.verdict is Verdict.COUNTEREXAMPLE
    assert len(refuted.model.universes["Agent"]) == 3
    shared = results["shared_goal"]
    assert shared.verdict is Verdict.COUNTEREXAMPLE and len(shared.model.universes["Agent"]) == 2
    apart = results["apart"]  # no witness with one objective, but one with two: not `none`
    assert apart.verdict is Verdict.UNKNOWN and "every other sort at most 1" in apart.reason
    crowd = results["crowd"]
    assert crowd.verdict is Verdict.WITNESS and len(crowd.model.universes["Agent"]) == 4


@pytest.mark.parametrize("solver", SOLVERS)
def test_an_unnamed_sort_is_unbounded_and_the_verdict_still_bounded(solver):
    # Objective is not named: the claim holds in every world with at most 2 agents, whatever the objectives.
    results = _run(SORTS + "claim c: forall x, y, z: Agent. goal(x) = goal(y) or x = z or y = z or x = y"
                   " within Agent: 2\n", solver)
    assert results["c"].verdict is Verdict.BOUNDED
