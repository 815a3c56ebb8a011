"""The implication diagram of a spec file: which definitions were proved (or refuted) to imply which.

A consumer of the core program and the checker's results, for the HTML
report. A claim is drawn when it is an implication (or an equivalence)
between definitions over at most one variable:

    claim c: forall a: Agent. d1(a) and d2(base(a)) -> d3(a)

Its nodes are the definition calls with that variable abstracted, so
`outer_aligned(base(a))` in one claim and `outer_aligned(base(m))` in another
are one node. Each drawn claim becomes an `Arrow` from its hypotheses (a
conjunction is one joined arrow) to its conclusions, carrying the verdict
the checker gave it. Nothing here decides a verdict; the picture is read
off the results.
"""
from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from ..check.results import Result, Verdict
from ..logic import core
from ..logic.expand import substitute
from ..logic.model import Model
from ..logic.printer import print_term
from ..logic.shapes import claim_parts, conjuncts

_EMPTY = Model(universes={}, tables={})


@dataclass(frozen=True)
class Node:
    """A definition applied to the claim's variable (or to terms built from it)."""

    key: str            # the call with the variable abstracted: `outer_aligned(base(_))`
    definition: str     # the definition's name
    label: str          # as people read it: `inner_aligned`, or `outer_aligned(base(a))`
    doc: str = ""       # the definition's doc comment
    body: str = ""      # the definition's right-hand side, as source-like text


@dataclass(frozen=True)
class Arrow:
    """One drawn claim (or several claims saying the same thing): hypotheses to conclusions."""

    claims: tuple[str, ...]
    hypotheses: tuple[str, ...]     # node keys, joined by `and`
    conclusions: tuple[str, ...]    # node keys, joined by `and`
    verdict: Verdict
    both_ways: bool = False         # an equivalence, drawn once
    derived: bool = False           # proved, and follows from the other proved arrows by chaining
    folded: bool = False            # refuted, and not pointing up the bold arrows: listed, not drawn

    @property
    def claim(self) -> str:
        return self.claims[0]


@dataclass(frozen=True)
class Diagram:
    """The implication diagram of one spec file."""

    file: str
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]
    left_out: tuple[str, ...] = ()  # checked claims that are not implications between definitions

    def node(self, key: str) -> Node:
        return next(n for n in self.nodes if n.key == key)


def diagram(program: core.Program, results: Sequence[Result]) -> Diagram:
    """The diagram of `program`'s own claims, drawn with the verdicts in `results` (unchecked claims are skipped)."""
    verdicts = {r.name: r.verdict for r in results
                if r.kind == "claim" and r.file == program.root and r.reading in (None, "base")}
    nodes: dict[str, Node] = {}
    arrows: list[Arrow] = []
    left_out: list[str] = []
    for query in program.queries:
        if query.kind is not core.QueryKind.CLAIM or query.name not in verdicts:
            continue
        shape = implication(query.formula)
        if shape is None:
            left_out.append(query.name)
            continue
        hypotheses, conclusions, both_ways = shape
        keys = [_node(call, nodes) for call in hypotheses], [_node(call, nodes) for call in conclusions]
        arrows.append(Arrow((query.name,), tuple(keys[0]), tuple(keys[1]), verdicts[query.name], both_ways))
    arrows = mark_folded(mark_derived(_equivalences(_merge_duplicates(arrows))), list(nodes))
    return Diagram(program.root, tuple(nodes.values()), tuple(arrows), tuple(left_out))


# ---------------------------------------------------------------- the shape of a claim

def implication(formula: core.Term) -> tuple[list[core.DefCall], list[core.DefCall], bool] | None:
    """`(hypotheses, conclusions, is_equivalence)` of `forall x. D1 and ... -> C1 and ...`, or None.

    Every hypothesis and conclusion must be a definition call; at most one variable is bound.
    """
    body = formula
    if isinstance(body, core.Quant):
        if body.kind is not core.QuantKind.FORALL or len(body.vars) != 1:
            return None
        body = body.body
    if isinstance(body, core.Iff):
        hypotheses, conclusion, both_ways = conjuncts(body.lhs), body.rhs, True
    elif isinstance(body, core.Implies):
        (hypotheses, conclusion), both_ways = claim_parts(body), False
    else:
        return None
    conclusions = conjuncts(conclusion)
    ifs = [c for c in hypotheses if isinstance(c, core.DefCall) and c.defn.sort.is_bool]
    thens = [c for c in conclusions if isinstance(c, core.DefCall) and c.defn.sort.is_bool]
    if len(ifs) != len(hypotheses) or len(thens) != len(conclusions):
        return None
    return ifs, thens, both_ways


