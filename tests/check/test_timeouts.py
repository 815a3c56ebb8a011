"""One `--timeout` per step of a run (issue 19, item 11): what the budgets allow, on a clock the test
moves itself, and on counted evaluator steps; never on the machine's speed (the wall time beyond
the timeout is measured in bench/overrun.py)."""
from __future__ import annotations

import importlib.util

import pytest
from coreterms import program_of
from test_theory import UNDECIDED_BY_Z3

from translator.check import crosscheck
from translator.check.checker import CheckOptions, _Checker, check_program
from translator.logic.core import Not
from translator.logic.evaluate import Steps, failing
from translator.solvers import budget
from translator.solvers.cvc5 import Answer

needs_cvc5 = pytest.mark.skipif(importlib.util.find_spec("cvc5") is None, reason="cvc5 is not installed")


class Clock:
    """The budgets' clock, moved only by the solvers played below."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        return self.now


@needs_cvc5
def test_cvc5s_questions_about_the_axioms_take_one_timeout_in_all(tmp_path, monkeypatch):
    """z3 cannot tell; cvc5, played here, says unsat to every set and uses all the time it is given
    in both its modes: the conflict is then made smaller one axiom at a time, and every question
    still comes out of the one --timeout of the axioms' test."""
    clock = Clock()
    monkeypatch.setattr(budget, "time", clock)
    given: list[float] = []

    def slow_unsat(self, program, formulas, witnesses, bound, expected, timeout, solver="cvc5"):
        given.append(timeout)
        clock.now += 2 * timeout  # finite model finding, then without: each to its limit
        return Answer("unsat")

    monkeypatch.setattr(crosscheck.Cvc5Process, "__call__", slow_unsat)
    extra = "".join(f"axiom e{i}: forall y: T. exists z: T. b4(y) = b4(z)\n" for i in range(6))  # z3: unknown
    timeout = 2.0
    outcome = check_program(program_of(tmp_path, UNDECIDED_BY_Z3 + extra), CheckOptions(timeout=timeout))
    assert outcome.consistency is not None and outcome.consistency.conflict
    assert len(given) >= 2 and clock.now <= timeout + 1e-9


@needs_cvc5
def test_the_used_sets_are_tested_within_one_timeout(tmp_path, monkeypatch):
    """The axioms undecided, each proof's `used` set is tested on its own: all the sets together
    within one --timeout, however many proofs there are."""
    from translator.check import theory
    clock = Clock()
    monkeypatch.setattr(budget, "time", clock)
    asked = theory._Asker.__call__

    def undecided_whole(self, checker, names):
        if len(names) == len(checker.axioms):
            return Answer("unknown", "cvc5: incomplete")
        return asked(self, checker, names)

    def slow_unknown(self, program, formulas, witnesses, bound, expected, timeout, solver="cvc5"):
        clock.now += 2 * timeout
        return Answer("unknown", "cvc5: timeout")

    monkeypatch.setattr(theory._Asker, "__call__", undecided_whole)
    monkeypatch.setattr(crosscheck.Cvc5Process, "__call__", slow_unknown)
    claims = "".join(f"sort V{i}\npred q{i}: V{i}\naxiom a{i}: forall v: V{i}. q{i}(v)\n"
                     f"claim c{i}: forall v: V{i}. q{i}(v)\n" for i in range(6))
    timeout = 2.0
    program = program_of(tmp_path, UNDECIDED_BY_Z3 + claims)
    checker = _Checker(program, CheckOptions(timeout=timeout), failing)
    proofs = [checker.check(q, "undecided") for q in program.queries]
    assert len({r.used for r in proofs if r.used}) == 6
    clock.now = 0.0
    consistency = theory.by_used(checker, theory.second_opinion(checker, "z3: unknown"), proofs)
    assert not consistency.conflict and clock.now <= 2 * timeout + 1e-9  # the whole test, then the sets


