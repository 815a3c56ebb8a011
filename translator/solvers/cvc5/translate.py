"""Stage 5, cvc5: expanded core terms to cvc5 terms, over one program's sorts and symbols.

It takes the cvc5 module (imported by `solvers.cvc5.load`), a `TermManager`,
a program and a query's witness constants, and hands on cvc5 terms: the
translation runs on the walker, without going through z3 or a printer; the
names the tool invents are minted by `logic.names`, as for z3. Bounds are
made here too: the cover axiom (every element is one of N named constants)
and cvc5's own cardinality constraint.
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ...logic import core, names
from ...logic.walk import Visit, Visitor


class Untranslatable(Exception):
    """A core term with no cvc5 translation (ill-typed, or naming what is not declared)."""


_COMPARE = {"<": "LT", "<=": "LEQ", ">": "GT", ">=": "GEQ"}


class Translator(Visitor[Any]):
    """Core terms to cvc5 terms over one program's sorts and symbols (and witness constants)."""

    unknown_hint = "must be expanded first"

    def __init__(self, cvc5: Any, tm: Any, program: core.Program, witnesses: Sequence[core.Symbol]):
        self.kind = cvc5.Kind
        self.tm = tm
        self.sorts: dict[core.Sort, Any] = {}
        self.elements: dict[str, Any] = {}
        self.symbols: dict[core.Symbol, Any] = {}
        self.vars: dict[tuple[str, int, core.Sort], Any] = {}
        for sort in program.sorts:
            self._declare_sort(sort)
        for symbol in (*program.symbols, *witnesses):
            if symbol.kind is not core.SymbolKind.ELEMENT:
                self.symbols[symbol] = self._declare(symbol)

    def _declare_sort(self, sort: core.Sort) -> None:
        tm = self.tm
        if sort.is_bool:
            self.sorts[sort] = tm.getBooleanSort()
        elif sort.builtin:
            self.sorts[sort] = tm.getIntegerSort() if sort.name == "Int" else tm.getRealSort()
        elif sort.elements is not None:
            decl = tm.mkDatatypeDecl(sort.name)
            for element in sort.elements:
                decl.addConstructor(tm.mkDatatypeConstructorDecl(element))
            made = tm.mkDatatypeSort(decl)
            datatype = made.getDatatype()
            for element in sort.elements:
                self.elements[element] = tm.mkTerm(self.kind.APPLY_CONSTRUCTOR, datatype[element].getTerm())
            self.sorts[sort] = made
        else:
            self.sorts[sort] = tm.mkUninterpretedSort(sort.name)

    def sort(self, sort: core.Sort) -> Any:
        if sort not in self.sorts:
            if not sort.builtin:
                raise Untranslatable(f"undeclared sort {sort.name}")
            self._declare_sort(sort)
        return self.sorts[sort]

    def _declare(self, symbol: core.Symbol) -> Any:
        result = self.sort(symbol.result)
        if not symbol.args:
            return self.tm.mkConst(result, symbol.name)
        domain = [self.sort(s) for s in symbol.args]
        return self.tm.mkConst(self.tm.mkFunctionSort(domain, result), symbol.name)

    def at_most(self, sort: core.Sort, bound: int) -> Any:
        """Every element of `sort` is one of `bound` fresh constants (`names.element`)."""
        made = self.sort(sort)
        consts = [self.tm.mkConst(made, names.element(sort.name, i)) for i in range(1, max(1, bound) + 1)]
        x = self.tm.mkVar(made, names.cover_variable(sort.name))
        cases = [self.tm.mkTerm(self.kind.EQUAL, x, n) for n in consts]
        body = cases[0] if len(cases) == 1 else self.tm.mkTerm(self.kind.OR, *cases)
        return self.tm.mkTerm(self.kind.FORALL, self.tm.mkTerm(self.kind.VARIABLE_LIST, x), body)

    def cardinality(self, sort: core.Sort, bound: int) -> Any:
        """cvc5's own "`sort` has at most `bound` elements" (for its finite model finding)."""
        return self.tm.mkCardinalityConstraint(self.sort(sort), max(1, bound))

    def _op(self, kind: str, args: Sequence[core.Term]) -> Visit:
        made = []
        for arg in args:
            made.append((yield arg))
        return self.tm.mkTerm(getattr(self.kind, kind), *made)

    def _var(self, term: core.Var) -> Any:
        key = (term.name, term.uid, term.sort)
        if key not in self.vars:
            self.vars[key] = self.tm.mkVar(self.sort(term.sort), names.variable(term.name, term.uid))
        return self.vars[key]

    def visit_Var(self, term: core.Var, env: None) -> Any:
        return self._var(term)

    def visit_App(self, term: core.App, env: None) -> Visit:
        symbol = term.symbol
        if symbol.kind is core.SymbolKind.ELEMENT:
            if symbol.name not in self.elements:
                raise Untranslatable(f"unknown element {symbol.name}")
            return self.elements[symbol.name]
        if symbol not in self.symbols:
            raise Untranslatable(f"undeclared symbol {symbol.name}")
        if not term.args:
            return self.symbols[symbol]
        args = []
        for arg in term.args:
            args.append((yield arg))
        return self.tm.mkTerm(self.kind.APPLY_UF, self.symbols[symbol], *args)

    def visit_BoolLit(self, term: core.BoolLit, env: None) -> Any:
        return self.tm.mkBoolean(term.value)

    def visit_NumLit(self, term: core.NumLit, env: None) -> Any:
        return self._number(Fraction(term.value), term.sort)

    def _number(self, value: Fraction, sort: core.Sort) -> Any:
        if sort.name == "Int":
            if value.denominator != 1:
                raise Untranslatable(f"{value} is not an integer")
            return self.tm.mkInteger(str(value.numerator))  # as text: cvc5 takes no int beyond 64 bits
        return self.tm.mkReal(f"{value.numerator}/{value.denominator}")

    def visit_Not(self, term: core.Not, env: None) -> Visit:
        return (yield from self._op("NOT", [term.arg]))

    def visit_And(self, term: core.And, env: None) -> Visit:
        return (yield from self._nary("AND", term.args, True))

    def visit_Or(self, term: core.Or, env: None) -> Visit:
        return (yield from self._nary("OR", term.args, False))

    def _nary(self, kind: str, args: Sequence[core.Term], empty: bool) -> Visit:
        if not args:
            return self.tm.mkBoolean(empty)
        if len(args) == 1:
            return (yield args[0])
        return (yield from self._op(kind, args))

    def visit_Implies(self, term: core.Implies, env: None) -> Visit:
        return (yield from self._op("IMPLIES", [term.lhs, term.rhs]))

    def visit_Iff(self, term: core.Iff, env: None) -> Visit:
        return (yield from self._op("EQUAL", [term.lhs, term.rhs]))

    def visit_Eq(self, term: core.Eq, env: None) -> Visit:
        return (yield from self._op("EQUAL", [term.lhs, term.rhs]))

    def visit_Compare(self, term: core.Compare, env: None) -> Visit:
        return (yield from self._op(_COMPARE[term.op], [term.lhs, term.rhs]))

    def visit_Add(self, term: core.Add, env: None) -> Visit:
        if len(term.args) == 1:
            return (yield term.args[0])
        return (yield from self._op("ADD", term.args))

    def visit_Neg(self, term: core.Neg, env: None) -> Visit:
        return (yield from self._op("NEG", [term.arg]))

    def visit_Scale(self, term: core.Scale, env: None) -> Visit:
        coeff = self._number(Fraction(term.coeff), term.arg.sort)
        return self.tm.mkTerm(self.kind.MULT, coeff, (yield term.arg))

    def visit_Ite(self, term: core.Ite, env: None) -> Visit:
        return (yield from self._op("ITE", [term.cond, term.then, term.else_]))

    def visit_Quant(self, term: core.Quant, env: None) -> Visit:
        kind = self.kind.FORALL if term.kind is core.QuantKind.FORALL else self.kind.EXISTS
        bound = self.tm.mkTerm(self.kind.VARIABLE_LIST, *[self._var(v) for v in term.vars])
        return self.tm.mkTerm(kind, bound, (yield term.body))
