"""The portfolio's order (translator/solvers/portfolio.py): z3's small models before cvc5 and E, E
beside cvc5 where two processors allow, and a bounded question answered once per query."""
from __future__ import annotations

import pytest
from coreterms import program_of

from translator.check.checker import CheckOptions, check_program
from translator.logic import core
from translator.logic.core import App, Quant, QuantKind, Scope, Sort, Symbol, SymbolKind, Var
from translator.solvers import cvc5, eprover, portfolio
from translator.solvers.common import Outcome, SolverOptions
from translator.solvers.z3 import session as z3_session

needs_cvc5 = pytest.mark.skipif(not cvc5.available(), reason="needs cvc5")


def z3_gives_up_unbounded(monkeypatch, asked: list):
    """z3 answers every bounded question and gives up on every unbounded one, spending its share."""
    real = z3_session.Session.solve

    def solve(self, tracked, plain=(), bound=None, options=None, want_model=True):
        asked.append(("z3", bound))
        if bound is None:
            if self.budget is not None:
                self.budget.spend(options.resource_limit())
            return Outcome("unknown", reason="gave up", solver="z3")
        return real(self, tracked, plain, bound, options or SolverOptions(), want_model)

    monkeypatch.setattr(z3_session.Session, "solve", solve)


def others_recorded(monkeypatch, asked: list, answer: Outcome | None = None):
    def ask_cvc5(self, tracked, plain, scope, options, want_model):
        asked.append(("cvc5", scope))
        return answer or Outcome("unknown", reason="gave up", solver="cvc5")

    monkeypatch.setattr(portfolio.Portfolio, "_ask_cvc5", ask_cvc5)
    monkeypatch.setattr(eprover.Session, "start", lambda self, *a, **k: asked.append(("eprover", None)) or _Pending())


def z3_gave_up(monkeypatch, beside: bool) -> portfolio.Portfolio:
    """A portfolio whose z3 gives up and finds no small world, with E on PATH, beside cvc5 or not."""
    monkeypatch.setattr(portfolio, "side_by_side", lambda: beside)
    monkeypatch.setattr(eprover, "available", lambda: True)
    session = portfolio.Portfolio(_program())
    session.z3 = _GivesUp()  # type: ignore[assignment]
    monkeypatch.setattr(portfolio.Portfolio, "_small_models", lambda self, *a: None)
    return session


class _Pending:
    cancelled = False

    def result(self) -> Outcome:
        return Outcome("unknown", reason="eprover: gave up", solver="eprover")

    def cancel(self) -> None:
        _Pending.cancelled = True


@needs_cvc5
def test_z3s_small_models_are_asked_before_cvc5_and_e(tmp_path, monkeypatch):
    """z3 gave up on the claim's unbounded question: its 1-element counterexample is found before the
    other solvers are asked, and they are never asked."""
    asked: list = []
    z3_gives_up_unbounded(monkeypatch, asked)
    others_recorded(monkeypatch, asked)
    program = program_of(tmp_path, "sort S\npred p: S\nclaim all_p: forall x: S. p(x)\n")
    (result,) = check_program(program, CheckOptions(timeout=5.0, backend="portfolio")).results
    assert (result.verdict.value, result.solver) == ("counterexample", "z3"), result.reason
    claim = asked[asked.index(("z3", None)):]
    assert claim[:2] == [("z3", None), ("z3", Scope(1))]
    assert not any(who != "z3" for who, _ in asked)


@needs_cvc5
def test_when_no_small_model_exists_the_other_solvers_are_asked_and_the_bounds_not_again(tmp_path, monkeypatch):
    """No model of 1-3 elements: cvc5 and E are asked after them, and the checker's own small models
    afterwards are the answers already given (z3 is not asked a bounded question twice)."""
    asked: list = []
    z3_gives_up_unbounded(monkeypatch, asked)
    others_recorded(monkeypatch, asked)
    text = ("sort S\nfun s: S -> S\nconst zero: S\n"
            "axiom injective: forall x, y: S. s(x) = s(y) -> x = y\n"
            "axiom not_onto_zero: forall x: S. s(x) != zero\n"
            "claim false_claim: exists x: S. s(s(x)) = zero\n")  # every model is infinite
    (result,) = check_program(program_of(tmp_path, text), CheckOptions(timeout=5.0, backend="portfolio")).results
    assert result.verdict.value == "unknown"
    bounded = [bound for who, bound in asked if who == "z3" and bound is not None]
    assert len(bounded) == len(set(bounded)), asked  # each small model asked once
    first_other = next(i for i, (who, _) in enumerate(asked) if who != "z3")
    assert [b for _, b in asked[:first_other] if b is not None][-3:] == [Scope(n) for n in (1, 2, 3)]


