"""Premise sets, stage 2 of `suggest`: the worlds met so far, and what each says about a candidate.

A `World` is a model the checker reported and re-checked (a counterexample
or witness of some question about the claim's program, every axiom true in
it). It hands on, without a solver, the facts that settle a test on its own
side: a candidate true in a world where the claim fails does not prove the
claim; a candidate true in a world where the claim's hypothesis holds is
not vacuous; a candidate false in a world where the claim holds is not
implied by it. Each such fact comes from the project's evaluator, which is
three-valued: an undecided value settles nothing.

For the enumerator's clauses a world keeps, per atom, two bit masks over
every assignment of the vocabulary's variables to its elements (true at,
false at), so that a clause is judged with a few integer operations.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product

from ...logic import core
from ...logic.evaluate import evaluate, holds
from ...logic.model import Model, Value
from .vocabulary import Vocabulary

MAX_ASSIGNMENTS = 4096
"""A world with more assignments of the vocabulary's variables is judged by the evaluator only."""

Literal = tuple[int, bool]
"""An atom's number and its polarity (True: the atom, False: its negation)."""


@dataclass
class World:
    """A re-checked model of the axioms and what is known to hold in it."""

    model: Model
    claim: bool | None                  # the claim is true in it
    hypothesis_somewhere: bool | None   # some assignment of the claim's variables makes the hypothesis true
    conclusion_everywhere: bool | None  # the conclusion holds at every assignment
    origin: str = ""                    # which question found it
    domains: tuple[tuple[Value, ...], ...] | None = None
    _masks: dict[int, tuple[int, int]] = field(default_factory=dict)
    _truths: dict[str, bool | None] = field(default_factory=dict)

    @property
    def full(self) -> int:
        return (1 << self.size) - 1

    @property
    def size(self) -> int:
        count = 1
        for domain in self.domains or ():
            count *= len(domain)
        return count

    def masks(self, vocabulary: Vocabulary, number: int) -> tuple[int, int]:
        """The assignments at which the atom is true, and those at which it is false."""
        cached = self._masks.get(number)
        if cached is None:
            cached = self._masks[number] = _atom_masks(self, vocabulary, number)
        return cached

    def clause(self, vocabulary: Vocabulary, literals: Sequence[Literal]) -> bool | None:
        """The truth of `forall vars. l1 or l2 or ...` here: True, False, or None (undecided)."""
        if self.domains is None:
            return None
        true_at, false_at = 0, self.full
        for number, positive in literals:
            yes, no = self.masks(vocabulary, number)
            if not positive:
                yes, no = no, yes
            true_at |= yes
            false_at &= no
        if true_at == self.full:
            return True
        return False if false_at else None

    def falsified_at(self, vocabulary: Vocabulary, literals: Sequence[Literal],
                     prefer: Mapping[str, Value] | None = None) -> dict[str, Value] | None:
        """An assignment of the vocabulary's variables at which every literal is false, if any:
        the first that agrees with `prefer` (the claim's witness), else the first."""
        if self.domains is None:
            return None
        false_at = self.full
        for number, positive in literals:
            yes, no = self.masks(vocabulary, number)
            false_at &= no if positive else yes
        first: dict[str, Value] | None = None
        while false_at:
            index = (false_at & -false_at).bit_length() - 1
            false_at &= false_at - 1
            assignment = dict(zip((v.name for v in vocabulary.vars), _decode(index, self.domains)))
            if not prefer or all(assignment.get(k, v) == v for k, v in prefer.items()):
                return assignment
            first = first or assignment
        return first

    def truth(self, key: str, formula: core.Term) -> bool | None:
        """The truth of a closed formula here (cached by `key`), by the evaluator."""
        if key not in self._truths:
            self._truths[key] = holds(formula, self.model)
        return self._truths[key]


def world(model: Model, vocabulary: Vocabulary, claim: core.Term, origin: str) -> World:
    """A world from a re-checked model, with the claim's facts judged in it."""
    shape = vocabulary.shape
    hypothesis = shape.hypothesis
    somewhere = holds(core.Quant(core.QuantKind.EXISTS, shape.vars, hypothesis), model) \
        if hypothesis is not None and shape.vars else (holds(hypothesis, model) if hypothesis is not None else True)
    everywhere = holds(shape.closed(shape.conclusion), model)
    made = World(model, holds(claim, model), somewhere, everywhere, origin)
    made.domains = _domains(model, vocabulary)
    return made


def _domains(model: Model, vocabulary: Vocabulary) -> tuple[tuple[Value, ...], ...] | None:
    domains = []
    count = 1
    for var in vocabulary.vars:
        sort = var.sort
        elements = sort.elements if sort.is_finite else model.universe(sort.name)
        if not elements:
            return None
        domains.append(tuple(elements))
        count *= len(elements)
    return tuple(domains) if count <= MAX_ASSIGNMENTS else None


def _decode(index: int, domains: Sequence[tuple[Value, ...]]) -> list[Value]:
    """The assignment numbered `index` (the last variable varying fastest)."""
    values = []
    for domain in reversed(domains):
        index, digit = divmod(index, len(domain))
        values.append(domain[digit])
    return list(reversed(values))


def _atom_masks(world: World, vocabulary: Vocabulary, number: int) -> tuple[int, int]:
    """The atom evaluated once per assignment of its own variables, spread over all assignments."""
    atom = vocabulary.atoms[number]
    domains = world.domains
    assert domains is not None
    positions = [i for i, v in enumerate(vocabulary.vars) if any(v.uid == a.uid for a in atom.vars)]
    values: dict[tuple[Value, ...], bool | None] = {}
    for combo in product(*(domains[i] for i in positions)):
        env = {vocabulary.vars[i].uid: value for i, value in zip(positions, combo)}
        value = evaluate(atom.forms[0], world.model, env)
        values[combo] = value if isinstance(value, bool) else None
    yes = no = 0
    for index, assignment in enumerate(product(*domains)):
        value = values[tuple(assignment[i] for i in positions)]
        if value is True:
            yes |= 1 << index
        elif value is False:
            no |= 1 << index
    return yes, no
