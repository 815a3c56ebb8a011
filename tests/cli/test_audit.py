"""`alignproof audit`: its arguments, text and JSON, exit statuses, and its schema against real output.

docs/schema/audit.schema.json refers to check.schema.json for models,
explanations and errors; both are loaded here under their `$id` base, and
every document the command prints below is validated against them.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from translator.cli import dispatch

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "docs" / "schema"
AUDIT = json.loads((SCHEMAS / "audit.schema.json").read_text(encoding="utf-8"))
CHECK = json.loads((SCHEMAS / "check.schema.json").read_text(encoding="utf-8"))
BASE = AUDIT["$id"].rsplit("/", 1)[0]
REGISTRY = Registry().with_resource(f"{BASE}/check.schema.json", Resource.from_contents(CHECK))
VALIDATOR = jsonschema.Draft202012Validator(AUDIT, registry=REGISTRY)

HEADER = "sort S\nconst c: S\npred p: S\npred q: S\npred r: S\n"
MIXED = HEADER + ("axiom direct: forall x: S. p(x) -> q(x)\n"
                  "axiom p_r: forall x: S. p(x) -> r(x)\n"
                  "axiom r_q: forall x: S. r(x) -> q(x)\n"
                  "axiom some_r: exists x: S. r(x)\n"
                  "claim at_c: p(c) -> q(c)\n"
                  "claim restated: forall x: S. p(x) -> r(x)\n"
                  "claim not_so: forall x: S. q(x)\n  expect counterexample\n"
                  "example an_r: exists x: S. r(x)\n")
INCONSISTENT = HEADER + "axiom a1: p(c)\naxiom a2: not p(c)\naxiom a3: q(c)\naxiom a4: forall x: S. q(x) -> not p(x)\n"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(["audit", *argv], out, err)
    return status, out.getvalue(), err.getvalue()


def valid(*argv: str) -> tuple[int, dict]:
    status, out, err = cli("--format", "json", *argv)
    doc = json.loads(out)
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert errors == [], "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    return status, doc


def spec(tmp_path: Path, text: str, name: str = "spec.align") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(AUDIT)


def test_a_consistent_theory_in_json(tmp_path):
    status, doc = valid("--timeout", "5", spec(tmp_path, MIXED))
    assert status == 0
    (program,) = doc["programs"]
    assert program["consistent"] is True and program["idle"] == ["some_r"]
    claims = {c["name"]: c for c in program["claims"]}
    assert claims["at_c"]["cores"] == [["direct"], ["p_r", "r_q"]] and claims["at_c"]["complete"] is True
    assert claims["at_c"]["used"] in claims["at_c"]["cores"]
    assert program["circular"] == [{"claim": "restated", "axiom": "p_r", "core": ["p_r"], "used": ["restated"]}]
    assert "cores" not in claims["not_so"] and "cores" not in claims["an_r"]
    axioms = {a["name"]: a for a in program["axioms"]}
    assert axioms["direct"]["independent"] is False and axioms["direct"]["implied_by"] == ["p_r", "r_q"]
    assert axioms["p_r"]["independent"] is True and "explanation" in axioms["p_r"]["world"]
    assert axioms["p_r"]["used_by"] == ["at_c", "restated"] and axioms["p_r"]["needed_by"] == ["restated"]
    assert doc["summary"]["redundant"] == 1 and doc["summary"]["circular"] == 1


def test_the_text_groups_claims_by_their_premises(tmp_path):
    status, out, _ = cli("--timeout", "5", spec(tmp_path, MIXED))
    assert status == 0
    assert "    direct: at_c (1 of 2)\n" in out and "    p_r, r_q: at_c (1 of 2)\n" in out
    assert "    p_r: at_c (1 of 2), restated\n" not in out and "    p_r: restated\n" in out
    assert "direct: redundant: follows from p_r, r_q" in out
    assert "restated assumes what it proves: on its own it gives back p_r" in out
    assert "idle (no proved claim needs them): some_r" in out


LEMMAS = HEADER + ("axiom p_r: forall x: S. p(x) -> r(x)\n"
                   "axiom r_q: forall x: S. r(x) -> q(x)\n"
                   "lemma p_q: forall x: S. p(x) -> q(x)\n"
                   "lemma q_p: forall x: S. q(x) -> p(x)\n"
                   "lemma idle_one: forall x: S. p(x) -> r(x) or q(x)\n"
                   "claim at_c: p(c) -> q(c)\n")


def test_lemmas_in_json_and_text(tmp_path):
    path = spec(tmp_path, LEMMAS)
    status, doc = valid("--timeout", "5", "--max-cores", "1", path)
    assert status == 1  # q_p is not proved, and a lemma is stated to be proved
    (program,) = doc["programs"]
    claims = {c["name"]: c for c in program["claims"]}
    assert claims["at_c"]["cores"] == [["p_q"]] and claims["p_q"]["kind"] == "lemma"
    assert {lemma["name"]: (lemma["verdict"], lemma["used_by"]) for lemma in program["lemmas"]} == \
        {"p_q": ("proved", ["at_c"]), "q_p": ("counterexample", []), "idle_one": ("proved", [])}
    assert program["idle_lemmas"] == ["idle_one"] and program["idle"] == []
    axioms = {a["name"]: a for a in program["axioms"]}
    assert axioms["p_r"]["through"] == {"at_c": ["p_q"]} and "at_c" in axioms["p_r"]["used_by"]
    _, out, _ = cli("--timeout", "5", "--max-cores", "1", path)
    assert "used by: p_q, idle_one, at_c (through p_q)" in out
    assert "    q_p: not proved (counterexample), so no premise of anything\n" in out
    assert "  idle lemmas (proved, nothing rests on them): idle_one\n" in out


def test_inconsistent_axioms_exit_1_with_conflicts_and_repairs(tmp_path):
    status, doc = valid(spec(tmp_path, INCONSISTENT + "claim anything: p(c)\n"))
    assert status == 1
    (program,) = doc["programs"]
    assert program["conflicts"] == [["a1", "a2"], ["a1", "a3", "a4"]]
    assert [r["remove"] for r in program["repairs"]] == [["a1"], ["a2", "a3"], ["a2", "a4"]]
    assert doc["errors"][0]["code"] == "inconsistent-axioms" and doc["summary"]["inconsistent"] == 1
    status, out, _ = cli(spec(tmp_path, INCONSISTENT))  # no claim: the check says nothing, the audit does
    assert status == 1 and "a1, a3, a4" in out and "the axioms are inconsistent" in out


def test_a_broken_expectation_exits_1(tmp_path):
    status, doc = valid(spec(tmp_path, HEADER + "claim wrong: forall x: S. p(x)\n"))
    assert status == 1 and doc["summary"]["failed"] == 1


def test_input_errors_exit_2_with_a_valid_document(tmp_path):
    status, doc = valid(str(tmp_path / "missing.align"))
    assert status == 2 and doc["programs"] == [] and doc["errors"][0]["code"] == "file-not-found"
    status, doc = valid(spec(tmp_path, "sort S\nclaim bad: p(x)\n"))
    assert status == 2 and doc["errors"]


def test_max_cores_limits_and_says_incomplete(tmp_path):
    _, doc = valid("--max-cores", "1", spec(tmp_path, MIXED))
    at_c = next(c for c in doc["programs"][0]["claims"] if c["name"] == "at_c")
    assert len(at_c["cores"]) == 1 and at_c["complete"] is False and "--max-cores" in at_c["incomplete"]


@pytest.mark.parametrize("argv", [["--max-cores", "0"], ["--timeout", "-1"], ["--jobs", "x"]])
def test_bad_arguments_exit_2(argv, tmp_path):
    status, _, err = cli(*argv, spec(tmp_path, MIXED))
    assert status == 2 and "error" in err


def test_the_spec_library_audits_clean_and_its_document_validates():
    status, doc = valid(str(ROOT / "spec"))
    assert status == 0 and doc["summary"]["inconsistent"] == 0 and doc["summary"]["complete"]
    assert len(doc["programs"]) == len(list((ROOT / "spec").glob("*.align")))
