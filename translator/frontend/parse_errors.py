"""Stage 1b, for the parser: a syntax error in words, with the place to look and a hint.

`syntax_error` turns lark's `UnexpectedToken` for one declaration into a
`Diagnostic`: what was expected (in words, from the parser's real list of
acceptable tokens), what was found, and a hint when the mistake has a usual
cause: a keyword used as a name, a `(` never closed, binders without their
'.', a chained comparison, a word like `iff` where an operator goes, `=` for
`:=`, `in` for ':', parentheses around a symbol's sorts. `misspelt_keyword`
names the keyword a word from another notation stands for (`fn`: `fun`).
"""
from __future__ import annotations

from lark import Token
from lark.exceptions import LarkError, UnexpectedToken

from . import diagnostics as codes
from .convert import token_span
from .diagnostics import Diagnostic
from .lexer import BLOCK_KEYWORDS, CANONICAL, DECL_KEYWORDS, KEYWORDS
from .source import SourceFile, Span

FORMULA_START = {"NAME", "NUMBER", "_LPAR", "NOT", "FORALL", "EXISTS", "MINUS", "TRUE", "FALSE", "IF"}
_OPERATORS = {"AND", "OR", "IMPLIES", "IFF", "EQ", "NE", "LT", "LE", "GT", "GE", "PLUS", "MINUS", "STAR"}
_COMPARISONS = {"LT", "LE", "GT", "GE", "EQ", "NE"}
_WORDS = {
    "NAME": "a name", "NUMBER": "a number", "STRING": 'a quoted path like "other.align"',
    "_COLON": "':'", "ASSIGN": "':='", "_LPAR": "'('", "_RPAR": "')'", "_LBRACE": "'{'",
    "_RBRACE": "'}'", "_COMMA": "','", "_DOT": "'.'", "IMPLIES": "'->'", "EQ": "'='",
    "THEN": "'then'", "ELSE": "'else'", "WITHIN": "'within'", "EXPECT": "'expect'", "VIA": "'via'",
    "IN": "'in'", "AXIOM": "'axiom'",
    "$END": "the end of the declaration",
}
DECL_WORDS = "a declaration (import, sort, const, fun, pred, bridge, def, axiom, claim, example, lemma or reading)"
# Words from other notations, where an operator was expected.
OPERATOR_WORDS = {"iff": "<->", "implies": "->", "AND": "and", "OR": "or", "NOT": "not", "xor": "not (a <-> b)"}
_CLOSERS = {"_LPAR": "_RPAR", "_LBRACE": "_RBRACE"}
# Tokens at which an open bracket can only be a missing close (the rest of the declaration is gone).
_STOPS = {"$END", "WITHIN", "EXPECT", "_RPAR", "_RBRACE"}


def syntax_error(source: SourceFile, chunk: list[Token], err: UnexpectedToken,
                 following: Token | None) -> Diagnostic:
    """The diagnostic for the first token of `chunk` the parser could not take."""
    token = err.token
    at_end = token.type == "$END"
    index = len(chunk) if at_end else next((i for i, t in enumerate(chunk) if t is token), 0)
    previous = chunk[index - 1] if index > 0 else None
    acceptable = _acceptable(err)
    if not at_end and _keyword_as_name(token, acceptable):
        return keyword_error(source.path, token)
    expected = _expected_words(acceptable, previous)
    if at_end:
        found = f"'{following.value}' (the next declaration)" if following is not None else "the end of the file"
    else:
        found = describe(token)
    after = f" after {_quote(previous)}" if previous is not None else ""
    if at_end and previous is not None:
        span = Span(source.path, previous.end_line or 1, previous.end_column or 1,
                    previous.end_line or 1, (previous.end_column or 1) + 1)
    else:
        span = token_span(source.path, chunk[0] if at_end else token)
    opener = _unclosed(chunk[:index])
    if opener is not None and _CLOSERS[opener.type] in acceptable and token.type in _STOPS:
        return Diagnostic(codes.SYNTAX, f"'{opener.value}' is not closed: expected {expected}{after} "
                          f"at {span.line}:{span.column}, found {found}", token_span(source.path, opener),
                          help=f"close it with '{'}' if opener.type == '_LBRACE' else ')'}' where it ends")
    nxt = chunk[index + 1] if index + 1 < len(chunk) else None
    return Diagnostic(codes.SYNTAX, f"expected {expected}{after}, found {found}", span,
                      help=_syntax_help(acceptable, previous, token, nxt, chunk[index - 2] if index > 1 else None,
                                        chunk[0].type))


