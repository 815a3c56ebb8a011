"""Premise sets: the findings of `alignproof audit`, as frozen records that write themselves as JSON.

What `premises/audit.py` hands on to the writers (`outputs/audit.py`,
`outputs/html_audit.py`, the reader's page): per program, each axiom's
independence, each proved claim's minimal premise sets and what they imply,
and for inconsistent axioms the conflicts and repairs. A world shown with a
finding is the checker's own `Result` (a re-checked counterexample with its
explanation), so it is written and printed as `check` writes and prints it.
Field names follow LANGUAGE.md §6.4 (`independent`, `used_by`, `idle`,
`cores`, `complete`, `circular`, `conflicts`, `repairs`).
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum

from ..check.results import Result, Run, Verdict
from ..logic.model import model_to_json, value_to_json
from .reports import Shown


class Evidence(str, Enum):
    """How a subset was shown satisfiable: a model the evaluator re-checked, or the solver's word
    where the evaluator could not decide (e.g. a quantifier over Int)."""

    RECHECKED = "rechecked"
    SOLVER = "solver"


def world_json(result: Result | None) -> dict | None:
    """A re-checked world of the checker, as `check --format json` writes its counterexample."""
    if result is None or result.model is None:
        return None
    doc: dict = {"witness": {k: value_to_json(v) for k, v in (result.witness or {}).items()},
                 "model": model_to_json(result.model, result.shown_sorts, result.shown_symbols)}
    if result.explanation is not None:
        doc["explanation"] = result.explanation.to_json()
    return doc


def verdict_of(result: Result | None) -> bool | None:
    """A variant's answer as a truth: proved (a claim) or witness (an example) True; counterexample
    or none False; unknown (or not asked) None."""
    if result is None:
        return None
    if result.verdict in (Verdict.PROVED, Verdict.WITNESS):
        return True
    return False if result.verdict in (Verdict.COUNTEREXAMPLE, Verdict.NONE) else None


@dataclass(frozen=True)
class Independence:
    """Whether the other axioms imply an axiom: the checker's answer to the axiom as a claim."""

    axiom: str
    result: Result | None       # None: not asked (the axioms are inconsistent)
    used_by: tuple[str, ...] = ()
    needed_by: tuple[str, ...] = ()
    file: str = ""
    line: int = 0
    through: tuple[tuple[str, tuple[str, ...]], ...] = ()  # claims of used_by resting on it via lemmas only

    @property
    def independent(self) -> bool | None:
        implied = verdict_of(self.result)
        return None if implied is None else not implied

    @property
    def implied_by(self) -> tuple[str, ...]:
        return tuple(self.result.used or ()) if self.independent is False and self.result else ()

    def hint(self) -> str:
        if self.independent is not False:
            return ""
        return ("it adds nothing the other axioms do not give: state it as a claim so that "
                "it stays checked, or drop it")

    def to_json(self) -> dict:
        doc: dict = {"name": self.axiom, "file": self.file, "line": self.line, "independent": self.independent}
        if self.independent is False:
            doc["implied_by"] = list(self.implied_by)
            doc["hint"] = self.hint()
        world = world_json(self.result) if self.independent else None
        if world is not None:
            doc["world"] = world
        if self.independent is None and self.result is not None and self.result.reason:
            doc["reason"] = self.result.reason
        doc["used_by"] = list(self.used_by)
        if self.through:
            doc["through"] = {claim: list(lemmas) for claim, lemmas in self.through}
        doc["needed_by"] = list(self.needed_by)
        return doc


@dataclass(frozen=True)
class LemmaUse:
    """A lemma of the root file: its verdict, and the proved claims and lemmas whose premise sets
    contain it, or a lemma resting on it (`through`, as for an axiom). Only a proved lemma is
    ever a premise."""

    lemma: str
    verdict: Verdict | None     # None: no result (the check did not answer it)
    used_by: tuple[str, ...] = ()
    through: tuple[tuple[str, tuple[str, ...]], ...] = ()
    line: int = 0

    @property
    def proved(self) -> bool:
        return self.verdict is Verdict.PROVED

    def to_json(self) -> dict:
        doc: dict = {"name": self.lemma, "line": self.line,
                     "verdict": self.verdict.value if self.verdict else None, "used_by": list(self.used_by)}
        if self.through:
            doc["through"] = {claim: list(lemmas) for claim, lemmas in self.through}
        return doc


