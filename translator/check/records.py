"""Proof records: results written to `proofs/<spec path>.json`, drift against them, and their replay.

It wraps the solving stage (`stack.Solver`): for each program it
fingerprints every query (the normalised core formulas the query depends
on, the options that change the answer, the versions of Z3 and alignproof),
and with `--cached` hands the solver the recorded result of each query whose
fingerprint matches, to be confirmed rather than searched for (the trust
model, README "Proof records"): a model is re-checked here by the evaluator,
a `proved` re-proved from its recorded `used` axioms alone, a `none` or
`bounded` re-proved, with a quarter of the budget, after the axioms were
found consistent again; what does not confirm is solved afresh. It then
compares the answers with the record (drift), writes the record
(`--record`), and hands on the same `ProgramOutcome` the checker does.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from fractions import Fraction
from pathlib import Path

from .. import __version__
from ..logic.core import (
    DefCall,
    Definition,
    Program,
    Quant,
    Query,
    QueryKind,
    Sort,
    Symbol,
    Term,
    Var,
    is_term,
    walk,
)
from ..logic.walk import Visit, Visitor
from ..options import Limits
from ..solvers.z3 import z3_version
from .checker import CheckOptions, ProgramOutcome, bound_of, replayed
from .results import Drift, DriftKind, Result, Verdict, meets, signature
from .stack import Job, Solver
from .store import read_record, record_path, write_record

# ---------------------------------------------------------------- fingerprints

# ---------------------------------------------------------------- fingerprints

def _fields(self: Visitor[object], term: Term, env: dict[int, int]) -> Visit:
    """Any other node: its type's name, then each field but span and doc, sub-terms normalised."""
    out: list = [type(term).__name__]
    for f in fields(term):
        if f.name in ("span", "doc"):
            continue
        value = getattr(term, f.name)
        if is_term(value):
            out.append((yield value))
        elif isinstance(value, tuple):
            items = []
            for item in value:
                items.append((yield item) if is_term(item) else _value(item))
            out.append(items)
        else:
            out.append(_value(value))
    return out


def _value(value: object) -> object:
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if isinstance(value, Symbol):
        return ["sym", value.name, [_sort(s) for s in value.args], _sort(value.result), value.kind.value]
    if isinstance(value, Sort):
        return _sort(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Fraction):
        return str(value)
    return value


def normalise(term: Term, env: dict[int, int] | None = None) -> object:
    """A term as plain JSON data: no spans or docs, bound variables numbered by binding depth."""
    return _Normal().visit(term, dict(env or {}))


class _Normal(Visitor[object]):
    """`normalise` as a pass of the walker; the environment numbers the variables bound around a node."""

    def visit_Var(self, term: Var, env: dict[int, int]) -> object:
        return ["var", env.get(term.uid, f"free:{term.name}"), _sort(term.sort)]

    def visit_Quant(self, term: Quant, env: dict[int, int]) -> Visit:
        inner = dict(env)
        for var in term.vars:
            inner[var.uid] = len(inner)
        return ["Quant", term.kind.value, [_sort(v.sort) for v in term.vars], (yield term.body, inner)]

    def visit_DefCall(self, term: DefCall, env: dict[int, int]) -> Visit:
        args = []
        for arg in term.args:
            args.append((yield arg))
        return ["def", term.defn.name, args]

    @classmethod
    def fallback(cls, node: type) -> Callable[..., object]:
        return _fields


def _sort(sort: Sort) -> object:
    return [sort.name, list(sort.elements) if sort.elements is not None else None]


def _definition(defn: Definition) -> object:
    env = {v.uid: i for i, v in enumerate(defn.params)}
    return [[_sort(v.sort) for v in defn.params], normalise(defn.body, env)]


def premise_lemmas(program: Program, query: Query) -> list[Query]:
    """The lemmas `query` is asked with (those declared before it; none for an example)."""
    if query.kind is QueryKind.EXAMPLE:
        return []
    return [q for q in program.lemmas if q.name in query.lemmas]


