"""The Pygments lexer for `.align` (`translator/outputs/highlight.py`).

It must split text where the project's lexer does (so a file of the spec
library never shows an error token, and a bad character shows exactly one),
give every class of token its own Pygments token, and be found by Pygments
and `pygmentize` through the entry point after `pip install -e .`.
"""
from __future__ import annotations

import ast
import importlib.metadata
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pygments.lexers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments.token import Comment, Error, Keyword, Name, Number, Operator, Punctuation, String, Whitespace

from translator.frontend import lexer as project
from translator.frontend.parser import parse_source
from translator.frontend.source import SourceFile
from translator.frontend.typecheck import EXPECTATIONS
from translator.logic.core import BUILTINS
from translator.outputs import highlight
from translator.outputs.highlight import AlignLexer, highlight_html, highlight_latex, html_css, latex_preamble

ROOT = Path(__file__).resolve().parents[2]
EVERY_TOKEN = ROOT / "tests" / "fixtures" / "every_token.align"
SPEC_FILES = sorted((ROOT / "spec").rglob("*.align"))
GOLDEN_FILES = sorted((ROOT / "tests" / "golden").glob("*.align"))
ALL_FILES = [*SPEC_FILES, *GOLDEN_FILES, EVERY_TOKEN]
WITH_BAD_CHARACTERS = {"syntax_errors.align"}  # a `/` on purpose


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def _pygments(text: str) -> list[tuple[int, object, str]]:
    return [t for t in AlignLexer().get_tokens_unprocessed(text) if t[2]]


def _project(text: str):
    return project.tokenize(SourceFile("x.align", text))


def _kinds(text: str) -> list[tuple[object, str]]:
    """Pygments tokens of `text` without whitespace."""
    return [(token, value) for _, token, value in _pygments(text) if token is not Whitespace]


def test_the_spec_library_is_there():
    assert len(SPEC_FILES) >= 6 and len(GOLDEN_FILES) >= 7


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_splits_where_the_project_lexer_does(path):
    text = path.read_text(encoding="utf-8")
    ours = _pygments(text)
    assert "".join(value for _, _, value in ours) == text
    lexed = _project(text)
    tokens = [(t.start_pos, text[t.start_pos:t.end_pos]) for t in lexed.tokens]
    assert [(pos, value) for pos, token, value in ours if token not in Comment and token not in (Whitespace, Error)] \
        == tokens
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    comments = [(line_starts[c.line - 1] + c.column - 1, "#" + c.text) for c in lexed.comments]
    assert [(pos, value) for pos, token, value in ours if token in Comment] == comments
    bad = [line_starts[d.span.line - 1] + d.span.column - 1 for d in lexed.diagnostics]
    assert [pos for pos, token, _ in ours if token is Error] == bad
    assert bool(bad) == (path.name in WITH_BAD_CHARACTERS)


@pytest.mark.parametrize("path", SPEC_FILES, ids=_ids(SPEC_FILES))
def test_doc_comments_are_the_parsers(path):
    text = path.read_text(encoding="utf-8")
    module, diags = parse_source(SourceFile(str(path), text))
    assert not diags
    declared = [*module.decls, *(item for d in module.decls for item in getattr(d, "items", ()))]  # a reading's too
    docs = sorted(d.doc for d in declared if d.doc)
    runs: list[list[str]] = []
    previous_line = -2
    for pos, token, value in _pygments(text):
        if token is Comment.Special:
            line = text.count("\n", 0, pos)
            if line != previous_line + 1:
                runs.append([])
            runs[-1].append(value[2:] if value.startswith("# ") else value[1:])
            previous_line = line
    assert docs and sorted("\n".join(run) for run in runs) == docs


