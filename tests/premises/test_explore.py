"""`alignproof explore` against `check` (issue 13, items 1-4): every implication between the nodes is
decided as asking it on its own with `check` decides it, with far fewer queries; minimal arrows,
equivalences, the diagram, the claims of the file matched, and the honest unknowns."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from translator.check.checker import CheckOptions, check_program
from translator.check.results import Verdict
from translator.pipeline import front_end
from translator.premises.exploration import Exploration
from translator.premises.explore import ExploreOptions, Refused, explore, explore_programs
from translator.premises.lattice import bits, space
from translator.premises.nodes import choose, query, with_queries

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from defsets import definition_set  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec"


def program_of(path: Path):
    programs, diags, _ = front_end([str(path)])
    assert not diags, [d.message for d in diags]
    return programs[0]


def written(tmp_path: Path, text: str, name: str = "spec.align") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def verdicts(e: Exploration, joins: int) -> dict[tuple[frozenset[str], str], str]:
    """Every implication of the space (up to `joins` hypotheses) with what the exploration says of it;
    what it neither refutes nor leaves unknown it proved (and the counts must add up; wider implications
    that a claim states are in the exploration besides)."""
    n = len(e.definitions)
    out: dict[tuple[frozenset[str], str], str] = {}
    refuted = {(frozenset(r.hypotheses), r.conclusion) for r in e.refuted}
    unknown = {(frozenset(u.hypotheses), u.conclusion) for u in e.unknown}
    for mask, q in space(n, joins):
        key = (frozenset(e.definitions[i] for i in bits(mask)), e.definitions[q])
        out[key] = "counterexample" if key in refuted else "unknown" if key in unknown else "proved"
    proved = sum(v == "proved" for v in out.values())
    refuted_here = sum(v == "counterexample" for v in out.values())
    assert refuted_here + sum(v == "unknown" for v in out.values()) + proved == len(out) <= e.total
    if e.total == len(out):
        assert proved + refuted_here == e.decided and len(refuted) == refuted_here
    return out


def checked_one_by_one(program, sort: str, joins: int, preds: bool = False, atoms: bool = False):
    """`check` on a file that states every implication as a claim: each claim is asked on its own."""
    nodes = choose(program, sort, None, preds, atoms)
    keys = space(len(nodes.nodes), joins)
    claims = [query(nodes, bits(mask), q, i, program.root) for i, (mask, q) in enumerate(keys)]
    outcome = check_program(replace(with_queries(program, claims), queries=tuple(claims)), CheckOptions())
    names = nodes.names()
    return {(frozenset(names[i] for i in bits(mask)), names[q]): result
            for (mask, q), result in zip(keys, outcome.results)}


def assert_same_as_check(program, sort: str, joins: int, **flags) -> Exploration:
    (e,) = [x for x in explore_programs([program], ExploreOptions(sort=sort, joins=joins, **flags))]
    mine = verdicts(e, joins)
    theirs = checked_one_by_one(program, sort, joins, flags.get("preds", False), flags.get("atoms", False))
    assert set(mine) == set(theirs)
    differ = {k: (mine[k], r.verdict.value) for k, r in theirs.items()
              if r.verdict is not Verdict.UNKNOWN and mine[k] != r.verdict.value}
    assert differ == {}
    for arrow in e.implications:
        result = theirs.get((frozenset(arrow.hypotheses), arrow.conclusion))
        if result is not None and result.verdict is Verdict.PROVED:
            assert arrow.used == tuple(result.used or ()), arrow.text()
    return e


# ---------------------------------------------------------------- the same answers as check

def test_hubinger_two_hypotheses_as_check_says_with_one_query_per_eight_decided():
    e = assert_same_as_check(program_of(SPEC / "hubinger.align"), "Agent", 2)
    assert e.total == 224 and e.decided == 224 and not e.unknown
    assert e.queries * 8 <= e.decided, (e.queries, e.decided)


@pytest.mark.parametrize("name", ["faq", "readings"])
def test_the_other_spec_files_one_hypothesis_as_check_says(name):
    """(faq_deception_mesa.align has faq.align's definitions and one axiom more.)"""
    e = assert_same_as_check(program_of(SPEC / f"{name}.align"), "Agent", 1)
    assert not e.unknown and e.queries < e.decided


def test_predicates_and_atoms_as_check_says():
    e = assert_same_as_check(program_of(SPEC / "robustness.align"), "Agent", 1, preds=True, atoms=True)
    assert not e.unknown and e.queries < e.decided


@pytest.mark.parametrize("n, seed", [(5, 2), (6, 0), (6, 1)])
def test_generated_definition_sets_as_check_says(tmp_path, n, seed):
    program = program_of(written(tmp_path, definition_set(n, seed)))
    e = assert_same_as_check(program, "S", 2)
    assert not e.unknown


# ---------------------------------------------------------------- what is reported

def test_the_unstated_mesa_optimizer_and_objective_robust_arrow_is_listed():
    (e,) = explore_programs([program_of(SPEC / "hubinger.align")], ExploreOptions(preds=True))
    arrow = next(a for a in e.implications
                 if set(a.hypotheses) == {"mesa_optimizer", "objective_robust"} and a.conclusion == "inner_aligned")
    assert arrow.stated is None and arrow.status == "holds but not stated"
    assert arrow.used == ("mesa_matches_behavioral",)
    assert not any(a.conclusion == "inner_aligned" and len(a.hypotheses) == 1 for a in e.implications)


def test_with_default_options_the_same_arrow_in_the_specs_own_definitions(tmp_path):
    """Without `--preds`, mesa_optimizer is no node (LANGUAGE.md §6.3: the unary definitions); the fact
    comes out as `objective_robust -> inner_aligned_vacuously`, which says pointwise, with no axiom, what
    `mesa_optimizer and objective_robust -> inner_aligned` says (inner_aligned is mesa_optimizer and the
    condition that inner_aligned_vacuously makes follow from mesa_optimizer)."""
    (e,) = explore_programs([program_of(SPEC / "hubinger.align")], ExploreOptions())
    arrow = next(a for a in e.implications
                 if a.hypotheses == ("objective_robust",) and a.conclusion == "inner_aligned_vacuously")
    assert arrow.stated is None and arrow.status == "holds but not stated"
    assert arrow.used == ("mesa_matches_behavioral",)
    same = (SPEC / "hubinger.align").read_text(encoding="utf-8") + """
claim same_fact:
  forall a: Agent. (objective_robust(a) -> inner_aligned_vacuously(a))
    <-> (mesa_optimizer(a) and objective_robust(a) -> inner_aligned(a))
"""
    program = program_of(written(tmp_path, same))
    (result,) = check_program(program, CheckOptions(), names=["same_fact"]).results
    assert result.verdict is Verdict.PROVED and result.used == ()


def test_minimal_arrows_only():
    (e,) = explore_programs([program_of(SPEC / "hubinger.align")], ExploreOptions())
    proved = {k for k, v in verdicts(e, 2).items() if v == "proved"}
    listed = {(frozenset(a.hypotheses), a.conclusion) for a in e.implications}
    for hyps, then in listed:
        assert (hyps, then) in proved and then not in hyps
        assert not any((frozenset(hyps - {h}), then) in proved for h in hyps if len(hyps) > 1)
    for hyps, then in proved:  # every proved one has a listed one below it
        assert any(h <= hyps and t == then for h, t in listed)


def test_the_claims_of_the_file_are_matched():
    (e,) = explore_programs([program_of(SPEC / "robustness.align")],
                            ExploreOptions(sort="Agent", preds=True, atoms=True))
    claims = {c.claim: c for c in e.claims}
    assert claims["inner_implies_objective_robust_again"].verdict == "proved"
    assert claims["outer_and_robust_implies_impact"].hypotheses == ("robust", "outer_aligned(base(a))")
    converse = claims["converse_objective_robust_implies_inner"]
    assert converse.expected == "counterexample" and converse.verdict == "counterexample" and converse.ok
    assert e.world(converse.world) is not None
    assert "converse_intent_implies_outer_and_objective_robust" in e.not_matched  # a conjunction expected to fail
    stated = {a.stated for a in e.implications if a.stated}
    assert "objective_and_capability_robust_implies_robust" in stated
    assert e.ok


def test_a_stated_arrow_that_fails_and_a_converse_that_holds(tmp_path):
    text = """
sort S
pred p: S
pred q: S
def a(x: S) := p(x) and q(x)
def b(x: S) := p(x)
def c(x: S) := q(x)
claim a_implies_b: forall x: S. a(x) -> b(x)
claim b_implies_c: forall x: S. b(x) -> c(x)
claim a_does_not_imply_c: forall x: S. a(x) -> c(x)
  expect counterexample
"""
    (e,) = explore_programs([program_of(written(tmp_path, text))], ExploreOptions())
    claims = {c.claim: c for c in e.claims}
    assert claims["a_implies_b"].ok
    assert claims["b_implies_c"].verdict == "counterexample" and not claims["b_implies_c"].ok
    assert claims["a_does_not_imply_c"].verdict == "proved" and not claims["a_does_not_imply_c"].ok
    broken = next(a for a in e.implications if a.stated == "a_does_not_imply_c")
    assert broken.status == "stated to fail, but proved"
    refuted = next(r for r in e.refuted if r.stated == "b_implies_c")
    assert refuted.status == "stated and refuted"
    world = e.world(refuted.world)
    true, false = world.holding(refuted.at)
    assert "b" in true and "c" in false
    assert not e.ok


def test_a_lemma_states_its_arrow_like_a_claim(tmp_path):
    """A lemma is checked like a claim (LANGUAGE.md §6.1): the arrow it states is matched to it, and a
    lemma whose arrow is refuted is a stated expectation broken."""
    text = """
sort S
pred p: S
pred q: S
def a(x: S) := p(x)
def b(x: S) := q(x)
lemma a_implies_b: forall x: S. a(x) -> b(x)
"""
    (e,) = explore_programs([program_of(written(tmp_path, text))], ExploreOptions())
    claims = {c.claim: c for c in e.claims}
    assert claims["a_implies_b"].verdict == "counterexample" and not claims["a_implies_b"].ok
    refuted = next(r for r in e.refuted if r.stated == "a_implies_b")
    assert (refuted.hypotheses, refuted.conclusion) == (("a",), "b")
    assert not e.ok


def test_equivalences_and_exclusions(tmp_path):
    text = """
sort S
pred p: S
pred q: S
def a(x: S) := p(x) and q(x)
def b(x: S) := q(x) and p(x)
def c(x: S) := not p(x)
def d(x: S) := p(x) or q(x)
"""
    (e,) = explore_programs([program_of(written(tmp_path, text))], ExploreOptions())
    assert e.equivalences == (("a", "b"),)
    assert {x.nodes for x in e.exclusive} == {("a", "c"), ("b", "c")}
    assert all(not set(x.nodes) <= set(a.hypotheses) for x in e.exclusive for a in e.implications)
    assert ("a",) in [d.hypotheses for d in e.diagram] and all("b" not in d.hypotheses for d in e.diagram)


def test_a_node_true_of_every_element(tmp_path):
    text = """
sort S
pred p: S
pred q: S
axiom always: forall x: S. q(x)
def a(x: S) := p(x)
def b(x: S) := q(x)
def c(x: S) := not p(x)
"""
    (e,) = explore_programs([program_of(written(tmp_path, text))], ExploreOptions())
    universal = [a for a in e.implications if a.conclusion == "b"]
    assert [(a.hypotheses, a.used) for a in universal] == [((), ("always",))]


def test_inconsistent_axioms_decide_nothing(tmp_path):
    text = """
sort S
pred p: S
def a(x: S) := p(x)
def b(x: S) := not p(x)
axiom one: forall x: S. p(x)
axiom two: exists x: S. not p(x)
claim c: forall x: S. a(x) -> b(x)
"""
    (e,) = explore_programs([program_of(written(tmp_path, text))], ExploreOptions())
    assert e.inconsistent == ("one", "two") and e.diagnostic is not None
    assert e.decided == 0 and not e.implications and not e.refuted and not e.ok


def test_an_unknown_answer_is_never_a_proof_nor_a_refutation(tmp_path, monkeypatch):
    """A checker and a shared solver that can decide nothing: every implication is unknown, with its reason."""
    from translator.check.checker import ProgramChecker
    from translator.solvers.common import Outcome
    from translator.solvers.z3 import Subsets

    monkeypatch.setattr(ProgramChecker, "answer", lambda self, name: self.unknown(name, "the solver gave up"))
    monkeypatch.setattr(Subsets, "check", lambda self, members, options, want_model=True: Outcome("unknown"))
    program = program_of(written(tmp_path, definition_set(4, 1)))
    (e,) = explore_programs([program], ExploreOptions())
    assert e.decided == 0 and not e.implications and not e.exclusive and not e.refuted and not e.worlds
    assert len(e.unknown) == e.total and {u.reason for u in e.unknown} == {"the solver gave up"}


def test_what_the_shared_solver_cannot_decide_the_checker_decides(tmp_path, monkeypatch):
    """Every question the shared solver answers `unknown` goes to the checker: the same answers as
    `check`, with no world and no proof from the shared solver."""
    from translator.solvers.common import Outcome
    from translator.solvers.z3 import Subsets

    monkeypatch.setattr(Subsets, "check", lambda self, members, options, want_model=True: Outcome("unknown"))
    e = assert_same_as_check(program_of(written(tmp_path, definition_set(5, 2))), "S", 2)
    assert not e.unknown and e.worlds


def test_a_proof_on_the_shared_solver_the_checker_cannot_repeat_keeps_its_core(tmp_path, monkeypatch):
    """When the checker gives up on a minimal arrow the shared solver proved, the arrow stays proved,
    with the shared solver's axioms as `used` and a warning that they may not be minimal."""
    from translator.check.checker import ProgramChecker

    real = ProgramChecker.answer
    monkeypatch.setattr(ProgramChecker, "answer", lambda self, name: self.unknown(name, "the solver gave up")
                        if self._query(name).expect == "proved" else real(self, name))
    (e,) = explore_programs([program_of(SPEC / "hubinger.align")], ExploreOptions())
    arrow = next(a for a in e.implications if a.hypotheses == ("inner_aligned",) and a.conclusion == "objective_robust")
    assert "mesa_matches_behavioral" in arrow.used and any("may not be minimal" in w for w in arrow.warnings)


def test_a_starved_solver_decides_less_but_nothing_else(tmp_path):
    """With almost no solver budget, what is still decided is decided as with the full budget."""
    program = program_of(written(tmp_path, definition_set(5, 3)))
    (full,) = explore_programs([program], ExploreOptions())
    (starved,) = explore_programs([program], ExploreOptions(check=CheckOptions(timeout=5.0, rlimit=1)))
    assert starved.unknown and not full.unknown
    known, starved_says = verdicts(full, 2), verdicts(starved, 2)
    assert {k: v for k, v in starved_says.items() if v != "unknown" and known[k] != v} == {}


def test_an_undecided_value_in_a_world_refutes_nothing(tmp_path):
    """The evaluator cannot decide a quantifier over Int: such a node gives no information, so every
    implication about it is asked (and answered as check answers it)."""
    text = """
sort S
pred p: S
fun g: S -> Int
def a(x: S) := p(x)
def big(x: S) := exists n: Int. n > 0 and g(x) = n
def pos(x: S) := g(x) > 0
"""
    program = program_of(written(tmp_path, text))
    e = assert_same_as_check(program, "S", 2)
    assert any(v is None for w in e.worlds for _, row in w.values for v in row)
    assert {(a.hypotheses, a.conclusion) for a in e.implications} >= {(("big",), "pos"), (("pos",), "big")}


def test_jobs_give_the_same_answers(tmp_path):
    program = program_of(written(tmp_path, definition_set(6, 4)))
    (one,) = explore_programs([program], ExploreOptions())
    (two,) = explore_programs([program], ExploreOptions(jobs=2))
    assert verdicts(one, 2) == verdicts(two, 2)
    assert [a.used for a in one.implications] == [a.used for a in two.implications]


def test_sort_and_definitions_asked_for(tmp_path):
    program = program_of(SPEC / "hubinger.align")
    (e,) = explore_programs([program], ExploreOptions(defs=("robust", "mesa_optimizer", "objective_robust")))
    assert e.definitions == ("robust", "mesa_optimizer", "objective_robust") and e.total == 9
    with pytest.raises(Refused, match="no sort 'Policy'"):
        explore_programs([program], ExploreOptions(sort="Policy"))
    with pytest.raises(Refused, match="nope: not a unary definition"):
        explore_programs([program], ExploreOptions(defs=("robust", "nope")))


def test_defs_without_sort_find_the_sort_of_the_names(tmp_path):
    """`--defs` may name unary predicates (and definitions) of a file whose sorts have fewer than two
    definitions: the sort is the one they are over; a name over no sort is refused, never "nothing"."""
    program = program_of(written(tmp_path, """sort S
pred p: S
pred q: S
axiom ax: forall x: S. p(x) -> q(x)
"""))
    (e,) = explore_programs([program], ExploreOptions(defs=("p", "q")))
    assert e.sort == "S" and e.definitions == ("p", "q")
    assert [(a.hypotheses, a.conclusion) for a in e.implications] == [(("p",), "q")]
    with pytest.raises(Refused, match="nope: not a unary definition or predicate"):
        explore_programs([program], ExploreOptions(defs=("nope",)))
    with pytest.raises(Refused, match="nope: not a unary definition or predicate"):
        explore_programs([program], ExploreOptions(defs=("p", "nope")))


def test_a_claim_wider_than_the_joins_is_decided_too():
    program = program_of(SPEC / "robustness.align")
    nodes = choose(program, "Agent", None, True, True)
    e = explore(program, nodes, ExploreOptions(joins=1, preds=True, atoms=True))
    leaves = [c for c in e.claims if c.claim == "leaves_imply_impact_via_robustness"]
    assert leaves and all(c.verdict == "proved" and len(c.hypotheses) == 3 for c in leaves)
