"""The names of an analysed program: what each declaration declares, every occurrence, what a place names.

From the syntax trees of an `Analysis` (so it works while the program has
errors): the `Declaration`s of each file (sorts and their elements,
symbols, definitions, statements, and whatever a new kind of declaration
declares: a declaration is read by its fields, `name`/`name_span`, nested
declarations: `nested`), and the `Occurrence` of every name in a file (a use, a bound
variable, a declaration, an import), found on an explicit stack (nothing
recurses on the depth of a formula). `Index.at` answers what the name at a
place means: the declaration it resolves to across imports, or the binder
of a bound variable. Hover, go-to-definition, symbols and the bridge fix
read this; nothing here knows the protocol.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from ..frontend import syntax as S
from ..frontend.source import Span
from ..frontend.typecheck_util import children
from .analysis import Analysis, import_target

EXPRESSIONS = (S.Name, S.Number, S.BoolLit, S.Apply, S.Via, S.Unary, S.Binary, S.Compare, S.Quant, S.Ite)


def kind_of(decl: object) -> str:
    """A declaration's kind word: its `kind` field (`fun`, `claim`, ...) or its class (`SortDecl` is `sort`)."""
    kind = getattr(decl, "kind", None)
    if isinstance(kind, str):
        return kind
    name = type(decl).__name__
    return (name[:-4] if name.endswith("Decl") else name).lower()


@dataclass(frozen=True)
class Declaration:
    """One declared name: what declares it, where its name is, and its kind word."""

    name: str
    kind: str              # "sort", "element", "const", "fun", "pred", "bridge", "def", "axiom", "claim", ...
    path: str
    span: Span | None      # the name where it is declared
    decl: object           # the declaration (for an element: its sort's)


@dataclass(frozen=True)
class Occurrence:
    """A name written somewhere: a use of a global name, a bound variable, a declaration, an import."""

    name: str
    span: Span
    binder: S.Binder | None = None      # the bound variable (or parameter) it names
    declares: Declaration | None = None  # set where the name is declared
    imports: str | None = None          # an import: the path of the file it names
    binding: str = ""                   # for a binder: what binds it ("forall", "exists", "def NAME")


def declarations(decl: object, path: str) -> list[Declaration]:
    """The names `decl` declares (a nested declaration's too), its own first."""
    out: list[Declaration] = []
    stack = [decl]
    while stack:
        item = stack.pop()
        name = getattr(item, "name", None)
        if isinstance(name, str) and not isinstance(item, (S.Import, S.Binder, S.TypeRef, S.DropAxiom)):
            out.append(Declaration(name, kind_of(item), path, getattr(item, "name_span", None)
                                   or getattr(item, "span", None), item))
        if isinstance(item, S.SortDecl):
            spans = item.element_spans
            out += [Declaration(e, "element", path, spans[i] if i < len(spans) else item.span, item)
                    for i, e in enumerate(item.elements or ())]
        stack.extend(reversed(nested(item)))
    return out


def nested(decl: object) -> tuple:
    """The declarations inside a declaration: a reading's replacement defs, drops, axioms and lemmas."""
    return decl.items if isinstance(decl, S.Reading) else tuple(getattr(decl, "decls", ()))


def occurrences(module: S.Module) -> list[Occurrence]:
    """Every name written in `module`, in no particular order."""
    out: list[Occurrence] = []
    stack: list[object] = list(module.decls)
    while stack:
        decl = stack.pop()
        if isinstance(decl, S.Import):
            if decl.span is not None:
                out.append(Occurrence(decl.path, decl.span, imports=import_target(module.path, decl)))
            continue
        if isinstance(decl, S.DropAxiom):  # `drop axiom NAME` uses the axiom's name
            if decl.name_span is not None:
                out.append(Occurrence(decl.name, decl.name_span))
            continue
        for declared in declarations(decl, module.path)[:1] + _elements(decl, module.path):
            if declared.span is not None:
                out.append(Occurrence(declared.name, declared.span, declares=declared))
        out += _fields(decl, module.path)
        stack.extend(nested(decl))
    return out


def _elements(decl: object, path: str) -> list[Declaration]:
    return [d for d in declarations(decl, path) if d.kind == "element" and d.decl is decl]


