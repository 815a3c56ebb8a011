"""Stage 5: the solver back end, and the only module of the project that imports z3.

It takes expanded core terms (no definitions, no built-ins), asks Z3 a
question, and hands back an `Outcome` made of plain Python values: a status,
the names of the tracked assertions in an unsat core, or a `model.Model`
copied out of Z3. No z3 object leaves this module.

Sessions. The questions about one query (the claim itself, a smaller unsat
core, the vacuity test, smaller models) are asked in one `Session`: one
`z3.Context` with the program's declarations, each formula translated once,
a fresh `z3.Solver` per question (a smaller core is sought on the solver of
the question that found the core, with assumptions). Queries share no
solver state: each query has its own session, so a query's answers do not
depend on which other queries were asked before it, or in which process,
and the same query always gets the same answers and the same models. Bound
variables are named `name!uid` and the back end's own constants carry an
`@`, so neither can collide with a user identifier.

Bounded questions (`bound=N`: every uninterpreted sort has at most N
elements) name the elements `S@1..S@N` and say that they are all there is;
see `_Bounds` for how the quantifiers over such a sort are then unrolled and
how the symmetric search is cut down, and why that loses no model.

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

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import product

import z3
from z3 import z3core

from ..logic import core
from ..logic.model import Model, Table, Value

RLIMIT_PER_SECOND = 500_000
"""Z3 resource units allowed per second of timeout when no rlimit is given (see above)."""

MAX_TABLE_ROWS = 10_000
"""A table over finite arguments lists every tuple up to this many rows; beyond, Z3's entries."""

MAX_UNROLLED = 100_000
"""A formula's quantifiers over bounded sorts are unrolled when that makes at most this many nodes."""