def reached_definitions(terms: Collection[Term]) -> dict[str, Definition]:
    """Every definition the terms use, directly or through other definitions."""
    found: dict[str, Definition] = {}
    stack = list(terms)
    while stack:
        for node in walk(stack.pop()):
            if isinstance(node, DefCall) and node.defn.name not in found:
                found[node.defn.name] = node.defn
                stack.append(node.defn.body)
    return found


def fingerprint(program: Program, query: Query, options: CheckOptions, z3: str | None = None,
                alignproof: str | None = None) -> str:
    """sha256 of what the query's answer depends on; whitespace, comments and order do not count.
    The versions of Z3 and of alignproof itself count: a new release answers afresh. The lemmas
    the query may rest on count with their formulas (their own premises are the same axioms and
    the lemmas before them, which are among these): a proof from a lemma is replayed only while
    the lemma reads the same."""
    axioms = sorted(program.axioms, key=lambda a: a.name)
    lemmas = premise_lemmas(program, query)
    defs = reached_definitions([query.formula, *(a.formula for a in axioms), *(q.formula for q in lemmas)])
    doc: dict[str, object] = {
        "query": [query.kind.value, normalise(query.formula), query.expect, query.within],
        "axioms": [[a.name, normalise(a.formula)] for a in axioms],
        "definitions": {name: _definition(d) for name, d in defs.items()},
        "options": {"timeout": options.timeout, "rlimit": options.rlimit},
        "z3": z3 if z3 is not None else z3_version(),
        "alignproof": alignproof if alignproof is not None else __version__,
    }
    if lemmas:  # absent without lemmas, so that the records of specs without them read as before
        doc["lemmas"] = [[q.name, normalise(q.formula)] for q in lemmas]
    return "sha256:" + hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


def canonical_json(doc: object) -> str:
    """`json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`, written with a
    stack of its own: a normal form nests as deep as its formula, and `json` recurses."""
    out: list[str] = []
    stack: list[object] = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, _Raw):
            out.append(item.text)
        elif isinstance(item, dict):
            pairs = sorted(item.items())
            parts: list[object] = [_Raw("{")]
            for i, (key, value) in enumerate(pairs):
                parts += [_Raw(("," if i else "") + json.dumps(key, ensure_ascii=False) + ":"), value]
            stack.extend(reversed([*parts, _Raw("}")]))
        elif isinstance(item, (list, tuple)):
            parts = [_Raw("[")]
            for i, value in enumerate(item):
                parts += [_Raw(","), value] if i else [value]
            stack.extend(reversed([*parts, _Raw("]")]))
        else:
            out.append(json.dumps(item, ensure_ascii=False))
    return "".join(out)


@dataclass(frozen=True)
class _Raw:
    text: str


# ---------------------------------------------------------------- record entries

def record_entry(result: Result, fp: str, limits: Limits | None = None) -> dict:
    """What a record keeps of one result: its JSON with the whole model (so that a replay can
    re-check it) and without times, plus the fingerprint; an `unknown`'s `--isolate` limits."""
    doc = result.to_json(complete=True)
    for key in ("seconds", "file", "name", "cached", "explanation", "models", "span", "doc", "reading"):
        doc.pop(key, None)
    doc["fingerprint"] = fp
    if result.verdict is Verdict.UNKNOWN and limits is not None:
        doc["limits"] = _limits(limits)
    return doc


def _limits(limits: Limits | None) -> dict | None:
    return None if limits is None else {"memory_mib": limits.memory_mib, "cpu_seconds": limits.cpu_seconds}


