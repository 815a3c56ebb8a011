"""`--cross-check`: every answer asked again of cvc5, and any disagreement a failure.

The translation to cvc5 (translator/solvers/cvc5.py) is tested differentially (cvc5 and z3 must agree on
the same core formulas); the spec library and the golden corpus must cross-check
with no disagreement; a disagreement, forced by a lying second solver or a
lying first one, must fail the run with both answers shown.
"""
from __future__ import annotations

import io
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import TPTP_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translator.check import checker, crosscheck
from translator.check.checker import query_formulas
from translator.check.results import Verdict
from translator.check.stack import Plain
from translator.cli import dispatch
from translator.logic import core
from translator.logic.core import (
    Add,
    And,
    App,
    Compare,
    Eq,
    Iff,
    Implies,
    Ite,
    Neg,
    Not,
    NumLit,
    Or,
    Quant,
    QuantKind,
    Scale,
    Symbol,
    SymbolKind,
    Var,
)
from translator.pipeline import front_end
from translator.solvers import cvc5 as cvc5_solver
from translator.solvers import z3 as smt

try:
    import cvc5
except ImportError:  # the tests of the missing package still run
    cvc5 = None

needs_cvc5 = pytest.mark.skipif(cvc5 is None, reason="the cvc5 package (pip install 'alignproof[cross-check]') "
                                                     "is not installed")

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def program_of(tmp_path: Path, text: str) -> core.Program:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "spec.align"
    path.write_text(text)
    programs, diags, _ = front_end([str(path)])
    assert not diags, diags
    (program,) = programs
    return program


def cvc5_says(program, formulas, witnesses=(), bound=None, timeout=10.0) -> str:
    """cvc5's answer in this process: with finite model finding, then without, as the worker tries."""
    for finite in (True, False):
        found = cvc5_solver.answer(cvc5, program, formulas, witnesses, bound, timeout, finite)
        if found.status != "unknown":
            return found.status
    return "unknown"


def z3_says(program, formulas, witnesses=(), bound=None) -> str:
    return smt.solve(program, [], formulas, witnesses, bound, want_model=False).status


# ---------------------------------------------------------------- the translation, against z3

CONSTRUCTS = """
sort Dist = {train, deploy, test}
sort S
sort C
const c: S
fun f: S -> Real
fun h: S -> Int
fun g: C -> Real
pred good: S, Dist
bridge b: C -> S
def robust(s: S) := forall d: Dist. good(s, d)
axiom ordered: forall s: S. f(s) >= 0 and h(s) <= 10
claim finite_sort_has_its_elements: forall d: Dist. d = train or d = deploy or d = test
claim finite_elements_differ: train != deploy
claim robust_means_all: forall s: S. robust(s) <-> good(s, train) and good(s, deploy) and good(s, test)
claim training_is_enough: forall s: S. good(s, train) -> robust(s)
  expect counterexample
claim halves: forall s: S. 0.5 * f(s) + 0.5 * f(s) = f(s)
claim ints_are_whole: forall s: S. 2 * h(s) != 1
claim reals_are_not: exists s: S. 2 * f(s) = 1
  expect counterexample
claim ite_picks: forall s: S. (if good(s, train) then h(s) else -h(s)) <= 10 or not good(s, train)
claim negation_bounds: forall s: S. -h(s) >= -10
claim order_is_strict: forall s, t: S. f(s) < f(t) -> not (f(t) <= f(s))
claim bridged_agreement_holds: agree(f, g via b)
  expect counterexample
claim maximum_is_unique: forall s, t: S. maximizes(f, s) and maximizes(f, t) -> s = t
  expect counterexample
claim injective_bridge: injective(b) -> surjective(b)
  expect counterexample
example a_witness: exists s: S. f(s) > 3 and h(s) = 10 and good(s, deploy)
example no_witness: exists s: S. h(s) > 10
  expect none
claim small_world: forall s, t, u: S. s = t or t = u or s = u within 2
"""


@needs_cvc5
def test_every_construct_means_to_cvc5_what_it_means_to_z3(tmp_path):
    program = program_of(tmp_path, CONSTRUCTS)
    answers = {}
    for query in program.queries:
        formulas, witnesses = query_formulas(program, query)
        mine = cvc5_says(program, formulas, witnesses, query.within)
        theirs = z3_says(program, formulas, witnesses, query.within)
        answers[query.name] = (mine, theirs)
        expected = "sat" if query.expect in ("counterexample", "witness") else "unsat"
        assert (mine, theirs) == (expected, expected), query.name
    assert len(answers) == len(program.queries) == 16