SYMMETRY_NAMES = 64
"""Symmetry breaking (`_Bounds`, 2. and 3.) speaks of the first this many names of a sort only."""


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
    costs about a quarter of a query's time). One question in a session of
    its own: see `Session` for several about the same query.
    """
    return Session(program, witnesses).solve(tracked, plain, bound, options, want_model)


class Session:
    """Several questions about one query, asked in one Z3 context (see the module's docstring).

    Every formula handed in is translated once per session (and once per
    bound), so the formulas must not change between questions: they are
    remembered by identity. Answers are plain values, as from `solve`.
    """

    def __init__(self, program: core.Program, witnesses: Sequence[core.Symbol] = ()):
        self.program = program
        self.witnesses = tuple(witnesses)
        self._vocab: _Vocabulary | None = None
        self._translators: dict[int | None, _Translator] = {}
        self._last: tuple[z3.Solver, dict[str, z3.ExprRef]] | None = None

    def solve(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term] = (),
              bound: int | None = None, options: SolverOptions = SolverOptions(),
              want_model: bool = True) -> Outcome:
        """Like the module's `solve`, in this session."""
        self._last = None
        try:
            return self._solve(tracked, plain, bound, options, want_model)
        except z3.Z3Exception as error:
            return Outcome("unknown", reason=f"z3 error: {_z3_message(error)}")
        except _Untranslatable as error:
            return Outcome("unknown", reason=f"cannot translate for the solver: {error}")
        except RecursionError:
            return Outcome("unknown", reason="the formula is nested too deeply for the solver back end")

    def smaller_core(self, core_names: Sequence[str], options: SolverOptions) -> tuple[str, ...] | None:
        """The unsat core of the last question made smaller by deletion, names in the given order.

        Each tracked assertion of the core is left out in turn and the rest
        re-checked (on the same solver, by assumptions, with `options`'
        limits); if that is still unsat, the new (smaller) core is kept. Every
        name left is needed: without it the rest was sat, or Z3 could not
        tell. None unless the last question of this session answered unsat.
        """
        if self._last is None:
            return None
        kept = list(core_names)
        solver, literals = self._last
        try:
            _limit(solver, options)
            for name in core_names:
                if name not in kept:
                    continue
                trial = [n for n in kept if n != name]
                if solver.check(*[literals[n] for n in trial]) == z3.unsat:
                    in_core = {lit.decl().name() for lit in solver.unsat_core()}
                    kept = [n for n in trial if literals[n].decl().name() in in_core]
        except z3.Z3Exception:
            pass
        return tuple(kept)

    # ------------------------------------------------------------ inside

    def _translator(self, bound: int | None) -> _Translator:
        if self._vocab is None:
            self._vocab = _Vocabulary(self.program, self.witnesses, z3.Context())
        translator = self._translators.get(bound)
        if translator is None:
            bounds = _Bounds(self.program, self.witnesses, self._vocab, bound) if bound is not None else None
            translator = self._translators[bound] = _Translator(self._vocab, bounds)
        return translator

    def _solve(self, tracked, plain, bound, options: SolverOptions, want_model: bool) -> Outcome:
        translate = self._translator(bound)
        vocab = self._vocab
        solver = z3.Solver(ctx=vocab.ctx)
        # Z3 would catch Ctrl-C itself and answer `unknown`, which would then be
        # reported as a verdict; left to Python, Ctrl-C ends the run (exit 130).
        solver.set("timeout", options.timeout_ms(), "rlimit", options.resource_limit(),
                   "random_seed", options.seed, "smt.random_seed", options.seed, "ctrl_c", False)
        literals: dict[str, z3.ExprRef] = {}
        for name, formula in tracked:
            literals[name], implication = translate.tracked(name, formula)
            solver.add(implication)
        for formula in plain:
            solver.add(translate.top(formula))
        if translate.bounds is not None:
            solver.add(*translate.bounds.constraints())
        start = time.perf_counter()
        status = solver.check(*literals.values())
        elapsed = time.perf_counter() - start
        if status == z3.unsat:
            in_core = {lit.decl().name() for lit in solver.unsat_core()}
            self._last = (solver, literals)
            return Outcome("unsat", core=tuple(n for n in literals if literals[n].decl().name() in in_core))
        if status == z3.sat:
            if not want_model:
                return Outcome("sat")
            return Outcome("sat", model=_ModelReader(self.program, vocab, self.witnesses, solver.model()).read())
        return Outcome("unknown", reason=_reason(solver.reason_unknown(), elapsed, options))


def _limit(solver: z3.Solver, options: SolverOptions) -> None:
    solver.set("timeout", options.timeout_ms())
    solver.set("rlimit", options.resource_limit())


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


# ---------------------------------------------------------------- bounded sorts

class _Bounds:
    """`bound=N`: every uninterpreted sort S has at most N elements, named `S@1..S@N`.

    What is asserted, per uninterpreted sort S:

    1. cover: `forall x: S. x = S@1 or ... or x = S@N`. The names need not
       be distinct, so this says exactly "S has at most N elements".
    2. canonical names: `S@j` repeats an earlier name only as a copy of
       `S@(j-1)`, and once a name repeats, all later ones do; so the
       elements are `S@1..S@m`, all different, then `S@m` again up to `S@N`.
       (2. and 3. name only the first `SYMMETRY_NAMES` names, so that their
       size stays linear in N; leaving constraints out loses no model.)
    3. least-number symmetry breaking (as in MACE-style model finders): the
       constants of sort S (the query's witnesses first, then the declared
       constants), c1, c2, ..., take `ci` in `{S@1..S@i}`; then, for d = 1, 2, ...
       and each function f: S -> S in turn, `f(S@d)` is in `{S@1..S@(B+1)}`,
       B counting the names any of the terms before it can have used.

    And every quantifier over S is unrolled into a conjunction (forall) or
    disjunction (exists) over `S@1..S@N`, when the formula stays under
    `MAX_UNROLLED` nodes (otherwise it is kept, and read through 1.).

    Why no model is lost (so unsat here means: no model with at most N
    elements per sort). Take any model with m <= N elements in S. The
    formulas of the query do not name elements of S (it is uninterpreted),
    so any way of naming its elements is as good as another. Name them in
    the order the terms of 3. first take them: c1 gets the first name, each
    later constant an earlier name or the next new one, so `ci` is among the
    first i names; before the terms `f(S@d)` are read, `S@d` is given to an
    element not yet named if there is none, and each such term again takes
    an earlier name or the next one, which is what B counts (B never
    undercounts: it grows by one per term and is at least d). When all m
    elements are named, `S@(m+1)..S@N` copy `S@m`. Then 1., 2. and 3. hold
    (a constraint of 3. asks for a name past m only when all names allow
    it), and an unrolled quantifier means the same as the original because
    of 1. Conversely every model of 1. has at most N elements in S. Sorts
    are named independently: the terms of 3. for S mention only S.
    """

    def __init__(self, program: core.Program, witnesses: Sequence[core.Symbol], vocab: _Vocabulary, bound: int):
        self.vocab = vocab
        self.bound = max(1, bound)
        self.names: dict[core.Sort, list[z3.Ast]] = {}    # kept alive by their cover
        self.covers: dict[core.Sort, z3.BoolRef] = {}
        self._held: list[z3.AstVector] = []  # holds the names
        self._few: dict[core.Sort, list[z3.ExprRef]] = {}  # the first names, as z3.py terms
        for sort in program.sorts:
            if sort.is_uninterpreted:
                self.names[sort], self.covers[sort] = self._cover(sort)
                self._few[sort] = [z3.ExprRef(e, vocab.ctx) for e in self.names[sort][:SYMMETRY_NAMES + 1]]
        symbols = [*witnesses, *(s for s in program.symbols if s.kind is not core.SymbolKind.ELEMENT)]
        self._constants = {s: [vocab.decl(c) for c in symbols if not c.args and c.result == s] for s in self.names}
        self._functions = {s: [vocab.decl(f) for f in symbols if f.args == (s,) and f.result == s]
                           for s in self.names}
        self._made: list[z3.ExprRef] | None = None

    def constraints(self) -> list[z3.ExprRef]:
        if self._made is None:
            self._made = self._constraints()
        return self._made

    def _constraints(self) -> list[z3.ExprRef]:
        out: list[z3.ExprRef] = []
        for sort, names in self._few.items():
            out.append(self.covers[sort])
            out.extend(self._canonical(names))
            out.extend(self._least_number(sort, names))
        return out

    def _cover(self, sort: core.Sort) -> tuple[list[z3.Ast], z3.BoolRef]:
        """The names of `sort` and `forall x. x = S@1 or ... or x = S@N`, made with the C API (N
        may be large). Reference counts: every node is held in a Z3 vector as soon as it is
        made (the names' vector for as long as these bounds are used)."""
        ctx = self.vocab.ctx
        ref, zsort = ctx.ref(), self.vocab.sort(sort).ast
        mk_const, mk_symbol, mk_eq = z3core.Z3_mk_const, z3core.Z3_mk_string_symbol, z3core.Z3_mk_eq
        keep, push = z3.AstVector(ctx=ctx), z3core.Z3_ast_vector_push
        cases_kept = z3.AstVector(ctx=ctx)
        x = z3.ExprRef(mk_const(ref, mk_symbol(ref, f"x@{sort.name}"), zsort), ctx)
        names, cases = [], []
        for i in range(1, self.bound + 1):
            name = mk_const(ref, mk_symbol(ref, f"{sort.name}@{i}"), zsort)
            push(ref, keep.vector, name)
            names.append(name)
            case = mk_eq(ref, x.ast, name)
            push(ref, cases_kept.vector, case)
            cases.append(case)
        either = z3.BoolRef(z3core.Z3_mk_or(ref, len(cases), (z3.Ast * len(cases))(*cases)), ctx)
        empty = mk_symbol(ref, "")
        cover = z3.BoolRef(z3core.Z3_mk_quantifier_const_ex(
            ref, True, 1, empty, empty, 1, (z3.Ast * 1)(x.ast), 0, (z3.Pattern * 0)(), 0,
            (z3.Ast * 0)(), either.ast), ctx)
        self._held.append(keep)
        return names, cover

    @staticmethod
    def _canonical(names: list[z3.ExprRef]) -> list[z3.ExprRef]:
        out = []
        for j in range(1, min(len(names), SYMMETRY_NAMES)):
            earlier = z3.Or(*[names[j] == names[i] for i in range(j)])
            out.append(z3.Implies(earlier, names[j] == names[j - 1]))
            if j + 1 < len(names):
                out.append(z3.Implies(names[j] == names[j - 1], names[j + 1] == names[j]))
        return out

    def _least_number(self, sort: core.Sort, names: list[z3.ExprRef]) -> list[z3.ExprRef]:
        n = min(len(names), SYMMETRY_NAMES)
        out = []
        for i, const in enumerate(self._constants[sort], start=1):
            if i >= n:
                break
            out.append(z3.Or(*[const() == e for e in names[:i]]))
        used = len(self._constants[sort])
        for d in range(1, n + 1):
            used = max(used, d)
            for fun in self._functions[sort]:
                if used + 1 >= n:
                    return out
                out.append(z3.Or(*[fun(names[d - 1]) == e for e in names[:used + 1]]))
                used += 1
        return out


def _unrolled_size(term: core.Term, sizes: dict[core.Sort, int], limit: int) -> int:
    """Nodes of `term` once its quantifiers over the sorts in `sizes` are unrolled (stops past `limit`)."""
    total = 0
    stack: list[tuple[core.Term, int]] = [(term, 1)]
    while stack:
        node, times = stack.pop()
        total += times
        if total > limit:
            return total
        if isinstance(node, core.Quant):
            for var in node.vars:
                times *= sizes.get(var.sort, 1)
        stack.extend((child, times) for child in core.children(node))
    return total


# ---------------------------------------------------------------- terms

class _Translator:
    """Core terms to Z3 expressions over one vocabulary (and, if bounded, its named elements).

    Built with Z3's C API (z3core) rather than z3.py's operators: the terms
    are well sorted already (the type checker saw to it), so z3.py's casts,
    sort checks and per-node Python objects, most of a translation's cost,
    are not needed; z3core still turns every Z3 error into a Z3Exception.
    The result is the same Z3 term z3.py would build. Reference counts are
    kept by hand: each node made holds a count until its whole formula is
    built (then the formula, held by a z3.py object, keeps its parts alive);
    left-over counts would make deleting the context slow.
    """

    def __init__(self, vocab: _Vocabulary, bounds: _Bounds | None = None):
        self.vocab = vocab
        self.ctx = vocab.ctx
        self.ref = vocab.ctx.ref()
        self.bounds = bounds
        self.unroll = False
        self._done: dict[int, tuple[core.Term, z3.BoolRef]] = {}
        self._tracked: dict[str, tuple[core.Term, z3.BoolRef, z3.BoolRef]] = {}
        self._vars: dict[tuple[str, int], z3.ExprRef] = {}
        self._made: list[z3.Ast] = []
        self._empty_symbol = z3core.Z3_mk_string_symbol(self.ref, "")

    def tracked(self, name: str, formula: core.Term) -> tuple[z3.BoolRef, z3.BoolRef]:
        """The literal `@track:name` and `literal -> formula`, made once per translator."""
        done = self._tracked.get(name)
        if done is None or done[0] is not formula:
            literal = z3.Bool(f"@track:{name}", self.ctx)
            done = self._tracked[name] = (formula, literal, z3.Implies(literal, self.top(formula)))
        return done[1], done[2]

    def top(self, formula: core.Term) -> z3.BoolRef:
        """A whole formula, translated once per translator (remembered by identity)."""
        done = self._done.get(id(formula))
        if done is not None and done[0] is formula:
            return done[1]
        self.unroll = self.bounds is not None and _unrolled_size(
            formula, {s: self.bounds.bound for s in self.bounds.names}, MAX_UNROLLED) <= MAX_UNROLLED
        try:
            expr = z3.BoolRef(self(formula), self.ctx)
        finally:
            made, self._made = self._made, []
            for ast in made:
                z3core.Z3_dec_ref(self.ref, ast)
        self._done[id(formula)] = (formula, expr)
        return expr

    def __call__(self, term: core.Term) -> z3.Ast:
        method = getattr(self, "_" + type(term).__name__, None)
        if method is None:
            raise _Untranslatable(f"{type(term).__name__} must be expanded first")
        return method(term)

    # ------------------------------------------------------------ raw nodes

    def _keep(self, ast: z3.Ast) -> z3.Ast:
        """A node just made, held until its formula is built (see `top`)."""
        z3core.Z3_inc_ref(self.ref, ast)
        self._made.append(ast)
        return ast

    def _all(self, terms: Sequence[core.Term], sorts: Sequence[core.Sort] | None = None):
        """The translated terms as a C array (numbers of sort Int made Real where a Real is wanted)."""
        asts = [self(t) for t in terms]
        if sorts is not None:
            asts = [self._to_real(a) if t.sort == core.INT and s == core.REAL else a
                    for a, t, s in zip(asts, terms, sorts)]
        return len(asts), (z3.Ast * len(asts))(*asts)

    def _to_real(self, ast: z3.Ast) -> z3.Ast:
        return self._keep(z3core.Z3_mk_int2real(self.ref, ast))

    def _pair(self, lhs: core.Term, rhs: core.Term) -> tuple[z3.Ast, z3.Ast]:
        """Both sides, the Int one made Real if the other is Real (as z3.py would)."""
        a, b = self(lhs), self(rhs)
        if lhs.sort == core.INT and rhs.sort == core.REAL:
            a = self._to_real(a)
        elif lhs.sort == core.REAL and rhs.sort == core.INT:
            b = self._to_real(b)
        return a, b

    # ------------------------------------------------------------ terms

    def _Var(self, term: core.Var) -> z3.Ast:
        key = (term.name, term.uid)
        const = self._vars.get(key)
        if const is None:
            symbol = z3core.Z3_mk_string_symbol(self.ref, f"{term.name}!{term.uid}")
            const = self._vars[key] = z3.ExprRef(
                z3core.Z3_mk_const(self.ref, symbol, self.vocab.sort(term.sort).ast), self.ctx)
        return const.as_ast()

    def _App(self, term: core.App) -> z3.Ast:
        symbol = term.symbol
        if symbol.kind is core.SymbolKind.ELEMENT:
            if symbol.name not in self.vocab.elements:
                raise _Untranslatable(f"unknown element {symbol.name}")
            return self.vocab.elements[symbol.name].as_ast()
        decl = self.vocab.decl(symbol)
        if len(term.args) != symbol.arity:
            raise _Untranslatable(f"{symbol.name} takes {symbol.arity} arguments, not {len(term.args)}")
        n, args = self._all(term.args, symbol.args)
        return self._keep(z3core.Z3_mk_app(self.ref, decl.ast, n, args))

    def _BoolLit(self, term: core.BoolLit) -> z3.Ast:
        return self._keep(z3core.Z3_mk_true(self.ref) if term.value else z3core.Z3_mk_false(self.ref))

    def _NumLit(self, term: core.NumLit) -> z3.Ast:
        return self._number(Fraction(term.value), term.sort)

    def _number(self, value: Fraction, sort: core.Sort) -> z3.Ast:
        if sort == core.INT:
            if value.denominator != 1:
                raise _Untranslatable(f"{value} is not an integer")
            text = str(value.numerator)
        elif sort == core.REAL:
            text = f"{value.numerator}/{value.denominator}"
        else:
            raise _Untranslatable(f"a number of sort {sort.name}")
        return self._keep(z3core.Z3_mk_numeral(self.ref, text, self.vocab.sort(sort).ast))

    def _Not(self, term: core.Not) -> z3.Ast:
        return self._keep(z3core.Z3_mk_not(self.ref, self(term.arg)))

    def _And(self, term: core.And) -> z3.Ast:
        n, args = self._all(term.args)
        return self._keep(z3core.Z3_mk_and(self.ref, n, args) if n else z3core.Z3_mk_true(self.ref))

    def _Or(self, term: core.Or) -> z3.Ast:
        n, args = self._all(term.args)
        return self._keep(z3core.Z3_mk_or(self.ref, n, args) if n else z3core.Z3_mk_false(self.ref))

    def _Implies(self, term: core.Implies) -> z3.Ast:
        return self._keep(z3core.Z3_mk_implies(self.ref, self(term.lhs), self(term.rhs)))

    def _Iff(self, term: core.Iff) -> z3.Ast:
        return self._binary("=", self(term.lhs), self(term.rhs))

    def _Eq(self, term: core.Eq) -> z3.Ast:
        return self._binary("=", *self._pair(term.lhs, term.rhs))

    def _Compare(self, term: core.Compare) -> z3.Ast:
        return self._binary(term.op, *self._pair(term.lhs, term.rhs))

    def _binary(self, op: str, a: z3.Ast, b: z3.Ast) -> z3.Ast:
        """`a op b` as z3.py's `a == b`, `a < b`, ... build it: when the right side is of a z3.py
        subclass of the left side's class (a quantifier beside another formula, a numeral
        beside another number), Python asks the right side first, so the sides come out
        swapped (and `<` as `>`). Kept, so that Z3 is asked the very same terms as before."""
        if self._refines(b, a):
            a, b, op = b, a, _MIRRORED[op]
        return self._keep(_COMPARE[op](self.ref, a, b))

    def _refines(self, b: z3.Ast, a: z3.Ast) -> bool:
        """Whether z3.py's class for `b` is a proper subclass of its class for `a`."""
        ref = self.ref
        if z3core.Z3_get_ast_kind(ref, b) == z3.Z3_QUANTIFIER_AST:
            return z3core.Z3_get_ast_kind(ref, a) != z3.Z3_QUANTIFIER_AST
        if z3core.Z3_is_numeral_ast(ref, b):
            kind = z3core.Z3_get_sort_kind(ref, z3core.Z3_get_sort(ref, b))
            return kind in (z3.Z3_INT_SORT, z3.Z3_REAL_SORT) and not z3core.Z3_is_numeral_ast(ref, a)
        return False

    def _Add(self, term: core.Add) -> z3.Ast:
        wanted = core.REAL if any(a.sort == core.REAL for a in term.args) else core.INT
        n, args = self._all(term.args, [wanted] * len(term.args))
        return self._keep(z3core.Z3_mk_add(self.ref, n, args))

    def _Neg(self, term: core.Neg) -> z3.Ast:
        return self._keep(z3core.Z3_mk_unary_minus(self.ref, self(term.arg)))

    def _Scale(self, term: core.Scale) -> z3.Ast:
        factors = (z3.Ast * 2)(self._number(Fraction(term.coeff), term.arg.sort), self(term.arg))
        return self._keep(z3core.Z3_mk_mul(self.ref, 2, factors))

    def _Ite(self, term: core.Ite) -> z3.Ast:
        then, else_ = self._pair(term.then, term.else_)
        return self._keep(z3core.Z3_mk_ite(self.ref, self(term.cond), then, else_))

    def _Quant(self, term: core.Quant) -> z3.Ast:
        forall = term.kind is core.QuantKind.FORALL
        names = self.bounds.names if self.unroll and self.bounds is not None else {}
        unrolled = [v for v in term.vars if v.sort in names]
        kept = [self._Var(v) for v in term.vars if v.sort not in names]
        body = self(term.body)
        if kept:
            body = self._quantifier(forall, kept, body)
        if not unrolled:
            return body
        consts = [self._Var(v) for v in unrolled]
        n = len(consts)
        sources = (z3.Ast * n)(*consts)
        cases = []
        for values in product(*(names[v.sort] for v in unrolled)):
            targets = (z3.Ast * n)(*values)
            cases.append(self._keep(z3core.Z3_substitute(self.ref, body, n, sources, targets)))
        array = (z3.Ast * len(cases))(*cases)
        make = z3core.Z3_mk_and if forall else z3core.Z3_mk_or
        return self._keep(make(self.ref, len(cases), array))

    def _quantifier(self, forall: bool, bound: list[z3.Ast], body: z3.Ast) -> z3.Ast:
        """As z3.ForAll / z3.Exists make it: weight 1, no patterns, empty names."""
        n = len(bound)
        return self._keep(z3core.Z3_mk_quantifier_const_ex(
            self.ref, forall, 1, self._empty_symbol, self._empty_symbol, n, (z3.Ast * n)(*bound),
            0, (z3.Pattern * 0)(), 0, (z3.Ast * 0)(), body))


_COMPARE: dict[str, Callable] = {"<": z3core.Z3_mk_lt, "<=": z3core.Z3_mk_le, ">": z3core.Z3_mk_gt,
                                 ">=": z3core.Z3_mk_ge, "=": z3core.Z3_mk_eq}
_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}


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
        for index in product(*(range(len(d)) for d in domains)):
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
        return Table(rows=tuple(rows))

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


