"""Output stage: colour for `.align` text, through Pygments.

`AlignLexer` is registered as the Pygments lexer `align` (entry point in
pyproject.toml), so `pygmentize -l align`, LaTeX's `minted`, Sphinx and
MkDocs colour specs. It splits text exactly where the project's lexer
(`frontend/lexer.py`) does, and takes its keywords, symbols and built-in
types from there; it adds the keywords of LANGUAGE.md §6 until that lexer has
them. Doc comments (a run of comment lines directly above a declaration, as
the parser reads them) are `Comment.Special`; a character the project's lexer
rejects is an `Error` token. `highlight_html` and `highlight_latex` hand on
coloured fragments (`highlight_inline` for a formula in a line of text; `html_css` and
`latex_preamble` for their styles) to the HTML report (`html_spec.py`). The
reader's page fences its excerpts as ```` ```align ````, this lexer's alias.

This is the only module that imports pygments.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from pygments import highlight
from pygments.formatters import HtmlFormatter, LatexFormatter
from pygments.lexer import RegexLexer, bygroups, default, words
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
    _TokenType,
)

from ..frontend import lexer as project
from ..logic.core import BUILTINS

# LANGUAGE.md §6 (lemmas, readings, `expect ... in R`): reserved here now, a
# no-op once the project's lexer lists them too.
SECTION6_KEYWORDS = ("lemma", "reading", "end", "drop", "in")
SECTION6_DECLARATIONS = ("lemma", "reading")

KEYWORDS = tuple(dict.fromkeys([*project.KEYWORDS, *SECTION6_KEYWORDS]))
DECLARATIONS = tuple(k for k in KEYWORDS if k.upper() in project.DECL_KEYWORDS or k in SECTION6_DECLARATIONS)
TYPES = tuple(dict.fromkeys([*project.TYPE_SYMBOLS.values(), *project.TYPE_SYMBOLS]))
# What `expect` may name (the type checker's EXPECTATIONS; a test keeps them equal).
VERDICTS = ("proved", "counterexample", "witness", "none")

_QUANTIFIERS = frozenset({"FORALL", "EXISTS"})
_CONSTANTS = frozenset({"TRUE", "FALSE"})
# The kind of name that follows each declaration keyword.
_DECLARED = {"sort": Name.Class, "const": Name.Constant, "fun": Name.Function, "pred": Name.Function,
             "bridge": Name.Function, "def": Name.Function, "axiom": Name.Label, "claim": Name.Label,
             "example": Name.Label, "lemma": Name.Label, "reading": Name.Namespace}

_WS = r"[ \t\r\n\f]+"  # the project's whitespace, not Unicode's
_NAME = r"[A-Za-z_][A-Za-z0-9_']*"
_END = r"(?![A-Za-z0-9_'])"  # a keyword is a whole identifier


def symbol_token(token_type: str) -> _TokenType:
    """The Pygments token of a symbol of the project's lexer, by its token type."""
    if token_type.startswith("_"):
        return Punctuation
    if token_type in _QUANTIFIERS:
        return Keyword
    if project.CANONICAL.get(token_type, "").isalpha():
        return Operator.Word
    return Operator


def keyword_token(word: str) -> _TokenType:
    """The Pygments token of a keyword."""
    if word == "import":
        return Keyword.Namespace
    if word in DECLARATIONS:
        return Keyword.Declaration
    if word.upper() in _CONSTANTS:
        return Keyword.Constant
    if word.upper() in project.SYMBOLS.values():
        return symbol_token(word.upper())
    return Keyword


def _alternatives(items: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(item) for item in sorted(items, key=len, reverse=True))


_NOT_KEYWORD = rf"(?!(?:{_alternatives(KEYWORDS)}){_END})"


def _doc_comment_rule() -> tuple:
    """A lone comment line in the run of comment lines directly above a declaration: documentation,
    unless a heading (`project.is_heading`) is this line or stands between it and the declaration."""
    lone_comment = r"[ \t]*#[^\n]*\n"
    ahead = rf"(?=((?:{lone_comment})*)[ \t]*(?:{_alternatives(DECLARATIONS)}){_END})"
    return rf"^([ \t]*)(#[^\n]*)(\n){ahead}", _doc_comment


def _doc_comment(lexer: RegexLexer, match: re.Match) -> Iterator[tuple[int, _TokenType, str]]:
    below = [line.strip()[1:] for line in match.group(4).splitlines()]
    heading = any(project.is_heading(text) for text in [match.group(2)[1:], *below])
    yield match.start(1), Whitespace, match.group(1)
    yield match.start(2), Comment.Single if heading else Comment.Special, match.group(2)
    yield match.start(3), Whitespace, match.group(3)


def _declaration_rules() -> list[tuple]:
    rules: list[tuple] = [
        (rf"(sort)({_WS})({_NOT_KEYWORD}{_NAME})((?:{_WS})?)(=)((?:{_WS})?)(\{{)",
         bygroups(Keyword.Declaration, Whitespace, Name.Class, Whitespace, Operator, Whitespace, Punctuation),
         "elements"),
    ]
    for word, token in _DECLARED.items():
        rules.append((rf"({word})({_WS})({_NOT_KEYWORD}{_NAME})", bygroups(keyword_token(word), Whitespace, token)))
    rules.append((rf"(expect)({_WS})({_alternatives(VERDICTS)}){_END}", bygroups(Keyword, Whitespace, Keyword.Pseudo)))
    rules.append((rf"(in)({_WS})({_NOT_KEYWORD}{_NAME})", bygroups(Keyword, Whitespace, Name.Namespace)))
    return rules


