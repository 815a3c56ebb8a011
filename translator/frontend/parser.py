"""Stage 1b: tokens to a syntax tree (`syntax.Module`), with diagnostics in words.

The file is cut into declarations at their leading keyword (declaration
keywords never occur inside a declaration; one that does, as in `pred example:
S`, is a keyword used as a name), and at a name that stands where a keyword
would (`fn f: A -> A` on a line of its own), and each is parsed on its own
with lark's LALR parser, so every syntax error of a file is reported, one per
declaration (`parse_errors` words them). A declaration that did not parse
leaves its name in `Module.unparsed`, for the type checker's hint. `convert` turns each parse tree into `syntax`
nodes without recursion; nesting deeper than `MAX_DEPTH` is a diagnostic,
never a RecursionError.

Doc comments are attached here: a declaration's documentation is the run of
comment lines directly above it, each alone on its line, up to a blank line
or a heading. A heading is a comment whose text starts with another `#`
(`## Bridges`) or starts or ends with three of the same rule character
(`- = * ~ _ + #`: `# ---- Bridges ----`, `# ==== bridge 1`); it documents a
part of the file, so it is not part of the documentation, and only the lines
between it and the declaration are.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from lark import Lark, Token
from lark import __version__ as lark_version
from lark.exceptions import LarkError, UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer, LexerState

from . import diagnostics as codes
from . import syntax as S
from .blocks import FAILED_HEADER, fold
from .convert import MAX_DEPTH, BadDecl, Converter, TooDeep, token_span
from .diagnostics import Diagnostic
from .lexer import BLOCK_KEYWORDS, DECL_KEYWORDS, Comment, is_heading, tokenize
from .parse_errors import DECL_WORDS, OPERATOR_WORDS, describe, misspelt_keyword, syntax_error
from .source import SourceFile, Span

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "parse_source", "parse_file"]

MAX_FILE_BYTES = 8 << 20  # larger files are refused with a diagnostic

# Tokens a declaration can end with: a declaration keyword after one of these starts the next one.
_ENDS = frozenset({"NAME", "NUMBER", "STRING", "_RPAR", "_RBRACE", "TRUE", "FALSE", "END"})
# Each of these starts a chunk: the declarations, and the parts of a reading block.
_STARTS = DECL_KEYWORDS | BLOCK_KEYWORDS


class _TokenList(Lexer):
    """A lark 'lexer' that hands on tokens lexed already by `lexer.tokenize`."""

    __future_interface__ = 2  # lark's current interface: `lex` gets the lexer state, whose text is the tokens

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        tokens: Any = lexer_state.text  # the list `parse_source` passed to `Lark.parse`
        yield from tokens


@lru_cache(maxsize=1)
def _lark() -> Lark:
    """The LALR parser; its tables come from the user's cache when they were built before."""
    return Lark.open("grammar.lark", rel_to=__file__, parser="lalr", lexer=_TokenList,
                     strict=True, propagate_positions=True, maybe_placeholders=False,
                     cache=_cache_file())


def _cache_file() -> str | bool:
    """Where lark keeps the parser tables between runs (building them costs ~70 ms a process).

    In `$ALIGNPROOF_CACHE` (empty: no cache), else `$XDG_CACHE_HOME/alignproof` or
    `~/.cache/alignproof`, never a shared temporary directory (lark unpickles the file). Lark
    stores a hash of the grammar, its options and versions in the file and rebuilds the
    tables when it does not match; a cache that cannot be written is silently not used.
    """
    folder = os.environ.get("ALIGNPROOF_CACHE")
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "alignproof")
    if not folder:
        return False
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return False
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    return os.path.join(folder, f"grammar-lark{lark_version}-py{sys.version_info[0]}{sys.version_info[1]}.cache")


