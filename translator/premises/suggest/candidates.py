"""Premise sets, stage 3 of `suggest`: candidate premises, from the enumerator and from abducts.

It takes a `Vocabulary` and the worlds met so far and hands on `Candidate`s:
closed core formulas (definitions kept, ready to print), each with its size
(the atoms it has) and, for the enumerator's, the clause of literals it is
made of, so that a world judges it with bit masks.

- `clauses`: every clause `forall vars. L1 or ... or Lk` of k <= `max_size`
  literals over the vocabulary's atoms (at most one of tier 1), small ones
  first; a partial clause already true throughout a counterexample of the
  claim is not extended (each extension would be true there too, so it
  could not prove the claim). A clause is printed as the implication a
  person would write: the negated literals as hypotheses, a positive one
  (from the claim's conclusion, if any) as the conclusion.
- `generalisations`: a clause with terms of the claim replaced by the
  parameters of their sorts (at most one term per sort), fewest
  replacements first: stronger than the clause, and how a restatement of the
  claim becomes a premise that says more than the claim.
- `from_abduct`: cvc5's abduct A(w) over the claim's witness constants, read
  back as `forall vars. H -> A` (and `forall vars. A`).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import product

from ...logic import core
from ...logic.expand import TooLarge
from ...logic.walk import Mapper, Visit
from .vocabulary import Vocabulary, is_atom, meaning
from .worlds import Literal, World


@dataclass(frozen=True)
class Candidate:
    """A closed formula proposed as a premise, and where it came from."""

    formula: core.Term
    key: str                                  # its meaning: equal keys, the same premise
    size: int
    source: str                               # "enumerator" | "cvc5"
    literals: tuple[Literal, ...] | None = None
    base: tuple[Literal, ...] | None = None   # a generalisation: the clause it generalises
    replaced: int = 0                         # a generalisation: how many terms became parameters

    def truth(self, world: World, vocabulary: Vocabulary) -> bool | None:
        """True, False or None (undecided) in `world`."""
        if self.literals is not None and world.domains is not None:
            return world.clause(vocabulary, self.literals)
        return world.truth(self.key, self.formula)


# ---------------------------------------------------------------- clauses as formulas

def clause_candidate(vocabulary: Vocabulary, literals: Sequence[Literal], base: Sequence[Literal] | None = None,
                     replaced: int = 0) -> Candidate | None:
    """The clause as a closed implication, or None if it cannot be built."""
    ordered = _oriented(vocabulary, literals)
    *hypotheses, last = ordered
    conclusion = _literal(vocabulary, last)
    parts = [_literal(vocabulary, (n, not p)) for n, p in hypotheses]
    body = conclusion if not parts else core.Implies(parts[0] if len(parts) == 1 else core.And(tuple(parts)),
                                                     conclusion)
    mentioned = {v.uid for n, _ in literals for v in vocabulary.atoms[n].vars}
    vars = tuple(v for v in vocabulary.vars if v.uid in mentioned)
    formula = core.Quant(core.QuantKind.FORALL, vars, body) if vars else body
    try:
        key = meaning(formula, vocabulary.fresh)
    except TooLarge:
        return None
    return Candidate(formula, key, len(literals), "enumerator", tuple(sorted(literals)),
                     tuple(sorted(base)) if base is not None else None, replaced)


def _oriented(vocabulary: Vocabulary, literals: Sequence[Literal]) -> list[Literal]:
    """The literals in printing order: the conclusion last, a positive literal if there is one
    (one met in the claim's conclusion first), and atoms in the vocabulary's order."""
    ordered = sorted(literals)
    positive = [lit for lit in ordered if lit[1]]
    if not positive:
        return ordered
    chosen = next((lit for lit in reversed(positive) if vocabulary.atoms[lit[0]].conclusion), positive[-1])
    return [lit for lit in ordered if lit != chosen] + [chosen]


def _literal(vocabulary: Vocabulary, literal: Literal) -> core.Term:
    number, positive = literal
    atom = vocabulary.atoms[number].forms[0]
    return atom if positive else core.Not(atom)


# ---------------------------------------------------------------- the enumerator

def clauses(vocabulary: Vocabulary, counterexamples: Sequence[World], max_size: int) -> Iterator[tuple[Literal, ...]]:
    """Every clause of 1..max_size literals on distinct atoms (at most one of tier 1), smaller
    first, then by atom order, the polarity of a hypothesis (negated) or a conclusion (as is)
    first; never one that is true throughout a counterexample of the claim given then."""
    atoms = list(vocabulary.atoms)  # those of the vocabulary as built, not the generalised ones added later
    natural = [(i, a.conclusion) for i, a in enumerate(atoms)]
    choices = [[(i, natural_polarity), (i, not natural_polarity)] for i, natural_polarity in natural]
    for size in range(1, max_size + 1):
        # an explicit stack of partial clauses: (next atom to consider, literals so far)
        stack: list[tuple[int, tuple[Literal, ...]]] = [(0, ())]
        while stack:
            start, partial = stack.pop()
            if len(partial) == size:
                if vocabulary.linked([n for n, _ in partial]):
                    yield partial
                continue
            branches = []
            for index in range(start, len(atoms) - (size - len(partial)) + 1):
                if atoms[index].tier and any(atoms[n].tier for n, _ in partial):
                    continue
                for literal in choices[index]:
                    extended = partial + (literal,)
                    if not _true_in_some(vocabulary, counterexamples, extended):
                        branches.append((index + 1, extended))
            stack.extend(reversed(branches))


def hypothesis_literals(vocabulary: Vocabulary) -> set[Literal]:
    """The literals the claim's hypothesis asserts of its own variables (its conjuncts that are atoms)."""
    found = set()
    for term in vocabulary.shape.hypotheses:
        positive = True
        if isinstance(term, core.Not):
            term, positive = term.arg, False
        number = vocabulary.intern(term, 0) if is_atom(term) else None
        if number is not None:
            found.add((number, positive))
    return found


def _true_in_some(vocabulary: Vocabulary, worlds: Sequence[World], literals: Sequence[Literal]) -> bool:
    return any(w.clause(vocabulary, literals) is True for w in worlds)


def generalisations(vocabulary: Vocabulary, literals: Sequence[Literal]) -> Iterator[Candidate]:
    """The clause with terms replaced by parameters (one term per sort at most), fewest first.
    A term is replaced only where it links two literals or more, and every parameter must do so
    after the replacement (`Vocabulary.linked`)."""
    numbers = [n for n, _ in literals]
    options = vocabulary.replaceable(numbers, shared=2)
    sorts = list(options)
    seen: set[tuple[Literal, ...]] = {tuple(sorted(literals))}
    ranked: list[tuple[int, int, dict[core.Sort, core.Term]]] = []
    for picks in product(*([None, *options[s]] for s in sorts)):
        sigma = {s: t for s, t in zip(sorts, picks) if t is not None}
        if sigma:
            ranked.append((len(sigma), len(ranked), sigma))
    for count, _, sigma in sorted(ranked, key=lambda r: (r[0], r[1])):
        made = _generalised(vocabulary, literals, sigma)
        if made is None or tuple(sorted(made)) in seen or not vocabulary.linked([n for n, _ in made]):
            continue
        seen.add(tuple(sorted(made)))
        candidate = clause_candidate(vocabulary, made, literals, count)
        if candidate is not None:
            yield candidate


def _generalised(vocabulary: Vocabulary, literals: Sequence[Literal],
                 sigma: Mapping[core.Sort, core.Term]) -> list[Literal] | None:
    made: list[Literal] = []
    for number, positive in literals:
        general = vocabulary.generalise(number, sigma)
        if general is None:
            return None
        if any(n == general for n, _ in made):
            return None  # two literals on one atom: a tautology or a repeat
        made.append((general, positive))
    return made


def claim_clause(vocabulary: Vocabulary) -> tuple[Literal, ...] | None:
    """The claim itself as a clause of the vocabulary's atoms (hypotheses negated), if it is one."""
    shape = vocabulary.shape
    literals: list[Literal] = []
    parts = [(h, False) for h in shape.hypotheses] + [(shape.conclusion, True)]
    for term, positive in parts:
        if isinstance(term, core.Not):
            term, positive = term.arg, not positive
        if not is_atom(term):
            return None
        number = vocabulary.intern(term, 0, positive)
        if number is None or any(n == number for n, _ in literals):
            return None
        literals.append((number, positive))
    return tuple(literals)


# ---------------------------------------------------------------- abducts

def from_abduct(vocabulary: Vocabulary, abduct: core.Term, witnesses: Sequence[core.Symbol]) -> list[Candidate]:
    """An abduct over the witness constants, generalised back over the claim's variables:
    `forall vars. H -> A`, then the stronger `forall vars. A` (just `A` with no hypothesis)."""
    shape = vocabulary.shape
    back = _Unground({w.name: v for w, v in zip(witnesses, shape.vars)}).visit(abduct)
    hypothesis = shape.hypothesis
    bodies = [core.Implies(hypothesis, back), back] if hypothesis is not None else [back]
    made = []
    for body in bodies:
        formula = shape.closed(body)
        try:
            made.append(Candidate(formula, meaning(formula, vocabulary.fresh), _atoms_in(body), "cvc5"))
        except TooLarge:
            continue
    return made


def _atoms_in(term: core.Term) -> int:
    """How many atoms a formula has outside its definitions' bodies (its size, as a clause's)."""
    connectives = (core.Not, core.And, core.Or, core.Implies, core.Iff, core.Quant)
    return sum(1 for node in core.walk(term) if node.sort.is_bool and not isinstance(node, connectives))


class _Unground(Mapper):
    """Each witness constant replaced by the variable it stands for."""

    def __init__(self, variables: Mapping[str, core.Var]):
        self.variables = variables

    def visit_App(self, node: core.App, env: None) -> Visit:
        if node.symbol.kind is core.SymbolKind.WITNESS and node.symbol.name in self.variables:
            return self.variables[node.symbol.name]
        args = []
        for arg in node.args:
            args.append((yield arg))
        return core.App(node.symbol, tuple(args), node.span)
