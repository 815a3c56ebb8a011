"""Outputs: `alignproof explore` as text for people and as its JSON document (LANGUAGE.md §6.3).

A consumer of `premises.exploration.Exploration` records; nothing here
decides anything. The text gives, per file and sort, the arrows first (the
minimal implications, each with its `used` and whether the file states it),
then the equivalences, the arrows the diagram leaves out because they follow
from the others, the stated implications that fail, what is unknown, and
last the worlds, each explained as `check` explains a counterexample.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from ..premises.exploration import Exploration, Implication, Refuted, World
from .text import _model_lines, _Style

Document = dict


def json_document(explorations: Sequence[Exploration], errors: Sequence[dict] = ()) -> Document:
    """The JSON document: one entry per file and sort, the input errors, and the totals (not ok with
    an input error)."""
    totals = summary(explorations)
    return {
        "explorations": [e.to_json() for e in explorations],
        "errors": [*errors, *(e.diagnostic.to_json() for e in explorations if e.diagnostic is not None)],
        "summary": {**totals, "ok": totals["ok"] and not errors},
    }


def summary(explorations: Sequence[Exploration]) -> dict:
    return {"explorations": len(explorations),
            "implications_decided": sum(e.decided for e in explorations),
            "implications_total": sum(e.total for e in explorations),
            "unknown": sum(len(e.unknown) for e in explorations),
            "queries": sum(e.queries for e in explorations),
            "ok": all(e.ok for e in explorations)}


def write_json(explorations: Sequence[Exploration], out: TextIO, errors: Sequence[dict] = ()) -> None:
    json.dump(json_document(explorations, errors), out, indent=2, ensure_ascii=False)
    out.write("\n")


# ---------------------------------------------------------------- text

def write_text(explorations: Sequence[Exploration], out: TextIO, seconds: float | None = None) -> None:
    style = _Style(out)
    for exploration in explorations:
        for line in exploration_lines(exploration, style):
            print(line, file=out)
    if not explorations:
        print("nothing to explore: no sort has two unary definitions (see --preds, --atoms, --sort)", file=out)
        return
    totals = summary(explorations)
    text = (f"{totals['implications_decided']} of {totals['implications_total']} implications decided with "
            f"{totals['queries']} queries, {totals['unknown']} unknown")
    if seconds is not None:
        text += f" ({seconds:.2f}s)"
    print(style.paint(text, "32" if totals["ok"] else "31"), file=out)


def exploration_lines(e: Exploration, style: _Style) -> list[str]:
    kinds = ", ".join(f"{count} {kind}{'s' if count != 1 else ''}" for kind, count in _tally(e.kinds))
    head = f"{e.file}: {e.sort}, {len(e.definitions)} nodes ({kinds}), implications with up to {e.joins} hypotheses"
    lines = [style.paint(head, "1")]
    if e.inconsistent:
        return lines + [f"  {style.paint(style.bad, '31')} the axioms are inconsistent "
                        f"({', '.join(e.inconsistent)}): nothing is decided"]
    lines += _arrows(e, style) + _exclusive(e) + _equivalences(e) + _left_out(e) + _stated_failures(e, style)
    lines += _converses(e, style) + _unknown(e) + [f"  {w}" for w in e.warnings] + _worlds(e)
    per = f", 1 query per {e.decided / e.queries:.1f} decided" if e.queries else ""
    lines.append(f"  {e.decided} of {e.total} implications decided ({_count(len(e.implications), 'minimal arrow')}, "
                 f"{len(e.refuted)} refuted, {len(e.unknown)} unknown) with {e.queries} queries{per}, "
                 f"{e.seconds:.2f}s")
    return lines


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


def _tally(kinds: Sequence[str]) -> list[tuple[str, int]]:
    return [(kind, kinds.count(kind)) for kind in dict.fromkeys(kinds)]


def _arrow_line(arrow: Implication, style: _Style) -> str:
    mark = {"stated and proved": style.paint(style.good, "32"), "holds but not stated": "+",
            "stated to fail, but proved": style.paint(style.bad, "31")}[arrow.status]
    said = f"stated: {arrow.stated}" if arrow.stated and arrow.ok else \
        f"{arrow.stated} expects a counterexample" if arrow.stated else "holds, not stated"
    used = ", ".join(arrow.used) or "nothing (valid on its own)"
    return f"    {mark} {arrow.text()}   [{said}]   used: {used}"


def _arrows(e: Exploration, style: _Style) -> list[str]:
    lines = [f"  arrows (minimal implications: no fewer hypotheses suffice), {len(e.implications)}:"]
    for arrow in e.implications:
        lines.append(_arrow_line(arrow, style))
        lines += [f"        {style.paint('warning', '33')}: {w}" for w in arrow.warnings]
    if not e.implications:
        lines.append("    none: no definition implies another")
    return lines


def _exclusive(e: Exploration) -> list[str]:
    """Hypotheses that never hold together: every implication from them holds vacuously."""
    return [f"  {x.text()} (so they imply everything, vacuously)   used: {', '.join(x.used) or 'nothing'}"
            for x in e.exclusive]


def _equivalences(e: Exploration) -> list[str]:
    return [f"  equivalent: {' = '.join(group)}" for group in e.equivalences]


def _left_out(e: Exploration) -> list[str]:
    """The minimal arrows the Hasse diagram leaves out, because they follow from the arrows it keeps."""
    kept = {(i.hypotheses, i.conclusion) for i in e.diagram}
    firsts = {group[0]: group for group in e.equivalences}
    members = {n for group in e.equivalences for n in group[1:]}
    out = [a.text() for a in e.implications
           if (a.hypotheses, a.conclusion) not in kept and a.conclusion not in members
           and not any(h in members for h in a.hypotheses)]
    if not out:
        return []
    named = "" if not firsts else " (a class of equivalent nodes is named by its first)"
    return [f"  the diagram{named} leaves out, as they follow from its other arrows: {'; '.join(out)}"]


def _stated_failures(e: Exploration, style: _Style) -> list[str]:
    failed = [c for c in e.claims if c.expected == "proved" and not c.ok]
    if not failed:
        return []
    lines = [f"  stated arrows that do not hold, {len(failed)}:"]
    for c in failed:
        where = f"refuted by {c.world}" if c.world else c.verdict
        lines.append(f"    {style.paint(style.bad, '31')} {' and '.join(c.hypotheses)} -> {c.conclusion}   "
                     f"[{c.claim}]   {where}")
    return lines


def _converses(e: Exploration, style: _Style) -> list[str]:
    """The implications the file expects to fail (converses, readings that break an arrow)."""
    expected = [c for c in e.claims if c.expected == "counterexample"]
    if not expected:
        return []
    lines = [f"  stated to fail, {len(expected)}:"]
    for c in expected:
        mark = style.paint(style.good, "32") if c.ok else style.paint(style.bad, "31")
        found = f"refuted by {c.world}" if c.world else c.verdict
        lines.append(f"    {mark} {' and '.join(c.hypotheses)} -> {c.conclusion}   [{c.claim}]   {found}")
    return lines


def _unknown(e: Exploration) -> list[str]:
    if not e.unknown:
        return []
    return [f"  unknown, {len(e.unknown)}:"] + [f"    ? {u.text()}: {u.reason}" for u in e.unknown]


def _worlds(e: Exploration) -> list[str]:
    if not e.worlds:
        return []
    lines = [f"  worlds ({len(e.worlds)}; each a counterexample found by a solver and re-checked, and every "
             f"implication it refutes):"]
    refuted_by: dict[str, list[Refuted]] = {}
    for r in e.refuted:
        refuted_by.setdefault(r.world, []).append(r)
    for world in e.worlds:
        lines += world_lines(world, refuted_by.get(world.name, []))
    return lines


SHOWN_REFUTED = 6
"""How many of the implications a world refutes the text names (the widest first); JSON lists all."""


def world_lines(world: World, refuted: Sequence[Refuted]) -> list[str]:
    """A world: what it refutes (the implications first refuted by it), the checker's explanation of the
    counterexample and its model, as `check` prints them, and each element's true and false nodes."""
    asked = f"{' and '.join(world.asked[0]) or 'true'} -> {world.asked[1]}"
    plural = "s" if len(refuted) != 1 else ""
    lines = [f"    {world.name}: found for {asked}; refutes {len(refuted)} implication{plural}"]
    widest = sorted((r for r in refuted if not any(set(r.hypotheses) < set(o.hypotheses)
                                                   and r.conclusion == o.conclusion for o in refuted)),
                    key=lambda r: -len(r.hypotheses))
    named = "; ".join(f"{' and '.join(r.hypotheses) or 'true'} -/-> {r.conclusion}" for r in widest[:SHOWN_REFUTED])
    more = len(refuted) - min(len(widest), SHOWN_REFUTED)
    if named:
        lines.append(f"      among them: {named}" + (f"; and {more} more" if more else ""))
    lines += _model_lines(world.result)
    for element, _ in world.values:
        true, false = world.holding(element)
        lines.append(f"      at {element}: true: {', '.join(true) or 'none'}; false: {', '.join(false) or 'none'}")
    return lines
