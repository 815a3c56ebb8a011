"""Helpers of the type checker (`typecheck`) that need no checker state.

What an expression looks like in a message (`show`), which parts of it only
literals decide (`Literals`), which names it mentions (`mentions`), a term's
sort found without recursion (`sort_of`), the placeholder sort `ERROR` that
silences follow-on errors, and the types of the checker's explicit stack
(`Need`, `Checking`). Nothing here recurses on the depth of its input.
"""
from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from ..logic import core
from . import syntax
from .source import Span

# The sort of a placeholder term standing for an expression that already failed;
# every check accepts it silently, so one mistake gives one diagnostic.
ERROR = core.Sort("<error>", builtin=True)
RESERVED_NAMES = frozenset(core.BUILTINS) | frozenset(core.BUILTIN_SORTS)
KIND_WORDS = {"sort": "sort", "const": "constant", "fun": "function", "pred": "predicate",
              "bridge": "bridge", "element": "element of a finite sort", "def": "definition",
              "witness": "constant"}
MIX_HELP = "Int and Real never mix implicitly: give both sides the same numeric type"

Value = core.Sort | core.Symbol | core.Definition  # what a global name can mean
Scope = dict[str, core.Var]  # the bound variables visible at a point

# A rule of the type checker is a generator: it yields each sub-expression it needs checked,
# as (expression, scope, the sort its context asks for), is sent back its core term, and
# returns a T (a rule: its term). The checker's loop keeps the pending rules on a list, so
# nesting never deepens the Python stack.
T = TypeVar("T")
Need = tuple[syntax.Expr, Scope, core.Sort | None]
Checking = Generator[Need, core.Term, T]


# ---------------------------------------------------------------- facts about syntax


def children(expr: syntax.Expr) -> tuple[syntax.Expr, ...]:
    """The immediate sub-expressions of `expr`, left to right."""
    if isinstance(expr, syntax.Apply):
        return expr.args
    if isinstance(expr, syntax.Via):
        return (expr.expr,)
    if isinstance(expr, syntax.Unary):
        return (expr.arg,)
    if isinstance(expr, (syntax.Binary, syntax.Compare)):
        return (expr.left, expr.right)
    if isinstance(expr, syntax.Ite):
        return (expr.cond, expr.then, expr.else_)
    if isinstance(expr, syntax.Quant):
        return (expr.body,)
    return ()


def mentions(expr: syntax.Expr, bound: frozenset[str]) -> list[str]:
    """The global names `expr` mentions (not those bound around them), first mention first."""
    found: dict[str, None] = {}
    stack = [(expr, bound)]
    while stack:
        node, names = stack.pop()
        if isinstance(node, syntax.Name) and node.id not in names:
            found.setdefault(node.id)
        elif isinstance(node, syntax.Apply) and node.fn not in names:
            found.setdefault(node.fn)
        if isinstance(node, syntax.Quant):
            names = names | {b.name for b in node.binders}
        stack.extend((child, names) for child in reversed(children(node)))
    return list(found)


@dataclass(frozen=True)
class _Facts:
    flexible: bool          # only literals decide its numeric type, so its context may choose
    real: bool              # some literal in it has a decimal point
    value: Fraction | None  # its value, when it is literal-only arithmetic (`-2`, `2 * 3`)


class Literals:
    """What the literals of an expression decide, each node worked out once (bottom-up, no recursion).

    One instance serves a whole type check: a rule asks about a sub-expression, then checks
    it and asks about its parts, so remembering the answers keeps long chains linear.
    """

    def __init__(self) -> None:
        self._facts: dict[int, _Facts] = {}
        self._keep: list[syntax.Expr] = []  # the nodes asked about stay alive, so their ids stay theirs

    def flexible(self, expr: syntax.Expr) -> bool:
        return self._of(expr).flexible

    def sort(self, *exprs: syntax.Expr) -> core.Sort:
        """Real if any literal in `exprs` has a decimal point, else Int."""
        return core.REAL if any(self._of(e).real for e in exprs) else core.INT

    def fold(self, expr: syntax.Expr) -> Fraction | None:
        return self._of(expr).value

    def _of(self, expr: syntax.Expr) -> _Facts:
        known = self._facts.get(id(expr))
        if known is not None:
            return known
        stack: list[tuple[syntax.Expr, bool]] = [(expr, False)]
        while stack:
            node, ready = stack.pop()
            if id(node) in self._facts:
                continue
            kids = children(node)
            if not ready and kids:
                stack.append((node, True))
                stack.extend((kid, False) for kid in kids if id(kid) not in self._facts)
                continue
            self._facts[id(node)] = _facts(node, [self._facts[id(kid)] for kid in kids])
            self._keep.append(node)
        return self._facts[id(expr)]


