"""Premise-set analysis: the claims × readings matrix of LANGUAGE.md §6.2 (`alignproof matrix`).

From a checked `Run` (its programs with their readings, its results tagged
with their reading) it builds, per spec file: a row per claim, lemma and
example with a cell per reading (the verdict, the expectation met or not,
the world of a counterexample or witness); for a cell whose verdict differs
from `base`, the replaced definitions and the dropped or added axioms its
proof or counterexample involves; the sentinels (queries expected to have a
counterexample under every reading) with the readings that prove them
anyway. Then, for every pair of readings and every definition the two word
differently, one more question through the checker stack: are the two
wordings equivalent under the axioms both readings share (proved, with the
axioms used), or is there a world of those axioms where they differ (a
counterexample, re-checked by the evaluator like any other)? A solver's
`unknown` stays unknown. It hands the outputs a `Matrix`, which writes itself
as the JSON document of §6.2.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations

from ..check.checker import CheckOptions
from ..check.records import normalise, reached_definitions
from ..check.results import Result, Run, Verdict
from ..check.stack import Job, Solver
from ..logic import core
from ..logic.model import model_to_json, value_to_json

BASE = "base"
_PROVES = (Verdict.PROVED, Verdict.BOUNDED)
_MODELS = (Verdict.COUNTEREXAMPLE, Verdict.WITNESS)


@dataclass(frozen=True)
class Involved:
    """What a cell that differs from base rests on, of what its reading changes."""

    definitions: tuple[str, ...] = ()   # replaced definitions the query (or the proof's axioms) reach
    dropped: tuple[str, ...] = ()       # dropped axioms that base's proof used
    added: tuple[str, ...] = ()         # the reading's own axioms and lemmas its proof used

    def to_json(self) -> dict:
        return {"definitions": list(self.definitions), "dropped": list(self.dropped), "added": list(self.added)}

    def text(self) -> str:
        parts = [f"replaced {', '.join(self.definitions)}" if self.definitions else "",
                 f"dropped {', '.join(self.dropped)}" if self.dropped else "",
                 f"added {', '.join(self.added)}" if self.added else ""]
        return "; ".join(p for p in parts if p) or "nothing this reading changes"


@dataclass(frozen=True)
class Cell:
    reading: str
    result: Result
    differs: bool = False               # its verdict is not base's
    involved: Involved | None = None    # for a cell that differs
    world: str | None = None            # the id of its counterexample or witness

    def to_json(self) -> dict:
        r = self.result
        doc: dict = {"verdict": r.verdict.value, "expected": r.expected, "ok": r.ok}
        if r.verdict is Verdict.PROVED:
            doc["used"] = list(r.used or ())
        if self.world is not None:
            doc["world"] = self.world
        if r.reason:
            doc["reason"] = r.reason
        if self.reading != BASE:
            doc["differs_from_base"] = self.differs
        if self.involved is not None:
            doc["involves"] = self.involved.to_json()
        return doc


@dataclass(frozen=True)
class Row:
    file: str
    name: str
    kind: str
    cells: tuple[Cell, ...]
    sentinel: bool = False              # expected to have a counterexample under every reading

    def cell(self, reading: str) -> Cell | None:
        return next((c for c in self.cells if c.reading == reading), None)

    def to_json(self) -> dict:
        doc: dict = {"file": self.file, "name": self.name, "kind": self.kind,
                     "cells": {c.reading: c.to_json() for c in self.cells}}
        if self.sentinel:
            doc["sentinel"] = True
        return doc


@dataclass(frozen=True)
class World:
    """A model the matrix links to: a cell's counterexample or witness, or where two wordings differ."""

    id: str
    file: str
    about: str                          # the query, or the definition
    readings: tuple[str, ...]
    result: Result

    def to_json(self) -> dict:
        r = self.result
        assert r.model is not None
        doc: dict = {"file": self.file, "about": self.about, "readings": list(self.readings),
                     "verdict": r.verdict.value,
                     "witness": {k: value_to_json(v) for k, v in (r.witness or {}).items()},
                     "model": model_to_json(r.model, r.shown_sorts, r.shown_symbols)}
        if r.explanation is not None:
            doc["explanation"] = r.explanation.to_json()
        return doc


@dataclass(frozen=True)
class Difference:
    """One definition as two readings word it: equivalent under their shared axioms, or not."""

    file: str
    readings: tuple[str, str]
    definition: str
    equivalent: bool | None
    world: str | None = None
    used: tuple[str, ...] = ()
    reason: str | None = None
    shared: tuple[str, ...] = ()        # the axioms both readings hold, as asked

    def to_json(self) -> dict:
        doc: dict = {"file": self.file, "readings": list(self.readings), "definition": self.definition,
                     "equivalent": self.equivalent, "world": self.world, "shared_axioms": list(self.shared)}
        if self.equivalent:
            doc["used"] = list(self.used)
        if self.reason:
            doc["reason"] = self.reason
        return doc


