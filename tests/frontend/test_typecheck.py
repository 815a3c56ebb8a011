"""Stage 2: names and types, from syntax trees to the typed core logic."""
from __future__ import annotations

from fractions import Fraction

import pytest

from translator.frontend import diagnostics as codes
from translator.frontend import syntax as S
from translator.frontend.parser import parse_source
from translator.frontend.source import SourceFile, Span
from translator.frontend.typecheck import check_program
from translator.logic import core


def modules(*texts: str) -> list[S.Module]:
    """Parse texts as files m0.align, m1.align, ... (the last one is the root)."""
    result = []
    for index, text in enumerate(texts):
        module, diags = parse_source(SourceFile(f"m{index}.align", text))
        assert diags == [], [d.message for d in diags]
        result.append(module)
    return result


def program(*texts: str) -> core.Program:
    prog, diags = check_program(modules(*texts))
    assert diags == [], [(d.code, d.message) for d in diags]
    assert prog is not None
    return prog


def errors(*texts: str) -> list[tuple[str, int, int, str]]:
    prog, diags = check_program(modules(*texts))
    assert prog is None and diags
    return [(d.code, d.span.line, d.span.column, d.message) for d in diags]


def error(*texts: str):
    """The one diagnostic of a program that has exactly one mistake."""
    prog, diags = check_program(modules(*texts))
    assert prog is None
    assert len(diags) == 1, [(d.code, d.message) for d in diags]
    return diags[0]


def pin(diag, code: str, line: int, column: int, message: str, help: str | None = None) -> None:
    assert (diag.code, diag.span.line, diag.span.column, diag.message) == (code, line, column, message)
    if help is not None:
        assert diag.help == help


def query(prog: core.Program, name: str) -> core.Term:
    return next(q for q in prog.queries if q.name == name).formula


S_F = """sort S
sort Sigma
fun f: S -> Real
fun g: Sigma -> Real
fun h: S -> Int
const c: S
pred p: S
"""


# ---------------------------------------------------------------- names


def test_undeclared_suggests_a_close_name_in_scope():
    d = error(S_F + "claim k: forall agent: S. p(agnet)")
    pin(d, codes.UNDECLARED, 8, 29, "'agnet' is not declared", help="did you mean 'agent'?")


def test_undeclared_type_suggests_a_sort():
    d = error("sort Agent\nconst a: Agnet")
    pin(d, codes.UNDECLARED, 2, 10, "'Agnet' is not declared", help="did you mean 'Agent'?")


def test_forward_reference_names_the_declaration():
    d = error("sort S\nclaim k: forall s: S. q(s)\npred q: S")
    pin(d, codes.FORWARD_REFERENCE, 2, 23, "'q' is used before its declaration at 3:6",
        help="move the declaration of 'q' above its first use")


def test_forward_reference_of_a_sort():
    d = error("const a: S\nsort S")
    pin(d, codes.FORWARD_REFERENCE, 1, 10, "'S' is used before its declaration at 2:6")


def test_forward_reference_across_modules_names_the_file():
    d = error("sort S\npred early: S\naxiom a: forall s: S. later(s)", "sort T\npred later: S")
    pin(d, codes.FORWARD_REFERENCE, 3, 23, "'later' is used before its declaration at m1.align:2:6")


def test_duplicate_across_modules_names_both_places():
    d = error("sort S\nconst x: S", "const x: S")
    pin(d, codes.DUPLICATE, 1, 7, "duplicate declaration of 'x' (first declared at m0.align:2:7)")
    assert d.span.path == "m1.align"


def test_duplicate_finite_sort_element():
    d = error("sort D = {a, b}\nconst b: D")
    pin(d, codes.DUPLICATE, 2, 7, "duplicate declaration of 'b' (first declared at m0.align:1:14)")


def test_duplicate_query_names_are_their_own_namespace():
    d = error("pred p\naxiom p_holds: p\nclaim p_holds: p")
    pin(d, codes.DUPLICATE, 3, 7, "duplicate declaration of 'p_holds' (first declared at m0.align:2:7)")
    program("pred p\nclaim p: p")  # a claim may share a name with a symbol


