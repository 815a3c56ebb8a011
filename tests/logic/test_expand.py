"""Expansion (translator/logic/expand.py): definitions unfolded capture-free, built-ins written out."""
from __future__ import annotations

import pytest
from coreterms import ap, exists, forall

from translator.logic.core import (
    BOOL,
    INT,
    REAL,
    And,
    BuiltinCall,
    Compare,
    DefCall,
    Definition,
    Eq,
    Iff,
    Implies,
    Not,
    Quant,
    Sort,
    Symbol,
    SymbolKind,
    Var,
    walk,
)
from translator.logic.expand import Fresh, expand, expand_builtin, is_expanded, substitute, unfold

S = Sort("S")
SIGMA = Sort("Sigma")
F = Symbol("f", (S,), REAL, SymbolKind.FUN)
G = Symbol("g", (S,), INT, SymbolKind.FUN)
H = Symbol("h", (SIGMA,), REAL, SymbolKind.FUN)
B = Symbol("b", (SIGMA,), S, SymbolKind.BRIDGE)
SEEN = Symbol("seen", (SIGMA,), BOOL, SymbolKind.PRED)
R = Symbol("r", (S, S), BOOL, SymbolKind.PRED)
C = Symbol("c", (), S, SymbolKind.CONST)


# ---------------------------------------------------------------- fresh names and substitution

def test_fresh_counts_from_its_start():
    fresh = Fresh(40)
    assert [fresh(), fresh(), fresh()] == [40, 41, 42]
    assert Fresh(40)() == 40  # two supplies with the same start agree: deterministic


def test_substitute_replaces_free_variables_only():
    x, y = Var("x", S, 1), Var("y", S, 2)
    term = And((ap(R, x, y), forall([x], ap(R, x, y))))
    got = substitute(term, {1: ap(C), 2: ap(C)})
    assert got == And((ap(R, ap(C), ap(C)), forall([x], ap(R, x, ap(C)))))


# ---------------------------------------------------------------- definitions

def test_unfold_substitutes_parameters():
    a = Var("a", S, 1)
    defn = Definition("loves_c", (a,), ap(R, a, ap(C)))
    assert unfold(DefCall(defn, (ap(C),)), Fresh(100)) == ap(R, ap(C), ap(C))


def test_unfold_is_capture_free():
    # def d(a: S) := exists y: S. r(a, y); the argument is a variable that happens to
    # carry the uid of the definition's bound variable: it must stay free.
    a, y = Var("a", S, 1), Var("y", S, 2)
    defn = Definition("d", (a,), exists([y], ap(R, a, y)))
    outer = Var("y", S, 2)
    got = unfold(DefCall(defn, (outer,)), Fresh(100))
    assert got == exists([Var("y", S, 100)], ap(R, outer, Var("y", S, 100)))


def test_unfold_is_one_level():
    a = Var("a", S, 1)
    inner = Definition("inner", (a,), ap(R, a, a))
    b = Var("b", S, 2)
    outer = Definition("outer", (b,), Not(DefCall(inner, (b,))))
    assert unfold(DefCall(outer, (ap(C),)), Fresh(100)) == Not(DefCall(inner, (ap(C),)))


def test_expand_unfolds_nested_definitions_with_fresh_binders_each_time():
    a, y = Var("a", S, 1), Var("y", S, 2)
    some = Definition("some", (a,), exists([y], ap(R, a, y)))
    b = Var("b", S, 3)
    twice = Definition("twice", (b,), And((DefCall(some, (b,)), DefCall(some, (ap(C),)))))
    got = expand(DefCall(twice, (ap(C),)), Fresh(100))
    assert is_expanded(got)
    binders = [v.uid for node in walk(got) if isinstance(node, Quant) for v in node.vars]
    assert len(binders) == len(set(binders)) == 2
    assert min(binders) >= 100


def test_parameterless_definition():
    everyone = Definition("everyone", (), forall([Var("x", S, 1)], ap(R, Var("x", S, 1), ap(C))))
    got = expand(DefCall(everyone), Fresh(7))
    assert got == forall([Var("x", S, 7)], ap(R, Var("x", S, 7), ap(C)))