@dataclass(frozen=True)
class FileMatrix:
    file: str
    readings: tuple[core.Reading, ...]
    rows: tuple[Row, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (BASE, *(r.name for r in self.readings))

    def proving_too_much(self) -> dict[str, list[str]]:
        """Per reading, the sentinels it proves (or bounds)."""
        out: dict[str, list[str]] = {}
        for row in self.rows:
            if row.sentinel:
                for cell in row.cells:
                    if cell.result.verdict in _PROVES:
                        out.setdefault(cell.reading, []).append(row.name)
        return out


@dataclass(frozen=True)
class Matrix:
    files: tuple[FileMatrix, ...]
    differences: tuple[Difference, ...] = ()
    worlds: tuple[World, ...] = ()
    errors: tuple = ()                  # the run's diagnostics (input errors, inconsistent axioms)
    input_error: bool = False

    @property
    def ok(self) -> bool:
        cells_ok = all(c.result.ok for f in self.files for row in f.rows for c in row.cells)
        return cells_ok and not self.errors and not self.input_error

    def world(self, ident: str) -> World | None:
        return next((w for w in self.worlds if w.id == ident), None)

    def to_json(self) -> dict:
        readings = list(dict.fromkeys(n for f in self.files for n in f.names))
        cells = [c for f in self.files for row in f.rows for c in row.cells]
        failed = sum(1 for c in cells if not c.result.ok)
        return {
            "readings": readings,
            "files": [{"file": f.file, "readings": [_reading_json(r, f) for r in f.readings]} for f in self.files],
            "rows": [row.to_json() for f in self.files for row in f.rows],
            "differences": [d.to_json() for d in self.differences],
            "sentinels": [{"file": f.file, "name": row.name,
                           "proved_in": [c.reading for c in row.cells if c.result.verdict in _PROVES]}
                          for f in self.files for row in f.rows if row.sentinel],
            "worlds": {w.id: w.to_json() for w in self.worlds},
            "errors": [d.to_json() for d in self.errors],
            "summary": {"cells": len(cells), "ok": len(cells) - failed, "failed": failed,
                        "differences": len(self.differences),
                        "equivalent": sum(1 for d in self.differences if d.equivalent)},
        }


def _reading_json(reading: core.Reading, matrix: FileMatrix) -> dict:
    return {"name": reading.name, "declared_in": reading.file, "replaces": list(reading.replaces),
            "drops": list(reading.drops), "adds": list(reading.adds),
            "proves_too_much": matrix.proving_too_much().get(reading.name, [])}


# ---------------------------------------------------------------- building it

def build(run: Run, solver: Solver | None, options: CheckOptions) -> Matrix:
    """The matrix of a checked run; the differences between wordings asked of `solver` (none is
    needed for a run that could not be checked)."""
    if run.input_error or solver is None:
        return Matrix((), errors=tuple(run.diagnostics), input_error=True)
    worlds: list[World] = []
    files = build_files(run, run.programs, worlds)
    differences = compare(run.programs, solver, options, worlds)
    return Matrix(tuple(files), tuple(differences), tuple(worlds), tuple(run.diagnostics))


def build_files(run: Run, programs: Sequence[core.Program], worlds: list[World]) -> list[FileMatrix]:
    """The cells of each program's file that the run checked; their worlds added to `worlds`."""
    return [_file_matrix(program, run, worlds) for program in programs
            if any(r.file == program.root for r in run.results)]


def compare(programs: Sequence[core.Program], solver: Solver, options: CheckOptions,
            worlds: list[World]) -> list[Difference]:
    """Every definition two readings word differently, asked of `solver`; the worlds where two
    wordings differ added to `worlds`."""
    asked = [pair for program in programs for pair in _questions(program, options)]
    solver.plan([job for job, _ in asked])
    return [_difference(solver.outcome(job).results, about, worlds) for job, about in asked]


def _file_matrix(program: core.Program, run: Run, worlds: list[World]) -> FileMatrix:
    variants = {v.reading or BASE: v for v in (program, *program.variants)}
    mine = [r for r in run.results if r.file == program.root]
    rows: dict[str, list[Result]] = {}
    for result in mine:
        rows.setdefault(result.name, []).append(result)
    built = []
    for name, results in rows.items():
        by_reading = {r.reading or BASE: r for r in results}
        base = by_reading.get(BASE)
        cells = []
        for reading, result in by_reading.items():
            world = _world(program.root, name, reading, result, worlds)
            differs = base is not None and reading != BASE and result.verdict is not base.verdict
            involved = _involved(variants, reading, name, result, base) if differs else None
            cells.append(Cell(reading, result, differs, involved, world))
        sentinel = all(r.expected == "counterexample" for r in results) and results[0].kind != "example"
        built.append(Row(program.root, name, results[0].kind, tuple(cells), sentinel and len(cells) > 1))
    return FileMatrix(program.root, program.readings, tuple(built))


def _world(file: str, name: str, reading: str, result: Result, worlds: list[World]) -> str | None:
    if result.verdict not in _MODELS or result.model is None:
        return None
    ident = f"{_stem(file)}.{name}.{reading}"
    worlds.append(World(ident, file, name, (reading,), result))
    return ident


def _stem(file: str) -> str:
    name = file.replace("\\", "/").rsplit("/", 1)[-1]
    return name[:-len(".align")] if name.endswith(".align") else name


def _involved(variants: dict[str, core.Program], reading: str, name: str, result: Result,
              base: Result | None) -> Involved:
    """What of `reading`'s changes the cell rests on (see `Involved`)."""
    program = variants.get(reading)
    if program is None or program.reading is None:
        return Involved()
    info = next(r for r in program.readings if r.name == reading)
    query = next((q for q in program.queries if q.name == name), None)
    terms = [query.formula] if query is not None else []
    used = set(result.used or ()) if result.verdict is Verdict.PROVED else set()
    terms += [a.formula for a in program.axioms if a.name in used]
    terms += [q.formula for q in program.lemmas if q.name in used]
    reached = reached_definitions(terms)
    base_used = set(base.used or ()) if base is not None and base.verdict is Verdict.PROVED else set()
    return Involved(definitions=tuple(d for d in info.replaces if d in reached),
                    dropped=tuple(a for a in info.drops if a in base_used),
                    added=tuple(a for a in info.adds if a in used))


# ---------------------------------------------------------------- wordings compared

@dataclass(frozen=True)
class _About:
    file: str
    readings: tuple[str, str]
    definition: str
    shared: tuple[str, ...]


def _questions(program: core.Program, options: CheckOptions) -> list[tuple[Job, _About]]:
    """One job per pair of readings and definition they word differently."""
    variants = [program, *program.variants]
    if len(variants) < 2:
        return []
    asked = []
    for first, second in combinations(variants, 2):
        a, b = first.reading or BASE, second.reading or BASE
        for name in _reworded(first, second):
            job, shared = _equivalence(program, first, second, name, options)
            asked.append((job, _About(program.root, (a, b), name, shared)))
    return asked


def _reworded(first: core.Program, second: core.Program) -> list[str]:
    """The definitions either reading replaces whose wordings differ, in declaration order."""
    replaced = {n for p in (first, second) for r in p.readings if r.name == p.reading for n in r.replaces}
    ones = {d.name: d for d in first.definitions}
    others = {d.name: d for d in second.definitions}
    return [d.name for d in first.definitions
            if d.name in replaced and _wording(ones[d.name]) != _wording(others[d.name])]


def _wording(definition: core.Definition) -> object:
    return normalise(definition.body, {v.uid: i for i, v in enumerate(definition.params)})


def _meaning(axiom: core.Axiom) -> object:
    """An axiom's wording with the wordings of every definition it reaches: an axiom both readings
    state through a definition they word differently is not shared."""
    reached = reached_definitions([axiom.formula])
    return normalise(axiom.formula), sorted((n, _wording(d)) for n, d in reached.items())


def _equivalence(program: core.Program, first: core.Program, second: core.Program, name: str,
                 options: CheckOptions) -> tuple[Job, tuple[str, ...]]:
    """The question `forall params. first's NAME <-> second's NAME` under the axioms both hold."""
    a, b = first.reading or BASE, second.reading or BASE
    one = next(d for d in first.definitions if d.name == name)
    other = next(d for d in second.definitions if d.name == name)
    theirs = {x.name: _meaning(x) for x in second.axioms}
    shared = tuple(x for x in first.axioms if theirs.get(x.name, None) == _meaning(x))
    start = max(first.next_uid, second.next_uid)
    params = tuple(core.Var(v.name, v.sort, start + i, v.span) for i, v in enumerate(one.params))
    left = core.DefCall(replace(one, name=f"{name}[{a}]"), params)
    right = core.DefCall(replace(other, name=f"{name}[{b}]"), params)
    body: core.Term = core.Iff(left, right) if one.sort == core.BOOL else core.Eq(left, right)
    formula = core.Quant(core.QuantKind.FORALL, params, body) if params else body
    query = core.Query(core.QueryKind.CLAIM, f"{name}: {a} vs {b}", formula, "proved", None, program.root,
                       other.span)
    # `reading` names the question: the solver tells a program's jobs apart by file and reading
    asked = replace(program, axioms=shared, queries=(query,), lemmas=(), reading=query.name, readings=(),
                    variants=(), definitions=(), next_uid=start + len(params) + 1)
    return Job(asked, options, (query.name,)), tuple(x.name for x in shared)


def _difference(results: Sequence[Result], about: _About, worlds: list[World]) -> Difference:
    result = results[0] if results else None
    base = Difference(about.file, about.readings, about.definition, None, shared=about.shared)
    if result is None:
        return replace(base, reason="not asked")
    if result.verdict is Verdict.PROVED:
        return replace(base, equivalent=True, used=tuple(result.used or ()))
    if result.verdict is Verdict.COUNTEREXAMPLE and result.model is not None:
        ident = f"{_stem(about.file)}.{about.definition}.{about.readings[0]}-vs-{about.readings[1]}"
        worlds.append(World(ident, about.file, about.definition, about.readings, result))
        return replace(base, equivalent=False, world=ident)
    return replace(base, reason=result.reason or "the solver gave no answer")