def parse_source(source: SourceFile) -> tuple[S.Module, list[Diagnostic]]:
    """Parse a whole file; returns the declarations that parsed and every diagnostic."""
    if len(source.text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        span = Span(source.path, 1, 1, 1, 2)
        return S.Module(source.path, ()), [Diagnostic(
            codes.TOO_LARGE, f"file is larger than {MAX_FILE_BYTES >> 20} MiB", span,
            help="split the specification into files joined with `import`")]
    lexed = tokenize(source)
    diags = list(lexed.diagnostics)
    bad_lines = {d.span.line for d in lexed.diagnostics if d.span}
    docs = _doc_index(lexed.comments)
    parsed: list[object] = []
    unparsed: list[tuple[str, Span]] = []
    chunks = _chunks(lexed.tokens)
    for index, chunk in enumerate(chunks):
        if chunk[0].type not in _STARTS:
            diags.append(Diagnostic(codes.SYNTAX, f"expected {DECL_WORDS}, found {describe(chunk[0])}",
                                    token_span(source.path, chunk[0]), help=misspelt_keyword(chunk[0])))
            unparsed += _declared_name(source, chunk)
            continue
        if any(t.line in bad_lines for t in chunk):
            if chunk[0].type == "READING":
                parsed.append(FAILED_HEADER)
            unparsed += _declared_name(source, chunk)
            continue  # a bad character here: parsing would only add noise
        following = chunks[index + 1][0] if index + 1 < len(chunks) else None
        decl, problem = _parse_chunk(source, chunk, following)
        if problem:
            diags.append(problem)
            unparsed += _declared_name(source, chunk)
            if chunk[0].type == "READING":
                parsed.append(FAILED_HEADER)
        elif decl is not None:
            parsed.append(_with_doc(decl, docs, chunk[0].line or 1))
    decls, problems = fold(parsed, source.path)
    return S.Module(source.path, tuple(decls), tuple(unparsed)), diags + problems


def _declared_name(source: SourceFile, chunk: list[Token]) -> list[tuple[str, Span]]:
    """The name a declaration that did not parse was to declare (`fn f: ...`: f), with its place."""
    if len(chunk) < 2 or chunk[1].type != "NAME" or chunk[0].type in ("IMPORT", "DROP", "END"):
        return []
    return [(str(chunk[1].value), token_span(source.path, chunk[0]))]


def parse_file(path: str) -> tuple[S.Module, list[Diagnostic], SourceFile | None]:
    """Read and parse `path` (for tests and tools; the loader reads files itself)."""
    text = Path(path).read_text(encoding="utf-8")
    source = SourceFile(path, text)
    module, diags = parse_source(source)
    return module, diags, source


def _chunks(tokens: list[Token]) -> list[list[Token]]:
    """The tokens of each declaration: a new one at each declaration keyword that starts one, and
    at a word standing where a declaration keyword would (`_stands_for_keyword`)."""
    chunks: list[list[Token]] = []
    for index, token in enumerate(tokens):
        if not chunks or (token.type in _STARTS and _starts_declaration(tokens, index)) \
                or _stands_for_keyword(tokens, index):
            chunks.append([token])
        else:
            chunks[-1].append(token)
    return chunks


def _stands_for_keyword(tokens: list[Token], index: int) -> bool:
    """Whether the name at `index` is a declaration's keyword misspelt (`fn f: A -> A`,
    `theorem t: ...`): it opens its line after a token a declaration can end with, and a name
    follows it on its line. Two names in a row are never valid inside a declaration, so
    the declaration above keeps its tokens and is parsed on its own; only the misspelt line
    is reported. Operator words (`implies q`) stay with the formula they continue."""
    token = tokens[index]
    if token.type != "NAME" or index == 0 or index + 1 >= len(tokens) or token.value in OPERATOR_WORDS:
        return False
    previous, following = tokens[index - 1], tokens[index + 1]
    return (previous.line != token.line and previous.type in _ENDS
            and following.type == "NAME" and following.line == token.line)


def _starts_declaration(tokens: list[Token], index: int) -> bool:
    """Whether the declaration keyword at `index` begins a declaration rather than stand for a name.

    It does when it opens its line, follows a token a declaration can end with, or is followed
    by what follows a declaration keyword (a name; a path after `import`). Otherwise, as in
    `pred example: S` or `f(claim)`, it is a keyword used as a name, reported as such.
    """
    token, previous = tokens[index], tokens[index - 1]
    if previous.type == "DROP":
        return False  # `drop axiom NAME` is one part of a reading
    if previous.line != token.line or previous.type in _ENDS:
        return True
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    return following is not None and following.type == ("STRING" if token.type == "IMPORT" else "NAME")


def _parse_chunk(source: SourceFile, chunk: list[Token],
                 following: Token | None) -> tuple[S.Decl | None, Diagnostic | None]:
    try:
        tree = _lark().parse(chunk)
    except UnexpectedToken as err:
        return None, syntax_error(source, chunk, err, following)
    except UnexpectedInput as err:  # pragma: no cover - the token-list lexer cannot fail
        return None, _error(source, chunk[0], f"cannot parse this declaration: {err}")
    except LarkError as err:  # pragma: no cover - defensive
        return None, _error(source, chunk[0], f"cannot parse this declaration: {err}")
    try:
        return Converter(source.path).convert(tree), None
    except TooDeep as deep:
        return None, Diagnostic(codes.TOO_DEEP, f"expression nested more than {MAX_DEPTH} levels deep",
                                deep.span, help="split it with a `def`")
    except BadDecl as bad:
        return None, Diagnostic(bad.code, bad.message, bad.span, help=bad.help)


def _error(source: SourceFile, token: Token, message: str) -> Diagnostic:
    return Diagnostic(codes.SYNTAX, message, token_span(source.path, token))


# ---------------------------------------------------------------- doc comments


def _doc_index(comments: list[Comment]) -> dict[int, Comment]:
    return {c.line: c for c in comments if c.alone}


def _with_doc(decl: S.Decl, docs: dict[int, Comment], line: int) -> S.Decl:
    """`decl` with its documentation: the comment lines directly above it, up to a blank line or a heading."""
    lines = []
    line -= 1
    while line in docs and not is_heading(docs[line].text):
        text = docs[line].text
        lines.append(text[1:] if text.startswith(" ") else text)
        line -= 1
    doc = "\n".join(reversed(lines)).strip("\n")
    return replace(decl, doc=doc) if doc else decl
