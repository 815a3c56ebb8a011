"""Stage 5, E: the prover the portfolio asks last, for proofs only; the only module that runs `eprover`.

It takes what the checker gives the other back ends (tracked and plain
expanded formulas, a query's witness constants, `SolverOptions`) and hands
on the same `Outcome`, but only ever `unsat` (E's SZS status `Theorem`,
`Unsatisfiable` or `ContradictoryAxioms`) or `unknown`. E builds no model,
so its saturation (`Satisfiable`, `CounterSatisfiable`) is no world the
evaluator could re-check: it is an `unknown` with that reason, never a
counterexample, a witness or consistency.

The question is written by `outputs/tptp.py` (`tptp_question`: FOF for one
sort, TFF for several; a question with arithmetic is not asked). The core is
read from E's proof object: the input formulas its refutation is derived
from (`file(...)` sources), by name, mapped back to the tracked names; when
the proof object is missing or cites a name the question did not give, the
core is every tracked formula. A smaller core (`smaller_core`) is sought by
deletion, each trial a run of E on the formulas left, so each name left out
is one E proved the question without.

Deterministic: E is run with one fixed strategy (`STRATEGY`, the first of
its own schedule, not the time-sliced schedule) and stops at a count of its
work, the term-bank insertions of `--tb-insert-limit`, converted from the
question's Z3 units (`E_UNITS_PER_Z3_UNIT`); `--cpu-limit` and the wall
clock (what is left of the query's budget) are backstops. E's search depends on where its memory lies, so it
runs with the address space's randomisation off (`setarch -R`, util-linux),
the problem on standard input and an empty environment: the same question
gets the same answer run after run (bench/RESULTS.md, "E in the portfolio").
"""
from __future__ import annotations

import math
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO

from ..logic import core
from ..logic.walk import UnknownNode
from .budget import MIN_SECONDS, Budget
from .common import Outcome, SolverOptions

SOLVER = "eprover"

E_UNITS_PER_Z3_UNIT = 2.0
"""E's term-bank insertions allowed per Z3 unit of a question's limit: at 500,000 Z3 units a second,
1,000,000 insertions a second, below the 1.4-1.9 million a CPU second E made on the TPTP sample's
hardest problems here (bench/RESULTS.md, "E in the portfolio"), so the count, not the clock, ends a
search on a machine up to about half as fast."""

STRATEGY = ("-xAutoSched0", "-tAutoSched0")
"""E's ordering and clause selection: the first strategy of its automatic schedule, alone."""

PROVED = frozenset({"Theorem", "Unsatisfiable", "ContradictoryAxioms"})
"""The SZS statuses that say the formulas have no common model."""

SATURATED = frozenset({"Satisfiable", "CounterSatisfiable", "CounterTheorem"})
"""The SZS statuses of a saturation: no proof exists, and no model is given (never a verdict)."""

WALL_MARGIN = 0.1
"""Seconds of wall clock a run may take beyond what is left of the query's budget (its backstop), for
E's start and the print-out of its proof."""

_STATUS = re.compile(r"^# SZS status (\w+)", re.MULTILINE)
_LABEL = re.compile(r"^(?:fof|tff)\(([^,]+),", re.MULTILINE)
_CITED = re.compile(r"file\('[^']*',\s*('(?:[^'\\]|\\.)*'|[A-Za-z0-9_]+)\)\)\.\s*$", re.MULTILINE)


def path() -> str | None:
    """The `eprover` binary on PATH, or None."""
    return shutil.which("eprover")


def available() -> bool:
    """Whether E can be asked (its binary is on PATH)."""
    return path() is not None


SKIPPED = "not asked: no eprover on PATH"
"""The reason the portfolio gives for E when the question was one for E but E is not installed."""


_ARITHMETIC = (core.NumLit, core.Compare, core.Add, core.Neg, core.Scale)


