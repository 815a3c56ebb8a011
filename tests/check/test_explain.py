"""Explanations of counterexamples and witnesses (translator/check/explain.py), through the real pipeline."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from coreterms import ap, forall, num

from translator.check.results import Verdict
from translator.logic.core import (
    BOOL,
    INT,
    REAL,
    Add,
    And,
    BuiltinCall,
    Compare,
    Eq,
    Iff,
    Implies,
    Ite,
    Neg,
    Not,
    Or,
    Scale,
    Sort,
    Symbol,
    SymbolKind,
    Var,
)
from translator.logic.model import Model, Table
from translator.logic.printer import print_term
from translator.logic.shapes import claim_parts
from translator.pipeline import Options, run

SPEC = """\
sort Agent
sort Objective
sort Policy
sort Dist = {train, deploy}
const humans: Objective
fun base: Agent -> Objective
fun policy: Agent -> Policy
pred aligned: Policy, Objective
pred does_well: Agent, Dist

def outer_aligned(o: Objective) := exists p: Policy. aligned(p, o)
def inner_aligned(a: Agent) := aligned(policy(a), base(a))
def impact_aligned(a: Agent) := aligned(policy(a), humans)
def robust(a: Agent) := forall d: Dist. does_well(a, d)

claim outer_and_inner_give_impact:
  forall a: Agent. outer_aligned(base(a)) and inner_aligned(a) -> impact_aligned(a)
  expect counterexample

claim training_is_enough: forall a: Agent. does_well(a, train) -> robust(a)
  expect counterexample

claim proved_one: forall a: Agent. inner_aligned(a) -> inner_aligned(a)

example some_robust_agent: exists a: Agent. robust(a) and not impact_aligned(a)
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    path = tmp_path_factory.mktemp("explain") / "spec.align"
    path.write_text(SPEC)
    outcome = run([str(path)], Options(timeout=5.0))
    assert not outcome.diagnostics
    return {r.name: r for r in outcome.results}


def test_hypotheses_hold_and_the_conclusion_fails(results):
    result = results["outer_and_inner_give_impact"]
    assert result.verdict is Verdict.COUNTEREXAMPLE
    steps = result.explanation.steps
    assert [s.role for s in steps] == ["hypothesis", "hypothesis", "conclusion"]
    assert [s.value for s in steps] == [True, True, False]
    agent = result.witness["a"]
    assert [s.formula for s in steps] == [
        f"outer_aligned(base({agent}))", f"inner_aligned({agent})", f"impact_aligned({agent})"]


def test_definitions_unfold_one_level_at_a_time(results):
    result = results["outer_and_inner_give_impact"]
    agent = result.witness["a"]
    outer, inner, impact = result.explanation.steps
    assert [(s.formula, s.value) for s in impact.because] == [(f"aligned(policy({agent}), humans)", False)]
    assert dict(impact.because[0].where) == {f"policy({agent})": result.model.value("policy", (agent,)),
                                             "humans": result.model.value("humans")}
    assert inner.because[0].formula == f"aligned(policy({agent}), base({agent}))"
    # a true `exists` is explained by the instance that makes it true
    quant = outer.because[0]
    assert quant.formula.startswith("exists p: Policy. aligned(p, base(")
    assert quant.where and quant.where[0][0] == "p" and quant.because[0].value is True


def test_summary_names_the_deciding_atom(results):
    result = results["outer_and_inner_give_impact"]
    agent = result.witness["a"]
    summary = result.explanation.summary
    assert summary.startswith(f"With a = {agent}, the hypotheses outer_aligned(base({agent})) holds")
    assert summary.endswith(f"but the conclusion impact_aligned({agent}) is false, "
                            f"because aligned(policy({agent}), humans) is false.")


def test_false_forall_shows_a_failing_instance(results):
    result = results["training_is_enough"]
    hypothesis, conclusion = result.explanation.steps
    assert hypothesis.value is True and conclusion.value is False
    quant = conclusion.because[0]
    assert quant.formula.startswith("forall d: Dist. does_well(")
    assert quant.where == (("d", "deploy"),)
    assert quant.because[0].formula.endswith(", deploy)") and quant.because[0].value is False


def test_witnesses_are_explained_condition_by_condition(results):
    result = results["some_robust_agent"]
    assert result.verdict is Verdict.WITNESS
    steps = result.explanation.steps
    assert [s.role for s in steps] == ["condition", "condition"]
    assert all(s.value is True for s in steps)
    assert steps[1].formula.startswith("not impact_aligned(")


def test_proved_claims_have_no_explanation(results):
    assert results["proved_one"].explanation is None
    assert "explanation" not in results["proved_one"].to_json()


