"""Diagnostics: every error the user can see, with a stable code, a span and a hint.

Stages collect `Diagnostic`s into a list and go on; only the command line
decides what to print. `render` gives the `PATH:LINE:COL: error: ...` form of
LANGUAGE.md §5 with the source line, a caret and a `help:` line.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .source import SourceFile, Span

# Stable error codes: tests and users match on these, so never rename one.
SYNTAX = "syntax"                      # the text does not parse
BAD_CHARACTER = "bad-character"        # a character no token starts with
BAD_LITERAL = "bad-literal"            # a malformed string or number
TOO_DEEP = "too-deep"                  # nesting beyond the supported depth
TOO_LARGE = "too-large"                # a file beyond the supported size
UNDECLARED = "undeclared"              # a name nobody declared
FORWARD_REFERENCE = "forward-reference"  # used before its declaration
DUPLICATE = "duplicate"                # a name declared twice
RESERVED = "reserved-name"             # a declaration uses a built-in's name
ARITY = "arity"                        # wrong number of arguments
TYPE_MISMATCH = "type-mismatch"        # a term of the wrong sort
NUMERIC_MIX = "int-real-mix"           # Int and Real mixed
NONLINEAR = "nonlinear"                # `*` with no literal side
NOT_NUMERIC = "not-numeric"            # arithmetic or order on a non-number
NOT_A_FUNCTION = "not-a-function"      # a built-in wants a function name
NOT_A_VALUE = "not-a-value"            # a function used without arguments
RECURSIVE_DEF = "recursive-def"        # a definition that reaches itself
DOMAIN_MISMATCH = "domain-mismatch"    # agree(f, g) over different domains
NOT_A_BRIDGE = "not-a-bridge"          # `via` with a name not declared by `bridge`
BRIDGE_DIRECTION = "bridge-direction"  # `via` with a bridge of the wrong signature
BAD_BRIDGE = "bad-bridge"              # a bridge declaration that is not unary between sorts
BAD_EXPECT = "bad-expect"              # an expectation that does not fit the query
BAD_WITHIN = "bad-within"              # a `within` bound that is not a positive integer
DUPLICATE_BINDER = "duplicate-binder"  # the same variable twice in one binder list
UNDECLARED_DEF = "reading-undeclared"  # a reading replaces a definition nobody declared (or a name no def has)
CHANGED_SIGNATURE = "reading-signature"  # a replacement def with other parameters or sorts than the definition
NO_SUCH_AXIOM = "reading-no-axiom"      # `drop axiom` naming no axiom of the program
DUPLICATE_READING = "duplicate-reading"  # a reading name used twice
UNKNOWN_READING = "unknown-reading"    # `expect V in R` naming no reading of the program
EMPTY_READING = "empty-reading"        # a reading that changes nothing (or replaces a def by itself)
IMPORT_NOT_FOUND = "import-not-found"
IMPORT_CYCLE = "import-cycle"
IMPORT_ERROR = "import-error"          # unreadable or not UTF-8
IMPORT_OUTSIDE = "import-outside"      # an import leaving the project (absolute, `..` out of it, a link out)
FILE_NOT_FOUND = "file-not-found"      # a command-line path that does not exist
NO_SPECS = "no-specs"                  # a directory with no .align file
UNKNOWN_CLAIM = "unknown-claim"        # --claim NAME matches nothing
INCONSISTENT = "inconsistent-axioms"   # the axioms have no model
SOLVER_DISAGREEMENT = "solver-disagreement"  # --cross-check: cvc5 contradicts z3 about the axioms


@dataclass(frozen=True)
class Diagnostic:
    """One error: what went wrong (`message`), where (`span`), what to do (`help`)."""

    code: str
    message: str
    span: Span | None = None
    help: str | None = None
    path: str | None = None  # for errors with no span (a missing file)

    @property
    def file(self) -> str:
        return self.span.path if self.span else (self.path or "alignproof")

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "line": self.span.line if self.span else 0,
            "column": self.span.column if self.span else 0,
            "message": self.message,
            "code": self.code,
            **({"help": self.help} if self.help else {}),
        }


class DiagnosticError(Exception):
    """Raised by a stage that cannot go on; carries what it found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


def render(diag: Diagnostic, sources: Mapping[str, SourceFile]) -> str:
    """The text form: `PATH:LINE:COL: error: MESSAGE [code]`, source line, caret, help."""
    span = diag.span
    if span is None:
        head = f"{diag.file}: error: {diag.message} [{diag.code}]"
        return head + (f"\n  = help: {diag.help}" if diag.help else "")
    out = [f"{span.path}:{span.line}:{span.column}: error: {diag.message} [{diag.code}]"]
    source = sources.get(span.path)
    if source is not None and 1 <= span.line <= len(source.lines):
        text = source.line(span.line)
        number = str(span.line)
        gutter = " " * len(number)
        start = min(span.column - 1, len(text))
        end = span.end_column - 1 if span.end_line == span.line else len(text)
        end = max(min(end, len(text)), start + 1)
        shown, caret = _window(text, start, end)
        out.append(f"   {number} | {shown}")
        out.append(f"   {gutter} | {caret}")
    if diag.help:
        out.append(f"  = help: {diag.help}")
    return "\n".join(out)


_WIDTH = 100


def _window(text: str, start: int, end: int) -> tuple[str, str]:
    """The line (cut to about `_WIDTH` columns around the place) and its caret line."""
    left = max(0, start - _WIDTH // 2) if len(text) > _WIDTH else 0
    end = min(end, left + _WIDTH)
    right = min(len(text), max(end, left + _WIDTH))
    head = "…" if left > 0 else ""
    tail = "…" if right < len(text) else ""
    shown = head + _visible(text[left:right]) + tail
    prefix = head + _visible(text[left:start])
    width = max(1, len(_visible(text[start:end])))
    return shown, " " * len(prefix) + "^" * width


def _visible(text: str) -> str:
    """Tabs shown as four spaces, so the caret lines up with what is printed."""
    return text.replace("\t", "    ")


def sort_key(diag: Diagnostic) -> tuple:
    span = diag.span
    return (diag.file, span.line if span else 0, span.column if span else 0, diag.code)
