"""`alignproof report --audit`: the premises section of a spec file's part of the page.

It reads an `AuditedRun` (premises/findings.py: the check run with the audit
made from it) and writes, for one program, a table with a row per axiom:
whether it is independent (or what implies it), the proved claims that rest
on it (a minimal premise set of theirs contains it) and those that fail
without it, each claim linked to its row of the claims table; then the idle
axioms, the circular and vacuous proofs, or, for inconsistent axioms, the
conflicts and repairs. For the claims table, the cell of a proved claim's
premises: every minimal premise set, each axiom linked to its row here.
Nothing without an audit: the section is empty and the cell is check's.
Every piece of text is escaped.
"""
from __future__ import annotations

from html import escape

from ..logic import core
from ..premises.findings import AuditedRun, Independence, ProgramAudit


def audit_section(page, program: core.Program) -> list[str]:
    """The premises section of `program` on `page` (an `outputs.html.Page`), or nothing."""
    run = page.run
    found = run.program(program.root) if isinstance(run, AuditedRun) else None
    if found is None:
        return []
    from .html import slug  # the page's own ids (outputs/html.py imports this module)
    out = [f'<h3 id="premises-{slug(program.root)}">Premises: what rests on each axiom</h3>']
    if found.consistent is False:
        return out + _inconsistent(found)
    link = _linker(page, found)
    rows = "".join(_row(axiom, link, _axiom_id(program.root, axiom.axiom)) for axiom in found.axioms)
    out.append('<table class="results premises"><thead><tr><th>axiom</th><th>independent</th>'
               "<th>proved claims resting on it</th><th>fail without it</th></tr></thead>"
               f"<tbody>{rows}</tbody></table>")
    notes = [f"Idle (no proved claim needs them): {_names(found.idle) or 'none'}."]
    for name, converse in found.circular:
        notes.append(f"Circular: {link(name)} gives back <code>{escape(converse.axiom)}</code> under the "
                     f"rest of its premise set ({_names(converse.core)}): the proof assumes what it proves.")
    for claim in found.claims:
        for core_ in claim.vacuous:
            notes.append(f"Vacuous: {link(claim.name)} under {_names(core_) or 'no premise'}, which make its "
                         "hypothesis impossible.")
        if claim.proved and not claim.complete:
            notes.append(f"{link(claim.name)} may rest on more premise sets than shown ({escape(claim.why)}).")
    return out + [f'<p class="note">{note}</p>' for note in notes]


def premise_sets_cell(page, result) -> str | None:
    """Every minimal premise set of a proved claim, for its row of the claims table (None: no audit)."""
    run, found = page.run, page.query(result)
    audited = run.program(found[0].root) if isinstance(run, AuditedRun) and found else None
    claim = next((c for c in audited.claims if (c.name, c.result.file) == (result.name, result.file)),
                 None) if audited else None
    if claim is None or not claim.cores:
        return None
    root = found[0].root
    lemmas = {c.name: c.result for c in audited.claims if c.result.kind == "lemma"} if audited else {}

    def premise(name: str) -> str:  # an axiom links to its row below, a lemma to its row of the table
        target = f"claim-{page.anchor(lemmas[name])}" if name in lemmas else _axiom_id(root, name)
        return f'<a href="#{escape(target)}"><code>{escape(name)}</code></a>'

    def axioms(core_) -> str:
        return ", ".join(premise(n) for n in core_) or "nothing (valid on its own)"
    sets = " <em>or</em> ".join(f"{{{axioms(c)}}}" if len(claim.cores) > 1 else axioms(c) for c in claim.cores)
    more = "" if claim.complete else '<div class="note">there may be more premise sets</div>'
    return f"{sets}{more}"


def _axiom_id(root: str, name: str) -> str:
    from .html import slug
    return f"axiom-{slug(root)}--{slug(name)}"


def _row(axiom: Independence, link, row_id: str) -> str:
    if axiom.independent is True:
        state = '<span class="good">yes</span>'
    elif axiom.independent is False:
        state = (f'<span class="bad">no</span>: follows from {_names(axiom.implied_by) or "nothing"}'
                 f'<div class="note">{escape(axiom.hint())}</div>')
    else:
        state = f'unknown<div class="reason">{escape(axiom.result.reason or "") if axiom.result else ""}</div>'
    rests = ", ".join(link(c) for c in axiom.used_by) or "—"
    needs = ", ".join(link(c) for c in axiom.needed_by) or "—"
    return (f'<tr id="{row_id}"><td><code>{escape(axiom.axiom)}</code></td><td>{state}</td><td>{rests}</td>'
            f"<td>{needs}</td></tr>")


def _inconsistent(found: ProgramAudit) -> list[str]:
    conflicts = "".join(f"<li>{_names(c)}</li>" for c in found.conflicts)
    repairs = "".join(f"<li>remove {_names(r.axioms)}"
                      f"{'' if r.consistent else ' (consistency unknown: ' + escape(r.reason) + ')'}</li>"
                      for r in found.repairs)
    more = lambda complete: "" if complete else '<li class="note">maybe more</li>'  # noqa: E731
    return ['<p class="bad">The axioms are inconsistent.</p>',
            f"<p>Minimal conflicting sets:</p><ul>{conflicts}{more(found.conflicts_complete)}</ul>",
            f"<p>Repairs, fewest axioms first:</p><ul>{repairs}{more(found.repairs_complete)}</ul>"]


def _linker(page, found: ProgramAudit):
    by_name = {c.name: c.result for c in found.claims}

    def link(name: str) -> str:
        result = by_name.get(name)
        if result is None:
            return f"<code>{escape(name)}</code>"
        return f'<a href="#claim-{escape(page.anchor(result))}">{escape(name)}</a>'
    return link


def _names(names) -> str:
    return ", ".join(f"<code>{escape(n)}</code>" for n in names)
