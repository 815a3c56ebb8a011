"""Helpers of the type checker (`typecheck`) that need no checker state.

What an expression looks like in a message (`show`), which parts of it only
literals decide (`flexible`, `literal_sort`, `fold`), which names it mentions
(`mentions`), and the placeholder sort `ERROR` that silences follow-on errors.
"""
from __future__ import annotations

from fractions import Fraction

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
Scope = dict  # str -> core.Var: the bound variables visible at a point


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


def flexible(expr: syntax.Expr) -> bool:
    """True when only literals decide the numeric type of `expr`, so its context may choose."""
    if isinstance(expr, syntax.Number):
        return True
    if isinstance(expr, syntax.Unary):
        return expr.op == "-" and flexible(expr.arg)
    if isinstance(expr, syntax.Binary):
        return expr.op in ("+", "-", "*") and flexible(expr.left) and flexible(expr.right)
    if isinstance(expr, syntax.Ite):
        return flexible(expr.then) and flexible(expr.else_)
    return False


def literal_sort(*exprs: syntax.Expr) -> core.Sort:
    """Real if any literal in `exprs` has a decimal point, else Int."""
    stack = list(exprs)
    while stack:
        node = stack.pop()
        if isinstance(node, syntax.Number) and node.is_real:
            return core.REAL
        stack.extend(children(node))
    return core.INT


def fold(expr: syntax.Expr) -> Fraction | None:
    """The value of a literal-only arithmetic expression (`-2`, `2 * 3`), else None."""
    if isinstance(expr, syntax.Number):
        try:
            return Fraction(expr.text)
        except (ValueError, ZeroDivisionError):
            return None
    if isinstance(expr, syntax.Unary) and expr.op == "-":
        value = fold(expr.arg)
        return None if value is None else -value
    if isinstance(expr, syntax.Binary) and expr.op in ("+", "-", "*"):
        left, right = fold(expr.left), fold(expr.right)
        if left is None or right is None:
            return None
        return {"+": left + right, "-": left - right, "*": left * right}[expr.op]
    return None


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
    if isinstance(expr, syntax.Ite):
        return f"if {_show(expr.cond, d)} then {_show(expr.then, d)} else {_show(expr.else_, d)}"
    return "?"


def _wrap(expr: syntax.Expr, depth: int) -> str:
    text = _show(expr, depth)
    compound = (syntax.Binary, syntax.Compare, syntax.Quant, syntax.Ite, syntax.Unary)
    return f"({text})" if isinstance(expr, compound) else text
