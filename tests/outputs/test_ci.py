"""CI report formats: JUnit XML, SARIF 2.1.0 and GitHub annotations, parsed and checked for structure."""
from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from translator.cli import dispatch

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
FAILING = str(GOLDEN / "diagram_core.align")       # one claim misses its expectation
ERRORS = str(GOLDEN / "type_errors.align")         # input errors only


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def test_junit_has_a_testcase_per_claim_and_a_failure_per_miss():
    status, out, _ = cli("check", "--format", "junit", FAILING)
    root = ET.fromstring(out)
    assert status == 1 and root.tag == "testsuites"
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["inner_implies_objective_robust", "objective_robust_implies_inner",
                                              "wrongly_expected", "robust_without_mesa", "impossible"]
    assert suite.get("tests") == "5" and suite.get("failures") == "1" and root.get("failures") == "1"
    failure = cases[2].find("failure")
    assert failure.get("type") == "counterexample"
    assert "expected proved" in failure.get("message")
    assert "counterexample: a = Agent#0" in failure.text
    assert all(c.find("failure") is None for i, c in enumerate(cases) if i != 2)


def test_junit_reports_input_errors_as_errors():
    status, out, err = cli("check", "--format", "junit", ERRORS)
    root = ET.fromstring(out)
    assert status == 2 and root.get("errors") == "9" and root.get("tests") == "9"
    first = root.find("testsuite/testcase/error")
    assert first.get("type") == "domain-mismatch" and ":9:" in first.get("message")
    assert "error: cannot compare" in err


def test_sarif_has_the_2_1_0_shape_and_source_regions():
    status, out, _ = cli("check", "--format", "sarif", FAILING)
    doc = json.loads(out)
    assert status == 1 and doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    run = doc["runs"][0]
    assert run["tool"]["driver"]["name"] == "alignproof"
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    [result] = run["results"]
    assert result["ruleId"] in rule_ids and result["level"] == "error"
    assert result["properties"] == {"verdict": "counterexample", "expected": "proved",
                                    "name": "wrongly_expected", "kind": "claim"}
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("tests/golden/diagram_core.align")
    assert location["region"]["startLine"] == 24 and location["region"]["startColumn"] == 1


def test_sarif_lists_input_errors():
    status, out, _ = cli("check", "--format", "sarif", ERRORS)
    results = json.loads(out)["runs"][0]["results"]
    assert status == 2 and len(results) == 9
    assert results[0]["ruleId"] == "domain-mismatch" and results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 9


def test_sarif_is_empty_when_everything_passes():
    status, out, _ = cli("check", "--format", "sarif", str(GOLDEN / "finite_and_numbers.align"))
    assert status == 0 and json.loads(out)["runs"][0]["results"] == []


def test_github_annotations_for_failures_and_errors():
    status, out, _ = cli("check", "--format", "github", FAILING)
    lines = out.splitlines()
    assert status == 1
    assert lines[0].startswith("::error file=") and "diagram_core.align,line=24,col=1," in lines[0]
    assert lines[0].endswith("::claim wrongly_expected: counterexample, expected proved")
    assert "title=alignproof%3A wrongly_expected" in lines[0]
    assert lines[-1] == "5 checked: 4 ok, 1 failed"
    status, out, _ = cli("check", "--format", "github", ERRORS)
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert status == 2 and len(errors) == 9 and "line=9," in errors[0]


def test_github_escapes_newlines_and_separators():
    from translator.outputs.ci import _data, _property
    assert _data("a\nb%c") == "a%0Ab%25c"
    assert _property("x:y,z") == "x%3Ay%2Cz"
