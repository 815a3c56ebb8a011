"""Outputs: the discovered implication diagram as Graphviz text (`explore --format dot`, the report).

A consumer of an `Exploration`: its nodes are the equivalence classes (one
box per class, its members joined by `=`), its arrows the Hasse diagram
(the minimal implications with those that follow from the others left
out; a join of several hypotheses meets at a point first), each styled by
how it stands to the file's claims: stated and proved, holding but not
stated (drawn in the discovered style), stated to fail but proved. The
arrows the file states that a world refutes are drawn too, dotted, each
linking to its world. Laid out by `graphviz.py` like every picture.
"""
from __future__ import annotations

from collections.abc import Callable

from ..premises.exploration import Exploration
from .diagram import dot_string

STYLES = {
    "stated and proved": ('color="#1f2937", penwidth=1.8', "stated"),
    "holds but not stated": ('color="#2563eb", style=dashed, penwidth=2.2', "discovered"),
    "stated to fail, but proved": ('color="#b26a00", penwidth=2.0', "broken"),
    "stated and refuted": ('color="#c62828", style=dotted, penwidth=1.5', "refuted"),
}
"""Each kind of arrow: its Graphviz attributes and its SVG class (the report's legend and toggles)."""


def classes(e: Exploration) -> list[tuple[str, ...]]:
    """The boxes of the picture: each equivalence class once (at its first member), every other node alone."""
    groups = {g[0]: g for g in e.equivalences}
    later = {n for g in e.equivalences for n in g[1:]}
    return [groups.get(n, (n,)) for n in e.definitions if n not in later]


def to_dot(e: Exploration, slug: str = "explore", link: Callable[[str], str] | None = None,
           node_link: Callable[[str], str] | None = None) -> str:
    """The picture as a Graphviz digraph, conclusions above hypotheses. `link(world)` is the href of a
    refuted arrow, `node_link(node)` that of a node (the report: its list of what it does not imply);
    every id starts with `slug`, so several pictures can share a page."""
    lines = [f"digraph {dot_string(f'{e.file} {e.sort}')} {{",
             f'  graph [id={dot_string(slug + "-graph")}, rankdir=BT, bgcolor="transparent", '
             'nodesep=0.35, ranksep=0.5, pad=0.15, fontname="Helvetica"];',
             '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", color="#4a6fa5", '
             'fontname="Helvetica", fontsize=12, margin="0.14,0.06"];',
             '  edge [arrowsize=0.8, fontname="Helvetica"];']
    boxes = classes(e)
    names = {member: f"n{i}" for i, group in enumerate(boxes) for member in group}
    for i, group in enumerate(boxes):
        href = f", href={dot_string(node_link(group[0]))}" if node_link else ""
        lines.append(f"  n{i} [id={dot_string(f'{slug}-n{i}')}, label={dot_string(' = '.join(group))}, "
                     f"tooltip={dot_string(' = '.join(group))}{href}];")
    arrows: list[tuple[tuple[str, ...], str, str, str | None, str | None]] = \
        [(a.hypotheses, a.conclusion, a.status, a.stated, None) for a in e.diagram]
    arrows += [(c.hypotheses, c.conclusion, "stated and refuted", c.claim, c.world)
               for c in e.claims if c.expected == "proved" and c.verdict == "counterexample"]
    for index, (hyps, then, status, claim, world) in enumerate(arrows):
        style, kind = STYLES[status]
        tip = f"{' and '.join(hyps) or 'true'} -> {then}: {status}" + (f" ({claim})" if claim else "")
        extra = f", href={dot_string(link(world))}" if link and world else ""
        common = f'{style}, class="{kind}", tooltip={dot_string(tip)}{extra}'
        lines += _arrow(index, [names[h] for h in hyps], names[then], common, slug, style)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _arrow(index: int, sources: list[str], target: str, common: str, slug: str, style: str) -> list[str]:
    edge = f"{slug}-arrow-{index}"
    if len(sources) == 1:
        return [f"  {sources[0]} -> {target} [id={dot_string(edge)}, {common}];"]
    if not sources:  # holds of every element: from a small "true" point
        return [f"  t{index} [id={dot_string(edge + '-true')}, shape=plaintext, label=\"true\", fontsize=10];",
                f"  t{index} -> {target} [id={dot_string(edge)}, {common}];"]
    joint = f"j{index}"
    color = style.split(",")[0]
    out = [f"  {joint} [id={dot_string(edge + '-joint')}, shape=point, width=0.08, style=filled, {color}, "
           f"fill{color}];"]
    out += [f"  {s} -> {joint} [id={dot_string(f'{edge}-h{i}')}, {common}, dir=none];" for i, s in enumerate(sources)]
    out.append(f"  {joint} -> {target} [id={dot_string(edge + '-c')}, {common}];")
    return out
