"""Premise-set analyses, explore: the records one exploration hands on, and their JSON (LANGUAGE.md §6.3).

Frozen records, free of solver objects and of core terms: nodes are named by
strings, worlds carry the checker's own `Result` (its re-checked model, its
witness and its explanation). Every writer (text, JSON, Graphviz, the HTML
report, the reader's page) reads an `Exploration` and nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..check.results import Result

if TYPE_CHECKING:
    from ..frontend.diagnostics import Diagnostic

PROVED_STATUS = {"proved": "stated and proved", "counterexample": "stated to fail, but proved",
                 None: "holds but not stated"}
REFUTED_STATUS = {"proved": "stated and refuted", "counterexample": "stated to fail, and refuted", None: None}


@dataclass(frozen=True)
class Implication:
    """A proved implication in the report: a minimal one (`implications`) or an arrow of the diagram."""

    hypotheses: tuple[str, ...]
    conclusion: str
    used: tuple[str, ...] = ()
    stated: str | None = None       # the claim of the file that states it
    expected: str | None = None     # what that claim expects: "proved" or "counterexample"
    derived: bool = False           # proved by chaining proved implications, then re-proved for its `used`
    warnings: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        return PROVED_STATUS[self.expected]

    @property
    def ok(self) -> bool:
        return self.expected != "counterexample"

    def text(self) -> str:
        left = " and ".join(self.hypotheses) or "true"
        return f"{left} -> {self.conclusion}"

    def to_json(self) -> dict:
        doc: dict = {"if": list(self.hypotheses), "then": self.conclusion, "used": list(self.used),
                     "stated": self.stated, "status": self.status, "derived": self.derived}
        if self.warnings:
            doc["warnings"] = list(self.warnings)
        return doc


@dataclass(frozen=True)
class Exclusive:
    """Nodes that never hold together (of one element), with the axioms that says so needed: every
    implication from them holds, vacuously, and is listed here once instead of once per conclusion."""

    nodes: tuple[str, ...]
    used: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def text(self) -> str:
        if len(self.nodes) == 1:
            return f"{self.nodes[0]} never holds"
        return f"{' and '.join(self.nodes)} never hold together"

    def to_json(self) -> dict:
        doc: dict = {"nodes": list(self.nodes), "used": list(self.used)}
        if self.warnings:
            doc["warnings"] = list(self.warnings)
        return doc


@dataclass(frozen=True)
class Refuted:
    """An implication a world refutes: the world's name and the element of the sort where it fails."""

    hypotheses: tuple[str, ...]
    conclusion: str
    world: str
    at: str
    stated: str | None = None
    expected: str | None = None

    @property
    def status(self) -> str | None:
        return REFUTED_STATUS[self.expected]

    @property
    def ok(self) -> bool:
        return self.expected != "proved"

    def text(self) -> str:
        return f"{' and '.join(self.hypotheses) or 'true'} -> {self.conclusion}"

    def to_json(self) -> dict:
        return {"if": list(self.hypotheses), "then": self.conclusion, "world": self.world, "at": self.at,
                "stated": self.stated, "status": self.status}


@dataclass(frozen=True)
class Unknown:
    """An implication neither proved nor refuted, and why (the checker's reason)."""

    hypotheses: tuple[str, ...]
    conclusion: str
    reason: str
    stated: str | None = None

    def text(self) -> str:
        return f"{' and '.join(self.hypotheses) or 'true'} -> {self.conclusion}"

    def to_json(self) -> dict:
        return {"if": list(self.hypotheses), "then": self.conclusion, "reason": self.reason, "stated": self.stated}


