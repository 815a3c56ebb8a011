"""`alignproof report`: the results as one self-contained HTML page.

A consumer of the result records, like the text report and the exports. For
each spec file the page shows, in this order: the implication diagram drawn
from its claims (`diagram.py`, laid out by `graphviz.py`, Graphviz's `dot` or
the bundled graphviz-pure, and embedded as inline SVG; each refuted arrow
links to its counterexample, and the refuted converses are folded into a list
per node under the picture), the table of every claim and example, each counterexample (and witness) with its
explanation and a picture of its model, the bridges with the queries
that use them, and the file's source. Formulas, definitions, signatures and
the source are in the spec's colours (`html_spec.py`).

Self-contained: inline CSS and SVG, no script, nothing fetched. Every piece
of text from the specs or the results is escaped. Without any layout engine
the diagram and the model pictures fall back to lists and tables, with a note.
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from .. import __version__
from ..check.results import Result, Run, Step, Verdict
from ..frontend.diagnostics import render
from ..logic import core
from ..logic.model import Model, value_to_text
from ..logic.printer import print_term
from . import html_matrix
from .diagram import Arrow, Diagram, arrow_text, diagram, folded_anchor, folded_groups, to_dot
from .export import recheck
from .graphviz import Graphviz, inline
from .html_audit import audit_section, premise_sets_cell
from .html_explore import section as discovered
from .html_spec import css as spec_css
from .html_spec import inline as spec_code
from .html_spec import source_section
from .modelgraph import dot_graph

_EMPTY = Model(universes={}, tables={})
_MODELS = (Verdict.COUNTEREXAMPLE, Verdict.WITNESS)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def slug(text: str) -> str:
    """`text` reduced to letters, digits, `_` and `-`, for element ids."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


# ---------------------------------------------------------------- Graphviz

def _prefix_ids(picture: str, prefix: str) -> str:
    """Graphviz's own ids (`graph0`, `node1`, ...) made unique on the page."""
    return re.sub(r'\bid="([^"]*)"', lambda m: f'id="{prefix}-{m.group(1)}"', picture)


# ---------------------------------------------------------------- the command

def write(outcome: Run, paths: Sequence[str], target: str, stderr: TextIO | None = None) -> None:
    """Write the page of `outcome` (with its programs) to `target` (raises OSError when it cannot); say on
    `stderr` how the pictures were drawn when it was not by Graphviz."""
    graphviz = Graphviz.find()
    page = render_page(outcome, paths, graphviz=graphviz)
    with open(target, "w", encoding="utf-8") as stream:
        stream.write(page)
    note = graphviz.note()
    if note is not None and stderr is not None:
        print(f"alignproof: {note}", file=stderr)


# ---------------------------------------------------------------- the page

@dataclass(frozen=True)
class Page:
    """What one page is made of: the run (with its programs), the paths checked, and what lays out
    its pictures."""

    run: Run
    paths: Sequence[str]
    graphviz: Graphviz

    @property
    def programs(self) -> Sequence[core.Program]:
        return self.run.programs

    def svg(self, dot_text: str) -> tuple[str | None, str]:
        """A picture to embed (without its XML prologue), or None and why not."""
        drawn, why = self.graphviz.svg(dot_text)
        return (inline(drawn) if drawn is not None else None), why

    def anchor(self, result: Result) -> str:
        """The result's id suffix: its name, or its file and name when the name is not unique; under a
        reading, followed by `--in-READING`."""
        reading = result.reading if result.reading not in (None, "base") else None
        same = sum(1 for r in self.run.results if r.name == result.name
                   and (r.reading if r.reading not in (None, "base") else None) == reading)
        ident = slug(result.name) if same == 1 else f"{slug(result.file)}--{slug(result.name)}"
        return ident if reading is None else f"{ident}--in-{slug(reading)}"

    def query(self, result: Result) -> tuple[core.Program, core.Query] | None:
        return self.run.query(result)


