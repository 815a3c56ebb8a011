"""Progress on a terminal: one line on stderr, redrawn in place, gone when the work is done.

A display of the progress protocol (`translator/progress.py`): the count of
steps done of the total and the step running (the oldest, when several
run at once), as `[12/95] claims · checking spec/faq.align: faq_q5`, cut to
the terminal's width (the file name first) so that a carriage return can
redraw it, and erased by `finish`. Commands ask `for_stream` for one: only a terminal gets it (not a
pipe, not a file, not `TERM=dumb`), so what a script reads never changes.
"""
from __future__ import annotations

import os
from typing import TextIO

from ..progress import Progress

ERASE = "\r\033[K"  # back to the start of the line, and clear it
DEFAULT_WIDTH = 80
MIN_STEP = 16  # columns below which the count of other running steps is left out


def is_terminal(stream: TextIO) -> bool:
    """Whether `stream` is a terminal that can redraw a line."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return bool(tty) and os.environ.get("TERM") != "dumb"


def colours(stream: TextIO) -> bool:
    """Whether the text report on `stream` is painted: a terminal, and `NO_COLOR` not set."""
    try:
        tty = bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
    return tty and "NO_COLOR" not in os.environ


def unicode(stream: TextIO) -> bool:
    """Whether the text report on `stream` may use marks beyond ASCII (its encoding is a UTF)."""
    return "utf" in (getattr(stream, "encoding", None) or "ascii").lower()


def for_stream(stream: TextIO, quiet: bool = False) -> Progress | None:
    """A display on `stream` if it is a terminal and the user did not ask for quiet, else None."""
    return TerminalProgress(stream) if not quiet and is_terminal(stream) else None


def width(stream: TextIO) -> int:
    """The columns of the terminal behind `stream` (80 when it cannot tell)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns or DEFAULT_WIDTH
    except (AttributeError, ValueError, OSError):
        return DEFAULT_WIDTH


class TerminalProgress(Progress):
    """The one-line display."""

    def __init__(self, stream: TextIO):
        super().__init__()
        self.stream = stream
        self.columns = width(stream)
        self.drawn = ""

    def line(self) -> str:
        """The text of the line for the current state, within the terminal's width: a long step loses
        the start of its file name first, so that the claim's name stays."""
        room = max(1, self.columns - 1)  # the last column would wrap on some terminals
        text = f"[{self.done}/{self.total}] {self.unit}"
        if not self.running:
            return text[:room]
        text += " · checking "
        more = f" (+{len(self.running) - 1} more)" if len(self.running) > 1 else ""
        step = next(iter(self.running))
        budget = room - len(text) - len(more)
        if budget < MIN_STEP and more:  # the step matters more than how many others run
            more, budget = "", room - len(text)
        if len(step) > budget:
            step = "…" + step[len(step) - budget + 1:] if budget > 1 else ""
        return (text + step + more)[:room]

    def changed(self) -> None:
        text = self.line()
        if text != self.drawn:
            self._write(ERASE + text)
            self.drawn = text

    def finished(self) -> None:
        if self.drawn:
            self._write(ERASE)
            self.drawn = ""

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away: the work goes on without it
            pass