def _raw_bool(ref, value) -> bool | None:
    answer = z3core.Z3_get_bool_value(ref, value)
    return True if answer == z3.Z3_L_TRUE else False if answer == z3.Z3_L_FALSE else None


def _raw_int(ref, value) -> int | None:
    if not z3core.Z3_is_numeral_ast(ref, value):
        return None
    return int(z3core.Z3_get_numeral_string(ref, value))


def _raw_real(ref, value) -> Fraction | None:
    if not z3core.Z3_is_numeral_ast(ref, value):
        return None
    return Fraction(z3core.Z3_get_numeral_string(ref, value))


# ---------------------------------------------------------------- SMT-LIB export

def smtlib_script(program: core.Program,
                  formulas: Sequence[core.Term],
                  witnesses: Sequence[core.Symbol] = (),
                  bound: int | None = None) -> str:
    """A self-contained SMT-LIB 2 script asking whether `formulas` have a common model.

    The same declarations and translation as `solve` (axioms and the negated
    claim, or the example's body, all plain), printed by Z3 and ending in
    `(check-sat)`: any SMT-LIB solver answers `unsat` for a proved claim and
    `sat` for a counterexample or witness. A bound is written as its plain
    meaning (every element of a sort is one of N constants), without the
    unrolling and symmetry breaking `solve` adds for speed. Raises ValueError
    for a term the back end cannot translate.
    """
    try:
        vocab = _Vocabulary(program, witnesses, z3.Context())
        translate = _Translator(vocab)
        solver = z3.Solver(ctx=vocab.ctx)
        for formula in formulas:
            solver.add(translate.top(formula))
        if bound is not None:
            for cover in _Bounds(program, witnesses, vocab, bound).covers.values():
                solver.add(cover)
        script = solver.to_smt2()
    except (z3.Z3Exception, _Untranslatable) as error:
        raise ValueError(f"cannot write the query in SMT-LIB: {error}") from None
    return "(set-option :produce-models true)\n(set-logic ALL)\n" + script
