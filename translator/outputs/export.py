"""Exports: counterexamples and witnesses as files people can take away (`check --export DIR`).

A consumer of the result records, like the reports. For each refuted claim
and each example's witness it writes `NAME.json` (the result's JSON with the
model and explanation, and `"rechecked": true`), `NAME.md` (a paragraph and
Markdown tables, ready for a paper), `NAME.dot` (the model as a graph) and,
when Graphviz's `dot` is on PATH, `NAME.svg`; for every query `NAME.smt2`, the
solver's question as a self-contained SMT-LIB 2 script, and `NAME.p`, the same
question as a TPTP problem for first-order provers (written by `tptp_export.py`).

Nothing is exported on trust: every model is re-checked here with the
independent evaluator against the axioms and the negated claim (or the
example) before any of its files is written; a model that fails is refused.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..check.checker import query_formulas
from ..check.explain import print_term
from ..check.results import Result, Run, Step, Verdict
from ..logic import core
from ..logic.evaluate import evaluate, failing
from ..logic.expand import Fresh, unfold
from ..logic.model import Model, Value, value_to_text
from ..solvers.z3 import smtlib_script
from .tptp import tptp_problem

DOT_TIMEOUT = 60
"""Seconds Graphviz may take to lay out one picture."""

_MODELS = (Verdict.COUNTEREXAMPLE, Verdict.WITNESS)


@dataclass
class Exported:
    """What an export wrote, and what it refused (with the reason)."""

    written: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def export_run(run: Run, directory: str, stderr: TextIO) -> int:
    """The `--export DIR` step of `check`: write the files of `run`, report refusals; 1 if any, else 0."""
    exported = export(run.results, run.programs, Path(directory))
    for message in exported.refused:
        print(f"alignproof: not exported: {message}", file=stderr)
    print(f"alignproof: exported {len(exported.written)} files to {directory}", file=stderr)
    return 1 if exported.refused else 0


def export(results: Sequence[Result], programs: Sequence[core.Program], directory: Path,
           dot: str | None = None, use_dot: bool = True) -> Exported:
    """Write the files of every result into `directory` (created if needed)."""
    directory.mkdir(parents=True, exist_ok=True)
    dot = dot or (shutil.which("dot") if use_dot else None)
    out = Exported()
    stems = _stems(results)
    for result, stem in zip(results, stems):
        found = _find(programs, result)
        if found is None:
            out.refused.append(f"{result.name}: its query is not in the checked programs")
            continue
        program, query = found
        _export_smt2(program, query, result, directory / f"{stem}.smt2", out)
        _export_tptp(program, query, result, directory / f"{stem}.p", out)
        if result.verdict in _MODELS and result.model is not None:
            _export_model(program, query, result, directory, stem, dot, out)
    return out


def _stems(results: Sequence[Result]) -> list[str]:
    """File names: the query's name, prefixed by its file's stem when two results share a name."""
    names = [r.name for r in results]
    return [r.name if names.count(r.name) == 1 else f"{Path(r.file).stem}__{r.name}" for r in results]


def _find(programs: Sequence[core.Program], result: Result) -> tuple[core.Program, core.Query] | None:
    for program in programs:
        for query in program.queries:
            if query.name == result.name and query.file == result.file:
                return program, query
    return None


# ---------------------------------------------------------------- the re-check

def recheck(program: core.Program, query: core.Query, model: Model) -> list[str]:
    """What the model does not make definitely true: axioms by name, and the query's own name
    when the negated claim (or the example) fails at the reported witness."""
    bad = failing(model, [(a.name, a.formula) for a in program.axioms])
    body, env = _at_witness(query, model)
    goal = core.Not(body) if query.kind is core.QueryKind.CLAIM else body
    if evaluate(goal, model, env) is not True:
        bad.append(query.name)
    return bad


def _at_witness(query: core.Query, model: Model) -> tuple[core.Term, dict[int, Value]]:
    """The query's body under its outer quantifiers, those variables bound to the witness."""
    kind = core.QuantKind.FORALL if query.kind is core.QueryKind.CLAIM else core.QuantKind.EXISTS
    fresh = Fresh(1 << 40)
    term: core.Term = query.formula
    env: dict[int, Value] = {}
    while True:
        head = term
        while isinstance(head, core.DefCall):
            head = unfold(head, fresh)
        if not (isinstance(head, core.Quant) and head.kind is kind):
            return term, env
        if any(v.name not in model.witness for v in head.vars):
            return term, env
        env.update((v.uid, model.witness[v.name]) for v in head.vars)
        term = head.body


# ---------------------------------------------------------------- the files of a model

