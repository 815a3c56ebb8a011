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
