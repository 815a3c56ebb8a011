"""Stage 1b: tokens to a syntax tree (`syntax.Module`), with diagnostics in words.

The file is cut into declarations at their leading keyword (declaration
keywords never occur inside a declaration) and each is parsed on its own with
lark's LALR parser, so every syntax error of a file is reported, one per
declaration. The parse tree is converted to `syntax` nodes without recursion,
and nesting deeper than `MAX_DEPTH` is a diagnostic, never a RecursionError.
"""
from __future__ import annotations

import ast
import os
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Tree
from lark import __version__ as lark_version
from lark.exceptions import LarkError, UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer

from . import diagnostics as codes
from . import syntax as S
from .diagnostics import Diagnostic
from .lexer import CANONICAL, DECL_KEYWORDS, Comment, tokenize
from .source import SourceFile, Span

MAX_DEPTH = 1000          # nesting levels of one expression
MAX_FILE_BYTES = 8 << 20  # larger files are refused with a diagnostic

_FORMULA_START = {"NAME", "NUMBER", "_LPAR", "NOT", "FORALL", "EXISTS", "MINUS", "TRUE", "FALSE", "IF"}
_OPERATORS = {"AND", "OR", "IMPLIES", "IFF", "EQ", "NE", "LT", "LE", "GT", "GE", "PLUS", "MINUS", "STAR"}
_WORDS = {
    "NAME": "a name", "NUMBER": "a number", "STRING": 'a quoted path like "other.align"',
    "_COLON": "':'", "ASSIGN": "':='", "_LPAR": "'('", "_RPAR": "')'", "_LBRACE": "'{'",
    "_RBRACE": "'}'", "_COMMA": "','", "_DOT": "'.'", "IMPLIES": "'->'", "EQ": "'='",
    "THEN": "'then'", "ELSE": "'else'", "WITHIN": "'within'", "EXPECT": "'expect'", "VIA": "'via'",
    "$END": "the end of the declaration",
}
_DECL_WORDS = "a declaration (import, sort, const, fun, pred, bridge, def, axiom, claim or example)"


class _TokenList(Lexer):
    """A lark 'lexer' that hands on tokens lexed already by `lexer.tokenize`."""

    def __init__(self, lexer_conf):  # noqa: D401 - lark's interface
        pass

    def lex(self, data):
        yield from data


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


class _TooDeep(Exception):
    def __init__(self, span: Span):
        self.span = span


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
    decls = []
    chunks = _chunks(lexed.tokens)
    for index, chunk in enumerate(chunks):
        if chunk[0].type not in DECL_KEYWORDS:
            diags.append(_error(source, chunk[0], f"expected {_DECL_WORDS}, found {_describe(chunk[0])}"))
            continue
        if any(t.line in bad_lines for t in chunk):
            continue  # a bad character here: parsing would only add noise
        following = chunks[index + 1][0] if index + 1 < len(chunks) else None
        decl, problem = _parse_chunk(source, chunk, following)
        if problem:
            diags.append(problem)
        elif decl is not None:
            decls.append(_with_doc(decl, docs, chunk[0].line))
    return S.Module(source.path, tuple(decls)), diags


def parse_file(path: str) -> tuple[S.Module, list[Diagnostic], SourceFile | None]:
    """Read and parse `path` (for tests and tools; the loader reads files itself)."""
    text = Path(path).read_text(encoding="utf-8")
    source = SourceFile(path, text)
    module, diags = parse_source(source)
    return module, diags, source


def _chunks(tokens: list[Token]) -> list[list[Token]]:
    chunks: list[list[Token]] = []
    for token in tokens:
        if token.type in DECL_KEYWORDS or not chunks:
            chunks.append([token])
        else:
            chunks[-1].append(token)
    return chunks


def _parse_chunk(source: SourceFile, chunk: list[Token], following: Token | None):
    try:
        tree = _lark().parse(chunk)
    except UnexpectedToken as err:
        return None, _syntax_error(source, chunk, err, following)
    except UnexpectedInput as err:  # pragma: no cover - the token-list lexer cannot fail
        return None, _error(source, chunk[0], f"cannot parse this declaration: {err}")
    except LarkError as err:  # pragma: no cover - defensive
        return None, _error(source, chunk[0], f"cannot parse this declaration: {err}")
    try:
        return _Converter(source.path).convert(tree), None
    except _TooDeep as deep:
        return None, Diagnostic(codes.TOO_DEEP, f"expression nested more than {MAX_DEPTH} levels deep",
                                deep.span, help="split it with a `def`")
    except _BinderError as bad:
        return None, Diagnostic(codes.SYNTAX, bad.message, bad.span, help=bad.help)


# ---------------------------------------------------------------- syntax errors in words

