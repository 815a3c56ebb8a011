"""Source files and positions: the one notion of "where" shared by every stage.

A `Span` names a region of a `SourceFile` by 1-based line and column (columns
count characters, so Unicode symbols are one column each). Spans are kept out
of equality on every node that carries one, so tests can build nodes by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceFile:
    """A file's text and the path it is reported under (as the user gave it)."""

    path: str
    text: str
    lines: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.text.split("\n")))

    def line(self, number: int) -> str:
        """The text of 1-based line `number`, or "" past the end."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1].rstrip("\r")
        return ""


@dataclass(frozen=True)
class Span:
    """A region of a source file: from (line, column) up to (end_line, end_column), exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def to(self, other: Span | None) -> Span:
        """The span from the start of this one to the end of `other`."""
        if other is None or other.path != self.path:
            return self
        return Span(self.path, self.line, self.column, other.end_line, other.end_column)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"