@dataclass(frozen=True)
class Converse:
    """Whether a proved claim gives an axiom of one of its premise sets back under the other axioms
    of that set: the set with the claim in the axiom's place, checked against the axiom."""

    axiom: str
    result: Result | None
    core: tuple[str, ...] = ()

    @property
    def implied(self) -> bool | None:
        return verdict_of(self.result)

    def circular(self, claim: str) -> bool:
        """The claim, with the rest of the premise set, proves the axiom (and the proof needs the
        claim, as it must: the rest alone cannot, or the set would not be minimal)."""
        return self.implied is True and self.result is not None and claim in (self.result.used or ())

    def to_json(self, claim: str) -> dict:
        doc: dict = {"core": list(self.core), "axiom": self.axiom, "implied": self.implied,
                     "circular": self.circular(claim)}
        if self.implied and self.result is not None:
            doc["used"] = list(self.result.used or ())
        world = world_json(self.result) if self.implied is False else None
        if world is not None:
            doc["world"] = world
        if self.implied is None and self.result is not None and self.result.reason:
            doc["reason"] = self.result.reason
        return doc


@dataclass(frozen=True)
class Needed:
    """An axiom without which a claim is not proved: the other axioms and the negated claim have a
    model (`evidence`), or the solver could not tell (`evidence` None)."""

    axiom: str
    evidence: Evidence | None


@dataclass(frozen=True)
class Vacuity:
    """Whether a premise set leaves the claim's hypothesis satisfiable: the checker's example."""

    core: tuple[str, ...]
    result: Result | None

    @property
    def vacuous(self) -> bool | None:
        possible = verdict_of(self.result)
        return None if possible is None else not possible


@dataclass(frozen=True)
class ClaimAudit:
    """One claim: its check result and, when proved, every minimal premise set and what they imply."""

    result: Result
    cores: tuple[tuple[str, ...], ...] = ()
    complete: bool = False
    why: str = ""                               # why the cores may not be all of them
    undecided: int = 0
    questions: int = 0
    needed: tuple[Needed, ...] = ()
    solver_sat: tuple[tuple[str, ...], ...] = ()  # subsets reported sat on the solver's word only
    converses: tuple[Converse, ...] = ()
    vacuity: tuple[Vacuity, ...] = ()

    @property
    def name(self) -> str:
        return self.result.name

    @property
    def proved(self) -> bool:
        return self.result.verdict is Verdict.PROVED

    @property
    def circular(self) -> tuple[Converse, ...]:
        return tuple(c for c in self.converses if c.circular(self.name))

    @property
    def vacuous(self) -> tuple[tuple[str, ...], ...]:
        return tuple(v.core for v in self.vacuity if v.vacuous)

    def to_json(self) -> dict:
        doc: dict = {"name": self.name, "file": self.result.file, "kind": self.result.kind,
                     "verdict": self.result.verdict.value,
                     "expected": self.result.expected, "ok": self.result.ok}
        if not self.proved:
            return doc
        doc.update({"used": list(self.result.used or ()), "cores": [list(c) for c in self.cores],
                    "complete": self.complete})
        if self.why:
            doc["incomplete"] = self.why
        doc.update({"undecided": self.undecided, "queries": self.questions,
                    "needed": [{"axiom": n.axiom, "evidence": n.evidence.value if n.evidence else None}
                               for n in self.needed]})
        if self.solver_sat:
            doc["solver_sat"] = [list(s) for s in self.solver_sat]
        doc["converses"] = [c.to_json(self.name) for c in self.converses]
        doc["circular"] = list(dict.fromkeys(c.axiom for c in self.circular))
        doc["vacuous"] = [list(c) for c in self.vacuous]
        return doc