@pytest.mark.parametrize("decl, column, name, word", [
    ("fun agree: S -> S", 5, "agree", "built-in"),
    ("sort Real", 6, "Real", "type"),
    ("pred injective: S", 6, "injective", "built-in"),
    ("def agree_on := true", 5, "agree_on", "built-in"),
])
def test_reserved_names(decl, column, name, word):
    d = error("sort S\n" + decl)
    pin(d, codes.RESERVED, 2, column, f"'{name}' is the name of a {word} and cannot be declared")


def test_bound_variables_shadow_constants():
    prog = program(S_F + "claim k: forall c: Sigma. g(c) = g(c)")
    body = query(prog, "k").body
    assert isinstance(body.lhs.args[0], core.Var) and body.lhs.args[0].sort.name == "Sigma"


def test_declaration_with_an_error_still_declares_its_name():
    diags = errors("fun f: Nope -> Real\naxiom a: forall x: Real. f(x) = 1")
    assert diags == [(codes.UNDECLARED, 1, 8, "'Nope' is not declared")]


# ---------------------------------------------------------------- definitions


def test_recursive_def_names_the_cycle():
    d = error("pred p\ndef a := b and p\ndef b := a")
    pin(d, codes.RECURSIVE_DEF, 2, 10, "definition 'a' is recursive: a -> b -> a")


def test_self_recursive_def():
    d = error("sort S\npred p: S\ndef a(x: S) := p(x) and a(x)")
    pin(d, codes.RECURSIVE_DEF, 3, 25, "definition 'a' is recursive: a -> a")


def test_longer_cycle_is_reported_once():
    d = error("pred p\ndef a := b\ndef b := c\ndef c := a or p")
    pin(d, codes.RECURSIVE_DEF, 2, 10, "definition 'a' is recursive: a -> b -> c -> a")


def test_def_forward_reference_without_cycle():
    d = error("pred p\ndef a := b\ndef b := p")
    pin(d, codes.FORWARD_REFERENCE, 2, 10, "'b' is used before its declaration at 3:5")


def test_def_parameter_shadows_a_def_name():
    program("sort S\npred p: S\ndef a(x: S) := p(x)\ndef b(a: S) := p(a)")


def test_def_call_stays_a_defcall():
    prog = program(S_F + "def low(x: S) := f(x) <= 2\ndef all_low := forall s: S. low(s)\n"
                         "claim k: low(c) and all_low")
    low, all_low = prog.definitions
    assert low.params[0].sort == core.Sort("S")
    formula = query(prog, "k")
    c = prog.symbol("c")
    assert formula == core.And((core.DefCall(low, (core.App(c),)), core.DefCall(all_low, ())))


def test_def_arity():
    d = error(S_F + "def low(x: S) := f(x) <= 2\nclaim k: low(c, c)")
    pin(d, codes.ARITY, 9, 10, "'low' takes 1 argument (low(x: S)), given 2")


def test_def_with_params_is_not_a_value():
    d = error(S_F + "def low(x: S) := f(x) <= 2\nclaim k: low")
    pin(d, codes.NOT_A_VALUE, 9, 10, "'low' is a definition with 1 parameter (low(x: S)); apply it to arguments")


# ---------------------------------------------------------------- symbols and application


def test_symbols_sorts_and_finite_sorts():
    prog = program("# the phases\nsort Dist = {train, deploy}\nsort A\nfun run: A, Dist -> Real\n"
                   "# good agents\npred good: A\nbridge b: Dist -> A\n"
                   "axiom distinct: train != deploy")
    dist = core.Sort("Dist", ("train", "deploy"))
    assert prog.sorts == (dist, core.Sort("A"))
    assert prog.symbol("train") == core.Symbol("train", (), dist, core.SymbolKind.ELEMENT)
    assert prog.symbol("good").result == core.BOOL and prog.symbol("good").doc == "good agents"
    assert prog.symbol("run").args == (core.Sort("A"), dist)
    assert prog.symbol("b").kind == core.SymbolKind.BRIDGE
    train, deploy = (core.App(prog.symbol(n)) for n in ("train", "deploy"))
    assert prog.axioms[0].formula == core.Not(core.Eq(train, deploy))


def test_arity_names_the_signature():
    d = error("sort A\nsort B\nsort C\nfun f: A, B -> C\nconst a: A\naxiom x: forall y: C. f(a) = y")
    pin(d, codes.ARITY, 6, 23, "'f' takes 2 arguments (f: A, B -> C), given 1")


