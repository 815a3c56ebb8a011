"""Stage 1b, after each declaration has parsed: `reading NAME: ... end` blocks folded into one node.

The parser parses a file one declaration at a time, so a reading arrives as
its parts: a `syntax.ReadingHeader`, the declarations inside, `drop axiom`
lines and a `syntax.EndMark`. `fold` turns each such run into one
`syntax.Reading` and reports, each with its own message, what does not fit:
an `end` or a `drop axiom` outside a reading, a reading inside another, a
declaration a reading cannot hold (imports, sorts, symbols, claims,
examples), a reading never closed. A header that failed to parse still opens
a block, so its contents give no second error. It hands the parser a
`syntax.Module`'s declarations.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import diagnostics as codes
from . import syntax as S
from .diagnostics import Diagnostic
from .source import Span

FAILED_HEADER = object()
"""Stands in the parsed list for a `reading` header that did not parse."""

_HOLDS = "a reading holds `def`, `drop axiom`, `axiom` and `lemma` declarations"
_WORDS = {S.Import: "an import", S.SortDecl: "a sort", S.SymbolDecl: "a symbol declaration"}


@dataclass
class _Open:
    """The reading being collected: its header (None when the header did not parse) and items."""

    header: S.ReadingHeader | None
    items: list[S.ReadingItem] = field(default_factory=list)


def fold(parsed: Sequence[object], path: str) -> tuple[list[S.Decl], list[Diagnostic]]:
    """The declarations with every reading block folded into a `syntax.Reading`, and the problems."""
    decls: list[S.Decl] = []
    diags: list[Diagnostic] = []
    current: _Open | None = None
    cut = False  # a reading was closed at a declaration it cannot hold: its own `end` is expected to follow
    for item in parsed:
        if item is FAILED_HEADER or isinstance(item, S.ReadingHeader):
            if current is not None:
                diags.append(_unclosed(current, item if isinstance(item, S.ReadingHeader) else None))
                _close(current, decls)
            current, cut = _Open(item if isinstance(item, S.ReadingHeader) else None), False
        elif isinstance(item, S.EndMark):
            if current is None and cut:
                cut = False
            elif current is None:
                diags.append(Diagnostic(codes.SYNTAX, "`end` without a reading to close", item.span,
                                        help="`end` closes a `reading NAME:` block; remove it, or open the block"))
            else:
                _close(current, decls)
                current = None
        elif isinstance(item, S.DropAxiom):
            if current is None:
                diags.append(Diagnostic(codes.SYNTAX, "`drop axiom` outside a reading", item.span,
                                        help="an axiom is dropped only in a reading: put it between "
                                             "`reading NAME:` and `end`"))
            else:
                current.items.append(item)
        elif current is not None and _fits(item):
            current.items.append(item)  # type: ignore[arg-type]  # `_fits` checked it
        elif current is not None:
            diags.append(_misplaced(current, item))
            if current.items:  # an empty one was cut short: "changes nothing" would be noise
                _close(current, decls)
            current, cut = None, True
            decls.append(item)  # type: ignore[arg-type]  # the parser hands declarations only
        else:
            decls.append(item)  # type: ignore[arg-type]
    if current is not None:
        diags.append(_unclosed(current, None, path))
        _close(current, decls)
    return decls, diags


def _fits(item: object) -> bool:
    if isinstance(item, (S.DefDecl, S.AxiomDecl)):
        return True
    return isinstance(item, S.QueryDecl) and item.kind == "lemma"


def _close(current: _Open, decls: list[S.Decl]) -> None:
    header = current.header
    if header is None:
        return  # the header's own error was reported; its contents mean nothing without it
    decls.append(S.Reading(header.name, tuple(current.items), header.span, header.name_span, header.doc))


def _unclosed(current: _Open, following: S.ReadingHeader | None, path: str = "") -> Diagnostic:
    header = current.header
    name = f"reading '{header.name}'" if header is not None else "the reading"
    if following is not None:
        return Diagnostic(codes.SYNTAX, f"{name} is not closed before reading '{following.name}' begins",
                          following.span, help="readings do not nest: close the first with `end`")
    span = header.span if header is not None else Span(path, 1, 1, 1, 2)
    return Diagnostic(codes.SYNTAX, f"{name} is not closed: expected `end`", span,
                      help="write `end` on a line of its own after the reading's last declaration")


def _misplaced(current: _Open, item: object) -> Diagnostic:
    header = current.header
    where = f"reading '{header.name}'" if header is not None else "a reading"
    opened = f" (opened at line {header.span.line})" if header is not None and header.span else ""
    if isinstance(item, S.QueryDecl):
        what = f"a {item.kind}"
    else:
        what = _WORDS.get(type(item), "this declaration")
    span = getattr(item, "span", None)
    return Diagnostic(codes.SYNTAX, f"{what} cannot appear inside {where}{opened}", span,
                      help=f"close the reading with `end` before it; {_HOLDS}")
