"""The pytest plugin: claims as test items, only when asked (`--align` or ini `align_paths`)."""
from __future__ import annotations

import importlib.metadata
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
ENTRY_POINT = any(e.name == "alignproof" for e in importlib.metadata.entry_points(group="pytest11"))
LOAD = [] if ENTRY_POINT else ["-p", "translator.pytest_plugin"]  # not pip-installed: load it by name


@pytest.fixture
def specs(pytester: pytest.Pytester, monkeypatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    (pytester.path / "specs").mkdir()
    for name in ("diagram_core.align", "finite_and_numbers.align"):
        (pytester.path / "specs" / name).write_text((GOLDEN / name).read_text(encoding="utf-8"), encoding="utf-8")
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(*LOAD, "-p", "no:cacheprovider", *args)


def test_each_claim_is_an_item_and_a_miss_fails_with_verdict_and_expectation(specs):
    result = run(specs, "--align", "specs", "-v")
    result.assert_outcomes(passed=8, failed=1)
    result.stdout.fnmatch_lines([
        "*specs/diagram_core.align::inner_implies_objective_robust PASSED*",
        "*specs/diagram_core.align::wrongly_expected FAILED*",
        "claim wrongly_expected: counterexample, expected proved",
        "counterexample: a = Agent#0",
    ])
    assert result.ret == 1


def test_k_selects_and_x_stops(specs):
    run(specs, "--align", "specs", "-k", "objective_robust").assert_outcomes(passed=2)
    result = run(specs, "--align", "specs/diagram_core.align", "-x")
    result.assert_outcomes(passed=2, failed=1)


def test_junitxml_lists_the_claims(specs):
    result = run(specs, "--align", "specs/diagram_core.align", "--junitxml", "report.xml")
    assert result.ret == 1
    root = ET.parse(specs.path / "report.xml").getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {"inner_implies_objective_robust", "objective_robust_implies_inner", "wrongly_expected",
                          "robust_without_mesa", "impossible"}
    assert cases["wrongly_expected"].find("failure") is not None


def test_ini_option_turns_it_on(specs):
    specs.makeini("[pytest]\nalign_paths = specs/finite_and_numbers.align\n")
    run(specs).assert_outcomes(passed=4)


def test_input_errors_fail_one_item(specs):
    (specs.path / "specs" / "broken.align").write_text("sort A\nclaim c: forall a: B. true\n", encoding="utf-8")
    result = run(specs, "--align", "specs/broken.align")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*error: *[[]undeclared[]]*"])


def test_inert_when_not_asked(specs):
    result = run(specs, "specs")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_entry_point_is_declared():
    doc = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert doc["project"]["entry-points"]["pytest11"] == {"alignproof": "translator.pytest_plugin"}


def test_pytest_xdist_spreads_the_claims_over_workers(specs):
    pytest.importorskip("xdist", reason="pytest-xdist is not installed (it is in the test extra)")
    result = run(specs, "--align", "specs", "-n", "2", "-v")
    result.assert_outcomes(passed=8, failed=1)
    result.stdout.fnmatch_lines(["*gw[01]*PASSED*specs/diagram_core.align::inner_implies_objective_robust*"])
    assert result.ret == 1


def test_a_claim_under_each_reading_is_an_item_of_its_own(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    (pytester.path / "read.align").write_text(
        "sort S\npred p: S\naxiom all_p: forall x: S. p(x)\nclaim c: forall x: S. p(x)\n"
        "  expect counterexample in loose\n"
        "claim d: forall x: S. p(x) or not p(x)\n"
        "reading loose:\n  drop axiom all_p\nend\nreading wrong:\n  drop axiom all_p\n"
        "  axiom q: exists x: S. p(x)\nend\n", encoding="utf-8")
    result = run(pytester, "--align", "read.align", "-v")
    result.stdout.fnmatch_lines_random([
        "*read.align::c[[]base[]] PASSED*", "*read.align::c[[]loose[]] PASSED*", "*read.align::c[[]wrong[]] FAILED*",
        "*read.align::d[[]base[]] PASSED*", "*read.align::d[[]loose[]] PASSED*", "*read.align::d[[]wrong[]] PASSED*",
    ])
    result.assert_outcomes(passed=5, failed=1)
