"""Output of `alignproof suggest`: a `premises.suggest.search.Report` as pasteable text and as JSON.

It takes the report of one claim's search (and the names the spec already
declares) and hands on text for people, each suggestion an `axiom
suggested_N: ...` line of the spec language with `#` comments under it (so
that the whole output pastes into a spec file), or the JSON document of
LANGUAGE.md §6.5 (`docs/schema/suggest.schema.json`). Both say once that the
suggestions are advice.
"""
from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import TextIO

from ..logic.model import model_to_json, value_to_json, value_to_text
from ..premises.suggest.search import Report, Suggestion

ADVICE = ("suggestions are advice, not verdicts: each was verified by the checker before it is shown, "
          "and none is recorded in proofs/")

REASONS = {
    "does_not_prove": "do not prove the claim",
    "circular": "circular",
    "vacuous": "vacuous",
    "inconsistent": "inconsistent with the axioms",
    "unknown": "undecided by the checker",
}
"""Each reason a candidate is dropped for, as the text output says it."""


def names_for(report: Report, taken: Collection[str]) -> list[str]:
    """`suggested_1`, `suggested_2`, ... for the suggestions, skipping names the spec declares."""
    names: list[str] = []
    number = 0
    while len(names) < len(report.suggestions):
        number += 1
        name = f"suggested_{number}"
        if name not in taken:
            names.append(name)
    return names


def write_text(report: Report, taken: Collection[str], out: TextIO) -> None:
    claim = report.claim
    witness = ", ".join(f"{k} = {value_to_text(v)}" for k, v in (claim.witness or {}).items())
    print(f"# {claim.file}: {claim.kind} {claim.name}: {claim.verdict.value}" + (f" ({witness})" if witness else ""),
          file=out)
    print(f"# {ADVICE}", file=out)
    names = names_for(report, taken)
    for name, suggestion in zip(names, report.suggestions):
        print(f"axiom {name}: {suggestion.text}", file=out)
        for line in _notes(suggestion, names):
            print(f"  # {line}", file=out)
    if not report.suggestions:
        print("# no premise was found that passes every test", file=out)
    for line in _summary(report):
        print(f"# {line}", file=out)


def _notes(suggestion: Suggestion, names: Sequence[str]) -> list[str]:
    notes = []
    if suggestion.equivalent:
        notes.append("equivalent: the claim holds exactly when this does (under the axioms)")
    if suggestion.weaker_than:
        notes.append("weaker than " + ", ".join(names[i] for i in suggestion.weaker_than))
    if suggestion.rules_out is not None:
        at = suggestion.rules_out.at or suggestion.rules_out.witness
        where = ", ".join(f"{k} = {value_to_text(v)}" for k, v in at.items())
        notes.append("rules out the counterexample" + (f" (false at {where})" if where else ""))
    if suggestion.used is not None:
        notes.append("the proof also uses: " + (", ".join(suggestion.used) or "no axiom of the spec"))
    if suggestion.stronger_than_axioms:
        notes.append("with the other axioms it implies axiom " + ", ".join(suggestion.stronger_than_axioms))
    for axiom, relation in suggestion.dropped_axioms:
        notes.append(f"compared with the dropped axiom {axiom}: {_relation_text(relation.value)}")
    for same in suggestion.same_as:
        notes.append(f"same as: {same}")
    notes.append("from: " + ", ".join(suggestion.sources))
    return notes


def _relation_text(relation: str) -> str:
    return {"equivalent": "equivalent to it", "stronger": "stronger (it implies the axiom)",
            "weaker": "weaker (the axiom implies it)", "neither": "neither implies the other",
            "unknown": "not decided"}[relation]


def _summary(report: Report) -> list[str]:
    dropped = ", ".join(f"{n} {REASONS.get(r, r)}" for r, n in report.dropped.items() if n)
    lines = [f"{report.examined} candidates examined in {report.seconds:.1f} s ({report.questions} checker "
             f"questions); dropped: {dropped or 'none'}"]
    for source in report.sources:
        state = f"{source.candidates} candidates" if source.ran else "not run"
        lines.append(f"source {source.name}: {state}" + (f"; {source.note}" if source.note else ""))
    if not report.complete:
        lines.append("cut short by --timeout: these are the suggestions verified so far")
    return lines


def to_json(report: Report, taken: Collection[str]) -> dict:
    """The JSON document of LANGUAGE.md §6.5 (docs/schema/suggest.schema.json)."""
    claim = report.claim
    names = names_for(report, taken)
    return {
        "claim": {"file": claim.file, "name": claim.name, "verdict": claim.verdict.value,
                  **({"witness": {k: value_to_json(v) for k, v in claim.witness.items()}}
                     if claim.witness is not None else {})},
        "advice": ADVICE,
        "suggestions": [_suggestion(report, name, s) for name, s in zip(names, report.suggestions)],
        "dropped": dict(report.dropped),
        "sources": [{"name": s.name, "ran": s.ran, "candidates": s.candidates, "note": s.note}
                    for s in report.sources],
        "examined": report.examined,
        "questions": report.questions,
        "complete": report.complete,
        "seconds": round(report.seconds, 3),
    }


def _suggestion(report: Report, name: str, suggestion: Suggestion) -> dict:
    claim = report.claim
    doc: dict = {"name": name, "axiom": suggestion.text, "equivalent": suggestion.equivalent,
                 "weaker_than": list(suggestion.weaker_than), "rules_out": None,
                 "used": list(suggestion.used) if suggestion.used is not None else None,
                 "stronger_than_axioms": list(suggestion.stronger_than_axioms),
                 "same_as": list(suggestion.same_as), "sources": list(suggestion.sources)}
    rules_out = suggestion.rules_out
    if rules_out is not None:
        doc["rules_out"] = {
            "witness": {k: value_to_json(v) for k, v in rules_out.witness.items()},
            "model": model_to_json(rules_out.model, claim.shown_sorts, claim.shown_symbols),
            "at": {k: value_to_json(v) for k, v in rules_out.at.items()}}
    if suggestion.dropped_axioms:
        doc["dropped_axioms"] = {a: r.value for a, r in suggestion.dropped_axioms}
    return doc


def proved_already(report: Report) -> str:
    """What `suggest` says of a claim the checker proves: nothing to suggest."""
    claim = report.claim
    used = ", ".join(claim.used or ()) or "none"
    return f"{claim.file}: {claim.kind} {claim.name} is proved already (used: {used}); nothing to suggest"


def write_json(report: Report, taken: Collection[str], out: TextIO) -> None:
    json.dump(to_json(report, taken), out, indent=2)
    out.write("\n")
