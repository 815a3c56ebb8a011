"""TPTP soundness harness: the parser (tests/tptp_reader.py), then the checker on 100 problems.

The problems in ../shared/tptp (beside the checkout) have a status recorded by the TPTP library.
The checker may fail to decide a problem (UNKNOWN, counted) but must never
contradict its status: a Theorem refuted, a CounterSatisfiable conjecture
proved, satisfiable axioms declared inconsistent.

Each problem is checked in a child process (this file, run as a script), two
at a time, so a problem that overruns its time limit can be stopped.
Set ALIGNPROOF_TPTP_TIMEOUT to change the per-query timeout (seconds). The
checker runs as `check` does by default: the z3 + cvc5 portfolio where cvc5 is
installed (`solvers/portfolio.py`); bench/tptp.py runs the same child with
each solver alone.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import pytest

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]  # run as a script: the tests' helpers

import tptp_reader as tptp
from conftest import TPTP_DIR, sampled

from translator.logic import core  # noqa: E402
from translator.logic.core import And, App, BoolLit, Eq, Implies, Not, Quant, QuantKind, Var
from translator.logic.evaluate import holds
from translator.logic.model import Model, Table
from translator.solvers.portfolio import default_solver

ROOT = Path(__file__).resolve().parents[2]

INDEX = TPTP_DIR / "index.tsv"
TIMEOUT = float(os.environ.get("ALIGNPROOF_TPTP_TIMEOUT", "2"))
WALL_GUARD = 900
"""Seconds of wall clock after which a child is called hung: a guard against a process that waits
on nothing, far beyond any load; overrunning the time limits is judged by CPU time (`cpu_limit`)."""


def cpu_limit(timeout: float) -> int:
    """CPU seconds a child checking one problem may use before it is stopped (its solvers' threads
    included; a cvc5 worker process has as many of its own): CPU time, which the machine's load
    does not inflate. How far past its timeout a query runs in wall time is bench/overrun.py's."""
    return int(15 * timeout + 20)


def index_rows() -> list[dict[str, str]]:
    if not INDEX.exists():
        return []
    with INDEX.open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


ROWS = index_rows()
SAMPLE = sampled(ROWS, int(os.environ.get("ALIGNPROOF_TPTP_SAMPLE", "25")))
"""The problems the default run checks (conftest.SWEEP_SEED); the whole corpus: -m full_sweep."""
needs_library = pytest.mark.skipif(not ROWS, reason=f"{INDEX} not found")


def parse(text: str) -> core.Program:
    return tptp.program_from_text(text, "t.p")


def only_axiom(text: str) -> core.Term:
    return parse(text).axioms[0].formula


# ---------------------------------------------------------------- the parser on the library

@needs_library
@pytest.mark.parametrize("row", ROWS, ids=[r["problem"] for r in ROWS])
def test_every_problem_parses_to_a_closed_program(row):
    program = tptp.program_from_file(TPTP_DIR / "problems" / row["problem"])
    (query,) = program.queries
    assert program.sorts == (tptp.U,)
    assert len(program.axioms) + (query.kind is core.QueryKind.CLAIM) == int(row["formulas"])
    assert (query.kind is core.QueryKind.EXAMPLE) == (row["status"] == "Satisfiable")
    names = [s.name for s in program.symbols]
    assert len(names) == len(set(names))
    formulas = [a.formula for a in program.axioms] + [query.formula]
    uids = [v.uid for f in formulas for node in core.walk(f) if isinstance(node, Quant) for v in node.vars]
    assert len(uids) == len(set(uids)) and all(u < program.next_uid for u in uids)
    used = {s for f in formulas for s in core.symbols_of(f)}
    assert used == set(program.symbols)


# ---------------------------------------------------------------- the parser, piece by piece

