"""Stage 5: the solver back end, and the only module of the project that imports z3.

It takes expanded core terms (no definitions, no built-ins), asks Z3 one
question, and hands back an `Outcome` made of plain Python values: a status,
the names of the tracked assertions in an unsat core, or a `model.Model`
copied out of Z3. No z3 object leaves this module.

Every call builds its own `z3.Context`, so queries share no solver state and
the same query always gets the same answer and the same model. Bound
variables are named `name!uid` and the back end's own constants carry an `@`,
so neither can collide with a user identifier.

Resource limit. Z3's `rlimit` counts abstract work units and is deterministic,
unlike the wall clock. When `SolverOptions.rlimit` is None the limit is
`RLIMIT_PER_SECOND * timeout`. Measured with z3 4.15.4 on a shared 2-core
x86-64 machine, as units consumed per second by searches that ran until a
2 s timeout: the 100 TPTP problems of the soundness suite (66 long searches,
unbounded and with every sort at most 3): 0.14-3.1 M/s, median 0.8, 10% below
0.39, 20% below 0.59; spec-like queries over agree/agree_on/maximizes/
injective/surjective with Real and Int values: 0.7-1.2 M/s; pure propositional
search (pigeonhole): 0.22-0.34 M/s. Of the TPTP queries that were decided,
95% needed under 0.4 M units and none more than 2.5 M. At 0.5 M/s (5 M units
for the default 10 s) the resource limit stops about 85% of long searches
before the wall clock, so verdicts do not depend on machine speed or load;
the timeout stays as the backstop (it bites first mainly on propositional
search and on machines several times slower).
"""
from __future__ import annotations

import operator
import time
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Callable, Sequence

import z3

from . import core
from .model import Model, Table, Value

RLIMIT_PER_SECOND = 500_000
"""Z3 resource units allowed per second of timeout when no rlimit is given (see above)."""

MAX_TABLE_ROWS = 10_000
"""A table over finite arguments lists every tuple up to this many rows; beyond, Z3's entries."""


@dataclass(frozen=True)
class SolverOptions:
    """Limits of one solver call: wall-clock seconds, resource units, random seed."""

    timeout: float = 10.0
    rlimit: int | None = None
    seed: int = 0

    def resource_limit(self) -> int:
        """The rlimit in force: the given one, or one derived from the timeout."""
        if self.rlimit is not None:
            return max(1, self.rlimit)
        return max(1, int(RLIMIT_PER_SECOND * self.timeout))

    def timeout_ms(self) -> int:
        return max(1, int(self.timeout * 1000))


@dataclass(frozen=True)
class Outcome:
    """What the solver said: 'sat' (with the model), 'unsat' (with the core) or 'unknown' (why)."""

    status: str
    core: tuple[str, ...] = ()
    model: Model | None = None
    reason: str = ""


def z3_version() -> str:
    """The version of the Z3 library in use, e.g. '4.15.4'."""
    return z3.get_version_string()


def solve(program: core.Program,
          tracked: Sequence[tuple[str, core.Term]],
          plain: Sequence[core.Term] = (),
          witnesses: Sequence[core.Symbol] = (),
          bound: int | None = None,
          options: SolverOptions = SolverOptions(),
          want_model: bool = True) -> Outcome:
    """Whether the tracked and plain formulas have a common model.

    `tracked` are named (their names form the unsat core); `witnesses` are
    extra constants used by the plain formulas; `bound` caps every
    uninterpreted sort at that many elements. Any failure inside Z3 (or a
    term the back end cannot translate) is an 'unknown' with its reason.
    With `want_model` False a 'sat' comes without a model (copying one out
    costs about a quarter of a query's time).
    """
    try:
        return _Query(program, witnesses, options).run(tracked, plain, bound, want_model)
    except z3.Z3Exception as error:
        return Outcome("unknown", reason=f"z3 error: {_z3_message(error)}")
    except _Untranslatable as error:
        return Outcome("unknown", reason=f"cannot translate for the solver: {error}")
    except RecursionError:
        return Outcome("unknown", reason="the formula is nested too deeply for the solver back end")


class _Untranslatable(Exception):
    """A core term the back end has no translation for (it was not expanded, or is ill-typed)."""


