"""LaTeX: one counterexample (or witness) as a standalone document, `NAME.tex` of `check --export DIR`.

A consumer of the result records, called by `export.py` after its re-check of
the model: the claim in the spec's notation typeset as mathematics (`forall`
as ∀, `->` as →, ...), the doc comment, the explanation with its steps, and
the model's sorts and tables as `tabular`s. The document uses no package at
all, so a plain `pdflatex` of any TeX installation compiles it; every name and
every piece of text from the spec is escaped, and characters the standard fonts
lack are spelled out (`[U+1F600]`) rather than left to break the build.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ..check.explain import print_term
from ..check.results import Result, Step, Verdict
from ..logic import core
from .modeltables import ModelTables, model_tables, shown

# ---------------------------------------------------------------- text

_TEXT = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"$\mathdollar$", "&": r"\&", "#": r"\#", "%": r"\%",
    "_": r"\_\allowbreak{}", "^": r"\^{}", "~": r"\~{}", "<": r"$<$", ">": r"$>$", "|": r"$|$", '"': "{''}",
    "\n": " ", "\r": " ", "\t": " ",
}
_UNICODE = {
    "→": r"$\rightarrow$", "←": r"$\leftarrow$", "↔": r"$\leftrightarrow$", "⇒": r"$\Rightarrow$",
    "⇔": r"$\Leftrightarrow$", "∀": r"$\forall$", "∃": r"$\exists$", "¬": r"$\lnot$", "∧": r"$\land$",
    "∨": r"$\lor$", "≠": r"$\neq$", "≤": r"$\leq$", "≥": r"$\geq$", "∘": r"$\circ$", "×": r"$\times$",
    "·": r"$\cdot$", "∈": r"$\in$", "∉": r"$\notin$", "⊆": r"$\subseteq$", "⊂": r"$\subset$", "∅": r"$\emptyset$",
    "ℝ": r"$\mathbf{R}$", "ℤ": r"$\mathbf{Z}$", "ℕ": r"$\mathbf{N}$", "𝔹": r"$\mathbf{B}$", "∞": r"$\infty$",
    "—": "---", "–": "--", "“": "``", "”": "''", "‘": "`", "’": "'", "…": r"\ldots{}", "•": r"$\bullet$",
    "©": "(c)", "§": r"$\mathsection$", "¶": r"$\mathparagraph$", "†": r"$\dagger$", "‡": r"$\ddagger$", "±": r"$\pm$",
    "ß": r"\ss{}", "æ": r"\ae{}", "Æ": r"\AE{}", "œ": r"\oe{}", "Œ": r"\OE{}", "ø": r"\o{}", "Ø": r"\O{}",
    "ł": r"\l{}", "Ł": r"\L{}", "å": r"\aa{}", "Å": r"\AA{}", "ı": r"\i{}", "\u00a0": "~",
}


def _greek() -> dict[str, str]:
    """Greek letters as math: α is U+03B1 onwards, Α U+0391 (capitals only where LaTeX has a command)."""
    names = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi o pi rho "
             "varsigma sigma tau upsilon phi chi psi omega").split()
    capitals = {"gamma", "delta", "theta", "lambda", "xi", "pi", "sigma", "upsilon", "phi", "psi", "omega"}
    letters = {}
    for index, name in enumerate(names):
        letters[chr(0x3B1 + index)] = "$o$" if name == "o" else f"$\\{name}$"
        if name in capitals:
            letters[chr(0x391 + index)] = f"$\\{name.capitalize()}$"
    return letters


_UNICODE.update(_greek())
# Combining accents that plain LaTeX puts on any letter (after Unicode's decomposition).
_ACCENTS = {"\u0301": "'", "\u0300": "`", "\u0302": "^", "\u0308": '"', "\u0303": "~", "\u0304": "=",
            "\u0327": "c", "\u030c": "v", "\u030a": "r", "\u0306": "u", "\u030b": "H", "\u0307": "."}


def text(raw: str) -> str:
    """`raw` as LaTeX text: special characters escaped, other characters made printable without packages."""
    return "".join(_char(c) for c in raw)


def _char(char: str) -> str:
    if char in _TEXT:
        return _TEXT[char]
    if char.isascii():
        return char if char.isprintable() else " "
    if char in _UNICODE:
        return _UNICODE[char]
    parts = unicodedata.normalize("NFD", char)
    if len(parts) == 2 and parts[0].isascii() and parts[0].isalpha() and parts[1] in _ACCENTS:
        base = r"\i" if parts[0] == "i" else parts[0]
        return f"\\{_ACCENTS[parts[1]]}{{{base}}}"
    if unicodedata.category(char).startswith("Z"):
        return " "
    return f"\\texttt{{[U+{ord(char):04X}]}}"


def code(raw: str) -> str:
    """`raw` in typewriter type, as Markdown's backticks show it (the typewriter font has `<`, `>`, `|`, `"`)."""
    return "\\texttt{" + "".join(c if c in '<>|"' else _char(c) for c in raw) + "}"


# ---------------------------------------------------------------- formulas

_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<element>[A-Za-z_][A-Za-z0-9_']*#[0-9]+)"
    r"|(?P<number>[0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_']*)"
    r"|(?P<symbol><->|->|!=|<=|>=|[=<>+\-*(),:.\[\]{}/])"
    r"|(?P<other>.)", re.S)
