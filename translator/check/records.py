"""Proof records: results written to `proofs/<spec path>.json`, drift against them, and a cache.

It wraps the checker stage: for each program it fingerprints every query
(the normalised core formulas the query depends on, the options that change
the answer, the Z3 version), reuses a recorded result whose fingerprint
matches (`--cached`), checks the rest with `checker.check_program`, compares
the answers with the record (drift), and writes the record (`--record`).
It hands on the same `ProgramOutcome` the checker does.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from fractions import Fraction
from pathlib import Path

from ..logic.core import DefCall, Definition, Program, Quant, Query, Sort, Symbol, Term, Var, is_term, walk
from ..logic.model import Model, Table, Value
from ..logic.walk import Visit, Visitor
from ..outputs.text import result_json, showing_everything
from ..solvers.z3 import z3_version
from .checker import CheckOptions, ProgramOutcome, check_program, replayed
from .results import Result, Verdict, meets

RECORDS_DIR = "proofs"
RECORD_FORMAT = 1


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


def fingerprint(program: Program, query: Query, options: CheckOptions, z3: str | None = None) -> str:
    """sha256 of what the query's answer depends on; whitespace, comments and order do not count."""
    axioms = sorted(program.axioms, key=lambda a: a.name)
    defs = reached_definitions([query.formula, *(a.formula for a in axioms)])
    doc = {
        "query": [query.kind.value, normalise(query.formula), query.expect, query.within],
        "axioms": [[a.name, normalise(a.formula)] for a in axioms],
        "definitions": {name: _definition(d) for name, d in defs.items()},
        "options": {"timeout": options.timeout, "rlimit": options.rlimit},
        "z3": z3 if z3 is not None else z3_version(),
    }
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- record files

def record_path(spec: str, directory: str | Path = RECORDS_DIR) -> Path:
    """`proofs/<spec path>.json`, the spec path taken relative to the current directory."""
    rel = os.path.relpath(os.path.abspath(spec))
    parts = ["_up" if p == ".." else p for p in Path(rel).parts]
    return Path(directory, *parts[:-1], parts[-1] + ".json")


def read_record(path: Path) -> dict | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) and isinstance(doc.get("claims"), dict) else None


def record_entry(result: Result, fp: str) -> dict:
    """What a record keeps of one result: the JSON output without times, plus the fingerprint."""
    doc = result_json(showing_everything(result))  # the whole model, so that a replay can re-check it
    for key in ("seconds", "file", "name", "cached", "explanation", "models"):  # only the reported model is kept
        doc.pop(key, None)
    doc["fingerprint"] = fp
    if result.model is not None:
        doc["shown"] = {"sorts": list(result.shown_sorts), "symbols": list(result.shown_symbols)}
    return doc


def write_record(path: Path, spec: str, claims: dict[str, dict]) -> None:
    doc = {"format": RECORD_FORMAT, "file": spec.replace(os.sep, "/"), "claims": claims}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- replaying a record

_RATIO = re.compile(r"-?\d+/\d+")


def _decode(value) -> Value:
    if isinstance(value, float):
        return Fraction(str(value))
    if isinstance(value, str) and _RATIO.fullmatch(value):
        return Fraction(value)
    return value


def _cell(value, real: bool) -> Value:
    """A recorded table value; a Real column's numbers are exact decimals or fractions."""
    return Fraction(str(value)) if real and not isinstance(value, bool) else _decode(value)


def _model(doc: dict, program: Program) -> Model:
    tables = {}
    for name, rows in doc.get("symbols", {}).items():
        symbol = program.symbol(name)
        real = symbol is not None and symbol.result.name == "Real" and symbol.result.builtin
        explicit = tuple((tuple(_decode(a) for a in r["args"]), _cell(r["value"], real))
                         for r in rows if not r.get("else"))
        default = next((_cell(r["value"], real) for r in rows if r.get("else")), None)
        tables[name] = Table(explicit, default)
    return Model({s: tuple(v) for s, v in doc.get("sorts", {}).items()}, tables)


def replay(entry: dict, query: Query, program: Program) -> Result | None:
    """The recorded result of `query`, as a result record marked cached; None when its model
    does not re-check (a record edited by hand, say): then the query is solved again."""
    verdict = Verdict(entry["verdict"])
    shown = entry.get("shown", {})
    witness = entry.get("witness")
    decoded = {k: _decode(v) for k, v in witness.items()} if witness is not None else None
    model = replace(_model(entry["model"], program), witness=decoded or {}) if "model" in entry else None
    explanation = None
    if model is not None:
        failures, model, explanation = replayed(program, query, model)
        if failures:
            return None
        decoded = dict(model.witness)
    return Result(
        file=query.file, name=query.name, kind=query.kind.value, verdict=verdict, expected=query.expect,
        ok=meets(verdict, query.expect, query.within), seconds=0.0,
        used=tuple(entry["used"]) if "used" in entry else None,
        witness=decoded,
        model=model,
        shown_symbols=tuple(shown.get("symbols", ())), shown_sorts=tuple(shown.get("sorts", ())),
        warnings=tuple(entry.get("warnings", ())), reason=entry.get("reason"),
        span=query.span, doc=query.doc, cached=True,
        explanation=explanation)


# ---------------------------------------------------------------- drift