def _reason(reason: str, elapsed: float, options: SolverOptions) -> str:
    """Z3's reason for `unknown`, saying which limit it was when Z3 only says 'canceled'."""
    if reason != "canceled":
        return reason or "unknown"
    if elapsed >= options.timeout * 0.95:
        return f"timeout after {options.timeout:g}s (z3: canceled)"
    return f"resource limit of {options.resource_limit()} units reached (z3: canceled)"


def _z3_message(error: z3.Z3Exception) -> str:
    value = error.value
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


# ---------------------------------------------------------------- declarations

class _Vocabulary:
    """The Z3 sorts and function declarations of one program, in one context."""

    def __init__(self, program: core.Program, witnesses: Sequence[core.Symbol], ctx: z3.Context):
        self.ctx = ctx
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
        if sort.is_finite:
            zsort, consts = z3.EnumSort(sort.name, list(sort.elements), ctx=self.ctx)
            self.elements.update(zip(sort.elements, consts))
            self.sorts[sort] = zsort
        elif sort.is_uninterpreted:
            self.sorts[sort] = z3.DeclareSort(sort.name, self.ctx)

    def sort(self, sort: core.Sort) -> z3.SortRef:
        zsort = self.sorts.get(sort)
        if zsort is None:
            raise _Untranslatable(f"undeclared sort {sort.name}")
        return zsort

    def _declare(self, symbol: core.Symbol) -> z3.FuncDeclRef:
        args = [self.sort(s) for s in symbol.args]
        return z3.Function(symbol.name, *args, self.sort(symbol.result))

    def decl(self, symbol: core.Symbol) -> z3.FuncDeclRef:
        if symbol in self.decls:
            return self.decls[symbol]
        if symbol.kind is core.SymbolKind.WITNESS:
            raise _Untranslatable(f"witness {symbol.name} was not declared")
        raise _Untranslatable(f"undeclared symbol {symbol.name}")


# ---------------------------------------------------------------- terms

_COMPARE: dict[str, Callable] = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


class _Translator:
    """Core terms to Z3 expressions over one vocabulary."""

    def __init__(self, vocab: _Vocabulary):
        self.vocab = vocab
        self.ctx = vocab.ctx

    def __call__(self, term: core.Term) -> z3.ExprRef:
        method = getattr(self, "_" + type(term).__name__, None)
        if method is None:
            raise _Untranslatable(f"{type(term).__name__} must be expanded first")
        return method(term)

    def _Var(self, term: core.Var) -> z3.ExprRef:
        return z3.Const(f"{term.name}!{term.uid}", self.vocab.sort(term.sort))

    def _App(self, term: core.App) -> z3.ExprRef:
        symbol = term.symbol
        if symbol.kind is core.SymbolKind.ELEMENT:
            if symbol.name not in self.vocab.elements:
                raise _Untranslatable(f"unknown element {symbol.name}")
            return self.vocab.elements[symbol.name]
        return self.vocab.decl(symbol)(*[self(a) for a in term.args])

    def _BoolLit(self, term: core.BoolLit) -> z3.ExprRef:
        return z3.BoolVal(term.value, self.ctx)

    def _NumLit(self, term: core.NumLit) -> z3.ExprRef:
        return self._number(Fraction(term.value), term.sort)

    def _number(self, value: Fraction, sort: core.Sort) -> z3.ExprRef:
        if sort == core.INT:
            if value.denominator != 1:
                raise _Untranslatable(f"{value} is not an integer")
            return z3.IntVal(value.numerator, self.ctx)
        return z3.RealVal(f"{value.numerator}/{value.denominator}", self.ctx)

    def _Not(self, term: core.Not) -> z3.ExprRef:
        return z3.Not(self(term.arg))

    def _And(self, term: core.And) -> z3.ExprRef:
        args = [self(a) for a in term.args]
        return z3.And(*args) if args else z3.BoolVal(True, self.ctx)

    def _Or(self, term: core.Or) -> z3.ExprRef:
        args = [self(a) for a in term.args]
        return z3.Or(*args) if args else z3.BoolVal(False, self.ctx)

    def _Implies(self, term: core.Implies) -> z3.ExprRef:
        return z3.Implies(self(term.lhs), self(term.rhs))

    def _Iff(self, term: core.Iff) -> z3.ExprRef:
        return self(term.lhs) == self(term.rhs)

    def _Eq(self, term: core.Eq) -> z3.ExprRef:
        return self(term.lhs) == self(term.rhs)

    def _Compare(self, term: core.Compare) -> z3.ExprRef:
        return _COMPARE[term.op](self(term.lhs), self(term.rhs))

    def _Add(self, term: core.Add) -> z3.ExprRef:
        return z3.Sum([self(a) for a in term.args])

    def _Neg(self, term: core.Neg) -> z3.ExprRef:
        return -self(term.arg)

    def _Scale(self, term: core.Scale) -> z3.ExprRef:
        return self._number(Fraction(term.coeff), term.arg.sort) * self(term.arg)

    def _Ite(self, term: core.Ite) -> z3.ExprRef:
        return z3.If(self(term.cond), self(term.then), self(term.else_))

    def _Quant(self, term: core.Quant) -> z3.ExprRef:
        bound = [self._Var(v) for v in term.vars]
        make = z3.ForAll if term.kind is core.QuantKind.FORALL else z3.Exists
        return make(bound, self(term.body))