def test_the_re_checks_of_one_query_draw_on_one_allowance(tmp_path):
    """Counted evaluator steps, shared by every model re-checked for one query, renewed for the next:
    a query's re-checks cost a bounded time whatever the models."""
    program = program_of(tmp_path, "sort S\npred p: S\nclaim c: forall x: S. p(x)\n  expect counterexample\n")
    checker = _Checker(program, CheckOptions(timeout=1.0), failing)
    (query,) = program.queries
    result = checker.check(query, None)
    assert result.verdict.value == "counterexample" and checker.steps.remaining < CheckOptions(timeout=1.0).recheck_steps()
    formulas = [("refuted", Not(query.formula))]  # true in the counterexample
    one = Steps(10**6)
    assert failing(result.model, formulas, steps=one) == []
    cost = 10**6 - one.remaining
    checker.steps = Steps(cost + cost // 2)
    assert checker._recheck(result.model, formulas) == []
    assert checker._recheck(result.model, formulas) == ["refuted"]  # undecided: the allowance is spent
    assert CheckOptions(timeout=2.0).recheck_steps() == 2 * CheckOptions(timeout=1.0).recheck_steps()


@needs_cvc5
def test_cvc5_builds_no_bound_past_its_cap(tmp_path, monkeypatch):
    """A cardinality constraint costs cvc5 time and memory in its bound before any limit applies
    (`within 10^8` never ended): a bound past the cap is left out of the question, never built."""
    from translator.solvers.cvc5.session import CARDINALITY_CAP
    from translator.solvers.cvc5.translate import Translator
    asked: list[int] = []
    real = Translator.cardinality

    def cardinality(self, sort, bound):
        asked.append(bound)
        return real(self, sort, bound)

    monkeypatch.setattr(Translator, "cardinality", cardinality)
    text = "sort U\nfun f: U -> U\nclaim c: injective(f) -> surjective(f) within 100000000\n"
    (result,) = check_program(program_of(tmp_path, text), CheckOptions(timeout=1.0, backend="cvc5")).results
    assert result.verdict.value == "unknown" and "of 100000000 not completed" in (result.reason or "")
    assert max(asked, default=0) <= CARDINALITY_CAP


@needs_cvc5
def test_a_model_past_a_bound_left_out_is_not_within_it(tmp_path, monkeypatch):
    """With the bound 3 left out (the cap lowered to 2), cvc5 finds a model of 4 elements: it is
    no witness `within 3`."""
    from translator.solvers.cvc5 import session
    monkeypatch.setattr(session, "CARDINALITY_CAP", 2)
    text = ("sort S\nconst a: S\nconst b: S\nconst c: S\nconst d: S\n"
            "axiom apart: a != b and a != c and a != d and b != c and b != d and c != d\n"
            "example e: exists x: S. x = a within 3\n")
    (result,) = check_program(program_of(tmp_path, text), CheckOptions(timeout=5.0, backend="cvc5")).results
    assert result.verdict.value == "unknown"
    assert "its model has 4 elements of S, more than the bound of 3" in (result.reason or "")


@needs_cvc5
def test_starting_cvc5s_process_is_time_the_axioms_test_spends(tmp_path, monkeypatch):
    """The worker process is started (and loads cvc5) inside the axioms' one --timeout: a slow
    start leaves less time to cvc5's questions, never more time to the test."""
    clock = Clock()
    monkeypatch.setattr(budget, "time", clock)
    waits: list[float] = []

    def slow_start(self, wait):
        waits.append(wait)
        clock.now += 1.8  # spawning an interpreter and loading cvc5 on a loaded machine
        return None

    def to_its_limit(self, question, timeout):
        clock.now += timeout
        return Answer("unknown", "cvc5: timeout")

    monkeypatch.setattr(crosscheck.Cvc5Process, "start", slow_start)
    monkeypatch.setattr(crosscheck.Cvc5Process, "_one", to_its_limit)
    timeout = 2.0
    outcome = check_program(program_of(tmp_path, UNDECIDED_BY_Z3), CheckOptions(timeout=timeout))
    assert outcome.consistency is not None and outcome.consistency.warning
    assert waits and waits[0] <= timeout and clock.now <= timeout + 1e-9


WIDE = ("sort S\npred r: S, S, S, S\n" + "".join(f"const k{i}: S\n" for i in range(10))
        + "axiom apart: " + " and ".join(f"k{i} != k{j}" for i in range(10) for j in range(i + 1, 10)) + "\n"
        + "claim some: exists x, y, z, w: S. r(x, y, z, w)\n  expect counterexample\n")
"""A counterexample of 10 elements whose re-check visits all 10^4 assignments of the claim's variables."""


class LateClock:
    """The evaluator's clock, far past any deadline."""

    @staticmethod
    def perf_counter() -> float:
        return float("inf")


def test_a_re_check_past_its_deadline_leaves_the_model_undecided():
    from translator.logic import core, evaluate
    from translator.logic.model import Model
    sort = core.Sort("S")
    x, y = core.Var("x", sort, 1), core.Var("y", sort, 2)
    model = Model(universes={"S": tuple(f"S#{i}" for i in range(100))}, tables={})
    same = core.Eq(x, y)
    formula = core.Quant(core.QuantKind.FORALL, (x, y), core.Or((same, core.Not(same))))  # 10^4 assignments
    late = evaluate.Steps(10**9, deadline=0.0)  # every perf_counter() reading is past it
    assert failing(model, [("f", formula)], steps=late) == ["f"] and late.late and late.ran_out
    on_time = evaluate.Steps(10**9, deadline=float("inf"))
    assert failing(model, [("f", formula)], steps=on_time) == [] and not on_time.ran_out


def test_a_query_whose_re_check_is_late_is_unknown_naming_the_limit(tmp_path, monkeypatch):
    from translator.logic import evaluate
    program = program_of(tmp_path, WIDE)
    (result,) = check_program(program, CheckOptions(timeout=5.0)).results
    assert result.verdict.value == "counterexample"
    monkeypatch.setattr(evaluate, "time", LateClock)
    (result,) = check_program(program, CheckOptions(timeout=5.0)).results
    assert result.verdict.value == "unknown"
    assert result.reason == ("the re-check of the solver's model did not finish within the 5s of --timeout and "
                             f"{budget.RECHECK_GRACE:g}s (a slow or loaded machine re-checks slower); "
                             "raise it with --timeout")


def test_a_query_whose_re_check_runs_out_of_steps_says_so(tmp_path, monkeypatch):
    from translator.check import checker
    monkeypatch.setattr(checker, "RECHECK_STEPS_PER_SECOND", 1000)  # 5,000 steps, fewer than the re-check takes
    (result,) = check_program(program_of(tmp_path, WIDE), CheckOptions(timeout=5.0)).results
    assert result.verdict.value == "unknown"
    assert "did not finish within its 5,000 evaluator steps (1,000 a second of --timeout)" in (result.reason or "")


QUERIES = ("sort S\nsort T\npred p: S\nfun f: S -> T\n"
           "claim plain: forall x: S. p(x)\n"
           "claim refuted: forall x: S. p(x)\n  expect counterexample\n"
           "claim bounded: forall x, y: S. f(x) = f(y) -> x = y within 50\n"
           "example some: exists x: S. p(x)\n"
           "example few: exists x: S. p(x) within 20\n")
"""One query of each kind: every question each asks (unbounded, small bounds, scope by scope, the
model finder's whole scope, the outright proof) must come out of its one --timeout."""


@pytest.mark.parametrize("solver", ["z3", *(["cvc5", "portfolio"] if importlib.util.find_spec("cvc5") else [])])
def test_every_question_of_a_query_comes_out_of_its_timeout(tmp_path, monkeypatch, solver):
    """Solvers played to use all the time each question is given, then give up: the clock the
    budgets read moves only by what the questions were given, so a query's time on it is what its
    limits allow, on any machine."""
    from translator.progress import Progress
    from translator.solvers.common import Outcome
    from translator.solvers.cvc5 import session as cvc5_session
    from translator.solvers.z3 import session as z3_session
    clock = Clock()
    monkeypatch.setattr(budget, "time", clock)

    def z3_to_its_limit(self, tracked, plain, bound, asked, options, want_model):
        clock.now += options.timeout
        return Outcome("unknown", reason="played", solver="z3")

    def cvc5_to_its_limit(self, tracked, plain, scope, options, want_model, settings):
        clock.now += options.timeout
        return Outcome("unknown", reason="played", solver="cvc5")

    monkeypatch.setattr(z3_session.Session, "_solve", z3_to_its_limit)
    monkeypatch.setattr(cvc5_session.Session, "_solve", cvc5_to_its_limit)
    spans: dict[str, list[float]] = {}

    class Spans(Progress):
        def begin(self, step: str) -> None:
            spans[step] = [clock.now]

        def end(self, step: str) -> None:
            spans[step].append(clock.now)

    timeout = 3.0
    outcome = check_program(program_of(tmp_path, QUERIES), CheckOptions(timeout=timeout, backend=solver),
                            progress=Spans())
    assert {r.verdict.value for r in outcome.results} == {"unknown"} and len(spans) == 5
    for step, (began, ended) in spans.items():
        assert 0 < ended - began <= timeout + 1e-9, step


def test_a_model_read_out_past_the_deadline_is_unknown_naming_the_limit(tmp_path, monkeypatch):
    """Reading out a large model is Python work after the solver's answer: it stops at the query's
    timeout and `budget.RECHECK_GRACE`, on the budgets' clock (here moved past it as each begins)."""
    from translator.solvers.z3 import models
    clock = Clock()
    monkeypatch.setattr(budget, "time", clock)
    read = models.ModelReader.read

    def late_read(self):
        clock.now += 1e6
        return read(self)

    monkeypatch.setattr(models.ModelReader, "read", late_read)
    (result,) = check_program(program_of(tmp_path, WIDE), CheckOptions(timeout=5.0)).results
    assert result.verdict.value == "unknown"
    assert "reading out the solver's model did not finish within the 5s of --timeout" in (result.reason or "")


def test_an_unbounded_search_that_gives_up_leaves_the_small_models_their_share(tmp_path, monkeypatch):
    """A claim expected proved whose unbounded question spends all it is given and gives up: the small
    models are still asked, from the share kept back for them, and find the counterexample."""
    from translator.solvers.z3 import session as z3_session

    program = program_of(tmp_path, "sort S\npred p: S\nclaim all_p: forall x: S. p(x)\n")
    real = z3_session.Session.solve
    asked = []

    def gives_up_unbounded(self, tracked, plain=(), bound=None, options=None, want_model=True):
        asked.append(bound)
        if bound is None and self.budget is not None and "gave up" not in asked:  # the claim's (no axioms to test)
            asked.append("gave up")
            self.budget.spend(options.resource_limit())
            return z3_session.Outcome("unknown", reason="gave up", solver="z3")
        return real(self, tracked, plain, bound, options or z3_session.SolverOptions(), want_model)

    monkeypatch.setattr(z3_session.Session, "solve", gives_up_unbounded)
    (result,) = check_program(program, CheckOptions(timeout=5.0, backend="z3")).results
    assert result.verdict.value == "counterexample", result.reason
    assert asked[asked.index("gave up") + 1] == 1  # then the first small bound, which found it
