"""Stage 5, z3: expanded core formulas to Z3 terms, over one vocabulary and, if bounded, its elements.

It takes expanded core terms (no definitions, no built-ins) and hands on Z3
terms in the vocabulary's context. A pass of `walk.Visitor`: no recursion on
a formula's depth, and the nodes made in the order a recursive translation
makes them, every one of them (Z3's search depends on that history).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import product

import z3
from z3 import z3core

from ...logic import core, names
from ...logic.walk import Visit, Visitor
from .bounds import Bounds, unrolls
from .vocabulary import Untranslatable, Vocabulary


class Translator(Visitor[z3.Ast]):
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

    unknown_hint = "must be expanded first"

    def __init__(self, vocab: Vocabulary, bounds: Bounds | None = None):
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
        """The literal `names.track(name)` and `literal -> formula`, made once per translator."""
        done = self._tracked.get(name)
        if done is None or done[0] is not formula:
            ref = self.ref  # z3.Bool and z3.Implies, without their casts: the same nodes, in the same order
            literal = z3.BoolRef(z3core.Z3_mk_const(ref, z3core.Z3_mk_string_symbol(ref, names.track(name)),
                                                    z3core.Z3_mk_bool_sort(ref)), self.ctx)
            body = self.top(formula)
            implication = z3.BoolRef(z3core.Z3_mk_implies(ref, literal.as_ast(), body.as_ast()), self.ctx)
            done = self._tracked[name] = (formula, literal, implication)
        return done[1], done[2]

    def top(self, formula: core.Term) -> z3.BoolRef:
        """A whole formula, translated once per translator (remembered by identity).

        Not shared between the translators of a session, nor memoised inside a formula:
        making a formula's nodes again is part of the history Z3's search depends on (the
        ids it hands out next), and sharing them was measured to change answers
        (bench/RESULTS.md, "Sessions"), for about 5% fewer translations."""
        done = self._done.get(id(formula))
        if done is not None and done[0] is formula:
            return done[1]
        self.unroll = self.bounds is not None and unrolls(formula, self.bounds.sizes)
        try:
            expr = z3.BoolRef(self.visit(formula), self.ctx)
        finally:
            made, self._made = self._made, []
            for ast in made:
                z3core.Z3_dec_ref(self.ref, ast)
        self._done[id(formula)] = (formula, expr)
        return expr

    # ------------------------------------------------------------ raw nodes

    def _keep(self, ast: z3.Ast) -> z3.Ast:
        """A node just made, held until its formula is built (see `top`)."""
        z3core.Z3_inc_ref(self.ref, ast)
        self._made.append(ast)
        return ast

    def _all(self, terms: Sequence[core.Term], sorts: Sequence[core.Sort] | None = None) -> Visit:
        """The translated terms as a C array (numbers of sort Int made Real where a Real is wanted)."""
        asts = []
        for term in terms:
            asts.append((yield term))
        if sorts is not None:
            asts = [self._to_real(a) if t.sort == core.INT and s == core.REAL else a
                    for a, t, s in zip(asts, terms, sorts)]
        return len(asts), (z3.Ast * len(asts))(*asts)

    def _to_real(self, ast: z3.Ast) -> z3.Ast:
        return self._keep(z3core.Z3_mk_int2real(self.ref, ast))

    def _pair(self, lhs: core.Term, rhs: core.Term) -> Visit:
        """Both sides, the Int one made Real if the other is Real (as z3.py would)."""
        a = yield lhs
        b = yield rhs
        if lhs.sort == core.INT and rhs.sort == core.REAL:
            a = self._to_real(a)
        elif lhs.sort == core.REAL and rhs.sort == core.INT:
            b = self._to_real(b)
        return a, b

    # ------------------------------------------------------------ terms

    def _var(self, term: core.Var) -> z3.Ast:
        key = (term.name, term.uid)
        const = self._vars.get(key)
        if const is None:
            symbol = z3core.Z3_mk_string_symbol(self.ref, self.vocab.variable_name(term))
            const = self._vars[key] = z3.ExprRef(
                z3core.Z3_mk_const(self.ref, symbol, self.vocab.sort(term.sort).ast), self.ctx)
        return const.as_ast()

    def visit_Var(self, term: core.Var, env: None) -> z3.Ast:
        return self._var(term)

    def visit_App(self, term: core.App, env: None) -> Visit:
        symbol = term.symbol
        if symbol.kind is core.SymbolKind.ELEMENT:
            if symbol.name not in self.vocab.elements:
                raise Untranslatable(f"unknown element {symbol.name}")
            return self.vocab.elements[symbol.name].as_ast()
        decl = self.vocab.decl(symbol)
        if len(term.args) != symbol.arity:
            raise Untranslatable(f"{symbol.name} takes {symbol.arity} arguments, not {len(term.args)}")
        n, args = yield from self._all(term.args, symbol.args)
        return self._keep(z3core.Z3_mk_app(self.ref, decl.ast, n, args))

    def visit_BoolLit(self, term: core.BoolLit, env: None) -> z3.Ast:
        return self._keep(z3core.Z3_mk_true(self.ref) if term.value else z3core.Z3_mk_false(self.ref))

    def visit_NumLit(self, term: core.NumLit, env: None) -> z3.Ast:
        return self._number(Fraction(term.value), term.sort)

    def _number(self, value: Fraction, sort: core.Sort) -> z3.Ast:
        if sort == core.INT:
            if value.denominator != 1:
                raise Untranslatable(f"{value} is not an integer")
            text = str(value.numerator)
        elif sort == core.REAL:
            text = f"{value.numerator}/{value.denominator}"
        else:
            raise Untranslatable(f"a number of sort {sort.name}")
        return self._keep(z3core.Z3_mk_numeral(self.ref, text, self.vocab.sort(sort).ast))

    def visit_Not(self, term: core.Not, env: None) -> Visit:
        return self._keep(z3core.Z3_mk_not(self.ref, (yield term.arg)))

    def visit_And(self, term: core.And, env: None) -> Visit:
        n, args = yield from self._all(term.args)
        return self._keep(z3core.Z3_mk_and(self.ref, n, args) if n else z3core.Z3_mk_true(self.ref))

    def visit_Or(self, term: core.Or, env: None) -> Visit:
        n, args = yield from self._all(term.args)
        return self._keep(z3core.Z3_mk_or(self.ref, n, args) if n else z3core.Z3_mk_false(self.ref))

    def visit_Implies(self, term: core.Implies, env: None) -> Visit:
        lhs = yield term.lhs
        return self._keep(z3core.Z3_mk_implies(self.ref, lhs, (yield term.rhs)))

    def visit_Iff(self, term: core.Iff, env: None) -> Visit:
        lhs = yield term.lhs
        return self._binary("=", lhs, (yield term.rhs))

    def visit_Eq(self, term: core.Eq, env: None) -> Visit:
        return self._binary("=", *(yield from self._pair(term.lhs, term.rhs)))

    def visit_Compare(self, term: core.Compare, env: None) -> Visit:
        return self._binary(term.op, *(yield from self._pair(term.lhs, term.rhs)))

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
            return bool(z3core.Z3_get_ast_kind(ref, a) != z3.Z3_QUANTIFIER_AST)
        if z3core.Z3_is_numeral_ast(ref, b):
            kind = z3core.Z3_get_sort_kind(ref, z3core.Z3_get_sort(ref, b))
            return kind in (z3.Z3_INT_SORT, z3.Z3_REAL_SORT) and not z3core.Z3_is_numeral_ast(ref, a)
        return False

    def visit_Add(self, term: core.Add, env: None) -> Visit:
        wanted = core.REAL if any(a.sort == core.REAL for a in term.args) else core.INT
        n, args = yield from self._all(term.args, [wanted] * len(term.args))
        return self._keep(z3core.Z3_mk_add(self.ref, n, args))

    def visit_Neg(self, term: core.Neg, env: None) -> Visit:
        return self._keep(z3core.Z3_mk_unary_minus(self.ref, (yield term.arg)))

    def visit_Scale(self, term: core.Scale, env: None) -> Visit:
        coeff = self._number(Fraction(term.coeff), term.arg.sort)
        factors = (z3.Ast * 2)(coeff, (yield term.arg))
        return self._keep(z3core.Z3_mk_mul(self.ref, 2, factors))

    def visit_Ite(self, term: core.Ite, env: None) -> Visit:
        then, else_ = yield from self._pair(term.then, term.else_)
        return self._keep(z3core.Z3_mk_ite(self.ref, (yield term.cond), then, else_))

    def visit_Quant(self, term: core.Quant, env: None) -> Visit:
        forall = term.kind is core.QuantKind.FORALL
        elements = self.bounds.names if self.unroll and self.bounds is not None else {}
        unrolled = [v for v in term.vars if v.sort in elements]
        kept = [self._var(v) for v in term.vars if v.sort not in elements]
        body = yield term.body
        if kept:
            body = self._quantifier(forall, kept, body)
        if not unrolled:
            return body
        consts = [self._var(v) for v in unrolled]
        n = len(consts)
        sources = (z3.Ast * n)(*consts)
        cases = []
        for values in product(*(elements[v.sort] for v in unrolled)):
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


_COMPARE: dict[str, Callable[..., z3.Ast]] = {
    "<": z3core.Z3_mk_lt, "<=": z3core.Z3_mk_le, ">": z3core.Z3_mk_gt, ">=": z3core.Z3_mk_ge, "=": z3core.Z3_mk_eq}
_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}