def _node(call: core.DefCall, nodes: dict[str, Node]) -> str:
    """The key of `call`'s node, adding the node on first sight."""
    variables = {v.uid: v for arg in call.args for v in core.walk(arg) if isinstance(v, core.Var)}
    placeholders = {uid: core.Var("_", v.sort, -1) for uid, v in variables.items()}
    key = print_term(substitute(call, placeholders), _EMPTY)
    if key not in nodes:
        plain = len(call.args) <= 1 and all(isinstance(a, core.Var) for a in call.args)
        label = call.defn.name if plain else print_term(call, _EMPTY)
        nodes[key] = Node(key, call.defn.name, label, call.defn.doc,
                          print_term(call.defn.body, _EMPTY))
    return key


# ---------------------------------------------------------------- merging and chaining

def _merge_duplicates(arrows: list[Arrow]) -> list[Arrow]:
    """Claims with the same hypotheses, conclusions and verdict become one arrow naming them all."""
    merged: dict[tuple, Arrow] = {}
    for arrow in arrows:
        key = (frozenset(arrow.hypotheses), frozenset(arrow.conclusions), arrow.verdict, arrow.both_ways)
        if key in merged:
            merged[key] = replace(merged[key], claims=merged[key].claims + arrow.claims)
        else:
            merged[key] = arrow
    return list(merged.values())


def _equivalences(arrows: list[Arrow]) -> list[Arrow]:
    """Two proved one-to-one arrows `A -> B` and `B -> A` become one equivalence, drawn once."""
    out: list[Arrow] = []
    used: set[int] = set()
    for i, arrow in enumerate(arrows):
        if i in used:
            continue
        if _simple_proved(arrow):
            for j in range(i + 1, len(arrows)):
                other = arrows[j]
                if j not in used and _simple_proved(other) and \
                        (other.hypotheses, other.conclusions) == (arrow.conclusions, arrow.hypotheses):
                    arrow = replace(arrow, claims=arrow.claims + other.claims, both_ways=True)
                    used.add(j)
                    break
        out.append(arrow)
    return out


def _simple_proved(arrow: Arrow) -> bool:
    return (arrow.verdict is Verdict.PROVED and not arrow.both_ways
            and len(arrow.hypotheses) == 1 and len(arrow.conclusions) == 1)


def mark_derived(arrows: Sequence[Arrow]) -> list[Arrow]:
    """Mark the proved arrows that follow from the other proved arrows by chaining (`derived`).

    The widest arrows are tried first, and an arrow is tested against the
    arrows not yet marked, so the unmarked ones still yield every marked one.
    """
    marked: set[int] = set()
    order = sorted((i for i, a in enumerate(arrows) if a.verdict is Verdict.PROVED),
                   key=lambda i: (-len(arrows[i].hypotheses) - len(arrows[i].conclusions), -i))
    for i in order:
        rules = [rule for j, a in enumerate(arrows)
                 if j != i and j not in marked and a.verdict is Verdict.PROVED for rule in _rules(a)]
        if all(set(goal) <= closure(set(given), rules) for given, goal in _rules(arrows[i])):
            marked.add(i)
    return [replace(a, derived=True) if i in marked else a for i, a in enumerate(arrows)]


def mark_folded(arrows: Sequence[Arrow], keys: Sequence[str]) -> list[Arrow]:
    """Mark the refuted arrows that do not point up the bold arrows (`folded`): converses, which point
    down them, and arrows across. Those are listed by the node they start from instead of drawn; a
    refuted arrow that points up (a reading that breaks an arrow of the diagram) stays in the picture."""
    rank = ranks(arrows, keys)
    return [replace(a, folded=True) if a.verdict is Verdict.COUNTEREXAMPLE and _direction(a, rank) != "up"
            else a for a in arrows]


