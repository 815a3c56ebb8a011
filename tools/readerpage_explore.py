"""The `explore` placeholder of the reader's page: what a spec's definitions imply that its text does not say
(issue 13, item 6).

It takes the `readerpage.Library` of spec/ and a placeholder's body and hands
on Markdown read from `alignproof explore`'s JSON document of the spec's
program (docs/json.md, "The document of explore"), made once per page through
`premises.explore.explore_programs`, the function the command calls:

    {{explore:STEM}}   per sort explored: the minimal arrows that hold and that no claim states (with
                       the axioms they used), the stated arrows that fail and the stated non-arrows the
                       definitions confirm, each refutation linked to its world; then those worlds
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from translator.premises.explore import ExploreOptions, explore_programs

KINDS = ("explore",)


class ExploreError(Exception):
    """The placeholder names no spec of the directory."""


def fill(kind: str, rest: str, library: Any, mentioned: set) -> str:
    """The text of `{{explore:STEM}}`; raise ExploreError when STEM names no program."""
    programs = {Path(p.root).stem: p for _, p in library.queries.values()}
    if rest not in programs:
        raise ExploreError(f"names no program of the spec directory ({rest}.align); "
                           f"known: {', '.join(sorted(programs))}")
    documents = library.explorations
    if rest not in documents:
        documents[rest] = [e.to_json() for e in explore_programs([programs[rest]], ExploreOptions())]
    for document in documents[rest]:
        for claim in document["claims"]:
            mentioned.add(("claim", (rest, claim["claim"])))
    return "\n".join(_exploration(rest, d) for d in documents[rest])


def _arrow(item: dict) -> str:
    return f"`{' ∧ '.join(item['if']) or 'true'} → {item['then']}`"


def _code(names) -> str:
    return ", ".join(f"`{n}`" for n in names) or "no axiom (valid on its own)"


def _anchor(stem: str, world: str) -> str:
    return f"explore-{stem}-{world}"


def _world_link(stem: str, item: dict) -> str:
    return f"[{item['world']}](#{_anchor(stem, item['world'])}) at `{item['at']}`"


def _exploration(stem: str, doc: dict) -> str:
    unstated = [i for i in doc["implications"] if i["stated"] is None]
    failing = [r for r in doc["refuted"] if r["status"] == "stated and refuted"]
    confirmed = [r for r in doc["refuted"] if r["status"] == "stated to fail, and refuted"]
    lines = [f"**{stem}.align**, the {len(doc['definitions'])} definitions over `{doc['sort']}`, "
             f"{doc['implications_decided']} of {doc['implications_total']} implications with up to "
             f"{doc['joins']} hypotheses decided in {doc['queries']} queries.", ""]
    lines.append("Arrows that hold and that no claim states (minimal: no fewer hypotheses suffice):")
    lines.append("")
    lines += [f"- {_arrow(i)}, used {_code(i['used'])}" for i in unstated] or ["- none"]
    lines += ["", "Arrows a claim states that fail:", ""]
    lines += [f"- {_arrow(r)} (claim `{r['stated']}`): refuted in {_world_link(stem, r)}" for r in failing] \
        or ["- none: every arrow the text states holds"]
    if confirmed:
        lines += ["", "Arrows the text says do not hold, refuted as it says:", ""]
        lines += [f"- {_arrow(r)} (claim `{r['stated']}`): {_world_link(stem, r)}" for r in confirmed]
    for unknown in doc["unknown"]:
        lines.append(f"- undecided: {_arrow(unknown)} ({unknown['reason']})")
    shown = dict.fromkeys(r["world"] for r in failing + confirmed)
    if shown:
        lines += ["", "The worlds (each a counterexample found by a solver and re-checked):", ""]
        lines += [_world(stem, name, doc["worlds"][name]) for name in shown]
    return "\n".join(lines) + "\n"


def _world(stem: str, name: str, world: dict) -> str:
    found = world.get("explanation", {}).get("summary") or ", ".join(
        f"{k} = {v}" for k, v in world["witness"].items())
    holding = "; ".join(f"at `{element}`: " + (", ".join(n for n, v in values.items() if v is True) or "nothing")
                        for element, values in world["elements"].items())
    return (f"- <a id=\"{_anchor(stem, name)}\"></a>**{name}**, found for {_arrow(world['asked'])}: {found} "
            f"What holds there: {holding}.")
