"""Lemmas (LANGUAGE.md §6.1): checked like claims, premises of what follows them once proved,
and never the ground of a `proved` when they are not."""
from __future__ import annotations

from pathlib import Path

from translator.check.checker import CheckOptions
from translator.check.records import fingerprint
from translator.check.results import Verdict
from translator.options import Options
from translator.pipeline import front_end, run

ONE = Options(jobs=1, timeout=10.0)


def check(tmp_path: Path, text: str, name: str = "spec.align"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    outcome = run([str(path)], ONE)
    assert not outcome.input_error, [d.message for d in outcome.diagnostics]
    return {r.name: r for r in outcome.results}


def chain(steps: int, lemmas: tuple[int, ...] = ()) -> str:
    lines = ["sort S", *(f"pred p{i}: S" for i in range(steps + 1))]
    lines += [f"axiom a{i}: forall x: S. p{i}(x) -> p{i + 1}(x)" for i in range(steps)]
    lines += [f"lemma l{k}: forall x: S. p0(x) -> p{k}(x)" for k in lemmas]
    lines.append(f"claim chain: forall x: S. p0(x) -> p{steps}(x)")
    return "\n".join(lines) + "\n"


def test_the_42_step_chain_with_a_few_lemmas_is_proved_by_z3(tmp_path):
    results = check(tmp_path, chain(42, (10, 20, 30)))
    assert [results[f"l{k}"].verdict for k in (10, 20, 30)] == [Verdict.PROVED] * 3
    claim = results["chain"]
    assert claim.verdict is Verdict.PROVED and claim.ok
    assert "l30" in claim.used  # the last lemma carries the proof, with the axioms after it
    assert set(claim.used) - {"l30"} == {f"a{i}" for i in range(30, 42)}
    assert "l10" in results["l20"].used and "l20" in results["l30"].used


def test_a_proof_lists_the_lemma_it_used_and_the_lemma_keeps_its_own(tmp_path):
    results = check(tmp_path, "sort S\npred p: S\npred q: S\npred r: S\n"
                    "axiom pq: forall x: S. p(x) -> q(x)\naxiom qr: forall x: S. q(x) -> r(x)\n"
                    "lemma pr: forall x: S. p(x) -> r(x)\n"
                    "claim twice: forall x: S. p(x) -> (r(x) and r(x))\n")
    assert set(results["pr"].used) == {"pq", "qr"}
    assert results["twice"].verdict is Verdict.PROVED
    assert results["twice"].used == ("pr",) or set(results["twice"].used) == {"pq", "qr"}


def test_an_unproved_lemma_makes_what_needed_it_unknown_naming_it(tmp_path):
    results = check(tmp_path, "sort S\npred p: S\npred q: S\n"
                    "lemma wrong: forall x: S. p(x) -> q(x)\n"
                    "claim needs_it: forall x: S. p(x) -> q(x)\n"
                    "claim also: forall x: S. p(x) and not q(x) -> false\n"
                    "claim without_it: forall x: S. p(x) -> p(x)\n")
    assert results["wrong"].verdict is Verdict.COUNTEREXAMPLE and not results["wrong"].ok
    for name in ("needs_it", "also"):
        result = results[name]
        assert result.verdict is Verdict.UNKNOWN and not result.ok and not result.used
        assert "lemma wrong" in result.reason and "counterexample" in result.reason
    assert results["without_it"].verdict is Verdict.PROVED and results["without_it"].used == ()


def test_a_lemma_that_rests_on_an_unproved_lemma_is_unknown_too(tmp_path):
    results = check(tmp_path, "sort S\npred p: S\npred q: S\npred r: S\n"
                    "axiom qr: forall x: S. q(x) -> r(x)\n"
                    "lemma wrong: forall x: S. p(x) -> q(x)\n"
                    "lemma next: forall x: S. p(x) -> r(x)\n"
                    "claim last: forall x: S. p(x) -> r(x) or r(x)\n")
    assert results["next"].verdict is Verdict.UNKNOWN and "lemma wrong" in results["next"].reason
    assert results["last"].verdict is Verdict.UNKNOWN


def test_a_lemma_is_no_premise_of_what_comes_before_it(tmp_path):
    results = check(tmp_path, "sort S\npred p: S\n"
                    "claim before: forall x: S. p(x)\n  expect counterexample\n"
                    "lemma later: forall x: S. p(x) or not p(x)\n")
    assert results["before"].verdict is Verdict.COUNTEREXAMPLE


def test_records_fingerprint_the_lemmas_a_query_is_asked_with(tmp_path):
    fingerprints = []
    for lemma in ("p(x) -> q(x) or q(x)", "p(x) -> q(x)"):
        path = tmp_path / "spec.align"
        path.write_text("sort S\npred p: S\npred q: S\naxiom pq: forall x: S. p(x) -> q(x)\n"
                        f"lemma lm: forall x: S. {lemma}\nclaim c: forall x: S. p(x) -> q(x)\n", encoding="utf-8")
        (program,), diags, _ = front_end([str(path)])
        query = next(q for q in program.queries if q.name == "c")
        fingerprints.append(fingerprint(program, query, CheckOptions(timeout=10.0), z3="4", alignproof="0"))
    assert fingerprints[0] != fingerprints[1]
