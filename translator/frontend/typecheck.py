"""Stage 2: names and types. Parsed modules (`syntax`) in, a typed `core.Program` out.

The checker walks every declaration of every module in dependency order (the
loader's order: imports first, the root file last), resolves each name to the
declaration it means, gives every term a sort and builds the core term. It
collects every diagnostic instead of stopping at the first: after an error an
expression becomes a placeholder of the internal sort `ERROR`, which every
later check accepts silently, so one mistake gives one diagnostic.

Definitions stay `DefCall`s and built-ins stay `BuiltinCall`s; `expand` (a
later stage) unfolds them. The checks of built-in calls live in
`typecheck_builtins`, and helpers that need no checker state in `typecheck_util`.
"""
from __future__ import annotations

import difflib
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

from ..logic import core
from . import diagnostics as codes
from . import syntax
from .diagnostics import Diagnostic
from .source import Span
from .typecheck_builtins import BuiltinChecks
from .typecheck_util import (
    ERROR,
    KIND_WORDS,
    MIX_HELP,
    RESERVED_NAMES,
    Scope,
    Value,
    count,
    flexible,
    fold,
    hole,
    literal_sort,
    mentions,
    numeric_sort,
    operand_exprs,
    show,
    where,
)

STACK_FRAMES = 20_000  # room for the deepest expression the parser accepts, a few frames per level
EXPECTATIONS = {"claim": ("proved", "counterexample"), "example": ("witness", "none")}


def check_program(modules: Sequence[syntax.Module]) -> tuple[core.Program | None, list[Diagnostic]]:
    """Type-check `modules` (dependency order, root last) into one program.

    Returns the program and no diagnostics, or None and every diagnostic found.
    """
    checker = _Checker()
    try:
        with _stack_room(STACK_FRAMES):
            program = checker.run(modules)
    except RecursionError:
        path = modules[-1].path if modules else None
        checker.diags.append(Diagnostic(codes.TOO_DEEP, "expression nested too deeply to type-check",
                                        path=path, help="split it with a `def`"))
    if checker.diags:
        return None, checker.diags
    return program, []


