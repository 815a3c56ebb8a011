"""The command line: exit codes, formats, arguments, and no tracebacks from any input."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.cli import dispatch
from translator.pipeline import front_end

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
ACCEPTANCE = ROOT.parent / "shared" / "acceptance" / "run"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def process(*argv: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "translator", *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=env, input=stdin)


def test_exit_0_when_every_expectation_is_met():
    status, out, _ = cli("check", str(GOLDEN / "finite_and_numbers.align"))
    assert status == 0 and "4 checked: 4 ok, 0 failed" in out


def test_exit_1_when_a_claim_misses_its_expectation():
    status, out, _ = cli("check", str(GOLDEN / "diagram_core.align"))
    assert status == 1 and "wrongly_expected: counterexample  (expected proved)" in out


def test_exit_1_for_inconsistent_axioms():
    status, _, err = cli("check", str(GOLDEN / "inconsistent.align"))
    assert status == 1 and "the axioms are inconsistent: all_p, c_not_p" in err


def test_exit_2_and_json_errors_for_input_errors():
    status, out, err = cli("check", "--format", "json", str(GOLDEN / "type_errors.align"))
    doc = json.loads(out)
    assert status == 2 and doc["results"] == [] and len(doc["errors"]) == 9
    assert doc["errors"][0]["line"] == 9 and "Sigma" in doc["errors"][0]["message"]
    assert "error: cannot compare f: S -> Real with g: Sigma -> Real" in err


def test_claim_option_selects_queries():
    status, out, _ = cli("check", "--format", "json", "--claim", "robust_means_both",
                         str(GOLDEN / "finite_and_numbers.align"))
    assert status == 0
    assert [r["name"] for r in json.loads(out)["results"]] == ["robust_means_both"]


def test_unknown_claim_is_an_input_error():
    status, _, err = cli("check", "--claim", "nope", str(GOLDEN / "finite_and_numbers.align"))
    assert status == 2 and "no claim or example named 'nope'" in err and "robust_means_both" in err


def test_missing_file_is_an_input_error():
    status, out, err = cli("check", "--format", "json", "no/such.align")
    assert status == 2 and json.loads(out)["errors"][0]["message"] == "no such file or directory: no/such.align"


@pytest.mark.parametrize("argv", [["check"], ["check", "--timeout", "-1", "x.align"],
                                  ["check", "--format", "xml", "x.align"], ["frobnicate"]])
def test_bad_arguments_exit_2_without_traceback(argv):
    status, _, err = cli(*argv)
    assert status == 2 and "alignproof: error:" in err and "Traceback" not in err


def test_bad_arguments_still_print_json_when_asked():
    status, out, _ = cli("check", "--format", "json", "--timeout", "zero", "x.align")
    assert status == 2 and json.loads(out)["errors"][0]["code"] == "usage"


def test_help_documents_the_exit_codes():
    result = process("check", "--help")
    assert result.returncode == 0
    for line in ("0    every result met its expectation", "1    some result did not",
                 "2    the input could not be checked"):
        assert line in result.stdout


def test_json_document_shape_matches_the_contract():
    _, out, _ = cli("check", "--format", "json", str(GOLDEN / "diagram_core.align"))
    doc = json.loads(out)
    assert set(doc) == {"results", "errors", "summary"}
    assert doc["summary"] == {"total": 5, "ok": 4, "failed": 1}
    proved, refuted = doc["results"][0], doc["results"][1]
    assert proved["used"] == ["mesa_is_behavioral"] and "model" not in proved
    assert refuted["witness"] == {"a": "Agent#0"}
    assert set(refuted["model"]) == {"sorts", "symbols"}
    assert refuted["model"]["symbols"]["mesa_optimizer"] == [{"args": ["Agent#0"], "value": False}]


def test_text_output_has_no_colour_when_not_a_terminal():
    _, out, _ = cli("check", str(GOLDEN / "finite_and_numbers.align"))
    assert "\033[" not in out


def test_deeply_nested_input_through_the_real_process(tmp_path):
    spec = tmp_path / "deep.align"
    spec.write_text("pred p\nclaim c: " + "(" * 100_000 + "p -> p" + ")" * 100_000 + "\n")
    # The solver's limit is far beyond what the question needs on any machine, however loaded:
    # the verdict must not depend on the machine's speed.
    result = process("check", "--timeout", "3600", str(spec))
    assert result.returncode == 0, result.stderr
    deep_not = tmp_path / "deep_not.align"
    deep_not.write_text("pred p\nclaim c: " + "not " * 100_000 + "p\n")
    result = process("check", str(deep_not))
    assert result.returncode == 2 and "too-deep" in result.stderr and "Traceback" not in result.stderr


def test_python_dash_m_and_directories(tmp_path):
    (tmp_path / "a.align").write_text("sort A\npred p: A\nclaim c: forall a: A. p(a) -> p(a)\n")
    result = process("check", "--format", "json", str(tmp_path))
    assert result.returncode == 0 and json.loads(result.stdout)["summary"]["ok"] == 1


@pytest.mark.skipif(not ACCEPTANCE.exists(), reason="the shared acceptance cases are not beside this checkout")
def test_public_acceptance_cases_pass():
    result = subprocess.run([sys.executable, str(ACCEPTANCE), sys.executable, "-m", "translator"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


WORDS = ["sort", "A", "B", "=", "{", "a", "b", "}", "const", "c", ":", "fun", "f", "->", "pred", "p",
         ",", "def", "d", "(", ")", ":=", "axiom", "claim", "example", "forall", "exists", ".",
         "and", "or", "not", "<->", "<=", "+", "*", "2", "1.5", "if", "then", "else", "true",
         "agree", "via", "bridge", "maximizes", "injective", "Real", "Int", "Bool", "within", "expect",
         "none", "counterexample", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=50))
def test_front_end_never_raises(tmp_path_factory, words):
    path = tmp_path_factory.mktemp("fuzz") / "f.align"
    path.write_text("sort S\nfun f: S -> Real\npred p: S\n" + " ".join(words), encoding="utf-8")
    front_end([str(path)])  # diagnostics or a program, never an exception


def test_all_symbols_shows_what_the_claim_does_not_mention():
    argv = ["check", "--format", "json", "--claim", "objective_robust_implies_inner",
            str(GOLDEN / "diagram_core.align")]
    _, shown, _ = cli(*argv)
    _, everything, _ = cli(*argv, "--all-symbols")
    shown = json.loads(shown)["results"][0]["model"]["symbols"]
    everything = json.loads(everything)["results"][0]["model"]["symbols"]
    assert "humans" not in shown and "humans" in everything
    assert set(shown) < set(everything)
    assert not any("@" in name for name in everything)  # solver-side witness constants stay hidden
