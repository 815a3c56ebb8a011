"""The reader's page of spec/: the placeholders filled from `alignproof audit`'s JSON document.

`tools/readerpage.py` runs the audit of the spec directory once (the audit
checks the specs itself, so the page's `Run` is the audit's) and hands this
module the audit's JSON document (docs/json.md, "The document of audit").
Each handler turns one entry of it into words for the page:

    {{cores:STEM:NAME}}      every minimal premise set of a proved claim, and whether that is all
    {{givesback:STEM:NAME}}  per axiom of those sets, whether the claim gives it back (circular)
    {{neededby:STEM:NAME}}   the proved claims that fail without an axiom (STEM: the program's root)
    {{audit}}                the totals of the audit
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Key = tuple[str, str]  # (file stem, name)


class AuditError(Exception):
    """A placeholder asks the audit about something it did not examine."""


@dataclass
class AuditIndex:
    """The audit's JSON document, indexed by (root file stem, name)."""

    document: dict
    claims: dict[Key, dict] = field(default_factory=dict)
    axioms: dict[Key, dict] = field(default_factory=dict)

    @classmethod
    def of(cls, document: dict) -> AuditIndex:
        index = cls(document)
        for program in document["programs"]:
            root = Path(program["file"]).stem
            index.claims.update({(root, c["name"]): c for c in program["claims"]})
            index.axioms.update({(root, a["name"]): a for a in program["axioms"]})
        return index


def _code(names) -> str:
    return ", ".join(f"`{n}`" for n in names) or "no axiom"


def _proved(index: AuditIndex, key: Key) -> dict:
    claim = index.claims.get(key)
    if claim is None:
        raise AuditError(f"the audit examined no claim {key[0]}.align :: {key[1]}")
    if "cores" not in claim:
        raise AuditError(f"{key[0]}.align :: {key[1]} is not proved ({claim['verdict']}), so it has no premise sets")
    return claim


def cores(index: AuditIndex, key: Key) -> str:
    claim = _proved(index, key)
    sets = claim["cores"]
    listed = "; ".join(f"{{{_code(core)}}}" for core in sets)
    if not claim["complete"]:
        return f"{listed} (found so far; there may be more)"
    return f"{listed} (the only one)" if len(sets) == 1 else f"{listed} (all {len(sets)})"


def gives_back(index: AuditIndex, key: Key) -> str:
    claim = _proved(index, key)
    if not claim["converses"]:
        return "— (proved from no axiom)"
    return "; ".join(_converse(c) for c in claim["converses"])


def _converse(converse: dict) -> str:
    axiom = f"`{converse['axiom']}`"
    if converse["circular"]:
        return f"{axiom}: **yes, circular**: the claim gives it back (used: {_code(converse['used'])})"
    if converse["implied"] is False:
        world = converse["world"]
        said = world.get("explanation", {}).get("summary") or ", ".join(
            f"{name} = {value}" for name, value in world["witness"].items())
        rest = "the claim and the rest of its premise set hold" if len(converse["core"]) > 1 else "the claim holds"
        return f"{axiom}: no, a re-checked world where {rest} and the axiom fails: {said.rstrip('.')}"
    if converse["implied"] is True:
        return f"{axiom}: it follows without the claim (used: {_code(converse.get('used', ()))})"
    return f"{axiom}: unknown ({converse.get('reason', 'the solver could not tell')})"


def needed_by(index: AuditIndex, key: Key) -> str:
    axiom = index.axioms.get(key)
    if axiom is None:
        raise AuditError(f"the audit examined no axiom {key[0]}.align :: {key[1]} (STEM: the program's root file)")
    return _code(axiom["needed_by"]) if axiom["needed_by"] else "no proved claim (it is idle)"


def totals(index: AuditIndex) -> str:
    s = index.document["summary"]
    complete = "every enumeration complete" if s["complete"] else "**some enumerations incomplete**"
    return (f"{s['programs']} programs audited: {s['axioms']} axioms ({s['independent']} independent, "
            f"{s['redundant']} redundant, {s['idle']} idle), {s['circular']} circular proofs, "
            f"{s['inconsistent']} inconsistent programs; {complete}")


CLAIM_KINDS = {"cores": cores, "givesback": gives_back}
AXIOM_KINDS = {"neededby": needed_by}
