"""The one walker over core terms (translator/logic/walk.py) and the passes built on it.

The walker drives visit methods written as generators with a stack of its
own, so no pass recurses on a term's depth: a formula nested 5,000 deep,
built by hand, goes through every pass (z3 and cvc5 translation, printing,
evaluation, TPTP and SMT-LIB export, the whole checker) in a fresh
interpreter with the default recursion limit and thread stack. A node a pass
has no method for is one error, `UnknownNode`, however the pass reports it.
"""
from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from coreterms import ap

from translator.logic import core
from translator.logic.core import (
    BOOL,
    And,
    BoolLit,
    DefCall,
    Definition,
    Eq,
    Implies,
    Not,
    NumLit,
    Or,
    Sort,
    Symbol,
    SymbolKind,
    Var,
)
from translator.logic.evaluate import evaluate
from translator.logic.model import Model, Table
from translator.logic.printer import Printer, print_term
from translator.logic.walk import Interner, Mapper, UnknownNode, Visit, Visitor, same_term

ROOT = Path(__file__).resolve().parents[2]
A = Sort("A")
P = Symbol("p", (A,), BOOL, SymbolKind.PRED)
C = Symbol("c", (), A, SymbolKind.CONST)
X = Var("x", A, 1)
MODEL = Model({"A": ("A#0",)}, {"p": Table(((("A#0",), True),)), "c": Table((((), "A#0"),))})


# ---------------------------------------------------------------- the walker itself

class Depth(Visitor[int]):
    """How deep a term is: the smallest pass with a generator method."""

    def visit_Not(self, term: Not, env: None) -> Visit:
        return 1 + (yield term.arg)

    def visit_BoolLit(self, term: BoolLit, env: None) -> int:
        return 1


TRUE = BoolLit(True)


def nots(depth: int, inner: core.Term = TRUE) -> core.Term:
    term = inner
    for _ in range(depth):
        term = Not(term)
    return term


def test_a_deep_term_is_walked_without_recursion():
    assert sys.getrecursionlimit() < 100_000
    assert Depth().visit(nots(100_000)) == 100_001


def test_an_unknown_node_is_one_error_naming_the_pass_and_the_node():
    with pytest.raises(UnknownNode) as error:
        Depth().visit(nots(3, ap(P, ap(C))))
    assert error.value.node == "App" and error.value.visitor == "Depth"
    assert str(error.value) == "App is not a core term"
    with pytest.raises(UnknownNode):
        Depth().visit("not a term")  # type: ignore[arg-type]
    assert issubclass(UnknownNode, TypeError)


def test_every_pass_reports_an_unknown_node_its_own_way():
    from translator.solvers.z3 import solve
    program = core.Program("t", (A,), (P, C), (), (), ())
    call = DefCall(Definition("d", (), ap(P, ap(C))))
    with pytest.raises(UnknownNode):
        evaluate("not a term", MODEL)  # type: ignore[arg-type]
    with pytest.raises(UnknownNode):
        print_term(object(), MODEL)  # type: ignore[arg-type]
    outcome = solve(program, [], [call])
    assert outcome.status == "unknown" and "DefCall must be expanded first" in outcome.reason


def test_the_dispatch_table_is_built_once_per_class():
    class Counting(Depth):
        pass

    table = Counting._cases
    Counting().visit(nots(5))
    Counting().visit(nots(5))
    assert Counting._cases is table and table[Not] is Depth.visit_Not
    assert set(Printer._cases) == set(core.TERM_TYPES)  # the printer reads every kind of node


def test_children_are_visited_in_the_order_asked_and_only_when_asked():
    seen = []

    class Order(Visitor[str]):
        def visit_BoolLit(self, term: BoolLit, env: None) -> str:
            seen.append(term.value)
            return str(term.value)

        def visit_And(self, term: And, env: None) -> Visit:
            right = yield term.args[1]  # the second first, then stop: the first is never visited
            return right

    assert Order().visit(And((BoolLit(True), BoolLit(False)))) == "False"
    assert seen == [False]


def test_an_environment_is_handed_down_with_a_sub_term():
    class Env(Visitor[int]):
        def visit_Not(self, term: Not, env: int) -> Visit:
            return (yield term.arg, env + 1)

        def visit_BoolLit(self, term: BoolLit, env: int) -> int:
            return env

    assert Env().visit(nots(7), 0) == 7


def test_memoised_passes_visit_a_shared_sub_term_once():
    visits = []

    class Shared(Visitor[int]):
        def key(self, term: core.Term, env: None) -> int:
            return id(term)

        def visit_And(self, term: And, env: None) -> Visit:
            total = 0
            for arg in term.args:
                total += yield arg
            return total

        def visit_BoolLit(self, term: BoolLit, env: None) -> int:
            visits.append(term)
            return 1

    leaf = BoolLit(True)
    shared = And((leaf, leaf))
    assert Shared().visit(And((shared, shared, leaf))) == 5
    assert visits == [leaf]


def test_a_mapper_rebuilds_what_it_has_no_method_for():
    class Flip(Mapper):
        def visit_BoolLit(self, term: BoolLit, env: None) -> core.Term:
            return BoolLit(not term.value)

    flipped = Flip().visit(Implies(BoolLit(True), Or((BoolLit(False), ap(P, ap(C))))))
    assert flipped == Implies(BoolLit(False), Or((BoolLit(True), ap(P, ap(C)))))