@needs_cvc5
def test_a_bound_caps_every_uninterpreted_sort(tmp_path):
    program = program_of(tmp_path, "sort A\nclaim two: forall x, y, z: A. x = y or y = z or x = z\n")
    formulas, witnesses = query_formulas(program, program.queries[0])
    assert [cvc5_says(program, formulas, witnesses, bound) for bound in (1, 2, 3, None)] == \
        ["unsat", "unsat", "sat", "sat"]


@needs_cvc5
def test_an_untranslatable_term_is_unknown_with_the_reason(tmp_path):
    program = program_of(tmp_path, "sort A\npred p: A\ndef q(a: A) := p(a)\nclaim c: forall a: A. q(a)\n")
    unexpanded = program.queries[0].formula  # still holds the definition call
    found = cvc5_solver.answer(cvc5, program, [unexpanded], (), None, 5.0, True)
    assert found.status == "unknown" and "DefCall must be expanded first" in found.reason


# Random quantifier-free and singly quantified formulas over a small signature:
# cvc5 and z3 must give the same answer whenever both give one.
S = core.Sort("S")
P = Symbol("p", (S,), core.BOOL, SymbolKind.PRED)
F = Symbol("f", (S,), S, SymbolKind.FUN)
N = Symbol("n", (S,), core.INT, SymbolKind.FUN)
R = Symbol("r", (S,), core.REAL, SymbolKind.FUN)
CONSTS = [Symbol(name, (), S, SymbolKind.CONST) for name in ("a", "b")]
X = Var("x", S, 1)
SIGNATURE = core.Program("random.align", (S,), (P, F, N, R, *CONSTS), (), (), (), next_uid=2)


def _elements(bound: bool):
    atoms = [App(c) for c in CONSTS] + ([X] if bound else [])
    return st.recursive(st.sampled_from(atoms), lambda inner: inner.map(lambda t: App(F, (t,))), max_leaves=3)


def _numbers(elements, sort):
    symbol = N if sort == core.INT else R
    base = st.one_of(elements.map(lambda t: App(symbol, (t,))),
                     st.integers(-2, 2).map(lambda v: NumLit(v, sort)))
    return st.recursive(base, lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda ab: Add(ab)), inner.map(Neg),
        st.tuples(st.sampled_from([2, -1, 3]), inner).map(lambda ca: Scale(ca[0], ca[1]))), max_leaves=4)


def _formulas(bound: bool):
    elements = _elements(bound)
    ints, reals = _numbers(elements, core.INT), _numbers(elements, core.REAL)
    atoms = st.one_of(
        elements.map(lambda t: App(P, (t,))),
        st.tuples(elements, elements).map(lambda ab: Eq(*ab)),
        st.tuples(st.sampled_from(["<", "<=", ">", ">="]), ints, ints).map(lambda o: Compare(*o)),
        st.tuples(st.sampled_from(["<", "<="]), reals, reals).map(lambda o: Compare(*o)),
        st.tuples(elements.map(lambda t: App(P, (t,))), ints, ints).map(
            lambda cte: Eq(Ite(*cte), NumLit(0, core.INT))))
    return st.recursive(atoms, lambda inner: st.one_of(
        inner.map(Not), st.lists(inner, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
        st.tuples(inner, inner).map(lambda ab: Implies(*ab)),
        st.tuples(inner, inner).map(lambda ab: Iff(*ab))), max_leaves=5)


@needs_cvc5
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_formulas(False), min_size=1, max_size=2), _formulas(True),
       st.sampled_from(list(QuantKind)))
def test_random_formulas_get_the_same_answer_from_both_solvers(ground, body, kind):
    formulas = [*ground, Quant(kind, (X,), body)]
    mine, theirs = cvc5_says(SIGNATURE, formulas, timeout=5.0), z3_says(SIGNATURE, formulas)
    if "unknown" not in (mine, theirs):
        assert mine == theirs


# ---------------------------------------------------------------- the library and the corpus

@needs_cvc5
def test_the_spec_library_cross_checks_with_no_disagreement(capsys):
    started = time.perf_counter()
    status, out, err = cli("check", str(ROOT / "spec"), "--cross-check", "--format", "json", "--jobs", "2")
    doc = json.loads(out)
    tally = doc["summary"]["cross_check"]
    with capsys.disabled():
        print(f"\nspec/ with --cross-check: {tally} in {time.perf_counter() - started:.1f}s")
    assert status == 0 and not doc["errors"], err
    assert tally["disagree"] == 0
    assert all(r["cross_check"]["agrees"] is True for r in doc["results"])
    assert tally["agree"] == doc["summary"]["total"] > 0