def test_applying_a_constant_or_variable():
    d = error(S_F + "claim k: p(c(c))")
    pin(d, codes.ARITY, 8, 12, "'c' is a constant (c: S) and takes no arguments, given 1")
    d = error(S_F + "claim k: forall s: S. p(s(c))")
    pin(d, codes.ARITY, 8, 25, "'s' is a variable of sort S, not a function, so it takes no arguments, given 1")


def test_argument_sort_mismatch():
    d = error(S_F + "const z: Sigma\nclaim k: p(z)")
    pin(d, codes.TYPE_MISMATCH, 9, 12, "argument 1 of 'p' must be of sort S, but z has sort Sigma",
        help="p: S -> Bool")


def test_function_used_as_a_value():
    d = error(S_F + "claim k: f = c")
    pin(d, codes.NOT_A_VALUE, 8, 10, "'f' is a function (f: S -> Real); apply it to arguments")


def test_formula_must_be_bool():
    d = error(S_F + "claim k: f(c)")
    pin(d, codes.TYPE_MISMATCH, 8, 10, "the formula of claim 'k' must be a formula (Bool), but f(c) has sort Real")
    d = error(S_F + "axiom a: p(c) and c")
    pin(d, codes.TYPE_MISMATCH, 8, 19, "each side of 'and' must be a formula (Bool), but c has sort S")
    d = error(S_F + "claim k: forall s: S. f(s)")
    pin(d, codes.TYPE_MISMATCH, 8, 23, "the body of 'forall' must be a formula (Bool), but f(s) has sort Real")


def test_equality_needs_one_sort():
    d = error(S_F + "const z: Sigma\nclaim k: c = z")
    pin(d, codes.TYPE_MISMATCH, 9, 10, "'=' needs both sides of one sort, but c has sort S and z has sort Sigma")


def test_equality_on_bool_and_neq():
    prog = program(S_F + "claim k: p(c) = true\nclaim n: c != c")
    pc = core.App(prog.symbol("p"), (core.App(prog.symbol("c")),))
    assert query(prog, "k") == core.Eq(pc, core.BoolLit(True))
    c = core.App(prog.symbol("c"))
    assert query(prog, "n") == core.Not(core.Eq(c, c))


def test_if_then_else():
    prog = program(S_F + "claim k: forall s: S. f(s) = (if p(s) then 1 else f(s))")
    ite = query(prog, "k").body.rhs
    assert isinstance(ite, core.Ite) and ite.then == core.NumLit(Fraction(1), core.REAL)
    d = error(S_F + "claim k: forall s: S. p(if p(s) then s else c) and (if p(s) then s else 1) = s")
    pin(d, codes.TYPE_MISMATCH, 8, 53,
        "the branches of 'if' must have one sort, but s has sort S and 1 has sort Int")


def test_ite_condition_must_be_bool():
    d = error(S_F + "claim k: (if c then 1 else 2) = 1")
    pin(d, codes.TYPE_MISMATCH, 8, 14, "the condition of 'if' must be a formula (Bool), but c has sort S")


def test_uids_are_fresh_and_below_next_uid():
    prog = program(S_F + "def both(a, b: S) := p(a) and p(b)\n"
                         "claim k: forall a, b: S. both(a, b) -> exists a: S. p(a)")
    variables = [v for q in prog.queries for v in core.walk(q.formula) if isinstance(v, core.Var)]
    variables += [v for d in prog.definitions for v in d.params]
    uids = {v.uid for v in variables}
    assert uids == {1, 2, 3, 4, 5}
    assert prog.next_uid == 6
    inner = query(prog, "k").body.rhs
    assert inner.vars[0].uid != query(prog, "k").vars[0].uid


def test_duplicate_binder():
    d = error(S_F + "claim k: forall a, a: S. p(a)")
    pin(d, codes.DUPLICATE_BINDER, 8, 20, "'a' is bound twice in one binder list")


# ---------------------------------------------------------------- numbers


def test_literal_takes_the_type_of_its_context():
    prog = program(S_F + "claim r: f(c) <= 2\nclaim i: h(c) <= 2\nclaim lone: 1 < 2\nclaim mixed: 1 < 2.5")
    assert query(prog, "r").rhs == core.NumLit(Fraction(2), core.REAL)
    assert query(prog, "i").rhs == core.NumLit(Fraction(2), core.INT)
    assert query(prog, "lone").lhs.sort == core.INT
    assert query(prog, "mixed").lhs == core.NumLit(Fraction(1), core.REAL)
    assert query(prog, "mixed").rhs == core.NumLit(Fraction(5, 2), core.REAL)


