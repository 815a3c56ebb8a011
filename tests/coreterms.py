"""Shorthands for building core terms by hand in tests."""
from __future__ import annotations

from fractions import Fraction

from translator.logic.core import INT, App, NumLit, Quant, QuantKind


def ap(symbol, *args):
    return App(symbol, tuple(args))


def forall(vars_, body):
    return Quant(QuantKind.FORALL, tuple(vars_), body)


def exists(vars_, body):
    return Quant(QuantKind.EXISTS, tuple(vars_), body)


def num(value, sort=INT):
    return NumLit(Fraction(value), sort)
