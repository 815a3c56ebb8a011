"""Stage 3: core terms printed as source-like text, for explanations, diagrams and reports.

It takes a core term and a plain model and hands on a string written as a
user would write the term (`forall x, y: A. x = y`, `p(a) -> q(a)`), with
witness constants, and variables bound in an environment, shown as their
values in the model. Parentheses only where precedence needs them. A pass of
`walk.Visitor`, so a term of any depth prints without recursion.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from . import core, names
from .model import Model, Value, value_to_text
from .numbers import decimal_text
from .walk import Visit, Visitor

PRECEDENCE: dict[type, int] = {
    core.Quant: 0, core.Ite: 0, core.Iff: 1, core.Implies: 2, core.Or: 3, core.And: 4,
    core.Not: 5, core.Eq: 6, core.Compare: 6, core.Add: 7, core.Scale: 8, core.Neg: 9}
"""How tightly each kind of node binds; anything else is atomic."""

ATOM = 10


def number_text(value: Fraction | int) -> str:
    """A numeric literal as it is written: `3`, `3.5` (its exact decimal text), or `1/3` when not a
    finite decimal."""
    value = Fraction(value)
    return decimal_text(value) or f"{value.numerator}/{value.denominator}"


class Printer(Visitor[str]):
    """Core terms as source-like text; witness constants and bound variables in `env` as their values.

    `printer(term, need)` is the text of `term` as an operand of an operator of
    precedence `need` (0: anywhere), in parentheses if it binds less tightly.
    """

    def __init__(self, model: Model, env: Mapping[int, Value] | None = None):
        self.model = model
        self.env: Mapping[int, Value] = env if env is not None else {}

    def __call__(self, term: core.Term, need: int = 0) -> str:
        return self.visit(term, need)

    def key(self, term: core.Term, env: Any) -> Hashable:
        return id(term), env  # the text depends only on the term and the precedence asked for

    @staticmethod
    def _wrap(term: core.Term, need: int, text: str) -> str:
        return f"({text})" if PRECEDENCE.get(type(term), ATOM) < need else text

    def _args(self, args: Sequence[core.Term]) -> Visit:
        return (yield from self._joined(args, 0, ", "))

    # ------------------------------------------------------------ atoms

    def visit_Var(self, term: core.Var, need: int) -> str:
        value = self.env.get(term.uid)
        return term.name if value is None else value_to_text(value)

    def visit_App(self, term: core.App, need: int) -> Visit:
        symbol = term.symbol
        if symbol.kind is core.SymbolKind.WITNESS:
            value = self.model.value(symbol.name)
            return names.witness_variable(symbol.name) if value is None else value_to_text(value)
        if not term.args:
            return symbol.name
        return f"{symbol.name}({(yield from self._args(term.args))})"

    def visit_BoolLit(self, term: core.BoolLit, need: int) -> str:
        return "true" if term.value else "false"

    def visit_NumLit(self, term: core.NumLit, need: int) -> str:
        return number_text(term.value)

    def visit_DefCall(self, term: core.DefCall, need: int) -> Visit:
        if not term.args:
            return term.defn.name
        return f"{term.defn.name}({(yield from self._args(term.args))})"

    def visit_BuiltinCall(self, term: core.BuiltinCall, need: int) -> Visit:
        names = [s.name for s in term.symbols]
        if term.via is not None:
            names[-1] += f" via {term.via.name}"
        for arg in term.args:
            names.append((yield arg, 0))
        return f"{term.name}({', '.join(names)})"

    # ------------------------------------------------------------ connectives

    def visit_Not(self, term: core.Not, need: int) -> Visit:
        return self._wrap(term, need, f"not {(yield term.arg, 5)}")

    def visit_And(self, term: core.And, need: int) -> Visit:
        return self._wrap(term, need, (yield from self._joined(term.args, 5, " and ")) or "true")

    def visit_Or(self, term: core.Or, need: int) -> Visit:
        return self._wrap(term, need, (yield from self._joined(term.args, 4, " or ")) or "false")

    def _joined(self, args: Sequence[core.Term], need: int, separator: str) -> Visit:
        parts = []
        for arg in args:
            parts.append((yield arg, need))
        return separator.join(parts)

    def visit_Implies(self, term: core.Implies, need: int) -> Visit:
        lhs = yield term.lhs, 3
        return self._wrap(term, need, f"{lhs} -> {(yield term.rhs, 2)}")

    def visit_Iff(self, term: core.Iff, need: int) -> Visit:
        lhs = yield term.lhs, 2
        return self._wrap(term, need, f"{lhs} <-> {(yield term.rhs, 2)}")

    def visit_Eq(self, term: core.Eq, need: int) -> Visit:
        lhs = yield term.lhs, 7
        return self._wrap(term, need, f"{lhs} = {(yield term.rhs, 7)}")

    def visit_Compare(self, term: core.Compare, need: int) -> Visit:
        lhs = yield term.lhs, 7
        return self._wrap(term, need, f"{lhs} {term.op} {(yield term.rhs, 7)}")

    # ------------------------------------------------------------ arithmetic

    def visit_Add(self, term: core.Add, need: int) -> Visit:
        parts = [(yield term.args[0], 7)]
        for arg in term.args[1:]:
            if isinstance(arg, core.Neg):
                parts.append(f"- {(yield arg.arg, 8)}")
            else:
                parts.append(f"+ {(yield arg, 8)}")
        return self._wrap(term, need, " ".join(parts))

    def visit_Neg(self, term: core.Neg, need: int) -> Visit:
        return self._wrap(term, need, f"-{(yield term.arg, ATOM)}")

    def visit_Scale(self, term: core.Scale, need: int) -> Visit:
        return self._wrap(term, need, f"{number_text(term.coeff)} * {(yield term.arg, 9)}")

    def visit_Ite(self, term: core.Ite, need: int) -> Visit:
        cond = yield term.cond, 0
        then = yield term.then, 0
        return self._wrap(term, need, f"if {cond} then {then} else {(yield term.else_, 0)}")

    def visit_Quant(self, term: core.Quant, need: int) -> Visit:
        groups: list[tuple[list[str], str]] = []
        for var in term.vars:  # `x, y: S` as it would be written
            if groups and groups[-1][1] == var.sort.name:
                groups[-1][0].append(var.name)
            else:
                groups.append(([var.name], var.sort.name))
        binders = ", ".join(f"{', '.join(names)}: {sort}" for names, sort in groups)
        return self._wrap(term, need, f"{term.kind.value} {binders}. {(yield term.body, 0)}")


def print_term(term: core.Term, model: Model, env: Mapping[int, Value] | None = None) -> str:
    """`term` as source-like text, witness constants and variables bound in `env` shown as their values."""
    return Printer(model, dict(env or {}))(term)
