"""Messages that point the right way (issue 19, item 14): each mistake once, with its place and its fix.

Every case pins the whole rendered diagnostic: message, code, source line,
caret and help. Each of these rendered differently (or twice) before.
"""
from __future__ import annotations

import pytest

from translator.frontend.diagnostics import render
from translator.frontend.lexer import KEYWORDS
from translator.frontend.lookalikes import LOOKALIKES
from translator.frontend.parser import parse_source
from translator.frontend.source import SourceFile
from translator.frontend.typecheck import check_program

PRE = "sort S\npred p: S\npred good: S\nfun f: S -> Int\n"


def shown(text: str) -> str:
    """Every diagnostic of `text` (parsed, then type-checked if it parsed), rendered."""
    source = SourceFile("t.align", text)
    module, diags = parse_source(source)
    if not diags:
        _, diags = check_program([module])
    return "\n".join(render(d, {"t.align": source}) for d in diags)


IMPLIES = "did you mean `->`? implication is written -> (or →)"


@pytest.mark.parametrize("formula, caret, message, code, help", [
    ("p(s) => good(s)", (28, 2), "'=>' is not an operator", "syntax", IMPLIES),
    ("p(s) ==> good(s)", (28, 3), "'==>' is not an operator", "syntax", IMPLIES),
    ("p(s) --> good(s)", (28, 3), "'-->' is not an operator", "syntax", IMPLIES),
    ("f(s) == 0", (28, 2), "'==' is not an operator", "syntax",
     "did you mean `=`? equality is a single = (between terms; between formulas, <->)"),
    ("p(s) <=> good(s)", (28, 3), "'<=>' is not an operator", "syntax",
     "did you mean `<->`? equivalence is written <-> (or ↔)"),
    ("f(s) <> 0", (28, 2), "'<>' is not an operator", "syntax", "did you mean `!=`? disequality is written != (or ≠)"),
    ("p(s) && good(s)", (28, 2), "unexpected characters '&&'", "bad-character",
     "did you mean `and`? conjunction is written and (or ∧)"),
    ("p(s) || good(s)", (28, 2), "unexpected characters '||'", "bad-character",
     "did you mean `or`? disjunction is written or (or ∨)"),
    ("!p(s)", (23, 1), "unexpected character '!'", "bad-character",
     "did you mean `not`? negation is written not (or ¬)"),
    ("~p(s)", (23, 1), "unexpected character '~'", "bad-character",
     "did you mean `not`? negation is written not (or ¬)"),
    ("p(s) ⇒ good(s)", (28, 1), "unexpected character '⇒'", "bad-character", IMPLIES),
    ("p(s) ⟹ good(s)", (28, 1), "unexpected character '⟹'", "bad-character", IMPLIES),
    ("p(s) ⊃ good(s)", (28, 1), "unexpected character '⊃'", "bad-character", IMPLIES),
    ("p(s) ⟶ good(s)", (28, 1), "unexpected character '⟶'", "bad-character", IMPLIES),
    ("p(s) ⇐ good(s)", (28, 1), "unexpected character '⇐'", "bad-character",
     "implication is written left to right: for `a ⇐ b` write `b -> a`"),
    ("p(s) ⇔ good(s)", (28, 1), "unexpected character '⇔'", "bad-character",
     "did you mean `<->`? equivalence is written <-> (or ↔)"),
    ("p(s) ≡ good(s)", (28, 1), "unexpected character '≡'", "bad-character",
     "did you mean `<->` (between formulas) or `=` (between terms)?"),
    ("p(s) ⊢ good(s)", (28, 1), "unexpected character '⊢'", "bad-character",
     "did you mean `->`? a claim is one formula: write its premises as `A -> B`"),
    ("￢p(s)", (23, 1), "unexpected character '￢'", "bad-character",
     "did you mean `not`? negation is written not (or ¬)"),
    ("∼p(s)", (23, 1), "unexpected character '∼'", "bad-character",
     "did you mean `not`? negation is written not (or ¬)"),
    ("f(s) − 1 = 0", (28, 1), "unexpected character '−'", "bad-character",
     "did you mean `-`? (a dash or minus sign pasted from a document)"),
    ("f(s)\u00a0= 0", (27, 1), "unexpected character '\\xa0'", "bad-character",
     "an invisible space character (U+00A0) pasted with the text: replace it with an ordinary space"),
])
def test_look_alike_operators_say_what_to_write(formula, caret, message, code, help):
    text = f"claim c: forall s: S. {formula}"
    column, width = caret
    assert shown(PRE + text) == (
        f"t.align:5:{column}: error: {message} [{code}]\n"
        f"   5 | {text}\n"
        f"     | {' ' * (column - 1)}{'^' * width}\n"
        f"  = help: {help}")


def test_membership_in_a_binder_says_write_a_colon():
    assert shown(PRE + "claim c: ∀ s ∈ S. p(s)") == (
        "t.align:5:14: error: unexpected character '∈' [bad-character]\n"
        "   5 | claim c: ∀ s ∈ S. p(s)\n"
        "     |              ^\n"
        "  = help: a bound variable is typed with ':': write `s: S`, as in `forall s: S. p(s)`")


def test_a_pasted_line_reports_each_look_alike_once():
    shown_ = shown(PRE + "claim c: ∀ s ∈ S. p(s) ⇒ good(s)")
    assert shown_.count("error:") == 2
    assert "'∈'" in shown_ and "'⇒'" in shown_ and IMPLIES in shown_


@pytest.mark.parametrize("text", ["claim c: forall s: S. f(s) != 0", "claim c: forall s: S. not p(s)",
                                  "claim c: forall s: S. p(s) -> good(s)", "claim c: forall s: S. f(s) <= -1",
                                  "claim c: forall s: S. f(s) = - -1", "claim c: forall s: S. f(s) < -1"])
