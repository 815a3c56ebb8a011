"""Exports: counterexamples and witnesses as files people can take away (`check --export DIR`).

A consumer of the result records, like the reports. For each refuted claim
and each example's witness it writes `NAME.json` (the result's JSON with the
model and explanation, and `"rechecked": true`), `NAME.md` (a paragraph and
Markdown tables, ready for a paper), `NAME.tex` (the same as a LaTeX document,
written by `latex.py`), `NAME.dot` (the model as a graph) and `NAME.svg` (laid
out by `graphviz.py`: Graphviz's `dot`, or the bundled graphviz-pure); for
every query `NAME.smt2`, the solver's question as a self-contained SMT-LIB 2
script, and `NAME.p`, the same question as a TPTP problem for first-order
provers (written by `tptp.py`).

Nothing is exported on trust: every model is re-checked here with the
independent evaluator against the axioms and the negated claim (or the
example) before any of its files is written; a model that fails is refused.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..check.checker import query_formulas
from ..check.results import Result, Run, Step, Verdict
from ..logic import core
from ..logic.evaluate import evaluate, failing
from ..logic.expand import Fresh
from ..logic.model import Model, value_to_text
from ..logic.numbers import dumps
from ..logic.printer import print_term
from ..logic.shapes import at_witness
from ..solvers.z3 import smtlib_script
from .graphviz import Graphviz
from .latex import latex_document
from .modelgraph import dot_graph
from .modeltables import ModelTables, model_tables
from .tptp import tptp_problem

_MODELS = (Verdict.COUNTEREXAMPLE, Verdict.WITNESS)


@dataclass
class Exported:
    """What an export wrote, what it refused (with the reason), and what to tell the user once."""

    written: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def export_run(run: Run, directory: str, stderr: TextIO) -> int:
    """The `--export DIR` step of `check`: write the files of `run`, report refusals; 1 if any, else 0."""
    exported = export(run.results, run.programs, Path(directory))
    for message in exported.refused:
        print(f"alignproof: not exported: {message}", file=stderr)
    for note in exported.notes:
        print(f"alignproof: {note}", file=stderr)
    print(f"alignproof: exported {len(exported.written)} files to {directory}", file=stderr)
    return 1 if exported.refused else 0


def export(results: Sequence[Result], programs: Sequence[core.Program], directory: Path,
           dot: str | None = None, use_dot: bool = True, graphviz: Graphviz | None = None) -> Exported:
    """Write the files of every result into `directory` (created if needed); the pictures are laid
    out by `graphviz` (by default `dot` at the given path, or looked up unless `use_dot` is false)."""
    directory.mkdir(parents=True, exist_ok=True)
    graphviz = graphviz or Graphviz.find(dot, use_dot)
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
            _export_model(program, query, result, directory, stem, graphviz, out)
    note = graphviz.note()
    if note is not None:
        out.notes.append(note)
    return out


def _stems(results: Sequence[Result]) -> list[str]:
    """File names: the query's name (with `--READING` under a reading), prefixed by its file's stem
    when two results share one."""
    names = [r.name if r.reading in (None, "base") else f"{r.name}--{r.reading}" for r in results]
    return [n if names.count(n) == 1 else f"{Path(r.file).stem}__{n}" for r, n in zip(results, names)]


def _find(programs: Sequence[core.Program], result: Result) -> tuple[core.Program, core.Query] | None:
    return Run(programs=tuple(programs)).query(result)


# ---------------------------------------------------------------- the re-check

def recheck(program: core.Program, query: core.Query, model: Model) -> list[str]:
    """What the model does not make definitely true: axioms by name, and the query's own name
    when the negated claim (or the example) fails at the reported witness."""
    bad = failing(model, [(a.name, a.formula) for a in program.axioms])
    body, env = at_witness(query, model.witness, Fresh(1 << 40))
    goal = core.Not(body) if query.kind is not core.QueryKind.EXAMPLE else body
    if evaluate(goal, model, env) is not True:
        bad.append(query.name)
    return bad


# ---------------------------------------------------------------- the files of a model

def _export_model(program: core.Program, query: core.Query, result: Result, directory: Path,
                  stem: str, graphviz: Graphviz, out: Exported) -> None:
    assert result.model is not None  # only results with a model are exported as one
    bad = recheck(program, query, result.model)
    if bad:
        out.refused.append(f"{result.name}: the model failed the re-check ({', '.join(bad)})")
        return
    doc = result.to_json()
    doc["rechecked"] = True
    files = {
        f"{stem}.json": dumps(doc, indent=2) + "\n",
        f"{stem}.md": markdown(program, query, result),
        f"{stem}.tex": latex_document(program, query, result),
        f"{stem}.dot": dot_graph(program, result),
    }
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        out.written.append(path)
    _render_svg(graphviz, files[f"{stem}.dot"], directory / f"{stem}.svg", out)


def _render_svg(graphviz: Graphviz, dot_text: str, target: Path, out: Exported) -> None:
    """`NAME.svg`; an engine that fails refuses it, no engine leaves it out (the runner's note says so)."""
    drawn, why = graphviz.svg(dot_text)
    if drawn is not None:
        target.write_text(drawn, encoding="utf-8")
        out.written.append(target)
    elif graphviz.engine is not None:
        out.refused.append(f"{target.name}: {why}")


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
    what = "the axioms and the negated claim" if query.kind is not core.QueryKind.EXAMPLE \
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
    lines += _tables(model_tables(program, model, result.shown_sorts, result.shown_symbols))
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


def _tables(tables: ModelTables) -> list[str]:
    lines = []
    if tables.sorts:
        lines += ["## Sorts", "", "| sort | elements |", "|---|---|"]
        lines += [f"| `{s}` | {', '.join(f'`{e}`' for e in elements)} |" for s, elements in tables.sorts]
        lines.append("")
    if tables.has_symbols:
        lines += ["## Symbols", ""]
    if tables.constants:
        lines += ["| constant | value |", "|---|---|"]
        lines += [f"| `{signature}` | `{value}` |" for signature, value in tables.constants]
        lines.append("")
    for table in tables.tables:
        lines += [f"`{table.signature}`", "", "| " + " | ".join(table.columns) + " |",
                  "|" + "---|" * len(table.columns)]
        lines += ["| " + " | ".join(f"`{cell}`" for cell in row) + " |" for row in table.rows]
        if table.otherwise is not None:
            lines.append("| " + " | ".join(["otherwise"] * (len(table.columns) - 1)) + f" | `{table.otherwise}` |")
        lines.append("")
    return lines
