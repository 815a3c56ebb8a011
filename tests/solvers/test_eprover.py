"""E in the portfolio (translator/solvers/eprover.py): proofs only, `used` from its proof object, skipped without it."""
from __future__ import annotations

from fractions import Fraction

import pytest

from translator import api
from translator.check.results import CrossCheck, Verdict
from translator.logic import core
from translator.logic.core import App, Eq, Not, Quant, QuantKind, Sort, Symbol, SymbolKind, Var
from translator.options import Options
from translator.outputs.text import json_document
from translator.outputs.tptp import Untranslatable, tptp_question
from translator.solvers import cvc5, eprover, portfolio
from translator.solvers.common import Outcome, SolverOptions

needs_both = pytest.mark.skipif(not (eprover.available() and cvc5.available()), reason="needs eprover and cvc5")

# The ordered-pair property of sets: beyond z3 within 100,000 resource units and cvc5 within the
# 4,000 units those convert to; E proves it from four of the five axioms with a few thousand.
PAIRS = """\
sort Set
pred member: Set, Set
pred subset: Set, Set
pred equal_set: Set, Set
fun singleton: Set -> Set
fun unordered_pair: Set, Set -> Set

axiom subset_def: forall a, b: Set. subset(a, b) <-> (forall x: Set. member(x, a) -> member(x, b))
axiom equal_set_def: forall a, b: Set. equal_set(a, b) <-> subset(a, b) and subset(b, a)
axiom singleton_def: forall x, a: Set. member(x, singleton(a)) <-> x = a
axiom pair_def: forall x, a, b: Set. member(x, unordered_pair(a, b)) <-> x = a or x = b
axiom decoy: forall x: Set. member(x, x) -> member(x, singleton(x))

claim ordered_pairs: forall a, b, u, v: Set.
  equal_set(unordered_pair(singleton(a), unordered_pair(a, b)), unordered_pair(singleton(u), unordered_pair(u, v))) -> a = u and b = v
"""

NEEDED = ("subset_def", "equal_set_def", "singleton_def", "pair_def")


def checked(solver: str, text: str = PAIRS, rlimit: int = 100_000):
    (result,) = api.check(text, options=Options(solver=solver, timeout=60.0, rlimit=rlimit)).results
    return result


@needs_both
def test_e_proves_what_z3_and_cvc5_cannot_within_the_limits():
    assert checked("z3").verdict is Verdict.UNKNOWN
    assert checked("cvc5").verdict is Verdict.UNKNOWN
    result = checked("portfolio")
    assert (result.verdict, result.solver) == (Verdict.PROVED, "eprover")
    assert result.used == NEEDED  # read from E's proof object: the decoy is not cited


@needs_both
def test_the_same_question_gets_the_same_answer_from_e():
    first, second = checked("portfolio"), checked("portfolio")
    assert (first.verdict, first.used, first.solver) == (second.verdict, second.used, second.solver)


@needs_both
def test_the_json_names_e_as_the_solver_and_cross_check_asks_cvc5_beside_it():
    run = api.check(PAIRS, options=Options(solver="portfolio", timeout=60.0, rlimit=100_000, cross_check=True))
    (doc,) = json_document(run)["results"]
    assert doc["solver"] == "eprover" and doc["used"] == list(NEEDED)
    check = doc["cross_check"]
    assert check["eprover"] == "unsat" and "z3" not in check and check["solver"].startswith("cvc5 ")
    assert CrossCheck.from_json(check, "proved").first == "eprover"


@pytest.mark.skipif(not cvc5.available(), reason="needs cvc5")
def test_without_eprover_the_portfolio_says_it_skipped_e_and_gives_cvc5_the_rest(monkeypatch):
    monkeypatch.setattr(eprover, "path", lambda: None)
    result = checked("portfolio")
    assert result.verdict is Verdict.UNKNOWN
    assert result.reason.endswith(f"eprover: {eprover.SKIPPED}")
    assert "cvc5: resource limit of 750 units reached" in result.reason  # 1000 as without E, less the small models' share


@pytest.mark.skipif(not cvc5.available(), reason="needs cvc5")
def test_e_is_not_asked_a_question_with_arithmetic(monkeypatch):
    asked = []
    monkeypatch.setattr(eprover.Session, "solve", lambda self, *a, **k: asked.append(a) or Outcome("unknown"))
    text = "const n: Int\naxiom big: forall k: Int. k <= n\nclaim c: n > 3\n"
    checked("portfolio", text, rlimit=20_000)
    assert asked == []


class _GivesUp:
    """A session of z3 or cvc5 that answers nothing."""

    def solve(self, *args, **kwargs) -> Outcome:
        return Outcome("unknown", reason="gave up", solver="z3")


S = Sort("S")
P = Symbol("p", (S,), core.BOOL, SymbolKind.PRED)
C = Symbol("c", (), S, SymbolKind.CONST)


def _program(sorts=(S,), symbols=(P, C)) -> core.Program:
    return core.Program("t.align", tuple(sorts), tuple(symbols), (), (), (), next_uid=10)


