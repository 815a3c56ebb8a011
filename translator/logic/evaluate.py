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
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from math import prod
from types import MappingProxyType
from typing import Any

from . import core
from .model import Model, Value
from .walk import Visit, Visitor

MAX_STEPS = 5_000_000
"""How many steps one evaluation (one `failing` call: all its formulas) may take before it
gives up, leaving the rest undecided. A step is one sub-term evaluated, or one tuple judged
by a built-in: a quantifier with a one-atom body gets about two million assignments, and
the worst case is a few seconds."""

_COMPARE = MappingProxyType({"<": operator.lt, "<=": operator.le,
                             ">": operator.gt, ">=": operator.ge})

Maybe = Value | None
Env = dict[int, Maybe]
"""Values of the variables in scope, by uid (None: not assigned)."""

_MISSING = object()


# ---------------------------------------------------------------- public API

def evaluate(term: core.Term, model: Model, env: Mapping[int, Value] | None = None,
             *, max_steps: int = MAX_STEPS) -> Maybe:
    """The value of `term` in `model` under `env` (variable uid -> value); None if undecided."""
    return _Evaluator(model, max_steps).run(term, env)


def holds(term: core.Term, model: Model, *, max_steps: int = MAX_STEPS) -> bool | None:
    """Whether a closed formula is true (True), false (False) or undecided (None) in `model`."""
    return _truth(evaluate(term, model, max_steps=max_steps))


def failing(model: Model, formulas: Sequence[tuple[str, core.Term]],
            *, max_steps: int = MAX_STEPS, steps: Steps | None = None) -> list[str]:
    """Names of the formulas that are not definitely true in `model` (false or undecided), in order.

    The formulas share one budget, so a re-check takes a bounded time however many there are:
    `max_steps`, or `steps` (an allowance that several re-checks draw on in turn).
    """
    return [name for name, truth in judged(model, formulas, max_steps=max_steps, steps=steps) if truth is not True]


def judged(model: Model, formulas: Sequence[tuple[str, core.Term]],
           *, max_steps: int = MAX_STEPS, steps: Steps | None = None) -> list[tuple[str, bool | None]]:
    """Each formula's truth in `model`, in order: True, False, or None when the evaluator cannot decide
    it (a quantifier over an infinite sort such as Int, or the steps ran out); budget as `failing`."""
    evaluator = _Evaluator(model, max_steps, steps)
    return [(name, _truth(evaluator.run(formula))) for name, formula in formulas]


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
    return bool(_COMPARE[op](a, b))  # type: ignore[arg-type]  # both are numbers


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

CLOCK_EVERY = 4096
"""Steps between two looks at the clock, when an allowance has a deadline."""


@dataclass
class Steps:
    """How many more steps an evaluation (or several, drawing on one allowance) may take, and
    optionally a `deadline` (a `time.perf_counter()` reading) past which it may take none: the
    steps make the outcome the same on every machine; the deadline only bounds the wall clock
    on a slow or loaded one, and only ever leaves more undecided."""

    remaining: int
    deadline: float | None = None
    short: bool = False  # a quantifier's assignments were refused as more than `remaining`
    late: bool = False   # the deadline passed
    until_clock: int = CLOCK_EVERY

    def fits(self, count: int) -> bool:
        if count <= self.remaining:
            return True
        self.short = True
        return False

    def spend(self) -> bool:
        """Take one step from the budget; False when there was none left."""
        self.remaining -= 1
        self.until_clock -= 1
        if self.until_clock <= 0:
            self.look()
        return self.remaining >= 0

    def look(self) -> None:
        """Past the deadline, no step is left."""
        self.until_clock = CLOCK_EVERY
        if self.deadline is not None and time.perf_counter() > self.deadline:
            self.remaining = min(self.remaining, -1)
            self.late = True

    @property
    def exhausted(self) -> bool:
        return self.remaining <= 0

    @property
    def ran_out(self) -> bool:
        """Whether some evaluation drawing on this allowance was left undecided for want of steps or time."""
        return self.short or self.remaining < 0