def replay(entry: dict, query: Query, program: Program) -> Result | None:
    """The recorded result of `query`, marked cached, its model re-checked by the evaluator and
    its `used` in declaration order; None when the entry does not hold up (a model that fails the
    re-check, an axiom the program does not have, a document that is no result): then the query
    is solved again."""
    try:
        recorded = Result.from_json(entry, signature([program]))
    except (KeyError, ValueError, TypeError, ArithmeticError):
        return None
    axioms = [a.name for a in program.axioms] + [q.name for q in premise_lemmas(program, query)]
    used = recorded.used
    if used is not None:
        if not set(used) <= set(axioms):
            return None
        used = tuple(n for n in axioms if n in used)
    model, witness, explanation = recorded.model, recorded.witness, None
    if recorded.verdict in (Verdict.COUNTEREXAMPLE, Verdict.WITNESS):
        if model is None:
            return None
        failures, model, explanation = replayed(program, query, model)
        if failures:
            return None
        witness = dict(model.witness)
    elif model is not None:
        return None  # a proof, `bounded`, `none` or `unknown` has no model
    return replace(recorded, file=query.file, name=query.name, kind=query.kind.value, expected=query.expect,
                   ok=meets(recorded.verdict, query.expect, query.within), seconds=0.0, used=used,
                   witness=witness, model=model, explanation=explanation, alternatives=(), cross_check=None,
                   span=query.span, doc=query.doc, cached=True,
                   bound=bound_of(query) if recorded.verdict is Verdict.BOUNDED else None)


# ---------------------------------------------------------------- drift

def drift_of(file: str, recorded: dict, results: Collection[Result], names: Collection[str],
             missing: bool = False, reading: str | None = None) -> list[Drift]:
    """Drift of `results` against the `recorded` claims; `names` are the queries the program still
    has. With `missing`, a result with no record is drift too (`--strict-records`). `reading`: the
    reading the results are under (None for a program without readings)."""
    out = []
    for result in results:
        entry = recorded.get(result.name)
        if entry is None:
            if missing:
                out.append(Drift(file, result.name, DriftKind.MISSING, None, result.verdict.value, reading))
            continue
        if result.cached:
            continue
        if entry.get("verdict") != result.verdict.value:
            out.append(Drift(file, result.name, DriftKind.VERDICT, entry.get("verdict"), result.verdict.value,
                             reading))
        elif result.verdict is Verdict.PROVED and entry.get("used") != list(result.used or ()):
            out.append(Drift(file, result.name, DriftKind.USED, entry.get("used"), list(result.used or ()),
                             reading))
    out += [Drift(file, name, DriftKind.GONE, reading=reading) for name in sorted(recorded) if name not in names]
    return out


def _section(found: dict | None, reading: str | None) -> dict[str, dict]:
    """The recorded results of one reading: the record's `claims` for the program as written,
    `readings[R]` for reading R."""
    if not found:
        return {}
    if reading is None or reading == BASE:
        return found["claims"]
    readings = found.get("readings")
    section = readings.get(reading) if isinstance(readings, dict) else None
    return section if isinstance(section, dict) else {}


# ---------------------------------------------------------------- the wrapped solver

BASE = "base"


def _key(program: Program) -> tuple[str, str | None]:
    """A program's place among the checked ones: its file, and its reading."""
    return program.root, program.reading


def _readings_gone(program: Program, found: dict | None) -> list[Drift]:
    """Drift for the recorded results of readings the program no longer has."""
    recorded = found.get("readings") if found else None
    if not isinstance(recorded, dict):
        return []
    still = {r.name for r in program.readings}
    return [Drift(program.root, name, DriftKind.GONE, reading=reading)
            for reading, claims in sorted(recorded.items()) if reading not in still and isinstance(claims, dict)
            for name in sorted(claims)]

@dataclass(frozen=True)
class Plan:
    """For one program: the fingerprints, the record found, and the job for the solver."""

    path: Path
    prints: dict[str, str]         # the fingerprints, when a record is written or replayed
    recorded: dict[str, dict]
    job: Job