def render_page(run: Run, paths: Sequence[str], dot: str | None = None, use_dot: bool = True,
                graphviz: Graphviz | None = None) -> str:
    """The whole report as one HTML document; its pictures laid out by `graphviz` (by default `dot` at the
    given path, or looked up unless `use_dot` is false)."""
    page = Page(run, paths, graphviz or Graphviz.find(dot, use_dot))
    files = list(dict.fromkeys(r.file for r in run.results))
    body = [_header(page, files)]
    for file in files:
        body += _file_section(page, file)
    body.append(f'<footer>Made by alignproof {esc(__version__)}. Every model shown was re-checked by '
                "alignproof's own evaluator.</footer>")
    title = "alignproof report: " + ", ".join(paths)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}{spec_css()}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _header(page: Page, files: list[str]) -> str:
    results = page.run.results
    failed = sum(1 for r in results if not r.ok)
    counts = {v: sum(1 for r in results if r.verdict is v) for v in Verdict}
    tally = ", ".join(f"{n} {v.value}" for v, n in counts.items() if n)
    state = "good" if page.run.ok else "bad"
    parts = [f"<header><h1>alignproof report</h1><p class=\"paths\">{esc(' '.join(page.paths))}</p>",
             f'<p class="summary {state}">{len(results)} checked: {len(results) - failed} ok, '
             f"{failed} failed <span class=\"tally\">({esc(tally)})</span></p>"]
    for diag in page.run.diagnostics:
        parts.append(f'<pre class="diagnostic">{esc(render(diag, page.run.sources))}</pre>')
    parts.append("<nav><ul>" + "".join(
        f'<li><a href="#file-{slug(f)}">{esc(f)}</a> '
        f'<span class="count">{_file_tally(results, f)}</span></li>' for f in files) + "</ul></nav>")
    return "\n".join(parts) + "</header>"


def _file_tally(results: Sequence[Result], file: str) -> str:
    mine = [r for r in results if r.file == file]
    bad = sum(1 for r in mine if not r.ok)
    return f"{len(mine)} results" + (f", {bad} failed" if bad else "")


def _file_section(page: Page, file: str) -> list[str]:
    results = [r for r in page.run.results if r.file == file]
    program = next((p for p in page.programs if p.root == file), None)
    out = [f'<section class="file" id="file-{slug(file)}"><h2>{esc(file)}</h2>']
    if program is not None:
        out += _diagram_part(page, program, results)
        out += discovered(page, program)
    out += html_matrix.section(page, file, results)  # a file with readings: claims x readings
    out += _results_table(page, results)
    out += audit_section(page, program) if program is not None else []
    for verdict, title in ((Verdict.COUNTEREXAMPLE, "Counterexamples"), (Verdict.WITNESS, "Witnesses")):
        shown = [r for r in results if r.verdict is verdict and r.model is not None]
        if shown:
            out.append(f"<h3>{title}</h3>")
            out += [_model_section(page, r) for r in shown]
    if program is not None:
        out += _bridges(page, program, results)
    out += source_section(page.run, file, slug(file))
    out.append("</section>")
    return out


# ---------------------------------------------------------------- the diagram

def _href(page: Page, results: Sequence[Result], arrow: Arrow) -> str:
    result = next(r for r in results if r.name == arrow.claim)
    prefix = "cex" if result.verdict is Verdict.COUNTEREXAMPLE and result.model is not None else "claim"
    return f"#{prefix}-{page.anchor(result)}"


