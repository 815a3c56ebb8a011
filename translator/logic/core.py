"""Stage 3: the typed core logic. It knows neither lark nor z3.

The type checker turns a syntax tree into these terms; `expand` removes
definitions and built-ins; the solver back end, the evaluator and the
reports all read them. Bound variables carry a `uid` unique in their program,
so substitution never captures and the solver can name them apart.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from fractions import Fraction
from typing import Any

from ..frontend.source import Span

# ---------------------------------------------------------------- sorts and symbols

@dataclass(frozen=True)
class Sort:
    """A type. Built-ins are Bool, Int and Real; others are declared with `sort`."""

    name: str
    elements: tuple[str, ...] | None = None  # a finite sort's declared elements
    builtin: bool = False

    @property
    def is_bool(self) -> bool:
        return self.builtin and self.name == "Bool"

    @property
    def is_numeric(self) -> bool:
        return self.builtin and self.name in ("Int", "Real")

    @property
    def is_finite(self) -> bool:
        return self.elements is not None

    @property
    def is_uninterpreted(self) -> bool:
        return not self.builtin and self.elements is None

    def __str__(self) -> str:
        return self.name


BOOL = Sort("Bool", builtin=True)
INT = Sort("Int", builtin=True)
REAL = Sort("Real", builtin=True)
BUILTIN_SORTS = {"Bool": BOOL, "Int": INT, "Real": REAL}


class SymbolKind(Enum):
    CONST = "const"
    FUN = "fun"
    PRED = "pred"
    BRIDGE = "bridge"
    ELEMENT = "element"   # an element of a finite sort
    WITNESS = "witness"   # a fresh constant standing for a claim's variable


@dataclass(frozen=True)
class Symbol:
    """A declared constant, function, predicate, bridge or finite-sort element."""

    name: str
    args: tuple[Sort, ...]
    result: Sort
    kind: SymbolKind
    span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)

    @property
    def arity(self) -> int:
        return len(self.args)

    def signature(self) -> str:
        if not self.args:
            return f"{self.name}: {self.result}"
        return f"{self.name}: {', '.join(map(str, self.args))} -> {self.result}"


# ---------------------------------------------------------------- terms

def _span() -> Span | None:
    return field(default=None, compare=False)


@dataclass(frozen=True)
class Var:
    name: str
    sort: Sort
    uid: int
    span: Span | None = _span()


@dataclass(frozen=True)
class App:
    """A symbol applied to arguments (constants have none)."""

    symbol: Symbol
    args: tuple[Term, ...] = ()
    span: Span | None = _span()

    @property
    def sort(self) -> Sort:
        return self.symbol.result


@dataclass(frozen=True)
class BoolLit:
    value: bool
    span: Span | None = _span()
    sort = BOOL


@dataclass(frozen=True)
class NumLit:
    value: Fraction
    sort: Sort  # INT or REAL
    span: Span | None = _span()


@dataclass(frozen=True)
class Not:
    arg: Term
    span: Span | None = _span()
    sort = BOOL


@dataclass(frozen=True)
class And:
    args: tuple[Term, ...]
    span: Span | None = _span()
    sort = BOOL


@dataclass(frozen=True)
class Or:
    args: tuple[Term, ...]
    span: Span | None = _span()
    sort = BOOL


@dataclass(frozen=True)
class Implies:
    lhs: Term
    rhs: Term
    span: Span | None = _span()
    sort = BOOL


@dataclass(frozen=True)
class Iff:
    lhs: Term
    rhs: Term
    span: Span | None = _span()
    sort = BOOL


@dataclass(frozen=True)
class Eq:
    lhs: Term
    rhs: Term
    span: Span | None = _span()
    sort = BOOL


@dataclass(frozen=True)
class Compare:
    op: str  # "<" | "<=" | ">" | ">="
    lhs: Term
    rhs: Term
    span: Span | None = _span()
    sort = BOOL


@dataclass(frozen=True)
class Add:
    """A sum; subtraction is Add((a, Neg(b)))."""

    args: tuple[Term, ...]
    span: Span | None = _span()

    @property
    def sort(self) -> Sort:
        return _sort_of(self)


@dataclass(frozen=True)
class Neg:
    arg: Term
    span: Span | None = _span()

    @property
    def sort(self) -> Sort:
        return _sort_of(self)


@dataclass(frozen=True)
class Scale:
    """`coeff * arg` with a literal coefficient: all multiplication is linear."""

    coeff: Fraction
    arg: Term
    span: Span | None = _span()

    @property
    def sort(self) -> Sort:
        return _sort_of(self)


@dataclass(frozen=True)
class Ite:
    cond: Term
    then: Term
    else_: Term
    span: Span | None = _span()

    @property
    def sort(self) -> Sort:
        return _sort_of(self)


class QuantKind(Enum):
    FORALL = "forall"
    EXISTS = "exists"


@dataclass(frozen=True)
class Quant:
    kind: QuantKind
    vars: tuple[Var, ...]
    body: Term
    span: Span | None = _span()
    sort = BOOL


@dataclass(frozen=True)
class Definition:
    """`def name(params) := body`; its meaning is the body with the arguments substituted."""

    name: str
    params: tuple[Var, ...]
    body: Term
    span: Span | None = _span()
    doc: str = field(default="", compare=False)

    @property
    def sort(self) -> Sort:
        return _sort_of(self)


@dataclass(frozen=True)
class DefCall:
    """A use of a definition, kept until `expand` so reports can unfold it one level at a time."""

    defn: Definition
    args: tuple[Term, ...] = ()
    span: Span | None = _span()

    @property
    def sort(self) -> Sort:
        return _sort_of(self)


BUILTINS = ("agree", "agree_on", "maximizes", "injective", "surjective")


@dataclass(frozen=True)
class BuiltinCall:
    """A built-in over functions (LANGUAGE.md §3), kept until `expand`.

    symbols: agree (f, g); agree_on (p, f, g); maximizes (g,); injective/surjective (b,).
    via: the bridge of `g via b`, if any. args: term arguments (maximizes: (z,)).
    """

    name: str
    symbols: tuple[Symbol, ...]
    via: Symbol | None = None
    args: tuple[Term, ...] = ()
    span: Span | None = _span()
    sort = BOOL


def _sort_of(term: object) -> Sort:
    """The sort of a node whose sort is an operand's (a sum, a negation, a scaling, an
    if-then-else, a definition and its use): followed down without recursion."""
    node = term
    while True:
        if isinstance(node, Add):
            node = node.args[0]
        elif isinstance(node, (Neg, Scale)):
            node = node.arg
        elif isinstance(node, Ite):
            node = node.then
        elif isinstance(node, DefCall):
            node = node.defn.body
        elif isinstance(node, Definition):
            node = node.body
        else:
            sort: Sort = node.sort  # type: ignore[attr-defined]
            return sort


Term = (Var | App | BoolLit | NumLit | Not | And | Or | Implies | Iff | Eq | Compare
        | Add | Neg | Scale | Ite | Quant | DefCall | BuiltinCall)

TERM_TYPES: tuple[type, ...] = (Var, App, BoolLit, NumLit, Not, And, Or, Implies, Iff, Eq, Compare,
                                Add, Neg, Scale, Ite, Quant, DefCall, BuiltinCall)
"""Every kind of core term node (the cases of `walk.Visitor`)."""


def is_term(value: object) -> bool:
    return isinstance(value, TERM_TYPES)


# ---------------------------------------------------------------- generic traversal

_NOT_CHILDREN = frozenset({"span", "symbol", "defn", "symbols", "via", "kind", "op", "coeff",
                           "value", "sort", "name", "uid", "vars"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
_PLAIN_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(cls: type) -> tuple[str, ...]:
    """Names of the fields of `cls` that hold sub-terms (or tuples of them), in order."""
    if cls not in _CHILD_FIELDS:
        _CHILD_FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name not in _NOT_CHILDREN)
    return _CHILD_FIELDS[cls]


def plain_fields(cls: type) -> tuple[str, ...]:
    """Names of the fields of `cls` that take part in equality and are not sub-terms."""
    if cls not in _PLAIN_FIELDS:
        _PLAIN_FIELDS[cls] = tuple(f.name for f in fields(cls) if f.compare and f.name in _NOT_CHILDREN)
    return _PLAIN_FIELDS[cls]


def children(term: Term) -> Iterator[Term]:
    """The immediate sub-terms, left to right (binders of a Quant are not children)."""
    for name in child_fields(type(term)):
        value = getattr(term, name)
        if isinstance(value, tuple):
            yield from value
        else:
            yield value


def map_children(term: Term, fn: Callable[[Term], Term]) -> Term:
    """`term` with `fn` applied to each immediate sub-term."""
    names = child_fields(type(term))
    if not names:
        return term
    changes: dict[str, Any] = {}
    for name in names:
        value = getattr(term, name)
        changes[name] = tuple(fn(v) for v in value) if isinstance(value, tuple) else fn(value)
    return replace(term, **changes)


def walk(term: Term) -> Iterator[Term]:
    """Every sub-term, pre-order, without recursion (deep terms are fine)."""
    stack = [term]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(children(node))))


def symbols_of(term: Term) -> list[Symbol]:
    """The declared symbols a term mentions, in order of first occurrence."""
    seen: dict[Symbol, None] = {}
    stack = [term]  # the order of a recursion into each definition's body where it is called
    while stack:
        node = stack.pop()
        if isinstance(node, App):
            seen.setdefault(node.symbol)
        elif isinstance(node, BuiltinCall):
            for sym in node.symbols + ((node.via,) if node.via else ()):
                seen.setdefault(sym)
        stack.extend(reversed(list(children(node))))
        if isinstance(node, DefCall):  # the body's symbols come before the arguments'
            stack.append(node.defn.body)
    return list(seen)


# ---------------------------------------------------------------- the program

@dataclass(frozen=True)
class Axiom:
    name: str
    formula: Term
    span: Span | None = _span()
    doc: str = field(default="", compare=False)


class QueryKind(Enum):
    CLAIM = "claim"
    EXAMPLE = "example"
    LEMMA = "lemma"  # checked like a claim; once proved, a premise of what follows it


@dataclass(frozen=True)
class Scope:
    """A bound on models (`within`): at most so many elements in each uninterpreted sort.

    `within 3` is `Scope(3)`: every uninterpreted sort at most 3. `within
    Agent: 3, Objective: 5` names sorts (`sizes`); a sort it does not name
    is bounded by `default` if there is one (`within 2, Agent: 3`), else not
    at all. Finite sorts and the built-ins have their own sizes and are
    never bounded. Written in JSON as the number alone when no sort is named.
    """

    default: int | None = None
    sizes: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, bound: int | Scope | None) -> Scope | None:
        """A scope from a bound given as a number (every sort) or as a scope."""
        return bound if bound is None or isinstance(bound, Scope) else cls(bound)

    def size(self, sort: str) -> int | None:
        """At most how many elements `sort` may have, or None when it is not bounded."""
        return next((n for name, n in self.sizes if name == sort), self.default)

    @property
    def largest(self) -> int:
        return max([n for _, n in self.sizes] + ([self.default] if self.default is not None else []), default=1)

    def at(self, step: int) -> Scope:
        """Every size cut to at most `step` (the scopes a search asks on its way to this one)."""
        return Scope(None if self.default is None else min(step, self.default),
                     tuple((name, min(step, n)) for name, n in self.sizes))

    def to_json(self) -> int | dict:
        if not self.sizes and self.default is not None:
            return self.default
        doc: dict = dict(self.sizes)
        if self.default is not None:
            doc["*"] = self.default
        return doc

    def __str__(self) -> str:
        parts = ([str(self.default)] if self.default is not None else []) + [f"{n}: {k}" for n, k in self.sizes]
        return ", ".join(parts)


@dataclass(frozen=True)
class Query:
    """A `claim`, an `example` or a `lemma` with its expectation (a verdict name) and bound.

    `lemmas`: the lemmas declared before it (imports first, then file order), which it may
    use as premises once proved. `pins`: (reading, verdict) for each `expect V in R`; in a
    reading's program `expect` is already the verdict pinned for that reading.
    """

    kind: QueryKind
    name: str
    formula: Term
    expect: str  # "proved" | "counterexample" for claims and lemmas; "witness" | "none" for examples
    within: Scope | None = None
    file: str = ""
    span: Span | None = _span()
    doc: str = field(default="", compare=False)
    lemmas: tuple[str, ...] = ()
    pins: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Reading:
    """What a `reading NAME: ... end` changes: the definitions it replaces, the axioms it drops,
    the axioms and lemmas it adds (by name)."""

    name: str
    file: str
    replaces: tuple[str, ...] = ()
    drops: tuple[str, ...] = ()
    adds: tuple[str, ...] = ()
    span: Span | None = _span()
    doc: str = field(default="", compare=False)


@dataclass(frozen=True)
class Program:
    """Everything one root file sees: its declarations and those of its imports.

    `queries` holds only the root file's claims, examples and lemmas; `axioms` all of them,
    and `lemmas` every lemma of the program, imports first (what a query's `lemmas` name).
    `next_uid` is larger than every variable uid in the program, for fresh names.

    Readings (LANGUAGE.md §6.2): `readings` are all the readings the program declares; the
    program as written has `reading` "base" and holds one program per reading in `variants`
    (each with `reading` its name and no variants). Without readings, `reading` is None.
    """

    root: str
    sorts: tuple[Sort, ...]
    symbols: tuple[Symbol, ...]
    definitions: tuple[Definition, ...]
    axioms: tuple[Axiom, ...]
    queries: tuple[Query, ...]
    next_uid: int = 0
    lemmas: tuple[Query, ...] = ()
    reading: str | None = None
    readings: tuple[Reading, ...] = ()
    variants: tuple[Program, ...] = ()

    def sort(self, name: str) -> Sort | None:
        return next((s for s in self.sorts if s.name == name), None)

    def symbol(self, name: str) -> Symbol | None:
        return next((s for s in self.symbols if s.name == name), None)