def test_quantifiers_and_connectives_map_to_core():
    formula = only_axiom("fof(a, axiom, ! [X,Y] : ( p(X) <= (q(Y) & ~ r) ) ).")
    x, y = Var("X", tptp.U, 0), Var("Y", tptp.U, 1)
    symbols = {s.name: s for s in parse("fof(a, axiom, ! [X,Y] : ( p(X) <= (q(Y) & ~ r) ) ).").symbols}
    p, q, r = symbols["p"], symbols["q"], symbols["r"]
    assert (p.kind, q.kind, r.kind) == (core.SymbolKind.PRED,) * 3
    assert r.arity == 0 and r.result == core.BOOL
    assert formula == Quant(QuantKind.FORALL, (x, y),
                            Implies(And((App(q, (y,)), Not(App(r)))), App(p, (x,))))


@pytest.mark.parametrize("op, truth", [
    ("&", lambda a, b: a and b), ("|", lambda a, b: a or b),
    ("=>", lambda a, b: (not a) or b), ("<=", lambda a, b: a or not b),
    ("<=>", lambda a, b: a == b), ("<~>", lambda a, b: a != b),
    ("~|", lambda a, b: not (a or b)), ("~&", lambda a, b: not (a and b)),
])
def test_binary_connectives_mean_what_tptp_says(op, truth):
    formula = only_axiom(f"fof(a, axiom, a {op} b).")
    for a, b in product((False, True), repeat=2):
        model = Model(universes={"U": ("U#0",)},
                      tables={"a": Table((((), a),)), "b": Table((((), b),))})
        assert holds(formula, model) is truth(a, b), (op, a, b)


def test_equality_terms_and_constants():
    program = parse("fof(a, axiom, ! [X] : ( f(X, c) = X & g(c) != c & $true & ~ $false ) ).")
    kinds = {s.name: (s.kind, s.arity, s.result) for s in program.symbols}
    assert kinds == {"f": (core.SymbolKind.FUN, 2, tptp.U), "c": (core.SymbolKind.CONST, 0, tptp.U),
                     "g": (core.SymbolKind.FUN, 1, tptp.U)}
    body = program.axioms[0].formula.body
    assert isinstance(body.args[0], Eq) and isinstance(body.args[1], Not)
    assert body.args[2:] == (BoolLit(True), Not(BoolLit(False)))


def test_nested_quantifiers_shadow():
    formula = only_axiom("fof(a, axiom, ! [X] : ( p(X) & ? [X] : q(X) ) ).")
    outer = formula.vars[0]
    inner_q = formula.body.args[1]
    assert inner_q.kind is QuantKind.EXISTS
    assert inner_q.vars[0].uid != outer.uid
    assert inner_q.body.args == (inner_q.vars[0],)
    assert formula.body.args[0].args == (outer,)


def test_comments_and_quoted_atoms():
    text = """% a line comment
    /* a block
       comment */ fof('an axiom', axiom, ! [A] : '+'(A, '0') = A).
    fof(b, axiom, 'p' & p).   % 'p' and p are the same atom
    fof(c, axiom, 'it\\'s' = c)."""
    program = tptp.program_from_text(text, "t.p")
    assert [a.name for a in program.axioms] == ["an axiom", "b", "c"]
    assert [s.name for s in program.symbols] == ["q_0", "q__2b_", "p", "q_it_27_s", "c"]
    assert program.axioms[1].formula == And((App(program.symbols[2]),) * 2)


def test_one_name_with_several_uses_gets_several_symbols():
    program = parse("fof(a, axiom, p(a) & p(a, a) & p & f(p) = p_p1).")
    signatures = sorted((s.name, s.arity, s.kind.value) for s in program.symbols)
    assert signatures == [("a", 0, "const"), ("f", 1, "fun"), ("p", 1, "pred"), ("p_f0", 0, "const"),
                          ("p_p0", 0, "pred"), ("p_p1", 0, "const"), ("p_p2", 2, "pred")]


def test_conjectures_become_one_claim_and_no_conjecture_an_example():
    claim = parse("fof(h, hypothesis, p). fof(c1, conjecture, p). fof(c2, conjecture, q).").queries[0]
    assert (claim.kind, claim.name, claim.expect) == (core.QueryKind.CLAIM, "c1_and_c2", "proved")
    assert isinstance(claim.formula, And)
    example = parse("fof(axioms_satisfiable, axiom, p).").queries[0]
    assert example.kind is core.QueryKind.EXAMPLE and example.expect == "witness"
    assert example.formula == BoolLit(True) and example.name == "axioms_satisfiable_"


