"""Code actions: the fix for a `domain-mismatch` error, a bridge between the two domains, and
the fix for an error whose help names one spelling ("did you mean `fun`?").

`agree(f, g)` (or `agree_on(p, f, g)`) with `f: A -> N` and `g: C -> M` over
different sorts is the type checker's `domain-mismatch` error, whose help
says to declare `bridge b: C -> A` and write `g via b`
(`frontend/typecheck_builtins.py`). The fix does it: when a bridge of that
signature is declared before the use, it writes `via` with it; otherwise it
inserts `bridge c_to_a: C -> A` (a name no declaration or variable of the
program has) after the last sort or symbol declaration above the use (else
above the using declaration and its doc comment) and writes `via` with it.
It offers nothing when a side is a built-in type (a bridge joins declared
sorts only).

An error whose help is "did you mean X?" with one spelling X (a misspelt
keyword or name, a symbol pasted from another notation, `iff` for `<->`)
gets the fix that writes X over the error's text; a word written for a
symbol gets a space on a side where it would run into its neighbour
(`p(a)&&q(a)`). It
hands pygls `CodeAction`s with their workspace edits.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from lsprotocol import types as lsp

from ..frontend import diagnostics as codes
from ..frontend import syntax as S
from ..frontend.diagnostics import Diagnostic
from ..frontend.lexer import KEYWORDS
from ..frontend.source import Span
from ..frontend.typecheck_util import RESERVED_NAMES
from .index import Index, contains, walk_expressions
from .positions import Positions

AGREEMENTS = ("agree", "agree_on")


def bridge_fixes(index: Index, wanted: lsp.Range, positions: Positions, uri: str,
                 shown: list[lsp.Diagnostic]) -> list[lsp.CodeAction]:
    """A fix for each `domain-mismatch` error of the root document that meets the range `wanted`."""
    return _fixes(index, wanted, positions, shown,
                  lambda diag, where: _fix(index, diag, positions, uri) if diag.code == codes.DOMAIN_MISMATCH
                  else None)


# "did you mean `fun`?", "did you mean 'good'?": one spelling, quoted, then the question mark (not
# `not (a <-> b)` for `xor`, which is no spelling of the word it replaces).
_ONE_SPELLING = re.compile(r"did you mean (?:`([^`\s]+)`|'([^'\s]+)')\?")


def spelling_fixes(index: Index, wanted: lsp.Range, positions: Positions, uri: str,
                   shown: list[lsp.Diagnostic]) -> list[lsp.CodeAction]:
    """A fix for each error of the root document that meets `wanted` and whose help names one spelling."""
    source = index.analysis.sources.get(index.analysis.path)

    def fix(diag: Diagnostic, where: lsp.Range) -> lsp.CodeAction | None:
        span, found = diag.span, _ONE_SPELLING.match(diag.help or "")
        if found is None or span is None or source is None or span.line != span.end_line \
                or not 1 <= span.line <= len(source.lines):
            return None
        text = source.line(span.line)
        old = text[span.column - 1:span.end_column - 1]
        new = found.group(1) or found.group(2)
        if not old or old == new:
            return None
        before, after = text[:span.column - 1], text[span.end_column - 1:]
        word = not old[0].isalnum() and new[0].isalnum()  # a symbol replaced by a word: keep it apart
        written = (" " if word and (before[-1:].isalnum() or before[-1:] == ")") else "") + new \
            + (" " if word and (after[:1].isalnum() or after[:1] == "(") else "")
        return lsp.CodeAction(f"Write `{new}` for `{old}`", kind=lsp.CodeActionKind.QuickFix, is_preferred=True,
                              edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(where, written)]}))
    return _fixes(index, wanted, positions, shown, fix)


def _fixes(index: Index, wanted: lsp.Range, positions: Positions, shown: list[lsp.Diagnostic],
           fix: Callable[[Diagnostic, lsp.Range], lsp.CodeAction | None]) -> list[lsp.CodeAction]:
    """`fix` of each error of the root document that meets `wanted`, tied to the client's diagnostic."""
    analysis = index.analysis
    source = analysis.sources.get(analysis.path)
    out = []
    for diag in analysis.diagnostics:
        if diag.span is None or not analysis.same_file(diag.span.path):
            continue
        where = positions.range(diag.span, source)
        if not _meets(where, wanted):
            continue
        action = fix(diag, where)
        if action is not None:
            action.diagnostics = [d for d in shown if d.code == diag.code and d.range == where] or None
            out.append(action)
    return out