@needs_cvc5
@pytest.mark.parametrize("name", ["bounded", "diagram_core", "finite_and_numbers", "inconsistent",
                                  "vacuous_and_inconsistent"])
def test_the_golden_corpus_cross_checks_with_no_disagreement(name):
    _, out, _ = cli("check", str(GOLDEN / f"{name}.align"), "--cross-check", "--format", "json")
    doc = json.loads(out)
    assert doc["results"] and all(r["cross_check"]["agrees"] is True for r in doc["results"])
    assert not [e for e in doc["errors"] if e["code"] == "solver-disagreement"]


def test_the_questions_follow_the_verdicts(tmp_path):
    """What each verdict is checked against: unsat for proofs and `none`, sat for models, the bound of `within`."""
    path = tmp_path / "kinds.align"
    path.write_text(GOLDEN.joinpath("bounded.align").read_text()
                    + "example there: exists a: A. q(a)\nexample nothing: exists a: A. p(a) and not p(a)\n"
                    + "  expect none\n")
    asked = {}

    def record(program, formulas, witnesses, bound, expected, timeout):
        asked.setdefault(len(witnesses), []).append((expected, bound))
        return crosscheck.Answer(expected or "unknown")

    programs, _, _ = front_end([str(path)])
    outcome = crosscheck.CrossChecker(Plain(checker.check_program), "stub", record)(programs[0])
    checks = {r.name: (r.verdict.value, r.cross_check.expected, r.cross_check.bound) for r in outcome.results}
    assert checks == {"small": ("bounded", "unsat", 2), "proved_in_scope": ("proved", "unsat", None),
                      "refuted_in_scope": ("counterexample", "sat", 2), "there": ("witness", "sat", None),
                      "nothing": ("none", "unsat", None)}
    assert ("sat", None) in asked[0]  # the axioms, asked once, with no witness constants


TPTP = TPTP_DIR
TPTP_SAMPLE_STEP = int(os.environ.get("ALIGNPROOF_TPTP_STEP", "10"))
"""Every tenth problem of the soundness corpus (the whole corpus takes minutes: see test_tptp.py);
ALIGNPROOF_TPTP_STEP=1 asks for all of it."""


def _library_contradiction(status: str, cvc5_answer: str, query_kind: core.QueryKind) -> bool:
    """Whether cvc5's answer to the main question contradicts the status the TPTP library records."""
    if query_kind is core.QueryKind.CLAIM:
        return (status, cvc5_answer) in (("Theorem", "sat"), ("CounterSatisfiable", "unsat"))
    return status == "Satisfiable" and cvc5_answer == "unsat"


@needs_cvc5
@pytest.mark.skipif(not (TPTP / "index.tsv").exists(), reason=f"{TPTP}/index.tsv not found")
def test_a_sample_of_the_tptp_corpus_cross_checks_with_no_disagreement(capsys):
    import csv

    import tptp_reader as tptp

    with (TPTP / "index.tsv").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))[::TPTP_SAMPLE_STEP]
    seen = []
    with crosscheck.CrossChecker.with_cvc5(Plain(checker.check_program), 2) as cross:
        for row in rows:
            program = tptp.program_from_file(TPTP / "problems" / row["problem"])
            (result,) = cross(program, checker.CheckOptions(timeout=1.0)).results
            seen.append((row["problem"], row["status"], result.verdict.value, result.cross_check))
        assert not cross.diagnostics
    with capsys.disabled():
        print(f"\nTPTP sample with --cross-check: "
              f"{sum(c.agrees is True for *_, c in seen)} of {len(seen)} agree, the rest not compared")
    assert not [s for s in seen if s[3].agrees is False]
    query_kinds = {row["problem"]: tptp.program_from_file(TPTP / "problems" / row["problem"]).queries[0].kind
                   for row in rows}
    assert not [s for s in seen if _library_contradiction(s[1], s[3].answer, query_kinds[s[0]])]
    assert len(seen) == len(rows) >= 5


@needs_cvc5
def test_the_worker_processes_outlive_each_program(tmp_path):
    """Linux ends a worker with the thread that started it: the threads must last the whole run."""
    programs = [program_of(tmp_path / name, text) for name, text in
                (("one", "sort A\npred p: A\nclaim c: forall a: A. p(a) -> p(a)\n"),
                 ("two", "sort B\npred q: B\nexample e: exists b: B. q(b)\n"))]
    with crosscheck.CrossChecker.with_cvc5(Plain(checker.check_program), 1) as cross:
        first = cross(programs[0]).results[0].cross_check
        worker = cross.ask.processes[0].process
        second = cross(programs[1]).results[0].cross_check
        assert worker.is_alive() and cross.ask.processes[0].process is worker
    assert first.agrees is True and second.agrees is True and not first.reason and not second.reason


