"""MUS enumeration (translator/premises/marco.py) and the map solver, against answers known by brute force.

A fake oracle decides subsets of a few items by set arithmetic: a subset is
unsatisfiable when it contains one of the given cores. The enumeration must
find exactly the minimal ones (the cores that contain no other), call the
result complete only when that is all of them, and never report a core when
the oracle's `unknown` stands in the way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.premises.marco import Answer, Status, enumerate_cores
from translator.solvers.z3 import Map, hitting_sets


@dataclass
class SetOracle:
    """Unsat exactly above one of `cores`; `undecided` subsets answer unknown; `lying` reproofs fail."""

    count: int
    cores: list[frozenset[int]]
    undecided: set[frozenset[int]] = field(default_factory=set)
    rechecked: bool = True
    lying: bool = False
    asked: list[frozenset[int]] = field(default_factory=list)

    def check(self, subset: frozenset[int]) -> Answer:
        self.asked.append(subset)
        if subset in self.undecided:
            return Answer(Status.UNKNOWN, reason="made up")
        inside = [c for c in self.cores if c <= subset]
        if inside:
            return Answer(Status.UNSAT, core=subset)  # the solver's core: not minimised
        return Answer(Status.SAT, holds=subset, rechecked=self.rechecked)

    def reprove(self, subset: frozenset[int]) -> bool:
        return not self.lying and any(c <= subset for c in self.cores)


def minimal(cores: list[frozenset[int]]) -> set[frozenset[int]]:
    return {c for c in cores if not any(o < c for o in cores)}


def test_every_minimal_core_is_found_and_the_enumeration_is_complete():
    cores = [frozenset({0}), frozenset({1, 2}), frozenset({1, 3, 4}), frozenset({0, 1})]
    found = enumerate_cores(SetOracle(5, cores), limit=10)
    assert set(found.cores) == minimal(cores) and found.complete and found.undecided == 0


def test_the_limit_stops_it_and_says_so_unless_nothing_is_left():
    cores = [frozenset({0}), frozenset({1}), frozenset({2})]
    stopped = enumerate_cores(SetOracle(3, cores), limit=2)
    assert len(stopped.cores) == 2 and not stopped.complete and "--max-cores" in stopped.why
    exact = enumerate_cores(SetOracle(3, cores), limit=3)
    assert len(exact.cores) == 3 and exact.complete


def test_a_hint_is_asked_first_and_is_the_first_core():
    cores = [frozenset({0, 1}), frozenset({2})]
    oracle = SetOracle(3, cores)
    found = enumerate_cores(oracle, limit=1, hints=[{0, 1}])
    assert oracle.asked[0] == frozenset({0, 1}) and found.cores == (frozenset({0, 1}),)


def test_a_valid_goal_has_the_empty_core_only():
    found = enumerate_cores(SetOracle(3, [frozenset()]), limit=8)
    assert found.cores == (frozenset(),) and found.complete


def test_no_core_at_all():
    found = enumerate_cores(SetOracle(3, []), limit=8)
    assert found.cores == () and found.complete
    assert found.satisfiable_superset({0, 1, 2}) is not None


def test_an_unknown_is_never_a_core_and_costs_completeness():
    # {1, 2} is the only core; the oracle cannot decide {1} nor {0, 1}, so {1, 2} cannot be shown minimal
    oracle = SetOracle(3, [frozenset({1, 2})], undecided={frozenset({1}), frozenset({0, 1})})
    found = enumerate_cores(oracle, limit=8)
    assert frozenset({1}) not in found.cores and not found.complete and found.undecided >= 1
    assert all(any(c <= core for c in oracle.cores) for core in found.cores)


def test_an_undecided_seed_is_set_aside_not_read_as_unsat():
    oracle = SetOracle(2, [frozenset({0, 1})], undecided={frozenset()})
    found = enumerate_cores(oracle, limit=8)
    assert not found.complete and all(c == frozenset({0, 1}) for c in found.cores)


def test_a_core_that_is_not_proved_again_is_not_reported():
    found = enumerate_cores(SetOracle(2, [frozenset({0})], lying=True), limit=8)
    assert found.cores == () and not found.complete and "afresh" in found.why


def test_the_question_cap_stops_it():
    cores = [frozenset(s) for s in combinations(range(8), 4)]
    found = enumerate_cores(SetOracle(8, cores), limit=1000, max_questions=20)
    assert not found.complete and found.questions <= 20 + 8


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(st.integers(1, 6).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.frozensets(st.integers(0, n - 1), max_size=n), max_size=5))))
def test_random_families_match_brute_force(case):
    count, cores = case
    found = enumerate_cores(SetOracle(count, cores), limit=100)
    assert found.complete and set(found.cores) == minimal(cores)
    for shown in found.satisfiable:  # every subset reported satisfiable is
        assert not any(c <= shown.items for c in cores)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.integers(1, 6).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.frozensets(st.integers(0, n - 1), min_size=1), max_size=4))))
def test_hitting_sets_are_the_minimal_ones_fewest_first(case):
    count, family = case
    found = list(hitting_sets(family, count))
    every = [frozenset(s) for k in range(count + 1) for s in combinations(range(count), k)
             if all(set(s) & f for f in family)]
    assert set(found) == {s for s in every if not any(o < s for o in every)}
    assert [len(s) for s in found] == sorted(len(s) for s in found)


def test_the_map_gives_minimal_unexplored_seeds():
    explored = Map(4)
    assert explored.seed() == frozenset()
    explored.block_down({0, 1})          # everything below {0, 1} is satisfiable
    seed = explored.seed()
    assert seed is not None and len(seed) == 1 and seed <= {2, 3}
    explored.block_up({2})
    explored.block_up({3})
    assert explored.seed() is None


@pytest.mark.parametrize("count", [0, 1])
def test_tiny_maps(count):
    explored = Map(count)
    assert explored.seed() == frozenset()
    explored.block_point(frozenset())
    assert (explored.seed() is None) == (count == 0)