def test_uids_are_fresh_and_next_uid_is_past_them():
    program = parse("fof(a, axiom, ! [X] : p(X)). fof(b, conjecture, ? [X,Y] : X = Y).")
    assert [v.uid for v in program.axioms[0].formula.vars] == [0]
    assert [v.uid for v in program.queries[0].formula.vars] == [1, 2]
    assert program.next_uid == 3


def test_spans_cover_the_statement():
    program = parse("\n  fof(a, axiom,\n  p).")
    span = program.axioms[0].span
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 3, 3, 6)


@pytest.mark.parametrize("text, where, message", [
    ("fof(a, axiom, p(X)).", "1:17", "variable X is not bound by a quantifier"),
    ("include('Axioms/SET001.ax').", "1:1", "include is not supported"),
    ("fof(a, axiom, p", "1:16", "expected ')', found end of file"),
    ("fof(a, axiom, p & q | r).", "1:21", "expected ')', found '|'"),
    ("fof(a, axiom, ! [X] : X).", "1:23", "a variable cannot stand as a formula"),
    ("fof(a, axiom, p(1)).", "1:17", "numbers"),
    ("fof(a, axiom, p(\"x\")).", "1:17", "distinct objects"),
    ("fof(a, plain, p).", "1:1", "unsupported formula role 'plain'"),
    ("fof(a, axiom, p).\nfof(a, axiom, q).", "2:1", "formula name 'a' is already used at line 1"),
    ("fof(a, axiom, p, [file]).", "1:16", "annotations"),
    ("fof(a, axiom, ! [x] : p).", "1:18", "expected a variable"),
    ("fof(a, axiom, p # q).", "1:17", "unexpected character '#'"),
    ("fof(a, axiom, p) ", "1:18", "expected '.'"),
    ("cnf(a, axiom, p).", "1:1", "expected a 'fof(name, role, formula).' statement"),
])
def test_errors_name_the_place(text, where, message):
    with pytest.raises(ValueError) as error:
        parse(text)
    assert str(error.value).startswith(f"t.p:{where}: ")
    assert message in str(error.value)


# ---------------------------------------------------------------- the checker against the library

@dataclass(frozen=True)
class Checked:
    """What the child process reported for one problem."""

    problem: str
    status: str
    verdict: str              # the query's verdict, or "hung" / "crashed"
    inconsistent: bool        # the checker said the axioms are inconsistent
    model_violations: tuple[str, ...] = ()   # formulas a reported model definitely falsifies
    model_undecided: tuple[str, ...] = ()    # formulas the evaluator could not decide on it
    seconds: float = 0.0
    detail: str = ""
    solver: str = ""          # the solver that gave the verdict ("" when none did)


def contradictions(c: Checked) -> list[str]:
    """How an outcome contradicts the recorded status (soundness bugs); empty if it does not."""
    found = []
    if c.status == "Theorem" and c.verdict == "counterexample":
        found.append("a Theorem was refuted")
    if c.status == "CounterSatisfiable" and c.verdict == "proved":
        found.append("a CounterSatisfiable conjecture was proved")
    if c.status == "Satisfiable" and c.verdict == "none":
        found.append("satisfiable axioms were found to have no model")
    if c.status in ("CounterSatisfiable", "Satisfiable") and c.inconsistent:
        found.append("satisfiable axioms were declared inconsistent")
    if c.model_violations:
        found.append(f"the reported model falsifies {', '.join(c.model_violations)}")
    return found


