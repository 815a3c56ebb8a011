"""The independent evaluator (translator/logic/evaluate.py), on small hand-made models."""
from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest
from coreterms import exists, forall, num
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.logic.core import (
    BOOL,
    INT,
    REAL,
    Add,
    And,
    App,
    BoolLit,
    BuiltinCall,
    Compare,
    DefCall,
    Definition,
    Eq,
    Iff,
    Implies,
    Ite,
    Neg,
    Not,
    Or,
    Quant,
    QuantKind,
    Scale,
    Sort,
    Symbol,
    SymbolKind,
    Var,
)
from translator.logic.evaluate import evaluate, failing, holds
from translator.logic.model import Model, Table

AGENT = Sort("Agent")
DIST = Sort("Dist", elements=("train", "deploy"))
T, F = BoolLit(True), BoolLit(False)


def sym(name, args, result, kind=SymbolKind.FUN):
    return Symbol(name, tuple(args), result, kind)


def table(mapping, default=None):
    """A Table from {args-tuple: value}."""
    return Table(tuple(mapping.items()), default)


P = sym("p", [AGENT], BOOL, SymbolKind.PRED)
Q = sym("q", [AGENT], BOOL, SymbolKind.PRED)
MISSING = sym("missing", [], BOOL, SymbolKind.CONST)   # no table: undecided
A0 = sym("a0", [], AGENT, SymbolKind.CONST)
SCORE = sym("score", [AGENT], INT)
WEIGHT = sym("weight", [AGENT], REAL)
MODE = sym("mode", [AGENT], DIST)
TRAIN = sym("train", [], DIST, SymbolKind.ELEMENT)
DEPLOY = sym("deploy", [], DIST, SymbolKind.ELEMENT)
U = App(MISSING)

X = Var("x", AGENT, 1)
Y = Var("y", AGENT, 2)


@pytest.fixture
def model():
    """Two agents: p = {A#0}, q = everyone, score 3 / 5, weight 1/2 / 1/3."""
    return Model(
        universes={"Agent": ("Agent#0", "Agent#1"), "Dist": ("train", "deploy")},
        tables={
            "p": table({("Agent#0",): True, ("Agent#1",): False}),
            "q": table({}, default=True),
            "a0": table({(): "Agent#0"}),
            "score": table({("Agent#0",): 3, ("Agent#1",): 5}),
            "weight": table({("Agent#0",): Fraction(1, 2), ("Agent#1",): Fraction(1, 3)}),
            "mode": table({("Agent#0",): "train", ("Agent#1",): "deploy"}),
        })


def p(arg):
    return App(P, (arg,))


# ---------------------------------------------------------------- connectives

@pytest.mark.parametrize("term, expected", [
    (Not(T), False), (Not(F), True), (Not(U), None),
    (And((T, T)), True), (And((T, F)), False), (And(()), True),
    (And((F, U)), False), (And((U, F)), False), (And((T, U)), None),
    (Or((F, F)), False), (Or((F, T)), True), (Or(()), False),
    (Or((T, U)), True), (Or((U, T)), True), (Or((F, U)), None),
    (Implies(F, U), True), (Implies(U, T), True), (Implies(T, F), False),
    (Implies(T, U), None), (Implies(U, F), None), (Implies(T, T), True),
    (Iff(T, T), True), (Iff(T, F), False), (Iff(F, F), True), (Iff(U, T), None),
    (Ite(T, num(1), num(2)), 1), (Ite(F, num(1), num(2)), 2),
    (Ite(U, num(1), num(1)), 1), (Ite(U, num(1), num(2)), None),
])
def test_connectives_are_kleene(model, term, expected):
    assert evaluate(term, model) == expected
    assert type(evaluate(term, model)) is type(expected)


def test_symbols_elements_and_equality(model):
    assert evaluate(p(App(A0)), model) is True
    assert evaluate(App(MODE, (App(A0),)), model) == "train"
    assert evaluate(App(TRAIN), model) == "train"
    assert evaluate(Eq(App(MODE, (App(A0),)), App(DEPLOY)), model) is False
    assert evaluate(Eq(App(A0), App(A0)), model) is True
    assert evaluate(Eq(App(A0), App(sym("nobody", [], AGENT, SymbolKind.CONST))), model) is None
    # a Bool never equals a number, although True == 1 in Python
    assert evaluate(Eq(T, num(1)), model) is False


