"""Stage 4: expansion. Definitions and built-ins become plain core formulas.

The type checker keeps `DefCall`s and `BuiltinCall`s so reports can show what
the user wrote; the solver back end wants neither. `expand` unfolds every
definition (its body with the arguments substituted, its bound variables
renamed first so nothing is captured) and writes every built-in as the
formula of LANGUAGE.md §3, with fresh bound variables. It hands on terms made
only of symbols, variables, connectives, arithmetic and quantifiers.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import replace
from itertools import count

from .core import (
    And,
    App,
    BuiltinCall,
    Compare,
    DefCall,
    Eq,
    Iff,
    Implies,
    Quant,
    QuantKind,
    Sort,
    Symbol,
    Term,
    Var,
    walk,
)
from .walk import Mapper, Visit


class Fresh:
    """A deterministic supply of variable uids: `Fresh(start)()` gives start, start + 1, ..."""

    def __init__(self, start: int) -> None:
        self._counter = count(start)

    def __call__(self) -> int:
        return next(self._counter)


# ---------------------------------------------------------------- substitution

def substitute(term: Term, mapping: Mapping[int, Term]) -> Term:
    """`term` with every free variable whose uid is in `mapping` replaced.

    A quantifier that rebinds a uid hides it from the mapping below it. Uids
    are unique in a program and `unfold` renames bound variables apart, so a
    replacement's free variables are never captured.
    """
    if not mapping:
        return term
    return _Substitute(mapping).visit(term, mapping)


class _Substitute(Mapper):
    """The environment is the mapping in force; a sub-term under the whole mapping is rebuilt once."""

    def __init__(self, mapping: Mapping[int, Term]):
        self.mapping = mapping

    def key(self, term: Term, env: Mapping[int, Term]) -> Hashable | None:
        return id(term) if env is self.mapping else None

    def visit_Var(self, term: Var, env: Mapping[int, Term]) -> Term:
        return env.get(term.uid, term)

    def visit_Quant(self, term: Quant, env: Mapping[int, Term]) -> Visit:
        bound = {v.uid for v in term.vars}
        inner = {uid: t for uid, t in env.items() if uid not in bound}
        return replace(term, body=(yield term.body, inner) if inner else term.body)


def rename_bound(term: Term, fresh: Callable[[], int]) -> Term:
    """`term` with every bound variable given a fresh uid (same name and sort), outermost first."""
    return _Rename(fresh).visit(term, {})


class _Rename(Mapper):
    """The environment maps the uids of the binders around a sub-term to their renamed variables."""

    def __init__(self, fresh: Callable[[], int]):
        self.fresh = fresh

    def visit_Var(self, term: Var, env: Mapping[int, Term]) -> Term:
        return env.get(term.uid, term)

    def visit_Quant(self, term: Quant, env: Mapping[int, Term]) -> Visit:
        new_vars = tuple(replace(v, uid=self.fresh()) for v in term.vars)
        inner = dict(env)
        inner.update((old.uid, new) for old, new in zip(term.vars, new_vars))
        return replace(term, vars=new_vars, body=(yield term.body, inner))


# ---------------------------------------------------------------- definitions

def unfold(call: DefCall, fresh: Callable[[], int]) -> Term:
    """One level of a definition: its body, bound variables renamed, parameters := arguments."""
    body = rename_bound(call.defn.body, fresh)
    mapping = {param.uid: arg for param, arg in zip(call.defn.params, call.args)}
    return substitute(body, mapping)


# ---------------------------------------------------------------- built-ins

def _apply(symbol: Symbol, *args: Term) -> App:
    return App(symbol, tuple(args))


def _forall(vars: tuple[Var, ...], body: Term, span) -> Quant:
    return Quant(QuantKind.FORALL, vars, body, span=span)


def _mk_var(fresh: Callable[[], int], name: str, sort: Sort) -> Var:
    return Var(name, sort, fresh())


def _agree(call: BuiltinCall, fresh: Callable[[], int]) -> Term:
    """agree / agree_on: g orders the (restricted) domain the way f does, through the bridge."""
    restrict, (f, g) = (call.symbols[0], call.symbols[1:]) if call.name == "agree_on" else (None, call.symbols)
    domain = g.args[0]
    x, y = _mk_var(fresh, "x", domain), _mk_var(fresh, "y", domain)
    into = (lambda v: _apply(call.via, v)) if call.via else (lambda v: v)
    body: Term = Iff(Compare("<=", _apply(g, x), _apply(g, y)),
                     Compare("<=", _apply(f, into(x)), _apply(f, into(y))))
    if restrict is not None:
        body = Implies(And((_apply(restrict, x), _apply(restrict, y))), body)
    return _forall((x, y), body, call.span)


def _maximizes(call: BuiltinCall, fresh: Callable[[], int]) -> Term:
    """maximizes(g, z): no y does better than z under g."""
    (g,), (z,) = call.symbols, call.args
    y = _mk_var(fresh, "y", g.args[0])
    return _forall((y,), Compare("<=", _apply(g, y), _apply(g, z)), call.span)


def _injective(call: BuiltinCall, fresh: Callable[[], int]) -> Term:
    (b,) = call.symbols
    x, y = _mk_var(fresh, "x", b.args[0]), _mk_var(fresh, "y", b.args[0])
    return _forall((x, y), Implies(Eq(_apply(b, x), _apply(b, y)), Eq(x, y)), call.span)


def _surjective(call: BuiltinCall, fresh: Callable[[], int]) -> Term:
    (b,) = call.symbols
    s, x = _mk_var(fresh, "s", b.result), _mk_var(fresh, "x", b.args[0])
    inner = Quant(QuantKind.EXISTS, (x,), Eq(_apply(b, x), s))
    return _forall((s,), inner, call.span)


_BUILTIN_EXPANSIONS = {
    "agree": _agree,
    "agree_on": _agree,
    "maximizes": _maximizes,
    "injective": _injective,
    "surjective": _surjective,
}


def expand_builtin(call: BuiltinCall, fresh: Callable[[], int]) -> Term:
    """The formula a built-in stands for (LANGUAGE.md §3), with fresh bound variables."""
    expansion = _BUILTIN_EXPANSIONS.get(call.name)
    if expansion is None:
        raise ValueError(f"unknown built-in {call.name!r}")
    return expansion(call, fresh)


# ---------------------------------------------------------------- the whole term

MAX_UNFOLDINGS = 10_000
"""Definitions and built-ins one formula may unfold into. Definitions that call others twice
each grow exponentially with their depth; past this the formula is refused, not built."""


class TooLarge(ValueError):
    """A formula whose definitions unfold into more than `MAX_UNFOLDINGS` copies."""


def expand(term: Term, fresh: Callable[[], int], limit: int = MAX_UNFOLDINGS) -> Term:
    """`term` with no `DefCall` and no `BuiltinCall` left anywhere in it.

    Raises `TooLarge` rather than unfold more than `limit` definitions and built-ins.
    """
    return _Expand(fresh, limit).visit(term)


class _Expand(Mapper):
    """Definitions unfolded and built-ins written out, with a budget of unfoldings."""

    def __init__(self, fresh: Callable[[], int], limit: int):
        self.fresh = fresh
        self.limit = limit
        self.budget = limit

    def spend(self, node: DefCall | BuiltinCall) -> None:
        self.budget -= 1
        if self.budget < 0:
            where = f" at {node.span}" if node.span else ""
            raise TooLarge(f"its definitions unfold into more than {self.limit:,} copies{where}; "
                           "a definition that uses another twice doubles the formula at each level")

    def visit_DefCall(self, term: DefCall, env: None) -> Visit:
        self.spend(term)
        return (yield unfold(term, self.fresh))

    def visit_BuiltinCall(self, term: BuiltinCall, env: None) -> Visit:
        self.spend(term)
        args = []
        for arg in term.args:
            args.append((yield arg))
        return expand_builtin(replace(term, args=tuple(args)), self.fresh)


def is_expanded(term: Term) -> bool:
    """Whether `term` is free of definitions and built-ins."""
    return not any(isinstance(node, (DefCall, BuiltinCall)) for node in walk(term))