def _fields(decl: object, path: str) -> list[Occurrence]:
    """The names in a declaration's fields: types, parameters (in scope in its expressions), expressions."""
    if not dataclasses.is_dataclass(decl):
        return []
    values = [getattr(decl, f.name) for f in dataclasses.fields(decl)]
    out: list[Occurrence] = []
    scope: Scope = {}
    binding = f"{kind_of(decl)} {getattr(decl, 'name', '')}".strip()
    for value in values:
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, S.TypeRef):
                out += _type(item)
            elif isinstance(item, S.Binder):
                scope[item.name] = (item, binding)
                out += _binder(item, binding)
            elif isinstance(item, S.Pin) and item.reading_span is not None:
                out.append(Occurrence(item.reading, item.reading_span))  # `expect V in READING`
    for value in values:
        if isinstance(value, EXPRESSIONS):
            out += expression_names(value, scope)
    return out


def _type(ref: S.TypeRef) -> list[Occurrence]:
    return [Occurrence(ref.name, ref.span)] if ref.span is not None else []


def _binder(binder: S.Binder, binding: str) -> list[Occurrence]:
    own = [Occurrence(binder.name, binder.span, binder=binder, binding=binding)] if binder.span else []
    return own + _type(binder.type)


Scope = dict[str, tuple[S.Binder, str]]  # the bound names at a place: each one's binder and what binds it


def expression_names(expr: S.Expr, scope: Scope) -> list[Occurrence]:
    """The names written in `expr`, each with the binder it names when it is bound."""
    out: list[Occurrence] = []
    stack: list[tuple[S.Expr, Scope]] = [(expr, scope)]
    while stack:
        node, names = stack.pop()
        written = _written(node)
        if written is not None:
            name, span = written
            binder, binding = names.get(name, (None, ""))
            out.append(Occurrence(name, span, binder=binder, binding=binding))
        if isinstance(node, S.Quant):
            names = dict(names)
            for binder in node.binders:
                names[binder.name] = (binder, node.kind)
                out += _binder(binder, node.kind)
        stack.extend((child, names) for child in children(node))
    return out


def _written(node: S.Expr) -> tuple[str, Span] | None:
    """The name a node writes, and where: a name, a function applied, a bridge after `via`."""
    if isinstance(node, S.Name) and node.span is not None:
        return node.id, node.span
    if isinstance(node, S.Apply) and node.fn_span is not None:
        return node.fn, node.fn_span
    if isinstance(node, S.Via) and node.bridge_span is not None:
        return node.bridge, node.bridge_span
    return None


def walk_expressions(module: S.Module) -> Iterator[S.Expr]:
    """Every expression node of `module`, outermost first."""
    stack: list[object] = list(module.decls)
    while stack:
        item = stack.pop()
        if isinstance(item, EXPRESSIONS):
            yield item
            stack.extend(children(item))
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(nested(item))
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item)
                         if isinstance(getattr(item, f.name), EXPRESSIONS))


def contains(span: Span | None, line: int, column: int) -> bool:
    """Whether the place (1-based line and column) is in `span` or just after its end."""
    if span is None or not span.line <= line <= span.end_line:
        return False
    if line == span.line and column < span.column:
        return False
    return not (line == span.end_line and column > span.end_column)


class Index:
    """The names of one analysis: its program's declarations and the occurrences of each file."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.globals: dict[str, Declaration] = {}
        self.own: list[Declaration] = []   # the root document's own declarations, in order
        for path in analysis.order or (analysis.path,):
            module = analysis.modules.get(path)
            for decl in module.decls if module is not None else ():
                for declared in declarations(decl, path):
                    self.globals.setdefault(declared.name, declared)
                    if path == analysis.path:
                        self.own.append(declared)
        self._occurrences: dict[str, list[Occurrence]] = {}

    def occurrences(self, path: str) -> list[Occurrence]:
        if path not in self._occurrences:
            module = self.analysis.modules.get(path)
            self._occurrences[path] = occurrences(module) if module is not None else []
        return self._occurrences[path]

    def at(self, path: str, line: int, column: int) -> Occurrence | None:
        """The name written at the place; the narrowest when spans nest (an import's span is wide)."""
        found = [o for o in self.occurrences(path) if contains(o.span, line, column)]
        if not found:
            return None
        return min(found, key=lambda o: (o.imports is not None, o.span.end_line - o.span.line,
                                         o.span.end_column - o.span.column))

    def meaning(self, occurrence: Occurrence) -> Declaration | None:
        """The declaration a (global) name resolves to in this program."""
        if occurrence.declares is not None:
            return occurrence.declares
        if occurrence.binder is not None or occurrence.imports is not None:
            return None
        return self.globals.get(occurrence.name)

    def names(self) -> set[str]:
        """Every name declared or bound anywhere in the program's files (to make a fresh one)."""
        taken = set(self.globals)
        for path in self.analysis.order or (self.analysis.path,):
            taken.update(o.name for o in self.occurrences(path) if o.binder is not None)
        return taken
