"""Stage 6: the vacuity test of a proved claim `forall ... . H1 -> H2 -> ... -> C` (LANGUAGE.md §4).

It takes the checker (for its solver session, its axioms and its limits) and
the claim's goal, and hands on the warnings to attach to the proof:

- none, when a model of the axioms and every hypothesis is found (with 1, 2
  or 3 elements per sort first, cheaply; then without a bound);
- `vacuous: ...` when the solver shows the hypotheses cannot hold together
  under the axioms. Each hypothesis is a tracked assertion of its own, so
  the unsat core (made smaller) names the hypotheses that conflict, and the
  axioms they conflict with: one hypothesis alone is "the hypothesis at
  SPAN can never hold", several are "the hypotheses at SPAN and SPAN cannot
  hold together";
- `vacuity not decided: ...` when neither was found (the solver gave up,
  or ran out of its budget): the proof may be vacuous, and the warning says
  so rather than staying silent.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..logic import names
from ..logic.core import And, Term
from ..logic.shapes import implication
from .checker import MINIMISE_CAP, SECONDARY_SHARE, SMALL_BOUNDS

if TYPE_CHECKING:
    from .checker import _Checker, _Goal


VACUOUS_WARNING = "vacuous: "
"""How the warning of a proof whose hypotheses cannot hold begins (an unsat answer showed it)."""


def vacuity(checker: _Checker, goal: _Goal) -> tuple[str, ...]:
    """The vacuity warning of a proved claim's goal, or () when its hypotheses can hold."""
    hypotheses, _ = implication(goal.expanded)
    if not hypotheses:
        return ()
    together = hypotheses[0] if len(hypotheses) == 1 else And(tuple(hypotheses))
    bounded = []
    for bound in SMALL_BOUNDS:
        small = checker.solve([together], goal, bound=bound, options=checker._shrink_options(), want_model=False)
        if small.status == "sat":
            return ()
        bounded.append(small.status)
    outcome = checker.solve([together], goal, options=checker.options.solver(SECONDARY_SHARE), want_model=False)
    if outcome.status == "sat":
        return ()
    if outcome.status != "unsat":
        return (_undecided(hypotheses, all(s == "unsat" for s in bounded), outcome.reason),)
    core: Sequence[str] = outcome.core
    conflicting = list(range(len(hypotheses)))
    if len(hypotheses) > 1:  # which of them conflict: each tracked on its own, asked again
        tracked = [(names.hypothesis(i), h) for i, h in enumerate(hypotheses)]
        named = checker.solve(goal=goal, extra=tracked, options=checker.options.solver(SECONDARY_SHARE),
                              want_model=False)
        if named.status == "unsat":
            core = _smaller(checker, named.core)
            conflicting = [i for i, (name, _) in enumerate(tracked) if name in core] or conflicting
    return (_vacuous(hypotheses, conflicting, checker.in_order(core)),)


def _smaller(checker: _Checker, core: Sequence[str]) -> tuple[str, ...]:
    """The core of the last question made smaller by deletion on its own solver."""
    session = checker._session
    if session is None:
        return tuple(core)
    smaller = session.smaller_core(core, checker.options.solver(SECONDARY_SHARE, MINIMISE_CAP))
    return tuple(core) if smaller is None else smaller


def _where(hypotheses: Sequence[Term], chosen: Sequence[int]) -> str:
    """`the hypothesis at SPAN` or `the hypotheses at SPAN, SPAN and SPAN`."""
    spans = [f" at {hypotheses[i].span}" if hypotheses[i].span else "" for i in chosen]
    if len(chosen) == 1:
        return f"the hypothesis{spans[0]}"
    if not all(spans):
        return "the hypotheses"
    places = [s.removeprefix(" at ") for s in spans]
    return f"the hypotheses at {', '.join(places[:-1])} and {places[-1]}"


def _vacuous(hypotheses: Sequence[Term], conflicting: Sequence[int], axioms: Sequence[str]) -> str:
    where = _where(hypotheses, conflicting)
    if len(conflicting) == 1:
        because = f" (it contradicts {', '.join(axioms)})" if axioms else ""
        return f"{VACUOUS_WARNING}{where} can never hold under the axioms{because}"
    if axioms:
        return f"{VACUOUS_WARNING}{where} cannot hold together under the axioms (with {', '.join(axioms)})"
    return f"{VACUOUS_WARNING}{where} cannot hold together (they contradict each other)"


def _undecided(hypotheses: Sequence[Term], none_small: bool, reason: str) -> str:
    where = _where(hypotheses, range(len(hypotheses)))
    one = len(hypotheses) == 1
    verb, pronoun = ("holds", "it") if one else ("hold together", "they")
    small = f" {verb} in no model of the axioms with up to {SMALL_BOUNDS[-1]} elements per sort, and" \
        if none_small else ""
    return (f"vacuity not decided: {where}{small} the solver could not tell whether {pronoun} can "
            f"{'hold' if one else 'hold together'} under the axioms ({reason or 'unknown'}); if "
            f"{pronoun} cannot, this proof holds vacuously")
