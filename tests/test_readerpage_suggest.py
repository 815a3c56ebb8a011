"""The reader's page's recovers cell (`tools/readerpage_suggest.py`): where the suggestions have the
dropped axiom again, and the second look with `--max 10` when the first five do not."""
from __future__ import annotations

from types import SimpleNamespace

from tools import readerpage_suggest as page
from translator.premises.suggest.search import Relation

AXIOM = "capability_means_effective_pursuit"


def report(*relations: Relation) -> SimpleNamespace:
    return SimpleNamespace(suggestions=[SimpleNamespace(dropped_axioms=((AXIOM, r),)) for r in relations])


def test_the_first_look_names_the_suggestion_that_is_the_axiom_again():
    found = page._recovers(report(Relation.NEITHER, Relation.EQUIVALENT), AXIOM)
    assert found == "**yes**: suggestion 2 of 2 is the axiom again (equivalent under the other axioms)"
    assert page._recovers(report(Relation.NEITHER, Relation.STRONGER), AXIOM) is None


def test_the_second_look_says_it_ranks_below_the_first_five():
    wider = report(*[Relation.NEITHER] * 5, Relation.EQUIVALENT, *[Relation.NEITHER] * 4)
    found = page._recovers(wider, AXIOM, beyond=5)
    assert found == ("**yes**: with `--max 10`, suggestion 6 of 10 is the axiom again (equivalent under the "
                     "other axioms); not among the first 5")
    weaker = page._recovers(report(Relation.WEAKER), AXIOM, beyond=5)
    assert weaker is not None and weaker.startswith("**weaker**: with `--max 10`, suggestion 1 of 1")
    assert "not among" not in weaker
