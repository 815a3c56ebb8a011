"""The solver back end (translator/solvers/z3/): translation, limits, cores, models copied out of z3."""
from __future__ import annotations

import ast
import dataclasses
from fractions import Fraction
from pathlib import Path

from coreterms import ap, exists, forall, num

from translator.logic.core import (
    BOOL,
    INT,
    REAL,
    Add,
    And,
    BoolLit,
    Compare,
    DefCall,
    Definition,
    Eq,
    Ite,
    Neg,
    Not,
    Or,
    Program,
    Scale,
    Sort,
    Symbol,
    SymbolKind,
    Var,
)
from translator.logic.model import Model, Table
from translator.solvers.z3 import Outcome, SolverOptions, solve, z3_version

AGENT = Sort("Agent")
DIST = Sort("Dist", ("train", "deploy"))
TRAIN = Symbol("train", (), DIST, SymbolKind.ELEMENT)
DEPLOY = Symbol("deploy", (), DIST, SymbolKind.ELEMENT)
P = Symbol("p", (AGENT,), BOOL, SymbolKind.PRED)
WELL = Symbol("performs_well", (AGENT, DIST), BOOL, SymbolKind.PRED)
BOSS = Symbol("boss", (AGENT,), AGENT, SymbolKind.FUN)
X = Symbol("x", (), AGENT, SymbolKind.CONST)  # a user constant named like a bound variable
N = Symbol("n", (), INT, SymbolKind.CONST)
R = Symbol("r", (), REAL, SymbolKind.CONST)
SCORE = Symbol("score", (INT,), INT, SymbolKind.FUN)
MODE = Symbol("mode", (), DIST, SymbolKind.CONST)
FLAG = Symbol("flag", (BOOL,), AGENT, SymbolKind.FUN)

PROGRAM = Program("t.align", (DIST, AGENT),
                  (TRAIN, DEPLOY, P, WELL, BOSS, X, N, R, SCORE, MODE, FLAG), (), (), (), next_uid=100)


def var(name, sort, uid):
    return Var(name, sort, uid)


def witness(name, sort):
    return Symbol(name, (), sort, SymbolKind.WITNESS)


def distinct3(sort):
    a, b, c = var("a", sort, 1), var("b", sort, 2), var("c", sort, 3)
    return exists([a, b, c], And((Not(Eq(a, b)), Not(Eq(a, c)), Not(Eq(b, c)))))


# ---------------------------------------------------------------- statuses and cores

def test_unsat_core_names_the_tracked_assertions_in_order():
    a = var("a", AGENT, 1)
    tracked = [("all_p", forall([a], ap(P, a))), ("unrelated", ap(P, ap(BOSS, ap(X)))),
               ("x_not_p", Not(ap(P, ap(X))))]
    out = solve(PROGRAM, tracked)
    assert out.status == "unsat"
    assert set(out.core) <= {"all_p", "unrelated", "x_not_p"}
    assert {"all_p", "x_not_p"} <= set(out.core)
    assert out.model is None


def test_plain_assertions_are_not_in_the_core():
    out = solve(PROGRAM, [("keep", ap(P, ap(X)))], plain=[Not(ap(P, ap(X)))])
    assert out == Outcome("unsat", core=("keep",))


def test_bound_variables_never_capture_user_constants():
    b = var("x", AGENT, 2)  # a bound variable named x, like the constant x
    out = solve(PROGRAM, [("ax", exists([b], Not(Eq(b, ap(X)))))])
    assert out.status == "sat"  # were the bound x the constant x, this would read `x != x`


def test_unknown_carries_z3s_reason():
    a = var("a", AGENT, 1)
    chain = [("grow", forall([a], Not(Eq(ap(BOSS, a), a)))), ("p", forall([a], Eq(ap(P, a), Not(ap(P, ap(BOSS, a))))))]
    out = solve(PROGRAM, chain, plain=[distinct3(AGENT)], options=SolverOptions(rlimit=1))
    assert out.status == "unknown"
    assert "resource limit" in out.reason
    out = solve(PROGRAM, chain, plain=[distinct3(AGENT)], options=SolverOptions(timeout=0.001, rlimit=10**9))
    assert out.status == "unknown"
    assert "timeout" in out.reason or "canceled" in out.reason


def test_untranslatable_terms_are_unknown_not_exceptions():
    defn = Definition("d", (), BoolLit(True))
    out = solve(PROGRAM, [("ax", DefCall(defn))])
    assert out.status == "unknown"
    assert "expanded first" in out.reason


def test_z3_version():
    assert z3_version().startswith("4.15.4")


# ---------------------------------------------------------------- bounds and finite sorts

def test_bound_caps_uninterpreted_sorts():
    assert solve(PROGRAM, [], plain=[distinct3(AGENT)], bound=2).status == "unsat"
    out = solve(PROGRAM, [], plain=[distinct3(AGENT)], bound=3)
    assert out.status == "sat"
    assert len(out.model.universes["Agent"]) == 3


def test_finite_sort_has_exactly_its_elements():
    d = var("d", DIST, 1)
    assert solve(PROGRAM, [], plain=[distinct3(DIST)]).status == "unsat"
    not_both = Not(forall([d], Or((Eq(d, ap(TRAIN)), Eq(d, ap(DEPLOY))))))
    assert solve(PROGRAM, [], plain=[not_both]).status == "unsat"
    assert solve(PROGRAM, [], plain=[Eq(ap(TRAIN), ap(DEPLOY))]).status == "unsat"


