"""Stage 3: the shapes of formulas that several stages read, each defined once.

A claim `forall x: S. H1 and H2 -> C` is read in the same few ways by the
checker (which variables become the witness, which hypotheses the vacuity
test asks about), by the explanations (hypotheses and conclusion, judged
apart), by the exports and the reader's page (the claim at its reported
witness) and by the diagram (an implication between definitions). These
functions take core terms (definitions kept) and hand back their parts; none
of them recurses on a term's depth.

- `outer_vars`: the variables of the consecutive outer quantifiers of one
  kind, looking through definitions at the head (`claim c: robust` with
  `def robust := forall a: Agent. ...` has the outer variable `a`). These
  are the claim's witness variables; a quantifier that would bind a name
  already among them is not peeled, so each witness name stands for exactly
  one variable.
- `at_witness`: the body under those quantifiers with their variables bound
  to the values of a reported witness (by name, as a witness is printed).
- `implication`: the hypotheses H1, H2, ... and the conclusion of the
  right-nested implication `H1 -> H2 -> ... -> C`; `claim_parts` the same with
  each hypothesis split into its conjuncts; `conjuncts` the flattened
  conjunction.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from . import core
from .expand import unfold
from .model import Value


def reveal(term: core.Term, fresh: Callable[[], int]) -> core.Term:
    """`term` with the definitions at its head unfolded (only the head)."""
    while isinstance(term, core.DefCall):
        term = unfold(term, fresh)
    return term


def _layers(term: core.Term, kind: core.QuantKind,
            fresh: Callable[[], int]) -> Iterator[tuple[core.Term, core.Quant | None]]:
    """The outer quantifiers of `kind` one by one, each as (the term it heads, the quantifier
    revealed), ending with (what is left, None). A quantifier that binds a name twice, or a
    name an outer one already bound, ends the layers: it is part of what is left."""
    names: set[str] = set()
    while True:
        revealed = reveal(term, fresh)
        if not (isinstance(revealed, core.Quant) and revealed.kind is kind):
            break
        binding = [v.name for v in revealed.vars]
        if len(set(binding)) < len(binding) or names.intersection(binding):
            break
        yield term, revealed
        names.update(binding)
        term = revealed.body
    yield term, None


def outer_vars(term: core.Term, kind: core.QuantKind,
               fresh: Callable[[], int]) -> tuple[tuple[core.Var, ...], core.Term]:
    """The variables of the consecutive outer quantifiers of `kind` (looking through definitions),
    each name once, and what is under them (with its head definitions still folded)."""
    vars: list[core.Var] = []
    for rest, layer in _layers(term, kind, fresh):
        if layer is None:
            return tuple(vars), rest
        vars.extend(layer.vars)
    raise AssertionError("the layers end with what is left")


def query_quantifier(query: core.Query) -> core.QuantKind:
    """The quantifier whose variables are a query's witness: forall for a claim, exists for an example."""
    return core.QuantKind.FORALL if query.kind is not core.QueryKind.EXAMPLE else core.QuantKind.EXISTS


def at_witness(query: core.Query, witness: Mapping[str, Any], fresh: Callable[[], int],
               read: Callable[[Any, core.Sort], Value] | None = None) -> tuple[core.Term, dict[int, Value]]:
    """The query's body under its outer variables (`outer_vars`), those bound to the witness's
    values (by name, as a witness is printed; `read` turns a printed value of a sort into a
    value, e.g. from JSON); peeling stops before a quantifier with a variable the witness lacks."""
    env: dict[int, Value] = {}
    for term, layer in _layers(query.formula, query_quantifier(query), fresh):
        if layer is None or any(v.name not in witness for v in layer.vars):
            return term, env
        env.update((v.uid, read(witness[v.name], v.sort) if read else witness[v.name]) for v in layer.vars)
    raise AssertionError("the layers end with what is left")


def implication(term: core.Term) -> tuple[list[core.Term], core.Term]:
    """H1, H2, ... and C of a right-nested implication H1 -> H2 -> ... -> C (none: [], term)."""
    hypotheses = []
    while isinstance(term, core.Implies):
        hypotheses.append(term.lhs)
        term = term.rhs
    return hypotheses, term


def conjuncts(term: core.Term) -> list[core.Term]:
    """The conjuncts of nested conjunctions, left to right (a non-conjunction is its own)."""
    found: list[core.Term] = []
    stack = [term]
    while stack:
        node = stack.pop()
        if isinstance(node, core.And):
            stack.extend(reversed(node.args))
        else:
            found.append(node)
    return found


def claim_parts(body: core.Term) -> tuple[list[core.Term], core.Term]:
    """The hypotheses (each split into its conjuncts) and the conclusion of `H1 and H2 -> ... -> C`."""
    hypotheses, conclusion = implication(body)
    return [c for h in hypotheses for c in conjuncts(h)], conclusion