# ---------------------------------------------------------------- one query

class _Query:
    """One solver call: declarations, assertions, check, and the answer in plain values."""

    def __init__(self, program: core.Program, witnesses: Sequence[core.Symbol], options: SolverOptions):
        self.program = program
        self.witnesses = tuple(witnesses)
        self.ctx = z3.Context()
        self.vocab = _Vocabulary(program, self.witnesses, self.ctx)
        self.translate = _Translator(self.vocab)
        self.options = options
        self.solver = self._solver(options)

    def _solver(self, options: SolverOptions) -> z3.Solver:
        solver = z3.Solver(ctx=self.ctx)
        solver.set("timeout", options.timeout_ms())
        solver.set("rlimit", options.resource_limit())
        solver.set("random_seed", options.seed)
        solver.set("smt.random_seed", options.seed)
        # Z3 would catch Ctrl-C itself and answer `unknown`, which would then be
        # reported as a verdict; left to Python, Ctrl-C ends the run (exit 130).
        solver.set("ctrl_c", False)
        return solver

    def run(self, tracked, plain, bound, want_model: bool = True) -> Outcome:
        labels = self._assert(tracked, plain, bound)
        start = time.perf_counter()
        status = self.solver.check()
        if status == z3.unsat:
            core_names = {labels[lit.decl().name()] for lit in self.solver.unsat_core()}
            return Outcome("unsat", core=tuple(n for n, _ in tracked if n in core_names))
        if status == z3.sat:
            if not want_model:
                return Outcome("sat")
            return Outcome("sat", model=_ModelReader(self.program, self.vocab, self.witnesses,
                                                      self.solver.model()).read())
        elapsed = time.perf_counter() - start
        return Outcome("unknown", reason=_reason(self.solver.reason_unknown(), elapsed, self.options))

    def _assert(self, tracked, plain, bound) -> dict[str, str]:
        """Add every assertion; returns the tracking literals' names -> assertion names."""
        labels: dict[str, str] = {}
        for name, formula in tracked:
            literal = z3.Bool(f"@track:{name}", self.ctx)
            labels[literal.decl().name()] = name
            self.solver.assert_and_track(self.translate(formula), literal)
        for formula in plain:
            self.solver.add(self.translate(formula))
        if bound is not None:
            for sort in self.program.sorts:
                if sort.is_uninterpreted:
                    self.solver.add(self._at_most(sort, bound))
        return labels

    def _at_most(self, sort: core.Sort, bound: int) -> z3.ExprRef:
        """Every element of `sort` is one of `bound` fresh constants."""
        zsort = self.vocab.sort(sort)
        names = [z3.Const(f"{sort.name}@{i}", zsort) for i in range(1, max(1, bound) + 1)]
        x = z3.Const(f"x@{sort.name}", zsort)
        return z3.ForAll([x], z3.Or(*[x == e for e in names]))


# ---------------------------------------------------------------- models out of z3

