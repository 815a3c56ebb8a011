"""Premise-set analyses, explore: the nodes over a sort, implications as claims, and the claims stated.

Stage: typed core program in, core terms out. A node is a formula about one
element of the sort, written with one variable `var`: a unary definition
`d(x)` (the default), a unary predicate `p(x)` (`--preds`), or a definition
that a claim of the file applies to a term of its variable, such as
`outer_aligned(base(a))` (`--atoms`). An implication between nodes is asked as
a synthetic claim `forall x: S. P1(x) and ... -> Q(x)`, built here from core
terms, so the checker asks exactly what `check` would ask of that claim.
`stated` matches the file's own claims to implications between the nodes.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..logic import core
from ..logic.expand import substitute
from ..logic.model import Model
from ..logic.printer import print_term
from ..logic.shapes import claim_parts, conjuncts

QUERY_MARK = "@explore"
"""The names of the synthetic claims start with this; no claim a user writes can (`@` is no identifier)."""

_EMPTY = Model(universes={}, tables={})


class Refused(ValueError):
    """The sort or the definitions asked for cannot be explored (the message says why)."""


@dataclass(frozen=True)
class Node:
    """A formula about one element: its name as people read it, and the formula with `var` free."""

    name: str
    kind: str       # "definition" | "predicate" | "atom"
    formula: core.Term
    key: str        # the formula with its variable written `_`: how claims are matched to it


@dataclass(frozen=True)
class Nodes:
    """The nodes of one exploration: the sort, the variable they speak of, the nodes in order."""

    sort: core.Sort
    var: core.Var
    nodes: tuple[Node, ...]

    def names(self) -> list[str]:
        return [n.name for n in self.nodes]


# ---------------------------------------------------------------- choosing the nodes

def sorts_to_explore(program: core.Program, preds: bool, atoms: bool) -> list[core.Sort]:
    """The declared sorts with at least two nodes, in declaration order."""
    return [s for s in program.sorts if not s.builtin and len(candidates(program, s, preds, atoms)) >= 2]


def candidates(program: core.Program, sort: core.Sort, preds: bool, atoms: bool,
               var: core.Var | None = None) -> list[Node]:
    """Every node over `sort`: its unary definitions, then (if asked) its unary predicates and the atoms
    the file's claims make of a term of their variable."""
    var = var or _var(program, sort)
    out = [Node(d.name, "definition", core.DefCall(d, (var,)), _key(core.DefCall(d, (var,)), var))
           for d in program.definitions if _unary(d.params, sort) and d.sort.is_bool]
    if preds:
        out += [Node(s.name, "predicate", core.App(s, (var,)), _key(core.App(s, (var,)), var))
                for s in program.symbols if s.kind is core.SymbolKind.PRED and s.args == (sort,)]
    if atoms:
        seen = {n.key for n in out}
        for query in program.queries:
            for atom, claim_var in _claim_atoms(query, sort):
                formula = substitute(atom, {claim_var.uid: var})
                key = _key(formula, var)
                if key not in seen:
                    seen.add(key)
                    out.append(Node(print_term(formula, _EMPTY), "atom", formula, key))
    return out


def choose(program: core.Program, sort_name: str, defs: Sequence[str] | None, preds: bool,
           atoms: bool) -> Nodes:
    """The nodes of one exploration: all candidates over the sort, or those named in `defs` (in that
    order; a unary predicate may be named without `preds`). Raises `Refused` with the reason."""
    sort = program.sort(sort_name)
    if sort is None or sort.builtin:
        declared = ", ".join(s.name for s in program.sorts if not s.builtin) or "none"
        raise Refused(f"{program.root} declares no sort {sort_name!r} to explore (declared: {declared})")
    var = _var(program, sort)
    found = candidates(program, sort, preds or bool(defs), atoms, var)
    if defs is None:
        return Nodes(sort, var, tuple(found))
    by_name = {n.name: n for n in found}
    missing = [d for d in defs if d not in by_name]
    if missing:
        known = ", ".join(by_name) or "none"
        raise Refused(f"{', '.join(missing)}: not a unary definition or predicate over {sort.name} in "
                      f"{program.root} (those over {sort.name}: {known})")
    return Nodes(sort, var, tuple(by_name[d] for d in dict.fromkeys(defs)))


def _unary(params: Sequence[core.Var], sort: core.Sort) -> bool:
    return len(params) == 1 and params[0].sort == sort


def _var(program: core.Program, sort: core.Sort) -> core.Var:
    """The variable the nodes speak of: named like the first claim over the sort names its variable (or
    by the sort's initial), a name no symbol of the program has; a uid above all the program's."""
    taken = {s.name for s in program.symbols} | {d.name for d in program.definitions}
    wanted = [v.name for q in program.queries for v in _claim_var(q, sort)] + [sort.name[0].lower(), "x"]
    name = next((w for w in wanted if w not in taken), None)
    number = 1
    while name is None or name in taken:
        name, number = f"x{number}", number + 1
    return core.Var(name, sort, program.next_uid)


def _key(formula: core.Term, var: core.Var) -> str:
    return print_term(substitute(formula, {var.uid: core.Var("_", var.sort, -1)}), _EMPTY)