def keyword_error(path: str, token: Token) -> Diagnostic:
    """A keyword where a name belongs (`pred example: S`): one error, naming the keywords."""
    word = token.value
    return Diagnostic(codes.RESERVED, f"'{word}' is a keyword and cannot be used as a name",
                      token_span(path, token),
                      help=f"rename it, e.g. '{word}_'; the keywords are {', '.join(KEYWORDS)} "
                      "(see docs/language.md, Lexical)")


# What other provers and papers start a declaration with, and the keyword that does it here.
_OTHER_KEYWORDS = {
    **dict.fromkeys("fn func funct function functions fun_ op operation".split(), "fun"),
    **dict.fromkeys("predicate predicates relation rel prop".split(), "pred"),
    **dict.fromkeys("constant constants consts var val".split(), "const"),
    **dict.fromkeys("type types typedecl domain sorts kind".split(), "sort"),
    **dict.fromkeys("definition define defn let abbreviation".split(), "def"),
    **dict.fromkeys("axioms assume assumption postulate premise hypothesis fact".split(), "axiom"),
    **dict.fromkeys("theorem thm proposition corollary lem".split(), "lemma"),
    **dict.fromkeys("conjecture goal assert check prove show".split(), "claim"),
    **dict.fromkeys("include use open require".split(), "import"),
    **dict.fromkeys("readings case".split(), "reading"),
}
_DECLARATION_KEYWORDS = ("import sort const fun pred bridge def axiom claim example lemma reading").split()


def misspelt_keyword(token: Token) -> str | None:
    """A hint for a word where a declaration's keyword goes: the keyword it stands for, if any."""
    word = str(token.value)
    lower = word.lower()
    keyword = lower if lower in _DECLARATION_KEYWORDS else _OTHER_KEYWORDS.get(lower)
    if keyword is None and token.type == "NAME":
        from .typecheck_util import close_matches
        keyword = next(iter(close_matches(lower, _DECLARATION_KEYWORDS)), None)
    if keyword is None:
        return None
    if keyword == lower:
        return f"keywords are lower case: write `{keyword}`"
    return f"did you mean `{keyword}`? (see docs/language.md, Declarations)"


def _keyword_as_name(token: Token, acceptable: set[str]) -> bool:
    """A keyword where only a name fits, or a declaration keyword inside a declaration."""
    if token.value not in KEYWORDS or "NAME" not in acceptable:
        return False
    return acceptable == {"NAME"} or token.type in _NAME_LIKE


# Keywords that a name is often spelt like: the declaration keywords, and the words of readings.
_NAME_LIKE = DECL_KEYWORDS | BLOCK_KEYWORDS | {"IN"}


def _unclosed(tokens: list[Token]) -> Token | None:
    """The innermost '(' or '{' among `tokens` that no later token closes."""
    open_: list[Token] = []
    for token in tokens:
        if token.type in _CLOSERS:
            open_.append(token)
        elif open_ and token.type == _CLOSERS[open_[-1].type]:
            open_.pop()
    return open_[-1] if open_ else None


def _acceptable(err: UnexpectedToken) -> set[str]:
    """The tokens that could really come next (LALR's own list merges contexts)."""
    parser = getattr(err, "interactive_parser", None)
    if parser is not None:
        try:
            return set(parser.accepts())
        except LarkError:  # pragma: no cover - defensive
            pass
    return set(err.expected)


def _expected_words(expected: set[str], previous: Token | None) -> str:
    if len(expected & FORMULA_START) >= 3:
        if previous is not None and previous.type == "_COLON" and "NUMBER" not in expected:
            return "a type"
        return "a formula"
    if expected == {"NAME"} and previous is not None and previous.type in ("_COLON", "IMPLIES"):
        return "a type"
    words = []
    if expected & _OPERATORS and len(expected & _OPERATORS) > 2:
        words.append("an operator")
        expected = expected - _OPERATORS
    words += sorted({_WORDS.get(t, f"'{CANONICAL.get(t, t.lower().strip('_'))}'") for t in expected})
    if not words:
        return "something else"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


