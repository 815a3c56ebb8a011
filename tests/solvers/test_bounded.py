"""Bounded questions (solvers/z3 `bound=N`, checker `within N`): unrolling and symmetry breaking lose
no model, scopes are searched smallest first, and a search that cannot finish says how far it got.

The bounded encoding (translator/solvers/z3/bounds.py, `Bounds`) unrolls quantifiers over the named elements
and prunes symmetric namings of them; it must stay exactly "at most N elements per sort". The
random test holds it against the brute-force oracle (tests/bruteforce.py) up to 4 elements,
where the least-number constraints on constants and on functions S -> S start to cut.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "check")]
from bruteforce import Enumerator, Problem, Unsupported  # noqa: E402
from specgen import specs  # noqa: E402
from test_bruteforce import _axioms, _goal  # noqa: E402

from translator.check.checker import query_formulas  # noqa: E402
from translator.check.results import Verdict  # noqa: E402
from translator.logic.core import QueryKind  # noqa: E402
from translator.pipeline import Options, front_end, run  # noqa: E402
from translator.solvers.z3 import SolverOptions, solve  # noqa: E402

BUDGET = 30_000   # interpretations the oracle may try per spec, all sizes up to k together
MOST = 4          # largest size tried


def _program(text: str):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "spec.align")
        Path(path).write_text(text, encoding="utf-8")
        programs, diags, _ = front_end([path])
    assert not diags, text
    return programs[0]


def _run(text: str, **options):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "spec.align")
        Path(path).write_text(text, encoding="utf-8")
        outcome = run([path], Options(**options))
    assert not outcome.input_error and not outcome.diagnostics
    return {r.name: r for r in outcome.results}


# ---------------------------------------------------------------- the encoding against the oracle

@settings(max_examples=int(os.environ.get("ALIGNPROOF_FUZZ_EXAMPLES", "25")), deadline=None,
          derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(specs(1024))
def test_bounded_solving_agrees_with_brute_force(text):
    program = _program(text)
    try:
        enumerator = Enumerator(program)
    except Unsupported:
        return
    k = enumerator.largest_bound(BUDGET, most=MOST)
    if k == 0:
        return
    problems = [Problem(q.name, _axioms(program) + (_goal(q),)) for q in program.queries]
    found = enumerator.search(problems, k)
    for query in program.queries:
        formulas, witnesses = query_formulas(program, query)
        smallest = found[query.name].largest if found[query.name] is not None else None
        for bound in range(1, k + 1):
            outcome = solve(program, [], formulas, witnesses, bound, SolverOptions(timeout=5.0), want_model=False)
            if outcome.status == "unknown":
                continue
            exists = smallest is not None and smallest <= bound
            assert (outcome.status == "sat") == exists, \
                f"{query.name} within {bound}: solver {outcome.status}, oracle's smallest model {smallest}\n{text}"


def test_symmetry_breaking_keeps_models_that_need_every_name():
    # Three different constants and f sending each to the next: a model needs the constants in
    # some order of names and f(S@1) far from S@1; both must stay reachable.
    text = """
sort S
const a: S
const b: S
const c: S
fun f: S -> S
pred p: S
axiom distinct: a != b and b != c and a != c
axiom cycle: f(a) = b and f(b) = c and f(c) = a
axiom only_c: forall x: S. p(x) <-> x = c
example three: exists x: S. p(x) and f(f(x)) = b within 3
example four: exists x: S. p(x) and x != a and x != b and x != c within 4
"""
    results = _run(text, timeout=5.0)
    assert results["three"].verdict is Verdict.WITNESS
    assert len(results["three"].model.universes["S"]) == 3
    assert results["four"].verdict is Verdict.NONE


def test_symmetry_breaking_keeps_models_where_functions_reach_new_elements():
    # Without constants, g(S@1) must be allowed to be S@2, g(S@2) to be S@3, ...: a 4-cycle.
    functions = """
sort T
fun g: T -> T
fun h: T -> T
"""
    results = _run(functions + """
example cycle4: forall y: T. g(y) != y and g(g(y)) != y and g(g(g(y))) != y within 4
example two_derangements: (forall y: T. g(y) != y and h(y) != y and g(y) != h(y)) within 3
example h_after_g: forall y: T. h(g(y)) != y and g(y) != y and h(y) != g(y) within 3
""", timeout=5.0)
    results.update(_run(functions + """
const a: T
example orbit_of_a: g(a) != a and g(g(a)) != a and g(g(g(a))) != a and g(g(g(g(a)))) = a within 5
""", timeout=5.0))
    for name, size in (("cycle4", 4), ("two_derangements", 3), ("orbit_of_a", 4), ("h_after_g", 2)):
        assert results[name].verdict is Verdict.WITNESS, name
        assert len(results[name].model.universes["T"]) == size, name


# ---------------------------------------------------------------- scopes

def test_within_finds_the_smallest_counterexample():
    # Four different elements refute it; the scopes double (1, 2, 4) and then look between.
    text = """