@dataclass(frozen=True)
class Repair:
    """A minimal set of axioms whose removal restores consistency, and whether that was shown: the
    remaining axioms have a re-checked model (True), or the checker could not tell (None)."""

    axioms: tuple[str, ...]
    consistent: bool | None
    reason: str = ""

    def to_json(self) -> dict:
        doc: dict = {"remove": list(self.axioms), "consistent": self.consistent}
        if self.reason:
            doc["reason"] = self.reason
        return doc


@dataclass(frozen=True)
class ProgramAudit:
    """Everything `audit` found about one program (one root file and its imports)."""

    file: str
    consistent: bool | None                     # None: the checker could not establish it
    axioms: tuple[Independence, ...] = ()
    claims: tuple[ClaimAudit, ...] = ()
    conflicts: tuple[tuple[str, ...], ...] = ()
    conflicts_complete: bool = True
    repairs: tuple[Repair, ...] = ()
    repairs_complete: bool = True
    questions: int = 0                          # solver questions of the enumerations
    checks: int = 0                             # checks of program variants and consistency tests
    seconds: float = 0.0
    reason: str = ""                            # why the audit could not be made, if it could not
    lemmas: tuple[LemmaUse, ...] = ()           # the root file's lemmas

    @property
    def idle_lemmas(self) -> tuple[str, ...]:
        """Proved lemmas that no proved claim or lemma rests on."""
        return tuple(lemma.lemma for lemma in self.lemmas if lemma.proved and not lemma.used_by)

    @property
    def idle(self) -> tuple[str, ...]:
        """Axioms in no minimal premise set of any proved claim or lemma, nor of a lemma such a set
    holds (as far as the enumerations went)."""
        if self.consistent is False:
            return ()
        return tuple(a.axiom for a in self.axioms if not a.used_by)

    @property
    def complete(self) -> bool:
        return all(c.complete for c in self.claims if c.proved)

    @property
    def circular(self) -> tuple[tuple[str, Converse], ...]:
        return tuple((c.name, converse) for c in self.claims for converse in c.circular)

    @property
    def ok(self) -> bool:
        return self.consistent is not False and all(c.result.ok for c in self.claims)

    def to_json(self) -> dict:
        doc: dict = {"file": self.file, "consistent": self.consistent,
                     "axioms": [a.to_json() for a in self.axioms], "idle": list(self.idle),
                     "lemmas": [lemma.to_json() for lemma in self.lemmas], "idle_lemmas": list(self.idle_lemmas),
                     "claims": [c.to_json() for c in self.claims],
                     "circular": [{"claim": claim, "axiom": c.axiom, "core": list(c.core),
                                   "used": list(c.result.used or ())}
                                  for claim, c in self.circular if c.result is not None],
                     "complete": self.complete}
        if self.consistent is False:
            doc.update({"conflicts": [list(c) for c in self.conflicts], "conflicts_complete": self.conflicts_complete,
                        "repairs": [r.to_json() for r in self.repairs], "repairs_complete": self.repairs_complete})
        if self.reason:
            doc["reason"] = self.reason
        doc.update({"queries": self.questions, "checks": self.checks, "seconds": round(self.seconds, 3)})
        return doc


@dataclass(frozen=True)
class Audit(Shown):
    """The check run the audit started from, and one `ProgramAudit` per program."""

    _repr_pretty_ = Shown._repr_pretty_

    run: Run
    programs: tuple[ProgramAudit, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.run.input_error and all(p.ok for p in self.programs)

    def to_json(self) -> dict:
        """The JSON document of `alignproof audit` (outputs/audit.py)."""
        from ..outputs.audit import json_document
        return json_document(self)


@dataclass(frozen=True)
class AuditedRun(Run):
    """A check run with the audit made from it, for the outputs that read a `Run` (the report's
    premises section, outputs/html_audit.py)."""

    audit: Audit | None = None

    @classmethod
    def of(cls, audit: Audit) -> AuditedRun:
        return cls(**{f.name: getattr(audit.run, f.name) for f in fields(Run)}, audit=audit)

    def program(self, root: str) -> ProgramAudit | None:
        programs = self.audit.programs if self.audit is not None else ()
        return next((p for p in programs if p.file == root), None)
