"""The independent evaluator: core terms judged in a plain model, with no solver.

Every model the tool reports is re-checked here before it is shown, so this
module is a trust anchor. It is written from the semantics of LANGUAGE.md
(definitions are unfolded by binding their parameters, built-ins are judged
from their table in §3) and shares no code with the expansion or the solver
back end: it imports neither z3 nor lark.

Evaluation is three-valued (Kleene): `None` means the model cannot decide,
e.g. a quantifier over Int or Real, a table entry the model does not give, a
value of the wrong type, or an evaluation longer than its budget. Unknown
never counts as true: `failing` lists every formula not definitely true.
"""
from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from math import prod
from types import MappingProxyType
from typing import get_args

from . import core
from .model import Model, Value

MAX_STEPS = 5_000_000
"""How many steps one evaluation (one `failing` call: all its formulas) may take before it
gives up, leaving the rest undecided. A step is one sub-term evaluated, or one tuple judged
by a built-in: a quantifier with a one-atom body gets about two million assignments, and
the worst case is a few seconds."""

_COMPARE = MappingProxyType({"<": operator.lt, "<=": operator.le,
                             ">": operator.gt, ">=": operator.ge})

Maybe = Value | None


# ---------------------------------------------------------------- public API

def evaluate(term: core.Term, model: Model, env: Mapping[int, Value] | None = None,
             *, max_steps: int = MAX_STEPS) -> Maybe:
    """The value of `term` in `model` under `env` (variable uid -> value); None if undecided."""
    return _Evaluator(model, max_steps).run(term, env)


def holds(term: core.Term, model: Model, *, max_steps: int = MAX_STEPS) -> bool | None:
    """Whether a closed formula is true (True), false (False) or undecided (None) in `model`."""
    return _truth(evaluate(term, model, max_steps=max_steps))


def failing(model: Model, formulas: Sequence[tuple[str, core.Term]],
            *, max_steps: int = MAX_STEPS) -> list[str]:
    """Names of the formulas that are not definitely true in `model` (false or undecided), in order.

    The formulas share one budget, so a re-check takes a bounded time however many there are.
    """
    evaluator = _Evaluator(model, max_steps)
    return [name for name, formula in formulas if _truth(evaluator.run(formula)) is not True]


# ---------------------------------------------------------------- Kleene helpers

def _truth(value: Maybe) -> bool | None:
    """A value as a truth value; anything but a bool is undecided."""
    return value if isinstance(value, bool) else None


def _not(value: Maybe) -> bool | None:
    truth = _truth(value)
    return None if truth is None else not truth


def _is_number(value: Maybe) -> bool:
    return isinstance(value, (int, Fraction)) and not isinstance(value, bool)


def _same(a: Maybe, b: Maybe) -> bool | None:
    """Equality of two values; a bool never equals a number (though Python says True == 1)."""
    if a is None or b is None:
        return None
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return a == b


def _compare(op: str, a: Maybe, b: Maybe) -> bool | None:
    if not (_is_number(a) and _is_number(b)):
        return None
    return _COMPARE[op](a, b)


def _implies(lhs: Maybe, rhs: Maybe) -> bool | None:
    return _kleene_or((_not(lhs), _truth(rhs)))


def _kleene_and(values: Iterable[Maybe]) -> bool | None:
    """False if any is false (stopping there), True if all are true, else None."""
    unknown = False
    for value in values:
        truth = _truth(value)
        if truth is False:
            return False
        unknown = unknown or truth is None
    return None if unknown else True


def _kleene_or(values: Iterable[Maybe]) -> bool | None:
    """True if any is true (stopping there), False if all are false, else None."""
    return _not(_kleene_and(_not(v) for v in values))


def _typed(value: Maybe, sort: core.Sort, universe: frozenset[str] | None) -> Maybe:
    """`value` if it is a value of `sort` (Reals as Fraction), else None: a wrong value is undecided."""
    if value is None:
        return None
    if sort.is_bool:
        return value if isinstance(value, bool) else None
    if sort.name == "Int" and sort.builtin:
        if isinstance(value, Fraction) and value.denominator == 1:
            return int(value)
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if sort.name == "Real" and sort.builtin:
        return Fraction(value) if _is_number(value) else None
    if isinstance(value, str) and universe is not None and value in universe:
        return value
    return None


