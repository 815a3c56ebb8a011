"""Stages 1 and 2 for `lemma` and `reading NAME: ... end` (LANGUAGE.md §6.1, §6.2): the core
program of each reading, and a diagnostic with its own code, place and hint for every misuse."""
from __future__ import annotations

import pytest

from translator.frontend import diagnostics as codes
from translator.frontend.diagnostics import render
from translator.frontend.parser import parse_source
from translator.frontend.source import SourceFile
from translator.frontend.typecheck import check_program
from translator.logic import core
from translator.logic.printer import print_term

BASE = """sort A
pred p: A
pred q: A
def d(x: A) := p(x)
axiom ax: forall x: A. p(x)
"""


def diagnostics(*texts: str):
    """The diagnostics of files m0.align, m1.align, ... (the last one the root), parse or type."""
    modules, sources, found = [], {}, []
    for index, text in enumerate(texts):
        source = SourceFile(f"m{index}.align", text)
        sources[source.path] = source
        module, diags = parse_source(source)
        modules.append(module)
        found += diags
    if found:
        return None, found, sources
    program, diags = check_program(modules)
    return program, diags, sources


def program(*texts: str) -> core.Program:
    prog, diags, _ = diagnostics(*texts)
    assert diags == [] and prog is not None, [(d.code, d.message) for d in diags]
    return prog


MISUSES = [
    ("replaces an undeclared def", "reading r:\n  def e(x: A) := q(x)\nend\n", codes.UNDECLARED_DEF, (7, 7),
     "not a declared definition"),
    ("adds a parameter", "reading r:\n  def d(x: A, y: A) := q(x)\nend\n", codes.CHANGED_SIGNATURE, (7, 7),
     "takes (x: A, y: A), but the definition it replaces takes (x: A)"),
    ("changes a parameter's sort", "sort B\nreading r:\n  def d(x: B) := true\nend\n", codes.CHANGED_SIGNATURE,
     (8, 7), "takes (x: B)"),
    ("changes the result's sort", "fun f: A -> A\ndef g(x: A) := f(x)\nreading r:\n  def g(x: A) := p(x)\nend\n",
     codes.CHANGED_SIGNATURE, (9, 18), "'g' is Bool, but the definition it replaces is A"),
    ("drops an axiom that does not exist", "reading r:\n  drop axiom nope\nend\n", codes.NO_SUCH_AXIOM, (7, 14),
     "has no axiom of that name"),
    ("drops a lemma", "lemma lm: forall x: A. p(x)\nreading r:\n  drop axiom lm\nend\n", codes.NO_SUCH_AXIOM,
     (8, 14), "is a lemma, not an axiom"),
    ("names a reading twice", "reading r:\n  drop axiom ax\nend\nreading r:\n  def d(x: A) := q(x)\nend\n",
     codes.DUPLICATE_READING, (9, 9), "declared twice (first at m0.align:6:9)"),
    ("expects in an unknown reading",
     "claim c: forall x: A. d(x)\n  expect counterexample in rr\nreading r:\n  drop axiom ax\nend\n",
     codes.UNKNOWN_READING, (7, 28), "no reading named 'rr'"),
    ("changes nothing", "reading r:\nend\n", codes.EMPTY_READING, (6, 9), "changes nothing"),
    ("replaces a def by itself", "reading r:\n  def d(x: A) := p(x)\nend\n", codes.EMPTY_READING, (7, 7),
     "by the same definition"),
    ("is named base", "reading base:\n  drop axiom ax\nend\n", "reserved-name", (6, 9), "cannot name a reading"),
    ("is not closed", "reading r:\n  drop axiom ax\n", codes.SYNTAX, (6, 1), "is not closed: expected `end`"),
    ("ends nothing", "end\n", codes.SYNTAX, (6, 1), "`end` without a reading"),
    ("drops outside a reading", "drop axiom ax\n", codes.SYNTAX, (6, 1), "`drop axiom` outside a reading"),
    ("holds a claim", "reading r:\n  claim c: true\nend\n", codes.SYNTAX, (7, 3), "a claim cannot appear inside"),
    ("drops twice", "reading r:\n  drop axiom ax\n  drop axiom ax\nend\n", codes.DUPLICATE, (8, 14), "twice"),
    ("replaces twice", "reading r:\n  def d(x: A) := q(x)\n  def d(x: A) := not q(x)\nend\n", codes.DUPLICATE,
     (8, 7), "replaces 'd' twice"),
    ("adds an axiom under a taken name", "reading r:\n  axiom ax: forall x: A. q(x)\nend\n", codes.DUPLICATE,
     (7, 9), "duplicate declaration of 'ax'"),
]