def folded_groups(picture: Diagram) -> dict[tuple[str, ...], list[Arrow]]:
    """The folded arrows by their hypotheses (node keys), in the order of the nodes."""
    order = {node.key: i for i, node in enumerate(picture.nodes)}
    groups: dict[tuple[str, ...], list[Arrow]] = {}
    for arrow in sorted((a for a in picture.arrows if a.folded),
                        key=lambda a: [order[k] for k in a.hypotheses]):
        groups.setdefault(arrow.hypotheses, []).append(arrow)
    return groups


def folded_anchor(slug: str, picture: Diagram, hypotheses: Sequence[str]) -> str:
    """The id of the list entry of the folded arrows that start from `hypotheses`."""
    index = {node.key: i for i, node in enumerate(picture.nodes)}
    return f"{slug}-folded-" + "-".join(f"n{index[k]}" for k in hypotheses)


def _rules(arrow: Arrow) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    rules = [(arrow.hypotheses, arrow.conclusions)]
    if arrow.both_ways:
        rules.append((arrow.conclusions, arrow.hypotheses))
    return rules


def closure(facts: set[str], rules: Sequence[tuple[Sequence[str], Sequence[str]]]) -> set[str]:
    """Everything that follows from `facts` by the Horn rules `given -> goal`."""
    facts = set(facts)
    changed = True
    while changed:
        changed = False
        for given, goal in rules:
            if set(given) <= facts and not set(goal) <= facts:
                facts |= set(goal)
                changed = True
    return facts



# ---------------------------------------------------------------- Graphviz

_STYLES = {
    "main": 'color="#1f2937", penwidth=1.8',
    "derived": 'color="#a3aab5", penwidth=1.0',
    Verdict.COUNTEREXAMPLE: 'color="#c62828", style=dashed, penwidth=1.5',
    Verdict.BOUNDED: 'color="#b26a00", style=dotted, penwidth=1.6',
}
_OTHER_STYLE = 'color="#6b7280", style=dotted, penwidth=1.4'


def dot_string(text: str) -> str:
    """`text` as a Graphviz quoted string, with Graphviz's own escapes (`\\N`, `\\l`, ...) made literal."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r", "").replace("\n", "\\n") + '"'


def to_dot(picture: Diagram, slug: str, link: Callable[[Arrow], str]) -> str:
    """The diagram as a Graphviz digraph, conclusions above hypotheses; `link(arrow)` is each arrow's href.

    Every node, edge and the graph carry an `id` that starts with `slug`, so
    several diagrams can share one HTML page.
    """
    lines = [f"digraph {dot_string(picture.file)} {{",
             f'  graph [id={dot_string(slug + "-graph")}, rankdir=BT, bgcolor="transparent", '
             'nodesep=0.35, ranksep=0.5, pad=0.15, fontname="Helvetica"];',
             '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", color="#4a6fa5", '
             'fontname="Helvetica", fontsize=12, margin="0.14,0.06"];',
             '  edge [arrowsize=0.8, fontname="Helvetica"];']
    names = {node.key: f"n{i}" for i, node in enumerate(picture.nodes)}
    folded = folded_groups(picture)
    for node in picture.nodes:
        lines.append(_node_line(node, names[node.key], slug, picture, folded.get((node.key,), [])))
    rank = ranks(picture.arrows, [node.key for node in picture.nodes])
    for index, arrow in enumerate(picture.arrows):
        if not arrow.folded:
            lines += _arrow_lines(arrow, index, names, slug, link(arrow), rank)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node_line(node: Node, name: str, slug: str, picture: Diagram, folded: Sequence[Arrow]) -> str:
    """A node; one that starts folded arrows says how many under its name and links to their list."""
    tooltip = node.doc or f"{node.definition} := {node.body}"
    label = dot_string(node.label)
    extra = ""
    if folded:
        label = (f'<{html.escape(node.label)}<br/><font point-size="9" color="#c62828">'
                 f"{len(folded)} refuted below</font>>")
        extra = (f', class="has-folded", '
                 f"href={dot_string('#' + folded_anchor(slug, picture, (node.key,)))}")
    return (f"  {name} [id={dot_string(f'{slug}-{name}')}, label={label}, "
            f"tooltip={dot_string(tooltip)}{extra}];")


def arrow_text(arrow: Arrow, picture: Diagram) -> str:
    """`a and b -> c` (or `<->`) with the nodes' labels."""
    left = " and ".join(picture.node(k).label for k in arrow.hypotheses)
    right = " and ".join(picture.node(k).label for k in arrow.conclusions)
    return f"{left} {'<->' if arrow.both_ways else '->'} {right}"