# ---------------------------------------------------------------- the evaluator

@dataclass
class _Budget:
    """How many more steps this evaluation may take."""

    remaining: int

    def fits(self, count: int) -> bool:
        return count <= self.remaining

    def spend(self) -> bool:
        """Take one step from the budget; False when there was none left."""
        self.remaining -= 1
        return self.remaining >= 0

    @property
    def exhausted(self) -> bool:
        return self.remaining <= 0


@dataclass
class _Evaluator:
    """One evaluation in one model: the model, the budget, the sorts' universes as sets."""

    model: Model
    max_steps: int
    budget: _Budget = field(init=False)
    _dispatch: dict[type, Callable] = field(default_factory=dict, init=False)
    _universes: dict[str, frozenset[str] | None] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.budget = _Budget(self.max_steps)
        self._dispatch = {cls: getattr(self, f"_eval_{cls.__name__}") for cls in get_args(core.Term)}

    def run(self, term: core.Term, env: Mapping[int, Value] | None = None) -> Maybe:
        """The value of a whole term; None if undecided (or too deeply nested to judge here)."""
        try:
            return self.eval(term, dict(env or {}))
        except RecursionError:
            return None

    def eval(self, term: core.Term, env: dict[int, Maybe]) -> Maybe:
        """One step: dispatch on the kind of term (`_eval_App` for an App, ...)."""
        method = self._dispatch.get(type(term))
        if method is None:
            raise TypeError(f"evaluate: not a core term: {term!r}")
        return method(term, env) if self.budget.spend() else None

    # ------------------------------------------------ domains and tables

    def domain(self, sort: core.Sort) -> tuple[Value, ...] | None:
        """The values a variable of `sort` ranges over; None for Int, Real or an unknown/empty sort."""
        if sort.is_bool:
            return (False, True)
        if sort.builtin:
            return None
        elements = sort.elements if sort.is_finite else self.model.universe(sort.name)
        return tuple(elements) if elements else None

    def universe(self, sort: core.Sort) -> frozenset[str] | None:
        """The elements of a declared sort as a set (cached for this evaluation)."""
        if sort.name not in self._universes:
            elements = self.domain(sort)
            self._universes[sort.name] = frozenset(elements) if elements is not None else None
        return self._universes[sort.name]

    def apply(self, symbol: core.Symbol, args: tuple[Maybe, ...]) -> Maybe:
        """The value of `symbol` at `args` in the model, checked against its result sort."""
        if symbol.kind is core.SymbolKind.ELEMENT:
            return symbol.name if not args else None
        if len(args) != symbol.arity or any(a is None for a in args):
            return None
        table = self.model.tables.get(symbol.name)
        if table is None:
            return None
        result = symbol.result
        universe = None if result.builtin else self.universe(result)
        return _typed(table.lookup(args), result, universe)

    def forall(self, domains: Sequence[tuple[Value, ...] | None],
               predicate: Callable[[tuple[Value, ...]], Maybe]) -> bool | None:
        """Kleene `forall` of `predicate` over the product of `domains`, within the budget."""
        if any(d is None for d in domains) or not self.budget.fits(prod(len(d) for d in domains)):
            return None

        def verdicts() -> Iterable[Maybe]:
            for combo in product(*domains):
                if not self.budget.spend():
                    yield None
                    return
                yield predicate(combo)

        return _kleene_and(verdicts())

    def exists(self, domains: Sequence[tuple[Value, ...] | None],
               predicate: Callable[[tuple[Value, ...]], Maybe]) -> bool | None:
        """Kleene `exists`: not forall not."""
        return _not(self.forall(domains, lambda combo: _not(predicate(combo))))

    # ------------------------------------------------ atoms

    def _eval_Var(self, term: core.Var, env: dict[int, Maybe]) -> Maybe:
        return env.get(term.uid)

    def _eval_BoolLit(self, term: core.BoolLit, env: dict[int, Maybe]) -> Maybe:
        return term.value

    def _eval_NumLit(self, term: core.NumLit, env: dict[int, Maybe]) -> Maybe:
        return _typed(Fraction(term.value), term.sort, None)

    def _eval_App(self, term: core.App, env: dict[int, Maybe]) -> Maybe:
        return self.apply(term.symbol, tuple(self.eval(a, env) for a in term.args))

    # ------------------------------------------------ connectives

    def _eval_Not(self, term: core.Not, env: dict[int, Maybe]) -> Maybe:
        return _not(self.eval(term.arg, env))

    def _eval_And(self, term: core.And, env: dict[int, Maybe]) -> Maybe:
        return _kleene_and(self.eval(a, env) for a in term.args)

    def _eval_Or(self, term: core.Or, env: dict[int, Maybe]) -> Maybe:
        return _kleene_or(self.eval(a, env) for a in term.args)

    def _eval_Implies(self, term: core.Implies, env: dict[int, Maybe]) -> Maybe:
        lhs = self.eval(term.lhs, env)
        if lhs is False:
            return True
        return _implies(lhs, self.eval(term.rhs, env))

    def _eval_Iff(self, term: core.Iff, env: dict[int, Maybe]) -> Maybe:
        lhs, rhs = _truth(self.eval(term.lhs, env)), _truth(self.eval(term.rhs, env))
        return None if lhs is None or rhs is None else lhs == rhs

    def _eval_Ite(self, term: core.Ite, env: dict[int, Maybe]) -> Maybe:
        cond = _truth(self.eval(term.cond, env))
        if cond is not None:
            return self.eval(term.then if cond else term.else_, env)
        then, else_ = self.eval(term.then, env), self.eval(term.else_, env)
        return then if _same(then, else_) else None

    # ------------------------------------------------ equality and arithmetic

    def _eval_Eq(self, term: core.Eq, env: dict[int, Maybe]) -> Maybe:
        return _same(self.eval(term.lhs, env), self.eval(term.rhs, env))

    def _eval_Compare(self, term: core.Compare, env: dict[int, Maybe]) -> Maybe:
        return _compare(term.op, self.eval(term.lhs, env), self.eval(term.rhs, env))

    def _eval_Add(self, term: core.Add, env: dict[int, Maybe]) -> Maybe:
        values = [self.eval(a, env) for a in term.args]
        if not all(_is_number(v) for v in values):
            return None
        return _typed(sum(values), term.sort, None)

    def _eval_Neg(self, term: core.Neg, env: dict[int, Maybe]) -> Maybe:
        value = self.eval(term.arg, env)
        return _typed(-value, term.sort, None) if _is_number(value) else None

    def _eval_Scale(self, term: core.Scale, env: dict[int, Maybe]) -> Maybe:
        value = self.eval(term.arg, env)
        if not _is_number(value):
            return None
        return _typed(Fraction(term.coeff) * value, term.sort, None)  # Int: None unless integral

    # ------------------------------------------------ binders and definitions

    def _eval_Quant(self, term: core.Quant, env: dict[int, Maybe]) -> Maybe:
        domains = [self.domain(v.sort) for v in term.vars]
        if any(d is None for d in domains):
            return None
        inner = dict(env)
        inner.update((v.uid, None) for v in term.vars)  # unassigned reads as undecided
        uids = [v.uid for v in term.vars]
        if term.kind is core.QuantKind.FORALL:
            return self.search(uids, domains, lambda: self.eval(term.body, inner), inner)
        return _not(self.search(uids, domains, lambda: _not(self.eval(term.body, inner)), inner))

    def search(self, uids: Sequence[int], domains: Sequence[tuple[Value, ...]],
               predicate: Callable[[], Maybe], env: dict[int, Maybe], depth: int = 0) -> bool | None:
        """Kleene forall of `predicate` over all assignments of `uids[depth:]` in `env`, by backtracking.

        A partial assignment is judged with the unassigned variables undecided. Kleene
        logic is monotone in what is known, so a definite verdict there is the verdict of
        every completion, and the whole subtree is settled at once.
        """
        if depth == len(uids):
            return _truth(predicate())
        if depth > 0:
            settled = _truth(predicate())
            if settled is not None:
                return settled
        unknown = False
        try:
            for value in domains[depth]:
                if self.budget.exhausted:
                    return None
                env[uids[depth]] = value
                verdict = self.search(uids, domains, predicate, env, depth + 1)
                if verdict is False:
                    return False
                unknown = unknown or verdict is None
        finally:
            env[uids[depth]] = None
        return None if unknown else True

    def _eval_DefCall(self, term: core.DefCall, env: dict[int, Maybe]) -> Maybe:
        params = term.defn.params
        if len(params) != len(term.args):
            return None
        values = [self.eval(a, env) for a in term.args]
        return self.eval(term.defn.body, {p.uid: v for p, v in zip(params, values)})

    def _eval_BuiltinCall(self, term: core.BuiltinCall, env: dict[int, Maybe]) -> Maybe:
        judge = getattr(self, f"_builtin_{term.name}", None)
        if judge is None:
            raise TypeError(f"evaluate: unknown built-in {term.name!r}")
        return judge(term, env)

    # ------------------------------------------------ built-ins (LANGUAGE.md §3)

    def _column(self, symbol: core.Symbol, xs: tuple[Value, ...],
                via: core.Symbol | None = None) -> list[Maybe]:
        """[symbol(via(x)) for x in xs] (or symbol(x) without a bridge), None where undecided."""
        inner = [self.apply(via, (x,)) for x in xs] if via is not None else list(xs)
        return [self.apply(symbol, (y,)) if y is not None else None for y in inner]

    def _pairs(self, n: int, predicate: Callable[[int, int], Maybe]) -> bool | None:
        """Kleene forall over all pairs of indices below n."""
        indices = tuple(range(n))
        return self.forall((indices, indices), lambda ij: predicate(*ij))

    def _agreement(self, f: core.Symbol, g: core.Symbol, via: core.Symbol | None,
                   guard: core.Symbol | None) -> bool | None:
        """forall x, y in dom(g) [with guard(x), guard(y)]: (g x <= g y) <-> (f(via x) <= f(via y))."""
        if g.arity != 1 or f.arity != 1:
            return None
        xs = self.domain(g.args[0])
        if xs is None:
            return None
        gv, fv = self._column(g, xs), self._column(f, xs, via)
        pv = self._column(guard, xs) if guard is not None else [True] * len(xs)

        def pair(i: int, j: int) -> Maybe:
            agree = _same(_compare("<=", gv[i], gv[j]), _compare("<=", fv[i], fv[j]))
            return _implies(_kleene_and((pv[i], pv[j])), agree)

        return self._pairs(len(xs), pair)

    def _builtin_agree(self, term: core.BuiltinCall, env: dict[int, Maybe]) -> Maybe:
        f, g = term.symbols
        return self._agreement(f, g, term.via, None)

    def _builtin_agree_on(self, term: core.BuiltinCall, env: dict[int, Maybe]) -> Maybe:
        p, f, g = term.symbols
        return self._agreement(f, g, term.via, p)

    def _builtin_maximizes(self, term: core.BuiltinCall, env: dict[int, Maybe]) -> Maybe:
        (g,), (z,) = term.symbols, term.args
        xs = self.domain(g.args[0]) if g.arity == 1 else None
        best = self.apply(g, (self.eval(z, env),))
        return self.forall((xs,), lambda y: _compare("<=", self.apply(g, y), best))

    def _builtin_injective(self, term: core.BuiltinCall, env: dict[int, Maybe]) -> Maybe:
        (b,) = term.symbols
        xs = self.domain(b.args[0]) if b.arity == 1 else None
        if xs is None:
            return None
        bv = self._column(b, xs)
        return self._pairs(len(xs), lambda i, j: _implies(_same(bv[i], bv[j]), _same(xs[i], xs[j])))

    def _builtin_surjective(self, term: core.BuiltinCall, env: dict[int, Maybe]) -> Maybe:
        (b,) = term.symbols
        xs = self.domain(b.args[0]) if b.arity == 1 else None
        if xs is None:
            return None
        bv, indices = self._column(b, xs), tuple(range(len(xs)))
        return self.forall((self.domain(b.result),),
                           lambda s: self.exists((indices,), lambda i: _same(bv[i[0]], s[0])))
