"""Premise sets: `alignproof audit`, every premise of a program examined (LANGUAGE.md §6.4).

It takes the paths and the one `Options` record, runs the ordinary check
(`pipeline.run`), and hands on an `Audit`: per program

1. each axiom's independence: the other axioms and the axiom as a claim,
   checked (premises/variants.py): proved (redundant, with the minimal set
   that implies it) or a re-checked world where the others hold and it fails;
2. each proved claim's (and lemma's) minimal premise sets, all of them up to
   `max_cores` (premises/marco.py on one solver, premises/oracle.py), the
   claim's `used` asked first; the axioms it fails without, each shown by a
   model of the other axioms (lemmas left out: they follow from the axioms);
3. from the cores, `used_by` and `idle`, through lemmas: a premise set that
   holds a lemma rests on the lemma's own premise sets as well;
4. circularity: for each axiom of a premise set, whether the claim gives it
   back under the other premises of that set (a variant with the claim in the
   axiom's place); and each premise set under which the claim's hypothesis
   cannot hold;
5. for inconsistent axioms instead, the conflicts and repairs (premises/conflicts.py).

The variants of all four kinds are asked at once, through the stack's
solver, so `--jobs` spreads them over worker processes.

Lemmas (LANGUAGE.md §6.1, §6.4). A proved lemma is a premise of the queries
after it, so it is a candidate in their premise sets, beside the axioms; a
lemma that is not proved is never one (nothing it would prove is `proved`).
A lemma is also a proved result of its own, examined as a claim is. An axiom
is independent or not of the other axioms alone: a lemma may rest on the
axiom it would be used to imply.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..check.checker import CheckOptions, ProgramChecker, question
from ..check.lemmas import settle
from ..check.results import Result, Verdict
from ..check.stack import check_options
from ..logic.core import Axiom, Program, Query
from ..logic.expand import TooLarge
from ..options import Options
from . import variants
from .conflicts import inconsistent
from .findings import Audit, ClaimAudit, Converse, Evidence, Independence, LemmaUse, Needed, ProgramAudit, Vacuity
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
    reach = _Reach(program, _lemma_results(program, results, checking))
    claims = []
    for result in results:  # in file order: a lemma is examined before what may rest on it
        claims.append(premise_sets(program, result, checking, max_cores, reach))
        reach.add(claims[-1])
    plan = _Plan(program)
    for axiom in program.axioms:
        plan.add(("independence", axiom.name), variants.independence(program, axiom))
    for claim in claims:
        plan.claim(claim)
    answers = plan.ask(options)
    claims = [plan.finish(claim, answers) for claim in claims]
    axioms = tuple(_independence(program, a, answers[("independence", a.name)], claims, reach)
                   for a in program.axioms)
    used = tuple(_lemma_use(q, reach.results.get(q.name), claims, reach) for q in program.lemmas
                 if q.file == program.root)
    return ProgramAudit(program.root, None if consistency.warning else True, axioms, tuple(claims),
                        questions=sum(c.questions for c in claims), checks=len(plan.programs) + 1,
                        seconds=time.perf_counter() - started,
                        reason=consistency.warning or "", lemmas=used)


def audit_claim(program: Program, result: Result, options: Options,
                max_cores: int = DEFAULT_MAX_CORES) -> ClaimAudit:
    """One claim's premise sets, what it needs, whether it gives them back, whether they are vacuous
    (the program's axioms assumed consistent: `audit_program` tests that first)."""
    checking = check_options(options)
    claim = premise_sets(program, result, checking, max_cores, _Reach(program, _lemma_results(program, [], checking)))
    plan = _Plan(program)
    plan.claim(claim)
    return plan.finish(claim, plan.ask(options))


def premise_sets(program: Program, result: Result, checking: CheckOptions, max_cores: int,
                 reach: _Reach | None = None) -> ClaimAudit:
    """A proved claim's (or lemma's) minimal premise sets over the axioms and the proved lemmas
    before it (its `used` asked first), and the axioms it needs."""
    if result.verdict is not Verdict.PROVED or result.kind not in ("claim", "lemma"):
        return ClaimAudit(result)
    reach = reach or _Reach(program, {})
    query = _query(program, result.name)
    try:
        asked = question(program, query, reach.proved)
    except TooLarge as err:
        return ClaimAudit(result, why=f"the claim cannot be examined: {err}")
    oracle = PremiseOracle(program, asked.premises, asked, checking)
    names = oracle.names
    axioms = [i for i, n in enumerate(names) if n not in reach.proved]
    hints = [[names.index(n) for n in result.used or () if n in names]]
    if any(n in reach.proved for n in result.used or ()):
        hints.append(axioms)  # a premise set of axioms alone, besides the one through lemmas
    found = enumerate_cores(oracle, max_cores, hints)
    cores = sorted(found.cores, key=lambda c: (len(c), sorted(c)))
    named = tuple(tuple(names[i] for i in sorted(c)) for c in cores)
    candidates = frozenset.intersection(*(reach.axioms_under(c) for c in named)) if named else frozenset()
    needed = [_needed(oracle, found, names.index(n), axioms) for n in names if n in candidates]
    solver_sat = tuple(tuple(names[i] for i in sorted(s.items)) for s in found.satisfiable if not s.rechecked)
    return ClaimAudit(result, named, found.complete, found.why, found.undecided, oracle.questions,
                      tuple(n for n in needed if n is not None), solver_sat)


def _needed(oracle: PremiseOracle, found: Enumeration, item: int, axioms: list[int]) -> Needed | None:
    """Whether the claim fails without axiom `item`: the other axioms (no lemma: each follows from
    the axioms, perhaps through `item`) and the negated claim have a model. None when they have
    none (the claim does not need it)."""
    others = frozenset(axioms) - {item}
    shown = found.satisfiable_superset(others)
    if shown is not None:
        return Needed(oracle.names[item], Evidence.RECHECKED if shown.rechecked else Evidence.SOLVER)
    answer = oracle.check(others)
    if answer.status is Status.SAT:
        return Needed(oracle.names[item], Evidence.RECHECKED if answer.rechecked else Evidence.SOLVER)
    return None if answer.status is Status.UNSAT else Needed(oracle.names[item], None)


def _lemma_results(program: Program, results: list[Result], checking: CheckOptions) -> dict[str, Result]:
    """Every lemma's result: the check's, or (a lemma of an import, which check does not report)
    asked here and settled as check settles lemmas (one resting on an unproved lemma is unknown)."""
    given = {r.name: r for r in results if r.kind == "lemma"}
    missing = [q.name for q in program.lemmas if q.name not in given]
    if missing:
        checker = ProgramChecker(program, checking)
        asked = [checker.answer(name) for name in missing]
        settled = settle(program, [*given.values(), *asked], checker.answer)
        given = {r.name: r for r in settled}
    return given


class _Reach:
    """What each proved claim or lemma rests on: the premises of its premise sets, and through each
    lemma among them that lemma's own (from its premise sets, or its `used` when not examined)."""

    def __init__(self, program: Program, lemma_results: dict[str, Result]):
        self.results = lemma_results
        self.proved = frozenset(n for n, r in lemma_results.items() if r.verdict is Verdict.PROVED)
        self.axioms = frozenset(a.name for a in program.axioms)
        self.reached: dict[str, frozenset[str]] = {}
        self.cores: dict[str, tuple[tuple[str, ...], ...]] = {}
        for query in program.lemmas:  # in program order: a lemma's `used` names earlier ones only
            if query.name in self.proved:
                self._rests(query.name, (tuple(lemma_results[query.name].used or ()),))

    def add(self, claim: ClaimAudit) -> None:
        if claim.cores:
            self._rests(claim.name, claim.cores)

    def _rests(self, name: str, cores: tuple[tuple[str, ...], ...]) -> None:
        self.cores[name] = cores
        self.reached[name] = frozenset().union(*(self.under(c) for c in cores))

    def under(self, premises: tuple[str, ...]) -> frozenset[str]:
        """The premises, and everything the lemmas among them rest on."""
        return frozenset(premises).union(*(self.reached.get(n, frozenset()) for n in premises if n in self.proved))

    def axioms_under(self, premises: tuple[str, ...]) -> frozenset[str]:
        return self.under(premises) & self.axioms

    def through(self, claim: ClaimAudit, name: str) -> tuple[str, ...]:
        """The lemmas of the claim's premise sets through which it rests on `name` (none when a
        premise set holds `name` itself)."""
        if any(name in core for core in claim.cores):
            return ()
        lemmas = dict.fromkeys(n for core in claim.cores for n in core
                               if n in self.proved and name in self.reached.get(n, ()))
        return tuple(lemmas)


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
        axioms = {a.name: a for a in self.program.axioms}
        for core in claim.cores:
            for name in core:  # an axiom given back; a lemma in the set is proved, so never assumed
                if name in axioms:
                    self.add(("converse", claim.name, core, name),
                             variants.converse(self.program, query, axioms[name], core))
            self.add(("hypothesis", claim.name, core), variants.hypothesis(self.program, query, core))

    def ask(self, options: Options) -> dict[tuple, Result]:
        return dict(zip(self.keys, variants.ask(self.programs, options)))

    def finish(self, claim: ClaimAudit, answers: dict[tuple, Result]) -> ClaimAudit:
        if not claim.cores:
            return claim
        converses = tuple(Converse(n, answers[("converse", claim.name, core, n)], core)
                          for core in claim.cores for n in core if ("converse", claim.name, core, n) in answers)
        vacuity = tuple(Vacuity(core, answers[("hypothesis", claim.name, core)]) for core in claim.cores
                        if ("hypothesis", claim.name, core) in answers)
        return replace(claim, converses=converses, vacuity=vacuity)


def _independence(program: Program, axiom: Axiom, result: Result, claims: list[ClaimAudit],
                  reach: _Reach) -> Independence:
    resting = [c for c in claims if c.cores and axiom.name in reach.reached.get(c.name, ())]
    through = tuple((c.name, reach.through(c, axiom.name)) for c in resting if reach.through(c, axiom.name))
    needed_by = tuple(c.name for c in claims if any(n.axiom == axiom.name and n.evidence for n in c.needed))
    return Independence(axiom.name, result, tuple(c.name for c in resting), needed_by,
                        axiom.span.path if axiom.span else program.root, axiom.span.line if axiom.span else 0,
                        through)


def _lemma_use(lemma: Query, result: Result | None, claims: list[ClaimAudit], reach: _Reach) -> LemmaUse:
    """A lemma of the root file: its verdict, and the proved claims and lemmas that rest on it."""
    resting = [c for c in claims if c.cores and lemma.name in reach.reached.get(c.name, ())]
    through = tuple((c.name, reach.through(c, lemma.name)) for c in resting if reach.through(c, lemma.name))
    return LemmaUse(lemma.name, result.verdict if result else None, tuple(c.name for c in resting), through,
                    lemma.span.line if lemma.span else 0)


def _query(program: Program, name: str) -> Query:
    return next(q for q in program.queries if q.name == name)
