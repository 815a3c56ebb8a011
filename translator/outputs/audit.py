"""Outputs: an `Audit` (premises/findings.py) as text for people and as its JSON document.

Text, per program: each axiom (independent with its world, printed as
`check` prints a counterexample, or redundant with what implies it and a
hint), the idle axioms, the proved claims grouped by the premise sets they
rest on, the circular and vacuous proofs, and for inconsistent axioms the
conflicts and repairs. JSON: `{"programs": [...], "errors": [...],
"summary": {...}}` (docs/json.md, docs/schema/audit.schema.json). The
check's diagnostics go to the error stream in both forms; nothing here
decides anything.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from ..premises.findings import Audit, ClaimAudit, Independence, ProgramAudit
from .text import _Style, result_lines, write_diagnostics

INDENT = "    "


# ---------------------------------------------------------------- JSON

def json_document(audit: Audit) -> dict:
    programs = [p.to_json() for p in audit.programs]
    return {"programs": programs, "errors": [d.to_json() for d in audit.run.diagnostics],
            "summary": summary(audit)}


def summary(audit: Audit) -> dict:
    programs = audit.programs
    return {"programs": len(programs),
            "axioms": sum(len(p.axioms) for p in programs),
            "independent": sum(a.independent is True for p in programs for a in p.axioms),
            "redundant": sum(a.independent is False for p in programs for a in p.axioms),
            "idle": sum(len(p.idle) for p in programs),
            "lemmas": sum(len(p.lemmas) for p in programs),
            "idle_lemmas": sum(len(p.idle_lemmas) for p in programs),
            "circular": sum(len(p.circular) for p in programs),
            "inconsistent": sum(p.consistent is False for p in programs),
            "failed": sum(not c.result.ok for p in programs for c in p.claims),
            "complete": all(p.complete and p.conflicts_complete for p in programs)}


def write_json(audit: Audit, out: TextIO, err: TextIO, seconds: float | None = None) -> None:
    json.dump(json_document(audit), out, indent=2, ensure_ascii=False)
    out.write("\n")
    write_diagnostics(audit.run, err)


# ---------------------------------------------------------------- text

def write_text(audit: Audit, out: TextIO, err: TextIO, seconds: float | None = None) -> None:
    write_diagnostics(audit.run, err)
    if audit.run.input_error:
        count = len(audit.run.diagnostics)
        print(f"{count} error{'s' if count != 1 else ''}; nothing was audited", file=err)
        return
    style = _Style(out)
    for program in audit.programs:
        print(style.paint(program.file, "1"), file=out)
        for line in program_lines(program, style):
            print(line, file=out)
    facts = summary(audit)
    line = (f"{facts['programs']} program{'s' if facts['programs'] != 1 else ''} audited: "
            f"{facts['axioms']} axioms ({facts['independent']} independent, {facts['redundant']} redundant, "
            f"{facts['idle']} idle), ")
    if facts["lemmas"]:
        line += f"{facts['lemmas']} lemma{'s' if facts['lemmas'] != 1 else ''} ({facts['idle_lemmas']} idle), "
    line += f"{facts['circular']} circular, {facts['inconsistent']} inconsistent, {facts['failed']} not as expected"
    if seconds is not None:
        line += f" ({seconds:.2f}s)"
    print(style.paint(line, "32" if audit.ok else "31"), file=out)


def program_lines(program: ProgramAudit, style: _Style) -> list[str]:
    if program.consistent is False:
        return _inconsistent_lines(program)
    lines = ["  axioms"]
    for axiom in program.axioms:
        lines += _axiom_lines(axiom, style)
    idle = ", ".join(program.idle) or "none"
    lines.append(f"  idle (no proved claim needs them): {idle}")
    lines += _lemma_lines(program)
    lines += _grouped(program)
    lines += _circular_lines(program)
    lines += _unproved(program.claims)
    if program.consistent is None:
        lines.append(f"  warning: {program.reason}")
    lines.append(f"  {program.questions} solver questions for the premise sets, {program.checks} checks of "
                 f"variants ({program.seconds:.2f}s)")
    return lines


def _axiom_lines(axiom: Independence, style: _Style) -> list[str]:
    head = f"{INDENT}{axiom.axiom}: "
    if axiom.independent is True:
        lines = [head + "independent: a world where the other axioms hold and it fails"]
        assert axiom.result is not None
        lines += [INDENT + line for line in result_lines(axiom.result, style)[1:]]
    elif axiom.independent is False:
        lines = [head + f"redundant: follows from {', '.join(axiom.implied_by) or 'nothing (valid on its own)'}",
                 f"{INDENT}    hint: {axiom.hint()}"]
    else:
        reason = axiom.result.reason if axiom.result is not None else ""
        lines = [head + f"independence unknown ({reason or 'not asked'})"]
    if axiom.used_by:
        lines.append(f"{INDENT}    used by: {_used_by(axiom.used_by, axiom.through)}")
    if axiom.needed_by:
        lines.append(f"{INDENT}    needed by (fail without it): {', '.join(axiom.needed_by)}")
    return lines


def _used_by(names: Sequence[str], through: Sequence[tuple[str, tuple[str, ...]]]) -> str:
    via = dict(through)
    return ", ".join(f"{n} (through {', '.join(via[n])})" if n in via else n for n in names)


def _lemma_lines(program: ProgramAudit) -> list[str]:
    """Each lemma of the file: what rests on it; one not proved is no premise of anything."""
    if not program.lemmas:
        return []
    lines = ["  lemmas"]
    for lemma in program.lemmas:
        if not lemma.proved:
            shown = lemma.verdict.value if lemma.verdict else "not checked"
            lines.append(f"{INDENT}{lemma.lemma}: not proved ({shown}), so no premise of anything")
        elif lemma.used_by:
            lines.append(f"{INDENT}{lemma.lemma}: used by {_used_by(lemma.used_by, lemma.through)}")
    idle = ", ".join(program.idle_lemmas) or "none"
    lines.append(f"  idle lemmas (proved, nothing rests on them): {idle}")
    return lines


def _grouped(program: ProgramAudit) -> list[str]:
    """Proved claims under each minimal premise set, in the order of the axioms."""
    order = {a.axiom: i for i, a in enumerate(program.axioms)}
    groups: dict[tuple[str, ...], list[str]] = {}
    for claim in program.claims:
        for core in claim.cores:
            several = f" (1 of {len(claim.cores)}{'' if claim.complete else '+'})" if len(claim.cores) > 1 else ""
            groups.setdefault(core, []).append(claim.name + several)
    proved = [c for c in program.claims if c.proved]
    if not proved:
        return ["  no claim is proved"]
    lines = ["  proved claims, by the premises they rest on"]
    for core in sorted(groups, key=lambda c: (len(c), [order.get(n, 0) for n in c])):
        label = ", ".join(core) or "nothing (valid on its own)"
        lines.append(f"{INDENT}{label}: {', '.join(groups[core])}")
    for claim in proved:
        if not claim.complete:
            lines.append(f"{INDENT}{claim.name}: maybe more premise sets ({claim.why})")
    return lines


def _circular_lines(program: ProgramAudit) -> list[str]:
    lines = []
    for name, converse in program.circular:
        used = ", ".join(converse.result.used or ()) if converse.result else ""
        rest = ", ".join(n for n in converse.core if n != converse.axiom)
        lines.append(f"{INDENT}{name} assumes what it proves: {'with ' + rest if rest else 'on its own'} it "
                     f"gives back {converse.axiom} (used: {used})")
    for claim in program.claims:
        for core in claim.vacuous:
            lines.append(f"{INDENT}{claim.name} is vacuous under {', '.join(core) or 'no premise'}: "
                         "they make its hypothesis impossible")
    return ["  circular and vacuous proofs", *lines] if lines else ["  circular and vacuous proofs: none"]


def _unproved(claims: Sequence[ClaimAudit]) -> list[str]:
    rest = [c for c in claims if not c.proved]
    if not rest:
        return []
    shown = ", ".join(f"{c.name} ({c.result.verdict.value}{'' if c.result.ok else ', not as expected'})"
                      for c in rest)
    return [f"  not proved, so not examined: {shown}"]


def _inconsistent_lines(program: ProgramAudit) -> list[str]:
    lines = ["  the axioms are inconsistent; no claim is examined", "  conflicts (no model together):"]
    lines += [f"{INDENT}{', '.join(c)}" for c in program.conflicts]
    if not program.conflicts_complete:
        lines.append(f"{INDENT}(maybe more)")
    lines.append("  repairs (remove these to restore consistency), fewest first:")
    for repair in program.repairs:
        shown = "consistent" if repair.consistent else f"consistency unknown: {repair.reason}"
        lines.append(f"{INDENT}{', '.join(repair.axioms)}  ({shown})")
    if not program.repairs_complete:
        lines.append(f"{INDENT}(maybe more)")
    lines += _unproved(program.claims)
    return lines