_KEYWORDS = {
    "forall": r"\forall ", "exists": r"\exists ", "not": r"\lnot ", "and": r"\land ", "or": r"\lor ",
    "if": r"\mathrm{if}\; ", "then": r"\;\mathrm{then}\; ", "else": r"\;\mathrm{else}\; ",
    "true": r"\mathsf{true}", "false": r"\mathsf{false}", "via": r"\;\mathrm{via}\; ",
}
_SYMBOLS = {
    "<->": r"\leftrightarrow ", "->": r"\rightarrow ", "!=": r"\neq ", "<=": r"\leq ", ">=": r"\geq ",
    "*": r"\cdot ", ":": r"{:}\,", ".": r".\;", "{": r"\{", "}": r"\}",
}


def math(formula: str) -> str:
    """Source-like formula text (as `print_term` writes it) as inline mathematics, `$...$`."""
    out: list[str] = []
    sort_next = False  # the name after `:` in a binder is a sort
    for match in _TOKEN.finditer(formula):
        kind, value = match.lastgroup, match.group()
        if kind == "ws":
            continue
        if kind == "name" and value in _KEYWORDS:
            out.append(_KEYWORDS[value])
        elif kind == "name":
            out.append(_name(value, upright=sort_next))
        elif kind == "element":
            out.append(f"\\mathrm{{{text(value)}}}")
        elif kind == "number":
            out.append(value)
        elif kind == "symbol":
            out.append(_SYMBOLS.get(value, value))
        else:
            out.append(f"\\mbox{{{text(value)}}}")
        sort_next = value == ":"
    return "$" + "".join(out).strip() + "$"


def _name(name: str, upright: bool) -> str:
    """A user's name: one letter in italics as is, longer names as a word; primes stay primes."""
    stem = name.rstrip("'")
    primes = name[len(stem):]
    escaped = text(stem).replace("'", "{}'")
    if upright:
        return f"\\mathrm{{{escaped}}}{primes}"
    word = escaped if len(stem) == 1 else f"\\mathit{{{escaped}}}"
    return word + primes


# ---------------------------------------------------------------- the document

_PREAMBLE = r"""\documentclass[11pt]{article}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6ex}
\renewcommand{\arraystretch}{1.15}
\emergencystretch=3em
\begin{document}
"""


def latex_document(program: core.Program, query: core.Query, result: Result) -> str:
    """The model of `result` as a standalone LaTeX document (no packages; compiles with plain pdflatex)."""
    model = result.model
    if model is None:
        raise ValueError(f"{result.name}: a result without a model has no LaTeX document")
    counter = result.verdict is Verdict.COUNTEREXAMPLE
    title = "Counterexample to" if counter else "Witness for"
    where = f"{result.file}:{query.span.line}" if query.span is not None else result.file
    lines = [_PREAMBLE + f"\\section*{{{title} {code(result.name)}}}", "",
             f"{text(query.kind.value.capitalize())} ({code(where)}):", "",
             "\\begin{quote}\\raggedright", math(print_term(query.formula, model)), "\\end{quote}", ""]
    if result.doc:
        lines += ["\\begin{quote}\\itshape", *(text(line) + "\\par" for line in result.doc.splitlines()),
                  "\\end{quote}", ""]
    if result.explanation is not None:
        lines += [text(result.explanation.summary), ""]
        lines += [line for step in result.explanation.steps for line in _step_lines(step, 0)]
        lines += ["\\par", ""]
    lines += _tables(model_tables(program, model, result.shown_sorts, result.shown_symbols))
    lines += ["The model was re-checked by alignproof's own evaluator: every axiom holds in it, "
              + ("and the claim fails at the witness." if counter else "and so does the example at the witness."),
              "", "\\end{document}"]
    return "\n".join(lines) + "\n"


def _step_lines(step: Step, depth: int) -> list[str]:
    """One step as a bulleted paragraph indented by its depth (no nested lists: they stop at four levels)."""
    role = f" ({text(step.role)})" if step.role else ""
    line = (f"\\par\\noindent\\hangindent={1.5 * (depth + 1):.1f}em\\hangafter=0"
            f"\\llap{{$\\bullet$\\enspace}}{math(step.formula)} is "
            f"\\textbf{{{text(step.value_text())}}}{role}")
    if step.where:
        line += "; where " + ", ".join(
            f"{math(t)} $=$ {math(shown(v))}" for t, v in step.where)
    out = [line]
    for sub in step.because:
        out += _step_lines(sub, depth + 1)
    return out


def _tabular(head: Sequence[str], rows: Sequence[Sequence[str]], columns: str = "") -> list[str]:
    columns = columns or "l" * (len(head) - 1) + "|l"
    out = [f"\\begin{{tabular}}{{{columns}}}", "\\hline", " & ".join(head) + " \\\\", "\\hline"]
    out += [" & ".join(row) + " \\\\" for row in rows]
    return out + ["\\hline", "\\end{tabular}", ""]


def _tables(tables: ModelTables) -> list[str]:
    lines = []
    if tables.sorts:
        rows = [[code(s), ", ".join(code(e) for e in elements)] for s, elements in tables.sorts]
        lines += ["\\subsection*{Sorts}", "", *_tabular(["sort", "elements"], rows, "l|p{0.7\\textwidth}")]
    if tables.has_symbols:
        lines += ["\\subsection*{Symbols}", ""]
    if tables.constants:
        lines += _tabular(["constant", "value"], [[code(c), code(v)] for c, v in tables.constants])
    for table in tables.tables:
        rows = [[code(cell) for cell in row] for row in table.rows]
        if table.otherwise is not None:
            rows.append(["otherwise"] * (len(table.columns) - 1) + [code(table.otherwise)])
        head = [text(c) for c in table.columns[:-1]] + [code(table.columns[-1])]
        lines += ["\\medskip", code(table.signature), "", "\\nopagebreak", *_tabular(head, rows)]
    return lines