def _meets(a: lsp.Range, b: lsp.Range) -> bool:
    def key(p: lsp.Position) -> tuple[int, int]:
        return p.line, p.character
    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _fix(index: Index, diag: Diagnostic, positions: Positions, uri: str) -> lsp.CodeAction | None:
    analysis = index.analysis
    module = analysis.module
    call = next((e for e in walk_expressions(module) if isinstance(e, S.Apply) and e.fn in AGREEMENTS
                 and e.span == diag.span and len(e.args) >= 2), None) if module is not None else None
    if call is None:
        return None
    f_arg, g_arg = call.args[-2], call.args[-1]
    g_name = g_arg.expr if isinstance(g_arg, S.Via) else g_arg
    domains = [_domain(index, arg) for arg in (f_arg, g_name)]
    if domains[0] is None or domains[1] is None:
        return None
    a, c = domains[0], domains[1]
    source = analysis.sources.get(analysis.path)
    existing = _declared_bridge(index, c, a, call.span)
    name = existing or _fresh(index, f"{c}_to_{a}".lower())
    edits = [_via_edit(g_arg, name, positions, source)]
    if existing is None:
        at = _insertion_line(index, call.span)
        edits.insert(0, lsp.TextEdit(lsp.Range(lsp.Position(at, 0), lsp.Position(at, 0)),
                                     f"bridge {name}: {c} -> {a}\n"))
        title = f"Declare `bridge {name}: {c} -> {a}` and write `{_show(g_name)} via {name}`"
    else:
        title = f"Write `{_show(g_name)} via {name}` (bridge {name}: {c} -> {a} is declared)"
    return lsp.CodeAction(title, kind=lsp.CodeActionKind.QuickFix, is_preferred=True,
                          edit=lsp.WorkspaceEdit(changes={uri: edits}))


def _show(expr: S.Expr) -> str:
    return expr.id if isinstance(expr, S.Name) else "g"


def _domain(index: Index, arg: S.Expr) -> str | None:
    """The sort of the one argument of the function `arg` names, when it is a declared sort."""
    if not isinstance(arg, S.Name):
        return None
    declared = index.globals.get(arg.id)
    decl = declared.decl if declared is not None else None
    if not isinstance(decl, S.SymbolDecl) or len(decl.args) != 1:
        return None
    sort = index.globals.get(decl.args[0].name)
    return decl.args[0].name if sort is not None and sort.kind == "sort" else None


def _declared_bridge(index: Index, source_sort: str, target: str, use: Span | None) -> str | None:
    """A bridge `source_sort -> target` declared before the use (an import's, or above it in the file)."""
    for declared in index.globals.values():
        decl = declared.decl
        if isinstance(decl, S.SymbolDecl) and decl.kind == "bridge" and decl.result.name == target \
                and [t.name for t in decl.args] == [source_sort]:
            here = index.analysis.same_file(declared.path)
            if not here or (declared.span is not None and use is not None and declared.span.line < use.line):
                return declared.name
    return None


def _fresh(index: Index, base: str) -> str:
    taken = index.names() | set(KEYWORDS) | RESERVED_NAMES
    name, number = base, 2
    while name in taken:
        name, number = f"{base}{number}", number + 1
    return name


def _via_edit(g_arg: S.Expr, name: str, positions: Positions, source) -> lsp.TextEdit:
    if isinstance(g_arg, S.Via) and g_arg.bridge_span is not None:  # `via` with a name that is no bridge
        return lsp.TextEdit(positions.range(g_arg.bridge_span, source), name)
    end = positions.range(g_arg.span, source).end
    return lsp.TextEdit(lsp.Range(end, end), f" via {name}")


def _insertion_line(index: Index, use: Span | None) -> int:
    """The 0-based line the bridge declaration goes on (see the module's docstring)."""
    analysis = index.analysis
    module = analysis.module
    decls = module.decls if module is not None else ()
    using = next((d for d in decls if use is not None and contains(getattr(d, "span", None), use.line, use.column)),
                 None)
    line = using.span.line if using is not None and using.span is not None else (use.line if use else 1)
    above = [d for d in decls if isinstance(d, (S.SortDecl, S.SymbolDecl)) and d.span is not None
             and d.span.end_line < line]
    if above:
        return max(d.span.end_line for d in above if d.span is not None)
    source = analysis.sources.get(analysis.path)
    while source is not None and line > 1 and source.line(line - 1).lstrip().startswith("#"):
        line -= 1
    return line - 1