@pytest.mark.parametrize("status, verdict, inconsistent, bad", [
    ("Theorem", "counterexample", False, True), ("Theorem", "proved", False, False),
    ("Theorem", "unknown", True, False),
    ("CounterSatisfiable", "proved", False, True), ("CounterSatisfiable", "unknown", True, True),
    ("CounterSatisfiable", "counterexample", False, False),
    ("Satisfiable", "none", False, True), ("Satisfiable", "unknown", True, True),
    ("Satisfiable", "unknown", False, False),
])
def test_the_harness_recognises_contradictions(status, verdict, inconsistent, bad):
    assert bool(contradictions(Checked("P.p", status, verdict, inconsistent))) is bad


DECIDED = {"Theorem": "proved", "CounterSatisfiable": "counterexample", "Satisfiable": "witness"}


def check_in_child(row: dict[str, str], timeout: float = TIMEOUT, solver: str = "",
                   environment: dict[str, str] | None = None) -> Checked:
    """Run this file as a script on one problem with `solver` ("" for the default), stopped when it
    uses `cpu_limit(timeout)` CPU seconds (or, hung, after WALL_GUARD seconds). `environment`: more
    variables for the child."""
    start = time.monotonic()
    command = [sys.executable, __file__, str(TPTP_DIR / "problems" / row["problem"]), str(timeout), solver]
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(environment or {}))
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=WALL_GUARD, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return Checked(row["problem"], row["status"], "hung", False, seconds=time.monotonic() - start)
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return Checked(row["problem"], row["status"], "hung", False, seconds=time.monotonic() - start,
                       detail=f"stopped after {cpu_limit(timeout)} CPU seconds")
    if done.returncode != 0 or not done.stdout.strip():
        return Checked(row["problem"], row["status"], "crashed", False,
                       seconds=time.monotonic() - start, detail=done.stderr[-2000:])
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return Checked(row["problem"], row["status"], report["verdict"], report["inconsistent"],
                   tuple(report["violations"]), tuple(report["undecided"]), report["seconds"],
                   solver=report["solver"])


def summary_table(outcomes: list[Checked]) -> str:
    """Decided / unknown / other per status, as a small text table."""
    lines = [f"TPTP soundness harness, timeout {TIMEOUT:g}s per query",
             f"{'status':<20}{'total':>7}{'decided':>9}{'unknown':>9}{'other':>7}{'wrong':>7}"]
    for status in DECIDED:
        group = [c for c in outcomes if c.status == status]
        decided = sum(c.verdict == DECIDED[status] for c in group)
        unknown = sum(c.verdict in ("unknown", "hung") for c in group)
        wrong = sum(bool(contradictions(c)) for c in group)
        other = len(group) - decided - unknown
        lines.append(f"{status:<20}{len(group):>7}{decided:>9}{unknown:>9}{other:>7}{wrong:>7}")
    others = Counter(f"{c.status}->{c.verdict}{' (axioms inconsistent)' if c.inconsistent else ''}"
                     for c in outcomes if c.verdict not in (DECIDED[c.status], "unknown", "hung"))
    lines += [f"  other: {k} x{n}" for k, n in sorted(others.items())]
    undecided = sum(bool(c.model_undecided) for c in outcomes)
    lines.append(f"  reported models the evaluator could not fully decide: {undecided}")
    lines.append("  slowest: " + ", ".join(f"{c.problem} {c.seconds:.1f}s"
                                           for c in sorted(outcomes, key=lambda c: -c.seconds)[:3]))
    return "\n".join(lines)


def checker_available() -> bool:
    return importlib.util.find_spec("translator.check.checker") is not None


def _checked(rows: list[dict[str, str]]) -> list[Checked]:
    if not rows:
        pytest.skip(f"{INDEX} not found")
    if not checker_available():
        pytest.skip("translator/check/checker.py is not there yet")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return list(pool.map(check_in_child, rows))


@pytest.fixture(scope="module")
def outcomes() -> list[Checked]:
    return _checked(SAMPLE)


@pytest.fixture(scope="module")
def every_outcome() -> list[Checked]:
    return _checked(ROWS)


def _never_contradicts(outcomes: list[Checked], capsys) -> None:
    with capsys.disabled():
        print("\n" + summary_table(outcomes))
    wrong = {c.problem: contradictions(c) for c in outcomes if contradictions(c)}
    assert not wrong, f"soundness bugs: {wrong}"