def askable(formulas: Sequence[core.Term]) -> bool:
    """Whether a question over `formulas` is one for E: no arithmetic (E 2.6 is asked pure first-order
    logic over uninterpreted sorts, as `outputs/tptp.py` writes it without `$int` or `$real`)."""
    for formula in formulas:
        for node in core.walk(formula):
            if isinstance(node, _ARITHMETIC) or node.sort.is_numeric:
                return False
            if isinstance(node, core.Quant) and any(v.sort.is_numeric for v in node.vars):
                return False
            if isinstance(node, core.App) and any(s.is_numeric for s in node.symbol.args):
                return False
    return True


class Session:
    """One query's questions asked of E, each a run of its own (see the module's docstring)."""

    def __init__(self, program: core.Program, witnesses: Sequence[core.Symbol] = (), budget: Budget | None = None):
        self.program = program
        self.witnesses = tuple(witnesses)
        self.budget = budget
        self._last: tuple[dict[str, core.Term], tuple[core.Term, ...]] | None = None

    def solve(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term] = (),
              options: SolverOptions | None = None) -> Outcome:
        """Whether the formulas have no common model: `unsat` with the core E's proof rests on,
        else `unknown` with E's reason (a saturation included)."""
        return self.start(tracked, plain, options).result()

    def start(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term] = (),
              options: SolverOptions | None = None) -> Pending:
        """`solve`, begun: E runs in a process of its own while the caller does something else
        (the portfolio asks cvc5 meanwhile); `Pending.result` is the answer `solve` gives."""
        self._last = None
        return Pending(self, tuple(tracked), tuple(plain), self._begin(tracked, plain, options or SolverOptions()))

    def smaller_core(self, core_names: Sequence[str], options: SolverOptions) -> tuple[str, ...] | None:
        """The last answer's core made smaller by deletion: each name left out in turn, E asked
        with the rest; a name stays out when E proves it without. None unless the last answer was unsat."""
        if self._last is None:
            return None
        formulas, plain = self._last
        kept = [n for n in core_names if n in formulas]
        for name in list(kept):
            if name not in kept:
                continue
            trial = [n for n in kept if n != name]
            outcome = self._run([(n, formulas[n]) for n in trial], plain, options)
            if outcome.status == "unsat":
                kept = [n for n in trial if n in outcome.core]
            elif self.budget is not None and self.budget.exhausted():
                break
        return tuple(kept)

    def _run(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term],
             options: SolverOptions) -> Outcome:
        return _finish(self._begin(tracked, plain, options))

    def _begin(self, tracked: Sequence[tuple[str, core.Term]], plain: Sequence[core.Term],
               options: SolverOptions) -> _Running | Outcome:
        """E started on the question, or the `unknown` that says why it was not."""
        from ..outputs.tptp import Untranslatable, tptp_question  # the printer is the exporter's
        binary = path()
        if binary is None:
            return _unknown(SKIPPED)
        seconds = options.timeout if self.budget is None else self.budget.seconds_left()
        if seconds < MIN_SECONDS:
            return _unknown("the query's budget is used up")
        try:
            text, names = tptp_question(self.program, tracked, plain)
        except (Untranslatable, UnknownNode) as error:
            return _unknown(f"cannot write the question in TPTP: {error}")
        units = max(1, int(options.resource_limit() * E_UNITS_PER_Z3_UNIT))
        return _Running.start(command(binary, units, seconds), text, names, units, seconds + WALL_MARGIN)


class Pending:
    """One question E is answering in a process of its own (`Session.start`)."""

    def __init__(self, session: Session, tracked: tuple[tuple[str, core.Term], ...], plain: tuple[core.Term, ...],
                 running: _Running | Outcome):
        self.session = session
        self.tracked = tracked
        self.plain = plain
        self.running = running
        self._answer: Outcome | None = None

    def result(self) -> Outcome:
        """E's answer, once its process has ended (by its limits at the latest)."""
        if self._answer is None:
            self._answer = _finish(self.running)
            if self._answer.status == "unsat":
                self.session._last = (dict(self.tracked), self.plain)
        return self._answer

    def cancel(self) -> None:
        """End E's process unheard: its answer is not needed."""
        if isinstance(self.running, _Running) and self._answer is None:
            self.running.kill()
            self._answer = _unknown("not needed: another solver answered")


