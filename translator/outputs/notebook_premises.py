"""The §6 reports in a notebook (`_repr_html_`) and in IPython (`_repr_pretty_`): audit, explore, matrix, suggest.

A consumer of the records `premises/reports.py` and `premises/findings.py`
hand on, made of each command's own pieces: an audit as the run's verdict
tables with the report's premises section per file (`html_audit.py`), an
exploration as the report's discovered diagram (`html_explore.py`), a
matrix as the body of `matrix --format html` (`html_matrix.py`), and a
suggestion report as the pasteable axioms `suggest` prints, in colour.
Errors come first, rendered as on the command line; the style sheets are
scoped to one element as `notebook.py` scopes the report's. The plain text
is what the command prints, its errors first.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ..check.results import Run
from .html import esc
from .notebook import Text, diagnostics_html, wrap

if TYPE_CHECKING:
    from ..premises.findings import Audit
    from ..premises.reports import Explored, Matrixed, Shown, Suggested


def html(record: Shown) -> str:
    """How a notebook shows the record."""
    from ..premises.findings import Audit
    from ..premises.reports import Explored, Matrixed, Suggested
    if isinstance(record, Audit):
        return _audit_html(record)
    if isinstance(record, Explored):
        return _explore_html(record)
    if isinstance(record, Matrixed):
        return _matrix_html(record)
    if isinstance(record, Suggested):
        return _suggest_html(record)
    raise TypeError(f"no notebook display for {type(record).__name__}")


def text(record: Shown) -> str:
    """The record as its command prints it, errors first."""
    from ..frontend.diagnostics import render
    from ..outputs.text import write_diagnostics
    from ..premises.findings import Audit
    from ..premises.reports import Explored, Matrixed, Suggested
    out, err = Text(), Text()
    if isinstance(record, Audit):
        from .audit import write_text
        write_text(record, out, err)
    elif isinstance(record, (Explored, Matrixed, Suggested)):
        write_diagnostics(record.run, err)
        usage = getattr(record, "usage", None)
        if usage is not None:
            print(render(usage, {}), file=err)
        elif not record.input_error:
            _write_text(record, out)
    return (err.getvalue() + out.getvalue()).rstrip("\n")


def _write_text(record: Explored | Matrixed | Suggested, out: TextIO) -> None:
    from ..premises.reports import Explored, Matrixed
    if isinstance(record, Explored):
        from .explore_text import write_text
        write_text(record.explorations, out)
    elif isinstance(record, Matrixed):
        from .matrix_text import write_text as write_matrix
        write_matrix(record.matrix, out)
    elif record.report is not None:
        from .suggest import proved_already
        from .suggest import write_text as write_report
        if record.proved:
            print(proved_already(record.report), file=out)
        else:
            write_report(record.report, record.taken, out)


# ---------------------------------------------------------------- HTML

def _audit_html(audit: Audit) -> str:
    from ..premises.findings import AuditedRun
    from .html_audit import audit_section
    from .notebook import run_html

    def premises(page, file: str) -> list[str]:
        return [part for p in page.programs if p.root == file for part in audit_section(page, p)]
    return run_html(AuditedRun.of(audit), premises)


def _explore_html(explored: Explored) -> str:
    from . import html_explore
    from .graphviz import Graphviz
    from .html import Page
    body = [_errors_summary(explored.run, explored.usage)] + diagnostics_html(explored.run)
    if not explored.input_error:
        graphviz = Graphviz.find()
        page = Page(explored.run, [], graphviz)
        own = f"<style>{html_explore.CSS}</style>"  # scoped with the rest, below
        for e in explored.explorations:
            body += [part.replace(own, "") for part in html_explore.exploration_part(page, e)]
        note = graphviz.note()
        if note is not None:
            body.append(f'<p class="note">{esc(note)}</p>')
        if not explored.explorations:
            body.append('<p class="note">No sort has two definitions or more to explore.</p>')
    return wrap(body, html_explore.CSS)


def _matrix_html(found: Matrixed) -> str:
    from . import html_matrix
    if found.input_error:
        return wrap([_errors_summary(found.run, None), *diagnostics_html(found.run)])
    matrix = found.matrix
    body = [f'<p class="summary {"good" if matrix.ok else "bad"}">{esc(html_matrix.summary_text(matrix))}</p>',
            *diagnostics_html(found.run), *html_matrix.files_parts(matrix)]
    return wrap(body, html_matrix.CSS)


def _suggest_html(found: Suggested) -> str:
    report = found.report
    if report is None:
        return wrap([_errors_summary(found.run, found.usage), *diagnostics_html(found.run)])
    from .highlight import highlight_html
    from .html_spec import CSS_CLASS
    from .suggest import proved_already, write_text
    if found.proved:
        return wrap([f'<p class="summary good">{esc(proved_already(report))}</p>'])
    out = Text()
    write_text(report, found.taken, out)
    count = len(report.suggestions)
    state = "good" if count else "bad"
    head = f'<p class="summary {state}">{count} suggestion{"s" if count != 1 else ""} for claim ' \
           f"<code>{esc(report.claim.name)}</code></p>"
    return wrap([head, highlight_html(out.getvalue(), cssclass=CSS_CLASS)])


def _errors_summary(run: Run, usage) -> str:
    """The line above the errors of a record that stopped before its analysis."""
    if usage is not None:
        return (f'<p class="summary bad">error: {esc(usage.message)}</p>'
                f'<p class="note">{esc(usage.help or "")}</p>')
    count = len(run.diagnostics)
    return f'<p class="summary bad">{count} error{"s" if count != 1 else ""}; nothing was analysed</p>'