def test_witness_constants_are_ordinary_tables(model):
    witness = sym("x!claim", [], AGENT, SymbolKind.WITNESS)
    tables = dict(model.tables, **{"x!claim": table({(): "Agent#1"})})
    assert evaluate(p(App(witness)), Model(model.universes, tables)) is False


def test_variables_come_from_the_environment(model):
    assert evaluate(p(X), model, {1: "Agent#1"}) is False
    assert evaluate(p(X), model) is None  # unbound: undecided


def test_ill_typed_table_values_are_undecided(model):
    tables = dict(model.tables, p=table({("Agent#0",): "yes"}), a0=table({(): "Stranger#9"}))
    bad = Model(model.universes, tables)
    assert evaluate(p(X), bad, {1: "Agent#0"}) is None
    assert evaluate(App(A0), bad) is None


# ---------------------------------------------------------------- quantifiers

def test_quantifiers_over_an_uninterpreted_sort(model):
    assert evaluate(forall([X], App(Q, (X,))), model) is True
    assert evaluate(forall([X], p(X)), model) is False
    assert evaluate(exists([X], p(X)), model) is True
    assert evaluate(exists([X], And((p(X), Not(p(X))))), model) is False
    # nested: every agent's score is at most someone's
    le = Compare("<=", App(SCORE, (X,)), App(SCORE, (Y,)))
    assert evaluate(forall([X], exists([Y], le)), model) is True
    assert evaluate(exists([X], forall([Y], le)), model) is True
    assert evaluate(forall([X, Y], le), model) is False


def test_quantifiers_over_finite_sorts_and_bool(model):
    d = Var("d", DIST, 3)
    b = Var("b", BOOL, 4)
    assert evaluate(forall([d], Or((Eq(d, App(TRAIN)), Eq(d, App(DEPLOY))))), model) is True
    assert evaluate(forall([d], Eq(d, App(TRAIN))), model) is False
    assert evaluate(forall([b], Or((b, Not(b)))), model) is True
    assert evaluate(exists([b], And((b, Not(b)))), model) is False
    assert evaluate(exists([b, d], And((b, Eq(d, App(DEPLOY))))), model) is True


def test_quantifiers_over_numbers_are_undecided(model):
    n = Var("n", INT, 5)
    r = Var("r", REAL, 6)
    assert evaluate(forall([n], Eq(n, n)), model) is None
    assert evaluate(exists([r], Eq(r, r)), model) is None
    # ... unless the connective around them decides without them
    assert evaluate(And((F, forall([n], Eq(n, n)))), model) is False
    assert evaluate(Or((exists([r], Eq(r, r)), T)), model) is True


def test_quantifier_kleene_cases(model):
    body = Or((p(X), U))  # true at Agent#0, undecided at Agent#1
    assert evaluate(exists([X], body), model) is True
    assert evaluate(forall([X], body), model) is None
    assert evaluate(forall([X], And((p(X), U))), model) is False  # false at Agent#1


def test_empty_or_missing_universe_is_undecided():
    empty = Model(universes={"Agent": ()}, tables={})
    assert evaluate(forall([X], T), empty) is None
    assert evaluate(exists([X], T), Model(universes={}, tables={})) is None


def test_enumeration_budget(model):
    # forall x, y, z. q(z): one step for the quantifier, then two (q and z) for each of
    # 2 partial assignments of x, 4 of x and y, and 8 complete ones: 1 + 2 * 14 = 29
    z = Var("z", AGENT, 7)
    formula = forall([X, Y, z], App(Q, (z,)))
    assert holds(formula, model, max_steps=29) is True
    assert holds(formula, model, max_steps=28) is None


def test_a_huge_enumeration_gives_up_within_the_budget():
    big = Model(universes={"Agent": tuple(f"Agent#{i}" for i in range(200))},
                tables={"q": table({}, default=True)})
    z = Var("z", AGENT, 7)
    assert holds(forall([X, Y, z], App(Q, (z,))), big, max_steps=10_000) is None


