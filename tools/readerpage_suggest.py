"""The `suggest` placeholders of the reader's page: a claim's weakest missing premise, and whether
it recovers the author's own assumption (issue 15).

It takes the `readerpage.Library` of spec/ and a placeholder's body and hands
on Markdown: the first suggestion of `alignproof suggest` for the claim (the
weakest found), with the axiom named last left out when one is named, or
how the suggestions compare with that axiom. Each search runs once per page
(kept in the library), through `premises.suggest.claim.suggest_claim`, the
function the command calls, with a whole-search time and a wall clock per
cvc5 abduct far above what the searches need, so that the page does not
depend on the machine's speed (cvc5's resource units bind first). When the
author's axiom is not among the first suggestions (`--max 5`), the recovers
cell looks again with `--max 10` and says where that ranks it.

    {{suggest:STEM:NAME}}          the weakest premise found for the claim
    {{suggest:STEM:NAME:AXIOM}}    the same, for the claim with AXIOM dropped
    {{recovers:STEM:NAME:AXIOM}}   whether a suggestion is AXIOM again (equivalent), or weaker
                                   (with --max 10 when none of the first 5 is)
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from translator.premises.suggest.claim import NoSuchAxiom, suggest_claim
from translator.premises.suggest.search import Relation, Report, SuggestOptions

KINDS = ("suggest", "recovers")
OPTIONS = replace(SuggestOptions(), timeout=600.0, cvc5_seconds=60.0)
WIDER = 10
"""`--max` of the second look of a recovers cell."""


class SuggestError(Exception):
    """The placeholder names no claim, or no axiom of its program."""


def fill(kind: str, rest: str, library: Any, mentioned: set) -> str:
    """The text of `{{KIND:REST}}`; raise SuggestError when it names nothing."""
    file, _, tail = rest.partition(":")
    name, _, axiom = tail.partition(":")
    key = (file, name)
    if key not in library.queries or (kind == "recovers" and not axiom):
        raise SuggestError(f"names no claim of the spec directory ({file}.align :: {name})" if key not in
                           library.queries else "recovers: needs STEM:NAME:AXIOM")
    mentioned.add(("claim", key))
    report = _report(library, key, axiom, OPTIONS.limit)
    if kind == "suggest":
        return _weakest(report)
    found = _recovers(report, axiom)
    if found:
        return found
    wider = _report(library, key, axiom, WIDER)
    return _recovers(wider, axiom, OPTIONS.limit) or \
        f"no: none of the {len(report.suggestions)} suggestions is the axiom or implied by it, " \
        f"nor any of the {len(wider.suggestions)} with `--max {WIDER}`"


def _report(library: Any, key: tuple[str, str], axiom: str, limit: int) -> Report:
    cache = library.suggestions
    if (key, axiom, limit) not in cache:
        query, program = library.queries[key]
        try:
            cache[(key, axiom, limit)] = suggest_claim(program, query, [axiom] if axiom else [],
                                                       replace(OPTIONS, limit=limit))
        except NoSuchAxiom:
            raise SuggestError(f"{axiom} is no axiom of {key[0]}.align's program") from None
    return cache[(key, axiom, limit)]


def _weakest(report: Report) -> str:
    if not report.suggestions:
        return "none found" if report.claim.verdict.value != "proved" else "none needed (proved)"
    first = report.suggestions[0]
    return f"`{first.text}`" + (" (equivalent to the claim)" if first.equivalent else "")


def _recovers(report: Report, axiom: str, beyond: int = 0) -> str | None:
    """Where the suggestions have the axiom again (equivalent) or one it implies; None if nowhere.
    `beyond`: the report is the second look, and the first `beyond` shown by default did not."""
    shown = len(report.suggestions)
    where = f"with `--max {WIDER}`, " if beyond else ""
    for wanted, words in ((Relation.EQUIVALENT, "**yes**: {where}suggestion {n} of {shown} is the axiom again "
                           "(equivalent under the other axioms)"),
                          (Relation.WEAKER, "**weaker**: {where}suggestion {n} of {shown} is implied by the axiom, "
                           "so the author assumed more than the arrow needs")):
        for n, suggestion in enumerate(report.suggestions, 1):
            if dict(suggestion.dropped_axioms).get(axiom) is wanted:
                text = words.format(where=where, n=n, shown=shown)
                return text + (f"; not among the first {beyond}" if beyond and n > beyond else "")
    return None