class _ModelReader:
    """Copies a Z3 model into a `model.Model`: universes, then one table per symbol."""

    def __init__(self, program: core.Program, vocab: _Vocabulary,
                 witnesses: tuple[core.Symbol, ...], zmodel: z3.ModelRef):
        self.program = program
        self.vocab = vocab
        self.witnesses = witnesses
        self.zmodel = zmodel
        self.universe: dict[core.Sort, list[z3.ExprRef]] = {}
        self.names: dict[int, str] = {}  # z3 ast id of a value -> its element name

    def read(self) -> Model:
        universes = {sort.name: self._read_universe(sort) for sort in self.program.sorts
                     if not sort.builtin}
        symbols = [s for s in self.program.symbols
                   if s.kind in (core.SymbolKind.CONST, core.SymbolKind.FUN,
                                 core.SymbolKind.PRED, core.SymbolKind.BRIDGE)]
        tables = {s.name: self._table(s) for s in (*symbols, *self.witnesses)}
        return Model(universes=universes, tables=tables)

    def _read_universe(self, sort: core.Sort) -> tuple[str, ...]:
        if sort.is_finite:
            values = [self.vocab.elements[e] for e in sort.elements]
            names = list(sort.elements)
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
        probe = z3.Const(f"@element:{sort.name}", zsort)
        return [self.zmodel.eval(probe, model_completion=True)]

    def _domain(self, sort: core.Sort) -> list[z3.ExprRef] | None:
        """The values an argument of this sort ranges over, or None if infinite."""
        if sort.is_bool:
            return [z3.BoolVal(False, self.vocab.ctx), z3.BoolVal(True, self.vocab.ctx)]
        return self.universe.get(sort)

    def _table(self, symbol: core.Symbol) -> Table:
        decl = self.vocab.decl(symbol)
        domains = [self._domain(s) for s in symbol.args]
        if all(d is not None for d in domains):
            size = 1
            for d in domains:
                size *= len(d)
            if size <= MAX_TABLE_ROWS:
                return self._enumerated(symbol, decl, domains)
        return self._from_interpretation(symbol, decl)

    def _enumerated(self, symbol: core.Symbol, decl: z3.FuncDeclRef, domains) -> Table:
        rows = []
        for args in product(*domains):
            value = self._value(self.zmodel.eval(decl(*args), model_completion=True), symbol.result)
            keys = tuple(self._value(a, s) for a, s in zip(args, symbol.args))
            if value is not None and None not in keys:
                rows.append((keys, value))
        return Table(rows=tuple(rows))

    def _from_interpretation(self, symbol: core.Symbol, decl: z3.FuncDeclRef) -> Table:
        """Z3's explicit entries and its `else` value, where they are plain values."""
        if not self._interpreted(decl):  # unconstrained: let Z3 complete it, then read what it chose
            self.zmodel.eval(decl(*[self._some_value(s) for s in symbol.args]), model_completion=True)
        interp = self.zmodel.get_interp(decl) if self._interpreted(decl) else None
        if not isinstance(interp, z3.FuncInterp):
            return Table(rows=())
        rows = []
        for i in range(interp.num_entries()):
            entry = interp.entry(i)
            keys = tuple(self._value(entry.arg_value(j), s) for j, s in enumerate(symbol.args))
            value = self._value(entry.value(), symbol.result)
            if value is not None and None not in keys:
                rows.append((keys, value))
        return Table(rows=tuple(rows), default=self._value(interp.else_value(), symbol.result))

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
            return value.as_long() if z3.is_int_value(value) else None
        if sort == core.REAL:
            if not z3.is_rational_value(value):
                return None
            return Fraction(value.numerator_as_long(), value.denominator_as_long())
        return self.names.get(value.get_id())


# ---------------------------------------------------------------- SMT-LIB export

def smtlib_script(program: core.Program,
                  formulas: Sequence[core.Term],
                  witnesses: Sequence[core.Symbol] = (),
                  bound: int | None = None) -> str:
    """A self-contained SMT-LIB 2 script asking whether `formulas` have a common model.

    The same declarations and translation as `solve` (axioms and the negated
    claim, or the example's body, all plain), printed by Z3 and ending in
    `(check-sat)`: any SMT-LIB solver answers `unsat` for a proved claim and
    `sat` for a counterexample or witness. Raises ValueError for a term the
    back end cannot translate.
    """
    try:
        query = _Query(program, witnesses, SolverOptions())
        for formula in formulas:
            query.solver.add(query.translate(formula))
        if bound is not None:
            for sort in program.sorts:
                if sort.is_uninterpreted:
                    query.solver.add(query._at_most(sort, bound))
        script = query.solver.to_smt2()
    except (z3.Z3Exception, _Untranslatable) as error:
        raise ValueError(f"cannot write the query in SMT-LIB: {error}") from None
    return "(set-option :produce-models true)\n(set-logic ALL)\n" + script
