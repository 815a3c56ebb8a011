"""Subsets of tracked formulas on one solver (solvers/z3/session.py `Subsets`): answers by assumptions."""
from __future__ import annotations

from translator.logic.core import BOOL, App, DefCall, Definition, Not, Program, Sort, Symbol, SymbolKind
from translator.solvers.z3 import Session, SolverOptions

S = Sort("S")
C = Symbol("c", (), S, SymbolKind.CONST)
P = Symbol("p", (S,), BOOL, SymbolKind.PRED)
Q = Symbol("q", (S,), BOOL, SymbolKind.PRED)
PROGRAM = Program("t.align", (S,), (C, P, Q), (), (), ())
PC, QC = App(P, (App(C),)), App(Q, (App(C),))


def test_subsets_are_answered_on_one_solver_with_cores_among_the_members():
    subsets = Session(PROGRAM).subsets([("a", PC), ("b", Not(PC)), ("c", QC)], plain=[Not(QC)])
    options = SolverOptions(timeout=5)
    assert subsets.check(["a", "b"], options).core == ("a", "b")
    assert subsets.check(["a", "c"], options).core == ("c",)
    sat = subsets.check(["a"], options)
    assert sat.status == "sat" and sat.model is not None and sat.model.tables["p"].lookup(("S#0",)) is True
    assert subsets.check(["b"], options, want_model=False).status == "sat"
    assert subsets.questions == 4 and subsets.names == ("a", "b", "c")


def test_a_formula_the_back_end_cannot_translate_makes_every_answer_unknown():
    raw = Definition("d", (), PC)
    subsets = Session(PROGRAM).subsets([("a", DefCall(raw))])  # definitions must be expanded first
    outcome = subsets.check(["a"], SolverOptions(timeout=1))
    assert outcome.status == "unknown" and "cannot translate" in outcome.reason
