"""Stage 6, after the queries are answered: what rests on a lemma that is not proved (LANGUAGE.md §6.1).

A query is asked with the axioms and the lemmas declared before it as
premises, before anyone knows whether those lemmas hold (so the queries of a
program can be answered in any order, in any process). `settle` then walks
the lemmas in program order: a result whose proof needed a lemma (the lemma
is in its minimal core, `used`) that is not proved, or that itself rests on
one that is not, becomes `unknown` with a reason naming the lemma. Nothing
else changes: a counterexample or witness is a model of the axioms whatever
the lemmas say, and a bounded search or an example never sees a lemma
(`checker`). Lemmas that no answer was given for (imported ones, or ones
`--claim` left out) are answered here, and only when some proof used them.
It hands on the results in their order.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ..logic.core import Program
from .results import Result, Verdict


def settle(program: Program, results: Sequence[Result], answer: Callable[[str], Result]) -> tuple[Result, ...]:
    """`results` with every proof that rests on an unproved lemma made `unknown`."""
    lemmas = [q.name for q in program.lemmas]
    if not lemmas or not any(_rests(r, lemmas) for r in results):
        return tuple(results)
    given = {r.name: r for r in results if r.kind == "lemma"}
    known = set(lemmas)
    needed = {name for r in results if r.verdict is Verdict.PROVED for name in (r.used or ()) if name in known}
    found: dict[str, Result] = {}
    for name in reversed(lemmas):  # a lemma rests only on earlier ones
        if name in needed:
            found[name] = given.get(name) or answer(name)
            if found[name].verdict is Verdict.PROVED:
                needed.update(n for n in found[name].used or () if n in known)
    settled: dict[str, Result] = {}
    for name in lemmas:
        if name in found:
            settled[name] = _settled(found[name], settled)
    return tuple(settled.get(r.name, r) if r.kind == "lemma" and r.name in found else _settled(r, settled)
                 for r in results)


def _rests(result: Result, lemmas: Sequence[str]) -> bool:
    return result.verdict is Verdict.PROVED and any(n in lemmas for n in result.used or ())


def _settled(result: Result, lemmas: dict[str, Result]) -> Result:
    """`result`, or `unknown` when its proof used a lemma that is not proved."""
    if result.verdict is not Verdict.PROVED:
        return result
    for name in result.used or ():
        lemma = lemmas.get(name)
        if lemma is not None and lemma.verdict is not Verdict.PROVED:
            why = f": {lemma.reason}" if lemma.reason else ""
            reason = (f"the proof rests on lemma {name}, which is not proved ({lemma.verdict.value}{why}); "
                      "prove the lemma, or the claim without it")
            return replace(result, verdict=Verdict.UNKNOWN, ok=False, used=None, reason=reason, warnings=())
    return result
