"""Generated definition sets for `alignproof explore`: tests and `bench/explore.py`.

`definition_set(n, seed)` writes a spec with one uninterpreted sort `S`,
base predicates, a function `f: S -> S`, a few axioms between the
predicates, and `n` unary definitions over `S` built from literals of the
predicates (at `x` and at `f(x)`) and from earlier definitions, so that the
implications between them are a mix of proved ones (a definition that
conjoins an earlier one implies it; the axioms chain predicates), joins and
refuted ones. Deterministic: the same `(n, seed)` gives the same text.
`theories()` is a hypothesis strategy of small ones the brute-force oracle
(tests/bruteforce.py) can enumerate.
"""
from __future__ import annotations

import random

from hypothesis import strategies as st


def definition_set(n: int, seed: int = 0, base: int | None = None, axioms: int | None = None,
                   function: bool = True) -> str:
    """A spec with `n` unary definitions `d1`..`dn` over `S` (see the module docstring)."""
    rng = random.Random(f"{n}/{seed}")
    base = base or max(3, min(8, n // 2 + 1))
    preds = [f"p{i}" for i in range(1, base + 1)]
    lines = ["sort S", *(f"pred {p}: S" for p in preds)]
    if function:
        lines.append("fun f: S -> S")
    for number in range(axioms if axioms is not None else max(1, base // 2)):
        a, b = rng.sample(preds, 2)
        if function and rng.random() < 0.3:
            lines.append(f"axiom ax{number + 1}: forall x: S. {a}(x) -> {b}(f(x))")
        else:
            lines.append(f"axiom ax{number + 1}: forall x: S. {a}(x) -> {b}(x)")
    defs: list[str] = []
    for k in range(1, n + 1):
        lines.append(f"def d{k}(x: S) := {_body(rng, preds, defs, function)}")
        defs.append(f"d{k}")
    return "\n".join(lines) + "\n"


def _literal(rng: random.Random, pred: str, function: bool) -> str:
    where = "f(x)" if function and rng.random() < 0.25 else "x"
    atom = f"{pred}({where})"
    return f"not {atom}" if rng.random() < 0.25 else atom


def _body(rng: random.Random, preds: list[str], defs: list[str], function: bool) -> str:
    shape = rng.random()
    first, second = rng.sample(preds, 2)  # two different predicates: no literal meets its negation
    lit = lambda pred: _literal(rng, pred, function)  # noqa: E731
    if defs and shape < 0.25:
        return f"{rng.choice(defs)}(x) and {lit(first)}"
    if len(defs) >= 2 and shape < 0.4:
        a, b = rng.sample(defs, 2)
        return f"{a}(x) or {b}(x)"
    if shape < 0.6:
        return f"{lit(first)} and {lit(second)}"
    if shape < 0.8:
        return f"{lit(first)} or {lit(second)}"
    return lit(first)


@st.composite
def theories(draw, most_defs: int = 5) -> str:
    """A small random theory: 2 or 3 predicates over `S`, up to three axioms (implications between
    literals, `exists`, now and then a set that is inconsistent), 3 to `most_defs` definitions, each
    a literal or two literals joined by `and` or `or`, an earlier definition and a literal, or two
    earlier ones joined by `and`: few enough interpretations for the brute-force oracle, and joins
    now and then."""
    preds = [f"p{i}" for i in range(1, draw(st.integers(2, 3)) + 1)]
    literal = st.builds(lambda p, neg: f"{'not ' if neg else ''}{p}(x)", st.sampled_from(preds), st.booleans())
    lines = ["sort S", *(f"pred {p}: S" for p in preds)]
    for number in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["implies", "implies", "exists", "all"]))
        a, b = draw(literal), draw(literal)
        body = {"implies": f"forall x: S. {a} -> {b}", "exists": f"exists x: S. {a}",
                "all": f"forall x: S. {a}"}[kind]
        lines.append(f"axiom ax{number + 1}: {body}")
    defs: list[str] = []
    for k in range(1, draw(st.integers(3, most_defs)) + 1):
        shapes = ["lit", "and", "or"] + (["def"] if defs else []) + (["both", "both"] if len(defs) >= 2 else [])
        shape = draw(st.sampled_from(shapes))
        a, b = draw(literal), draw(literal)
        if shape == "both":  # a join: the two earlier definitions together imply it
            first, second = draw(st.lists(st.sampled_from(defs), min_size=2, max_size=2, unique=True))
            body = f"{first}(x) and {second}(x)"
        else:
            body = {"lit": a, "and": f"{a} and {b}", "or": f"{a} or {b}",
                    "def": f"{draw(st.sampled_from(defs)) if defs else 'p1'}(x) and {a}"}[shape]
        lines.append(f"def d{k}(x: S) := {body}")
        defs.append(f"d{k}")
    return "\n".join(lines) + "\n"
