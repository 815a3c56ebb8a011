"""The `suggest` placeholders of the reader's page: a claim's weakest missing premise, and whether
it recovers the author's own assumption (issue 15).

It takes the `readerpage.Library` of spec/ and a placeholder's body and hands
on Markdown: the first suggestion of `alignproof suggest` for the claim (the
weakest found), with the axiom named last left out when one is named, or
how the suggestions compare with that axiom. Each search runs once per page
(kept in the library), through `premises.suggest.claim.suggest_claim`, the
function the command calls, with a whole-search time far above what the
searches need, so that the page does not depend on the machine's speed.

    {{suggest:STEM:NAME}}          the weakest premise found for the claim
    {{suggest:STEM:NAME:AXIOM}}    the same, for the claim with AXIOM dropped
    {{recovers:STEM:NAME:AXIOM}}   whether a suggestion is AXIOM again (equivalent), or weaker
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from translator.premises.suggest.claim import NoSuchAxiom, suggest_claim
from translator.premises.suggest.search import Relation, Report, SuggestOptions

KINDS = ("suggest", "recovers")
OPTIONS = replace(SuggestOptions(), timeout=600.0)


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
    report = _report(library, key, axiom)
    return _weakest(report) if kind == "suggest" else _recovers(report, axiom)


def _report(library: Any, key: tuple[str, str], axiom: str) -> Report:
    cache = library.suggestions
    if (key, axiom) not in cache:
        query, program = library.queries[key]
        try:
            cache[(key, axiom)] = suggest_claim(program, query, [axiom] if axiom else [], OPTIONS)
        except NoSuchAxiom:
            raise SuggestError(f"{axiom} is no axiom of {key[0]}.align's program") from None
    return cache[(key, axiom)]


def _weakest(report: Report) -> str:
    if not report.suggestions:
        return "none found" if report.claim.verdict.value != "proved" else "none needed (proved)"
    first = report.suggestions[0]
    return f"`{first.text}`" + (" (equivalent to the claim)" if first.equivalent else "")


def _recovers(report: Report, axiom: str) -> str:
    shown = len(report.suggestions)
    for wanted, words in ((Relation.EQUIVALENT, "**yes**: suggestion {n} of {shown} is the axiom again "
                           "(equivalent under the other axioms)"),
                          (Relation.WEAKER, "**weaker**: suggestion {n} of {shown} is implied by the axiom, "
                           "so the author assumed more than the arrow needs")):
        for n, suggestion in enumerate(report.suggestions, 1):
            if dict(suggestion.dropped_axioms).get(axiom) is wanted:
                return words.format(n=n, shown=shown)
    return f"no: none of the {shown} suggestions is the axiom or implied by it"
