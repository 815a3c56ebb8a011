"""Result records: what a check found, for every consumer (text, JSON, exports, records).

A `Result` is frozen and free of solver objects; nothing downstream
re-derives a verdict from strings.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from ..frontend.source import Span
from ..logic.model import Model, Value, value_to_json, value_to_text


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
class Step:
    """One formula of an explanation, its value in the model, and why (one definition deeper).

    `formula` is source-like text with the witness's values in place of its
    variables; `where` gives the values of an atom's compound arguments;
    `because` the parts that decide the value (a definition's body, the
    conjuncts that are false, a quantifier's failing instance, ...).
    """

    formula: str
    value: Value | None
    role: str = ""                                  # "hypothesis" | "conclusion" | "" (a sub-step)
    where: tuple[tuple[str, Value | None], ...] = ()
    because: tuple[Step, ...] = ()

    def value_text(self) -> str:
        return "undecided" if self.value is None else value_to_text(self.value)

    def to_json(self) -> dict:
        doc: dict = {"formula": self.formula, "value": _json_value(self.value)}
        if self.role:
            doc["role"] = self.role
        if self.where:
            doc["where"] = [{"term": t, "value": _json_value(v)} for t, v in self.where]
        if self.because:
            doc["because"] = [s.to_json() for s in self.because]
        return doc


@dataclass(frozen=True)
class Explanation:
    """Why a model refutes a claim (or satisfies an example): the hypotheses and conclusion, unfolded."""

    witness: tuple[tuple[str, Value], ...]
    steps: tuple[Step, ...]
    summary: str = ""                               # one plain-English sentence

    def to_json(self) -> dict:
        return {"witness": {k: value_to_json(v) for k, v in self.witness},
                "summary": self.summary,
                "steps": [s.to_json() for s in self.steps]}


def _json_value(value: Value | None):
    return None if value is None else value_to_json(value)


@dataclass(frozen=True)
class Alternative:
    """One more model of the same query (`--models N`), differing in the truth of the claim's definitions."""

    witness: Mapping[str, Value]
    model: Model
    explanation: Explanation | None = None


@dataclass(frozen=True)
class CrossCheck:
    """A second solver's answer to the question a verdict rests on (`--cross-check`), beside z3's.

    `expected` is z3's answer to that question, as its verdict says ('unsat'
    for proved, bounded and none, 'sat' for counterexample and witness; None
    for unknown); `answer` is the second solver's ('sat', 'unsat' or
    'unknown'). The question is the query's, or for a result left unknown
    because the axioms are inconsistent, the axioms' (`question` "axioms").
    """

    solver: str                 # e.g. "cvc5 1.4.2"
    verdict: str                # z3's verdict, e.g. "proved"
    expected: str | None
    answer: str
    bound: int | None = None    # the question was asked with every sort at most this big
    reason: str = ""            # why the second solver gave no answer
    question: str = "query"     # "query" | "axioms"

    @property
    def agrees(self) -> bool | None:
        """True or False when both solvers answered; None when either gave no answer."""
        if self.expected is None or self.answer not in ("sat", "unsat"):
            return None
        return self.expected == self.answer

    def text(self) -> str:
        """One line for people: the agreement, the disagreement with both answers, or the note."""
        within = "" if self.bound is None else \
            f" with at most {self.bound} element{'s' if self.bound != 1 else ''} per sort"
        said = "the axioms are inconsistent" if self.question == "axioms" else self.verdict
        if self.agrees:
            return f"{self.solver} agrees{' that ' + said if self.question == 'axioms' else ''} ({self.answer}{within})"
        if self.agrees is False:
            return f"z3 says {said} ({self.expected}{within}) but {self.solver} says {self.answer}"
        if self.answer not in ("sat", "unsat"):
            return f"{self.solver} gave no answer{f' ({self.reason})' if self.reason else ''}; not compared"
        return f"{self.solver} says {self.answer}{within}; z3 gave no answer, so nothing is compared"

    def to_json(self) -> dict:
        doc: dict = {"solver": self.solver, "answer": self.answer, "agrees": self.agrees, "z3": self.expected}
        if self.question != "query":
            doc["question"] = self.question
        if self.bound is not None:
            doc["bound"] = self.bound
        if self.reason:
            doc["reason"] = self.reason
        if self.agrees is False:
            doc["message"] = self.text()
        return doc


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
    explanation: Explanation | None = None      # counterexample/witness: why, formula by formula
    alternatives: tuple[Alternative, ...] = ()  # --models N: further re-checked models
    cross_check: CrossCheck | None = None       # --cross-check: the second solver's answer
    span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)
    cached: bool = field(default=False, compare=False)  # replayed from a proof record, not solved