@dataclass
class Recorder:
    """The checker of the stack (`stack.Checker`): reads, compares and writes proof records around
    `solve`, which answers (or confirms) the queries: in this process or in worker processes."""

    solve: Solver
    record: bool = False           # write proofs/<spec>.json
    cached: bool = False           # hand recorded results to the solver to confirm
    strict: bool = False           # a query with no record is drift
    retry_unknown: bool = False    # with cached: a recorded unknown is solved again
    limits: Limits | None = None   # --isolate's limits: an unknown is replayed only under the same
    drift: list[Drift] = field(default_factory=list)
    consulted: bool = False        # some record file existed
    written: list[Path] = field(default_factory=list)
    plans: dict[tuple[str, str | None], Plan] = field(default_factory=dict)
    records: dict[str, dict] = field(default_factory=dict)  # what this run wrote of each record, by path

    def prepare(self, programs: Sequence[Program], options: CheckOptions,
                names: Collection[str] | None = None) -> None:
        """Plan every program; the solver sees all the work first, so it can start early."""
        for program in programs:
            self.plans[_key(program)] = self.plan(program, options, names)
        self.solve.plan([p.job for p in self.plans.values() if _asks(p.job)])

    def plan(self, program: Program, options: CheckOptions, names: Collection[str] | None = None) -> Plan:
        queries = [q for q in program.queries if names is None or q.name in names]
        path = record_path(program.root)
        found = read_record(path)
        self.consulted |= found is not None
        recorded = _section(found, program.reading)
        if program.reading in (None, BASE):
            self.drift += _readings_gone(program, found)
        prints: dict[str, str] = {}
        if self.record or (self.cached and recorded):  # fingerprints are for writing and replaying only
            z3 = z3_version()
            prints = {q.name: fingerprint(program, q, options, z3) for q in queries}
        replays = {}
        if self.cached and options.models == 1:  # a record keeps one model
            for query in queries:
                entry = recorded.get(query.name)
                if isinstance(entry, dict) and self._reusable(entry, prints[query.name]):
                    result = replay(entry, query, program)
                    if result is not None:
                        replays[query.name] = result
        return Plan(path, prints, recorded, Job(program, options, tuple(q.name for q in queries), replays))

    def _reusable(self, entry: dict, fp: str) -> bool:
        """A record answers a query when its fingerprint matches; an `unknown` only when it was
        found under the same limits and not `--retry-unknown`."""
        if entry.get("fingerprint") != fp:
            return False
        if entry.get("verdict") == Verdict.UNKNOWN.value:
            return not self.retry_unknown and entry.get("limits") == _limits(self.limits)
        return True

    def __call__(self, program: Program, options: CheckOptions = CheckOptions(),
                 names: Collection[str] | None = None) -> ProgramOutcome:
        plan = self.plans.pop(_key(program), None) or self.plan(program, options, names)
        outcome = self.solve.outcome(plan.job) if _asks(plan.job) else ProgramOutcome(())
        results = outcome.results
        self.drift += drift_of(program.root, plan.recorded, results, {q.name for q in program.queries},
                               missing=self.strict, reading=program.reading)
        if self.record:
            still = {q.name for q in program.queries}
            claims = {name: entry for name, entry in plan.recorded.items() if name in still}
            claims.update({r.name: record_entry(r, plan.prints[r.name], self.limits) for r in results})
            self._write(plan.path, program, claims)
        return outcome

    def _write(self, path: Path, program: Program, claims: dict[str, dict]) -> None:
        """Write the record of `program`'s file, with what this run wrote of its other readings."""
        doc = self.records.setdefault(str(path), {"claims": {}, "readings": {}})
        if program.reading in (None, BASE):
            doc["claims"] = claims
            doc["readings"] = {r.name: doc["readings"].get(r.name, {}) for r in program.readings}
        else:
            doc["readings"][program.reading] = claims
        write_record(path, program.root, doc["claims"], doc["readings"])
        if path not in self.written:
            self.written.append(path)

    def close(self) -> None:
        self.solve.close()


def _asks(job: Job) -> bool:
    """Whether a job asks the solver anything: queries, or the axioms of a program that has no
    query (their consistency is then its only result, `theory.py`)."""
    return bool(job.names) or (not job.program.queries and bool(job.program.axioms))