@pytest.mark.parametrize(("text", "code", "place", "message"), [m[1:] for m in MISUSES], ids=[m[0] for m in MISUSES])
def test_each_misuse_has_its_code_caret_and_hint(text, code, place, message):
    prog, diags, sources = diagnostics(BASE + text)
    assert prog is None
    first = diags[0]
    assert (first.code, (first.span.line, first.span.column)) == (code, place)
    assert message in first.message
    assert first.help
    shown = render(first, sources)
    assert shown.startswith(f"m0.align:{place[0]}:{place[1]}: error: ") and "^" in shown and "= help:" in shown


def test_every_reading_code_is_distinct():
    new = [codes.UNDECLARED_DEF, codes.CHANGED_SIGNATURE, codes.NO_SUCH_AXIOM, codes.DUPLICATE_READING,
           codes.UNKNOWN_READING, codes.EMPTY_READING]
    assert len(set(new)) == len(new)


def test_a_reading_is_its_own_program():
    prog = program(BASE + "axiom bx: forall x: A. q(x)\nclaim c: forall x: A. d(x)\n"
                   "  expect counterexample in r\n"
                   "reading r:\n  def d(x: A) := q(x) and p(x)\n  drop axiom ax\n"
                   "  axiom cx: exists x: A. not q(x)\nend\n")
    assert prog.reading == "base" and [r.name for r in prog.readings] == ["r"]
    (variant,) = prog.variants
    assert variant.reading == "r" and variant.variants == ()
    assert [a.name for a in prog.axioms] == ["ax", "bx"]
    assert [a.name for a in variant.axioms] == ["bx", "cx"]
    (base_def,), (read_def,) = ([x for x in p.definitions if x.name == "d"] for p in (prog, variant))
    assert print_term(read_def.body, {}) != print_term(base_def.body, {})
    assert {q.name: q.expect for q in prog.queries}["c"] == "proved"
    assert {q.name: q.expect for q in variant.queries}["c"] == "counterexample"
    reading = prog.readings[0]
    assert (reading.replaces, reading.drops, reading.adds) == (("d",), ("ax",), ("cx",))


def test_expect_in_base_pins_the_program_as_written():
    """LANGUAGE.md §6.2 calls the file's own definitions "the reading `base`": `expect V in base` pins
    base's verdict, and the readings not pinned keep the default expectation."""
    prog = program(BASE + "claim c: forall x: A. d(x)\n  expect counterexample in base expect proved in r\n"
                   "claim e: forall x: A. d(x)\n  expect counterexample in base\n"
                   "reading r:\n  def d(x: A) := q(x) or p(x)\nend\n")
    (variant,) = prog.variants
    assert {q.name: q.expect for q in prog.queries} == {"c": "counterexample", "e": "counterexample"}
    assert {q.name: q.expect for q in variant.queries} == {"c": "proved", "e": "proved"}


@pytest.mark.parametrize(("text", "message"), [
    ("claim c: forall x: A. d(x)\n  expect proved expect counterexample in base\n", "given twice"),
    ("lemma l: forall x: A. d(x)\n  expect counterexample in base\n", "cannot expect a counterexample"),
    ("claim c: forall x: A. d(x)\n  expect witness in base\n", "not 'witness'"),
])
def test_expect_in_base_misused(text, message):
    prog, diags, _ = diagnostics(BASE + text + "reading r:\n  drop axiom ax\nend\n")
    assert prog is None
    assert diags[0].code == codes.BAD_EXPECT and message in diags[0].message and diags[0].help


def test_a_reading_replaces_and_drops_across_imports():
    lib = BASE
    root = ('import "m0.align"\nclaim c: forall x: A. d(x)\n'
            "reading r:\n  def d(x: A) := q(x)\n  drop axiom ax\nend\n")
    prog = program(lib, root)
    (variant,) = prog.variants
    assert [a.name for a in variant.axioms] == []
    assert "q" in print_term(next(x for x in variant.definitions if x.name == "d").body, {})


def test_a_reading_declared_in_an_imported_file_is_checked_with_it():
    lib = BASE + "reading r:\n  drop axiom ax\nend\n"
    root = 'import "m0.align"\nclaim c: forall x: A. d(x)\n  expect counterexample in r\n'
    prog = program(lib, root)
    assert [v.reading for v in prog.variants] == ["r"]
    assert {q.name: q.expect for q in prog.variants[0].queries}["c"] == "counterexample"


def test_a_lemma_is_a_premise_of_what_follows_it_only():
    prog = program(BASE + "claim before: forall x: A. p(x)\nlemma lm: forall x: A. d(x)\n"
                   "claim after: forall x: A. p(x)\n")
    by_name = {q.name: q for q in prog.queries}
    assert [q.name for q in prog.lemmas] == ["lm"]
    assert by_name["before"].lemmas == () and by_name["after"].lemmas == ("lm",)


def test_a_reading_can_add_a_lemma():
    prog = program(BASE + "claim c: forall x: A. q(x) -> p(x)\n"
                   "reading r:\n  drop axiom ax\n  lemma lq: forall x: A. p(x) -> p(x)\nend\n")
    (variant,) = prog.variants
    assert [q.name for q in variant.lemmas] == ["lq"] and prog.lemmas == ()