sort S
claim at_most_three: forall w, x, y, z: S. w = x or w = y or w = z or x = y or x = z or y = z within 9
example three_apart: exists x, y, z: S. x != y and y != z and x != z within 7
"""
    results = _run(text, timeout=5.0)
    claim = results["at_most_three"]
    assert claim.verdict is Verdict.COUNTEREXAMPLE and claim.ok is False
    assert len(claim.model.universes["S"]) == 4
    example = results["three_apart"]
    assert example.verdict is Verdict.WITNESS
    assert len(example.model.universes["S"]) == 3


def test_finite_only_truths_are_bounded_far_beyond_eight():
    # True in every finite model, false in an infinite one: the search must exhaust every size
    # up to 12 (pigeonhole-like without the least-number constraints on f).
    text = """
sort U
fun f: U -> U
claim inj_surj: injective(f) -> surjective(f) within 12
"""
    result = _run(text, timeout=10.0)["inj_surj"]
    assert result.verdict is Verdict.BOUNDED and result.ok
    assert result.model is None and result.used is None


# A strict order without a maximal element needs infinitely many elements, so this claim has
# no counterexample in any finite scope: every scope up to 40 must be searched.
NO_MAXIMUM = """
sort U
pred lt: U, U
claim has_max: (forall x, y, z: U. lt(x, y) and lt(y, z) -> lt(x, z)) and (forall x: U. not lt(x, x))
    -> exists x: U. forall y: U. not lt(x, y) within 40
"""


def test_an_unfinished_search_says_how_far_it_got():
    # Within a small resource budget the search completes some scopes, not all 40.
    result = _run(NO_MAXIMUM, timeout=10.0, rlimit=400_000)["has_max"]
    assert result.verdict is Verdict.UNKNOWN and not result.ok
    found = re.fullmatch(r"no counterexample with up to (\d+) elements per sort; "
                         r"scope (\d+) of 40 not completed \((.+)\)", result.reason)
    assert found, result.reason
    done, next_scope = int(found.group(1)), int(found.group(2))
    assert next_scope == done + 1 and 2 <= done < 40


def test_no_scope_completed():
    result = _run(NO_MAXIMUM, timeout=10.0, rlimit=1)["has_max"]
    assert result.verdict is Verdict.UNKNOWN
    assert result.reason.startswith("scope 1 of 40 not completed (")


def test_bounded_proofs_still_come_only_from_the_unbounded_question():
    text = """
sort S
pred p: S
axiom all_p: forall x: S. p(x)
claim follows: forall x: S. p(x) within 3
claim finite_only: forall x, y: S. x = y within 1
"""
    results = _run(text, timeout=5.0)
    assert results["follows"].verdict is Verdict.PROVED and results["follows"].used == ("all_p",)
    finite = results["finite_only"]
    assert finite.verdict is Verdict.BOUNDED
    assert any("more than 1 element" in w for w in finite.warnings)


def test_counterexamples_expected_are_the_smallest_without_the_unbounded_question():
    text = """
sort S
pred p: S
pred q: S
axiom some_p: exists x: S. p(x)
axiom some_not_q: exists x: S. not q(x)
claim p_is_q: forall x: S. p(x) -> q(x)
  expect counterexample
claim p_or_not_p: forall x: S. p(x) or not p(x)
  expect counterexample
"""
    results = _run(text, timeout=5.0)
    refuted = results["p_is_q"]
    assert refuted.verdict is Verdict.COUNTEREXAMPLE and refuted.ok
    assert len(refuted.model.universes["S"]) == 1
    # a wrong expectation: the small models find nothing, the unbounded question proves it
    assert results["p_or_not_p"].verdict is Verdict.PROVED and not results["p_or_not_p"].ok


def test_queries_are_answered_alike_in_any_order():
    text = """
sort S
pred p: S
fun f: S -> S
axiom some_p: exists x: S. p(x)
claim a: forall x: S. p(x) -> p(f(x))
  expect counterexample
claim b: forall x: S. p(f(x))
  expect counterexample
example c: exists x: S. p(x) and not p(f(x)) within 3
"""
    alone = {n: _run(text, timeout=5.0, claims=(n,))[n] for n in ("c", "b", "a")}
    together = _run(text, timeout=5.0)
    for name, result in alone.items():
        assert result.model == together[name].model and result.verdict is together[name].verdict


def test_query_formulas_are_what_the_bounded_search_reads():
    program = _program("sort S\npred p: S\nclaim c: forall x: S. p(x) within 2\n")
    (query,) = program.queries
    assert query.kind is QueryKind.CLAIM
    formulas, witnesses = query_formulas(program, query)
    assert solve(program, [], formulas, witnesses, bound=1).status == "sat"
