"""The built-ins over functions (LANGUAGE.md §3): agree, agree_on, maximizes, injective, surjective.

A layer of the type checker over `typecheck_base.CheckerBase` (names, sorts,
diagnostics); `typecheck_terms` builds on it. A built-in's function arguments
are names of declared functions, not terms; its one term argument (the `z` of
`maximizes`) is yielded to the checker's loop like any sub-expression. The
call stays a `core.BuiltinCall` until `expand` unfolds it.
"""
from __future__ import annotations

from ..logic import core
from . import diagnostics as codes
from . import syntax
from .typecheck_base import CheckerBase
from .typecheck_util import ERROR, KIND_WORDS, RESERVED_NAMES, Checking, Scope, Value, count, hole, show, value_kind

BUILTIN_USAGE = {
    "agree": (2, "agree(f, g) or agree(f, g via b)"),
    "agree_on": (3, "agree_on(p, f, g) or agree_on(p, f, g via b)"),
    "maximizes": (2, "maximizes(g, z)"),
    "injective": (1, "injective(b)"),
    "surjective": (1, "surjective(b)"),
}


class BuiltinChecks(CheckerBase):
    """Type checking of built-in calls (and of a `via` out of place)."""

    def _builtin(self, expr: syntax.Apply, scope: Scope) -> Checking[core.Term]:
        wanted, usage = BUILTIN_USAGE[expr.fn]
        if len(expr.args) != wanted:
            return self._error(codes.ARITY, f"'{expr.fn}' takes {count(wanted)} ({usage}), "
                               f"given {len(expr.args)}", expr.span)
        if expr.fn in ("agree", "agree_on"):
            return self._agreement(expr, scope)
        if expr.fn == "maximizes":
            return (yield from self._maximizes(expr, scope))
        return self._mapping(expr, scope)

    def _misplaced_via(self, expr: syntax.Via) -> core.Term:
        return self._error(codes.TYPE_MISMATCH, "'via' may only follow the last function argument "
                           "of agree or agree_on", expr.span, help="write agree(f, g via b)")

    def _fn_arg(self, arg: syntax.Expr, scope: Scope, builtin: str) -> core.Symbol | None:
        """The declared function a built-in's argument names, or None (with a diagnostic)."""
        if isinstance(arg, syntax.Via):
            self._misplaced_via(arg)
            return None
        if not isinstance(arg, syntax.Name):
            self._error(codes.NOT_A_FUNCTION, f"'{builtin}' needs the name of a declared function here, "
                        f"but {show(arg)} is an expression", arg.span,
                        help="write the function's name alone, e.g. f rather than f(x)")
            return None
        if arg.id in scope or arg.id in RESERVED_NAMES:
            what = "a bound variable" if arg.id in scope else "a built-in"
            self._error(codes.NOT_A_FUNCTION, f"'{builtin}' needs the name of a declared function, "
                        f"but '{arg.id}' is {what}", arg.span)
            return None
        target = self._lookup(arg.id, arg.span, scope)
        if isinstance(target, core.Symbol) and target.arity > 0:
            return None if ERROR in target.args + (target.result,) else target
        if target is not None:
            kind = value_kind(target)
            self._error(codes.NOT_A_FUNCTION, f"'{builtin}' needs the name of a declared function, "
                        f"but '{arg.id}' is a {KIND_WORDS[kind]}", arg.span,
                        help="built-ins take names declared with fun, pred or bridge")
        return None

    def _unary(self, symbol: core.Symbol, arg: syntax.Expr, builtin: str) -> bool:
        if symbol.arity == 1:
            return True
        self._error(codes.ARITY, f"'{builtin}' needs a function of one argument, but "
                    f"{symbol.signature()} takes {symbol.arity}", arg.span)
        return False

    def _unary_numeric(self, symbol: core.Symbol | None, arg: syntax.Expr, builtin: str) -> bool:
        if symbol is None or not self._unary(symbol, arg, builtin):
            return False
        if symbol.result.is_numeric:
            return True
        self._error(codes.NOT_NUMERIC, f"'{builtin}' compares numeric values, but {symbol.signature()} "
                    f"returns {symbol.result}", arg.span)
        return False

    def _predicate(self, symbol: core.Symbol | None, arg: syntax.Expr, builtin: str) -> bool:
        if symbol is None or not self._unary(symbol, arg, builtin):
            return False
        if symbol.result == core.BOOL:
            return True
        self._error(codes.TYPE_MISMATCH, f"'{builtin}' needs a predicate as its first argument, but "
                    f"{symbol.signature()} returns {symbol.result}", arg.span)
        return False

    def _agreement(self, expr: syntax.Apply, scope: Scope) -> core.Term:
        *p_arg, f_arg, g_arg = expr.args
        via = g_arg if isinstance(g_arg, syntax.Via) else None
        g_expr = via.expr if via else g_arg
        p = self._fn_arg(p_arg[0], scope, expr.fn) if p_arg else None
        f = self._fn_arg(f_arg, scope, expr.fn)
        g = self._fn_arg(g_expr, scope, expr.fn)
        bridge = self._bridge(via, scope) if via else None
        fine = [self._unary_numeric(f, f_arg, expr.fn), self._unary_numeric(g, g_expr, expr.fn),
                not p_arg or self._predicate(p, p_arg[0], expr.fn), via is None or bridge is not None]
        if f is None or g is None or not all(fine) or not self._domains_fit(expr, f, g, bridge, via):
            return hole(expr.span)
        if p is not None and p.args[0] != g.args[0]:
            return self._error(codes.TYPE_MISMATCH, f"'{p.name}' must restrict the domain of '{g.name}' "
                               f"({g.args[0]}), but {p.signature()} is over {p.args[0]}", p_arg[0].span)
        symbols = (p, f, g) if p is not None else (f, g)
        return core.BuiltinCall(expr.fn, symbols, bridge, (), expr.span)

    def _bridge(self, via: syntax.Via, scope: Scope) -> core.Symbol | None:
        """The bridge `via` names, or None (with a diagnostic unless its declaration had one)."""
        span = via.bridge_span or via.span
        if via.bridge in scope:
            self._error(codes.NOT_A_BRIDGE, f"'via' needs a name declared with `bridge`, but "
                        f"'{via.bridge}' is a bound variable", span)
            return None
        target = None if via.bridge in RESERVED_NAMES else self._lookup(via.bridge, span, scope)
        if isinstance(target, core.Symbol) and target.kind == core.SymbolKind.BRIDGE:
            broken = target.arity != 1 or ERROR in target.args + (target.result,)
            return None if broken else target
        if target is not None or via.bridge in RESERVED_NAMES:
            kind = value_kind(target) if target is not None else "built-in"
            self._error(codes.NOT_A_BRIDGE, f"'via' needs a name declared with `bridge`, but "
                        f"'{via.bridge}' is a {KIND_WORDS.get(kind, kind)}", span, help=_bridge_hint(target))
        return None

    def _domains_fit(self, expr: syntax.Apply, f: core.Symbol, g: core.Symbol,
                     bridge: core.Symbol | None, via: syntax.Via | None) -> bool:
        a, c = f.args[0], g.args[0]
        if via is None or bridge is None:  # no `via` (a `via` naming no bridge was reported already)
            if a == c:
                return True
            self._error(codes.DOMAIN_MISMATCH, f"cannot compare {f.signature()} with {g.signature()}: "
                        f"their domains differ ({a} vs {c})", expr.span, help=self._bridge_help(expr, f, g))
            return False
        src, dst = bridge.args[0], bridge.result
        if (src, dst) == (c, a):
            return True
        self._error(codes.BRIDGE_DIRECTION, _misfit(bridge, f, g), via.bridge_span or via.span,
                    help=f"'{expr.fn}' needs `bridge {bridge.name}: {c} -> {a}` (from dom({g.name}) "
                    f"to dom({f.name}))")
        return False

    def _bridge_help(self, expr: syntax.Apply, f: core.Symbol, g: core.Symbol) -> str:
        """How to give a bridge: name a declared one that fits, or show how to declare one."""
        a, c = f.args[0], g.args[0]
        prefix = f"{expr.fn}({show(expr.args[0])}, " if expr.fn == "agree_on" else f"{expr.fn}("
        fitting = [s for s in self.values.values() if isinstance(s, core.Symbol)
                   and s.kind == core.SymbolKind.BRIDGE and s.args == (c,) and s.result == a]
        if fitting:
            b = fitting[0]
            return f"bridge {b.signature()} is declared: write {prefix}{f.name}, {g.name} via {b.name})"
        return (f"declare a bridge between the domains, e.g. `bridge b: {c} -> {a}`, "
                f"and write {prefix}{f.name}, {g.name} via b)")

    def _maximizes(self, expr: syntax.Apply, scope: Scope) -> Checking[core.Term]:
        g_arg, z_arg = expr.args
        g = self._fn_arg(g_arg, scope, expr.fn)
        domain = g.args[0] if g is not None and self._unary_numeric(g, g_arg, expr.fn) else None
        z = yield z_arg, scope, domain
        if g is None or domain is None or not self._want(z, domain, z_arg, "the second argument of 'maximizes'",
                                                         help=g.signature()):
            return hole(expr.span)
        return core.BuiltinCall(expr.fn, (g,), None, (z,), expr.span)

    def _mapping(self, expr: syntax.Apply, scope: Scope) -> core.Term:
        b = self._fn_arg(expr.args[0], scope, expr.fn)
        if b is None or not self._unary(b, expr.args[0], expr.fn):
            return hole(expr.span)
        return core.BuiltinCall(expr.fn, (b,), None, (), expr.span)


def _bridge_hint(target: Value | None) -> str:
    """How to make `target` usable after `via`."""
    if isinstance(target, core.Symbol) and target.arity == 1:
        return f"to use it as a bridge, declare it as `bridge {target.signature()}`"
    return "only a name declared as `bridge b: A -> B` can follow 'via'"


def _misfit(bridge: core.Symbol, f: core.Symbol, g: core.Symbol) -> str:
    """Which side of `agree(f, g via bridge)` the bridge does not fit, in words."""
    (src,), dst, a, c, sig = bridge.args, bridge.result, f.args[0], g.args[0], bridge.signature()
    if (src, dst) == (a, c):
        return (f"bridge {sig} goes the wrong way: it must map the domain of '{g.name}' "
                f"to the domain of '{f.name}' ({c} -> {a})")
    if src != c and dst != a:
        return (f"bridge {sig} fits neither side: it must map the domain of '{g.name}' ({c}) "
                f"to the domain of '{f.name}' ({a})")
    if src != c:
        return f"bridge {sig} does not fit '{g.name}': it maps from {src}, but {g.signature()} has domain {c}"
    return f"bridge {sig} does not fit '{f.name}': it maps to {dst}, but {f.signature()} has domain {a}"
