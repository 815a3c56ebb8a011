"""The picture of one model: its elements and tables as a Graphviz digraph (`NAME.dot`, and the report's pictures).

A consumer of a result's re-checked model, for `export.py` (which writes it,
and has `graphviz.py` lay it out as `NAME.svg`) and `html.py` (which embeds
it). Elements are nodes, clustered by sort; a unary function between shown
elements is an arrow labelled with its name, a binary predicate an arrow
from its first argument to its second; any other function or predicate of
two or more arguments is a table beside the elements (an HTML-like label: a
column per argument, headed by its sort, and one for the value; a predicate
lists the rows where it holds), so no arrow ever points at an argument.
Unary predicates, values and the witness are node labels; what has no
element to attach to goes to a note.
"""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeGuard

from ..check.results import Result
from ..logic import core
from ..logic.model import Value, value_to_text

TABLE_STYLE = 'border="0" cellborder="1" cellspacing="0" cellpadding="3" color="#6b7280"'
"""A table of a symbol of two or more arguments (a Graphviz HTML-like label)."""


def quote(text: str) -> str:
    """`text` as a Graphviz quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class _Picture:
    """What the rows of the tables become, gathered before the DOT text is written."""

    nodes: Mapping[str, str]                                            # element -> its sort
    labels: dict[str, list[str]]                                        # element -> extra label lines
    edges: list[tuple[str, str, str]] = field(default_factory=list)     # (from, to, label)
    tables: dict[str, list[tuple[tuple, Value]]] = field(default_factory=dict)  # symbol -> drawn rows
    notes: list[str] = field(default_factory=list)

    def is_node(self, value: Value) -> TypeGuard[str]:
        return isinstance(value, str) and value in self.nodes


def dot_graph(program: core.Program, result: Result) -> str:
    """The model of `result` (a result of `program`) as a Graphviz digraph (the module's docstring says
    what goes where)."""
    model = result.model
    if model is None:
        raise ValueError(f"{result.name}: a result without a model has no picture")
    nodes = {e: s for s in result.shown_sorts for e in model.universes.get(s, ())}
    picture = _Picture(nodes, {e: [] for e in nodes})
    for var, value in (result.witness or {}).items():
        if picture.is_node(value):
            picture.labels[value].append(f"{var} (witness)")
    for name in result.shown_symbols:
        table = model.tables.get(name)
        if table is None:
            continue
        for args, value in table.rows:
            _place(name, args, value, picture)
        if table.default is not None:
            picture.notes.append(f"{name}(otherwise) = {value_to_text(table.default)}")
    return _dot_text(program, result, picture)


def _place(name: str, args: tuple, value: Value, picture: _Picture) -> None:
    """Where one table row goes: a node label, an arrow, an application box, or the note."""
    shown = value_to_text(value)
    if not args and picture.is_node(value):
        picture.labels[value].append(name)
    elif len(args) == 1 and picture.is_node(args[0]):
        if picture.is_node(value):
            picture.edges.append((args[0], value, name))
        elif value is True:
            picture.labels[args[0]].append(name)
        elif value is not False:
            picture.labels[args[0]].append(f"{name} = {shown}")
    elif len(args) == 2 and value is True and all(picture.is_node(a) for a in args):
        picture.edges.append((args[0], args[1], name))
    elif len(args) >= 2 and value is not False:
        picture.tables.setdefault(name, []).append((args, value))
    elif value is not False:
        call = f"{name}({', '.join(map(value_to_text, args))})" if args else name
        picture.notes.append(f"{call} = {shown}")


def _table(program: core.Program, name: str, rows: Sequence[tuple[tuple, Value]]) -> str:
    """The drawn rows of `name` as an HTML-like table: a column per argument (headed by its sort) and one
    for the value; a predicate shows the rows where it holds, without a value column."""
    symbol = program.symbol(name)
    sorts = [str(a) for a in symbol.args] if symbol is not None else [f"#{i + 1}" for i in range(len(rows[0][0]))]
    predicate = all(value is True for _, value in rows)
    title = f"<b>{_html(name)}</b>" + (" holds for" if predicate else "")
    width = len(sorts) + (0 if predicate else 1)
    out = [f"<table {TABLE_STYLE}>", f'<tr><td colspan="{width}" bgcolor="#f3f4f6">{title}</td></tr>',
           "<tr>" + "".join(f"<td><i>{_html(s)}</i></td>" for s in sorts)
           + ("" if predicate else f"<td><i>{_html(name)}</i></td>") + "</tr>"]
    for args, value in rows:
        cells = [value_to_text(a) for a in args] + ([] if predicate else [value_to_text(value)])
        out.append("<tr>" + "".join(f"<td>{_html(c)}</td>" for c in cells) + "</tr>")
    return "".join(out) + "</table>"


def _html(text: str) -> str:
    return html.escape(text, quote=True)


def _dot_text(program: core.Program, result: Result, picture: _Picture) -> str:
    witnesses = set((result.witness or {}).values())
    lines = [f"digraph {quote(result.name)} {{", '  rankdir=LR; fontname="Helvetica";',
             '  node [shape=ellipse, fontname="Helvetica"];', '  edge [fontname="Helvetica"];']
    for index, sort in enumerate(dict.fromkeys(picture.nodes.values())):
        lines += [f"  subgraph cluster_{index} {{", f"    label={quote(sort)};", '    style="rounded,dashed";']
        for element in (e for e, s in picture.nodes.items() if s == sort):
            label = "\\n".join([element, *picture.labels[element]]).replace('"', '\\"')
            style = ", penwidth=2.5, color=firebrick" if element in witnesses else ""
            lines.append(f'    {quote(element)} [label="{label}"{style}];')
        lines.append("  }")
    merged: dict[tuple[str, str], list[str]] = {}
    for source, target, label in picture.edges:  # parallel edges become one, with every label
        merged.setdefault((source, target), []).append(label)
    for (source, target), names in merged.items():
        label = "\\n".join(quote(n)[1:-1] for n in names)
        lines.append(f'  {quote(source)} -> {quote(target)} [label="{label}"];')
    for index, (name, rows) in enumerate(picture.tables.items()):
        lines.append(f"  {quote(f'@table{index}')} [shape=plain, label=<{_table(program, name, rows)}>];")
    if picture.notes:
        text = "\\l".join(n.replace('"', '\\"') for n in picture.notes) + "\\l"
        lines.append(f'  "@values" [shape=note, label="{text}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
