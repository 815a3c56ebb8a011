"""Stage 2, the type checker's ground floor: its state, names, binders, sorts and diagnostics.

`CheckerBase` holds the name table of one `typecheck.check_program` call and
the checks every rule shares: what a name means at a point (`_lookup`,
`_type`: undeclared, used before its declaration, recursive `def`s), fresh
variables for binders (`_bind`), whether a term has the sort its place wants
(`_want`, `_numeric`, `_same_sort`), and recording a diagnostic once
(`_error`). The rules over expressions (`typecheck_terms`), the built-ins
(`typecheck_builtins`) and the declarations (`typecheck`) build on it.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from ..logic import core
from . import diagnostics as codes
from . import syntax
from .diagnostics import Diagnostic
from .elsewhere import Elsewhere
from .source import Span
from .typecheck_util import (
    ERROR,
    KIND_WORDS,
    MIX_HELP,
    RESERVED_NAMES,
    Scope,
    Value,
    close_matches,
    hole,
    operand_exprs,
    show,
    sort_of,
    where,
)


@dataclass(frozen=True)
class Entry:
    """Where a global name is first declared: `key` is (declaration index, element index)."""

    kind: str  # "sort" | "element" | "const" | "fun" | "pred" | "bridge" | "def"
    key: tuple[int, int]
    span: Span | None

    @property
    def position(self) -> int:
        return self.key[0]


class CheckerBase:
    """The state of one type check: the name table, what each name means, the diagnostics."""

    def __init__(self, elsewhere: Elsewhere) -> None:
        self.diags: list[Diagnostic] = []
        self.reported: set[tuple] = set()
        self.uid = 1
        self.position = 0
        self.current_def: str | None = None
        self.entries: dict[str, Entry] = {}
        self.values: dict[str, Value] = {}
        self.def_deps: dict[str, list[str]] = {}
        self.cycles_reported: set[frozenset[str]] = set()
        self.elsewhere = elsewhere
        self.unparsed: dict[str, Span] = {}  # names whose declaration did not parse: where it was

    # ------------------------------------------------------------ diagnostics

    def _error(self, code: str, message: str, span: Span | None, help: str | None = None) -> core.Var:
        """Record a diagnostic (once) and return a placeholder term for the failed expression."""
        key = (code, message, span)
        if key not in self.reported:
            self.reported.add(key)
            self.diags.append(Diagnostic(code, message, span, help))
        return hole(span)

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
            sort = self.values[ref.name]
            assert isinstance(sort, core.Sort)  # entries of kind "sort" hold sorts
            return sort
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
        """`name` is declared nowhere in the program: name the file that declares it, or a close name."""
        failed = self.unparsed.get(name)
        if failed is not None:
            place = f"{failed.line}:{failed.column}" if span is not None and failed.path == span.path else str(failed)
            help: str | None = f"its declaration at {place} did not parse: mend the error reported there"
        else:
            help = self.elsewhere.help(name, span.path) if span is not None else None
        if help is None:
            close = close_matches(name, pool)
            help = f"did you mean '{close[0]}'?" if close else None
        self._error(codes.UNDECLARED, f"'{name}' is not declared", span, help=help)

    def _forward(self, name: str, entry: Entry, span: Span | None) -> None:
        same_file = entry.span is not None and span is not None and entry.span.path == span.path
        place = f"{entry.span.line}:{entry.span.column}" if same_file and entry.span else where(entry.span)
        help = (f"move the declaration of '{name}' above its first use" if same_file
                else f"import the file that declares '{name}', or move the declaration")
        self._error(codes.FORWARD_REFERENCE, f"'{name}' is used before its declaration at {place}",
                    span, help=help)

    def _cycle(self, start: str) -> list[str] | None:
        """The shortest chain of defs from the def being checked through `start` back to it."""
        goal = self.current_def
        if goal is None:
            return None
        parents: dict[str, str | None] = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                path = [node]
                while (parent := parents[path[-1]]) is not None:
                    path.append(parent)
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

    # ------------------------------------------------------------ sorts

    def _want(self, term: core.Term, sort: core.Sort, expr: syntax.Expr, what: str,
              help: str | None = None) -> bool:
        """Check that `term` (written `expr`) has `sort`; `what` names the place in the message."""
        found = sort_of(term)
        if found == sort or ERROR in (found, sort):
            return True
        if found.is_numeric and sort.is_numeric:
            self._error(codes.NUMERIC_MIX, f"cannot mix Int and Real: {what} must be {sort}, "
                        f"but {show(expr)} is {found}", expr.span, help=help or MIX_HELP)
        else:
            wanted = "a formula (Bool)" if sort == core.BOOL else f"of sort {sort}"
            self._error(codes.TYPE_MISMATCH, f"{what} must be {wanted}, but {show(expr)} has sort {found}",
                        expr.span, help="; ".join(h for h in (help, self._bridge_between(found, sort, expr)) if h)
                        or None)
        return False

    def _bridge_between(self, found: core.Sort, wanted: core.Sort, expr: syntax.Expr) -> str | None:
        """The bridge declared above that maps `found` to `wanted`, if any, applied to `expr`."""
        for name, entry in self.entries.items():
            value = self.values.get(name) if entry.kind == "bridge" and entry.position < self.position else None
            if isinstance(value, core.Symbol) and value.args == (found,) and value.result == wanted:
                return f"bridge {name} maps {found} to {wanted}: write {name}({show(expr)})"
        return None

    def _numeric(self, term: core.Term, expr: syntax.Expr, op: str) -> bool:
        sort = sort_of(term)
        if sort.is_numeric:
            return True
        if sort != ERROR:
            self._error(codes.NOT_NUMERIC, f"'{op}' needs numbers, but {show(expr)} has sort {sort}",
                        expr.span)
        return False

    def _same_sort(self, left: core.Term, right: core.Term, node: syntax.Binary | syntax.Compare | syntax.Ite,
                   what: str = "both sides must have one sort") -> bool:
        """Check that two operands of `node` share a sort; `what` says why they must."""
        a, b = sort_of(left), sort_of(right)
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
                        f"has sort {b}", node.span,
                        help=self._bridge_between(b, a, rhs) or self._bridge_between(a, b, lhs))
        return False
