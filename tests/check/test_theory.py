"""The axioms of a file with no claim or example are its one result (translator/check/theory.py)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from conftest import run_cli

CONTRADICTORY = "sort S\npred p: S\naxiom a: forall x: S. p(x)\naxiom b: exists x: S. not p(x)\n"
CONSISTENT = "sort S\npred p: S\naxiom a: forall x: S. p(x)\n"


def _spec(tmp_path, text: str) -> str:
    path = tmp_path / "lib.align"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_contradictory_library_fails(tmp_path):
    status, out, err = run_cli("check", _spec(tmp_path, CONTRADICTORY))
    assert status == 1
    assert "axioms: inconsistent" in out and "a, b have no model together" in out
    assert "1 checked: 0 ok, 1 failed" in out
    assert "[inconsistent-axioms]" in err


def test_a_consistent_library_is_one_ok_result(tmp_path):
    status, out, _ = run_cli("check", _spec(tmp_path, CONSISTENT))
    assert status == 0
    assert "axioms: consistent" in out and "1 checked: 1 ok, 0 failed" in out


def test_the_json_document_has_the_theory(tmp_path):
    status, out, _ = run_cli("check", _spec(tmp_path, CONTRADICTORY), "--format", "json")
    doc = json.loads(out)
    assert status == 1 and doc["results"] == []
    [theory] = doc["theories"]
    assert theory["verdict"] == "inconsistent" and theory["ok"] is False
    assert theory["conflict"] == ["a", "b"] and theory["axioms"] == ["a", "b"]
    assert doc["summary"]["total"] == 1 and doc["summary"]["failed"] == 1


def test_junit_has_a_failing_case_for_the_axioms(tmp_path):
    status, out, _ = run_cli("check", _spec(tmp_path, CONTRADICTORY), "--format", "junit")
    assert status == 1
    [case] = [c for c in ET.fromstring(out).iter("testcase") if c.get("name") == "axioms"]
    assert case.find("failure") is not None


def test_a_library_is_not_tested_again_through_a_file_with_claims(tmp_path):
    lib = _spec(tmp_path, CONSISTENT)
    user = tmp_path / "user.align"
    user.write_text('import "lib.align"\nclaim c: forall x: S. p(x)\n', encoding="utf-8")
    status, out, _ = run_cli("check", str(user))
    assert status == 0 and "axioms:" not in out and "1 checked: 1 ok" in out
    assert lib


# z3 answers `unknown` on these axioms (incomplete quantifiers), which have no model: ax0 makes S
# a singleton, ax1 asks for two elements of S. cvc5 with finite model finding says unsat.
UNDECIDED_BY_Z3 = """sort S
sort T
const c0: T
fun f2: T -> S
pred p3: S
bridge b4: T -> S
axiom ax0: forall x: S. forall y: T. x = f2(y)
axiom ax1: exists y: T. b4(c0) != b4(y)
"""
CLAIMS = "claim q1: forall x: S. p3(x)\nclaim q2: forall y: T. b4(c0) = b4(y) -> p3(b4(y))\n"


def test_axioms_z3_cannot_decide_are_asked_of_cvc5(tmp_path):
    for jobs in ("1", "2"):
        status, out, err = run_cli("check", _spec(tmp_path, UNDECIDED_BY_Z3 + CLAIMS), "--format", "json",
                                   "--jobs", jobs)
        doc = json.loads(out)
        assert status == 1, jobs
        assert all(r["verdict"] == "unknown" for r in doc["results"])
        assert "[inconsistent-axioms]" in err and "ax0, ax1 have no model together" in err


def test_the_used_set_of_each_proof_is_tested_when_the_whole_theory_is_undecided(tmp_path, monkeypatch):
    from translator.check import theory
    from translator.solvers.cvc5 import Answer
    asked = theory._Asker.__call__

    def undecided_whole(self, checker, names):  # as if the other solvers gave up on all axioms
        if len(names) == len(checker.axioms):
            return Answer("unknown", "cvc5: incomplete")
        return asked(self, checker, names)

    monkeypatch.setattr(theory._Asker, "__call__", undecided_whole)
    unrelated = "sort U\npred r: U\naxiom ax2: forall u: U. r(u)\n"
    status, out, err = run_cli("check", _spec(tmp_path, UNDECIDED_BY_Z3 + unrelated + "claim q1: forall x: S. p3(x)\n"))
    assert status == 1 and "claim q1: proved" not in out
    assert "ax0, ax1 have no model together" in err


def test_undecided_consistency_fails_under_strict_and_the_ci_formats(tmp_path, monkeypatch):
    from translator.check import theory
    from translator.solvers.cvc5 import Answer
    monkeypatch.setattr(theory._Asker, "__call__", lambda self, checker, names:
                        Answer("unknown", "cvc5: incomplete"))
    spec = _spec(tmp_path, UNDECIDED_BY_Z3 + "claim q0: forall x: S. x = x\n")
    status, out, _ = run_cli("check", spec)
    assert status == 0 and "could not be established" in out
    status, out, _ = run_cli("check", spec, "--strict")
    assert status == 1 and "axioms: unknown" in out
    status, out, _ = run_cli("check", spec, "--format", "github")
    assert status == 1 and "::error" in out and "axioms of" in out
