"""Stage 1b, second half: one declaration's lark parse tree to `syntax` nodes.

Post-order over an explicit stack, so the depth of the input never becomes
depth of the Python stack. On the way it measures how deeply the expression
nests and refuses more than `MAX_DEPTH` levels (`TooDeep`), and it reads
numeric literals exactly (`syntax.number_value`), refusing only those past
`MAX_LITERAL_DIGITS`. It hands `parser` a `syntax.Decl`.

Depth counts nesting, not width: each operator, quantifier, `if`, application
and `via` is a level, but a chain of one associative operator (`a and b and
c`, `x + y - z`) is one level however long, as it is one flat term in the core.
"""
from __future__ import annotations

import ast
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from lark import Token, Tree
from lark.exceptions import LarkError

from ..logic.numbers import MAX_DIGITS
from . import diagnostics as codes
from . import syntax as S
from .source import Span

MAX_DEPTH = 1000               # nesting levels of one expression
MAX_LITERAL_DIGITS = MAX_DIGITS  # digits of one numeric literal (reading one costs ~20 ms)

# Rules that are a level of nesting; every other rule (lists, declarations) is not.
_LEVELS = frozenset({"binary", "unary", "compare", "quant", "ite", "apply", "via"})
# Operators whose chains are one flat term: a left operand of the same family adds no level.
_FAMILY = {"and": "and", "or": "or", "+": "+", "-": "+"}


class TooDeep(Exception):
    def __init__(self, span: Span):
        self.span = span


class BadDecl(Exception):
    """A declaration that parsed but says something impossible (an untyped binder, `within 0`)."""

    def __init__(self, message: str, span: Span, help: str | None = None, code: str = "syntax"):
        self.message, self.span, self.help, self.code = message, span, help, code


def token_span(path: str, token: Token) -> Span:
    return Span(path, token.line or 1, token.column or 1, token.end_line or 1, token.end_column or 1)


def import_path(literal: str) -> str:
    """The path an import's string literal spells (its escapes read as Python's)."""
    try:
        path = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return literal[1:-1]
    return path if isinstance(path, str) else literal[1:-1]