def test_literal_on_the_left_follows_the_right():
    prog = program(S_F + "claim k: 2 <= f(c) and -3 < h(c)")
    first, second = query(prog, "k").args
    assert first.lhs == core.NumLit(Fraction(2), core.REAL)
    assert second.lhs == core.NumLit(Fraction(-3), core.INT)


def test_int_and_real_do_not_mix():
    d = error(S_F + "claim k: forall s: S. h(s) <= f(s)")
    pin(d, codes.NUMERIC_MIX, 8, 23, "cannot mix Int and Real: h(s) is Int, f(s) is Real")


def test_real_literal_where_int_is_required():
    d = error(S_F + "claim k: h(c) = 3.5")
    pin(d, codes.NUMERIC_MIX, 8, 10, "cannot mix Int and Real: h(c) is Int, 3.5 is Real")
    d = error("sort S\nfun k: Int -> S\nconst s: S\nclaim q: k(1.5) = s")
    pin(d, codes.NUMERIC_MIX, 4, 12, "cannot mix Int and Real: argument 1 of 'k' must be Int, but 1.5 is Real")


def test_arithmetic_terms():
    prog = program(S_F + "claim k: forall s: S. f(s) - 2 * f(s) + f(s) * -3 >= 0.5")
    total = query(prog, "k").body.lhs
    fs = total.args[0]
    assert total == core.Add((fs, core.Neg(core.Scale(Fraction(2), fs)), core.Scale(Fraction(-3), fs)))
    assert total.sort == core.REAL


def test_nonlinear():
    d = error(S_F + "claim k: forall s: S. f(s) * f(s) >= 0")
    pin(d, codes.NONLINEAR, 8, 23, "'*' needs a numeric literal on one side, but f(s) and f(s) are both terms")


def test_real_coefficient_on_an_int_term():
    d = error(S_F + "claim k: 1.5 * h(c) >= 0")
    pin(d, codes.NUMERIC_MIX, 8, 10, "cannot mix Int and Real: 1.5 is Real, h(c) is Int")


def test_not_numeric():
    d = error(S_F + "claim k: c < c")
    pin(d, codes.NOT_NUMERIC, 8, 10, "'<' needs numbers, but c has sort S")
    d = error(S_F + "claim k: f(c) + c = 1")
    pin(d, codes.NOT_NUMERIC, 8, 17, "'+' needs numbers, but c has sort S")
    d = error(S_F + "claim k: -c = c")
    pin(d, codes.NOT_NUMERIC, 8, 11, "'-' needs numbers, but c has sort S")


# ---------------------------------------------------------------- built-ins


BRIDGED = S_F + "bridge as_system: Sigma -> S\npred q: Sigma\n"


def test_agree_with_a_bridge():
    prog = program(BRIDGED + "example e: agree(f, g via as_system) and agree(f, f) and agree_on(q, f, g via as_system)")
    f, g, b, q = (prog.symbol(n) for n in ("f", "g", "as_system", "q"))
    assert query(prog, "e") == core.And((core.BuiltinCall("agree", (f, g), b),
                                          core.BuiltinCall("agree", (f, f)),
                                          core.BuiltinCall("agree_on", (q, f, g), b)))


def test_maximizes_injective_surjective():
    prog = program(BRIDGED + "example e: maximizes(f, c) and injective(as_system) and surjective(f)")
    f, b, c = prog.symbol("f"), prog.symbol("as_system"), prog.symbol("c")
    assert query(prog, "e") == core.And((core.BuiltinCall("maximizes", (f,), None, (core.App(c),)),
                                          core.BuiltinCall("injective", (b,)),
                                          core.BuiltinCall("surjective", (f,))))


def test_domain_mismatch_without_a_bridge():
    d = error(S_F + "claim robust: agree(f, g)")
    pin(d, codes.DOMAIN_MISMATCH, 8, 15,
        "cannot compare f: S -> Real with g: Sigma -> Real: their domains differ (S vs Sigma)",
        help="declare a bridge between the domains, e.g. `bridge b: Sigma -> S`, and write agree(f, g via b)")
    assert (d.span.end_line, d.span.end_column) == (8, 26)


