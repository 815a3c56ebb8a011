"""The reader's page quotes the specs: `{{source:STEM:NAMES}}` copies declarations, doc comments
included, into ```align fences, the alias of the project's Pygments lexer."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools import readerpage
from translator.outputs.highlight import AlignLexer

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec"
FENCE = re.compile(r"^```align\n(.*?)\n```$", re.S | re.M)

TINY = """\
# Elements.
sort A
pred p: A
# ---------------------------------------------------------------- a heading
# A tautology,
# said twice.
def both(a: A) := p(a) or not p(a)
# The claim.
claim c:
  forall a: A. both(a)
axiom q: forall a: A. p(a)
"""


@pytest.fixture()
def tiny(tmp_path):
    (tmp_path / "tiny.align").write_text(TINY, encoding="utf-8")
    return tmp_path


def _page(spec_dir: Path, template: str) -> str:
    (spec_dir / readerpage.TEMPLATE).write_text(template, encoding="utf-8")
    return readerpage.generate(spec_dir).text


def test_an_excerpt_is_the_declarations_with_their_doc_comments_without_a_heading(tiny):
    page = _page(tiny, "before\n{{source:tiny:both,c}}\nafter\n")
    assert page.split("\n", 1)[1] == ("before\n```align\n"
                                      "# A tautology,\n# said twice.\ndef both(a: A) := p(a) or not p(a)\n\n"
                                      "# The claim.\nclaim c:\n  forall a: A. both(a)\n```\nafter\n")


def test_a_declaration_without_a_doc_comment_is_quoted_alone(tiny):
    page = _page(tiny, "{{source:tiny:q}}\n")
    assert page.split("\n", 1)[1] == "```align\naxiom q: forall a: A. p(a)\n```\n"


def test_an_excerpt_counts_as_a_mention(tiny):
    (tiny / readerpage.TEMPLATE).write_text("{{source:tiny:c,q}}\n", encoding="utf-8")
    assert readerpage.generate(tiny).unmentioned == ()


@pytest.mark.parametrize("body", ["source:tiny:nothing", "source:tiny:", "source:tiny:c,,q", "source:other:c"])
def test_an_excerpt_naming_nothing_is_an_error(tiny, body):
    (tiny / readerpage.TEMPLATE).write_text(f"{{{{{body}}}}}\n", encoding="utf-8")
    with pytest.raises(readerpage.PageError, match=re.escape(body)):
        readerpage.generate(tiny)


def test_the_reader_page_quotes_the_specs_verbatim_and_lexes_clean():
    page = (SPEC / readerpage.PAGE).read_text(encoding="utf-8")
    excerpts = FENCE.findall(page)
    assert len(excerpts) >= 2
    sources = {p: p.read_text(encoding="utf-8") for p in SPEC.glob("*.align")}
    for excerpt in excerpts:
        for declaration in excerpt.split("\n\n"):
            assert any(declaration in text for text in sources.values()), declaration[:80]
        tokens = list(AlignLexer().get_tokens(excerpt))
        assert not [value for kind, value in tokens if "Error" in str(kind)]
