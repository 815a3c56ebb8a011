"""Hover: what the name under the cursor is, as Markdown.

A global name shows its declaration as written (the signature: a `fun`'s
line, a `def`'s whole text, cut after `MAX_LINES` lines) and its doc
comment; a finite sort's element its sort; a bound variable its binder and
what binds it; a built-in its form; an import the file it names. A claim or
example, hovered at its name or keyword, shows besides its last verdict
(with `used`, or the counterexample's one-line summary), where the verdict
came from, and whether the document changed since. It hands pygls a
`Hover` (or None: nothing to say).
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from lsprotocol import types as lsp

from ..frontend.source import SourceFile
from .convert import ORIGIN_WORDS, verdict_text
from .index import Declaration, Index, Occurrence, contains
from .positions import Positions
from .verdicts import Checked

MAX_LINES = 12

BUILTIN_FORMS = {
    "agree": "agree(f, g) · agree(f, g via b): g ranks the points of its domain the way f does",
    "agree_on": "agree_on(p, f, g) · agree_on(p, f, g via b): agree, restricted to the points where p holds",
    "maximizes": "maximizes(g, z): no point of g's domain has a larger value than z",
    "injective": "injective(b): b maps distinct points to distinct points",
    "surjective": "surjective(b): every point of b's result sort is reached",
}
BUILTIN_TYPES = {"Real": "the real numbers (ℝ)", "Int": "the integers (ℤ)", "Bool": "true and false (𝔹)"}
QUERIES = ("claim", "example", "lemma")


def declaration_text(declared: Declaration, sources: Mapping[str, SourceFile]) -> str:
    """The declaration as written in its file, at most `MAX_LINES` lines."""
    span = getattr(declared.decl, "span", None)
    source = sources.get(declared.path)
    if span is None or source is None:
        return f"{declared.kind} {declared.name}"
    lines = [source.line(n) for n in range(span.line, span.end_line + 1)]
    lines[-1] = lines[-1][:span.end_column - 1]
    lines[0] = lines[0][span.column - 1:]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES] + ["  …"]
    return "\n".join(line.rstrip() for line in lines)


def _block(text: str) -> str:
    return f"```align\n{text}\n```"


def keyword_at(index: Index, line: int, column: int) -> Declaration | None:
    """The root document's declaration whose keyword (`claim`, `fun`, ...) is at the place."""
    source = index.analysis.sources.get(index.analysis.path)
    for declared in index.own:
        span = getattr(declared.decl, "span", None)
        if span is None or span.line != line or source is None or declared.kind == "element":
            continue
        word = re.match(r"\w*", source.line(line)[span.column - 1:])
        if span.column <= column <= span.column + len(word.group() if word else ""):
            return declared
    return None


def query_at(index: Index, line: int, column: int) -> Declaration | None:
    """The claim or example of the root document whose name or keyword is at the place."""
    declared = keyword_at(index, line, column) or next(
        (d for d in index.own if contains(d.span, line, column)), None)
    return declared if declared is not None and declared.kind in QUERIES else None


def hover(index: Index, line: int, column: int, positions: Positions, last: Checked | None = None,
          stale: bool = False) -> lsp.Hover | None:
    """The hover at 1-based `line`, `column` of the root document."""
    analysis = index.analysis
    source = analysis.sources.get(analysis.path)
    declared = keyword_at(index, line, column)
    occurrence = index.at(analysis.path, line, column) if declared is None else None
    if occurrence is not None and occurrence.declares is not None and occurrence.declares.kind in QUERIES:
        declared = occurrence.declares
    if declared is not None:
        own = _query_text(index, declared, last, stale) if declared.kind in QUERIES else declared_text(index, declared)
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, own), positions.range(declared.span, source))
    text = _occurrence_text(index, occurrence) if occurrence is not None else None
    if occurrence is None or text is None:
        return None
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text), positions.range(occurrence.span, source))


def _occurrence_text(index: Index, occurrence: Occurrence) -> str | None:
    if occurrence.imports is not None:
        return f"imports `{occurrence.imports}`"
    if occurrence.binder is not None:
        return _binder_text(occurrence)
    declared = index.meaning(occurrence)
    if declared is None:
        if occurrence.name in BUILTIN_FORMS:
            return _block(BUILTIN_FORMS[occurrence.name]) + "\n\nbuilt-in"
        if occurrence.name in BUILTIN_TYPES:
            return f"`{occurrence.name}`: built-in type, {BUILTIN_TYPES[occurrence.name]}"
        return None
    return declared_text(index, declared)


def _binder_text(occurrence: Occurrence) -> str:
    binder = occurrence.binder
    assert binder is not None
    where = occurrence.binding
    bound = f"parameter of {where}" if where.startswith("def ") else f"bound by `{where or 'a binder'}`"
    return _block(f"{binder.name}: {binder.type.name}") + f"\n\n{bound}"


def declared_text(index: Index, declared: Declaration) -> str:
    """A declaration's hover: its text, where it is when another file, and its doc comment."""
    sources = index.analysis.sources
    if declared.kind == "element":
        head = f"`{declared.name}`: an element of\n\n" + _block(declaration_text(
            Declaration(getattr(declared.decl, "name", ""), "sort", declared.path, None, declared.decl), sources))
    else:
        head = _block(declaration_text(declared, sources))
    parts = [head]
    if not index.analysis.same_file(declared.path):
        parts.append(f"declared in `{index.analysis.shown(declared.path)}`")
    doc = getattr(declared.decl, "doc", "")
    if doc and declared.kind != "element":
        parts.append(doc)
    return "\n\n".join(parts)


def _query_text(index: Index, query: Declaration, last: Checked | None, stale: bool) -> str:
    parts = [declared_text(index, query)]
    if last is None:
        parts.append("not checked yet: save the file to check it")
    else:
        line = f"**last verdict**: {verdict_text(last)}"
        origin = ORIGIN_WORDS[last.origin]
        notes = [origin] if origin else []
        if stale:
            notes.append("the file has changed since; save to check it again")
        if last.result.warnings:
            notes += [f"warning: {w}" for w in last.result.warnings]
        parts.append(line + "".join(f"\n\n_{n}_" for n in notes))
    return "\n\n---\n\n".join(parts)

