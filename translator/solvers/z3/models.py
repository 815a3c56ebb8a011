"""Stage 5, z3: a Z3 model copied out into a plain `model.Model`.

It takes a sat solver's model and the vocabulary it speaks and hands on a
`Model` of Python values: a universe per declared sort (`S#0`, `S#1`, ...
for an uninterpreted one, the elements for a finite one) and a table per
symbol and witness constant. No z3 object is in it.
"""
from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from itertools import product

import z3
from z3 import z3core

from ...logic import core
from ...logic.model import Model, Table, Value
from ...logic.names import probe as probe_name
from ...logic.numbers import PROCESS_DIGITS
from .. import budget
from ..common import shown_symbols
from .vocabulary import Vocabulary

MAX_TABLE_ROWS = 10_000
"""A table over finite arguments lists every tuple up to this many rows; beyond, Z3's entries."""

CLOCK_ROWS = 1024
"""Rows read between two looks at the clock, when the read-out has a deadline."""


class LateReadOut(Exception):
    """The read-out passed its deadline (the query's timeout and `budget.RECHECK_GRACE`)."""


class ModelReader:
    """Copies a Z3 model into a `model.Model`: universes, then one table per symbol."""

    def __init__(self, program: core.Program, vocab: Vocabulary,
                 witnesses: tuple[core.Symbol, ...], zmodel: z3.ModelRef, deadline: float | None = None):
        self.program = program
        self.vocab = vocab
        self.witnesses = witnesses
        self.zmodel = zmodel
        self.deadline = deadline  # a `budget.now()` reading past which the read-out stops (LateReadOut)
        self.universe: dict[core.Sort, list[z3.ExprRef]] = {}
        self.names: dict[int, str] = {}  # z3 ast id of a value -> its element name

    def read(self) -> Model:
        universes = {sort.name: self._read_universe(sort) for sort in self.program.sorts
                     if not sort.builtin}
        symbols = shown_symbols(self.program)
        tables = {}
        for symbol in (*symbols, *self.witnesses):
            self._on_time()
            tables[symbol.name] = self._table(symbol)
        return Model(universes=universes, tables=tables)

    def _on_time(self) -> None:
        if self.deadline is not None and budget.now() > self.deadline:
            raise LateReadOut

    def _read_universe(self, sort: core.Sort) -> tuple[str, ...]:
        if sort.is_finite:
            values = [self.vocab.elements[e] for e in sort.elements or ()]
            names = list(sort.elements or ())
        else:
            values = self._uninterpreted_universe(sort)
            names = [f"{sort.name}#{i}" for i in range(len(values))]
        self.universe[sort] = values
        self.names.update((v.get_id(), n) for v, n in zip(values, names))
        return tuple(names)

    def _uninterpreted_universe(self, sort: core.Sort) -> list[z3.ExprRef]:
        zsort = self.vocab.sort(sort)
        values = self.zmodel.get_universe(zsort)
        if values:
            return list(values)
        # No universe: nothing constrains the sort; the value Z3 completes with is its one element.
        probe = z3.Const(probe_name(sort.name), zsort)
        return [self.zmodel.eval(probe, model_completion=True)]

    def _domain(self, sort: core.Sort) -> list[z3.ExprRef] | None:
        """The values an argument of this sort ranges over, or None if infinite."""
        if sort.is_bool:
            return [z3.BoolVal(False, self.vocab.ctx), z3.BoolVal(True, self.vocab.ctx)]
        return self.universe.get(sort)

    def _table(self, symbol: core.Symbol) -> Table:
        decl = self.vocab.decl(symbol)
        domains = [self._domain(s) for s in symbol.args]
        known = [d for d in domains if d is not None]
        if len(known) == len(domains):
            size = 1
            for d in known:
                size *= len(d)
            if size <= MAX_TABLE_ROWS:
                return self._enumerated(symbol, decl, known)
        return self._from_interpretation(symbol, decl)

    def _enumerated(self, symbol: core.Symbol, decl: z3.FuncDeclRef, domains) -> Table:
        """Every argument tuple, evaluated in the model with completion.

        Built with the C API: the arguments are model values of the right
        sorts already, so z3.py's casts and sort checks per application (most
        of the cost of a read-out) are not needed. Reference counts are kept
        by hand: each application and value is held only while it is read.
        """
        keys = [[self._value(a, s) for a in d] for d, s in zip(domains, symbol.args)]
        asts = [[a.as_ast() for a in d] for d in domains]
        ref, fn, zmodel = self.vocab.ctx.ref(), decl.ast, self.zmodel.model
        read = self._raw_reader(symbol.result)
        arity = len(domains)
        args = (z3.Ast * max(1, arity))()
        out = (z3.Ast * 1)()
        rows = []
        for count, index in enumerate(product(*(range(len(d)) for d in domains)), 1):
            if count % CLOCK_ROWS == 0:
                self._on_time()
            key = tuple(keys[i][j] for i, j in enumerate(index))
            if None in key:
                continue
            for i, j in enumerate(index):
                args[i] = asts[i][j]
            app = z3core.Z3_mk_app(ref, fn, arity, args)
            z3core.Z3_inc_ref(ref, app)
            try:
                if not z3core.Z3_model_eval(ref, zmodel, app, True, out):
                    continue
                value_ast = out[0]
                z3core.Z3_inc_ref(ref, value_ast)
                try:
                    value = read(ref, value_ast)
                finally:
                    z3core.Z3_dec_ref(ref, value_ast)
            finally:
                z3core.Z3_dec_ref(ref, app)
            if value is not None:
                rows.append((key, value))
        return Table(rows=tuple(rows))  # type: ignore[arg-type]  # no None in a key kept

    def _raw_reader(self, sort: core.Sort) -> Callable:
        """A function (context ref, value ast) -> plain value or None, as `_value` for raw asts."""
        if sort.is_bool:
            return _raw_bool
        if sort == core.INT:
            return _raw_int
        if sort == core.REAL:
            return _raw_real
        names = self.names
        return lambda ref, a: names.get(z3core.Z3_get_ast_id(ref, a))

    def _from_interpretation(self, symbol: core.Symbol, decl: z3.FuncDeclRef) -> Table:
        """Z3's explicit entries and its `else` value, where they are plain values."""
        if not self._interpreted(decl):  # unconstrained: let Z3 complete it, then read what it chose
            self.zmodel.eval(decl(*[self._some_value(s) for s in symbol.args]), model_completion=True)
        interp = self.zmodel.get_interp(decl) if self._interpreted(decl) else None
        if not isinstance(interp, z3.FuncInterp):
            return Table(rows=())
        rows = []
        for i in range(interp.num_entries()):
            if i % CLOCK_ROWS == CLOCK_ROWS - 1:
                self._on_time()
            entry = interp.entry(i)
            keys = tuple(self._value(entry.arg_value(j), s) for j, s in enumerate(symbol.args))
            value = self._value(entry.value(), symbol.result)
            if value is not None and None not in keys:
                rows.append((keys, value))
        return Table(rows=tuple(rows), default=self._value(interp.else_value(), symbol.result))  # type: ignore[arg-type]

    def _interpreted(self, decl: z3.FuncDeclRef) -> bool:
        return any(d.get_id() == decl.get_id() for d in self.zmodel.decls())

    def _some_value(self, sort: core.Sort) -> z3.ExprRef:
        """Any value of `sort`, to make Z3 complete an unconstrained function."""
        domain = self._domain(sort)
        if domain:
            return domain[0]
        return self._zero(sort)

    def _zero(self, sort: core.Sort) -> z3.ExprRef:
        return z3.IntVal(0, self.vocab.ctx) if sort == core.INT else z3.RealVal(0, self.vocab.ctx)

    def _value(self, value: z3.ExprRef | None, sort: core.Sort) -> Value | None:
        """A Z3 value as a plain value; None when it is not one we can name."""
        if value is None:
            return None
        if sort.is_bool:
            return True if z3.is_true(value) else False if z3.is_false(value) else None
        if sort == core.INT:
            return _integer(value.as_string()) if z3.is_int_value(value) else None
        if sort == core.REAL:
            if not z3.is_rational_value(value):
                return None
            return _rational(value.as_string())
        return self.names.get(value.get_id())