def _syntax_error(source: SourceFile, chunk: list[Token], err: UnexpectedToken,
                  following: Token | None) -> Diagnostic:
    token = err.token
    at_end = token.type == "$END"
    index = len(chunk) if at_end else next((i for i, t in enumerate(chunk) if t is token), 0)
    previous = chunk[index - 1] if index > 0 else None
    acceptable = _acceptable(err)
    expected = _expected_words(acceptable, previous)
    if at_end:
        found = f"'{following.value}' (the next declaration)" if following is not None else "the end of the file"
    else:
        found = _describe(token)
    after = f" after {_quote(previous)}" if previous is not None else ""
    message = f"expected {expected}{after}, found {found}"
    where = token if not at_end else None
    if where is None and previous is not None:
        span = Span(source.path, previous.end_line, previous.end_column,
                    previous.end_line, previous.end_column + 1)
    else:
        span = _token_span(source.path, where or chunk[0])
    return Diagnostic(codes.SYNTAX, message, span, help=_syntax_help(acceptable, previous, token))


def _acceptable(err: UnexpectedToken) -> set[str]:
    """The tokens that could really come next (LALR's own list merges contexts)."""
    parser = getattr(err, "interactive_parser", None)
    if parser is not None:
        try:
            return set(parser.accepts())
        except LarkError:  # pragma: no cover - defensive
            pass
    return set(err.expected)


def _expected_words(expected: set[str], previous: Token | None) -> str:
    if len(expected & _FORMULA_START) >= 3:
        if previous is not None and previous.type == "_COLON" and "NUMBER" not in expected:
            return "a type"
        return "a formula"
    if expected == {"NAME"} and previous is not None and previous.type == "_COLON":
        return "a type"
    words = []
    if expected & _OPERATORS and len(expected & _OPERATORS) > 2:
        words.append("an operator")
        expected = expected - _OPERATORS
    words += sorted({_WORDS.get(t, f"'{CANONICAL.get(t, t.lower().strip('_'))}'") for t in expected})
    if not words:
        return "something else"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _syntax_help(expected: set[str], previous: Token | None, token: Token) -> str | None:
    if token.type == "NAME" and previous is not None and previous.type == "NAME" and "_COMMA" in expected:
        return "separate names with ',': `forall a, b: Agent. ...`"
    if "_DOT" in expected and token.type in _FORMULA_START:
        return "a quantifier's binders end with '.': `forall a: Agent. p(a)`"
    if token.type in ("EXPECT", "WITHIN"):
        return "`within` and `expect` follow a claim's or example's formula"
    if token.type in ("LT", "LE", "GT", "GE", "EQ", "NE") and token.type not in expected:
        return "comparisons do not chain: write `a < b and b < c`"
    if token.type == "_DOT" and "NUMBER" in expected:
        return "write real numbers with a digit before the point: 0.5"
    return None


def _describe(token: Token) -> str:
    if token.type == "$END":
        return "the end of the file"
    if token.type == "NAME":
        return f"name '{token.value}'"
    if token.type == "NUMBER":
        return f"number {token.value}"
    return f"'{token.value}'"


def _quote(token: Token) -> str:
    return f"'{token.value}'"


def _error(source: SourceFile, token: Token, message: str) -> Diagnostic:
    return Diagnostic(codes.SYNTAX, message, _token_span(source.path, token))


def _token_span(path: str, token: Token) -> Span:
    return Span(path, token.line, token.column, token.end_line, token.end_column)


# ---------------------------------------------------------------- doc comments

def _doc_index(comments: list[Comment]) -> dict[int, Comment]:
    return {c.line: c for c in comments if c.alone}


def _with_doc(decl, docs: dict[int, Comment], line: int):
    lines = []
    line -= 1
    while line in docs:
        text = docs[line].text
        lines.append(text[1:] if text.startswith(" ") else text)
        line -= 1
    if not lines:
        return decl
    return _replace_doc(decl, "\n".join(reversed(lines)))


def _replace_doc(decl, doc: str):
    from dataclasses import replace
    return replace(decl, doc=doc)


# ---------------------------------------------------------------- parse tree to syntax tree

class _BinderError(Exception):
    def __init__(self, message: str, span: Span, help: str | None = None):
        self.message, self.span, self.help = message, span, help


