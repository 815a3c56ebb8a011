"""Premise-set analyses, explore: the implication diagram of the nodes over a sort, discovered (LANGUAGE.md §6.3).

Stage: a typed core program in, an `exploration.Exploration` out. For the
nodes of one sort (`nodes.py`) every implication with up to `joins`
hypotheses, and every one a claim of the file states, is decided or left
honestly unknown:

1. The axioms are tested once (`asking.Asker`); if they conflict, nothing is
   decided and the conflict is the result.
2. The implication whose answer is estimated to settle the most others
   (`lattice.Knowledge.choose`) is asked, first on the exploration's one
   shared solver (`worlds.WorldSearch`: the axioms and the nodes at a
   witness translated once, each implication asked by assumptions), then,
   when that solver cannot decide it, as a synthetic claim through the
   checker. A proof becomes a rule and is closed under chaining; a
   counterexample's model (re-checked by the checker, as `check` re-checks
   its own) is a *world*: every node is evaluated at every element of the
   sort by the project's own evaluator, and every implication it falsifies
   is refuted (an undecided value is no information). An `unknown` is never
   a proof and never a refutation. Repeat while an implication is open.
3. A node that every other single node implies is asked whether it holds of
   every element (`forall x. Q(x)`), so that the minimal arrows into it are
   right.
4. Every minimal implication (and every stated one) that the checker did not
   prove itself (proved by chaining, or on the shared solver) is asked of
   the checker as a claim of its own, with all the axioms: the very
   question `check` asks of it, so its `used` (minimised) and its vacuity
   warning are `check`'s. If that does not come back proved, the
   implication stays proved, with the union of the `used` sets of the
   proofs it chains (the shared solver's unsat core) as `used` and a
   warning that it is not minimised.

Measured in bench/RESULTS.md, "explore, one shared solver (issue 13, item 2; wave 5)".
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..check.checker import CheckOptions, ProgramChecker
from ..check.results import Result, Verdict
from ..logic.core import Program
from ..logic.evaluate import evaluate
from . import order
from .asking import Asker
from .exploration import Claim, Exclusive, Exploration, Implication, Refuted, Unknown, World
from .lattice import Key, Knowledge, State, bits, mask_of, space, subsets
from .nodes import Nodes, Refused, Stated, candidates, choose, query, sorts_to_explore, stated
from .worlds import Found, WorldSearch

EVAL_STEPS = 200_000
"""The evaluator's budget for one node at one element of a world; beyond it the value is undecided."""


@dataclass(frozen=True)
class ExploreOptions:
    """What to explore (`sort`, `defs`, `joins`, `preds`, `atoms`) and how to ask (`check`, `jobs`)."""

    sort: str | None = None
    defs: tuple[str, ...] | None = None
    joins: int = 2
    preds: bool = False
    atoms: bool = False
    check: CheckOptions = field(default_factory=CheckOptions)
    jobs: int = 1


def explore_programs(programs: Sequence[Program], options: ExploreOptions) -> list[Exploration]:
    """An exploration per program and sort: the sort asked for (in the programs that declare it), else
    every sort with two nodes or more. Raises `Refused` when a sort or definition asked for is in none."""
    out: list[Exploration] = []
    refusals: list[str] = []
    for program in programs:
        names = [options.sort] if options.sort else _sorts_named(program, options)
        if not names and options.defs:
            refusals.append(f"{', '.join(options.defs)}: not a unary definition or predicate over any "
                            f"sort of {program.root}")
        for name in names:
            try:
                nodes = choose(program, name, options.defs, options.preds, options.atoms)
            except Refused as why:
                refusals.append(str(why))
                continue
            out.append(explore(program, nodes, options))
    if refusals and not out:
        raise Refused(refusals[0])
    return out


def _sorts_named(program: Program, options: ExploreOptions) -> list[str]:
    """The sorts to explore when no `--sort` is given: every sort with two nodes or more, or, with
    `--defs`, every sort that one of the names is a node over (a predicate counts without `--preds`)."""
    if not options.defs:
        return [s.name for s in sorts_to_explore(program, options.preds, options.atoms)]
    wanted = set(options.defs)
    return [s.name for s in program.sorts if not s.builtin
            and wanted & {n.name for n in candidates(program, s, True, options.atoms)}]


def explore(program: Program, nodes: Nodes, options: ExploreOptions) -> Exploration:
    """Decide the implications between `nodes` in `program` (see the module docstring)."""
    asker = Asker(program, options.check, options.jobs)
    try:
        return _Explorer(program, nodes, options, asker).run()
    finally:
        asker.close()


