"""Diagnostics for the editor: the front end's errors and the verdicts of a check, as LSP diagnostics.

A front-end `Diagnostic` keeps its stable code, its range, its message and
its help (on a line of the message: every client shows it); an error in an
imported file is shown at the `import` of the open document that leads to
it, naming the file and place, with the place itself as related
information. A `verdicts.Checked` result that did not meet its expectation
becomes an error at the claim's name (a warning when the solver could not
decide), with the counterexample's one-line summary; a met result with
warnings a warning. Each carries the verdict as its code. `verdict_text`
is the same line for hover.
"""
from __future__ import annotations

from collections.abc import Callable

from lsprotocol import types as lsp

from ..check.results import Result, Verdict
from ..frontend import syntax as S
from ..frontend.diagnostics import Diagnostic
from ..frontend.source import Span
from ..logic.model import value_to_text
from .analysis import Analysis, import_target, real
from .index import Index
from .positions import Positions
from .verdicts import Checked, Origin

SOURCE = "alignproof"

UriOf = Callable[[str], str]


def front_end(analysis: Analysis, positions: Positions, uri_of: UriOf) -> list[lsp.Diagnostic]:
    """The analysis's diagnostics as the root document shows them."""
    return [_front(d, analysis, positions, uri_of) for d in analysis.diagnostics]


def _front(diag: Diagnostic, analysis: Analysis, positions: Positions, uri_of: UriOf) -> lsp.Diagnostic:
    message = diag.message + (f"\nhelp: {diag.help}" if diag.help else "")
    span = diag.span
    here = analysis.same_file(span.path) if span is not None else (diag.path is None or analysis.same_file(diag.path))
    if here:
        return lsp.Diagnostic(positions.range(span, analysis.sources.get(analysis.path)), message,
                              severity=lsp.DiagnosticSeverity.Error, code=diag.code, source=SOURCE,
                              data={"help": diag.help} if diag.help else None)
    where = span.path if span is not None else (diag.path or "")
    related = None
    if span is not None:
        related = [lsp.DiagnosticRelatedInformation(
            lsp.Location(uri_of(span.path), positions.range(span, analysis.sources.get(span.path))), diag.message)]
    place = analysis.shown(where) + (f":{span.line}:{span.column}" if span is not None else "")
    via = _import_leading_to(analysis, where)
    return lsp.Diagnostic(positions.range(via, analysis.sources.get(analysis.path)), f"in {place}: {message}",
                          severity=lsp.DiagnosticSeverity.Error, code=diag.code, source=SOURCE,
                          related_information=related)


def _import_leading_to(analysis: Analysis, path: str) -> Span | None:
    """The import of the root document whose file is `path` or imports it (None: the file's start)."""
    module = analysis.module
    if module is None or not path:
        return None
    goal = real(path)
    for decl in module.decls:
        if isinstance(decl, S.Import) and goal in _reached(analysis, decl):
            return decl.span
    return None


def _reached(analysis: Analysis, first: S.Import) -> set[str]:
    seen: set[str] = set()
    stack = [import_target(analysis.path, first)]
    while stack:
        path = stack.pop()
        key = real(path)
        if key in seen:
            continue
        seen.add(key)
        module = analysis.modules.get(path)
        stack += [import_target(path, d) for d in (module.decls if module else ()) if isinstance(d, S.Import)]
    return seen


# ---------------------------------------------------------------- verdicts

def verdicts(checked: tuple[Checked, ...], extra: tuple[Diagnostic, ...], index: Index,
             positions: Positions, uri_of: UriOf) -> list[lsp.Diagnostic]:
    """A check's answer as diagnostics of the root document: unmet results, warnings, inconsistency."""
    analysis = index.analysis
    source = analysis.sources.get(analysis.path)
    out = []
    for item in checked:
        result = item.result
        if result.ok and not result.warnings:
            continue
        declared = index.globals.get(result.name)
        span = declared.span if declared is not None and analysis.same_file(declared.path) else result.span
        unsure = result.verdict is Verdict.UNKNOWN or result.ok
        severity = lsp.DiagnosticSeverity.Warning if unsure else lsp.DiagnosticSeverity.Error
        lines = [verdict_text(item)] + [f"warning: {w}" for w in result.warnings]
        out.append(lsp.Diagnostic(positions.range(span, source), "\n".join(lines), severity=severity,
                                  code=result.verdict.value, source=SOURCE))
    out += [_front(d, analysis, positions, uri_of) for d in extra]
    return out


def verdict_text(item: Checked) -> str:
    """One line: `claim NAME: VERDICT (expected ...): the summary, the used axioms or the reason`."""
    result = item.result
    head = f"{result.kind} {result.name}: {result.verdict.value}"
    if not result.ok:
        head += f" (expected {result.expected})"
    detail = _detail(result)
    return head + (("; " if result.verdict is Verdict.PROVED else ": ") + detail if detail else "")


def _detail(result: Result) -> str:
    if result.verdict is Verdict.PROVED:
        return "used: " + (", ".join(result.used or ()) or "nothing (valid on its own)")
    if result.verdict is Verdict.UNKNOWN:
        return result.reason or ""
    if result.explanation is not None and result.explanation.summary:
        return result.explanation.summary
    if result.witness:
        return ", ".join(f"{k} = {value_to_text(v)}" for k, v in result.witness.items())
    if result.verdict is Verdict.BOUNDED:
        return "no counterexample within the bound, but not proved"
    return ""


ORIGIN_WORDS = {Origin.SOLVED: "", Origin.RECORD: "confirmed from its proof record",
                Origin.SESSION: "the same question as an earlier check of this session"}
