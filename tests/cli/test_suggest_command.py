"""`alignproof suggest` (issue 15, LANGUAGE.md §6.5): text that pastes, JSON that meets its schema,
advice said once and never recorded, the seeds' converse answered with its author's premise."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from translator.check.checker import check_program
from translator.cli import dispatch
from translator.pipeline import front_end

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec"
SCHEMA = json.loads((ROOT / "docs" / "schema" / "suggest.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
CONVERSE = "faq_objective_robust_does_not_imply_inner"


def suggest(*argv: str) -> tuple[int, str, str]:
    """The command's status and output; a whole-search time far above what it needs, so that a busy
    machine does not change the answer (each question is bounded by Z3's resource limit)."""
    out, err = io.StringIO(), io.StringIO()
    timeout = [] if "--timeout" in argv else ["--timeout", "600"]
    status = dispatch(["suggest", *argv, *timeout], out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def converse() -> dict:
    status, out, _ = suggest(str(SPEC / "faq.align"), "--claim", CONVERSE, "--format", "json")
    assert status == 0
    return json.loads(out)


def test_the_converse_of_the_first_arrow_gets_mesa_optimizer_first(converse):
    """Hubinger's FAQ: objective robustness gives inner alignment for mesa-optimizers. The first
    suggestion is the claim's equivalent in simpler words: objective robust agents are mesa-optimizers."""
    VALIDATOR.validate(converse)
    first = converse["suggestions"][0]
    assert first["axiom"] == "forall a: Agent. objective_robust(a) -> mesa_optimizer(a)"
    assert first["equivalent"] is True
    assert first["used"] == ["mesa_matches_behavioral"]
    axioms = [s["axiom"] for s in converse["suggestions"]]
    assert "forall a: Agent. mesa_optimizer(a)" in axioms  # stronger, so later
    assert axioms.index("forall a: Agent. mesa_optimizer(a)") > 0
    assert 0 not in first["weaker_than"] and first["weaker_than"]
    assert converse["dropped"]["does_not_prove"] > 0
    assert first["rules_out"]["witness"] == converse["claim"]["witness"]


def test_every_suggestion_is_weaker_first(converse):
    """No suggestion is implied by one shown after it... the order is weakest first: the
    suggestions a suggestion is weaker than come after it."""
    for position, suggestion in enumerate(converse["suggestions"]):
        assert all(i > position for i in suggestion["weaker_than"]), suggestion


def test_text_output_pastes_into_the_spec_and_proves_the_claim(tmp_path):
    status, out, _ = suggest(str(SPEC / "faq.align"), "--claim", CONVERSE, "--max", "2")
    assert status == 0
    lines = out.splitlines()
    axioms = [line for line in lines if line.startswith("axiom suggested_")]
    assert len(axioms) == 2
    assert sum(1 for line in lines if "advice" in line) == 1
    assert all(line.startswith(("axiom ", "  #", "#")) for line in lines)
    for axiom in axioms:
        # the claim, pasted below the whole output (comments included) minus the other axioms
        kept = [line for line in lines if not line.startswith("axiom ") or line == axiom]
        copy = tmp_path / axiom.split(":")[0].split()[1]
        shutil.copytree(SPEC, copy)
        pasted = copy / "faq.align"
        pasted.write_text(pasted.read_text() + "\n" + "\n".join(kept) + "\n")
        programs, diags, _ = front_end([str(pasted)])
        assert not diags, diags
        outcome = check_program(programs[0], names=[CONVERSE])
        assert outcome.inconsistency is None
        assert outcome.results[0].verdict.value == "proved", axiom


def test_suggestions_are_never_recorded(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    spec = tmp_path / "s.align"
    spec.write_text("sort A\npred p: A\npred q: A\nclaim c: forall x: A. p(x) -> q(x)\n  expect counterexample\n")
    status, out, _ = suggest(str(spec), "--claim", "c")
    assert status == 0
    assert "axiom suggested_1: forall x: A. p(x) -> q(x)" not in out  # the claim restated is circular
    assert "axiom suggested_1:" in out
    assert not (tmp_path / "proofs").exists()


def test_a_proved_claim_needs_nothing(tmp_path):
    spec = tmp_path / "s.align"
    spec.write_text("sort A\npred p: A\naxiom ax: forall x: A. p(x)\nclaim c: forall x: A. p(x)\n")
    status, out, _ = suggest(str(spec), "--claim", "c", "--format", "json")
    assert status == 0
    doc = json.loads(out)
    VALIDATOR.validate(doc)
    assert doc["claim"]["verdict"] == "proved" and doc["suggestions"] == []


def test_jobs_is_taken_like_every_premise_command(tmp_path):
    """LANGUAGE.md §6: each premise command takes `--jobs`; the search is the same for every N."""
    spec = tmp_path / "s.align"
    spec.write_text("sort A\npred p: A\npred q: A\nclaim c: forall x: A. p(x) -> q(x)\n")
    one = suggest(str(spec), "--claim", "c", "--format", "json", "--jobs", "1")
    two = suggest(str(spec), "--claim", "c", "--format", "json", "--jobs", "2")
    assert one[0] == two[0] == 0
    axioms = [[s["axiom"] for s in json.loads(out)["suggestions"]] for _, out, _ in (one, two)]
    assert axioms[0] == axioms[1] and axioms[0]
    status, _, err = suggest(str(spec), "--claim", "c", "--jobs", "-1")
    assert status == 2 and "--jobs" in err


def test_input_errors_exit_2(tmp_path):
    assert suggest(str(SPEC / "faq.align"), "--claim", "no_such_claim")[0] == 2
    assert suggest(str(SPEC / "faq.align"), "--claim", CONVERSE, "--drop", "no_such_axiom")[0] == 2
    bad = tmp_path / "bad.align"
    bad.write_text("sort A\nclaim c: forall x: A. p(x)\n")
    status, _, err = suggest(str(bad), "--claim", "c")
    assert status == 2 and "error" in err


def test_input_errors_still_print_the_json_document(tmp_path):
    """LANGUAGE.md §5 and §6: under `--format json` the document still prints, its `errors` holding the
    file, line, column and message: a parse error (exit 2), inconsistent axioms (exit 1, as for every
    command)."""
    bad = tmp_path / "bad.align"
    bad.write_text("sort A\npred p: A\nclaim c: forall x: A. p(x) and\n")
    status, out, err = suggest(str(bad), "--claim", "c", "--format", "json")
    assert status == 2 and "error" in err
    (error,) = json.loads(out)["errors"]
    assert (error["file"], error["line"], error["column"]) == (str(bad), 3, 31) and error["message"]
    clash = tmp_path / "clash.align"
    clash.write_text("sort A\npred p: A\naxiom a1: forall x: A. p(x)\naxiom a2: exists x: A. not p(x)\n"
                     "claim c: forall x: A. p(x)\n")
    status, out, _ = suggest(str(clash), "--claim", "c", "--format", "json")
    assert status == 1
    assert suggest(str(clash), "--claim", "c")[0] == 1
    assert "inconsistent" in json.loads(out)["errors"][0]["message"]


@pytest.mark.parametrize("claim, axiom, recovered, more", [
    ("inner_implies_objective_robust", "mesa_matches_behavioral", "equivalent", ()),
    ("outer_and_objective_robust_implies_intent", "outer_measures_what_we_care_about", "weaker", ()),
    ("intent_and_capability_robust_implies_impact", "capability_means_effective_pursuit", "equivalent",
     ("--max", "10")),
])
def test_a_dropped_axiom_is_recovered_and_compared(claim, axiom, recovered, more):
    """An arrow of Hubinger's diagram without its axiom: a suggestion is the author's axiom again
    (first arrow; third arrow, below the first five), or weaker than it (second arrow)."""
    status, out, _ = suggest(str(SPEC / "hubinger.align"), "--claim", claim, "--drop", axiom, "--format", "json",
                             *more)
    assert status == 0
    doc = json.loads(out)
    VALIDATOR.validate(doc)
    assert doc["claim"]["verdict"] == "counterexample"
    relations = [s["dropped_axioms"][axiom] for s in doc["suggestions"]]
    assert set(relations) <= {"equivalent", "stronger", "weaker", "neither", "unknown"}
    assert recovered in relations


def test_timeout_returns_what_was_verified(tmp_path):
    status, out, _ = suggest(str(SPEC / "faq.align"), "--claim", CONVERSE, "--timeout", "0.05", "--format", "json")
    doc = json.loads(out)
    VALIDATOR.validate(doc)
    assert doc["complete"] is False
    assert status == (0 if doc["suggestions"] else 1)


def test_without_cvc5_the_source_is_said_skipped(monkeypatch):
    from translator.solvers import cvc5

    def unavailable():
        raise cvc5.Unavailable("no cvc5")
    monkeypatch.setattr(cvc5, "load", unavailable)
    status, out, _ = suggest(str(SPEC / "faq.align"), "--claim", CONVERSE, "--format", "json")
    doc = json.loads(out)
    source = next(s for s in doc["sources"] if s["name"] == "cvc5")
    assert source["ran"] is False and "skipped" in source["note"]
    assert doc["suggestions"][0]["axiom"] == "forall a: Agent. objective_robust(a) -> mesa_optimizer(a)"
    assert status == 0


def test_the_schema_is_valid_and_the_documented_example_meets_it():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    page = (ROOT / "docs" / "json.md").read_text()
    section = page.split("## The JSON document of `suggest`", 1)[1]
    example = section.split("```json\n", 1)[1].split("```", 1)[0]
    VALIDATOR.validate(json.loads(example))
    documented = {row.split("|")[1].strip() for row in section.splitlines() if row.startswith("| `")}
    fields = set(SCHEMA["properties"]) | set(SCHEMA["$defs"]["suggestion"]["properties"])
    assert all(any(f"`{f}`" in cell for cell in documented) for f in fields)


def test_cvc5_abducts_are_a_second_source(converse):
    cvc5 = next(s for s in converse["sources"] if s["name"] == "cvc5")
    assert cvc5["ran"] is True and cvc5["candidates"] > 0
    assert any("cvc5" in s["sources"] for s in converse["suggestions"])


def test_equivalent_candidates_are_merged_into_one_shown(converse):
    """The converse's first suggestion stands for the equivalent ones found (`same_as`), which are
    not shown again."""
    first = converse["suggestions"][0]
    assert first["same_as"]
    shown = {s["axiom"] for s in converse["suggestions"]}
    assert not shown & set(first["same_as"])


def test_a_suggestion_said_stronger_than_an_axiom_proves_it(tmp_path):
    """`stronger_than_axioms`: with the other axioms, the suggestion proves that axiom (checked here
    by turning the axiom into a claim of a copy of the spec, the suggestion pasted as an axiom)."""
    claim = "impact_is_not_outer_plus_inner"
    status, out, _ = suggest(str(SPEC / "faq.align"), "--claim", claim, "--format", "json")
    assert status == 0
    pairs = [(s["axiom"], a) for s in json.loads(out)["suggestions"] for a in s["stronger_than_axioms"]]
    assert pairs
    for number, (axiom, name) in enumerate(pairs):
        copy = tmp_path / str(number)
        shutil.copytree(SPEC, copy)
        faq = copy / "faq.align"
        text = faq.read_text()
        assert f"axiom {name}:" in text
        faq.write_text(text.replace(f"axiom {name}:", f"claim {name}:") + f"\naxiom suggested: {axiom}\n")
        programs, diags, _ = front_end([str(faq)])
        assert not diags, diags
        outcome = check_program(programs[0], names=[name])
        assert outcome.inconsistency is None
        assert outcome.results[0].verdict.value == "proved", (axiom, name)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_and_is_cleared():
    out, err = io.StringIO(), Terminal()
    status = dispatch(["suggest", str(SPEC / "faq.align"), "--claim", CONVERSE, "--timeout", "600"], out, err)
    assert status == 0
    shown = err.getvalue()
    assert "suggest: " in shown and "candidates examined" in shown
    assert shown.endswith("\r\x1b[K")                         # the line is cleared at the end
    assert "suggest: " not in out.getvalue()
