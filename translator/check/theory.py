"""Stage 6: the consistency of a program that has axioms but no claim or example, as a result.

A file of axioms that other files import (a library) is usually checked on
its own in CI. Its program has no query, so nothing used to be asked and the
run said `0 checked` whatever the axioms said. The checker still tests the
axioms of such a program (`ProgramOutcome.consistency`); this module turns
that test into a `Theory`, the record every output reads beside the
results: `consistent` (a model of them all was found and re-checked),
`inconsistent` (with the axioms in conflict; the error is reported as for
any program) or `unknown` (with the reason). Only `consistent` is ok: the
consistency test is the only thing asked of such a file, and a solver that
gives up on it has not shown it (LANGUAGE.md §4: `unknown` meets no
expectation).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from ..frontend.source import Span

if TYPE_CHECKING:
    from ..logic.core import Program
    from .checker import ProgramOutcome

UNDECIDED_TAIL = "; this result may hold only because the axioms contradict each other"
"""How the checker's consistency warning ends: it speaks of a result, which a theory is not."""


class TheoryVerdict(str, Enum):
    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Theory:
    """The consistency of the axioms of one program with no claim or example."""

    file: str
    axioms: tuple[str, ...]
    verdict: TheoryVerdict
    seconds: float = 0.0
    conflict: tuple[str, ...] = ()   # inconsistent: the axioms with no model together
    reason: str | None = None        # unknown: why
    span: Span | None = field(default=None, compare=False)  # the first axiom of the file, else of the program

    @property
    def ok(self) -> bool:
        return self.verdict is TheoryVerdict.CONSISTENT

    def detail(self) -> str:
        """One line for people: what was found."""
        if self.verdict is TheoryVerdict.CONSISTENT:
            count = len(self.axioms)
            return f"no claims or examples; a model of all {count} axiom{'s' if count != 1 else ''} exists"
        if self.verdict is TheoryVerdict.INCONSISTENT:
            return f"{', '.join(self.conflict)} have no model together"
        return self.reason or "the solver could not tell"

    def message(self) -> str:
        """What a CI report says when the theory is not ok."""
        return f"axioms of {self.file}: {self.verdict.value} ({self.detail()})"

    def to_json(self) -> dict:
        doc: dict = {"file": self.file, "axioms": list(self.axioms), "verdict": self.verdict.value, "ok": self.ok}
        if self.conflict:
            doc["conflict"] = list(self.conflict)
        if self.reason:
            doc["reason"] = self.reason
        doc["seconds"] = round(self.seconds, 3)
        return doc

    @classmethod
    def from_json(cls, doc: Mapping) -> Theory:
        return cls(file=doc["file"], axioms=tuple(doc.get("axioms", ())), verdict=TheoryVerdict(doc["verdict"]),
                   seconds=float(doc.get("seconds", 0.0)), conflict=tuple(doc.get("conflict", ())),
                   reason=doc.get("reason"))


def theory_of(program: Program, outcome: ProgramOutcome) -> Theory | None:
    """The theory record of a program with axioms and no query; None for any other program."""
    if program.queries or not program.axioms or outcome.consistency is None:
        return None
    consistency = outcome.consistency
    names = tuple(a.name for a in program.axioms)
    own = [a for a in program.axioms if a.span is not None and a.span.path == program.root]
    span = (own or list(program.axioms))[0].span
    if consistency.conflict:
        verdict, reason = TheoryVerdict.INCONSISTENT, None
    elif consistency.warning:
        verdict, reason = TheoryVerdict.UNKNOWN, consistency.warning.removesuffix(UNDECIDED_TAIL)
    else:
        verdict, reason = TheoryVerdict.CONSISTENT, None
    return Theory(program.root, names, verdict, consistency.seconds, tuple(consistency.conflict), reason, span)