@dataclass(frozen=True)
class World:
    """A counterexample the checker returned (re-checked), and every node's value at every element."""

    name: str
    asked: tuple[tuple[str, ...], str]          # the implication whose query returned it
    result: Result
    sort: str
    nodes: tuple[str, ...]
    values: tuple[tuple[str, tuple[bool | None, ...]], ...]  # per element: each node's value (None: undecided)
    refutes: int                                # implications it refuted that nothing had refuted before

    def holding(self, element: str) -> tuple[list[str], list[str]]:
        """The nodes true and false at `element`."""
        row = dict(self.values)[element]
        return ([n for n, v in zip(self.nodes, row) if v is True], [n for n, v in zip(self.nodes, row) if v is False])

    def to_json(self) -> dict:
        doc = self.result.to_json()
        out: dict = {"asked": {"if": list(self.asked[0]), "then": self.asked[1]},
                     "witness": doc.get("witness", {}), "model": doc.get("model", {})}
        if "explanation" in doc:
            out["explanation"] = doc["explanation"]
        out["elements"] = {element: {n: v for n, v in zip(self.nodes, row)} for element, row in self.values}
        out["refutes"] = self.refutes
        return out


@dataclass(frozen=True)
class Claim:
    """A claim of the file matched to an implication between the nodes, and what exploring found."""

    claim: str
    hypotheses: tuple[str, ...]
    conclusion: str
    expected: str
    verdict: str                     # "proved" | "counterexample" | "unknown"
    used: tuple[str, ...] = ()
    world: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == self.expected

    def to_json(self) -> dict:
        doc: dict = {"claim": self.claim, "if": list(self.hypotheses), "then": self.conclusion,
                     "expected": self.expected, "verdict": self.verdict, "ok": self.ok}
        if self.verdict == "proved":
            doc["used"] = list(self.used)
        if self.world is not None:
            doc["world"] = self.world
        return doc


@dataclass(frozen=True)
class Exploration:
    """Everything one exploration found, for one file and one sort."""

    file: str
    sort: str
    definitions: tuple[str, ...]
    kinds: tuple[str, ...]                       # per node: "definition", "predicate" or "atom"
    joins: int
    implications: tuple[Implication, ...] = ()   # the minimal ones (none whose hypotheses are exclusive)
    exclusive: tuple[Exclusive, ...] = ()        # hypotheses that never hold together
    equivalences: tuple[tuple[str, ...], ...] = ()
    diagram: tuple[Implication, ...] = ()        # the Hasse diagram between classes (named by their first node)
    refuted: tuple[Refuted, ...] = ()
    unknown: tuple[Unknown, ...] = ()
    worlds: tuple[World, ...] = ()
    claims: tuple[Claim, ...] = ()
    not_matched: tuple[str, ...] = ()            # claims over the sort that state no implication between the nodes
    queries: int = 0
    decided: int = 0
    total: int = 0
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()
    inconsistent: tuple[str, ...] = ()           # the conflicting axioms: then nothing is decided
    diagnostic: Diagnostic | None = None

    @property
    def ok(self) -> bool:
        """No axiom conflict, and every stated implication came out as its claim expects."""
        return not self.inconsistent and all(c.ok for c in self.claims)

    def world(self, name: str) -> World:
        return next(w for w in self.worlds if w.name == name)

    def to_json(self) -> dict:
        doc: dict = {
            "file": self.file, "sort": self.sort, "definitions": list(self.definitions),
            "kinds": dict(zip(self.definitions, self.kinds)), "joins": self.joins,
            "implications": [i.to_json() for i in self.implications],
            "exclusive": [x.to_json() for x in self.exclusive],
            "equivalences": [list(e) for e in self.equivalences],
            "diagram": [i.to_json() for i in self.diagram],
            "refuted": [r.to_json() for r in self.refuted],
            "unknown": [u.to_json() for u in self.unknown],
            "worlds": {w.name: w.to_json() for w in self.worlds},
            "claims": [c.to_json() for c in self.claims],
            "not_matched": list(self.not_matched),
            "queries": self.queries, "implications_decided": self.decided, "implications_total": self.total,
            "seconds": round(self.seconds, 3), "ok": self.ok,
        }
        if self.warnings:
            doc["warnings"] = list(self.warnings)
        if self.inconsistent:
            doc["inconsistent"] = list(self.inconsistent)
        return doc

