"""A `Run` or a `Result` as HTML in a notebook (their `_repr_html_`).

A consumer of the result records, made of the report's own pieces
(`html.py`): the summary and errors, then per file the verdict table and
each counterexample and witness with its explanation and the picture of
its model (inline SVG, laid out as the report's are). A notebook puts the
output inside its own page, so the report's style sheet is scoped to one
wrapping element (`scoped`) and no rule reaches the rest of the notebook.
A lone `Result` knows no program: it shows its row and its explanation,
and the pictures are the run's. IPython's plain display (`_repr_pretty_`)
is the text `check` prints (`run_text`, `result_text`).
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable

from ..check.results import Result, Run, Verdict
from ..frontend.diagnostics import render
from .graphviz import Graphviz
from .html import CSS, Page, _model_section, _results_table, _step, esc
from .html_spec import css as spec_css

SCOPE = "alignproof"
"""The class of the element every notebook output is wrapped in."""

_TOP = {":root", "body", "html"}


def scoped(css: str, scope: str = "." + SCOPE) -> str:
    """Every rule of a flat style sheet (no `@` blocks) applied only inside `scope`."""
    rules = []
    for block in re.sub(r"/\*.*?\*/", "", css, flags=re.S).split("}"):
        if "{" not in block:
            continue
        selectors, body = block.split("{", 1)
        inside = ", ".join(scope if s.strip() in _TOP else f"{scope} {s.strip()}"
                           for s in selectors.split(",") if s.strip())
        rules.append(f"{inside} {{{body.strip()}}}")
    return "\n".join(rules)


def wrap(body: list[str], css: str = "") -> str:
    """The parts of an output in the element the style sheet (the report's, and `css`) is scoped to."""
    return (f'<div class="{SCOPE}"><style>{scoped(CSS + spec_css() + css)}</style>'
            + "\n".join(body) + "</div>")


def diagnostics_html(run: Run) -> list[str]:
    """The run's errors, rendered as on the command line."""
    return [f'<pre class="diagnostic">{esc(render(d, run.sources))}</pre>' for d in run.diagnostics]


def run_html(run: Run, after: Callable[[Page, str], list[str]] | None = None) -> str:
    """The run: its summary, its errors, and per file the verdict table and every model with its
    picture, followed by what `after` gives for the file (the audit's premises section)."""
    graphviz = Graphviz.find()
    page = Page(run, list(dict.fromkeys(r.file for r in run.results)), graphviz)
    body = [_summary(run), *diagnostics_html(run)]
    for file in page.paths:
        results = [r for r in run.results if r.file == file]
        body.append(f"<h4>{esc(file)}</h4>")
        body += _results_table(page, results)[1:]
        body += [_model_section(page, r) for r in results
                 if r.verdict in (Verdict.COUNTEREXAMPLE, Verdict.WITNESS) and r.model is not None]
        if after is not None:
            body += after(page, file)
    note = graphviz.note()
    if note is not None:
        body.append(f'<p class="note">{esc(note)}</p>')
    return wrap(body)


def result_html(result: Result) -> str:
    """One result: its row of the verdict table, and its explanation when it has a model."""
    page = Page(Run((result,)), [result.file], Graphviz(None))
    body = _results_table(page, [result])[1:]
    if result.explanation is not None:
        steps = "".join(_step(s) for s in result.explanation.steps)
        body.append(f'<p class="explanation-summary">{esc(result.explanation.summary)}</p>'
                    f'<div class="steps"><ul>{steps}</ul></div>')
    if result.model is not None:
        body.append('<p class="note">The picture of the model is shown with the run it belongs to.</p>')
    return wrap(body)


class Text(io.StringIO):
    encoding = "utf-8"  # the text report's marks (✓, ✗), as on a UTF-8 terminal


def run_text(run: Run) -> str:
    """The run as `check` prints it (errors first), for IPython's plain display."""
    from .text import write_text
    stream = Text()
    write_text(run, stream, stream)
    return stream.getvalue().rstrip("\n")


def result_text(result: Result) -> str:
    """One result as `check` prints it."""
    from .text import _Style, result_lines
    return "\n".join(result_lines(result, _Style(Text())))


def _summary(run: Run) -> str:
    if run.input_error:
        count = len(run.diagnostics)
        return f'<p class="summary bad">{count} error{"s" if count != 1 else ""}; nothing was checked</p>'
    failed = run.failed()
    total = len(run.results)
    errors = f"; {len(run.diagnostics)} error{'s' if len(run.diagnostics) != 1 else ''}" \
        if run.diagnostics else ""
    state = "good" if run.ok else "bad"
    return f'<p class="summary {state}">{total} checked: {total - failed} ok, {failed} failed{errors}</p>'