@dataclass
class _Running:
    """An E process: the problem on standard input, its output in a temporary file, so that a long
    proof cannot fill a pipe while no one reads it."""

    process: subprocess.Popen | None
    output: IO[str]
    errors: IO[str]
    problem: str
    names: dict[str, str]
    units: int
    wall: float
    error: str | None = None
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.wall

    @classmethod
    def start(cls, argv: list[str], problem: str, names: dict[str, str], units: int, wall: float) -> _Running:
        output = tempfile.TemporaryFile("w+", encoding="utf-8")
        errors = tempfile.TemporaryFile("w+", encoding="utf-8")
        try:
            with tempfile.TemporaryFile("w+", encoding="utf-8") as given:
                given.write(problem)
                given.seek(0)
                process = subprocess.Popen(argv, stdin=given, stdout=output, stderr=errors, env={}, text=True)
        except OSError as error:
            output.close()
            errors.close()
            return cls(None, output, errors, problem, names, units, wall, error=f"cannot run eprover: {error}")
        return cls(process, output, errors, problem, names, units, wall)

    def wait(self) -> Outcome:
        if self.process is None:
            return _unknown(self.error or "eprover did not start")
        try:
            self.process.wait(timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.kill()
            return _unknown(f"timeout after {self.wall - WALL_MARGIN:g}s")
        self.output.seek(0)
        self.errors.seek(0)
        text, said = self.output.read(), self.errors.read()
        self.output.close()
        self.errors.close()
        return read(text, self.problem, self.names, self.units, said)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.output.close()
        self.errors.close()


def _finish(running: _Running | Outcome) -> Outcome:
    return running if isinstance(running, Outcome) else running.wait()


def command(binary: str, units: int, seconds: float) -> list[str]:
    """The command line of one run (the problem comes on standard input)."""
    prefix = [setarch, "-R"] if (setarch := shutil.which("setarch")) else []
    return [*prefix, binary, *STRATEGY, f"--tb-insert-limit={units}", f"--cpu-limit={max(1, math.ceil(seconds))}",
            "--silent", "--proof-object"]


def read(stdout: str, problem: str, names: dict[str, str], units: int, stderr: str = "") -> Outcome:
    """E's answer from its output on `problem`: `unsat` with the tracked names (`names`: by TPTP name)
    its proof cites (all of them when the proof object cannot be read), or `unknown`."""
    statuses = _STATUS.findall(stdout)
    status = statuses[-1] if statuses else None
    if status in PROVED:
        return Outcome("unsat", core=_core(stdout, names, set(_LABEL.findall(problem))), solver=SOLVER)
    if status in SATURATED:
        return _unknown(f"saturated ({status}): E gives no model to re-check, so this proves nothing")
    if status == "ResourceOut":
        return _unknown(f"resource limit reached ({units} term insertions, or the CPU time)")
    if status is not None:
        return _unknown(status)
    last = (stderr.strip().splitlines() or stdout.strip().splitlines() or ["no SZS status"])[-1]
    return _unknown(f"stopped without an answer ({last.lstrip('*# ').strip()})")


def _core(stdout: str, names: dict[str, str], known: set[str]) -> tuple[str, ...]:
    """The tracked names of the input formulas E's proof object cites; every tracked name when there
    is no complete proof object, or it cites an input formula by a name this question did not give."""
    _, start, rest = stdout.partition("# SZS output start")
    proof, end, _ = rest.partition("# SZS output end")
    cited = {_unquote(n) for n in _CITED.findall(proof)}
    if not (start and end and cited) or not cited <= known:
        return tuple(names.values())
    return tuple(n for label, n in names.items() if label in cited)


def _unquote(name: str) -> str:
    return re.sub(r"\\(.)", r"\1", name[1:-1]) if name.startswith("'") else name


def _unknown(reason: str) -> Outcome:
    return Outcome("unknown", reason=f"{SOLVER}: {reason}", solver=SOLVER)
