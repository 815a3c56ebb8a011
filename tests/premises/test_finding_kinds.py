"""`alignproof audit`'s findings, one kind each, on small specs whose answer is known by construction.

- an axiom implied by two others is redundant, with those two;
- an axiom no proved claim needs is idle;
- a claim with exactly two minimal premise sets has both, and check's `used` is one;
- a claim that restates an axiom of its premise set is circular;
- a premise set that contradicts the claim's hypothesis is vacuous;
- an inconsistent set with two conflicts has them, and its three repairs, fewest first;
- Hubinger's arrows 2 and 3 each rest on one axiom and give it back under no reading.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from audits import HEADER, audited

from translator.check.results import Verdict
from translator.options import Options
from translator.premises.audit import audit
from translator.premises.findings import Evidence

ROOT = Path(__file__).resolve().parents[2]


def axiom(program, name):
    return next(a for a in program.axioms if a.axiom == name)


def claim(program, name):
    return next(c for c in program.claims if c.name == name)


def test_an_axiom_implied_by_two_others_is_redundant(tmp_path):
    _, program = audited("axiom p_q: forall x: S. p(x) -> q(x)\n"
                         "axiom q_r: forall x: S. q(x) -> r(x)\n"
                         "axiom p_r: forall x: S. p(x) -> r(x)\n", tmp_path)
    assert axiom(program, "p_r").independent is False
    assert axiom(program, "p_r").implied_by == ("p_q", "q_r")
    assert "claim" in axiom(program, "p_r").hint()
    for name in ("p_q", "q_r"):
        shown = axiom(program, name)
        assert shown.independent is True and shown.result.verdict is Verdict.COUNTEREXAMPLE
        assert shown.result.model is not None and shown.result.explanation is not None
    doc = axiom(program, "p_r").to_json()
    assert doc["independent"] is False and doc["implied_by"] == ["p_q", "q_r"] and "world" not in doc
    assert "world" in axiom(program, "p_q").to_json()


def test_an_idle_axiom(tmp_path):
    _, program = audited("axiom some_p: exists x: S. p(x)\n"
                         "axiom p_q: forall x: S. p(x) -> q(x)\n"
                         "axiom some_r: exists x: S. r(x)\n"
                         "claim some_q: exists x: S. q(x)\n", tmp_path)
    assert program.idle == ("some_r",)
    assert axiom(program, "some_p").used_by == ("some_q",) == axiom(program, "p_q").needed_by
    assert claim(program, "some_q").cores == (("some_p", "p_q"),)
    assert {n.axiom: n.evidence for n in claim(program, "some_q").needed} == \
        {"some_p": Evidence.RECHECKED, "p_q": Evidence.RECHECKED}


TWO_WAYS = ("axiom direct: forall x: S. p(x) -> q(x)\n"
            "axiom p_r: forall x: S. p(x) -> r(x)\n"
            "axiom r_q: forall x: S. r(x) -> q(x)\n"
            "axiom unrelated: exists x: S. not r(x)\n"
            "claim at_c: p(c) -> q(c)\n")


def test_a_claim_with_exactly_two_minimal_premise_sets(tmp_path):
    _, program = audited(TWO_WAYS, tmp_path)
    found = claim(program, "at_c")
    assert found.cores == (("direct",), ("p_r", "r_q")) and found.complete
    assert tuple(found.result.used) in found.cores
    assert found.needed == ()  # each way can be done without
    assert found.circular == () and found.vacuous == ()
    assert program.idle == ("unrelated",)
    assert axiom(program, "direct").used_by == ("at_c",) and axiom(program, "direct").needed_by == ()


def test_the_limit_of_premise_sets(tmp_path):
    _, program = audited(TWO_WAYS, tmp_path, max_cores=1)
    found = claim(program, "at_c")
    assert len(found.cores) == 1 and not found.complete and "--max-cores" in found.why
    assert found.cores[0] == tuple(found.result.used)  # check's `used` is asked first


def test_a_circular_proof(tmp_path):
    _, program = audited("axiom assumed: forall x: S. p(x) -> q(x)\n"
                         "axiom some_p: exists x: S. p(x)\n"
                         "claim contrapositive: forall y: S. not q(y) -> not p(y)\n"
                         "claim some_q: exists x: S. q(x)\n", tmp_path)
    assert [(name, c.axiom) for name, c in program.circular] == [("contrapositive", "assumed")]
    (converse,) = claim(program, "contrapositive").converses
    assert converse.implied is True and "contrapositive" in converse.result.used
    some_q = claim(program, "some_q")  # gives back neither premise: each is stronger than it
    assert some_q.circular == () and {c.axiom: c.implied for c in some_q.converses} == \
        {"assumed": False, "some_p": False}
    assert all(c.result.model is not None for c in some_q.converses)


def test_a_vacuous_premise_set(tmp_path):
    _, program = audited("axiom never_p: forall x: S. not p(x)\n"
                         "claim p_q: forall x: S. p(x) -> q(x)\n"
                         "claim p_c_q_c: p(c) -> q(c)\n", tmp_path)
    assert claim(program, "p_q").cores == (("never_p",),) and claim(program, "p_q").vacuous == (("never_p",),)
    assert claim(program, "p_c_q_c").vacuous == (("never_p",),)


def test_an_inconsistent_set_with_two_conflicts_and_its_repairs(tmp_path):
    found, program = audited("axiom a1: p(c)\naxiom a2: not p(c)\naxiom a3: q(c)\n"
                             "axiom a4: forall x: S. q(x) -> not p(x)\n"
                             "claim anything: forall x: S. p(x)\n", tmp_path)
    assert program.consistent is False and not found.ok
    assert program.conflicts == (("a1", "a2"), ("a1", "a3", "a4")) and program.conflicts_complete
    assert [r.axioms for r in program.repairs] == [("a1",), ("a2", "a3"), ("a2", "a4")]
    assert all(r.consistent is True for r in program.repairs) and program.repairs_complete
    assert program.idle == () and claim(program, "anything").cores == ()


def test_a_broken_expectation_fails_the_audit(tmp_path):
    found, _ = audited("claim wrong: forall x: S. p(x)\n", tmp_path)
    assert not found.ok
    found, _ = audited("claim right: forall x: S. p(x) -> p(x)\n", tmp_path)
    assert found.ok


@pytest.mark.parametrize("arrow, assumption", [
    ("outer_and_objective_robust_implies_intent", "outer_measures_what_we_care_about"),
    ("intent_and_capability_robust_implies_impact", "capability_means_effective_pursuit")])
def test_hubingers_arrows_rest_on_one_axiom_each_and_do_not_give_it_back(arrow, assumption):
    found = audit([str(ROOT / "spec" / "hubinger.align")], Options(jobs=1))
    (program,) = found.programs
    shown = claim(program, arrow)
    assert shown.cores == ((assumption,),) and shown.complete
    assert [n.axiom for n in shown.needed] == [assumption]
    (converse,) = shown.converses
    assert converse.implied is False and converse.result.model is not None and shown.circular == ()


def test_the_audit_spreads_its_checks_over_workers(tmp_path):
    """--jobs: the variants of one program are told apart by the worker pool (each its own root)."""
    path = tmp_path / "spec.align"
    path.write_text(HEADER + TWO_WAYS, encoding="utf-8")
    one = audit([str(path)], Options(timeout=5.0, jobs=1)).programs[0]
    two = audit([str(path)], Options(timeout=5.0, jobs=2)).programs[0]
    assert [a.independent for a in one.axioms] == [a.independent for a in two.axioms]
    assert [c.cores for c in one.claims] == [c.cores for c in two.claims]
    assert os.environ.get("ALIGNPROOF_JOBS") == "1"
