"""Outputs: a `Run` as text for people and as the JSON document of LANGUAGE.md §5.

Both read the same `Run` (results, diagnostics, drift from proof records) and
nothing else; nothing here decides a verdict. Diagnostics go to the error
stream in both forms.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from ..check.results import Result, Run, Verdict, meets
from ..check.theory import Theory
from ..logic.model import value_to_text
from ..logic.numbers import dumps
from .terminal import colours, unicode


def write_diagnostics(run: Run, err: TextIO) -> None:
    if run.diagnostics:
        from ..frontend.diagnostics import render  # only when there is an error to show
        for diag in run.diagnostics:
            print(render(diag, run.sources), file=err)


# ---------------------------------------------------------------- JSON

def json_document(run: Run) -> dict:
    """LANGUAGE.md §5's document. With input errors (exit status 2) `results` is empty and the summary
    counts nothing, even when other files were checked: their results are in `checked` instead."""
    errors = [d.to_json() for d in run.diagnostics]
    results = [r.to_json() for r in run.results]
    partial = run.input_error and bool(results)
    failed = 0 if run.input_error else run.failed()
    total = 0 if run.input_error else run.checked()
    summary: dict[str, object] = {"total": total, "ok": total - failed, "failed": failed}
    tally = cross_check_tally(run.results)
    if tally is not None:
        summary["cross_check"] = tally
    doc: dict[str, object] = {
        "results": [] if partial else results,
        "errors": errors,
        "summary": summary,
    }
    if partial:
        doc["checked"] = results
    if run.drift is not None:
        doc["drift"] = [d.to_json() for d in run.drift]
    if run.theories:
        doc["theories"] = [t.to_json() for t in run.theories]
    if run.input_error and run.checked():  # exit status 2, yet some files were checked: which were not
        doc["unchecked"] = list(run.unchecked)
    return doc


def write_json(run: Run, out: TextIO, err: TextIO, seconds: float | None = None) -> None:
    """The JSON document to `out`, the diagnostics rendered to `err`."""
    out.write(dumps(json_document(run), indent=2))
    out.write("\n")
    write_diagnostics(run, err)


def cross_check_tally(results: Iterable[Result]) -> dict | None:
    """With --cross-check: how many answers the second solver agreed with, contradicted, left open."""
    checks = [r.cross_check for r in results if r.cross_check is not None]
    if not checks:
        return None
    return {"solver": checks[0].solver,
            "agree": sum(c.agrees is True for c in checks),
            "disagree": sum(c.agrees is False for c in checks),
            "not_compared": sum(c.agrees is None for c in checks)}


# ---------------------------------------------------------------- text

class _Style:
    def __init__(self, stream: TextIO):
        self.color = colours(stream)
        self.unicode = unicode(stream)
        self.good = "✓" if self.unicode else "ok"
        self.bad = "✗" if self.unicode else "FAIL"

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text


def write_text(run: Run, out: TextIO, err: TextIO, seconds: float | None = None, quiet: bool = False) -> None:
    """Results and drift to `out`, errors to `err`, as people read them; `quiet`: only the results that
    failed (under their file's name), the summary, and drift that fails the run."""
    write_diagnostics(run, err)
    if run.input_error:
        count = len(run.diagnostics)
        errors = f"{count} error{'s' if count != 1 else ''}"
        if not run.checked():
            print(f"{errors}; nothing was checked", file=err)
            return
        rest = f"not checked: {', '.join(run.unchecked)}; the other files were checked" if run.unchecked \
            else "every file found was checked"
        print(f"{errors}; {rest} (results on standard output)", file=err)
    style = _Style(out)
    for file, results in _by_file(run.results):
        if quiet:
            results = [r for r in results if not r.ok]
            if not results:
                continue
        if any(r.reading is not None for r in results):  # a file with readings: each query once
            from . import text_readings
            print(style.paint(text_readings.header(file, results), "1"), file=out)
            for line in text_readings.file_lines(results, result_lines, style):
                print(line, file=out)
            continue
        print(style.paint(file, "1"), file=out)
        for result in results:
            for line in result_lines(result, style):
                print(line, file=out)
    current = None
    for theory in run.theories:
        if theory.file != current:
            current = theory.file
            print(style.paint(current, "1"), file=out)
        for line in theory_lines(theory, style):
            print(line, file=out)
    failed = run.failed()
    total = run.checked()
    summary = f"{total} checked: {total - failed} ok, {failed} failed"
    if run.diagnostics:
        summary += f"; {len(run.diagnostics)} error{'s' if len(run.diagnostics) != 1 else ''}"
    if run.input_error and run.unchecked:
        summary += f"; not checked: {', '.join(run.unchecked)}"
    tally = cross_check_tally(run.results)
    if tally is not None:
        summary += (f"; {tally['solver']}: {tally['agree']} agree, {tally['disagree']} disagree, "
                    f"{tally['not_compared']} not compared")
    if seconds is not None:
        summary += f" ({seconds:.2f}s)"
    print(style.paint(summary, "32" if run.ok else "31"), file=out)
    if quiet and not run.drift_fails:
        return
    for drift in run.drift or ():
        print(drift.text(), file=out)


def _by_file(results: Iterable[Result]) -> list[tuple[str, list[Result]]]:
    """The results in runs of one file each, in order."""
    runs: list[tuple[str, list[Result]]] = []
    for result in results:
        if not runs or runs[-1][0] != result.file:
            runs.append((result.file, []))
        runs[-1][1].append(result)
    return runs


def result_lines(result: Result, style: _Style, title: str | None = None, aside: str = "") -> list[str]:
    """One result's lines; `title` replaces `KIND NAME` on the head line, `aside` ends it."""
    mark = style.paint(style.good, "32") if result.ok else style.paint(style.bad, "31")
    verdict = result.verdict.value
    note = ""
    if not result.ok:
        note = f"  (expected {result.expected})"
        if result.cross_check is not None and result.cross_check.agrees is False:
            note = "  (the solvers disagree)" if _met(result) \
                else f"  (expected {result.expected}; the solvers disagree)"
    elif result.verdict is not Verdict.PROVED and result.verdict is not Verdict.WITNESS:
        note = "  (as expected)"
    timing = "(cached)" if result.cached else f"{result.seconds:.3f}s"
    if aside:
        timing += f"  ({aside})"
    head = f"  {mark} {title or f'{result.kind} {result.name}'}: {style.paint(verdict, '1')}{note}  {timing}"
    lines = [head]
    if result.solver and result.solver != "z3":  # the portfolio's second solver, or --solver cvc5
        lines.append(f"      by: {result.solver}")
    if result.verdict is Verdict.PROVED:
        used = ", ".join(result.used or ()) or "nothing (valid on its own)"
        lines.append(f"      used: {used}")
    if result.verdict is Verdict.BOUNDED and isinstance(result.bound, int):
        size = f"{result.bound} element{'s' if result.bound != 1 else ''}"
        lines.append(f"      bound: no counterexample with up to {size} per sort")
    elif result.verdict is Verdict.BOUNDED and isinstance(result.bound, dict):
        sizes = ", ".join([str(v) for k, v in result.bound.items() if k == "*"]
                          + [f"{k}: {v}" for k, v in result.bound.items() if k != "*"])
        lines.append(f"      bound: no counterexample within `within {sizes}`")
    if result.reason:
        lines.append(f"      reason: {result.reason}")
    for warning in result.warnings:
        lines.append(f"      {style.paint('warning', '33')}: {warning}")
    if result.cross_check is not None:
        colour = {True: "32", False: "31", None: "33"}[result.cross_check.agrees]
        lines.append(f"      {style.paint('cross-check', colour)}: {result.cross_check.text()}")
    if result.model is not None:
        lines += _model_lines(result)
    for alternative in result.alternatives:  # --models N: one line each; the tables are in JSON
        if alternative.explanation is not None:
            lines.append(f"      another: {alternative.explanation.summary}")
    return lines


def theory_lines(theory: Theory, style: _Style) -> list[str]:
    """The consistency of a program with no query: one line, and what was found."""
    mark = style.paint(style.good, "32") if theory.ok else style.paint(style.bad, "31")
    head = f"  {mark} axioms: {style.paint(theory.verdict.value, '1')}  {theory.seconds:.3f}s"
    label = {"consistent": "", "inconsistent": "conflict: ", "unknown": "reason: "}[theory.verdict.value]
    return [head, f"      {label}{theory.detail()}"]


def _met(result: Result) -> bool:
    """Whether the verdict met the expectation (a `bounded` verdict only comes from a `within`
    claim, so `meets` is told there was a bound)."""
    bound = 0 if result.verdict is Verdict.BOUNDED else None
    return meets(result.verdict, result.expected, bound)


def _model_lines(result: Result) -> list[str]:
    model = result.model
    assert model is not None
    lines = []
    if result.witness:
        label = "counterexample" if result.verdict is Verdict.COUNTEREXAMPLE else "witness"
        binding = ", ".join(f"{k} = {value_to_text(v)}" for k, v in result.witness.items())
        lines.append(f"      {label}: {binding}")
    if result.explanation is not None:
        lines.append("      explanation:")
        lines += result.explanation.lines("        ")
    for sort in result.shown_sorts:
        if sort in model.universes:
            lines.append(f"      {sort} = {{{', '.join(model.universes[sort])}}}")
    for name in result.shown_symbols:
        table = model.tables.get(name)
        if table is None:
            continue
        for args, value in table.rows:
            call = f"{name}({', '.join(map(value_to_text, args))})" if args else name
            lines.append(f"        {call} = {value_to_text(value)}")
        if table.default is not None:
            lines.append(f"        {name}(otherwise) = {value_to_text(table.default)}")
    return lines
