"""The bookkeeping of `alignproof explore` without a solver: the space, closure, refutation by worlds,
the choice of the next question, and the order read off (translator/premises/lattice.py, order.py)."""
from __future__ import annotations

from math import comb

import pytest

from translator.premises import order
from translator.premises.lattice import Knowledge, State, bits, mask_of, space, subsets

A, B, C, D = 0, 1, 2, 3


def m(*nodes: int) -> int:
    return mask_of(nodes)


@pytest.mark.parametrize("n, joins", [(8, 1), (8, 2), (8, 3), (5, 2), (40, 2)])
def test_the_space_has_every_implication_with_up_to_k_hypotheses_once(n, joins):
    keys = space(n, joins)
    assert len(keys) == len(set(keys)) == sum(comb(n, k) * (n - k) for k in range(1, joins + 1))
    assert all(not mask >> q & 1 and 1 <= bin(mask).count("1") <= joins for mask, q in keys)


def test_the_issues_counts_for_eight_definitions():
    assert len(space(8, 2)) == 224 and len(space(8, 3)) == 504


def test_a_wider_stated_implication_brings_its_parts():
    keys = space(4, 1, [(m(A, B, C), D)])
    assert (m(A, B, C), D) in keys and (m(A, B), D) in keys and (m(B, C), D) in keys
    assert len(keys) == 12 + 4


def test_subsets_and_bits():
    assert sorted(subsets(m(A, C, D), 2)) == sorted([m(A), m(C), m(D), m(A, C), m(A, D), m(C, D)])
    assert list(subsets(m(A, B), 2, 0))[0] == 0
    assert bits(m(B, D)) == [B, D]


def test_a_proof_closes_by_transitivity_and_monotonicity_with_the_union_of_used():
    k = Knowledge(4, space(4, 2))
    k.prove((m(A), B), ["ab"])
    settled = k.prove((m(B), C), ["bc"])
    assert (m(A), C) in settled and (m(A, D), C) in settled and (m(B, D), C) in settled
    proof = k.proofs[(m(A), C)]
    assert proof.used == {"ab", "bc"} and not proof.direct and set(proof.rules) == {(m(A), B), (m(B), C)}
    assert k.proofs[(m(B), C)].direct
    assert k.state[(m(C), A)] is State.OPEN  # nothing runs backwards


def test_a_join_fires_only_when_all_its_hypotheses_hold():
    k = Knowledge(4, space(4, 2))
    k.prove((m(A, B), C), ["j"])
    assert k.state[(m(A), C)] is State.OPEN
    k.prove((m(D), A), [])
    k.prove((m(D), B), [])
    assert k.state[(m(D), C)] is State.PROVED and k.proofs[(m(D), C)].used == {"j"}


def test_a_world_refutes_every_implication_it_falsifies_and_only_those():
    k = Knowledge(4, space(4, 2))
    settled = k.refute(true=m(A, B), false=m(C), world=0, element="S#0")  # D undecided there
    assert set(settled) == {(m(A), C), (m(B), C), (m(A, B), C)}
    assert k.refutations[(m(A, B), C)].element == "S#0"
    assert k.state[(m(A), D)] is State.OPEN  # undecided is no information


def test_a_world_against_a_proof_is_a_conflict_not_a_refutation():
    k = Knowledge(3, space(3, 1))
    k.prove((m(A), B), [])
    k.refute(true=m(A), false=m(B), world=0, element="S#0")
    assert k.state[(m(A), B)] is State.PROVED and k.conflicts == [(m(A), B)]


def test_an_unknown_answer_stays_undecided_and_is_not_asked_again():
    k = Knowledge(3, space(3, 1))
    k.give_up((m(A), B), "timeout")
    assert k.undecided((m(A), B)) and (m(A), B) not in k.open()
    k.refute(true=m(A), false=m(B), world=0, element="S#0")
    assert k.state[(m(A), B)] is State.REFUTED


def test_hypotheses_that_never_hold_together_imply_everything():
    k = Knowledge(3, space(3, 2))
    k.prove((m(A, B), 3), ["apart"])  # conclusion 3 = no node: false
    assert k.excluded(m(A, B)) and not k.excluded(m(A))
    assert k.state[(m(A, B), C)] is State.PROVED and k.proofs[(m(A, B), C)].used == {"apart"}


def test_choose_asks_only_open_implications_and_prefers_what_settles_more():
    k = Knowledge(4, space(4, 2))
    first = k.choose()[0]
    assert k.state[first] is State.OPEN
    for key in list(k.open()):
        if key != (m(A), B):
            k.give_up(key, "x")
    assert k.choose(3) == [(m(A), B)]
    k.give_up((m(A), B), "x")
    assert k.choose() == []


def test_a_proof_of_a_join_is_worth_nothing_while_a_smaller_one_is_open():
    k = Knowledge(3, space(3, 2))
    assert k.if_proved((m(A, B), C)) == 0
    assert k.if_proved((m(A), C)) == 2  # itself and A and B -> C
    k.refute(true=m(A), false=m(C), world=0, element="S#0")
    k.refute(true=m(B), false=m(C), world=0, element="S#1")
    assert k.if_proved((m(A, B), C)) == 1


def test_minimal_arrows_equivalences_and_the_hasse_diagram():
    k = Knowledge(4, space(4, 2))
    k.prove((m(A), B), ["x"])
    k.prove((m(B), A), [])
    k.prove((m(B), C), [])
    k.prove((m(C, D), A), [])
    for mask, q in list(k.keys):
        if k.undecided((mask, q)):
            k.refute(true=mask, false=m(q), world=0, element="S#0")
    minimal = [x.key for x in order.minimal(k)]
    assert (m(A), C) in minimal          # derived, still minimal
    assert (m(A, D), C) not in minimal   # A alone suffices
    assert (m(C, D), A) in minimal and (m(C, D), B) in minimal
    groups = order.classes(k)
    assert [A, B] in groups and [C] in groups and [D] in groups
    drawn = order.hasse(groups, minimal)
    assert {(a.sources, a.target) for a in drawn} == {((groups.index([A, B]),), groups.index([C])),
                                                      (tuple(sorted((groups.index([C]), groups.index([D])))),
                                                       groups.index([A, B]))}


def test_the_reduction_keeps_what_yields_every_arrow_dropped():
    groups = [[0], [1], [2], [3]]
    arrows = [(m(0), 1), (m(1), 2), (m(0), 2), (m(2, 3), 0), (m(1, 3), 0)]
    kept = order.hasse(groups, arrows)
    assert (m(0), 2) not in [a.key for a in kept]
    for mask, q in arrows:
        assert q in order.reach(set(bits(mask)), kept)
    for arrow in kept:
        others = [a for a in kept if a is not arrow]
        assert arrow.target not in order.reach(set(arrow.sources), others)
