"""Stage 6: the consistency of the axioms beyond z3's first answer, and as a result of its own.

When z3 cannot establish that the axioms have a model, the checker asks here
(`second_opinion`): cvc5, with finite model finding and then without, is
asked the same question; its unsat is a conflict (made smaller by deletion),
its sat settles consistency. When that too is undecided, the `used` set of
each proof is tested on its own (`by_used`, z3 then cvc5): a proof from
axioms with no model proves nothing, so a conflict there is the program's.
What stays undecided is a warning on every result, and under `--strict` (and
the CI formats) an `unknown` theory that fails the run.

The axioms of a program with no claim or example are its one result. A file
of axioms that other files import (a library) is usually checked on its own
in CI; it has no query, so nothing used to be asked and the run said
`0 checked` whatever the axioms said. The checker still tests the
axioms of such a program (`ProgramOutcome.consistency`); this module turns
that test into a `Theory`, the record every output reads beside the
results: `consistent` (a model of them all was found and re-checked, or
cvc5 found one and checked it itself),
`inconsistent` (with the axioms in conflict; the error is reported as for
any program) or `unknown` (with the reason). Only `consistent` is ok: the
consistency test is the only thing asked of such a file, and a solver that
gives up on it has not shown it (LANGUAGE.md §4: `unknown` meets no
expectation).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from ..frontend.source import Span
from ..solvers.budget import MIN_SECONDS, Budget

if TYPE_CHECKING:
    from ..logic.core import Program
    from ..solvers.cvc5 import Answer
    from .checker import Consistency, ProgramOutcome, _Checker
    from .results import Result

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


def theory_of(program: Program, outcome: ProgramOutcome, strict: bool = False) -> Theory | None:
    """The theory record of a program with axioms and no query; None for any other program.
    With `strict` (`--strict`, the CI formats), also of a program with queries whose axioms'
    consistency no solver could establish: an `unknown` theory, which fails the run."""
    consistency = outcome.consistency
    if not program.axioms or consistency is None:
        return None
    if program.queries and not (strict and consistency.warning and not consistency.conflict):
        return None
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


# ---------------------------------------------------------------- when z3 cannot tell

SECOND_SOLVER = "cvc5"


def second_opinion(checker: _Checker, why: str) -> Consistency:
    """The consistency of all the axioms when z3 could not establish it (`why`): asked of cvc5,
    with finite model finding first (it settles theories whose every model is finite), then
    without. cvc5 checks its own models and proofs. An unsat answer is a conflict, made smaller
    by deletion with cvc5; a sat answer establishes consistency; otherwise the warning says what
    both solvers said."""
    from .checker import SECONDARY_SHARE, Consistency
    names = [n for n, _ in checker.axioms]
    ask = _Asker(checker.options.solver(SECONDARY_SHARE).timeout, checker.spending)
    try:
        answer = ask(checker, names)
        if answer.status == "sat":
            return Consistency()
        if answer.status == "unsat":
            return Consistency(conflict=_smaller(checker, names, ask))
    finally:
        ask.close()
    return Consistency(warning=f"the consistency of the axioms could not be established ({why}; "
                               f"{answer.reason}){UNDECIDED_TAIL}")


def by_used(checker: _Checker, consistency: Consistency, results: Sequence[Result]) -> Consistency:
    """When the consistency of all the axioms is undecided, the `used` set of each proof tested on
    its own (by z3, then cvc5): a proof from axioms with no model is no proof, so a conflict found
    there is the program's inconsistency. `consistency` unchanged when none is found."""
    if consistency.conflict or not consistency.warning:
        return consistency
    from .checker import SECONDARY_SHARE, Consistency
    from .results import Verdict
    sets = dict.fromkeys(tuple(r.used) for r in results if r.verdict is Verdict.PROVED and r.used)
    if not sets:
        return consistency
    with checker.spend(checker.options.budget()) as budget:  # every set tested within one --timeout
        ask = _Asker(checker.options.solver(SECONDARY_SHARE).timeout, budget)
        try:
            for used in sets:
                conflict = _used_conflict(checker, used, ask)
                if conflict:
                    return Consistency(conflict=conflict)
        finally:
            ask.close()
    return consistency