# ---------------------------------------------------------------- built-ins (LANGUAGE.md §3)

def test_agree():
    got = expand_builtin(BuiltinCall("agree", (F, G)), Fresh(10))
    x, y = Var("x", S, 10), Var("y", S, 11)
    want = forall([x, y], Iff(Compare("<=", ap(G, x), ap(G, y)), Compare("<=", ap(F, x), ap(F, y))))
    assert got == want


def test_agree_via_bridge():
    got = expand_builtin(BuiltinCall("agree", (F, H), via=B), Fresh(10))
    x, y = Var("x", SIGMA, 10), Var("y", SIGMA, 11)
    want = forall([x, y], Iff(Compare("<=", ap(H, x), ap(H, y)),
                              Compare("<=", ap(F, ap(B, x)), ap(F, ap(B, y)))))
    assert got == want


def test_agree_on_restricts_both_variables():
    got = expand_builtin(BuiltinCall("agree_on", (SEEN, F, H), via=B), Fresh(10))
    x, y = Var("x", SIGMA, 10), Var("y", SIGMA, 11)
    order = Iff(Compare("<=", ap(H, x), ap(H, y)), Compare("<=", ap(F, ap(B, x)), ap(F, ap(B, y))))
    assert got == forall([x, y], Implies(And((ap(SEEN, x), ap(SEEN, y))), order))


def test_agree_on_without_bridge():
    p = Symbol("p", (S,), BOOL, SymbolKind.PRED)
    got = expand_builtin(BuiltinCall("agree_on", (p, F, G)), Fresh(10))
    x, y = Var("x", S, 10), Var("y", S, 11)
    order = Iff(Compare("<=", ap(G, x), ap(G, y)), Compare("<=", ap(F, x), ap(F, y)))
    assert got == forall([x, y], Implies(And((ap(p, x), ap(p, y))), order))


def test_maximizes():
    got = expand_builtin(BuiltinCall("maximizes", (F,), args=(ap(C),)), Fresh(10))
    y = Var("y", S, 10)
    assert got == forall([y], Compare("<=", ap(F, y), ap(F, ap(C))))


def test_maximizes_argument_keeps_its_free_variable():
    z = Var("y", S, 10)  # a user variable named y, with the uid the expansion would pick next
    got = expand_builtin(BuiltinCall("maximizes", (F,), args=(z,)), Fresh(11))
    y = Var("y", S, 11)
    assert got == forall([y], Compare("<=", ap(F, y), ap(F, z)))


def test_injective():
    got = expand_builtin(BuiltinCall("injective", (B,)), Fresh(10))
    x, y = Var("x", SIGMA, 10), Var("y", SIGMA, 11)
    assert got == forall([x, y], Implies(Eq(ap(B, x), ap(B, y)), Eq(x, y)))


def test_surjective():
    got = expand_builtin(BuiltinCall("surjective", (B,)), Fresh(10))
    s, x = Var("s", S, 10), Var("x", SIGMA, 11)
    assert got == forall([s], exists([x], Eq(ap(B, x), s)))


def test_unknown_builtin_is_an_error():
    with pytest.raises(ValueError):
        expand_builtin(BuiltinCall("bogus", (B,)), Fresh(0))


def test_expand_reaches_builtins_inside_definitions_and_their_arguments():
    best = Definition("best", (), ap(C))  # a parameterless def used as maximizes' argument
    a = Var("a", S, 1)
    defn = Definition("top", (a,), And((Eq(a, a), BuiltinCall("maximizes", (F,), args=(DefCall(best),)))))
    got = expand(Implies(DefCall(defn, (ap(C),)), Eq(ap(C), ap(C))), Fresh(50))
    assert is_expanded(got)
    y = Var("y", S, 50)
    assert got == Implies(And((Eq(ap(C), ap(C)), forall([y], Compare("<=", ap(F, y), ap(F, ap(C)))))),
                          Eq(ap(C), ap(C)))
