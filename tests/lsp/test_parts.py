"""The language server's parts without the protocol's process: the analysis with an overlay, the names,
positions in UTF-16, the symbol kinds of declarations that do not exist yet, the guard, the verdict lines."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from lsprotocol import types as lsp

from translator.check.results import Explanation, Result, Verdict
from translator.frontend import syntax as S
from translator.frontend.source import SourceFile, Span
from translator.lsp.analysis import analyse
from translator.lsp.convert import verdict_text
from translator.lsp.hover import hover
from translator.lsp.index import Index, kind_of
from translator.lsp.positions import Positions
from translator.lsp.server import guarded
from translator.lsp.symbols import SYMBOL_KINDS, document_symbols
from translator.lsp.verdicts import Checked, Origin


def _project(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    for name, text in files.items():
        (tmp_path / f"{name}.align").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_analysis_reads_the_open_texts_and_lists_the_program_in_order(tmp_path):
    folder = _project(tmp_path, a='import "b.align"\nimport "c.align"\nconst k: T\n', b='import "c.align"\nsort S\n',
                      c="sort U\n")
    root = str(folder / "a.align")
    broken = analyse(root, {})
    assert [d.code for d in broken.diagnostics] == ["undeclared"] and broken.program is None
    fixed = analyse(root, {str(folder / "c.align"): "sort U\nsort T\n"})
    assert fixed.diagnostics == () and fixed.program is not None
    assert [Path(p).name for p in fixed.order] == ["c.align", "b.align", "a.align"]
    assert {Path(p).name for p in fixed.reads} == {"a.align", "b.align", "c.align"}


def test_an_import_cycle_ends_the_order(tmp_path):
    folder = _project(tmp_path, a='import "b.align"\nsort A\n', b='import "a.align"\nsort B\n')
    analysis = analyse(str(folder / "a.align"), {})
    assert [d.code for d in analysis.diagnostics] == ["import-cycle"]
    assert [Path(p).name for p in analysis.order] == ["b.align", "a.align"]
    assert set(Index(analysis).globals) == {"A", "B"}


def test_names_resolve_to_binders_parameters_and_declarations(tmp_path):
    text = "sort D = {d1, d2}\npred p: D\ndef q(x: D) := p(x) and exists x: D. x = d2\n"
    folder = _project(tmp_path, a=text)
    path = str(folder / "a.align")
    index = Index(analyse(path, {}))
    parameter = index.at(path, 3, text.split("\n")[2].index("p(x)") + 3)
    assert parameter.binder is not None and parameter.binding == "def q"
    inner = index.at(path, 3, text.split("\n")[2].index("x = d2") + 1)
    assert inner.binder is not None and inner.binding == "exists" and inner.binder.span.column > parameter.binder.span.column
    element = index.meaning(index.at(path, 3, text.split("\n")[2].index("d2") + 1))
    assert (element.kind, element.span.line, element.span.column) == ("element", 1, 15)


def test_hover_on_an_element_shows_its_sort(tmp_path):
    text = "# Where it runs.\nsort D = {d1, d2}\nclaim c: d1 != d2\n"
    folder = _project(tmp_path, a=text)
    path = str(folder / "a.align")
    shown = hover(Index(analyse(path, {})), 3, 11, Positions())
    assert "`d1`: an element of" in shown.contents.value and "sort D = {d1, d2}" in shown.contents.value


def test_positions_count_the_clients_units():
    source = SourceFile("x.align", "claim c: ∀ x: 𝔹. qq(x)\n")
    span = Span("x.align", 1, 18, 1, 20)  # `qq`, after the astral 𝔹
    assert Positions("utf-16").range(span, source).start == lsp.Position(0, 18)
    assert Positions("utf-32").range(span, source).start == lsp.Position(0, 17)
    assert Positions("utf-8").range(span, source).start == lsp.Position(0, 17 + 2 + 3)
    for encoding in ("utf-16", "utf-32", "utf-8"):
        positions = Positions(encoding)
        assert positions.place(source, positions.range(span, source).start) == (1, 18)
    assert Positions().place(source, lsp.Position(0, 999)) == (1, 23)  # just past the end
    assert Positions().range(None, source) == lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))


@dataclass(frozen=True)
class LemmaDecl:
    """Stands for a declaration the grammar does not have yet (a lemma)."""

    name: str
    formula: S.Expr
    span: Span | None = field(default=None, compare=False)
    name_span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)


@dataclass(frozen=True)
class ReadingDecl:
    """Stands for a named alternative holding declarations of its own (a reading)."""

    name: str
    decls: tuple[object, ...]
    span: Span | None = field(default=None, compare=False)
    name_span: Span | None = field(default=None, compare=False)


def test_new_kinds_of_declaration_get_their_symbols_and_names(tmp_path):
    folder = _project(tmp_path, a="sort S\npred p: S\n")
    path = str(folder / "a.align")
    analysis = analyse(path, {})
    sp = lambda line, a, b: Span(path, line, a, line, b)  # noqa: E731
    lemma = LemmaDecl("l", S.Apply("p", (S.Name("z", sp(3, 12, 13)),), sp(3, 10, 14), sp(3, 10, 11)),
                      sp(3, 1, 14), sp(3, 7, 8))
    inner = S.DefDecl("d", (), S.BoolLit(True), sp(5, 3, 15), sp(5, 7, 8))
    reading = ReadingDecl("r", (inner,), Span(path, 4, 1, 6, 4), sp(4, 9, 10))
    module = analysis.modules[path]
    modules = dict(analysis.modules)
    modules[path] = S.Module(path, module.decls + (lemma, reading))
    extended = replace(analysis, modules=modules)
    assert (kind_of(lemma), kind_of(reading)) == ("lemma", "reading")
    symbols = document_symbols(extended, Positions())
    assert [(s.name, s.kind) for s in symbols] == [("S", SYMBOL_KINDS["sort"]), ("p", SYMBOL_KINDS["pred"]),
                                                   ("l", lsp.SymbolKind.Key), ("r", lsp.SymbolKind.Namespace)]
    assert [(c.name, c.kind) for c in symbols[3].children] == [("d", lsp.SymbolKind.Method)]
    index = Index(extended)
    assert {"l", "r", "d"} <= set(index.globals)
    assert index.meaning(index.at(path, 3, 10)).kind == "pred"  # a name inside the new declaration


def test_the_guard_logs_and_answers_the_fallback(caplog):
    @guarded([])
    def handler(ls, params):
        raise RuntimeError("a bug")
    with caplog.at_level(logging.ERROR, logger="alignproof.lsp"):
        assert handler(None, None) == []
    [record] = caplog.records
    assert record.exc_info is not None and "handler failed" in record.getMessage()


def _checked(verdict: Verdict, expected: str, **fields) -> Checked:
    result = Result("a.align", "c", "claim", verdict, expected, verdict.value == expected, 0.0, **fields)
    return Checked(result, Origin.SOLVED, "sha256:0")


def test_the_verdict_line_says_used_the_summary_or_the_reason():
    assert verdict_text(_checked(Verdict.PROVED, "proved", used=("a", "b"))) == "claim c: proved; used: a, b"
    assert verdict_text(_checked(Verdict.PROVED, "proved", used=())) == \
        "claim c: proved; used: nothing (valid on its own)"
    summary = Explanation((), (), "With x = S#0, p(S#0) is false.")
    assert verdict_text(_checked(Verdict.COUNTEREXAMPLE, "proved", explanation=summary)) == \
        "claim c: counterexample (expected proved): With x = S#0, p(S#0) is false."
    assert verdict_text(_checked(Verdict.UNKNOWN, "proved", reason="timeout")) == \
        "claim c: unknown (expected proved): timeout"