def ranks(arrows: Sequence[Arrow], keys: Sequence[str]) -> dict[str, int]:
    """Each node's height in the bold (proved, not derived) arrows: the longest chain below it."""
    rank = {key: 0 for key in keys}
    rules = [(a.hypotheses, a.conclusions) for a in arrows
             if a.verdict is Verdict.PROVED and not a.derived and not a.both_ways]
    for _ in range(len(rank)):  # at most that many rounds, even around a cycle of arrows
        changed = False
        for given, goal in rules:
            height = max(rank[k] for k in given) + 1
            for key in goal:
                if rank[key] < height:
                    rank[key], changed = height, True
        if not changed:
            break
    return rank


def _direction(arrow: Arrow, rank: Mapping[str, int]) -> str:
    """How an arrow may shape the layout: "up" (as drawn), "down" (laid out reversed) or "free" (not at all).

    A refuted converse points down the bold arrows; laying it out reversed keeps
    its nodes where the bold arrows put them, and its line short.
    """
    if arrow.verdict is Verdict.PROVED and not arrow.derived:
        return "up"
    low = max(rank[k] for k in arrow.hypotheses)
    high = min(rank[k] for k in arrow.conclusions)
    if arrow.verdict is Verdict.PROVED or arrow.both_ways:
        return "free"
    if high > low:
        return "up"
    if max(rank[k] for k in arrow.conclusions) < min(rank[k] for k in arrow.hypotheses):
        return "down"
    return "free"


def _arrow_lines(arrow: Arrow, index: int, names: Mapping[str, str], slug: str, href: str,
                 rank: Mapping[str, int]) -> list[str]:
    main = arrow.verdict is Verdict.PROVED and not arrow.derived
    style = _STYLES["main" if main else "derived"] if arrow.verdict is Verdict.PROVED \
        else _STYLES.get(arrow.verdict, _OTHER_STYLE)
    what = {Verdict.PROVED: "proved", Verdict.COUNTEREXAMPLE: "refuted: click for the counterexample",
            Verdict.BOUNDED: "proved only for small models"}.get(arrow.verdict, arrow.verdict.value)
    kind = "proved" if main else "derived" if arrow.verdict is Verdict.PROVED else \
        "refuted" if arrow.verdict is Verdict.COUNTEREXAMPLE else "other"
    common = (f'{style}, class="{kind}", href={dot_string(href)}, '
              f"tooltip={dot_string(', '.join(arrow.claims) + ': ' + what)}")
    edge_id = f"{slug}-arrow-{index}"
    sources = [names[k] for k in arrow.hypotheses]
    targets = [names[k] for k in arrow.conclusions]
    direction = _direction(arrow, rank)
    if len(sources) == 1 and len(targets) == 1:
        segment = (sources[0], targets[0], arrow.both_ways, True)
        return [_segment(segment, edge_id, common, direction)]
    joint = f"j{index}"
    color = style.split(",")[0]
    lines = [f"  {joint} [id={dot_string(edge_id + '-joint')}, shape=point, width=0.08, style=filled, "
             f'class="{kind}", {color}, fill{color}, '
             f"tooltip={dot_string(', '.join(arrow.claims))}];"]
    # The lines into the joint shape the layout even for a free arrow, so the joint sits by its hypotheses.
    into = "up" if direction == "free" else direction
    lines += [_segment((s, joint, arrow.both_ways, False), f"{edge_id}-h{i}", common, into)
              for i, s in enumerate(sources)]
    lines += [_segment((joint, t, False, True), f"{edge_id}-c{i}", common, direction)
              for i, t in enumerate(targets)]
    return lines


def _segment(segment: tuple[str, str, bool, bool], edge_id: str, common: str, direction: str) -> str:
    """One line of an arrow, from `tail` to `head`, with arrowheads where asked."""
    tail, head, at_tail, at_head = segment
    if direction == "down":
        tail, head, at_tail, at_head = head, tail, at_head, at_tail
    way = {(False, False): "none", (False, True): "forward", (True, False): "back", (True, True): "both"}
    free = ", constraint=false" if direction == "free" else ""
    return (f"  {tail} -> {head} [id={dot_string(edge_id)}, {common}, "
            f"dir={way[(at_tail, at_head)]}{free}];")
