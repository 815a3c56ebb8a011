"""`alignproof audit` with lemmas (LANGUAGE.md §6.1, §6.4), on small specs whose answer is known by construction.

A proved lemma is a candidate premise of what follows it, beside the axioms;
what rests on it rests on its own premises too, so none of those is called
idle; an axiom is independent or not of the other axioms alone; a lemma that
is not proved is in no premise set, and nothing resting on it is proved.
"""
from __future__ import annotations

from audits import HEADER, audited

from translator.check.results import Verdict
from translator.options import Options
from translator.premises.audit import audit

CHAIN = ("axiom p_r: forall x: S. p(x) -> r(x)\n"
         "axiom r_q: forall x: S. r(x) -> q(x)\n"
         "axiom other: exists x: S. p(x)\n"
         "lemma p_q: forall x: S. p(x) -> q(x)\n"
         "claim at_c: p(c) -> q(c)\n")


def axiom(program, name):
    return next(a for a in program.axioms if a.axiom == name)


def claim(program, name):
    return next(c for c in program.claims if c.name == name)


def lemma(program, name):
    return next(lemma for lemma in program.lemmas if lemma.lemma == name)


def test_a_lemma_is_a_premise_set_and_its_premises_count(tmp_path):
    _, program = audited(CHAIN, tmp_path)
    at_c = claim(program, "at_c")
    assert at_c.result.used == ("p_q",)
    assert at_c.cores == (("p_q",), ("p_r", "r_q")) and at_c.complete
    assert claim(program, "p_q").cores == (("p_r", "r_q"),)  # the lemma examined as a claim
    assert [n.axiom for n in at_c.needed] == ["p_r", "r_q"]  # through the lemma, shown without it
    assert axiom(program, "p_r").used_by == ("p_q", "at_c") == axiom(program, "r_q").needed_by
    assert program.idle == ("other",)
    assert lemma(program, "p_q").used_by == ("at_c",) and program.idle_lemmas == ()
    assert all(c.axiom != "p_q" for c in at_c.converses)  # a proved lemma is never begged
    assert {c.axiom for c in at_c.converses} == {"p_r", "r_q"}


def test_an_axiom_reached_only_through_a_lemma_is_not_idle(tmp_path):
    _, program = audited(CHAIN, tmp_path, max_cores=1)
    at_c = claim(program, "at_c")
    assert at_c.cores == (("p_q",),) and not at_c.complete
    assert [n.axiom for n in at_c.needed] == ["p_r", "r_q"]
    shown = axiom(program, "p_r")
    assert "at_c" in shown.used_by and shown.through == (("at_c", ("p_q",)),)
    assert shown.to_json()["through"] == {"at_c": ["p_q"]}
    assert program.idle == ("other",)


def test_redundancy_through_a_lemma_names_the_axioms_not_the_lemma(tmp_path):
    _, program = audited(CHAIN + "axiom p_q_again: forall x: S. p(x) -> q(x)\n", tmp_path)
    again = axiom(program, "p_q_again")
    assert again.independent is False and again.implied_by == ("p_r", "r_q")
    # and the lemma is not circular proof of itself: without p_q_again, p_r and r_q still prove it
    assert axiom(program, "p_r").independent is True


def test_a_lemma_no_one_needs(tmp_path):
    _, program = audited(CHAIN.replace("claim at_c: p(c) -> q(c)\n", "claim some_p: exists x: S. p(x)\n"), tmp_path)
    assert program.idle_lemmas == ("p_q",) and lemma(program, "p_q").used_by == ()
    assert claim(program, "some_p").cores == (("other",),)
    assert program.idle == ()  # p_r and r_q carry the lemma, a result of its own
    assert axiom(program, "p_r").used_by == ("p_q",)


def test_the_summary_counts_the_lemmas_and_the_idle_ones(tmp_path):
    import io

    from translator.outputs.audit import summary, write_text
    found, _ = audited(CHAIN.replace("claim at_c: p(c) -> q(c)\n", "claim some_p: exists x: S. p(x)\n"), tmp_path)
    assert (summary(found)["lemmas"], summary(found)["idle_lemmas"]) == (1, 1)
    out = io.StringIO()
    write_text(found, out, io.StringIO())
    assert ", 1 lemma (1 idle), " in out.getvalue().splitlines()[-1]
    without, _ = audited("axiom pc: p(c)\nclaim p_c: p(c)\n", tmp_path)
    out = io.StringIO()
    write_text(without, out, io.StringIO())
    assert (summary(without)["lemmas"], "lemma" in out.getvalue().splitlines()[-1]) == (0, False)


def test_an_unproved_lemma_makes_nothing_proved_and_is_no_premise(tmp_path):
    _, program = audited("axiom p_r: forall x: S. p(x) -> r(x)\n"
                      "axiom pc: p(c)\n"
                      "lemma wrong: forall x: S. r(x) -> q(x)\n"
                      "claim q_c: q(c)\n"
                      "claim r_c: r(c)\n", tmp_path)
    assert lemma(program, "wrong").verdict is Verdict.COUNTEREXAMPLE
    assert claim(program, "q_c").result.verdict is not Verdict.PROVED and claim(program, "q_c").cores == ()
    assert claim(program, "r_c").cores == (("p_r", "pc"),)
    assert all("wrong" not in core for c in program.claims for core in c.cores)
    assert program.idle_lemmas == () and all("wrong" not in a.used_by for a in program.axioms)
    assert program.to_json()["lemmas"] == [{"name": "wrong", "line": 8, "verdict": "counterexample",
                                            "used_by": []}]


def test_a_lemma_of_an_import_is_a_premise_once_proved(tmp_path):
    (tmp_path / "base.align").write_text(HEADER + CHAIN.split("claim")[0], encoding="utf-8")
    path = tmp_path / "top.align"
    path.write_text('import "base.align"\nclaim at_c: p(c) -> q(c)\n', encoding="utf-8")
    found = audit([str(path)], Options(timeout=5.0, jobs=1))
    assert not found.run.input_error, [d.message for d in found.run.diagnostics]
    program = next(p for p in found.programs if p.file == str(path))
    at_c = claim(program, "at_c")
    assert ("p_q",) in at_c.cores and ("p_r", "r_q") in at_c.cores
    assert "at_c" in axiom(program, "p_r").used_by and program.idle == ("other",)
