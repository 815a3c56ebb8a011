"""Explanations: why a reported model refutes a claim (or satisfies an example).

A consumer of the checker's plain models, like the evaluator it relies on: it
takes the query's body (outer variables already replaced by the witness
constants), splits a claim `H1 and H2 -> C` into its hypotheses and its
conclusion, and judges each with `evaluate.evaluate` in the model. Then it
unfolds, one `def` at a time, the parts that decide each value: a
definition's body, the false conjuncts of a false conjunction, the instance
that breaks a `forall`, ... It hands on a frozen `results.Explanation` of
source-like text (witness values in place of the witness variables). Pure
Python: no z3, and nothing here decides a verdict.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import islice, product

from ..logic import core
from ..logic.evaluate import evaluate
from ..logic.expand import Fresh, expand, unfold
from ..logic.model import Model, Value, value_to_text
from ..logic.printer import Printer
from ..logic.shapes import claim_parts, conjuncts
from .results import Explanation, Step

MAX_DEPTH = 6
"""How many definitions (and connectives) deep an explanation unfolds."""

MAX_STEPS = 60
"""At most this many steps in one explanation; beyond, parts are shown without their reasons."""

MAX_INSTANCES = 10_000
"""A quantifier's instances are searched for a deciding one only up to this many."""

EVAL_STEPS = 200_000
"""The evaluator's budget for each formula judged here."""

FRESH_START = 1 << 40
"""Uids for variables renamed while unfolding: far above any program's own."""


def explain(body: core.Term, model: Model, claim: bool) -> Explanation:
    """The explanation of `body` in `model`: a claim's hypotheses and conclusion, or an example's parts."""
    return _Explainer(model).run(body, claim)


_ATOMS = (core.App, core.Eq, core.Compare, core.DefCall)
_CONNECTIVES = (core.And, core.Or, core.Not, core.Implies, core.Iff)


# ---------------------------------------------------------------- the explainer