@dataclass(frozen=True)
class Drift:
    """A difference between a recorded result and this run's: verdict, used, or a claim gone."""

    file: str
    name: str
    kind: str  # "verdict" | "used" | "gone"
    recorded: object = None
    now: object = None

    def to_json(self) -> dict:
        return {"file": self.file, "name": self.name, "kind": self.kind, "recorded": self.recorded, "now": self.now}

    def text(self) -> str:
        where = f"{self.file}::{self.name}"
        if self.kind == "gone":
            return f"drift: {where}: recorded, but no such claim or example any more"
        if self.kind == "used":
            old = ", ".join(self.recorded or ()) or "nothing"
            new = ", ".join(self.now or ()) or "nothing"
            return f"drift: {where}: used changed from [{old}] to [{new}]"
        return f"drift: {where}: verdict changed from {self.recorded} to {self.now}"


def drift_of(file: str, recorded: dict, results: Collection[Result], names: Collection[str]) -> list[Drift]:
    """Drift of `results` against the `recorded` claims; `names` are the queries the program still has."""
    out = []
    for result in results:
        entry = recorded.get(result.name)
        if entry is None or result.cached:
            continue
        if entry.get("verdict") != result.verdict.value:
            out.append(Drift(file, result.name, "verdict", entry.get("verdict"), result.verdict.value))
        elif result.verdict is Verdict.PROVED and entry.get("used") != list(result.used or ()):
            out.append(Drift(file, result.name, "used", entry.get("used"), list(result.used or ())))
    out += [Drift(file, name, "gone") for name in sorted(recorded) if name not in names]
    return out


# ---------------------------------------------------------------- the wrapped checker

Solve = Callable[[Program, CheckOptions, Collection[str]], ProgramOutcome]


@dataclass(frozen=True)
class Plan:
    """For one program: the fingerprints, the record found, what it reuses and what it must solve."""

    path: Path
    prints: dict[str, str]
    recorded: dict[str, dict]
    reused: dict[str, Result]
    todo: tuple[str, ...]


@dataclass
class Recorder:
    """A drop-in for `checker.check_program` that reads, compares and writes proof records.

    `solve` does the checking of what no record answers: `check_program`, or a
    process pool (`parallel.PoolSolve`) that `prepare` hands every program first.
    """

    record: bool = False           # write proofs/<spec>.json
    cached: bool = False           # reuse a recorded result whose fingerprint matches
    directory: str | Path = RECORDS_DIR
    solve: Solve = check_program
    drift: list[Drift] = field(default_factory=list)
    consulted: bool = False        # some record file existed
    written: list[Path] = field(default_factory=list)
    plans: dict[str, Plan] = field(default_factory=dict)

    def prepare(self, programs: Sequence[Program], options: CheckOptions,
                names: Collection[str] | None = None) -> None:
        """Plan every program; a solver that can start work early (`submit`) gets it now."""
        pending = []
        for program in programs:
            plan = self.plans[program.root] = self.plan(program, options, names)
            if plan.todo:
                pending.append((program, plan.todo))
        wants = getattr(self.solve, "wants", None)  # a pool: worth it for this much work?
        if wants is not None and wants(sum(len(todo) for _, todo in pending)):
            for program, todo in pending:
                self.solve.submit(program, options, todo)

    def plan(self, program: Program, options: CheckOptions, names: Collection[str] | None = None) -> Plan:
        queries = [q for q in program.queries if names is None or q.name in names]
        z3 = z3_version()
        prints = {q.name: fingerprint(program, q, options, z3) for q in queries}
        path = record_path(program.root, self.directory)
        found = read_record(path)
        self.consulted |= found is not None
        recorded = found["claims"] if found else {}
        replayable = self.cached and getattr(options, "models", 1) == 1  # a record keeps one model
        reused = {q.name: replay(recorded[q.name], q, program) for q in queries
                  if replayable and _reusable(recorded.get(q.name), prints[q.name])}
        reused = {name: result for name, result in reused.items() if result is not None}
        return Plan(path, prints, recorded, reused, tuple(q.name for q in queries if q.name not in reused))

    def __call__(self, program: Program, options: CheckOptions = CheckOptions(),
                 names: Collection[str] | None = None) -> ProgramOutcome:
        plan = self.plans.pop(program.root, None) or self.plan(program, options, names)
        outcome = self.solve(program, options, plan.todo) if plan.todo else ProgramOutcome(())
        fresh = {r.name: r for r in outcome.results}
        results = tuple(plan.reused.get(name) or fresh[name] for name in plan.prints)
        self.drift += drift_of(program.root, plan.recorded, results, {q.name for q in program.queries})
        if self.record:
            still = {q.name for q in program.queries}
            claims = {name: entry for name, entry in plan.recorded.items() if name in still}
            claims.update({r.name: record_entry(r, plan.prints[r.name]) for r in results})
            write_record(plan.path, program.root, claims)
            self.written.append(plan.path)
        return replace(outcome, results=results)


def _reusable(entry: dict | None, fp: str) -> bool:
    """A record answers a query when its fingerprint matches; an `unknown` is always asked again."""
    return entry is not None and entry.get("fingerprint") == fp and entry.get("verdict") != Verdict.UNKNOWN.value
