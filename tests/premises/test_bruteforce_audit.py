"""The audit against the brute-force oracle (tests/bruteforce.py) on random small theories.

The specs come from tests/specgen.py and go through `alignproof audit`'s
own path (`premises.audit.audit`). The oracle enumerates every
interpretation with 1 to k elements per sort; the solver reasons about all
models, so the hard checks go one way or the other:

- an axiom called redundant has no small world where the other axioms hold
  and it fails, nor one where the axioms it is implied by hold and it fails;
- an axiom called independent comes with a world the oracle judges itself:
  the other axioms true in it, the axiom false;
- a small world where the others hold and the axiom fails makes the axiom
  independent (or unknown, counted as a gap, never redundant);
- every minimal premise set of a proved claim has no small counter-model;
  a converse proved (a circular proof) has no small world against it
  under the other premises of its set;
- every conflict of inconsistent axioms has no small model;
- with a lemma stated before the claims (the first claim's formula), a
  premise set holding it has no small counter-model with the lemma assumed,
  and no premise set holds a lemma that is not proved.

ALIGNPROOF_FUZZ_EXAMPLES raises the number of specs (a fifth of it is used here, default 40).
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]
from bruteforce import Enumerator, Problem  # noqa: E402
from specgen import specs  # noqa: E402

from translator.logic.core import Not, Program  # noqa: E402
from translator.options import Options  # noqa: E402
from translator.premises.audit import audit  # noqa: E402

EXAMPLES = max(1, int(os.environ.get("ALIGNPROOF_FUZZ_EXAMPLES", "200")) // 5)
BUDGET = 30_000
STATS: Counter = Counter()


def _formulas(program: Program, names) -> tuple:
    """The axioms among `names`, then the lemmas (a premise set may hold a proved lemma)."""
    return tuple(a.formula for a in program.axioms if a.name in names) + \
        tuple(q.formula for q in program.lemmas if q.name in names)


def with_lemma(text: str) -> str:
    """`text` with its first claim stated before it as a lemma too (no `within` or expectation:
    a lemma has none), so that the later claims may rest on it, or not when it is not proved."""
    found = re.search(r"^claim cl0: (.*?)(?: within \d+)?(?: expect counterexample)?$", text, re.M)
    if found is None:
        return text
    return text[:found.start()] + f"lemma lm0: {found.group(1)}\n" + text[found.start():]


def judge(text: str) -> list[str]:
    """The disagreements between the audit of `text` and the oracle (empty when none)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "spec.align")
        Path(path).write_text(text, encoding="utf-8")
        found = audit([path], Options(timeout=1.0, jobs=1), max_cores=4)
    assert not found.run.input_error, text
    (program,) = found.run.programs
    (audited,) = found.programs
    enumerator = Enumerator(program)
    k = enumerator.largest_bound(BUDGET)
    if k == 0:
        STATS["too large to enumerate"] += 1
        return []
    every = {a.name for a in program.axioms}
    formula = {a.name: a.formula for a in program.axioms}
    claims = {q.name: q.formula for q in program.queries}
    lemmas = {r.name: r.verdict for r in found.run.results if r.kind == "lemma"}
    problems: list[Problem] = []
    wrong: list[str] = []
    for axiom in audited.axioms:
        others = every - {axiom.axiom}
        problems.append(Problem(f"others:{axiom.axiom}", _formulas(program, others) + (Not(formula[axiom.axiom]),)))
        if axiom.independent is False:
            problems.append(Problem(f"implied:{axiom.axiom}",
                                    _formulas(program, axiom.implied_by) + (Not(formula[axiom.axiom]),)))
    for claim in audited.claims:
        unproved = [n for core in claim.cores for n in core if n in lemmas and lemmas[n].value != "proved"]
        if unproved:
            wrong.append(f"{claim.name} has a premise set with the unproved lemma {unproved[0]}")
        for i, core in enumerate(claim.cores):
            problems.append(Problem(f"core:{claim.name}:{i}", _formulas(program, core) + (Not(claims[claim.name]),)))
        for converse in claim.converses:
            if converse.implied:
                others = _formulas(program, set(converse.core) - {converse.axiom})
                problems.append(Problem(f"converse:{claim.name}:{converse.axiom}",
                                        others + (claims[claim.name], Not(formula[converse.axiom]))))
    for i, conflict in enumerate(audited.conflicts):
        problems.append(Problem(f"conflict:{i}", _formulas(program, conflict)))
    small = enumerator.search(problems, k)
    for axiom in audited.axioms:
        STATS[f"independent={axiom.independent}" if audited.consistent is not False else "not asked"] += 1
        world = small[f"others:{axiom.axiom}"]
        if axiom.independent is False and world is not None:
            wrong.append(f"{axiom.axiom} called redundant, but the oracle has a world of size {world.sizes}")
        if axiom.independent is False and small[f"implied:{axiom.axiom}"] is not None:
            wrong.append(f"{axiom.axiom} called implied by {axiom.implied_by}, but the oracle disagrees")
        if axiom.independent is None and world is not None and audited.consistent is not False:
            STATS["unknown although the oracle has a small world"] += 1
        if axiom.independent is True:
            model = axiom.result.model
            if any(not enumerator.holds(formula[n], model) for n in every - {axiom.axiom}) or \
                    enumerator.holds(formula[axiom.axiom], model):
                wrong.append(f"{axiom.axiom}: the world shown is not one where the others hold and it fails")
    wrong += [f"{name} has a small model {found.sizes}" for name, found in small.items()
              if found is not None and not name.startswith(("others:", "implied:"))]
    STATS["cores"] += sum(len(c.cores) for c in audited.claims)
    STATS["inconsistent"] += audited.consistent is False
    return wrong


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(specs(1024))
def test_the_audit_agrees_with_brute_force_on_random_theories(text):
    wrong = judge(text)
    assert wrong == [], "\n".join(wrong) + "\n--- spec:\n" + text


@settings(max_examples=max(1, EXAMPLES // 2), deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(specs(1024))
def test_the_audit_agrees_with_brute_force_on_random_theories_with_a_lemma(text):
    text = with_lemma(text)
    wrong = judge(text)
    assert wrong == [], "\n".join(wrong) + "\n--- spec:\n" + text


def test_the_oracle_and_the_audit_on_a_theory_with_every_answer():
    text = ("sort S\npred p: S\npred q: S\npred r: S\n"
            "axiom p_q: forall x: S. p(x) -> q(x)\naxiom q_r: forall x: S. q(x) -> r(x)\n"
            "axiom p_r: forall x: S. p(x) -> r(x)\naxiom some_p: exists x: S. p(x)\n"
            "claim some_r: exists x: S. r(x)\n")
    assert judge(text) == []
