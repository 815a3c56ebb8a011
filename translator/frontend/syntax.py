"""Stage 1 output: the syntax tree of one `.align` file, exactly as written.

Nothing here is resolved or typed; names are strings. Every node keeps its
source span out of equality, so tests can build expected trees by hand.
Operators are kept as the ASCII spelling whatever the user typed
(`∧` arrives as "and", `→` as "->").
"""
from __future__ import annotations

from dataclasses import dataclass, field

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
class QueryDecl:
    """A `claim` or an `example`, with its optional `within N` and `expect V`."""

    kind: str  # "claim" | "example"
    name: str
    formula: Expr
    within: int | None = None
    expect: str | None = None
    span: Span | None = field(default=None, compare=False)
    name_span: Span | None = field(default=None, compare=False)
    within_span: Span | None = field(default=None, compare=False)
    expect_span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)


Decl = Import | SortDecl | SymbolDecl | DefDecl | AxiomDecl | QueryDecl


@dataclass(frozen=True)
class Module:
    """One parsed file: its declarations in order."""

    path: str
    decls: tuple[Decl, ...]
