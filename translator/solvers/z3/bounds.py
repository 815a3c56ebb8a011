"""Stage 5, z3: the bounded encoding of `bound=N`, every uninterpreted sort at most N elements.

It takes a program's vocabulary and a bound (a number for every sort, or a
`core.Scope` with a size per sort) and hands on the Z3 constraints
that say so (the elements' names, the cover axioms, symmetry breaking) and
the names the translation unrolls quantifiers over; why that loses no model
is `Bounds`' docstring.
"""
from __future__ import annotations

import time
from collections.abc import Sequence

import z3
from z3 import z3core

from ...logic import core
from ...logic.names import cover_variable, element
from .vocabulary import Vocabulary

MAX_UNROLLED = 100_000
"""A formula's quantifiers over bounded sorts are unrolled when that makes at most this many nodes."""

SYMMETRY_NAMES = 64
"""Symmetry breaking (`Bounds`, 2. and 3.) speaks of the first this many names of a sort only."""

MAX_BOUND = 100_000
"""The largest bound searched: its cover names that many elements per sort (`within 1000000` took
45 s to build before a solver limit applied); a larger scope is not searched, and says so."""

CHECK_EVERY = 4096
"""Element names made between two looks at the clock while a cover is built."""


class OutOfTime(Exception):
    """Building the bounded encoding took the question's whole timeout."""


class Bounds:
    """`bound=N`: every uninterpreted sort S has at most N elements, named `S@1..S@N` (`names.element`).

    With a `core.Scope` N is the size it gives S; a sort it leaves unbounded
    gets no names and none of what follows.

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

    def __init__(self, program: core.Program, witnesses: Sequence[core.Symbol], vocab: Vocabulary,
                 bound: int | core.Scope, deadline: float | None = None):
        self.vocab = vocab
        self.deadline = deadline  # time.perf_counter() by which the cover must be built, or OutOfTime
        scope = core.Scope.of(bound)
        assert scope is not None
        self.sizes: dict[core.Sort, int] = {}  # the sorts bounded (a sort a scope does not name may not be)
        for sort in program.sorts:
            size = scope.size(sort.name) if sort.is_uninterpreted else None
            if size is not None:
                self.sizes[sort] = max(1, size)
        self.names: dict[core.Sort, list[z3.Ast]] = {}    # kept alive by their cover
        self.covers: dict[core.Sort, z3.BoolRef] = {}
        self._held: list[z3.AstVector] = []  # holds the names
        self._few: dict[core.Sort, list[z3.ExprRef]] = {}  # the first names, as z3.py terms
        for sort in self.sizes:
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
        made (the names' vector for as long as these bounds are used). Past the deadline: OutOfTime."""
        ctx = self.vocab.ctx
        ref, zsort = ctx.ref(), self.vocab.sort(sort).ast
        mk_const, mk_symbol, mk_eq = z3core.Z3_mk_const, z3core.Z3_mk_string_symbol, z3core.Z3_mk_eq
        keep, push = z3.AstVector(ctx=ctx), z3core.Z3_ast_vector_push
        cases_kept = z3.AstVector(ctx=ctx)
        base = self.vocab.sort_name(sort)
        x = z3.ExprRef(mk_const(ref, mk_symbol(ref, cover_variable(base)), zsort), ctx)
        names, cases = [], []
        for i in range(1, self.sizes[sort] + 1):
            if i % CHECK_EVERY == 0 and self.deadline is not None and time.perf_counter() > self.deadline:
                raise OutOfTime
            name = mk_const(ref, mk_symbol(ref, element(base, i)), zsort)
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


def unrolls(term: core.Term, sizes: dict[core.Sort, int], limit: int = MAX_UNROLLED) -> bool:
    """Whether `term` has a quantifier over a sort in `sizes` and stays within `limit` nodes once
    they are unrolled. When not, its translation is the same as without a bound."""
    total, bounded = 0, False
    stack: list[tuple[core.Term, int]] = [(term, 1)]
    while stack:
        node, times = stack.pop()
        total += times
        if total > limit:
            return False
        if isinstance(node, core.Quant):
            for var in node.vars:
                if var.sort in sizes:
                    bounded = True
                    times *= sizes[var.sort]
        stack.extend((child, times) for child in core.children(node))
    return bounded
