"""The report's spec text in colour: each file's source, formulas, definitions and bridges, by the
project's Pygments lexer."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from translator.outputs.html import render_page
from translator.outputs.html_spec import css, inline, source_section
from translator.pipeline import Options, run

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec"
FILES = sorted(str(p) for p in SPEC.glob("*.align"))


@pytest.fixture(scope="module")
def page():
    outcome = run(FILES, Options(), programs_needed=True)
    assert not outcome.input_error
    return outcome, render_page(outcome, FILES, use_dot=False)


def _section(text: str, file: str) -> str:
    start = text.index(f'<section class="file" id="file-{_slug(file)}">')
    end = text.find('<section class="file"', start + 1)
    return text[start:end if end != -1 else len(text)]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.mark.parametrize("file", FILES, ids=lambda f: Path(f).name)
def test_every_spec_file_shown_carries_its_source_in_colour(page, file):
    outcome, text = page
    section = _section(text, file)
    block = re.search(r'<details class="source" id="source-[^"]+">.*?<div class="hl spec-source"><pre>(.*?)</pre>',
                      section, re.S)
    assert block is not None, f"no source block in the section of {file}"
    spans = block.group(1)
    for token in ("kd", "k", "nl"):  # declaration keywords, keywords, declared claims and axioms
        assert f'<span class="{token}">' in spans
    assert 'class="err"' not in spans
    assert _plain(spans).rstrip("\n") == Path(file).read_text(encoding="utf-8").rstrip("\n")


@pytest.mark.parametrize("file", FILES, ids=lambda f: Path(f).name)
def test_claim_formulas_in_the_table_are_coloured(page, file):
    outcome, text = page
    section = _section(text, file)
    table = section[section.index('<table class="results">'):]
    table = table[:table.index("</table>")]
    formulas = re.findall(r'<div class="formula">(.*?)</div>', table, re.S)
    assert formulas and len(formulas) == sum(1 for r in outcome.results if r.file == file)
    assert all(f.startswith('<code class="hl">') and "<span class=" in f for f in formulas)


def test_definitions_and_bridges_are_coloured(page):
    _, text = page
    nodes = re.search(r'<details class="nodes">.*?</details>', text, re.S)
    assert nodes is not None and '<td><code class="hl"><span class=' in nodes.group(0)
    bridges = re.search(r'<table class="bridges">.*?</table>', text, re.S)
    assert bridges is not None and '<code class="hl"><span class="n' in bridges.group(0)


def test_inline_code_keeps_the_text_and_escapes_it():
    code = inline("forall x: S. p(x) -> x <= 1 & \"q\"")
    assert code.startswith('<code class="hl">') and code.endswith("</code>") and "\n" not in code
    assert _plain(code) == "forall x: S. p(x) -> x <= 1 & \"q\""
    assert '<span class="k">forall</span>' in code and "&lt;=" in code


def test_the_style_sheet_restyles_only_the_spec_text():
    rules = [r.strip() for r in css().splitlines() if "{" in r]
    assert rules and all(r.startswith((".hl", "code.hl", ".spec-source")) for r in rules)


def test_no_source_block_for_a_file_the_run_did_not_read():
    outcome = run([FILES[0]], Options(claims=()), programs_needed=True)
    assert source_section(outcome, "elsewhere.align", "x") == []