def test_finite_sort_values_keep_their_names():
    out = solve(PROGRAM, [], plain=[Not(Eq(ap(MODE), ap(TRAIN)))])
    assert out.model.universes["Dist"] == ("train", "deploy")
    assert out.model.value("mode") == "deploy"


# ---------------------------------------------------------------- arithmetic

def test_integer_arithmetic():
    assert solve(PROGRAM, [], plain=[Eq(Scale(Fraction(2), ap(N)), num(7))]).status == "unsat"
    out = solve(PROGRAM, [], plain=[Eq(Add((Scale(Fraction(3), ap(N)), Neg(num(2)))), num(7))])
    assert out.model.value("n") == 3
    assert type(out.model.value("n")) is int


def test_real_arithmetic_gives_fractions():
    out = solve(PROGRAM, [], plain=[Eq(Scale(Fraction(3), ap(R)), num(1, REAL))])
    assert out.model.value("r") == Fraction(1, 3)


def test_ite_and_comparisons():
    cond = Ite(Compare(">", ap(N), num(0)), num(1), Neg(num(1)))
    out = solve(PROGRAM, [], plain=[Eq(cond, Neg(num(1))), Compare(">=", ap(N), num(-5)),
                                    Compare("<", ap(R), num(Fraction(1, 2), REAL))])
    assert -5 <= out.model.value("n") <= 0
    assert out.model.value("r") < Fraction(1, 2)


def test_function_over_integers_gives_entries_and_a_default():
    plain = [Eq(ap(SCORE, num(1)), num(10)), Eq(ap(SCORE, num(2)), num(20))]
    table = solve(PROGRAM, [], plain=plain).model.tables["score"]
    assert table.lookup((1,)) == 10 and table.lookup((2,)) == 20
    assert table.default is None or isinstance(table.default, int)


# ---------------------------------------------------------------- the model copied out

def test_model_has_every_sort_and_symbol():
    w = witness("a@0", AGENT)
    out = solve(PROGRAM, [], plain=[ap(P, ap(w)), Not(ap(P, ap(X)))], witnesses=[w])
    model = out.model
    assert isinstance(model, Model)
    assert set(model.universes) == {"Agent", "Dist"}
    assert set(model.tables) == {"p", "performs_well", "boss", "x", "n", "r", "score", "mode", "flag", "a@0"}
    assert all(name.startswith("Agent#") for name in model.universes["Agent"])
    assert model.value("p", (model.value("a@0"),)) is True
    assert model.value("p", (model.value("x"),)) is False


def test_tables_over_finite_arguments_list_every_tuple():
    model = solve(PROGRAM, [], plain=[distinct3(AGENT)], bound=3).model
    agents = model.universes["Agent"]
    well = model.tables["performs_well"]
    assert well.default is None
    assert sorted(args for args, _ in well.rows) == sorted((a, d) for a in agents for d in ("train", "deploy"))
    assert sorted(args for args, _ in model.tables["flag"].rows) == [(False,), (True,)]


def test_unconstrained_sort_gets_one_element():
    empty = Program("t.align", (AGENT,), (X,), (), (), ())
    model = solve(empty, []).model
    assert model.universes == {"Agent": ("Agent#0",)}
    assert model.tables["x"] == Table(rows=(((), "Agent#0"),))


def test_same_query_same_model():
    a = var("a", AGENT, 1)
    tracked = [("ax", forall([a], Not(Eq(ap(BOSS, a), a))))]
    plain = [distinct3(AGENT), ap(P, ap(X))]
    assert solve(PROGRAM, tracked, plain) == solve(PROGRAM, tracked, plain)


def test_no_z3_object_leaves_the_back_end():
    w = witness("a@0", AGENT)
    out = solve(PROGRAM, [], plain=[ap(P, ap(w)), Eq(ap(SCORE, num(3)), num(4))], witnesses=[w])
    for value in _leaves(out):
        assert type(value).__module__ in ("builtins", "fractions", "translator.logic.model",
                                          "translator.solvers.common")


def _imports(path: Path) -> set[str]:
    """The top-level modules a source file imports, by statement or by `importlib.import_module("...")`."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module" \
                and node.args and isinstance(node.args[0], ast.Constant):
            imported.add(str(node.args[0].value).split(".")[0])
    return imported


def test_only_the_z3_package_imports_z3_and_only_the_cvc5_module_imports_cvc5():
    package = Path(__file__).resolve().parents[2] / "translator"
    z3_users, cvc5_users = set(), set()
    for path in package.rglob("*.py"):
        imported = _imports(path)
        where = path.relative_to(package).as_posix()
        if "z3" in imported:
            z3_users.add(where)
        if "cvc5" in imported:
            cvc5_users.add(where)
    assert z3_users and all(w.startswith("solvers/z3/") for w in z3_users), sorted(z3_users)
    assert {"solvers/z3/session.py", "solvers/z3/translate.py"} <= z3_users
    assert cvc5_users == {"solvers/cvc5/__init__.py"}


def _leaves(value):
    """Every value inside nested dataclasses, mappings and tuples."""
    yield value
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _leaves(getattr(value, field.name))
    elif isinstance(value, dict) or hasattr(value, "items"):
        for key, item in value.items():
            yield from _leaves(key)
            yield from _leaves(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _leaves(item)


def test_sat_without_a_model_when_none_is_wanted():
    wanted = solve(PROGRAM, [("some_p", ap(P, ap(X)))])
    unwanted = solve(PROGRAM, [("some_p", ap(P, ap(X)))], want_model=False)
    assert wanted.status == unwanted.status == "sat"
    assert wanted.model is not None and unwanted.model is None