def test_domain_mismatch_names_an_existing_bridge():
    d = error(BRIDGED + "claim robust: agree(f, g)")
    assert d.code == codes.DOMAIN_MISMATCH
    assert d.help == "bridge as_system: Sigma -> S is declared: write agree(f, g via as_system)"


def test_agree_on_domain_mismatch_names_the_call():
    d = error(BRIDGED + "claim k: agree_on(q, f, g)")
    pin(d, codes.DOMAIN_MISMATCH, 10, 10,
        "cannot compare f: S -> Real with g: Sigma -> Real: their domains differ (S vs Sigma)",
        help="bridge as_system: Sigma -> S is declared: write agree_on(q, f, g via as_system)")


def test_via_needs_a_bridge():
    d = error(BRIDGED + "fun m: Sigma -> S\nclaim k: agree(f, g via m)")
    pin(d, codes.NOT_A_BRIDGE, 11, 25, "'via' needs a name declared with `bridge`, but 'm' is a function",
        help="to use it as a bridge, declare it as `bridge m: Sigma -> S`")


def test_bridge_direction():
    d = error(S_F + "bridge back: S -> Sigma\nclaim k: agree(f, g via back)")
    pin(d, codes.BRIDGE_DIRECTION, 9, 25, "bridge back: S -> Sigma goes the wrong way: it must map the "
        "domain of 'g' to the domain of 'f' (Sigma -> S)")
    d = error(S_F + "sort T\nbridge t: Sigma -> T\nclaim k: agree(f, g via t)")
    pin(d, codes.BRIDGE_DIRECTION, 10, 25, "bridge t: Sigma -> T does not fit 'f': it maps to T, "
        "but f: S -> Real has domain S")


def test_bridge_that_fits_neither_side_or_only_one():
    d = error(S_F + "sort T\nbridge t: T -> T\nclaim k: agree(f, g via t)")
    pin(d, codes.BRIDGE_DIRECTION, 10, 25, "bridge t: T -> T fits neither side: it must map the domain "
        "of 'g' (Sigma) to the domain of 'f' (S)", help="'agree' needs `bridge t: Sigma -> S` (from dom(g) to dom(f))")
    d = error(S_F + "sort T\nbridge t: T -> S\nclaim k: agree(f, g via t)")
    pin(d, codes.BRIDGE_DIRECTION, 10, 25, "bridge t: T -> S does not fit 'g': it maps from T, "
        "but g: Sigma -> Real has domain Sigma")


def test_bad_bridge_declarations():
    d = error("sort S\nbridge b: S -> Real")
    pin(d, codes.BAD_BRIDGE, 2, 16, "bridge 'b' must map between declared sorts, but Real is a built-in type")


def test_builtin_arguments_must_be_function_names():
    d = error(S_F + "claim k: agree(f(c), f)")
    pin(d, codes.NOT_A_FUNCTION, 8, 16, "'agree' needs the name of a declared function here, but f(c) is an expression")
    d = error(S_F + "claim k: agree(c, f)")
    pin(d, codes.NOT_A_FUNCTION, 8, 16, "'agree' needs the name of a declared function, but 'c' is a constant")


def test_builtin_checks():
    d = error(S_F + "claim k: agree(p, f)")
    pin(d, codes.NOT_NUMERIC, 8, 16, "'agree' compares numeric values, but p: S -> Bool returns Bool")
    d = error(S_F + "claim k: agree(f)")
    pin(d, codes.ARITY, 8, 10, "'agree' takes 2 arguments (agree(f, g) or agree(f, g via b)), given 1")
    d = error(BRIDGED + "claim k: agree_on(p, f, g via as_system)")
    pin(d, codes.TYPE_MISMATCH, 10, 19, "'p' must restrict the domain of 'g' (Sigma), but p: S -> Bool is over S")
    d = error(S_F + "claim k: maximizes(f, 1)")
    pin(d, codes.TYPE_MISMATCH, 8, 23, "the second argument of 'maximizes' must be of sort S, but 1 has sort Int")


def test_via_outside_agree():
    d = error(S_F + "bridge b: Sigma -> S\nclaim k: p(c via b)")
    pin(d, codes.TYPE_MISMATCH, 9, 12, "'via' may only follow the last function argument of agree or agree_on")


# ---------------------------------------------------------------- queries


