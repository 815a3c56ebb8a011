"""Stage 2: names and types. Parsed modules (`syntax`) in, a typed `core.Program` out.

The checker walks every declaration of every module in dependency order (the
loader's order: imports first, the root file last), resolves each name to the
declaration it means, gives every term a sort and builds the core term. It
collects every diagnostic instead of stopping at the first: after an error an
expression becomes a placeholder of the internal sort `ERROR`, which every
later check accepts silently, so one mistake gives one diagnostic.

The checker is built in layers, each a module: `typecheck_base` (state, names,
sorts, diagnostics), `typecheck_builtins` (agree, maximizes, ...),
`typecheck_terms` (expressions, checked with an explicit stack: nothing
recurses on the depth of the input) and this one (declarations). Definitions
stay `DefCall`s and built-ins stay `BuiltinCall`s; `expand` (a later stage)
unfolds them.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ..logic import core
from . import diagnostics as codes
from . import syntax
from .diagnostics import Diagnostic
from .elsewhere import Elsewhere
from .source import Span
from .typecheck_base import Entry
from .typecheck_readings import BASE, QUERY_EXPECTATIONS, ReadingChecks
from .typecheck_util import ERROR, RESERVED_NAMES, count, mentions, where

EXPECTATIONS = {"claim": ("proved", "counterexample"), "example": ("witness", "none")}


def check_program(modules: Sequence[syntax.Module], others: Mapping[str, syntax.Module] | None = None,
                  ) -> tuple[core.Program | None, list[Diagnostic]]:
    """Type-check `modules` (dependency order, root last) into one program.

    `others` are the other files the loader read (`Loaded.modules`): a name none of
    `modules` declares is looked up there for the hint, as in the directories of `modules`.
    Returns the program and no diagnostics, or None and every diagnostic found.
    """
    checker = _Checker(Elsewhere([m.path for m in modules], others or {}))
    program = checker.run(modules)
    if checker.diags:
        return None, checker.diags
    return program, []


class _Checker(ReadingChecks):
    """One `check_program` call: the declarations, in order, into the program's parts."""

    def __init__(self, elsewhere: Elsewhere) -> None:
        super().__init__(elsewhere)
        self._start_terms()
        self._start_readings()
        self.statement_spans: dict[str, Span | None] = {}
        self.sorts: list[core.Sort] = []
        self.symbols: list[core.Symbol] = []
        self.definitions: list[core.Definition] = []
        self.axioms: list[core.Axiom] = []
        self.queries: list[core.Query] = []

    # ------------------------------------------------------------ driver

    def run(self, modules: Sequence[syntax.Module]) -> core.Program:
        decls = [(module, decl) for module in modules for decl in module.decls]
        for module in modules:
            for name, span in module.unparsed:
                self.unparsed.setdefault(name, span)
        self._declare_all(decl for _, decl in decls)
        root = modules[-1] if modules else None
        for position, (module, decl) in enumerate(decls):
            self.position = position
            if isinstance(decl, syntax.QueryDecl):
                self._query(decl, module.path, module is root)
            elif isinstance(decl, syntax.Reading):
                self._Reading(decl, module.path, module is root)
            elif not isinstance(decl, syntax.Import):
                getattr(self, "_" + type(decl).__name__)(decl)
        program = core.Program(root.path if root else "", tuple(self.sorts), tuple(self.symbols),
                               tuple(self.definitions), tuple(self.axioms), tuple(self.queries),
                               next_uid=self.uid, lemmas=tuple(self.lemmas))
        return self._with_readings(program)

    def _declare_all(self, decls: Iterable[syntax.Decl]) -> None:
        """Record where each global name is first declared, and which defs each def mentions."""
        bodies = []
        for position, decl in enumerate(decls):
            self._note(decl)
            for sub, (name, kind, span) in enumerate(_declared_names(decl)):
                if name not in RESERVED_NAMES:
                    self.entries.setdefault(name, Entry(kind, (position, sub), span))
            if isinstance(decl, syntax.DefDecl):
                bodies.append((position, decl))
        for position, decl in bodies:
            entry = self.entries.get(decl.name)
            if entry is not None and entry.key == (position, 0):
                bound = frozenset(b.name for b in decl.params)
                self.def_deps[decl.name] = [n for n in mentions(decl.body, bound)
                                            if n in self.entries and self.entries[n].kind == "def"]

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
        body = self._check(decl.body, scope, None)
        self.current_def = None
        definition = core.Definition(decl.name, params, body, decl.span, decl.doc)
        if owned:
            self.values[decl.name] = definition
            self.definitions.append(definition)

    def _AxiomDecl(self, decl: syntax.AxiomDecl) -> None:
        self._own_statement(decl.name, decl.name_span or decl.span)
        formula = self._check_formula(decl.formula, {}, f"the formula of axiom '{decl.name}'")
        self.axioms.append(core.Axiom(decl.name, formula, decl.span, decl.doc))
        self.keys["axioms"].setdefault(decl.name, (self.position, 0))

    def _query(self, decl: syntax.QueryDecl, path: str, is_root: bool) -> None:
        self._own_statement(decl.name, decl.name_span or decl.span)
        formula = self._check_formula(decl.formula, {}, f"the formula of {decl.kind} '{decl.name}'")
        decl = self._pinned_base(decl)
        lemma = decl.kind == "lemma"
        if lemma:
            self._lemma_rules(decl)
        expect = "proved" if lemma else self._expectation(decl)
        within = None if lemma else self._within(decl)
        query = self._core_query(decl, formula, expect, within, path)
        if lemma:
            self.lemmas.append(query)
            self.keys["lemmas"].setdefault(decl.name, (self.position, 0))
        if is_root:
            self.queries.append(query)
            self.keys["queries"].setdefault(decl.name, (self.position, 0))

    def _pinned_base(self, decl: syntax.QueryDecl) -> syntax.QueryDecl:
        """`expect V in base` (LANGUAGE.md §6.2 names the program as written the reading `base`): V is
        the expectation under base, checked as an own `expect V` is; the pin stays, so that the
        readings not pinned keep the default expectation. Given beside an own `expect`, an error."""
        pin = next((p for p in decl.pins if p.reading == BASE), None)
        if pin is None:
            return decl
        if decl.expect is not None:
            self._error(codes.BAD_EXPECT, f"the expectation under base is given twice: `expect {decl.expect}` "
                        f"and `expect {pin.verdict} in base`", pin.span or decl.span,
                        help="a claim's own `expect` is its expectation under base: keep one of the two")
            return decl
        return replace(decl, expect=pin.verdict, expect_span=pin.span)

    def _expectation(self, decl: syntax.QueryDecl) -> str:
        allowed = QUERY_EXPECTATIONS[decl.kind]
        if decl.expect is None or decl.expect in allowed:
            return decl.expect or allowed[0]
        article = "an" if decl.kind == "example" else "a"
        self._error(codes.BAD_EXPECT, f"{article} {decl.kind} can expect '{allowed[0]}' or '{allowed[1]}', "
                    f"not '{decl.expect}'", decl.expect_span or decl.span,
                    help=_expect_help(decl, allowed))
        return allowed[0]

    def _within(self, decl: syntax.QueryDecl) -> core.Scope | None:
        within = decl.within
        if within is None and not decl.within_sorts:
            return None
        if within is not None and (isinstance(within, bool) or not isinstance(within, int) or within < 1):
            self._error(codes.BAD_WITHIN, f"`within` needs a positive whole number, not {within}",
                        decl.within_span or decl.span, help="e.g. `within 3`")
            return None
        sizes: dict[str, int] = {}
        for ref, size in decl.within_sorts:
            sort = self._type(ref)
            if sort is ERROR:
                continue
            if not sort.is_uninterpreted:
                self._error(codes.BAD_WITHIN, f"`within` bounds uninterpreted sorts; {ref.name} has a fixed size"
                            if sort.is_finite else f"`within` bounds uninterpreted sorts, not {ref.name}",
                            ref.span, help="name only sorts declared as `sort S`")
            elif sort.name in sizes:
                self._error(codes.BAD_WITHIN, f"`within` gives {ref.name} a size twice", ref.span,
                            help=f"keep one `{ref.name}: N`")
            else:
                sizes[sort.name] = size
        return core.Scope(within, tuple(sizes.items()))


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


def _expect_help(decl: syntax.QueryDecl, allowed: tuple[str, ...]) -> str:
    """What to write for an expectation the query cannot have."""
    if decl.expect == "bounded" and decl.kind != "example":
        return ("`bounded` meets `expect proved` when the claim says `within N`: write `expect proved`, "
                "or leave `expect` out")
    return f"write `expect {allowed[1]}`, or leave `expect` out to expect {allowed[0]}"
