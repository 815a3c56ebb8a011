"""Premise sets: `alignproof audit`, every premise of a program examined (LANGUAGE.md §6.4).

It takes the paths and the one `Options` record, runs the ordinary check
(`pipeline.run`), and hands on an `Audit`: per program

1. each axiom's independence: the other axioms and the axiom as a claim,
   checked (premises/variants.py): proved (redundant, with the minimal set
   that implies it) or a re-checked world where the others hold and it fails;
2. each proved claim's minimal premise sets, all of them up to `max_cores`
   (premises/marco.py on one solver, premises/oracle.py), the claim's `used`
   asked first; the axioms it fails without, each shown by a model;
3. from the cores, `used_by` and `idle`;
4. circularity: for each axiom of a premise set, whether the claim gives it
   back under the other axioms of that set (a variant with the claim in the
   axiom's place); and each premise set under which the claim's hypothesis
   cannot hold;
5. for inconsistent axioms instead, the conflicts and repairs (premises/conflicts.py).

The variants of all four kinds are asked at once, through the stack's
solver, so `--jobs` spreads them over worker processes.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..check.checker import CheckOptions, ProgramChecker, question
from ..check.results import Result, Verdict
from ..check.stack import check_options
from ..logic.core import Axiom, Program, Query
from ..logic.expand import TooLarge
from ..options import Options
from . import variants
from .conflicts import inconsistent
from .findings import Audit, ClaimAudit, Converse, Evidence, Independence, Needed, ProgramAudit, Vacuity
from .marco import Enumeration, Status, enumerate_cores
from .oracle import PremiseOracle

DEFAULT_MAX_CORES = 8
"""Minimal premise sets (and conflicts, and repairs) sought per claim unless `--max-cores` says otherwise."""


def audit(paths: Sequence[str], options: Options = Options(), max_cores: int = DEFAULT_MAX_CORES) -> Audit:
    """Check the paths, then examine the premises of every program checked."""
    from ..pipeline import run
    checked = run(list(paths), options, programs_needed=True)
    if checked.input_error:
        return Audit(checked)
    return Audit(checked, tuple(audit_program(p, [r for r in checked.results if r.file == p.root], options,
                                              max_cores) for p in checked.programs))


def audit_program(program: Program, results: list[Result], options: Options,
                  max_cores: int = DEFAULT_MAX_CORES) -> ProgramAudit:
    """Everything `audit` says about one program, given its check results."""
    started = time.perf_counter()
    checking = check_options(options)
    consistency = ProgramChecker(program, checking).consistency()
    if consistency.conflict:
        return inconsistent(program, results, consistency.conflict, options, max_cores, started)
    claims = [premise_sets(program, r, checking, max_cores) for r in results]
    plan = _Plan(program)
    for axiom in program.axioms:
        plan.add(("independence", axiom.name), variants.independence(program, axiom))
    for claim in claims:
        plan.claim(claim)
    answers = plan.ask(options)
    claims = [plan.finish(claim, answers) for claim in claims]
    axioms = tuple(_independence(program, a, answers[("independence", a.name)], claims) for a in program.axioms)
    return ProgramAudit(program.root, None if consistency.warning else True, axioms, tuple(claims),
                        questions=sum(c.questions for c in claims), checks=len(plan.programs) + 1,
                        seconds=time.perf_counter() - started,
                        reason=consistency.warning or "")


def audit_claim(program: Program, result: Result, options: Options,
                max_cores: int = DEFAULT_MAX_CORES) -> ClaimAudit:
    """One claim's premise sets, what it needs, whether it gives them back, whether they are vacuous
    (the program's axioms assumed consistent: `audit_program` tests that first)."""
    claim = premise_sets(program, result, check_options(options), max_cores)
    plan = _Plan(program)
    plan.claim(claim)
    return plan.finish(claim, plan.ask(options))


def premise_sets(program: Program, result: Result, checking: CheckOptions, max_cores: int) -> ClaimAudit:
    """A proved claim's minimal premise sets (its `used` asked first), and the axioms it needs."""
    if result.verdict is not Verdict.PROVED or result.kind != "claim":
        return ClaimAudit(result)
    query = _query(program, result.name)
    try:
        asked = question(program, query)
    except TooLarge as err:
        return ClaimAudit(result, why=f"the claim cannot be examined: {err}")
    oracle = PremiseOracle(program, asked.premises, asked, checking)
    names = oracle.names
    found = enumerate_cores(oracle, max_cores, [[names.index(n) for n in result.used or () if n in names]])
    cores = sorted(found.cores, key=lambda c: (len(c), sorted(c)))
    needed = tuple(_needed(oracle, found, i) for i in sorted(frozenset.intersection(*cores))) if cores else ()
    solver_sat = tuple(tuple(names[i] for i in sorted(s.items)) for s in found.satisfiable if not s.rechecked)
    return ClaimAudit(result, tuple(tuple(names[i] for i in sorted(c)) for c in cores), found.complete,
                      found.why, found.undecided, oracle.questions, needed, solver_sat)


def _needed(oracle: PremiseOracle, found: Enumeration, item: int) -> Needed:
    """Whether the claim fails without premise `item`: the others and the negated claim have a model."""
    others = frozenset(range(oracle.count)) - {item}
    shown = found.satisfiable_superset(others)
    if shown is not None:
        return Needed(oracle.names[item], Evidence.RECHECKED if shown.rechecked else Evidence.SOLVER)
    answer = oracle.check(others)
    if answer.status is Status.SAT:
        return Needed(oracle.names[item], Evidence.RECHECKED if answer.rechecked else Evidence.SOLVER)
    return Needed(oracle.names[item], None)


@dataclass
class _Plan:
    """The variants to ask, each under a key: ("independence", axiom), ("converse", claim, core,
    axiom), ("hypothesis", claim, core)."""

    program: Program

    def __post_init__(self) -> None:
        self.keys: list[tuple] = []
        self.programs: list[Program] = []

    def add(self, key: tuple, variant: Program | None) -> None:
        if variant is not None:
            self.keys.append(key)
            self.programs.append(variant)

    def claim(self, claim: ClaimAudit) -> None:
        if not claim.cores:
            return
        query = _query(self.program, claim.name)
        for core in claim.cores:
            for name in core:
                self.add(("converse", claim.name, core, name),
                         variants.converse(self.program, query, self._axiom(name), core))
            self.add(("hypothesis", claim.name, core), variants.hypothesis(self.program, query, core))

    def ask(self, options: Options) -> dict[tuple, Result]:
        return dict(zip(self.keys, variants.ask(self.programs, options)))

    def finish(self, claim: ClaimAudit, answers: dict[tuple, Result]) -> ClaimAudit:
        if not claim.cores:
            return claim
        converses = tuple(Converse(n, answers.get(("converse", claim.name, core, n)), core)
                          for core in claim.cores for n in core)
        vacuity = tuple(Vacuity(core, answers[("hypothesis", claim.name, core)]) for core in claim.cores
                        if ("hypothesis", claim.name, core) in answers)
        return replace(claim, converses=converses, vacuity=vacuity)

    def _axiom(self, name: str) -> Axiom:
        return next(a for a in self.program.axioms if a.name == name)


def _independence(program: Program, axiom: Axiom, result: Result, claims: list[ClaimAudit]) -> Independence:
    used_by = tuple(c.name for c in claims if any(axiom.name in core for core in c.cores))
    needed_by = tuple(c.name for c in claims if any(n.axiom == axiom.name and n.evidence for n in c.needed))
    return Independence(axiom.name, result, used_by, needed_by, axiom.span.path if axiom.span else program.root,
                        axiom.span.line if axiom.span else 0)


def _query(program: Program, name: str) -> Query:
    return next(q for q in program.queries if q.name == name)
