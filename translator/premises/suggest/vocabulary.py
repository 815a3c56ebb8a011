"""Premise sets, stage 1 of `suggest`: the vocabulary a claim reaches, as atoms over its variables.

It takes a program and one claim (core terms, definitions kept) and hands on
a `Vocabulary`: the claim's outer variables, one extra parameter of each
uninterpreted or finite sort in play, and numbered `Atom`s, each a Boolean
term over those variables:

- tier 0, the claim's own: every definition call, predicate and comparison
  met while unfolding the claim's hypotheses and conclusion level by level,
  with the variables of an inner quantifier read as the parameter of their
  sort; and equalities between two terms of the claim of one sort (the
  bridge an implication between two definitions often needs);
- tier 1, the vocabulary's: each definition and predicate the claim reaches
  applied to terms of the claim.

Atoms that unfold to the same formula are one atom with several forms (the
shallowest first, the one printed), so `impact_aligned(a)` and
`impact_aligned_with(a, humans)` are counted once. `generalise` replaces
terms of an atom by parameters (in the form that shows them), which is how
a restatement of the claim becomes a premise that quantifies over more. No
pass here recurses on a term's depth.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import product

from ...check.records import normalise, reached_definitions
from ...logic import core
from ...logic.expand import TooLarge, expand, expand_builtin, substitute, unfold
from ...logic.shapes import claim_parts, outer_vars, reveal
from ...logic.walk import Mapper, Visit

MAX_TIER0 = 24
"""At most this many atoms of the claim's own (the first met, shallowest first)."""

MAX_TIER1 = 48
"""At most this many atoms of the vocabulary beyond the claim's own."""

MAX_TERMS_PER_SORT = 8
"""Terms of one sort that tier-1 atoms and equalities are built from."""


@dataclass(frozen=True)
class Atom:
    """A Boolean term over the vocabulary's variables, with every form met that unfolds alike."""

    key: str                          # the normalised expansion: equal keys, equal meaning
    forms: tuple[core.Term, ...]      # shallowest first; forms[0] is printed
    vars: tuple[core.Var, ...]        # the vocabulary's variables it mentions, in their order
    tier: int                         # 0: the claim's own; 1: the vocabulary's
    conclusion: bool = False          # met in the claim's conclusion (it is printed last in a clause)


@dataclass(frozen=True)
class Shape:
    """The claim read as `forall vars. hypotheses -> conclusion` (definitions kept)."""

    vars: tuple[core.Var, ...]
    hypotheses: tuple[core.Term, ...]
    conclusion: core.Term

    @property
    def hypothesis(self) -> core.Term | None:
        if not self.hypotheses:
            return None
        return self.hypotheses[0] if len(self.hypotheses) == 1 else core.And(self.hypotheses)

    def body(self) -> core.Term:
        hypothesis = self.hypothesis
        return self.conclusion if hypothesis is None else core.Implies(hypothesis, self.conclusion)

    def closed(self, body: core.Term) -> core.Term:
        """`forall vars. body` (just `body` without variables)."""
        return core.Quant(core.QuantKind.FORALL, self.vars, body) if self.vars else body


def shape_of(query: core.Query, fresh: Callable[[], int]) -> Shape:
    """The claim's outer variables, hypotheses (conjuncts split) and conclusion."""
    vars, body = outer_vars(query.formula, core.QuantKind.FORALL, fresh)
    hypotheses, conclusion = claim_parts(reveal(body, fresh))
    return Shape(vars, tuple(hypotheses), conclusion)


def is_atom(term: core.Term) -> bool:
    """Whether a formula is an atom of a clause: a definition call, a predicate, a built-in or a
    comparison, not a connective or a quantifier."""
    if isinstance(term, (core.Eq, core.Compare)) and term.lhs == term.rhs:
        return False  # `t = t`, `t <= t`: decided by itself, no premise
    if isinstance(term, core.Eq):
        return not term.lhs.sort.is_bool
    return isinstance(term, (core.DefCall, core.App, core.Compare, core.BuiltinCall)) and term.sort.is_bool


def meaning(term: core.Term, fresh: Callable[[], int]) -> str:
    """A key equal for two terms exactly when their expansions are equal up to bound names."""
    return json.dumps(normalise(expand(term, fresh)), separators=(",", ":"))


