"""`alignproof explore` against the brute-force oracle, on random small theories (issue 13, item 1).

The theories come from tests/defsets.py (`theories`): two or three predicates over one sort, up to two
axioms, three to five definitions. The oracle (tests/bruteforce.py) enumerates every interpretation with
up to k elements and judges formulas with its own compiler, sharing no code with the solver back end
nor with the evaluator. The solver decides over all models and the oracle sees small ones, so:

- a proved implication has no counter-model of size <= k, nor with only the axioms in its `used`
  (minimal arrows); hypotheses reported never to hold together have no model (with their `used`);
- every world satisfies every axiom and refutes each implication it is said to refute;
- an implication with a small counter-model is refuted, or unknown: never proved;
- axioms with a small model are never called inconsistent, and inconsistent axioms have none.

ALIGNPROOF_EXPLORE_EXAMPLES sets the number of random theories (default 25).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]
from bruteforce import Enumerator, Problem  # noqa: E402
from defsets import theories  # noqa: E402

from translator.check.checker import CheckOptions  # noqa: E402
from translator.logic import core  # noqa: E402
from translator.pipeline import front_end  # noqa: E402
from translator.premises.exploration import Exploration  # noqa: E402
from translator.premises.explore import ExploreOptions, explore  # noqa: E402
from translator.premises.lattice import bits, space  # noqa: E402
from translator.premises.nodes import choose, query  # noqa: E402

EXAMPLES = int(os.environ.get("ALIGNPROOF_EXPLORE_EXAMPLES", "25"))
BUDGET = 40_000   # interpretations the oracle may try per theory
JOINS = 2


def _program(text: str) -> core.Program:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "spec.align")
        Path(path).write_text(text, encoding="utf-8")
        programs, diags, _ = front_end([path])
    assert not diags, [d.message for d in diags]
    return programs[0]


def _axioms(program: core.Program, names=None) -> tuple[core.Term, ...]:
    return tuple(a.formula for a in program.axioms if names is None or a.name in names)


def judge(text: str) -> list[str]:
    """What the oracle finds wrong with the exploration of `text` (nothing, for a sound one)."""
    program = _program(text)
    enumerator = Enumerator(program)
    k = enumerator.largest_bound(BUDGET)
    if k == 0:
        return []
    nodes = choose(program, "S", None, False, False)
    e = explore(program, nodes, ExploreOptions(check=CheckOptions(timeout=2.0)))
    names = nodes.names()
    index = {n: i for i, n in enumerate(names)}

    def claim(hyps, then: int) -> core.Term:
        return query(nodes, [index[h] for h in hyps], then, 0, program.root).formula

    keys = space(len(names), JOINS)
    problems = [Problem("@axioms", _axioms(program))]
    problems += [Problem(f"i{mask}-{q}", _axioms(program) + (core.Not(claim([names[i] for i in bits(mask)], q)),))
                 for mask, q in keys]
    problems += [Problem(f"used{n}", _axioms(program, set(a.used)) + (core.Not(claim(a.hypotheses, index[a.conclusion])),))
                 for n, a in enumerate(e.implications)]
    bottom = len(names)
    problems += [Problem(f"apart{n}", _axioms(program, set(x.used)) + (core.Not(claim(x.nodes, bottom)),))
                 for n, x in enumerate(e.exclusive)]
    found = enumerator.search(problems, k)
    return _problems(e, program, enumerator, found, keys, names)


def _problems(e: Exploration, program, enumerator, found, keys, names) -> list[str]:
    bad: list[str] = []
    if e.inconsistent:
        return [] if found["@axioms"] is None else [f"inconsistent, but the axioms have a model {found['@axioms'].sizes}"]
    refuted = {(frozenset(r.hypotheses), r.conclusion) for r in e.refuted}
    unknown = {(frozenset(u.hypotheses), u.conclusion) for u in e.unknown}
    for mask, q in keys:
        key = (frozenset(names[i] for i in bits(mask)), names[q])
        small = found[f"i{mask}-{q}"]
        if small is not None and key not in refuted and key not in unknown:
            bad.append(f"{key}: proved, but the oracle has a counter-model {small.sizes}")
    for n, a in enumerate(e.implications):
        if found[f"used{n}"] is not None:
            bad.append(f"{a.text()}: not proved by its used {a.used} alone")
    for n, x in enumerate(e.exclusive):
        if found[f"apart{n}"] is not None:
            bad.append(f"{x.text()}: but the oracle has a model where they do, with only {x.used}")
    nodes = choose(program, "S", None, False, False)
    index = {n: i for i, n in enumerate(names)}
    for r in e.refuted:
        model = e.world(r.world).result.model
        formula = query(nodes, [index[h] for h in r.hypotheses], index[r.conclusion], 0, program.root).formula
        try:
            if not all(enumerator.holds(a.formula, model) for a in program.axioms):
                bad.append(f"{r.world}: an axiom fails in it")
            if enumerator.holds(formula, model):
                bad.append(f"{r.text()}: holds in {r.world}, which is said to refute it")
        except ValueError as error:
            bad.append(f"{r.world}: not a total interpretation: {error}")
    return bad


SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(theories())
def test_explore_agrees_with_brute_force_on_random_theories(text):
    problems = judge(text)
    assert problems == [], "\n".join(problems) + "\n--- theory:\n" + text


def test_the_oracle_catches_a_wrong_proof(monkeypatch):
    """The judge is not blind: an exploration told that a refuted implication holds is caught."""
    from dataclasses import replace

    from translator.check.results import Verdict
    from translator.premises import explore as module

    text = "sort S\npred p: S\npred q: S\ndef a(x: S) := p(x)\ndef b(x: S) := q(x)\n"
    real = module._Explorer._take

    def lying(self, key, result, **more):
        if result.verdict is Verdict.COUNTEREXAMPLE:
            result = replace(result, verdict=Verdict.PROVED, model=None, used=())
        real(self, key, result, **more)

    monkeypatch.setattr(module._Explorer, "_take", lying)
    assert any("proved, but the oracle has a counter-model" in p for p in judge(text))