def test_partial_assignments_prune_the_search():
    # exists x1..x10. p(x1) and ... and p(x10) and q(x1): 5^10 (about 10 million)
    # complete assignments, but every partial one that picks a non-p agent is settled false
    agents = tuple(f"Agent#{i}" for i in range(5))
    m = Model(universes={"Agent": agents},
              tables={"p": table({(a,): a == "Agent#4" for a in agents}),
                      "q": table({(a,): True for a in agents})})
    xs = [Var(f"x{i}", AGENT, 100 + i) for i in range(10)]
    body = And(tuple(p(x) for x in xs) + (App(Q, (xs[0],)),))
    assert holds(exists(xs, body), m, max_steps=1_000) is True
    assert holds(forall(xs, Not(body)), m, max_steps=1_000) is False
    assert holds(exists(xs, And((body, Not(App(Q, (xs[-1],)))))), m, max_steps=1_000) is False


def test_nested_enumeration_shares_the_budget(model):
    # outer quantifier 1 step; per agent, the inner quantifier 1 + its body twice: 1 + 2 * 3 = 7
    formula = forall([X], forall([Y], T))
    assert holds(formula, model, max_steps=7) is True
    assert holds(formula, model, max_steps=6) is None


def test_failing_shares_one_budget_across_formulas(model):
    formula = forall([X], forall([Y], T))
    assert failing(model, [("a", formula)], max_steps=7) == []
    assert failing(model, [("a", formula), ("b", formula)], max_steps=13) == ["b"]
    assert failing(model, [("a", formula), ("b", formula)], max_steps=14) == []


# ---------------------------------------------------------------- arithmetic

def test_int_arithmetic_is_exact_int(model):
    total = Add((App(SCORE, (App(A0),)), num(4), Neg(num(2))))
    assert evaluate(total, model) == 5 and type(evaluate(total, model)) is int
    assert evaluate(Scale(Fraction(3), num(7)), model) == 21
    assert type(evaluate(Scale(Fraction(3), num(7)), model)) is int
    assert evaluate(Scale(Fraction(1, 2), num(3)), model) is None  # not an Int
    assert evaluate(Compare("<", num(2), num(3)), model) is True
    assert evaluate(Compare(">=", num(2), num(3)), model) is False


def test_real_arithmetic_is_exact_fraction(model):
    a1 = sym("a1", [], AGENT, SymbolKind.CONST)
    tables = dict(model.tables, a1=table({(): "Agent#1"}))
    m = Model(model.universes, tables)
    total = Add((App(WEIGHT, (App(A0),)), App(WEIGHT, (App(a1),))))
    assert evaluate(total, m) == Fraction(5, 6)
    assert evaluate(Scale(Fraction(1, 3), num(1, REAL)), m) == Fraction(1, 3)
    assert isinstance(evaluate(num(2, REAL), m), Fraction)
    assert evaluate(Eq(Scale(Fraction(3), App(WEIGHT, (App(a1),))), num(1, REAL)), m) is True
    assert evaluate(Compare("<=", Add((num(1, REAL), U)), num(1, REAL)), m) is None


# ---------------------------------------------------------------- built-ins

S = Sort("S")
SIGMA = Sort("Sigma")
FS = sym("f", [S], REAL)
GS = sym("g", [S], INT)
GSIGMA = sym("h", [SIGMA], REAL)
BRIDGE = sym("b", [SIGMA], S, SymbolKind.BRIDGE)
GOOD = sym("good", [S], BOOL, SymbolKind.PRED)
Z = sym("z", [], S, SymbolKind.CONST)


def world(f, g, h, b, good=None, z="S#0"):
    """A model over S = {S#0, S#1, S#2} and Sigma = {Sigma#0, Sigma#1}."""
    s = ("S#0", "S#1", "S#2")
    sigma = ("Sigma#0", "Sigma#1")
    good = good or (True, True, True)
    return Model(
        universes={"S": s, "Sigma": sigma},
        tables={
            "f": table({(x,): Fraction(v) for x, v in zip(s, f)}),
            "g": table({(x,): v for x, v in zip(s, g)}),
            "h": table({(x,): Fraction(v) for x, v in zip(sigma, h)}),
            "b": table({(x,): v for x, v in zip(sigma, b)}),
            "good": table({(x,): v for x, v in zip(s, good)}),
            "z": table({(): z}),
        })


