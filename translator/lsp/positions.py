"""Places between the project and the protocol: `Span`s (1-based, columns in characters) and LSP positions.

The protocol counts lines from 0 and columns in the code units of the
encoding agreed at start-up (UTF-16 unless the client offers another), so
`𝔹` is two columns to VS Code and one to the front end. `Positions` turns
spans into `Range`s and the client's positions into (line, column) for
`index.Index.at`, reading the line's text from the source. It hands
lsprotocol types to the rest of the server's protocol side.
"""
from __future__ import annotations

from lsprotocol import types as lsp

from ..frontend.source import SourceFile, Span

_WIDTHS = {"utf-8": lambda c: len(c.encode("utf-8")), "utf-32": lambda c: 1,
           "utf-16": lambda c: 2 if ord(c) > 0xFFFF else 1}


class Positions:
    """Conversions in one encoding ("utf-16", "utf-8" or "utf-32")."""

    def __init__(self, encoding: str = "utf-16"):
        self.width = _WIDTHS.get(str(encoding).lower(), _WIDTHS["utf-16"])

    def units(self, text: str) -> int:
        return sum(self.width(c) for c in text)

    def position(self, source: SourceFile | None, line: int, column: int) -> lsp.Position:
        """The protocol's position of 1-based `line` and character `column`."""
        text = source.line(line) if source is not None else ""
        return lsp.Position(max(0, line - 1), self.units(text[:max(0, column - 1)]) if text else max(0, column - 1))

    def range(self, span: Span | None, source: SourceFile | None) -> lsp.Range:
        """The range of `span` (the file's start when there is none)."""
        if span is None:
            return lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
        return lsp.Range(self.position(source, span.line, span.column),
                         self.position(source, span.end_line, span.end_column))

    def place(self, source: SourceFile | None, position: lsp.Position) -> tuple[int, int]:
        """The 1-based line and character column of the client's `position`."""
        line = position.line + 1
        text = source.line(line) if source is not None else ""
        units = 0
        for index, char in enumerate(text):
            if units >= position.character:
                return line, index + 1
            units += self.width(char)
        return line, len(text) + 1