def test_valid_neighbours_of_the_look_alikes_still_parse(text):
    assert shown(PRE + text) == ""


def test_every_look_alike_is_refused_with_a_hint():
    for spelling, help in LOOKALIKES.items():
        out = shown(PRE + f"claim c: forall s: S. p(s) {spelling} good(s)")
        assert out.count("error:") == 1 and f"  = help: {help}" in out, (spelling, out)


@pytest.mark.parametrize("quantifier, column, message", [
    ("forall s: S p(s)", 22, "expected ',' or '.' after 'S', found name 'p'"),
    ("forall s: S: p(s)", 21, "expected ',' or '.' after 'S', found ':'"),
    ("forall s: S, p(s)", 24, "expected ',', '.' or ':' after 'p', found '('"),
    ("forall s p(s)", 19, "expected ',', '.' or ':' after 's', found name 'p'"),
    ("∀s: S p(s)", 16, "expected ',' or '.' after 'S', found name 'p'"),
])
def test_a_quantifier_without_its_dot_says_so(quantifier, column, message):
    out = shown(PRE + f"claim c: {quantifier}")
    assert out.splitlines()[0] == f"t.align:5:{column}: error: {message} [syntax]"
    assert out.splitlines()[-1] == "  = help: a quantifier's binders end with '.': `forall a: Agent. p(a)`"


def test_names_without_a_comma_still_say_separate_them():
    out = shown(PRE + "claim c: forall a b: S. p(a)")
    assert out.splitlines()[-1] == "  = help: separate names with ',': `forall a, b: Agent. ...`"


@pytest.mark.parametrize("word, meant", [("iff", "<->"), ("implies", "->"), ("AND", "and")])
def test_operator_words_of_other_notations(word, meant):
    out = shown(PRE + f"claim c: forall s: S. p(s) {word} good(s)")
    assert out.count("error:") == 1
    assert out.splitlines()[-1] == f"  = help: did you mean `{meant}`? (see docs/language.md, Operators)"


KEYWORD_HELP = ("rename it, e.g. '{0}_'; the keywords are " + ", ".join(KEYWORDS) +
                " (see docs/language.md, Lexical)")


def test_a_declaration_keyword_as_a_name_is_one_error():
    assert shown("sort S\npred example: S\n") == (
        "t.align:2:6: error: 'example' is a keyword and cannot be used as a name [reserved-name]\n"
        "   2 | pred example: S\n"
        "     |      ^^^^^^^\n"
        "  = help: " + KEYWORD_HELP.format("example"))


@pytest.mark.parametrize("text, line, column, word", [
    ("sort S\nfun f: S -> example\n", 2, 13, "example"),
    ("sort S\ndef claim := true\n", 2, 5, "claim"),
    ("sort S\npred p: S\nclaim c: forall import: S. p(import)\n", 3, 17, "import"),
    ("sort S\npred p: S\nclaim c: forall within: S. p(within)\n", 3, 17, "within"),
    ("sort S\nconst then: S\n", 2, 7, "then"),
    ("sort S\npred p: S\nclaim c: p(axiom)\n", 3, 12, "axiom"),
    ("sort example\npred p: S\n", 1, 6, "example"),
])
def test_any_keyword_where_a_name_belongs_is_one_error(text, line, column, word):
    out = shown(text)
    assert out.count("error:") == 1, out
    assert out.splitlines()[0] == (f"t.align:{line}:{column}: error: '{word}' is a keyword and cannot be used "
                                   "as a name [reserved-name]")
    assert out.splitlines()[-1] == "  = help: " + KEYWORD_HELP.format(word)


def test_a_declaration_after_an_unfinished_one_is_still_a_declaration():
    out = shown("sort S\nclaim c: true ->\nclaim d: true\nclaim e: true -> claim f: true\n")
    assert "expected a formula after '->', found 'claim' (the next declaration)" in out.splitlines()[0]
    assert out.count("error:") == 2 and "keyword" not in out


def test_a_missing_parenthesis_points_at_the_open_one_and_names_the_end():
    assert shown(PRE + "claim c: forall s: S. (p(s) and good(s)\nclaim d: true\n") == (
        "t.align:5:23: error: '(' is not closed: expected ')' after ')' at 5:40, "
        "found 'claim' (the next declaration) [syntax]\n"
        "   5 | claim c: forall s: S. (p(s) and good(s)\n"
        "     |                       ^\n"
        "  = help: close it with ')' where it ends")


@pytest.mark.parametrize("text, line, column, message", [
    ("claim c: forall s: S. good(s", 5, 27,
     "'(' is not closed: expected ')', ',' or 'via' after 's' at 5:29, found the end of the file"),
    ("claim c: forall s: S. (p(s) within 3", 5, 23,
     "'(' is not closed: expected ')' after ')' at 5:29, found 'within'"),
    ("claim c: forall s: S. ((p(s)) and\n  (good(s) or p(s))", 5, 23,
     "'(' is not closed: expected ')' after ')' at 6:20, found the end of the file"),
    ("sort T = {a, b", 5, 10, "'{' is not closed: expected ',' or '}' after 'b' at 5:15, found the end of the file"),
])
def test_the_unclosed_bracket_is_the_innermost_open_one(text, line, column, message):
    out = shown(PRE + text)
    assert out.count("error:") == 1
    assert out.splitlines()[0] == f"t.align:{line}:{column}: error: {message} [syntax]"


def test_an_extra_closing_parenthesis_is_not_an_unclosed_one():
    out = shown(PRE + "claim c: forall s: S. p(s))")
    assert "not closed" not in out and "found ')'" in out
