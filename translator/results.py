"""Result records: what a check found, for every consumer (text, JSON, exports, records).

A `Result` is frozen and free of solver objects; nothing downstream
re-derives a verdict from strings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Mapping

from .model import Model, Value
from .source import Span


class Verdict(str, Enum):
    PROVED = "proved"
    COUNTEREXAMPLE = "counterexample"
    BOUNDED = "bounded"
    WITNESS = "witness"
    NONE = "none"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


def meets(verdict: Verdict, expected: str, within: int | None) -> bool:
    """Whether a verdict meets an expectation (LANGUAGE.md §4)."""
    if verdict is Verdict.UNKNOWN:
        return False
    if verdict.value == expected:
        return True
    return verdict is Verdict.BOUNDED and expected == "proved" and within is not None


@dataclass(frozen=True)
class Result:
    """The answer to one claim or example."""

    file: str
    name: str
    kind: str  # "claim" | "example"
    verdict: Verdict
    expected: str
    ok: bool
    seconds: float
    used: tuple[str, ...] | None = None        # proved: the axioms the proof needed
    witness: Mapping[str, Value] | None = None  # counterexample/witness: outer variables
    model: Model | None = None                  # the whole plain model, re-checked
    shown_symbols: tuple[str, ...] = ()         # the symbols the query mentions
    shown_sorts: tuple[str, ...] = ()           # the sorts those symbols and the witness use
    warnings: tuple[str, ...] = ()
    reason: str | None = None                   # unknown: why
    span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)