@dataclass
class Vocabulary:
    """The claim's variables and parameters, and the atoms over them (see the module's docstring)."""

    program: core.Program
    shape: Shape
    fresh: Callable[[], int]
    params: dict[core.Sort, core.Var] = field(default_factory=dict)
    atoms: list[Atom] = field(default_factory=list)
    terms: dict[core.Sort, list[core.Term]] = field(default_factory=dict)  # the claim's, per sort
    _index: dict[str, int] = field(default_factory=dict)
    _generalised: dict[tuple[int, tuple[tuple[str, int], ...]], int | None] = field(default_factory=dict)

    def linked(self, numbers: Sequence[int]) -> bool:
        """Whether each parameter the atoms mention occurs in two of them or more. For a claim
        with variables, a parameter in one literal alone makes it say something of every element
        (`p(a) -> q(a, o)` for every `o`) or of some (`not q(a, o) -> p(a)`) beside the claim's
        own, seldom what a premise means; a claim without variables speaks of everything anyway
        (`forall s: S. seen(s)`), so there a parameter may stand alone."""
        if not self.shape.vars:
            return True
        counts: dict[int, int] = {}
        for number in numbers:
            for var in self.atoms[number].vars:
                counts[var.uid] = counts.get(var.uid, 0) + 1
        return all(counts.get(p.uid, 0) != 1 for p in self.params.values())

    @property
    def vars(self) -> tuple[core.Var, ...]:
        """Every variable an atom may mention: the claim's, then the parameters."""
        return self.shape.vars + tuple(self.params.values())

    # ------------------------------------------------------------ atoms

    def intern(self, term: core.Term, tier: int, conclusion: bool = False) -> int | None:
        """The number of the atom `term` is a form of (added if new); None if it cannot be one."""
        allowed = {v.uid for v in self.vars}
        mentioned = _vars_of(term)
        if any(v.uid not in allowed for v in mentioned):
            return None
        try:
            key = meaning(term, self.fresh)
        except TooLarge:
            return None
        number = self._index.get(key)
        if number is None:
            order = {v.uid: i for i, v in enumerate(self.vars)}
            vars = tuple(sorted({v.uid: v for v in mentioned}.values(), key=lambda v: order[v.uid]))
            number = self._index[key] = len(self.atoms)
            self.atoms.append(Atom(key, (term,), vars, tier, conclusion))
            return number
        atom = self.atoms[number]
        if term not in atom.forms:
            self.atoms[number] = Atom(atom.key, atom.forms + (term,), atom.vars, atom.tier,
                                      atom.conclusion or conclusion)
        return number

    def generalise(self, number: int, sigma: Mapping[core.Sort, core.Term]) -> int | None:
        """The atom with each term of `sigma` replaced by the parameter of its sort, in the form
        that shows most of them (the atom itself when no form shows any)."""
        cache_key = (number, tuple(sorted((s.name, id(t)) for s, t in sigma.items())))
        if cache_key in self._generalised:
            return self._generalised[cache_key]
        atom = self.atoms[number]
        replacements = {t: self.params[s] for s, t in sigma.items()}
        best, shown = atom.forms[0], 0
        for form in atom.forms:
            count = sum(1 for t in replacements if _occurs(t, form))
            if count > shown:
                best, shown = form, count
        result: int | None = number
        if shown:
            result = self.intern(_Replace(replacements).visit(best), atom.tier, atom.conclusion)
        self._generalised[cache_key] = result
        return result

    def replaceable(self, numbers: Sequence[int], shared: int = 1) -> dict[core.Sort, list[core.Term]]:
        """The terms of the atoms' forms that a parameter may stand for, per sort (no variables),
        that occur in the forms of at least `shared` of the atoms."""
        found: dict[core.Sort, dict[core.Term, set[int]]] = {}
        for position, number in enumerate(numbers):
            for form in self.atoms[number].forms:
                for term in _subterms(form):
                    if term.sort in self.params and not isinstance(term, core.Var):
                        found.setdefault(term.sort, {}).setdefault(term, set()).add(position)
        return {sort: [t for t, where in terms.items() if len(where) >= shared] for sort, terms in found.items()}


