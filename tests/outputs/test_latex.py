"""`NAME.tex` of `check --export DIR` (translator/outputs/latex.py): the claim typeset in the spec's
notation, every name escaped, and a document that a plain `pdflatex` compiles (skipped, saying why,
where pdflatex is not installed; `.ci/run` installs texlive-latex-base).

Compiling every document of the spec library takes a pdflatex run each, so the default run compiles
a sample of them (picked with conftest.SWEEP_SEED); all of them: the `full_sweep` test, which CI runs."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import sampled

from translator.cli import dispatch
from translator.outputs.latex import code, math, text

ROOT = Path(__file__).resolve().parents[2]
PDFLATEX = shutil.which("pdflatex")
needs_pdflatex = pytest.mark.skipif(
    PDFLATEX is None, reason="pdflatex is not installed (Debian package texlive-latex-base)")

# Names with underscores and primes, an enumerated sort, and a doc comment with every character
# LaTeX treats specially and some it has no glyph for.
ODD = """\
sort Agent_kind
sort D = {train_1, deploy'}
pred good_at: Agent_kind, D
fun next': Agent_kind -> Agent_kind
const x_0: Int
def robust'(a: Agent_kind) := forall d: D. good_at(a, d)
# Specials: \\ { } $ & # % _ ^ ~ < > | " and more: Σ → ∘ ≤ é ü ß ℝ — “quoted” … § © 😀 ∑
#
# A second paragraph.
claim odd_name_1': forall a': Agent_kind. good_at(a', train_1) and x_0 >= 2 -> robust'(next'(a'))
  expect counterexample
example also: exists a: Agent_kind. not good_at(a, deploy') or x_0 != 0
"""


def _export(paths, out: Path) -> list[Path]:
    stdout, stderr = io.StringIO(), io.StringIO()
    status = dispatch(["check", *map(str, paths), "--export", str(out), "--jobs", "2"], stdout, stderr)
    assert status == 0, stderr.getvalue()
    return sorted(out.glob("*.tex"))


@pytest.fixture(scope="module")
def odd(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("odd")
    (folder / "odd.align").write_text(ODD, encoding="utf-8")
    documents = _export([folder / "odd.align"], folder / "out")
    assert [d.name for d in documents] == ["also.tex", "odd_name_1'.tex"]
    return documents[1]


# ---------------------------------------------------------------- escaping and notation

def test_text_escapes_every_special_character():
    assert text("a_b #1 50% $x & {y} ~^\\") == (
        r"a\_\allowbreak{}b \#1 50\% $\mathdollar$x \& \{y\} \~{}\^{}\textbackslash{}")
    assert text('<|>"') == "$<$$|$$>${''}"
    assert text("Σ → é 😀") == r"$\Sigma$ $\rightarrow$ \'{e} \texttt{[U+1F600]}"
    assert code("f: A -> B") == r"\texttt{f: A -> B}"


def test_formulas_are_typeset_in_the_spec_notation():
    assert math("forall a: Agent. inner_aligned(a) -> objective_robust(a)") == (
        r"$\forall a{:}\,\mathrm{Agent}.\;\mathit{inner\_\allowbreak{}aligned}(a)\rightarrow "
        r"\mathit{objective\_\allowbreak{}robust}(a)$")
    assert math("exists x', y: T. not p(x') and q(y) or x' != y") == (
        r"$\exists x',y{:}\,\mathrm{T}.\;\lnot p(x')\land q(y)\lor x'\neq y$")
    assert math("p(a) <-> x <= 3 and y >= -1/2") == r"$p(a)\leftrightarrow x\leq 3\land y\geq -1/2$"
    assert math("f(Agent#0) = 2 * x") == r"$f(\mathrm{Agent\#0})=2\cdot x$"
    assert math("agree(f, g via b)") == r"$\mathit{agree}(f,g\;\mathrm{via}\; b)$"
    assert math("if p then true else false") == (
        r"$\mathrm{if}\; p\;\mathrm{then}\; \mathsf{true}\;\mathrm{else}\; \mathsf{false}$")
    assert math("next'(a'')") == r"$\mathit{next}'(a'')$"


def test_the_document_has_the_claim_doc_explanation_and_tables(odd):
    doc = odd.read_text(encoding="utf-8")
    assert doc.startswith("\\documentclass") and doc.rstrip().endswith("\\end{document}")
    assert "\\usepackage" not in doc
    assert r"\section*{Counterexample to \texttt{odd\_\allowbreak{}name\_\allowbreak{}1'}}" in doc
    assert (r"$\forall a'{:}\,\mathrm{Agent\_\allowbreak{}kind}.\;\mathit{good\_\allowbreak{}at}"
            r"(a',\mathit{train\_\allowbreak{}1})\land \mathit{x\_\allowbreak{}0}\geq 2\rightarrow "
            r"\mathit{robust}'(\mathit{next}'(a'))$") in doc
    assert r"Specials: \textbackslash{} \{ \} $\mathdollar$ \& \# \% \_\allowbreak{} \^{} \~{}" in doc
    assert "(hypothesis)" in doc and "(conclusion)" in doc
    assert re.search(r"\\begin\{tabular\}\{ll\|l\}\n\\hline\nAgent\\_\\allowbreak\{\}kind & D & "
                     r"\\texttt\{good\\_\\allowbreak\{\}at\} \\\\", doc)
    assert r"\texttt{Agent\_\allowbreak{}kind\#0} & \texttt{deploy'}" in doc
    assert "re-checked by alignproof's own evaluator" in doc
    # No character outside ASCII reaches TeX: each is a command, or spelled out.
    assert doc.isascii()


# ---------------------------------------------------------------- pdflatex

def _compile(document: Path, folder: Path) -> str:
    done = subprocess.run([PDFLATEX, "-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape",
                           f"-output-directory={folder}", document.name],
                          cwd=document.parent, capture_output=True, text=True, timeout=120)
    log = (folder / document.with_suffix(".log").name).read_text(encoding="latin-1")
    assert done.returncode == 0, f"{document.name}:\n{done.stdout[-3000:]}"
    assert (folder / document.with_suffix(".pdf").name).stat().st_size > 1000
    return log


@needs_pdflatex
def test_the_odd_names_compile(odd, tmp_path):
    log = _compile(odd, tmp_path)
    assert "pk>" not in log  # every font scalable: no bitmap font made up on the fly (a missing glyph)


LIBRARY_SAMPLE = 10
"""How many of the spec library's documents the default run compiles; every one: -m full_sweep."""


def _library_documents(folder: Path) -> list[Path]:
    documents = _export([ROOT / "spec"], folder / "out")
    assert len(documents) >= 40
    return documents


def _compiles_with_scalable_fonts(documents: list[Path], folder: Path) -> None:
    for document in documents:
        log = _compile(document, folder)
        assert "pk>" not in log, document.name


@needs_pdflatex
def test_a_sample_of_the_documents_exported_for_the_spec_library_compiles(tmp_path):
    _compiles_with_scalable_fonts(sampled(_library_documents(tmp_path), LIBRARY_SAMPLE), tmp_path)


@pytest.mark.full_sweep
@needs_pdflatex
def test_every_document_exported_for_the_spec_library_compiles(tmp_path):
    _compiles_with_scalable_fonts(_library_documents(tmp_path), tmp_path)
