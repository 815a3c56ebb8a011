"""The vacuity test of a proved claim (translator/check/vacuity.py), through the command line."""
from __future__ import annotations

import json

from conftest import run_cli

SINGLETON = """sort S
sort T
const c0: T
fun f2: T -> S
pred p3: S
bridge b4: T -> S
axiom ax0: forall x: S. forall y: T. x = f2(y)
claim q2: forall y: T. b4(c0) != b4(y) -> exists y: T. forall z: T. p3(b4(z)) within 1
"""


def _warnings(tmp_path, text: str, *flags: str) -> list[str]:
    (tmp_path / "spec.align").write_text(text, encoding="utf-8")
    status, out, err = run_cli("check", str(tmp_path / "spec.align"), "--format", "json", *flags)
    assert "Traceback" not in err
    [result] = json.loads(out)["results"]
    assert result["verdict"] == "proved"
    return result.get("warnings", [])


def test_a_vacuity_that_cannot_be_decided_is_said(tmp_path):
    # ax0 makes S a singleton, so the hypothesis never holds; z3 cannot tell (incomplete
    # quantifiers), which once left the proof with no word at any timeout.
    [warning] = _warnings(tmp_path, SINGLETON, "--timeout", "2")
    assert warning.startswith(("vacuous:", "vacuity not decided:")), warning
    assert "spec.align:8:24" in warning


def test_hypotheses_that_conflict_together_are_named_together(tmp_path):
    [warning] = _warnings(tmp_path, "sort S\npred p: S\npred q: S\n"
                          "claim c: forall x: S. p(x) -> (not p(x) -> q(x))\n")
    assert "can never hold" not in warning  # p(x) alone can hold
    at = f"{tmp_path / 'spec.align'}:4"
    assert warning == (f"vacuous: the hypotheses at {at}:23 and {at}:32 cannot hold together "
                       "(they contradict each other)"), warning


def test_one_impossible_hypothesis_is_named_with_the_axioms_it_contradicts(tmp_path):
    [warning] = _warnings(tmp_path, "sort S\npred p: S\npred q: S\naxiom none: forall x: S. not p(x)\n"
                          "claim c: forall x: S. q(x) -> p(x) -> q(x)\n")
    assert warning == (f"vacuous: the hypothesis at {tmp_path / 'spec.align'}:5:31 can never hold under the axioms "
                       "(it contradicts none)")


def test_hypotheses_that_can_hold_give_no_warning(tmp_path):
    assert _warnings(tmp_path, "sort S\npred p: S\nclaim c: forall x: S. p(x) -> p(x)\n") == []