def _names_its_solvers(outcomes: list[Checked], both: bool) -> None:
    """The harness checks with the portfolio: each verdict names its solver (and, over the whole
    library, z3 and cvc5 give some, and E may; a sample may hold no problem only cvc5 decides)."""
    decided = [c for c in outcomes if c.verdict == DECIDED[c.status]]
    assert all(c.solver in ("z3", "cvc5", "eprover") for c in decided)
    if both and default_solver() == "portfolio":
        assert {"z3", "cvc5"} <= {c.solver for c in decided} <= {"z3", "cvc5", "eprover"}


def test_the_portfolio_names_the_solver_of_each_verdict(outcomes):
    _names_its_solvers(outcomes, both=False)


def _answers_in_time(outcomes: list[Checked]) -> None:
    trouble = {c.problem: (c.verdict, c.detail) for c in outcomes if c.verdict in ("hung", "crashed")}
    assert not trouble


def test_the_checker_never_contradicts_the_library(outcomes, capsys):
    _never_contradicts(outcomes, capsys)


def test_the_checker_runs_every_problem_to_an_answer_in_time(outcomes):
    _answers_in_time(outcomes)


@pytest.mark.full_sweep
def test_the_checker_never_contradicts_the_whole_library(every_outcome, capsys):
    _never_contradicts(every_outcome, capsys)
    _answers_in_time(every_outcome)
    _names_its_solvers(every_outcome, both=True)


@needs_library
@pytest.mark.parametrize("problem", ["NLP013+1.p", "NLP223+1.p"])
def test_a_smaller_model_is_rechecked_before_the_solvers_own(problem):
    """z3's own model of these negated conjectures is too large to re-check within the query's
    evaluator steps, and a 2-element one re-checks at once: re-checking the large one first used the
    steps up, and the answer was `unknown` (checker._smallest)."""
    from translator.check.checker import CheckOptions, check_program

    program = tptp.program_from_file(TPTP_DIR / "problems" / problem)
    (result,) = check_program(program, CheckOptions(timeout=3.0, backend="z3")).results
    assert result.verdict.value == "counterexample", result.reason
    assert max(len(universe) for universe in result.model.universes.values()) <= 3
    assert recheck(program, result) == ([], [])


# ---------------------------------------------------------------- the child process

def recheck(program: core.Program, result) -> tuple[list[str], list[str]]:
    """Formulas a reported model definitely falsifies, and those it leaves undecided."""
    (query,) = program.queries
    if result.model is None:
        return [], []
    wanted = Not(query.formula) if query.kind is core.QueryKind.CLAIM else query.formula
    formulas = [(a.name, a.formula) for a in program.axioms] + [(query.name, wanted)]
    verdicts = [(name, holds(formula, result.model)) for name, formula in formulas]
    return ([n for n, v in verdicts if v is False], [n for n, v in verdicts if v is None])


def child_main(path: str, timeout: float, solver: str = "") -> None:
    """Check one problem with `solver` (by default the portfolio where cvc5 is installed) and print
    one JSON line: verdict, the solver that gave it, inconsistency, model re-check."""
    from translator.check.checker import CheckOptions, check_program

    program = tptp.program_from_file(path)
    start = time.monotonic()
    outcome = check_program(program, CheckOptions(timeout=timeout, backend=solver or default_solver()))
    seconds = time.monotonic() - start
    (result,) = outcome.results
    violations, undecided = recheck(program, result)
    print(json.dumps({"verdict": result.verdict.value, "solver": result.solver or "",
                      "inconsistent": bool(outcome.inconsistency),
                      "violations": violations, "undecided": undecided, "seconds": seconds}))


if __name__ == "__main__":
    limit = cpu_limit(float(sys.argv[2]))  # the child stops itself: SIGXCPU, then SIGKILL
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 5))
    child_main(sys.argv[1], float(sys.argv[2]), *sys.argv[3:4])