def _diagram_part(page: Page, program: core.Program, results: Sequence[Result]) -> list[str]:
    picture = diagram(program, results)
    out = [f'<h3 id="diagram-{slug(program.root)}">Implication diagram</h3>']
    if not picture.arrows:
        return out + ['<p class="note">No claim of this file is an implication between definitions '
                      "over one variable, so there is nothing to draw.</p>"]
    link = lambda arrow: _href(page, results, arrow)  # noqa: E731
    drawn, why = page.svg(to_dot(picture, slug(program.root), link))
    if drawn is not None:
        out.append(f'<div class="diagram-box">{_toggles(picture, slug(program.root))}'
                   f'<figure class="diagram">{drawn}</figure></div>')
    else:
        out.append(f'<p class="note">{esc(why)}: the diagram is shown as a list of arrows.</p>')
        out.append(_arrow_list(picture, link))
    if drawn is not None:
        out.append(_legend(picture))
        out += _folded_list(picture, slug(program.root), link)
    out += _diagram_notes(page, picture, results)
    return out


def _toggles(picture: Diagram, name: str) -> str:
    """Check boxes that hide the refuted or the derived arrows (pure CSS: the page has no script)."""
    kinds = {_arrow_class(a) for a in picture.arrows if not a.folded}
    boxes = []
    for kind, css, text in (("counterexample", "refuted", "refuted arrows"),
                            ("derived", "derived", "arrows that follow from the bold ones")):
        if kind in kinds:
            ident = f"show-{css}-{name}"
            boxes.append(f'<input type="checkbox" class="toggle toggle-{css}" id="{ident}" checked>'
                         f'<label for="{ident}">show {text}</label>')
    return "".join(boxes)


def _folded_list(picture: Diagram, name: str, link) -> list[str]:
    """The refuted arrows that the picture leaves out, by the node they start from, each linked to its
    counterexample (open, static HTML: readable without the picture and without script)."""
    groups = folded_groups(picture)
    if not groups:
        return []
    count = sum(len(arrows) for arrows in groups.values())
    entries = []
    for hypotheses, arrows in groups.items():
        start = " and ".join(f"<code>{esc(picture.node(k).label)}</code>" for k in hypotheses)
        items = "".join(
            f'<li><a href="{esc(link(a))}">'
            + " and ".join(f"<code>{esc(picture.node(k).label)}</code>" for k in a.conclusions)
            + f"</a> {_verdict_badge(a.verdict)} <span class=\"claims\">{esc(', '.join(a.claims))}</span></li>"
            for a in arrows)
        entries.append(f'<li id="{esc(folded_anchor(name, picture, hypotheses))}">{start} does not imply'
                       f"<ul>{items}</ul></li>")
    return [f'<details class="folded" open><summary>Refuted arrows listed here, not drawn ({count}): '
            "converses and arrows across the diagram, by the node they start from</summary>"
            f'<ul class="folded">{"".join(entries)}</ul></details>']


def _arrow_list(picture: Diagram, link) -> str:
    items = []
    for arrow in picture.arrows:
        names = ", ".join(f'<a href="{esc(link(arrow))}">{esc(c)}</a>' for c in arrow.claims)
        derived = ' <span class="note">(follows from the other proved arrows)</span>' if arrow.derived else ""
        items.append(f'<li class="arrow {_arrow_class(arrow)}"><code>{esc(arrow_text(arrow, picture))}</code> '
                     f"{_verdict_badge(arrow.verdict)} {names}{derived}</li>")
    return '<ul class="arrows">' + "".join(items) + "</ul>"


def _arrow_class(arrow: Arrow) -> str:
    if arrow.verdict is Verdict.PROVED:
        return "derived" if arrow.derived else "proved"
    return arrow.verdict.value


_LEGEND = {
    "proved": ("#1f2937", "", 1.8, "proved"),
    "derived": ("#a3aab5", "", 1.0, "proved, and follows from the bold arrows"),
    "counterexample": ("#c62828", "6,4", 1.5, "refuted: follow it to the counterexample"),
    "bounded": ("#b26a00", "2,3", 1.6, "proved only for small models"),
    "unknown": ("#6b7280", "2,3", 1.4, "unknown"),
}