def test_queries_only_from_the_root_and_axioms_from_all():
    prog = program("pred p\naxiom base: p\nclaim lib_claim: p", "# the main claim\nclaim main: p expect proved\n"
                   "example e: p\nexample none_e: not p expect none\nclaim c2: p within 3")
    assert prog.root == "m1.align"
    assert [a.name for a in prog.axioms] == ["base"]
    assert [(q.name, q.kind, q.expect, q.within, q.file) for q in prog.queries] == [
        ("main", core.QueryKind.CLAIM, "proved", None, "m1.align"),
        ("e", core.QueryKind.EXAMPLE, "witness", None, "m1.align"),
        ("none_e", core.QueryKind.EXAMPLE, "none", None, "m1.align"),
        ("c2", core.QueryKind.CLAIM, "proved", core.Scope(3), "m1.align"),
    ]
    assert prog.queries[0].doc == "the main claim"


def test_bad_expect():
    d = error("pred p\nclaim k: p expect witness")
    pin(d, codes.BAD_EXPECT, 2, 12, "a claim can expect 'proved' or 'counterexample', not 'witness'")
    d = error("pred p\nexample k: p expect proved")
    pin(d, codes.BAD_EXPECT, 2, 14, "an example can expect 'witness' or 'none', not 'proved'")


def test_bad_within():
    span = Span("m.align", 1, 1, 1, 20)
    formula = S.BoolLit(True, span)
    module = S.Module("m.align", (S.QueryDecl("claim", "k", formula, within=0, span=span,
                                               within_span=Span("m.align", 1, 14, 1, 22)),))
    prog, diags = check_program([module])
    assert prog is None
    pin(diags[0], codes.BAD_WITHIN, 1, 14, "`within` needs a positive whole number, not 0")


# ---------------------------------------------------------------- recovery and robustness


def test_all_independent_errors_are_reported_once_each():
    diags = errors(S_F + "axiom a: forall s: S. p(zz) and f(s) + 1 < 2\n"
                         "claim k: h(c) <= f(c)\nclaim k2: p(c) and qq")
    assert [(code, line) for code, line, _, _ in diags] == [
        (codes.UNDECLARED, 8), (codes.NUMERIC_MIX, 9), (codes.UNDECLARED, 10)]


def test_no_cascade_from_a_bad_argument():
    diags = errors(S_F + "claim k: forall s: S. f(nope) + 1 <= f(s) and p(s)")
    assert [code for code, *_ in diags] == [codes.UNDECLARED]


def test_hand_built_tree_without_spans():
    module = S.Module("m.align", (S.SortDecl("S"), S.SymbolDecl("pred", "p", (S.TypeRef("S"),), S.TypeRef("Bool")),
                                  S.QueryDecl("claim", "k", S.Quant("forall", (S.Binder("x", S.TypeRef("S")),),
                                                                    S.Apply("p", (S.Name("x"),))))))
    prog, diags = check_program([module])
    assert diags == [] and prog.queries[0].expect == "proved"


def test_a_hand_built_tree_deeper_than_the_parser_allows_is_checked_without_recursion():
    expr: S.Expr = S.BoolLit(True)
    for _ in range(40_000):
        expr = S.Unary("not", expr)
    prog, diags = check_program([S.Module("m.align", (S.AxiomDecl("a", expr),))])
    assert diags == [] and prog is not None
    term, depth = prog.axioms[0].formula, 0
    while isinstance(term, core.Not):
        term, depth = term.arg, depth + 1
    assert depth == 40_000 and term == core.BoolLit(True)


def test_parser_depth_is_checked_without_error():
    depth = 900
    text = "pred p\nclaim k: " + "p and (" * depth + "p" + ")" * depth
    prog = program(text)
    assert isinstance(query(prog, "k"), core.And)


def test_malformed_literal_in_a_hand_built_tree():
    span = Span("m.align", 1, 10, 1, 15)
    formula = S.Compare("<", S.Number("1.2.3", span), S.Number("2"))
    prog, diags = check_program([S.Module("m.align", (S.AxiomDecl("a", formula),))])
    assert prog is None
    pin(diags[0], codes.BAD_LITERAL, 1, 10, "'1.2.3' is not a number")