def builtin(name, *symbols, via=None, args=()):
    return BuiltinCall(name, tuple(symbols), via, tuple(args))


def test_agree_same_domain():
    agree = builtin("agree", FS, GS)
    assert holds(agree, world(f=(1, 2, 3), g=(10, 20, 30), h=(0, 0), b=("S#0", "S#0"))) is True
    assert holds(agree, world(f=(1, 2, 2), g=(10, 20, 20), h=(0, 0), b=("S#0", "S#0"))) is True
    assert holds(agree, world(f=(1, 2, 3), g=(10, 30, 20), h=(0, 0), b=("S#0", "S#0"))) is False
    # a tie in one and not the other breaks agreement
    assert holds(agree, world(f=(1, 1, 3), g=(10, 20, 30), h=(0, 0), b=("S#0", "S#0"))) is False


def test_agree_via_a_bridge():
    agree = builtin("agree", FS, GSIGMA, via=BRIDGE)
    # h orders Sigma#0 < Sigma#1; f orders their images S#2 (3) > S#0 (1): disagree
    assert holds(agree, world(f=(1, 2, 3), g=(0, 0, 0), h=(5, 6), b=("S#2", "S#0"))) is False
    assert holds(agree, world(f=(1, 2, 3), g=(0, 0, 0), h=(5, 6), b=("S#0", "S#2"))) is True
    # f disagrees with h outside the bridge's image (S#1): irrelevant
    assert holds(agree, world(f=(1, 9, 3), g=(0, 0, 0), h=(5, 6), b=("S#0", "S#2"))) is True


def test_agree_on_restricts_to_the_predicate():
    on = builtin("agree_on", GOOD, FS, GS)
    base = dict(f=(1, 2, 3), g=(10, 30, 20), h=(0, 0), b=("S#0", "S#0"))
    assert holds(on, world(**base)) is False
    assert holds(on, world(**base, good=(True, False, True))) is True
    assert holds(on, world(**base, good=(True, True, False))) is True
    assert holds(on, world(**base, good=(False, True, True))) is False


def test_maximizes():
    best = builtin("maximizes", FS, args=(App(Z),))
    assert holds(best, world(f=(1, 5, 5), g=(0, 0, 0), h=(0, 0), b=("S#0", "S#0"), z="S#1")) is True
    assert holds(best, world(f=(1, 5, 5), g=(0, 0, 0), h=(0, 0), b=("S#0", "S#0"), z="S#2")) is True
    assert holds(best, world(f=(1, 5, 5), g=(0, 0, 0), h=(0, 0), b=("S#0", "S#0"), z="S#0")) is False


def test_injective_and_surjective():
    inj, surj = builtin("injective", BRIDGE), builtin("surjective", BRIDGE)
    one_to_one = world(f=(0, 0, 0), g=(0, 0, 0), h=(0, 0), b=("S#0", "S#1"))
    collapsed = world(f=(0, 0, 0), g=(0, 0, 0), h=(0, 0), b=("S#1", "S#1"))
    assert holds(inj, one_to_one) is True
    assert holds(inj, collapsed) is False
    assert holds(surj, one_to_one) is False  # S#2 is missed: |Sigma| < |S|
    onto = sym("onto", [S], SIGMA, SymbolKind.BRIDGE)
    tables = dict(one_to_one.tables,
                  onto=table({("S#0",): "Sigma#0", ("S#1",): "Sigma#1", ("S#2",): "Sigma#1"}))
    m = Model(one_to_one.universes, tables)
    assert holds(builtin("surjective", onto), m) is True
    assert holds(builtin("injective", onto), m) is False


