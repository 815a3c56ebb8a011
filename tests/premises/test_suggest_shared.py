"""The session `suggest` shares between its unsat questions (`premises/suggest/shared.py`): only an
unsat is read, with the names it needed; any other answer is None. And the limits each question of
the verifier gets."""
from __future__ import annotations

from translator.check.checker import CheckOptions, ProgramChecker
from translator.logic import core, names
from translator.logic.expand import Fresh
from translator.pipeline import front_end
from translator.premises.suggest import verify
from translator.premises.suggest.candidates import Candidate
from translator.premises.suggest.shared import Shared
from translator.premises.suggest.vocabulary import build
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


def test_the_checkers_questions_get_their_share_of_a_questions_limits(tmp_path, monkeypatch):
    """Tests 1-3 get `QUESTION_SHARE` of a question's units (and wall clock), the converse the whole,
    the ranking's implications `RANKING_SHARE`; the shared session keeps its own tenth of the whole."""
    made = program(tmp_path)
    c, d = made.queries
    options = CheckOptions(timeout=5.0, rlimit=200_000)
    verifier = verify.Verifier(made, c, build(made, c, Fresh(made.next_uid)), options, deadline=1e12)
    given: dict[str, tuple[int | None, float]] = {}
    made_checker = ProgramChecker.__init__

    def recorded(self, variant, options, *args, **kwargs):
        given[variant.queries[0].name] = (options.rlimit, options.timeout)
        made_checker(self, variant, options, *args, **kwargs)

    monkeypatch.setattr(ProgramChecker, "__init__", recorded)
    shared: list[int | None] = []
    proof = verify.Shared.proof

    def asked(self, extra, formula, options, *args, **kwargs):
        shared.append(options.rlimit)
        return proof(self, extra, formula, options, *args, **kwargs)

    monkeypatch.setattr(verify.Shared, "proof", asked)
    q_everywhere = Candidate(d.formula, "q", 1, "enumerator")
    assert verifier.implies(q_everywhere, q_everywhere) is True  # the shared session's unsat
    assert not given
    assert verifier.implies(q_everywhere, Candidate(c.formula, "c", 1, "enumerator")) is False
    assert verifier._entails([("premise", d.formula)], c.formula, "conclusion", likely=True) is False
    again = verify.Verifier(made, c, build(made, c, Fresh(made.next_uid)), options, deadline=1e12)
    assert again._equivalent(q_everywhere) is False  # the claim does not imply it back
    assert given == {names.premise("implies"): (80_000, 2.0), names.premise("conclusion"): (120_000, 3.0),
                     names.premise("converse"): (200_000, 5.0)}
    assert shared == [20_000, 20_000, 20_000, 20_000]