class _Evaluator(Visitor[Maybe]):
    """One evaluation in one model: the model, the budget, the sorts' universes as sets.

    The environment of a visit maps variable uids to their values (None: unassigned). Each
    sub-term visited is one step of the budget; past it, every value is undecided."""

    unknown_hint = "is not a core term the evaluator knows"

    def __init__(self, model: Model, max_steps: int, steps: Steps | None = None):
        self.model = model
        self.budget = steps if steps is not None else Steps(max_steps)
        self._universes: dict[str, frozenset[str] | None] = {}

    def run(self, term: core.Term, env: Mapping[int, Value] | None = None) -> Maybe:
        """The value of a whole term; None if undecided."""
        return self.visit(term, dict(env or {}))

    def admit(self, term: core.Term, env: Any) -> bool:
        budget = self.budget  # `budget.spend()`, inlined: this runs once per sub-term
        budget.remaining -= 1
        budget.until_clock -= 1
        if budget.until_clock <= 0:
            budget.look()
        return budget.remaining >= 0

    def refused(self, term: core.Term, env: Any) -> Maybe:
        return None

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
            self._universes[sort.name] = frozenset(e for e in elements if isinstance(e, str)) \
                if elements is not None else None
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
        return _typed(table.lookup(args), result, universe)  # type: ignore[arg-type]  # no None in args

    def forall(self, domains: Sequence[tuple[Value, ...] | None],
               predicate: Callable[[tuple[Value, ...]], Maybe]) -> bool | None:
        """Kleene `forall` of `predicate` over the product of `domains`, within the budget."""
        known = [d for d in domains if d is not None]
        if len(known) < len(domains) or not self.budget.fits(prod(len(d) for d in known)):
            return None

        def verdicts() -> Iterable[Maybe]:
            for combo in product(*known):
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

    def visit_Var(self, term: core.Var, env: Env) -> Maybe:
        return env.get(term.uid)

    def visit_BoolLit(self, term: core.BoolLit, env: Env) -> Maybe:
        return term.value

    def visit_NumLit(self, term: core.NumLit, env: Env) -> Maybe:
        return _typed(Fraction(term.value), term.sort, None)

    def visit_App(self, term: core.App, env: Env) -> Maybe | Visit:
        if all(type(arg) is core.Var for arg in term.args):  # the common case, without a generator
            budget = self.budget
            values = []
            for arg in term.args:  # each argument one step, as if visited
                budget.remaining -= 1
                values.append(env.get(arg.uid) if budget.remaining >= 0 else None)  # type: ignore[union-attr]
            return self.apply(term.symbol, tuple(values))
        return self._app(term)

    def _app(self, term: core.App) -> Visit:
        args = []
        for arg in term.args:
            args.append((yield arg))
        return self.apply(term.symbol, tuple(args))

    # ------------------------------------------------ connectives

    def visit_Not(self, term: core.Not, env: Env) -> Visit:
        return _not((yield term.arg))

    def visit_And(self, term: core.And, env: Env) -> Visit:
        return (yield from self._until(term.args, False))

    def visit_Or(self, term: core.Or, env: Env) -> Visit:
        return (yield from self._until(term.args, True))

    def _until(self, args: Sequence[core.Term], deciding: bool) -> Visit:
        """Kleene and (`deciding` False) or or (True): `deciding` at the first argument that has
        that value (the rest are not visited), the other truth value if all have it, else None."""
        unknown = False
        for arg in args:
            truth = _truth((yield arg))
            if truth is deciding:
                return deciding
            unknown = unknown or truth is None
        return None if unknown else not deciding

    def visit_Implies(self, term: core.Implies, env: Env) -> Visit:
        lhs = yield term.lhs
        if lhs is False:
            return True
        return _implies(lhs, (yield term.rhs))

    def visit_Iff(self, term: core.Iff, env: Env) -> Visit:
        lhs = _truth((yield term.lhs))
        rhs = _truth((yield term.rhs))
        return None if lhs is None or rhs is None else lhs == rhs

    def visit_Ite(self, term: core.Ite, env: Env) -> Visit:
        cond = _truth((yield term.cond))
        if cond is not None:
            return (yield term.then if cond else term.else_)
        then = yield term.then
        else_ = yield term.else_
        return then if _same(then, else_) else None

    # ------------------------------------------------ equality and arithmetic

    def visit_Eq(self, term: core.Eq, env: Env) -> Visit:
        lhs = yield term.lhs
        return _same(lhs, (yield term.rhs))

    def visit_Compare(self, term: core.Compare, env: Env) -> Visit:
        lhs = yield term.lhs
        return _compare(term.op, lhs, (yield term.rhs))

    def visit_Add(self, term: core.Add, env: Env) -> Visit:
        values = []
        for arg in term.args:
            values.append((yield arg))
        if not all(_is_number(v) for v in values):
            return None
        return _typed(sum(values), term.sort, None)

    def visit_Neg(self, term: core.Neg, env: Env) -> Visit:
        value = yield term.arg
        return _typed(-value, term.sort, None) if _is_number(value) else None

    def visit_Scale(self, term: core.Scale, env: Env) -> Visit:
        value = yield term.arg
        if not _is_number(value):
            return None
        return _typed(Fraction(term.coeff) * value, term.sort, None)  # Int: None unless integral

    # ------------------------------------------------ binders and definitions

    def visit_Quant(self, term: core.Quant, env: Env) -> Visit:
        domains = [self.domain(v.sort) for v in term.vars]
        known = [d for d in domains if d is not None]
        if len(known) < len(domains):
            return None
        inner = dict(env)
        inner.update((v.uid, None) for v in term.vars)  # unassigned reads as undecided
        uids = [v.uid for v in term.vars]
        if term.kind is core.QuantKind.FORALL:
            return (yield from self.search(uids, known, term.body, inner, False))
        return _not((yield from self.search(uids, known, term.body, inner, True)))

    def search(self, uids: Sequence[int], domains: Sequence[tuple[Value, ...]], body: core.Term,
               env: dict[int, Maybe], negated: bool) -> Visit:
        """Kleene forall of `body` (of `not body` if `negated`) over all assignments of `uids` in
        `env`, by backtracking with a stack of its own.

        A partial assignment is judged with the unassigned variables undecided. Kleene
        logic is monotone in what is known, so a definite verdict there is the verdict of
        every completion, and the whole subtree is settled at once.
        """
        frames: list[list[Any]] = []  # per variable assigned: [its index, values left, any undecided]
        depth = 0
        while True:
            verdict: Any = _MISSING
            if depth == len(uids) or depth > 0:  # judge the assignment made so far
                value = _truth((yield body, env))
                value = _not(value) if negated else value
                if depth == len(uids) or value is not None:
                    verdict = value
            if verdict is _MISSING:
                frames.append([depth, iter(domains[depth]), False])
            while frames:
                frame = frames[-1]
                index = frame[0]
                if verdict is not _MISSING:
                    if verdict is False:
                        env[uids[index]] = None
                        frames.pop()
                        continue
                    frame[2] = frame[2] or verdict is None
                assigned: Any = next(frame[1], _MISSING)
                if assigned is _MISSING or self.budget.exhausted:
                    env[uids[index]] = None
                    frames.pop()
                    verdict = None if assigned is not _MISSING or frame[2] else True
                    continue
                env[uids[index]] = assigned
                depth = index + 1
                break
            else:
                return verdict

    def visit_DefCall(self, term: core.DefCall, env: Env) -> Visit:
        params = term.defn.params
        if len(params) != len(term.args):
            return None
        values = []
        for arg in term.args:
            values.append((yield arg))
        return (yield term.defn.body, {p.uid: v for p, v in zip(params, values)})

    def visit_BuiltinCall(self, term: core.BuiltinCall, env: Env) -> Visit:
        judge = getattr(self, f"_builtin_{term.name}", None)
        if judge is None:
            raise TypeError(f"evaluate: unknown built-in {term.name!r}")
        args = []
        for arg in term.args:
            args.append((yield arg))
        return judge(term, args)

    # ------------------------------------------------ built-ins (LANGUAGE.md §3)

    def _column(self, symbol: core.Symbol, xs: tuple[Value, ...],
                via: core.Symbol | None = None) -> list[Maybe]:
        """[symbol(via(x)) for x in xs] (or symbol(x) without a bridge), None where undecided."""
        inner = [self.apply(via, (x,)) for x in xs] if via is not None else list(xs)
        return [self.apply(symbol, (y,)) if y is not None else None for y in inner]

    def _pairs(self, n: int, predicate: Callable[[int, int], Maybe]) -> bool | None:
        """Kleene forall over all pairs of indices below n."""
        indices = tuple(range(n))
        return self.forall((indices, indices), lambda ij: predicate(*ij))  # type: ignore[arg-type]

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

    def _builtin_agree(self, term: core.BuiltinCall, args: list[Maybe]) -> Maybe:
        f, g = term.symbols
        return self._agreement(f, g, term.via, None)

    def _builtin_agree_on(self, term: core.BuiltinCall, args: list[Maybe]) -> Maybe:
        p, f, g = term.symbols
        return self._agreement(f, g, term.via, p)

    def _builtin_maximizes(self, term: core.BuiltinCall, args: list[Maybe]) -> Maybe:
        (g,), (z,) = term.symbols, args
        xs = self.domain(g.args[0]) if g.arity == 1 else None
        best = self.apply(g, (z,))
        return self.forall((xs,), lambda y: _compare("<=", self.apply(g, y), best))

    def _builtin_injective(self, term: core.BuiltinCall, args: list[Maybe]) -> Maybe:
        (b,) = term.symbols
        xs = self.domain(b.args[0]) if b.arity == 1 else None
        if xs is None:
            return None
        bv = self._column(b, xs)
        return self._pairs(len(xs), lambda i, j: _implies(_same(bv[i], bv[j]), _same(xs[i], xs[j])))

    def _builtin_surjective(self, term: core.BuiltinCall, args: list[Maybe]) -> Maybe:
        (b,) = term.symbols
        xs = self.domain(b.args[0]) if b.arity == 1 else None
        if xs is None:
            return None
        bv, indices = self._column(b, xs), tuple(range(len(xs)))
        return self.forall((self.domain(b.result),),
                           lambda s: self.exists((indices,), lambda i: _same(bv[i[0]], s[0])))  # type: ignore[index]