def build(program: core.Program, query: core.Query, fresh: Callable[[], int]) -> Vocabulary:
    """The vocabulary of `query` (a claim of `program`): its atoms of tier 0, then of tier 1."""
    shape = shape_of(query, fresh)
    vocabulary = Vocabulary(program, shape, fresh)
    taken = {v.name for v in shape.vars} | _declared_names(program)
    for sort in _sorts_in_play(shape, query):
        vocabulary.params[sort] = core.Var(_param_name(sort, taken), sort, fresh())
    _claim_atoms(vocabulary)
    _equalities(vocabulary)
    _vocabulary_atoms(vocabulary, query)
    return vocabulary


# ---------------------------------------------------------------- tier 0: the claim's own

def _claim_atoms(vocabulary: Vocabulary) -> None:
    """Every atom met while unfolding the hypotheses, then the conclusion, level by level."""
    shape = vocabulary.shape
    parts = [(h, False) for h in shape.hypotheses] + [(shape.conclusion, True)]
    for part, conclusion in parts:
        queue: list[tuple[core.Term, dict[int, core.Term]]] = [(part, {})]
        while queue and _tier0(vocabulary) < MAX_TIER0:
            node, env = queue.pop(0)
            queue.extend(_visit(vocabulary, node, env, conclusion))


def _tier0(vocabulary: Vocabulary) -> int:
    return sum(1 for a in vocabulary.atoms if a.tier == 0)


def _visit(vocabulary: Vocabulary, node: core.Term, env: dict[int, core.Term],
           conclusion: bool) -> Iterator[tuple[core.Term, dict[int, core.Term]]]:
    """Record `node` if it is an atom; yield what to look at next (breadth first: shallow atoms first)."""
    if isinstance(node, (core.Not, core.And, core.Or, core.Implies, core.Iff)):
        for child in core.children(node):
            yield child, env
        return
    if isinstance(node, core.Quant):
        yield node.body, _bind(vocabulary, node.vars, env)
        return
    if isinstance(node, core.Ite) and node.sort.is_bool:
        for child in core.children(node):
            yield child, env
        return
    if node.sort.is_bool and isinstance(node, (core.DefCall, core.App, core.Eq, core.Compare, core.BuiltinCall)):
        atom = substitute(node, env)
        if is_atom(atom):
            vocabulary.intern(atom, 0, conclusion)
            _note_terms(vocabulary, atom)
        if isinstance(node, core.DefCall):
            yield unfold(node, vocabulary.fresh), env
        elif isinstance(node, core.BuiltinCall):
            yield expand_builtin(node, vocabulary.fresh), env
        elif isinstance(node, core.Eq) and node.lhs.sort.is_bool:
            yield node.lhs, env
            yield node.rhs, env


def _bind(vocabulary: Vocabulary, vars: Sequence[core.Var], env: dict[int, core.Term]) -> dict[int, core.Term]:
    """`env` with each bound variable read as the parameter of its sort (one per sort, not yet used)."""
    inner = dict(env)
    used = {id(t) for t in env.values()}
    for var in vars:
        param = vocabulary.params.get(var.sort)
        if param is not None and id(param) not in used:
            inner[var.uid] = param
            used.add(id(param))
    return inner


def _note_terms(vocabulary: Vocabulary, atom: core.Term) -> None:
    """Remember the claim's terms of each sort in play (not the parameters)."""
    params = {p.uid for p in vocabulary.params.values()}
    for term in _subterms(atom):
        if term.sort not in vocabulary.params or any(v.uid in params for v in _vars_of(term)):
            continue
        known = vocabulary.terms.setdefault(term.sort, [])
        if term not in known and len(known) < MAX_TERMS_PER_SORT:
            known.append(term)


def _equalities(vocabulary: Vocabulary) -> None:
    """`s = t` for two terms of the claim of one uninterpreted sort (not two distinct elements)."""
    for sort, terms in vocabulary.terms.items():
        if not sort.is_uninterpreted:
            continue
        for i, left in enumerate(terms):
            for right in terms[i + 1:]:
                vocabulary.intern(core.Eq(left, right), 0)


# ---------------------------------------------------------------- tier 1: the vocabulary's