def _export_model(program: core.Program, query: core.Query, result: Result, directory: Path,
                  stem: str, dot: str | None, out: Exported) -> None:
    assert result.model is not None  # only results with a model are exported as one
    bad = recheck(program, query, result.model)
    if bad:
        out.refused.append(f"{result.name}: the model failed the re-check ({', '.join(bad)})")
        return
    doc = result.to_json()
    doc["rechecked"] = True
    files = {
        f"{stem}.json": json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
        f"{stem}.md": markdown(program, query, result),
        f"{stem}.dot": dot_graph(program, result),
    }
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        out.written.append(path)
    if dot is not None:
        _render_svg(dot, directory / f"{stem}.dot", directory / f"{stem}.svg", out)


def _render_svg(dot: str, source: Path, target: Path, out: Exported) -> None:
    try:
        done = subprocess.run([dot, "-Tsvg", str(source), "-o", str(target)],
                              capture_output=True, text=True, timeout=DOT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as error:
        out.refused.append(f"{target.name}: Graphviz failed: {error}")
        return
    if done.returncode != 0:
        out.refused.append(f"{target.name}: Graphviz failed: {done.stderr.strip()}")
    else:
        out.written.append(target)


def _export_smt2(program: core.Program, query: core.Query, result: Result, path: Path,
                 out: Exported) -> None:
    formulas, witnesses = query_formulas(program, query)
    bound = query.within if result.verdict is Verdict.BOUNDED else None
    try:
        script = smtlib_script(program, formulas, witnesses, bound)
    except ValueError as error:
        out.refused.append(f"{path.name}: {error}")
        return
    expected = {Verdict.PROVED: "unsat", Verdict.NONE: "unsat", Verdict.BOUNDED: "unsat",
                Verdict.COUNTEREXAMPLE: "sat", Verdict.WITNESS: "sat"}.get(result.verdict, "unknown")
    what = "the axioms and the negated claim" if query.kind is core.QueryKind.CLAIM \
        else "the axioms and the example"
    scope = f", every sort with at most {bound} elements" if bound is not None else ""
    header = (f"; alignproof {query.kind.value} {query.name} ({result.file}): {what}{scope}\n"
              f"; verdict {result.verdict.value}: a solver should answer {expected}"
              " (cvc5: with --finite-model-find)\n")
    path.write_text(header + script, encoding="utf-8")
    out.written.append(path)


def _export_tptp(program: core.Program, query: core.Query, result: Result, path: Path,
                 out: Exported) -> None:
    try:
        text = tptp_problem(program, query, result)
    except ValueError as error:
        out.refused.append(f"{path.name}: {error}")
        return
    except RecursionError:
        out.refused.append(f"{path.name}: the query is nested too deeply to write in TPTP")
        return
    path.write_text(text, encoding="utf-8")
    out.written.append(path)


# ---------------------------------------------------------------- Markdown

def markdown(program: core.Program, query: core.Query, result: Result) -> str:
    """A paragraph from the explanation and tables of the shown sorts and symbols."""
    model = result.model
    assert model is not None
    title = "Counterexample to" if result.verdict is Verdict.COUNTEREXAMPLE else "Witness for"
    lines = [f"# {title} `{result.name}`", ""]
    where = f"{result.file}:{query.span.line}" if query.span is not None else result.file
    lines += [f"{query.kind.value.capitalize()} (`{where}`):", "",
              f"```\n{print_term(query.formula, model)}\n```", ""]
    if result.doc:
        lines += [f"> {line}" if line else ">" for line in result.doc.splitlines()] + [""]
    if result.explanation is not None:
        lines += [result.explanation.summary, ""]
        lines += [line for step in result.explanation.steps for line in _step_bullets(step, 0)]
        lines.append("")
    lines += _sort_table(model, result.shown_sorts)
    lines += _symbol_tables(program, model, result.shown_symbols)
    lines += ["The model was re-checked by alignproof's own evaluator: every axiom holds in it, "
              + ("and the claim fails at the witness." if result.verdict is Verdict.COUNTEREXAMPLE
                 else "and so does the example at the witness."), ""]
    return "\n".join(lines)


def _step_bullets(step: Step, depth: int) -> list[str]:
    role = f" ({step.role})" if step.role else ""
    text = f"{'  ' * depth}- `{step.formula}` is **{step.value_text()}**{role}"
    if step.where:
        text += "; where " + ", ".join(f"`{t}` = `{'undecided' if v is None else value_to_text(v)}`"
                                       for t, v in step.where)
    lines = [text]
    for sub in step.because:
        lines += _step_bullets(sub, depth + 1)
    return lines


def _sort_table(model: Model, sorts: Sequence[str]) -> list[str]:
    shown = [s for s in sorts if s in model.universes]
    if not shown:
        return []
    lines = ["## Sorts", "", "| sort | elements |", "|---|---|"]
    lines += [f"| `{s}` | {', '.join(f'`{e}`' for e in model.universes[s])} |" for s in shown]
    return lines + [""]


def _text(value: Value | None) -> str:
    return str(value) if value is None else value_to_text(value)


def _symbol_tables(program: core.Program, model: Model, names: Sequence[str]) -> list[str]:
    found = [program.symbol(n) for n in names if model.tables.get(n) is not None]
    symbols = [s for s in found if s is not None]
    if not symbols:
        return []
    lines = ["## Symbols", ""]
    constants = [s for s in symbols if not s.args]
    if constants:
        lines += ["| constant | value |", "|---|---|"]
        lines += [f"| `{s.signature()}` | `{_text(model.value(s.name))}` |" for s in constants]
        lines.append("")
    for symbol in (s for s in symbols if s.args):
        table = model.tables[symbol.name]
        lines += [f"`{symbol.signature()}`", ""]
        lines.append("| " + " | ".join(a.name for a in symbol.args) + f" | {symbol.name} |")
        lines.append("|" + "---|" * (symbol.arity + 1))
        for args, value in table.rows:
            lines.append("| " + " | ".join(f"`{value_to_text(a)}`" for a in args) + f" | `{value_to_text(value)}` |")
        if table.default is not None:
            lines.append("| " + " | ".join(["otherwise"] * symbol.arity) + f" | `{value_to_text(table.default)}` |")
        lines.append("")
    return lines


# ---------------------------------------------------------------- Graphviz

def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_graph(program: core.Program, result: Result) -> str:
    """The model as a Graphviz digraph: elements as nodes (clustered by sort), binary relations and
    functions as labelled edges, unary predicates, values and the witness as node labels."""
    model = result.model
    assert model is not None
    nodes = {e: s for s in result.shown_sorts for e in model.universes.get(s, ())}
    labels: dict[str, list[str]] = {e: [] for e in nodes}
    for var, value in (result.witness or {}).items():
        if isinstance(value, str) and value in labels:
            labels[value].append(f"{var} (witness)")
    edges: list[tuple[str, str, str]] = []
    notes: list[str] = []
    for name in result.shown_symbols:
        table = model.tables.get(name)
        if table is None:
            continue
        for args, value in table.rows:
            _place(name, args, value, nodes, labels, edges, notes)
        if table.default is not None:
            notes.append(f"{name}(otherwise) = {value_to_text(table.default)}")
    return _dot_text(result, nodes, labels, edges, notes)


def _place(name: str, args: tuple, value: Value, nodes: Mapping[str, str], labels: dict,
           edges: list, notes: list) -> None:
    """Where one table row goes: a node label, an edge, or the notes box."""
    is_node = [isinstance(a, str) and a in nodes for a in args]
    shown = value_to_text(value)
    if not args and isinstance(value, str) and value in nodes:
        labels[value].append(name)
    elif len(args) == 1 and is_node[0]:
        if isinstance(value, str) and value in nodes:
            edges.append((args[0], value, name))
        elif value is True:
            labels[args[0]].append(name)
        elif value is not False:
            labels[args[0]].append(f"{name} = {shown}")
    elif len(args) >= 2 and is_node[0] and is_node[1]:
        extra = ", ".join(value_to_text(a) for a in args[2:])
        label = f"{name}({extra})" if extra else name
        if value is True:
            edges.append((args[0], args[1], label))
        elif value is not False:
            edges.append((args[0], args[1], f"{label} = {shown}"))
    elif value is not False:
        call = f"{name}({', '.join(map(value_to_text, args))})" if args else name
        notes.append(f"{call} = {shown}")


def _dot_text(result: Result, nodes: Mapping[str, str], labels: Mapping[str, list[str]],
              edges: Sequence[tuple[str, str, str]], notes: Sequence[str]) -> str:
    witnesses = set((result.witness or {}).values())
    lines = [f"digraph {_quote(result.name)} {{", '  rankdir=LR; fontname="Helvetica";',
             '  node [shape=ellipse, fontname="Helvetica"];', '  edge [fontname="Helvetica"];']
    for index, sort in enumerate(dict.fromkeys(nodes.values())):
        lines += [f"  subgraph cluster_{index} {{", f"    label={_quote(sort)};", '    style="rounded,dashed";']
        for element in (e for e, s in nodes.items() if s == sort):
            label = "\\n".join([element, *labels[element]]).replace('"', '\\"')
            style = ", penwidth=2.5, color=firebrick" if element in witnesses else ""
            lines.append(f'    {_quote(element)} [label="{label}"{style}];')
        lines.append("  }")
    merged: dict[tuple[str, str], list[str]] = {}
    for source, target, label in edges:  # parallel edges become one, with every label
        merged.setdefault((source, target), []).append(label)
    for (source, target), names in merged.items():
        label = "\\n".join(_quote(n)[1:-1] for n in names)
        lines.append(f'  {_quote(source)} -> {_quote(target)} [label="{label}"];')
    if notes:
        text = "\\l".join(n.replace('"', '\\"') for n in notes) + "\\l"
        lines.append(f'  "@values" [shape=note, label="{text}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
