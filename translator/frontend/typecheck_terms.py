"""Stage 2, the type checker's rules over expressions: syntax expressions to typed core terms.

Each rule (`_t_Name`, `_t_Binary`, ...) is a generator (`typecheck_util.Checking`):
it yields each sub-expression it needs, with its scope and the sort its
context asks for, and is sent back that sub-expression's core term. `_run`
drives the rules with an explicit stack, so an expression nested as deeply
as the parser allows is checked with Python's default recursion limit and
stack. A leaf rule returns its term at once. A new kind of expression needs
one `_t_` method and nothing else.
"""
from __future__ import annotations

from collections.abc import Callable
from types import GeneratorType
from typing import cast

from ..logic import core
from ..logic.numbers import MAX_DIGITS, too_long
from . import diagnostics as codes
from . import syntax
from .typecheck_builtins import BuiltinChecks
from .typecheck_util import (
    KIND_WORDS,
    MIX_HELP,
    RESERVED_NAMES,
    Checking,
    Literals,
    Scope,
    Value,
    count,
    hole,
    numeric_sort,
    show,
    sort_of,
)

Rule = Callable[[syntax.Expr, Scope, core.Sort | None], "core.Term | Checking[core.Term]"]


class TermChecks(BuiltinChecks):
    """Expressions: one `_t_` rule per kind of syntax node, run without recursion."""

    literals: Literals
    _rules: dict[type, Rule]
    _links_below: set[int]                                   # ids of syntax links below a chain's top
    _pending: dict[int, tuple[core.Term, list[core.Term]]]  # a stand-in's id: it, and the chain so far

    def _start_terms(self) -> None:
        self.literals = Literals()
        self._rules = {kind: getattr(self, "_t_" + kind.__name__) for kind in _EXPR_TYPES}
        self._links_below = set()
        self._pending = {}

    # ------------------------------------------------------------ the loop

    def _run(self, checking: Checking[core.Term]) -> core.Term:
        """Drive a rule to its term: each sub-expression a rule yields is checked on the same stack."""
        stack = [checking]
        value: core.Term | None = None
        while True:
            try:
                need = stack[-1].send(value)  # type: ignore[arg-type]  # None starts a generator
            except StopIteration as done:
                stack.pop()
                if not stack:
                    return done.value
                value = done.value
                continue
            step = self._rules[type(need[0])](*need)
            if type(step) is GeneratorType:
                stack.append(step)
                value = None
            else:
                value = cast(core.Term, step)

    def _check(self, expr: syntax.Expr, scope: Scope, hint: core.Sort | None) -> core.Term:
        """The core term for `expr`, from outside the rules (a declaration)."""
        return self._run(self._sub(expr, scope, hint))

    def _check_formula(self, expr: syntax.Expr, scope: Scope, what: str) -> core.Term:
        return self._run(self._formula(expr, scope, what))

    @staticmethod
    def _sub(expr: syntax.Expr, scope: Scope, hint: core.Sort | None) -> Checking[core.Term]:
        """A rule that only checks `expr`."""
        return (yield expr, scope, hint)

    def _formula(self, expr: syntax.Expr, scope: Scope, what: str) -> Checking[core.Term]:
        term = yield expr, scope, core.BOOL
        self._want(term, core.BOOL, expr, what)
        return term

    def _pair(self, left: syntax.Expr, right: syntax.Expr, scope: Scope,
              hint: core.Sort | None) -> Checking[tuple[core.Term, core.Term]]:
        """Two operands that must share a sort: a literal side takes the other side's type."""
        flexible = self.literals.flexible
        if flexible(left) and flexible(right):
            shared = hint if numeric_sort(hint) else self.literals.sort(left, right)
            lhs = yield left, scope, shared
            rhs = yield right, scope, shared
        elif flexible(left):
            rhs = yield right, scope, None
            lhs = yield left, scope, sort_of(rhs)
        else:
            lhs = yield left, scope, None
            rhs = yield right, scope, sort_of(lhs)
        return lhs, rhs

    # ------------------------------------------------------------ leaves

    def _t_Name(self, expr: syntax.Name, scope: Scope, hint: core.Sort | None) -> core.Term:
        if expr.id in scope:
            var = scope[expr.id]
            return core.Var(var.name, var.sort, var.uid, expr.span)
        if expr.id in RESERVED_NAMES:
            return self._error(codes.NOT_A_VALUE, f"'{expr.id}' is a built-in "
                               f"{'type' if expr.id in core.BUILTIN_SORTS else 'function'}, not a value",
                               expr.span)
        target = self._lookup(expr.id, expr.span, scope)
        if isinstance(target, core.Symbol) and target.arity == 0:
            return core.App(target, (), expr.span)
        if isinstance(target, core.Definition) and not target.params:
            return core.DefCall(target, (), expr.span)
        if target is None:
            return hole(expr.span)
        return self._not_a_value(expr, target)

    def _not_a_value(self, expr: syntax.Name, target: Value) -> core.Term:
        if isinstance(target, core.Sort):
            return self._error(codes.NOT_A_VALUE, f"'{expr.id}' is a sort, not a value", expr.span,
                               help=f"to speak of its elements, bind one: forall x: {expr.id}. ...")
        if isinstance(target, core.Definition):
            shape = f"{expr.id}({', '.join(f'{p.name}: {p.sort}' for p in target.params)})"
            return self._error(codes.NOT_A_VALUE, f"'{expr.id}' is a definition with "
                               f"{count(len(target.params), 'parameter')} ({shape}); apply it to arguments",
                               expr.span)
        return self._error(codes.NOT_A_VALUE, f"'{expr.id}' is a {KIND_WORDS[target.kind.value]} "
                           f"({target.signature()}); apply it to arguments", expr.span,
                           help=f"write {expr.id}(...) with {count(target.arity)}")

    def _t_Number(self, expr: syntax.Number, scope: Scope, hint: core.Sort | None) -> core.Term:
        # An integer literal takes the numeric type asked for; a decimal is always Real,
        # and a Real where an Int is wanted is reported by the caller, naming both sides.
        try:
            value = expr.value
        except ValueError:  # only in a tree built by hand: the lexer makes well-formed literals
            return self._error(codes.BAD_LITERAL, f"'{expr.text}' is not a number", expr.span)
        sort = core.REAL if expr.is_real else (hint if hint is not None and hint.is_numeric else core.INT)
        return core.NumLit(value, sort, expr.span)

    def _t_BoolLit(self, expr: syntax.BoolLit, scope: Scope, hint: core.Sort | None) -> core.Term:
        return core.BoolLit(expr.value, expr.span)

    def _t_Via(self, expr: syntax.Via, scope: Scope, hint: core.Sort | None) -> core.Term:
        return self._misplaced_via(expr)

    # ------------------------------------------------------------ operators

    def _t_Unary(self, expr: syntax.Unary, scope: Scope, hint: core.Sort | None) -> Checking[core.Term]:
        if expr.op == "not":
            arg = yield expr.arg, scope, core.BOOL
            self._want(arg, core.BOOL, expr.arg, "the operand of 'not'")
            return core.Not(arg, expr.span)
        arg = yield expr.arg, scope, hint
        if isinstance(expr.arg, syntax.Number) and isinstance(arg, core.NumLit):
            return core.NumLit(-arg.value, arg.sort, expr.span)
        if not self._numeric(arg, expr.arg, "-"):
            return hole(expr.span)
        return core.Neg(arg, expr.span)

    def _t_Binary(self, expr: syntax.Binary, scope: Scope, hint: core.Sort | None) -> Checking[core.Term]:
        if expr.op in ("and", "or", "->", "<->"):
            if expr.op in ("and", "or"):
                self._continue_chain(expr)
            lhs = yield expr.left, scope, core.BOOL
            self._want(lhs, core.BOOL, expr.left, f"each side of '{expr.op}'")
            rhs = yield expr.right, scope, core.BOOL
            self._want(rhs, core.BOOL, expr.right, f"each side of '{expr.op}'")
            if expr.op in ("->", "<->"):
                return (core.Implies if expr.op == "->" else core.Iff)(lhs, rhs, expr.span)
            return self._chain(core.And if expr.op == "and" else core.Or, lhs, rhs, expr)
        if expr.op == "*":
            return (yield from self._product(expr, scope, hint))
        return (yield from self._sum(expr, scope, hint))

    def _sum(self, expr: syntax.Binary, scope: Scope, hint: core.Sort | None) -> Checking[core.Term]:
        self._continue_chain(expr)
        lhs, rhs = yield from self._pair(expr.left, expr.right, scope, hint)
        fine = self._numeric(lhs, expr.left, expr.op) and self._numeric(rhs, expr.right, expr.op)
        if not (fine and self._same_sort(lhs, rhs, expr)):
            return hole(expr.span)
        if expr.op == "-":
            rhs = core.Neg(rhs, expr.right.span)
        return self._chain(core.Add, lhs, rhs, expr)

    # A left chain of one operator (`a and b and c`, `x + y - z`) is one flat term. Each link
    # of it is checked as its own node; the links below the top hand on a stand-in (a term of the
    # right sort) with the operands so far, and the top builds the term once, so a chain costs
    # time linear in its length.

    def _continue_chain(self, expr: syntax.Binary) -> None:
        """Mark `expr`'s left operand as a link of the chain `expr` continues, if it is one."""
        left = expr.left
        if isinstance(left, syntax.Binary) and _FAMILY.get(left.op, left.op) == _FAMILY.get(expr.op, expr.op):
            self._links_below.add(id(left))

    def _chain(self, cls: type[core.And] | type[core.Or] | type[core.Add], lhs: core.Term, rhs: core.Term,
               expr: syntax.Binary) -> core.Term:
        """`lhs` (a link's stand-in, or an operand) and `rhs` as one more link of a flat `cls` term."""
        pending = self._pending.pop(id(lhs), None)
        if pending is not None and pending[0] is lhs:
            operands = pending[1]
        else:
            operands = list(lhs.args) if isinstance(lhs, cls) else [lhs]
        operands.append(rhs)
        if id(expr) not in self._links_below:
            return cls(tuple(operands), expr.span)
        stand_in = cls((operands[0], rhs), expr.span)  # its sort is the chain's
        self._pending[id(stand_in)] = (stand_in, operands)
        return stand_in

    def _product(self, expr: syntax.Binary, scope: Scope, hint: core.Sort | None) -> Checking[core.Term]:
        coeff = self.literals.fold(expr.left)
        coeff_expr, other = expr.left, expr.right
        if coeff is None:
            coeff, coeff_expr, other = self.literals.fold(expr.right), expr.right, expr.left
        if coeff is None:
            return self._error(codes.NONLINEAR, f"'*' needs a numeric literal on one side, but "
                               f"{show(expr.left)} and {show(expr.right)} are both terms", expr.span,
                               help="arithmetic is linear: multiply by a number, e.g. 2 * x")
        if too_long(coeff):
            return self._error(codes.BAD_LITERAL, "this coefficient comes to a number of more than "
                               f"{MAX_DIGITS:,} digits", coeff_expr.span,
                               help="no specification needs such a number: write a smaller one")
        inner = None
        if self.literals.flexible(other):
            inner = hint if numeric_sort(hint) else self.literals.sort(expr)
        term = yield other, scope, inner
        if not self._numeric(term, other, "*"):
            return hole(expr.span)
        if sort_of(term) == core.INT and self.literals.sort(coeff_expr) == core.REAL:
            return self._error(codes.NUMERIC_MIX, f"cannot mix Int and Real: {show(coeff_expr)} is Real, "
                               f"{show(other)} is Int", expr.span, help=MIX_HELP)
        return core.Scale(coeff, term, expr.span)

    def _t_Compare(self, expr: syntax.Compare, scope: Scope, hint: core.Sort | None) -> Checking[core.Term]:
        lhs, rhs = yield from self._pair(expr.left, expr.right, scope, None)
        if expr.op in ("=", "!="):
            if not self._same_sort(lhs, rhs, expr, f"'{expr.op}' needs both sides of one sort"):
                return hole(expr.span)
            equal = core.Eq(lhs, rhs, expr.span)
            return equal if expr.op == "=" else core.Not(equal, expr.span)
        fine = self._numeric(lhs, expr.left, expr.op) and self._numeric(rhs, expr.right, expr.op)
        if not (fine and self._same_sort(lhs, rhs, expr)):
            return hole(expr.span)
        return core.Compare(expr.op, lhs, rhs, expr.span)

    def _t_Quant(self, expr: syntax.Quant, scope: Scope, hint: core.Sort | None) -> Checking[core.Term]:
        variables, inner = self._bind(expr.binders, scope)
        body = yield expr.body, inner, core.BOOL
        self._want(body, core.BOOL, expr.body, f"the body of '{expr.kind}'")
        return core.Quant(core.QuantKind(expr.kind), variables, body, expr.span)

    def _t_Ite(self, expr: syntax.Ite, scope: Scope, hint: core.Sort | None) -> Checking[core.Term]:
        cond = yield expr.cond, scope, core.BOOL
        self._want(cond, core.BOOL, expr.cond, "the condition of 'if'")
        then, else_ = yield from self._pair(expr.then, expr.else_, scope, hint)
        if not self._same_sort(then, else_, expr, "the branches of 'if' must have one sort"):
            return hole(expr.span)
        return core.Ite(cond, then, else_, expr.span)

    # ------------------------------------------------------------ application

    def _t_Apply(self, expr: syntax.Apply, scope: Scope, hint: core.Sort | None) -> Checking[core.Term]:
        if expr.fn in core.BUILTINS:
            return (yield from self._builtin(expr, scope))
        target = self._callee(expr, scope)
        if isinstance(target, core.Definition):
            return (yield from self._def_call(target, expr, scope))
        if isinstance(target, core.Symbol):
            return (yield from self._app(target, expr, scope))
        if isinstance(target, core.Sort):
            self._error(codes.NOT_A_FUNCTION, f"'{expr.fn}' is a sort, not a function", expr.fn_span or expr.span)
        return (yield from self._loose(expr, scope))

    def _callee(self, expr: syntax.Apply, scope: Scope) -> Value | None:
        """What the applied name means here; None (with a diagnostic) when nothing can be applied."""
        name, span = expr.fn, expr.fn_span or expr.span
        if name in scope:
            self._error(codes.ARITY, f"'{name}' is a variable of sort {scope[name].sort}, not a function, "
                        f"so it takes no arguments, given {len(expr.args)}", span)
            return None
        if name in core.BUILTIN_SORTS:
            self._error(codes.NOT_A_FUNCTION, f"'{name}' is a type, not a function", span)
            return None
        return self._lookup(name, span, scope)

    def _loose(self, expr: syntax.Apply, scope: Scope) -> Checking[core.Term]:
        """Check the arguments of an application that failed, for independent errors only."""
        for arg in expr.args:
            yield arg, scope, None
        return hole(expr.span)

    def _app(self, symbol: core.Symbol, expr: syntax.Apply, scope: Scope) -> Checking[core.Term]:
        given = len(expr.args)
        if symbol.arity == 0:
            self._error(codes.ARITY, f"'{symbol.name}' is a {KIND_WORDS[symbol.kind.value]} "
                        f"({symbol.signature()}) and takes no arguments, given {given}",
                        expr.span, help=f"write {symbol.name} without parentheses")
            return (yield from self._loose(expr, scope))
        if given != symbol.arity:
            self._error(codes.ARITY, f"'{symbol.name}' takes {count(symbol.arity)} "
                        f"({symbol.signature()}), given {given}", expr.span)
            return (yield from self._loose(expr, scope))
        args = yield from self._args(expr, symbol.args, scope, symbol.signature())
        return core.App(symbol, args, expr.span)

    def _def_call(self, defn: core.Definition, expr: syntax.Apply, scope: Scope) -> Checking[core.Term]:
        shape = f"{defn.name}({', '.join(f'{p.name}: {p.sort}' for p in defn.params)})"
        if len(expr.args) != len(defn.params):
            takes = (f"takes {count(len(defn.params))} ({shape})" if defn.params
                     else "has no parameters and takes no arguments")
            self._error(codes.ARITY, f"'{defn.name}' {takes}, given {len(expr.args)}", expr.span,
                        help=None if defn.params else f"write {defn.name} without parentheses")
            return (yield from self._loose(expr, scope))
        args = yield from self._args(expr, tuple(p.sort for p in defn.params), scope, shape)
        return core.DefCall(defn, args, expr.span)

    def _args(self, expr: syntax.Apply, sorts: tuple[core.Sort, ...], scope: Scope,
              shape: str) -> Checking[tuple[core.Term, ...]]:
        """The arguments, each checked against its sort in `sorts`."""
        terms = []
        for index, (arg, sort) in enumerate(zip(expr.args, sorts), start=1):
            term = yield arg, scope, sort
            self._want(term, sort, arg, f"argument {index} of '{expr.fn}'", help=shape)
            terms.append(term)
        return tuple(terms)


_FAMILY = {"-": "+"}  # operators that chain together into one term (the others chain only with themselves)
_EXPR_TYPES = (syntax.Name, syntax.Number, syntax.BoolLit, syntax.Apply, syntax.Via, syntax.Unary,
               syntax.Binary, syntax.Compare, syntax.Quant, syntax.Ite)
