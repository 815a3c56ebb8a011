"""Result records: what a check found, for every consumer (text, JSON, exports, records).

A `Result` is frozen and free of solver objects; nothing downstream
re-derives a verdict from strings. Each record writes itself as JSON and
reads itself back (`to_json`/`from_json`), for the JSON document, the proof
records and the run cache. A `Run` is the hand-off of the whole pipeline:
the programs, their results, the diagnostics, the sources and the drift
from proof records; every output reads a `Run` and nothing else.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING

from ..frontend.source import SourceFile, Span
from ..logic.model import (
    Model,
    Signature,
    Value,
    model_from_json,
    model_to_json,
    value_from_json,
    value_to_json,
    value_to_text,
)

if TYPE_CHECKING:  # the records only name them; importing them is the front end's cost
    from ..frontend.diagnostics import Diagnostic
    from ..logic.core import Program, Query, Sort
    from .theory import Theory


class Verdict(str, Enum):
    PROVED = "proved"
    COUNTEREXAMPLE = "counterexample"
    BOUNDED = "bounded"
    WITNESS = "witness"
    NONE = "none"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


def meets(verdict: Verdict, expected: str, within: object) -> bool:
    """Whether a verdict meets an expectation (LANGUAGE.md §4)."""
    if verdict is Verdict.UNKNOWN:
        return False
    if verdict.value == expected:
        return True
    return verdict is Verdict.BOUNDED and expected == "proved" and within is not None


@dataclass(frozen=True)
class Step:
    """One formula of an explanation, its value in the model, and why (one definition deeper).

    `formula` is source-like text with the witness's values in place of its
    variables; `where` gives the values of an atom's compound arguments;
    `because` the parts that decide the value (a definition's body, the
    conjuncts that are false, a quantifier's failing instance, ...).
    """

    formula: str
    value: Value | None
    role: str = ""                                  # "hypothesis" | "conclusion" | "" (a sub-step)
    where: tuple[tuple[str, Value | None], ...] = ()
    because: tuple[Step, ...] = ()

    def value_text(self) -> str:
        return "undecided" if self.value is None else value_to_text(self.value)

    def to_json(self) -> dict:
        doc: dict = {"formula": self.formula, "value": _json_value(self.value)}
        if self.role:
            doc["role"] = self.role
        if self.where:
            doc["where"] = [{"term": t, "value": _json_value(v)} for t, v in self.where]
        if self.because:
            doc["because"] = [s.to_json() for s in self.because]
        return doc

    @classmethod
    def from_json(cls, doc: Mapping) -> Step:
        return cls(formula=doc["formula"], value=_from_json_value(doc.get("value")), role=doc.get("role", ""),
                   where=tuple((w["term"], _from_json_value(w.get("value"))) for w in doc.get("where", ())),
                   because=tuple(cls.from_json(b) for b in doc.get("because", ())))

    def lines(self, indent: str = "") -> list[str]:
        """The step and its reasons as indented lines: `formula = value  (role)`, `where ...`."""
        role = f"  ({self.role})" if self.role else ""
        formula = f"({self.formula})" if _spaced(self.formula) else self.formula
        lines = [f"{indent}{formula} = {self.value_text()}{role}"]
        if self.where:
            shown = ", ".join(f"{t} = {'undecided' if v is None else value_to_text(v)}" for t, v in self.where)
            lines.append(f"{indent}  where {shown}")
        for sub in self.because:
            lines += sub.lines(indent + "    ")
        return lines


def _spaced(text: str) -> bool:
    """Whether `text` has a space outside parentheses (so `= value` after it would be ambiguous)."""
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == " " and depth == 0:
            return True
    return False


@dataclass(frozen=True)
class Explanation:
    """Why a model refutes a claim (or satisfies an example): the hypotheses and conclusion, unfolded."""

    witness: tuple[tuple[str, Value], ...]
    steps: tuple[Step, ...]
    summary: str = ""                               # one plain-English sentence

    def to_json(self) -> dict:
        return {"witness": {k: value_to_json(v) for k, v in self.witness},
                "summary": self.summary,
                "steps": [s.to_json() for s in self.steps]}

    @classmethod
    def from_json(cls, doc: Mapping) -> Explanation:
        return cls(witness=tuple((k, value_from_json(v)) for k, v in doc.get("witness", {}).items()),
                   steps=tuple(Step.from_json(s) for s in doc.get("steps", ())), summary=doc.get("summary", ""))

    def lines(self, indent: str = "") -> list[str]:
        """The whole explanation as indented lines, hypotheses first, conclusion last."""
        return [line for s in self.steps for line in s.lines(indent)]


def _json_value(value: Value | None):
    return None if value is None else value_to_json(value)


def _from_json_value(value) -> Value | None:
    return None if value is None else value_from_json(value)


@dataclass(frozen=True)
class Alternative:
    """One more model of the same query (`--models N`), differing in the truth of the claim's definitions."""

    witness: Mapping[str, Value]
    model: Model
    explanation: Explanation | None = None


@dataclass(frozen=True)
class CrossCheck:
    """A second solver's answer to the question a verdict rests on (`--cross-check`), beside z3's.

    `expected` is z3's answer to that question, as its verdict says ('unsat'
    for proved, bounded and none, 'sat' for counterexample and witness; None
    for unknown); `answer` is the second solver's ('sat', 'unsat' or
    'unknown'). The question is the query's, or for a result left unknown
    because the axioms are inconsistent, the axioms' (`question` "axioms").
    """

    solver: str                 # e.g. "cvc5 1.4.2"
    verdict: str                # z3's verdict, e.g. "proved"
    expected: str | None
    answer: str
    bound: int | dict | None = None  # the question was asked with every sort at most this big (a scope)
    reason: str = ""            # why the second solver gave no answer
    question: str = "query"     # "query" | "axioms"
    first: str = "z3"           # the solver whose answer the verdict rests on (cvc5 under the portfolio)

    @property
    def agrees(self) -> bool | None:
        """True or False when both solvers answered; None when either gave no answer."""
        if self.expected is None or self.answer not in ("sat", "unsat"):
            return None
        return self.expected == self.answer

    def text(self) -> str:
        """One line for people: the agreement, the disagreement with both answers, or the note."""
        within = "" if self.bound is None else \
            f" with at most {self.bound} element{'s' if self.bound != 1 else ''} per sort" \
            if isinstance(self.bound, int) else f" within {', '.join(f'{k}: {v}' for k, v in self.bound.items())}"
        said = "the axioms are inconsistent" if self.question == "axioms" else self.verdict
        if self.agrees:
            return f"{self.solver} agrees{' that ' + said if self.question == 'axioms' else ''} ({self.answer}{within})"
        if self.agrees is False:
            return f"{self.first} says {said} ({self.expected}{within}) but {self.solver} says {self.answer}"
        if self.answer not in ("sat", "unsat"):
            return f"{self.solver} gave no answer{f' ({self.reason})' if self.reason else ''}; not compared"
        return f"{self.solver} says {self.answer}{within}; {self.first} gave no answer, so nothing is compared"

    def to_json(self) -> dict:
        doc: dict = {"solver": self.solver, "answer": self.answer, "agrees": self.agrees, self.first: self.expected}
        if self.question != "query":
            doc["question"] = self.question
        if self.bound is not None:
            doc["bound"] = self.bound
        if self.reason:
            doc["reason"] = self.reason
        if self.agrees is False:
            doc["message"] = self.text()
        return doc

    @classmethod
    def from_json(cls, doc: Mapping, verdict: str) -> CrossCheck:
        """Read back from `to_json`'s form, given the verdict of the result it belongs to."""
        first = next((s for s in ("cvc5", "eprover") if s in doc and "z3" not in doc), "z3")
        return cls(solver=doc["solver"], verdict=verdict, expected=doc.get(first), answer=doc["answer"], first=first,
                   bound=doc.get("bound"), reason=doc.get("reason", ""), question=doc.get("question", "query"))


@dataclass(frozen=True)
class Result:
    """The answer to one claim or example."""

    file: str
    name: str
    kind: str  # "claim" | "example" | "lemma"
    verdict: Verdict
    expected: str
    ok: bool
    seconds: float
    used: tuple[str, ...] | None = None        # proved: the axioms the proof needed
    witness: Mapping[str, Value] | None = None  # counterexample/witness: outer variables
    model: Model | None = None                  # the whole plain model, re-checked
    shown_symbols: tuple[str, ...] = ()         # the symbols the query mentions
    shown_sorts: tuple[str, ...] = ()           # the sorts those symbols and the witness use
    warnings: tuple[str, ...] = ()
    reason: str | None = None                   # unknown: why
    explanation: Explanation | None = None      # counterexample/witness: why, formula by formula
    alternatives: tuple[Alternative, ...] = ()  # --models N: further re-checked models
    cross_check: CrossCheck | None = None       # --cross-check: the second solver's answer
    bound: int | dict[str, int] | None = None   # bounded: no counterexample within this scope (core.Scope.to_json)
    solver: str | None = None                   # who gave the answer (under --solver portfolio or cvc5)
    span: Span | None = field(default=None, compare=False)
    doc: str = field(default="", compare=False)
    cached: bool = field(default=False, compare=False)  # replayed from a proof record, not solved
    reading: str | None = None  # "base" or a reading's name, in a program with readings; else None

    @property
    def label(self) -> str:
        """`NAME`, or `NAME[reading]` in a program with readings (test ids, drift, CI)."""
        return self.name if self.reading is None else f"{self.name}[{self.reading}]"

    def to_json(self, complete: bool = False) -> dict:
        """The result in the JSON document of LANGUAGE.md §5. `complete` keeps everything needed to
        read it back unchanged (`from_json`): the whole model with the names shown, span and doc."""
        doc: dict = {
            "file": self.file,
            "name": self.name,
            "kind": self.kind,
            "verdict": self.verdict.value,
            "expected": self.expected,
            "ok": self.ok,
        }
        if self.reading is not None:
            doc["reading"] = self.reading
        if self.solver is not None:
            doc["solver"] = self.solver
        if self.verdict is Verdict.PROVED:
            doc["used"] = list(self.used or ())
        if self.verdict is Verdict.BOUNDED and self.bound is not None:
            doc["bound"] = self.bound
        if self.witness is not None:
            doc["witness"] = {k: value_to_json(v) for k, v in self.witness.items()}
        sorts, symbols = self.shown_sorts, self.shown_symbols
        if complete and self.model is not None:
            sorts, symbols = tuple(self.model.universes), tuple(n for n in self.model.tables if "@" not in n)
        if self.model is not None:
            doc["model"] = model_to_json(self.model, sorts, symbols)
        if self.explanation is not None:
            doc["explanation"] = self.explanation.to_json()
        if self.alternatives:
            doc["models"] = [{"witness": {k: value_to_json(v) for k, v in a.witness.items()},
                              "model": model_to_json(a.model, sorts, symbols),
                              **({"explanation": a.explanation.to_json()} if a.explanation else {})}
                             for a in self.alternatives]
        if self.warnings:
            doc["warnings"] = list(self.warnings)
        if self.reason:
            doc["reason"] = self.reason
        if self.cross_check is not None:
            doc["cross_check"] = self.cross_check.to_json()
        doc["seconds"] = round(self.seconds, 3)
        if self.cached:
            doc["cached"] = True
        if complete:
            if self.model is not None:
                doc["shown"] = {"sorts": list(self.shown_sorts), "symbols": list(self.shown_symbols)}
            if self.span is not None:
                span = self.span
                doc["span"] = [span.path, span.line, span.column, span.end_line, span.end_column]
            if self.doc:
                doc["doc"] = self.doc
        return doc

    @classmethod
    def from_json(cls, doc: Mapping, signature: Signature | None = None) -> Result:
        """A result read back from `to_json`'s form (a proof record's entry is one, without the
        names); `signature` says which values of the model are Reals. Raises KeyError, ValueError
        or TypeError on a document that is not one."""
        verdict = Verdict(doc["verdict"])
        witness = {k: value_from_json(v) for k, v in doc["witness"].items()} if "witness" in doc else None
        model = model_from_json(doc["model"], signature, witness) if "model" in doc else None
        shown = doc.get("shown")
        if shown is None and model is not None:
            shown = {"sorts": list(model.universes), "symbols": list(model.tables)}
        span = doc.get("span")
        return cls(
            file=doc.get("file", ""), name=doc.get("name", ""), kind=doc.get("kind", ""), verdict=verdict,
            expected=doc.get("expected", ""), ok=bool(doc.get("ok", False)), seconds=float(doc.get("seconds", 0.0)),
            used=tuple(doc["used"]) if "used" in doc else None,
            witness=witness, model=model,
            shown_symbols=tuple(shown["symbols"]) if shown else (), shown_sorts=tuple(shown["sorts"]) if shown else (),
            warnings=tuple(doc.get("warnings", ())), reason=doc.get("reason"),
            explanation=Explanation.from_json(doc["explanation"]) if "explanation" in doc else None,
            alternatives=tuple(_alternative(a, signature or {}) for a in doc.get("models", ())),
            cross_check=CrossCheck.from_json(doc["cross_check"], verdict.value) if "cross_check" in doc else None,
            bound=_bound(doc["bound"]) if "bound" in doc else None,
            solver=doc.get("solver"),
            span=Span(*span) if span else None, doc=doc.get("doc", ""), cached=bool(doc.get("cached", False)),
            reading=doc.get("reading"))

    def _repr_html_(self) -> str:
        """How a notebook shows the result (`outputs/notebook.py`)."""
        from ..outputs.notebook import result_html
        return result_html(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        """How IPython prints the result: as `check` does."""
        from ..outputs.notebook import result_text
        printer.text(result_text(self))

    def showing_everything(self) -> Result:
        """This result with every sort and symbol of its model shown (`--all-symbols`), declared ones only."""
        if self.model is None:
            return self
        return replace(self, shown_symbols=tuple(n for n in self.model.tables if "@" not in n),
                       shown_sorts=tuple(self.model.universes))


def _alternative(doc: Mapping, signature: Signature) -> Alternative:
    witness = {k: value_from_json(v) for k, v in doc.get("witness", {}).items()}
    explanation = Explanation.from_json(doc["explanation"]) if "explanation" in doc else None
    return Alternative(witness, model_from_json(doc["model"], signature, witness), explanation)


# ---------------------------------------------------------------- drift from proof records

class DriftKind(str, Enum):
    VERDICT = "verdict"   # the verdict changed
    USED = "used"         # a proof needs other axioms
    GONE = "gone"         # a recorded claim is no longer in the spec
    MISSING = "missing"   # a claim has no record (reported under --strict-records)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Drift:
    """A difference between a recorded result and this run's: verdict, used, a claim gone or unrecorded."""

    file: str
    name: str
    kind: DriftKind
    recorded: object = None
    now: object = None
    reading: str | None = None  # as `Result.reading`

    def to_json(self) -> dict:
        doc = {"file": self.file, "name": self.name, "kind": self.kind.value, "recorded": self.recorded,
               "now": self.now}
        if self.reading is not None:
            doc["reading"] = self.reading
        return doc

    @classmethod
    def from_json(cls, doc: Mapping) -> Drift:
        return cls(doc["file"], doc["name"], DriftKind(doc["kind"]), doc.get("recorded"), doc.get("now"),
                   doc.get("reading"))

    @property
    def label(self) -> str:
        return self.name if self.reading is None else f"{self.name}[{self.reading}]"

    def text(self) -> str:
        where = f"{self.file}::{self.label}"
        if self.kind is DriftKind.GONE:
            return f"drift: {where}: recorded, but no such claim or example any more"
        if self.kind is DriftKind.MISSING:
            return f"drift: {where}: no proof record (write one with --record)"
        if self.kind is DriftKind.USED:
            old = ", ".join(_names(self.recorded)) or "nothing"
            new = ", ".join(_names(self.now)) or "nothing"
            return f"drift: {where}: used changed from [{old}] to [{new}]"
        return f"drift: {where}: verdict changed from {self.recorded} to {self.now}"


def _names(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


# ---------------------------------------------------------------- the hand-off of a whole run

@dataclass(frozen=True)
class Run:
    """What one check produced, for every output: nothing downstream runs a stage again.

    `programs` are the typed programs the results belong to (empty when the
    run was replayed from the run cache without the front end, which no
    output that needs them allows); `drift` is None when no proof record was
    involved, and fails the run under `strict_records`.
    """

    results: tuple[Result, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    sources: Mapping[str, SourceFile] = field(default_factory=dict)
    programs: tuple[Program, ...] = ()
    drift: tuple[Drift, ...] | None = None
    strict_records: bool = False
    input_error: bool = False  # exit status 2: input errors (what had none was checked)
    theories: tuple[Theory, ...] = ()  # the axioms of programs with no query (`theory.py`)
    unchecked: tuple[str, ...] = ()  # with input errors: the root files not checked because of them
    replayed: bool = field(default=False, compare=False)  # read back whole from the run cache (`check/memo.py`)

    @property
    def ok(self) -> bool:
        return (not self.input_error and not self.diagnostics and all(r.ok for r in self.results)
                and all(t.ok for t in self.theories))

    def checked(self) -> int:
        """How many results and theories the run has."""
        return len(self.results) + len(self.theories)

    @property
    def drift_fails(self) -> bool:
        return self.strict_records and bool(self.drift)

    def failed(self) -> int:
        return sum(1 for r in self.results if not r.ok) + sum(1 for t in self.theories if not t.ok)

    def _repr_html_(self) -> str:
        """How a notebook shows the run: verdict tables and model pictures (`outputs/notebook.py`)."""
        from ..outputs.notebook import run_html
        return run_html(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        """How IPython prints the run: as `check` does."""
        from ..outputs.notebook import run_text
        printer.text(run_text(self))

    def query(self, result: Result) -> tuple[Program, Query] | None:
        """The program and query a result answers (None when the programs are not in the run): under
        a reading, the reading's program."""
        for program in self.programs:
            for variant in (program, *program.variants):
                if variant.reading != result.reading:
                    continue
                for query in variant.queries:
                    if query.name == result.name and query.file == result.file:
                        return variant, query
        return None


def signature(programs: Sequence[Program]) -> dict[str, tuple[tuple[bool, ...], bool]]:
    """Which arguments and values of each program's symbols are Reals (for `Result.from_json`)."""
    out = {}
    for program in programs:
        for symbol in program.symbols:
            args = tuple(_real(s) for s in symbol.args)
            if any(args) or _real(symbol.result):
                out[symbol.name] = (args, _real(symbol.result))
    return out


def _real(sort: Sort) -> bool:
    return bool(sort.builtin and sort.name == "Real")


def _bound(value: int | dict) -> int | dict[str, int]:
    """A `bound` read back: the number for every sort, or the sizes per sort (`core.Scope.to_json`)."""
    return {str(k): int(v) for k, v in value.items()} if isinstance(value, dict) else int(value)
