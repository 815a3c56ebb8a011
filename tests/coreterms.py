"""Shorthands for building core terms by hand in tests, and a typed program from spec text."""
from __future__ import annotations

from fractions import Fraction

from translator.logic.core import INT, App, NumLit, Quant, QuantKind
from translator.pipeline import front_end


def ap(symbol, *args):
    return App(symbol, tuple(args))


def forall(vars_, body):
    return Quant(QuantKind.FORALL, tuple(vars_), body)


def exists(vars_, body):
    return Quant(QuantKind.EXISTS, tuple(vars_), body)


def num(value, sort=INT):
    return NumLit(Fraction(value), sort)


def program_of(tmp_path, text: str):
    """The typed program of `text`, written as `spec.align` in `tmp_path` (it must have no error)."""
    path = tmp_path / "spec.align"
    path.write_text(text, encoding="utf-8")
    programs, diagnostics, _ = front_end([str(path)])
    assert not diagnostics, diagnostics
    return programs[0]
