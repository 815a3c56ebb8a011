"""The rules docs/language.md states about sorts and names, checked against the tool's behaviour."""
from __future__ import annotations

import alignproof
from translator.check.results import Verdict


def test_every_sort_is_non_empty():
    """`sort S` is 'a non-empty set': that something exists is valid, with no axiom used."""
    run = alignproof.check("sort S\npred p: S\nclaim inhabited: exists x: S. p(x) or not p(x)\n")
    (result,) = run.results
    assert (result.verdict, result.used) == (Verdict.PROVED, ())


def test_statement_names_are_apart_from_symbols_and_builtins():
    """An axiom may be called like a function, a claim like a built-in or a type."""
    text = ("sort S\nfun base: S -> S\naxiom base: forall x: S. base(x) = x\n"
            "claim agree: forall x: S. base(base(x)) = x\nclaim Real: forall x: S. base(x) = x\n")
    run = alignproof.check(text)
    assert not run.input_error
    assert [(r.name, r.verdict, r.used) for r in run.results] == [
        ("agree", Verdict.PROVED, ("base",)), ("Real", Verdict.PROVED, ("base",))]


def test_a_statement_name_is_never_a_term():
    """Statements cannot be used inside a formula: the name stays unknown there."""
    run = alignproof.check("sort S\npred p: S\naxiom a: forall x: S. p(x)\nclaim c: a\n")
    assert run.input_error and not run.results
    (diag,) = run.diagnostics
    assert diag.span.line == 4


def test_statement_names_share_one_namespace():
    run = alignproof.check("sort S\npred p: S\naxiom same: forall x: S. p(x)\nclaim same: forall x: S. p(x)\n")
    assert run.input_error
    assert any(d.code == "duplicate" for d in run.diagnostics)