@pytest.mark.parametrize("text, expected", [
    ("# a remark\n\nsort S", [(Comment.Single, "# a remark"), (Keyword.Declaration, "sort"), (Name.Class, "S")]),
    ("# about S\n# more\nsort S", [(Comment.Special, "# about S"), (Comment.Special, "# more"),
                                   (Keyword.Declaration, "sort"), (Name.Class, "S")]),
    ("  # indented doc\n  claim c: true", [(Comment.Special, "# indented doc"), (Keyword.Declaration, "claim"),
                                          (Name.Label, "c"), (Punctuation, ":"), (Keyword.Constant, "true")]),
    ("sort S  # trailing\nsort T", [(Keyword.Declaration, "sort"), (Name.Class, "S"), (Comment.Single, "# trailing"),
                                    (Keyword.Declaration, "sort"), (Name.Class, "T")]),
    ("# above a formula line\n  forall x: S. p(x)", [(Comment.Single, "# above a formula line"), (Keyword, "forall"),
                                                     (Name, "x"), (Punctuation, ":"), (Name, "S"), (Punctuation, "."),
                                                     (Name, "p"), (Punctuation, "("), (Name, "x"), (Punctuation, ")")]),
], ids=["comment", "doc comment", "indented doc", "trailing comment", "comment before a non-declaration"])
def test_comments(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize("word, kind", [
    ("sort", Name.Class), ("const", Name.Constant), ("fun", Name.Function), ("pred", Name.Function),
    ("bridge", Name.Function), ("def", Name.Function), ("axiom", Name.Label), ("claim", Name.Label),
    ("example", Name.Label), ("lemma", Name.Label), ("reading", Name.Namespace),
])
def test_declared_names(word, kind):
    assert _kinds(f"{word} x'1")[:2] == [(Keyword.Declaration, word), (kind, "x'1")]


def test_identifiers_with_primes_and_underscores():
    assert _kinds("f' _g sort' x''y in'") == [(Name, "f'"), (Name, "_g"), (Name, "sort'"), (Name, "x''y"),
                                              (Name, "in'")]


def test_every_keyword_is_one_keyword_token():
    for word in highlight.KEYWORDS:
        ((token, value),) = _kinds(word)
        assert value == word and (token in Keyword or token is Operator.Word), word


def test_keywords_are_the_project_lexers_and_section_6s():
    assert set(highlight.KEYWORDS) == set(project.KEYWORDS) | {"lemma", "reading", "end", "drop", "in"}
    assert {k.upper() for k in highlight.DECLARATIONS} >= set(project.DECL_KEYWORDS)


@pytest.mark.parametrize("text, expected", [
    ("forall ∀ exists ∃", [(Keyword, "forall"), (Keyword, "∀"), (Keyword, "exists"), (Keyword, "∃")]),
    ("not ¬ and ∧ or ∨", [(Operator.Word, w) for w in "not ¬ and ∧ or ∨".split()]),
    ("true false", [(Keyword.Constant, "true"), (Keyword.Constant, "false")]),
    ("if then else within via", [(Keyword, w) for w in "if then else within via".split()]),
    ("drop end", [(Keyword, "drop"), (Keyword, "end")]),
    ("import", [(Keyword.Namespace, "import")]),
    ("expect proved", [(Keyword, "expect"), (Keyword.Pseudo, "proved")]),
    ("expect counterexample in strict", [(Keyword, "expect"), (Keyword.Pseudo, "counterexample"),
                                         (Keyword, "in"), (Name.Namespace, "strict")]),
    ("expect witness expect none", [(Keyword, "expect"), (Keyword.Pseudo, "witness"),
                                    (Keyword, "expect"), (Keyword.Pseudo, "none")]),
    ("expect proof", [(Keyword, "expect"), (Name, "proof")]),
], ids=["quantifiers", "connectives", "constants", "other keywords", "readings", "import", "expect",
        "expect in a reading", "expect of examples", "not a verdict"])
def test_keywords(text, expected):
    assert _kinds(text) == expected


def test_verdict_words_are_the_type_checkers():
    assert set(highlight.VERDICTS) == {v for pair in EXPECTATIONS.values() for v in pair}


def test_every_symbol_is_one_token_of_its_class():
    for symbol, token_type in project.SYMBOLS.items():
        ((token, value),) = _kinds(symbol)
        assert value == symbol, symbol
        if token_type.startswith("_"):
            assert token is Punctuation, symbol
        else:
            assert token in Operator or token is Keyword, symbol


@pytest.mark.parametrize("text, expected", [
    ("-> → <-> ↔", [(Operator, s) for s in "-> → <-> ↔".split()]),
    ("= != ≠ < <= ≤ > >= ≥", [(Operator, s) for s in "= != ≠ < <= ≤ > >= ≥".split()]),
    ("+ - * :=", [(Operator, s) for s in "+ - * :=".split()]),
    ("( ) { } , : .", [(Punctuation, s) for s in "( ) { } , : .".split()]),
    ("a<->b", [(Name, "a"), (Operator, "<->"), (Name, "b")]),
    ("a:=b", [(Name, "a"), (Operator, ":="), (Name, "b")]),
], ids=["implication and equivalence", "comparisons", "arithmetic and definition", "punctuation",
        "longest symbol first", "colon-equals"])
def test_operators(text, expected):
    assert _kinds(text) == expected


def test_built_in_types_in_both_spellings():
    assert _kinds("Real ℝ Int ℤ Bool 𝔹 Reals") == [(Keyword.Type, t) for t in "Real ℝ Int ℤ Bool 𝔹".split()] \
        + [(Name, "Reals")]
    assert set(highlight.TYPES) == set(project.TYPE_SYMBOLS) | set(project.TYPE_SYMBOLS.values())


def test_built_ins():
    text = " ".join(BUILTINS) + " agree_with"
    assert _kinds(text) == [(Name.Builtin, b) for b in BUILTINS] + [(Name, "agree_with")]
    assert {"agree", "agree_on", "maximizes", "injective", "surjective"} <= set(BUILTINS)


def test_numbers():
    assert _kinds("0 42 3.5 -2 3.") == [(Number.Integer, "0"), (Number.Integer, "42"), (Number.Float, "3.5"),
                                        (Operator, "-"), (Number.Integer, "2"), (Number.Integer, "3"),
                                        (Punctuation, ".")]


def test_strings():
    assert _kinds('import "a/b.align"') == [(Keyword.Namespace, "import"), (String.Double, '"a/b.align"')]
    assert _kinds(r'import "say \"hi\".align"') == [(Keyword.Namespace, "import"),
                                                    (String.Double, r'"say \"hi\".align"')]
    assert _kinds('import "open\nsort S') == [(Keyword.Namespace, "import"), (Error, '"open'),
                                              (Keyword.Declaration, "sort"), (Name.Class, "S")]


def test_finite_sort_elements():
    assert _kinds("sort D = {a, b'}") == [(Keyword.Declaration, "sort"), (Name.Class, "D"), (Operator, "="),
                                          (Punctuation, "{"), (Name.Constant, "a"), (Punctuation, ","),
                                          (Name.Constant, "b'"), (Punctuation, "}")]
    # braces left open: the next declaration is still one
    assert _kinds("sort D = {a\nclaim c: true")[4:7] == [(Name.Constant, "a"), (Keyword.Declaration, "claim"),
                                                         (Name.Label, "c")]


def test_bad_characters_are_error_tokens():
    assert _kinds("f(s) / 2 & 'x é") == [(Name, "f"), (Punctuation, "("), (Name, "s"), (Punctuation, ")"),
                                         (Error, "/"), (Number.Integer, "2"), (Error, "&"), (Error, "'"),
                                         (Name, "x"), (Error, "é")]
    # whitespace is the project's: a no-break space is a bad character, even after a keyword
    assert _kinds("sort\u00a0S") == [(Keyword.Declaration, "sort"), (Error, "\u00a0"), (Name, "S")]


_ALPHABET = st.sampled_from([*project.SYMBOLS, *project.TYPE_SYMBOLS, *highlight.KEYWORDS, *BUILTINS,
                             "x", "x'", "_", "1", "2.5", " ", "\n", "\t", "#", "# doc\n", '"', '"s"', "\\",
                             "'", "/", "é", "\u00a0", "Real", "proved", "{", "}"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_random_text_splits_where_the_project_lexer_does(text):
    ours = _pygments(text)
    assert "".join(value for _, _, value in ours) == text
    lexed = _project(text)
    assert [(pos, value) for pos, token, value in ours if token not in Comment and token not in (Whitespace, Error)] \
        == [(t.start_pos, text[t.start_pos:t.end_pos]) for t in lexed.tokens]
    assert len([t for t in ours if t[1] is Error]) == len(lexed.diagnostics)


def test_registered_as_a_pygments_entry_point():
    points = {p.name: p.value for p in importlib.metadata.entry_points(group="pygments.lexers")}
    assert points.get("align") == "translator.outputs.highlight:AlignLexer", \
        "the entry point is missing from the installed metadata: run `pip install -e .` again"
    for alias in ("align", "alignproof"):
        assert isinstance(pygments.lexers.get_lexer_by_name(alias), AlignLexer)
    assert isinstance(pygments.lexers.get_lexer_for_filename("spec/hubinger.align"), AlignLexer)


def _pygmentize() -> str:
    found = shutil.which("pygmentize", path=str(Path(sys.executable).parent))
    assert found, "pygmentize is installed with pygments, beside this Python"
    return found


def test_pygmentize_writes_latex_and_html():
    hubinger = str(ROOT / "spec" / "hubinger.align")
    latex = subprocess.run([_pygmentize(), "-l", "align", "-f", "latex", hubinger],
                           capture_output=True, text=True, timeout=120)
    assert latex.returncode == 0, latex.stderr
    assert latex.stdout.startswith(r"\begin{Verbatim}[commandchars=\\\{\}]")
    assert r"\PY{k+kd}{sort}" in latex.stdout and r"\PY{n+nc}{Agent}" in latex.stdout
    assert r"\PY{c+cs}{\PYZsh{} The model is itself an optimizer" in latex.stdout
    html = subprocess.run([_pygmentize(), "-f", "html", hubinger], capture_output=True, text=True, timeout=120)
    assert html.returncode == 0, html.stderr
    assert '<span class="kd">claim</span>' in html.stdout and 'class="err"' not in html.stdout


def test_highlight_html_and_its_css():
    page = highlight_html("# doc\nclaim c: ∀ x: S. p(x) -> true\n", cssclass="align")
    assert page.startswith('<div class="align"><pre>')
    assert '<span class="cs"># doc</span>' in page and '<span class="nl">c</span>' in page
    assert '<span class="k">∀</span>' in page and '<span class="o">-&gt;</span>' in page
    css = html_css("align")
    assert ".align .kd {" in css and ".align .cs {" in css
    inline = highlight_html("sort S\n", inline_styles=True)
    assert "class=" not in inline.replace('class="highlight"', "") and 'style="' in inline


def test_highlight_latex_and_its_preamble():
    body = highlight_latex("sort S\nclaim c: ∀ x: S. p(x) ≤ 𝔹\n")
    assert body.startswith(r"\begin{Verbatim}[commandchars=\\\{\}]")
    assert r"\PYalign{k+kd}{sort}" in body and r"\PYalign{k}{∀}" in body
    preamble = latex_preamble()
    assert r"\newcommand\PYalign[2]" in preamble or r"\def\PYalign@" in preamble
    unicode_symbols = {c for c in [*project.SYMBOLS, *project.TYPE_SYMBOLS] if not c.isascii()}
    declared = {chr(int(code, 16)) for code in re.findall(r"DeclareUnicodeCharacter\{([0-9A-F]+)\}", preamble)}
    assert declared == unicode_symbols


def test_only_the_highlight_module_imports_pygments():
    importers = []
    for path in (ROOT / "translator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "pygments" or n.startswith("pygments.") for n in names):
                importers.append(path.relative_to(ROOT).as_posix())
    assert sorted(set(importers)) == ["translator/outputs/highlight.py"]