def _word_rules() -> list[tuple]:
    by_token: dict[_TokenType, list[str]] = {}
    for word in KEYWORDS:
        by_token.setdefault(keyword_token(word), []).append(word)
    rules: list[tuple] = [(words(tuple(group), suffix=_END), token) for token, group in by_token.items()]
    rules.append((words(tuple(project.TYPE_SYMBOLS.values()), suffix=_END), Keyword.Type))
    rules.append((words(BUILTINS, suffix=_END), Name.Builtin))
    rules.append((_NAME, Name))
    return rules


def _symbol_rules() -> list[tuple]:
    ordered = sorted(project.SYMBOLS, key=len, reverse=True)
    rules: list[tuple] = [(project.LOOKALIKE_RE, Error)]  # `=>`, `&&`, `⇒`, ...: reported by the project's lexer
    rules += [(re.escape(symbol), symbol_token(project.SYMBOLS[symbol])) for symbol in ordered]
    rules.append((f"[{''.join(project.TYPE_SYMBOLS)}]", Keyword.Type))
    return rules


class AlignLexer(RegexLexer):
    """Pygments lexer for alignproof specs (`.align`)."""

    name = "alignproof"
    aliases = ["align", "alignproof"]
    filenames = ["*.align"]
    mimetypes = ["text/x-align"]

    tokens = {
        "root": [
            _doc_comment_rule(),
            (r"\n", Whitespace),
            (r"[ \t\r\f]+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r"[0-9]+\.[0-9]+", Number.Float),
            (r"[0-9]+", Number.Integer),
            *_declaration_rules(),
            *_word_rules(),
            (r'"(?:[^"\\\n]|\\.)*"', String.Double),
            (r'"[^\n]*', Error),  # unterminated, as the project's lexer says
            *_symbol_rules(),
        ],
        # The elements of `sort S = {a, b}`.
        "elements": [
            (_WS, Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r",", Punctuation),
            (r"\}", Punctuation, "#pop"),
            (_NOT_KEYWORD + _NAME, Name.Constant),
            default("#pop"),  # a keyword or anything else: the braces were not closed
        ],
    }


STYLE = "default"
LATEX_PREFIX = "PYalign"
# pdflatex has no glyphs for the Unicode spellings: math symbols stand in.
_LATEX_UNICODE = {"∀": r"\forall", "∃": r"\exists", "¬": r"\neg", "∧": r"\wedge", "∨": r"\vee",
                  "→": r"\rightarrow", "↔": r"\leftrightarrow", "≠": r"\neq", "≤": r"\leq", "≥": r"\geq",
                  "ℝ": r"\mathbb{R}", "ℤ": r"\mathbb{Z}", "𝔹": r"\mathbb{B}"}


def highlight_html(text: str, *, cssclass: str = "highlight", inline_styles: bool = False) -> str:
    """`text` as a `<div class=CSSCLASS><pre>` block; style it with `html_css(CSSCLASS)`,
    or pass `inline_styles=True` for a fragment that carries its own colours."""
    formatter = HtmlFormatter(style=STYLE, cssclass=cssclass, noclasses=inline_styles)
    return str(highlight(text, AlignLexer(), formatter))


def highlight_inline(text: str, *, cssclass: str = "highlight") -> str:
    """`text` as a `<code class=CSSCLASS>` element for a line of prose or a table cell (no `<pre>`,
    no line break added); style it with `html_css(CSSCLASS)`."""
    spans = str(highlight(text, AlignLexer(ensurenl=False), HtmlFormatter(style=STYLE, nowrap=True)))
    return f'<code class="{cssclass}">{spans.rstrip(chr(10))}</code>'


def html_css(cssclass: str = "highlight") -> str:
    """The style sheet for `highlight_html(..., cssclass=CSSCLASS)` and `highlight_inline`: every rule
    under `.CSSCLASS`, so that it restyles nothing else of the page it is put in."""
    formatter = HtmlFormatter(style=STYLE, cssclass=cssclass)
    rules = formatter.get_background_style_defs(f".{cssclass}") + formatter.get_token_style_defs(f".{cssclass}")
    return "\n".join(rules) + "\n"


def highlight_latex(text: str) -> str:
    """`text` as a fancyvrb `Verbatim` environment; needs `latex_preamble()`."""
    return str(highlight(text, AlignLexer(), LatexFormatter(style=STYLE, commandprefix=LATEX_PREFIX)))


def latex_preamble() -> str:
    """Packages and colour commands for `highlight_latex`, and math glyphs for the Unicode symbols."""
    unicode = "\n".join(rf"\DeclareUnicodeCharacter{{{ord(char):04X}}}{{\ensuremath{{{command}}}}}"
                        for char, command in _LATEX_UNICODE.items())
    styles = LatexFormatter(style=STYLE, commandprefix=LATEX_PREFIX).get_style_defs()
    return "\\usepackage{fancyvrb}\n\\usepackage{color}\n\\usepackage{amssymb}\n" + unicode + "\n" + styles
