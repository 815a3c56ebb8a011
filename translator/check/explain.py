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
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import islice, product

from ..logic import core
from ..logic.evaluate import evaluate
from ..logic.expand import Fresh, expand, unfold
from ..logic.model import Model, Value, value_to_text
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


def explain(body: core.Term, model: Model, claim: bool) -> Explanation | None:
    """The explanation of `body` in `model`: a claim's hypotheses and conclusion, or an example's parts.

    Returns None when the body is nested too deeply to explain.
    """
    try:
        return _Explainer(model).run(body, claim)
    except RecursionError:
        return None


# ---------------------------------------------------------------- printing core terms

_PREC = {core.Quant: 0, core.Ite: 0, core.Iff: 1, core.Implies: 2, core.Or: 3, core.And: 4,
         core.Not: 5, core.Eq: 6, core.Compare: 6, core.Add: 7, core.Scale: 8, core.Neg: 9}
_ATOM = 10


def number_text(value: Fraction | int) -> str:
    """A numeric literal as it is written: `3`, `3.5`, or `1/3` when not a finite decimal."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    return str(float(value)) if den == 1 else f"{value.numerator}/{value.denominator}"


@dataclass
class Printer:
    """Core terms as source-like text; witness constants and bound variables in `env` as their values."""

    model: Model
    env: Mapping[int, Value] = field(default_factory=dict)

    def __call__(self, term: core.Term, need: int = 0) -> str:
        text = getattr(self, "_" + type(term).__name__)(term)
        return f"({text})" if _PREC.get(type(term), _ATOM) < need else text

    def _args(self, args: Sequence[core.Term]) -> str:
        return ", ".join(self(a) for a in args)

    def _Var(self, term: core.Var) -> str:
        value = self.env.get(term.uid)
        return term.name if value is None else value_to_text(value)

    def _App(self, term: core.App) -> str:
        symbol = term.symbol
        if symbol.kind is core.SymbolKind.WITNESS:
            value = self.model.value(symbol.name)
            return symbol.name.split("@")[0] if value is None else value_to_text(value)
        return f"{symbol.name}({self._args(term.args)})" if term.args else symbol.name

    def _BoolLit(self, term: core.BoolLit) -> str:
        return "true" if term.value else "false"

    def _NumLit(self, term: core.NumLit) -> str:
        return number_text(term.value)

    def _Not(self, term: core.Not) -> str:
        return f"not {self(term.arg, 5)}"

    def _And(self, term: core.And) -> str:
        return " and ".join(self(a, 5) for a in term.args) or "true"

    def _Or(self, term: core.Or) -> str:
        return " or ".join(self(a, 4) for a in term.args) or "false"

    def _Implies(self, term: core.Implies) -> str:
        return f"{self(term.lhs, 3)} -> {self(term.rhs, 2)}"

    def _Iff(self, term: core.Iff) -> str:
        return f"{self(term.lhs, 2)} <-> {self(term.rhs, 2)}"

    def _Eq(self, term: core.Eq) -> str:
        return f"{self(term.lhs, 7)} = {self(term.rhs, 7)}"

    def _Compare(self, term: core.Compare) -> str:
        return f"{self(term.lhs, 7)} {term.op} {self(term.rhs, 7)}"

    def _Add(self, term: core.Add) -> str:
        parts = [self(term.args[0], 7)]
        for arg in term.args[1:]:
            parts.append(f"- {self(arg.arg, 8)}" if isinstance(arg, core.Neg) else f"+ {self(arg, 8)}")
        return " ".join(parts)

    def _Neg(self, term: core.Neg) -> str:
        return f"-{self(term.arg, _ATOM)}"

    def _Scale(self, term: core.Scale) -> str:
        return f"{number_text(term.coeff)} * {self(term.arg, 9)}"

    def _Ite(self, term: core.Ite) -> str:
        return f"if {self(term.cond)} then {self(term.then)} else {self(term.else_)}"

    def _Quant(self, term: core.Quant) -> str:
        groups: list[list] = []
        for var in term.vars:  # `x, y: S` as it would be written
            if groups and groups[-1][1] == var.sort.name:
                groups[-1][0].append(var.name)
            else:
                groups.append([[var.name], var.sort.name])
        binders = ", ".join(f"{', '.join(names)}: {sort}" for names, sort in groups)
        return f"{term.kind.value} {binders}. {self(term.body)}"

    def _DefCall(self, term: core.DefCall) -> str:
        return f"{term.defn.name}({self._args(term.args)})" if term.args else term.defn.name

    def _BuiltinCall(self, term: core.BuiltinCall) -> str:
        names = [s.name for s in term.symbols]
        if term.via is not None:
            names[-1] += f" via {term.via.name}"
        return f"{term.name}({', '.join(names + [self(a) for a in term.args])})"


def print_term(term: core.Term, model: Model, env: Mapping[int, Value] | None = None) -> str:
    """`term` as source-like text, witness constants and variables bound in `env` shown as values."""
    return Printer(model, dict(env or {}))(term)


# ---------------------------------------------------------------- formula shapes

def split_claim(body: core.Term) -> tuple[list[core.Term], core.Term]:
    """The hypotheses H1, H2, ... and the conclusion C of `H1 and H2 -> ... -> C`."""
    hypotheses: list[core.Term] = []
    while isinstance(body, core.Implies):
        hypotheses += conjuncts(body.lhs)
        body = body.rhs
    return hypotheses, body


def conjuncts(term: core.Term) -> list[core.Term]:
    if isinstance(term, core.And):
        return [c for arg in term.args for c in conjuncts(arg)]
    return [term]


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
            hypotheses, conclusion = split_claim(body)
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
        args = (term.lhs, term.rhs) if isinstance(term, (core.Eq, core.Compare)) else term.args
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
        if any(d is None for d in domains):
            return (), ()
        for combo in islice(product(*domains), MAX_INSTANCES):
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