def test_builtins_with_missing_entries_are_undecided():
    m = world(f=(1, 2, 3), g=(10, 20, 30), h=(0, 0), b=("S#0", "S#1"))
    tables = dict(m.tables, g=table({("S#0",): 10, ("S#1",): 20}))  # no row for S#2
    assert holds(builtin("agree", FS, GS), Model(m.universes, tables)) is None


# ---------------------------------------------------------------- definitions

def test_defcall_with_nested_binders(model):
    # def someone_above(a: Agent) := exists b: Agent. score(b) > score(a)
    a = Var("a", AGENT, 10)
    b = Var("b", AGENT, 11)
    above = Definition("someone_above", (a,), exists([b], Compare(">", App(SCORE, (b,)), App(SCORE, (a,)))))
    # def everyone_but_one := exists c: Agent. not someone_above(c) and
    #                        forall a: Agent. a = c or someone_above(a)   (a reuses the param uid)
    c = Var("c", AGENT, 12)
    shadow = Var("a", AGENT, 10)
    unique_top = Definition("unique_top", (), exists([c], And((
        Not(DefCall(above, (c,))),
        forall([shadow], Or((Eq(shadow, c), DefCall(above, (shadow,)))))))))
    assert evaluate(DefCall(above, (App(A0),)), model) is True
    assert evaluate(forall([X], DefCall(above, (X,))), model) is False
    assert evaluate(DefCall(unique_top), model) is True


def test_defcall_with_an_undecided_argument(model):
    a = Var("a", BOOL, 20)
    ignore = Definition("ignore", (a,), Or((a, T)))
    use = Definition("use", (a,), a)
    assert evaluate(DefCall(ignore, (U,)), model) is True
    assert evaluate(DefCall(use, (U,)), model) is None


# ---------------------------------------------------------------- failing: the checker's view

def test_a_corrupted_model_is_caught(model):
    # everyone with p has a smaller score than someone else; and a0 is in p
    smaller = exists([Y], Compare("<", App(SCORE, (X,)), App(SCORE, (Y,))))
    formulas = [("p_has_room", forall([X], Implies(p(X), smaller))),
                ("a0_in_p", p(App(A0))),
                ("modes_differ", forall([Y], Or((Eq(Y, App(A0)),
                                                 Not(Eq(App(MODE, (App(A0),)), App(MODE, (Y,))))))))]
    assert failing(model, formulas) == []
    flipped = dict(model.tables, score=table({("Agent#0",): 7, ("Agent#1",): 5}))
    assert failing(Model(model.universes, flipped), formulas) == ["p_has_room"]
    flipped = dict(model.tables, mode=table({("Agent#0",): "train", ("Agent#1",): "train"}))
    assert failing(Model(model.universes, flipped), formulas) == ["modes_differ"]


def test_undecided_formulas_are_reported_as_failing(model):
    n = Var("n", INT, 30)
    formulas = [("fine", T), ("over_int", forall([n], Eq(n, n))), ("no_table", U), ("false", F)]
    assert failing(model, formulas) == ["over_int", "no_table", "false"]


def test_unknown_term_kinds_are_a_bug(model):
    with pytest.raises(TypeError):
        evaluate("not a term", model)  # type: ignore[arg-type]


# ---------------------------------------------------------------- properties

ATOMS = [sym(f"b{i}", [], BOOL, SymbolKind.CONST) for i in range(4)]


def formulas_strategy():
    leaves = st.sampled_from([App(s) for s in ATOMS] + [T, F])
    return st.recursive(leaves, lambda sub: st.one_of(
        sub.map(Not),
        st.lists(sub, max_size=3).map(lambda xs: And(tuple(xs))),
        st.lists(sub, max_size=3).map(lambda xs: Or(tuple(xs))),
        st.tuples(sub, sub).map(lambda ab: Implies(*ab)),
        st.tuples(sub, sub).map(lambda ab: Iff(*ab)),
        st.tuples(sub, sub, sub).map(lambda abc: Ite(*abc))), max_leaves=12)