# ---------------------------------------------------------------- disagreements fail

PROGRAM = """sort A
pred p: A
pred q: A
axiom some_p: exists a: A. p(a)
claim p_implies_p: forall a: A. p(a) -> p(a)
claim p_implies_q: forall a: A. p(a) -> q(a)
  expect counterexample
example a_q: exists a: A. q(a)
"""


def _liar(program, formulas, witnesses, bound, expected, timeout):
    """A second solver that contradicts every answer of the first, about the queries only."""
    if not witnesses and expected == "sat":  # the axioms' question: let it agree
        return crosscheck.Answer("sat")
    return crosscheck.Answer({"sat": "unsat", "unsat": "sat"}.get(expected, "unknown"))


@pytest.fixture
def lying_cvc5(monkeypatch):
    monkeypatch.setattr(crosscheck.CrossChecker, "with_cvc5",
                        classmethod(lambda cls, inner, jobs=1: cls(inner, "cvc5 (lying)", _liar)))


def test_a_disagreement_fails_with_both_answers_in_text(tmp_path, lying_cvc5):
    path = tmp_path / "spec.align"
    path.write_text(PROGRAM)
    status, out, _ = cli("check", str(path), "--cross-check")
    assert status == 1
    assert "z3 says proved (unsat) but cvc5 (lying) says sat" in out
    assert "z3 says counterexample (sat) but cvc5 (lying) says unsat" in out
    assert "z3 says witness (sat) but cvc5 (lying) says unsat" in out
    assert "3 checked: 0 ok, 3 failed; cvc5 (lying): 0 agree, 3 disagree, 0 not compared" in out
    assert "(the solvers disagree)" in out


def test_a_disagreement_fails_with_both_answers_in_json(tmp_path, lying_cvc5):
    path = tmp_path / "spec.align"
    path.write_text(PROGRAM)
    status, out, _ = cli("check", str(path), "--cross-check", "--format", "json")
    doc = json.loads(out)
    assert status == 1 and doc["summary"]["failed"] == 3
    proved = next(r for r in doc["results"] if r["name"] == "p_implies_p")
    assert proved["verdict"] == "proved" and proved["ok"] is False
    assert proved["cross_check"] == {"solver": "cvc5 (lying)", "answer": "sat", "agrees": False, "z3": "unsat",
                                     "message": "z3 says proved (unsat) but cvc5 (lying) says sat"}


def test_a_disagreement_shows_in_the_ci_formats(tmp_path, lying_cvc5):
    path = tmp_path / "spec.align"
    path.write_text(PROGRAM)
    status, out, _ = cli("check", str(path), "--cross-check", "--format", "junit")
    assert status == 1 and "the solvers disagree: z3 says proved (unsat) but cvc5 (lying) says sat" in out


def test_a_disagreement_about_the_axioms_is_an_error(tmp_path, monkeypatch):
    def inconsistent_for_cvc5(program, formulas, witnesses, bound, expected, timeout):
        return crosscheck.Answer("unsat" if not witnesses and expected == "sat" else expected or "unknown")

    monkeypatch.setattr(crosscheck.CrossChecker, "with_cvc5",
                        classmethod(lambda cls, inner, jobs=1: cls(inner, "cvc5 (lying)", inconsistent_for_cvc5)))
    path = tmp_path / "spec.align"
    path.write_text(PROGRAM)
    status, out, err = cli("check", str(path), "--cross-check", "--format", "json")
    errors = json.loads(out)["errors"]
    assert status == 1 and [e["code"] for e in errors] == ["solver-disagreement"]
    assert errors[0]["message"] == ("z3 found no conflict among the axioms but cvc5 (lying) says they are "
                                    "inconsistent (unsat)")
    assert errors[0]["line"] == 4 and "spec.align:4:1: error: z3 found no conflict" in err


def _proving_everything(inner):
    """A first solver that turns every counterexample it finds into a proof."""
    def check(program, options, names):
        outcome = inner(program, options, names)
        wrong = [replace(r, verdict=Verdict.PROVED, used=(), model=None, witness=None, explanation=None)
                 if r.verdict is Verdict.COUNTEREXAMPLE else r for r in outcome.results]
        return replace(outcome, results=tuple(wrong))
    return check


