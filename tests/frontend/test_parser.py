"""Stage 1: text to syntax tree, and syntax errors in words."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.frontend import syntax as S
from translator.frontend.diagnostics import render
from translator.frontend.lexer import tokenize
from translator.frontend.parser import MAX_DEPTH, parse_source
from translator.frontend.source import SourceFile


def parse(text: str):
    module, diags = parse_source(SourceFile("t.align", text))
    assert diags == [], [d.message for d in diags]
    return module.decls


def formula(text: str) -> S.Expr:
    (decl,) = parse(f"axiom x: {text}")
    return decl.formula


def errors(text: str):
    source = SourceFile("t.align", text)
    _, diags = parse_source(source)
    return [(d.code, d.span.line, d.span.column, d.message) for d in diags], \
        "\n".join(render(d, {"t.align": source}) for d in diags)


N = S.Name


def test_declarations():
    decls = parse("""
sort Agent
sort Dist = {train, deploy}
const humans: Objective
fun run: S, X -> Out
pred aligned: Policy, Objective
pred raining
bridge as_system: Sigma -> S
def both(a, b: Agent, o: Objective) := p(a)
def everyone := true
import "other.align"
""")
    assert decls[0] == S.SortDecl("Agent")
    assert decls[1] == S.SortDecl("Dist", ("train", "deploy"))
    assert decls[2] == S.SymbolDecl("const", "humans", (), S.TypeRef("Objective"))
    assert decls[3] == S.SymbolDecl("fun", "run", (S.TypeRef("S"), S.TypeRef("X")), S.TypeRef("Out"))
    assert decls[4] == S.SymbolDecl("pred", "aligned", (S.TypeRef("Policy"), S.TypeRef("Objective")), S.TypeRef("Bool"))
    assert decls[5] == S.SymbolDecl("pred", "raining", (), S.TypeRef("Bool"))
    assert decls[6] == S.SymbolDecl("bridge", "as_system", (S.TypeRef("Sigma"),), S.TypeRef("S"))
    assert decls[7].params == (S.Binder("a", S.TypeRef("Agent")), S.Binder("b", S.TypeRef("Agent")),
                               S.Binder("o", S.TypeRef("Objective")))
    assert decls[8] == S.DefDecl("everyone", (), S.BoolLit(True))
    assert decls[9] == S.Import("other.align")


def test_queries_with_options_in_either_order():
    a, b, c = parse("claim a: p within 3 expect counterexample\n"
                    "example b: q expect none\nclaim c: r expect proved within 2")
    assert (a.kind, a.within, a.expect) == ("claim", 3, "counterexample")
    assert (b.kind, b.within, b.expect) == ("example", None, "none")
    assert (c.within, c.expect) == (2, "proved")


def test_precedence_loosest_first():
    assert formula("a or b and c") == S.Binary("or", N("a"), S.Binary("and", N("b"), N("c")))
    assert formula("a -> b -> c") == S.Binary("->", N("a"), S.Binary("->", N("b"), N("c")))
    assert formula("a -> b <-> c") == S.Binary("<->", S.Binary("->", N("a"), N("b")), N("c"))
    assert formula("not a = b") == S.Unary("not", S.Compare("=", N("a"), N("b")))
    assert formula("a + b * 2 <= c") == S.Compare(
        "<=", S.Binary("+", N("a"), S.Binary("*", N("b"), S.Number("2"))), N("c"))
    assert formula("a - b - c") == S.Binary("-", S.Binary("-", N("a"), N("b")), N("c"))
    assert formula("-2 * x") == S.Binary("*", S.Unary("-", S.Number("2")), N("x"))


def test_quantifier_body_extends_right_and_may_end_a_chain():
    q = formula("forall a: A. p(a) -> q(a)")
    assert isinstance(q, S.Quant) and isinstance(q.body, S.Binary) and q.body.op == "->"
    f = formula("p -> exists b: B. q and r")
    assert f == S.Binary("->", N("p"), S.Quant("exists", (S.Binder("b", S.TypeRef("B")),),
                                                 S.Binary("and", N("q"), N("r"))))
    ite = formula("x <= if c then 1 else 2 + 3")
    assert ite == S.Compare("<=", N("x"), S.Ite(N("c"), S.Number("1"),
                                                 S.Binary("+", S.Number("2"), S.Number("3"))))


def test_unicode_and_ascii_spellings_give_the_same_tree():
    ascii_ = formula("forall a: Real. exists b: Int. not p(a) and q or r -> s <-> t != u and a <= b and c >= d")
    uni = formula("∀ a: ℝ. ∃ b: ℤ. ¬ p(a) ∧ q ∨ r → s ↔ t ≠ u ∧ a ≤ b ∧ c ≥ d")
    assert ascii_ == uni
    assert parse("pred p: 𝔹")[0].args == (S.TypeRef("Bool"),)


def test_via_and_builtins():
    assert formula("agree(f, g via b)") == S.Apply("agree", (N("f"), S.Via(N("g"), "b")))


def test_spans_and_doc_comments():
    decls = parse("# The first line.\n# The second.\nsort A\n\n# not attached\n\nsort B\n")
    assert decls[0].doc == "The first line.\nThe second."
    assert decls[1].doc == ""
    assert (decls[0].span.line, decls[0].span.column) == (3, 1)
    f = formula("p(a) → q")
    assert (f.span.column, f.span.end_column) == (10, 18)


@pytest.mark.parametrize("text, expected", [
    ("claim c: forall a: Agent. p(a) ->\n", ("syntax", 1, 34, "expected a formula after '->', found the end of the file")),
    ("claim c: p ->\nclaim d: q", ("syntax", 1, 14, "expected a formula after '->', found 'claim' (the next declaration)")),
    ("axiom e: p(a) q(a)", ("syntax", 1, 15, "expected an operator or the end of the declaration after ')', found name 'q'")),
    ("fun f: A B -> C", ("syntax", 1, 10, "expected ',' or '->' after 'A', found name 'B'")),
    ("const c:", ("syntax", 1, 9, "expected a type after ':', found the end of the file")),
    ("claim z: if p then q", ("syntax", 1, 21, "expected 'else' after 'q', found the end of the file")),
    ("foo bar", ("syntax", 1, 1, "expected a declaration (import, sort, const, fun, pred, bridge, def, axiom, claim, example, lemma or reading), found name 'foo'")),
    ("def f(a, b) := 1", ("syntax", 1, 10, "'b' has no type: the last name of a binder list must be typed")),
    ("claim g: x within 0", ("bad-within", 1, 19, "`within` needs a positive whole number of elements")),
    ("claim g: x expect proved expect proved", ("syntax", 1, 26, "'expect' given twice")),
    ("sort $", ("bad-character", 1, 6, "unexpected character '$'")),
    ('import "x', ("bad-literal", 1, 8, "unterminated string")),
])
def test_syntax_errors_are_pinned(text, expected):
    found, _ = errors(text)
    assert found[0] == expected


def test_syntax_error_rendering_has_line_caret_and_help():
    _, shown = errors("claim h: a < b < c")
    assert shown == (
        "t.align:1:16: error: expected an operator, 'expect', 'within' or the end of the declaration "
        "after 'b', found '<' [syntax]\n"
        "   1 | claim h: a < b < c\n"
        "     |                ^\n"
        "  = help: comparisons do not chain: write `a < b and b < c`")


def test_every_bad_declaration_is_reported():
    found, _ = errors("claim a: p ->\nsort S\nclaim b: (q\nclaim c: r r\n")
    assert [line for _, line, _, _ in found] == [1, 3, 4]


def test_deep_parentheses_parse_without_recursion_error():
    decls = parse("claim c: " + "(" * 100_000 + "p" + ")" * 100_000)
    assert decls[0].formula == N("p")


def test_too_deep_nesting_is_a_diagnostic():
    found, shown = errors("claim c: " + "not " * (MAX_DEPTH + 10) + "p")
    assert found[0][0] == "too-deep"
    assert "…" in shown  # the long line is cut around the caret


def test_large_file_parses():
    text = "sort A\npred p: A\n" + "".join(f"claim c{i}: forall a: A. p(a) -> p(a)\n" for i in range(5000))
    assert len(parse(text)) == 5002


TOKENS = ["sort", "const", "fun", "pred", "bridge", "def", "axiom", "claim", "example", "import",
          "expect", "within", "forall", "exists", "not", "and", "or", "if", "then", "else", "true",
          "false", "via", "∀", "∃", "¬", "∧", "∨", "→", "↔", "≠", "≤", "≥", "ℝ", "ℤ", "𝔹", "->", "<->",
          "!=", "<=", ">=", "<", ">", "=", "+", "-", "*", "(", ")", "{", "}", ",", ":", ":=", ".",
          "a", "Agent", "x'", "_y", "0", "42", "3.5", '"f.align"', '"', "#c\n", "\n", "$", "é", "\x00"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_random_token_sequences_only_give_diagnostics(tokens):
    source = SourceFile("r.align", " ".join(tokens))
    module, diags = parse_source(source)  # must not raise
    for diag in diags:
        assert render(diag, {"r.align": source})


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_text_only_gives_diagnostics(text):
    parse_source(SourceFile("r.align", text))


def test_lexer_maps_unicode_to_ascii_token_values():
    toks = tokenize(SourceFile("t", "∀ ∧ ≤")).tokens
    assert [(t.type, t.value, t.column, t.end_column) for t in toks] == [
        ("FORALL", "forall", 1, 2), ("AND", "and", 3, 4), ("LE", "<=", 5, 6)]


def test_oversized_file_is_refused_with_a_diagnostic():
    from translator.frontend.parser import MAX_FILE_BYTES
    found, _ = errors("# " + "x" * MAX_FILE_BYTES)
    assert found == [("too-large", 1, 1, f"file is larger than {MAX_FILE_BYTES >> 20} MiB")]


# ---------------------------------------------------------------- doc comments and section headings

def test_a_heading_directly_above_a_declaration_is_not_its_documentation():
    decls = parse("# ---- Bridges ----\nsort A\n"
                  "# ================================ bridge 1\n# The map from B to A.\nsort B\n"
                  "## Predicates\npred p: A\n"
                  "# -----\n#\n# Two lines of doc,\n# then the declaration.\npred q: A\n"
                  "# just a comment, directly above: documentation\nsort C\n")
    assert [d.doc for d in decls] == ["", "The map from B to A.", "", "Two lines of doc,\nthen the declaration.",
                                      "just a comment, directly above: documentation"]


def test_a_blank_line_still_separates_a_comment_from_the_declaration():
    decls = parse("# Bridges\n\nsort A\n# Doc of B.\nsort B\n")
    assert [d.doc for d in decls] == ["", "Doc of B."]


def test_text_that_merely_contains_dashes_is_documentation():
    (decl,) = parse("# f -- the map -- is total\nsort A\n")
    assert decl.doc == "f -- the map -- is total"


# ---------------------------------------------------------------- width is not depth

def test_a_chain_grouped_to_the_left_is_the_same_flat_chain():
    (_, claim) = parse("pred p\nclaim c: " + "(" * (MAX_DEPTH + 1) + "p or p" + " or p)" * (MAX_DEPTH + 1))
    assert claim.formula.op == "or"


@pytest.mark.parametrize("op", ["and", "or"])
def test_a_flat_chain_of_any_length_is_not_too_deep(op):
    text = "pred p\nclaim c: " + f" {op} ".join(["p"] * (MAX_DEPTH + 1))
    (_, claim) = parse(text)
    assert claim.formula.op == op


def test_a_long_sum_is_not_too_deep():
    (_, claim) = parse("const x: Int\nclaim c: " + " + ".join(["x"] * 3000) + " - x = 0")
    assert claim.formula.op == "="


def test_nesting_counts_each_level_up_to_the_limit():
    def depth(n):
        return "pred p\nclaim c: " + "not " * (n - 1) + "p(x)"
    assert parse(depth(MAX_DEPTH))  # not ... not p(x): MAX_DEPTH - 1 negations and one application
    found, _ = errors(depth(MAX_DEPTH + 1))
    assert found[0][0] == "too-deep"


@pytest.mark.parametrize("text", [
    "claim c: " + "(p and " * (MAX_DEPTH + 1) + "p" + ")" * (MAX_DEPTH + 1),  # parentheses are real nesting
    "claim c: " + "p -> " * (MAX_DEPTH + 1) + "p",                             # and so is a chain of `->`
    "claim c: " + "p or (" * (MAX_DEPTH + 1) + "p" + ")" * (MAX_DEPTH + 1),
])
def test_real_nesting_past_the_limit_is_still_refused(text):
    found, _ = errors(text)
    assert found[0][:2] == ("too-deep", 1)


def test_a_chain_inside_a_deep_expression_adds_one_level():
    inner = " and ".join(["p"] * 5000)
    found, _ = errors("claim c: " + "not " * (MAX_DEPTH - 1) + "(" + inner + ")")
    assert found == []
    found, _ = errors("claim c: " + "not " * MAX_DEPTH + "(" + inner + ")")
    assert found[0][0] == "too-deep"


# ---------------------------------------------------------------- numbers of any length

def test_a_literal_past_pythons_digit_limit_is_read_exactly():
    digits = "7" * 5000
    (_, claim) = parse(f"const x: Real\nclaim c: x = {digits}.{digits}")
    number = claim.formula.right
    assert number.value == S.number_value(digits + "." + digits)
    assert number.value * 10 ** 5000 == int("7" * 4000) * 10 ** 6000 + int("7" * 1000) * 10 ** 5000 \
        + S.number_value(digits)  # the same value, built from pieces under the limit


def test_within_accepts_a_bound_past_the_digit_limit():
    (claim,) = parse("claim c: true within 1" + "0" * 5000)
    assert claim.within == 10 ** 5000


def test_a_literal_past_the_documented_size_is_refused_in_words():
    from translator.frontend.convert import MAX_LITERAL_DIGITS
    assert parse(f"const x: Int\nclaim c: x = {'9' * MAX_LITERAL_DIGITS}")
    found, shown = errors(f"const x: Int\nclaim c: x = {'9' * (MAX_LITERAL_DIGITS + 1)}")
    assert found == [("bad-literal", 2, 14, f"number literal of {MAX_LITERAL_DIGITS + 1:,} digits; "
                      f"at most {MAX_LITERAL_DIGITS:,} are supported")]
    assert shown.endswith("  = help: no specification needs such a number: write a smaller one")


DECLARATION = ("expected a declaration (import, sort, const, fun, pred, bridge, def, axiom, claim, example, "
               "lemma or reading), found name '{}'")


@pytest.mark.parametrize("word, hint", [
    ("fn", "did you mean `fun`? (see docs/language.md, Declarations)"),
    ("function", "did you mean `fun`? (see docs/language.md, Declarations)"),
    ("Theorem", "did you mean `lemma`? (see docs/language.md, Declarations)"),
    ("predicate", "did you mean `pred`? (see docs/language.md, Declarations)"),
    ("Axiom", "keywords are lower case: write `axiom`"),
    ("claime", "did you mean `claim`? (see docs/language.md, Declarations)"),
    ("frobnicate", None),
])
def test_a_misspelt_keyword_is_one_error_and_the_declaration_above_survives(word, hint):
    source = SourceFile("t.align", f"sort A\n{word} f: A -> A\npred p: A\n")
    module, diags = parse_source(source)
    assert [(d.span.line, d.span.column, d.message, d.help) for d in diags] == [
        (2, 1, DECLARATION.format(word), hint)]
    assert [type(d).__name__ for d in module.decls] == ["SortDecl", "SymbolDecl"]
    assert module.unparsed[0][0] == "f" and module.unparsed[0][1].line == 2


@pytest.mark.parametrize("text", [
    "claim c: forall a: A.\np(a) -> q(a)",        # a name opening a line, then '(': the formula goes on
    "claim c: p(a) ->\nq(a)",
    "sort A = {a,\nb}",
])
def test_a_formula_continued_on_the_next_line_is_not_cut(text):
    assert len(parse(text)) == 1


def test_an_operator_word_on_the_next_line_keeps_its_operator_hint():
    found, shown = errors("claim c: p(a)\nimplies q(a)")
    assert [f[1:3] for f in found] == [(2, 1)]
    assert "did you mean `->`?" in shown


def test_a_missing_type_after_the_arrow_says_type():
    found, _ = errors("fun f: A ->")
    assert found[0][3] == "expected a type after '->', found the end of the file"


@pytest.mark.parametrize("line, hint", [
    ("claim c: forall a in A. p(a)", "a bound variable is typed with ':': write `a: A`, as in `forall a: A. p(a)`"),
    ("pred q(A)", "a symbol's argument sorts follow ':': `pred q: A, B` or `fun f: A, B -> C`"),
    ("fun f: (A, A) -> A", "argument sorts are listed without parentheses: `fun f: A, B -> C`"),
    ("claim c: forall a: (A). p(a)", None),  # a binder's type: no symbol's argument list here
    ("def d(a: A) = p(a)", "a definition is written with ':=': `def name(a: A) := ...`"),
    ("claim c: forall a: A. p a", "apply with parentheses: `p(a)`"),
    ("axiom: p(k)", "every axiom has a name: `axiom NAME: ...`"),
])
def test_usual_mistakes_get_a_hint_that_points_the_right_way(line, hint):
    source = SourceFile("t.align", f"sort A\npred p: A\nconst k: A\n{line}\n")
    _, diags = parse_source(source)
    assert [(d.span.line, d.help) for d in diags] == [(4, hint)]