def _raw_bool(ref, value) -> bool | None:
    answer = z3core.Z3_get_bool_value(ref, value)
    return True if answer == z3.Z3_L_TRUE else False if answer == z3.Z3_L_FALSE else None


def _raw_int(ref, value) -> int | None:
    if not z3core.Z3_is_numeral_ast(ref, value):
        return None
    return _integer(z3core.Z3_get_numeral_string(ref, value))


def _raw_real(ref, value) -> Fraction | None:
    if not z3core.Z3_is_numeral_ast(ref, value):
        return None
    return _rational(z3core.Z3_get_numeral_string(ref, value))


class TooLong(ValueError):
    """A value of the solver's model with more digits than this process converts (`numbers`)."""


def _integer(text: str) -> int:
    if len(text) > PROCESS_DIGITS:
        raise TooLong(f"the solver's model holds a number of {len(text):,} digits, more than alignproof "
                      f"reads ({PROCESS_DIGITS:,})")
    return int(text)


def _rational(text: str) -> Fraction:
    """A Z3 numeral `p`, `p/q` or `p.q` exactly."""
    numerator, _, denominator = text.partition("/")
    if "." in numerator:
        if len(numerator) > PROCESS_DIGITS:
            _integer(numerator)
        return Fraction(numerator)
    return Fraction(_integer(numerator), _integer(denominator) if denominator else 1)