def _used_conflict(checker: _Checker, used: tuple[str, ...], ask: _Asker) -> tuple[str, ...]:
    """The axioms of `used` with no model together (made smaller), or () when none is shown."""
    from .checker import SECONDARY_SHARE
    checker.fresh_session()
    try:
        outcome = checker.solve(axioms=used, options=checker.options.solver(SECONDARY_SHARE), want_model=False)
        if outcome.status == "unsat":
            return checker.minimise(outcome.core) or checker.in_order(used)
    finally:
        checker.fresh_session()
    if ask(checker, list(used)).status == "unsat":
        return _smaller(checker, list(used), ask)
    return ()


def _smaller(checker: _Checker, names: Sequence[str], ask: _Asker) -> tuple[str, ...]:
    """An unsat set of axioms made smaller by deletion, each trial asked of cvc5."""
    kept = list(names)
    if len(kept) > MAX_TO_MINIMISE:
        return checker.in_order(kept)
    for name in names:
        trial = [n for n in kept if n != name]
        if trial and ask(checker, trial).status == "unsat":
            kept = trial
    return checker.in_order(kept)


MAX_TO_MINIMISE = 16
"""A conflict found by cvc5 among more axioms than this is reported whole (one question per axiom)."""


ASKER_GRACE = 0.25
"""Seconds past its timeout after which a question of `_Asker` is stopped (its worker ended):
cvc5 checks its time limit only now and then (bench/RESULTS.md, "Time beyond the timeout, again")."""


class _Asker:
    """How to ask cvc5 about a set of axioms: in a worker process that is stopped if cvc5 overruns
    its limit (by `ASKER_GRACE`), or in this process when it is itself a worker (which may start
    no process). The worker is started at the first question, within the budget (its start-up and
    loading cvc5 are time the test spends), and ended by `close`. Each question gets `timeout`
    seconds in each of cvc5's two modes, cut to what is left of `budget` (half of it a mode);
    with nothing left, it is not asked."""

    def __init__(self, timeout: float, budget: Budget | None = None) -> None:
        import multiprocessing
        self.timeout = timeout
        self.budget = budget

        from ..solvers.cvc5 import Answer, Unavailable, load
        self.missing: Answer | None = None
        self.cvc5 = None
        self.process = None
        try:
            self.cvc5 = load()
        except Unavailable as error:
            self.missing = Answer("unknown", f"{SECOND_SOLVER} not asked: {error}")
            return
        if not multiprocessing.current_process().daemon:
            from .crosscheck import Cvc5Process
            self.process = Cvc5Process(grace=ASKER_GRACE, stretch=1.0)

    def __call__(self, checker: _Checker, names: Sequence[str]) -> Answer:
        from ..solvers.cvc5 import Answer, answer
        if self.missing is not None:
            return self.missing
        spent = self._spent()
        if spent is not None:
            return spent
        if self.process is not None:
            from .crosscheck import STARTUP_SECONDS
            started = self.process.start(self.budget.seconds_left() if self.budget else STARTUP_SECONDS)
            if started is not None:
                return Answer("unknown", f"{SECOND_SOLVER} not asked: {started}")
        timeout = self.timeout
        if self.budget is not None:
            timeout = min(timeout, self.budget.seconds_left() / 2)
            spent = self._spent()
            if spent is not None:
                return spent
        formulas = [t for n, t in checker.axioms if n in names]
        if self.process is not None:
            return self.process(checker.program, formulas, (), None, "sat", timeout)
        return _both_modes(lambda finite: answer(self.cvc5, checker.program, formulas, (), None, timeout, finite))

    def _spent(self) -> Answer | None:
        """The answer when the budget has too little left for a question, else None."""
        if self.budget is None or self.budget.seconds_left() >= 2 * MIN_SECONDS:
            return None
        from ..solvers.cvc5 import Answer
        return Answer("unknown", f"{SECOND_SOLVER} not asked: the test used up its {self.budget.seconds:g}s; "
                                 "raise it with --timeout")

    def close(self) -> None:
        if self.process is not None:
            self.process.close()


def _both_modes(one: Callable[[bool], Answer]) -> Answer:
    from ..solvers.cvc5 import Answer
    reasons = []
    for finite in (True, False):
        said = one(finite)
        if said.status != "unknown":
            return said
        reasons.append(f"{said.reason}{' with finite model finding' if finite else ''}")
    return Answer("unknown", "; ".join(reasons))
