"""Stage 5, z3: a program's sorts and symbols declared in one Z3 context.

It takes a core program (and a query's witness constants) and hands on the
Z3 sorts, function declarations and finite-sort elements the translation
and the model read-out look up. The names Z3 is given come from a
`Spelling`: user names as written when solving, respelled for an SMT-LIB
script (`smtlib.py`); the names the tool invents are minted by
`logic.names`, so none can be the same as a user's.
"""
from __future__ import annotations

from collections.abc import Sequence

import z3

from ...logic import core, names


class Untranslatable(Exception):
    """A core term the back end has no translation for (it was not expanded, or is ill-typed)."""


class Spelling:
    """The names a vocabulary gives Z3: here the user's own (Z3's API takes any string)."""

    def sort(self, sort: core.Sort) -> str:
        return sort.name

    def symbol(self, symbol: core.Symbol) -> str:
        return symbol.name

    def element(self, sort: core.Sort, element: str) -> str:
        return element

    def witness(self, symbol: core.Symbol) -> str:
        """A witness constant's name (minted by `names.witness` when the query was peeled)."""
        return symbol.name

    def word(self, name: str) -> str:
        """A user's name inside a name the tool invents (a bound variable's)."""
        return name


class Vocabulary:
    """The Z3 sorts and function declarations of one program, in one context."""

    def __init__(self, program: core.Program, witnesses: Sequence[core.Symbol], ctx: z3.Context,
                 spelling: Spelling | None = None):
        self.ctx = ctx
        self.spelling = spelling or Spelling()
        self.sorts: dict[core.Sort, z3.SortRef] = {
            core.BOOL: z3.BoolSort(ctx), core.INT: z3.IntSort(ctx), core.REAL: z3.RealSort(ctx)}
        self.elements: dict[str, z3.ExprRef] = {}
        for sort in program.sorts:
            self._declare_sort(sort)
        self.decls: dict[core.Symbol, z3.FuncDeclRef] = {}
        for symbol in (*program.symbols, *witnesses):
            if symbol.kind is not core.SymbolKind.ELEMENT:
                self.decls[symbol] = self._declare(symbol)

    def _declare_sort(self, sort: core.Sort) -> None:
        if sort.elements is not None:
            spelled = [self.spelling.element(sort, e) for e in sort.elements]
            zsort, consts = z3.EnumSort(self.spelling.sort(sort), spelled, ctx=self.ctx)
            self.elements.update(zip(sort.elements, consts))
            self.sorts[sort] = zsort
        elif sort.is_uninterpreted:
            self.sorts[sort] = z3.DeclareSort(self.spelling.sort(sort), self.ctx)

    def sort(self, sort: core.Sort) -> z3.SortRef:
        zsort = self.sorts.get(sort)
        if zsort is None:
            raise Untranslatable(f"undeclared sort {sort.name}")
        return zsort

    def sort_name(self, sort: core.Sort) -> str:
        """The name Z3 knows a declared sort by (the base of its bounded elements' names)."""
        return self.spelling.sort(sort)

    def variable_name(self, var: core.Var) -> str:
        return names.variable(self.spelling.word(var.name), var.uid)

    def _declare(self, symbol: core.Symbol) -> z3.FuncDeclRef:
        args = [self.sort(s) for s in symbol.args]
        witness = symbol.kind is core.SymbolKind.WITNESS
        name = self.spelling.witness(symbol) if witness else self.spelling.symbol(symbol)
        return z3.Function(name, *args, self.sort(symbol.result))

    def decl(self, symbol: core.Symbol) -> z3.FuncDeclRef:
        if symbol in self.decls:
            return self.decls[symbol]
        if symbol.kind is core.SymbolKind.WITNESS:
            raise Untranslatable(f"witness {symbol.name} was not declared")
        raise Untranslatable(f"undeclared symbol {symbol.name}")
