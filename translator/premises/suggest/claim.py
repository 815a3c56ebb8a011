"""`suggest` for one named claim of a checked program: axioms dropped, the claim checked, then the search.

It takes a typed program, one of its claims and the names of axioms to leave
out, and hands on a `search.Report`: the checker's result on the claim in
the program without those axioms and, unless that result is a proof, the
suggestions found. The command (`cli/suggest.py`) and the reader's page
(`tools/readerpage.py`) both call `suggest_claim`, so they say the same.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from ...check.checker import CheckOptions, check_program
from ...check.results import Verdict
from ...frontend.diagnostics import Diagnostic
from ...logic import core
from .search import Progress, Report, SuggestOptions, suggest


class NoSuchAxiom(Exception):
    """A name to drop that is no axiom of the claim's program."""


class Inconsistent(Exception):
    """The axioms kept are inconsistent: no claim can be checked."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def suggest_claim(program: core.Program, query: core.Query, drop: Collection[str] = (),
                  options: SuggestOptions | None = None, progress: Progress | None = None) -> Report:
    """The claim checked without the `drop`ped axioms, then (unless proved) the search for its
    missing premise, each suggestion compared with the dropped axioms."""
    options = options or SuggestOptions()
    dropped = [a for a in program.axioms if a.name in set(drop)]
    missing = sorted(set(drop) - {a.name for a in dropped})
    if missing:
        raise NoSuchAxiom(missing[0])
    program = replace(program, axioms=tuple(a for a in program.axioms if a.name not in set(drop)), queries=(query,))
    check = CheckOptions(timeout=min(10.0, options.timeout))
    query = _with_proved_lemmas(program, query, check)
    program = replace(program, queries=(query,))
    checked = check_program(program, check, [query.name])
    if checked.inconsistency is not None:
        raise Inconsistent(checked.inconsistency)
    claim = checked.results[0]
    if claim.verdict is Verdict.PROVED:
        return Report(claim)
    return suggest(program, query, claim, options, progress, dropped=dropped)


def _with_proved_lemmas(program: core.Program, query: core.Query, check: CheckOptions) -> core.Query:
    """`query` asked with only the lemmas before it that are proved (in the program as kept): a lemma
    not proved is no premise of anything (LANGUAGE.md §6.1), so no suggestion may be verified with it."""
    visible = tuple(q for q in program.lemmas if q.name in set(query.lemmas))
    if not visible:
        return query
    checked = check_program(replace(program, queries=visible), check)
    proved = {r.name for r in checked.results if r.verdict is Verdict.PROVED}
    return replace(query, lemmas=tuple(n for n in query.lemmas if n in proved))


def taken_names(program: core.Program) -> set[str]:
    """Every name the program declares: a suggestion's axiom name must be none of them."""
    return {s.name for s in program.symbols} | {d.name for d in program.definitions} | \
        {a.name for a in program.axioms} | {q.name for q in program.queries} | {s.name for s in program.sorts}