class _Explainer:
    """One explanation: the model, a supply of fresh uids for unfolding, and a step budget."""

    def __init__(self, model: Model):
        self.model = model
        self.fresh = Fresh(FRESH_START)
        self.steps = 0

    def run(self, body: core.Term, claim: bool) -> Explanation:
        env: dict[int, Value] = {}
        if claim:
            hypotheses, conclusion = claim_parts(body)
            steps = [self.step(h, env, 0, "hypothesis") for h in hypotheses]
            steps.append(self.step(conclusion, env, 0, "conclusion"))
        else:
            steps = [self.step(c, env, 0, "condition") for c in conjuncts(body)]
        witness = tuple(self.model.witness.items())
        return Explanation(witness, tuple(steps), summary(witness, steps, claim))

    def value(self, term: core.Term, env: Mapping[int, Value]) -> Value | None:
        return evaluate(term, self.model, env, max_steps=EVAL_STEPS)

    def step(self, term: core.Term, env: Mapping[int, Value], depth: int, role: str = "",
             value: Value | None = None, known: bool = False) -> Step:
        """`term` judged in the model, with the parts that decide its value (within the budget)."""
        self.steps += 1
        value = value if known else self.value(term, env)
        printer = Printer(self.model, env)
        where: tuple[tuple[str, Value | None], ...] = ()
        because: tuple[Step, ...] = ()
        if depth < MAX_DEPTH and self.steps < MAX_STEPS:
            if isinstance(term, core.Quant):
                where, because = self.instance(term, env, depth, value)
            elif isinstance(term, core.DefCall):
                because = tuple(self.decisive(unfold(term, self.fresh), env, depth + 1))
            elif isinstance(term, core.BuiltinCall) and value is False:  # its formula's failing instance
                because = tuple(self.decisive(expand(term, self.fresh), env, depth + 1))
            elif isinstance(term, _CONNECTIVES):
                because = tuple(self.decisive(term, env, depth + 1))
        if isinstance(term, _ATOMS):
            where = self.arguments(term, env, printer)
        return Step(printer(term), value, role, where, because)

    def arguments(self, term: core.Term, env: Mapping[int, Value], printer: Printer) -> tuple:
        """The values of an atom's arguments whose text is not already a value."""
        args: tuple[core.Term, ...] = ()
        if isinstance(term, (core.Eq, core.Compare)):
            args = (term.lhs, term.rhs)
        elif isinstance(term, (core.App, core.DefCall)):
            args = term.args
        shown = []
        for arg in args:
            value = self.value(arg, env)
            text = printer(arg)
            if value is None or text != value_to_text(value):
                shown.append((text, value))
        return tuple(dict.fromkeys(shown))

    def decisive(self, term: core.Term, env: Mapping[int, Value], depth: int) -> Iterator[Step]:
        """The steps that decide the value of `term`: its deciding parts, or `term` itself."""
        value = self.value(term, env)
        if isinstance(term, (core.And, core.Or)):
            parts = conjuncts(term) if isinstance(term, core.And) else list(term.args)
            values = [self.value(p, env) for p in parts]
            deciding = False if isinstance(term, core.And) else True
            chosen = [p for p, v in zip(parts, values) if v is deciding]
            if value is None:
                chosen = [p for p, v in zip(parts, values) if v is None]
            for part in chosen or parts:
                yield self.step(part, env, depth)
        elif isinstance(term, core.Not):
            yield self.step(term.arg, env, depth)
        elif isinstance(term, core.Implies):
            lhs = self.value(term.lhs, env)
            if lhs is not True or value is False:  # false: true hypothesis, false conclusion
                yield self.step(term.lhs, env, depth, value=lhs, known=True)
            if lhs is not False:
                yield self.step(term.rhs, env, depth)
        elif isinstance(term, core.Iff):
            yield self.step(term.lhs, env, depth)
            yield self.step(term.rhs, env, depth)
        else:
            yield self.step(term, env, depth, value=value, known=True)

    def instance(self, term: core.Quant, env: Mapping[int, Value], depth: int,
                 value: Value | None) -> tuple[tuple, tuple[Step, ...]]:
        """A false `forall` is explained by a failing instance, a true `exists` by a true one."""
        wanted = False if term.kind is core.QuantKind.FORALL else True
        if value is not wanted:
            return (), ()
        domains = [self.domain(v.sort) for v in term.vars]
        known = [d for d in domains if d is not None]
        if len(known) < len(domains):
            return (), ()
        for combo in islice(product(*known), MAX_INSTANCES):
            inner = dict(env)
            inner.update((v.uid, x) for v, x in zip(term.vars, combo))
            if self.value(term.body, inner) is wanted:
                where = tuple((v.name, x) for v, x in zip(term.vars, combo))
                return where, tuple(self.decisive(term.body, inner, depth + 1))
        return (), ()

    def domain(self, sort: core.Sort) -> tuple[Value, ...] | None:
        if sort.is_bool:
            return (False, True)
        if sort.is_finite:
            return sort.elements
        if sort.builtin:
            return None
        return self.model.universe(sort.name)


# ---------------------------------------------------------------- the sentence

def summary(witness: Sequence[tuple[str, Value]], steps: Sequence[Step], claim: bool) -> str:
    """One plain-English sentence: the witness, what holds, what fails, and the deepest reasons."""
    given = ", ".join(f"{k} = {value_to_text(v)}" for k, v in witness)
    intro = f"With {given}" if given else "In this model"
    if not claim:
        parts = _join([s.formula for s in steps])
        return f"{intro}, {parts} {'holds' if len(steps) == 1 else 'all hold'}."
    *hypotheses, conclusion = steps
    text = intro
    if hypotheses:
        held = _join([_said(s) + _reasons(s, " (as ", ")") for s in hypotheses])
        text += f", the hypothes{'is' if len(hypotheses) == 1 else 'es'} {held}, but"
    else:
        text += ","
    text += f" the conclusion {_said(conclusion)}"
    return text + _reasons(conclusion, ", because ", "") + "."


def _reasons(step: Step, before: str, after: str) -> str:
    """The first few innermost reasons of a step, as a clause (empty when it has none)."""
    reasons = [s for s in leaves(step) if s is not step][:3]
    return f"{before}{_join([_said(s) for s in reasons])}{after}" if reasons else ""


def leaves(step: Step) -> list[Step]:
    """The innermost reasons under a step (the step itself when it has none)."""
    if not step.because:
        return [step]
    return [leaf for sub in step.because for leaf in leaves(sub)]


def _said(step: Step) -> str:
    if step.value is True:
        return f"{step.formula} holds"
    if step.value is False:
        return f"{step.formula} is false"
    return f"{step.formula} is {step.value_text()}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]