_DOT_HELP = "a quantifier's binders end with '.': `forall a: Agent. p(a)`"


def _syntax_help(expected: set[str], previous: Token | None, token: Token, following: Token | None,
                 before: Token | None, leading: str = "") -> str | None:
    """A hint for the usual causes; `following` comes after `token`, `before` before `previous`,
    `leading` is the type of the declaration's keyword."""
    if token.type == "EQ" and "ASSIGN" in expected:
        return "a definition is written with ':=': `def name(a: A) := ...`"
    if token.type == "IN" and "_COLON" in expected:
        return "a bound variable is typed with ':': write `a: A`, as in `forall a: A. p(a)`"
    if token.type == "_COLON" and expected == {"NAME"} and previous is not None and previous.type in _NAMED:
        word = previous.value
        return f"every {word} has a name: `{word} NAME: ...`"
    if token.type == "_LPAR" and previous is not None and before is not None and before.type in _SYMBOLS \
            and "_COLON" in expected:
        return "a symbol's argument sorts follow ':': `pred q: A, B` or `fun f: A, B -> C`"
    if token.type == "_LPAR" and leading in ("FUN", "PRED") and _after_the_name(before, previous) \
            and expected == {"NAME"}:
        return "argument sorts are listed without parentheses: `fun f: A, B -> C`"
    if "_DOT" in expected and _binders_end_here(token, following, before):
        return _DOT_HELP
    if token.type == "NAME" and previous is not None and previous.type == "NAME" and "_COMMA" in expected:
        return "separate names with ',': `forall a, b: Agent. ...`"
    if "_DOT" in expected and token.type in FORMULA_START:
        return _DOT_HELP
    if token.type == "NAME" and previous is not None and previous.type == "NAME" and "_LPAR" in expected:
        return f"apply with parentheses: `{previous.value}({token.value})`"
    if token.type in ("EXPECT", "WITHIN"):
        return "`within` and `expect` follow a claim's or example's formula"
    if token.type in _COMPARISONS and token.type not in expected:
        return "comparisons do not chain: write `a < b and b < c`"
    if token.type == "_DOT" and "NUMBER" in expected:
        return "write real numbers with a digit before the point: 0.5"
    if token.type == "NAME" and token.value in OPERATOR_WORDS and expected & _OPERATORS:
        return f"did you mean `{OPERATOR_WORDS[token.value]}`? (see docs/language.md, Operators)"
    return None


# Declarations whose keyword a name follows; symbol declarations, whose name ':' follows.
_NAMED = {"SORT", "CONST", "FUN", "PRED", "BRIDGE", "DEF", "AXIOM", "CLAIM", "EXAMPLE", "LEMMA", "READING"}
_SYMBOLS = {"CONST", "FUN", "PRED", "BRIDGE"}


def _after_the_name(before: Token | None, previous: Token | None) -> bool:
    """Whether `previous` is the ':' right after a symbol's name (`fun f: ...`), not a binder's."""
    return previous is not None and previous.type == "_COLON" and before is not None and before.type == "NAME"


def _binders_end_here(token: Token, following: Token | None, before: Token | None) -> bool:
    """Binders followed by their body with no '.': after a type (`forall s: S p(s)`, `forall s: S: p(s)`),
    or after an untyped name when an application follows (`forall x p(x)`)."""
    if before is not None and before.type == "_COLON" and token.type in ("_COLON", "NAME"):
        return True
    return token.type == "NAME" and following is not None and following.type == "_LPAR"


def describe(token: Token) -> str:
    if token.type == "$END":
        return "the end of the file"
    if token.type == "NAME":
        return f"name '{token.value}'"
    if token.type == "NUMBER":
        return f"number {token.value}"
    return f"'{token.value}'"


def _quote(token: Token) -> str:
    return f"'{token.value}'"