@pytest.mark.skipif(not eprover.available(), reason="needs eprover")
def test_e_saturating_is_never_a_model_nor_a_counterexample(monkeypatch):
    x = Var("x", S, 0)
    session = portfolio.Portfolio(_program())
    session.z3 = _GivesUp()  # type: ignore[assignment]
    monkeypatch.setattr(portfolio.Portfolio, "_ask_cvc5", lambda self, *a: Outcome("unknown", reason="x", solver="cvc5"))
    some_p = [("some_p", Quant(QuantKind.EXISTS, (x,), App(P, (Var("x", S, 0),))))]
    outcome = session.solve(some_p, [Not(App(P, (App(C),)))], options=SolverOptions(timeout=10))
    assert outcome.status == "unknown" and outcome.model is None
    assert "eprover: saturated (Satisfiable)" in outcome.reason


def test_a_saturation_is_unknown_and_a_proof_names_what_it_cites():
    names = {"ax_a": "a", "ax_b": "b"}
    problem = "fof(ax_a, axiom, p).\nfof(ax_b, axiom, q).\nfof(goal, negated_conjecture, ~ p).\n"
    for status in ("Satisfiable", "CounterSatisfiable"):
        outcome = eprover.read(f"# SZS status {status}\n", problem, names, 10)
        assert outcome.status == "unknown" and outcome.model is None and "proves nothing" in outcome.reason
    proof = ("# SZS status Unsatisfiable\n# SZS output start CNFRefutation\n"
             "fof(goal, negated_conjecture, ~(p), file('<stdin>', goal)).\n"
             "fof(ax_a, axiom, p, file('<stdin>', ax_a)).\n# SZS output end CNFRefutation\n")
    assert eprover.read(proof, problem, names, 10) == Outcome("unsat", core=("a",))


def test_used_is_every_axiom_when_the_proof_object_cannot_be_read():
    names = {"ax_a": "a", "ax_b": "b"}
    problem = "fof(ax_a, axiom, p).\nfof(ax_b, axiom, q).\n"
    no_proof = "# SZS status Unsatisfiable\n"
    stranger = ("# SZS status Unsatisfiable\n# SZS output start CNFRefutation\n"
                "fof(ax_c, axiom, p, file('<stdin>', ax_c)).\n# SZS output end CNFRefutation\n")
    cut_off = "# SZS status Unsatisfiable\n# SZS output start CNFRefutation\nfof(ax_a, axiom, p, file('<stdin>', ax_a)).\n"
    for stdout in (no_proof, stranger, cut_off):
        assert eprover.read(stdout, problem, names, 10).core == ("a", "b")


def test_e_runs_one_strategy_to_a_count_with_randomisation_off():
    command = eprover.command("/usr/bin/eprover", 1234, 0.3)
    assert "--tb-insert-limit=1234" in command and "--cpu-limit=1" in command
    assert [*eprover.STRATEGY] == [a for a in command if a.startswith(("-x", "-t"))]
    if eprover.shutil.which("setarch"):
        assert command[1] == "-R"


def test_the_question_is_written_with_tracked_names_mapped_back():
    x = Var("x", S, 0)
    axiom = Quant(QuantKind.FORALL, (x,), App(P, (x,)))
    text, names = tptp_question(_program(), [("every p", axiom)], [Not(App(P, (App(C),)))])
    assert names == {"every_u0020p": "every p"}
    assert "fof(every_u0020p, axiom," in text and "fof(goal, negated_conjecture," in text
    t = Sort("T")
    two = _program((S, t), (P, C, Symbol("d", (), t, SymbolKind.CONST)))
    typed, _ = tptp_question(two, [], [Eq(App(two.symbols[2]), App(two.symbols[2])), App(P, (App(C),))])
    assert "tff(" in typed and "$tType" in typed


def test_the_question_refuses_arithmetic():
    n = Symbol("n", (), core.INT, SymbolKind.CONST)
    with pytest.raises(Untranslatable):
        tptp_question(_program((), (n,)), [], [core.Compare("<", App(n), core.NumLit(Fraction(3), core.INT))])
    assert not eprover.askable([core.Compare("<", App(n), core.NumLit(Fraction(3), core.INT))])


def test_without_eprover_a_definite_answer_of_cvc5_is_still_the_answer(monkeypatch):
    monkeypatch.setattr(eprover, "path", lambda: None)
    shares = []
    monkeypatch.setattr(portfolio.Portfolio, "_ask_cvc5", lambda self, tracked, plain, scope, options, want:
                        shares.append(options.timeout) or Outcome("unsat", core=("some_p",), solver="cvc5"))
    session = portfolio.Portfolio(_program())
    session.z3 = _GivesUp()  # type: ignore[assignment]
    outcome = session.solve([("some_p", App(P, (App(C),)))], [Not(App(P, (App(C),)))], options=SolverOptions(timeout=10))
    assert (outcome.status, outcome.core, outcome.solver) == ("unsat", ("some_p",), "cvc5")
    assert shares == [5.0]  # the rest of the limits, as without E