def _vocabulary_atoms(vocabulary: Vocabulary, query: core.Query) -> None:
    """Each predicate and definition the claim reaches, applied to the claim's terms."""
    program = vocabulary.program
    reached = reached_definitions([query.formula])
    heads: list[tuple[Callable[[tuple[core.Term, ...]], core.Term], tuple[core.Sort, ...]]] = []
    for defn in program.definitions:
        if defn.name in reached and defn.params and defn.sort.is_bool:
            heads.append((partial(_call, defn), tuple(p.sort for p in defn.params)))
    for symbol in core.symbols_of(query.formula):
        if symbol.kind is core.SymbolKind.PRED and symbol.args:
            heads.append((partial(_apply, symbol), symbol.args))
    pools = _pools(vocabulary)
    added = 0
    for make, sorts in heads:
        if any(s not in pools for s in sorts):
            continue
        for args in product(*(pools[s] for s in sorts)):
            if added >= MAX_TIER1:
                return
            before = len(vocabulary.atoms)
            vocabulary.intern(make(tuple(args)), 1)
            added += len(vocabulary.atoms) - before


def _call(defn: core.Definition, args: tuple[core.Term, ...]) -> core.Term:
    return core.DefCall(defn, args)


def _apply(symbol: core.Symbol, args: tuple[core.Term, ...]) -> core.Term:
    return core.App(symbol, args)


def _pools(vocabulary: Vocabulary) -> dict[core.Sort, list[core.Term]]:
    """The claim's variables and terms of each sort in play, the variables first."""
    pools: dict[core.Sort, list[core.Term]] = {}
    for var in vocabulary.shape.vars:
        pools.setdefault(var.sort, []).append(var)
    for sort, terms in vocabulary.terms.items():
        pools.setdefault(sort, []).extend(t for t in terms if t not in pools.get(sort, ()))
    return pools


# ---------------------------------------------------------------- helpers

def _sorts_in_play(shape: Shape, query: core.Query) -> list[core.Sort]:
    """The uninterpreted and finite sorts of the claim's variables and of the symbols it reaches."""
    found: dict[core.Sort, None] = {}
    for var in shape.vars:
        found[var.sort] = None
    for symbol in core.symbols_of(query.formula):
        for sort in (*symbol.args, symbol.result):
            found[sort] = None
    return [s for s in found if not s.builtin]


def _declared_names(program: core.Program) -> set[str]:
    names = {s.name for s in program.sorts} | {s.name for s in program.symbols}
    names |= {d.name for d in program.definitions}
    for sort in program.sorts:
        names |= set(sort.elements or ())
    return names


def _param_name(sort: core.Sort, taken: set[str]) -> str:
    """The sort's initial in lower case, primed until no variable or declaration has the name."""
    name = sort.name[0].lower() if sort.name[0].isalpha() else "x"
    while name in taken:
        name += "'"
    taken.add(name)
    return name


def _vars_of(term: core.Term) -> list[core.Var]:
    """The variables a term mentions outside the bodies of its definitions, in order of occurrence."""
    seen: dict[int, core.Var] = {}
    bound: set[int] = set()
    for node in core.walk(term):
        if isinstance(node, core.Quant):
            bound.update(v.uid for v in node.vars)
        elif isinstance(node, core.Var) and node.uid not in bound:
            seen.setdefault(node.uid, node)
    return list(seen.values())


def _subterms(term: core.Term) -> Iterator[core.Term]:
    """The non-Boolean sub-terms of an atom (arguments, and theirs), outermost first."""
    for node in core.walk(term):
        if not isinstance(node, core.Quant) and not node.sort.is_bool:
            yield node


def _occurs(needle: core.Term, term: core.Term) -> bool:
    return any(node == needle for node in _subterms(term))


class _Replace(Mapper):
    """Terms replaced by variables, outermost first."""

    def __init__(self, replacements: Mapping[core.Term, core.Var]):
        self.replacements = replacements

    def visit_App(self, term: core.App, env: None) -> Visit:
        if term in self.replacements:
            return self.replacements[term]
        args = []
        for arg in term.args:
            args.append((yield arg))
        return core.App(term.symbol, tuple(args), term.span)