def _legend(picture: Diagram) -> str:
    drawn = [a for a in picture.arrows if not a.folded]
    present = {_arrow_class(a) if _arrow_class(a) in _LEGEND else "unknown" for a in drawn}
    items = []
    for key, (color, dash, width, text) in _LEGEND.items():
        if key in present:
            line = (f'<svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" '
                    f'stroke="{color}" stroke-width="{width}" stroke-dasharray="{dash or "none"}"/></svg>')
            items.append(f"<li>{line} {esc(text)}</li>")
    joint = any(len(a.hypotheses) > 1 or len(a.conclusions) > 1 for a in drawn)
    if joint:
        items.append("<li><span class=\"dot\">●</span> joins a conjunction: the lines into it are one "
                     "arrow from <em>all</em> of them together</li>")
    if any(a.both_ways for a in drawn):
        items.append("<li>an arrow with two heads is an equivalence</li>")
    if any(a.folded for a in picture.arrows):
        items.append('<li><span class="folded-mark">n refuted below</span> under a node: the refuted arrows '
                     "from it that point down or across, listed under the picture</li>")
    return '<ul class="legend">' + "".join(items) + "</ul>"


def _diagram_notes(page: Page, picture: Diagram, results: Sequence[Result]) -> list[str]:
    out = []
    rows = "".join(f"<tr><td><code>{esc(n.label)}</code></td><td>{spec_code(n.body)}</td>"
                   f"<td>{_doc(n.doc)}</td></tr>" for n in picture.nodes)
    out.append(f'<details class="nodes"><summary>The definitions in the diagram ({len(picture.nodes)})'
               f"</summary><table><thead><tr><th>node</th><th>definition</th><th>comment</th></tr></thead>"
               f"<tbody>{rows}</tbody></table></details>")
    if picture.left_out:
        by_name = {r.name: r for r in results}
        names = ", ".join(f'<a href="#claim-{page.anchor(by_name[n])}">{esc(n)}</a>' for n in picture.left_out)
        out.append(f'<p class="note">Not drawn (not an implication between definitions over one '
                   f"variable): {names}.</p>")
    return out


def _doc(text: str) -> str:
    return "<br>".join(esc(line) for line in text.splitlines())


# ---------------------------------------------------------------- the results table

def _verdict_badge(verdict: Verdict) -> str:
    return f'<span class="verdict v-{verdict.value}">{esc(verdict.value)}</span>'


