"""Stage 5, cvc5: a cvc5 model copied out into a plain `model.Model`.

It takes a solver that answered sat and the translator that spoke to it and
hands on the same `Model` z3's read-out does: a universe per declared sort
(`S#0`, `S#1`, ... for an uninterpreted one, in cvc5's order of its domain
elements; the elements for a finite one) and a table per symbol and witness
constant. A table over finite arguments lists every tuple (up to
`MAX_TABLE_ROWS`); over Int or Real arguments it is read from cvc5's
`lambda` value, an if-then-else chain of argument tests, as explicit rows
and the value everywhere else. A value not read is left out: the model then
fails the evaluator's re-check, and is not reported. No cvc5 object is in it.
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import product
from typing import Any

from ...logic import core
from ...logic.model import Model, Table, Value
from ..common import shown_symbols
from .translate import Translator

MAX_TABLE_ROWS = 10_000
"""A table over finite arguments lists every tuple up to this many rows; beyond, it is left empty."""


class ModelReader:
    """Copies a cvc5 model into a `model.Model`: universes, then one table per symbol."""

    def __init__(self, cvc5: Any, solver: Any, translate: Translator, program: core.Program,
                 witnesses: Sequence[core.Symbol]):
        self.kind = cvc5.Kind
        self.solver = solver
        self.translate = translate
        self.program = program
        self.witnesses = tuple(witnesses)
        self.universe: dict[core.Sort, list[Any]] = {}
        self.names: dict[Any, str] = {}  # a cvc5 value term -> its element name

    def read(self) -> Model:
        universes = {sort.name: self._read_universe(sort) for sort in self.program.sorts if not sort.builtin}
        symbols = shown_symbols(self.program)
        tables = {s.name: self._table(s) for s in (*symbols, *self.witnesses)}
        return Model(universes=universes, tables=tables)

    def _read_universe(self, sort: core.Sort) -> tuple[str, ...]:
        if sort.is_finite:
            elements = list(sort.elements or ())
            values = [self.translate.elements[e] for e in elements]
        else:
            values = list(self.solver.getModelDomainElements(self.translate.sort(sort)))
            elements = [f"{sort.name}#{i}" for i in range(len(values))]
        self.universe[sort] = values
        self.names.update(zip(values, elements))
        return tuple(elements)

    def _domain(self, sort: core.Sort) -> list[Any] | None:
        if sort.is_bool:
            return [self.translate.tm.mkFalse(), self.translate.tm.mkTrue()]
        return self.universe.get(sort)

    def _table(self, symbol: core.Symbol) -> Table:
        function = self.translate.symbols[symbol]
        domains = [self._domain(s) for s in symbol.args]
        if not symbol.args:
            value = self._value(self.solver.getValue(function), symbol.result)
            return Table(rows=(((), value),) if value is not None else ())
        known = [d for d in domains if d is not None]
        if len(known) == len(domains):
            size = 1
            for domain in known:
                size *= len(domain)
            if size > MAX_TABLE_ROWS:
                return Table(rows=())
            return self._enumerated(symbol, function, known)
        return self._from_lambda(symbol, self.solver.getValue(function))

    def _enumerated(self, symbol: core.Symbol, function: Any, domains: list[list[Any]]) -> Table:
        keys = [[self._value(a, s) for a in d] for d, s in zip(domains, symbol.args)]
        tm = self.translate.tm
        rows = []
        for index in product(*(range(len(d)) for d in domains)):
            key = tuple(keys[i][j] for i, j in enumerate(index))
            if None in key:
                continue
            application = tm.mkTerm(self.kind.APPLY_UF, function, *[domains[i][j] for i, j in enumerate(index)])
            value = self._value(self.solver.getValue(application), symbol.result)
            if value is not None:
                rows.append((key, value))
        return Table(rows=tuple(rows))  # type: ignore[arg-type]  # no None in a key kept

    def _from_lambda(self, symbol: core.Symbol, value: Any) -> Table:
        """Rows from `(lambda (x1 ... xn) (ite (and (= x1 a1) ...) v (ite ... else)))`, and the else."""
        if value.getKind() != self.kind.LAMBDA or value.getNumChildren() != 2:
            return Table(rows=())
        params = list(value[0])
        body = value[1]
        rows: list[tuple[tuple[Value, ...], Value]] = []
        while body.getKind() == self.kind.ITE:
            key = self._test(body[0], params, symbol.args)
            result = self._value(body[1], symbol.result)
            if key is None or result is None:
                return Table(rows=tuple(rows))
            rows.append((key, result))
            body = body[2]
        return Table(rows=tuple(rows), default=self._value(body, symbol.result))

    def _test(self, test: Any, params: list[Any], sorts: Sequence[core.Sort]) -> tuple[Value, ...] | None:
        """The argument tuple an if-then-else test `(and (= x1 a1) ...)` picks, if it is one."""
        tests = list(test) if test.getKind() == self.kind.AND else [test]
        found: dict[int, Value] = {}
        for eq in tests:
            if eq.getKind() != self.kind.EQUAL or eq.getNumChildren() != 2:
                return None
            left, right = eq[0], eq[1]
            if right in params:
                left, right = right, left
            if left not in params:
                return None
            position = params.index(left)
            read = self._value(right, sorts[position])
            if read is None:
                return None
            found[position] = read
        if len(found) != len(params):
            return None
        return tuple(found[i] for i in range(len(params)))

    def _value(self, value: Any, sort: core.Sort) -> Value | None:
        """A cvc5 value as a plain value; None when it is not one we can name."""
        if sort.is_bool:
            return value.getBooleanValue() if value.isBooleanValue() else None
        if sort == core.INT:
            return value.getIntegerValue() if value.isIntegerValue() else None
        if sort == core.REAL:
            if value.isRealValue():
                return Fraction(value.getRealValue())
            return Fraction(value.getIntegerValue()) if value.isIntegerValue() else None
        return self.names.get(value)