def python_value(term, values):
    """A two-valued reference semantics, written separately from the evaluator."""
    match term:
        case BoolLit(value=v):
            return v
        case App(symbol=s):
            return values[s.name]
        case Not(arg=a):
            return not python_value(a, values)
        case And(args=xs):
            return all(python_value(x, values) for x in xs)
        case Or(args=xs):
            return any(python_value(x, values) for x in xs)
        case Implies(lhs=a, rhs=b):
            return (not python_value(a, values)) or python_value(b, values)
        case Iff(lhs=a, rhs=b):
            return python_value(a, values) == python_value(b, values)
        case Ite(cond=c, then=t, else_=e):
            return python_value(t if python_value(c, values) else e, values)
    raise AssertionError(term)


@settings(max_examples=300, deadline=None)
@given(formulas_strategy(), st.lists(st.booleans(), min_size=4, max_size=4),
       st.lists(st.booleans(), min_size=4, max_size=4))
def test_kleene_agrees_with_two_valued_logic_and_is_monotone(term, values, hidden):
    full = {s.name: v for s, v in zip(ATOMS, values)}
    total = Model(universes={}, tables={k: table({(): v}) for k, v in full.items()})
    partial = Model(universes={}, tables={k: table({(): v}) for (k, v), h in zip(full.items(), hidden)
                                          if not h})
    expected = python_value(term, full)
    assert evaluate(term, total) is expected
    assert evaluate(term, partial) in (None, expected)  # knowing less never flips a verdict


QVARS = [Var(name, AGENT, 40 + i) for i, name in enumerate("uvw")]
R = sym("r", [AGENT, AGENT], BOOL, SymbolKind.PRED)
THREE = ("Agent#0", "Agent#1", "Agent#2")


def quantified_strategy():
    v = st.sampled_from(QVARS)
    leaves = st.one_of(v.map(p), st.tuples(v, v).map(lambda ab: App(R, ab)),
                       st.tuples(v, v).map(lambda ab: Eq(*ab)), st.sampled_from([T, F, U]))
    binders = st.lists(v, min_size=1, max_size=3, unique_by=lambda x: x.uid)
    return st.recursive(leaves, lambda sub: st.one_of(
        sub.map(Not),
        st.lists(sub, min_size=1, max_size=3).map(lambda xs: And(tuple(xs))),
        st.lists(sub, min_size=1, max_size=3).map(lambda xs: Or(tuple(xs))),
        st.tuples(sub, sub).map(lambda ab: Implies(*ab)),
        st.tuples(st.sampled_from(list(QuantKind)), binders, sub).map(
            lambda kvb: Quant(kvb[0], tuple(kvb[1]), kvb[2]))), max_leaves=10)


def brute_force(term, model, env):
    """Reference semantics by plain enumeration, for the property test below (U is undecided)."""
    match term:
        case Quant(kind=kind, vars=vs, body=body):
            values = [brute_force(body, model, {**env, **{v.uid: a for v, a in zip(vs, combo)}})
                      for combo in product(THREE, repeat=len(vs))]
            want = kind is QuantKind.EXISTS
            if want in values:
                return want
            return None if None in values else not want
        case Not(arg=a):
            value = brute_force(a, model, env)
            return None if value is None else not value
        case And(args=xs) | Or(args=xs):
            values = [brute_force(x, model, env) for x in xs]
            stop = isinstance(term, Or)
            return stop if stop in values else (None if None in values else not stop)
        case Implies(lhs=a, rhs=b):
            return brute_force(Or((Not(a), b)), model, env)
        case Eq(lhs=a, rhs=b):
            return env[a.uid] == env[b.uid]
        case App(symbol=s, args=args):
            return model.value(s.name, tuple(env[a.uid] for a in args))
        case BoolLit(value=v):
            return v
    raise AssertionError(term)


@settings(max_examples=300, deadline=None)
@given(quantified_strategy(), st.lists(st.booleans(), min_size=12, max_size=12))
def test_backtracking_search_agrees_with_plain_enumeration(term, bits):
    closed = forall(QVARS, term)
    pairs = [(a, b) for a in THREE for b in THREE]
    m = Model(universes={"Agent": THREE},
              tables={"p": table({(a,): bits[i] for i, a in enumerate(THREE)}),
                      "r": table({ab: bits[3 + i] for i, ab in enumerate(pairs)})})
    assert evaluate(closed, m) is brute_force(closed, m, {})