def test_names_of_the_wrong_kind():
    d = error(S_F + "def low(x: S) := f(x) <= 2\nclaim k: injective(low)")
    pin(d, codes.NOT_A_FUNCTION, 9, 20, "'injective' needs the name of a declared function, but 'low' is a definition")
    d = error(S_F + "claim k: S = c")
    pin(d, codes.NOT_A_VALUE, 8, 10, "'S' is a sort, not a value")
    d = error(S_F + "const z: f")
    pin(d, codes.TYPE_MISMATCH, 8, 10, "'f' is a function, not a sort")
    d = error(S_F + "claim k: S(c)")
    pin(d, codes.NOT_A_FUNCTION, 8, 10, "'S' is a sort, not a function")
    d = error(S_F + "fun two: S, S -> S\nclaim k: surjective(two)")
    pin(d, codes.ARITY, 9, 21, "'surjective' needs a function of one argument, but two: S, S -> S takes 2")


def test_reserved_binder():
    d = error(S_F + "claim k: forall agree: S. p(agree)")
    pin(d, codes.RESERVED, 8, 17, "'agree' is a built-in name and cannot be bound")


# ---------------------------------------------------------------- chains: one flat term, checked link by link

CHAIN = "sort S\nconst c: S\npred p: S\nfun f: S -> Int\nfun g: S -> Real\n"


def test_a_chain_of_and_is_one_flat_term_and_a_grouped_right_side_stays_a_part():
    formula = query(program(CHAIN + "claim k: p(c) and p(c) and (p(c) and p(c)) and p(c)"), "k")
    pc = formula.args[0]
    assert formula == core.And((pc, pc, core.And((pc, pc)), pc))


def test_a_chain_of_sums_is_one_flat_term_with_negated_subtrahends():
    formula = query(program(CHAIN + "claim k: f(c) + f(c) - f(c) + 1 >= 0"), "k")
    fc = formula.lhs.args[0]
    assert formula.lhs == core.Add((fc, fc, core.Neg(fc), core.NumLit(Fraction(1), core.INT)))


def test_literals_in_a_chain_take_the_type_of_the_other_side():
    formula = query(program(CHAIN + "claim k: 1 + 2 - 3 + g(c) = 0"), "k")
    assert [a.sort for a in formula.lhs.args] == [core.REAL] * 4


def test_a_mistake_inside_a_chain_is_one_error_at_its_place():
    pin(error(CHAIN + "claim k: p(c) and f(c) and p(c) and p(c)"), codes.TYPE_MISMATCH, 6, 19,
        "each side of 'and' must be a formula (Bool), but f(c) has sort Int")
    pin(error(CHAIN + "claim k: f(c) + p(c) + f(c) + f(c) >= 0"), codes.NOT_NUMERIC, 6, 17,
        "'+' needs numbers, but p(c) has sort Bool")
    pin(error(CHAIN + "claim k: f(c) + f(c) + g(c) >= 0"), codes.NUMERIC_MIX, 6, 10,
        "cannot mix Int and Real: f(c) + f(c) is Int, g(c) is Real")


def test_a_use_of_a_name_whose_declaration_did_not_parse_points_at_it():
    module, parse_diags = parse_source(SourceFile("t.align", "sort A\npred p: A\nfunction f: A -> A\n"
                                                              "claim x: forall a: A. p(f(a))\n"))
    assert [d.span.line for d in parse_diags] == [3]
    _, diags = check_program([module])
    assert [(d.message, d.help) for d in diags] == [
        ("'f' is not declared", "its declaration at 3:1 did not parse: mend the error reported there")]


def test_expect_bounded_is_pointed_at_expect_proved():
    found = error("sort A\npred p: A\nclaim c: forall a: A. p(a) within 3 expect bounded\n")
    assert found.help == ("`bounded` meets `expect proved` when the claim says `within N`: write `expect proved`, "
                          "or leave `expect` out")


@pytest.mark.parametrize("formula, help", [
    ("p(k)", "p: A -> Bool; bridge m maps B to A: write m(k)"),
    ("forall a: A. a = k", "bridge m maps B to A: write m(k)"),
    ("forall a: A. k = a", "bridge m maps B to A: write m(k)"),
])
def test_a_sort_mismatch_a_declared_bridge_mends_names_it(formula, help):
    found = error(f"sort A\nsort B\npred p: A\nconst k: B\nbridge m: B -> A\nclaim c: {formula}\n")
    assert (found.code, found.help) == ("type-mismatch", help)


def test_a_bridge_declared_below_the_use_is_not_offered():
    found = error("sort A\nsort B\npred p: A\nconst k: B\nclaim c: p(k)\nbridge m: B -> A\n")
    assert found.help == "p: A -> Bool"