@dataclass(frozen=True)
class _Type:
    """One element of one world: the nodes true there and those false there, as masks."""

    true: int
    false: int
    world: int
    element: str


class _Explorer:
    def __init__(self, program: Program, nodes: Nodes, options: ExploreOptions, asker: Asker):
        self.program = program
        self.nodes = nodes
        self.options = options
        self.asker = asker
        self.started = time.perf_counter()
        self.search: WorldSearch | None = None
        self.stated, self.not_matched = stated(program, nodes)
        self.claimed: dict[Key, Stated] = {}
        for s in self.stated:
            self.claimed.setdefault((mask_of(s.hypotheses), s.conclusion), s)
        n = len(nodes.nodes)
        wide = [k for k in self.claimed if bin(k[0]).count("1") > options.joins]
        self.knowledge = Knowledge(n, space(n, options.joins, wide))
        self.answers: dict[Key, Result] = {}      # the checker's proofs (asked directly, or re-proved)
        self.worlds: list[World] = []
        self.types: list[_Type] = []
        self.warnings: list[str] = []
        self.number = 0
        self.consistency_warning: tuple[str, ...] = ()

    # ------------------------------------------------------------ the whole exploration

    def run(self) -> Exploration:
        consistency = self.asker.consistency()
        if consistency.conflict:
            outcome = ProgramChecker(self.program, self.options.check).settle(consistency, [])
            return self._record(inconsistent=consistency.conflict, diagnostic=outcome.inconsistency)
        if consistency.warning:
            self.warnings.append(consistency.warning)
            self.consistency_warning = (consistency.warning,)
        if self.options.check.backend == "z3":
            self.search = WorldSearch(self.program, self.nodes, self.options.check)
        while True:
            batch = self.knowledge.choose(self.options.jobs)
            if not batch:
                break
            self._ask(batch)
        self._universal()
        minimal = [m for m in order.minimal(self.knowledge) if not self.knowledge.excluded(m.key[0])]
        exclusions = self._exclusions()
        wanted = [m.key for m in minimal] + [k for k in self.claimed if k not in {m.key for m in minimal}]
        self._reprove([k for k in wanted if self.knowledge.state.get(k) is State.PROVED and k not in self.answers]
                      + [k for k in exclusions if k not in self.answers])
        return self._record(minimal=minimal, exclusions=exclusions)

    def _exclusions(self) -> list[Key]:
        """The hypotheses (of the space's implications) proved never to hold together, no part of them
        either, each as the key `(mask, no node)`."""
        bottom = len(self.nodes.nodes)
        masks = sorted({m for m, _ in self.knowledge.keys if m}, key=lambda m: (bin(m).count("1"), bits(m)))
        found = [m for m in masks if self.knowledge.excluded(m)]
        return [(m, bottom) for m in found if not any(o != m and o & m == o for o in found)]

    # ------------------------------------------------------------ asking

    def _queries(self, keys: Sequence[Key], guess: bool = False):
        """The synthetic claims for `keys`. With `guess`, each expects the answer it is likely to get
        (`Knowledge.likely_proved`): the checker then looks for a small counterexample first when one is
        likely, for a proof first otherwise. The verdict is the same either way (LANGUAGE.md §4)."""
        out = []
        for key in keys:
            self.number += 1
            claim = query(self.nodes, bits(key[0]), key[1], self.number, self.program.root)
            if guess and self.knowledge.likely_proved(key) < 0.5:
                claim = replace(claim, expect="counterexample")
            out.append(claim)
        return out

    def _ask(self, keys: Sequence[Key]) -> None:
        """Each implication is asked on the shared solver first (`worlds.py`); those it cannot decide
        are asked of the checker."""
        left = []
        for key, claim in zip(keys, self._queries(keys, guess=True)):
            found = self.search.ask(key, claim, key[0] in self.knowledge.seen) if self.search else Found()
            if found.result is not None:
                self._take(key, found.result, last_word=False)
                if self.knowledge.undecided(key):  # the world does not refute it where its nodes are evaluated
                    left.append((key, claim))
            elif found.rule is not None:
                self.knowledge.record_answer(key, True)
                self.knowledge.prove(found.rule, found.used)
            else:
                left.append((key, claim))
        for (key, _), result in zip(left, self.asker.ask([claim for _, claim in left])):
            self._take(key, result)

    def _take(self, key: Key, result: Result, last_word: bool = True) -> None:
        """What one answer of the checker (asked with all the axioms), or a world of the shared solver
        (not `last_word`: if it does not refute `key`, the checker is asked next), tells."""
        if result.verdict is Verdict.PROVED:
            self.knowledge.record_answer(key, True)
            self.answers[key] = result
            self.knowledge.prove(key, result.used or ())
            if any(w.startswith("vacuous") for w in result.warnings):
                self._exclude(key[0])
            return
        if result.verdict is Verdict.COUNTEREXAMPLE and result.model is not None:
            self.knowledge.record_answer(key, False)
            self._world(key, result)
            if last_word and self.knowledge.undecided(key):
                self.knowledge.give_up(key, "the checker's counterexample does not refute it when its nodes "
                                            "are evaluated at the elements of the world")
            return
        self.knowledge.give_up(key, result.reason or f"the checker's verdict: {result.verdict.value}")

    def _world(self, key: Key, result: Result) -> None:
        """Evaluate every node at every element of the counterexample's model; refute what it falsifies."""
        model = result.model
        assert model is not None
        index = len(self.worlds)
        rows = []
        settled = 0
        var = self.nodes.var
        for element in model.universe(self.nodes.sort.name) or ():
            row = tuple(_truth(evaluate(n.formula, model, {var.uid: element}, max_steps=EVAL_STEPS))
                        for n in self.nodes.nodes)
            rows.append((element, row))
            kind = _Type(mask_of(i for i, v in enumerate(row) if v is True),
                         mask_of(i for i, v in enumerate(row) if v is False), index, element)
            self.types.append(kind)
            self.knowledge.observe(kind.true)
            settled += len(self.knowledge.refute(kind.true, kind.false, index, element))
        names = self.nodes.names()
        asked = (tuple(names[i] for i in bits(key[0])), names[key[1]])
        self.worlds.append(World(f"w{index + 1}", asked, result, self.nodes.sort.name, tuple(names),
                                 tuple(rows), settled))

    def _exclude(self, mask: int) -> None:
        """The checker found that the hypotheses `mask` never hold together (a vacuous proof): ask which
        of its parts never hold together, smallest first among those no world has shown holding, as a
        claim `forall x. ... -> false`. Its proof proves every implication from them at once."""
        bottom = len(self.nodes.nodes)
        for part in sorted(subsets(mask, bin(mask).count("1")), key=lambda m: (bin(m).count("1"), m)):
            if self.knowledge.excluded(part):
                return
            if self.knowledge.seen.get(part, 0):
                continue
            (result,) = self.asker.ask(self._queries([(part, bottom)]))
            if result.verdict is Verdict.PROVED:
                self.answers[(part, bottom)] = result
                self.knowledge.prove((part, bottom), result.used or ())
                return

    def _universal(self) -> None:
        """For each node that every other node implies on its own: does it hold of every element?"""
        n = len(self.nodes.nodes)
        state = self.knowledge.state
        keys = [(0, q) for q in range(n)
                if n > 1 and all(state.get((1 << p, q)) is State.PROVED for p in range(n) if p != q)]
        fresh = [k for k in keys if self.knowledge.add(k)]
        for kind in self.types:
            self.knowledge.refute(kind.true, kind.false, kind.world, kind.element)
        self._ask([k for k in fresh if self.knowledge.state[k] is State.OPEN])

    def _reprove(self, keys: Sequence[Key]) -> None:
        """The implications proved by chaining or on the shared solver, proved again by the checker for
        `check`'s `used` (module docstring, step 4)."""
        for key, result in zip(keys, self.asker.ask(self._queries(keys))):
            if result.verdict is Verdict.PROVED:
                self.answers[key] = result
            elif result.verdict is Verdict.COUNTEREXAMPLE:
                self.warnings.append(f"{self._text(key)} follows from proved implications, but the checker "
                                     "found a counterexample to it")

    # ------------------------------------------------------------ the record

    def _names(self, key: Key) -> tuple[tuple[str, ...], str]:
        names = self.nodes.names() + ["false"]
        return tuple(names[i] for i in bits(key[0])), names[key[1]]

    def _text(self, key: Key) -> str:
        hyps, then = self._names(key)
        return f"{' and '.join(hyps) or 'true'} -> {then}"

    def _used(self, key: Key) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The `used` of a proved implication and its warnings (the checker's, or why it is the union)."""
        result = self.answers.get(key)
        if result is not None:
            return tuple(result.used or ()), tuple(result.warnings)
        proof = self.knowledge.proofs.get(key)
        if proof is None:  # hypotheses that never hold together, by chaining
            union, rules = self.knowledge.closure(key[0])[1][key[1]]
        else:
            union, rules = proof.used, proof.rules
        in_order = tuple(a.name for a in self.program.axioms if a.name in union)
        if rules == (key,):
            why = ("proved on the exploration's shared solver; the checker did not prove it again, so `used` is "
                   "that solver's unsat core and may not be minimal")
        else:
            why = (f"proved by chaining {'; '.join(self._text(k) for k in rules)}; the checker did not prove it "
                   "again, so `used` is the union of theirs and may not be minimal")
        return in_order, (why,) + self.consistency_warning

    def _implication(self, key: Key, below: Sequence[Key] = ()) -> Implication:
        hyps, then = self._names(key)
        used, warnings = self._used(key)
        if below:
            warnings += (f"minimal only if {', '.join(self._text(k) for k in below)} fails (unknown)",)
        claim = self.claimed.get(key)
        return Implication(hyps, then, used, claim.claim if claim else None, claim.expected if claim else None,
                           not self.knowledge.proofs[key].direct, warnings)

    def _record(self, minimal: Sequence[order.Minimal] = (), exclusions: Sequence[Key] = (),
                inconsistent: tuple[str, ...] = (), diagnostic=None) -> Exploration:
        knowledge = self.knowledge
        names = self.nodes.names()
        arrows = tuple(self._implication(m.key, m.undecided_below) for m in minimal)
        groups = order.classes(knowledge) if not inconsistent else [[i] for i in range(len(names))]
        diagram = tuple(self._class_arrow(a, groups) for a in order.hasse(groups, [m.key for m in minimal]))
        conflicts = [f"the checker proved {self._text(k)}, but world "
                     f"w{knowledge.refutations[k].world + 1 if k in knowledge.refutations else '?'} refutes it"
                     for k in knowledge.conflicts]
        return Exploration(
            file=self.program.root, sort=self.nodes.sort.name, definitions=tuple(names),
            kinds=tuple(n.kind for n in self.nodes.nodes), joins=self.options.joins,
            implications=arrows, exclusive=tuple(self._exclusive(k) for k in exclusions),
            equivalences=tuple(tuple(names[i] for i in g) for g in groups if len(g) > 1),
            diagram=diagram, refuted=tuple(self._refuted(k) for k in knowledge.keys
                                           if knowledge.state[k] is State.REFUTED),
            unknown=tuple(self._unknown(k) for k in knowledge.keys if knowledge.undecided(k) and not inconsistent),
            worlds=tuple(self.worlds), claims=tuple(self._claim(s) for s in self.stated) if not inconsistent else (),
            not_matched=tuple(self.not_matched), queries=self._queries_asked(), decided=knowledge.decided(),
            total=len(knowledge.keys), seconds=time.perf_counter() - self.started,
            warnings=tuple(self.warnings + conflicts), inconsistent=inconsistent, diagnostic=diagnostic)

    def _queries_asked(self) -> int:
        """The checker's queries, and the shared solver's (one per implication asked of it)."""
        return self.asker.queries + (self.search.queries if self.search else 0)

    def _class_arrow(self, arrow: order.ClassArrow, groups: Sequence[Sequence[int]]) -> Implication:
        names = self.nodes.names()
        full = self._implication(arrow.key)
        return Implication(tuple(names[groups[c][0]] for c in arrow.sources), names[groups[arrow.target][0]],
                           full.used, full.stated, full.expected, full.derived, full.warnings)

    def _exclusive(self, key: Key) -> Exclusive:
        used, warnings = self._used(key)
        return Exclusive(self._names(key)[0], used, warnings)

    def _refuted(self, key: Key) -> Refuted:
        hyps, then = self._names(key)
        where = self.knowledge.refutations[key]
        claim = self.claimed.get(key)
        return Refuted(hyps, then, self.worlds[where.world].name, where.element,
                       claim.claim if claim else None, claim.expected if claim else None)

    def _unknown(self, key: Key) -> Unknown:
        hyps, then = self._names(key)
        claim = self.claimed.get(key)
        reason = self.knowledge.reasons.get(key, "not asked")
        return Unknown(hyps, then, reason, claim.claim if claim else None)

    def _claim(self, s: Stated) -> Claim:
        key = (mask_of(s.hypotheses), s.conclusion)
        hyps, then = self._names(key)
        state = self.knowledge.state[key]
        if state is State.PROVED:
            return Claim(s.claim, hyps, then, s.expected, "proved", used=self._used(key)[0])
        if state is State.REFUTED:
            world = self.worlds[self.knowledge.refutations[key].world].name
            return Claim(s.claim, hyps, then, s.expected, "counterexample", world=world)
        return Claim(s.claim, hyps, then, s.expected, "unknown")


def _truth(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


__all__ = ["ExploreOptions", "Refused", "explore", "explore_programs"]
