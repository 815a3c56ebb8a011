"""Stage 1 output: the syntax tree of one `.align` file, exactly as written.

Nothing here is resolved or typed; names are strings. Every node keeps its
source span out of equality, so tests can build expected trees by hand.
Operators are kept as the ASCII spelling whatever the user typed
(`∧` arrives as "and", `→` as "->").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from .source import Span

# ---------------------------------------------------------------- types

@dataclass(frozen=True)
class TypeRef:
    """A written type: a sort name or one of Real/Int/Bool (Unicode spellings normalised)."""

    name: str
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Binder:
    """One bound name with its type (untyped names already took the next type)."""

    name: str
    type: TypeRef
    span: Span | None = field(default=None, compare=False)


# ---------------------------------------------------------------- expressions

@dataclass(frozen=True)
class Name:
    """A bare identifier: a variable, a constant, a finite-sort element or a parameterless def."""

    id: str
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Number:
    """A numeric literal as written (unsigned; `-2` is Neg(Number("2")))."""

    text: str
    span: Span | None = field(default=None, compare=False)

    @property
    def is_real(self) -> bool:
        return "." in self.text

    @cached_property
    def value(self) -> Fraction:
        return number_value(self.text)


def number_value(text: str) -> Fraction:
    """The exact value of a literal `123` or `1.25`, at any length (Python's `int()` stops at 4,300 digits).

    ValueError if `text` is not such a literal (the lexer makes only these; a tree built by hand may not).
    """
    if not _LITERAL.fullmatch(text):
        raise ValueError(f"not a numeric literal: {text!r}")
    whole, _, fraction = text.partition(".")
    value = _digits(whole + fraction)
    return Fraction(value, 10 ** len(fraction)) if fraction else Fraction(value)


_LITERAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_CHUNK = 1000  # digits read by one `int()`, well under its limit


def _digits(text: str) -> int:
    """A string of decimal digits as an int: chunks of `_CHUNK` digits joined pairwise (subquadratic)."""
    parts = [int(text[max(0, end - _CHUNK):end]) for end in range(len(text), 0, -_CHUNK)]
    power = 10 ** _CHUNK
    while len(parts) > 1:  # least significant first; each pair is lo + hi * 10**width
        parts = [parts[i] + parts[i + 1] * power if i + 1 < len(parts) else parts[i]
                 for i in range(0, len(parts), 2)]
        power *= power
    return parts[0] if parts else 0


@dataclass(frozen=True)
class BoolLit:
    value: bool
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Apply:
    """`name(arg, ...)`: a function, predicate, def or built-in applied to arguments."""

    fn: str
    args: tuple[Expr, ...]
    span: Span | None = field(default=None, compare=False)
    fn_span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Via:
    """`g via b`, only meaningful as an argument of `agree`/`agree_on`."""

    expr: Expr
    bridge: str
    span: Span | None = field(default=None, compare=False)
    bridge_span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Unary:
    """`not e` or `-e`."""

    op: str  # "not" | "-"
    arg: Expr
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Binary:
    """A binary connective or arithmetic operator.

    op is one of "and", "or", "->", "<->", "+", "-", "*". Chains of and/or/+/-
    are nested left-associatively; "->" right-associatively.
    """

    op: str
    left: Expr
    right: Expr
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Compare:
    """op is one of "=", "!=", "<", "<=", ">", ">="."""

    op: str
    left: Expr
    right: Expr
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Quant:
    kind: str  # "forall" | "exists"
    binders: tuple[Binder, ...]
    body: Expr
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Ite:
    cond: Expr
    then: Expr
    else_: Expr
    span: Span | None = field(default=None, compare=False)


Expr = Name | Number | BoolLit | Apply | Via | Unary | Binary | Compare | Quant | Ite


# ---------------------------------------------------------------- declarations

@dataclass(frozen=True)
class Import:
    path: str
    span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)


@dataclass(frozen=True)
class SortDecl:
    """`sort S` (elements None) or `sort S = {a, b}`."""

    name: str
    elements: tuple[str, ...] | None = None
    span: Span | None = field(default=None, compare=False)
    name_span: Span | None = field(default=None, compare=False)
    element_spans: tuple[Span, ...] = field(default=(), compare=False)
    doc: str = field(default="", compare=False)


@dataclass(frozen=True)
class SymbolDecl:
    """`const`, `fun`, `pred` or `bridge`. For `pred` the result is Bool; for `const` there are no args."""

    kind: str  # "const" | "fun" | "pred" | "bridge"
    name: str
    args: tuple[TypeRef, ...]
    result: TypeRef
    span: Span | None = field(default=None, compare=False)
    name_span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)


@dataclass(frozen=True)
class DefDecl:
    name: str
    params: tuple[Binder, ...]
    body: Expr
    span: Span | None = field(default=None, compare=False)
    name_span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)


@dataclass(frozen=True)
class AxiomDecl:
    name: str
    formula: Expr
    span: Span | None = field(default=None, compare=False)
    name_span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)


@dataclass(frozen=True)
class Pin:
    """`expect V in R`: the verdict a query is expected to have under reading R (one per reading named)."""

    verdict: str
    reading: str
    span: Span | None = field(default=None, compare=False)          # the whole `expect V in ...`
    reading_span: Span | None = field(default=None, compare=False)  # the reading's name


@dataclass(frozen=True)
class QueryDecl:
    """A `claim`, an `example` or a `lemma`, with its optional `within N`, `expect V` and
    `expect V in R, ...` (`pins`).

    `within 2, Agent: 3` is `within=2` (every sort not named) and `within_sorts`
    `((Agent, 3),)`; `within Agent: 3` alone has `within` None."""

    kind: str  # "claim" | "example" | "lemma"
    name: str
    formula: Expr
    within: int | None = None
    expect: str | None = None
    span: Span | None = field(default=None, compare=False)
    name_span: Span | None = field(default=None, compare=False)
    within_span: Span | None = field(default=None, compare=False)
    expect_span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)
    pins: tuple[Pin, ...] = ()
    within_sorts: tuple[tuple[TypeRef, int], ...] = ()


@dataclass(frozen=True)
class DropAxiom:
    """`drop axiom NAME`, inside a reading."""

    name: str
    span: Span | None = field(default=None, compare=False)
    name_span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)


@dataclass(frozen=True)
class ReadingHeader:
    """`reading NAME:` as parsed on its own; the parser folds it and what follows into a `Reading`."""

    name: str
    span: Span | None = field(default=None, compare=False)
    name_span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)


@dataclass(frozen=True)
class EndMark:
    """`end`, closing a reading."""

    span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)


ReadingItem = DefDecl | DropAxiom | AxiomDecl | QueryDecl  # the query is a lemma


@dataclass(frozen=True)
class Reading:
    """`reading NAME: ... end`: replacement defs, dropped axioms, added axioms and lemmas."""

    name: str
    items: tuple[ReadingItem, ...]
    span: Span | None = field(default=None, compare=False)
    name_span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)


Decl = Import | SortDecl | SymbolDecl | DefDecl | AxiomDecl | QueryDecl | Reading


@dataclass(frozen=True)
class Module:
    """One parsed file: its declarations in order, and the name and place of each declaration
    that did not parse (the type checker's hint for a use of that name)."""

    path: str
    decls: tuple[Decl, ...]
    unparsed: tuple[tuple[str, Span], ...] = field(default=(), compare=False)