class Converter:
    """Post-order, stack-based conversion of a lark tree: depth is checked, never recursed."""

    _HANDLERS: dict[str, Callable[[Converter, Span, list], Any]] = {}  # rule -> `_on_` method, filled once

    def __init__(self, path: str):
        self.path = path
        if not Converter._HANDLERS:
            Converter._HANDLERS.update((name[4:], getattr(Converter, name)) for name in dir(Converter)
                                       if name.startswith("_on_"))

    def convert(self, tree: Tree) -> S.Decl:
        values: list = []        # converted children, in order
        depths: list[int] = []   # the nesting depth of each
        stack: list[tuple[Tree | Token, bool]] = [(tree, False)]
        while stack:
            node, done = stack.pop()
            if isinstance(node, Token):
                values.append(node)
                depths.append(0)
                continue
            if not done:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.children))
                continue
            count = len(node.children)
            kids = values[len(values) - count:]
            depth = self._depth(node.data, kids, depths[len(depths) - count:])
            del values[len(values) - count:]
            del depths[len(depths) - count:]
            span = self._span(node)
            if depth > MAX_DEPTH:
                raise TooDeep(span)
            handler = self._HANDLERS.get(node.data)
            if handler is None:
                raise LarkError(f"no conversion for grammar rule {node.data!r}")
            values.append(handler(self, span, kids))
            depths.append(depth)
        return values[0]

    @staticmethod
    def _depth(rule: str, kids: list, depths: list[int]) -> int:
        deepest = max(depths, default=0)
        if rule not in _LEVELS:
            return deepest
        if rule == "binary" and isinstance(kids[0], S.Binary):
            family = _FAMILY.get(kids[1].value)
            if family is not None and _FAMILY.get(kids[0].op) == family:
                return max(depths[0], 1 + depths[2])  # the chain goes on: its left part is this level
        return 1 + deepest

    def _span(self, node: Tree) -> Span:
        meta = node.meta
        if getattr(meta, "empty", True):
            return Span(self.path, 1, 1, 1, 1)
        return Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tspan(self, token: Token) -> Span:
        return token_span(self.path, token)

    def _number(self, token: Token) -> Fraction:
        digits = len(token.value) - ("." in token.value)
        if digits > MAX_LITERAL_DIGITS:
            raise BadDecl(f"number literal of {digits:,} digits; at most {MAX_LITERAL_DIGITS:,} are supported",
                          self._tspan(token), help="no specification needs such a number: write a smaller one",
                          code="bad-literal")
        return S.number_value(token.value)

    # declarations
    def _on_start(self, span, kids):
        return kids[0]

    def _on_import_decl(self, span, kids):
        return S.Import(import_path(kids[1].value), span)

    def _on_sort_decl(self, span, kids):
        name = kids[1]
        elements = kids[3] if len(kids) > 2 else None
        return S.SortDecl(name.value, tuple(t.value for t in elements) if elements is not None else None,
                          span, self._tspan(name),
                          tuple(self._tspan(t) for t in elements) if elements else ())

    def _on_names(self, span, kids):
        return kids

    def _on_const_decl(self, span, kids):
        return S.SymbolDecl("const", kids[1].value, (), kids[2], span, self._tspan(kids[1]))

    def _on_fun_decl(self, span, kids):
        return S.SymbolDecl("fun", kids[1].value, tuple(kids[2]), kids[4], span, self._tspan(kids[1]))

    def _on_pred_decl(self, span, kids):
        args = tuple(kids[2]) if len(kids) > 2 else ()
        return S.SymbolDecl("pred", kids[1].value, args, S.TypeRef("Bool", self._tspan(kids[0])),
                            span, self._tspan(kids[1]))

    def _on_bridge_decl(self, span, kids):
        return S.SymbolDecl("bridge", kids[1].value, (kids[2],), kids[4], span, self._tspan(kids[1]))

    def _on_types(self, span, kids):
        return kids

    def _on_type(self, span, kids):
        return S.TypeRef(kids[0].value, span)

    def _on_def_decl(self, span, kids):
        params = kids[2] if len(kids) == 5 else ()
        return S.DefDecl(kids[1].value, tuple(params), kids[-1], span, self._tspan(kids[1]))

    def _on_axiom_decl(self, span, kids):
        return S.AxiomDecl(kids[1].value, kids[2], span, self._tspan(kids[1]))

    def _on_query_decl(self, span, kids):
        keyword, name, formula, options = kids[0], kids[1], kids[2], kids[3:]
        fields: dict = {}
        pins: list[S.Pin] = []
        for key, value, readings in options:
            if readings:
                pins += self._pins(key, value, readings, pins)
                continue
            if key.type in fields:
                raise BadDecl(f"'{key.value}' given twice", self._tspan(key))
            fields[key.type] = (key, value)
        within = expect = None
        within_span = expect_span = None
        within_sorts: tuple[tuple[S.TypeRef, int], ...] = ()
        if "WITHIN" in fields:
            key, items = fields["WITHIN"]
            within_span = self._tspan(key).to(self._tspan(items[-1][1]))
            within, within_sorts = self._scope(items)
        if "EXPECT" in fields:
            key, value = fields["EXPECT"]
            expect, expect_span = value.value, self._tspan(key).to(self._tspan(value))
        return S.QueryDecl(keyword.value, name.value, formula, within, expect, span,
                           self._tspan(name), within_span, expect_span, within_sorts=within_sorts, pins=tuple(pins))

    def _pins(self, key: Token, value: Token, readings: list[Token], earlier: list[S.Pin]) -> list[S.Pin]:
        """The pins of one `expect V in R, S`: one per reading, each reading pinned once."""
        span = self._tspan(key).to(self._tspan(readings[-1]))
        pins: list[S.Pin] = []
        for token in readings:
            first = next((p for p in earlier + pins if p.reading == token.value), None)
            if first is not None:
                raise BadDecl(f"an expectation for reading '{token.value}' is given twice",
                              self._tspan(token), code="bad-expect",
                              help=f"keep one of `expect {first.verdict} in {token.value}` and "
                                   f"`expect {value.value} in {token.value}`")
            pins.append(S.Pin(value.value, token.value, span, self._tspan(token)))
        return pins

    def _scope(self, items: list) -> tuple[int | None, tuple[tuple[S.TypeRef, int], ...]]:
        """`within 2, Agent: 3`: the number for every sort not named, and the sizes of the named ones."""
        default, sizes = None, []
        for sort, value in items:
            bound = self._number(value)
            if bound.denominator != 1 or "." in value.value or bound < 1:
                raise BadDecl("`within` needs a positive whole number of elements",
                              self._tspan(value), help="e.g. `within 3` or `within Agent: 3, Objective: 5`",
                              code=codes.BAD_WITHIN)
            if sort is not None:
                sizes.append((sort, bound.numerator))
            elif default is not None:
                raise BadDecl("`within` takes one number for every sort; name the others",
                              self._tspan(value), help="e.g. `within 2, Agent: 3`", code=codes.BAD_WITHIN)
            else:
                default = bound.numerator
        return default, tuple(sizes)

    def _on_option(self, span, kids):
        return kids[0], kids[1], (kids[3] if len(kids) > 3 else [])

    def _on_readings(self, span, kids):
        return kids

    def _on_reading_decl(self, span, kids):
        return S.ReadingHeader(kids[1].value, span, self._tspan(kids[1]))

    def _on_drop_decl(self, span, kids):
        return S.DropAxiom(kids[2].value, span, self._tspan(kids[2]))

    def _on_end_decl(self, span, kids):
        return S.EndMark(span)

    def _on_scope(self, span, kids):
        return kids

    def _on_scope_item(self, span, kids):
        return (None, kids[0]) if len(kids) == 1 else (kids[0], kids[1])

    def _on_binders(self, span, kids):
        binders: list[S.Binder] = []
        pending: list[Token] = []
        for name, type_ref in kids:
            pending.append(name)
            if type_ref is not None:
                binders += [S.Binder(t.value, type_ref, self._tspan(t)) for t in pending]
                pending = []
        if pending:
            last = pending[-1]
            raise BadDecl(f"'{last.value}' has no type: the last name of a binder list must be typed",
                          self._tspan(last), help=f"write `{last.value}: SomeSort`")
        return tuple(binders)

    def _on_binder(self, span, kids):
        return kids[0], (kids[1] if len(kids) > 1 else None)

    # formulas
    def _on_binary(self, span, kids):
        return S.Binary(kids[1].value, kids[0], kids[2], span)

    def _on_unary(self, span, kids):
        return S.Unary(kids[0].value, kids[1], span)

    def _on_compare(self, span, kids):
        return S.Compare(kids[1].value, kids[0], kids[2], span)

    def _on_cmp_op(self, span, kids):
        return kids[0]

    def _on_quant(self, span, kids):
        return S.Quant(kids[0].value, kids[1], kids[2], span)

    def _on_ite(self, span, kids):
        return S.Ite(kids[1], kids[3], kids[5], span)

    def _on_name(self, span, kids):
        return S.Name(kids[0].value, span)

    def _on_number(self, span, kids):
        self._number(kids[0])
        return S.Number(kids[0].value, span)

    def _on_true(self, span, kids):
        return S.BoolLit(True, span)

    def _on_false(self, span, kids):
        return S.BoolLit(False, span)

    def _on_apply(self, span, kids):
        return S.Apply(kids[0].value, tuple(kids[1]), span, self._tspan(kids[0]))

    def _on_args(self, span, kids):
        return kids

    def _on_via(self, span, kids):
        return S.Via(kids[0], kids[2].value, span, self._tspan(kids[2]))