@needs_cvc5
def test_e_runs_beside_cvc5_and_is_ended_when_cvc5_answers(monkeypatch):
    """Two processors: E is started before cvc5 is asked, and ended unheard when cvc5 answers."""
    asked: list = []
    session = z3_gave_up(monkeypatch, beside=True)
    others_recorded(monkeypatch, asked, Outcome("unsat", core=("a",), solver="cvc5"))
    _Pending.cancelled = False
    outcome = session.solve([("a", _FORMULA)], options=SolverOptions(timeout=4))
    assert (outcome.status, outcome.solver) == ("unsat", "cvc5")
    assert [who for who, _ in asked] == ["eprover", "cvc5"] and _Pending.cancelled


@needs_cvc5
def test_on_one_processor_e_is_asked_after_cvc5_with_the_last_share(monkeypatch):
    asked: list = []
    session = z3_gave_up(monkeypatch, beside=False)
    others_recorded(monkeypatch, asked)
    shares = []
    monkeypatch.setattr(eprover.Session, "solve", lambda self, t, p, options: shares.append(options.timeout)
                        or Outcome("unknown", reason="eprover: gave up", solver="eprover"))
    outcome = session.solve([("a", _FORMULA)], options=SolverOptions(timeout=4))
    assert outcome.status == "unknown" and "eprover: gave up" in outcome.reason
    assert [who for who, _ in asked] == ["cvc5"] and shares == [pytest.approx(4 * portfolio.E_SHARE)]


def test_the_environment_can_ask_for_the_solvers_in_turn(monkeypatch):
    monkeypatch.setenv("ALIGNPROOF_PORTFOLIO", "sequential")
    assert portfolio.side_by_side() is False


@pytest.mark.skipif(not eprover.available(), reason="needs eprover")
def test_e_started_and_ended_leaves_no_process(monkeypatch):
    session = eprover.Session(_program())
    pending = session.start([("a", _FORMULA)], options=SolverOptions(timeout=5))
    running = pending.running
    pending.cancel()
    assert pending.result().status == "unknown" and "not needed" in pending.result().reason
    assert running.process is not None and running.process.poll() is not None


class _GivesUp:
    def solve(self, *args, **kwargs) -> Outcome:
        return Outcome("unknown", reason="gave up", solver="z3")

_S = Sort("S")
_P = Symbol("p", (_S,), core.BOOL, SymbolKind.PRED)
_FORMULA = Quant(QuantKind.FORALL, (Var("x", _S, 0),), App(_P, (Var("x", _S, 0),)))


def _program() -> core.Program:
    return core.Program("t.align", (_S,), (_P,), (), (), (), next_uid=10)


@needs_cvc5
def test_e_beside_cvc5_is_ended_when_cvc5_fails(monkeypatch):
    session = z3_gave_up(monkeypatch, beside=True)
    monkeypatch.setattr(eprover.Session, "start", lambda self, *a, **k: _Pending())

    def interrupted(self, *args):
        raise KeyboardInterrupt

    monkeypatch.setattr(portfolio.Portfolio, "_ask_cvc5", interrupted)
    _Pending.cancelled = False
    with pytest.raises(KeyboardInterrupt):
        session.solve([("a", _FORMULA)], options=SolverOptions(timeout=4))
    assert _Pending.cancelled


def test_a_bounded_answer_given_again_leaves_no_core_to_shrink_on_another_question():
    """The same bounded question again is answered from the query's memory; z3's session last
    solved something else, so its core is not made smaller there (the checker asks afresh)."""
    session = portfolio.Portfolio(_program())
    x = Var("x", _S, 0)
    all_p = ("all_p", _FORMULA)
    not_p = ("not_p", Quant(QuantKind.EXISTS, (x,), core.Not(App(_P, (x,)))))
    options = SolverOptions(timeout=5)
    first = session.solve([all_p, not_p], bound=1, options=options)
    assert first.status == "unsat"
    other = ("other", Quant(QuantKind.EXISTS, (x,), core.Not(App(_P, (x,)))))  # the same meaning, another formula
    assert session.solve([all_p, other], bound=1, options=options).status == "unsat"  # another question
    again = session.solve([all_p, not_p], bound=1, options=options)
    assert again == first and session.smaller_core(first.core, options) is None
