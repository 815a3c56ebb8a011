"""Document symbols: the outline of one file, one entry per declared name.

`SYMBOL_KINDS` maps a declaration's kind word (`index.kind_of`: its `kind`
field, or its class name without `Decl`) to the LSP symbol kind; a new kind
of declaration is one line here (until then it shows as a variable). A
declaration with nested declarations (a `reading`'s defs, axioms and lemmas) shows them as
its children, a finite sort its elements. It hands pygls `DocumentSymbol`s.
"""
from __future__ import annotations

from lsprotocol import types as lsp

from ..frontend import syntax as S
from .analysis import Analysis
from .index import Declaration, declarations, kind_of, nested
from .positions import Positions

K = lsp.SymbolKind
SYMBOL_KINDS: dict[str, lsp.SymbolKind] = {
    "sort": K.Class,
    "finite sort": K.Enum,
    "element": K.EnumMember,
    "const": K.Constant,
    "fun": K.Function,
    "pred": K.Boolean,
    "bridge": K.Interface,
    "def": K.Method,
    "axiom": K.Property,
    "claim": K.Event,
    "example": K.Object,
    "lemma": K.Key,
    "reading": K.Namespace,
}
"""The symbol kind of each kind of declaration (the kind word of `index.kind_of`)."""

FALLBACK_KIND = K.Variable


def document_symbols(analysis: Analysis, positions: Positions) -> list[lsp.DocumentSymbol]:
    """The root document's declarations in order, nested ones as children."""
    module = analysis.module
    if module is None:
        return []
    source = analysis.sources.get(analysis.path)
    out: list[lsp.DocumentSymbol] = []
    # each entry: the declaration and the list its symbol joins (nested declarations join their parent's children)
    stack: list[tuple[object, list[lsp.DocumentSymbol]]] = [(d, out) for d in reversed(module.decls)]
    while stack:
        decl, siblings = stack.pop()
        if isinstance(decl, S.Import):
            continue
        own = declarations(decl, analysis.path)
        if not own or own[0].decl is not decl:
            continue
        symbol = _symbol(own[0], [d for d in own[1:] if d.kind == "element" and d.decl is decl], positions, source)
        siblings.append(symbol)
        inner = list(nested(decl))
        if inner:
            children: list[lsp.DocumentSymbol] = list(symbol.children or ())
            symbol.children = children
            stack.extend((d, children) for d in reversed(inner))
    return out


def _symbol(declared: Declaration, elements: list[Declaration], positions: Positions, source) -> lsp.DocumentSymbol:
    decl = declared.decl
    whole = positions.range(getattr(decl, "span", None) or declared.span, source)
    name = positions.range(declared.span, source)
    kind = "finite sort" if isinstance(decl, S.SortDecl) and decl.elements is not None else kind_of(decl)
    children = [lsp.DocumentSymbol(e.name, SYMBOL_KINDS["element"], positions.range(e.span, source),
                                   positions.range(e.span, source)) for e in elements]
    return lsp.DocumentSymbol(declared.name, SYMBOL_KINDS.get(kind, FALLBACK_KIND), whole, _inside(name, whole),
                              detail=detail(decl), children=children or None)


def _inside(inner: lsp.Range, outer: lsp.Range) -> lsp.Range:
    """The selection range must lie in the range (the protocol requires it): else the range's start."""
    def key(p: lsp.Position) -> tuple[int, int]:
        return p.line, p.character
    if key(outer.start) <= key(inner.start) and key(inner.end) <= key(outer.end):
        return inner
    return lsp.Range(outer.start, outer.start)


def detail(decl: object) -> str:
    """A short signature beside the name: a symbol's type, a def's parameters, a query's expectation."""
    if isinstance(decl, S.SymbolDecl):
        args = ", ".join(t.name for t in decl.args)
        if decl.kind == "const":
            return f"const: {decl.result.name}"
        if decl.kind == "pred":
            return f"pred: {args}" if args else "pred"
        return f"{decl.kind}: {args} -> {decl.result.name}"
    if isinstance(decl, S.SortDecl):
        return "sort = {" + ", ".join(decl.elements) + "}" if decl.elements is not None else "sort"
    if isinstance(decl, S.DefDecl):
        return "def(" + ", ".join(f"{b.name}: {b.type.name}" for b in decl.params) + ")"
    if isinstance(decl, S.QueryDecl):
        expect = f"expect {decl.expect}" if decl.expect else ""
        within = f"within {decl.within}" if decl.within is not None else ""
        return " ".join(part for part in (decl.kind, within, expect) if part)
    return kind_of(decl)
