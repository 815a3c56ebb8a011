"""A `Run` and a `Result` in a notebook (outputs/notebook.py): the report's pieces, styled only inside."""
from __future__ import annotations

import re

import alignproof
from translator.outputs import html
from translator.outputs.notebook import result_text, run_html, run_text, scoped

SPEC = """sort A
pred p: A
pred q: A
fun f: A, A -> A
axiom pq: forall a: A. p(a) -> q(a)
claim forward: forall a: A. p(a) -> q(a)
claim backward: forall a: A. q(a) -> p(a)
  expect counterexample
claim wrong: forall a: A. f(a, a) = a
"""


def _rules(css: str) -> list[str]:
    return [r.split("{", 1)[0].strip() for r in css.split("}") if "{" in r]


def test_every_rule_applies_only_inside_the_scope():
    sheet = scoped(html.CSS + ":root, body { color: red }\n/* a note */ a:hover { x: y }\n")
    for selectors in _rules(sheet):
        for selector in selectors.split(","):
            assert selector.strip().startswith(".alignproof"), selector
    assert ".alignproof {color: red}" in sheet and ".alignproof a:hover {x: y}" in sheet
    assert "/*" not in sheet


def test_the_run_shows_its_tables_and_pictures():
    run = alignproof.check(SPEC)
    page = run._repr_html_()
    assert page == run_html(run)
    assert page.startswith('<div class="alignproof"><style>') and page.endswith("</div>")
    assert "<html" not in page and "<body" not in page
    assert '<table class="results">' in page
    assert 'id="claim-forward"' in page and 'id="cex-backward"' in page and 'id="cex-wrong"' in page
    assert page.count("<svg") == 2, "one picture per counterexample"
    assert "2 ok, 1 failed" in page and 'class="summary bad"' in page


def test_text_from_the_spec_is_escaped():
    run = alignproof.check('sort A\n/// a <b>bold</b> claim\nclaim c: forall a: A. a = a\n', name="<x>.align")
    page = run._repr_html_()
    assert "<b>bold" not in page and "&lt;x&gt;.align" in page and "<x>" not in page


def test_input_errors_are_shown_rendered():
    run = alignproof.check("sort A\nclaim c: forall a: B. true\n")
    page = run._repr_html_()
    assert "1 error; nothing was checked" in page
    assert re.search(r'<pre class="diagnostic">&lt;text&gt;.align:2:\d+: error: ', page)


def test_a_result_shows_its_row_and_explanation():
    run = alignproof.check(SPEC, claims="backward")
    (result,) = run.results
    page = result._repr_html_()
    assert 'id="claim-backward"' in page and "explanation-summary" in page and "<svg" not in page


def test_plain_display_is_the_text_check_prints():
    run = alignproof.check(SPEC)
    text = run_text(run)
    assert text.splitlines()[0] == "<text>.align" and text.endswith("3 checked: 2 ok, 1 failed")
    assert "✓ claim forward: proved" in text
    assert result_text(run.results[0]).startswith("  ✓ claim forward: proved")

    class Printer:
        def __init__(self):
            self.parts = []

        def text(self, part):
            self.parts.append(part)

    printer = Printer()
    run._repr_pretty_(printer, False)
    assert printer.parts == [text]
