"""Outputs: the report's discovered implication diagram, beside the one the claims state (issue 13, item 5).

Called from one line of `html.py` per spec file. For each sort with two or
more unary definitions it runs `premises.explore` on the file's program (the
one analysis of the report beyond the run it is given: the implications no
claim states are not in the run) and writes, as static HTML without script:
the Hasse diagram (`explore_dot.to_dot`: arrows the file states solid,
arrows that hold but nobody stated dashed blue, stated arrows a world
refutes dotted red and linked to that world), a legend, the minimal arrows
with their `used` axioms and how each stands to the claims, every
implication that does not hold grouped by its hypotheses (a node of the
picture links to what it does not imply), each linked to its world, and
the worlds, each explained as `check` explains a counterexample with the
truth of every definition at each element.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..logic import core
from ..premises.exploration import Exploration, Refuted, World
from .explore_dot import STYLES, to_dot

if TYPE_CHECKING:
    from .html import Page

_LEGEND = {
    "stated": ("#1f2937", "", 1.8, "stated by a claim of the file, and proved"),
    "discovered": ("#2563eb", "6,4", 2.2, "holds, but no claim states it (discovered)"),
    "broken": ("#b26a00", "", 2.0, "holds, though a claim of the file expects a counterexample"),
    "refuted": ("#c62828", "2,3", 1.5, "stated, but a world refutes it: follow it to the world"),
}

CSS = """
section.discovered { border-top: 1px dashed var(--line); margin-top: 14px; }
details.nonarrows { font-size: 13.5px; }
ul.nonarrows { margin: 4px 0; padding-left: 20px; columns: 2 340px; column-gap: 28px; }
ul.nonarrows > li { break-inside: avoid; margin: 0 0 6px; scroll-margin-top: 14px; }
ul.nonarrows > li:target, section.world:target { outline: 3px solid #f5b400; outline-offset: 2px; }
table.elements td.vtrue { color: #1b7f3b; } table.elements td.vfalse { color: #c62828; }
"""
"""The section's own styles, beside the page's."""

_STATUS_CLASS = {status: kind for status, (_, kind) in STYLES.items()}


def section(page: Page, program: core.Program) -> list[str]:
    """The discovered diagram of each explored sort of `program` (nothing when no sort has two definitions)."""
    from ..premises.explore import ExploreOptions, Refused, explore_programs
    try:
        found = explore_programs([program], ExploreOptions())
    except Refused:
        return []
    out: list[str] = []
    for e in found:
        out += exploration_part(page, e)
    return out


def exploration_part(page: Page, e: Exploration) -> list[str]:
    from .html import esc, slug
    name = slug(f"{e.file}-{e.sort}")
    out = [f'<section class="discovered" id="discovered-{name}"><style>{CSS}</style>'
           "<h3>Implication diagram, discovered: "
           f"what the definitions over <code>{esc(e.sort)}</code> imply</h3>",
           f'<p class="note">Beside the diagram the claims state: every implication with up to {e.joins} '
           f"hypotheses decided ({e.decided} of {e.total}, with {e.queries} queries; "
           f"{len(e.unknown)} unknown), by <code>alignproof explore</code>.</p>"]
    if e.inconsistent:
        return out + [f'<p class="bad">The axioms are inconsistent ({esc(", ".join(e.inconsistent))}): '
                      "nothing is decided.</p></section>"]
    picture = to_dot(e, f"discovered-{name}", link=lambda world: f"#world-{name}-{world}",
                     node_link=lambda node: f"#not-{name}-{node}")
    drawn, why = page.svg(picture)
    if drawn is not None:
        out.append(f'<figure class="diagram discovered">{drawn}</figure>')
        out.append(_legend(e))
    else:
        out.append(f'<p class="note">{esc(why)}: the diagram is shown as a list of arrows.</p>')
    out += _arrows(e, name) + _not_implied(e, name) + _worlds(page, e, name)
    out.append("</section>")
    return out


def _legend(e: Exploration) -> str:
    from .html import esc
    present = {_STATUS_CLASS[a.status] for a in e.diagram}
    if any(c.expected == "proved" and c.verdict == "counterexample" for c in e.claims):
        present.add("refuted")
    items = []
    for kind, (color, dash, width, text) in _LEGEND.items():
        if kind in present:
            line = (f'<svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" '
                    f'stroke="{color}" stroke-width="{width}" stroke-dasharray="{dash or "none"}"/></svg>')
            items.append(f'<li class="{kind}">{line} {esc(text)}</li>')
    if any(len(a.hypotheses) > 1 for a in e.diagram):
        items.append('<li><span class="dot">●</span> joins a conjunction: the lines into it are one arrow '
                     "from <em>all</em> of them together</li>")
    if e.equivalences:
        items.append("<li>a box naming several definitions joined by = is a class of equivalent ones</li>")
    items.append("<li>click a definition for what it does not imply, each with its world</li>")
    return '<ul class="legend">' + "".join(items) + "</ul>"


def _arrows(e: Exploration, name: str) -> list[str]:
    from .html import esc
    rows = []
    for a in e.implications:
        kind = _STATUS_CLASS[a.status]
        claim = f"<code>{esc(a.stated)}</code>" if a.stated else ""
        used = ", ".join(f"<code>{esc(u)}</code>" for u in a.used) or "none (valid on its own)"
        rows.append(f'<tr class="{kind}"><td><code>{esc(a.text())}</code></td><td>{esc(a.status)}</td>'
                    f"<td>{claim}</td><td>{used}</td></tr>")
    for c in e.claims:
        if c.verdict == "counterexample":
            status = "stated and refuted" if c.expected == "proved" else "stated to fail, and refuted"
            text = f"{' and '.join(c.hypotheses)} -> {c.conclusion}"
            rows.append(f'<tr class="{"refuted" if c.expected == "proved" else "converse"}"><td><code>'
                        f'{esc(text)}</code></td><td>{esc(status)}</td><td><code>{esc(c.claim)}</code></td>'
                        f'<td><a href="#world-{name}-{esc(c.world or "")}">world {esc(c.world or "")}</a></td></tr>')
    if not rows:
        return ['<p class="note">No definition implies another, and no claim states an implication.</p>']
    return [f'<table class="results discovered"><caption>The minimal arrows ({len(e.implications)}), then the '
            "stated implications a world refutes</caption><thead><tr><th>implication</th><th>how it stands to "
            "the claims</th><th>claim</th><th>used</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"]


def _not_implied(e: Exploration, name: str) -> list[str]:
    """Every refuted implication, by its hypotheses, each linked to the world that refutes it; each node
    alone has an entry (possibly empty), which its box in the picture links to."""
    from .html import esc
    groups: dict[tuple[str, ...], list[Refuted]] = {(n,): [] for n in e.definitions}
    for r in e.refuted:
        groups.setdefault(r.hypotheses, []).append(r)
    entries = []
    for hyps, refuted in groups.items():
        start = " and ".join(f"<code>{esc(h)}</code>" for h in hyps) or "<code>true</code> (every element)"
        ident = f' id="not-{name}-{esc(hyps[0])}"' if len(hyps) == 1 else ""
        if not refuted:
            entries.append(f"<li{ident}>{start} entails every other definition</li>")
            continue
        items = "".join(f'<li><a href="#world-{name}-{esc(r.world)}"><code>{esc(r.conclusion)}</code></a> '
                        f'<span class="note">(world {esc(r.world)}, at {esc(r.at)})</span></li>' for r in refuted)
        entries.append(f"<li{ident}>{start} does not entail<ul>{items}</ul></li>")
    return [f'<details class="nonarrows" open><summary>What does not follow ({len(e.refuted)} implications), by '
            f'their hypotheses</summary><ul class="nonarrows">{"".join(entries)}</ul></details>']


def _worlds(page: Page, e: Exploration, name: str) -> list[str]:
    if not e.worlds:
        return []
    refuted_by: dict[str, int] = {}
    for r in e.refuted:
        refuted_by[r.world] = refuted_by.get(r.world, 0) + 1
    out = [f'<details class="worlds" open><summary>The worlds ({len(e.worlds)}): each a counterexample found '
           "by a solver and re-checked</summary>"]
    out += [_world(w, name, refuted_by.get(w.name, 0)) for w in e.worlds]
    out.append("</details>")
    return out


def _world(w: World, name: str, refutes: int) -> str:
    from .html import _step, esc
    asked = f"{' and '.join(w.asked[0]) or 'true'} -> {w.asked[1]}"
    parts = [f'<section class="model world" id="world-{name}-{esc(w.name)}"><h4>World {esc(w.name)}: found '
             f"for <code>{esc(asked)}</code>; it refutes {refutes} implication{'s' if refutes != 1 else ''}</h4>"]
    explanation = w.result.explanation
    if explanation is not None:
        parts.append(f'<p class="explanation-summary">{esc(explanation.summary)}</p>')
        parts.append('<div class="steps"><ul>' + "".join(_step(s) for s in explanation.steps) + "</ul></div>")
    parts.append(_elements(w))
    parts.append(f'<p class="back"><a href="#discovered-{name}">↑ discovered diagram</a></p></section>')
    return "".join(parts)


def _elements(w: World) -> str:
    from .html import esc
    head = "".join(f"<th><code>{esc(element)}</code></th>" for element, _ in w.values)
    rows = []
    for i, node in enumerate(w.nodes):
        cells = "".join(f'<td class="value v{_word(row[i])}">{_word(row[i])}</td>' for _, row in w.values)
        rows.append(f"<tr><td><code>{esc(node)}</code></td>{cells}</tr>")
    return (f'<table class="elements"><caption>each definition at each element of <code>{esc(w.sort)}</code>'
            f"</caption><thead><tr><th>definition</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _word(value: bool | None) -> str:
    return "undecided" if value is None else "true" if value else "false"


__all__: Sequence[str] = ["exploration_part", "section"]
