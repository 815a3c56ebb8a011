"""Where `suggest`'s candidates come from (issue 15, item 1) and what a dropped one is counted as
(item 2): the enumerator's parameters and order, and a candidate that contradicts an axiom."""
from __future__ import annotations

import io
import json
from pathlib import Path

from translator.cli import dispatch
from translator.logic.expand import Fresh
from translator.pipeline import front_end
from translator.premises.suggest import candidates
from translator.premises.suggest.vocabulary import build

ROOT = Path(__file__).resolve().parents[2]


def claim_of(path: Path, name: str):
    programs, diags, _ = front_end([str(path)])
    assert not diags
    return next((p, q) for p in programs for q in p.queries if q.name == name)


def test_the_enumerator_has_one_extra_parameter_of_each_sort_in_play():
    program, query = claim_of(ROOT / "spec" / "faq.align", "faq_objective_robust_does_not_imply_inner")
    vocabulary = build(program, query, Fresh(program.next_uid))
    claim_vars = {v.uid for v in vocabulary.shape.vars}
    assert {s.name for s in vocabulary.params} >= {"Agent", "Objective"}
    assert all(p.sort == s and p.uid not in claim_vars for s, p in vocabulary.params.items())
    params = {p.uid for p in vocabulary.params.values()}
    assert any(params & {v.uid for v in atom.vars} for atom in vocabulary.atoms)  # atoms over a parameter


def test_the_enumerator_gives_small_clauses_first():
    program, query = claim_of(ROOT / "spec" / "faq.align", "faq_objective_robust_does_not_imply_inner")
    vocabulary = build(program, query, Fresh(program.next_uid))
    sizes = [len(c) for c in candidates.clauses(vocabulary, [], 3)]
    assert sizes == sorted(sizes)
    assert set(sizes) == {1, 2, 3}


def test_a_candidate_that_contradicts_the_axioms_is_dropped_and_counted_as_such():
    """On this claim of spec/ the enumerator meets a clause that proves the claim but contradicts
    the axioms; it is counted under `inconsistent`, and nothing shown contradicts them."""
    out = io.StringIO()
    status = dispatch(["suggest", str(ROOT / "spec" / "faq.align"), "--claim", "outer_and_inner_do_not_imply_impact",
                       "--format", "json", "--timeout", "600"], out, io.StringIO())
    doc = json.loads(out.getvalue())
    assert status == 0
    assert doc["dropped"]["inconsistent"] >= 1
    assert set(doc["dropped"]) == {"does_not_prove", "circular", "vacuous", "inconsistent", "unknown"}