def test_json_carries_the_explanation(results):
    doc = results["outer_and_inner_give_impact"].to_json()["explanation"]
    assert set(doc) == {"witness", "summary", "steps"}
    assert doc["steps"][2]["role"] == "conclusion" and doc["steps"][2]["value"] is False
    assert doc["steps"][2]["because"][0]["where"][1]["term"] == "humans"


def test_text_lines_indent_reasons_under_their_formula(results):
    lines = results["training_is_enough"].explanation.lines()
    assert lines[0].endswith("= true  (hypothesis)")
    assert any(line.startswith("    (forall d: Dist.") and line.endswith(") = false") for line in lines)
    assert any(line.strip() == "where d = deploy" for line in lines)


def test_spec_library_counterexamples_are_explained_consistently():
    spec = Path(__file__).resolve().parents[2] / "spec"
    outcome = run([str(spec / "hubinger.align"), str(spec / "faq.align")], Options(timeout=10.0))
    explained = 0
    for result in outcome.results:
        if result.verdict is Verdict.COUNTEREXAMPLE:
            *hypotheses, conclusion = result.explanation.steps
            assert all(h.value is True for h in hypotheses), result.name
            assert conclusion.value is False, result.name
            explained += 1
        elif result.verdict is Verdict.WITNESS:
            assert all(s.value is True for s in result.explanation.steps), result.name
            explained += 1
    assert explained >= 5


# ---------------------------------------------------------------- the printer

A = Sort("A")
P = Symbol("p", (A,), BOOL, SymbolKind.PRED)
Q = Symbol("q", (A,), BOOL, SymbolKind.PRED)
F = Symbol("f", (A,), INT, SymbolKind.FUN)
G = Symbol("g", (A,), REAL, SymbolKind.FUN)
W = Symbol("a@0", (), A, SymbolKind.WITNESS)
EMPTY = Model(universes={"A": ("A#0",)}, tables={})


def show(term, env=None):
    return print_term(term, EMPTY, env)


def test_printer_parenthesises_by_precedence():
    x = Var("x", A, 1)
    px, qx = ap(P, x), ap(Q, x)
    assert show(Implies(And((px, qx)), Implies(qx, px))) == "p(x) and q(x) -> q(x) -> p(x)"
    assert show(Implies(Implies(px, qx), px)) == "(p(x) -> q(x)) -> p(x)"
    assert show(And((Or((px, qx)), Not(px)))) == "(p(x) or q(x)) and not p(x)"
    assert show(Not(Eq(ap(F, x), num(3)))) == "not f(x) = 3"
    assert show(Iff(px, Not(qx))) == "p(x) <-> not q(x)"
    assert show(Implies(forall([x], px), qx)) == "(forall x: A. p(x)) -> q(x)"


def test_printer_writes_arithmetic_as_source():
    x = Var("x", A, 1)
    total = Add((ap(F, x), Neg(Scale(Fraction(2), ap(F, x))), num(1)))
    assert show(Compare("<=", total, num(4))) == "f(x) - 2 * f(x) + 1 <= 4"
    assert show(Compare("<", ap(G, x), num(Fraction(7, 2), REAL))) == "g(x) < 3.5"
    assert show(Ite(ap(P, x), num(1), num(2))) == "if p(x) then 1 else 2"


def test_printer_substitutes_values_for_witnesses_and_bound_variables():
    model = Model(universes={"A": ("A#0", "A#1")}, tables={"a@0": Table(rows=(((), "A#1"),))})
    x, y = Var("x", A, 1), Var("y", A, 2)
    assert print_term(Eq(ap(W), x), model, {1: "A#0"}) == "A#1 = A#0"
    assert print_term(forall([x, y], Eq(x, y)), model) == "forall x, y: A. x = y"


def test_printer_writes_builtins_with_their_bridge():
    s = Sort("S")
    f = Symbol("f", (s,), REAL, SymbolKind.FUN)
    b = Symbol("b", (A,), s, SymbolKind.BRIDGE)
    assert show(BuiltinCall("agree", (f, G), via=b)) == "agree(f, g via b)"
    assert show(BuiltinCall("maximizes", (G,), args=(ap(W),))) == "maximizes(g, a)"


def test_claim_parts_collects_nested_hypotheses():
    x = Var("x", A, 1)
    px, qx = ap(P, x), ap(Q, x)
    hypotheses, conclusion = claim_parts(Implies(And((px, qx)), Implies(qx, Not(px))))
    assert hypotheses == [px, qx, qx] and conclusion == Not(px)