_STATING = (core.QueryKind.CLAIM, core.QueryKind.LEMMA)
"""The queries that state an implication: a lemma is checked like a claim (LANGUAGE.md §6.1)."""


def _claim_var(query: core.Query, sort: core.Sort) -> list[core.Var]:
    formula = query.formula
    if query.kind in _STATING and isinstance(formula, core.Quant) \
            and formula.kind is core.QuantKind.FORALL and len(formula.vars) == 1 and formula.vars[0].sort == sort:
        return [formula.vars[0]]
    return []


def _claim_atoms(query: core.Query, sort: core.Sort) -> list[tuple[core.Term, core.Var]]:
    """The definition calls of a claim over `sort` applied to a compound term of its variable."""
    shape = _shape(query, sort)
    if shape is None:
        return []
    var, sides = shape
    return [(a, var) for side in sides for a in side if isinstance(a, core.DefCall) and a.defn.sort.is_bool
            and not (len(a.args) == 1 and isinstance(a.args[0], core.Var)) and _only(a, var)]


def _only(term: core.Term, var: core.Var) -> bool:
    """Whether `var` is the only variable free in `term` and occurs in it (no binder inside)."""
    nodes = list(core.walk(term))
    if any(isinstance(n, core.Quant) for n in nodes):
        return False
    variables = {n.uid for n in nodes if isinstance(n, core.Var)}
    return variables == {var.uid}


def _shape(query: core.Query, sort: core.Sort) -> tuple[core.Var, list[list[core.Term]]] | None:
    """The claim's variable and its sides as atom lists: hypotheses and conclusions (an implication),
    or both sides (an equivalence); None for any other shape."""
    found = _claim_var(query, sort)
    if not found or not isinstance(query.formula, core.Quant):
        return None
    var, body = found[0], query.formula.body
    if isinstance(body, core.Iff):
        return var, [conjuncts(body.lhs), conjuncts(body.rhs)]
    if isinstance(body, core.Implies):
        hypotheses, conclusion = claim_parts(body)
        return var, [hypotheses, conjuncts(conclusion)]
    return None


# ---------------------------------------------------------------- implications as claims

def query(nodes: Nodes, hypotheses: Sequence[int], conclusion: int, number: int, file: str) -> core.Query:
    """The claim `forall x: S. H1(x) and ... -> Q(x)` (`forall x: S. Q(x)` without hypotheses); with
    the conclusion `len(nodes)`, `forall x: S. H1(x) and ... -> false`: they never hold together."""
    hyps = [nodes.nodes[i].formula for i in hypotheses]
    then = nodes.nodes[conclusion].formula if conclusion < len(nodes.nodes) else core.BoolLit(False)
    if hyps:
        body: core.Term = core.Implies(hyps[0] if len(hyps) == 1 else core.And(tuple(hyps)), then)
    else:
        body = then
    formula = core.Quant(core.QuantKind.FORALL, (nodes.var,), body)
    return core.Query(core.QueryKind.CLAIM, f"{QUERY_MARK}{number}", formula, "proved", file=file)


def with_queries(program: core.Program, queries: Sequence[core.Query]) -> core.Program:
    """The program with the synthetic claims after its own queries (so whatever the file's declarations
    give a claim at its end, they give these)."""
    uid = max([program.next_uid] + [q.formula.vars[0].uid + 1 for q in queries if isinstance(q.formula, core.Quant)])
    return replace(program, queries=program.queries + tuple(queries), next_uid=uid)


# ---------------------------------------------------------------- the claims of the file

@dataclass(frozen=True)
class Stated:
    """An implication a claim of the file states: hypotheses and conclusion (node indices), and whether
    the claim expects it to hold (`proved`) or to fail (`counterexample`)."""

    claim: str
    hypotheses: tuple[int, ...]
    conclusion: int
    expected: str


def stated(program: core.Program, nodes: Nodes) -> tuple[list[Stated], list[str]]:
    """The implications the file's own claims state between the nodes, and the claims over the sort
    that state none (other atoms, a conjunction expected to fail, a `within` bound)."""
    index = {n.key: i for i, n in enumerate(nodes.nodes)}
    found: list[Stated] = []
    left: list[str] = []
    for q in program.queries:
        if not _claim_var(q, nodes.sort):
            continue
        shape = _shape(q, nodes.sort)
        mine = _implications(q, shape, index) if shape is not None and q.within is None else None
        if mine:
            found += mine
        else:
            left.append(q.name)
    return found, left


def _implications(q: core.Query, shape: tuple[core.Var, list[list[core.Term]]],
                  index: dict[str, int]) -> list[Stated] | None:
    var, sides = shape
    keys = [[index.get(_key(a, var)) for a in side] for side in sides]
    if any(k is None for side in keys for k in side):
        return None
    left, right = ([k for k in side if k is not None] for side in keys)
    both_ways = isinstance(q.formula, core.Quant) and isinstance(q.formula.body, core.Iff)
    directions = [(left, right)] + ([(right, left)] if both_ways else [])
    if q.expect == "counterexample" and (both_ways or len(set(right)) != 1):
        return None  # "not all of these follow" names no single implication
    out = []
    for hyps, thens in directions:
        for then in dict.fromkeys(thens):
            if then not in hyps:
                out.append(Stated(q.name, tuple(sorted(set(hyps))), then, q.expect))
    return out or None
