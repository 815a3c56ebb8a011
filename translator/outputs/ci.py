"""Report formats for CI: JUnit XML, SARIF 2.1.0, and GitHub workflow annotations.

A sibling of `text.py`: it reads the same `Run` (result records,
diagnostics, drift from proof records) and writes it in a format that a CI
system reads. Nothing here decides a verdict; locations come from the
records' spans. Drift fails under `--strict-records` (`Run.strict_records`).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO
from xml.etree import ElementTree as ET

from .. import __version__
from ..check.results import Drift, Result, Run, Verdict
from ..check.theory import Theory, TheoryVerdict
from ..frontend.diagnostics import Diagnostic
from ..frontend.source import Span
from ..logic.model import value_to_text
from .text import write_diagnostics

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def failure_message(result: Result) -> str:
    """One line: what the check found and what was expected, with the reason."""
    text = f"{result.kind} {result.label}: {result.verdict.value}, expected {result.expected}"
    if result.reason:
        text += f" ({result.reason})"
    if result.cross_check is not None and result.cross_check.agrees is False:
        text += f"; the solvers disagree: {result.cross_check.text()}"
    return text


def failure_details(result: Result) -> str:
    """The longer story of a failure: verdict, expectation, reason, witness, warnings."""
    lines = [f"verdict: {result.verdict.value}", f"expected: {result.expected}"]
    if result.reason:
        lines.append(f"reason: {result.reason}")
    if result.used is not None and result.verdict is Verdict.PROVED:
        lines.append(f"used: {', '.join(result.used) or 'nothing'}")
    if result.witness:
        label = "counterexample" if result.verdict is Verdict.COUNTEREXAMPLE else "witness"
        lines.append(f"{label}: " + ", ".join(f"{k} = {value_to_text(v)}" for k, v in result.witness.items()))
    if result.model is not None:
        for sort in result.shown_sorts:
            if sort in result.model.universes:
                lines.append(f"{sort} = {{{', '.join(result.model.universes[sort])}}}")
    lines += [f"warning: {w}" for w in result.warnings]
    if result.cross_check is not None:
        lines.append(f"cross-check: {result.cross_check.text()}")
    return "\n".join(lines)


def _location(span: Span | None, fallback: str) -> tuple[str, int, int, int, int]:
    if span is None:
        return fallback, 1, 1, 1, 1
    return span.path, span.line, span.column, span.end_line, span.end_column


# ---------------------------------------------------------------- JUnit XML

def _drift_by_claim(drift: Sequence[Drift]) -> dict[tuple[str, str], list[Drift]]:
    out: dict[tuple[str, str], list[Drift]] = {}
    for d in drift:
        out.setdefault((d.file, d.label), []).append(d)
    return out


def junit(run: Run) -> str:
    """One <testsuite> per spec file, one <testcase> per claim or example; errors as <error>.

    Drift from a proof record fails the claim's testcase under `strict`
    (`--strict-records`) and is written to its output otherwise; a recorded
    claim that is gone gets a testcase of its own."""
    root = ET.Element("testsuites", name="alignproof")
    suites: dict[str, ET.Element] = {}
    drifts = _drift_by_claim(run.drift or ())
    strict = run.strict_records

    def suite(name: str) -> ET.Element:
        if name not in suites:
            suites[name] = ET.SubElement(root, "testsuite", name=name)
        return suites[name]

    for result in run.results:
        case = ET.SubElement(suite(result.file), "testcase", classname=result.file, name=result.label,
                             time=f"{result.seconds:.3f}")
        drifted = [d.text() for d in drifts.pop((result.file, result.label), [])]
        if not result.ok:
            failure = ET.SubElement(case, "failure", message=failure_message(result), type=result.verdict.value)
            failure.text = failure_details(result)
        elif drifted and strict:
            failure = ET.SubElement(case, "failure", message=drifted[0], type="drift")
            failure.text = "\n".join(drifted)
            drifted = []
        notes = [f"warning: {w}" for w in result.warnings] + drifted
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(notes)
    for theory in run.theories:  # a file of axioms with no claim: its consistency is its test case
        case = ET.SubElement(suite(theory.file), "testcase", classname=theory.file, name="axioms",
                             time=f"{theory.seconds:.3f}")
        if not theory.ok:
            ET.SubElement(case, "failure", message=theory.message(), type=theory.verdict.value).text = theory.detail()
    for (file, name), gone in drifts.items():
        case = ET.SubElement(suite(file), "testcase", classname=file, name=name, time="0.000")
        text = "\n".join(d.text() for d in gone)
        if strict:
            ET.SubElement(case, "failure", message=gone[0].text(), type="drift").text = text
        else:
            ET.SubElement(case, "skipped", message=gone[0].text())
    for diag in run.diagnostics:
        case = ET.SubElement(suite(diag.file), "testcase", classname=diag.file, name=f"error[{diag.code}]",
                             time="0.000")
        error = ET.SubElement(case, "error", message=_diagnostic_text(diag), type=diag.code)
        error.text = diag.help or ""
    for node in suites.values():
        cases = node.findall("testcase")
        node.set("tests", str(len(cases)))
        node.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        node.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
        node.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
        node.set("time", f"{sum(float(c.get('time', '0')) for c in cases):.3f}")
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites.values())))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _diagnostic_text(diag: Diagnostic) -> str:
    where = f"{diag.span}: " if diag.span else ""
    return f"{where}{diag.message} [{diag.code}]"


# ---------------------------------------------------------------- SARIF 2.1.0

def sarif(run: Run) -> dict:
    """A SARIF log: every result that missed its expectation, every error, and every drift from a
    proof record (an error under `strict`, else a warning), each with its region."""
    rules: dict[str, dict] = {}
    results = []
    for result in run.results:
        if result.ok:
            continue
        rule = f"{result.kind}-{result.verdict.value}"
        rules.setdefault(rule, {"id": rule, "shortDescription": {
            "text": f"a {result.kind} whose verdict is {result.verdict.value}, against its expectation"}})
        results.append(_sarif_result(rule, "error", failure_message(result), result.span, result.file,
                                     {"verdict": result.verdict.value, "expected": result.expected,
                                      "name": result.name, "kind": result.kind,
                                      **({"reading": result.reading} if result.reading else {})}))
    for theory in _undecided(run):
        rules.setdefault("axioms-unknown", {"id": "axioms-unknown", "shortDescription": {
            "text": "axioms of a file with no claim whose consistency could not be established"}})
        results.append(_sarif_result("axioms-unknown", "error", theory.message(), theory.span, theory.file,
                                     {"verdict": theory.verdict.value, "axioms": list(theory.axioms)}))
    for diag in run.diagnostics:
        rules.setdefault(diag.code, {"id": diag.code, "shortDescription": {"text": f"input error [{diag.code}]"}})
        message = diag.message + (f" (help: {diag.help})" if diag.help else "")
        results.append(_sarif_result(diag.code, "error", message, diag.span, diag.file, {}))
    spans = {(r.file, r.label): r.span for r in run.results}
    for d in run.drift or ():
        rule = f"drift-{d.kind.value}"
        rules.setdefault(rule, {"id": rule, "shortDescription": {
            "text": f"a result that differs from its proof record ({d.kind.value})"}})
        results.append(_sarif_result(rule, "error" if run.strict_records else "warning", d.text(),
                                     spans.get((d.file, d.label)), d.file, d.to_json()))
    driver = {"name": "alignproof", "version": __version__,
              "rules": [rules[k] for k in sorted(rules)]}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "results": results}]}


def _sarif_result(rule: str, level: str, message: str, span: Span | None, file: str, properties: dict) -> dict:
    path, line, column, end_line, end_column = _location(span, file)
    region = {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}
    doc = {"ruleId": rule, "level": level, "message": {"text": message},
           "locations": [{"physicalLocation": {"artifactLocation": {"uri": path.replace("\\", "/")},
                                               "region": region}}]}
    if properties:
        doc["properties"] = properties
    return doc


# ---------------------------------------------------------------- GitHub annotations

def github(run: Run) -> str:
    """Workflow commands: `::error` per failure and input error, `::warning` per result warning,
    and per drift from a proof record `::error` under `strict`, else `::warning`."""
    lines = []
    for result in run.results:
        if not result.ok:
            lines.append(_command("error", result.span, result.file, f"alignproof: {result.label}",
                                  failure_message(result)))
        for warning in result.warnings:
            lines.append(_command("warning", result.span, result.file, f"alignproof: {result.label}", warning))
    for theory in _undecided(run):
        lines.append(_command("error", theory.span, theory.file, "alignproof: axioms", theory.message()))
    for diag in run.diagnostics:
        message = diag.message + (f" (help: {diag.help})" if diag.help else "")
        lines.append(_command("error", diag.span, diag.file, f"alignproof [{diag.code}]", message))
    spans = {(r.file, r.label): r.span for r in run.results}
    for d in run.drift or ():
        lines.append(_command("error" if run.strict_records else "warning", spans.get((d.file, d.label)), d.file,
                              f"alignproof drift: {d.label}", d.text()))
    failed = run.failed()
    lines.append(f"{run.checked()} checked: {run.checked() - failed} ok, {failed} failed")
    return "\n".join(lines) + "\n"


def _undecided(run: Run) -> list[Theory]:
    """The theories that failed for want of an answer (an inconsistent one is already an error)."""
    return [t for t in run.theories if not t.ok and t.verdict is TheoryVerdict.UNKNOWN]


def _command(kind: str, span: Span | None, file: str, title: str, message: str) -> str:
    path, line, column, end_line, end_column = _location(span, file)
    props = [f"file={_property(path)}", f"line={line}", f"col={column}"]
    if end_line == line:
        props.append(f"endColumn={end_column}")
    else:
        props.append(f"endLine={end_line}")
    props.append(f"title={_property(title)}")
    return f"::{kind} {','.join(props)}::{_data(message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


# ---------------------------------------------------------------- the writers

def write_junit(run: Run, out: TextIO, err: TextIO, seconds: float | None = None) -> None:
    out.write(junit(run))
    write_diagnostics(run, err)


def write_sarif(run: Run, out: TextIO, err: TextIO, seconds: float | None = None) -> None:
    out.write(json.dumps(sarif(run), indent=2, ensure_ascii=False) + "\n")
    write_diagnostics(run, err)


def write_github(run: Run, out: TextIO, err: TextIO, seconds: float | None = None) -> None:
    out.write(github(run))
    write_diagnostics(run, err)