class _Converter:
    """Post-order, stack-based conversion of a lark tree: depth is checked, never recursed."""

    def __init__(self, path: str):
        self.path = path
        self.handlers: dict[str, Callable] = {
            name[4:]: getattr(self, name) for name in dir(self) if name.startswith("_on_")
        }

    def convert(self, tree: Tree):
        values: list = []   # converted children, in order
        depths: list = []
        stack: list = [(tree, False)]
        while stack:
            node, done = stack.pop()
            if isinstance(node, Token):
                values.append(node)
                depths.append(0)
                continue
            if not done:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.children))
                continue
            count = len(node.children)
            kids = values[len(values) - count:] if count else []
            depth = 1 + max(depths[len(depths) - count:], default=0)
            del values[len(values) - count:]
            del depths[len(depths) - count:]
            span = self._span(node)
            if depth > MAX_DEPTH:
                raise _TooDeep(span)
            handler = self.handlers.get(node.data)
            if handler is None:
                raise LarkError(f"no conversion for grammar rule {node.data!r}")
            values.append(handler(span, kids))
            depths.append(depth)
        return values[0]

    def _span(self, node: Tree) -> Span:
        meta = node.meta
        if getattr(meta, "empty", True):
            return Span(self.path, 1, 1, 1, 1)
        return Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tspan(self, token: Token) -> Span:
        return _token_span(self.path, token)

    # declarations
    def _on_start(self, span, kids):
        return kids[0]

    def _on_import_decl(self, span, kids):
        literal = kids[1].value
        try:
            path = ast.literal_eval(literal)
        except (ValueError, SyntaxError):
            path = literal[1:-1]
        return S.Import(path, span)

    def _on_sort_decl(self, span, kids):
        name = kids[1]
        elements = kids[3] if len(kids) > 2 else None
        return S.SortDecl(name.value, tuple(t.value for t in elements) if elements is not None else None,
                          span, self._tspan(name),
                          tuple(self._tspan(t) for t in elements) if elements else ())

    def _on_names(self, span, kids):
        return kids

    def _on_const_decl(self, span, kids):
        return S.SymbolDecl("const", kids[1].value, (), kids[2], span, self._tspan(kids[1]))

    def _on_fun_decl(self, span, kids):
        return S.SymbolDecl("fun", kids[1].value, tuple(kids[2]), kids[4], span, self._tspan(kids[1]))

    def _on_pred_decl(self, span, kids):
        args = tuple(kids[2]) if len(kids) > 2 else ()
        return S.SymbolDecl("pred", kids[1].value, args, S.TypeRef("Bool", self._tspan(kids[0])),
                            span, self._tspan(kids[1]))

    def _on_bridge_decl(self, span, kids):
        return S.SymbolDecl("bridge", kids[1].value, (kids[2],), kids[4], span, self._tspan(kids[1]))

    def _on_types(self, span, kids):
        return kids

    def _on_type(self, span, kids):
        return S.TypeRef(kids[0].value, span)

    def _on_def_decl(self, span, kids):
        params = kids[2] if len(kids) == 5 else ()
        return S.DefDecl(kids[1].value, tuple(params), kids[-1], span, self._tspan(kids[1]))

    def _on_axiom_decl(self, span, kids):
        return S.AxiomDecl(kids[1].value, kids[2], span, self._tspan(kids[1]))

    def _on_query_decl(self, span, kids):
        keyword, name, formula, options = kids[0], kids[1], kids[2], kids[3:]
        fields: dict = {}
        for key, value in options:
            if key.type in fields:
                raise _BinderError(f"'{key.value}' given twice", self._tspan(key))
            fields[key.type] = (key, value)
        within = expect = None
        within_span = expect_span = None
        if "WITHIN" in fields:
            key, value = fields["WITHIN"]
            within_span = self._tspan(key).to(self._tspan(value))
            if "." in value.value or int(value.value) < 1:
                raise _BinderError("`within` needs a positive whole number of elements",
                                   self._tspan(value), help="e.g. `within 3`")
            within = int(value.value)
        if "EXPECT" in fields:
            key, value = fields["EXPECT"]
            expect, expect_span = value.value, self._tspan(key).to(self._tspan(value))
        return S.QueryDecl(keyword.value, name.value, formula, within, expect, span,
                           self._tspan(name), within_span, expect_span)

    def _on_option(self, span, kids):
        return kids[0], kids[1]

    def _on_binders(self, span, kids):
        binders: list[S.Binder] = []
        pending: list[Token] = []
        for name, type_ref in kids:
            pending.append(name)
            if type_ref is not None:
                binders += [S.Binder(t.value, type_ref, self._tspan(t)) for t in pending]
                pending = []
        if pending:
            last = pending[-1]
            raise _BinderError(f"'{last.value}' has no type: the last name of a binder list must be typed",
                               self._tspan(last), help=f"write `{last.value}: SomeSort`")
        return tuple(binders)

    def _on_binder(self, span, kids):
        return kids[0], (kids[1] if len(kids) > 1 else None)

    # formulas
    def _on_binary(self, span, kids):
        return S.Binary(kids[1].value, kids[0], kids[2], span)

    def _on_unary(self, span, kids):
        return S.Unary(kids[0].value, kids[1], span)

    def _on_compare(self, span, kids):
        return S.Compare(kids[1].value, kids[0], kids[2], span)

    def _on_cmp_op(self, span, kids):
        return kids[0]

    def _on_quant(self, span, kids):
        return S.Quant(kids[0].value, kids[1], kids[2], span)

    def _on_ite(self, span, kids):
        return S.Ite(kids[1], kids[3], kids[5], span)

    def _on_name(self, span, kids):
        return S.Name(kids[0].value, span)

    def _on_number(self, span, kids):
        return S.Number(kids[0].value, span)

    def _on_true(self, span, kids):
        return S.BoolLit(True, span)

    def _on_false(self, span, kids):
        return S.BoolLit(False, span)

    def _on_apply(self, span, kids):
        return S.Apply(kids[0].value, tuple(kids[1]), span, self._tspan(kids[0]))

    def _on_args(self, span, kids):
        return kids

    def _on_via(self, span, kids):
        return S.Via(kids[0], kids[2].value, span, self._tspan(kids[2]))
