"""The tests every suggestion passes (issue 15, item 2), on small specs whose answers are known."""
from __future__ import annotations

import io
import json

from translator.cli import dispatch
from translator.premises.suggest import search

SPEC = """sort A
pred p: A
pred q: A
pred r: A
claim c: forall x: A. p(x) -> q(x)
  expect counterexample
"""


def suggest(tmp_path, text: str, *argv: str) -> tuple[int, dict]:
    spec = tmp_path / "s.align"
    spec.write_text(text)
    out = io.StringIO()
    status = dispatch(["suggest", str(spec), "--claim", "c", "--format", "json", "--timeout", "600", *argv],
                      out, io.StringIO())
    return status, json.loads(out.getvalue())


def test_circular_and_vacuous_candidates_are_dropped(tmp_path):
    status, doc = suggest(tmp_path, SPEC, "--max", "20")
    assert status == 0
    shown = {s["axiom"] for s in doc["suggestions"]}
    assert "forall x: A. p(x) -> q(x)" not in shown      # the claim restated
    assert "forall x: A. q(x)" not in shown               # the conclusion without the hypothesis
    assert "forall x: A. not p(x)" not in shown           # the hypothesis made impossible
    assert doc["dropped"]["circular"] >= 2 and doc["dropped"]["vacuous"] >= 1
    assert not any("r(" in axiom for axiom in shown)       # r is outside the claim's vocabulary
    # what is left: cvc5's abduct, p and q alike everywhere, stronger than the claim and not circular
    assert [s["sources"] for s in doc["suggestions"]] == [["cvc5"]]
    assert doc["suggestions"][0]["equivalent"] is False


def test_a_claim_the_axioms_contradict_gets_no_suggestion(tmp_path):
    text = SPEC.replace("claim c", "axiom witness: exists x: A. p(x) and not q(x)\nclaim c")
    status, doc = suggest(tmp_path, text)
    assert status == 1
    assert doc["suggestions"] == []
    assert doc["examined"] > 0


def test_the_claim_restated_through_a_definition_is_circular(tmp_path):
    text = SPEC.replace("claim c: forall x: A. p(x) -> q(x)", "def pq(x: A) := p(x) -> q(x)\nclaim c: forall x: A. pq(x)")
    status, doc = suggest(tmp_path, text, "--max", "20")
    shown = [s["axiom"] for s in doc["suggestions"]]
    assert len(shown) == len(set(shown))
    assert not any(axiom in ("forall x: A. pq(x)", "forall x: A. p(x) -> q(x)") for axiom in shown)
    assert doc["dropped"]["circular"] >= 1
    assert status == (0 if shown else 1)


def test_a_lemma_not_proved_is_no_premise_of_a_suggestion(tmp_path):
    """LANGUAGE.md §6.1 and §6.5: a lemma that is not proved is no premise of anything, so a suggestion
    is verified without it: each one pasted as the only axiom (the lemma left out) proves the claim."""
    text = "sort A\npred p: A\npred q: A\nlemma l: forall x: A. p(x)\nclaim c: forall x: A. q(x) -> p(x)\n"
    status, doc = suggest(tmp_path, text, "--max", "20")
    assert status in (0, 1)
    assert all("l" not in s["used"] for s in doc["suggestions"])
    assert "forall x: A. q(x)" not in {s["axiom"] for s in doc["suggestions"]}
    for s in doc["suggestions"]:
        pasted = tmp_path / "pasted.align"
        pasted.write_text(f"sort A\npred p: A\npred q: A\naxiom s: {s['axiom']}\n"
                          "claim c: forall x: A. q(x) -> p(x)\n")
        out = io.StringIO()
        assert dispatch(["check", str(pasted), "--format", "json"], out, io.StringIO()) == 0, s["axiom"]


def test_sources_default_to_both():
    assert search.SOURCES == ("enumerator", "cvc5")


def test_suggest_takes_a_lemma_not_proved(tmp_path):
    """`--claim` takes a lemma, not proved from the axioms before it; each suggestion, pasted as an
    axiom, proves the lemma, and the text names it a lemma."""
    head = "sort A\npred p: A\npred q: A\npred r: A\naxiom pq: forall x: A. p(x) -> q(x)\n"
    text = head + "lemma c: forall x: A. p(x) -> r(x)\n"
    status, doc = suggest(tmp_path, text, "--max", "20")
    assert status == 0 and doc["claim"]["name"] == "c" and doc["claim"]["verdict"] == "counterexample"
    assert doc["suggestions"]
    for s in doc["suggestions"]:
        pasted = tmp_path / "pasted.align"
        pasted.write_text(f"{head}axiom s: {s['axiom']}\nlemma c: forall x: A. p(x) -> r(x)\n")
        out = io.StringIO()
        assert dispatch(["check", str(pasted), "--format", "json"], out, io.StringIO()) == 0, s["axiom"]
    plain = io.StringIO()
    dispatch(["suggest", str(tmp_path / "s.align"), "--claim", "c", "--timeout", "600"], plain, io.StringIO())
    assert plain.getvalue().startswith(f"# {tmp_path / 's.align'}: lemma c: counterexample")