@needs_cvc5
def test_real_cvc5_catches_a_wrong_proof(tmp_path, monkeypatch):
    with_cvc5 = crosscheck.CrossChecker.with_cvc5.__func__
    monkeypatch.setattr(crosscheck.CrossChecker, "with_cvc5",
                        classmethod(lambda cls, inner, jobs=1: with_cvc5(cls, Plain(_proving_everything(inner)), jobs)))
    path = tmp_path / "spec.align"
    path.write_text(PROGRAM)
    status, out, _ = cli("check", str(path), "--cross-check")
    assert status == 1
    assert "claim p_implies_q: proved  (expected counterexample; the solvers disagree)" in out
    assert f"z3 says proved (unsat) but {crosscheck.solver_name()} says sat" in out
    assert "claim p_implies_p: proved" in out and f"cvc5 {cvc5_version()} agrees (unsat)" in out


def cvc5_version() -> str:
    from importlib.metadata import version
    return version("cvc5")


def test_an_unanswered_question_is_a_note_not_a_failure(tmp_path, monkeypatch):
    monkeypatch.setattr(crosscheck.CrossChecker, "with_cvc5", classmethod(
        lambda cls, inner, jobs=1: cls(inner, "cvc5 (stuck)", lambda *q: crosscheck.Answer("unknown", "timeout"))))
    path = tmp_path / "spec.align"
    path.write_text(PROGRAM)
    status, out, _ = cli("check", str(path), "--cross-check")
    assert status == 0
    assert out.count("cross-check: cvc5 (stuck) gave no answer (timeout); not compared") == 3


# ---------------------------------------------------------------- without cvc5

@pytest.mark.parametrize("fmt", ["text", "json"])
def test_without_cvc5_the_option_is_an_input_error_with_the_install_hint(monkeypatch, fmt):
    monkeypatch.setitem(sys.modules, "cvc5", None)  # import cvc5 now raises ImportError
    status, out, err = cli("check", str(GOLDEN / "bounded.align"), "--cross-check", "--format", fmt)
    assert status == 2 and "Traceback" not in err
    assert "alignproof: error: --cross-check needs the cvc5 package" in err
    assert "pip install 'alignproof[cross-check]'" in err
    if fmt == "json":
        doc = json.loads(out)
        assert doc["results"] == [] and "pip install 'alignproof[cross-check]'" in doc["errors"][0]["help"]


def test_without_cvc5_everything_else_still_works(monkeypatch):
    monkeypatch.setitem(sys.modules, "cvc5", None)
    status, out, _ = cli("check", str(GOLDEN / "bounded.align"))
    assert status == 0 and "cross-check" not in out


# ---------------------------------------------------------------- the worker process

def _ready_then_silent(conn) -> None:
    """A stand-in worker that starts and then never answers (a search that ignores its limit)."""
    conn.send("ready")
    while True:
        conn.recv()


def test_a_worker_that_overruns_its_limit_is_stopped(tmp_path):
    program = program_of(tmp_path, "sort A\npred p: A\nclaim c: forall a: A. p(a)\n")
    formulas, witnesses = query_formulas(program, program.queries[0])
    process = crosscheck.Cvc5Process(grace=0.2, worker=_ready_then_silent)
    try:
        found = process(program, formulas, witnesses, None, "sat", 0.1)
    finally:
        process.close()
    assert found.status == "unknown"
    assert found.reason.count("cvc5 did not stop at its time limit; stopped after 0.4s") == 2
    assert process.process is None


def test_a_worker_that_dies_leaves_an_unknown_with_the_reason(tmp_path):
    program = program_of(tmp_path, "sort A\npred p: A\nclaim c: forall a: A. p(a)\n")
    formulas, witnesses = query_formulas(program, program.queries[0])
    process = crosscheck.Cvc5Process(worker=sys.exit)  # exits at once, status 1
    found = process(program, formulas, witnesses, None, "sat", 1.0)
    assert found.status == "unknown" and "the cvc5 process did not start (exit status 1)" in found.reason


@needs_cvc5
def test_the_real_worker_answers_and_is_replaced_after_closing(tmp_path):
    program = program_of(tmp_path, "sort A\npred p: A\nclaim c: forall a: A. p(a)\n")
    formulas, witnesses = query_formulas(program, program.queries[0])
    process = crosscheck.Cvc5Process()
    try:
        first = process(program, formulas, witnesses, None, "sat", 5.0)
        process.close()
        second = process(program, formulas, witnesses, None, "sat", 5.0)
    finally:
        process.close()
    assert first == second == crosscheck.Answer("sat")