def _results_table(page: Page, results: Sequence[Result]) -> list[str]:
    head = ("<tr><th>claim or example</th><th>verdict</th><th>expected</th><th>met</th>"
            "<th>axioms used</th><th>seconds</th></tr>")
    rows = [_result_row(page, r) for r in results]
    return ["<h3>Claims and examples</h3>", f'<table class="results"><thead>{head}</thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"]


def _result_row(page: Page, result: Result) -> str:
    anchor = page.anchor(result)
    found = page.query(result)
    formula = f'<div class="formula">{spec_code(print_term(found[1].formula, _EMPTY))}</div>' \
        if found else ""
    kind = '<span class="kind">example</span> ' if result.kind == "example" else ""
    name = f'{kind}<a class="name" href="#claim-{anchor}">{esc(result.label)}</a>{formula}'
    badge = _verdict_badge(result.verdict)
    if result.verdict in _MODELS and result.model is not None:
        target = "cex" if result.verdict is Verdict.COUNTEREXAMPLE else "witness"
        badge = f'<a href="#{target}-{anchor}">{badge}</a>'
    notes = "".join(f'<div class="warning">warning: {esc(w)}</div>' for w in result.warnings)
    if result.reason:
        notes += f'<div class="reason">{esc(result.reason)}</div>'
    if result.cross_check is not None:
        agrees = {True: "agrees", False: "disagrees", None: "not-compared"}[result.cross_check.agrees]
        notes += f'<div class="cross-check {agrees}">cross-check: {esc(result.cross_check.text())}</div>'
    met = '<span class="good">✓</span>' if result.ok else '<span class="bad">✗</span>'
    used = "—"
    if result.verdict is Verdict.PROVED:
        used = ", ".join(f"<code>{esc(u)}</code>" for u in result.used or ()) or "nothing (valid on its own)"
        used = premise_sets_cell(page, result) or used
    seconds = "cached" if result.cached else f"{result.seconds:.3f}"
    within = f" (within {esc(found[1].within)})" if found and found[1].within is not None else ""
    return (f'<tr id="claim-{anchor}" class="{"ok" if result.ok else "failed"}" title="{esc(result.doc)}">'
            f"<td>{name}</td><td>{badge}{notes}</td><td>{esc(result.expected)}{within}</td>"
            f'<td class="met">{met}</td><td>{used}</td><td class="num">{seconds}</td></tr>')


# ---------------------------------------------------------------- counterexamples and witnesses

def _model_section(page: Page, result: Result) -> str:
    anchor = page.anchor(result)
    counter = result.verdict is Verdict.COUNTEREXAMPLE
    ident = f"{'cex' if counter else 'witness'}-{anchor}"
    title = "Counterexample to" if counter else "Witness for"
    found = page.query(result)
    parts = [f'<section class="model" id="{ident}"><h4>{title} <a href="#claim-{anchor}">'
             f"{esc(result.label)}</a></h4>"]
    if found is None:
        return parts[0] + '<p class="note">Its query is not among the checked programs.</p></section>'
    program, query = found
    assert result.model is not None  # only results with a model get a section
    parts.append(f'<pre class="formula">{esc(print_term(query.formula, result.model))}</pre>')
    bad = recheck(program, query, result.model)
    if bad:
        return "".join(parts) + (f'<p class="bad">Not shown: the model failed alignproof\'s re-check '
                                 f"({esc(', '.join(bad))}).</p></section>")
    if result.explanation is not None:
        parts.append(f'<p class="explanation-summary">{esc(result.explanation.summary)}</p>')
        steps = "".join(_step(s) for s in result.explanation.steps)
        parts.append(f'<div class="columns"><div class="steps"><ul>{steps}</ul></div>')
    else:
        parts.append('<div class="columns"><div class="steps"></div>')
    drawn, why = page.svg(dot_graph(program, result))
    if drawn is not None:
        parts.append(f'<figure class="model-picture">{_prefix_ids(drawn, ident)}'
                     "<figcaption>the model (witness in red)</figcaption></figure></div>")
    else:
        parts.append(f'<p class="note">{esc(why)}: the model is shown as tables only.</p></div>')
    parts.append(_model_tables(program, result))
    parts.append(f'<p class="back"><a href="#diagram-{slug(result.file)}">↑ diagram</a> · '
                 f'<a href="#claim-{anchor}">↑ table</a></p></section>')
    return "".join(parts)


def _step(step: Step) -> str:
    value = step.value_text()
    role = f' <span class="role">{esc(step.role)}</span>' if step.role else ""
    text = (f'<li><code>{esc(step.formula)}</code> = <span class="value v{esc(value)}">{esc(value)}</span>'
            f"{role}")
    if step.where:
        shown = ", ".join(f"<code>{esc(t)}</code> = <code>{esc('undecided' if v is None else value_to_text(v))}"
                          "</code>" for t, v in step.where)
        text += f'<div class="where">where {shown}</div>'
    if step.because:
        text += "<ul>" + "".join(_step(s) for s in step.because) + "</ul>"
    return text + "</li>"


def _model_tables(program: core.Program, result: Result) -> str:
    model = result.model
    assert model is not None
    parts = []
    sorts = [s for s in result.shown_sorts if s in model.universes]
    if sorts:
        rows = "".join(f"<tr><td><code>{esc(s)}</code></td><td>{esc(', '.join(model.universes[s]))}</td></tr>"
                       for s in sorts)
        parts.append(f"<table><thead><tr><th>sort</th><th>elements</th></tr></thead><tbody>{rows}</tbody></table>")
    for name in result.shown_symbols:
        table = model.tables.get(name)
        symbol = program.symbol(name)
        if table is None or symbol is None:
            continue
        head = "".join(f"<th>{esc(a.name)}</th>" for a in symbol.args) + f"<th>{esc(name)}</th>"
        rows = "".join("<tr>" + "".join(f"<td><code>{esc(value_to_text(a))}</code></td>" for a in args)
                       + f"<td><code>{esc(value_to_text(v))}</code></td></tr>" for args, v in table.rows)
        if table.default is not None:
            rows += ("<tr>" + "<td>otherwise</td>" * symbol.arity
                     + f"<td><code>{esc(value_to_text(table.default))}</code></td></tr>")
        parts.append(f'<table><caption><code>{esc(symbol.signature())}</code></caption>'
                     f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    if not parts:
        return ""
    return ('<details class="tables"><summary>The model as tables</summary>'
            f'<div class="grid">{"".join(parts)}</div></details>')


# ---------------------------------------------------------------- bridges

def _bridges(page: Page, program: core.Program, results: Sequence[Result]) -> list[str]:
    checked = {r.name: r for r in results}
    uses: dict[str, list[str]] = {}
    for query in program.queries:
        if query.name in checked:
            for symbol in core.symbols_of(query.formula):
                if symbol.kind is core.SymbolKind.BRIDGE:
                    uses.setdefault(symbol.name, []).append(query.name)
    bridges = [s for s in program.symbols if s.kind is core.SymbolKind.BRIDGE
               and (s.name in uses or (s.span is not None and s.span.path == program.root))]
    if not bridges:
        return []
    rows = []
    for bridge in bridges:
        names = ", ".join(f'<a href="#claim-{page.anchor(checked[n])}">{esc(n)}</a>'
                          for n in uses.get(bridge.name, ())) or "none"
        where = f'<div class="where">{esc(bridge.span)}</div>' if bridge.span is not None else ""
        rows.append(f"<tr><td>{spec_code(bridge.signature())}{where}</td><td>{_doc(bridge.doc)}</td>"
                    f"<td>{names}</td></tr>")
    return ["<h3>Bridges</h3>", '<table class="bridges"><thead><tr><th>bridge</th><th>comment</th>'
            f"<th>used by</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"]


CSS = """
:root { --ink: #1f2937; --muted: #6b7280; --line: #d9dee6; --good: #1b7a3d; --bad: #c62828; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
       max-width: 1180px; margin: 0 auto; padding: 24px 28px 60px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 44px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 17px; margin: 26px 0 8px; }
h4 { font-size: 15px; margin: 0 0 6px; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
pre { white-space: pre-wrap; word-break: break-word; }
a { color: #1d4ed8; text-decoration: none; }
a:hover { text-decoration: underline; }
.paths { color: var(--muted); margin: 0; font-family: ui-monospace, monospace; }
.summary { font-weight: 600; margin: 8px 0; }
.summary.good { color: var(--good); } .summary.bad { color: var(--bad); }
.tally { font-weight: 400; color: var(--muted); }
nav ul { margin: 4px 0; padding-left: 20px; columns: 2; }
.count { color: var(--muted); font-size: 13px; }
.diagnostic { background: #fff4f4; border-left: 4px solid var(--bad); padding: 8px 12px; }
figure { margin: 0; }
figure.diagram { text-align: center; border: 1px solid var(--line); border-radius: 8px; padding: 12px;
                 background: #fbfcfe; }
figure svg { max-width: 100%; height: auto; }
figure.diagram a:hover path, figure.diagram a:hover polygon { stroke-width: 3; }
.toggle { margin: 0 4px 8px 0; vertical-align: middle; }
.toggle + label { font-size: 13px; color: var(--muted); margin-right: 18px; cursor: pointer; }
.toggle-refuted:not(:checked) ~ figure .refuted, .toggle-derived:not(:checked) ~ figure .derived { display: none; }
.legend { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 6px 22px;
          font-size: 13px; color: var(--muted); }
.legend svg { vertical-align: middle; }
.dot { color: var(--ink); font-size: 10px; }
.note { color: var(--muted); font-size: 13px; }
ul.arrows li.counterexample code { color: var(--bad); }
.folded-mark { color: var(--bad); font-size: 11px; }
details.folded { font-size: 13.5px; }
ul.folded { margin: 4px 0; padding-left: 20px; columns: 2 340px; column-gap: 28px; }
ul.folded > li { break-inside: avoid; margin: 0 0 6px; scroll-margin-top: 14px; }
ul.folded > li:target { outline: 3px solid #f5b400; outline-offset: 2px; }
ul.folded ul { margin: 2px 0; padding-left: 18px; }
ul.folded .claims { color: var(--muted); font-size: 12px; }
details { margin: 8px 0; }
summary { cursor: pointer; color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13.5px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { white-space: nowrap; }
.results td:first-child, .results td:nth-child(5), .bridges td, .nodes td { overflow-wrap: anywhere; }
th { background: #f3f5f8; font-weight: 600; }
caption { text-align: left; padding: 2px 0; }
table.results { width: 100%; }
table.results tr { scroll-margin-top: 14px; }
table.results tr.failed { background: #fff4f4; }
table.results tr:target, section.model:target { outline: 3px solid #f5b400; outline-offset: 2px; }
.formula code { color: var(--muted); font-size: 12px; }
.num, .met { text-align: right; white-space: nowrap; }
.met { text-align: center; }
.good { color: var(--good); font-weight: 700; } .bad { color: var(--bad); font-weight: 700; }
.verdict { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12.5px; font-weight: 600;
           white-space: nowrap; }
.v-proved { background: #dcf3e3; color: #145c2e; }
.v-counterexample { background: #fde2e1; color: #9b1c1c; }
.v-witness { background: #e0ecfd; color: #1e40af; }
.v-none { background: #ece9fb; color: #4c1d95; }
.v-bounded { background: #fff0d6; color: #8a4b00; }
.v-unknown { background: #eceef1; color: #374151; }
.kind { font-size: 11px; text-transform: uppercase; color: var(--muted); letter-spacing: .04em; }
.warning { color: #8a4b00; font-size: 12.5px; } .reason { color: var(--muted); font-size: 12.5px; }
.cross-check { font-size: 12.5px; color: var(--muted); } .cross-check.agrees { color: #1a7f37; }
.cross-check.disagrees { color: #b42318; font-weight: 600; }
section.model { scroll-margin-top: 14px; border: 1px solid var(--line); border-radius: 8px;
                padding: 12px 16px; margin: 12px 0; }
section.model pre.formula { background: #f6f7f9; padding: 6px 10px; border-radius: 4px; margin: 4px 0 8px; }
.explanation-summary { margin: 6px 0; }
.columns { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.steps { flex: 1 1 420px; min-width: 0; }
.steps ul { padding-left: 18px; margin: 2px 0; }
.steps li { margin: 1px 0; }
.value { font-weight: 600; } .vtrue { color: var(--good); } .vfalse { color: var(--bad); }
.role { font-size: 11px; text-transform: uppercase; color: var(--muted); border: 1px solid var(--line);
        border-radius: 3px; padding: 0 4px; }
.where { color: var(--muted); font-size: 12.5px; }
.model-picture { flex: 0 1 460px; text-align: center; }
figcaption { font-size: 12px; color: var(--muted); }
.grid { display: flex; flex-wrap: wrap; gap: 4px 18px; }
.back { font-size: 12.5px; margin: 6px 0 0; }
footer { margin-top: 48px; color: var(--muted); font-size: 12.5px; }
"""
