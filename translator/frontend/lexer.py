"""Stage 1a: text to tokens.

A hand-written tokenizer (one regular expression) rather than lark's, so that
a bad character is reported and skipped instead of ending the file, every
token knows its exact span, and the Unicode spellings of LANGUAGE.md §1 map
onto the same token types as their ASCII twins. Symbols from other notations
(`=>`, `==`, `&&`, `⇒`, `∈`, ...: `lookalikes`) are reported, once each, with
what the language writes instead. Tokens are lark `Token`s, so the parser
consumes them directly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lark import Token

from . import diagnostics as codes
from .diagnostics import Diagnostic
from .lookalikes import LOOKALIKES, SPACES, space_help
from .lookalikes import PATTERN as _LOOKALIKE_RE
from .source import SourceFile, Span

KEYWORDS = (
    "sort const fun pred bridge def axiom claim example import expect within "
    "forall exists not and or if then else true false via "
    "lemma reading end drop in"
).split()

# Declarations start with one of these; they never occur inside one.
DECL_KEYWORDS = frozenset("IMPORT SORT CONST FUN PRED BRIDGE DEF AXIOM CLAIM EXAMPLE LEMMA READING".split())
# The parts of a `reading ... end` block that are no declaration: they too start a chunk of their own.
BLOCK_KEYWORDS = frozenset({"DROP", "END"})

# Fixed-spelling symbols, longest first within each family; value = token type.
SYMBOLS = {
    "<->": "IFF", "->": "IMPLIES", ":=": "ASSIGN", "!=": "NE", "<=": "LE", ">=": "GE",
    "(": "_LPAR", ")": "_RPAR", "{": "_LBRACE", "}": "_RBRACE", ",": "_COMMA",
    ":": "_COLON", ".": "_DOT", "=": "EQ", "<": "LT", ">": "GT",
    "+": "PLUS", "-": "MINUS", "*": "STAR",
    "∀": "FORALL", "∃": "EXISTS", "¬": "NOT", "∧": "AND", "∨": "OR",
    "→": "IMPLIES", "↔": "IFF", "≠": "NE", "≤": "LE", "≥": "GE",
}
# The ASCII spelling each token type is shown with (and stored as, in the syntax tree).
CANONICAL = {
    "IFF": "<->", "IMPLIES": "->", "NE": "!=", "LE": "<=", "GE": ">=", "EQ": "=",
    "LT": "<", "GT": ">", "PLUS": "+", "MINUS": "-", "STAR": "*",
    "FORALL": "forall", "EXISTS": "exists", "NOT": "not", "AND": "and", "OR": "or",
}
TYPE_SYMBOLS = {"ℝ": "Real", "ℤ": "Int", "𝔹": "Bool"}

LOOKALIKE_RE = _LOOKALIKE_RE
"""Spellings from other notations, each reported with what to write instead (`lookalikes`)."""
_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
_TOKEN_RE = re.compile(
    r"(?P<ws>[ \t\r\n\f]+)"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<number>[0-9]+(?:\.[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_']*)"
    r'|(?P<string>"(?:[^"\\\n]|\\.)*")'
    r'|(?P<open_string>"[^\n]*)'
    rf"|(?P<lookalike>{_LOOKALIKE_RE})"
    rf"|(?P<symbol>{_SYMBOL_RE})"
    r"|(?P<type>[ℝℤ𝔹])"
)


# A heading (see parser.py's docstring): `## Bridges`, `# ---- Bridges ----`, `# ==== bridge 1`.
_HEADING = re.compile(r"^\s*(#|([-=*~_+])\2\2)|([-=*~_+#])\3\3\s*$")


def is_heading(text: str) -> bool:
    """Whether a comment's text (without its leading '#') is a heading, never documentation."""
    return _HEADING.search(text) is not None


@dataclass(frozen=True)
class Comment:
    line: int
    column: int
    text: str  # without the leading '#'
    alone: bool  # nothing but whitespace before it on its line


@dataclass(frozen=True)
class Lexed:
    tokens: list
    comments: list
    diagnostics: list


def tokenize(source: SourceFile) -> Lexed:
    """All tokens of a file; bad characters become diagnostics and are skipped."""
    text = source.text
    tokens: list[Token] = []
    comments: list[Comment] = []
    diags: list[Diagnostic] = []
    pos, line, line_start = 0, 1, 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        column = pos - line_start + 1
        if match is None:
            char = text[pos]
            span = Span(source.path, line, column, line, column + 1)
            diags.append(Diagnostic(codes.BAD_CHARACTER, f"unexpected character {char!r}", span,
                                    help=_char_help(char)))
            pos += 1
            continue
        kind, value = match.lastgroup or "", match.group()
        end = match.end()
        if kind == "ws":
            newlines = value.count("\n")
            if newlines:
                line += newlines
                line_start = pos + value.rindex("\n") + 1
        elif kind == "comment":
            alone = text[line_start:pos].strip() == ""
            comments.append(Comment(line, column, value[1:], alone))
        elif kind == "lookalike":
            diags.append(_lookalike(value, Span(source.path, line, column, line, column + len(value))))
        elif kind == "open_string":
            span = Span(source.path, line, column, line, column + len(value))
            diags.append(Diagnostic(codes.BAD_LITERAL, "unterminated string", span,
                                    help='close the string with " on the same line'))
        else:
            tokens.append(_token(kind, value, pos, line, column))
        pos = end
    return Lexed(tokens, comments, diags)


def _token(kind: str, raw: str, pos: int, line: int, column: int) -> Token:
    value = raw
    if kind == "name":
        ttype = raw.upper() if raw in KEYWORDS else "NAME"
    elif kind == "number":
        ttype = "NUMBER"
    elif kind == "string":
        ttype = "STRING"
    elif kind == "type":
        ttype, value = "NAME", TYPE_SYMBOLS[raw]
    else:
        ttype = SYMBOLS[raw]
        value = CANONICAL.get(ttype, raw)
    # Spans cover the source spelling: a Unicode symbol is one column wide.
    return Token(ttype, value, start_pos=pos, line=line, column=column,
                 end_line=line, end_column=column + len(raw), end_pos=pos + len(raw))


# The characters valid tokens are made of: a look-alike of several of these is a
# misspelt operator (`=>`, `==`); any other is a bad character.
_TOKEN_CHARACTERS = frozenset("".join(SYMBOLS))


def _lookalike(spelling: str, span: Span) -> Diagnostic:
    """One diagnostic for a look-alike of an operator, naming what to write instead."""
    if len(spelling) > 1 and set(spelling) <= _TOKEN_CHARACTERS:
        return Diagnostic(codes.SYNTAX, f"'{spelling}' is not an operator", span, help=LOOKALIKES[spelling])
    plural = "s" if len(spelling) > 1 else ""
    return Diagnostic(codes.BAD_CHARACTER, f"unexpected character{plural} {spelling!r}", span,
                      help=LOOKALIKES[spelling])


def _char_help(char: str) -> str:
    if char == "'":
        return "names may contain ' but not start with it"
    if char == "^":
        return "logical operators are written and/or/not (or ∧ ∨ ¬), implication -> and equivalence <->"
    if char in "/%":
        return "arithmetic is linear: only +, - and * by a numeric literal are available"
    if char in SPACES:
        return space_help(char)
    return "remove it; the symbols the language has are listed in docs/language.md, Operators"