@contextmanager
def _stack_room(frames: int) -> Iterator[None]:
    """Raise Python's recursion limit to at least `frames` while checking, then restore it."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, frames))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


@dataclass(frozen=True)
class _Entry:
    """Where a global name is first declared: `key` is (declaration index, element index)."""

    kind: str  # "sort" | "element" | "const" | "fun" | "pred" | "bridge" | "def"
    key: tuple[int, int]
    span: Span | None

    @property
    def position(self) -> int:
        return self.key[0]


class _Checker(BuiltinChecks):
    """The state of one `check_program` call: the name table, the results, the diagnostics."""

    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []
        self.reported: set[tuple] = set()
        self.uid = 1
        self.position = 0
        self.current_def: str | None = None
        self.entries: dict[str, _Entry] = {}
        self.values: dict[str, Value] = {}
        self.def_deps: dict[str, list[str]] = {}
        self.cycles_reported: set[frozenset[str]] = set()
        self.statement_spans: dict[str, Span | None] = {}
        self.sorts: list[core.Sort] = []
        self.symbols: list[core.Symbol] = []
        self.definitions: list[core.Definition] = []
        self.axioms: list[core.Axiom] = []
        self.queries: list[core.Query] = []

    # ------------------------------------------------------------ driver

    def run(self, modules: Sequence[syntax.Module]) -> core.Program:
        decls = [(module, decl) for module in modules for decl in module.decls]
        self._declare_all(decl for _, decl in decls)
        root = modules[-1] if modules else None
        for position, (module, decl) in enumerate(decls):
            self.position = position
            if isinstance(decl, syntax.QueryDecl):
                self._query(decl, module.path, module is root)
            elif not isinstance(decl, syntax.Import):
                getattr(self, "_" + type(decl).__name__)(decl)
        return core.Program(root.path if root else "", tuple(self.sorts), tuple(self.symbols),
                            tuple(self.definitions), tuple(self.axioms), tuple(self.queries),
                            next_uid=self.uid)

    def _declare_all(self, decls: Iterator[syntax.Decl]) -> None:
        """Record where each global name is first declared, and which defs each def mentions."""
        bodies = []
        for position, decl in enumerate(decls):
            for sub, (name, kind, span) in enumerate(_declared_names(decl)):
                if name not in RESERVED_NAMES:
                    self.entries.setdefault(name, _Entry(kind, (position, sub), span))
            if isinstance(decl, syntax.DefDecl):
                bodies.append((position, decl))
        for position, decl in bodies:
            entry = self.entries.get(decl.name)
            if entry is not None and entry.key == (position, 0):
                bound = frozenset(b.name for b in decl.params)
                self.def_deps[decl.name] = [n for n in mentions(decl.body, bound)
                                            if n in self.entries and self.entries[n].kind == "def"]

    # ------------------------------------------------------------ diagnostics

    def _error(self, code: str, message: str, span: Span | None, help: str | None = None) -> core.Var:
        """Record a diagnostic (once) and return a placeholder term for the failed expression."""
        key = (code, message, span)
        if key not in self.reported:
            self.reported.add(key)
            self.diags.append(Diagnostic(code, message, span, help))
        return hole(span)

    def _own(self, name: str, sub: int, span: Span | None) -> bool:
        """True when this declaration is the one that declares `name` (not reserved, not a duplicate)."""
        if name in RESERVED_NAMES:
            word = "type" if name in core.BUILTIN_SORTS else "built-in"
            self._error(codes.RESERVED, f"'{name}' is the name of a {word} and cannot be declared",
                        span, help="choose another name")
            return False
        first = self.entries[name]
        if first.key != (self.position, sub):
            self._duplicate(name, first.span, span)
            return False
        return True

    def _own_statement(self, name: str, span: Span | None) -> None:
        """Axiom, claim and example names share one namespace of their own."""
        if name in self.statement_spans:
            self._duplicate(name, self.statement_spans[name], span)
        else:
            self.statement_spans[name] = span

    def _duplicate(self, name: str, first: Span | None, span: Span | None) -> None:
        self._error(codes.DUPLICATE, f"duplicate declaration of '{name}' (first declared at {where(first)})",
                    span, help="rename one of the two declarations")

    # ------------------------------------------------------------ declarations

    def _SortDecl(self, decl: syntax.SortDecl) -> None:
        sort = core.Sort(decl.name, decl.elements)
        if self._own(decl.name, 0, decl.name_span or decl.span):
            self.values[decl.name] = sort
            self.sorts.append(sort)
        for index, element in enumerate(decl.elements or ()):
            spans = decl.element_spans
            span = spans[index] if index < len(spans) else decl.span
            symbol = core.Symbol(element, (), sort, core.SymbolKind.ELEMENT, span)
            if self._own(element, index + 1, span):
                self.values[element] = symbol
                self.symbols.append(symbol)

    def _SymbolDecl(self, decl: syntax.SymbolDecl) -> None:
        owned = self._own(decl.name, 0, decl.name_span or decl.span)
        args = tuple(self._type(ref) for ref in decl.args)
        result = core.BOOL if decl.kind == "pred" else self._type(decl.result)
        if decl.kind == "bridge":
            self._check_bridge(decl, args, result)
        symbol = core.Symbol(decl.name, args, result, core.SymbolKind(decl.kind), decl.span, decl.doc)
        if owned:
            self.values[decl.name] = symbol
            self.symbols.append(symbol)

    def _check_bridge(self, decl: syntax.SymbolDecl, args: tuple[core.Sort, ...], result: core.Sort) -> None:
        if len(args) != 1:
            self._error(codes.BAD_BRIDGE, f"bridge '{decl.name}' must map one sort to another, "
                        f"but it takes {count(len(args))}", decl.span,
                        help="a bridge is unary, e.g. `bridge b: Sigma -> S`")
            return
        for ref, sort in zip((decl.args[0], decl.result), (args[0], result)):
            if sort.builtin and sort != ERROR:
                self._error(codes.BAD_BRIDGE, f"bridge '{decl.name}' must map between declared sorts, "
                            f"but {sort} is a built-in type", ref.span or decl.span,
                            help="declare a sort for it, or use `fun` for a map to or from numbers")

    def _DefDecl(self, decl: syntax.DefDecl) -> None:
        owned = self._own(decl.name, 0, decl.name_span or decl.span)
        self.current_def = decl.name if owned else None
        params, scope = self._bind(decl.params, {})
        body = self._term(decl.body, scope, None)
        self.current_def = None
        definition = core.Definition(decl.name, params, body, decl.span, decl.doc)
        if owned:
            self.values[decl.name] = definition
            self.definitions.append(definition)

    def _AxiomDecl(self, decl: syntax.AxiomDecl) -> None:
        self._own_statement(decl.name, decl.name_span or decl.span)
        formula = self._formula(decl.formula, {}, f"the formula of axiom '{decl.name}'")
        self.axioms.append(core.Axiom(decl.name, formula, decl.span, decl.doc))

    def _query(self, decl: syntax.QueryDecl, path: str, is_root: bool) -> None:
        self._own_statement(decl.name, decl.name_span or decl.span)
        formula = self._formula(decl.formula, {}, f"the formula of {decl.kind} '{decl.name}'")
        expect = self._expectation(decl)
        within = self._within(decl)
        if is_root:
            self.queries.append(core.Query(core.QueryKind(decl.kind), decl.name, formula, expect,
                                           within, path, decl.span, decl.doc))

    def _expectation(self, decl: syntax.QueryDecl) -> str:
        allowed = EXPECTATIONS[decl.kind]
        if decl.expect is None or decl.expect in allowed:
            return decl.expect or allowed[0]
        article = "an" if decl.kind == "example" else "a"
        self._error(codes.BAD_EXPECT, f"{article} {decl.kind} can expect '{allowed[0]}' or '{allowed[1]}', "
                    f"not '{decl.expect}'", decl.expect_span or decl.span,
                    help=f"write `expect {allowed[1]}`, or leave `expect` out to expect {allowed[0]}")
        return allowed[0]

    def _within(self, decl: syntax.QueryDecl) -> int | None:
        within = decl.within
        if within is None:
            return None
        if isinstance(within, bool) or not isinstance(within, int) or within < 1:
            self._error(codes.BAD_WITHIN, f"`within` needs a positive whole number, not {within}",
                        decl.within_span or decl.span, help="e.g. `within 3`")
            return None
        return within

    # ------------------------------------------------------------ names and types

    def _type(self, ref: syntax.TypeRef) -> core.Sort:
        """The sort a written type names; ERROR (with a diagnostic) when it names none."""
        if ref.name in core.BUILTIN_SORTS:
            return core.BUILTIN_SORTS[ref.name]
        entry = self.entries.get(ref.name)
        if entry is None:
            pool = [n for n, e in self.entries.items() if e.kind == "sort" and e.position < self.position]
            self._undeclared(ref.name, ref.span, pool + list(core.BUILTIN_SORTS))
        elif entry.kind != "sort":
            self._error(codes.TYPE_MISMATCH, f"'{ref.name}' is a {KIND_WORDS[entry.kind]}, not a sort",
                        ref.span, help="a type is a declared sort or one of Real, Int, Bool")
        elif entry.position >= self.position:
            self._forward(ref.name, entry, ref.span)
        else:
            return self.values[ref.name]
        return ERROR

    def _lookup(self, name: str, span: Span | None, scope: Scope) -> Value | None:
        """The global declaration `name` means here; None (with a diagnostic) if there is none yet."""
        entry = self.entries.get(name)
        if entry is None:
            self._undeclared(name, span, self._names_in_scope(scope))
            return None
        if entry.position < self.position:
            return self.values[name]
        if entry.kind == "def" and self.current_def is not None:
            cycle = self._cycle(name)
            if cycle is not None:
                self._recursive(cycle, span)
                return None
        self._forward(name, entry, span)
        return None

    def _names_in_scope(self, scope: Scope) -> list[str]:
        earlier = [n for n, e in self.entries.items() if e.position < self.position]
        return list(scope) + earlier + list(core.BUILTINS)

    def _undeclared(self, name: str, span: Span | None, pool: list[str]) -> None:
        close = difflib.get_close_matches(name, pool, n=1)
        self._error(codes.UNDECLARED, f"'{name}' is not declared", span,
                    help=f"did you mean '{close[0]}'?" if close else None)

    def _forward(self, name: str, entry: _Entry, span: Span | None) -> None:
        same_file = entry.span is not None and span is not None and entry.span.path == span.path
        place = f"{entry.span.line}:{entry.span.column}" if same_file else where(entry.span)
        help = (f"move the declaration of '{name}' above its first use" if same_file
                else f"import the file that declares '{name}', or move the declaration")
        self._error(codes.FORWARD_REFERENCE, f"'{name}' is used before its declaration at {place}",
                    span, help=help)

    def _cycle(self, start: str) -> list[str] | None:
        """The shortest chain of defs from the def being checked through `start` back to it."""
        goal = self.current_def
        parents: dict[str, str | None] = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                path = [node]
                while parents[path[-1]] is not None:
                    path.append(parents[path[-1]])
                return [goal] + path[::-1]
            for following in self.def_deps.get(node, ()):
                if following not in parents:
                    parents[following] = node
                    queue.append(following)
        return None

    def _recursive(self, cycle: list[str], span: Span | None) -> None:
        members = frozenset(cycle)
        if members in self.cycles_reported:
            return
        self.cycles_reported.add(members)
        self._error(codes.RECURSIVE_DEF, f"definition '{cycle[0]}' is recursive: {' -> '.join(cycle)}",
                    span, help="a def is unfolded like a macro, so it cannot reach itself; "
                    "declare a `fun` and constrain it with an axiom instead")

    def _bind(self, binders: Sequence[syntax.Binder], scope: Scope) -> tuple[tuple[core.Var, ...], Scope]:
        """Fresh variables for a binder list, and the scope their body sees."""
        inner = dict(scope)
        fresh: list[core.Var] = []
        for binder in binders:
            sort = self._type(binder.type)
            if any(var.name == binder.name for var in fresh):
                self._error(codes.DUPLICATE_BINDER, f"'{binder.name}' is bound twice in one binder list",
                            binder.span, help="rename one of them")
                continue
            if binder.name in RESERVED_NAMES:  # reported, but still bound so its uses raise nothing more
                self._error(codes.RESERVED, f"'{binder.name}' is a built-in name and cannot be bound",
                            binder.span, help="choose another name")
            var = core.Var(binder.name, sort, self.uid, binder.span)
            self.uid += 1
            fresh.append(var)
            inner[binder.name] = var
        return tuple(fresh), inner

    # ------------------------------------------------------------ checks shared by expressions

    def _formula(self, expr: syntax.Expr, scope: Scope, what: str) -> core.Term:
        term = self._term(expr, scope, core.BOOL)
        self._want(term, core.BOOL, expr, what)
        return term

    def _want(self, term: core.Term, sort: core.Sort, expr: syntax.Expr, what: str,
              help: str | None = None) -> bool:
        """Check that `term` (written `expr`) has `sort`; `what` names the place in the message."""
        found = term.sort
        if found == sort or ERROR in (found, sort):
            return True
        if found.is_numeric and sort.is_numeric:
            self._error(codes.NUMERIC_MIX, f"cannot mix Int and Real: {what} must be {sort}, "
                        f"but {show(expr)} is {found}", expr.span, help=help or MIX_HELP)
        else:
            wanted = "a formula (Bool)" if sort == core.BOOL else f"of sort {sort}"
            self._error(codes.TYPE_MISMATCH, f"{what} must be {wanted}, but {show(expr)} has sort {found}",
                        expr.span, help=help)
        return False

    def _numeric(self, term: core.Term, expr: syntax.Expr, op: str) -> bool:
        if term.sort.is_numeric:
            return True
        if term.sort != ERROR:
            self._error(codes.NOT_NUMERIC, f"'{op}' needs numbers, but {show(expr)} has sort {term.sort}",
                        expr.span)
        return False

    def _same_sort(self, left: core.Term, right: core.Term, node,
                   what: str = "both sides must have one sort") -> bool:
        """Check that two operands of `node` share a sort; `what` says why they must."""
        a, b = left.sort, right.sort
        if a == b:
            return True
        if ERROR in (a, b):
            return False
        lhs, rhs = operand_exprs(node)
        if a.is_numeric and b.is_numeric:
            self._error(codes.NUMERIC_MIX, f"cannot mix Int and Real: {show(lhs)} is {a}, {show(rhs)} is {b}",
                        node.span, help=MIX_HELP)
        else:
            self._error(codes.TYPE_MISMATCH, f"{what}, but {show(lhs)} has sort {a} and {show(rhs)} "
                        f"has sort {b}", node.span)
        return False

    def _pair(self, left: syntax.Expr, right: syntax.Expr, scope: Scope,
              hint: core.Sort | None) -> tuple[core.Term, core.Term]:
        """Check two operands that must share a sort: a literal side takes the other side's type."""
        if flexible(left) and flexible(right):
            shared = hint if numeric_sort(hint) else literal_sort(left, right)
            return self._term(left, scope, shared), self._term(right, scope, shared)
        if flexible(left):
            rhs = self._term(right, scope, None)
            return self._term(left, scope, rhs.sort), rhs
        lhs = self._term(left, scope, None)
        return lhs, self._term(right, scope, lhs.sort)

    # ------------------------------------------------------------ expressions

    def _term(self, expr: syntax.Expr, scope: Scope, hint: core.Sort | None) -> core.Term:
        """The core term for `expr`. `hint` is the sort the context asks for; only literals follow it."""
        return getattr(self, "_t_" + type(expr).__name__)(expr, scope, hint)

    def _t_Name(self, expr: syntax.Name, scope: Scope, hint) -> core.Term:
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

    def _t_Number(self, expr: syntax.Number, scope: Scope, hint) -> core.Term:
        try:
            value = Fraction(expr.text)
        except (ValueError, ZeroDivisionError):
            return self._error(codes.BAD_LITERAL, f"'{expr.text}' is not a number", expr.span)
        # An integer literal takes the numeric type asked for; a decimal is always Real,
        # and a Real where an Int is wanted is reported by the caller, naming both sides.
        sort = core.REAL if expr.is_real else (hint if numeric_sort(hint) else core.INT)
        return core.NumLit(value, sort, expr.span)

    def _t_BoolLit(self, expr: syntax.BoolLit, scope: Scope, hint) -> core.Term:
        return core.BoolLit(expr.value, expr.span)

    def _t_Via(self, expr: syntax.Via, scope: Scope, hint) -> core.Term:
        return self._error(codes.TYPE_MISMATCH, "'via' may only follow the last function argument "
                           "of agree or agree_on", expr.span, help="write agree(f, g via b)")

    def _t_Unary(self, expr: syntax.Unary, scope: Scope, hint) -> core.Term:
        if expr.op == "not":
            return core.Not(self._formula(expr.arg, scope, "the operand of 'not'"), expr.span)
        arg = self._term(expr.arg, scope, hint)
        if isinstance(expr.arg, syntax.Number) and isinstance(arg, core.NumLit):
            return core.NumLit(-arg.value, arg.sort, expr.span)
        if not self._numeric(arg, expr.arg, "-"):
            return hole(expr.span)
        return core.Neg(arg, expr.span)

    def _t_Binary(self, expr: syntax.Binary, scope: Scope, hint) -> core.Term:
        if expr.op in ("and", "or"):
            return self._connective(expr, scope)
        if expr.op in ("->", "<->"):
            lhs = self._formula(expr.left, scope, f"each side of '{expr.op}'")
            rhs = self._formula(expr.right, scope, f"each side of '{expr.op}'")
            return (core.Implies if expr.op == "->" else core.Iff)(lhs, rhs, expr.span)
        if expr.op == "*":
            return self._product(expr, scope, hint)
        return self._sum(expr, scope, hint)

    def _connective(self, expr: syntax.Binary, scope: Scope) -> core.Term:
        cls = core.And if expr.op == "and" else core.Or
        lhs = self._formula(expr.left, scope, f"each side of '{expr.op}'")
        rhs = self._formula(expr.right, scope, f"each side of '{expr.op}'")
        args = (lhs.args if isinstance(lhs, cls) else (lhs,)) + (rhs,)
        return cls(args, expr.span)

    def _sum(self, expr: syntax.Binary, scope: Scope, hint) -> core.Term:
        lhs, rhs = self._pair(expr.left, expr.right, scope, hint)
        fine = self._numeric(lhs, expr.left, expr.op) and self._numeric(rhs, expr.right, expr.op)
        if not (fine and self._same_sort(lhs, rhs, expr)):
            return hole(expr.span)
        if expr.op == "-":
            rhs = core.Neg(rhs, expr.right.span)
        return core.Add((lhs.args if isinstance(lhs, core.Add) else (lhs,)) + (rhs,), expr.span)

    def _product(self, expr: syntax.Binary, scope: Scope, hint) -> core.Term:
        coeff = fold(expr.left)
        coeff_expr, other = expr.left, expr.right
        if coeff is None:
            coeff, coeff_expr, other = fold(expr.right), expr.right, expr.left
        if coeff is None:
            return self._error(codes.NONLINEAR, f"'*' needs a numeric literal on one side, but "
                               f"{show(expr.left)} and {show(expr.right)} are both terms", expr.span,
                               help="arithmetic is linear: multiply by a number, e.g. 2 * x")
        inner = (hint if numeric_sort(hint) else literal_sort(expr)) if flexible(other) else None
        term = self._term(other, scope, inner)
        if not self._numeric(term, other, "*"):
            return hole(expr.span)
        if term.sort == core.INT and literal_sort(coeff_expr) == core.REAL:
            return self._error(codes.NUMERIC_MIX, f"cannot mix Int and Real: {show(coeff_expr)} is Real, "
                               f"{show(other)} is Int", expr.span, help=MIX_HELP)
        return core.Scale(coeff, term, expr.span)

    def _t_Compare(self, expr: syntax.Compare, scope: Scope, hint) -> core.Term:
        lhs, rhs = self._pair(expr.left, expr.right, scope, None)
        if expr.op in ("=", "!="):
            if not self._same_sort(lhs, rhs, expr, f"'{expr.op}' needs both sides of one sort"):
                return hole(expr.span)
            equal = core.Eq(lhs, rhs, expr.span)
            return equal if expr.op == "=" else core.Not(equal, expr.span)
        fine = self._numeric(lhs, expr.left, expr.op) and self._numeric(rhs, expr.right, expr.op)
        if not (fine and self._same_sort(lhs, rhs, expr)):
            return hole(expr.span)
        return core.Compare(expr.op, lhs, rhs, expr.span)

    def _t_Quant(self, expr: syntax.Quant, scope: Scope, hint) -> core.Term:
        variables, inner = self._bind(expr.binders, scope)
        body = self._formula(expr.body, inner, f"the body of '{expr.kind}'")
        return core.Quant(core.QuantKind(expr.kind), variables, body, expr.span)

    def _t_Ite(self, expr: syntax.Ite, scope: Scope, hint) -> core.Term:
        cond = self._formula(expr.cond, scope, "the condition of 'if'")
        then, else_ = self._pair(expr.then, expr.else_, scope, hint)
        if not self._same_sort(then, else_, expr, "the branches of 'if' must have one sort"):
            return hole(expr.span)
        return core.Ite(cond, then, else_, expr.span)

    # ------------------------------------------------------------ application

    def _t_Apply(self, expr: syntax.Apply, scope: Scope, hint) -> core.Term:
        if expr.fn in core.BUILTINS:
            return self._builtin(expr, scope)
        target = self._callee(expr, scope)
        if isinstance(target, core.Definition):
            return self._def_call(target, expr, scope)
        if isinstance(target, core.Symbol):
            return self._app(target, expr, scope)
        if isinstance(target, core.Sort):
            self._error(codes.NOT_A_FUNCTION, f"'{expr.fn}' is a sort, not a function", expr.fn_span or expr.span)
        return self._loose(expr, scope)

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

    def _loose(self, expr: syntax.Apply, scope: Scope) -> core.Term:
        """Check the arguments of an application that failed, for independent errors only."""
        for arg in expr.args:
            self._term(arg, scope, None)
        return hole(expr.span)

    def _app(self, symbol: core.Symbol, expr: syntax.Apply, scope: Scope) -> core.Term:
        given = len(expr.args)
        if symbol.arity == 0:
            self._error(codes.ARITY, f"'{symbol.name}' is a {KIND_WORDS[symbol.kind.value]} "
                        f"({symbol.signature()}) and takes no arguments, given {given}",
                        expr.span, help=f"write {symbol.name} without parentheses")
            return self._loose(expr, scope)
        if given != symbol.arity:
            self._error(codes.ARITY, f"'{symbol.name}' takes {count(symbol.arity)} "
                        f"({symbol.signature()}), given {given}", expr.span)
            return self._loose(expr, scope)
        args = self._args(expr, symbol.args, scope, symbol.signature())
        return core.App(symbol, args, expr.span)

    def _def_call(self, defn: core.Definition, expr: syntax.Apply, scope: Scope) -> core.Term:
        shape = f"{defn.name}({', '.join(f'{p.name}: {p.sort}' for p in defn.params)})"
        if len(expr.args) != len(defn.params):
            takes = (f"takes {count(len(defn.params))} ({shape})" if defn.params
                     else "has no parameters and takes no arguments")
            self._error(codes.ARITY, f"'{defn.name}' {takes}, given {len(expr.args)}", expr.span,
                        help=None if defn.params else f"write {defn.name} without parentheses")
            return self._loose(expr, scope)
        args = self._args(expr, tuple(p.sort for p in defn.params), scope, shape)
        return core.DefCall(defn, args, expr.span)

    def _args(self, expr: syntax.Apply, sorts: tuple[core.Sort, ...], scope: Scope,
              shape: str) -> tuple[core.Term, ...]:
        terms = []
        for index, (arg, sort) in enumerate(zip(expr.args, sorts), start=1):
            term = self._term(arg, scope, sort)
            self._want(term, sort, arg, f"argument {index} of '{expr.fn}'", help=shape)
            terms.append(term)
        return tuple(terms)


# ---------------------------------------------------------------- declarations


def _declared_names(decl: syntax.Decl) -> list[tuple[str, str, Span | None]]:
    """The global names a declaration introduces, with their kind and span, in order."""
    if isinstance(decl, syntax.SortDecl):
        spans = decl.element_spans
        elements = [(e, "element", spans[i] if i < len(spans) else decl.span)
                    for i, e in enumerate(decl.elements or ())]
        return [(decl.name, "sort", decl.name_span or decl.span)] + elements
    if isinstance(decl, syntax.SymbolDecl):
        return [(decl.name, decl.kind, decl.name_span or decl.span)]
    if isinstance(decl, syntax.DefDecl):
        return [(decl.name, "def", decl.name_span or decl.span)]
    return []
