"""The session `suggest` shares between its unsat questions (`premises/suggest/shared.py`): only an
unsat is read, with the names it needed; any other answer is None."""
from __future__ import annotations

from translator.logic import core
from translator.pipeline import front_end
from translator.premises.suggest.shared import Shared
from translator.solvers.common import SolverOptions

SPEC = """sort A
pred p: A
pred q: A
pred r: A
axiom p_gives_q: forall x: A. p(x) -> q(x)
axiom some_r: exists x: A. r(x)
claim c: forall x: A. p(x) -> r(x)
  expect counterexample
claim d: forall x: A. q(x)
  expect counterexample
"""
OPTIONS = SolverOptions(timeout=5.0, rlimit=200_000)


def program(tmp_path) -> core.Program:
    spec = tmp_path / "s.align"
    spec.write_text(SPEC)
    programs, diagnostics, _ = front_end([str(spec)])
    assert not diagnostics
    return programs[0]


def negation(query: core.Query) -> core.Term:
    formula = query.formula
    assert isinstance(formula, core.Quant)
    return core.Quant(core.QuantKind.EXISTS, formula.vars, core.Not(formula.body))


def test_an_unsat_answer_names_what_it_needed_and_nothing_else_is_read(tmp_path):
    made = program(tmp_path)
    shared = Shared(made, "z3")
    c, d = made.queries
    q_everywhere = d.formula
    # the axioms and `forall x. q(x)` do not prove c: a model, read as None
    assert shared.proof([("premise", q_everywhere)], negation(c), OPTIONS) is None
    # `forall x. p(x)` with p_gives_q proves d, and some_r is not needed
    p_everywhere = core.Quant(core.QuantKind.FORALL, c.formula.vars,
                              c.formula.body.lhs)  # type: ignore[attr-defined]
    assert shared.proof([("premise", p_everywhere)], negation(d), OPTIONS, OPTIONS) == ("p_gives_q", "premise")
    # without the axiom it needs, no unsat
    assert shared.proof([("premise", p_everywhere)], negation(d), OPTIONS, drop="p_gives_q") is None
    assert shared.proof([("premise", p_everywhere)], negation(d), OPTIONS, axioms=False) is None
    assert shared.asked == 4


def test_a_consistency_question_has_no_formula(tmp_path):
    made = program(tmp_path)
    shared = Shared(made, "z3")
    c, _ = made.queries
    nothing_is_r = core.Quant(core.QuantKind.FORALL, c.formula.vars,
                              core.Not(c.formula.body.rhs))  # type: ignore[attr-defined]
    assert shared.proof([("premise", nothing_is_r)], None, OPTIONS, OPTIONS) == ("some_r", "premise")
    assert shared.proof([("premise", nothing_is_r)], None, OPTIONS, drop="some_r") is None