def _facts(node: syntax.Expr, kids: list[_Facts]) -> _Facts:
    real = any(k.real for k in kids)
    if isinstance(node, syntax.Number):
        try:
            return _Facts(True, node.is_real, node.value)
        except ValueError:  # a malformed literal in a tree built by hand: reported where it is checked
            return _Facts(True, node.is_real, None)
    if isinstance(node, syntax.Unary) and node.op == "-":
        (arg,) = kids
        return _Facts(arg.flexible, real, None if arg.value is None else -arg.value)
    if isinstance(node, syntax.Binary) and node.op in ("+", "-", "*"):
        left, right = kids
        value = None
        if left.value is not None and right.value is not None:
            value = {"+": left.value + right.value, "-": left.value - right.value,
                     "*": left.value * right.value}[node.op]
        return _Facts(left.flexible and right.flexible, real, value)
    if isinstance(node, syntax.Ite):
        return _Facts(kids[1].flexible and kids[2].flexible, real, None)
    return _Facts(False, real, None)


def sort_of(term: core.Term) -> core.Sort:
    """`term.sort`, found by a loop: a term's own `sort` asks its first operand, and so on down."""
    while True:
        if isinstance(term, (core.Neg, core.Scale)):
            term = term.arg
        elif isinstance(term, core.Add):
            term = term.args[0]
        elif isinstance(term, core.Ite):
            term = term.then
        elif isinstance(term, core.DefCall):
            term = term.defn.body
        else:
            return term.sort


def hole(span: Span | None) -> core.Var:
    """A placeholder for an expression that already produced a diagnostic."""
    return core.Var("<error>", ERROR, 0, span)


def numeric_sort(sort: core.Sort | None) -> bool:
    return sort is not None and sort.is_numeric


def operand_exprs(node) -> tuple[syntax.Expr, syntax.Expr]:
    if isinstance(node, syntax.Ite):
        return node.then, node.else_
    return node.left, node.right




def value_kind(target: Value) -> str:
    if isinstance(target, core.Sort):
        return "sort"
    if isinstance(target, core.Definition):
        return "def"
    return target.kind.value


def close_matches(name: str, pool: list[str]) -> list[str]:
    """The one name of `pool` closest to `name`, if any is close (for "did you mean"); difflib is
    imported only when a name is wrong."""
    import difflib
    return difflib.get_close_matches(name, pool, n=1)


def count(n: int, noun: str = "argument") -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def where(span: Span | None) -> str:
    return str(span) if span is not None else "an unknown place"


# ---------------------------------------------------------------- showing expressions in messages

_SHOW_LIMIT = 60
_SHOW_DEPTH = 8


def show(expr: syntax.Expr) -> str:
    """A short ASCII rendering of `expr` for messages (long or deep ones are cut with ...)."""
    text = _show(expr, 0)
    return text if len(text) <= _SHOW_LIMIT else text[: _SHOW_LIMIT - 3] + "..."


def _show(expr: syntax.Expr, depth: int) -> str:
    if depth > _SHOW_DEPTH:
        return "..."
    d = depth + 1
    if isinstance(expr, syntax.Name):
        return expr.id
    if isinstance(expr, syntax.Number):
        return expr.text
    if isinstance(expr, syntax.BoolLit):
        return "true" if expr.value else "false"
    if isinstance(expr, syntax.Apply):
        return f"{expr.fn}({', '.join(_show(a, d) for a in expr.args)})"
    if isinstance(expr, syntax.Via):
        return f"{_show(expr.expr, d)} via {expr.bridge}"
    if isinstance(expr, syntax.Unary):
        return ("not " if expr.op == "not" else "-") + _wrap(expr.arg, d)
    if isinstance(expr, (syntax.Binary, syntax.Compare)):
        return f"{_wrap(expr.left, d)} {expr.op} {_wrap(expr.right, d)}"
    if isinstance(expr, syntax.Quant):
        binders = ", ".join(f"{b.name}: {b.type.name}" for b in expr.binders)
        return f"{expr.kind} {binders}. {_show(expr.body, d)}"
    return f"if {_show(expr.cond, d)} then {_show(expr.then, d)} else {_show(expr.else_, d)}"


def _wrap(expr: syntax.Expr, depth: int) -> str:
    text = _show(expr, depth)
    compound = (syntax.Binary, syntax.Compare, syntax.Quant, syntax.Ite, syntax.Unary)
    return f"({text})" if isinstance(expr, compound) else text