def test_structure_is_compared_and_numbered_without_recursion():
    a, b = nots(50_000, ap(P, ap(C))), nots(50_000, ap(P, ap(C)))
    c = nots(50_000, ap(P, X))
    assert a is not b and same_term(a, b) and not same_term(a, c)
    numbers = Interner()
    assert numbers.number(a) == numbers.number(b) != numbers.number(c)
    assert numbers.number(ap(P, Var("x", A, 1))) == numbers.number(ap(P, X)) != numbers.number(ap(P, Var("x", A, 2)))


def test_the_printer_parenthesises_by_precedence():
    term = And((Or((BoolLit(True), BoolLit(False))), Not(Eq(ap(C), ap(C)))))
    assert print_term(term, MODEL) == "(true or false) and not c = c"
    assert print_term(NumLit(Fraction(1, 3), core.REAL), MODEL) == "1/3"


# ---------------------------------------------------------------- 5,000 deep, through every pass

DEEP = r'''
import json, sys, shutil, subprocess, threading
from fractions import Fraction
from translator.logic import core
from translator.logic.core import *
from translator.logic.model import Model, Table
assert sys.getrecursionlimit() == 1000 and threading.stack_size() == 0

A, U = Sort("A"), Sort("U", ("u",))
U0 = Symbol("u", (), U, SymbolKind.ELEMENT)
P = Symbol("p", (A,), BOOL, SymbolKind.PRED)
G = Symbol("g", (A,), A, SymbolKind.FUN)
C = Symbol("c", (), A, SymbolKind.CONST)
N = Symbol("n", (), INT, SymbolKind.CONST)
app = lambda s, *a: App(s, tuple(a))
g_deep = app(C)
for _ in range(1000):
    g_deep = app(G, g_deep)
total = app(N)
for _ in range(1000):
    total = Add((total, NumLit(Fraction(1), INT)))
f = And((app(P, app(C)), Eq(g_deep, g_deep), Compare(">=", total, app(N))))
negations = 0
for k in range(5000):
    if k % 1000 == 999:
        x = Var("x", U, 10 + k)
        f = Quant(QuantKind.FORALL, (x,), And((f, Eq(x, App(U0)))))
    elif k % 6 == 0:
        f, negations = Not(f), negations + 1
    elif k % 6 == 1:
        f = And((f, BoolLit(True)))
    elif k % 6 == 2:
        f = Or((BoolLit(False), f))
    elif k % 6 == 3:
        f = Implies(BoolLit(True), f)
    elif k % 6 == 4:
        f = Iff(f, BoolLit(True))
    else:
        f = Ite(BoolLit(True), f, BoolLit(False))
claim = f if negations % 2 == 0 else Not(f)
axiom = Axiom("base", app(P, app(C)))
query = Query(QueryKind.CLAIM, "deep", claim, "proved", file="deep.align")
program = Program("deep.align", (A, U), (U0, P, G, C, N), (), (axiom,), (query,), next_uid=100_000)
model = Model({"A": ("A#0",), "U": ("u",)},
              {"p": Table(((("A#0",), True),)), "g": Table(((("A#0",), "A#0"),)), "c": Table((((), "A#0"),)),
               "n": Table((((), 7),))})
out = {}

from translator.logic.evaluate import evaluate
out["evaluated"] = evaluate(claim, model, max_steps=10**7)
from translator.logic.printer import print_term
text = print_term(claim, model)
out["printed"] = [len(text), text.count("not "), text[:20]]
from translator.solvers.z3 import solve, smtlib_script
out["z3"] = solve(program, [("base", axiom.formula)], [Not(claim)]).status
from translator.solvers import cvc5 as second
out["cvc5"] = second.answer(second.load(), program, [axiom.formula, Not(claim)], (), None, 60.0, False).status
from translator.outputs.tptp import tptp_problem
problem = tptp_problem(program, query)
out["tptp"] = [problem.count(", conjecture,"), problem.count("$sum")]
script = smtlib_script(program, [axiom.formula, Not(claim)])
out["smtlib"] = script.rstrip().endswith("(check-sat)")
z3_command = shutil.which("z3")
if z3_command:
    done = subprocess.run([z3_command, "-in"], input=script, capture_output=True, text=True, timeout=120)
    out["z3 command"] = done.stdout.split()[:1]
from translator.check.checker import check_program
result = check_program(program).results[0]
out["checked"] = [result.verdict.value, list(result.used or ())]
from translator.check.records import normalise
normalise(claim)
print(json.dumps(out))
'''


def test_a_formula_5000_deep_goes_through_every_pass_with_the_default_stack():
    bin_dir = str(Path(sys.executable).parent)
    env = {"PYTHONPATH": str(ROOT), "PATH": f"{bin_dir}:/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", DEEP], capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout)
    assert out["evaluated"] is True
    assert out["printed"][0] > 50_000 and out["printed"][1] >= 800
    assert out["z3"] == "unsat" and out["cvc5"] == "unsat"
    assert out["tptp"] == [1, 1000]
    assert out["smtlib"] is True and out.get("z3 command", ["unsat"]) == ["unsat"]
    assert out["checked"] == ["proved", ["base"]]
